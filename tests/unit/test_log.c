/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_log.c - logging: rate limiter, facilities, formatting, console and file output */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
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

#include "log.h"
#include "util.h"

struct capture {
	int prio[32];
	char line[32][2048];
	size_t n;
};

static void capture_sink(int prio, const char *line, void *arg)
{
	struct capture *c = arg;
	assert_true(c->n < ARRAY_SIZE(c->line));
	c->prio[c->n] = prio;
	snprintf(c->line[c->n], sizeof(c->line[0]), "%s", line);
	c->n++;
}

static int setup_sink(void **state)
{
	struct capture *c = calloc(1, sizeof(*c));
	struct log_opts o = { .no_syslog = true };
	log_init("Keepalived_test", &o);
	log_set_sink(capture_sink, c);
	*state = c;
	return 0;
}

static int teardown_sink(void **state)
{
	log_set_sink(NULL, NULL);
	log_close();
	free(*state);
	return 0;
}

/* ---- rate limiter (pure) ---- */

static void test_rl_windows(void **state)
{
	struct log_rl rl = { 0 };
	unsigned rep = 99;
	const uint64_t t0 = 10000000;

	/* Burst of 3 per 1000 µs. */
	for (int i = 0; i < 3; i++) {
		assert_true(log_rl_allow(&rl, t0 + (uint64_t)i, 3, 1000, &rep));
		assert_int_equal(rep, 0);
	}
	assert_false(log_rl_allow(&rl, t0 + 10, 3, 1000, &rep));
	assert_false(log_rl_allow(&rl, t0 + 500, 3, 1000, &rep));
	assert_false(log_rl_allow(&rl, t0 + 999, 3, 1000, &rep));
	assert_int_equal(rep, 0);
	assert_int_equal(rl.suppressed, 3);

	/* The next window opens: the message goes out and the count of the
	 * suppressed ones is reported exactly once. */
	assert_true(log_rl_allow(&rl, t0 + 1000, 3, 1000, &rep));
	assert_int_equal(rep, 3);
	assert_true(log_rl_allow(&rl, t0 + 1001, 3, 1000, &rep));
	assert_int_equal(rep, 0);
	assert_true(log_rl_allow(&rl, t0 + 1002, 3, 1000, &rep));
	assert_false(log_rl_allow(&rl, t0 + 1003, 3, 1000, &rep));
	assert_int_equal(rep, 0);

	/* A long quiet gap: one window with a suppression, then nothing. */
	assert_true(log_rl_allow(&rl, t0 + 50000, 3, 1000, &rep));
	assert_int_equal(rep, 1);
	assert_true(log_rl_allow(&rl, t0 + 60000, 3, 1000, &rep));
	assert_int_equal(rep, 0); /* previous window had none suppressed */

	/* Reset by zeroing: a fresh burst is allowed. */
	memset(&rl, 0, sizeof(rl));
	for (int i = 0; i < 3; i++)
		assert_true(log_rl_allow(&rl, t0 + 60001, 3, 1000, &rep));
	assert_false(log_rl_allow(&rl, t0 + 60001, 3, 1000, &rep));
}

static void test_rl_msg_reports(void **state)
{
	struct capture *c = *state;
	struct log_rl rl = { 0 };
	for (int i = 0; i < 15; i++)
		log_rl_msg(&rl, LOG_WARNING, "bad packet %d", i);
	assert_int_equal(c->n, 10);
	assert_string_equal(c->line[0], "bad packet 0");
	assert_string_equal(c->line[9], "bad packet 9");
	assert_int_equal(c->prio[0], LOG_WARNING);

	/* Pretend the 5 s window is over. */
	rl.window_start -= 5000001;
	log_rl_msg(&rl, LOG_WARNING, "bad packet %d", 15);
	assert_int_equal(c->n, 12);
	assert_string_equal(c->line[10], "5 similar messages suppressed");
	assert_string_equal(c->line[11], "bad packet 15");
	log_rl_msg(&rl, LOG_WARNING, "bad packet %d", 16);
	assert_int_equal(c->n, 13);
	assert_string_equal(c->line[12], "bad packet 16");
}

/* ---- facility names ---- */

