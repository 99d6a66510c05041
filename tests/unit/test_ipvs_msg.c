/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_ipvs_msg.c - IPVS netlink request layout and reply parsing, hostile replies included */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "ipvs-glue/ipvs_msg.h"

#define FAMILY 0x23     /* any id: the parsers do not look at it */
#define GENL_HDR (MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)))

static struct ka_addr addr(const char *s)
{
	struct ka_addr a;
	assert_int_equal(ka_addr_parse(s, false, &a), 0);
	return a;
}

/* Attribute types of a nest, in order, into types[]; returns the count. */
static int nest_types(const struct nlattr *nest, uint16_t *types, int max)
{
	const struct nlattr *a;
	int n = 0;
	mnl_attr_for_each_nested(a, nest) {
		assert_true(n < max);
		types[n++] = mnl_attr_get_type(a);
	}
	return n;
}

static const struct nlattr *nested_find(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;
	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

/* The one top-level attribute of a request, checked to be type. */
static const struct nlattr *only_top(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a, *found = NULL;
	int n = 0;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		n++;
		found = a;
	}
	assert_int_equal(n, 1);
	assert_int_equal(mnl_attr_get_type(found), type);
	assert_true(found->nla_type & NLA_F_NESTED);
	return found;
}

static struct ipvs_service tcp4_service(void)
{
	struct ipvs_service s;
	ipvs_service_init(&s, AF_INET);
	s.protocol = IPPROTO_TCP;
	s.addr = addr("10.0.0.100");
	s.port = 80;
	strcpy(s.sched_name, "wlc");
	strcpy(s.pe_name, "sip");
	s.flags = IP_VS_SVC_F_SCHED1;
	s.timeout = 300;
	s.netmask = 24;
	return s;
}

static void test_service_request_layout(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct ipvs_service s = tcp4_service();
	struct nlmsghdr *nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_NEW_SERVICE, 0, 7);

	assert_non_null(nlh);
	assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, true), 0);
	assert_int_equal(nlh->nlmsg_type, FAMILY);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST);
	assert_int_equal(nlh->nlmsg_seq, 7);
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(g->cmd, IPVS_CMD_NEW_SERVICE);
	assert_int_equal(g->version, IPVS_GENL_VERSION);

	const struct nlattr *svc = only_top(nlh, IPVS_CMD_ATTR_SERVICE);
	uint16_t types[16];
	static const uint16_t want[] = {
		IPVS_SVC_ATTR_AF, IPVS_SVC_ATTR_PROTOCOL, IPVS_SVC_ATTR_ADDR, IPVS_SVC_ATTR_PORT,
		IPVS_SVC_ATTR_SCHED_NAME, IPVS_SVC_ATTR_PE_NAME, IPVS_SVC_ATTR_FLAGS,
		IPVS_SVC_ATTR_TIMEOUT, IPVS_SVC_ATTR_NETMASK,
	};
	assert_int_equal(nest_types(svc, types, 16), sizeof(want) / sizeof(want[0]));
	assert_memory_equal(types, want, sizeof(want));

	assert_int_equal(mnl_attr_get_u16(nested_find(svc, IPVS_SVC_ATTR_AF)), AF_INET);
	assert_int_equal(mnl_attr_get_u16(nested_find(svc, IPVS_SVC_ATTR_PROTOCOL)), IPPROTO_TCP);
	const struct nlattr *a = nested_find(svc, IPVS_SVC_ATTR_ADDR);
	static const uint8_t raw[16] = { 10, 0, 0, 100 };
	assert_int_equal(mnl_attr_get_payload_len(a), 16);
	assert_memory_equal(mnl_attr_get_payload(a), raw, 16);
	assert_int_equal(mnl_attr_get_u16(nested_find(svc, IPVS_SVC_ATTR_PORT)), htons(80));
	assert_string_equal(mnl_attr_get_str(nested_find(svc, IPVS_SVC_ATTR_SCHED_NAME)), "wlc");
	assert_string_equal(mnl_attr_get_str(nested_find(svc, IPVS_SVC_ATTR_PE_NAME)), "sip");
	struct ip_vs_flags f;
	a = nested_find(svc, IPVS_SVC_ATTR_FLAGS);
	assert_int_equal(mnl_attr_get_payload_len(a), sizeof(f));
	memcpy(&f, mnl_attr_get_payload(a), sizeof(f));
	assert_int_equal(f.flags, IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(f.mask, 0xffffffffu);
	assert_int_equal(mnl_attr_get_u32(nested_find(svc, IPVS_SVC_ATTR_TIMEOUT)), 300);
	assert_int_equal(mnl_attr_get_u32(nested_find(svc, IPVS_SVC_ATTR_NETMASK)),
			 htonl(0xffffff00));
}

