/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_bfd_packet.c - BFD packet codec: keepalived 2.2.7 captures, round trips, bad input */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/bfd_packet.h"

/*
 * UDP payloads sent by the real keepalived 2.2.7 (Debian 12 package, built
 * with BFD), captured by hand between two private network namespaces:
 *   ip netns add kabfdP-a; ip netns add kabfdP-b
 *   veth kb0 (10.98.7.1/24, fd98:7::1/64) in -a <-> kb1 (10.98.7.2/24, fd98:7::2/64) in -b
 *   ip netns exec kabfdP-b tcpdump -i kb1 -n -U -w cap.pcap udp port 3784
 *   ip netns exec kabfdP-X keepalived -n -l -D -f X.conf -p .. -r .. -c .. -b ..
 * Side a had "b4" (neighbor_ip 10.98.7.2, min_rx 50, min_tx 40, idle_tx 1000,
 * multiplier 3) and "b6" (neighbor_ip fd98:7::2, min_rx 200, min_tx 300,
 * multiplier 1); side b had "b4" (neighbor_ip 10.98.7.1, min_rx 100, min_tx
 * 100, idle_tx 2000, multiplier 5, passive) and "b6" with the defaults.
 * b was started first, then a; a was stopped after a few seconds (b's
 * sessions then expired), then b. The bytes are cut from `tcpdump -xx`
 * output after the UDP header. keepalived 2.2.7 sent no AdminDown packet on
 * shutdown, nor when a session was removed by a reload, so the AdminDown
 * vector below is built by hand.
 */
struct capture {
	const char *what;
	uint8_t bytes[BFD_PKT_LEN];
	struct bfd_pkt want;
};

#define PKT(st, dg, p, f, m, my, your, tx, rx) \
	{ .diag = dg, .state = st, .poll = p, .final = f, .detect_mult = m, .my_disc = my, \
	  .your_disc = your, .des_min_tx = tx, .req_min_rx = rx }

static const struct capture caps[] = {
	{ "a b4 Down, idle_tx 1 s, multiplier 3",
	  { 0x20, 0x40, 0x03, 0x18, 0xee, 0x59, 0xc6, 0xd4, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x0f, 0x42, 0x40, 0x00, 0x00, 0xc3, 0x50, 0x00, 0x00, 0x00, 0x00 },
	  PKT(BFD_STATE_DOWN, 0, false, false, 3, 0xee59c6d4, 0, 1000000, 50000) },
	{ "a b6 Down over IPv6, multiplier 1",
	  { 0x20, 0x40, 0x01, 0x18, 0xec, 0x6e, 0x7e, 0x0c, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x0f, 0x42, 0x40, 0x00, 0x03, 0x0d, 0x40, 0x00, 0x00, 0x00, 0x00 },
	  PKT(BFD_STATE_DOWN, 0, false, false, 1, 0xec6e7e0c, 0, 1000000, 200000) },
	{ "b b6 Init, default timers",
	  { 0x20, 0x80, 0x05, 0x18, 0xb0, 0x70, 0x55, 0xe1, 0xec, 0x6e, 0x7e, 0x0c,
	    0x00, 0x0f, 0x42, 0x40, 0x00, 0x00, 0x27, 0x10, 0x00, 0x00, 0x00, 0x00 },
	  PKT(BFD_STATE_INIT, 0, false, false, 5, 0xb07055e1, 0xec6e7e0c, 1000000, 10000) },
	{ "a b6 Up with Poll, to min_tx 300 ms",
	  { 0x20, 0xe0, 0x01, 0x18, 0xec, 0x6e, 0x7e, 0x0c, 0xb0, 0x70, 0x55, 0xe1,
	    0x00, 0x04, 0x93, 0xe0, 0x00, 0x03, 0x0d, 0x40, 0x00, 0x00, 0x00, 0x00 },
	  PKT(BFD_STATE_UP, 0, true, false, 1, 0xec6e7e0c, 0xb07055e1, 300000, 200000) },
	{ "b b6 Up with Final",
	  { 0x20, 0xd0, 0x05, 0x18, 0xb0, 0x70, 0x55, 0xe1, 0xec, 0x6e, 0x7e, 0x0c,
	    0x00, 0x00, 0x27, 0x10, 0x00, 0x00, 0x27, 0x10, 0x00, 0x00, 0x00, 0x00 },
	  PKT(BFD_STATE_UP, 0, false, true, 5, 0xb07055e1, 0xec6e7e0c, 10000, 10000) },
	{ "b b4 Init from the passive side, idle_tx 2 s",
	  { 0x20, 0x80, 0x05, 0x18, 0xdb, 0xf6, 0xb6, 0xa5, 0xee, 0x59, 0xc6, 0xd4,
	    0x00, 0x1e, 0x84, 0x80, 0x00, 0x01, 0x86, 0xa0, 0x00, 0x00, 0x00, 0x00 },
	  PKT(BFD_STATE_INIT, 0, false, false, 5, 0xdbf6b6a5, 0xee59c6d4, 2000000, 100000) },
	{ "a b4 Up with Poll, to min_tx 40 ms",
	  { 0x20, 0xe0, 0x03, 0x18, 0xee, 0x59, 0xc6, 0xd4, 0xdb, 0xf6, 0xb6, 0xa5,
	    0x00, 0x00, 0x9c, 0x40, 0x00, 0x00, 0xc3, 0x50, 0x00, 0x00, 0x00, 0x00 },
	  PKT(BFD_STATE_UP, 0, true, false, 3, 0xee59c6d4, 0xdbf6b6a5, 40000, 50000) },
	{ "b b4 Up with Final",
	  { 0x20, 0xd0, 0x05, 0x18, 0xdb, 0xf6, 0xb6, 0xa5, 0xee, 0x59, 0xc6, 0xd4,
	    0x00, 0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0, 0x00, 0x00, 0x00, 0x00 },
	  PKT(BFD_STATE_UP, 0, false, true, 5, 0xdbf6b6a5, 0xee59c6d4, 100000, 100000) },
	{ "b b4 Up, periodic",
	  { 0x20, 0xc0, 0x05, 0x18, 0xdb, 0xf6, 0xb6, 0xa5, 0xee, 0x59, 0xc6, 0xd4,
	    0x00, 0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0, 0x00, 0x00, 0x00, 0x00 },
	  PKT(BFD_STATE_UP, 0, false, false, 5, 0xdbf6b6a5, 0xee59c6d4, 100000, 100000) },
	{ "b b6 Down after the detection time expired (new discriminator)",
	  { 0x21, 0x40, 0x05, 0x18, 0x99, 0xba, 0xf8, 0xe4, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x0f, 0x42, 0x40, 0x00, 0x00, 0x27, 0x10, 0x00, 0x00, 0x00, 0x00 },
	  PKT(BFD_STATE_DOWN, BFD_DIAG_DETECT_EXPIRED, false, false, 5, 0x99baf8e4, 0,
	      1000000, 10000) },
};

