/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_snmp_mib.c - MIB lookups (GET/GETNEXT order), VRRP and checker tables and traps on fakes */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check/check_snmp_int.h"
#include "daemon/global_cfg.h"
#include "daemon/ka_snmp.h"
#include "daemon/options.h"
#include "snmp_mib.h"
#include "util.h"
#include "vrrp/vrrp_snmp_int.h"

#define KMIB 1, 3, 6, 1, 4, 1, 9586, 100, 5

/* ---- walking helpers ---- */

#define MAX_WALK 256

struct walk {
	struct snmp_oid oid[MAX_WALK];
	struct snmp_value val[MAX_WALK];
	size_t n;
};

/* Every instance of m in GETNEXT order, starting before its root. */
static void walk(const struct snmp_module *m, void *arg, struct walk *w)
{
	struct snmp_oid q = { .len = 0 };

	snmp_oid_set(&q, m->root, m->rootlen - 1); /* the parent: before everything */
	w->n = 0;
	while (w->n < MAX_WALK &&
	       snmp_mib_next(m, arg, q.v, q.len, &w->oid[w->n], &w->val[w->n]) == 0) {
		q = w->oid[w->n];
		w->n++;
	}
}

static bool oid_is(const struct snmp_oid *o, const uint32_t *v, size_t n)
{
	return !snmp_oid_cmp(o->v, o->len, v, n);
}

/* index of the walked oid equal to v, or -1 */
static int find(const struct walk *w, const uint32_t *v, size_t n)
{
	for (size_t i = 0; i < w->n; i++)
		if (oid_is(&w->oid[i], v, n))
			return (int)i;
	return -1;
}

#define FIND(w, ...) find((w), (const uint32_t[]){ __VA_ARGS__ }, \
			  ARRAY_SIZE(((const uint32_t[]){ __VA_ARGS__ })))

static int64_t int_at(const struct walk *w, int i)
{
	assert_true(i >= 0);
	assert_int_equal(w->val[i].type, SNMP_T_INTEGER);
	return w->val[i].i;
}

static void assert_strictly_increasing(const struct walk *w)
{
	for (size_t i = 1; i < w->n; i++)
		assert_true(snmp_oid_cmp(w->oid[i - 1].v, w->oid[i - 1].len, w->oid[i].v,
					 w->oid[i].len) < 0);
}

/* Every walked instance answers GET with the same value. */
static void assert_get_matches(const struct snmp_module *m, void *arg, const struct walk *w)
{
	struct snmp_value v;

	for (size_t i = 0; i < w->n; i++) {
		assert_int_equal(snmp_mib_get(m, arg, w->oid[i].v, w->oid[i].len, &v), 0);
		assert_int_equal(v.type, w->val[i].type);
		assert_true(v.i == w->val[i].i && v.u == w->val[i].u && v.len == w->val[i].len);
		assert_memory_equal(v.buf, w->val[i].buf, v.len);
	}
}

/* ---- the generic lookup on a toy module ---- */

/* rows given out of order: indexes 7, 2, 5; row 5 lacks column 3 */
static const uint32_t toy_idx[] = { 7, 2, 5 };

static bool toy_row(void *arg, struct snmp_row *r, bool first)
{
	r->a = first ? 0 : r->a + 1;
	if (r->a >= ARRAY_SIZE(toy_idx))
		return false;
	snmp_oid_push(&r->idx, toy_idx[r->a]);
	return true;
}

static bool toy_get(void *arg, const struct snmp_row *r, uint32_t col, struct snmp_value *v)
{
	if (col == 3 && toy_idx[r->a] == 5)
		return false;
	return snmp_val_int(v, (int64_t)(col * 100 + toy_idx[r->a]));
}

static const struct snmp_table toy_table = {
	.first_col = 2, .last_col = 3, .row = toy_row, .get = toy_get,
};

static bool toy_scalar(void *arg, unsigned id, struct snmp_value *v)
{
	if (id == 9)
		return false; /* no value now */
	return snmp_val_str(v, id == 1 ? "one" : "four");
}

static const struct snmp_node toy_nodes[] = {
	{ .sub = { 1 }, .sublen = 1, .id = 1 },
	{ .sub = { 2 }, .sublen = 1, .table = &toy_table },
	{ .sub = { 3 }, .sublen = 1, .id = 9 },
	{ .sub = { 4, 1 }, .sublen = 2, .id = 4 },
};

