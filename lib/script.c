/* SPDX-License-Identifier: GPL-2.0-or-later */
/* script.c - fork/exec of scripts with a clean environment, timeouts and kill escalation */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2, close_range, getgrouplist */
#endif
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "ev.h"
#include "log.h"
#include "script.h"
#include "util.h"

/* How long script_cancel()/script_terminate() wait for the child to die
 * before leaving the reaping to the loop: SIGKILL normally takes effect in
 * well under a millisecond, and reaping at once keeps shutdown leak-free. */
#define ABANDON_POLLS    50
#define ABANDON_POLL_NS  1000000L

/* What the child reports through its error pipe when it cannot exec. */
enum child_step { STEP_SETUP, STEP_GROUPS, STEP_GID, STEP_UID, STEP_EXEC };

static const char *const step_names[] = {
	[STEP_SETUP] = "set up the process",
	[STEP_GROUPS] = "set supplementary groups",
	[STEP_GID] = "switch group",
	[STEP_UID] = "switch user",
	[STEP_EXEC] = "execute",
};

struct child_err {
	int step;
	int err;
};

struct script_job {
	struct ev_loop *loop;
	pid_t pid;
	int err_fd;                /* read end of the exec error pipe */
	char *name;                /* log prefix */
	char *cmd;                 /* command as written, for messages */
	script_done_fn done;
	void *arg;
	struct script_job **ref;
	struct ev_timer *timer;    /* timeout, then the kill grace */
	uint64_t timeout, kill_grace;
	bool timed_out;
	bool abandoned;            /* cancelled or terminated: free when reaped, no done() */
};

static char *const script_env[] = { "PATH=" SCRIPT_PATH, NULL };

/* ---- identities ---------------------------------------------------------- */

static bool parse_id(const char *s, unsigned long *out)
{
	char *end;
	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && !*end && *out < (unsigned long)UINT32_MAX;
}

int script_ident_resolve(const char *user, const char *group, bool supplementary,
			 struct script_ident *out, char *why, size_t len)
{
	struct passwd *pw = getpwnam(user);
	unsigned long n;
	char name[256] = "";

	*out = (struct script_ident){ 0 };
	if (!pw && parse_id(user, &n))
		pw = getpwuid((uid_t)n);
	if (pw) {
		out->uid = pw->pw_uid;
		out->gid = pw->pw_gid;
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	} else if (parse_id(user, &n)) {
		/* A bare number names a uid even without a passwd entry. */
		out->uid = (uid_t)n;
		out->gid = (gid_t)n;
	} else {
		snprintf(why, len, "user '%s' does not exist", user);
		return -1;
	}
	if (group) {
		struct group *gr = getgrnam(group);
		if (gr)
			out->gid = gr->gr_gid;
		else if (parse_id(group, &n))
			out->gid = (gid_t)n;
		else {
			snprintf(why, len, "group '%s' does not exist", group);
			return -1;
		}
	}
	if (supplementary && *name) {
		int ng = SCRIPT_MAX_GROUPS;
		if (getgrouplist(name, out->gid, out->groups, &ng) < 0)
			ng = SCRIPT_MAX_GROUPS; /* more than we keep: the first ones */
		out->ngroups = ng;
	}
	return 0;
}

int script_default_ident(const char *script_user, const char *script_group, bool supplementary,
			 struct script_ident *out, char *why, size_t len)
{
	if (script_user)
		return script_ident_resolve(script_user, script_group, supplementary, out, why,
					    len);
	if (getpwnam("keepalived_script"))
		return script_ident_resolve("keepalived_script", script_group, supplementary, out,
					    why, len);
	return script_ident_resolve("0", script_group, supplementary, out, why, len);
}

int script_ident_for(const struct ka_script *s, const struct script_ident *deflt,
		     bool supplementary, struct script_ident *out, char *why, size_t len)
{
	if (s->user)
		return script_ident_resolve(s->user, s->group, supplementary, out, why, len);
	if (deflt) {
		*out = *deflt;
		return 0;
	}
	*out = (struct script_ident){ .uid = geteuid(), .gid = getegid() };
	return 0;
}