static void test_service_key_and_fwmark6(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct ipvs_service s;
	ipvs_service_init(&s, AF_INET6);
	s.fwmark = 42;
	strcpy(s.sched_name, "rr");
	s.netmask = 64;

	/* Key only: family and mark, nothing else. */
	struct nlmsghdr *nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_DEL_SERVICE, 0, 1);
	assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, false), 0);
	const struct nlattr *svc = only_top(nlh, IPVS_CMD_ATTR_SERVICE);
	uint16_t types[16];
	assert_int_equal(nest_types(svc, types, 16), 2);
	assert_int_equal(types[0], IPVS_SVC_ATTR_AF);
	assert_int_equal(types[1], IPVS_SVC_ATTR_FWMARK);
	assert_int_equal(mnl_attr_get_u16(nested_find(svc, IPVS_SVC_ATTR_AF)), AF_INET6);
	assert_int_equal(mnl_attr_get_u32(nested_find(svc, IPVS_SVC_ATTR_FWMARK)), 42);

	/* Full: IPv6 granularity is a plain prefix length; no PE when unset;
	 * not persistent, so the flag is cleared even if the caller set it. */
	s.flags = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_ONEPACKET;
	nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_NEW_SERVICE, 0, 1);
	assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, true), 0);
	svc = only_top(nlh, IPVS_CMD_ATTR_SERVICE);
	assert_null(nested_find(svc, IPVS_SVC_ATTR_PE_NAME));
	assert_null(nested_find(svc, IPVS_SVC_ATTR_ADDR));
	assert_int_equal(mnl_attr_get_u32(nested_find(svc, IPVS_SVC_ATTR_NETMASK)), 64);
	struct ip_vs_flags f;
	memcpy(&f, mnl_attr_get_payload(nested_find(svc, IPVS_SVC_ATTR_FLAGS)), sizeof(f));
	assert_int_equal(f.flags, IP_VS_SVC_F_ONEPACKET);
}

static void test_service_build_rejects(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct nlmsghdr *nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_NEW_SERVICE, 0, 1);
	uint32_t len = nlh->nlmsg_len;
	struct ipvs_service s = tcp4_service();

	s.af = AF_UNSPEC;
	assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, false), -EAFNOSUPPORT);
	s = tcp4_service();
	s.addr = addr("2001:db8::1");   /* family differs from the service's */
	assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, false), -EINVAL);
	s = tcp4_service();
	s.protocol = 0;
	assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, false), -EINVAL);
	s = tcp4_service();
	s.sched_name[0] = '\0';
	assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, false), 0);
	assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, true), -EINVAL);
	s = tcp4_service();
	s.netmask = 33;
	assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, true), -EINVAL);
	s = tcp4_service();
	memset(s.sched_name, 'x', sizeof(s.sched_name));
	assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, true), -ENAMETOOLONG);
	/* Only the successful key-only call above added anything. */
	assert_true(nlh->nlmsg_len > len);
	assert_null(ipvs_msg_new(buf, GENL_HDR - 1, FAMILY, IPVS_CMD_FLUSH, 0, 1));
}

/* Every buffer size either gives the complete message or -EMSGSIZE with
 * the message left as it was. */
static void test_build_overflow(void **state)
{
	unsigned char full[IPVS_MSG_BUFSIZE], buf[IPVS_MSG_BUFSIZE];
	struct ipvs_service s = tcp4_service();
	struct nlmsghdr *ref = ipvs_msg_new(full, sizeof(full), FAMILY, IPVS_CMD_NEW_SERVICE, 0, 1);
	assert_int_equal(ipvs_msg_put_service(ref, sizeof(full), &s, true), 0);

	for (size_t size = GENL_HDR; size <= ref->nlmsg_len; size++) {
		struct nlmsghdr *nlh = ipvs_msg_new(buf, size, FAMILY, IPVS_CMD_NEW_SERVICE, 0, 1);
		int err = ipvs_msg_put_service(nlh, size, &s, true);
		if (size < ref->nlmsg_len) {
			assert_int_equal(err, -EMSGSIZE);
			assert_int_equal(nlh->nlmsg_len, GENL_HDR);
		} else {
			assert_int_equal(err, 0);
			assert_memory_equal(buf, full, ref->nlmsg_len);
		}
	}
}

