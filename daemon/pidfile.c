/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pidfile.c - pid file paths, atomic writing and "already running" detection */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/pidfile.h"
#include "util.h"

/* mkdir -p for the directory part of path. */
static int mkdir_parents(const char *path)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	char *slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return 0;
	*slash = '\0';
	for (char *p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = c;
		if (!c)
			return 0;
	}
}

static char *default_path(const char *rundir, const char *sub, const char *file)
{
	size_t len = strlen(rundir) + strlen(sub) + strlen(file) + 3;
	char *p = xmalloc(len);
	if (*sub)
		snprintf(p, len, "%s/%s/%s", rundir, sub, file);
	else
		snprintf(p, len, "%s/%s", rundir, file);
	return p;
}

static int pick(char **out, const char *explicit_path, const char *rundir, const char *sub,
		const char *file)
{
	if (explicit_path) {
		*out = xstrdup(explicit_path);
		return 0;
	}
	*out = default_path(rundir, sub, file);
	return *sub ? mkdir_parents(*out) : 0;
}

int pidfile_paths_init(struct pidfile_paths *p, const char *rundir, const char *main_path,
		       const char *vrrp_path, const char *check_path, const char *bfd_path,
		       const char *name, bool use_dir)
{
	char sub[PATH_MAX];
	if (name && *name)
		snprintf(sub, sizeof(sub), "keepalived/%s", name);
	else
		snprintf(sub, sizeof(sub), "%s", use_dir ? "keepalived" : "");
	memset(p, 0, sizeof(*p));
	if (pick(&p->main, main_path, rundir, sub, "keepalived.pid") < 0 ||
	    pick(&p->vrrp, vrrp_path, rundir, sub, "vrrp.pid") < 0 ||
	    pick(&p->check, check_path, rundir, sub, "checkers.pid") < 0 ||
	    pick(&p->bfd, bfd_path, rundir, sub, "bfd.pid") < 0)
		return -1;
	return 0;
}

void pidfile_paths_free(struct pidfile_paths *p)
{
	free(p->main);
	free(p->vrrp);
	free(p->check);
	free(p->bfd);
	memset(p, 0, sizeof(*p));
}

int pidfile_write(const char *path)
{
	size_t len = strlen(path) + 8;
	char *tmp = xmalloc(len);
	snprintf(tmp, len, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	char line[32];
	int n = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	int rc = write_all(fd, line, (size_t)n);
	if (rc == 0)
		rc = fchmod(fd, 0644);
	if (close(fd) < 0)
		rc = -1;
	if (rc == 0)
		rc = rename(tmp, path);
	if (rc < 0) {
		int err = errno;
		unlink(tmp);
		errno = err;
	}
	free(tmp);
	return rc;
}

pid_t pidfile_read(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	long pid = 0;
	char extra;
	if (fscanf(f, "%ld%c", &pid, &extra) < 1 || pid <= 0 || pid > INT_MAX)
		pid = 0;
	fclose(f);
	return (pid_t)pid;
}

/* /proc/PID/comm without the newline; empty on error. */
static void read_comm(const char *pid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	buf[0] = '\0';
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(buf, (int)size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

pid_t pidfile_running(const char *path)
{
	pid_t pid = pidfile_read(path);
	if (pid <= 0 || pid == getpid())
		return 0;
	if (kill(pid, 0) < 0 && errno != EPERM)
		return 0;
	/* A live pid is not enough: after a reboot the number may belong to
	 * anything. Only a process that looks like us counts. */
	char num[24], comm[64], self[64];
	snprintf(num, sizeof(num), "%ld", (long)pid);
	read_comm(num, comm, sizeof(comm));
	read_comm("self", self, sizeof(self));
	if (!strncmp(comm, "keepalived", 10) || (*comm && !strcmp(comm, self)))
		return pid;
	return 0;
}

void pidfile_remove(const char *path, pid_t pid)
{
	if (path && pidfile_read(path) == pid)
		unlink(path);
}
