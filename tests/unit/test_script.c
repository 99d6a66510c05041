/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_script.c - script runner: status, arguments, timeouts, cancel, identity, security checks */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw flags */
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cfg.h"
#include "ev.h"
#include "log.h"
#include "script.h"
#include "util.h"

/* ---- fixture: a loop, a scratch directory, captured log lines ---- */

struct fx {
	struct ev_loop *loop;
	char dir[64];
	char log[8192];
	size_t loglen;
};

static void sink(int prio, const char *line, void *arg)
{
	struct fx *f = arg;
	int n = snprintf(f->log + f->loglen, sizeof(f->log) - f->loglen, "%s\n", line);
	if (n > 0 && (size_t)n < sizeof(f->log) - f->loglen)
		f->loglen += (size_t)n;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	f->loop = ev_loop_new();
	assert_non_null(f->loop);
	/* /run is root-owned and not world-writable, so the security checks
	 * can find a secure path there; fall back to /tmp otherwise. */
	snprintf(f->dir, sizeof(f->dir), "/run/ka-test-script-XXXXXX");
	if (!mkdtemp(f->dir)) {
		snprintf(f->dir, sizeof(f->dir), "/tmp/ka-test-script-XXXXXX");
		assert_non_null(mkdtemp(f->dir));
	}
	chmod(f->dir, 0755);
	log_set_sink(sink, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	log_set_sink(NULL, NULL);
	/* reap what a cancel left to the loop (a failed test may have left
	 * its signal watch behind, which would keep the loop busy) */
	ev_signal_del(f->loop, SIGUSR2);
	ev_run(f->loop);
	ev_loop_free(f->loop);
	rm_rf(f->dir);
	free(f);
	return 0;
}

/* Write dir/name as a /bin/sh script with the given mode; returns the path. */
static char *mkscript(struct fx *f, const char *name, const char *body, mode_t mode)
{
	char *path;
	assert_true(asprintf(&path, "%s/%s", f->dir, name) > 0);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\n%s\n", body);
	fclose(fp);
	chmod(path, mode);
	return path;
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "r");
	if (!fp)
		return NULL;
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* ---- running scripts ---- */

struct result {
	struct ev_loop *loop;
	int calls;
	int want;        /* break the loop after this many calls */
	int status;
	bool timed_out;
	uint64_t at;     /* when done() ran */
};

static void done_cb(void *arg, int status, bool timed_out)
{
	struct result *r = arg;
	r->calls++;
	r->status = status;
	r->timed_out = timed_out;
	r->at = mono_usec();
	if (r->calls >= r->want)
		ev_break(r->loop);
}

static void guard_cb(struct ev_loop *loop, void *arg)
{
	*(bool *)arg = true;
	ev_break(loop);
}

/* Run the loop until broken or max_us passed; true if the guard fired. */
static bool run_for(struct ev_loop *loop, uint64_t max_us)
{
	struct ev_timer *guard = NULL;
	bool expired = false;
	ev_timer_add(loop, guard_cb, &expired, max_us, &guard);
	ev_run(loop);
	ev_cancel(&guard);
	return expired;
}

/* Run s (+ extra) to completion and return the result. */
static struct result run_one(struct fx *f, struct ka_script *s, const char *const *extra,
			     const struct script_opts *o)
{
	struct result r = { .loop = f->loop, .want = 1 };
	struct script_job *job = NULL;
	assert_int_equal(script_run(f->loop, s, extra, o, done_cb, &r, &job), 0);
	assert_non_null(job);
	assert_int_equal(r.calls, 0); /* never from inside script_run() */
	assert_false(run_for(f->loop, 15 * 1000000ull));
	assert_int_equal(r.calls, 1);
	assert_null(job);
	return r;
}

static void test_exit_status(void **state)
{
	struct fx *f = *state;
	char *p3 = mkscript(f, "exit3.sh", "exit 3", 0755);
	char *argv3[] = { p3, NULL };
	struct ka_script s3 = { .cmd = p3, .argv = argv3 };
	struct result r = run_one(f, &s3, NULL, NULL);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 3);
	assert_false(r.timed_out);

	/* PATH lookup for a bare name, and the script's own arguments */
	char *argv_t[] = { "sh", "-c", "exit 5", NULL };
	struct ka_script st = { .cmd = "sh -c 'exit 5'", .argv = argv_t };
	r = run_one(f, &st, NULL, NULL);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 5);

	char *argv_ok[] = { "true", NULL };
	struct ka_script sok = { .cmd = "true", .argv = argv_ok };
	r = run_one(f, &sok, NULL, NULL);
	assert_int_equal(r.status, 0);

	/* A file without #! is run by /bin/sh, as a shell would */
	char *pn = NULL;
	assert_true(asprintf(&pn, "%s/noshebang", f->dir) > 0);
	FILE *fp = fopen(pn, "w");
	fputs("exit 9\n", fp);
	fclose(fp);
	chmod(pn, 0755);
	char *argv_n[] = { pn, NULL };
	struct ka_script sn = { .cmd = pn, .argv = argv_n };
	r = run_one(f, &sn, NULL, NULL);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 9);
	free(pn);
	free(p3);
}