static void test_dest_request_layout(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct ipvs_dest d = {
		.addr = addr("2001:db8::2"), .port = 443, .fwd = IP_VS_CONN_F_TUNNEL, .weight = 7,
		.u_thresh = 100, .l_thresh = 10, .tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE,
		.tun_port = 6080, .tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM,
	};
	struct nlmsghdr *nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_NEW_DEST, 0, 1);
	assert_int_equal(ipvs_msg_put_dest(nlh, sizeof(buf), &d, true), 0);
	const struct nlattr *nest = only_top(nlh, IPVS_CMD_ATTR_DEST);
	uint16_t types[16];
	static const uint16_t want[] = {
		IPVS_DEST_ATTR_ADDR_FAMILY, IPVS_DEST_ATTR_ADDR, IPVS_DEST_ATTR_PORT,
		IPVS_DEST_ATTR_FWD_METHOD, IPVS_DEST_ATTR_WEIGHT, IPVS_DEST_ATTR_U_THRESH,
		IPVS_DEST_ATTR_L_THRESH, IPVS_DEST_ATTR_TUN_TYPE, IPVS_DEST_ATTR_TUN_PORT,
		IPVS_DEST_ATTR_TUN_FLAGS,
	};
	assert_int_equal(nest_types(nest, types, 16), sizeof(want) / sizeof(want[0]));
	assert_memory_equal(types, want, sizeof(want));
	assert_int_equal(mnl_attr_get_u16(nested_find(nest, IPVS_DEST_ATTR_ADDR_FAMILY)), AF_INET6);
	assert_memory_equal(mnl_attr_get_payload(nested_find(nest, IPVS_DEST_ATTR_ADDR)),
			    &d.addr.u.v6, 16);
	assert_int_equal(mnl_attr_get_u16(nested_find(nest, IPVS_DEST_ATTR_PORT)), htons(443));
	assert_int_equal(mnl_attr_get_u32(nested_find(nest, IPVS_DEST_ATTR_WEIGHT)), 7);
	assert_int_equal(mnl_attr_get_u8(nested_find(nest, IPVS_DEST_ATTR_TUN_TYPE)),
			 IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(mnl_attr_get_u16(nested_find(nest, IPVS_DEST_ATTR_TUN_PORT)),
			 htons(6080));
	assert_int_equal(mnl_attr_get_u16(nested_find(nest, IPVS_DEST_ATTR_TUN_FLAGS)),
			 IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM);

	/* NAT: no tunnel attributes; key only: family, address, port. */
	d.addr = addr("10.0.1.1");
	d.fwd = IP_VS_CONN_F_MASQ;
	nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_NEW_DEST, 0, 1);
	assert_int_equal(ipvs_msg_put_dest(nlh, sizeof(buf), &d, true), 0);
	assert_int_equal(nest_types(only_top(nlh, IPVS_CMD_ATTR_DEST), types, 16), 7);
	nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_DEL_DEST, 0, 1);
	assert_int_equal(ipvs_msg_put_dest(nlh, sizeof(buf), &d, false), 0);
	assert_int_equal(nest_types(only_top(nlh, IPVS_CMD_ATTR_DEST), types, 16), 3);

	d.fwd = 9;
	assert_int_equal(ipvs_msg_put_dest(nlh, sizeof(buf), &d, true), -EINVAL);
	d.addr.family = AF_UNSPEC;
	assert_int_equal(ipvs_msg_put_dest(nlh, sizeof(buf), &d, false), -EAFNOSUPPORT);
}

static void test_daemon_and_timeouts_layout(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct ipvs_daemon d = {
		.state = IP_VS_STATE_BACKUP, .ifname = "eth0", .sync_id = 9, .sync_maxlen = 1400,
		.group = addr("239.1.2.3"), .port = 9000, .ttl = 3,
	};
	struct nlmsghdr *nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_NEW_DAEMON, 0, 1);
	assert_int_equal(ipvs_msg_put_daemon(nlh, sizeof(buf), &d, true), 0);
	const struct nlattr *nest = only_top(nlh, IPVS_CMD_ATTR_DAEMON);
	uint16_t types[16];
	static const uint16_t want[] = {
		IPVS_DAEMON_ATTR_STATE, IPVS_DAEMON_ATTR_MCAST_IFN, IPVS_DAEMON_ATTR_SYNC_ID,
		IPVS_DAEMON_ATTR_SYNC_MAXLEN, IPVS_DAEMON_ATTR_MCAST_GROUP,
		IPVS_DAEMON_ATTR_MCAST_PORT, IPVS_DAEMON_ATTR_MCAST_TTL,
	};
	assert_int_equal(nest_types(nest, types, 16), sizeof(want) / sizeof(want[0]));
	assert_memory_equal(types, want, sizeof(want));
	assert_string_equal(mnl_attr_get_str(nested_find(nest, IPVS_DAEMON_ATTR_MCAST_IFN)),
			    "eth0");
	assert_int_equal(mnl_attr_get_u32(nested_find(nest, IPVS_DAEMON_ATTR_MCAST_GROUP)),
			 htonl(0xef010203));
	/* The sync port is the one port IPVS carries in host order. */
	assert_int_equal(mnl_attr_get_u16(nested_find(nest, IPVS_DAEMON_ATTR_MCAST_PORT)), 9000);

	/* Stop: the state alone. */
	nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_DEL_DAEMON, 0, 1);
	assert_int_equal(ipvs_msg_put_daemon(nlh, sizeof(buf), &d, false), 0);
	assert_int_equal(nest_types(only_top(nlh, IPVS_CMD_ATTR_DAEMON), types, 16), 1);
	d.ifname[0] = '\0';
	assert_int_equal(ipvs_msg_put_daemon(nlh, sizeof(buf), &d, true), -EINVAL);

	struct ipvs_timeouts t = { .tcp = 900, .udp = 60 };
	nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_SET_CONFIG, 0, 1);
	assert_int_equal(ipvs_msg_put_timeouts(nlh, sizeof(buf), &t), 0);
	struct ipvs_timeouts back;
	assert_int_equal(ipvs_msg_parse_timeouts(nlh, &back, NULL), 0);
	assert_int_equal(back.tcp, 900);
	assert_int_equal(back.tcp_fin, 0);
	assert_int_equal(back.udp, 60);
}

static void test_getfamily_request(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct nlmsghdr *nlh = ipvs_msg_getfamily(buf, sizeof(buf), 5);

	assert_int_equal(nlh->nlmsg_type, GENL_ID_CTRL);
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(g->cmd, CTRL_CMD_GETFAMILY);
	const struct nlattr *a = mnl_nlmsg_get_payload_offset(nlh, sizeof(*g));
	assert_int_equal(mnl_attr_get_type(a), CTRL_ATTR_FAMILY_NAME);
	assert_string_equal(mnl_attr_get_str(a), "IPVS");
	assert_null(ipvs_msg_getfamily(buf, GENL_HDR + 4, 5));
}

