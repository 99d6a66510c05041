/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pidfile.h - pid file paths, atomic writing and "already running" detection */
#ifndef KA_PIDFILE_H
#define KA_PIDFILE_H

#include <stdbool.h>
#include <sys/types.h>

/* The pid files of one daemon instance (malloc'ed strings). */
struct pidfile_paths {
	char *main;  /* parent: keepalived.pid */
	char *vrrp;  /* VRRP child: vrrp.pid */
	char *check; /* checker child: checkers.pid */
	char *bfd;   /* BFD child: bfd.pid */
};

/*
 * Work out the pid file paths. An explicit path (-p/-r/-c/-b, may be NULL)
 * always wins. Otherwise: with a name (network namespace and/or instance)
 * rundir/keepalived/NAME/X.pid, with use_dir rundir/keepalived/X.pid, else
 * rundir/X.pid. Directories the defaults need are created (mode 0755).
 * Returns 0, or -1 when a directory cannot be created (errno set).
 */
int pidfile_paths_init(struct pidfile_paths *p, const char *rundir, const char *main_path,
		       const char *vrrp_path, const char *check_path, const char *bfd_path,
		       const char *name, bool use_dir);
void pidfile_paths_free(struct pidfile_paths *p);

/* Write the calling process's pid to path: a temporary file in the same
 * directory renamed over path, so readers never see a partial file.
 * Returns 0 or -1 (errno set). */
int pidfile_write(const char *path);

/* The pid stored in path, or 0 if the file is missing or malformed. */
pid_t pidfile_read(const char *path);

/* The pid in path if it names another live process that looks like this
 * daemon (its /proc/PID/comm starts with "keepalived" or equals our own
 * comm); otherwise 0, so a stale file left by a crash is ignored. */
pid_t pidfile_running(const char *path);

/* Remove path, but only if it still holds pid: a respawned process may
 * already have replaced it. */
void pidfile_remove(const char *path, pid_t pid);

#endif
