/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_check_ipvs.c - desired IPVS table from config and health, diff against a fake kernel */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <linux/ip_vs.h>

#include "check/check_cfg.h"
#include "check/check_ipvs.h"
#include "daemon/config.h"
#include "util.h"

/* ---- fixture ---- */

static struct ka_config *cfg;
static struct check_ipvs_table want, kern, owned;
static struct check_ipvs_ops ops;

static void quiet(void *arg, enum cfg_level lvl, const char *msg)
{
	fprintf(stderr, "config: %s\n", msg);
}

static const struct check_vs *parse_vs(const char *text, unsigned n)
{
	struct cfg_diag diag = { .emit = quiet };
	cfg = ka_config_parse_buf("test.conf", text, strlen(text), NULL, &diag);
	assert_non_null(cfg);
	assert_int_equal(cfg->errors, 0);
	const struct cfg_node *node = cfg->check->vs.head;
	for (unsigned i = 0; i < n && node; i++)
		node = node->next;
	assert_non_null(node);
	return (const struct check_vs *)(const void *)node;
}

static int teardown(void **state)
{
	ka_config_free(cfg);
	cfg = NULL;
	check_ipvs_table_free(&want);
	check_ipvs_table_free(&kern);
	check_ipvs_table_free(&owned);
	check_ipvs_ops_free(&ops);
	return 0;
}

static struct ka_addr A(const char *s)
{
	struct ka_addr a;
	assert_int_equal(ka_addr_parse(s, false, &a), 0);
	return a;
}

static struct ipvs_service svc_key(int proto, const char *addr, uint16_t port)
{
	struct ipvs_service s;
	struct ka_addr a = A(addr);
	ipvs_service_init(&s, a.family);
	s.protocol = (uint16_t)proto;
	s.addr = a;
	s.port = port;
	return s;
}

static struct ipvs_dest dest_key(const char *addr, uint16_t port)
{
	struct ipvs_dest d = { .addr = A(addr), .port = port };
	return d;
}

static const struct check_ipvs_dest *find_dest(const struct check_ipvs_table *t,
					       const struct ipvs_service *s, const char *addr,
					       uint16_t port)
{
	struct ipvs_dest k = dest_key(addr, port);
	return check_ipvs_svc_find(check_ipvs_table_find(t, s), &k);
}

/* The kernel as it would be after applying want: wanted destinations only,
 * plus the HASHED flag the kernel reports of its own. */
static void kernel_from(const struct check_ipvs_table *w, struct check_ipvs_table *k)
{
	for (size_t i = 0; i < w->n; i++) {
		struct ipvs_service s = w->v[i].svc;
		s.flags |= IP_VS_SVC_F_HASHED;
		struct check_ipvs_svc *ks = check_ipvs_table_add(k, &s);
		for (size_t j = 0; j < w->v[i].n; j++)
			if (w->v[i].dests[j].wanted)
				check_ipvs_svc_add_dest(ks, &w->v[i].dests[j].d, true);
	}
	check_ipvs_table_finish(k);
}

static size_t count_ops(enum check_ipvs_op_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < ops.n; i++)
		n += ops.v[i].kind == k;
	return n;
}

/* Index of the first op of kind k on destination addr:port, or -1. */
static int op_index(enum check_ipvs_op_kind k, const char *addr, uint16_t port)
{
	struct ipvs_dest d = dest_key(addr, port);
	for (size_t i = 0; i < ops.n; i++)
		if (ops.v[i].kind == k && !check_ipvs_dest_cmp(&ops.v[i].dest, &d))
			return (int)i;
	return -1;
}

static void desire(const struct check_vs *vs, const struct check_ipvs_health *h)
{
	check_ipvs_table_free(&want);
	check_ipvs_desired(vs, h, &want);
	check_ipvs_table_finish(&want);
}

static void diff(void)
{
	check_ipvs_ops_free(&ops);
	check_ipvs_diff(&want, &kern, &owned, &ops);
}

#define WEB_VS                                                                      \
	"virtual_server 10.0.0.100 80 {\n lvs_sched rr\n lvs_method NAT\n"              \
	" real_server 10.0.1.1 80 { weight 3\n TCP_CHECK { } }\n"                      \
	" real_server 10.0.1.2 8080 { TCP_CHECK { } }\n"