/* Requests and dump replies share the attribute format: a built service
 * or destination parses back to the same values. */
static void test_round_trip(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct ipvs_service s = tcp4_service(), back;
	struct nlmsghdr *nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_NEW_SERVICE, 0, 1);
	assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, true), 0);
	assert_int_equal(ipvs_msg_parse_service(nlh, &back, NULL), 0);
	assert_int_equal(back.af, AF_INET);
	assert_int_equal(back.protocol, IPPROTO_TCP);
	assert_true(ka_addr_equal(&back.addr, &s.addr));
	assert_int_equal(back.port, 80);
	assert_string_equal(back.sched_name, "wlc");
	assert_string_equal(back.pe_name, "sip");
	assert_int_equal(back.flags, IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(back.timeout, 300);
	assert_int_equal(back.netmask, 24);
	assert_false(back.has_stats);

	struct ipvs_dest d = {
		.addr = addr("10.0.1.9"), .port = 8080, .fwd = IP_VS_CONN_F_DROUTE, .weight = 3,
		.u_thresh = 50, .l_thresh = 5,
	}, dback;
	nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, IPVS_CMD_NEW_DEST, 0, 1);
	assert_int_equal(ipvs_msg_put_dest(nlh, sizeof(buf), &d, true), 0);
	assert_int_equal(ipvs_msg_parse_dest(nlh, AF_INET6, &dback, NULL), 0);
	assert_int_equal(dback.addr.family, AF_INET);  /* ADDR_FAMILY wins over svc_af */
	assert_true(ka_addr_equal(&dback.addr, &d.addr));
	assert_int_equal(dback.port, 8080);
	assert_int_equal(dback.fwd, IP_VS_CONN_F_DROUTE);
	assert_int_equal(dback.weight, 3);
	assert_int_equal(dback.u_thresh, 50);
	assert_int_equal(dback.l_thresh, 5);
}

static void test_netmask_conversion(void **state)
{
	static const struct { uint8_t prefix; uint32_t wire; } v4[] = {
		{ 0, 0 }, { 1, 0x80000000 }, { 24, 0xffffff00 }, { 31, 0xfffffffe },
		{ 32, 0xffffffff },
	};
	unsigned char buf[IPVS_MSG_BUFSIZE];
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		struct ipvs_service s = tcp4_service(), back;
		s.netmask = v4[i].prefix;
		struct nlmsghdr *nlh = ipvs_msg_new(buf, sizeof(buf), FAMILY, 1, 0, 1);
		assert_int_equal(ipvs_msg_put_service(nlh, sizeof(buf), &s, true), 0);
		const struct nlattr *svc = only_top(nlh, IPVS_CMD_ATTR_SERVICE);
		assert_int_equal(mnl_attr_get_u32(nested_find(svc, IPVS_SVC_ATTR_NETMASK)),
				 htonl(v4[i].wire));
		assert_int_equal(ipvs_msg_parse_service(nlh, &back, NULL), 0);
		assert_int_equal(back.netmask, v4[i].prefix);
	}
}

/* ---- hand-made kernel replies ---- */

/* A reply message skeleton as the kernel sends in a dump. */
static struct nlmsghdr *reply(void *buf, uint8_t cmd)
{
	return ipvs_msg_new(buf, IPVS_MSG_BUFSIZE, FAMILY, cmd, NLM_F_MULTI, 1);
}

static void put_stats64(struct nlmsghdr *nlh, uint16_t type, uint64_t base)
{
	struct nlattr *st = mnl_attr_nest_start(nlh, type);
	for (uint16_t t = IPVS_STATS_ATTR_CONNS; t <= IPVS_STATS_ATTR_OUTBPS; t++)
		mnl_attr_put_u64(nlh, t, base + t);
	mnl_attr_put(nlh, IPVS_STATS_ATTR_PAD, 0, NULL);
	mnl_attr_nest_end(nlh, st);
}

/* A service as the kernel 6.1 dump sends it, plus attributes from the future. */
static struct nlmsghdr *kernel_service(void *buf, bool with_af, bool with_sched)
{
	struct nlmsghdr *nlh = reply(buf, IPVS_CMD_NEW_SERVICE);
	struct nlattr *svc = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);
	uint8_t raw[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct ip_vs_flags f = { IP_VS_SVC_F_HASHED | IP_VS_SVC_F_SCHED2, ~0u };

	if (with_af)
		mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, AF_INET6);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_UDP);
	mnl_attr_put(nlh, IPVS_SVC_ATTR_ADDR, sizeof(raw), raw);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PORT, htons(53));
	if (with_sched)
		mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_SCHED_NAME, "sh");
	mnl_attr_put(nlh, IPVS_SVC_ATTR_FLAGS, sizeof(f), &f);
	mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_TIMEOUT, 0);
	mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_NETMASK, 128);
	struct nlattr *st = mnl_attr_nest_start(nlh, IPVS_SVC_ATTR_STATS);
	mnl_attr_put_u32(nlh, IPVS_STATS_ATTR_CONNS, 1);
	mnl_attr_nest_end(nlh, st);
	put_stats64(nlh, IPVS_SVC_ATTR_STATS64, 1000);
	mnl_attr_put_u32(nlh, 77, 0xdeadbeef);          /* unknown: ignored */
	mnl_attr_nest_end(nlh, svc);
	mnl_attr_put_u32(nlh, 99, 1);                   /* unknown top level */
	return nlh;
}