static const struct snmp_module toy = {
	.name = "toy", .root = { 1, 3, 99 }, .rootlen = 3,
	.nodes = toy_nodes, .nnodes = ARRAY_SIZE(toy_nodes), .scalar = toy_scalar,
};

static void test_oid_order(void **state)
{
	const uint32_t a[] = { 1, 3, 6 }, b[] = { 1, 3, 6, 0 }, c[] = { 1, 4 };

	assert_true(snmp_oid_cmp(a, 3, b, 4) < 0);
	assert_true(snmp_oid_cmp(b, 4, c, 2) < 0);
	assert_int_equal(snmp_oid_cmp(a, 3, a, 3), 0);
	assert_true(snmp_oid_cmp(c, 2, a, 3) > 0);
}

static void test_toy_walk(void **state)
{
	struct walk w;
	const uint32_t expect[][7] = {
		{ 1, 3, 99, 1, 0 },
		{ 1, 3, 99, 2, 1, 2, 2 }, { 1, 3, 99, 2, 1, 2, 5 }, { 1, 3, 99, 2, 1, 2, 7 },
		{ 1, 3, 99, 2, 1, 3, 2 }, { 1, 3, 99, 2, 1, 3, 7 },
		{ 1, 3, 99, 4, 1, 0 },
	};
	const size_t lens[] = { 5, 7, 7, 7, 7, 7, 6 };

	walk(&toy, NULL, &w);
	assert_int_equal(w.n, ARRAY_SIZE(expect));
	for (size_t i = 0; i < w.n; i++)
		assert_true(oid_is(&w.oid[i], expect[i], lens[i]));
	assert_int_equal(w.val[1].i, 202);
	assert_int_equal(w.val[5].i, 307);
	assert_get_matches(&toy, NULL, &w);
}

static void test_toy_edges(void **state)
{
	struct snmp_value v;
	struct snmp_oid out;
	const uint32_t missing_row[] = { 1, 3, 99, 2, 1, 2, 3 };
	const uint32_t absent_col[] = { 1, 3, 99, 2, 1, 3, 5 };
	const uint32_t no_value[] = { 1, 3, 99, 3, 0 };
	const uint32_t scalar_no_0[] = { 1, 3, 99, 1 };
	const uint32_t mid_row[] = { 1, 3, 99, 2, 1, 2, 3 }, after_all[] = { 1, 3, 99, 5 };
	const uint32_t long_idx[] = { 1, 3, 99, 2, 1, 2, 5, 1 };

	assert_int_equal(snmp_mib_get(&toy, NULL, missing_row, 7, &v), -1);
	assert_int_equal(snmp_mib_get(&toy, NULL, absent_col, 7, &v), -1);
	assert_int_equal(snmp_mib_get(&toy, NULL, no_value, 5, &v), -1);
	assert_int_equal(snmp_mib_get(&toy, NULL, scalar_no_0, 4, &v), -1);
	/* between rows 2 and 5 of column 2 */
	assert_int_equal(snmp_mib_next(&toy, NULL, mid_row, 7, &out, &v), 0);
	assert_int_equal(out.v[6], 5);
	/* past row 5 of column 2, with extra sub-ids */
	assert_int_equal(snmp_mib_next(&toy, NULL, long_idx, 8, &out, &v), 0);
	assert_int_equal(out.v[6], 7);
	assert_int_equal(snmp_mib_next(&toy, NULL, after_all, 4, &out, &v), -1);
}

static void test_values(void **state)
{
	struct snmp_value v;
	struct ka_addr a4, a6;
	struct snmp_oid o = { .len = 0 };

	assert_int_equal(ka_addr_parse("10.1.2.3", false, &a4), 0);
	assert_int_equal(ka_addr_parse("fe80::1", false, &a6), 0);
	snmp_val_inet(&v, &a6);
	assert_int_equal(v.len, 16);
	snmp_val_inet_type(&v, &a4);
	assert_int_equal(v.i, 1);
	snmp_val_ipaddr(&v, &a6);
	assert_int_equal(v.type, SNMP_T_IPADDRESS);
	assert_memory_equal(v.buf, "\0\0\0\0", 4);
	snmp_val_gauge(&v, 1ull << 40);
	assert_int_equal(v.u, UINT32_MAX);
	snmp_val_counter32(&v, (1ull << 32) + 5);
	assert_int_equal(v.u, 5);
	snmp_oid_push_inet(&o, &a4);
	assert_int_equal(o.len, 5);
	assert_int_equal(o.v[0], 4);
	assert_int_equal(o.v[4], 3);
}

