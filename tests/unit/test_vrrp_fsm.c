/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vrrp_fsm.c - VRRP state machine table, election cases and timer math */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vrrp/vrrp_fsm.h"

#define B VRRP_STATE_BACKUP
#define M VRRP_STATE_MASTER
#define F VRRP_STATE_FAULT
#define I VRRP_STATE_INIT
#define S VRRP_STATE_STOP

#define A_ADOPT   VRRP_ACT_ADOPT_MASTER
#define A_RESETI  VRRP_ACT_RESET_ADVER_INT
#define A_ADV     VRRP_ACT_SEND_ADVERT
#define A_PRIO0   VRRP_ACT_SEND_PRIO0
#define A_DEL     VRRP_ACT_DEL_VIPS
#define A_ADD     VRRP_ACT_ADD_VIPS
#define A_GARP    VRRP_ACT_SEND_GARP
#define A_GARPLOW VRRP_ACT_GARP_LOWER_PRIO
#define A_STOP    VRRP_ACT_STOP_TIMER
#define A_DOWN    VRRP_ACT_START_MASTER_DOWN_TIMER
#define A_SKEW    VRRP_ACT_START_SKEW_TIMER
#define A_ADVT    VRRP_ACT_START_ADVER_TIMER
#define A_PDSTART VRRP_ACT_START_PREEMPT_DELAY
#define A_PDSTOP  VRRP_ACT_STOP_PREEMPT_DELAY
#define A_NOTIFY  VRRP_ACT_NOTIFY
#define A_RXLOW   VRRP_ACT_NOTIFY_RX_LOWER

/* What becoming master means, written out from the protocol: advert first,
 * then addresses and GARPs, then the advert timer and notifications. */
#define TO_MASTER (A_RESETI | A_ADV | A_ADD | A_GARP | A_ADVT | A_NOTIFY)

/* Default instance: priority 100, preempting, no delay, no options. */
static struct vrrp_fsm_input input_for(enum vrrp_event e)
{
	struct vrrp_fsm_input in = { .priority = 100, .preempt = true };

	in.adv_priority = e == VRRP_EV_RECV_HIGHER ? 150 : e == VRRP_EV_RECV_LOWER ? 50 : 0;
	return in;
}

struct expect {
	enum vrrp_state state;
	enum vrrp_event event;
	enum vrrp_state next;
	unsigned actions;
};