/* Built by hand (see above): AdminDown, Administratively Down, multiplier 3. */
static const uint8_t admin_down[BFD_PKT_LEN] = {
	0x27, 0x00, 0x03, 0x18, 0x00, 0x00, 0x00, 0x2a, 0x12, 0x34, 0x56, 0x78,
	0x00, 0x0f, 0x42, 0x40, 0x00, 0x00, 0xc3, 0x50, 0x00, 0x00, 0x00, 0x00,
};

static void assert_pkt_equal(const struct bfd_pkt *a, const struct bfd_pkt *b)
{
	assert_int_equal(a->diag, b->diag);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->poll, b->poll);
	assert_int_equal(a->final, b->final);
	assert_int_equal(a->cpi, b->cpi);
	assert_int_equal(a->auth, b->auth);
	assert_int_equal(a->demand, b->demand);
	assert_int_equal(a->multipoint, b->multipoint);
	assert_int_equal(a->detect_mult, b->detect_mult);
	assert_int_equal(a->my_disc, b->my_disc);
	assert_int_equal(a->your_disc, b->your_disc);
	assert_int_equal(a->des_min_tx, b->des_min_tx);
	assert_int_equal(a->req_min_rx, b->req_min_rx);
	assert_int_equal(a->req_min_echo_rx, b->req_min_echo_rx);
}

/* Decode from a heap copy of exactly len bytes, so that ASan catches any
 * read past the end. */
static enum bfd_pkt_err decode_exact(const uint8_t *bytes, size_t len, struct bfd_pkt *p)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum bfd_pkt_err e;

	assert_non_null(copy);
	memcpy(copy, bytes, len);
	e = bfd_pkt_decode(copy, len, p);
	free(copy);
	return e;
}

static void test_captures_decode(void **state)
{
	struct bfd_pkt p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		memset(&p, 0xa5, sizeof(p));
		assert_int_equal(decode_exact(caps[i].bytes, BFD_PKT_LEN, &p), BFD_PKT_OK);
		assert_pkt_equal(&p, &caps[i].want);
	}
}

