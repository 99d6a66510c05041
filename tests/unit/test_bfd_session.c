/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_bfd_session.c - BFD session state machine and timers, driven by packets and a fake clock */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/bfd_session.h"

#define T0 1000000000ull   /* the fake clock starts here (µs) */
#define SEC 1000000u

/* Like side a of the keepalived capture in test_bfd_packet.c: min_rx 50,
 * min_tx 40, idle_tx 1000, multiplier 3. */
static const struct bfd_session_cfg cfg_a = {
	.min_tx = 40000, .min_rx = 50000, .idle_tx = 1000000, .mult = 3,
};
/* Like side b: min_rx 100, min_tx 100, idle_tx 2000, multiplier 5, passive. */
static const struct bfd_session_cfg cfg_b = {
	.min_tx = 100000, .min_rx = 100000, .idle_tx = 2000000, .mult = 5, .passive = true,
};

#define PEER_DISC 0x0badcafeu
#define LOCAL_DISC 0x1234u

/* A packet from a peer whose timers are 100 ms, multiplier 5. */
static struct bfd_pkt peer_pkt(uint8_t state, uint32_t your_disc)
{
	struct bfd_pkt p = {
		.state = state, .detect_mult = 5, .my_disc = PEER_DISC, .your_disc = your_disc,
		.des_min_tx = 100000, .req_min_rx = 100000,
	};

	return p;
}

static unsigned rx_state(struct bfd_session *s, uint8_t state, uint64_t now)
{
	struct bfd_pkt p = peer_pkt(state, state == BFD_STATE_DOWN ? 0 : s->local_disc);

	return bfd_session_rx(s, &p, now);
}

/* A session in Down whose diagnostic is "Control Detection Time Expired", so
 * that the table's "keep the diagnostic" entries can be told from clears. */
static void down_after_expiry(struct bfd_session *s)
{
	bfd_session_init(s, &cfg_a, LOCAL_DISC);
	rx_state(s, BFD_STATE_DOWN, T0);
	assert_int_equal(s->state, BFD_STATE_INIT);
	assert_true(bfd_session_expire(s, s->detect_at));
	assert_int_equal(s->state, BFD_STATE_DOWN);
	assert_int_equal(s->diag, BFD_DIAG_DETECT_EXPIRED);
}

static void session_in(struct bfd_session *s, uint8_t state)
{
	down_after_expiry(s);
	if (state == BFD_STATE_INIT)
		rx_state(s, BFD_STATE_DOWN, T0 + SEC);
	else if (state == BFD_STATE_UP)
		rx_state(s, BFD_STATE_INIT, T0 + SEC);
	assert_int_equal(s->state, state);
}

static void test_init(void **state)
{
	struct bfd_session s;
	struct bfd_session_cfg c = cfg_a;

	(void)state;
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	assert_int_equal(s.state, BFD_STATE_DOWN);
	assert_int_equal(s.diag, BFD_DIAG_NONE);
	assert_int_equal(s.local_disc, LOCAL_DISC);
	assert_int_equal(s.remote_disc, 0);
	assert_int_equal(s.remote_min_rx, 1);
	assert_int_equal(s.des_min_tx, SEC);
	assert_int_equal(s.adv_min_tx, SEC);
	assert_int_equal(s.req_min_rx, 50000);
	assert_int_equal(s.adv_min_rx, 50000);
	assert_false(s.polling);
	assert_int_equal(s.detect_at, 0);
	assert_int_equal(s.tx_at, 0);
	assert_int_equal(bfd_session_detect_time(&s), 0);
	assert_int_equal(bfd_session_tx_interval(&s), SEC);
	assert_true(bfd_session_may_send(&s));

	/* While not Up, never advertise less than one second ... */
	c.idle_tx = 300000;
	bfd_session_init(&s, &c, LOCAL_DISC);
	assert_int_equal(s.adv_min_tx, SEC);
	assert_int_equal(s.des_min_tx, SEC);
	/* ... but more is fine. */
	bfd_session_init(&s, &cfg_b, LOCAL_DISC);
	assert_int_equal(s.adv_min_tx, 2 * SEC);
	assert_false(bfd_session_may_send(&s));
}

