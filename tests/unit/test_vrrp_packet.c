/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vrrp_packet.c - VRRP codec: keepalived 2.2.7 wire captures, round trips, hostile input */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "vrrp/vrrp_ah.h"
#include "vrrp/vrrp_packet.h"
#include "vrrp_captures.h"

/* Parse a packet laid out like the captures: IPv4 whole, or IPv6 header +
 * VRRP message (the header only feeds the metadata). */
static enum vrrp_drop parse_pkt(sa_family_t family, const uint8_t *pkt, size_t len,
				struct vrrp_rx_meta *meta, struct vrrp_advert *adv)
{
	struct vrrp_rx_meta m = { .family = family, .hop_limit = -1 };

	if (!meta)
		meta = &m;
	meta->family = family;
	if (family == AF_INET)
		return vrrp_pkt_parse(pkt, len, meta, adv);
	pkt_src_dst(family, pkt, &meta->src, &meta->dst);
	meta->hop_limit = pkt[7];
	return vrrp_pkt_parse(pkt + 40, len - 40, meta, adv);
}

/* What the instance that sent capture c expects. */
static void cap_expect(const struct capture *c, struct vrrp_pkt_expect *exp, struct ka_addr *vips)
{
	struct ka_addr src, dst;
	size_t i;

	memset(exp, 0, sizeof(*exp));
	for (i = 0; i < c->naddr; i++)
		assert_int_equal(ka_addr_parse(c->addrs[i], false, &vips[i]), 0);
	pkt_src_dst(c->family, c->pkt, &src, &dst);
	exp->vrid = c->vrid;
	exp->version = c->version;
	exp->auth_type = c->auth;
	vrrp_pkt_auth_data(exp->auth_data, c->pass);
	exp->interval_cs = c->interval_cs;
	exp->vips = vips;
	exp->nvips = c->naddr;
	exp->unicast = !is_mcast(&dst);
	exp->ah_hmac = vrrp_ah_hmac_md5;
}

static void cap_params(const struct capture *c, struct vrrp_pkt_params *p, struct ka_addr *addrs)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < c->naddr; i++)
		assert_int_equal(ka_addr_parse(c->addrs[i], false, &addrs[i]), 0);
	p->version = c->version;
	p->family = c->family;
	p->vrid = c->vrid;
	p->priority = c->prio;
	p->interval_cs = c->interval_cs;
	p->auth_type = c->auth;
	vrrp_pkt_auth_data(p->auth_data, c->pass);
	p->addrs = addrs;
	p->naddr = c->naddr;
	pkt_src_dst(c->family, c->pkt, &p->src, &p->dst);
	p->ip_id = c->ip_id;
	p->ah_seq = c->ah_seq;
	p->ah_hmac = vrrp_ah_hmac_md5;
}

/* Both stages, as the receiver runs them. */
static enum vrrp_drop receive(const struct capture *c, const uint8_t *pkt, size_t len,
			      struct vrrp_rx_meta *meta, struct vrrp_pkt_expect *exp)
{
	struct vrrp_pkt_expect e;
	struct ka_addr vips[2];
	struct vrrp_advert adv;
	enum vrrp_drop r = parse_pkt(c->family, pkt, len, meta, &adv);

	if (r != VRRP_OK)
		return r;
	if (!exp) {
		cap_expect(c, &e, vips);
		exp = &e;
	}
	return vrrp_pkt_check_instance(&adv, exp);
}

static void expect_drop(const char *what, enum vrrp_drop got, enum vrrp_drop want)
{
	if (got != want)
		fail_msg("%s: got %s, want %s", what, vrrp_drop_str(got), vrrp_drop_str(want));
}

/* ---- captures ----------------------------------------------------------- */

static void test_captures_decode(void **state)
{
	for (size_t i = 0; i < NCAPS; i++) {
		const struct capture *c = &caps[i];
		struct vrrp_pkt_expect exp;
		struct ka_addr vips[2], a, src, dst;
		struct vrrp_advert adv;

		print_message("decode %s\n", c->name);
		expect_drop(c->name, parse_pkt(c->family, c->pkt, c->len, NULL, &adv), VRRP_OK);
		assert_int_equal(adv.version, c->version);
		assert_int_equal(adv.vrid, c->vrid);
		assert_int_equal(adv.priority, c->prio);
		assert_int_equal(adv.naddr, c->naddr);
		assert_int_equal(adv.interval_cs, c->interval_cs);
		assert_int_equal(adv.auth_type, c->version == 2 ? c->auth : 0);
		assert_int_equal(adv.checksum, c->csum);
		assert_int_equal(adv.csum, VRRP_CSUM_STD);
		assert_int_equal(adv.ttl, 255);
		pkt_src_dst(c->family, c->pkt, &src, &dst);
		assert_true(ka_addr_equal(&adv.src, &src));
		assert_true(ka_addr_equal(&adv.dst, &dst));
		cap_expect(c, &exp, vips);
		for (unsigned j = 0; j < c->naddr; j++) {
			vrrp_advert_addr(&adv, j, &a);
			assert_true(ka_addr_equal(&a, &vips[j]));
		}
		assert_int_equal(adv.has_ah, c->auth == VRRP_PKT_AUTH_AH);
		if (adv.has_ah) {
			assert_int_equal(adv.ah_seq, c->ah_seq);
			assert_int_equal(adv.ah_spi, ntohl(src.u.v4.s_addr));
		}
		expect_drop(c->name, vrrp_pkt_check_instance(&adv, &exp), VRRP_OK);
		assert_false(adv.addr_mismatch);
	}
}

