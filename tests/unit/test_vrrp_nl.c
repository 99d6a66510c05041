/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vrrp_nl.c - pure parts of the VRRP netlink layer: names, ack text, builders, matching */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <netlink/attr.h>

#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_nl_priv.h"

/* ---- iproute2 name files ------------------------------------------------------ */

static const char rt_tables[] =
	"#\n# reserved values\n#\n255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n"
	"  100 vip   # leading blanks and a comment\n"
	"0x200 hexa\n"
	"300 vipextra\n"
	"bad line\n"
	"400\n"
	"12x nonumber\n"
	"500 last"; /* no final newline */

static void test_names_parse(void **state)
{
	uint32_t id = 0;

	assert_int_equal(vrrp_nl_names_parse(rt_tables, strlen(rt_tables), "main", &id), 0);
	assert_int_equal(id, 254);
	assert_int_equal(vrrp_nl_names_parse(rt_tables, strlen(rt_tables), "vip", &id), 0);
	assert_int_equal(id, 100);
	assert_int_equal(vrrp_nl_names_parse(rt_tables, strlen(rt_tables), "hexa", &id), 0);
	assert_int_equal(id, 0x200);
	assert_int_equal(vrrp_nl_names_parse(rt_tables, strlen(rt_tables), "vipextra", &id), 0);
	assert_int_equal(id, 300);
	assert_int_equal(vrrp_nl_names_parse(rt_tables, strlen(rt_tables), "last", &id), 0);
	assert_int_equal(id, 500);
	/* a prefix of a name, a word of a comment, a malformed number */
	assert_int_equal(vrrp_nl_names_parse(rt_tables, strlen(rt_tables), "vi", &id), -1);
	assert_int_equal(vrrp_nl_names_parse(rt_tables, strlen(rt_tables), "leading", &id), -1);
	assert_int_equal(vrrp_nl_names_parse(rt_tables, strlen(rt_tables), "nonumber", &id), -1);
	assert_int_equal(vrrp_nl_names_parse(rt_tables, strlen(rt_tables), "line", &id), -1);
	/* the length bounds the text */
	assert_int_equal(vrrp_nl_names_parse(rt_tables, 20, "main", &id), -1);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_names_lookup(void **state)
{
	char d1[] = "/tmp/test_vrrp_nl.XXXXXX", d2[] = "/tmp/test_vrrp_nl.XXXXXX";
	char path[256];
	uint32_t id = 0;

	assert_non_null(mkdtemp(d1));
	assert_non_null(mkdtemp(d2));
	snprintf(path, sizeof(path), "%s/rt_tables", d1);
	write_file(path, "10 first\n");
	snprintf(path, sizeof(path), "%s/rt_tables.d", d1);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/rt_tables.d/a.conf", d1);
	write_file(path, "20 fromdir\n");
	snprintf(path, sizeof(path), "%s/rt_tables.d/b.txt", d1);
	write_file(path, "30 ignored\n");
	snprintf(path, sizeof(path), "%s/rt_tables", d2);
	write_file(path, "40 second\n11 first\n");

	const char *const dirs[] = { d1, d2, NULL };
	assert_int_equal(vrrp_nl_names_lookup(dirs, "rt_tables", "first", &id), 0);
	assert_int_equal(id, 10); /* the first directory wins */
	assert_int_equal(vrrp_nl_names_lookup(dirs, "rt_tables", "fromdir", &id), 0);
	assert_int_equal(id, 20);
	assert_int_equal(vrrp_nl_names_lookup(dirs, "rt_tables", "second", &id), 0);
	assert_int_equal(id, 40);
	assert_int_equal(vrrp_nl_names_lookup(dirs, "rt_tables", "ignored", &id), -ENOENT);
	assert_int_equal(vrrp_nl_names_lookup(dirs, "rt_protos", "first", &id), -ENOENT);

	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", d1, d2);
	assert_int_equal(system(cmd), 0);
}

static void test_builtin_table_names(void **state)
{
	uint32_t id = 0;

	/* present in rt_tables or built in: the reserved tables always resolve */
	assert_int_equal(vrrp_nl_table_id("main", &id), 0);
	assert_int_equal(id, RT_TABLE_MAIN);
	assert_int_equal(vrrp_nl_table_id("local", &id), 0);
	assert_int_equal(id, RT_TABLE_LOCAL);
	assert_int_equal(vrrp_nl_table_id("no-such-table-name", &id), -ENOENT);
}

/* ---- extended ack ------------------------------------------------------------ */

/* An NLMSG_ERROR as the kernel sends it: error, the request header (and its
 * payload unless capped), then NLMSGERR_ATTR_MSG. */
static size_t make_error(uint8_t *buf, size_t cap, bool capped, const char *text)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = NLMSG_DATA(h);
	size_t payload = capped ? 0 : 12; /* an echoed 12-byte request payload */
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e) + payload);
	struct nlattr *a = (struct nlattr *)(buf + off);
	size_t tlen = strlen(text) + 1;

	memset(buf, 0, cap);
	e->error = -EINVAL;
	e->msg.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + 12);
	e->msg.nlmsg_type = RTM_NEWADDR;
	/* an unrelated attribute first, then the message */
	a->nla_type = NLMSGERR_ATTR_OFFS;
	a->nla_len = NLA_HDRLEN + 4;
	off += NLA_ALIGN(a->nla_len);
	a = (struct nlattr *)(buf + off);
	a->nla_type = NLMSGERR_ATTR_MSG;
	a->nla_len = (uint16_t)(NLA_HDRLEN + tlen);
	memcpy(buf + off + NLA_HDRLEN, text, tlen);
	off += NLA_ALIGN(a->nla_len);
	h->nlmsg_len = (uint32_t)off;
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	return off;
}

