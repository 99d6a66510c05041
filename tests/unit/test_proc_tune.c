/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_proc_tune.c - CPU lists of *_cpu_affinity */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "daemon/proc_tune.h"

static void test_lists(void **state)
{
	cpu_set_t s;

	assert_int_equal(proc_tune_cpus("0-2,5", &s), 0);
	assert_int_equal(CPU_COUNT(&s), 4);
	assert_true(CPU_ISSET(0, &s) && CPU_ISSET(2, &s) && CPU_ISSET(5, &s));
	assert_false(CPU_ISSET(3, &s));
	assert_int_equal(proc_tune_cpus("7", &s), 0);
	assert_int_equal(CPU_COUNT(&s), 1);
	assert_true(CPU_ISSET(7, &s));
	assert_int_equal(proc_tune_cpus("1 3,,4", &s), 0);
	assert_int_equal(CPU_COUNT(&s), 3);
}

static void test_bad_lists(void **state)
{
	cpu_set_t s;
	const char *bad[] = { "", ",", "a", "1-", "-1", "3-1", "1x", "1-2-3", "99999",
			      "1024", "0-1024", "1,b" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (proc_tune_cpus(bad[i], &s) == 0)
			fail_msg("'%s' accepted", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_bad_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