/* ---- quorum ---- */

static void test_quorum_hysteresis(void **state)
{
	/* quorum 4, hysteresis 1: gained at >= 5, lost below 3 (or at 0). */
	assert_false(check_ipvs_quorum(false, 4, 4, 1));
	assert_true(check_ipvs_quorum(false, 5, 4, 1));
	assert_true(check_ipvs_quorum(true, 3, 4, 1));
	assert_false(check_ipvs_quorum(true, 2, 4, 1));
	/* No hysteresis: the threshold itself. */
	assert_true(check_ipvs_quorum(false, 4, 4, 0));
	assert_false(check_ipvs_quorum(true, 3, 4, 0));
	/* A hysteresis as large as the quorum still loses at 0. */
	assert_true(check_ipvs_quorum(true, 1, 1, 5));
	assert_false(check_ipvs_quorum(true, 0, 1, 5));
	assert_false(check_ipvs_quorum(false, 0, 1, 0));

	struct check_ipvs_rs_health rs[3] = { { true, 3 }, { false, 7 }, { true, 2 } };
	struct check_ipvs_health h = { .nrs = 3, .rs = rs };
	assert_int_equal(check_ipvs_weight_sum(&h), 5);
}

/* ---- desired table ---- */

static void test_desired_basic(void **state)
{
	const struct check_vs *vs = parse_vs(WEB_VS "}\n", 0);
	desire(vs, NULL);
	assert_int_equal(want.n, 1);
	const struct check_ipvs_svc *s = &want.v[0];
	struct ipvs_service key = svc_key(IPPROTO_TCP, "10.0.0.100", 80);
	assert_ptr_equal(check_ipvs_table_find(&want, &key), s);
	assert_string_equal(s->svc.sched_name, "rr");
	assert_int_equal(s->svc.timeout, 0);
	assert_int_equal(s->n, 2);
	const struct check_ipvs_dest *d1 = find_dest(&want, &key, "10.0.1.1", 80);
	const struct check_ipvs_dest *d2 = find_dest(&want, &key, "10.0.1.2", 8080);
	assert_non_null(d1);
	assert_non_null(d2);
	assert_true(d1->wanted && d2->wanted);
	assert_int_equal(d1->d.weight, 3);
	assert_int_equal(d2->d.weight, 1);
	assert_int_equal(d1->d.fwd, IP_VS_CONN_F_MASQ);
}

static void test_diff_empty_kernel(void **state)
{
	desire(parse_vs(WEB_VS "}\n", 0), NULL);
	diff();
	assert_int_equal(ops.n, 3);
	assert_int_equal(ops.v[0].kind, CHECK_IPVS_ADD_SVC);
	assert_int_equal(count_ops(CHECK_IPVS_ADD_DEST), 2);
	assert_true(op_index(CHECK_IPVS_ADD_DEST, "10.0.1.1", 80) > 0);
}

/* A restarted checker finds its predecessor's table: nothing to do, even
 * though it owns nothing yet. */
static void test_adoption_no_ops(void **state)
{
	desire(parse_vs(WEB_VS " persistence_timeout 300\n persistence_granularity 24\n}\n", 0),
	       NULL);
	kernel_from(&want, &kern);
	diff();
	assert_int_equal(ops.n, 0);
}

static void test_dead_and_weight(void **state)
{
	const struct check_vs *vs = parse_vs(WEB_VS "}\n", 0);
	desire(vs, NULL);
	kernel_from(&want, &kern);
	struct check_ipvs_rs_health rs[2] = { { true, 5 }, { false, 1 } };
	struct check_ipvs_health h = { .quorum_up = true, .nrs = 2, .rs = rs };
	desire(vs, &h);
	diff();
	assert_int_equal(ops.n, 2);
	int e = op_index(CHECK_IPVS_EDIT_DEST, "10.0.1.1", 80);
	int d = op_index(CHECK_IPVS_DEL_DEST, "10.0.1.2", 8080);
	assert_true(e >= 0 && d >= 0);
	assert_int_equal(ops.v[e].dest.weight, 5);
	/* Back alive: added again. */
	check_ipvs_table_free(&kern);
	kernel_from(&want, &kern);
	rs[1].alive = true;
	desire(vs, &h);
	diff();
	assert_int_equal(ops.n, 1);
	assert_true(op_index(CHECK_IPVS_ADD_DEST, "10.0.1.2", 8080) >= 0);
}