/* ---- VRRP modules on a fake source ---- */

struct fake_vrrp {
	struct vrrp_snmp_inst inst[3];
	struct vrrp_snmp_addr addr[3][2];
	size_t naddr[3];
	struct vrrp_snmp_addr stat;
	struct vrrp_snmp_group group;
};

static struct fake_vrrp fv;

static bool fv_inst(void *arg, size_t i, struct vrrp_snmp_inst *o)
{
	if (i >= 3)
		return false;
	*o = fv.inst[i];
	return true;
}

static bool fv_addr(void *arg, size_t i, size_t j, struct vrrp_snmp_addr *o)
{
	if (i == VRRP_SNMP_STATIC) {
		if (j)
			return false;
		*o = fv.stat;
		return true;
	}
	if (i >= 3 || j >= fv.naddr[i])
		return false;
	*o = fv.addr[i][j];
	return true;
}

static bool fv_track(void *arg, size_t i, size_t j, struct vrrp_snmp_track *o)
{
	return false;
}

static bool fv_group(void *arg, size_t i, struct vrrp_snmp_group *o)
{
	if (i)
		return false;
	*o = fv.group;
	return true;
}

static const char *fv_member(void *arg, size_t i, size_t j)
{
	return i == 0 && j < 2 ? fv.inst[j].name : NULL;
}

static void fv_errors(void *arg, uint64_t *c, uint64_t *v, uint64_t *r)
{
	*c = 1;
	*v = 2;
	*r = 3;
}

static size_t fv_index(void *arg, const void *h)
{
	return SIZE_MAX;
}

static const struct vrrp_snmp_source fake_vrrp_src = {
	.inst = fv_inst, .addr = fv_addr, .track_script = fv_track, .group = fv_group,
	.member = fv_member, .router_errors = fv_errors, .inst_index = fv_index,
	.group_index = fv_index,
};

static struct global_cfg fake_g = { .router_id = (char *)"rtr-1" };

static void fv_setup(void)
{
	memset(&fv, 0, sizeof(fv));
	/* VI_1: v2 IPv4 master on ifindex 4, two VIPs (one excluded) */
	fv.inst[0] = (struct vrrp_snmp_inst){
		.name = "VI_1", .vrid = 51, .version = 2, .family = AF_INET,
		.state = VRRP_SNMP_MASTER, .initial_state = VRRP_SNMP_BACKUP,
		.wanted_state = VRRP_SNMP_MASTER, .base_prio = 100, .prio = 90, .nvips = 1,
		.vips_set = true, .ifname = "eth0", .ifindex = 4, .preempt = true,
		.adver_int_us = 2000000, .auth_type = 1, .sync_group = "G1",
		.stats = { .become_master = 3, .advert_rcvd = 10 },
	};
	ka_addr_parse("10.0.0.1", false, &fv.inst[0].primary_addr);
	ka_addr_parse("10.0.0.100", false, &fv.addr[0][0].addr);
	fv.addr[0][0].addr.prefix = 24;
	fv.addr[0][0].advertised = fv.addr[0][0].set = true;
	ka_addr_parse("10.0.0.101", false, &fv.addr[0][1].addr);
	fv.naddr[0] = 2;
	/* VI_6: v3 IPv6 backup on ifindex 2 */
	fv.inst[1] = (struct vrrp_snmp_inst){
		.name = "VI_6", .vrid = 9, .version = 3, .family = AF_INET6,
		.state = VRRP_SNMP_BACKUP, .base_prio = 50, .prio = 50, .nvips = 1,
		.ifname = "eth1", .ifindex = 2, .adver_int_us = 500000,
	};
	ka_addr_parse("fd00::1", false, &fv.addr[1][0].addr);
	fv.addr[1][0].advertised = true;
	fv.naddr[1] = 1;
	/* VI_X: v2 without VIPs: in no RFC table */
	fv.inst[2] = (struct vrrp_snmp_inst){
		.name = "VI_X", .vrid = 3, .version = 2, .family = AF_INET,
		.state = VRRP_SNMP_FAULT, .ifname = "eth0", .ifindex = 4,
	};
	ka_addr_parse("192.168.1.1", false, &fv.stat.addr);
	fv.group = (struct vrrp_snmp_group){ .name = "G1", .state = VRRP_SNMP_MASTER };
}

