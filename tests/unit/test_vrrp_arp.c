/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vrrp_arp.c - GARP / unsolicited NA builders against captured frames, burst timing */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "vrrp/vrrp_arp.h"

/*
 * Reference frames sent by keepalived 2.2.7 (Debian 12 package), captured
 * with `tcpdump -i veth1 -xx -w` in a namespace on the far end of a veth
 * pair. The near end (veth0, MAC 02:00:00:00:0a:01, 10.99.0.1/24) was in
 * another namespace running a single-node MASTER with two instances:
 * `keepalived -n -l -D -f CONF -p P1 -r P2 -c P3`, VRID 51 with VIP
 * 10.99.0.100/24 and VRID 52 with VIP fd00::100/64. The NA was captured
 * twice: with net.ipv6.conf.veth0.forwarding=0 (flags: override) and =1
 * (flags: router, override). all.forwarding=1 with veth0 at 0 gave no
 * router flag: the per-interface setting decides.
 */
static const uint8_t ka_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01 };

static const uint8_t ka_garp[42] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01, 0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x0a, 0x01, 0x0a, 0x63, 0x00, 0x64,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0a, 0x63, 0x00, 0x64,
};

#define KA_NA_FRAME(csum_hi, csum_lo, flags) { \
	0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01, 0x86, 0xdd, \
	0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff, \
	0xfd, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, \
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, \
	0x88, 0x00, csum_hi, csum_lo, flags, 0x00, 0x00, 0x00, \
	0xfd, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, \
	0x02, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01, \
}

static const uint8_t ka_na_host[86] = KA_NA_FRAME(0x4e, 0x9d, 0x20);
static const uint8_t ka_na_router[86] = KA_NA_FRAME(0xce, 0x9c, 0xa0);