/* ---- the child side (between fork and exec) -------------------------------- */

static void __attribute__((noreturn)) child_fail(int fd, int step, int err)
{
	struct child_err e = { step, err };
	if (write(fd, &e, sizeof(e)) < 0) {
		/* nothing more to say: the exit status tells the parent */
	}
	_exit(127);
}

static void child_close_others(int keep)
{
	if (close_range((unsigned)keep + 1, ~0u, 0) == 0 &&
	    (keep == 3 || close_range(3, (unsigned)keep - 1, 0) == 0))
		return;
	/* Kernels before 5.9: close one by one, with a sane upper bound. */
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = 3; fd < max; fd++)
		if (fd != keep)
			close(fd);
}

/* execve() argv[0], searching SCRIPT_PATH when it has no '/'. A file the
 * kernel cannot execute (no #! line) is handed to /bin/sh, as a shell does.
 * Returns the errno to report. */
static int child_execve(char *const argv[])
{
	const char *file = argv[0];
	char buf[PATH_MAX];
	size_t flen = strlen(file);
	int err = ENOENT;

	for (const char *p = SCRIPT_PATH; ; ) {
		const char *path = file;
		const char *end = NULL;
		if (!strchr(file, '/')) {
			end = strchr(p, ':');
			if (!end)
				end = p + strlen(p);
			size_t dlen = (size_t)(end - p);
			if (dlen + flen + 2 > sizeof(buf))
				goto next;
			memcpy(buf, p, dlen);
			buf[dlen] = '/';
			memcpy(buf + dlen + 1, file, flen + 1);
			path = buf;
		}
		execve(path, argv, script_env);
		if (errno == ENOEXEC) {
			size_t argc = 0;
			while (argv[argc])
				argc++;
			char *sh_argv[argc + 2];
			sh_argv[0] = "/bin/sh";
			sh_argv[1] = (char *)path;
			for (size_t i = 1; i <= argc; i++)
				sh_argv[i + 1] = argv[i];
			execve(sh_argv[0], sh_argv, script_env);
		}
		if (errno != ENOENT && errno != ENOTDIR && err != EACCES)
			err = errno;
next:
		if (!end || !*end)
			return err;
		p = end + 1;
	}
}

/* glibc refuses sigaction() on the signals it reserves (32, 33), yet an
 * ignored disposition inherited from whoever started us (make does this)
 * survives exec: reset those through the system call itself. */
static void reset_reserved_signals(void)
{
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		uint64_t mask;
	} k = { SIG_DFL, 0, NULL, 0 };

	for (int s = 32; s < SIGRTMIN; s++)
		syscall(SYS_rt_sigaction, s, &k, NULL, sizeof(k.mask));
}

static void __attribute__((noreturn)) child_exec(char *const argv[],
						 const struct script_ident *id, int fd,
						 pid_t parent)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;

	/* The loop blocks and catches signals: undo that for the script. */
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);
	reset_reserved_signals();
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);
	setpgid(0, 0);

	if (fd <= 2) {
		int nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (nfd < 0)
			_exit(127);
		fd = nfd;
	}
	int null = open("/dev/null", O_RDWR);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		child_fail(fd, STEP_SETUP, errno);
	child_close_others(fd);

	if (id) {
		int r = id->ngroups ? setgroups((size_t)id->ngroups, id->groups)
				    : setgroups(1, &id->gid);
		if (r < 0)
			child_fail(fd, STEP_GROUPS, errno);
		if (setgid(id->gid) < 0)
			child_fail(fd, STEP_GID, errno);
		if (setuid(id->uid) < 0)
			child_fail(fd, STEP_UID, errno);
	}
	child_fail(fd, STEP_EXEC, child_execve(argv));
}