static struct vrrp_snmp *fv_snmp(void)
{
	struct vrrp_snmp *s = vrrp_snmp_new(&fake_vrrp_src, NULL);

	s->set.vrrp = s->set.rfcv2 = s->set.rfcv3 = s->set.traps = true;
	s->global.g = &fake_g;
	return s;
}

static void test_vrrp_kmib(void **state)
{
	struct vrrp_snmp *s;
	struct walk w;
	int i;

	fv_setup();
	s = fv_snmp();
	walk(&vrrp_snmp_kmib_module, s, &w);
	assert_strictly_increasing(&w);
	assert_get_matches(&vrrp_snmp_kmib_module, s, &w);
	/* vrrpInstanceState.1 = master(2), .3 = fault(3) */
	assert_int_equal(int_at(&w, FIND(&w, KMIB, 2, 3, 1, 4, 1)), 2);
	assert_int_equal(int_at(&w, FIND(&w, KMIB, 2, 3, 1, 4, 3)), 3);
	/* effective priority 90, advert interval 2 s (v2) and 50 cs (v3) */
	assert_int_equal(int_at(&w, FIND(&w, KMIB, 2, 3, 1, 8, 1)), 90);
	assert_int_equal(w.val[FIND(&w, KMIB, 2, 3, 1, 12, 1)].u, 2);
	assert_int_equal(w.val[FIND(&w, KMIB, 2, 3, 1, 12, 2)].u, 50);
	/* sync group name only where there is one */
	i = FIND(&w, KMIB, 2, 3, 1, 18, 1);
	assert_true(i >= 0 && w.val[i].len == 2 && !memcmp(w.val[i].buf, "G1", 2));
	assert_int_equal(FIND(&w, KMIB, 2, 3, 1, 18, 2), -1);
	/* multicast address type absent (not set in the fake) */
	assert_int_equal(FIND(&w, KMIB, 2, 3, 1, 34, 1), -1);
	/* addresses: static under instance 0, then VI_1's two, VI_6's one */
	i = FIND(&w, KMIB, 2, 6, 1, 3, 0, 1);
	assert_true(i >= 0 && w.val[i].len == 4 && w.val[i].buf[0] == 192);
	assert_int_equal(int_at(&w, FIND(&w, KMIB, 2, 6, 1, 11, 1, 2)), 2); /* excluded */
	assert_int_equal(w.val[FIND(&w, KMIB, 2, 6, 1, 3, 2, 1)].len, 16);
	assert_int_equal(w.val[FIND(&w, KMIB, 2, 6, 1, 5, 1, 1)].u, 24);
	/* group member table */
	assert_true(FIND(&w, KMIB, 2, 2, 1, 2, 1, 2) >= 0);
	vrrp_snmp_free(s);
}

static void test_vrrp_rfc(void **state)
{
	struct vrrp_snmp *s;
	struct walk w;
	int i;

	fv_setup();
	s = fv_snmp();
	walk(&vrrp_snmp_rfc2_module, s, &w);
	assert_strictly_increasing(&w);
	assert_get_matches(&vrrp_snmp_rfc2_module, s, &w);
	/* only VI_1 (v2, IPv4, with VIPs): vrrpOperState.4.51 = master(3) */
	assert_int_equal(int_at(&w, FIND(&w, 1, 3, 6, 1, 2, 1, 68, 1, 3, 1, 3, 4, 51)), 3);
	assert_int_equal(FIND(&w, 1, 3, 6, 1, 2, 1, 68, 1, 3, 1, 3, 4, 3), -1);
	/* auth type password -> simpleTextPassword(2) */
	assert_int_equal(int_at(&w, FIND(&w, 1, 3, 6, 1, 2, 1, 68, 1, 3, 1, 9, 4, 51)), 2);
	/* associated address: the advertised VIP only */
	assert_true(FIND(&w, 1, 3, 6, 1, 2, 1, 68, 1, 4, 1, 2, 4, 51, 10, 0, 0, 100) >= 0);
	assert_int_equal(FIND(&w, 1, 3, 6, 1, 2, 1, 68, 1, 4, 1, 2, 4, 51, 10, 0, 0, 101), -1);
	/* global counters and per-router statistics */
	assert_int_equal(w.val[FIND(&w, 1, 3, 6, 1, 2, 1, 68, 2, 3, 0)].u, 3);
	assert_int_equal(w.val[FIND(&w, 1, 3, 6, 1, 2, 1, 68, 2, 4, 1, 1, 4, 51)].u, 3);

	walk(&vrrp_snmp_rfc3_module, s, &w);
	assert_strictly_increasing(&w);
	assert_get_matches(&vrrp_snmp_rfc3_module, s, &w);
	/* only VI_6, indexed ifIndex.vrid.ipv6(2): status backup(2) */
	i = FIND(&w, 1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 6, 2, 9, 2);
	assert_int_equal(int_at(&w, i), 2);
	assert_int_equal(FIND(&w, 1, 3, 6, 1, 2, 1, 207, 1, 1, 1, 1, 6, 4, 51, 1), -1);
	/* associated address indexed by length 16 and the bytes */
	assert_true(FIND(&w, 1, 3, 6, 1, 2, 1, 207, 1, 1, 2, 1, 2, 2, 9, 2, 16,
			 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1) >= 0);
	vrrp_snmp_free(s);
}