/* RFC 5880 section 6.8.6, every (local state, received state) pair. */
#define ADMIN    BFD_STATE_ADMIN_DOWN
#define DOWN     BFD_STATE_DOWN
#define INIT     BFD_STATE_INIT
#define UP       BFD_STATE_UP
#define NONE     BFD_DIAG_NONE
#define EXPIRED  BFD_DIAG_DETECT_EXPIRED
#define NEIGHBOR BFD_DIAG_NEIGHBOR_DOWN
static void test_transition_table(void **state)
{
	static const struct {
		uint8_t local, remote, next, diag;
		bool changed;
	} rows[] = {
		/* local, received, next, diag after (it was EXPIRED), changed */
		{ DOWN, ADMIN, DOWN, EXPIRED, false },
		{ DOWN, DOWN, INIT, EXPIRED, true },
		{ DOWN, INIT, UP, NONE, true },
		{ DOWN, UP, DOWN, EXPIRED, false },
		{ INIT, ADMIN, DOWN, NEIGHBOR, true },
		{ INIT, DOWN, INIT, EXPIRED, false },
		{ INIT, INIT, UP, NONE, true },
		{ INIT, UP, UP, NONE, true },
		{ UP, ADMIN, DOWN, NEIGHBOR, true },
		{ UP, DOWN, DOWN, NEIGHBOR, true },
		{ UP, INIT, UP, NONE, false },
		{ UP, UP, UP, NONE, false },
	};
	struct bfd_session s;
	unsigned ret;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		session_in(&s, rows[i].local);
		ret = rx_state(&s, rows[i].remote, T0 + 2 * SEC);
		assert_int_equal(s.state, rows[i].next);
		assert_int_equal(s.diag, rows[i].diag);
		assert_int_equal(s.remote_state, rows[i].remote);
		assert_int_equal(!!(ret & BFD_RX_CHANGED), rows[i].changed);
		if (rows[i].changed)
			assert_true(ret & BFD_RX_SEND_NOW);
	}
}
#undef ADMIN
#undef DOWN
#undef INIT
#undef UP
#undef NONE
#undef EXPIRED
#undef NEIGHBOR

/* Each packet updates what we know of the peer, and re-arms detection. */
static void test_remote_fields(void **state)
{
	struct bfd_session s;
	struct bfd_pkt p = peer_pkt(BFD_STATE_DOWN, 0);

	(void)state;
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	p.detect_mult = 7;
	p.des_min_tx = 30000;
	p.req_min_rx = 70000;
	bfd_session_rx(&s, &p, T0);
	assert_int_equal(s.remote_disc, PEER_DISC);
	assert_int_equal(s.remote_state, BFD_STATE_DOWN);
	assert_int_equal(s.remote_mult, 7);
	assert_int_equal(s.remote_des_min_tx, 30000);
	assert_int_equal(s.remote_min_rx, 70000);
	assert_true(s.heard);
	/* 7 x max(our 50 ms, its 30 ms) */
	assert_int_equal(bfd_session_detect_time(&s), 350000);
	assert_int_equal(s.detect_at, T0 + 350000);

	/* The next packet, later: new values, detection counted from it. */
	p = peer_pkt(BFD_STATE_INIT, LOCAL_DISC);
	p.my_disc = 0x77;
	p.detect_mult = 2;
	p.des_min_tx = 90000;
	bfd_session_rx(&s, &p, T0 + 123);
	assert_int_equal(s.remote_disc, 0x77);
	assert_int_equal(s.remote_mult, 2);
	assert_int_equal(s.detect_at, T0 + 123 + 180000);
	/* The interval is max(our desired TX, the peer's required RX). */
	p.req_min_rx = 3 * SEC;
	bfd_session_rx(&s, &p, T0 + 200);
	assert_int_equal(bfd_session_tx_interval(&s), 3 * SEC);
}

static void test_detection_expiry(void **state)
{
	struct bfd_session s;
	struct bfd_pkt p;
	uint64_t at;

	(void)state;
	/* Up: goes Down with "Control Detection Time Expired". */
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	rx_state(&s, BFD_STATE_INIT, T0);
	assert_int_equal(s.state, BFD_STATE_UP);
	at = s.detect_at;
	assert_int_equal(at, T0 + 5 * 100000);
	assert_false(bfd_session_expire(&s, at - 1));
	assert_int_equal(s.state, BFD_STATE_UP);
	assert_int_equal(s.detect_at, at);
	assert_true(bfd_session_expire(&s, at));
	assert_int_equal(s.state, BFD_STATE_DOWN);
	assert_int_equal(s.diag, BFD_DIAG_DETECT_EXPIRED);
	assert_int_equal(s.remote_disc, 0);
	assert_int_equal(s.detect_at, 0);
	assert_int_equal(s.des_min_tx, SEC);
	assert_false(s.polling);
	bfd_session_build(&s, &p);
	assert_int_equal(p.state, BFD_STATE_DOWN);
	assert_int_equal(p.diag, BFD_DIAG_DETECT_EXPIRED);
	assert_int_equal(p.your_disc, 0);
	/* Not armed any more: nothing happens. */
	assert_false(bfd_session_expire(&s, at + 10 * SEC));

	/* Init: the same. */
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	rx_state(&s, BFD_STATE_DOWN, T0);
	assert_int_equal(s.state, BFD_STATE_INIT);
	assert_true(bfd_session_expire(&s, s.detect_at + 5));
	assert_int_equal(s.state, BFD_STATE_DOWN);
	assert_int_equal(s.diag, BFD_DIAG_DETECT_EXPIRED);

	/* Down: no state change, but the peer's discriminator is forgotten. */
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	rx_state(&s, BFD_STATE_UP, T0);
	assert_int_equal(s.state, BFD_STATE_DOWN);
	assert_int_equal(s.remote_disc, PEER_DISC);
	assert_false(bfd_session_expire(&s, s.detect_at));
	assert_int_equal(s.remote_disc, 0);
	assert_int_equal(s.diag, BFD_DIAG_NONE);

	/* A packet in time pushes the deadline: no expiry at the old one. */
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	rx_state(&s, BFD_STATE_INIT, T0);
	at = s.detect_at;
	rx_state(&s, BFD_STATE_UP, at - 1);
	assert_false(bfd_session_expire(&s, at));
	assert_int_equal(s.state, BFD_STATE_UP);

	/* Detection uses our required RX when it is the larger. */
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	p = peer_pkt(BFD_STATE_DOWN, 0);
	p.des_min_tx = 1000;
	p.detect_mult = 4;
	bfd_session_rx(&s, &p, T0);
	assert_int_equal(bfd_session_detect_time(&s), 4 * 50000);
}