/* ---- the parent side --------------------------------------------------------- */

static void job_free(struct script_job *job)
{
	if (job->err_fd >= 0)
		close(job->err_fd);
	ev_cancel(&job->timer);
	free(job->name);
	free(job->cmd);
	free(job);
}

static void job_signal(struct script_job *job, int sig)
{
	if (kill(-job->pid, sig) < 0)
		kill(job->pid, sig);
}

/* Log why the child could not exec, if it said so. */
static void job_read_error(struct script_job *job)
{
	struct child_err e;
	if (read(job->err_fd, &e, sizeof(e)) != (ssize_t)sizeof(e))
		return;
	if (e.step < 0 || e.step > STEP_EXEC)
		e.step = STEP_EXEC;
	log_warnx("%s: cannot %s '%s': %s", job->name, step_names[e.step], job->cmd,
		  strerror(e.err));
}

/* The child is gone (status as from waitpid): report and release. */
static void job_finish(struct script_job *job, int status)
{
	ev_cancel(&job->timer);
	job_read_error(job);
	if (job->abandoned) {
		job_free(job);
		return;
	}
	if (job->ref)
		*job->ref = NULL;
	script_done_fn done = job->done;
	void *arg = job->arg;
	bool timed_out = job->timed_out;
	job_free(job);
	done(arg, status, timed_out);
}

static void job_reaped_cb(struct ev_loop *loop, pid_t pid, int status, void *arg)
{
	job_finish(arg, status);
}

static void job_kill_cb(struct ev_loop *loop, void *arg)
{
	struct script_job *job = arg;
	log_warnx("%s: still running %.1f s after SIGTERM, sending SIGKILL", job->name,
		  (double)job->kill_grace / 1e6);
	job_signal(job, SIGKILL);
}

static void job_timeout_cb(struct ev_loop *loop, void *arg)
{
	struct script_job *job = arg;
	job->timed_out = true;
	log_warnx("%s: timed out after %.1f s, sending SIGTERM", job->name,
		  (double)job->timeout / 1e6);
	job_signal(job, SIGTERM);
	ev_timer_add(loop, job_kill_cb, job, job->kill_grace, &job->timer);
}

/* NULL-terminated argv: the script's words then the extra arguments. The
 * strings are not copied: the child gets its own copy through fork(). */
static char **build_argv(const struct ka_script *s, const char *const *extra)
{
	size_t n = 0, m = 0;
	while (s->argv[n])
		n++;
	while (extra && extra[m])
		m++;
	char **argv = xcalloc(n + m + 1, sizeof(*argv));
	for (size_t i = 0; i < n; i++)
		argv[i] = s->argv[i];
	for (size_t i = 0; i < m; i++)
		argv[n + i] = (char *)extra[i];
	return argv;
}

/* Decide the identity: NULL = stay as we are. Only root can switch. */
static int pick_ident(const struct ka_script *s, const struct script_opts *opts,
		      struct script_ident *id, const char *name)
{
	char why[256];
	if (!s->user && !opts->ident)
		return 0;
	if (script_ident_for(s, opts->ident, opts->supplementary_groups, id, why,
			     sizeof(why)) < 0) {
		log_warnx("%s: not started: %s", name, why);
		return -1;
	}
	return geteuid() == 0 ? 1 : 0;
}

static pid_t spawn(const struct ka_script *s, const char *const *extra,
		   const struct script_ident *id, int *err_fd, const char *name)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		log_warn("%s: not started: pipe", name);
		return -1;
	}
	char **argv = build_argv(s, extra);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0)
		child_exec(argv, id, fds[1], parent);
	int err = errno;
	free(argv);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		errno = err;
		log_warn("%s: not started: fork", name);
		return -1;
	}
	/* Also here, so a kill of the group cannot race the child's setpgid. */
	setpgid(pid, pid);
	*err_fd = fds[0];
	return pid;
}