/* Our encoder must produce the same bytes keepalived sent. */
static void test_captures_encode(void **state)
{
	uint8_t buf[VRRP_IP4_PKT_MAX];
	const char *err = NULL;

	for (size_t i = 0; i < NCAPS; i++) {
		const struct capture *c = &caps[i];
		size_t off = vrrp_off(c->family, c->pkt);
		struct vrrp_pkt_params p;
		struct ka_addr addrs[2];
		int n;

		print_message("encode %s\n", c->name);
		cap_params(c, &p, addrs);
		n = vrrp_pkt_build(&p, buf, sizeof(buf), &err);
		assert_int_equal(n, c->len - off);
		assert_memory_equal(buf, c->pkt + off, c->len - off);
		assert_int_equal((size_t)n, vrrp_pkt_len(c->version, c->family, c->naddr));
		if (c->family != AF_INET)
			continue;
		n = vrrp_pkt_build_ip4(&p, buf, sizeof(buf), &err);
		assert_int_equal(n, c->len);
		assert_memory_equal(buf, c->pkt, c->len);
	}
}

/* The captured checksums agree with a separate implementation, and with
 * hand-derived values for one case. */
static void test_checksum_reference(void **state)
{
	const uint8_t v2[] = { 0x21, 0x0b, 0xc8, 0x01, 0x00, 0x01, 0x00, 0x00,
			       10, 99, 1, 11, 0, 0, 0, 0, 0, 0, 0, 0 };
	/* 0x210b + 0xc801 + 0x0001 + 0x0a63 + 0x010b = 0xf47b, complement 0x0b84 */
	assert_int_equal(ref_csum(v2, sizeof(v2)), 0x0b84);
	for (size_t i = 0; i < NCAPS; i++)
		assert_int_equal(ref_vrrp_csum(caps[i].family, caps[i].pkt, caps[i].len),
				 caps[i].csum);
}

/* ---- round trips -------------------------------------------------------- */

static void make_addrs(sa_family_t family, size_t n, struct ka_addr *out)
{
	for (size_t i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].family = family;
		out[i].prefix = family == AF_INET ? 32 : 128;
		if (family == AF_INET) {
			out[i].u.v4.s_addr = htonl(0xc0a80000u | (uint32_t)(i * 7 + 1));
		} else {
			out[i].u.v6.s6_addr[0] = 0x20;
			out[i].u.v6.s6_addr[1] = 0x01;
			out[i].u.v6.s6_addr[14] = (uint8_t)(i >> 8);
			out[i].u.v6.s6_addr[15] = (uint8_t)i;
		}
	}
}

static void round_trip(uint8_t version, sa_family_t family, size_t naddr, uint8_t prio,
		       uint16_t interval_cs, enum vrrp_pkt_auth auth)
{
	static struct ka_addr addrs[VRRP_MAX_ADDRS];
	static uint8_t buf[VRRP_PKT_MAX];
	struct vrrp_pkt_params p = { .version = version, .family = family, .vrid = 42,
				     .priority = prio, .interval_cs = interval_cs,
				     .auth_type = auth, .addrs = addrs, .naddr = naddr,
				     .ip_id = 77, .ah_seq = 5, .ah_hmac = vrrp_ah_hmac_md5 };
	struct vrrp_rx_meta meta = { .family = family, .hop_limit = 255 };
	struct vrrp_pkt_expect exp = { .vrid = 42, .version = version, .auth_type = auth,
				       .interval_cs = interval_cs, .vips = addrs,
				       .nvips = naddr, .ah_hmac = vrrp_ah_hmac_md5 };
	struct vrrp_advert adv;
	const char *err = NULL;
	struct ka_addr a;
	int n;

	make_addrs(family, naddr, addrs);
	vrrp_pkt_auth_data(p.auth_data, "pw");
	vrrp_pkt_auth_data(exp.auth_data, "pw");
	ka_addr_parse(family == AF_INET ? "10.1.2.3" : "fe80::1", false, &p.src);
	ka_addr_parse(family == AF_INET ? "224.0.0.18" : "ff02::12", false, &p.dst);
	if (family == AF_INET) {
		n = vrrp_pkt_build_ip4(&p, buf, sizeof(buf), &err);
		if (n < 0)
			fail_msg("v%u %zu addrs: %s", version, naddr, err);
		assert_int_equal(ref_csum(buf, 20), 0);  /* IPv4 header checksum */
		assert_int_equal(buf[1], VRRP_TOS);
		assert_int_equal(buf[8], VRRP_TTL);
	} else {
		meta.src = p.src;
		meta.dst = p.dst;
		n = vrrp_pkt_build(&p, buf, sizeof(buf), &err);
		if (n < 0)
			fail_msg("v%u %zu addrs: %s", version, naddr, err);
	}
	expect_drop("round trip", vrrp_pkt_parse(buf, (size_t)n, &meta, &adv), VRRP_OK);
	assert_int_equal(adv.version, version);
	assert_int_equal(adv.vrid, 42);
	assert_int_equal(adv.priority, prio);
	assert_int_equal(adv.naddr, naddr);
	assert_int_equal(adv.interval_cs, interval_cs);
	for (unsigned i = 0; i < naddr; i++) {
		vrrp_advert_addr(&adv, i, &a);
		assert_true(ka_addr_equal(&a, &addrs[i]));
	}
	expect_drop("round trip check", vrrp_pkt_check_instance(&adv, &exp), VRRP_OK);
}