static void test_facility_parse(void **state)
{
	assert_int_equal(log_facility_parse("0"), LOG_LOCAL0);
	assert_int_equal(log_facility_parse("7"), LOG_LOCAL7);
	assert_int_equal(log_facility_parse("local0"), LOG_LOCAL0);
	assert_int_equal(log_facility_parse("local3"), LOG_LOCAL3);
	assert_int_equal(log_facility_parse("local7"), LOG_LOCAL7);
	assert_int_equal(log_facility_parse("user"), LOG_USER);
	assert_int_equal(log_facility_parse("daemon"), LOG_DAEMON);
	const char *bad[] = { "8", "local8", "", "local", "07", "-1", "daemonx", "Local1",
			      "local1x", "kern", " 1" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(log_facility_parse(bad[i]), -1);
	assert_int_equal(log_facility_parse(NULL), -1);
}

/* ---- formatting through the sink ---- */

static void test_sink_formatting(void **state)
{
	struct capture *c = *state;
	log_info("(%s) entering %s state", "VI_1", "MASTER");
	log_notice("trailing newlines go\n\n");
	log_warnx("warn %d", 42);
	log_msg(LOG_ERR, "err");
	assert_int_equal(c->n, 4);
	assert_string_equal(c->line[0], "(VI_1) entering MASTER state");
	assert_int_equal(c->prio[0], LOG_INFO);
	assert_string_equal(c->line[1], "trailing newlines go");
	assert_int_equal(c->prio[1], LOG_NOTICE);
	assert_string_equal(c->line[2], "warn 42");
	assert_int_equal(c->prio[2], LOG_WARNING);
	assert_int_equal(c->prio[3], LOG_ERR);

	/* Far over the line limit: cut, never overflowing. */
	char *big = malloc(5000);
	memset(big, 'a', 4999);
	big[4999] = '\0';
	log_info("%s|end", big);
	free(big);
	assert_int_equal(c->n, 5);
	size_t len = strlen(c->line[4]);
	assert_true(len >= 900 && len < 1100);
	assert_null(strstr(c->line[4], "|end"));
	assert_int_equal(strspn(c->line[4], "a"), len);
}

/* Held messages wait for the release, keep their order and priority, nest,
 * and a full hold flushes what it has instead of dropping anything. */
static void test_hold_release(void **state)
{
	struct capture *c = *state;
	log_hold();
	log_info("one");
	log_warnx("two");
	log_hold();
	log_info("three");
	log_release();
	assert_int_equal(c->n, 0);
	log_release();
	assert_int_equal(c->n, 3);
	assert_string_equal(c->line[0], "one");
	assert_string_equal(c->line[1], "two");
	assert_int_equal(c->prio[1], LOG_WARNING);
	assert_string_equal(c->line[2], "three");
	log_release(); /* unbalanced: harmless */
	log_info("direct");
	assert_int_equal(c->n, 4);

	c->n = 0;
	log_hold();
	for (int i = 0; i < 17; i++)
		log_info("m%d", i);
	assert_int_equal(c->n, 16); /* the 17th found the hold full */
	assert_string_equal(c->line[15], "m15");
	log_release();
	assert_int_equal(c->n, 17);
	assert_string_equal(c->line[16], "m16");
}

static void test_debug_gated(void **state)
{
	struct capture *c = *state;
	log_set_detail(false);
	assert_false(log_detail());
	log_debug("hidden %d", 1);
	log_msg(LOG_DEBUG, "hidden too");
	assert_int_equal(c->n, 0);
	log_set_detail(true);
	assert_true(log_detail());
	log_debug("shown %d", 2);
	assert_int_equal(c->n, 1);
	assert_string_equal(c->line[0], "shown 2");
	assert_int_equal(c->prio[0], LOG_DEBUG);
	log_set_detail(false);
}

static void test_warn_strerror(void **state)
{
	struct capture *c = *state;
	errno = ENOENT;
	log_warn("cannot open %s", "/x");
	assert_int_equal(errno, ENOENT);
	assert_int_equal(c->n, 1);
	char want[256];
	snprintf(want, sizeof(want), "cannot open /x: %s", strerror(ENOENT));
	assert_string_equal(c->line[0], want);
	assert_non_null(strstr(c->line[0], "No such file or directory"));
	/* The newline goes before the error text is added. */
	errno = EACCES;
	log_warn("denied\n");
	snprintf(want, sizeof(want), "denied: %s", strerror(EACCES));
	assert_string_equal(c->line[1], want);
}

/* ---- real destinations ---- */

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = calloc(1, 8192);
	size_t n = fread(buf, 1, 8191, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void check_file_line(const char *text, const char *ident, const char *msg)
{
	char want[256];
	snprintf(want, sizeof(want), " %s[%ld]: %s\n", ident, (long)getpid(), msg);
	const char *hit = strstr(text, want);
	assert_non_null(hit);
	/* "YYYY-MM-DD HH:MM:SS.uuuuuu" precedes the ident. */
	const char *bol = hit;
	while (bol > text && bol[-1] != '\n')
		bol--;
	assert_int_equal(hit - bol, 26);
	assert_true(bol[4] == '-' && bol[10] == ' ' && bol[19] == '.');
}

static void test_file_suffix(void **state)
{
	char dir[] = "/tmp/test_log.XXXXXX"; /* the dot is in the directory name */
	char path[256], got[300];
	assert_non_null(mkdtemp(dir));

	snprintf(path, sizeof(path), "%s/ka.log", dir);
	struct log_opts o = { .no_syslog = true, .file = path, .suffix = "_vrrp" };
	log_init("Keepalived_vrrp", &o);
	log_info("hello %s", "file");
	log_close();
	log_init("Keepalived_vrrp", &o); /* appends, does not truncate */
	log_info("second");
	log_close();
	snprintf(got, sizeof(got), "%s/ka_vrrp.log", dir);
	char *text = read_file(got);
	assert_non_null(text);
	check_file_line(text, "Keepalived_vrrp", "hello file");
	check_file_line(text, "Keepalived_vrrp", "second");
	free(text);
	unlink(got);
	assert_int_equal(access(path, F_OK), -1); /* not the unsuffixed name */

	/* No dot in the base name: appended. */
	snprintf(path, sizeof(path), "%s/kalog", dir);
	o.suffix = "_healthcheckers";
	log_init("Keepalived_healthcheckers", &o);
	log_info("check");
	log_close();
	snprintf(got, sizeof(got), "%s/kalog_healthcheckers", dir);
	text = read_file(got);
	assert_non_null(text);
	check_file_line(text, "Keepalived_healthcheckers", "check");
	free(text);
	unlink(got);

	/* The parent has no suffix. */
	o.suffix = NULL;
	log_init("Keepalived", &o);
	log_info("parent");
	log_close();
	text = read_file(path);
	assert_non_null(text);
	check_file_line(text, "Keepalived", "parent");
	free(text);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

/* Run fn in a child whose stderr is a pipe; return what it wrote and its
 * wait status. */
static char *child_stderr(void (*fn)(void), int *status, pid_t *pid_out)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		close(p[1]);
		fn();
		_exit(0);
	}
	close(p[1]);
	char *buf = calloc(1, 4096);
	size_t n = 0;
	ssize_t r;
	while (n < 4095 && (r = read(p[0], buf + n, 4095 - n)) > 0)
		n += (size_t)r;
	close(p[0]);
	assert_int_equal(waitpid(pid, status, 0), pid);
	*pid_out = pid;
	return buf;
}

static void console_child(void)
{
	struct log_opts o = { .console = true, .no_syslog = true };
	log_set_sink(NULL, NULL);
	log_init("Keepalived_vrrp", &o);
	log_info("message");
	log_debug("not shown");
	log_close();
}

static void fatalx_child(void)
{
	struct log_opts o = { .console = true, .no_syslog = true };
	log_set_sink(NULL, NULL);
	log_init("Keepalived", &o);
	fatalx(3, "cannot go on: %s", "boom");
}

static void fatal_child(void)
{
	struct log_opts o = { .console = true, .no_syslog = true };
	log_set_sink(NULL, NULL);
	log_init("Keepalived", &o);
	errno = EPERM;
	fatal(4, "setsockopt");
}

static void test_console_and_fatal(void **state)
{
	int status;
	pid_t pid;
	char want[256];

	char *out = child_stderr(console_child, &status, &pid);
	snprintf(want, sizeof(want), "Keepalived_vrrp[%ld]: message\n", (long)pid);
	assert_string_equal(out, want);
	free(out);

	out = child_stderr(fatalx_child, &status, &pid);
	snprintf(want, sizeof(want), "Keepalived[%ld]: cannot go on: boom\n", (long)pid);
	assert_string_equal(out, want);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);
	free(out);

	out = child_stderr(fatal_child, &status, &pid);
	snprintf(want, sizeof(want), "Keepalived[%ld]: setsockopt: %s\n", (long)pid,
		 strerror(EPERM));
	assert_string_equal(out, want);
	assert_int_equal(WEXITSTATUS(status), 4);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rl_windows),
		cmocka_unit_test_setup_teardown(test_rl_msg_reports, setup_sink, teardown_sink),
		cmocka_unit_test(test_facility_parse),
		cmocka_unit_test_setup_teardown(test_sink_formatting, setup_sink, teardown_sink),
		cmocka_unit_test_setup_teardown(test_hold_release, setup_sink, teardown_sink),
		cmocka_unit_test_setup_teardown(test_debug_gated, setup_sink, teardown_sink),
		cmocka_unit_test_setup_teardown(test_warn_strerror, setup_sink, teardown_sink),
		cmocka_unit_test(test_file_suffix),
		cmocka_unit_test(test_console_and_fatal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