static void test_vrrp_traps(void **state)
{
	struct vrrp_snmp *s;
	const struct snmp_trap *t;
	const uint32_t trap_oid[] = { KMIB, 2, 10, 0, 2 };
	const uint32_t state_oid[] = { KMIB, 2, 3, 1, 4, 1 };
	const uint32_t rid[] = { KMIB, 1, 2, 0 }, newmaster[] = { 1, 3, 6, 1, 2, 1, 68, 0, 1 };

	fv_setup();
	s = fv_snmp();
	vrrp_snmp_trap_instance(s, 0);
	t = &s->last_trap;
	assert_true(oid_is(&t->trap_oid, trap_oid, ARRAY_SIZE(trap_oid)));
	assert_int_equal(t->n, 4);
	assert_true(oid_is(&t->vb[1].oid, state_oid, ARRAY_SIZE(state_oid)));
	assert_int_equal(t->vb[1].v.i, 2);
	assert_true(oid_is(&t->vb[3].oid, rid, ARRAY_SIZE(rid)));
	assert_memory_equal(t->vb[3].v.buf, "rtr-1", 5);

	/* new master: VRRP-MIB for VI_1 (v2) only, VRRPv3-MIB not */
	s->traps_built = 0;
	vrrp_snmp_trap_new_master(s, 0);
	assert_int_equal(s->traps_built, 1);
	assert_true(oid_is(&s->last_trap.trap_oid, newmaster, ARRAY_SIZE(newmaster)));
	s->set.rfcv2 = false;
	vrrp_snmp_trap_new_master(s, 0);
	assert_int_equal(s->traps_built, 1);
	/* the group trap */
	vrrp_snmp_trap_group(s, 0);
	assert_int_equal(s->last_trap.vb[1].v.i, VRRP_SNMP_MASTER);
	vrrp_snmp_free(s);
}

/* ---- checker module on a fake source ---- */

static struct check_snmp_vs fvs[2];
static struct check_snmp_rs frs[2][2];

static bool fc_vs(void *arg, size_t i, struct check_snmp_vs *o)
{
	if (i >= 2)
		return false;
	*o = fvs[i];
	return true;
}

static bool fc_rs(void *arg, size_t i, size_t j, struct check_snmp_rs *o)
{
	if (i >= 2 || j >= (i == 0 ? 2u : 0u))
		return false;
	*o = frs[i][j];
	return true;
}

static bool fc_find(void *arg, const struct check_vs *vs, const struct check_rs *rs, size_t *i,
		    size_t *j)
{
	return false;
}

static void fc_timeouts(void *arg, unsigned *a, unsigned *b, unsigned *c)
{
	*a = 900;
	*b = 0;
	*c = 0;
}

static const struct check_snmp_source fake_check_src = {
	.vs = fc_vs, .rs = fc_rs, .find = fc_find, .timeouts = fc_timeouts,
};