static void test_remote_admin_down(void **state)
{
	struct bfd_session s;
	unsigned ret;

	(void)state;
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	rx_state(&s, BFD_STATE_INIT, T0);
	assert_int_equal(s.state, BFD_STATE_UP);
	ret = rx_state(&s, BFD_STATE_ADMIN_DOWN, T0 + 1000);
	assert_int_equal(ret & BFD_RX_CHANGED, BFD_RX_CHANGED);
	assert_int_equal(s.state, BFD_STATE_DOWN);
	assert_int_equal(s.diag, BFD_DIAG_NEIGHBOR_DOWN);
	assert_int_equal(s.remote_state, BFD_STATE_ADMIN_DOWN);
	assert_int_equal(s.des_min_tx, SEC);
	/* Staying Down while the peer stays AdminDown. */
	ret = rx_state(&s, BFD_STATE_ADMIN_DOWN, T0 + 2000);
	assert_int_equal(ret & BFD_RX_CHANGED, 0);
	assert_int_equal(s.state, BFD_STATE_DOWN);
	/* The peer comes back: Down -> Init. */
	rx_state(&s, BFD_STATE_DOWN, T0 + 3000);
	assert_int_equal(s.state, BFD_STATE_INIT);
}

static void test_admin_down(void **state)
{
	struct bfd_session s, peer;
	struct bfd_pkt p, q;
	uint8_t buf[BFD_PKT_LEN];
	uint8_t from;

	(void)state;
	for (from = BFD_STATE_DOWN; from <= BFD_STATE_UP; from++) {
		bfd_session_init(&s, &cfg_a, LOCAL_DISC);
		if (from == BFD_STATE_INIT)
			rx_state(&s, BFD_STATE_DOWN, T0);
		else if (from == BFD_STATE_UP)
			rx_state(&s, BFD_STATE_INIT, T0);
		assert_int_equal(s.state, from);
		bfd_session_admin_down(&s);
		assert_int_equal(s.state, BFD_STATE_ADMIN_DOWN);
		assert_int_equal(s.diag, BFD_DIAG_ADMIN_DOWN);
		assert_int_equal(s.detect_at, 0);
		assert_false(s.polling);
		bfd_session_build(&s, &p);
		assert_int_equal(p.state, BFD_STATE_ADMIN_DOWN);
		assert_int_equal(p.diag, BFD_DIAG_ADMIN_DOWN);
		assert_false(p.poll);
		assert_false(p.final);
		assert_int_equal(p.my_disc, LOCAL_DISC);
		assert_int_equal(p.your_disc, from == BFD_STATE_DOWN ? 0 : PEER_DISC);
		assert_int_equal(p.des_min_tx, SEC);
	}

	/* Everything received is ignored, the remote view included. */
	q = peer_pkt(BFD_STATE_INIT, LOCAL_DISC);
	q.poll = true;
	q.my_disc = 99;
	q.req_min_rx = 0;
	assert_int_equal(bfd_session_rx(&s, &q, T0 + SEC), 0);
	assert_int_equal(s.state, BFD_STATE_ADMIN_DOWN);
	assert_int_equal(s.remote_disc, PEER_DISC);
	assert_int_equal(s.remote_min_rx, 100000);
	assert_false(s.final_due);
	assert_int_equal(s.detect_at, 0);
	assert_false(bfd_session_expire(&s, T0 + 100 * SEC));
	bfd_session_admin_down(&s);
	assert_int_equal(s.state, BFD_STATE_ADMIN_DOWN);

	/* The last packet takes an Up peer Down at once, "Neighbor Signaled
	 * Session Down". */
	bfd_session_init(&peer, &cfg_b, PEER_DISC);
	p = peer_pkt(BFD_STATE_INIT, PEER_DISC);
	p.my_disc = LOCAL_DISC;
	bfd_session_rx(&peer, &p, T0);
	assert_int_equal(peer.state, BFD_STATE_UP);
	bfd_session_build(&s, &p);
	assert_int_equal(bfd_pkt_encode(&p, buf, sizeof(buf)), BFD_PKT_LEN);
	assert_int_equal(bfd_pkt_decode(buf, sizeof(buf), &q), BFD_PKT_OK);
	assert_int_equal(bfd_session_rx(&peer, &q, T0 + 1) & BFD_RX_CHANGED, BFD_RX_CHANGED);
	assert_int_equal(peer.state, BFD_STATE_DOWN);
	assert_int_equal(peer.diag, BFD_DIAG_NEIGHBOR_DOWN);
}