static void test_inhibit_on_failure(void **state)
{
	const struct check_vs *vs = parse_vs(WEB_VS " inhibit_on_failure\n}\n", 0);
	desire(vs, NULL);
	kernel_from(&want, &kern);
	struct check_ipvs_rs_health rs[2] = { { true, 3 }, { false, 1 } };
	struct check_ipvs_health h = { .quorum_up = true, .nrs = 2, .rs = rs };
	desire(vs, &h);
	diff();
	assert_int_equal(ops.n, 1);
	int e = op_index(CHECK_IPVS_EDIT_DEST, "10.0.1.2", 8080);
	assert_true(e >= 0);
	assert_int_equal(ops.v[e].dest.weight, 0);
	assert_int_equal(count_ops(CHECK_IPVS_DEL_DEST), 0);
}

#define SORRY_VS                                                                     \
	"virtual_server 10.0.0.100 80 {\n lvs_sched wrr\n quorum 3\n hysteresis 1\n"    \
	" sorry_server 10.0.9.9 80\n sorry_server_lvs_method DR\n"                      \
	" real_server 10.0.1.1 80 { weight 2\n TCP_CHECK { } }\n"                      \
	" real_server 10.0.1.2 80 { weight 2\n TCP_CHECK { } }\n"

static void test_sorry_server(void **state)
{
	const struct check_vs *vs = parse_vs(SORRY_VS "}\n", 0);
	struct check_ipvs_rs_health rs[2] = { { true, 2 }, { true, 2 } };
	struct check_ipvs_health h = { .quorum_up = true, .nrs = 2, .rs = rs };
	struct ipvs_service key = svc_key(IPPROTO_TCP, "10.0.0.100", 80);
	desire(vs, &h);
	const struct check_ipvs_dest *sd = find_dest(&want, &key, "10.0.9.9", 80);
	assert_non_null(sd);
	assert_false(sd->wanted);
	kernel_from(&want, &kern);

	/* One server dies: weight 2 < quorum 3 - hysteresis 1? No: 2 >= 2,
	 * the quorum holds. */
	rs[1].alive = false;
	h.quorum_up = check_ipvs_quorum(h.quorum_up, check_ipvs_weight_sum(&h), vs->quorum,
					vs->hysteresis);
	assert_true(h.quorum_up);
	/* Both die: lost. The sorry server goes in first, then the others out. */
	rs[0].alive = false;
	h.quorum_up = check_ipvs_quorum(h.quorum_up, 0, vs->quorum, vs->hysteresis);
	assert_false(h.quorum_up);
	rs[0].alive = true; /* alive but quorum lost: removed all the same */
	desire(vs, &h);
	diff();
	int add = op_index(CHECK_IPVS_ADD_DEST, "10.0.9.9", 80);
	int del1 = op_index(CHECK_IPVS_DEL_DEST, "10.0.1.1", 80);
	int del2 = op_index(CHECK_IPVS_DEL_DEST, "10.0.1.2", 80);
	assert_true(add >= 0 && del1 > add && del2 > add);
	assert_int_equal(ops.v[add].dest.fwd, IP_VS_CONN_F_DROUTE);
	assert_int_equal(ops.v[add].dest.weight, 1);
	assert_int_equal(ops.n, 3);
}