/* Every (state, event) pair with the default instance. */
static const struct expect golden[] = {
	{ I, VRRP_EV_STARTUP, B, A_DEL | A_RESETI | A_DOWN | A_PDSTOP | A_NOTIFY },
	{ I, VRRP_EV_PRIORITY_OWNER, M, TO_MASTER },
	{ I, VRRP_EV_MASTER_DOWN_TIMER, I, 0 },
	{ I, VRRP_EV_ADV_TIMER, I, 0 },
	{ I, VRRP_EV_RECV_HIGHER, I, 0 },
	{ I, VRRP_EV_RECV_LOWER, I, 0 },
	{ I, VRRP_EV_RECV_PRIO0, I, 0 },
	{ I, VRRP_EV_FAULT_DETECTED, F, A_DEL | A_STOP | A_NOTIFY },
	{ I, VRRP_EV_FAULT_CLEARED, I, 0 },
	{ I, VRRP_EV_SHUTDOWN, S, A_STOP | A_NOTIFY },
	{ I, VRRP_EV_FORCE_BACKUP, I, 0 },

	{ B, VRRP_EV_STARTUP, B, 0 },
	{ B, VRRP_EV_PRIORITY_OWNER, B, 0 },
	{ B, VRRP_EV_MASTER_DOWN_TIMER, M, TO_MASTER },
	{ B, VRRP_EV_ADV_TIMER, B, 0 },
	{ B, VRRP_EV_RECV_HIGHER, B, A_ADOPT | A_DOWN | A_PDSTOP },
	{ B, VRRP_EV_RECV_LOWER, B, 0 },          /* ignored: we will preempt */
	{ B, VRRP_EV_RECV_PRIO0, B, A_SKEW },
	{ B, VRRP_EV_FAULT_DETECTED, F, A_STOP | A_NOTIFY },
	{ B, VRRP_EV_FAULT_CLEARED, B, 0 },
	{ B, VRRP_EV_SHUTDOWN, S, A_STOP | A_NOTIFY },
	{ B, VRRP_EV_FORCE_BACKUP, B, 0 },

	{ M, VRRP_EV_STARTUP, M, 0 },
	{ M, VRRP_EV_PRIORITY_OWNER, M, 0 },
	{ M, VRRP_EV_MASTER_DOWN_TIMER, M, 0 },
	{ M, VRRP_EV_ADV_TIMER, M, A_ADV | A_ADVT },
	{ M, VRRP_EV_RECV_HIGHER, B, A_ADOPT | A_DEL | A_DOWN | A_PDSTOP | A_NOTIFY },
	{ M, VRRP_EV_RECV_LOWER, M, A_ADV | A_GARPLOW | A_RXLOW },
	{ M, VRRP_EV_RECV_PRIO0, M, A_ADV | A_ADVT },
	{ M, VRRP_EV_FAULT_DETECTED, F, A_PRIO0 | A_DEL | A_STOP | A_NOTIFY },
	{ M, VRRP_EV_FAULT_CLEARED, M, 0 },
	{ M, VRRP_EV_SHUTDOWN, S, A_PRIO0 | A_DEL | A_STOP | A_NOTIFY },
	{ M, VRRP_EV_FORCE_BACKUP, B, A_DEL | A_RESETI | A_DOWN | A_PDSTOP | A_NOTIFY },

	{ F, VRRP_EV_STARTUP, F, 0 },
	{ F, VRRP_EV_PRIORITY_OWNER, F, 0 },
	{ F, VRRP_EV_MASTER_DOWN_TIMER, F, 0 },
	{ F, VRRP_EV_ADV_TIMER, F, 0 },
	{ F, VRRP_EV_RECV_HIGHER, F, 0 },
	{ F, VRRP_EV_RECV_LOWER, F, 0 },
	{ F, VRRP_EV_RECV_PRIO0, F, 0 },
	{ F, VRRP_EV_FAULT_DETECTED, F, 0 },
	{ F, VRRP_EV_FAULT_CLEARED, B, A_RESETI | A_DOWN | A_PDSTOP | A_NOTIFY },
	{ F, VRRP_EV_SHUTDOWN, S, A_STOP | A_NOTIFY },
	{ F, VRRP_EV_FORCE_BACKUP, F, 0 },

	{ S, VRRP_EV_STARTUP, S, 0 },
	{ S, VRRP_EV_PRIORITY_OWNER, S, 0 },
	{ S, VRRP_EV_MASTER_DOWN_TIMER, S, 0 },
	{ S, VRRP_EV_ADV_TIMER, S, 0 },
	{ S, VRRP_EV_RECV_HIGHER, S, 0 },
	{ S, VRRP_EV_RECV_LOWER, S, 0 },
	{ S, VRRP_EV_RECV_PRIO0, S, 0 },
	{ S, VRRP_EV_FAULT_DETECTED, S, 0 },
	{ S, VRRP_EV_FAULT_CLEARED, S, 0 },
	{ S, VRRP_EV_SHUTDOWN, S, 0 },
	{ S, VRRP_EV_FORCE_BACKUP, S, 0 },
};

static const struct vrrp_fsm_transition *next(enum vrrp_state s, enum vrrp_event e,
					      const struct vrrp_fsm_input *in)
{
	const struct vrrp_fsm_transition *t = vrrp_fsm_next(s, e, in);

	assert_non_null(t);
	assert_int_equal(t->state, s);
	assert_int_equal(t->event, e);
	assert_non_null(t->why);
	return t;
}

static void expect_tr(const char *what, const struct vrrp_fsm_transition *t,
		      enum vrrp_state want_next, unsigned want_actions)
{
	if (t->next != want_next || t->actions != want_actions)
		fail_msg("%s: %s + %s -> %s actions %#x, want %s actions %#x", what,
			 vrrp_state_str(t->state), vrrp_event_str(t->event),
			 vrrp_state_str(t->next), t->actions, vrrp_state_str(want_next),
			 want_actions);
}