static void test_extack(void **state)
{
	uint8_t buf[256] __attribute__((aligned(4)));
	char msg[64];
	size_t len;

	len = make_error(buf, sizeof(buf), true, "Invalid scope value");
	assert_int_equal(vrrp_nl_extack((void *)buf, len, msg, sizeof(msg)), 19);
	assert_string_equal(msg, "Invalid scope value");

	len = make_error(buf, sizeof(buf), false, "Nexthop has invalid gateway");
	assert_int_equal(vrrp_nl_extack((void *)buf, len, msg, sizeof(msg)), 27);
	assert_string_equal(msg, "Nexthop has invalid gateway");

	/* truncated to the caller's buffer */
	assert_int_equal(vrrp_nl_extack((void *)buf, len, msg, 8), 7);
	assert_string_equal(msg, "Nexthop");

	/* no TLV flag: nothing, and the buffer is emptied */
	((struct nlmsghdr *)buf)->nlmsg_flags = 0;
	assert_int_equal(vrrp_nl_extack((void *)buf, len, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "");

	/* an attribute running past the message is not read */
	len = make_error(buf, sizeof(buf), true, "Invalid scope value");
	assert_int_equal(vrrp_nl_extack((void *)buf, len - 8, msg, sizeof(msg)), 0);
	/* not an error message */
	((struct nlmsghdr *)buf)->nlmsg_type = RTM_NEWADDR;
	assert_int_equal(vrrp_nl_extack((void *)buf, len, msg, sizeof(msg)), 0);
}

/* ---- errors ------------------------------------------------------------------- */

static void test_benign(void **state)
{
	assert_true(vrrp_nl_benign(VRRP_NL_ADDR, true, EEXIST));
	assert_false(vrrp_nl_benign(VRRP_NL_ADDR, true, EPERM));
	assert_false(vrrp_nl_benign(VRRP_NL_ADDR, true, EADDRNOTAVAIL));
	assert_true(vrrp_nl_benign(VRRP_NL_ADDR, false, EADDRNOTAVAIL));
	assert_true(vrrp_nl_benign(VRRP_NL_ADDR, false, ENODEV));
	assert_false(vrrp_nl_benign(VRRP_NL_ADDR, false, EPERM));
	assert_true(vrrp_nl_benign(VRRP_NL_ROUTE, false, ESRCH));
	assert_false(vrrp_nl_benign(VRRP_NL_ROUTE, false, EINVAL));
	assert_true(vrrp_nl_benign(VRRP_NL_RULE, false, ENOENT));
	assert_false(vrrp_nl_benign(VRRP_NL_RULE, true, ENOENT));
	assert_true(vrrp_nl_benign(VRRP_NL_LINK, false, ENODEV));
	assert_false(vrrp_nl_benign(VRRP_NL_LINK, false, EBUSY));
}

static void test_fail_text(void **state)
{
	struct vrrp_nl nl;
	char err[128];

	memset(&nl, 0, sizeof(nl));
	assert_int_equal(vrrp_nl_fail(&nl, err, sizeof(err), "add address 10.0.0.1/24 dev eth0",
				      EPERM), -EPERM);
	assert_string_equal(err, "add address 10.0.0.1/24 dev eth0: Operation not permitted");
	strcpy(nl.ack_msg, "ipv4: Invalid scope value");
	vrrp_nl_fail(&nl, err, sizeof(err), "add address X", EINVAL);
	assert_string_equal(err, "add address X: Invalid argument (ipv4: Invalid scope value)");
	/* err may be NULL */
	assert_int_equal(vrrp_nl_fail(NULL, NULL, 0, "x", ENOMEM), -ENOMEM);
	assert_int_equal(vrrp_nl_errno(-NLE_NODEV), ENODEV);
	assert_int_equal(vrrp_nl_errno(NLE_EXIST), EEXIST);
	assert_int_equal(vrrp_nl_errno(-9999), EIO);
}

/* ---- address builder and texts ------------------------------------------------ */

static struct vrrp_ipaddr ipaddr(const char *addr)
{
	struct vrrp_ipaddr ip = { .scope = -1, .preferred_lft = VRRP_LFT_FOREVER };
	assert_int_equal(ka_addr_parse(addr, true, &ip.addr), 0);
	return ip;
}

static void test_addr_build_v6(void **state)
{
	struct vrrp_ipaddr ip = ipaddr("fd00::100/128");
	struct rtnl_addr *a;

	ip.preferred_lft = 0;
	a = vrrp_nl_addr_build(&ip, 7, true);
	assert_non_null(a);
	assert_int_equal(rtnl_addr_get_family(a), AF_INET6);
	assert_int_equal(rtnl_addr_get_ifindex(a), 7);
	assert_int_equal(rtnl_addr_get_prefixlen(a), 128);
	/* usable at once: no duplicate address detection */
	assert_true(rtnl_addr_get_flags(a) & IFA_F_NODAD);
	assert_int_equal(rtnl_addr_get_preferred_lifetime(a), 0);
	assert_int_equal(rtnl_addr_get_valid_lifetime(a), VRRP_LFT_FOREVER);
	rtnl_addr_put(a);

	/* a delete names the address only */
	a = vrrp_nl_addr_build(&ip, 7, false);
	assert_non_null(a);
	assert_int_equal(rtnl_addr_get_flags(a), 0);
	assert_int_equal(rtnl_addr_get_preferred_lifetime(a), 0xFFFFFFFFu);
	rtnl_addr_put(a);
}

static void test_addr_build_v4(void **state)
{
	struct vrrp_ipaddr ip = ipaddr("10.0.0.100/24");
	struct rtnl_addr *a;
	char buf[64];

	assert_int_equal(ka_addr_parse("10.0.0.255", false, &ip.brd), 0);
	ip.scope = RT_SCOPE_SITE;
	ip.label = "eth0:vip";
	ip.ifa_flags = IFA_F_NOPREFIXROUTE;
	a = vrrp_nl_addr_build(&ip, 3, true);
	assert_non_null(a);
	assert_int_equal(rtnl_addr_get_prefixlen(a), 24);
	assert_int_equal(rtnl_addr_get_scope(a), RT_SCOPE_SITE);
	assert_string_equal(rtnl_addr_get_label(a), "eth0:vip");
	assert_string_equal(nl_addr2str(rtnl_addr_get_broadcast(a), buf, sizeof(buf)),
			    "10.0.0.255");
	/* IPv4 keeps its flags as written: NODAD is for IPv6 */
	assert_int_equal(rtnl_addr_get_flags(a), IFA_F_NOPREFIXROUTE);
	rtnl_addr_put(a);

	a = vrrp_nl_addr_build(&ip, 3, false);
	assert_null(rtnl_addr_get_label(a));
	assert_null(rtnl_addr_get_broadcast(a));
	rtnl_addr_put(a);
}

static void test_addr_build_peer(void **state)
{
	struct vrrp_ipaddr ip = ipaddr("10.6.0.1");
	struct rtnl_addr *a;
	char buf[64];

	assert_int_equal(ka_addr_parse("10.6.0.2/30", true, &ip.peer), 0);
	ip.addr.prefix = 30; /* the model gives the peer's prefix to the address */
	a = vrrp_nl_addr_build(&ip, 3, true);
	assert_non_null(a);
	assert_int_equal(rtnl_addr_get_prefixlen(a), 30);
	assert_string_equal(nl_addr2str(rtnl_addr_get_peer(a), buf, sizeof(buf)), "10.6.0.2/30");
	rtnl_addr_put(a);
	vrrp_nl_addr_text(&ip, "eth1", buf, sizeof(buf));
	assert_string_equal(buf, "10.6.0.1 peer 10.6.0.2/30 dev eth1");
}

static void test_texts(void **state)
{
	struct vrrp_ipaddr ip = ipaddr("10.0.0.100");
	struct vrrp_route r = { .family = AF_INET, .type = RTN_BLACKHOLE, .table = 100 };
	struct vrrp_rule ru = { .family = AF_INET, .action = FR_ACT_TO_TBL, .table = 100,
				.tos = -1 };
	char buf[256];

	vrrp_nl_addr_text(&ip, "eth0", buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.100/32 dev eth0");

	assert_int_equal(ka_addr_parse("10.30.0.0/16", true, &r.dst), 0);
	vrrp_nl_route_text(&r, buf, sizeof(buf));
	assert_string_equal(buf, "blackhole 10.30.0.0/16 table 100");
	r.type = RTN_UNICAST;
	r.table = RT_TABLE_MAIN;
	r.dst = (struct ka_addr){ .family = AF_INET, .has_prefix = true };
	assert_int_equal(ka_addr_parse("10.0.0.254", false, &r.via), 0);
	r.has_metric = true;
	r.metric = 5;
	vrrp_nl_route_text(&r, buf, sizeof(buf));
	assert_string_equal(buf, "default via 10.0.0.254 metric 5");
	/* a VRF stands for its table */
	r.vrf = "blue";
	r.table = 100;
	vrrp_nl_route_text(&r, buf, sizeof(buf));
	assert_string_equal(buf, "default via 10.0.0.254 vrf blue metric 5");
	r.vrf = NULL;

	assert_int_equal(ka_addr_parse("10.9.0.0/16", true, &ru.from), 0);
	ru.set = VRRP_RULE_PRIORITY;
	ru.priority = 100;
	vrrp_nl_rule_text(&ru, buf, sizeof(buf));
	assert_string_equal(buf, "from 10.9.0.0/16 pref 100 table 100");
	ru.invert = true;
	ru.table_name = "vip";
	ru.from.family = AF_UNSPEC;
	vrrp_nl_rule_text(&ru, buf, sizeof(buf));
	assert_string_equal(buf, "not from all pref 100 table vip");
}

/* ---- route and rule deletions ------------------------------------------------------ */

static struct nl_msg *route_msg(int type, int family, int proto, const void *dst, size_t alen,
				unsigned dst_len, uint32_t table, uint32_t metric)
{
	struct rtmsg rtm = { .rtm_family = (uint8_t)family, .rtm_dst_len = (uint8_t)dst_len,
			     .rtm_table = RT_TABLE_UNSPEC, .rtm_protocol = (uint8_t)proto,
			     .rtm_type = RTN_UNICAST };
	struct nl_msg *msg = nlmsg_alloc_simple(type, 0);

	assert_non_null(msg);
	assert_int_equal(nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO), 0);
	assert_int_equal(nla_put_u32(msg, RTA_TABLE, table), 0);
	if (dst)
		assert_int_equal(nla_put(msg, RTA_DST, (int)alen, dst), 0);
	if (metric)
		assert_int_equal(nla_put_u32(msg, RTA_PRIORITY, metric), 0);
	return msg;
}

static void test_route_deleted(void **state)
{
	struct vrrp_route r = { .family = AF_INET, .type = RTN_UNICAST, .table = 100,
				.tos = -1, .scope = -1, .protocol = -1 };
	struct vrrp_nl_route_key k;
	struct in_addr net = { htonl(0x0a140000) }; /* 10.20.0.0 */
	struct in6_addr net6 = { { { 0xfd, 0, 0, 0x60 } } };
	struct nl_msg *m;

	m = route_msg(RTM_DELROUTE, AF_INET, 18, &net, 4, 16, 100, 0);
	assert_int_equal(vrrp_nl_route_key_of(nlmsg_hdr(m), &k), 0);
	assert_int_equal(k.table, 100);
	assert_int_equal(k.dst.prefix, 16);
	/* the line may name any address of the prefix */
	assert_int_equal(ka_addr_parse("10.20.3.4/16", true, &r.dst), 0);
	assert_true(vrrp_nl_route_match(&r, &k));
	r.has_metric = true;
	r.metric = 5;
	assert_false(vrrp_nl_route_match(&r, &k));
	r.has_metric = false;
	r.table = RT_TABLE_MAIN;
	assert_false(vrrp_nl_route_match(&r, &k));
	/* the table of a VRF is the kernel's: a vrf line matches any table */
	r.vrf = "blue";
	assert_true(vrrp_nl_route_match(&r, &k));
	r.vrf = NULL;
	assert_int_equal(ka_addr_parse("10.21.0.0/16", true, &r.dst), 0);
	r.table = 100;
	assert_false(vrrp_nl_route_match(&r, &k));
	nlmsg_free(m);

	/* other protocols and additions are not ours to report */
	m = route_msg(RTM_DELROUTE, AF_INET, RTPROT_BOOT, &net, 4, 16, 100, 0);
	assert_int_equal(vrrp_nl_route_key_of(nlmsg_hdr(m), &k), -1);
	nlmsg_free(m);
	m = route_msg(RTM_NEWROUTE, AF_INET, 18, &net, 4, 16, 100, 0);
	assert_int_equal(vrrp_nl_route_key_of(nlmsg_hdr(m), &k), -1);
	nlmsg_free(m);

	/* IPv6 without a written metric: the kernel's 1024 */
	m = route_msg(RTM_DELROUTE, AF_INET6, 18, &net6, 16, 48, RT_TABLE_MAIN, 1024);
	assert_int_equal(vrrp_nl_route_key_of(nlmsg_hdr(m), &k), 0);
	r.family = AF_INET6;
	r.table = RT_TABLE_MAIN;
	assert_int_equal(ka_addr_parse("fd00:60::/48", true, &r.dst), 0);
	assert_true(vrrp_nl_route_match(&r, &k));
	nlmsg_free(m);
}

static struct nl_msg *rule_msg(int proto, uint32_t prio, bool with_src)
{
	struct fib_rule_hdr frh = { .family = AF_INET, .action = FR_ACT_TO_TBL,
				    .src_len = with_src ? 32 : 0 };
	struct in_addr src = { htonl(0x0a090064) }; /* 10.9.0.100 */
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_DELRULE, 0);

	assert_non_null(msg);
	assert_int_equal(nlmsg_append(msg, &frh, sizeof(frh), NLMSG_ALIGNTO), 0);
	assert_int_equal(nla_put_u32(msg, FRA_TABLE, 100), 0);
	assert_int_equal(nla_put_u32(msg, FRA_PRIORITY, prio), 0);
	if (with_src)
		assert_int_equal(nla_put(msg, FRA_SRC, 4, &src), 0);
	if (proto >= 0)
		assert_int_equal(nla_put_u8(msg, FRA_PROTOCOL, (uint8_t)proto), 0);
	return msg;
}