static void test_sorry_server_inhibit(void **state)
{
	const struct check_vs *vs = parse_vs(SORRY_VS " sorry_server_inhibit\n"
					     " inhibit_on_failure\n}\n", 0);
	struct check_ipvs_rs_health rs[2] = { { true, 2 }, { true, 2 } };
	struct check_ipvs_health h = { .quorum_up = true, .nrs = 2, .rs = rs };
	struct ipvs_service key = svc_key(IPPROTO_TCP, "10.0.0.100", 80);
	desire(vs, &h);
	const struct check_ipvs_dest *sd = find_dest(&want, &key, "10.0.9.9", 80);
	assert_true(sd && sd->wanted);
	assert_int_equal(sd->d.weight, 0);
	kernel_from(&want, &kern);
	h.quorum_up = false;
	desire(vs, &h);
	diff();
	/* Sorry server to its weight, real servers inhibited (weight 0). */
	assert_int_equal(count_ops(CHECK_IPVS_DEL_DEST), 0);
	assert_int_equal(count_ops(CHECK_IPVS_EDIT_DEST), 3);
	int e = op_index(CHECK_IPVS_EDIT_DEST, "10.0.9.9", 80);
	assert_int_equal(ops.v[e].dest.weight, 1);
	e = op_index(CHECK_IPVS_EDIT_DEST, "10.0.1.1", 80);
	assert_int_equal(ops.v[e].dest.weight, 0);
}

static void test_group_ranges(void **state)
{
	const struct check_vs *vs = parse_vs(
		"virtual_server_group G {\n 10.0.0.1-3 80\n 10.0.0.250-10.0.1.1 80\n"
		" fwmark 7\n 10.0.5.0/30 443\n}\n"
		"virtual_server group G {\n lvs_sched sh\n sh-port\n"
		" real_server 10.0.1.10 { TCP_CHECK { connect_port 80 } }\n"
		" real_server 10.0.1.11 8080 { TCP_CHECK { } }\n}\n", 0);
	desire(vs, NULL);
	/* 3 + 8 (250..255, 0, 1) + fwmark + 4 addresses of the /30 */
	assert_int_equal(want.n, 16);
	struct ipvs_service k = svc_key(IPPROTO_TCP, "10.0.0.2", 80);
	assert_non_null(check_ipvs_table_find(&want, &k));
	k = svc_key(IPPROTO_TCP, "10.0.0.255", 80);
	assert_non_null(check_ipvs_table_find(&want, &k));
	k = svc_key(IPPROTO_TCP, "10.0.1.1", 80);
	assert_non_null(check_ipvs_table_find(&want, &k));
	k = svc_key(IPPROTO_TCP, "10.0.0.4", 80);
	assert_null(check_ipvs_table_find(&want, &k));
	k = svc_key(IPPROTO_TCP, "10.0.5.3", 443);
	const struct check_ipvs_svc *s = check_ipvs_table_find(&want, &k);
	assert_non_null(s);
	assert_int_equal(s->svc.flags & IP_VS_SVC_F_SCHED_SH_PORT, IP_VS_SVC_F_SCHED_SH_PORT);
	/* A real server without a port takes the member's port. */
	assert_non_null(find_dest(&want, &k, "10.0.1.10", 443));
	assert_non_null(find_dest(&want, &k, "10.0.1.11", 8080));
	struct ipvs_service fw;
	ipvs_service_init(&fw, AF_INET);
	fw.fwmark = 7;
	s = check_ipvs_table_find(&want, &fw);
	assert_non_null(s);
	assert_non_null(find_dest(&want, &fw, "10.0.1.10", 0));
	assert_int_equal(s->svc.protocol, 0);
}