/* Build from one side, put it on the wire, decode it, give it to the other. */
static unsigned xfer(struct bfd_session *from, struct bfd_session *to, uint64_t now,
		     struct bfd_pkt *sent)
{
	uint8_t buf[BFD_PKT_LEN];
	struct bfd_pkt p;

	bfd_session_build(from, sent);
	assert_false(sent->poll && sent->final);
	assert_int_equal(bfd_pkt_encode(sent, buf, sizeof(buf)), BFD_PKT_LEN);
	bfd_session_sent(from, now, 0);
	assert_int_equal(bfd_pkt_decode(buf, sizeof(buf), &p), BFD_PKT_OK);
	return bfd_session_rx(to, &p, now);
}

/*
 * Two sessions back to back, set up as in the keepalived capture: a active,
 * b passive. The intervals that result are those keepalived 2.2.7 logged for
 * the same configuration (a: detection 500 ms, b: 300 ms, both sending
 * every 100 ms).
 */
static void test_back_to_back_poll_final(void **state)
{
	struct bfd_session a, b;
	struct bfd_pkt p;
	uint64_t now = T0;
	unsigned ret;

	(void)state;
	bfd_session_init(&a, &cfg_a, 0xa);
	bfd_session_init(&b, &cfg_b, 0xb);
	assert_true(bfd_session_may_send(&a));
	assert_false(bfd_session_may_send(&b));

	ret = xfer(&a, &b, now, &p);
	assert_int_equal(p.state, BFD_STATE_DOWN);
	assert_int_equal(p.des_min_tx, SEC);
	assert_int_equal(ret, BFD_RX_CHANGED | BFD_RX_SEND_NOW);
	assert_int_equal(b.state, BFD_STATE_INIT);
	assert_int_equal(b.remote_disc, 0xa);
	assert_true(bfd_session_may_send(&b));
	assert_int_equal(a.tx_at, now + SEC);

	now += 1000;
	ret = xfer(&b, &a, now, &p);
	assert_int_equal(p.state, BFD_STATE_INIT);
	assert_int_equal(p.your_disc, 0xa);
	assert_int_equal(p.des_min_tx, 2 * SEC);
	assert_int_equal(ret, BFD_RX_CHANGED | BFD_RX_SEND_NOW);
	assert_int_equal(a.state, BFD_STATE_UP);
	/* Up: min_tx advertised with a Poll; being faster, it applies at once
	 * (b's 100 ms required RX bounds it), and the 1 s timer is pulled in. */
	assert_true(a.polling);
	assert_int_equal(a.adv_min_tx, 40000);
	assert_int_equal(a.des_min_tx, 40000);
	assert_int_equal(bfd_session_tx_interval(&a), 100000);
	assert_true(a.tx_at <= now + 100000);

	now += 1000;
	ret = xfer(&a, &b, now, &p);
	assert_int_equal(p.state, BFD_STATE_UP);
	assert_true(p.poll);
	assert_int_equal(p.des_min_tx, 40000);
	assert_int_equal(p.req_min_rx, 50000);
	assert_int_equal(ret, BFD_RX_CHANGED | BFD_RX_SEND_NOW);
	assert_int_equal(b.state, BFD_STATE_UP);
	assert_true(b.final_due);
	assert_true(b.polling);
	/* b's 100 ms, faster than its 2 s idle rate, applies at once too */
	assert_int_equal(bfd_session_tx_interval(&b), 100000);
	/* Still a poll until the Final comes: the next packet polls again. */
	assert_int_equal(a.tx_at, now + 100000);

	/* b answers with F alone; a's Poll Sequence ends (the interval stays
	 * b's 100 ms required RX). */
	now += 1000;
	ret = xfer(&b, &a, now, &p);
	assert_true(p.final);
	assert_false(p.poll);
	assert_int_equal(p.des_min_tx, 100000);
	assert_int_equal(ret & BFD_RX_CHANGED, 0);
	assert_false(a.polling);
	assert_int_equal(a.des_min_tx, 40000);
	assert_int_equal(bfd_session_tx_interval(&a), 100000);
	assert_true(a.tx_at <= now + 100000);
	assert_int_equal(bfd_session_detect_time(&a), 500000);
	assert_int_equal(a.detect_at, now + 500000);
	assert_false(b.final_due);

	/* b's next packet carries its own Poll; a answers F; b's ends. */
	now += 1000;
	ret = xfer(&b, &a, now, &p);
	assert_true(p.poll);
	assert_false(p.final);
	assert_int_equal(ret, BFD_RX_SEND_NOW);
	assert_true(a.final_due);
	now += 1000;
	ret = xfer(&a, &b, now, &p);
	assert_true(p.final);
	assert_false(p.poll);
	assert_false(a.final_due);
	assert_int_equal(ret, 0);
	assert_false(b.polling);
	assert_int_equal(b.des_min_tx, 100000);
	assert_int_equal(bfd_session_tx_interval(&b), 100000);
	assert_int_equal(bfd_session_detect_time(&b), 300000);

	/* Steady state: neither P nor F. */
	now += 100000;
	xfer(&a, &b, now, &p);
	assert_false(p.poll || p.final);
	xfer(&b, &a, now, &p);
	assert_false(p.poll || p.final);
	assert_int_equal(a.state, BFD_STATE_UP);
	assert_int_equal(b.state, BFD_STATE_UP);

	/* a goes away: b notices after its detection time, and being passive
	 * stops sending. */
	assert_false(bfd_session_expire(&b, now + 299999));
	assert_true(bfd_session_expire(&b, now + 300000));
	assert_int_equal(b.state, BFD_STATE_DOWN);
	assert_int_equal(b.diag, BFD_DIAG_DETECT_EXPIRED);
	assert_false(bfd_session_may_send(&b));
	assert_int_equal(b.tx_at, 0);
	assert_int_equal(b.adv_min_tx, 2 * SEC);
}