/* What we encode from the decoded fields is what keepalived sent. */
static void test_captures_reencode(void **state)
{
	uint8_t buf[64];
	struct bfd_pkt p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		memset(buf, 0xee, sizeof(buf));
		assert_int_equal(bfd_pkt_encode(&caps[i].want, buf, sizeof(buf)), BFD_PKT_LEN);
		assert_memory_equal(buf, caps[i].bytes, BFD_PKT_LEN);
		assert_int_equal(buf[BFD_PKT_LEN], 0xee);
		assert_int_equal(bfd_pkt_decode(buf, BFD_PKT_LEN, &p), BFD_PKT_OK);
	}
}

static void test_admin_down_vector(void **state)
{
	struct bfd_pkt p, want = PKT(BFD_STATE_ADMIN_DOWN, BFD_DIAG_ADMIN_DOWN, false, false, 3,
				     42, 0x12345678, 1000000, 50000);
	uint8_t buf[BFD_PKT_LEN];

	(void)state;
	assert_int_equal(decode_exact(admin_down, sizeof(admin_down), &p), BFD_PKT_OK);
	assert_pkt_equal(&p, &want);
	assert_int_equal(bfd_pkt_encode(&want, buf, sizeof(buf)), BFD_PKT_LEN);
	assert_memory_equal(buf, admin_down, BFD_PKT_LEN);
}

/* Every state, diagnostic and flag the encoder can write survives a trip. */
static void test_round_trip(void **state)
{
	static const uint32_t vals[] = { 1, 0x80000000u, 0xffffffffu, 1000000, 3 };
	unsigned st, diag, flags, i = 0;
	uint8_t buf[BFD_PKT_LEN];
	struct bfd_pkt in, out;

	(void)state;
	for (st = 0; st < 4; st++) {
		for (diag = 0; diag < 32; diag++) {
			for (flags = 0; flags < 16; flags++, i++) {
				memset(&in, 0, sizeof(in));
				in.state = (uint8_t)st;
				in.diag = (uint8_t)diag;
				in.poll = flags & 1;
				in.final = flags & 2;
				in.cpi = flags & 4;
				in.demand = flags & 8;
				in.detect_mult = (uint8_t)(1 + i % 255);
				in.my_disc = vals[i % 5];
				in.your_disc = vals[(i + 1) % 5];
				in.des_min_tx = vals[(i + 2) % 5];
				in.req_min_rx = vals[(i + 3) % 5];
				in.req_min_echo_rx = vals[(i + 4) % 5];
				assert_int_equal(bfd_pkt_encode(&in, buf, sizeof(buf)),
						 BFD_PKT_LEN);
				assert_int_equal(buf[0] >> 5, BFD_VERSION);
				assert_int_equal(buf[3], BFD_PKT_LEN);
				assert_int_equal(decode_exact(buf, sizeof(buf), &out), BFD_PKT_OK);
				assert_pkt_equal(&out, &in);
			}
		}
	}
}

static void test_encode_small_buffer(void **state)
{
	uint8_t buf[BFD_PKT_LEN];
	size_t n;

	(void)state;
	for (n = 0; n < BFD_PKT_LEN; n++) {
		memset(buf, 0x5a, sizeof(buf));
		assert_int_equal(bfd_pkt_encode(&caps[0].want, buf, n), 0);
		assert_int_equal(buf[0], 0x5a);
	}
	assert_int_equal(bfd_pkt_encode(&caps[0].want, NULL, 64), 0);
}

/* Out-of-range fields are masked, never spill into their neighbours. */
static void test_encode_masks_fields(void **state)
{
	struct bfd_pkt p = caps[2].want;
	uint8_t buf[BFD_PKT_LEN];

	(void)state;
	p.diag = 0xff;
	p.state = 0xff;
	assert_int_equal(bfd_pkt_encode(&p, buf, sizeof(buf)), BFD_PKT_LEN);
	assert_int_equal(buf[0], 0x20 | 0x1f);
	assert_int_equal(buf[1], 0xc0);
}

/* A valid packet to break one field at a time: Up, with both discriminators. */
static void valid_up(uint8_t buf[BFD_PKT_LEN])
{
	memcpy(buf, caps[8].bytes, BFD_PKT_LEN);
}

static void expect_err(const uint8_t *buf, size_t len, enum bfd_pkt_err want)
{
	struct bfd_pkt p;

	memset(&p, 0x77, sizeof(p));
	assert_int_equal(decode_exact(buf, len, &p), want);
	/* A refused packet leaves the output alone. */
	assert_int_equal(p.my_disc, 0x77777777u);
	assert_int_equal(p.detect_mult, 0x77);
}