static void test_parse_kernel_service(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct ipvs_service s;
	const char *why = NULL;

	assert_int_equal(ipvs_msg_parse_service(kernel_service(buf, true, true), &s, &why), 0);
	assert_int_equal(s.af, AF_INET6);
	assert_int_equal(s.protocol, IPPROTO_UDP);
	struct ka_addr want = addr("2001:db8::1");
	assert_true(ka_addr_equal(&s.addr, &want));
	assert_int_equal(s.port, 53);
	assert_string_equal(s.sched_name, "sh");
	assert_string_equal(s.pe_name, "");
	assert_int_equal(s.flags, IP_VS_SVC_F_HASHED | IP_VS_SVC_F_SCHED2);
	assert_int_equal(s.netmask, 128);
	assert_true(s.has_stats);
	/* The 64-bit set wins over the old one. */
	assert_int_equal(s.stats.conns, 1000 + IPVS_STATS_ATTR_CONNS);
	assert_int_equal(s.stats.inbytes, 1000 + IPVS_STATS_ATTR_INBYTES);
	assert_int_equal(s.stats.outbps, 1000 + IPVS_STATS_ATTR_OUTBPS);

	why = NULL;
	assert_int_equal(ipvs_msg_parse_service(kernel_service(buf, false, true), &s, &why),
			 -EBADMSG);
	assert_string_equal(why, "service without a family");
	assert_int_equal(ipvs_msg_parse_service(kernel_service(buf, true, false), &s, &why),
			 -EBADMSG);
	assert_string_equal(why, "service without a scheduler");
}

/* A service message whose service nest holds just the given attribute
 * after a valid family, protocol and scheduler. */
static struct nlmsghdr *service_with(void *buf, uint16_t type, const void *data, size_t len)
{
	struct nlmsghdr *nlh = reply(buf, IPVS_CMD_NEW_SERVICE);
	struct nlattr *svc = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, AF_INET);
	mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_SCHED_NAME, "rr");
	mnl_attr_put_u32(nlh, IPVS_SVC_ATTR_FWMARK, 1);
	mnl_attr_put(nlh, type, len, data);
	mnl_attr_nest_end(nlh, svc);
	return nlh;
}

static void test_parse_bad_attributes(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct ipvs_service s;
	const char *why;
	static const struct {
		uint16_t type;
		const char *data;
		size_t len;
		const char *why;
	} bad[] = {
		{ IPVS_SVC_ATTR_AF, "\x02\x00\x00\x00", 4, "malformed service family" },
		{ IPVS_SVC_ATTR_PORT, "\x00", 1, "malformed service port" },
		{ IPVS_SVC_ATTR_ADDR, "\x0a\x00", 2, "malformed service address" },
		{ IPVS_SVC_ATTR_ADDR, "0123456789abcdefg", 17, "malformed service address" },
		{ IPVS_SVC_ATTR_SCHED_NAME, "wlc", 3, "malformed scheduler name" },
		{ IPVS_SVC_ATTR_SCHED_NAME, "0123456789abcdefghij", 21,
		  "malformed scheduler name" },
		{ IPVS_SVC_ATTR_SCHED_NAME, "", 0, "malformed scheduler name" },
		{ IPVS_SVC_ATTR_FLAGS, "\x01\x00\x00\x00", 4, "malformed service flags" },
		{ IPVS_SVC_ATTR_TIMEOUT, "\x01\x00", 2, "malformed persistence timeout" },
		{ IPVS_SVC_ATTR_STATS64, "\x01\x00", 2, "malformed service stats" },
		{ IPVS_SVC_ATTR_NETMASK, "\x00\x00\x00\x00\x00\x00\x00\x00", 8,
		  "malformed persistence netmask" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		struct nlmsghdr *nlh = service_with(buf, bad[i].type, bad[i].data, bad[i].len);
		assert_int_equal(ipvs_msg_parse_service(nlh, &s, &why), -EBADMSG);
		assert_non_null(why);
		assert_string_equal(why, bad[i].why);
	}

	/* An IPv6 service with an IPv4-sized address. */
	struct nlmsghdr *nlh = reply(buf, IPVS_CMD_NEW_SERVICE);
	struct nlattr *svc = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, AF_INET6);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	mnl_attr_put(nlh, IPVS_SVC_ATTR_ADDR, 4, "\x0a\x00\x00\x01");
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PORT, htons(1));
	mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_SCHED_NAME, "rr");
	mnl_attr_nest_end(nlh, svc);
	assert_int_equal(ipvs_msg_parse_service(nlh, &s, &why), -EBADMSG);
	assert_string_equal(why, "service address too short for its family");

	/* Neither a fwmark nor a full address key. */
	nlh = reply(buf, IPVS_CMD_NEW_SERVICE);
	svc = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_SERVICE);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_AF, AF_INET);
	mnl_attr_put_u16(nlh, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	mnl_attr_put_strz(nlh, IPVS_SVC_ATTR_SCHED_NAME, "rr");
	mnl_attr_nest_end(nlh, svc);
	assert_int_equal(ipvs_msg_parse_service(nlh, &s, &why), -EBADMSG);

	/* No service nest at all, and a bare header. */
	nlh = reply(buf, IPVS_CMD_NEW_SERVICE);
	assert_int_equal(ipvs_msg_parse_service(nlh, &s, &why), -EBADMSG);
	assert_string_equal(why, "reply without its object attribute");
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	assert_int_equal(ipvs_msg_parse_service(nlh, &s, &why), -EBADMSG);
	assert_string_equal(why, "message shorter than its headers");
}