/* The timer rules after Up, on one session fed by hand. */
static void test_timers_after_up(void **state)
{
	struct bfd_session s;
	struct bfd_pkt p;

	(void)state;
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	p = peer_pkt(BFD_STATE_INIT, LOCAL_DISC);
	p.req_min_rx = 10000;
	bfd_session_rx(&s, &p, T0);
	assert_int_equal(s.state, BFD_STATE_UP);
	/* Up: 40 ms, faster than the idle 1 s, is in effect at once */
	assert_int_equal(s.des_min_tx, 40000);
	bfd_session_sent(&s, T0, 0);
	assert_int_equal(s.tx_at, T0 + 40000);

	/* Up packets without F: the Poll Sequence goes on. */
	p = peer_pkt(BFD_STATE_UP, LOCAL_DISC);
	p.req_min_rx = 10000;
	bfd_session_rx(&s, &p, T0 + 10);
	assert_true(s.polling);
	assert_int_equal(bfd_session_tx_interval(&s), 40000);
	bfd_session_build(&s, &p);
	assert_true(p.poll);
	assert_int_equal(p.des_min_tx, 40000);

	/* The Final ends it; the rate stays. */
	p = peer_pkt(BFD_STATE_UP, LOCAL_DISC);
	p.req_min_rx = 10000;
	p.final = true;
	bfd_session_rx(&s, &p, T0 + 20);
	assert_false(s.polling);
	assert_int_equal(s.des_min_tx, 40000);
	assert_int_equal(bfd_session_tx_interval(&s), 40000);
	assert_int_equal(s.tx_at, T0 + 40000);
	bfd_session_build(&s, &p);
	assert_false(p.poll);

	/* A Final that answers nothing changes nothing. */
	p = peer_pkt(BFD_STATE_UP, LOCAL_DISC);
	p.final = true;
	bfd_session_rx(&s, &p, T0 + 30);
	assert_int_equal(s.des_min_tx, 40000);

	/* Going Down: back to the idle rate at once, no poll. */
	rx_state(&s, BFD_STATE_DOWN, T0 + 40);
	assert_int_equal(s.state, BFD_STATE_DOWN);
	assert_false(s.polling);
	assert_int_equal(s.des_min_tx, SEC);
	assert_int_equal(s.adv_min_tx, SEC);
	bfd_session_build(&s, &p);
	assert_false(p.poll);
	assert_int_equal(p.des_min_tx, SEC);

	/* Losing the session before the Final also abandons the poll. */
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	rx_state(&s, BFD_STATE_INIT, T0);
	assert_true(s.polling);
	assert_true(bfd_session_expire(&s, s.detect_at));
	assert_false(s.polling);
	assert_int_equal(s.adv_min_tx, SEC);
}

/* A received Poll is answered at once with F, never together with our P. */
static void test_poll_answered(void **state)
{
	struct bfd_session s;
	struct bfd_pkt p;
	unsigned ret;

	(void)state;
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	rx_state(&s, BFD_STATE_INIT, T0);
	assert_true(s.polling);
	p = peer_pkt(BFD_STATE_UP, LOCAL_DISC);
	p.poll = true;
	bfd_session_sent(&s, T0, 0);
	ret = bfd_session_rx(&s, &p, T0 + 5);
	assert_int_equal(ret, BFD_RX_SEND_NOW);
	assert_true(s.final_due);
	bfd_session_build(&s, &p);
	assert_true(p.final);
	assert_false(p.poll);
	assert_false(s.final_due);
	bfd_session_build(&s, &p);
	assert_false(p.final);
	assert_true(p.poll);

	/* Also while Down. */
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	p = peer_pkt(BFD_STATE_UP, LOCAL_DISC);
	p.poll = true;
	assert_true(bfd_session_rx(&s, &p, T0) & BFD_RX_SEND_NOW);
	bfd_session_build(&s, &p);
	assert_true(p.final);
	assert_int_equal(p.state, BFD_STATE_DOWN);
}

