/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_check_cfg.c - LVS and global_defs configuration: typed values, defaults, errors */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <linux/ip_vs.h>

#include "daemon/config.h"
#include "check/check_cfg.h"
#include "daemon/global_cfg.h"
#include "ipvs-glue/ipvs_names.h"
#include "util.h"

#define SEC 1000000ULL
#define MAX_MSGS 64

/* ---- fixture: parse a text, capture every diagnostic line ------------------ */

static char *msgs[MAX_MSGS];
static unsigned nmsgs;
static struct ka_config *cfg;

static void capture(void *arg, enum cfg_level lvl, const char *msg)
{
	if (nmsgs < MAX_MSGS)
		msgs[nmsgs++] = xstrdup(msg);
}

static struct ka_config *parse(const char *text)
{
	struct cfg_diag diag = { .emit = capture };
	cfg = ka_config_parse_buf("test.conf", text, strlen(text), NULL, &diag);
	assert_non_null(cfg);
	return cfg;
}

static int teardown(void **state)
{
	for (unsigned i = 0; i < nmsgs; i++)
		free(msgs[i]);
	nmsgs = 0;
	ka_config_free(cfg);
	cfg = NULL;
	return 0;
}

static bool has_msg(const char *want)
{
	for (unsigned i = 0; i < nmsgs; i++)
		if (!strcmp(msgs[i], want))
			return true;
	return false;
}

static void expect_msg(const char *want)
{
	if (has_msg(want))
		return;
	fprintf(stderr, "missing message: %s\ngot %u:\n", want, nmsgs);
	for (unsigned i = 0; i < nmsgs; i++)
		fprintf(stderr, "  %s\n", msgs[i]);
	fail();
}

static void expect_clean(const struct ka_config *c)
{
	for (unsigned i = 0; i < nmsgs; i++)
		fprintf(stderr, "unexpected: %s\n", msgs[i]);
	assert_int_equal(c->errors, 0);
	assert_int_equal(c->warnings, 0);
}

#define NTH(type, list, n) ((type *)nth_node(list, n))
static void *nth_node(const struct cfg_list *l, unsigned n)
{
	struct cfg_node *x = l->head;
	while (x && n--)
		x = x->next;
	assert_non_null(x);
	return x;
}

static void assert_addr(const struct ka_addr *a, const char *text)
{
	char buf[KA_ADDR_STRLEN];
	assert_string_equal(ka_addr_str(a, buf), text);
}

static char *dump_check(const struct ka_config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	check_cfg_dump(f, c->check);
	fclose(f);
	return buf;
}

/* Dumping a configuration with errors must not trip over unresolved values. */
static void dump_all_quietly(const struct ka_config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ka_config_dump(f, c);
	fclose(f);
	assert_true(len > 0);
	assert_null(strstr(buf, "18446744073709")); /* an unset timer leaking out */
	free(buf);
}

/* ---- a realistic LVS-DR configuration -------------------------------------- */

static const char lvs_dr[] =
	"virtual_server 192.168.1.10 80 {\n"                   /* 1 */
	"    delay_loop 6\n"
	"    lvs_sched wrr\n"
	"    lvs_method DR\n"
	"    persistence_timeout 300\n"                         /* 5 */
	"    persistence_granularity 255.255.255.0\n"
	"    protocol TCP\n"
	"    sorry_server 10.0.0.99 8080\n"
	"    real_server 10.0.0.2 80 {\n"
	"        weight 3\n"                                    /* 10 */
	"        HTTP_GET {\n"
	"            url {\n"
	"                path /health\n"
	"                digest 9b3a0c85a887a256d6939da88aabd8cd\n"
	"                status_code 200-204 301\n"             /* 15 */
	"            }\n"
	"            url {\n"
	"                path /\n"
	"            }\n"
	"            connect_timeout 3\n"                       /* 20 */
	"        }\n"
	"    }\n"
	"    real_server 10.0.0.3 80 {\n"
	"        retry 2\n"
	"        TCP_CHECK {\n"                                 /* 25 */
	"            connect_port 8080\n"
	"        }\n"
	"    }\n"
	"}\n";