static void test_every_pair(void **state)
{
	bool covered[VRRP_STATE_MAX][VRRP_EV_MAX] = { { false } };

	assert_int_equal(sizeof(golden) / sizeof(golden[0]), VRRP_STATE_MAX * VRRP_EV_MAX);
	for (size_t i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		const struct expect *g = &golden[i];
		struct vrrp_fsm_input in = input_for(g->event);

		expect_tr("default instance", next(g->state, g->event, &in), g->next, g->actions);
		covered[g->state][g->event] = true;
	}
	for (int s = 0; s < VRRP_STATE_MAX; s++) {
		for (int e = 0; e < VRRP_EV_MAX; e++) {
			assert_true(covered[s][e]);
			/* without input every guard is false: still a row */
			next(s, e, NULL);
		}
	}
	assert_null(vrrp_fsm_next(VRRP_STATE_MAX, VRRP_EV_STARTUP, NULL));
	assert_null(vrrp_fsm_next(VRRP_STATE_BACKUP, VRRP_EV_MAX, NULL));
}

/* The table is total, has no unreachable rows, and every row can be hit. */
static void test_table_shape(void **state)
{
	size_t n, i, j;
	const struct vrrp_fsm_transition *t = vrrp_fsm_table(&n);
	bool *hit = calloc(n, sizeof(*hit));
	unsigned combo;

	assert_non_null(hit);
	for (i = 0; i < n; i++) {
		assert_true((unsigned)t[i].state < VRRP_STATE_MAX);
		assert_true((unsigned)t[i].event < VRRP_EV_MAX);
		assert_true((unsigned)t[i].next < VRRP_STATE_MAX);
		assert_true((unsigned)t[i].guard < VRRP_G_MAX);
		bool last = true;

		for (j = i + 1; j < n; j++)
			last &= !(t[j].state == t[i].state && t[j].event == t[i].event);
		if (t[i].guard == VRRP_G_ALWAYS)
			assert_true(last);       /* nothing after an unguarded row */
		if (last)
			assert_int_equal(t[i].guard, VRRP_G_ALWAYS);
		/* only these rows change nothing but the state, or nothing at all */
		if (t[i].next != t[i].state)
			assert_true(t[i].actions & VRRP_ACT_NOTIFY);
	}
	for (combo = 0; combo < 2 * 4 * 2 * 4 * 2 * 2 * 2 * 2; combo++) {
		static const uint8_t advp[] = { 0, 50, 100, 255 };
		struct vrrp_fsm_input in = {
			.priority = combo & 1 ? 255 : 100,
			.adv_priority = advp[(combo >> 1) & 3],
			.preempt = (combo >> 3) & 1,
			.preempt_delay = (enum vrrp_preempt_delay)((combo >> 4) & 3),
			.fault = (combo >> 6) & 1,
			.owner_ignore_adverts = (combo >> 7) & 1,
			.higher_prio_send_advert = (combo >> 8) & 1,
			.lower_prio_no_advert = (combo >> 9) & 1,
		};

		for (int s = 0; s < VRRP_STATE_MAX; s++)
			for (int e = 0; e < VRRP_EV_MAX; e++)
				hit[vrrp_fsm_next(s, e, &in) - t] = true;
	}
	for (i = 0; i < n; i++) {
		if (!hit[i])
			fail_msg("row %zu (%s + %s: %s) is never taken", i,
				 vrrp_state_str(t[i].state), vrrp_event_str(t[i].event), t[i].why);
	}
	free(hit);
}

/* ---- election cases ------------------------------------------------------ */

static void test_preempt(void **state)
{
	struct vrrp_fsm_input in = input_for(VRRP_EV_RECV_LOWER);

	/* preempting backup ignores a lower master, then times out to MASTER */
	expect_tr("preempt", next(B, VRRP_EV_RECV_LOWER, &in), B, 0);
	expect_tr("preempt", next(B, VRRP_EV_MASTER_DOWN_TIMER, &in), M, TO_MASTER);
	/* nopreempt: the lower master is accepted and the timer restarted */
	in.preempt = false;
	expect_tr("nopreempt", next(B, VRRP_EV_RECV_LOWER, &in), B, A_ADOPT | A_DOWN);
	/* nopreempt does not stop a higher priority from taking over */
	in = input_for(VRRP_EV_RECV_HIGHER);
	in.preempt = false;
	expect_tr("nopreempt higher", next(M, VRRP_EV_RECV_HIGHER, &in), B,
		  A_ADOPT | A_DEL | A_DOWN | A_PDSTOP | A_NOTIFY);
}