static struct in_addr v4(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct in6_addr v6(const char *s)
{
	struct in6_addr a;
	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

/* ---- GARP ---- */

static void test_garp_matches_keepalived(void **state)
{
	uint8_t buf[64];

	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(vrrp_garp_build(buf, sizeof(buf), ka_mac, v4("10.99.0.100")),
			 VRRP_GARP_LEN);
	assert_memory_equal(buf, ka_garp, sizeof(ka_garp));
	assert_int_equal(buf[VRRP_GARP_LEN], 0xaa); /* nothing written past the end */
}

static void test_garp_fields_follow_inputs(void **state)
{
	const uint8_t mac[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33 };
	uint8_t buf[VRRP_GARP_LEN];
	const uint8_t ip[4] = { 192, 168, 7, 9 };

	assert_int_equal(vrrp_garp_build(buf, sizeof(buf), mac, v4("192.168.7.9")), 42);
	assert_memory_equal(buf + 6, mac, 6);       /* Ethernet source */
	assert_memory_equal(buf + 22, mac, 6);      /* sender MAC */
	assert_memory_equal(buf + 28, ip, 4);       /* sender IP */
	assert_memory_equal(buf + 38, ip, 4);       /* target IP */
	assert_int_equal(buf[21], 1);               /* request */
}

static void test_builders_refuse_short_buffers(void **state)
{
	uint8_t buf[128];
	struct in6_addr a = v6("fd00::1");

	assert_int_equal(vrrp_garp_build(buf, VRRP_GARP_LEN - 1, ka_mac, v4("10.0.0.1")), -1);
	assert_int_equal(vrrp_na_build(buf, VRRP_NA_LEN - 1, ka_mac, &a, false), -1);
	assert_int_equal(vrrp_na_frame_build(buf, VRRP_NA_FRAME_LEN - 1, ka_mac, &a, false), -1);
}

/* ---- NA ---- */

static void test_na_frame_matches_keepalived(void **state)
{
	uint8_t buf[VRRP_NA_FRAME_LEN];
	struct in6_addr vip = v6("fd00::100");

	assert_int_equal(vrrp_na_frame_build(buf, sizeof(buf), ka_mac, &vip, false),
			 VRRP_NA_FRAME_LEN);
	assert_memory_equal(buf, ka_na_host, sizeof(ka_na_host));
	assert_int_equal(vrrp_na_frame_build(buf, sizeof(buf), ka_mac, &vip, true),
			 VRRP_NA_FRAME_LEN);
	assert_memory_equal(buf, ka_na_router, sizeof(ka_na_router));
}

static void test_na_is_icmp_part_of_frame(void **state)
{
	uint8_t buf[VRRP_NA_LEN];
	struct in6_addr vip = v6("fd00::100");

	assert_int_equal(vrrp_na_build(buf, sizeof(buf), ka_mac, &vip, false), VRRP_NA_LEN);
	assert_memory_equal(buf, ka_na_host + VRRP_ETH_HLEN + VRRP_IP6_HLEN, VRRP_NA_LEN);
	assert_int_equal(vrrp_na_build(buf, sizeof(buf), ka_mac, &vip, true), VRRP_NA_LEN);
	assert_memory_equal(buf, ka_na_router + VRRP_ETH_HLEN + VRRP_IP6_HLEN, VRRP_NA_LEN);
}

/*
 * RFC 4443 checksum, written independently of the code under test: lay
 * out the pseudo header and the message in one buffer and sum it as
 * 32-bit big-endian words into 64 bits. A correct message sums to 0xffff.
 */
static uint16_t icmp6_verify(const struct in6_addr *src, const struct in6_addr *dst,
			     const uint8_t *msg, size_t len)
{
	uint8_t all[40 + 64] = { 0 };
	uint64_t sum = 0;
	size_t i;

	assert_true(len <= 64 && len % 4 == 0);
	memcpy(all, src, 16);
	memcpy(all + 16, dst, 16);
	all[35] = (uint8_t)len;
	all[39] = 58;
	memcpy(all + 40, msg, len);
	for (i = 0; i < 40 + len; i += 4)
		sum += (uint64_t)all[i] << 24 | all[i + 1] << 16 | all[i + 2] << 8 | all[i + 3];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void test_na_checksum_independent(void **state)
{
	static const char *const addrs[] = {
		"fd00::100", "2001:db8::ffff:ffff", "fe80::1", "::1", "ffff:ffff::ffff",
		"2001:db8:0:1::ab:cdef",
	};
	const struct in6_addr all_nodes = v6("ff02::1");
	uint8_t mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t buf[VRRP_NA_LEN];
	unsigned i, r;

	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		for (r = 0; r < 2; r++) {
			struct in6_addr vip = v6(addrs[i]);
			mac[5] = (uint8_t)(i * 37 + r);
			assert_int_equal(vrrp_na_build(buf, sizeof(buf), mac, &vip, r), 32);
			assert_int_equal(icmp6_verify(&vip, &all_nodes, buf, sizeof(buf)), 0xffff);
			/* and the check can fail: a flipped bit breaks it */
			buf[9] ^= 0x10;
			assert_int_not_equal(icmp6_verify(&vip, &all_nodes, buf, sizeof(buf)),
					     0xffff);
			buf[9] ^= 0x10;
			assert_memory_equal(buf + 8, &vip, 16);  /* target */
			assert_memory_equal(buf + 26, mac, 6);   /* link-layer option */
			assert_int_equal(buf[4], r ? 0xa0 : 0x20);
		}
	}
}

/* ---- burst timing ---- */

#define SEC 1000000LL

static void expect_schedule(const struct vrrp_garp_sched *s, const int64_t *want, unsigned n)
{
	unsigned i;

	assert_int_equal(vrrp_garp_sched_total(s), n);
	for (i = 0; i < n; i++)
		assert_int_equal(vrrp_garp_sched_next(s, i), want[i]);
	assert_int_equal(vrrp_garp_sched_next(s, n), -1);
	assert_int_equal(vrrp_garp_sched_next(s, n + 100), -1);
}

static void test_sched_defaults(void **state)
{
	/* keepalived defaults: 5 back to back now, 5 more after 5 s */
	struct vrrp_garp_sched s = { .repeat = 5, .addrs = 1, .delay_usec = 5 * SEC };
	const int64_t want[] = { 0, 0, 0, 0, 0, 5 * SEC, 5 * SEC, 5 * SEC, 5 * SEC, 5 * SEC };

	expect_schedule(&s, want, 10);
}

static void test_sched_no_second_burst(void **state)
{
	struct vrrp_garp_sched s = { .repeat = 3, .interval_usec = 250000 };
	const int64_t want[] = { 0, 250000, 500000 };

	expect_schedule(&s, want, 3);
	/* vrrp_min_garp: one packet, nothing more */
	s = (struct vrrp_garp_sched){ .repeat = 1 };
	expect_schedule(&s, (const int64_t[]){ 0 }, 1);
}

static void test_sched_spacing_and_addresses(void **state)
{
	/* 2 addresses, 2 rounds per burst, 100 ms apart, second burst at 1 s */
	struct vrrp_garp_sched s = {
		.repeat = 2, .addrs = 2, .delay_usec = SEC, .interval_usec = SEC / 10,
	};
	const int64_t want[] = {
		0, SEC / 10, 2 * SEC / 10, 3 * SEC / 10,
		SEC, SEC + SEC / 10, SEC + 2 * SEC / 10, SEC + 3 * SEC / 10,
	};

	expect_schedule(&s, want, 8);
}

static void test_sched_overlapping_bursts(void **state)
{
	/* the first burst lasts past the delay: the second keeps the spacing */
	struct vrrp_garp_sched s = { .repeat = 3, .delay_usec = 3 * SEC, .interval_usec = 2 * SEC };
	const int64_t want[] = { 0, 2 * SEC, 4 * SEC, 6 * SEC, 8 * SEC, 10 * SEC };

	expect_schedule(&s, want, 6);
}

static void test_sched_nothing(void **state)
{
	struct vrrp_garp_sched s = { .repeat = 0, .addrs = 4, .delay_usec = 5 * SEC };

	expect_schedule(&s, NULL, 0);
}

/* ---- sender argument checks (no traffic) ---- */

static void test_announcer_open_errors(void **state)
{
	struct vrrp_announcer an;

	assert_int_equal(vrrp_announcer_open(&an, 1, 0), -EINVAL);
	assert_int_equal(an.pkt_fd, -1);
	assert_int_equal(vrrp_announcer_open(&an, 0x7ffffff0, VRRP_ANNOUNCE_V4), -ENXIO);
	assert_int_equal(an.pkt_fd, -1);
	assert_int_equal(an.icmp6_fd, -1);
	assert_int_equal(vrrp_announcer_send_garp(&an, v4("10.0.0.1")), -EBADF);
	assert_int_equal(vrrp_announcer_send_na(&an, &(struct in6_addr){ { { 0 } } }), -EBADF);
	vrrp_announcer_close(&an);
	if (geteuid() != 0)
		skip();
	/* loopback has no link-layer broadcast: refused, nothing left open */
	assert_int_equal(vrrp_announcer_open(&an, 1, VRRP_ANNOUNCE_V4 | VRRP_ANNOUNCE_V6),
			 -EOPNOTSUPP);
	assert_int_equal(an.pkt_fd, -1);
	assert_int_equal(an.icmp6_fd, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garp_matches_keepalived),
		cmocka_unit_test(test_garp_fields_follow_inputs),
		cmocka_unit_test(test_builders_refuse_short_buffers),
		cmocka_unit_test(test_na_frame_matches_keepalived),
		cmocka_unit_test(test_na_is_icmp_part_of_frame),
		cmocka_unit_test(test_na_checksum_independent),
		cmocka_unit_test(test_sched_defaults),
		cmocka_unit_test(test_sched_no_second_burst),
		cmocka_unit_test(test_sched_spacing_and_addresses),
		cmocka_unit_test(test_sched_overlapping_bursts),
		cmocka_unit_test(test_sched_nothing),
		cmocka_unit_test(test_announcer_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