int script_run(struct ev_loop *loop, const struct ka_script *s, const char *const *extra_args,
	       const struct script_opts *opts, script_done_fn done, void *arg,
	       struct script_job **ref)
{
	static const struct script_opts no_opts;
	struct script_ident ident;
	int err_fd;

	if (!opts)
		opts = &no_opts;
	const char *name = opts->name ? opts->name : (s && s->cmd ? s->cmd : "script");
	if (!s || !s->argv || !s->argv[0] || !*s->argv[0]) {
		log_warnx("%s: not started: empty command", name);
		return -1;
	}
	int sw = pick_ident(s, opts, &ident, name);
	if (sw < 0)
		return -1;
	pid_t pid = spawn(s, extra_args, sw ? &ident : NULL, &err_fd, name);
	if (pid < 0)
		return -1;

	struct script_job *job = xcalloc(1, sizeof(*job));
	*job = (struct script_job){
		.loop = loop, .pid = pid, .err_fd = err_fd, .done = done, .arg = arg,
		.ref = ref, .timeout = opts->timeout,
		.kill_grace = opts->kill_grace ? opts->kill_grace : SCRIPT_KILL_GRACE_US,
	};
	job->name = xstrdup(name);
	job->cmd = xstrdup(s->cmd ? s->cmd : s->argv[0]);
	if (ev_child_add(loop, pid, job_reaped_cb, job) < 0) {
		log_warn("%s: cannot watch process %d", name, (int)pid);
		job_signal(job, SIGKILL);
		waitpid(pid, NULL, 0);
		job_free(job);
		return -1;
	}
	if (job->timeout)
		ev_timer_add(loop, job_timeout_cb, job, job->timeout, &job->timer);
	if (ref)
		*ref = job;
	return 0;
}

/* Reap job if it has exited: true when it is gone (status filled). */
static bool job_try_reap(struct script_job *job, int *status)
{
	*status = 0;
	pid_t r = waitpid(job->pid, status, WNOHANG);
	if (r == job->pid || (r < 0 && errno == ECHILD)) {
		/* ECHILD: the loop reaped it already; it still holds the
		 * status but will not deliver it once unregistered. */
		ev_child_del(job->loop, job->pid);
		return true;
	}
	return false;
}

static void job_abandon(struct script_job **ref, int sig)
{
	struct script_job *job = *ref;
	int status;

	if (!job)
		return;
	*ref = NULL;
	job->ref = NULL;
	job->abandoned = true;
	ev_cancel(&job->timer);
	job_signal(job, sig);
	for (int i = 0; i < ABANDON_POLLS; i++) {
		if (job_try_reap(job, &status)) {
			job_free(job);
			return;
		}
		nanosleep(&(struct timespec){ 0, ABANDON_POLL_NS }, NULL);
	}
	/* Still there: the loop reaps it later (job_reaped_cb frees it). */
	if (sig != SIGKILL)
		ev_timer_add(job->loop, job_kill_cb, job, job->kill_grace, &job->timer);
}

void script_cancel(struct script_job **job)
{
	job_abandon(job, SIGKILL);
}

void script_terminate(struct script_job **job, int sig)
{
	job_abandon(job, sig);
}

int script_wait(struct script_job **ref, uint64_t usec)
{
	struct script_job *job = *ref;
	uint64_t end = mono_usec() + usec;
	int status;

	if (!job)
		return 0;
	for (;;) {
		if (job_try_reap(job, &status)) {
			job_finish(job, status);
			return 0;
		}
		uint64_t now = mono_usec();
		if (now >= end)
			return -1;
		uint64_t nap = end - now < 2000 ? end - now : 2000;
		nanosleep(&(struct timespec){ 0, (long)nap * 1000 }, NULL);
	}
}

pid_t script_job_pid(const struct script_job *job)
{
	return job ? job->pid : -1;
}

/* ---- security -------------------------------------------------------------- */