static void test_extra_args(void **state)
{
	struct fx *f = *state;
	char *out, *p = mkscript(f, "args.sh", "out=$1; shift; printf '%s\\n' \"$@\" > \"$out\"",
				 0755);
	assert_true(asprintf(&out, "%s/args.out", f->dir) > 0);
	char *argv[] = { p, out, "fixed one", NULL };
	struct ka_script s = { .cmd = p, .argv = argv };
	const char *extra[] = { "INSTANCE", "VI 1", "MASTER", "100", NULL };
	struct result r = run_one(f, &s, extra, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(slurp(out), "fixed one\nINSTANCE\nVI 1\nMASTER\n100\n");
	free(out);
	free(p);
}

/* State letter of a process, 0 if it no longer exists. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' ? rp[2] : 0;
}

static void test_timeout_term(void **state)
{
	struct fx *f = *state;
	char *bg, *p;
	assert_true(asprintf(&bg, "%s/bg.pid", f->dir) > 0);
	assert_true(asprintf(&p, "%s/slow.sh", f->dir) > 0);
	free(mkscript(f, "slow.sh", "sleep 30 & echo $! > \"$1\"; sleep 10", 0755));
	char *argv[] = { p, bg, NULL };
	struct ka_script s = { .cmd = p, .argv = argv };
	struct script_opts o = { .name = "slow", .timeout = 300000 };
	uint64_t t0 = mono_usec();
	struct result r = run_one(f, &s, NULL, &o);
	uint64_t took = r.at - t0;
	assert_true(r.timed_out);
	assert_true(WIFSIGNALED(r.status));
	assert_int_equal(WTERMSIG(r.status), SIGTERM);
	assert_true(took >= 300000);
	assert_true(took < 300000 + SCRIPT_KILL_GRACE_US);
	assert_non_null(strstr(f->log, "slow: timed out after 0.3 s"));

	/* The whole process group got the signal, not just the script. */
	const char *txt = slurp(bg);
	assert_non_null(txt);
	pid_t bgpid = (pid_t)atoi(txt);
	assert_true(bgpid > 0);
	char st = 0;
	for (int i = 0; i < 100; i++) {
		st = proc_state(bgpid);
		if (st == 0 || st == 'Z')
			break;
		usleep(10000);
	}
	assert_true(st == 0 || st == 'Z');
	free(bg);
	free(p);
}

static void test_timeout_kill(void **state)
{
	struct fx *f = *state;
	char *p = mkscript(f, "stubborn.sh", "trap '' TERM\nwhile :; do sleep 0.05; done", 0755);
	char *argv[] = { p, NULL };
	struct ka_script s = { .cmd = p, .argv = argv };
	struct script_opts o = { .name = "stubborn", .timeout = 200000, .kill_grace = 400000 };
	uint64_t t0 = mono_usec();
	struct result r = run_one(f, &s, NULL, &o);
	uint64_t took = r.at - t0;
	assert_true(r.timed_out);
	assert_true(WIFSIGNALED(r.status));
	assert_int_equal(WTERMSIG(r.status), SIGKILL);
	assert_true(took >= 600000);
	assert_true(took < 2000000);
	assert_non_null(strstr(f->log, "sending SIGKILL"));
	free(p);
}