static void test_fwmark_ipv6_tunnel(void **state)
{
	const struct check_vs *vs = parse_vs(
		"virtual_server fwmark 9 {\n ip_family inet6\n lvs_sched mh\n"
		" persistence_timeout 600\n persistence_granularity 64\n"
		" real_server 2001:db8::1 { lvs_method TUN type gue port 6080 csum\n"
		"  MISC_CHECK { misc_path /bin/true } }\n}\n"
		"virtual_server 2001:db8::100 53 {\n protocol UDP\n ops\n"
		" real_server 2001:db8::2 53 { weight 4\n lvs_method DR }\n}\n", 0);
	desire(vs, NULL);
	assert_int_equal(want.n, 1);
	const struct check_ipvs_svc *s = &want.v[0];
	assert_int_equal(s->svc.af, AF_INET6);
	assert_int_equal(s->svc.fwmark, 9);
	assert_int_equal(s->svc.timeout, 600);
	assert_int_equal(s->svc.netmask, 64);
	assert_int_equal(s->n, 1);
	assert_int_equal(s->dests[0].d.fwd, IP_VS_CONN_F_TUNNEL);
	assert_int_equal(s->dests[0].d.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(s->dests[0].d.tun_port, 6080);
	assert_int_equal(s->dests[0].d.tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	/* The kernel has the tunnel with another checksum mode: edited. */
	kernel_from(&want, &kern);
	kern.v[0].dests[0].d.tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
	diff();
	assert_int_equal(ops.n, 1);
	assert_int_equal(ops.v[0].kind, CHECK_IPVS_EDIT_DEST);

	const struct check_vs *v6 = (const struct check_vs *)(const void *)vs->node.next;
	desire(v6, NULL);
	assert_int_equal(want.n, 1);
	assert_int_equal(want.v[0].svc.protocol, IPPROTO_UDP);
	assert_int_equal(want.v[0].svc.flags & IP_VS_SVC_F_ONEPACKET, IP_VS_SVC_F_ONEPACKET);
	assert_int_equal(want.v[0].dests[0].d.weight, 4);
}

static void test_edit_service(void **state)
{
	const struct check_vs *vs = parse_vs(WEB_VS "}\n", 0);
	desire(vs, NULL);
	kernel_from(&want, &kern);
	snprintf(kern.v[0].svc.sched_name, sizeof(kern.v[0].svc.sched_name), "wlc");
	diff();
	assert_int_equal(ops.n, 1);
	assert_int_equal(ops.v[0].kind, CHECK_IPVS_EDIT_SVC);
	assert_string_equal(ops.v[0].svc.sched_name, "rr");
	/* A granularity on a non-persistent service does not matter. */
	snprintf(kern.v[0].svc.sched_name, sizeof(kern.v[0].svc.sched_name), "rr");
	kern.v[0].svc.netmask = 24;
	diff();
	assert_int_equal(ops.n, 0);
	kern.v[0].svc.timeout = 60;
	diff();
	assert_int_equal(ops.n, 1);
	assert_int_equal(ops.v[0].kind, CHECK_IPVS_EDIT_SVC);
}

/* Foreign entries are left alone; ours that left the configuration go. */
static void test_ownership(void **state)
{
	const struct check_vs *vs = parse_vs(WEB_VS "}\n", 0);
	desire(vs, NULL);
	kernel_from(&want, &kern);
	struct ipvs_service key = svc_key(IPPROTO_TCP, "10.0.0.100", 80);
	struct ipvs_service gone = svc_key(IPPROTO_TCP, "10.0.0.200", 80);
	struct ipvs_service foreign = svc_key(IPPROTO_UDP, "10.0.0.100", 53);
	struct ipvs_dest old_rs = dest_key("10.0.1.7", 80), admin = dest_key("10.0.1.8", 80);
	snprintf(gone.sched_name, sizeof(gone.sched_name), "wlc");
	snprintf(foreign.sched_name, sizeof(foreign.sched_name), "wlc");
	check_ipvs_table_add(&kern, &gone);
	check_ipvs_table_add(&kern, &foreign);
	check_ipvs_svc_add_dest(&kern.v[0], &old_rs, true);
	check_ipvs_svc_add_dest(&kern.v[0], &admin, true);
	check_ipvs_table_finish(&kern);
	/* Nothing owned yet (fresh start): nothing of it is deleted. */
	diff();
	assert_int_equal(ops.n, 0);
	/* We installed the 10.0.0.200 service and the 10.0.1.7 server earlier. */
	check_ipvs_svc_add_dest(check_ipvs_table_add(&owned, &key), &old_rs, true);
	check_ipvs_table_add(&owned, &gone);
	check_ipvs_table_finish(&owned);
	diff();
	assert_int_equal(ops.n, 2);
	assert_true(op_index(CHECK_IPVS_DEL_DEST, "10.0.1.7", 80) >= 0);
	assert_int_equal(count_ops(CHECK_IPVS_DEL_SVC), 1);
	for (size_t i = 0; i < ops.n; i++)
		if (ops.v[i].kind == CHECK_IPVS_DEL_SVC)
			assert_int_equal(check_ipvs_svc_cmp(&ops.v[i].svc, &gone), 0);
}

/* Duplicates from two sources merge; the sort keeps configuration order
 * among equals (the first definition wins, a wanted destination wins). */
static void test_finish_merges(void **state)
{
	struct ipvs_service a = svc_key(IPPROTO_TCP, "10.0.0.1", 80), b = a;
	snprintf(a.sched_name, sizeof(a.sched_name), "rr");
	snprintf(b.sched_name, sizeof(b.sched_name), "wlc");
	struct ipvs_dest d = dest_key("10.0.1.1", 80), d2 = d;
	d.weight = 1;
	d2.weight = 9;
	for (unsigned i = 0; i < 300; i++) {
		char ip[32];
		snprintf(ip, sizeof(ip), "10.1.%u.%u", i / 200, i % 200);
		struct ipvs_service x = svc_key(IPPROTO_TCP, ip, (uint16_t)(1000 - i));
		check_ipvs_table_add(&want, &x);
	}
	check_ipvs_svc_add_dest(check_ipvs_table_add(&want, &a), &d, false);
	check_ipvs_svc_add_dest(check_ipvs_table_add(&want, &b), &d2, true);
	check_ipvs_table_finish(&want);
	assert_int_equal(want.n, 301);
	for (size_t i = 1; i < want.n; i++)
		assert_true(check_ipvs_svc_cmp(&want.v[i - 1].svc, &want.v[i].svc) < 0);
	const struct check_ipvs_svc *s = check_ipvs_table_find(&want, &a);
	assert_non_null(s);
	assert_string_equal(s->svc.sched_name, "rr");
	assert_int_equal(s->n, 1);
	assert_true(s->dests[0].wanted);
	assert_int_equal(s->dests[0].d.weight, 9);
	struct ipvs_service x = svc_key(IPPROTO_TCP, "10.1.1.99", 1000 - 299);
	assert_non_null(check_ipvs_table_find(&want, &x));
}

/* A real server in two virtual servers is one destination in each. */
static void test_two_vs(void **state)
{
	const struct check_vs *vs = parse_vs(WEB_VS "}\n"
		"virtual_server 10.0.0.101 80 {\n real_server 10.0.1.1 80 { TCP_CHECK { } }\n}\n",
		0);
	check_ipvs_desired(vs, NULL, &want);
	check_ipvs_desired((const struct check_vs *)(const void *)vs->node.next, NULL, &want);
	check_ipvs_table_finish(&want);
	assert_int_equal(want.n, 2);
	diff();
	assert_int_equal(count_ops(CHECK_IPVS_ADD_SVC), 2);
	assert_int_equal(count_ops(CHECK_IPVS_ADD_DEST), 3);
	/* Each service's destinations follow its own ADD_SVC. */
	for (size_t i = 0; i < ops.n; i++)
		if (ops.v[i].kind == CHECK_IPVS_ADD_DEST) {
			size_t j = i;
			while (ops.v[j].kind != CHECK_IPVS_ADD_SVC)
				j--;
			assert_int_equal(check_ipvs_svc_cmp(&ops.v[j].svc, &ops.v[i].svc), 0);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_quorum_hysteresis, teardown),
		cmocka_unit_test_teardown(test_desired_basic, teardown),
		cmocka_unit_test_teardown(test_diff_empty_kernel, teardown),
		cmocka_unit_test_teardown(test_adoption_no_ops, teardown),
		cmocka_unit_test_teardown(test_dead_and_weight, teardown),
		cmocka_unit_test_teardown(test_inhibit_on_failure, teardown),
		cmocka_unit_test_teardown(test_sorry_server, teardown),
		cmocka_unit_test_teardown(test_sorry_server_inhibit, teardown),
		cmocka_unit_test_teardown(test_group_ranges, teardown),
		cmocka_unit_test_teardown(test_fwmark_ipv6_tunnel, teardown),
		cmocka_unit_test_teardown(test_edit_service, teardown),
		cmocka_unit_test_teardown(test_ownership, teardown),
		cmocka_unit_test_teardown(test_finish_merges, teardown),
		cmocka_unit_test_teardown(test_two_vs, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