static void test_round_trips(void **state)
{
	static const size_t counts[] = { 0, 1, 7, 255 };
	static const uint8_t prios[] = { 0, 1, 100, 254, 255 };

	for (size_t c = 0; c < 4; c++) {
		for (size_t p = 0; p < 5; p++) {
			round_trip(2, AF_INET, counts[c], prios[p], 100, VRRP_PKT_AUTH_NONE);
			round_trip(2, AF_INET, counts[c], prios[p], 25500, VRRP_PKT_AUTH_PASS);
			round_trip(2, AF_INET, counts[c], prios[p], 300, VRRP_PKT_AUTH_AH);
			round_trip(3, AF_INET, counts[c], prios[p], 1, VRRP_PKT_AUTH_NONE);
			round_trip(3, AF_INET, counts[c], prios[p], 4095, VRRP_PKT_AUTH_NONE);
			round_trip(3, AF_INET6, counts[c], prios[p], 100, VRRP_PKT_AUTH_NONE);
		}
	}
}

/* ---- hostile input ------------------------------------------------------ */

/* Capture c cut to len bytes must be dropped, and for the right reason. */
static void truncate_one(const struct capture *c, size_t len)
{
	size_t off = vrrp_off(c->family, c->pkt);
	enum vrrp_drop want = len < off + VRRP_HDR_LEN ? VRRP_DROP_SHORT : VRRP_DROP_ADDR_COUNT;
	struct vrrp_advert adv;
	uint8_t buf[128];

	memcpy(buf, c->pkt, c->len);
	if (c->family == AF_INET6) {
		expect_drop(c->name, parse_pkt(AF_INET6, buf, len, NULL, &adv), want);
		return;
	}
	/* as received: the IP header says there should be more */
	expect_drop(c->name, parse_pkt(AF_INET, buf, len, NULL, &adv), VRRP_DROP_SHORT);
	if (len < 20)
		return;
	/* consistent IP length: the VRRP layer must notice */
	set_tot_len(buf, len);
	expect_drop(c->name, parse_pkt(AF_INET, buf, len, NULL, &adv), want);
}

static void test_truncated(void **state)
{
	for (size_t i = 0; i < NCAPS; i++) {
		for (size_t len = caps[i].family == AF_INET ? 0 : 40; len < caps[i].len; len++)
			truncate_one(&caps[i], len);
	}
}

/* Bytes whose corruption must be noticed: the VRRP message (checksum or an
 * earlier check); IP version/IHL, length, TTL and protocol; what the v3
 * pseudo header covers; everything the AH ICV covers. ToS, id, fragment
 * field and header checksum of a plain packet are the kernel's business. */
static bool must_detect(const struct capture *c, size_t i)
{
	size_t off = vrrp_off(c->family, c->pkt);

	if (i >= off)
		return true;
	if (c->family == AF_INET6)
		return i >= 7;   /* hop limit, source, destination */
	if (c->auth == VRRP_PKT_AUTH_AH)
		return i != 1 && i != 10 && i != 11;
	if (i == 0 || i == 2 || i == 3 || i == 8 || i == 9)
		return true;
	return c->version == 3 && i >= 12;
}

static void test_bit_flips(void **state)
{
	uint8_t buf[128];

	for (size_t i = 0; i < NCAPS; i++) {
		const struct capture *c = &caps[i];

		for (size_t pos = 0; pos < c->len; pos++) {
			if (!must_detect(c, pos))
				continue;
			for (int bit = 0; bit < 8; bit++) {
				memcpy(buf, c->pkt, c->len);
				buf[pos] ^= (uint8_t)(1u << bit);
				if (receive(c, buf, c->len, NULL, NULL) == VRRP_OK)
					fail_msg("%s: flip of byte %zu bit %d accepted", c->name,
						 pos, bit);
			}
		}
	}
}