static void test_cancel(void **state)
{
	struct fx *f = *state;
	char *argv[] = { "sleep", "10", NULL };
	struct ka_script s = { .cmd = "sleep 10", .argv = argv };
	struct result r = { .loop = f->loop, .want = 1 };
	struct script_job *job = NULL;
	assert_int_equal(script_run(f->loop, &s, NULL, NULL, done_cb, &r, &job), 0);
	pid_t pid = script_job_pid(job);
	assert_true(pid > 0);
	script_cancel(&job);
	assert_null(job);
	script_cancel(&job); /* no-op */
	/* Only the guard timer is left to wake the loop. */
	assert_true(run_for(f->loop, 300000));
	assert_int_equal(r.calls, 0);
	assert_int_equal(kill(pid, 0), -1);
	assert_int_equal(errno, ESRCH);
}

static void test_terminate(void **state)
{
	struct fx *f = *state;
	char *out, *p;
	assert_true(asprintf(&out, "%s/term.out", f->dir) > 0);
	p = mkscript(f, "polite.sh", "trap 'echo term > \"$1\"; exit 0' TERM\n"
		     "echo started > \"$1\"\nsleep 10 & wait", 0755);
	char *argv[] = { p, out, NULL };
	struct ka_script s = { .cmd = p, .argv = argv };
	struct result r = { .loop = f->loop, .want = 1 };
	struct script_job *job = NULL;
	assert_int_equal(script_run(f->loop, &s, NULL, NULL, done_cb, &r, &job), 0);
	for (int i = 0; i < 300 && !(slurp(out) && strstr(slurp(out), "started")); i++)
		usleep(10000);
	script_terminate(&job, SIGTERM);
	assert_null(job);
	run_for(f->loop, 3000000);
	assert_int_equal(r.calls, 0);
	assert_string_equal(slurp(out), "term\n");
	free(out);
	free(p);
}

static void test_wait(void **state)
{
	struct fx *f = *state;
	char *argv[] = { "sh", "-c", "sleep 0.1; exit 4", NULL };
	struct ka_script s = { .cmd = "quick", .argv = argv };
	struct result r = { .loop = f->loop, .want = 1 };
	struct script_job *job = NULL;
	assert_int_equal(script_run(f->loop, &s, NULL, NULL, done_cb, &r, &job), 0);
	assert_int_equal(script_wait(&job, 5000000), 0);
	assert_null(job);
	assert_int_equal(r.calls, 1);
	assert_int_equal(WEXITSTATUS(r.status), 4);

	char *argv2[] = { "sleep", "10", NULL };
	struct ka_script s2 = { .cmd = "sleep 10", .argv = argv2 };
	r.calls = 0;
	assert_int_equal(script_run(f->loop, &s2, NULL, NULL, done_cb, &r, &job), 0);
	uint64_t t0 = mono_usec();
	assert_int_equal(script_wait(&job, 100000), -1);
	assert_true(mono_usec() - t0 >= 100000);
	assert_non_null(job);
	script_cancel(&job);
	assert_int_equal(r.calls, 0);
}

static void test_exec_failure(void **state)
{
	struct fx *f = *state;
	char *argv[] = { "/nonexistent/script.sh", NULL };
	struct ka_script s = { .cmd = "/nonexistent/script.sh", .argv = argv };
	struct script_opts o = { .name = "VRRP_Script(chk)" };
	struct result r = run_one(f, &s, NULL, &o);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 127);
	assert_false(r.timed_out);
	assert_non_null(strstr(f->log, "VRRP_Script(chk): cannot execute "
			       "'/nonexistent/script.sh': No such file or directory"));

	char *p = mkscript(f, "noexec.sh", "exit 0", 0644);
	char *argv2[] = { p, NULL };
	struct ka_script s2 = { .cmd = p, .argv = argv2 };
	r = run_one(f, &s2, NULL, NULL);
	assert_int_equal(WEXITSTATUS(r.status), 127);
	assert_non_null(strstr(f->log, "Permission denied"));

	char *argv3[] = { "no-such-command-anywhere", NULL };
	struct ka_script s3 = { .cmd = "no-such-command-anywhere", .argv = argv3 };
	r = run_one(f, &s3, NULL, NULL);
	assert_int_equal(WEXITSTATUS(r.status), 127);

	/* nothing to start at all: refused synchronously, done() never called */
	char *argv4[] = { NULL };
	struct ka_script s4 = { .cmd = "", .argv = argv4 };
	struct result r4 = { .loop = f->loop, .want = 1 };
	assert_int_equal(script_run(f->loop, &s4, NULL, NULL, done_cb, &r4, NULL), -1);
	struct ka_script s5 = { .cmd = "x", .argv = argv3, .user = "no-such-user-ka" };
	assert_int_equal(script_run(f->loop, &s5, NULL, NULL, done_cb, &r4, NULL), -1);
	assert_non_null(strstr(f->log, "user 'no-such-user-ka' does not exist"));
	assert_true(run_for(f->loop, 100000));
	assert_int_equal(r4.calls, 0);
	free(p);
}