static void test_lvs_dr(void **state)
{
	struct ka_config *c = parse(lvs_dr);
	expect_clean(c);
	assert_false(check_cfg_empty(c->check));
	assert_true(ka_config_has_check(c));

	assert_int_equal(c->check->vs.n, 1);
	const struct check_vs *vs = NTH(const struct check_vs, &c->check->vs, 0);
	assert_int_equal(vs->kind, CHECK_VS_ADDR);
	assert_addr(&vs->addr, "192.168.1.10");
	assert_int_equal(vs->port, 80);
	assert_string_equal(vs->sched, "wrr");
	assert_int_equal(vs->fwd.method, IP_VS_CONN_F_DROUTE);
	assert_int_equal(vs->persistence_timeout, 300);
	assert_true(vs->has_granularity);
	assert_int_equal(vs->persistence_granularity, 24);
	assert_int_equal(vs->protocol, IPPROTO_TCP);
	assert_int_equal(vs->family, AF_INET);
	assert_int_equal(vs->delay_loop, 6 * SEC);
	assert_non_null(vs->sorry_server);
	assert_addr(&vs->sorry_server->addr, "10.0.0.99");
	assert_int_equal(vs->sorry_server->port, 8080);
	assert_int_equal(vs->sorry_server->fwd.method, IP_VS_CONN_F_DROUTE);

	assert_int_equal(vs->rs.n, 2);
	const struct check_rs *rs = NTH(const struct check_rs, &vs->rs, 0);
	assert_addr(&rs->addr, "10.0.0.2");
	assert_int_equal(rs->port, 80);
	assert_int_equal(rs->weight, 3);
	assert_int_equal(rs->fwd.method, IP_VS_CONN_F_DROUTE); /* from the VS */
	assert_int_equal(rs->probes.n, 1);

	const struct check_probe *h = NTH(const struct check_probe, &rs->probes, 0);
	assert_int_equal(h->kind, CHECK_HTTP);
	assert_int_equal(h->line, 11);
	assert_int_equal(h->u.http.protocol, CHECK_HTTP_1_0);
	assert_int_equal(h->u.http.urls.n, 2);
	const struct check_url *u = NTH(const struct check_url, &h->u.http.urls, 0);
	static const uint8_t md5[16] = { 0x9b, 0x3a, 0x0c, 0x85, 0xa8, 0x87, 0xa2, 0x56,
					 0xd6, 0x93, 0x9d, 0xa8, 0x8a, 0xab, 0xd8, 0xcd };
	assert_string_equal(u->path, "/health");
	assert_true(u->has_digest);
	assert_memory_equal(u->digest, md5, 16);
	assert_true(check_url_status_ok(u, 200));
	assert_true(check_url_status_ok(u, 204));
	assert_false(check_url_status_ok(u, 205));
	assert_true(check_url_status_ok(u, 301));
	assert_false(check_url_status_ok(u, 302));
	u = NTH(const struct check_url, &h->u.http.urls, 1);
	assert_false(u->has_digest);
	assert_true(check_url_status_ok(u, 299)); /* default 200-299 */
	assert_false(check_url_status_ok(u, 404));

	/* cascade: checker <- real_server <- virtual_server <- built-in */
	assert_int_equal(h->connect_timeout, 3 * SEC);     /* checker */
	assert_int_equal(h->delay_loop, 6 * SEC);          /* VS */
	assert_int_equal(h->retry, 1);                     /* built-in */
	assert_int_equal(h->delay_before_retry, 3 * SEC);  /* HTTP built-in */
	assert_int_equal(h->warmup, 6 * SEC);              /* = delay_loop */
	assert_addr(&h->conn.connect_ip, "10.0.0.2");
	assert_int_equal(h->conn.connect_port, 80);
	assert_int_equal(h->alpha, GLOBAL_OFF);
	assert_int_equal(h->log_all_failures, GLOBAL_OFF);

	rs = NTH(const struct check_rs, &vs->rs, 1);
	assert_int_equal(rs->weight, 1); /* VS default weight */
	const struct check_probe *t = NTH(const struct check_probe, &rs->probes, 0);
	assert_int_equal(t->kind, CHECK_TCP);
	assert_int_equal(t->conn.connect_port, 8080);
	assert_int_equal(t->connect_timeout, 5 * SEC);
	assert_int_equal(t->retry, 2);                 /* real_server */
	assert_int_equal(t->delay_before_retry, 1 * SEC);
}

static void test_dump(void **state)
{
	struct ka_config *c = parse(lvs_dr);
	expect_clean(c);
	char *d1 = dump_check(c), *d2 = dump_check(c);
	assert_string_equal(d1, d2);
	assert_non_null(strstr(d1, "virtual_server 192.168.1.10 80 {\t# test.conf:1\n"));
	assert_non_null(strstr(d1, "\tlvs_sched wrr\n\tlvs_method DR\n"
				   "\tpersistence_timeout 300\n"));
	assert_non_null(strstr(d1, "\t\t\t\tdigest 9b3a0c85a887a256d6939da88aabd8cd\n"
				   "\t\t\t\tstatus_code 200-204 301\n"));
	assert_non_null(strstr(d1, "\t\t\tconnect_port 8080\n"));
	free(d1);
	free(d2);
}

/* ---- old spellings ------------------------------------------------------------ */

static const char *const sched_new =
	"virtual_server 10.1.1.1 443 {\n lvs_sched sh\n lvs_method NAT\n sh-port\n"
	" real_server 10.1.1.2 443 {\n  HTTP_GET {\n   url {\n    path /\n   }\n"
	"   retry 4\n  }\n }\n}\n";
static const char *const sched_old =
	"virtual_server 10.1.1.1 443 {\n lb_algo SH\n lb_kind nat\n sh-port\n"
	" real_server 10.1.1.2 443 {\n  HTTP_GET {\n   url {\n    path /\n   }\n"
	"   nb_get_retry 4\n  }\n }\n}\n";

static void test_old_spellings(void **state)
{
	struct ka_config *c = parse(sched_new);
	expect_clean(c);
	char *d_new = dump_check(c);
	teardown(state);

	c = parse(sched_old);
	assert_int_equal(c->errors, 0);
	expect_msg("test.conf:10: warning: 'nb_get_retry' is deprecated, use 'retry'");
	assert_int_equal(nmsgs, 1);
	const struct check_vs *vs = NTH(const struct check_vs, &c->check->vs, 0);
	assert_string_equal(vs->sched, "sh");
	assert_int_equal(vs->fwd.method, IP_VS_CONN_F_MASQ);
	assert_int_equal(vs->sched_flags, IP_VS_SVC_F_SCHED_SH_PORT);
	const struct check_rs *rs = NTH(const struct check_rs, &vs->rs, 0);
	assert_int_equal(NTH(const struct check_probe, &rs->probes, 0)->retry, 4);
	char *d_old = dump_check(c);
	assert_string_equal(d_new, d_old);
	free(d_new);
	free(d_old);
}

/* ---- groups, fwmarks, tunnels, other checkers ---------------------------------- */