static void check_jitter(const struct bfd_session_cfg *cfg, uint32_t remote_rx,
			 uint64_t lo_pm, uint64_t hi_pm)
{
	struct bfd_session s;
	struct bfd_pkt p = peer_pkt(BFD_STATE_DOWN, 0);
	uint64_t iv, d, min = UINT64_MAX, max = 0;
	uint32_t rnd = 12345;
	unsigned i;

	bfd_session_init(&s, cfg, LOCAL_DISC);
	p.req_min_rx = remote_rx;
	bfd_session_rx(&s, &p, T0);
	iv = bfd_session_tx_interval(&s);
	assert_int_equal(iv, remote_rx > SEC ? remote_rx : SEC);
	for (i = 0; i < 20002; i++) {
		uint32_t r = i == 0 ? 0 : i == 1 ? UINT32_MAX : (rnd = rnd * 1103515245u + 12345u);

		bfd_session_sent(&s, T0 + i, r);
		d = s.tx_at - (T0 + i);
		/* lo_pm/1000 x iv <= d <= hi_pm/1000 x iv */
		assert_true(d * 1000 >= iv * lo_pm);
		assert_true(d * 1000 <= iv * hi_pm);
		if (d < min)
			min = d;
		if (d > max)
			max = d;
	}
	/* The whole range is used: both ends within 0.1 % of the interval. */
	assert_true((min - iv * lo_pm / 1000) * 1000 <= iv);
	assert_true((iv * hi_pm / 1000 - max) * 1000 <= iv);
}

/* RFC 5880 section 6.8.7: 75-100 % of the interval, 75-90 % with a
 * multiplier of 1. */
static void test_jitter(void **state)
{
	struct bfd_session_cfg one = cfg_a;

	(void)state;
	one.mult = 1;
	check_jitter(&cfg_a, 100, 750, 1000);
	check_jitter(&cfg_a, 3333337, 750, 1000);
	check_jitter(&one, 100, 750, 900);
	check_jitter(&one, 4294967295u, 750, 900);
	check_jitter(&one, 1234567, 750, 900);
}

static void test_passive(void **state)
{
	struct bfd_session s;
	struct bfd_pkt p;
	unsigned ret;

	(void)state;
	bfd_session_init(&s, &cfg_b, LOCAL_DISC);
	assert_false(bfd_session_may_send(&s));
	bfd_session_sent(&s, T0, 0);
	assert_int_equal(s.tx_at, 0);

	/* An AdminDown peer: no state change, but sending is now allowed and
	 * nothing is scheduled, so send at once. */
	ret = rx_state(&s, BFD_STATE_ADMIN_DOWN, T0);
	assert_int_equal(ret, BFD_RX_SEND_NOW);
	assert_int_equal(s.state, BFD_STATE_DOWN);
	assert_true(bfd_session_may_send(&s));
	bfd_session_sent(&s, T0, 0);
	assert_int_equal(s.tx_at, T0 + 2 * SEC);
	bfd_session_build(&s, &p);
	assert_int_equal(p.your_disc, PEER_DISC);
	assert_int_equal(p.detect_mult, 5);

	/* The peer falls silent: passive again. */
	assert_false(bfd_session_expire(&s, s.detect_at));
	assert_false(bfd_session_may_send(&s));
	assert_int_equal(s.tx_at, 0);
	assert_false(s.heard);

	/* An active session keeps sending after the same. */
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	rx_state(&s, BFD_STATE_ADMIN_DOWN, T0);
	bfd_session_sent(&s, T0, 0);
	bfd_session_expire(&s, s.detect_at);
	assert_true(bfd_session_may_send(&s));
	assert_int_equal(s.tx_at, T0 + SEC);
}

/* A peer asking for no packets (Required Min RX 0) gets none but Finals. */
static void test_remote_min_rx_zero(void **state)
{
	struct bfd_session s;
	struct bfd_pkt p;
	unsigned ret;

	(void)state;
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	bfd_session_sent(&s, T0, 0);
	assert_int_equal(s.tx_at, T0 + SEC);
	p = peer_pkt(BFD_STATE_DOWN, 0);
	p.req_min_rx = 0;
	ret = bfd_session_rx(&s, &p, T0 + 1);
	assert_int_equal(s.state, BFD_STATE_INIT);
	assert_int_equal(s.remote_min_rx, 0);
	assert_false(bfd_session_may_send(&s));
	assert_int_equal(s.tx_at, 0);
	assert_true(ret & BFD_RX_SEND_NOW);   /* the state change is still told */
	p.poll = true;
	assert_int_equal(bfd_session_rx(&s, &p, T0 + 2), BFD_RX_SEND_NOW);
	bfd_session_build(&s, &p);
	assert_true(p.final);
	bfd_session_sent(&s, T0 + 2, 0);
	assert_int_equal(s.tx_at, 0);

	/* Packets wanted again: send at once, then periodically. */
	p = peer_pkt(BFD_STATE_DOWN, 0);
	assert_int_equal(bfd_session_rx(&s, &p, T0 + 3), BFD_RX_SEND_NOW);
	bfd_session_sent(&s, T0 + 3, 0);
	assert_int_equal(s.tx_at, T0 + 3 + SEC);
	/* Nothing more to send at once while the timer runs. */
	assert_int_equal(bfd_session_rx(&s, &p, T0 + 4), 0);

	/* A peer that asked for nothing and then fell silent is forgotten:
	 * the active session announces itself again. */
	p.req_min_rx = 0;
	bfd_session_rx(&s, &p, T0 + 5);
	assert_false(bfd_session_may_send(&s));
	assert_true(bfd_session_expire(&s, s.detect_at));
	assert_int_equal(s.remote_min_rx, 1);
	assert_true(bfd_session_may_send(&s));
	assert_int_equal(s.tx_at, T0 + 5 + 5 * 100000);   /* due at once */
}