static void sig_ignored_cb(struct ev_loop *loop, int signo, void *arg)
{
}

/* Read /proc/<pid>/<what> into buf (NUL bytes kept); returns the length. */
static size_t proc_read(pid_t pid, const char *what, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? (size_t)n : 0;
}

/* The child starts clean although the loop blocks signals and fds are open:
 * look at the running process from outside. */
static void test_clean_child(void **state)
{
	struct fx *f = *state;
	char buf[4096], path[64], target[64];
	int leak = open("/dev/null", O_RDONLY);
	assert_true(dup2(leak, 42) == 42);
	assert_int_equal(ev_signal_add(f->loop, SIGUSR2, sig_ignored_cb, NULL), 0);
	signal(SIGPIPE, SIG_IGN);
	setenv("KA_TEST_SECRET", "1", 1);

	char *argv[] = { "sleep", "5", NULL };
	struct ka_script s = { .cmd = "sleep 5", .argv = argv };
	struct result r = { .loop = f->loop, .want = 1 };
	struct script_job *job = NULL;
	assert_int_equal(script_run(f->loop, &s, NULL, NULL, done_cb, &r, &job), 0);
	pid_t pid = script_job_pid(job);
	/* wait for the exec */
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	for (int i = 0; i < 500; i++) {
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		if (strstr(target, "sleep"))
			break;
		usleep(2000);
	}
	assert_non_null(strstr(target, "sleep"));

	/* reading another process's memory fails while its exec completes */
	size_t n = 0;
	for (int i = 0; i < 500 && !n; i++) {
		n = proc_read(pid, "environ", buf, sizeof(buf));
		if (!n)
			usleep(2000);
	}
	assert_int_equal(n, strlen("PATH=" SCRIPT_PATH) + 1);
	assert_string_equal(buf, "PATH=" SCRIPT_PATH);

	proc_read(pid, "status", buf, sizeof(buf));
	assert_non_null(strstr(buf, "SigBlk:\t0000000000000000\n"));
	assert_non_null(strstr(buf, "SigIgn:\t0000000000000000\n"));
	char want[64];
	snprintf(want, sizeof(want), "NSpgid:\t%d\n", (int)pid); /* own process group */
	assert_non_null(strstr(buf, want));

	/* The dynamic loader of sleep opens files for a moment; an inherited
	 * descriptor would stay. */
	int extra = -1;
	for (int i = 0; i < 1000 && extra; i++) {
		extra = 0;
		for (int fd = 3; fd < 64; fd++) {
			snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
			extra += readlink(path, target, sizeof(target) - 1) >= 0;
		}
		if (extra)
			usleep(2000);
	}
	assert_int_equal(extra, 0);
	for (int fd = 0; fd <= 2; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
		ssize_t len = readlink(path, target, sizeof(target) - 1);
		assert_true(len > 0);
		target[len] = '\0';
		assert_string_equal(target, "/dev/null");
	}
	script_cancel(&job);

	signal(SIGPIPE, SIG_DFL);
	ev_signal_del(f->loop, SIGUSR2);
	unsetenv("KA_TEST_SECRET");
	close(42);
	close(leak);
}