/* Find argv[0] the way the child will: as written, or in SCRIPT_PATH. */
static int script_locate(const char *file, char *out, size_t len)
{
	if (strchr(file, '/')) {
		if (file[0] == '/' || !getcwd(out, len))
			return snprintf(out, len, "%s", file) < (int)len ? 0 : -1;
		size_t n = strlen(out);
		return snprintf(out + n, len - n, "/%s", file) < (int)(len - n) ? 0 : -1;
	}
	const char *p = SCRIPT_PATH;
	while (*p) {
		const char *end = strchrnul(p, ':');
		if (snprintf(out, len, "%.*s/%s", (int)(end - p), p, file) < (int)len &&
		    access(out, X_OK) == 0)
			return 0;
		p = *end ? end + 1 : end;
	}
	return -1;
}

static const char *owner_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);
	if (pw)
		snprintf(buf, len, "user %s", pw->pw_name);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
	return buf;
}

static const char *group_name(gid_t gid, char *buf, size_t len)
{
	struct group *gr = getgrgid(gid);
	if (gr)
		snprintf(buf, len, "group %s", gr->gr_name);
	else
		snprintf(buf, len, "gid %u", (unsigned)gid);
	return buf;
}

/* One file or directory: only root may change it. */
static int check_node(const char *script, const char *path, bool dir, char *why, size_t len)
{
	const char *kind = dir ? "directory" : "file";
	char who[300];
	struct stat st;

	if (stat(path, &st) < 0) {
		snprintf(why, len, "%s: cannot check %s %s: %s", script, kind, path,
			 strerror(errno));
		return -1;
	}
	if (st.st_mode & S_IWOTH)
		snprintf(why, len, "%s: %s %s is world-writable", script, kind, path);
	else if ((st.st_mode & S_IWGRP) && st.st_gid != 0)
		snprintf(why, len, "%s: %s %s is writable by %s", script, kind, path,
			 group_name(st.st_gid, who, sizeof(who)));
	else if (st.st_uid != 0)
		snprintf(why, len, "%s: %s %s is owned by %s", script, kind, path,
			 owner_name(st.st_uid, who, sizeof(who)));
	else
		return 0;
	return -1;
}

/* The file at absolute path and every directory above it. */
static int check_chain(const char *script, const char *path, char *why, size_t len)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s", path);
	if (check_node(script, buf, false, why, len) < 0)
		return -1;
	for (;;) {
		char *slash = strrchr(buf, '/');
		if (!slash)
			return 0;
		if (slash == buf) {
			if (!buf[1])
				return 0;
			buf[1] = '\0';
		} else {
			*slash = '\0';
		}
		if (check_node(script, buf, true, why, len) < 0)
			return -1;
	}
}

int script_check_security(const struct ka_script *s, uid_t run_as, char *why, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX];

	if (run_as != 0)
		return 0;
	if (!s->argv || !s->argv[0]) {
		snprintf(why, len, "empty command");
		return -1;
	}
	if (script_locate(s->argv[0], path, sizeof(path)) < 0) {
		snprintf(why, len, "%s: not found", s->argv[0]);
		return -1;
	}
	if (check_chain(path, path, why, len) < 0)
		return -1;
	if (!realpath(path, real)) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (strcmp(real, path) != 0 && check_chain(path, real, why, len) < 0)
		return -1;
	return 0;
}

int script_security_gate(const struct ka_script *s, uid_t run_as, bool enforce, bool *warned,
			 const char *what)
{
	char why[PATH_MAX + 400];

	if (script_check_security(s, run_as, why, sizeof(why)) == 0)
		return 0;
	if (enforce) {
		log_warnx("%s: not run (enable_script_security): %s", what, why);
		return -1;
	}
	if (warned && !*warned) {
		*warned = true;
		log_warnx("SECURITY VIOLATION - scripts are being executed but "
			  "enable_script_security is not set (%s: %s)", what, why);
	}
	return 0;
}
