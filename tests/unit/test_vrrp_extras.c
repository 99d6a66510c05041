/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vrrp_extras.c - timer_expired_backup lateness rule and garp_group spacing */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "vrrp/vrrp_fsm.h"
#include "vrrp/vrrp_garp_group.h"
#include "vrrp/vrrp_timer_late.h"

#define SEC 1000000ull

/* master-down of a v2 instance with a 1 s interval and 3 adverts */
static uint64_t down(uint8_t prio)
{
	return vrrp_master_down_us(2, prio, SEC, 3);
}

/* A master's advert timer (1 s) firing on time, or a little late, is fine;
 * once a backup of priority 100 would have taken over (3 s + skew), it is
 * too late. */
static void test_master_late(void **state)
{
	uint64_t t0 = 50 * SEC, other = down(100);

	(void)state;
	assert_false(vrrp_timer_late(true, t0 + SEC, t0, down(200), other));
	assert_false(vrrp_timer_late(true, t0 + 2 * SEC, t0, down(200), other));
	assert_false(vrrp_timer_late(true, t0 + other - 1, t0, down(200), other));
	assert_true(vrrp_timer_late(true, t0 + other, t0, down(200), other));
	assert_true(vrrp_timer_late(true, t0 + 10 * SEC, t0, down(200), other));
}

/* A backup that would have won the race (shorter interval) yields when it
 * runs after the other's interval; one with the longer interval never
 * does: the other's advert reaches it first when everyone is on time. */
static void test_backup_late(void **state)
{
	uint64_t t0 = 7 * SEC;

	(void)state;
	assert_false(vrrp_timer_late(false, t0 + down(200), t0, down(200), down(100)));
	assert_true(vrrp_timer_late(false, t0 + down(100), t0, down(200), down(100)));
	assert_false(vrrp_timer_late(false, t0 + down(50), t0, down(50), down(100)));
	assert_false(vrrp_timer_late(false, t0 + 20 * SEC, t0, down(50), down(100)));
	/* a clock that went nowhere (armed in the future) is never late */
	assert_false(vrrp_timer_late(true, t0, t0 + SEC, down(200), down(100)));
}

static void test_garp_group_wait(void **state)
{
	(void)state;
	assert_int_equal(vrrp_garp_group_wait(0, 500000, 123), 0);
	assert_int_equal(vrrp_garp_group_wait(10 * SEC, 500000, 10 * SEC), 500000);
	assert_int_equal(vrrp_garp_group_wait(10 * SEC, 500000, 10 * SEC + 200000), 300000);
	assert_int_equal(vrrp_garp_group_wait(10 * SEC, 500000, 10 * SEC + 500000), 0);
	assert_int_equal(vrrp_garp_group_wait(10 * SEC, 0, 10 * SEC), 0);
}

/* Without any garp_group the global interval stands. */
static void test_garp_group_none(void **state)
{
	(void)state;
	assert_int_equal(vrrp_garp_group_interval(NULL, "eth0", false, 4242), 4242);
	assert_int_equal(vrrp_garp_group_interval(NULL, "eth0", true, 17), 17);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_master_late),
		cmocka_unit_test(test_backup_late),
		cmocka_unit_test(test_garp_group_wait),
		cmocka_unit_test(test_garp_group_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
