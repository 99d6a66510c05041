/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_json_sysctl.c - the dumps' JSON string escaping and the integer sysctl file helpers */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "json.h"
#include "sysctl.h"

/* What json_str writes for s, in a buffer the caller frees. */
static char *json_of(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	json_str(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void expect_json(const char *s, const char *want)
{
	char *got = json_of(s);

	assert_string_equal(got, want);
	free(got);
}

static void test_json_str(void **state)
{
	(void)state;
	expect_json("VI_1", "\"VI_1\"");
	expect_json("", "\"\"");
	expect_json(NULL, "\"\"");
	expect_json("a\"b\\c", "\"a\\\"b\\\\c\"");
	expect_json("t\tn\n\x1f\x7f", "\"t\\u0009n\\u000a\\u001f\\u007f\"");
	/* bytes above 0x7f (UTF-8) pass as they are */
	expect_json("caf\xc3\xa9", "\"caf\xc3\xa9\"");
}

/* A scratch file standing for a /proc/sys entry, removed by the caller. */
static void scratch(char *path, size_t len, const char *content)
{
	int fd;

	snprintf(path, len, "%s/ka-sysctl-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
}

static void test_sysctl_read_write(void **state)
{
	char path[256], buf[16] = "";
	int val = -7;
	FILE *f;

	(void)state;
	scratch(path, sizeof(path), "2\n");
	assert_int_equal(sysctl_read_int(path, &val), 0);
	assert_int_equal(val, 2);
	assert_int_equal(sysctl_write_int(path, -1), 0);
	f = fopen(path, "re");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "-1\n");
	assert_int_equal(sysctl_read_int(path, &val), 0);
	assert_int_equal(val, -1);
	unlink(path);
}

static void test_sysctl_errors(void **state)
{
	char path[256];
	int val = 5;

	(void)state;
	scratch(path, sizeof(path), "");
	assert_int_equal(sysctl_read_int(path, &val), -EIO);
	assert_int_equal(val, 5);
	unlink(path);
	assert_int_equal(sysctl_read_int(path, &val), -ENOENT);
	assert_int_equal(sysctl_write_int(path, 1), -ENOENT);
	assert_int_equal(access(path, F_OK), -1); /* a write never creates the file */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_sysctl_read_write),
		cmocka_unit_test(test_sysctl_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