static void fc_setup(void)
{
	memset(fvs, 0, sizeof(fvs));
	memset(frs, 0, sizeof(frs));
	fvs[0] = (struct check_snmp_vs){
		.type = CHECK_SNMP_VS_IP, .port = 80, .protocol = IPPROTO_TCP, .sched = "wlc",
		.rs_total = 1, .rs_up = 1, .quorum = 1, .quorum_up = true,
		.has_stats = true, .stats = { .conns = 7, .inbytes = 1ull << 40 },
	};
	ka_addr_parse("10.0.0.200", false, &fvs[0].addr);
	fvs[1] = (struct check_snmp_vs){
		.type = CHECK_SNMP_VS_FWMARK, .fwmark = 5, .sched = "xyz",
	};
	frs[0][0] = (struct check_snmp_rs){ .port = 80, .alive = true, .weight = 3 };
	ka_addr_parse("10.0.0.50", false, &frs[0][0].addr);
	frs[0][1] = (struct check_snmp_rs){ .sorry = true, .port = 8080 };
	ka_addr_parse("10.0.0.60", false, &frs[0][1].addr);
}

static void test_check_module(void **state)
{
	struct check_snmp *s;
	struct walk w;
	const uint32_t rs_status[] = { KMIB, 3, 4, 1, 6, 1, 1 };

	fc_setup();
	s = check_snmp_new(&fake_check_src, NULL);
	s->set.checker = s->set.traps = true;
	s->global.g = &fake_g;
	walk(&check_snmp_module, s, &w);
	assert_strictly_increasing(&w);
	assert_get_matches(&check_snmp_module, s, &w);
	/* address only for the IP server, fwmark only for the fwmark one */
	assert_true(FIND(&w, KMIB, 3, 3, 1, 6, 1) >= 0);
	assert_int_equal(FIND(&w, KMIB, 3, 3, 1, 6, 2), -1);
	assert_int_equal(w.val[FIND(&w, KMIB, 3, 3, 1, 4, 2)].u, 5);
	/* wlc(4), unknown(99) */
	assert_int_equal(int_at(&w, FIND(&w, KMIB, 3, 3, 1, 9, 1)), 4);
	assert_int_equal(int_at(&w, FIND(&w, KMIB, 3, 3, 1, 9, 2)), 99);
	/* counters only where IPVS gave them */
	assert_int_equal(w.val[FIND(&w, KMIB, 3, 3, 1, 30, 1)].u, 1ull << 40);
	assert_int_equal(FIND(&w, KMIB, 3, 3, 1, 30, 2), -1);
	/* the sorry server is type sorry(2), row 1.2 */
	assert_int_equal(int_at(&w, FIND(&w, KMIB, 3, 4, 1, 2, 1, 2)), 2);
	/* lvsTimeoutTcp only (the others are not set) */
	assert_int_equal(int_at(&w, FIND(&w, KMIB, 3, 7, 1, 0)), 900);
	assert_int_equal(FIND(&w, KMIB, 3, 7, 2, 0), -1);

	check_snmp_trap_rs(s, 0, 0);
	assert_int_equal(s->traps_built, 1);
	assert_true(oid_is(&s->last_trap.vb[3].oid, rs_status, ARRAY_SIZE(rs_status)));
	assert_int_equal(s->last_trap.vb[3].v.i, 1);
	/* identity of an IP virtual server: address type, address, port */
	assert_int_equal(s->last_trap.n, 4 + 4 + 3 + 1);
	check_snmp_trap_vs(s, 1);
	/* a fwmark server carries its mark instead */
	assert_int_equal(s->last_trap.n, 6 + 1 + 1);
	check_snmp_free(s);
}

/* ---- settings ---- */

static void test_settings(void **state)
{
	struct global_cfg g = {
		.enable_snmp_rfcv3 = true, .snmp_socket = (char *)"tcp:1.2.3.4:705",
	};
	struct ka_options o = { .snmp = false };
	struct ka_snmp_settings s;

	ka_snmp_settings(&o, &g, &s);
	assert_false(s.vrrp || s.checker || s.rfcv2 || s.traps);
	assert_true(s.rfcv3);
	assert_string_equal(s.socket, "tcp:1.2.3.4:705");
	o.snmp = true;
	o.snmp_socket = "/tmp/x";
	ka_snmp_settings(&o, &g, &s);
	assert_true(s.vrrp && s.checker && s.rfcv2 && s.rfcv3);
	assert_false(s.traps);
	assert_string_equal(s.socket, "/tmp/x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oid_order),
		cmocka_unit_test(test_toy_walk),
		cmocka_unit_test(test_toy_edges),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_vrrp_kmib),
		cmocka_unit_test(test_vrrp_rfc),
		cmocka_unit_test(test_vrrp_traps),
		cmocka_unit_test(test_check_module),
		cmocka_unit_test(test_settings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