/* A case of the drop table: a capture, a mutation, and what must happen. */
struct drop_case {
	const char *what;
	const struct capture *cap;
	void (*mutate)(uint8_t *pkt, size_t *len);
	void (*tweak)(struct vrrp_rx_meta *meta, struct vrrp_pkt_expect *exp);
	enum vrrp_drop want;
};

#define MUTATE(name) static void name(uint8_t *p, size_t *len)
#define TWEAK(name) static void name(struct vrrp_rx_meta *m, struct vrrp_pkt_expect *e)

MUTATE(m_short) { *len = 19; }
MUTATE(m_ipver) { p[0] = 0x65; }
MUTATE(m_ihl) { p[0] = 0x44; }
MUTATE(m_proto) { p[9] = 17; }
MUTATE(m_ah_next) { p[20] = 17; }
MUTATE(m_ah_len) { p[21] = 5; }
MUTATE(m_ttl) { p[8] = 254; }
MUTATE(m_hlim) { p[7] = 254; }
MUTATE(m_csum) { p[vrrp_off(AF_INET, p) + 7] ^= 1; }
MUTATE(m_csum6) { p[47] ^= 0x80; }
MUTATE(m_count_up) { p[vrrp_off(AF_INET, p) + 3]++; }
MUTATE(m_count_down)
{
	p[vrrp_off(AF_INET, p) + 3]--;
	fix_vrrp_csum(AF_INET, p, *len);
}
MUTATE(m_trailing)
{
	memset(p + *len, 0, 4);
	*len += 4;
	set_tot_len(p, *len);
}
MUTATE(m_tot_small) { set_tot_len(p, *len - 1); }
static void set_vt(uint8_t *p, size_t len, uint8_t vt)
{
	p[vrrp_off(AF_INET, p)] = vt;
	fix_vrrp_csum(AF_INET, p, len);
}
MUTATE(m_ver1) { set_vt(p, *len, 0x11); }
MUTATE(m_ver4) { set_vt(p, *len, 0x41); }
MUTATE(m_type2) { set_vt(p, *len, 0x22); }
MUTATE(m_type0) { set_vt(p, *len, 0x30); }
MUTATE(m_v2_in_v6) { p[40] = 0x21; }
MUTATE(m_auth3)
{
	p[24] = 3;
	fix_vrrp_csum(AF_INET, p, *len);
}
MUTATE(m_auth2_no_ah)
{
	p[24] = 2;
	memset(p + 32, 0, 8);
	fix_vrrp_csum(AF_INET, p, *len);
}
MUTATE(m_pass_in_ah)
{
	p[48] = 1;
	memcpy(p + 56, "ahkey", 5);
	fix_vrrp_csum(AF_INET, p, *len);
}
MUTATE(m_as_v2)
{
	uint16_t c;

	p[26] = p[27] = 0;
	c = ref_csum(p + 20, *len - 20);
	p[26] = (uint8_t)(c >> 8);
	p[27] = (uint8_t)c;
}

TWEAK(t_v6_nosrc) { m->src.family = 0; }
TWEAK(t_expect_v3) { m->expect_version = 3; }
TWEAK(t_vrid) { e->vrid = 99; }
TWEAK(t_inst_v3) { e->version = 3; }
TWEAK(t_as_v2_rx) { m->csum_accept = VRRP_CSUM_ACCEPT_V3_AS_V2; }
TWEAK(t_auth_none) { e->auth_type = VRRP_PKT_AUTH_NONE; }
TWEAK(t_auth_ah) { e->auth_type = VRRP_PKT_AUTH_AH; }
TWEAK(t_pass_ahkey) { e->auth_type = VRRP_PKT_AUTH_PASS; }
TWEAK(t_pass) { vrrp_pkt_auth_data(e->auth_data, "secret1"); }
TWEAK(t_ah_key) { vrrp_pkt_auth_data(e->auth_data, "ahkez"); }
TWEAK(t_ah_nohmac) { e->ah_hmac = NULL; }
TWEAK(t_interval) { e->interval_cs = 200; }
TWEAK(t_unicast) { e->unicast = true; }
TWEAK(t_mcast) { e->unicast = false; }
TWEAK(t_one_vip) { e->nvips = 1; }
TWEAK(t_other_vip)
{
	static struct ka_addr vip[2];

	ka_addr_parse("10.99.1.12", false, &vip[0]);
	ka_addr_parse("10.99.1.99", false, &vip[1]);
	e->vips = vip;
}
static struct vrrp_pkt_peer test_peer;

static void set_peer(struct vrrp_pkt_expect *e, const char *addr, uint8_t min_ttl)
{
	ka_addr_parse(addr, false, &test_peer.addr);
	test_peer.min_ttl = min_ttl;
	test_peer.max_ttl = 255;
	e->check_unicast_src = true;
	e->peers = &test_peer;
	e->npeers = 1;
}
TWEAK(t_src) { set_peer(e, "10.99.0.3", 0); }
TWEAK(t_ucast_ttl)
{
	m->unicast = true;
	set_peer(e, "10.99.0.1", 255);
}