static void test_preempt_delay(void **state)
{
	struct vrrp_fsm_input in = input_for(VRRP_EV_RECV_LOWER);

	in.preempt_delay = VRRP_PD_IDLE;
	expect_tr("delay idle", next(B, VRRP_EV_RECV_LOWER, &in), B,
		  A_ADOPT | A_DOWN | A_PDSTART);
	in.preempt_delay = VRRP_PD_RUNNING;
	expect_tr("delay running", next(B, VRRP_EV_RECV_LOWER, &in), B, A_ADOPT | A_DOWN);
	in.preempt_delay = VRRP_PD_EXPIRED;
	expect_tr("delay expired", next(B, VRRP_EV_RECV_LOWER, &in), B, 0);
	/* a higher master stops the delay; nopreempt wins over the delay */
	in = input_for(VRRP_EV_RECV_HIGHER);
	in.preempt_delay = VRRP_PD_RUNNING;
	expect_tr("delay, higher", next(B, VRRP_EV_RECV_HIGHER, &in), B,
		  A_ADOPT | A_DOWN | A_PDSTOP);
	in = input_for(VRRP_EV_RECV_LOWER);
	in.preempt = false;
	in.preempt_delay = VRRP_PD_IDLE;
	expect_tr("nopreempt + delay", next(B, VRRP_EV_RECV_LOWER, &in), B, A_ADOPT | A_DOWN);
}

static void test_equal_priority(void **state)
{
	struct ka_addr lo, hi;
	struct vrrp_fsm_input in = { .priority = 100, .adv_priority = 100, .preempt = true };

	ka_addr_parse("10.0.0.1", false, &lo);
	ka_addr_parse("10.0.0.2", false, &hi);
	/* master: the higher primary address wins the tie */
	assert_int_equal(vrrp_fsm_rx_event(100, 100, vrrp_fsm_addr_cmp(&hi, &lo)),
			 VRRP_EV_RECV_HIGHER);
	assert_int_equal(vrrp_fsm_rx_event(100, 100, vrrp_fsm_addr_cmp(&lo, &hi)),
			 VRRP_EV_RECV_LOWER);
	expect_tr("tie lost", next(M, VRRP_EV_RECV_HIGHER, &in), B,
		  A_ADOPT | A_DEL | A_DOWN | A_PDSTOP | A_NOTIFY);
	expect_tr("tie won", next(M, VRRP_EV_RECV_LOWER, &in), M,
		  A_ADV | A_GARPLOW | A_RXLOW);
	/* backup: an equal master is accepted whatever the addresses
	 * (RFC 5798 6.4.2), so equal peers do not preempt each other */
	expect_tr("backup tie", next(B, VRRP_EV_RECV_LOWER, &in), B,
		  A_ADOPT | A_DOWN | A_PDSTOP);
	expect_tr("backup tie", next(B, VRRP_EV_RECV_HIGHER, &in), B,
		  A_ADOPT | A_DOWN | A_PDSTOP);
}

static void test_rx_event(void **state)
{
	assert_int_equal(vrrp_fsm_rx_event(0, 100, 1), VRRP_EV_RECV_PRIO0);
	assert_int_equal(vrrp_fsm_rx_event(0, 1, 0), VRRP_EV_RECV_PRIO0);
	assert_int_equal(vrrp_fsm_rx_event(101, 100, -1), VRRP_EV_RECV_HIGHER);
	assert_int_equal(vrrp_fsm_rx_event(99, 100, 1), VRRP_EV_RECV_LOWER);
	assert_int_equal(vrrp_fsm_rx_event(100, 100, 0), VRRP_EV_RECV_LOWER);
	assert_int_equal(vrrp_fsm_rx_event(255, 254, -1), VRRP_EV_RECV_HIGHER);
}