static void test_user_switch(void **state)
{
	struct fx *f = *state;
	struct passwd *pw = getpwnam("nobody");
	if (geteuid() != 0 || !pw) {
		skip();
		return;
	}
	uid_t nobody = pw->pw_uid;
	char *out, *p = mkscript(f, "id.sh", "id -u > \"$1\"; id -G >> \"$1\"", 0755);
	assert_true(asprintf(&out, "%s/id.out", f->dir) > 0);
	int fd = open(out, O_CREAT | O_WRONLY | O_TRUNC, 0666);
	close(fd);
	chmod(out, 0666);
	char *argv[] = { p, out, NULL };
	char want[64];
	snprintf(want, sizeof(want), "%u\n%u\n", (unsigned)nobody, (unsigned)pw->pw_gid);

	/* the script's own user */
	struct ka_script s = { .cmd = p, .argv = argv, .user = "nobody" };
	struct result r = run_one(f, &s, NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(slurp(out), want);

	/* the default identity (script_user) */
	struct script_ident id;
	char why[128];
	assert_int_equal(script_default_ident("nobody", NULL, false, &id, why, sizeof(why)), 0);
	assert_int_equal(id.uid, nobody);
	struct ka_script s2 = { .cmd = p, .argv = argv };
	struct script_opts o = { .ident = &id };
	truncate(out, 0);
	r = run_one(f, &s2, NULL, &o);
	assert_int_equal(r.status, 0);
	assert_string_equal(slurp(out), want);

	/* no script_user: keepalived_script if it exists, else root */
	assert_int_equal(script_default_ident(NULL, NULL, false, &id, why, sizeof(why)), 0);
	if (!getpwnam("keepalived_script"))
		assert_int_equal(id.uid, 0);
	assert_int_equal(script_default_ident("no-such-user-ka", NULL, false, &id, why,
					      sizeof(why)), -1);
	assert_string_equal(why, "user 'no-such-user-ka' does not exist");
	assert_int_equal(script_ident_resolve("nobody", "no-such-group-ka", false, &id, why,
					      sizeof(why)), -1);
	assert_int_equal(script_ident_resolve("65534", "0", false, &id, why, sizeof(why)), 0);
	assert_int_equal(id.uid, 65534);
	assert_int_equal(id.gid, 0);
	free(out);
	free(p);
}

static void test_many(void **state)
{
	struct fx *f = *state;
	enum { N = 50 };
	struct script_job *refs[N] = { 0 };
	char argbuf[N][16];
	char *argv[] = { "sh", "-c", "sleep 0.2; exit $(($1 % 7))", "sh", NULL };
	struct ka_script s = { .cmd = "many", .argv = argv };
	struct result r = { .loop = f->loop, .want = N };

	for (int i = 0; i < N; i++) {
		snprintf(argbuf[i], sizeof(argbuf[i]), "%d", i);
		const char *extra[] = { argbuf[i], NULL };
		assert_int_equal(script_run(f->loop, &s, extra, NULL, done_cb, &r, &refs[i]), 0);
	}
	uint64_t t0 = mono_usec();
	assert_false(run_for(f->loop, 20 * 1000000ull));
	assert_int_equal(r.calls, N);
	/* they ran side by side, not one after another */
	assert_true(mono_usec() - t0 < 5 * 1000000ull);
	for (int i = 0; i < N; i++)
		assert_null(refs[i]);
}

/* Statuses per job: each job has its own callback argument. */
struct one {
	struct ev_loop *loop;
	int *left;
	int status;
	int calls;
};

static void one_cb(void *arg, int status, bool timed_out)
{
	struct one *o = arg;
	o->status = status;
	o->calls++;
	if (--*o->left == 0)
		ev_break(o->loop);
}

static void test_many_statuses(void **state)
{
	struct fx *f = *state;
	enum { N = 50 };
	struct one o[N];
	int left = N;
	char argbuf[N][16];
	char *argv[] = { "sh", "-c", "exit $(($1 % 7))", "sh", NULL };
	struct ka_script s = { .cmd = "many", .argv = argv };

	for (int i = 0; i < N; i++) {
		o[i] = (struct one){ .loop = f->loop, .left = &left };
		snprintf(argbuf[i], sizeof(argbuf[i]), "%d", i);
		const char *extra[] = { argbuf[i], NULL };
		assert_int_equal(script_run(f->loop, &s, extra, NULL, one_cb, &o[i], NULL), 0);
	}
	assert_false(run_for(f->loop, 20 * 1000000ull));
	for (int i = 0; i < N; i++) {
		assert_int_equal(o[i].calls, 1);
		assert_true(WIFEXITED(o[i].status));
		assert_int_equal(WEXITSTATUS(o[i].status), i % 7);
	}
}

/* ---- security ---- */

static int check(const char *path, uid_t run_as, char *why, size_t len)
{
	char *argv[] = { (char *)path, NULL };
	struct ka_script s = { .cmd = (char *)path, .argv = argv };
	why[0] = '\0';
	return script_check_security(&s, run_as, why, len);
}

static void test_security(void **state)
{
	struct fx *f = *state;
	char why[1024], want[1024], *p;
	if (geteuid() != 0 || strncmp(f->dir, "/run/", 5) != 0) {
		skip();
		return;
	}
	p = mkscript(f, "ok.sh", "exit 0", 0755);
	assert_int_equal(check(p, 0, why, sizeof(why)), 0);
	free(p);

	p = mkscript(f, "ww.sh", "exit 0", 0757);
	assert_int_equal(check(p, 0, why, sizeof(why)), -1);
	snprintf(want, sizeof(want), "%s: file %s is world-writable", p, p);
	assert_string_equal(why, want);
	assert_int_equal(check(p, 65534, why, sizeof(why)), 0); /* not run as root */
	free(p);

	p = mkscript(f, "gw.sh", "exit 0", 0775);
	assert_int_equal(check(p, 0, why, sizeof(why)), 0); /* root's group may write */
	assert_int_equal(chown(p, 0, 65534), 0);
	assert_int_equal(check(p, 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "gw.sh is writable by group"));
	free(p);

	p = mkscript(f, "own.sh", "exit 0", 0755);
	assert_int_equal(chown(p, 65534, 0), 0);
	assert_int_equal(check(p, 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "own.sh is owned by"));
	free(p);

	/* a world-writable and a group-writable directory above the script */
	char sub[128], real[160], link[160];
	snprintf(sub, sizeof(sub), "%s/wdir", f->dir);
	mkdir(sub, 0755);
	chmod(sub, 0777);
	snprintf(real, sizeof(real), "%s/x.sh", sub);
	int fd = open(real, O_CREAT | O_WRONLY, 0755);
	close(fd);
	assert_int_equal(check(real, 0, why, sizeof(why)), -1);
	snprintf(want, sizeof(want), "%s: directory %s is world-writable", real, sub);
	assert_string_equal(why, want);

	/* a secure link to it is not enough: the target's path counts too */
	snprintf(link, sizeof(link), "%s/link.sh", f->dir);
	assert_int_equal(symlink(real, link), 0);
	assert_int_equal(check(link, 0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "is world-writable"));

	chmod(sub, 0775);
	assert_int_equal(check(real, 0, why, sizeof(why)), 0);
	assert_int_equal(check(link, 0, why, sizeof(why)), 0);
	assert_int_equal(chown(sub, 0, 65534), 0);
	assert_int_equal(check(real, 0, why, sizeof(why)), -1);
	snprintf(want, sizeof(want), "%s: directory %s is writable by group", real, sub);
	assert_memory_equal(why, want, strlen(want));

	/* /tmp is world-writable (sticky or not) */
	char tmp[] = "/tmp/ka-sec-XXXXXX";
	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(check(tmp, 0, why, sizeof(why)), -1);
	snprintf(want, sizeof(want), "%s: directory /tmp is world-writable", tmp);
	assert_string_equal(why, want);
	unlink(tmp);

	/* found in PATH, and not found anywhere */
	assert_int_equal(check("sh", 0, why, sizeof(why)), 0);
	assert_int_equal(check("no-such-command-anywhere", 0, why, sizeof(why)), -1);
	assert_string_equal(why, "no-such-command-anywhere: not found");
	assert_int_equal(check("/nonexistent/x.sh", 0, why, sizeof(why)), -1);
}

static void test_security_gate(void **state)
{
	struct fx *f = *state;
	char *p = mkscript(f, "open.sh", "exit 0", 0777);
	char *argv[] = { p, NULL };
	struct ka_script s = { .cmd = p, .argv = argv };
	bool warned = false;

	assert_int_equal(script_security_gate(&s, 0, true, &warned, "VRRP_Script(x)"), -1);
	assert_non_null(strstr(f->log, "VRRP_Script(x): not run (enable_script_security)"));
	assert_false(warned);

	f->loglen = 0;
	f->log[0] = '\0';
	assert_int_equal(script_security_gate(&s, 0, false, &warned, "VRRP_Script(x)"), 0);
	assert_true(warned);
	assert_non_null(strstr(f->log, "SECURITY VIOLATION"));
	size_t len = f->loglen;
	assert_int_equal(script_security_gate(&s, 0, false, &warned, "VRRP_Script(x)"), 0);
	assert_int_equal(f->loglen, len); /* warned once only */
	assert_int_equal(script_security_gate(&s, 65534, true, &warned, "x"), 0);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exit_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_term, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_terminate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clean_child, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_statuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_security, setup, teardown),
		cmocka_unit_test_setup_teardown(test_security_gate, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