static const struct drop_case drop_cases[] = {
	{ "19 bytes", CAP_V2_PASS, m_short, NULL, VRRP_DROP_SHORT },
	{ "IP version 6 in IPv4", CAP_V2_PASS, m_ipver, NULL, VRRP_DROP_IP },
	{ "IHL 4", CAP_V2_PASS, m_ihl, NULL, VRRP_DROP_IP },
	{ "IPv6 without source", CAP_V3_IP6, NULL, t_v6_nosrc, VRRP_DROP_IP },
	{ "protocol UDP", CAP_V2_PASS, m_proto, NULL, VRRP_DROP_PROTO },
	{ "AH carrying UDP", CAP_V2_AH, m_ah_next, NULL, VRRP_DROP_PROTO },
	{ "AH length 5", CAP_V2_AH, m_ah_len, NULL, VRRP_DROP_AH },
	{ "TTL 254", CAP_V2_PASS, m_ttl, NULL, VRRP_DROP_TTL },
	{ "hop limit 254", CAP_V3_IP6, m_hlim, NULL, VRRP_DROP_TTL },
	{ "VRRP version 1", CAP_V2_PASS, m_ver1, NULL, VRRP_DROP_VERSION },
	{ "VRRP version 4", CAP_V2_PASS, m_ver4, NULL, VRRP_DROP_VERSION },
	{ "v2 when v3 expected", CAP_V2_PASS, NULL, t_expect_v3, VRRP_DROP_VERSION },
	{ "v2 over IPv6", CAP_V3_IP6, m_v2_in_v6, NULL, VRRP_DROP_VERSION },
	{ "type 2", CAP_V2_PASS, m_type2, NULL, VRRP_DROP_TYPE },
	{ "type 0", CAP_V3_IP4, m_type0, NULL, VRRP_DROP_TYPE },
	{ "count + 1", CAP_V2_PASS, m_count_up, NULL, VRRP_DROP_ADDR_COUNT },
	{ "count - 1", CAP_V3_IP4, m_count_down, NULL, VRRP_DROP_LENGTH },
	{ "4 trailing bytes", CAP_V3_IP4, m_trailing, NULL, VRRP_DROP_LENGTH },
	{ "IP length short of received", CAP_V2_PASS, m_tot_small, NULL, VRRP_DROP_LENGTH },
	{ "v2 checksum", CAP_V2_PASS, m_csum, NULL, VRRP_DROP_CHECKSUM },
	{ "v3 checksum", CAP_V3_IP4, m_csum, NULL, VRRP_DROP_CHECKSUM },
	{ "v3 IPv6 checksum", CAP_V3_IP6, m_csum6, NULL, VRRP_DROP_CHECKSUM },
	{ "v3 checksum as v2, not accepted", CAP_V3_IP4, m_as_v2, NULL, VRRP_DROP_CHECKSUM },
	{ "v3 as v2 accepted by socket only", CAP_V3_IP4, m_as_v2, t_as_v2_rx,
	  VRRP_DROP_CHECKSUM },
	{ "other VRID", CAP_V2_PASS, NULL, t_vrid, VRRP_DROP_VRID },
	{ "v2 advert, v3 instance", CAP_V2_PASS, NULL, t_inst_v3, VRRP_DROP_VERSION },
	{ "PASS advert, no auth configured", CAP_V2_PASS, NULL, t_auth_none,
	  VRRP_DROP_AUTH_TYPE },
	{ "auth type 3", CAP_V2_PASS, m_auth3, NULL, VRRP_DROP_AUTH_TYPE },
	{ "PASS advert, AH configured", CAP_V2_PASS, NULL, t_auth_ah, VRRP_DROP_AUTH_TYPE },
	{ "AH advert, no auth configured", CAP_V2_AH, NULL, t_auth_none, VRRP_DROP_AUTH_TYPE },
	{ "AH auth type without AH header", CAP_V2_PASS, m_auth2_no_ah, t_auth_ah,
	  VRRP_DROP_AUTH_TYPE },
	{ "PASS advert inside an AH header", CAP_V2_AH, m_pass_in_ah, t_pass_ahkey,
	  VRRP_DROP_AUTH_TYPE },
	{ "password prefix", CAP_V2_PASS, NULL, t_pass, VRRP_DROP_AUTH },
	{ "AH wrong key", CAP_V2_AH, NULL, t_ah_key, VRRP_DROP_AUTH },
	{ "AH without HMAC", CAP_V2_AH, NULL, t_ah_nohmac, VRRP_DROP_AUTH },
	{ "v2 interval", CAP_V2_PASS, NULL, t_interval, VRRP_DROP_INTERVAL },
	{ "multicast in unicast mode", CAP_V2_PASS, NULL, t_unicast, VRRP_DROP_DST },
	{ "unicast in multicast mode", CAP_UNICAST, NULL, t_mcast, VRRP_DROP_DST },
	{ "VIP count", CAP_V3_IP4, NULL, t_one_vip, VRRP_DROP_ADDR_LIST },
	{ "VIP list", CAP_V3_IP4, NULL, t_other_vip, VRRP_DROP_ADDR_LIST },
	{ "unicast source not a peer", CAP_UNICAST, NULL, t_src, VRRP_DROP_SRC },
	{ "unicast TTL below peer range", CAP_UNICAST, m_ttl, t_ucast_ttl, VRRP_DROP_TTL },
};