static void test_addr_cmp(void **state)
{
	struct ka_addr a, b;

	/* compared as numbers, not as host-order words */
	ka_addr_parse("10.0.0.255", false, &a);
	ka_addr_parse("10.0.1.0", false, &b);
	assert_true(vrrp_fsm_addr_cmp(&a, &b) < 0);
	assert_true(vrrp_fsm_addr_cmp(&b, &a) > 0);
	ka_addr_parse("9.255.255.255", false, &b);
	assert_true(vrrp_fsm_addr_cmp(&a, &b) > 0);
	assert_int_equal(vrrp_fsm_addr_cmp(&a, &a), 0);
	ka_addr_parse("fe80::1:0", false, &a);
	ka_addr_parse("fe80::ff", false, &b);
	assert_true(vrrp_fsm_addr_cmp(&a, &b) > 0);
	ka_addr_parse("10.0.0.1", false, &b);
	assert_true(vrrp_fsm_addr_cmp(&b, &a) < 0);
	assert_true(vrrp_fsm_addr_cmp(&a, &b) > 0);
}

static void test_owner(void **state)
{
	struct vrrp_fsm_input in = { .priority = 255, .preempt = true };

	assert_int_equal(vrrp_fsm_startup_event(true, 255), VRRP_EV_PRIORITY_OWNER);
	assert_int_equal(vrrp_fsm_startup_event(false, 255), VRRP_EV_STARTUP);
	assert_int_equal(vrrp_fsm_startup_event(true, 254), VRRP_EV_STARTUP);
	/* the owner is MASTER at once; with a fault it waits in FAULT */
	expect_tr("owner start", next(I, VRRP_EV_PRIORITY_OWNER, &in), M, TO_MASTER);
	in.fault = true;
	expect_tr("owner fault", next(I, VRRP_EV_PRIORITY_OWNER, &in), F,
		  A_DEL | A_STOP | A_NOTIFY);
	expect_tr("fault start", next(I, VRRP_EV_STARTUP, &in), F, A_DEL | A_STOP | A_NOTIFY);
	in.fault = false;
	/* leaving FAULT goes through BACKUP even for the owner */
	expect_tr("owner fault cleared", next(F, VRRP_EV_FAULT_CLEARED, &in), B,
		  A_RESETI | A_DOWN | A_PDSTOP | A_NOTIFY);
	/* two owners: ours drops to 254 and yields */
	in.adv_priority = 255;
	expect_tr("two owners", next(M, VRRP_EV_RECV_HIGHER, &in), B,
		  VRRP_ACT_LOWER_OWNER_PRIO | A_ADOPT | A_DEL | A_DOWN | A_PDSTOP | A_NOTIFY);
	expect_tr("two owners", next(M, VRRP_EV_RECV_LOWER, &in), B,
		  VRRP_ACT_LOWER_OWNER_PRIO | A_ADOPT | A_DEL | A_DOWN | A_PDSTOP | A_NOTIFY);
	/* owner_ignore_adverts: deaf while owner, in either state */
	in.owner_ignore_adverts = true;
	for (int e = VRRP_EV_RECV_HIGHER; e <= VRRP_EV_RECV_PRIO0; e++) {
		expect_tr("owner ignores", next(M, e, &in), M, 0);
		expect_tr("owner ignores", next(B, e, &in), B, 0);
	}
	/* ... but not once it is no longer the owner */
	in.priority = 254;
	in.adv_priority = 255;
	expect_tr("ex-owner", next(M, VRRP_EV_RECV_HIGHER, &in), B,
		  A_ADOPT | A_DEL | A_DOWN | A_PDSTOP | A_NOTIFY);
}

static void test_master_options(void **state)
{
	struct vrrp_fsm_input in = input_for(VRRP_EV_RECV_HIGHER);

	in.higher_prio_send_advert = true;
	expect_tr("higher_prio_send_advert", next(M, VRRP_EV_RECV_HIGHER, &in), B,
		  A_ADV | A_ADOPT | A_DEL | A_DOWN | A_PDSTOP | A_NOTIFY);
	in = input_for(VRRP_EV_RECV_LOWER);
	in.lower_prio_no_advert = true;
	expect_tr("lower_prio_no_advert", next(M, VRRP_EV_RECV_LOWER, &in), M,
		  A_GARPLOW | A_RXLOW);
	in.higher_prio_send_advert = true;   /* irrelevant for lower adverts */
	expect_tr("lower_prio_no_advert", next(M, VRRP_EV_RECV_LOWER, &in), M,
		  A_GARPLOW | A_RXLOW);
}