/*
 * keepalived 2.2.7's own packets (side a of the capture described in
 * test_bfd_packet.c, session "b4") fed to a session configured like its
 * passive peer b: the exchange goes as it did between the two keepalived,
 * and the detection time is the 300 ms keepalived logged for b.
 */
static void test_keepalived_exchange(void **state)
{
	/* Sent by a: b4 Down (capture #4), then b4 Up with Poll (#27). */
	static const uint8_t ka_down[BFD_PKT_LEN] = {
		0x20, 0x40, 0x03, 0x18, 0xee, 0x59, 0xc6, 0xd4, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x0f, 0x42, 0x40, 0x00, 0x00, 0xc3, 0x50, 0x00, 0x00, 0x00, 0x00,
	};
	static const uint8_t ka_up_poll[BFD_PKT_LEN] = {
		0x20, 0xe0, 0x03, 0x18, 0xee, 0x59, 0xc6, 0xd4, 0xdb, 0xf6, 0xb6, 0xa5,
		0x00, 0x00, 0x9c, 0x40, 0x00, 0x00, 0xc3, 0x50, 0x00, 0x00, 0x00, 0x00,
	};
	/* What keepalived's passive side b answered to each (#19 and #28). */
	static const uint8_t ka_init[BFD_PKT_LEN] = {
		0x20, 0x80, 0x05, 0x18, 0xdb, 0xf6, 0xb6, 0xa5, 0xee, 0x59, 0xc6, 0xd4,
		0x00, 0x1e, 0x84, 0x80, 0x00, 0x01, 0x86, 0xa0, 0x00, 0x00, 0x00, 0x00,
	};
	static const uint8_t ka_up_final[BFD_PKT_LEN] = {
		0x20, 0xd0, 0x05, 0x18, 0xdb, 0xf6, 0xb6, 0xa5, 0xee, 0x59, 0xc6, 0xd4,
		0x00, 0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0, 0x00, 0x00, 0x00, 0x00,
	};
	uint8_t buf[BFD_PKT_LEN];
	struct bfd_session s;
	struct bfd_pkt p;

	(void)state;
	bfd_session_init(&s, &cfg_b, 0xdbf6b6a5);
	assert_false(bfd_session_may_send(&s));
	assert_int_equal(bfd_pkt_decode(ka_down, sizeof(ka_down), &p), BFD_PKT_OK);
	assert_int_equal(bfd_session_rx(&s, &p, T0), BFD_RX_CHANGED | BFD_RX_SEND_NOW);
	assert_int_equal(s.state, BFD_STATE_INIT);
	assert_int_equal(s.remote_disc, 0xee59c6d4);
	bfd_session_build(&s, &p);
	assert_int_equal(bfd_pkt_encode(&p, buf, sizeof(buf)), BFD_PKT_LEN);
	assert_memory_equal(buf, ka_init, BFD_PKT_LEN);

	assert_int_equal(bfd_pkt_decode(ka_up_poll, sizeof(ka_up_poll), &p), BFD_PKT_OK);
	assert_int_equal(bfd_session_rx(&s, &p, T0 + 600000),
			 BFD_RX_CHANGED | BFD_RX_SEND_NOW);
	assert_int_equal(s.state, BFD_STATE_UP);
	assert_int_equal(bfd_session_detect_time(&s), 300000);
	bfd_session_build(&s, &p);
	assert_int_equal(bfd_pkt_encode(&p, buf, sizeof(buf)), BFD_PKT_LEN);
	assert_memory_equal(buf, ka_up_final, BFD_PKT_LEN);
}

/* A session Up with cfg_a's timers in effect (the peer's Final received). */
static void up_steady(struct bfd_session *s, uint64_t now)
{
	struct bfd_pkt p;

	bfd_session_init(s, &cfg_a, LOCAL_DISC);
	rx_state(s, BFD_STATE_INIT, now);
	p = peer_pkt(BFD_STATE_UP, LOCAL_DISC);
	p.final = true;
	p.req_min_rx = 10000;
	bfd_session_rx(s, &p, now);
	bfd_session_sent(s, now, 0);
	assert_false(s->polling);
	assert_int_equal(s->des_min_tx, 40000);
	assert_int_equal(s->tx_at, now + 40000);
}