static void test_drop_reasons(void **state)
{
	bool seen[VRRP_DROP_MAX] = { false };

	for (size_t i = 0; i < sizeof(drop_cases) / sizeof(drop_cases[0]); i++) {
		const struct drop_case *d = &drop_cases[i];
		struct vrrp_rx_meta meta = { .hop_limit = -1 };
		struct vrrp_pkt_expect exp;
		struct ka_addr vips[2];
		uint8_t buf[128];
		size_t len = d->cap->len;
		enum vrrp_drop r;

		memcpy(buf, d->cap->pkt, len);
		cap_expect(d->cap, &exp, vips);
		if (d->mutate)
			d->mutate(buf, &len);
		if (d->cap->family == AF_INET6)
			pkt_src_dst(AF_INET6, buf, &meta.src, &meta.dst);
		if (d->tweak)
			d->tweak(&meta, &exp);
		if (d->cap->family == AF_INET6) {
			struct vrrp_advert adv;

			meta.family = AF_INET6;
			meta.hop_limit = buf[7];
			r = vrrp_pkt_parse(buf + 40, len - 40, &meta, &adv);
			if (r == VRRP_OK)
				r = vrrp_pkt_check_instance(&adv, &exp);
		} else {
			r = receive(d->cap, buf, len, &meta, &exp);
		}
		expect_drop(d->what, r, d->want);
		seen[r] = true;
	}
	for (int r = 1; r < VRRP_DROP_MAX; r++) {
		if (!seen[r])
			fail_msg("drop reason %s never exercised", vrrp_drop_str(r));
	}
}

/* ---- what must still be accepted ---------------------------------------- */

/* Non-standard checksums pass only when both stages allow them. */
static void test_accept_checksums(void **state)
{
	const struct capture *c = CAP_V3_IP4;
	struct vrrp_rx_meta meta = { .hop_limit = -1 };
	struct vrrp_pkt_expect exp;
	struct vrrp_pkt_params p;
	struct ka_addr addrs[2], vips[2];
	struct vrrp_advert adv;
	uint8_t buf[128];
	const char *err;
	size_t len;

	/* v3 checksum without pseudo header (v3_checksum_as_v2) */
	cap_params(c, &p, addrs);
	p.v3_checksum_as_v2 = true;
	len = (size_t)vrrp_pkt_build_ip4(&p, buf, sizeof(buf), &err);
	assert_int_equal(ref_csum(buf + 20, len - 20), 0);
	expect_drop("v3 as v2, parse only", parse_pkt(AF_INET, buf, len, &meta, &adv),
		    VRRP_DROP_CHECKSUM);
	meta.csum_accept = VRRP_CSUM_ACCEPT_V3_AS_V2;
	cap_expect(c, &exp, vips);
	exp.csum_accept = VRRP_CSUM_ACCEPT_V3_AS_V2;
	expect_drop("v3 as v2", receive(c, buf, len, &meta, &exp), VRRP_OK);
	parse_pkt(AF_INET, buf, len, &meta, &adv);
	assert_int_equal(adv.csum, VRRP_CSUM_V3_AS_V2);

	/* pre-1.3.6 unicast checksum: pseudo header names the group, not the peer */
	c = CAP_UNICAST;
	cap_params(c, &p, addrs);
	ka_addr_parse("224.0.0.18", false, &p.csum_dst);
	len = (size_t)vrrp_pkt_build_ip4(&p, buf, sizeof(buf), &err);
	assert_memory_not_equal(buf, c->pkt, len);
	memset(&meta, 0, sizeof(meta));
	expect_drop("old unicast, not accepted", receive(c, buf, len, &meta, NULL),
		    VRRP_DROP_CHECKSUM);
	meta.csum_accept = VRRP_CSUM_ACCEPT_OLD_UNICAST;
	ka_addr_parse("224.0.0.18", false, &meta.mcast_group);
	cap_expect(c, &exp, vips);
	exp.csum_accept = VRRP_CSUM_ACCEPT_OLD_UNICAST;
	expect_drop("old unicast", receive(c, buf, len, &meta, &exp), VRRP_OK);
	parse_pkt(AF_INET, buf, len, &meta, &adv);
	assert_int_equal(adv.csum, VRRP_CSUM_OLD_UNICAST);
}