static void test_short(void **state)
{
	struct bfd_pkt p;
	uint8_t buf[BFD_PKT_LEN];
	size_t n;

	(void)state;
	valid_up(buf);
	for (n = 0; n < BFD_PKT_LEN; n++)
		expect_err(buf, n, BFD_PKT_SHORT);
	assert_int_equal(bfd_pkt_decode(NULL, 24, &p), BFD_PKT_SHORT);
	/* Even garbage that is too short is "short", whatever its version. */
	buf[0] = 0;
	expect_err(buf, 3, BFD_PKT_SHORT);
}

static void test_version(void **state)
{
	uint8_t buf[BFD_PKT_LEN];
	unsigned v;

	(void)state;
	for (v = 0; v < 8; v++) {
		if (v == BFD_VERSION)
			continue;
		valid_up(buf);
		buf[0] = (uint8_t)(v << 5 | (buf[0] & 0x1f));
		expect_err(buf, sizeof(buf), BFD_PKT_VERSION);
	}
}

static void test_length_field(void **state)
{
	uint8_t buf[64];
	unsigned l;

	(void)state;
	memset(buf, 0, sizeof(buf));
	for (l = 0; l < BFD_PKT_LEN; l++) {
		valid_up(buf);
		buf[3] = (uint8_t)l;
		expect_err(buf, sizeof(buf), BFD_PKT_LENGTH);
	}
	/* Length claims more than the datagram holds: truncated. */
	valid_up(buf);
	buf[3] = 25;
	expect_err(buf, BFD_PKT_LEN, BFD_PKT_LENGTH);
	buf[3] = 255;
	expect_err(buf, 64, BFD_PKT_LENGTH);
	/* With the A bit the minimum is 26 (the checks come before AUTH). */
	valid_up(buf);
	buf[1] |= 0x04;
	buf[3] = 24;
	expect_err(buf, 64, BFD_PKT_LENGTH);
	buf[3] = 25;
	expect_err(buf, 64, BFD_PKT_LENGTH);
	buf[3] = 26;
	expect_err(buf, 25, BFD_PKT_LENGTH);
	expect_err(buf, 26, BFD_PKT_AUTH);
}

static void test_oversized(void **state)
{
	uint8_t buf[300];
	struct bfd_pkt p;
	size_t i;

	(void)state;
	/* Bytes after the Length are not part of the packet. */
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		memset(buf, 0xff, sizeof(buf));
		memcpy(buf, caps[i].bytes, BFD_PKT_LEN);
		assert_int_equal(decode_exact(buf, sizeof(buf), &p), BFD_PKT_OK);
		assert_pkt_equal(&p, &caps[i].want);
		assert_int_equal(decode_exact(buf, BFD_PKT_LEN + 1, &p), BFD_PKT_OK);
	}
	/* A longer Length without the A bit is accepted when the datagram holds it. */
	valid_up(buf);
	buf[3] = 255;
	assert_int_equal(decode_exact(buf, 255, &p), BFD_PKT_OK);
	assert_pkt_equal(&p, &caps[8].want);
}

static void test_mult_multipoint_disc(void **state)
{
	uint8_t buf[BFD_PKT_LEN];

	(void)state;
	valid_up(buf);
	buf[2] = 0;
	expect_err(buf, sizeof(buf), BFD_PKT_MULT);

	valid_up(buf);
	buf[1] |= 0x01;
	expect_err(buf, sizeof(buf), BFD_PKT_MULTIPOINT);

	valid_up(buf);
	memset(buf + 4, 0, 4);
	expect_err(buf, sizeof(buf), BFD_PKT_MY_DISC);
}

static void test_your_disc(void **state)
{
	struct bfd_pkt p;
	uint8_t buf[BFD_PKT_LEN];
	unsigned st;

	(void)state;
	for (st = 0; st < 4; st++) {
		valid_up(buf);
		buf[1] = (uint8_t)(st << 6);
		memset(buf + 8, 0, 4);
		if (st == BFD_STATE_DOWN || st == BFD_STATE_ADMIN_DOWN) {
			assert_int_equal(decode_exact(buf, sizeof(buf), &p), BFD_PKT_OK);
			assert_int_equal(p.state, st);
			assert_int_equal(p.your_disc, 0);
		} else {
			expect_err(buf, sizeof(buf), BFD_PKT_YOUR_DISC);
		}
	}
}

static void test_auth(void **state)
{
	uint8_t buf[32];

	(void)state;
	memset(buf, 0, sizeof(buf));
	valid_up(buf);
	buf[1] |= 0x04;
	buf[3] = 32;
	buf[24] = 1;   /* Simple Password */
	buf[25] = 8;
	expect_err(buf, sizeof(buf), BFD_PKT_AUTH);
}