static void test_rule_deleted(void **state)
{
	struct vrrp_rule r = { .family = AF_INET, .action = FR_ACT_TO_TBL, .table = 100,
			       .priority = 100, .set = VRRP_RULE_PRIORITY, .tos = -1 };
	struct vrrp_nl_rule_key k;
	struct nl_msg *m = rule_msg(18, 100, true);

	assert_int_equal(ka_addr_parse("10.9.0.100", false, &r.from), 0);
	r.from.has_prefix = true;
	assert_int_equal(vrrp_nl_rule_key_of(nlmsg_hdr(m), &k), 0);
	assert_int_equal(k.priority, 100);
	assert_int_equal(k.from.prefix, 32);
	assert_int_equal(k.to.family, AF_UNSPEC);
	assert_true(vrrp_nl_rule_match(&r, &k));
	r.priority = 101;
	assert_false(vrrp_nl_rule_match(&r, &k));
	r.set = 0; /* no priority written: any */
	assert_true(vrrp_nl_rule_match(&r, &k));
	r.from.family = AF_UNSPEC; /* "from all" is another rule */
	assert_false(vrrp_nl_rule_match(&r, &k));
	nlmsg_free(m);

	/* not marked as ours (no_track rules carry no protocol) */
	m = rule_msg(-1, 100, true);
	assert_int_equal(vrrp_nl_rule_key_of(nlmsg_hdr(m), &k), -1);
	nlmsg_free(m);
	m = rule_msg(18, 7, false);
	assert_int_equal(vrrp_nl_rule_key_of(nlmsg_hdr(m), &k), 0);
	assert_int_equal(k.from.family, AF_UNSPEC);
	assert_true(vrrp_nl_rule_match(&r, &k));
	nlmsg_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_parse),
		cmocka_unit_test(test_names_lookup),
		cmocka_unit_test(test_builtin_table_names),
		cmocka_unit_test(test_extack),
		cmocka_unit_test(test_benign),
		cmocka_unit_test(test_fail_text),
		cmocka_unit_test(test_addr_build_v6),
		cmocka_unit_test(test_addr_build_v4),
		cmocka_unit_test(test_addr_build_peer),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_route_deleted),
		cmocka_unit_test(test_rule_deleted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