/* TTL / hop limit rules for unicast and for unknown IPv6 hop limits. */
static void test_accept_ttl(void **state)
{
	const struct capture *c = CAP_UNICAST;
	struct vrrp_rx_meta meta = { .unicast = true };
	struct vrrp_pkt_expect exp;
	struct ka_addr vips[2];
	struct vrrp_advert adv;
	uint8_t buf[128];

	/* unicast: TTL within the peer's range, and the source check passing */
	memcpy(buf, c->pkt, c->len);
	buf[8] = 64;
	cap_expect(c, &exp, vips);
	set_peer(&exp, "10.99.0.1", 64);
	expect_drop("unicast TTL 64", receive(c, buf, c->len, &meta, &exp), VRRP_OK);
	test_peer.max_ttl = 63;
	expect_drop("unicast TTL above range", receive(c, buf, c->len, &meta, &exp), VRRP_DROP_TTL);
	buf[8] = 255;
	test_peer.max_ttl = 254;
	expect_drop("unicast TTL 255 above", receive(c, buf, c->len, &meta, &exp), VRRP_DROP_TTL);

	/* check_unicast_src only applies to unicast instances */
	c = CAP_V3_IP4;
	cap_expect(c, &exp, vips);
	set_peer(&exp, "10.99.0.3", 0);
	expect_drop("multicast, source check", receive(c, c->pkt, c->len, NULL, &exp), VRRP_OK);

	/* IPv6 with unknown hop limit, and in unicast mode */
	c = CAP_V3_IP6;
	memset(&meta, 0, sizeof(meta));
	meta.family = AF_INET6;
	pkt_src_dst(AF_INET6, c->pkt, &meta.src, &meta.dst);
	meta.hop_limit = -1;
	expect_drop("hop limit unknown", vrrp_pkt_parse(c->pkt + 40, c->len - 40, &meta, &adv),
		    VRRP_OK);
	meta.hop_limit = 1;
	meta.unicast = true;
	expect_drop("hop limit 1 unicast", vrrp_pkt_parse(c->pkt + 40, c->len - 40, &meta, &adv),
		    VRRP_OK);
}

/* Fields a receiver must tolerate: v3 interval, reserved bits, VIP order,
 * over-long configured passwords. */
static void test_accept_fields(void **state)
{
	const struct capture *c = CAP_V3_IP4;
	struct vrrp_pkt_expect exp;
	struct ka_addr vips[2], swapped[2];
	struct vrrp_advert adv;
	uint8_t buf[128];

	/* v3: a different interval is adopted, not dropped */
	cap_expect(c, &exp, vips);
	exp.interval_cs = 100;
	expect_drop("v3 interval", receive(c, c->pkt, c->len, NULL, &exp), VRRP_OK);

	/* the 4 reserved bits before the v3 interval are ignored */
	memcpy(buf, c->pkt, c->len);
	buf[24] |= 0xf0;
	fix_vrrp_csum(AF_INET, buf, c->len);
	expect_drop("reserved bits", parse_pkt(AF_INET, buf, c->len, NULL, &adv), VRRP_OK);
	assert_int_equal(adv.interval_cs, 50);

	/* an IPv6 VIP never matches an IPv4 address, even with equal leading bytes */
	ka_addr_parse("a63:10c::", false, &vips[0]);
	expect_drop("VIP family", receive(c, c->pkt, c->len, NULL, &exp), VRRP_DROP_ADDR_LIST);

	/* VIPs in another order; skip_check_adv_addr skips the list */
	cap_expect(c, &exp, vips);
	swapped[0] = vips[1];
	swapped[1] = vips[0];
	exp.vips = swapped;
	expect_drop("VIP order", receive(c, c->pkt, c->len, NULL, &exp), VRRP_OK);
	exp.nvips = 1;
	expect_drop("VIP count", receive(c, c->pkt, c->len, NULL, &exp), VRRP_DROP_ADDR_LIST);
	exp.skip_addr_check = true;
	expect_drop("skip addr check", receive(c, c->pkt, c->len, NULL, &exp), VRRP_OK);

	/* a password longer than 8 characters is cut, as keepalived does */
	c = CAP_V2_PASS;
	cap_expect(c, &exp, vips);
	vrrp_pkt_auth_data(exp.auth_data, "secret12-and-more");
	expect_drop("long password", receive(c, c->pkt, c->len, NULL, &exp), VRRP_OK);
}

static void test_address_mismatch_flag(void **state)
{
	const struct capture *c = CAP_V3_IP4;
	struct vrrp_pkt_expect exp;
	struct ka_addr vips[2];
	struct vrrp_advert adv;

	assert_int_equal(parse_pkt(c->family, c->pkt, c->len, NULL, &adv), VRRP_OK);
	cap_expect(c, &exp, vips);
	ka_addr_parse("10.99.1.99", false, &vips[1]);
	assert_int_equal(vrrp_pkt_check_instance(&adv, &exp), VRRP_DROP_ADDR_LIST);
	assert_true(adv.addr_mismatch);
	/* the advert stays usable for counting and logging */
	assert_int_equal(adv.priority, 120);
	ka_addr_parse("10.99.1.13", false, &vips[1]);
	assert_int_equal(vrrp_pkt_check_instance(&adv, &exp), VRRP_OK);
	assert_false(adv.addr_mismatch);
}