/* With several faults, the first check of section 6.8.6 is the one reported. */
static void test_check_order(void **state)
{
	uint8_t buf[26] = { 0 };
	struct bfd_pkt p;

	(void)state;
	valid_up(buf);
	buf[0] = 0x40;           /* version 2 */
	buf[2] = 0;
	buf[3] = 0;
	expect_err(buf, sizeof(buf), BFD_PKT_VERSION);
	buf[0] = 0x20;
	expect_err(buf, sizeof(buf), BFD_PKT_LENGTH);
	buf[3] = 26;
	buf[1] |= 0x05;          /* A and M bits */
	memset(buf + 4, 0, 8);   /* both discriminators */
	expect_err(buf, sizeof(buf), BFD_PKT_MULT);
	buf[2] = 3;
	expect_err(buf, sizeof(buf), BFD_PKT_MULTIPOINT);
	buf[1] &= (uint8_t)~0x01;
	expect_err(buf, sizeof(buf), BFD_PKT_MY_DISC);
	buf[7] = 1;
	expect_err(buf, sizeof(buf), BFD_PKT_YOUR_DISC);
	buf[11] = 1;
	expect_err(buf, sizeof(buf), BFD_PKT_AUTH);
	buf[1] &= (uint8_t)~0x04;
	assert_int_equal(decode_exact(buf, sizeof(buf), &p), BFD_PKT_OK);
	assert_int_equal(p.my_disc, 1);
	assert_int_equal(p.your_disc, 1);
}

static void test_names(void **state)
{
	unsigned i, j;

	(void)state;
	assert_string_equal(bfd_state_name(BFD_STATE_ADMIN_DOWN), "AdminDown");
	assert_string_equal(bfd_state_name(BFD_STATE_DOWN), "Down");
	assert_string_equal(bfd_state_name(BFD_STATE_INIT), "Init");
	assert_string_equal(bfd_state_name(BFD_STATE_UP), "Up");
	assert_string_equal(bfd_state_name(4), "?");
	assert_string_equal(bfd_state_name(~0u), "?");
	assert_string_equal(bfd_diag_name(BFD_DIAG_NONE), "No Diagnostic");
	assert_string_equal(bfd_diag_name(BFD_DIAG_DETECT_EXPIRED),
			    "Control Detection Time Expired");
	assert_string_equal(bfd_diag_name(BFD_DIAG_NEIGHBOR_DOWN),
			    "Neighbor Signaled Session Down");
	assert_string_equal(bfd_diag_name(BFD_DIAG_ADMIN_DOWN), "Administratively Down");
	for (i = 0; i <= BFD_DIAG_REV_CONCAT_DOWN; i++)
		for (j = 0; j < i; j++)
			assert_string_not_equal(bfd_diag_name(i), bfd_diag_name(j));
	assert_string_equal(bfd_diag_name(9), "Reserved");
	assert_string_equal(bfd_diag_name(31), "Reserved");
	for (i = 0; i < BFD_PKT_ERR_MAX; i++) {
		assert_non_null(bfd_pkt_err_name((enum bfd_pkt_err)i));
		assert_string_not_equal(bfd_pkt_err_name((enum bfd_pkt_err)i), "?");
		for (j = 0; j < i; j++)
			assert_string_not_equal(bfd_pkt_err_name((enum bfd_pkt_err)i),
						bfd_pkt_err_name((enum bfd_pkt_err)j));
	}
	assert_string_equal(bfd_pkt_err_name(BFD_PKT_ERR_MAX), "?");
}

/* Every single-bit corruption of every capture either decodes to what the
 * bytes say or is refused; nothing is read past the 24 bytes. */
static void test_bit_flips(void **state)
{
	uint8_t buf[BFD_PKT_LEN], back[BFD_PKT_LEN];
	struct bfd_pkt p;
	size_t i, bit;

	(void)state;
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		for (bit = 0; bit < BFD_PKT_LEN * 8; bit++) {
			memcpy(buf, caps[i].bytes, BFD_PKT_LEN);
			buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			if (decode_exact(buf, BFD_PKT_LEN, &p) != BFD_PKT_OK)
				continue;
			assert_int_equal(bfd_pkt_encode(&p, back, sizeof(back)), BFD_PKT_LEN);
			assert_memory_equal(back, buf, BFD_PKT_LEN);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captures_decode),
		cmocka_unit_test(test_captures_reencode),
		cmocka_unit_test(test_admin_down_vector),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_encode_small_buffer),
		cmocka_unit_test(test_encode_masks_fields),
		cmocka_unit_test(test_short),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_length_field),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_mult_multipoint_disc),
		cmocka_unit_test(test_your_disc),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_check_order),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bit_flips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