static void test_parse_truncated(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct ipvs_service s;
	const char *why;

	/* The nest claims more than the message holds. */
	struct nlmsghdr *nlh = kernel_service(buf, true, true);
	struct nlattr *nest = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	nlh->nlmsg_len = (uint32_t)((char *)nest - (char *)nlh) + 40;
	assert_int_equal(ipvs_msg_parse_service(nlh, &s, &why), -EBADMSG);
	assert_string_equal(why, "truncated attribute");

	/* An attribute inside the nest claims more than the nest holds. */
	nlh = kernel_service(buf, true, true);
	nest = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	struct nlattr *first = mnl_attr_get_payload(nest);
	first->nla_len = 0x7000;
	assert_int_equal(ipvs_msg_parse_service(nlh, &s, &why), -EBADMSG);
	assert_string_equal(why, "truncated attribute");

	/* An attribute shorter than its own header. */
	first->nla_len = 2;
	assert_int_equal(ipvs_msg_parse_service(nlh, &s, &why), -EBADMSG);
}

/*
 * Every cut and every single-byte corruption of valid replies must parse
 * or fail cleanly. Each candidate is copied into a buffer of its exact
 * size so that a read past the end shows up under the sanitizers.
 */
static void parse_copy(const void *data, uint32_t len, int kind, int flip, uint8_t x)
{
	unsigned char *m = malloc(len);
	assert_non_null(m);
	memcpy(m, data, len);
	if (flip >= 0)
		m[flip] ^= x;
	struct nlmsghdr *nlh = (struct nlmsghdr *)m;
	if (flip < 0)
		nlh->nlmsg_len = len;
	/* The socket layer only hands over messages that fit their buffer. */
	if (mnl_nlmsg_ok(nlh, (int)len)) {
		struct ipvs_service s;
		struct ipvs_dest d;
		struct ipvs_daemon dm;
		struct ipvs_info inf;
		int err = kind == 0 ? ipvs_msg_parse_service(nlh, &s, NULL) :
			  kind == 1 ? ipvs_msg_parse_dest(nlh, AF_INET, &d, NULL) :
			  kind == 2 ? ipvs_msg_parse_daemon(nlh, &dm, NULL) :
				      ipvs_msg_parse_info(nlh, &inf, NULL);
		assert_true(err == 0 || err == -EBADMSG);
	}
	free(m);
}

static void mangle_all(const struct nlmsghdr *ref, int kind)
{
	for (uint32_t len = MNL_NLMSG_HDRLEN; len < ref->nlmsg_len; len++)
		parse_copy(ref, len, kind, -1, 0);
	static const uint8_t xors[] = { 0x01, 0x04, 0x80, 0xff, 0x3c };
	for (uint32_t pos = 0; pos < ref->nlmsg_len; pos++)
		for (size_t i = 0; i < sizeof(xors); i++)
			parse_copy(ref, ref->nlmsg_len, kind, (int)pos, xors[i]);
}

static struct nlmsghdr *kernel_dest(void *buf)
{
	struct nlmsghdr *nlh = reply(buf, IPVS_CMD_NEW_DEST);
	struct nlattr *d = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_DEST);
	uint8_t raw[16] = { 10, 0, 1, 2 };
	mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_ADDR_FAMILY, AF_INET);
	mnl_attr_put(nlh, IPVS_DEST_ATTR_ADDR, sizeof(raw), raw);
	mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_PORT, htons(80));
	/* The kernel may report internal flags above the method bits. */
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_TUNNEL | 0x100);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_WEIGHT, 4);
	mnl_attr_put_u8(nlh, IPVS_DEST_ATTR_TUN_TYPE, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_TUN_PORT, 0);
	mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_TUN_FLAGS, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_U_THRESH, 10);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_L_THRESH, 2);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_ACTIVE_CONNS, 5);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_INACT_CONNS, 6);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_PERSIST_CONNS, 7);
	struct nlattr *st = mnl_attr_nest_start(nlh, IPVS_DEST_ATTR_STATS);
	mnl_attr_put_u32(nlh, IPVS_STATS_ATTR_CONNS, 11);
	mnl_attr_put_u64(nlh, IPVS_STATS_ATTR_INBYTES, 12);
	mnl_attr_nest_end(nlh, st);
	mnl_attr_nest_end(nlh, d);
	return nlh;
}