/* ---- builder errors ----------------------------------------------------- */

static void test_build_errors(void **state)
{
	struct vrrp_pkt_params p, base;
	struct ka_addr addrs[2], v6;
	uint8_t buf[VRRP_IP4_PKT_MAX];
	const char *err;

	cap_params(CAP_V2_PASS, &base, addrs);
	ka_addr_parse("fe80::1", false, &v6);
#define BAD(stmt, fn) do { \
		p = base; stmt; err = NULL; \
		assert_int_equal(fn(&p, buf, sizeof(buf), &err), -1); \
		assert_non_null(err); \
	} while (0)
	BAD(p.version = 1, vrrp_pkt_build);
	BAD(p.version = 4, vrrp_pkt_build);
	BAD(p.family = AF_INET6, vrrp_pkt_build);
	BAD(p.interval_cs = 150, vrrp_pkt_build);
	BAD(p.interval_cs = 0, vrrp_pkt_build);
	BAD(p.interval_cs = 25600, vrrp_pkt_build);
	BAD(p.auth_type = 3, vrrp_pkt_build);
	BAD(p.vrid = 0, vrrp_pkt_build);
	BAD(p.naddr = 256, vrrp_pkt_build);
	BAD(p.addrs = NULL, vrrp_pkt_build);
	BAD(p.addrs = &v6, vrrp_pkt_build);
	BAD((p.version = 3, p.interval_cs = 0), vrrp_pkt_build);
	BAD((p.version = 3, p.interval_cs = 4096), vrrp_pkt_build);
	BAD(p.version = 3, vrrp_pkt_build);  /* v3 with PASS */
	BAD((p.version = 3, p.auth_type = 0, p.dst = v6), vrrp_pkt_build);
	BAD((p.auth_type = VRRP_PKT_AUTH_AH, p.ah_hmac = NULL), vrrp_pkt_build_ip4);
	BAD(p.src = v6, vrrp_pkt_build_ip4);
	BAD((p.version = 3, p.auth_type = 0, p.family = AF_INET6, p.naddr = 0, p.src = v6,
	     p.dst = v6), vrrp_pkt_build_ip4);
#undef BAD
	p = base;
	assert_int_equal(vrrp_pkt_build(&p, buf, 19, &err), -1);
	assert_int_equal(vrrp_pkt_build(&p, buf, 20, &err), 20);
	assert_int_equal(vrrp_pkt_build_ip4(&p, buf, 39, &err), -1);
	assert_int_equal(vrrp_pkt_build_ip4(&p, buf, 40, &err), 40);
}

static void test_drop_str(void **state)
{
	for (int i = 0; i < VRRP_DROP_MAX; i++) {
		assert_non_null(vrrp_drop_str(i));
		assert_string_not_equal(vrrp_drop_str(i), "unknown");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(vrrp_drop_str(i), vrrp_drop_str(j));
	}
	assert_string_equal(vrrp_drop_str(VRRP_OK), "ok");
	assert_string_equal(vrrp_drop_str(VRRP_DROP_TTL), "ttl");
	assert_string_equal(vrrp_drop_str(VRRP_DROP_MAX), "unknown");
	assert_string_equal(vrrp_drop_str(-1), "unknown");
}

/* The ICV framing, checked with libcrypto directly against the capture. */
static void test_ah_icv_input(void **state)
{
	const struct capture *c = CAP_V2_AH;
	uint8_t in[VRRP_IP4_PKT_MAX], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t n = vrrp_pkt_ah_icv_input(c->pkt, c->len, in, sizeof(in));

	assert_int_equal(n, c->len);
	assert_int_equal(in[1], 0);
	assert_int_equal(in[10] | in[11], 0);
	assert_int_equal(in[8], 255);     /* TTL stays: keepalived includes it */
	assert_memory_equal(in + 44, c->pkt + 44, c->len - 44);
	assert_non_null(HMAC(EVP_md5(), "ahkey", 5, in, n, md, &mdlen));
	assert_memory_equal(md, c->pkt + 32, VRRP_AH_ICV_LEN);
	assert_int_equal(vrrp_pkt_ah_icv_input(c->pkt, c->len, in, c->len - 1), 0);
	assert_int_equal(vrrp_pkt_ah_icv_input(CAP_V2_PASS->pkt, CAP_V2_PASS->len, in,
					       sizeof(in)), 0);
	assert_int_equal(vrrp_pkt_ah_icv_input(c->pkt, 43, in, sizeof(in)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captures_decode),
		cmocka_unit_test(test_captures_encode),
		cmocka_unit_test(test_checksum_reference),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bit_flips),
		cmocka_unit_test(test_drop_reasons),
		cmocka_unit_test(test_accept_checksums),
		cmocka_unit_test(test_accept_ttl),
		cmocka_unit_test(test_accept_fields),
		cmocka_unit_test(test_address_mismatch_flag),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_drop_str),
		cmocka_unit_test(test_ah_icv_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