/* The documented execution order is the bit order. */
static void test_action_order(void **state)
{
	assert_true(VRRP_ACT_LOWER_OWNER_PRIO < VRRP_ACT_ADOPT_MASTER);
	assert_true(VRRP_ACT_ADOPT_MASTER < VRRP_ACT_SEND_ADVERT);
	assert_true(VRRP_ACT_RESET_ADVER_INT < VRRP_ACT_SEND_ADVERT);
	assert_true(VRRP_ACT_SEND_ADVERT < VRRP_ACT_ADD_VIPS);
	assert_true(VRRP_ACT_SEND_PRIO0 < VRRP_ACT_DEL_VIPS);
	assert_true(VRRP_ACT_ADD_VIPS < VRRP_ACT_SEND_GARP);
	assert_true(VRRP_ACT_SEND_GARP < VRRP_ACT_START_ADVER_TIMER);
	assert_true(VRRP_ACT_STOP_TIMER < VRRP_ACT_START_MASTER_DOWN_TIMER);
	assert_true(VRRP_ACT_START_ADVER_TIMER < VRRP_ACT_NOTIFY);
}

static void test_names(void **state)
{
	for (int i = 0; i < VRRP_STATE_MAX; i++)
		for (int j = 0; j < i; j++)
			assert_string_not_equal(vrrp_state_str(i), vrrp_state_str(j));
	for (int i = 0; i < VRRP_EV_MAX; i++)
		for (int j = 0; j < i; j++)
			assert_string_not_equal(vrrp_event_str(i), vrrp_event_str(j));
	assert_string_equal(vrrp_state_str(VRRP_STATE_MASTER), "MASTER");
	assert_string_equal(vrrp_state_str(VRRP_STATE_BACKUP), "BACKUP");
	assert_string_equal(vrrp_state_str(VRRP_STATE_FAULT), "FAULT");
	assert_string_equal(vrrp_state_str(VRRP_STATE_MAX), "UNKNOWN");
	assert_string_equal(vrrp_event_str(VRRP_EV_MASTER_DOWN_TIMER), "master-down timer");
	assert_string_equal(vrrp_event_str(VRRP_EV_MAX), "unknown");
}

/* ---- timers -------------------------------------------------------------- */

static void test_timers(void **state)
{
	/* v2: (256 - prio) / 256 s, whatever the interval */
	assert_int_equal(vrrp_skew_us(2, 100, 1000000), 609375);
	assert_int_equal(vrrp_skew_us(2, 100, 5000000), 609375);
	assert_int_equal(vrrp_master_down_us(2, 100, 1000000, 3), 3609375);
	assert_int_equal(vrrp_skew_us(2, 255, 1000000), 3906);     /* 3906.25 */
	assert_int_equal(vrrp_skew_us(2, 1, 1000000), 996093);     /* 996093.75 */
	assert_int_equal(vrrp_master_down_us(2, 255, 1000000, 3), 3003906);
	assert_int_equal(vrrp_master_down_us(2, 100, 2000000, 1), 2609375);
	/* v3: (256 - prio) * master_adver_int / 256 */
	assert_int_equal(vrrp_skew_us(3, 100, 1000000), 609375);
	assert_int_equal(vrrp_skew_us(3, 100, 2000000), 1218750);
	assert_int_equal(vrrp_master_down_us(3, 100, 2000000, 3), 7218750);
	assert_int_equal(vrrp_skew_us(3, 1, 30000), 29882);        /* 29882.8 */
	assert_int_equal(vrrp_skew_us(3, 120, 500000), 265625);
	assert_int_equal(vrrp_master_down_us(3, 120, 500000, 3), 1765625);
	assert_int_equal(vrrp_master_down_us(3, 1, 40950000, 100), 4135790039ull);
	/* priority 0 advert: the down timer becomes the skew alone */
	assert_int_equal(vrrp_skew_us(3, 254, 10000), 78);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_preempt),
		cmocka_unit_test(test_preempt_delay),
		cmocka_unit_test(test_equal_priority),
		cmocka_unit_test(test_rx_event),
		cmocka_unit_test(test_addr_cmp),
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_master_options),
		cmocka_unit_test(test_action_order),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_timers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