/* A reload changes the timers: section 6.8.3 decides when they apply. */
static void test_reconfigure(void **state)
{
	struct bfd_session_cfg c = cfg_a;
	struct bfd_session s;
	struct bfd_pkt p;
	uint64_t at;

	(void)state;
	/* Not Up: at once, still never under one second while idle. */
	bfd_session_init(&s, &cfg_a, LOCAL_DISC);
	c.idle_tx = 3 * SEC;
	bfd_session_reconfigure(&s, &c, T0);
	assert_int_equal(s.des_min_tx, 3 * SEC);
	assert_int_equal(s.adv_min_tx, 3 * SEC);
	assert_false(s.polling);
	c.idle_tx = 500000;
	c.min_rx = 70000;
	bfd_session_reconfigure(&s, &c, T0);
	assert_int_equal(s.des_min_tx, SEC);
	assert_int_equal(s.req_min_rx, 70000);
	assert_int_equal(s.adv_min_rx, 70000);

	/* Up, nothing changed: no poll. */
	up_steady(&s, T0);
	bfd_session_reconfigure(&s, &cfg_a, T0 + 1);
	assert_false(s.polling);

	/* Up, faster TX: applies at once, with a Poll, and the timer follows. */
	c = cfg_a;
	c.min_tx = 20000;
	bfd_session_reconfigure(&s, &c, T0 + 2);
	assert_true(s.polling);
	assert_int_equal(s.des_min_tx, 20000);
	assert_int_equal(s.adv_min_tx, 20000);
	assert_int_equal(s.tx_at, T0 + 2 + 20000);
	bfd_session_build(&s, &p);
	assert_true(p.poll);
	assert_int_equal(p.des_min_tx, 20000);

	/* Slower TX: advertised, but 20 ms goes on until the Final. */
	c.min_tx = 80000;
	bfd_session_reconfigure(&s, &c, T0 + 3);
	assert_int_equal(s.adv_min_tx, 80000);
	assert_int_equal(s.des_min_tx, 20000);
	p = peer_pkt(BFD_STATE_UP, LOCAL_DISC);
	p.req_min_rx = 10000;
	p.final = true;
	bfd_session_rx(&s, &p, T0 + 4);
	assert_false(s.polling);
	assert_int_equal(s.des_min_tx, 80000);

	/* Longer required RX: at once, and the pending deadline moves out. */
	at = s.detect_at;
	assert_int_equal(at, T0 + 4 + 5 * 100000);
	c.min_rx = 200000;
	bfd_session_reconfigure(&s, &c, T0 + 5);
	assert_int_equal(s.req_min_rx, 200000);
	assert_int_equal(bfd_session_detect_time(&s), 5 * 200000);
	assert_int_equal(s.detect_at, T0 + 4 + 5 * 200000);
	/* Shorter again: only after the Final. */
	c.min_rx = 20000;
	bfd_session_reconfigure(&s, &c, T0 + 6);
	assert_int_equal(s.req_min_rx, 200000);
	assert_int_equal(s.adv_min_rx, 20000);
	bfd_session_rx(&s, &p, T0 + 7);
	assert_int_equal(s.req_min_rx, 20000);

	/* Passive dropped while nothing was heard: sending is due now. */
	bfd_session_init(&s, &cfg_b, LOCAL_DISC);
	c = cfg_b;
	c.passive = false;
	bfd_session_reconfigure(&s, &c, T0 + 8);
	assert_true(bfd_session_may_send(&s));
	assert_int_equal(s.tx_at, T0 + 8);
	/* ... and back to passive: nothing scheduled. */
	bfd_session_reconfigure(&s, &cfg_b, T0 + 9);
	assert_int_equal(s.tx_at, 0);

	/* AdminDown: the idle rate, which the AdminDown packets use, follows;
	 * the state and the rest stay. */
	up_steady(&s, T0);
	bfd_session_admin_down(&s);
	c = cfg_a;
	c.min_tx = 1000;
	c.idle_tx = 4 * SEC;
	bfd_session_reconfigure(&s, &c, T0 + 10);
	assert_int_equal(s.cfg.min_tx, 1000);
	assert_int_equal(s.adv_min_tx, 4 * SEC);
	assert_int_equal(s.state, BFD_STATE_ADMIN_DOWN);
	assert_int_equal(s.diag, BFD_DIAG_ADMIN_DOWN);
	assert_int_equal(s.detect_at, 0);
	assert_false(s.polling);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_transition_table),
		cmocka_unit_test(test_remote_fields),
		cmocka_unit_test(test_detection_expiry),
		cmocka_unit_test(test_remote_admin_down),
		cmocka_unit_test(test_admin_down),
		cmocka_unit_test(test_back_to_back_poll_final),
		cmocka_unit_test(test_timers_after_up),
		cmocka_unit_test(test_poll_answered),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_passive),
		cmocka_unit_test(test_remote_min_rx_zero),
		cmocka_unit_test(test_keepalived_exchange),
		cmocka_unit_test(test_reconfigure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