static struct nlmsghdr *kernel_daemon(void *buf)
{
	struct nlmsghdr *nlh = reply(buf, IPVS_CMD_NEW_DAEMON);
	struct nlattr *d = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_DAEMON);
	struct in6_addr g;
	inet_pton(AF_INET6, "ff02::1:2", &g);
	mnl_attr_put_u32(nlh, IPVS_DAEMON_ATTR_STATE, IP_VS_STATE_MASTER);
	mnl_attr_put_strz(nlh, IPVS_DAEMON_ATTR_MCAST_IFN, "dummy0");
	mnl_attr_put_u32(nlh, IPVS_DAEMON_ATTR_SYNC_ID, 5);
	mnl_attr_put_u16(nlh, IPVS_DAEMON_ATTR_SYNC_MAXLEN, 1472);
	mnl_attr_put(nlh, IPVS_DAEMON_ATTR_MCAST_GROUP6, sizeof(g), &g);
	mnl_attr_put_u16(nlh, IPVS_DAEMON_ATTR_MCAST_PORT, 8848);
	mnl_attr_put_u8(nlh, IPVS_DAEMON_ATTR_MCAST_TTL, 1);
	mnl_attr_nest_end(nlh, d);
	return nlh;
}

static struct nlmsghdr *kernel_info(void *buf)
{
	struct nlmsghdr *nlh = reply(buf, IPVS_CMD_SET_INFO);
	mnl_attr_put_u32(nlh, IPVS_INFO_ATTR_VERSION, 0x010201);
	mnl_attr_put_u32(nlh, IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096);
	return nlh;
}

static void test_parse_kernel_dest_daemon_info(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct ipvs_dest d;
	assert_int_equal(ipvs_msg_parse_dest(kernel_dest(buf), AF_INET6, &d, NULL), 0);
	struct ka_addr want = addr("10.0.1.2");
	assert_true(ka_addr_equal(&d.addr, &want));
	assert_int_equal(d.port, 80);
	assert_int_equal(d.fwd, IP_VS_CONN_F_TUNNEL);
	assert_int_equal(d.weight, 4);
	assert_int_equal(d.tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GRE);
	assert_int_equal(d.tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	assert_int_equal(d.u_thresh, 10);
	assert_int_equal(d.l_thresh, 2);
	assert_int_equal(d.active_conns, 5);
	assert_int_equal(d.inact_conns, 6);
	assert_int_equal(d.persist_conns, 7);
	/* Only the old 32-bit stats set: still read. */
	assert_true(d.has_stats);
	assert_int_equal(d.stats.conns, 11);
	assert_int_equal(d.stats.inbytes, 12);

	struct ipvs_daemon dm;
	assert_int_equal(ipvs_msg_parse_daemon(kernel_daemon(buf), &dm, NULL), 0);
	assert_int_equal(dm.state, IP_VS_STATE_MASTER);
	assert_string_equal(dm.ifname, "dummy0");
	assert_int_equal(dm.sync_id, 5);
	assert_int_equal(dm.sync_maxlen, 1472);
	assert_int_equal(dm.group.family, AF_INET6);
	assert_int_equal(dm.port, 8848);
	assert_int_equal(dm.ttl, 1);

	struct ipvs_info inf;
	assert_int_equal(ipvs_msg_parse_info(kernel_info(buf), &inf, NULL), 0);
	assert_int_equal(inf.version, 0x010201);
	assert_int_equal(inf.conn_tab_size, 4096);
}

static void test_parse_dest_without_family(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	struct nlmsghdr *nlh = reply(buf, IPVS_CMD_NEW_DEST);
	struct nlattr *n = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_DEST);
	struct in6_addr a6;
	inet_pton(AF_INET6, "2001:db8::7", &a6);
	mnl_attr_put(nlh, IPVS_DEST_ATTR_ADDR, sizeof(a6), &a6);
	mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_PORT, htons(1));
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_MASQ);
	mnl_attr_nest_end(nlh, n);
	struct ipvs_dest d;
	const char *why;

	/* Older kernels: the service's family applies. Weight is mandatory. */
	assert_int_equal(ipvs_msg_parse_dest(nlh, AF_INET6, &d, &why), -EBADMSG);
	assert_string_equal(why, "destination without forwarding method or weight");
	mnl_attr_nest_cancel(nlh, n);
	n = mnl_attr_nest_start(nlh, IPVS_CMD_ATTR_DEST);
	mnl_attr_put(nlh, IPVS_DEST_ATTR_ADDR, sizeof(a6), &a6);
	mnl_attr_put_u16(nlh, IPVS_DEST_ATTR_PORT, htons(1));
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_MASQ);
	mnl_attr_put_u32(nlh, IPVS_DEST_ATTR_WEIGHT, 0);
	mnl_attr_nest_end(nlh, n);
	assert_int_equal(ipvs_msg_parse_dest(nlh, AF_INET6, &d, &why), 0);
	struct ka_addr want = addr("2001:db8::7");
	assert_true(ka_addr_equal(&d.addr, &want));
	assert_false(d.has_stats);
	assert_int_equal(ipvs_msg_parse_dest(nlh, AF_UNSPEC, &d, &why), -EBADMSG);
}

static void test_parse_mangled(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];

	mangle_all(kernel_service(buf, true, true), 0);
	mangle_all(kernel_dest(buf), 1);
	mangle_all(kernel_daemon(buf), 2);
	mangle_all(kernel_info(buf), 3);
}

/* ---- errors and the controller ---- */

/* An NLMSG_ERROR as the kernel builds it for request req. */
static struct nlmsghdr *kernel_error(void *buf, int error, const struct nlmsghdr *req,
				     bool capped, const char *text)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	size_t echo = capped ? sizeof(*req) : req->nlmsg_len;
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(int) + echo);
	e->error = error;
	memcpy(&e->msg, req, echo);
	if (capped)
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	if (text) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	}
	return nlh;
}

