/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vrrp_cfg.c - VRRP configuration model: typed values, old spellings, errors */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <cmocka.h>

#include "daemon/config.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"

/* ---- fixture: parse a text, capture every diagnostic ------------------- */

#define MAX_MSGS 64
#define SEC 1000000ull

static char *msgs[MAX_MSGS];
static unsigned nmsgs;

static void capture(void *arg, enum cfg_level lvl, const char *msg)
{
	if (nmsgs < MAX_MSGS)
		msgs[nmsgs++] = xstrdup(msg);
}

static void clear_msgs(void)
{
	for (unsigned i = 0; i < nmsgs; i++)
		free(msgs[i]);
	nmsgs = 0;
}

static struct ka_config *parse(const char *text)
{
	struct cfg_diag d = { .emit = capture };
	clear_msgs();
	struct ka_config *c = ka_config_parse_buf("t.conf", text, strlen(text), NULL, &d);
	assert_non_null(c);
	return c;
}

/* A message that contains all of the given parts, in order. */
static bool has_msg(const char *a, const char *b)
{
	for (unsigned i = 0; i < nmsgs; i++) {
		const char *p = strstr(msgs[i], a);
		if (p && (!b || strstr(p + strlen(a), b)))
			return true;
	}
	return false;
}

static void print_msgs(void)
{
	for (unsigned i = 0; i < nmsgs; i++)
		fprintf(stderr, "  | %s\n", msgs[i]);
}

#define assert_msg(a, b)                                                                    \
	do {                                                                                \
		if (!has_msg(a, b))                                                         \
			print_msgs();                                                       \
		assert_true(has_msg(a, b));                                                 \
	} while (0)

#define assert_clean(c)                                                                     \
	do {                                                                                \
		if ((c)->errors)                                                            \
			print_msgs();                                                       \
		assert_int_equal((c)->errors, 0);                                           \
	} while (0)

static struct vrrp_instance_cfg *inst(const struct ka_config *c, const char *name)
{
	struct vrrp_instance_cfg *vi = vrrp_cfg_find_instance(c->vrrp, name);
	assert_non_null(vi);
	return vi;
}

static void *nth(const struct cfg_list *l, size_t n)
{
	struct cfg_node *x = l->head;
	while (x && n--)
		x = x->next;
	assert_non_null(x);
	return x;
}

static const char *addr(const struct ka_addr *a)
{
	static char buf[4][KA_ADDR_STRLEN];
	static unsigned k;
	return ka_addr_str(a, buf[k++ % 4]);
}

/* ---- typed values ---------------------------------------------------------- */

static void test_basic_instance(void **state)
{
	struct ka_config *c = parse(
		"vrrp_instance VI_1 {\n"
		"    state MASTER\n"
		"    interface eth0\n"
		"    virtual_router_id 51\n"
		"    priority 150\n"
		"    advert_int 2\n"
		"    virtual_ipaddress {\n"
		"        192.168.1.10/24 dev eth1 label eth1:vip scope link\n"
		"        192.168.1.11\n"
		"    }\n"
		"    virtual_ipaddress_excluded {\n"
		"        2001:db8::5/64\n"
		"    }\n"
		"}\n");
	assert_clean(c);
	struct vrrp_instance_cfg *vi = inst(c, "VI_1");
	assert_int_equal(vi->state, VRRP_WISH_MASTER);
	assert_string_equal(vi->interface, "eth0");
	assert_int_equal(vi->vrid, 51);
	assert_int_equal(vi->priority, 150);
	assert_int_equal(vi->advert_int, 2 * SEC);
	assert_int_equal(vi->version, 2);
	assert_int_equal(vi->family, AF_INET);
	assert_int_equal(vi->vips.n, 2);
	struct vrrp_ipaddr *ip = nth(&vi->vips, 0);
	assert_string_equal(addr(&ip->addr), "192.168.1.10/24");
	assert_string_equal(ip->dev, "eth1");
	assert_string_equal(ip->label, "eth1:vip");
	assert_int_equal(ip->scope, RT_SCOPE_LINK);
	ip = nth(&vi->vips, 1);
	assert_int_equal(ip->addr.prefix, 32);
	assert_null(ip->dev);
	assert_int_equal(ip->scope, -1);
	assert_int_equal(vi->evips.n, 1);
	ip = nth(&vi->evips, 0);
	assert_int_equal(ip->addr.family, AF_INET6);
	assert_int_equal(ip->preferred_lft, VRRP_LFT_FOREVER);
	assert_false(vrrp_cfg_empty(c->vrrp));
	ka_config_free(c);
}

