/* SPDX-License-Identifier: GPL-2.0-or-later */
/* main.c - keepalived entry point: options, -t, namespace, pid file, daemonizing */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2, setns */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/child.h"
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "daemon/options.h"
#include "daemon/pidfile.h"
#include "daemon/sd_notify.h"
#include "daemon/supervisor.h"
#include "log.h"
#include "util.h"

#define CORE_PATTERN_FILE "/proc/sys/kernel/core_pattern"

/*
 * Exit statuses (also in --help):
 *   0 success, or -t found no error
 *   1 runtime failure
 *   2 bad command line
 *   3 configuration errors (with -t: errors found), unreadable configuration
 *     file, daemon already running, network namespace or pid file unusable
 *   4 a child process failed fatally
 */

/* What main owns for the daemon's lifetime. */
struct ka_main {
	struct ka_options opts;
	char *abs_conf;            /* opts.conf_file made absolute (we chdir to /) */
	struct pidfile_paths paths;
	char *saved_core_pattern;  /* -M: restored on exit */
	int ready_fd;              /* daemonizing: tells the waiting launcher we run */
};

/* ---- -t ---- */

static void diag_to_file(void *arg, enum cfg_level lvl, const char *msg)
{
	fprintf(arg, "%s\n", msg);
}

/* The one message for an unreadable main file, the same for -t and startup. */
static bool conf_readable(const char *path, char *err, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, size, "%s: error: cannot open: %s", path, strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

static int config_test(const struct ka_options *o)
{
	FILE *out = stderr;
	char err[PATH_MAX + 128];
	if (o->config_test_file && !(out = fopen(o->config_test_file, "we"))) {
		fprintf(stderr, "%s: cannot open: %s\n", o->config_test_file, strerror(errno));
		return KA_EXIT_FAILURE;
	}
	struct cfg_read_opts ro;
	struct cfg_diag diag = { .emit = diag_to_file, .arg = out };
	struct ka_config *c = NULL;
	supervisor_read_opts(&ro, o);
	if (!conf_readable(o->conf_file, err, sizeof(err)))
		fprintf(out, "%s\n", err);
	else
		c = ka_config_load(o->conf_file, &ro, &diag);
	/* An unusable file is one error even if nothing else was counted. */
	unsigned errors = diag.errors ? diag.errors : !c;
	int rc = KA_EXIT_CONFIG;
	if (c && o->dump_conf)
		ka_config_dump(stdout, c);
	if (!errors) {
		rc = KA_EXIT_OK;
		if (diag.warnings)
			fprintf(out, "configuration OK (%u warning%s)\n", diag.warnings,
				diag.warnings == 1 ? "" : "s");
		else
			fprintf(out, "configuration OK\n");
	} else {
		fprintf(out, "%u error%s, %u warning%s\n", errors, errors == 1 ? "" : "s",
			diag.warnings, diag.warnings == 1 ? "" : "s");
	}
	ka_config_free(c);
	if (out != stderr)
		fclose(out);
	return rc;
}

/* ---- startup helpers ---- */

/* A startup failure the operator must see even when logging goes only to
 * syslog: we have not detached from the terminal yet. The service manager
 * gets it too, with errno (EINVAL when no system call failed: the caller
 * sets errno = 0) as the reason. */
static void __attribute__((format(printf, 2, 3))) startup_error(const struct ka_main *m,
								 const char *fmt, ...)
{
	char msg[PATH_MAX + 256];
	int err = errno ? errno : EINVAL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(LOG_ERR, "%s", msg);
	if (!m->opts.log.console)
		fprintf(stderr, "%s\n", msg);
	ka_sd_notifyf("STATUS=%s\nERRNO=%d", msg, err);
}

static void diag_startup(void *arg, enum cfg_level lvl, const char *msg)
{
	const struct ka_main *m = arg;
	supervisor_diag_log(NULL, lvl, msg);
	if (!m->opts.log.console)
		fprintf(stderr, "%s\n", msg);
}

static char *absolute(const char *path)
{
	char cwd[PATH_MAX];
	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return xstrdup(path);
	size_t len = strlen(cwd) + strlen(path) + 2;
	char *p = xmalloc(len);
	snprintf(p, len, "%s/%s", cwd, path);
	return p;
}

static int enter_netns(const struct ka_main *m, const char *name)
{
	char path[PATH_MAX];
	/* iproute2 keeps named namespaces in /run/netns; /var/run is usually
	 * a link to /run, but not on every system (minimal images). */
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/var/run/netns/%s", name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		startup_error(m, "cannot enter network namespace %s (%s): %s", name, path,
			      strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	log_info("running in network namespace %s", name);
	return 0;
}

static int pid_paths(struct ka_main *m, const struct ka_config *c, const char *ns)
{
	const struct global_cfg *g = c->global;
	char name[NAME_MAX];
	const char *inst = g->instance_name;
	if (ns && inst)
		snprintf(name, sizeof(name), "%s_%s", ns, inst);
	else
		snprintf(name, sizeof(name), "%s", ns ? ns : inst ? inst : "");
	if (pidfile_paths_init(&m->paths, RUNSTATEDIR, m->opts.pid_file, m->opts.vrrp_pid_file,
			       m->opts.check_pid_file, m->opts.bfd_pid_file, name,
			       g->use_pid_dir) < 0) {
		startup_error(m, "cannot create the pid file directory: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* -m / -M: allow cores (and choose where they go). */
static void core_setup(struct ka_main *m)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	if (!m->opts.core_dump)
		return;
	if (setrlimit(RLIMIT_CORE, &rl) < 0)
		log_warn("cannot raise the core size limit");
	prctl(PR_SET_DUMPABLE, 1);
	if (!m->opts.core_pattern)
		return;
	char old[PATH_MAX] = "";
	FILE *f = fopen(CORE_PATTERN_FILE, "re");
	if (f && fgets(old, sizeof(old), f))
		m->saved_core_pattern = xstrdup(old);
	if (f)
		fclose(f);
	f = fopen(CORE_PATTERN_FILE, "we");
	if (!f || fprintf(f, "%s\n", m->opts.core_pattern) < 0 || fclose(f) != 0)
		log_warn("cannot set %s", CORE_PATTERN_FILE);
	else
		log_info("core_pattern set to %s", m->opts.core_pattern);
}

static void core_restore(struct ka_main *m)
{
	if (!m->saved_core_pattern)
		return;
	FILE *f = fopen(CORE_PATTERN_FILE, "we");
	if (!f || fputs(m->saved_core_pattern, f) < 0 || fclose(f) != 0)
		log_warn("cannot restore %s", CORE_PATTERN_FILE);
	free(m->saved_core_pattern);
	m->saved_core_pattern = NULL;
}

/* ---- daemonizing ---- */

/*
 * Double fork so the daemon is no session leader and can never regain a
 * terminal. The launching process waits on a pipe until the daemon has
 * written its pid file (or failed), so its exit status means something and
 * the pid file exists when it returns, as init systems expect.
 * Returns 0 in the daemon, 1 in the launcher (*status: its exit status),
 * -1 on error.
 */
static int daemonize(struct ka_main *m, int *status)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		unsigned char st = KA_EXIT_FAILURE;
		close(p[1]);
		waitpid(pid, NULL, 0);
		while (read(p[0], &st, 1) < 0 && errno == EINTR)
			;
		close(p[0]);
		*status = st;
		return 1;
	}
	close(p[0]);
	setsid();
	pid = fork();
	if (pid < 0)
		_exit(KA_EXIT_FAILURE);
	if (pid > 0)
		_exit(KA_EXIT_OK);
	if (chdir("/") < 0)
		log_warn("chdir /");
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		if (!m->opts.log.console)
			dup2(null, STDERR_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
	m->ready_fd = p[1];
	return 0;
}

static void notify_launcher(struct ka_main *m, int status)
{
	unsigned char st = (unsigned char)status;
	if (m->ready_fd < 0)
		return;
	if (write(m->ready_fd, &st, 1) < 0)
		log_warn("cannot notify the launching process");
	close(m->ready_fd);
	m->ready_fd = -1;
}

/* ---- the daemon ---- */

/* Load and validate the configuration; NULL (after reporting) if unusable. */
static struct ka_config *startup_config(struct ka_main *m)
{
	char err[PATH_MAX + 128];
	struct cfg_read_opts ro;
	struct cfg_diag diag = { .emit = diag_startup, .arg = m };
	if (!conf_readable(m->abs_conf, err, sizeof(err))) {
		startup_error(m, "%s", err);
		return NULL;
	}
	supervisor_read_opts(&ro, &m->opts);
	struct ka_config *c = ka_config_load(m->abs_conf, &ro, &diag);
	if (c && !c->errors)
		return c;
	errno = 0;
	startup_error(m, "%s: %u error%s, %u warning%s: not starting", m->abs_conf, diag.errors,
		      diag.errors == 1 ? "" : "s", diag.warnings, diag.warnings == 1 ? "" : "s");
	ka_config_free(c);
	return NULL;
}

/* Everything up to the pid file. Returns the config, or NULL after reporting. */
static struct ka_config *startup(struct ka_main *m)
{
	struct ka_config *c = startup_config(m);
	if (!c)
		return NULL;
	const char *ns = m->opts.namespace ? m->opts.namespace : c->global->net_namespace;
	/* kept for vrrp_track_process: process events only reach sockets of
	 * the initial namespace. The children are forked, so they inherit it;
	 * programs we run do not (close-on-exec). */
	if (ns)
		m->opts.netns_home_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if ((ns && enter_netns(m, ns) < 0) || pid_paths(m, c, ns) < 0) {
		ka_config_free(c);
		return NULL;
	}
	pid_t other = pidfile_running(m->paths.main);
	if (other) {
		errno = EEXIST;
		startup_error(m, "daemon is already running (pid %ld, %s)", (long)other,
			      m->paths.main);
		ka_config_free(c);
		return NULL;
	}
	return c;
}

static int run_daemon(struct ka_main *m)
{
	int status = KA_EXIT_CONFIG;
	m->opts.conf_file = m->abs_conf = absolute(m->opts.conf_file);
	log_init("Keepalived", &m->opts.log);
	log_info("Starting %s", ka_version());
	ka_sd_notify_init(); /* before entering a namespace */

	struct ka_config *c = startup(m);
	if (!c)
		goto out;
	if (!m->opts.umask_set && c->global->umask_set)
		umask((mode_t)c->global->umask);
	/* -D shows the configuration too, as operators know from keepalived. */
	if (m->opts.dump_conf || m->opts.log.detail)
		supervisor_dump_config(c);
	int d = m->opts.dont_fork ? 0 : daemonize(m, &status);
	if (d != 0) {
		if (d < 0) {
			startup_error(m, "cannot daemonize: %s", strerror(errno));
			status = KA_EXIT_FAILURE;
		}
		ka_config_free(c);
		goto out;
	}
	if (pidfile_write(m->paths.main) < 0) {
		startup_error(m, "cannot write pid file %s: %s", m->paths.main, strerror(errno));
		notify_launcher(m, KA_EXIT_CONFIG);
		ka_config_free(c);
		goto out;
	}
	core_setup(m);
	notify_launcher(m, KA_EXIT_OK);
	status = supervisor_run(c, &m->opts, &m->paths);
	pidfile_remove(m->paths.main, getpid());
	core_restore(m);
out:
	pidfile_paths_free(&m->paths);
	free(m->abs_conf);
	log_close();
	return status;
}

/* keepalived -T / --genhash ARGS... is genhash: hand the remaining
 * arguments to the installed genhash program (then to one on PATH). */
static int genhash_mode(int argc, char *argv[])
{
	char **args = xcalloc((size_t)argc, sizeof(*args));

	args[0] = "genhash";
	for (int i = 2; i < argc; i++)
		args[i - 1] = argv[i];
	execv(BINDIR "/genhash", args);
	execvp("genhash", args);
	fprintf(stderr, "%s: cannot run genhash (%s/genhash): %s\n", argv[0], BINDIR,
		strerror(errno));
	free(args);
	return KA_EXIT_FAILURE;
}

int main(int argc, char *argv[])
{
	struct ka_main m = { .ready_fd = -1 };
	if (argc > 1 && (!strcmp(argv[1], "-T") || !strcmp(argv[1], "--genhash")))
		return genhash_mode(argc, argv);
	int rc = ka_options_parse(&m.opts, argc, argv);
	if (rc != KA_OPTS_RUN)
		return rc;
	if (m.opts.umask_set)
		umask(m.opts.umask);
	if (m.opts.config_test)
		return config_test(&m.opts);
	/* A child that dies must not kill us through a control socket write. */
	signal(SIGPIPE, SIG_IGN);
	return run_daemon(&m);
}