static void test_groups(void **state)
{
	struct ka_config *c = parse(
		"virtual_server_group G1 {\n"
		"    10.0.0.1 80\n"
		"    10.0.0.10-20 80\n"
		"    192.168.0.5/30 443\n"
		"    2001:db8::1-ff 80\n"
		"    fwmark 5\n"
		"    fwmark 6 inet6\n"
		"}\n"
		"virtual_server group G1 {\n"
		"    real_server 10.0.0.2 80 {\n"
		"        TCP_CHECK {\n"
		"        }\n"
		"    }\n"
		"}\n"
		"virtual_server fwmark 7 {\n"
		"    lvs_method TUN type gue port 6080 remcsum\n"
		"    real_server 2001:db8::2 {\n"
		"        PING_CHECK {\n"
		"        }\n"
		"    }\n"
		"}\n");
	/* only the /30 with host bits set deserves a word */
	assert_int_equal(c->errors, 0);
	expect_msg("test.conf:4: warning: 'virtual_server_group': '192.168.0.5/30' has host bits "
		   "set; using the whole /30");
	assert_int_equal(nmsgs, 1);

	const struct check_vsg *g = NTH(const struct check_vsg, &c->check->groups, 0);
	assert_string_equal(g->name, "G1");
	assert_int_equal(g->entries.n, 6);
	const struct check_vsg_entry *e = NTH(const struct check_vsg_entry, &g->entries, 0);
	assert_int_equal(e->kind, CHECK_VSG_ADDR);
	assert_addr(&e->first, "10.0.0.1");
	assert_int_equal(e->port, 80);
	e = NTH(const struct check_vsg_entry, &g->entries, 1);
	assert_int_equal(e->kind, CHECK_VSG_RANGE);
	assert_addr(&e->first, "10.0.0.10");
	assert_addr(&e->last, "10.0.0.20");
	e = NTH(const struct check_vsg_entry, &g->entries, 2);
	assert_addr(&e->first, "192.168.0.4");
	assert_addr(&e->last, "192.168.0.7");
	assert_int_equal(e->prefix, 30);
	assert_int_equal(e->port, 443);
	e = NTH(const struct check_vsg_entry, &g->entries, 3);
	assert_addr(&e->first, "2001:db8::1");
	assert_addr(&e->last, "2001:db8::ff");
	e = NTH(const struct check_vsg_entry, &g->entries, 4);
	assert_int_equal(e->kind, CHECK_VSG_FWMARK);
	assert_int_equal(e->fwmark, 5);
	assert_int_equal(e->family, AF_UNSPEC);
	e = NTH(const struct check_vsg_entry, &g->entries, 5);
	assert_int_equal(e->fwmark, 6);
	assert_int_equal(e->family, AF_INET6);

	const struct check_vs *vs = NTH(const struct check_vs, &c->check->vs, 0);
	assert_int_equal(vs->kind, CHECK_VS_GROUP);
	assert_ptr_equal(vs->group, g);
	assert_int_equal(vs->family, AF_INET);

	vs = NTH(const struct check_vs, &c->check->vs, 1);
	assert_int_equal(vs->kind, CHECK_VS_FWMARK);
	assert_int_equal(vs->fwmark, 7);
	assert_int_equal(vs->family, AF_INET6); /* from its real server */
	assert_int_equal(vs->fwd.method, IP_VS_CONN_F_TUNNEL);
	assert_int_equal(vs->fwd.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(vs->fwd.tun_port, 6080);
	assert_int_equal(vs->fwd.tun_csum, IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);
	const struct check_rs *rs = NTH(const struct check_rs, &vs->rs, 0);
	assert_int_equal(rs->port, 0);
	assert_int_equal(rs->fwd.tun_port, 6080);
}

static void test_checker_defaults(void **state)
{
	struct ka_config *c = parse(
		"global_defs {\n  checker_log_all_failures\n}\n"
		"virtual_server 10.0.0.1 53 {\n"
		"  protocol UDP\n"
		"  delay_loop 20\n"
		"  real_server 10.0.0.2 53 {\n"
		"    DNS_CHECK {\n      type A\n      name example.com\n    }\n"
		"    MISC_CHECK {\n      misc_path \"/bin/check arg\"\n      user nobody\n"
		"      misc_dynamic\n    }\n"
		"    UDP_CHECK {\n      payload 0a0B\n      require_reply 0axx\n    }\n"
		"    SMTP_CHECK {\n      host {\n        connect_ip 10.0.0.7\n      }\n"
		"      host {\n        connect_ip 10.0.0.8\n        connect_port 2525\n      }\n"
		"    }\n"
		"  }\n"
		"}\n");
	assert_int_equal(c->errors, 0);
	assert_int_equal(c->warnings, 2); /* the two deprecated host blocks */
	const struct check_vs *vs = NTH(const struct check_vs, &c->check->vs, 0);
	assert_int_equal(vs->protocol, IPPROTO_UDP);
	const struct check_rs *rs = NTH(const struct check_rs, &vs->rs, 0);
	assert_int_equal(rs->probes.n, 5); /* second SMTP host became a checker */

	const struct check_probe *p = NTH(const struct check_probe, &rs->probes, 0);
	assert_int_equal(p->kind, CHECK_DNS);
	assert_int_equal(p->u.dns.type, 1);
	assert_string_equal(p->u.dns.name, "example.com");
	assert_int_equal(p->retry, 3);
	assert_int_equal(p->delay_before_retry, 20 * SEC);
	assert_int_equal(p->log_all_failures, GLOBAL_ON);

	p = NTH(const struct check_probe, &rs->probes, 1);
	assert_int_equal(p->kind, CHECK_MISC);
	assert_string_equal(p->u.misc.path.argv[0], "/bin/check");
	assert_string_equal(p->u.misc.path.argv[1], "arg");
	assert_string_equal(p->u.misc.path.user, "nobody");
	assert_true(p->u.misc.dynamic);
	assert_int_equal(p->retry, 0);
	assert_int_equal(p->u.misc.timeout, 20 * SEC);

	p = NTH(const struct check_probe, &rs->probes, 2);
	assert_int_equal(p->kind, CHECK_UDP);
	assert_int_equal(p->u.udp.payload_len, 2);
	assert_int_equal(p->u.udp.payload[0], 0x0a);
	assert_int_equal(p->u.udp.payload[1], 0x0b);
	assert_true(p->u.udp.require_reply);
	assert_int_equal(p->u.udp.reply_len, 2);
	assert_int_equal(p->u.udp.reply_mask[0], 0xff);
	assert_int_equal(p->u.udp.reply_mask[1], 0x00);

	p = NTH(const struct check_probe, &rs->probes, 3);
	assert_int_equal(p->kind, CHECK_SMTP);
	assert_addr(&p->conn.connect_ip, "10.0.0.7");
	assert_int_equal(p->conn.connect_port, 53);
	assert_string_equal(p->u.smtp.helo_name, "smtpchecker.keepalived.org");
	p = NTH(const struct check_probe, &rs->probes, 4);
	assert_int_equal(p->kind, CHECK_SMTP);
	assert_addr(&p->conn.connect_ip, "10.0.0.8");
	assert_int_equal(p->conn.connect_port, 2525);
	assert_int_equal(p->u.smtp.hosts.n, 0);
}

/* ---- global_defs ------------------------------------------------------------------- */

static void test_global_defs(void **state)
{
	struct ka_config *c = parse(
		"global_defs {\n"
		"    notification_email {\n"
		"        admin@example.com\n"
		"        \"Ops Team <ops@example.com>\"\n"
		"    }\n"
		"    notification_email_from lvs@example.com\n"
		"    smtp_server mail.example.com 587\n"
		"    smtp_connect_timeout 10\n"
		"    smtp_alert\n"
		"    smtp_alert_vrrp off\n"
		"    router_id R1\n"
		"    vrrp_version 3\n"
		"    vrrp_mcast_group4 224.0.0.19\n"
		"    vrrp_mcast_group6 ff02::13\n"
		"    vrrp_garp_master_delay 2\n"
		"    vrrp_garp_master_repeat 3\n"
		"    vrrp_strict\n"
		"    vrrp_down_timer_adverts 5\n"
		"    lvs_sync_daemon eth0 id 12 maxlen 1400 port 8849 ttl 2 group 239.1.1.1\n"
		"    lvs_timeouts tcp 900 tcpfin 120 udp 300\n"
		"    lvs_flush_onstop VS\n"
		"    script_user nobody:nogroup\n"
		"    enable_script_security\n"
		"    umask IWGRP|IWOTH\n"
		"    vrrp_cpu_affinity 0-1,3\n"
		"    enable_snmp_rfc\n"
		"}\n"
		"child_wait_time 2.5\n"
		"instance lb1\n"
		"net_namespace_ipvs\n");
	assert_int_equal(c->errors, 0);
	expect_msg("test.conf:21: warning: 'lvs_flush_onstop' is deprecated, use "
		   "'lvs_flush_on_stop'");
	assert_int_equal(nmsgs, 1);
	const struct global_cfg *g = c->global;

	assert_int_equal(g->notification_email.n, 2);
	assert_string_equal(NTH(struct global_email, &g->notification_email, 0)->addr,
			    "admin@example.com");
	assert_string_equal(NTH(struct global_email, &g->notification_email, 1)->addr,
			    "Ops Team <ops@example.com>");
	assert_string_equal(g->notification_email_from, "lvs@example.com");
	assert_string_equal(g->smtp_server_host, "mail.example.com");
	assert_int_equal(g->smtp_server.family, AF_UNSPEC);
	assert_int_equal(g->smtp_server_port, 587);
	assert_int_equal(g->smtp_connect_timeout, 10 * SEC);
	assert_int_equal(g->smtp_alert, GLOBAL_ON);
	assert_int_equal(global_cfg_smtp_alert_vrrp(g), GLOBAL_OFF);
	assert_int_equal(global_cfg_smtp_alert_checker(g), GLOBAL_ON);
	assert_string_equal(g->router_id, "R1");

	assert_int_equal(g->vrrp_version, 3);
	assert_addr(&g->vrrp_mcast_group4, "224.0.0.19");
	assert_addr(&g->vrrp_mcast_group6, "ff02::13");
	assert_int_equal(g->vrrp_garp_master_delay, 2 * SEC);
	assert_int_equal(g->vrrp_garp_lower_prio_delay, 2 * SEC); /* follows the master value */
	assert_int_equal(g->vrrp_garp_lower_prio_repeat, 3);
	assert_true(g->vrrp_strict);
	assert_int_equal(g->vrrp_down_timer_adverts, 5);

	const struct global_lvs_sync *s = &g->lvs_sync_daemon;
	assert_true(s->set);
	assert_string_equal(s->ifname, "eth0");
	assert_null(s->vrrp_instance);
	assert_int_equal(s->syncid, 12);
	assert_int_equal(s->maxlen, 1400);
	assert_int_equal(s->port, 8849);
	assert_int_equal(s->ttl, 2);
	assert_addr(&s->group, "239.1.1.1");
	assert_true(global_cfg_needs_vrrp(g));
	assert_true(ka_config_has_vrrp(c));

	assert_int_equal(g->lvs_timeout_tcp, 900);
	assert_int_equal(g->lvs_timeout_tcpfin, 120);
	assert_int_equal(g->lvs_timeout_udp, 300);
	assert_int_equal(g->lvs_flush_on_stop, GLOBAL_FLUSH_VS);
	assert_string_equal(g->script_user, "nobody");
	assert_string_equal(g->script_group, "nogroup");
	assert_true(g->enable_script_security);
	assert_true(g->umask_set);
	assert_int_equal(g->umask, 022);
	assert_string_equal(g->vrrp_proc.cpu_affinity, "0-1,3");
	assert_true(g->enable_snmp_rfcv2 && g->enable_snmp_rfcv3);
	assert_int_equal(g->child_wait_time, 2500000);
	assert_string_equal(g->instance_name, "lb1");
	assert_true(g->net_namespace_ipvs_set);
	assert_string_equal(g->net_namespace_ipvs, "");
}

static void test_global_defaults(void **state)
{
	char host[256] = "";
	gethostname(host, sizeof(host) - 1);
	struct ka_config *c = parse("global_defs {\n  smtp_server 10.0.0.1\n"
				    "  notification_email {\n    a@b\n  }\n}\n");
	expect_clean(c);
	const struct global_cfg *g = c->global;
	assert_addr(&g->smtp_server, "10.0.0.1");
	assert_null(g->smtp_server_host);
	assert_int_equal(g->smtp_server_port, 25);
	assert_int_equal(g->smtp_connect_timeout, 30 * SEC);
	assert_string_equal(g->router_id, host);
	assert_string_equal(g->smtp_helo_name, host);
	char from[300];
	snprintf(from, sizeof(from), "keepalived@%s", host);
	assert_string_equal(g->notification_email_from, from);
	assert_addr(&g->vrrp_mcast_group4, "224.0.0.18");
	assert_addr(&g->vrrp_mcast_group6, "ff02::12");
	assert_int_equal(g->vrrp_version, 2);
	assert_int_equal(g->vrrp_garp_lower_prio_delay, 5 * SEC);
	assert_int_equal(g->child_wait_time, 5 * SEC);
	assert_int_equal(g->smtp_alert, GLOBAL_UNSET);
	assert_false(global_cfg_needs_vrrp(g));
	assert_true(check_cfg_empty(c->check));
	assert_false(ka_config_has_check(c));
}

static void test_global_dump(void **state)
{
	struct ka_config *c = parse("global_defs {\n  router_id R2\n  smtp_server 10.0.0.1 26\n"
				    "  notification_email {\n    a@b\n  }\n"
				    "  lvs_sync_daemon eth1 VI_9 id 3\n"
				    "  smtp_alert_checker no\n}\n");
	assert_int_equal(c->errors, 1); /* VI_9 does not exist */
	expect_msg("test.conf:7: error: 'lvs_sync_daemon': no vrrp_instance named 'VI_9'");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	global_cfg_dump(f, c->global);
	fclose(f);
	assert_non_null(strstr(buf, "global_defs {\n\trouter_id R2\n"));
	assert_non_null(strstr(buf, "\tnotification_email {\n\t\ta@b\n\t}\n"));
	assert_non_null(strstr(buf, "\tsmtp_server 10.0.0.1 26\n"));
	assert_non_null(strstr(buf, "\tsmtp_connect_timeout 30\n"));
	assert_non_null(strstr(buf, "\tsmtp_alert_checker off\n"));
	assert_non_null(strstr(buf, "\tlvs_sync_daemon eth1 inst VI_9 id 3 port 8848\n"));
	assert_non_null(strstr(buf, "\tvrrp_mcast_group4 224.0.0.18\n"));
	assert_non_null(strstr(buf, "child_wait_time 5\n"));
	free(buf);
}

/* ---- errors with file:line ------------------------------------------------------- */

static void test_errors(void **state)
{
	struct ka_config *c = parse(
		"virtual_server 10.0.0.1 80 {\n"          /* 1 */
		"    lvs_sched xyz\n"
		"    lvs_method FOO\n"
		"    real_server 10.0.0.2 80 {\n"
		"        HTTP_GET {\n"                   /* 5 */
		"            url {\n"
		"                path /\n"
		"                digest 12345\n"
		"                status_code 999\n"
		"            }\n"                        /* 10 */
		"        }\n"
		"    }\n"
		"    real_server 10.0.0.2 80 {\n"
		"        HTTP_GET {\n"
		"        }\n"                            /* 15 */
		"    }\n"
		"    sorry_server 2001:db8::1 80\n"
		"}\n"
		"virtual_server group NOPE {\n"
		"}\n"                                    /* 20 */
		"virtual_server 10.0.0.1 70000 {\n"
		"}\n"
		"global_defs {\n"
		"    vrrp_mcast_group4 10.0.0.1\n"
		"    vrrp_mcast_group6 224.0.0.18\n"     /* 25 */
		"    vrrp_down_timer_adverts 101\n"
		"}\n"
		"virtual_server fwmark 1 {\n"
		"    real_server 10.0.0.5 {\n"
		"        TCP_CHECK {\n"                  /* 30 */
		"        }\n"
		"    }\n"
		"}\n"
		"virtual_server 10.0.0.1 80 {\n"
		"    lvs_method TUN type gue\n"          /* 35 */
		"}\n");
	expect_msg("test.conf:2: error: 'lvs_sched': unknown scheduler 'xyz'");
	expect_msg("test.conf:3: error: 'lvs_method': unknown method 'FOO' (NAT, DR, TUN)");
	expect_msg("test.conf:8: error: 'digest': '12345' is not an MD5 digest (32 hex digits)");
	expect_msg("test.conf:9: error: 'status_code': invalid status '999' (100..599)");
	expect_msg("test.conf:13: error: real_server 10.0.0.2:80 is already defined at "
		   "test.conf:4");
	expect_msg("test.conf:14: error: HTTP_GET: no url { } block");
	expect_msg("test.conf:17: error: sorry_server [2001:db8::1]:80: address family differs "
		   "from virtual_server 10.0.0.1:80");
	expect_msg("test.conf:19: error: virtual_server group NOPE: no virtual_server_group of "
		   "that name");
	expect_msg("test.conf:21: error: 'virtual_server': invalid port '70000' (0..65535)");
	expect_msg("test.conf:24: error: 'vrrp_mcast_group4': '10.0.0.1' is not an IPv4 "
		   "multicast address");
	expect_msg("test.conf:25: error: 'vrrp_mcast_group6': '224.0.0.18' is not an IPv6 "
		   "multicast address");
	expect_msg("test.conf:26: error: 'vrrp_down_timer_adverts': 101 is out of range 1..100");
	expect_msg("test.conf:30: error: TCP_CHECK: no port to connect to: real_server "
		   "10.0.0.5:0 has no port and connect_port is not set");
	expect_msg("test.conf:34: error: virtual_server 10.0.0.1:80 TCP is already defined at "
		   "test.conf:1");
	expect_msg("test.conf:35: error: 'lvs_method': type gue needs a port");
	assert_int_equal(c->errors, 15);
	dump_all_quietly(c);
}

static void test_value_errors(void **state)
{
	struct ka_config *c = parse(
		"global_defs {\n"
		"    lvs_sync_daemon\n"
		"    lvs_sync_daemon eth0 id 300\n"
		"    lvs_timeouts tcp 10 bogus 3\n"
		"    smtp_server bad,host\n"                     /* 5 */
		"    vrrp_version 4\n"
		"}\n"
		"virtual_server_group G {\n"
		"    10.0.0.9-3\n"
		"    fwmark 0\n"                                 /* 10 */
		"}\n"
		"virtual_server 10.0.0.1 {\n"
		"    persistence_granularity 255.0.255.0\n"
		"    protocol ICMP\n"
		"    real_server 10.0.0.2 80 {\n"                /* 15 */
		"        HTTP_GET {\n"
		"            http_protocol 2.0\n"
		"            url {\n"
		"                status_code 300-200\n"
		"            }\n"                                /* 20 */
		"        }\n"
		"    }\n"
		"}\n");
	expect_msg("test.conf:2: error: 'lvs_sync_daemon': missing argument");
	expect_msg("test.conf:3: error: 'lvs_sync_daemon': 300 is out of range 0..255");
	expect_msg("test.conf:4: error: 'lvs_timeouts': unknown timeout 'bogus' "
		   "(tcp, tcpfin, udp)");
	expect_msg("test.conf:5: error: 'smtp_server': 'bad,host' is neither an address nor a "
		   "host name");
	expect_msg("test.conf:6: error: 'vrrp_version': 4 is out of range 2..3");
	expect_msg("test.conf:9: error: 'virtual_server_group': range '10.0.0.9-3' is empty or "
		   "larger than 65536 addresses");
	expect_msg("test.conf:10: error: 'fwmark': 0 is out of range 1..4294967295");
	expect_msg("test.conf:12: error: virtual_server 10.0.0.1:0: a port is needed unless "
		   "persistence_timeout is set");
	expect_msg("test.conf:13: error: 'persistence_granularity': invalid netmask "
		   "'255.0.255.0'");
	expect_msg("test.conf:14: error: 'protocol': unknown protocol 'ICMP' (TCP, UDP, SCTP)");
	expect_msg("test.conf:17: error: 'http_protocol': '2.0' is not one of 1.0, 1.0C, 1.1");
	expect_msg("test.conf:18: error: HTTP_GET: url without path");
	expect_msg("test.conf:19: error: 'status_code': invalid status '300-200' (100..599)");
	assert_int_equal(c->errors, 13);
	dump_all_quietly(c);
}

/* ---- every keyword of the inventory is recognised ------------------------------- */

static const char all_global[] =
	"global_defs {\n"
	" router_id r\n tmp_config_directory /tmp\n config_save_dir /tmp/save\n"
	" process_names\n process_name ka\n vrrp_process_name\n checker_process_name ka_chk\n"
	" lvs_process_name ka_lvs\n bfd_process_name\n use_symlink_paths\n"
	" set_supplementary_groups\n startup_script /bin/true\n"
	" shutdown_script \"/bin/echo bye\" root\n startup_script_timeout 5\n"
	" shutdown_script_timeout 5\n script_user root\n enable_script_security\n umask 022\n"
	" random_seed 42\n dynamic_interfaces allow_if_changes\n default_interface eth1\n"
	" reload_check_config /tmp/reload.log\n reload_time_file /tmp/rt\n reload_repeat\n"
	" reload_file /tmp/reload\n include_check readable,-match\n data_use_instance\n"
	" state_dump_file /tmp/d\n stats_dump_file /tmp/s\n json_dump_file /tmp/j\n"
	" json_version 2\n iproute_usr_dir /usr/lib/iproute2\n iproute_etc_dir /etc/iproute2\n"
	" max_auto_priority 50\n min_auto_priority_delay 100000\n"
	" vrrp_priority -5\n checker_priority 5\n bfd_priority 0\n"
	" vrrp_no_swap\n checker_no_swap\n bfd_no_swap\n"
	" vrrp_rt_priority 10\n checker_rt_priority 20\n bfd_rt_priority 30\n"
	" vrrp_cpu_affinity 0\n checker_cpu_affinity 1 2\n bfd_cpu_affinity 0-3\n"
	" vrrp_rlimit_rttime 20000\n checker_rlimit_rttime 20000\n bfd_rlimit_rttime 20000\n"
	" vrrp_rlimit_rtime 10000\n"
	" vrrp_netlink_cmd_rcv_bufs 1048576\n vrrp_netlink_cmd_rcv_bufs_force\n"
	" vrrp_netlink_monitor_rcv_bufs 1048576\n vrrp_netlink_monitor_rcv_bufs_force on\n"
	" lvs_netlink_cmd_rcv_bufs 1048576\n lvs_netlink_cmd_rcv_bufs_force\n"
	" lvs_netlink_monitor_rcv_bufs 1048576\n lvs_netlink_monitor_rcv_bufs_force\n"
	" process_monitor_rcv_bufs 1048576\n process_monitor_rcv_bufs_force\n"
	" notification_email { a@b }\n notification_email_from x@y\n"
	" smtp_server 127.0.0.1 25\n smtp_helo_name h\n smtp_connect_timeout 5\n"
	" smtp_alert off\n smtp_alert_vrrp on\n smtp_alert_checker\n no_email_faults\n"
	" no_checker_emails\n checker_log_all_failures no\n"
	" vrrp_mcast_group4 224.0.0.18\n vrrp_mcast_group6 ff02::12\n vrrp_version 2\n"
	" vrrp_garp_master_delay 5\n vrrp_garp_master_repeat 5\n"
	" vrrp_garp_lower_prio_delay 1\n vrrp_garp_lower_prio_repeat 1\n"
	" vrrp_garp_master_refresh 60\n vrrp_garp_master_refresh_repeat 2\n"
	" vrrp_garp_interval 0.001\n vrrp_gna_interval 0.001\n vrrp_min_garp true\n"
	" vrrp_garp_extra_if all 30\n vrrp_vmac_garp_intvl 10\n vrrp_down_timer_adverts 3\n"
	" vrrp_lower_prio_no_advert\n vrrp_higher_prio_send_advert false\n"
	" vrrp_owner_ignore_adverts\n v3_checksum_as_v2\n vrrp_check_unicast_src\n"
	" vrrp_skip_check_adv_addr\n vrrp_strict\n vrrp_notify_priority_changes\n"
	" vrrp_startup_delay 2.5\n vrrp_delay_after_boot 30\n vrrp_rx_bufs_policy MTU\n"
	" vrrp_rx_bufs_multiplier 4\n log_unknown_vrids\n vmac_prefix vr\n"
	" vmac_addr_prefix vra\n disable_local_igmp\n nftables\n nftables_priority -2\n"
	" nftables_counters\n nftables_ifindex\n vrrp_iptables IN OUT\n vrrp_ipsets a b c\n"
	" vrrp_notify_fifo /run/v.fifo\n vrrp_notify_fifo_script /bin/reader\n"
	" notify_fifo /run/n.fifo root root\n notify_fifo_script /bin/reader\n"
	" fifo_write_vrrp_states_on_reload\n"
	" lvs_sync_daemon eth0 id 1\n lvs_timeouts tcp 1\n lvs_flush\n lvs_flush_on_stop\n"
	" lvs_flush_onstop\n nftables_ipvs\n nftables_ipvs_priority -1\n"
	" nftables_ipvs_start_fwmark 2000\n rs_init_notifies\n lvs_notify_fifo /run/l.fifo\n"
	" lvs_notify_fifo_script /bin/reader\n"
	" snmp_socket udp:1.2.3.4:705\n enable_snmp_vrrp\n enable_snmp_keepalived\n"
	" enable_snmp_checker\n enable_snmp_rfc\n enable_snmp_rfcv2\n enable_snmp_rfcv3\n"
	" enable_traps\n snmp_vs_stats_update_interval 2\n snmp_rs_stats_update_interval 2\n"
	" enable_dbus\n dbus_service_name org.x\n dbus_no_interface_name none\n"
	"}\n"
	"net_namespace ns1\nnet_namespace_ipvs ns2\nnamespace_with_ipsets\ninstance i1\n"
	"use_pid_dir\nlinkbeat_use_polling\nchild_wait_time 3\n";

static void test_all_global_keywords(void **state)
{
	struct ka_config *c = parse(all_global);
	assert_int_equal(c->errors, 0);
	/* the old spellings say so, and so do keywords without effect here;
	 * nothing else is worth a word */
	unsigned depr = 0;
	for (unsigned i = 0; i < nmsgs; i++) {
		if (strstr(msgs[i], "is deprecated, use"))
			depr++;
		else if (!strstr(msgs[i], "has no effect in this version"))
			fail_msg("unexpected: %s", msgs[i]);
	}
	assert_int_equal(depr, 5);
	expect_msg("test.conf:3: warning: 'tmp_config_directory' is accepted but has no effect "
		   "in this version");
	const struct global_cfg *g = c->global;
	assert_string_equal(g->checker_proc.process_name, "ka_lvs");
	assert_string_equal(g->vrrp_proc.process_name, "keepalived_vrrp");
	assert_int_equal(g->vrrp_proc.rlimit_rttime, 10000);
	assert_string_equal(g->checker_proc.cpu_affinity, "1,2");
	assert_int_equal(g->checker_proc.rt_priority, 20);
	assert_int_equal(g->max_auto_priority, 50);
	assert_int_equal(g->min_auto_priority_delay, 100000);
	assert_true(g->vrrp_netlink_monitor.force);
	assert_int_equal(g->lvs_netlink_cmd.size, 1048576);
	assert_int_equal(g->vrrp_garp_extra_if, 10 * SEC);
	assert_false(g->vrrp_garp_extra_if_all);
	assert_string_equal(g->nftables, "keepalived");
	assert_string_equal(g->vrrp_iptables_out, "OUT");
	assert_string_equal(g->notify_fifo.fifo.user, "root");
	assert_string_equal(g->notify_fifo.script.cmd, "/bin/reader");
	assert_int_equal(g->lvs_flush_on_stop, GLOBAL_FLUSH_ALL);
	assert_string_equal(g->net_namespace, "ns1");
	assert_string_equal(g->net_namespace_ipvs, "ns2");
	assert_int_equal(g->child_wait_time, 3 * SEC);
}

static const char all_check[] =
	"SSL {\n password p\n ca /etc/ca\n certificate /etc/c\n key /etc/k\n}\n"
	"virtual_server_group G {\n 10.0.0.1 80\n}\n"
	"virtual_server group G {\n real_server 10.0.0.2 80 {\n }\n}\n"
	"virtual_server 10.0.0.1 80 {\n"
	" lvs_sched mh\n lb_algo mh\n flag-1\n flag-2\n flag-3\n mh-port\n mh-fallback\n ops\n"
	" hashed\n lvs_method NAT\n lb_kind NAT\n persistence_timeout\n"
	" persistence_granularity 24\n persistence_engine sip\n protocol UDP\n ip_family inet\n"
	" ha_suspend\n virtualhost www.example.com\n snmp_name vs1\n smtp_alert\n alpha\n omega\n"
	" quorum 2\n hysteresis 1\n quorum_up /bin/true\n quorum_down \"/bin/echo down\"\n"
	" sorry_server 10.0.0.9 80\n sorry_server_inhibit\n sorry_server_lvs_method DR\n"
	" delay_loop 10\n connect_timeout 2\n retry 2\n delay_before_retry 2\n warmup 0\n"
	" inhibit_on_failure\n weight 2\n"
	" real_server 10.0.0.2 80 {\n"
	"  weight 5\n lvs_method DR\n lb_kind DR\n uthreshold 100\n lthreshold 10\n"
	"  inhibit_on_failure off\n notify_up /bin/up\n notify_down /bin/down\n alpha\n"
	"  retry 3\n delay_before_retry 3\n warmup 3\n connect_timeout 3\n delay_loop 3\n"
	"  smtp_alert no\n virtualhost rs.example.com\n snmp_name rs1\n"
	"  TCP_CHECK {\n connect_ip 10.0.0.3\n connect_port 81\n bindto 10.0.0.1\n"
	"   bind_port 5000\n bind_if eth0\n fwmark 3\n connect_timeout 1\n retry 1\n"
	"   delay_before_retry 1\n warmup 1\n delay_loop 1\n alpha\n log_all_failures\n  }\n"
	"  HTTP_GET {\n   url {\n    path /a\n    digest 00112233445566778899aabbccddeeff\n"
	"    status_code 200 302\n    virtualhost u.example.com\n    regex ok\n"
	"    regex_no_match\n    regex_options caseless multiline\n    regex_stack 10 100\n"
	"    regex_min_offset 1\n    regex_max_offset 100\n    tls_compliant\n   }\n"
	"   http_protocol 1.1\n   virtualhost h.example.com\n   fast_recovery\n"
	"   enable_sni\n   sni_name s.example.com\n   tls_compliant\n  }\n"
	"  SSL_GET {\n   url {\n    path /\n   }\n  }\n"
	"  SMTP_CHECK {\n   helo_name me.example.com\n  }\n"
	"  DNS_CHECK {\n   type AAAA\n   name example.com\n  }\n"
	"  UDP_CHECK {\n   payload 00ff\n   require_reply\n   min_reply_length 1\n"
	"   max_reply_length 100\n  }\n"
	"  PING_CHECK {\n  }\n"
	"  MISC_CHECK {\n   misc_path /bin/check\n   misc_timeout 4\n   misc_dynamic\n"
	"   user nobody nogroup\n  }\n"
	"  FILE_CHECK {\n   track_file tf\n   weight -10 reverse\n   dynamic\n  }\n"
	"  BFD_CHECK {\n   name b1\n   alpha\n  }\n"
	" }\n"
	"}\n"
	"virtual_server 10.0.0.1 81 {\n lvs_sched sh\n sh-port\n sh-fallback\n"
	" lvs_method TUN type gre csum\n}\n";

static void test_all_check_keywords(void **state)
{
	struct ka_config *c = parse(all_check);
	assert_int_equal(c->errors, 0);
	expect_msg("test.conf:134: warning: 'dynamic' is accepted but has no effect in this version");
	assert_int_equal(c->warnings, 1);
	assert_true(c->check->ssl.set);
	assert_string_equal(c->check->ssl.key, "/etc/k");
	const struct check_vs *vs = NTH(const struct check_vs, &c->check->vs, 1);
	assert_string_equal(vs->sched, "mh");
	assert_int_equal(vs->sched_flags, IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 |
					  IP_VS_SVC_F_SCHED3);
	assert_int_equal(vs->persistence_timeout, 360); /* bare */
	assert_addr(&vs->sorry_server->addr, "10.0.0.9");
	assert_int_equal(vs->sorry_server->fwd.method, IP_VS_CONN_F_DROUTE);
	assert_int_equal(vs->quorum, 2);
	assert_string_equal(vs->quorum_down.argv[1], "down");
	const struct check_rs *rs = NTH(const struct check_rs, &vs->rs, 0);
	assert_int_equal(rs->probes.n, 10);
	assert_int_equal(rs->inhibit_on_failure, GLOBAL_OFF);
	assert_int_equal(rs->smtp_alert, GLOBAL_OFF);
	const struct check_probe *p = NTH(const struct check_probe, &rs->probes, 0);
	assert_addr(&p->conn.connect_ip, "10.0.0.3");
	assert_addr(&p->conn.bindto, "10.0.0.1");
	assert_int_equal(p->conn.fwmark, 3);
	assert_int_equal(p->log_all_failures, GLOBAL_ON);
	p = NTH(const struct check_probe, &rs->probes, 1);
	const struct check_url *u = NTH(const struct check_url, &p->u.http.urls, 0);
	assert_int_equal(u->regex_options, 1u << 5 | 1u << 15); /* caseless, multiline */
	assert_string_equal(check_regex_option_names[5], "caseless");
	assert_string_equal(check_regex_option_names[15], "multiline");
	assert_int_equal(p->u.http.protocol, CHECK_HTTP_1_1);
	/* the SSL_GET url takes the real server's virtualhost */
	p = NTH(const struct check_probe, &rs->probes, 2);
	u = NTH(const struct check_url, &p->u.http.urls, 0);
	assert_string_equal(u->virtualhost, "rs.example.com");
	p = NTH(const struct check_probe, &rs->probes, 4);
	assert_int_equal(p->u.dns.type, 28);
	p = NTH(const struct check_probe, &rs->probes, 7);
	assert_int_equal(p->u.misc.timeout, 4 * SEC);
	assert_string_equal(p->u.misc.path.group, "nogroup");
	p = NTH(const struct check_probe, &rs->probes, 8);
	assert_int_equal(p->u.file.weight, -10);
	assert_true(p->u.file.reverse);
	p = NTH(const struct check_probe, &rs->probes, 9);
	assert_string_equal(p->u.bfd.name, "b1");
	assert_int_equal(p->alpha, GLOBAL_ON);

	vs = NTH(const struct check_vs, &c->check->vs, 2);
	assert_int_equal(vs->sched_flags,
			 IP_VS_SVC_F_SCHED_SH_PORT | IP_VS_SVC_F_SCHED_SH_FALLBACK);
	assert_int_equal(vs->fwd.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	assert_int_equal(vs->fwd.tun_csum, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
}

/* ---- ipvs names ------------------------------------------------------------------- */

static void test_ipvs_names(void **state)
{
	int v;
	unsigned flag;
	const char *sched;
	for (const char *const *s = ipvs_sched_names; *s; s++)
		assert_ptr_equal(ipvs_sched_lookup(*s), *s);
	assert_string_equal(ipvs_sched_lookup("WLC"), "wlc");
	assert_null(ipvs_sched_lookup("fifo"));
	assert_int_equal(ipvs_fwd_lookup("dr", &v), 0);
	assert_int_equal(v, IP_VS_CONN_F_DROUTE);
	assert_string_equal(ipvs_fwd_name(IP_VS_CONN_F_TUNNEL), "TUN");
	assert_int_equal(ipvs_fwd_lookup("FNAT", &v), -1);
	assert_int_equal(ipvs_tunnel_lookup("gre", &v), 0);
	assert_int_equal(v, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	assert_int_equal(ipvs_tunnel_csum_lookup("csum", &v), 0);
	assert_int_equal(v, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	assert_int_equal(ipvs_proto_lookup("sctp", &v), 0);
	assert_int_equal(v, IPPROTO_SCTP);
	assert_string_equal(ipvs_proto_name(IPPROTO_UDP), "UDP");
	assert_string_equal(ipvs_proto_name(255), "?");
	assert_int_equal(ipvs_sched_flag_lookup("mh-fallback", &flag, &sched), 0);
	assert_int_equal(flag, IP_VS_SVC_F_SCHED1);
	assert_string_equal(sched, "mh");
	assert_int_equal(ipvs_sched_flag_lookup("flag-3", &flag, &sched), 0);
	assert_int_equal(flag, IP_VS_SVC_F_SCHED3);
	assert_null(sched);
	assert_int_equal(ipvs_sched_flag_lookup("flag-4", &flag, &sched), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lvs_dr, teardown),
		cmocka_unit_test_teardown(test_dump, teardown),
		cmocka_unit_test_teardown(test_old_spellings, teardown),
		cmocka_unit_test_teardown(test_groups, teardown),
		cmocka_unit_test_teardown(test_checker_defaults, teardown),
		cmocka_unit_test_teardown(test_global_defs, teardown),
		cmocka_unit_test_teardown(test_global_defaults, teardown),
		cmocka_unit_test_teardown(test_global_dump, teardown),
		cmocka_unit_test_teardown(test_errors, teardown),
		cmocka_unit_test_teardown(test_value_errors, teardown),
		cmocka_unit_test_teardown(test_all_global_keywords, teardown),
		cmocka_unit_test_teardown(test_all_check_keywords, teardown),
		cmocka_unit_test(test_ipvs_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