static void test_defaults(void **state)
{
	struct ka_config *c = parse("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
				    " virtual_ipaddress {\n  10.0.0.1\n }\n}\n");
	assert_clean(c);
	struct vrrp_instance_cfg *vi = inst(c, "A");
	assert_int_equal(vi->state, VRRP_WISH_BACKUP);
	assert_int_equal(vi->priority, 100);
	assert_int_equal(vi->advert_int, 1 * SEC);
	assert_int_equal(vi->version, 2);
	assert_int_equal(vi->garp_master_delay, 5 * SEC);
	assert_int_equal(vi->garp_master_repeat, 5);
	assert_int_equal(vi->garp_lower_prio_delay, 5 * SEC);
	assert_int_equal(vi->down_timer_adverts, 3);
	assert_int_equal(vi->accept, 1);
	assert_false(vi->nopreempt);
	assert_int_equal(vi->auth_type, VRRP_AUTH_NONE);
	ka_config_free(c);
}

static void test_global_defaults(void **state)
{
	struct ka_config *c = parse(
		"global_defs {\n"
		"    vrrp_version 3\n"
		"    vrrp_garp_master_delay 10\n"
		"    vrrp_garp_master_repeat 2\n"
		"    smtp_alert\n"
		"    vrrp_lower_prio_no_advert\n"
		"}\n"
		"vrrp_instance A {\n interface eth0\n virtual_router_id 1\n advert_int 0.5\n"
		" garp_master_repeat 7\n"
		" virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		"vrrp_instance B {\n interface eth0\n virtual_router_id 2\n version 2\n"
		" smtp_alert off\n lower_prio_no_advert off\n"
		" virtual_ipaddress {\n  10.0.0.2\n }\n}\n");
	assert_clean(c);
	struct vrrp_instance_cfg *a = inst(c, "A"), *b = inst(c, "B");
	assert_int_equal(a->version, 3);
	assert_int_equal(a->advert_int, SEC / 2);
	assert_int_equal(a->garp_master_delay, 10 * SEC);
	assert_int_equal(a->garp_master_repeat, 7);
	assert_int_equal(a->garp_lower_prio_repeat, 7);
	assert_int_equal(b->version, 2);
	assert_int_equal(b->garp_master_repeat, 2);
	assert_true(a->smtp_alert);
	assert_false(b->smtp_alert);
	assert_true(a->lower_prio_no_advert);
	assert_false(b->lower_prio_no_advert);
	ka_config_free(c);
}

static void test_advert_rounding(void **state)
{
	struct ka_config *c = parse(
		"vrrp_instance V2 {\n interface eth0\n virtual_router_id 1\n advert_int 1.6\n"
		" virtual_ipaddress {\n  10.0.0.1\n }\n}\n"
		"vrrp_instance V3 {\n interface eth0\n virtual_router_id 2\n version 3\n"
		" advert_int 0.123\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n"
		"vrrp_instance V6 {\n interface eth0\n virtual_router_id 3\n advert_int 60\n"
		" virtual_ipaddress {\n  fe80::1/64\n }\n}\n");
	assert_clean(c);
	assert_int_equal(inst(c, "V2")->advert_int, 2 * SEC);
	assert_msg("t.conf:1: warning: vrrp_instance 'V2': advert_int 1.6 s is not valid for "
		   "VRRP version 2, using 2 s", NULL);
	assert_int_equal(inst(c, "V3")->advert_int, 120000);
	struct vrrp_instance_cfg *v6 = inst(c, "V6");
	assert_int_equal(v6->family, AF_INET6);
	assert_int_equal(v6->version, 3);
	assert_int_equal(v6->advert_int, 4095 * 10000);
	ka_config_free(c);
}

static void test_unicast(void **state)
{
	struct ka_config *c = parse(
		"vrrp_instance U {\n"
		"    virtual_router_id 9\n"
		"    unicast_src_ip 10.1.0.1\n"
		"    unicast_ttl 64\n"
		"    unicast_peer {\n"
		"        10.1.0.2\n"
		"        10.1.0.3 min_ttl 250 max_ttl 255\n"
		"    }\n"
		"    virtual_ipaddress {\n"
		"        10.1.0.100/24 dev eth3\n"
		"    }\n"
		"}\n");
	assert_clean(c);
	struct vrrp_instance_cfg *vi = inst(c, "U");
	assert_null(vi->interface);
	assert_string_equal(addr(&vi->src_ip), "10.1.0.1");
	assert_int_equal(vi->unicast_ttl, 64);
	assert_int_equal(vi->unicast_peers.n, 2);
	struct vrrp_peer *pe = nth(&vi->unicast_peers, 0);
	assert_string_equal(addr(&pe->addr), "10.1.0.2");
	assert_int_equal(pe->min_ttl, 0);
	assert_int_equal(pe->max_ttl, 255);
	pe = nth(&vi->unicast_peers, 1);
	assert_int_equal(pe->min_ttl, 250);
	assert_int_equal(pe->loc.line, 7);
	ka_config_free(c);
}

static void test_tracking(void **state)
{
	struct ka_config *c = parse(
		"vrrp_script chk_haproxy {\n"
		"    script \"/usr/bin/killall -0 haproxy\"\n"
		"    interval 2\n"
		"    weight -20 reverse\n"
		"    fall 3\n"
		"    user nobody nogroup\n"
		"}\n"
		"vrrp_script chk_split {\n"
		"    script /bin/check arg1 'arg two'\n"
		"}\n"
		"track_file tf {\n"
		"    file /run/state\n"
		"}\n"
		"vrrp_instance T {\n"
		"    interface eth0\n"
		"    virtual_router_id 3\n"
		"    track_interface {\n"
		"        eth1 weight 10\n"
		"        eth2\n"
		"    }\n"
		"    track_script {\n"
		"        chk_haproxy\n"
		"        chk_split weight 5 noreverse\n"
		"        chk_missing\n"
		"    }\n"
		"    track_file { tf weight -3 }\n"
		"    virtual_ipaddress { 10.0.0.1 }\n"
		"}\n");
	assert_clean(c);
	struct vrrp_script_cfg *s = vrrp_cfg_find_script(c->vrrp, "chk_haproxy");
	assert_non_null(s);
	assert_string_equal(s->script.argv[0], "/usr/bin/killall");
	assert_string_equal(s->script.argv[1], "-0");
	assert_string_equal(s->script.argv[2], "haproxy");
	assert_null(s->script.argv[3]);
	assert_string_equal(s->script.user, "nobody");
	assert_string_equal(s->script.group, "nogroup");
	assert_int_equal(s->interval, 2 * SEC);
	assert_int_equal(s->timeout, 2 * SEC);
	assert_int_equal(s->weight, -20);
	assert_true(s->reverse);
	assert_int_equal(s->fall, 3);
	assert_int_equal(s->rise, 1);
	assert_true(s->used);
	s = vrrp_cfg_find_script(c->vrrp, "chk_split");
	assert_string_equal(s->script.argv[2], "arg two");
	assert_int_equal(s->interval, 1 * SEC);

	struct vrrp_instance_cfg *vi = inst(c, "T");
	struct vrrp_track_ref *t = nth(&vi->tracks.ifs, 0);
	assert_string_equal(t->name, "eth1");
	assert_int_equal(t->weight, 10);
	t = nth(&vi->tracks.ifs, 1);
	assert_int_equal(t->weight, 0);
	/* the unknown script is dropped with a warning */
	assert_int_equal(vi->tracks.scripts.n, 2);
	assert_msg("t.conf:24: warning: vrrp_instance 'T': track_script 'chk_missing'", NULL);
	t = nth(&vi->tracks.scripts, 0);
	assert_int_equal(t->weight, -20); /* the script's weight */
	assert_true(t->reverse);
	assert_ptr_equal(t->target, vrrp_cfg_find_script(c->vrrp, "chk_haproxy"));
	t = nth(&vi->tracks.scripts, 1);
	assert_int_equal(t->weight, 5);
	assert_false(t->reverse);
	t = nth(&vi->tracks.files, 0);
	assert_int_equal(t->weight, -3);
	assert_int_equal(vrrp_cfg_find_track_file(c->vrrp, "tf")->weight, 1);
	ka_config_free(c);
}

static void test_sync_group(void **state)
{
	struct ka_config *c = parse(
		"vrrp_sync_group G1 {\n"
		"    group {\n"
		"        VI_1\n"
		"        VI_2\n"
		"    }\n"
		"    notify_master \"/etc/keepalived/master.sh G1\"\n"
		"    smtp_alert\n"
		"}\n"
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"
		" virtual_ipaddress { 10.0.0.1 }\n}\n"
		"vrrp_instance VI_2 {\n interface eth1\n virtual_router_id 1\n"
		" virtual_ipaddress { 10.0.1.1 }\n}\n");
	assert_clean(c);
	struct vrrp_sync_group_cfg *g = c->vrrp->sync_groups.head ?
		(struct vrrp_sync_group_cfg *)(void *)c->vrrp->sync_groups.head : NULL;
	assert_non_null(g);
	assert_int_equal(g->members.n, 2);
	struct vrrp_name_ref *m = nth(&g->members, 1);
	assert_ptr_equal(m->target, inst(c, "VI_2"));
	assert_ptr_equal(inst(c, "VI_1")->sync, g);
	assert_ptr_equal(inst(c, "VI_2")->sync, g);
	assert_string_equal(g->notify_master.argv[0], "/etc/keepalived/master.sh");
	assert_string_equal(g->notify_master.argv[1], "G1");
	assert_true(g->smtp_alert);
	ka_config_free(c);
}

static void test_routes_rules(void **state)
{
	struct ka_config *c = parse(
		"static_routes {\n"
		"    10.9.0.0/16 via 10.0.0.254 dev eth0 table 100 metric 5 src 10.0.0.1\n"
		"    blackhole 10.66.0.0/16\n"
		"    default table custom mtu lock 1400\n"
		"    10.7.0.0/16 nexthop via 10.0.0.1 dev eth0 weight 2 nexthop via 10.0.0.2\n"
		"}\n"
		"static_rules {\n"
		"    from 10.0.0.0/8 table 100 preference 50\n"
		"    to 2001:db8::/32 fwmark 0x10/0xff goto 200 priority 100\n"
		"}\n");
	assert_clean(c);
	struct vrrp_route *r = nth(&c->vrrp->static_routes, 0);
	assert_string_equal(addr(&r->dst), "10.9.0.0/16");
	assert_string_equal(addr(&r->via), "10.0.0.254");
	assert_string_equal(addr(&r->src), "10.0.0.1");
	assert_string_equal(r->dev, "eth0");
	assert_int_equal(r->table, 100);
	assert_int_equal(r->metric, 5);
	assert_int_equal(r->type, RTN_UNICAST);
	r = nth(&c->vrrp->static_routes, 1);
	assert_int_equal(r->type, RTN_BLACKHOLE);
	r = nth(&c->vrrp->static_routes, 2);
	assert_int_equal(r->dst.prefix, 0);
	assert_string_equal(r->table_name, "custom");
	assert_int_equal(r->metrics[RTAX_MTU], 1400);
	assert_true(r->metrics_lock & (1u << RTAX_MTU));
	r = nth(&c->vrrp->static_routes, 3);
	assert_int_equal(r->nexthops.n, 2);
	struct vrrp_nexthop *nh = nth(&r->nexthops, 0);
	assert_int_equal(nh->weight, 2);
	assert_string_equal(nh->dev, "eth0");

	struct vrrp_rule *ru = nth(&c->vrrp->static_rules, 0);
	assert_string_equal(addr(&ru->from), "10.0.0.0/8");
	assert_int_equal(ru->action, FR_ACT_TO_TBL);
	assert_int_equal(ru->table, 100);
	assert_int_equal(ru->priority, 50);
	ru = nth(&c->vrrp->static_rules, 1);
	assert_int_equal(ru->family, AF_INET6);
	assert_int_equal(ru->action, FR_ACT_GOTO);
	assert_int_equal(ru->fwmark, 0x10);
	assert_int_equal(ru->fwmask, 0xff);
	assert_false(vrrp_cfg_empty(c->vrrp));
	ka_config_free(c);
}

/* Rules without a preference are numbered down from 16384 per family. */
static void test_rule_numbering(void **state)
{
	struct ka_config *c = parse(
		"static_rules {\n"
		"    from 10.1.0.0/16 table 100\n"
		"    from 10.2.0.0/16 table 100 priority 7\n"
		"    from 2001:db8::/32 table 100\n"
		"}\n"
		"vrrp_instance X {\n interface eth0\n virtual_router_id 4\n"
		" virtual_ipaddress { 10.4.0.1/24 }\n"
		" virtual_rules { from 10.3.0.0/16 table 101 }\n}\n");
	assert_clean(c);
	assert_int_equal(((struct vrrp_rule *)nth(&c->vrrp->static_rules, 0))->priority, 16384);
	assert_int_equal(((struct vrrp_rule *)nth(&c->vrrp->static_rules, 1))->priority, 7);
	assert_int_equal(((struct vrrp_rule *)nth(&c->vrrp->static_rules, 2))->priority, 16384);
	struct vrrp_instance_cfg *vi = nth(&c->vrrp->instances, 0);
	assert_int_equal(((struct vrrp_rule *)nth(&vi->vrules, 0))->priority, 16383);
	ka_config_free(c);
}

/* ---- keepalived 1.x spellings ------------------------------------------- */

static void test_old_spellings(void **state)
{
	struct ka_config *c = parse(
		"vrrp_track_file old_tf {\n"
		"    file /tmp/x\n"
		"}\n"
		"vrrp_instance OLD {\n"
		"    interface eth0\n"
		"    lvs_sync_daemon_interface eth0\n"
		"    virtual_router_id 7\n"
		"    authentication {\n"
		"        auth_type PASS\n"
		"        auth_pass 1234567890\n"
		"    }\n"
		"    notify_master \"/path/script.sh arg\"\n"
		"    thread_timer_expired\n"
		"    native_ipv6\n"
		"    virtual_ipaddress { fe80::10 }\n"
		"}\n");
	assert_clean(c);
	assert_non_null(vrrp_cfg_find_track_file(c->vrrp, "old_tf"));
	assert_msg("t.conf:1: warning:", "'vrrp_track_file' is deprecated");
	struct vrrp_instance_cfg *vi = inst(c, "OLD");
	assert_string_equal(vi->lvs_sync_daemon_interface, "eth0");
	assert_int_equal(vi->auth_type, VRRP_AUTH_PASS);
	assert_string_equal(vi->auth_pass, "12345678");
	assert_msg("t.conf:10: warning:", "truncated to 8");
	assert_string_equal(vi->notify_master.argv[0], "/path/script.sh");
	assert_string_equal(vi->notify_master.argv[1], "arg");
	assert_int_equal(vi->timer_expired_backup, 254);
	assert_true(vi->native_ipv6);
	assert_int_equal(vi->family, AF_INET6);
	assert_int_equal(vi->version, 3);
	ka_config_free(c);
}

/* ---- errors with file:line ------------------------------------------------ */

static void test_value_errors(void **state)
{
	struct ka_config *c = parse(
		"vrrp_instance E {\n"
		"    interface eth0\n"
		"    priority 256\n"
		"    virtual_router_id 0\n"
		"    advert_int abc\n"
		"    virtual_ipaddress {\n"
		"        10.0.0.300/24\n"
		"        10.0.0.5 dev eth0 frobnicate\n"
		"    }\n"
		"    virtual_routes {\n"
		"        10.1.0.0/16 via 10.0.0.1 bogus 3\n"
		"    }\n"
		"}\n");
	assert_msg("t.conf:3: error:", "256");
	assert_msg("t.conf:4: error:", "0");
	assert_msg("t.conf:5: error:", "'abc'");
	assert_msg("t.conf:7: error: invalid IP address '10.0.0.300/24'", NULL);
	assert_msg("t.conf:8: error: address 10.0.0.5: unknown option 'frobnicate'", NULL);
	assert_msg("t.conf:11: error: route: unknown route option 'bogus'", NULL);
	/* the rejected vrid leaves the instance without one */
	assert_msg("t.conf:1: error: vrrp_instance 'E': virtual_router_id is missing", NULL);
	assert_int_equal(c->errors, 7);
	assert_int_equal(inst(c, "E")->priority, 100);
	ka_config_free(c);
}

static void test_cross_errors(void **state)
{
	struct ka_config *c = parse(
		"vrrp_sync_group G {\n"
		"    group {\n"
		"        A\n"
		"        VI_9\n"
		"    }\n"
		"}\n"
		"vrrp_instance A {\n"
		"    interface eth0\n"
		"    virtual_router_id 10\n"
		"    virtual_ipaddress { 10.0.0.1 }\n"
		"}\n"
		"vrrp_instance B {\n"
		"    interface eth0\n"
		"    virtual_router_id 10\n"
		"    virtual_ipaddress { 10.0.0.2 }\n"
		"}\n"
		"vrrp_instance C {\n"
		"    virtual_router_id 11\n"
		"    virtual_ipaddress {\n"
		"        10.0.0.3\n"
		"        2001:db8::3\n"
		"    }\n"
		"}\n"
		"vrrp_instance A {\n"
		"    interface eth2\n"
		"    virtual_router_id 12\n"
		"}\n"
		"vrrp_instance N {\n"
		"    interface eth2\n"
		"    priority 0\n"
		"    no_virtual_ipaddress\n"
		"}\n");
	assert_msg("t.conf:4: error: vrrp_sync_group 'G': unknown instance 'VI_9'", NULL);
	assert_msg("t.conf:12: error: vrrp_instance 'B': virtual_router_id 10 on eth0 is "
		   "already used by 'A' (t.conf:7)", NULL);
	assert_msg("t.conf:17: error: vrrp_instance 'C': no interface and no unicast_peer", NULL);
	assert_msg("t.conf:21: error: vrrp_instance 'C': virtual_ipaddress mixes IPv4 and IPv6",
		   NULL);
	assert_msg("t.conf:24: error: vrrp_instance 'A' is already defined at t.conf:7", NULL);
	assert_msg("t.conf:30: error:", "'priority': 0 is out of range 1..255");
	assert_msg("t.conf:28: error: vrrp_instance 'N': virtual_router_id is missing", NULL);
	assert_int_equal(c->errors, 7);
	ka_config_free(c);
}

static void test_group_membership_errors(void **state)
{
	struct ka_config *c = parse(
		"vrrp_sync_group G1 {\n group { A B }\n}\n"
		"vrrp_sync_group G2 {\n group {\n  B\n }\n}\n"
		"vrrp_instance A {\n interface eth0\n virtual_router_id 1\n state MASTER\n nopreempt\n"
		" virtual_ipaddress { 10.0.0.1 }\n}\n"
		"vrrp_instance B {\n interface eth0\n virtual_router_id 2\n"
		" virtual_ipaddress { 10.0.0.2 }\n}\n");
	assert_msg("t.conf:6: error: vrrp_sync_group 'G2': instance 'B' is already in "
		   "vrrp_sync_group 'G1'", NULL);
	assert_msg("t.conf:4: warning: vrrp_sync_group 'G2' has only one member", NULL);
	assert_msg("t.conf:9: warning: vrrp_instance 'A': nopreempt", "state MASTER");
	assert_int_equal(c->errors, 1);
	ka_config_free(c);
}

static void test_address_details(void **state)
{
	struct ka_config *c = parse(
		"track_group TG {\n group { X }\n}\n"
		"static_ipaddress {\n"
		"    192.168.5.1/24 brd + dev eth0 track_group TG\n"
		"    192.168.6.1/24 dev eth0 label this_label_is_too_long\n"
		"    2001:db8::1/128 dev eth0 -nodad noprefixroute\n"
		"    192.168.7.1/24 dev eth0 track_group NOPE\n"
		"}\n"
		"vrrp_instance X {\n interface eth0\n virtual_router_id 4\n"
		" virtual_ipaddress { 10.4.0.1/24 dev eth0 track_group TG }\n}\n");
	struct vrrp_ipaddr *ip = nth(&c->vrrp->static_addrs, 0);
	assert_string_equal(addr(&ip->brd), "192.168.5.255");
	assert_non_null(ip->tgroup);
	assert_msg("t.conf:6: error: address 192.168.6.1/24: label 'this_label_is_too_long'",
		   NULL);
	ip = nth(&c->vrrp->static_addrs, 1);
	/* "-nodad" asks for duplicate address detection (VIPs skip it by default) */
	assert_int_equal(ip->ifa_flags, IFA_F_NOPREFIXROUTE);
	assert_true(ip->dad);
	assert_int_equal(ip->preferred_lft, 0); /* /128 stays deprecated */
	assert_msg("t.conf:8: error: static_ipaddress: unknown track_group 'NOPE'", NULL);
	assert_msg("t.conf:13: error: address 10.4.0.1/24: 'track_group' is not allowed", NULL);
	assert_int_equal(c->errors, 3);
	ka_config_free(c);
}

static void test_processes_and_bfd(void **state)
{
	struct ka_config *c = parse(
		"vrrp_track_process nginx {\n"
		"    process nginx -g daemon\n"
		"    weight 10 reverse\n"
		"    quorum 2\n"
		"    delay 0.5\n"
		"}\n"
		"bfd_instance b1 {\n"
		"    neighbor_ip 10.0.0.9\n"
		"    min_rx 20\n"
		"}\n"
		"bfd_instance b2 {\n"
		"    min_tx 5000\n"
		"}\n"
		"linkbeat_interfaces {\n    eth0 MII\n    eth1\n}\n"
		"interface_up_down_delays {\n    eth0 1.5 3\n}\n"
		"garp_group {\n    garp_interval 0.001\n    interfaces { eth0 eth1 }\n}\n");
	struct vrrp_track_process_cfg *tp = nth(&c->vrrp->track_procs, 0);
	assert_string_equal(tp->process, "nginx");
	assert_string_equal(tp->params, "-g daemon");
	assert_int_equal(tp->param_match, VRRP_PARAM_MATCH_EXACT);
	assert_int_equal(tp->weight, 10);
	assert_true(tp->reverse);
	assert_int_equal(tp->quorum, 2);
	assert_int_equal(tp->fork_delay, SEC / 2);
	struct vrrp_bfd_cfg *b = nth(&c->vrrp->bfds, 0);
	assert_int_equal(b->min_rx, 20000);
	assert_msg("t.conf:12: error: min_tx: '5000' is not 1..1000 ms", NULL);
	assert_msg("t.conf:11: error: bfd_instance 'b2': no neighbor_ip", NULL);
	assert_int_equal(c->errors, 2);
	struct vrrp_linkbeat_cfg *lb = nth(&c->vrrp->linkbeat_ifs, 0);
	assert_int_equal(lb->type, VRRP_LB_MII);
	struct vrrp_if_delay_cfg *d = nth(&c->vrrp->if_delays, 0);
	assert_int_equal(d->down, 1500000);
	assert_int_equal(d->up, 3 * SEC);
	struct vrrp_garp_group_cfg *gg = nth(&c->vrrp->garp_groups, 0);
	assert_int_equal(gg->garp_interval, 1000);
	assert_int_equal(gg->ifs.n, 2);
	assert_true(vrrp_cfg_empty(c->vrrp));
	ka_config_free(c);
}

static void test_vmac_and_hmac(void **state)
{
	struct ka_config *c = parse(
		"vrrp_instance M {\n"
		"    interface eth0\n"
		"    virtual_router_id 20\n"
		"    use_vmac vrrp.20 02:00:5e:00:01 netlink_notify_msg\n"
		"    auth_hmac {\n"
		"        key 1 hex:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"
		"        key 2 short\n"
		"        active_key 3\n"
		"        mode permissive\n"
		"    }\n"
		"    virtual_ipaddress { 10.0.0.20 }\n"
		"}\n");
	struct vrrp_instance_cfg *vi = inst(c, "M");
	assert_true(vi->use_vmac);
	assert_string_equal(vi->vmac_ifname, "vrrp.20");
	assert_true(vi->vmac_mac_set);
	assert_true(vi->vmac_mac_use_vrid);
	assert_true(vi->vmac_netlink_notify);
	assert_true(vi->hmac.present);
	assert_int_equal(vi->hmac.keys.n, 1);
	assert_int_equal(vi->hmac.mode, VRRP_HMAC_PERMISSIVE);
	assert_msg("t.conf:7: error: key 2: must be 32 to 64 bytes", NULL);
	assert_msg("t.conf:5: error: auth_hmac: active_key 3 is not a defined key", NULL);
	assert_int_equal(c->errors, 2);
	ka_config_free(c);
}

static void test_strict_warnings(void **state)
{
	struct ka_config *c = parse(
		"global_defs {\n    vrrp_strict\n}\n"
		"vrrp_instance S {\n interface eth0\n virtual_router_id 5\n state MASTER\n"
		" authentication {\n  auth_type PASS\n  auth_pass x\n }\n"
		" virtual_ipaddress { 10.0.0.5 }\n}\n");
	assert_clean(c);
	struct vrrp_instance_cfg *vi = inst(c, "S");
	assert_true(vi->strict_mode);
	assert_int_equal(vi->accept, 0);
	assert_msg("t.conf:4: warning: vrrp_instance 'S': strict mode: authentication", NULL);
	assert_msg("t.conf:4: warning: vrrp_instance 'S': strict mode: state MASTER", NULL);
	ka_config_free(c);
}

/* Strict mode runs the instance as the RFCs say: what they forbid is set
 * aside (keepalived's "resetting"), the owner alone accepts. */
static void test_strict_resets(void **state)
{
	struct ka_config *c = parse(
		"global_defs {\n vrrp_strict\n}\n"
		"vrrp_instance S {\n interface eth0\n virtual_router_id 5\n state MASTER\n"
		" preempt_delay 10\n accept\n lower_prio_no_advert false\n"
		" higher_prio_send_advert\n garp_lower_prio_repeat 2\n"
		" authentication {\n  auth_type AH\n  auth_pass x\n }\n"
		" virtual_ipaddress { 10.0.0.5 }\n}\n"
		"vrrp_instance O {\n interface eth0\n virtual_router_id 6\n priority 255\n"
		" virtual_ipaddress { 10.0.0.6 }\n}\n"
		"vrrp_instance V3 {\n interface eth0\n virtual_router_id 7\n version 3\n accept\n"
		" virtual_ipaddress { 10.0.0.7 }\n}\n"
		"vrrp_instance L {\n interface eth0\n virtual_router_id 8\n strict_mode off\n"
		" no_accept\n virtual_ipaddress { 10.0.0.8 }\n}\n"
		"vrrp_instance G6 {\n interface eth0\n virtual_router_id 9\n"
		" virtual_ipaddress {\n  2001:db8::9\n  fe80::9\n }\n}\n");
	assert_clean(c);
	struct vrrp_instance_cfg *s = inst(c, "S");
	assert_int_equal(s->accept, 0);
	assert_int_equal(s->state, VRRP_WISH_BACKUP);
	assert_int_equal(s->auth_type, VRRP_AUTH_NONE);
	assert_true(s->preempt_delay == 0);
	assert_true(s->lower_prio_no_advert);
	assert_false(s->higher_prio_send_advert);
	assert_int_equal(s->garp_lower_prio_repeat, 0);
	assert_int_equal(s->garp_master_repeat, 5); /* becoming master still announces */
	assert_msg("strict mode: accept is not allowed with version 2", "no_accept");
	assert_msg("strict mode: preempt_delay is not allowed", "ignored");
	assert_msg("strict mode: state MASTER needs priority 255", "BACKUP");
	assert_msg("strict mode: lower_prio_no_advert cannot be off", NULL);
	assert_msg("strict mode: higher_prio_send_advert is not allowed", NULL);
	assert_msg("strict mode: garp_lower_prio_repeat is not allowed", NULL);
	assert_int_equal(inst(c, "O")->accept, 1);
	assert_int_equal(inst(c, "V3")->accept, 1);
	/* not strict: no_accept as written, nothing reset */
	assert_int_equal(inst(c, "L")->accept, 0);
	assert_int_equal(inst(c, "L")->garp_lower_prio_repeat, 5);
	assert_msg("vrrp_instance 'G6': strict mode: the first IPv6 virtual_ipaddress", NULL);
	ka_config_free(c);

	/* an instance without any address is refused */
	c = parse("global_defs {\n vrrp_strict\n}\n"
		  "vrrp_instance E {\n interface eth0\n virtual_router_id 5\n}\n");
	assert_int_equal(c->errors, 1);
	assert_msg("error: vrrp_instance 'E': strict mode: at least one virtual_ipaddress", NULL);
	ka_config_free(c);
}

static void test_dump(void **state)
{
	struct ka_config *c = parse(
		"vrrp_script chk {\n script /bin/true\n}\n"
		"static_routes {\n 10.5.0.0/16 via 10.0.0.1 table 7\n}\n"
		"vrrp_instance D {\n interface eth0\n virtual_router_id 8\n"
		" track_script { chk weight 2 }\n"
		" virtual_ipaddress { 10.0.0.8/24 dev eth0 label eth0:d }\n"
		" virtual_rules { from 10.0.0.8 table 7 }\n}\n");
	assert_clean(c);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	vrrp_cfg_dump(out, c->vrrp);
	fclose(out);
	assert_non_null(strstr(text, "vrrp_instance D {"));
	assert_non_null(strstr(text, "virtual_router_id = 8"));
	assert_non_null(strstr(text, "10.0.0.8/24 dev eth0 label eth0:d"));
	assert_non_null(strstr(text, "10.5.0.0/16 via 10.0.0.1 table 7"));
	assert_non_null(strstr(text, "inet from 10.0.0.8/32 preference 16384 table 7"));
	assert_non_null(strstr(text, "chk weight 2"));
	free(text);
	ka_config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic_instance),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_global_defaults),
		cmocka_unit_test(test_advert_rounding),
		cmocka_unit_test(test_unicast),
		cmocka_unit_test(test_tracking),
		cmocka_unit_test(test_sync_group),
		cmocka_unit_test(test_routes_rules),
		cmocka_unit_test(test_old_spellings),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_cross_errors),
		cmocka_unit_test(test_group_membership_errors),
		cmocka_unit_test(test_address_details),
		cmocka_unit_test(test_rule_numbering),
		cmocka_unit_test(test_processes_and_bfd),
		cmocka_unit_test(test_vmac_and_hmac),
		cmocka_unit_test(test_strict_warnings),
		cmocka_unit_test(test_strict_resets),
		cmocka_unit_test(test_dump),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	clear_msgs();
	return rc;
}