static void test_parse_error(void **state)
{
	unsigned char rbuf[IPVS_MSG_BUFSIZE], buf[2 * IPVS_MSG_BUFSIZE];
	struct ipvs_service s = tcp4_service();
	struct nlmsghdr *req = ipvs_msg_new(rbuf, sizeof(rbuf), FAMILY, IPVS_CMD_NEW_SERVICE, 0, 9);
	assert_int_equal(ipvs_msg_put_service(req, sizeof(rbuf), &s, true), 0);
	int err = 1;
	const char *text = "x";

	struct nlmsghdr *nlh = kernel_error(buf, 0, req, true, NULL);
	assert_int_equal(ipvs_msg_parse_error(nlh, &err, &text), 0);
	assert_int_equal(err, 0);
	assert_null(text);

	nlh = kernel_error(buf, -EINVAL, req, false, "bad attribute");
	assert_int_equal(ipvs_msg_parse_error(nlh, &err, &text), 0);
	assert_int_equal(err, -EINVAL);
	assert_string_equal(text, "bad attribute");

	nlh = kernel_error(buf, -ENOENT, req, true, "no such scheduler");
	assert_int_equal(ipvs_msg_parse_error(nlh, &err, &text), 0);
	assert_int_equal(err, -ENOENT);
	assert_string_equal(text, "no such scheduler");

	/* Lies: echoed length past the end, text without NUL, odd errors. */
	nlh = kernel_error(buf, -EINVAL, req, false, "bad attribute");
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 4000;
	assert_int_equal(ipvs_msg_parse_error(nlh, &err, &text), -EBADMSG);
	nlh = kernel_error(buf, -EINVAL, req, true, "bad attribute");
	struct nlattr *a = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct nlmsgerr));
	((char *)mnl_attr_get_payload(a))[mnl_attr_get_payload_len(a) - 1] = 'x';
	assert_int_equal(ipvs_msg_parse_error(nlh, &err, &text), -EBADMSG);
	assert_null(text);
	nlh = kernel_error(buf, 5, req, true, NULL);
	assert_int_equal(ipvs_msg_parse_error(nlh, &err, &text), -EBADMSG);
	nlh = kernel_error(buf, -EINVAL, req, true, NULL);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 8;
	assert_int_equal(ipvs_msg_parse_error(nlh, &err, &text), -EBADMSG);
	nlh->nlmsg_type = NLMSG_DONE;
	assert_int_equal(ipvs_msg_parse_error(nlh, &err, &text), -EBADMSG);
}

static void test_parse_family(void **state)
{
	unsigned char buf[IPVS_MSG_BUFSIZE];
	uint16_t id = 0;
	const char *why;

	struct nlmsghdr *nlh;

	nlh = ipvs_msg_new(buf, sizeof(buf), GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 0, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "IPVS");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1c);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	assert_int_equal(ipvs_msg_parse_family(nlh, &id, &why), 0);
	assert_int_equal(id, 0x1c);

	nlh = ipvs_msg_new(buf, sizeof(buf), GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 0, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "TASKSTATS");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	assert_int_equal(ipvs_msg_parse_family(nlh, &id, &why), -EBADMSG);
	assert_int_equal(id, 0x1c);

	nlh = ipvs_msg_new(buf, sizeof(buf), GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 0, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "IPVS");
	assert_int_equal(ipvs_msg_parse_family(nlh, &id, &why), -EBADMSG);
	assert_string_equal(why, "family reply without an id");
}

static void test_strings(void **state)
{
	char buf[IPVS_SVC_STRLEN];
	struct ipvs_service s = tcp4_service();
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "TCP 10.0.0.100:80");
	s.af = AF_INET6;
	s.protocol = IPPROTO_SCTP;
	s.addr = addr("2001:db8::100");
	s.port = 5060;
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "SCTP [2001:db8::100]:5060");
	s.fwmark = 7;
	assert_string_equal(ipvs_service_str(&s, buf, sizeof(buf)), "fwmark 7 (IPv6)");

	struct ipvs_dest d = { .addr = addr("10.0.0.2"), .port = 80 };
	assert_string_equal(ipvs_dest_str(&d, buf, sizeof(buf)), "10.0.0.2:80");
	char small[6];
	assert_string_equal(ipvs_dest_str(&d, small, sizeof(small)), "10.0.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_request_layout),
		cmocka_unit_test(test_service_key_and_fwmark6),
		cmocka_unit_test(test_service_build_rejects),
		cmocka_unit_test(test_build_overflow),
		cmocka_unit_test(test_dest_request_layout),
		cmocka_unit_test(test_daemon_and_timeouts_layout),
		cmocka_unit_test(test_getfamily_request),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_netmask_conversion),
		cmocka_unit_test(test_parse_kernel_service),
		cmocka_unit_test(test_parse_bad_attributes),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_parse_kernel_dest_daemon_info),
		cmocka_unit_test(test_parse_dest_without_family),
		cmocka_unit_test(test_parse_mangled),
		cmocka_unit_test(test_parse_error),
		cmocka_unit_test(test_parse_family),
		cmocka_unit_test(test_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
