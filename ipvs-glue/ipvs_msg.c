/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipvs_msg.c - build IPVS generic netlink requests and parse the kernel's replies */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "ipvs_msg.h"
#include "ipvs_names.h"

/* ---- small helpers ---- */

void ipvs_service_init(struct ipvs_service *s, sa_family_t af)
{
	memset(s, 0, sizeof(*s));
	s->af = af;
	s->netmask = af == AF_INET6 ? 128 : 32;
}

static int addr_len(sa_family_t af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;
}

/* "a:p" or "[a]:p". */
static void format_hostport(const struct ka_addr *a, uint16_t port, char *buf, size_t len)
{
	char s[KA_ADDR_STRLEN];
	struct ka_addr plain = *a;

	plain.has_prefix = false;
	ka_addr_str(&plain, s);
	snprintf(buf, len, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u", s, (unsigned)port);
}

const char *ipvs_service_str(const struct ipvs_service *s, char *buf, size_t len)
{
	char hp[KA_ADDR_STRLEN + 10];

	if (s->fwmark) {
		snprintf(buf, len, "fwmark %u (%s)", s->fwmark,
			 s->af == AF_INET6 ? "IPv6" : "IPv4");
		return buf;
	}
	format_hostport(&s->addr, s->port, hp, sizeof(hp));
	snprintf(buf, len, "%s %s", ipvs_proto_name(s->protocol), hp);
	return buf;
}

const char *ipvs_dest_str(const struct ipvs_dest *d, char *buf, size_t len)
{
	format_hostport(&d->addr, d->port, buf, len);
	return buf;
}

/* IPv4 persistence granularity travels as a mask in network order, IPv6
 * as a plain prefix length. */
static uint32_t netmask_to_wire(sa_family_t af, uint8_t prefix)
{
	if (af == AF_INET6)
		return prefix;
	return htonl(prefix >= 32 ? 0xffffffffu : prefix ? ~(0xffffffffu >> prefix) : 0);
}

/* Leading one bits of an IPv4 mask; a hole-y mask (never written by the
 * project) is reported by its leading run. */
static uint8_t netmask_from_wire(sa_family_t af, uint32_t wire)
{
	if (af == AF_INET6)
		return (uint8_t)wire;
	uint32_t m = ntohl(wire);
	uint8_t n = 0;
	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	return n;
}

/* ---- building ---- */

struct nlmsghdr *ipvs_msg_new(void *buf, size_t size, uint16_t family, uint8_t cmd,
			      uint16_t flags, uint32_t seq)
{
	if (size < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)))
		return NULL;
	memset(buf, 0, size);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = IPVS_GENL_VERSION;
	return nlh;
}

struct nlmsghdr *ipvs_msg_getfamily(void *buf, size_t size, uint32_t seq)
{
	struct nlmsghdr *nlh = ipvs_msg_new(buf, size, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, seq);

	if (!nlh)
		return NULL;
	/* The controller speaks version 1 whatever IPVS's version is. */
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = 1;
	if (!mnl_attr_put_strz_check(nlh, size, CTRL_ATTR_FAMILY_NAME, IPVS_GENL_NAME))
		return NULL;
	return nlh;
}

/* Put helpers that remember the first overflow, so builders read straight. */
struct put {
	struct nlmsghdr *nlh;
	size_t size;
	bool ok;
};

static void put_u8(struct put *p, uint16_t type, uint8_t v)
{
	p->ok = p->ok && mnl_attr_put_u8_check(p->nlh, p->size, type, v);
}

static void put_u16(struct put *p, uint16_t type, uint16_t v)
{
	p->ok = p->ok && mnl_attr_put_u16_check(p->nlh, p->size, type, v);
}

static void put_u32(struct put *p, uint16_t type, uint32_t v)
{
	p->ok = p->ok && mnl_attr_put_u32_check(p->nlh, p->size, type, v);
}

static void put_str(struct put *p, uint16_t type, const char *s)
{
	p->ok = p->ok && mnl_attr_put_strz_check(p->nlh, p->size, type, s);
}

static void put_bin(struct put *p, uint16_t type, size_t len, const void *data)
{
	p->ok = p->ok && mnl_attr_put_check(p->nlh, p->size, type, len, data);
}

/* The kernel copies addresses into a union nf_inet_addr: send all 16 bytes. */
static void put_addr(struct put *p, uint16_t type, const struct ka_addr *a)
{
	uint8_t raw[16] = {0};

	memcpy(raw, &a->u, (size_t)addr_len(a->family));
	put_bin(p, type, sizeof(raw), raw);
}

static struct nlattr *nest_start(struct put *p, uint16_t type)
{
	struct nlattr *n = p->ok ? mnl_attr_nest_start_check(p->nlh, p->size, type) : NULL;

	p->ok = n != NULL;
	return n;
}

static int put_end(struct put *p, struct nlattr *nest)
{
	if (!p->ok) {
		if (nest)
			mnl_attr_nest_cancel(p->nlh, nest);
		return -EMSGSIZE;
	}
	mnl_attr_nest_end(p->nlh, nest);
	return 0;
}

static int check_service(const struct ipvs_service *s, bool full)
{
	if (s->af != AF_INET && s->af != AF_INET6)
		return -EAFNOSUPPORT;
	if (!s->fwmark && (s->addr.family != s->af || !s->protocol))
		return -EINVAL;
	if (full && (!s->sched_name[0] || s->netmask > (s->af == AF_INET6 ? 128 : 32)))
		return -EINVAL;
	if (!memchr(s->sched_name, 0, sizeof(s->sched_name)) ||
	    !memchr(s->pe_name, 0, sizeof(s->pe_name)))
		return -ENAMETOOLONG;
	return 0;
}

int ipvs_msg_put_service(struct nlmsghdr *nlh, size_t size, const struct ipvs_service *s,
			 bool full)
{
	int err = check_service(s, full);
	if (err)
		return err;

	struct put p = { nlh, size, true };
	struct nlattr *nest = nest_start(&p, IPVS_CMD_ATTR_SERVICE);
	put_u16(&p, IPVS_SVC_ATTR_AF, s->af);
	if (s->fwmark) {
		put_u32(&p, IPVS_SVC_ATTR_FWMARK, s->fwmark);
	} else {
		put_u16(&p, IPVS_SVC_ATTR_PROTOCOL, s->protocol);
		put_addr(&p, IPVS_SVC_ATTR_ADDR, &s->addr);
		put_u16(&p, IPVS_SVC_ATTR_PORT, htons(s->port));
	}
	if (full) {
		uint32_t flags = s->flags | (s->timeout ? IP_VS_SVC_F_PERSISTENT : 0);
		if (!s->timeout)
			flags &= ~(uint32_t)IP_VS_SVC_F_PERSISTENT;
		/* mask: every bit is ours, so an edit also clears flags. */
		struct ip_vs_flags f = { .flags = flags, .mask = ~0u };
		put_str(&p, IPVS_SVC_ATTR_SCHED_NAME, s->sched_name);
		if (s->pe_name[0])
			put_str(&p, IPVS_SVC_ATTR_PE_NAME, s->pe_name);
		put_bin(&p, IPVS_SVC_ATTR_FLAGS, sizeof(f), &f);
		put_u32(&p, IPVS_SVC_ATTR_TIMEOUT, s->timeout);
		put_u32(&p, IPVS_SVC_ATTR_NETMASK, netmask_to_wire(s->af, s->netmask));
	}
	return put_end(&p, nest);
}

int ipvs_msg_put_dest(struct nlmsghdr *nlh, size_t size, const struct ipvs_dest *d, bool full)
{
	if (!addr_len(d->addr.family))
		return -EAFNOSUPPORT;
	if (full && (d->fwd & ~(uint32_t)IP_VS_CONN_F_FWD_MASK))
		return -EINVAL;

	struct put p = { nlh, size, true };
	struct nlattr *nest = nest_start(&p, IPVS_CMD_ATTR_DEST);
	put_u16(&p, IPVS_DEST_ATTR_ADDR_FAMILY, d->addr.family);
	put_addr(&p, IPVS_DEST_ATTR_ADDR, &d->addr);
	put_u16(&p, IPVS_DEST_ATTR_PORT, htons(d->port));
	if (full) {
		put_u32(&p, IPVS_DEST_ATTR_FWD_METHOD, d->fwd);
		put_u32(&p, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight);
		put_u32(&p, IPVS_DEST_ATTR_U_THRESH, d->u_thresh);
		put_u32(&p, IPVS_DEST_ATTR_L_THRESH, d->l_thresh);
		/* Only tunnels carry these; older kernels need not see them. */
		if (d->fwd == IP_VS_CONN_F_TUNNEL) {
			put_u8(&p, IPVS_DEST_ATTR_TUN_TYPE, d->tun_type);
			put_u16(&p, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port));
			put_u16(&p, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags);
		}
	}
	return put_end(&p, nest);
}

int ipvs_msg_put_daemon(struct nlmsghdr *nlh, size_t size, const struct ipvs_daemon *d,
			bool full)
{
	if (full && (!d->ifname[0] || !memchr(d->ifname, 0, sizeof(d->ifname))))
		return -EINVAL;
	if (full && d->group.family != AF_UNSPEC && !addr_len(d->group.family))
		return -EAFNOSUPPORT;

	struct put p = { nlh, size, true };
	struct nlattr *nest = nest_start(&p, IPVS_CMD_ATTR_DAEMON);
	put_u32(&p, IPVS_DAEMON_ATTR_STATE, d->state);
	if (full) {
		put_str(&p, IPVS_DAEMON_ATTR_MCAST_IFN, d->ifname);
		put_u32(&p, IPVS_DAEMON_ATTR_SYNC_ID, d->sync_id);
		if (d->sync_maxlen)
			put_u16(&p, IPVS_DAEMON_ATTR_SYNC_MAXLEN, d->sync_maxlen);
		if (d->group.family == AF_INET)
			put_bin(&p, IPVS_DAEMON_ATTR_MCAST_GROUP, 4, &d->group.u.v4);
		else if (d->group.family == AF_INET6)
			put_bin(&p, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16, &d->group.u.v6);
		/* Unlike service and destination ports, host order. */
		if (d->port)
			put_u16(&p, IPVS_DAEMON_ATTR_MCAST_PORT, d->port);
		if (d->ttl)
			put_u8(&p, IPVS_DAEMON_ATTR_MCAST_TTL, d->ttl);
	}
	return put_end(&p, nest);
}

int ipvs_msg_put_timeouts(struct nlmsghdr *nlh, size_t size, const struct ipvs_timeouts *t)
{
	struct put p = { nlh, size, true };

	if (t->tcp)
		put_u32(&p, IPVS_CMD_ATTR_TIMEOUT_TCP, t->tcp);
	if (t->tcp_fin)
		put_u32(&p, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t->tcp_fin);
	if (t->udp)
		put_u32(&p, IPVS_CMD_ATTR_TIMEOUT_UDP, t->udp);
	return p.ok ? 0 : -EMSGSIZE;
}

/* ---- parsing ---- */

/*
 * One row per attribute type. type is checked with mnl_attr_validate();
 * for strings and binary blobs min/max bound the payload length. A row of
 * MNL_TYPE_UNSPEC (or a type past the table) is skipped: newer kernels
 * send attributes we have no use for.
 */
struct ipvs_policy {
	enum mnl_attr_data_type type;
	uint16_t min, max;
	const char *bad;        /* the *why text when the attribute is malformed */
};

#define POL(t, text) { .type = (t), .bad = (text) }
#define POLLEN(t, lo, hi, text) { .type = (t), .min = (lo), .max = (hi), .bad = (text) }

static const struct ipvs_policy top_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = POL(MNL_TYPE_NESTED, "malformed service attribute"),
	[IPVS_CMD_ATTR_DEST] = POL(MNL_TYPE_NESTED, "malformed destination attribute"),
	[IPVS_CMD_ATTR_DAEMON] = POL(MNL_TYPE_NESTED, "malformed daemon attribute"),
	[IPVS_CMD_ATTR_TIMEOUT_TCP] = POL(MNL_TYPE_U32, "malformed TCP timeout"),
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] = POL(MNL_TYPE_U32, "malformed TCP FIN timeout"),
	[IPVS_CMD_ATTR_TIMEOUT_UDP] = POL(MNL_TYPE_U32, "malformed UDP timeout"),
};

static const struct ipvs_policy svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = POL(MNL_TYPE_U16, "malformed service family"),
	[IPVS_SVC_ATTR_PROTOCOL] = POL(MNL_TYPE_U16, "malformed service protocol"),
	[IPVS_SVC_ATTR_ADDR] = POLLEN(MNL_TYPE_BINARY, 4, 16, "malformed service address"),
	[IPVS_SVC_ATTR_PORT] = POL(MNL_TYPE_U16, "malformed service port"),
	[IPVS_SVC_ATTR_FWMARK] = POL(MNL_TYPE_U32, "malformed service fwmark"),
	[IPVS_SVC_ATTR_SCHED_NAME] = POLLEN(MNL_TYPE_NUL_STRING, 1, IP_VS_SCHEDNAME_MAXLEN,
					    "malformed scheduler name"),
	[IPVS_SVC_ATTR_FLAGS] = POLLEN(MNL_TYPE_BINARY, sizeof(struct ip_vs_flags),
				       sizeof(struct ip_vs_flags), "malformed service flags"),
	[IPVS_SVC_ATTR_TIMEOUT] = POL(MNL_TYPE_U32, "malformed persistence timeout"),
	[IPVS_SVC_ATTR_NETMASK] = POL(MNL_TYPE_U32, "malformed persistence netmask"),
	[IPVS_SVC_ATTR_STATS] = POL(MNL_TYPE_NESTED, "malformed service stats"),
	[IPVS_SVC_ATTR_PE_NAME] = POLLEN(MNL_TYPE_NUL_STRING, 1, IP_VS_PENAME_MAXLEN,
					 "malformed persistence engine name"),
	[IPVS_SVC_ATTR_STATS64] = POL(MNL_TYPE_NESTED, "malformed service stats"),
};

static const struct ipvs_policy dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = POLLEN(MNL_TYPE_BINARY, 4, 16, "malformed destination address"),
	[IPVS_DEST_ATTR_PORT] = POL(MNL_TYPE_U16, "malformed destination port"),
	[IPVS_DEST_ATTR_FWD_METHOD] = POL(MNL_TYPE_U32, "malformed forwarding method"),
	[IPVS_DEST_ATTR_WEIGHT] = POL(MNL_TYPE_U32, "malformed destination weight"),
	[IPVS_DEST_ATTR_U_THRESH] = POL(MNL_TYPE_U32, "malformed upper threshold"),
	[IPVS_DEST_ATTR_L_THRESH] = POL(MNL_TYPE_U32, "malformed lower threshold"),
	[IPVS_DEST_ATTR_ACTIVE_CONNS] = POL(MNL_TYPE_U32, "malformed active connections"),
	[IPVS_DEST_ATTR_INACT_CONNS] = POL(MNL_TYPE_U32, "malformed inactive connections"),
	[IPVS_DEST_ATTR_PERSIST_CONNS] = POL(MNL_TYPE_U32, "malformed persistent connections"),
	[IPVS_DEST_ATTR_STATS] = POL(MNL_TYPE_NESTED, "malformed destination stats"),
	[IPVS_DEST_ATTR_ADDR_FAMILY] = POL(MNL_TYPE_U16, "malformed destination family"),
	[IPVS_DEST_ATTR_STATS64] = POL(MNL_TYPE_NESTED, "malformed destination stats"),
	[IPVS_DEST_ATTR_TUN_TYPE] = POL(MNL_TYPE_U8, "malformed tunnel type"),
	[IPVS_DEST_ATTR_TUN_PORT] = POL(MNL_TYPE_U16, "malformed tunnel port"),
	[IPVS_DEST_ATTR_TUN_FLAGS] = POL(MNL_TYPE_U16, "malformed tunnel flags"),
};

static const struct ipvs_policy daemon_policy[IPVS_DAEMON_ATTR_MAX + 1] = {
	[IPVS_DAEMON_ATTR_STATE] = POL(MNL_TYPE_U32, "malformed daemon state"),
	[IPVS_DAEMON_ATTR_MCAST_IFN] = POLLEN(MNL_TYPE_NUL_STRING, 1, IP_VS_IFNAME_MAXLEN,
					      "malformed daemon interface"),
	[IPVS_DAEMON_ATTR_SYNC_ID] = POL(MNL_TYPE_U32, "malformed sync id"),
	[IPVS_DAEMON_ATTR_SYNC_MAXLEN] = POL(MNL_TYPE_U16, "malformed sync maxlen"),
	[IPVS_DAEMON_ATTR_MCAST_GROUP] = POLLEN(MNL_TYPE_BINARY, 4, 4, "malformed sync group"),
	[IPVS_DAEMON_ATTR_MCAST_GROUP6] = POLLEN(MNL_TYPE_BINARY, 16, 16, "malformed sync group"),
	[IPVS_DAEMON_ATTR_MCAST_PORT] = POL(MNL_TYPE_U16, "malformed sync port"),
	[IPVS_DAEMON_ATTR_MCAST_TTL] = POL(MNL_TYPE_U8, "malformed sync ttl"),
};

static const struct ipvs_policy info_policy[IPVS_INFO_ATTR_MAX + 1] = {
	[IPVS_INFO_ATTR_VERSION] = POL(MNL_TYPE_U32, "malformed IPVS version"),
	[IPVS_INFO_ATTR_CONN_TAB_SIZE] = POL(MNL_TYPE_U32, "malformed connection table size"),
};

/* The 32-bit set is read only when the kernel does not send the 64-bit one. */
static const struct ipvs_policy stats32_policy[IPVS_STATS_ATTR_MAX + 1] = {
	[IPVS_STATS_ATTR_CONNS] = POL(MNL_TYPE_U32, "malformed stats"),
	[IPVS_STATS_ATTR_INPKTS] = POL(MNL_TYPE_U32, "malformed stats"),
	[IPVS_STATS_ATTR_OUTPKTS] = POL(MNL_TYPE_U32, "malformed stats"),
	[IPVS_STATS_ATTR_INBYTES] = POL(MNL_TYPE_U64, "malformed stats"),
	[IPVS_STATS_ATTR_OUTBYTES] = POL(MNL_TYPE_U64, "malformed stats"),
	[IPVS_STATS_ATTR_CPS] = POL(MNL_TYPE_U32, "malformed stats"),
	[IPVS_STATS_ATTR_INPPS] = POL(MNL_TYPE_U32, "malformed stats"),
	[IPVS_STATS_ATTR_OUTPPS] = POL(MNL_TYPE_U32, "malformed stats"),
	[IPVS_STATS_ATTR_INBPS] = POL(MNL_TYPE_U32, "malformed stats"),
	[IPVS_STATS_ATTR_OUTBPS] = POL(MNL_TYPE_U32, "malformed stats"),
};

static const struct ipvs_policy stats64_policy[IPVS_STATS_ATTR_MAX + 1] = {
	[IPVS_STATS_ATTR_CONNS] = POL(MNL_TYPE_U64, "malformed stats"),
	[IPVS_STATS_ATTR_INPKTS] = POL(MNL_TYPE_U64, "malformed stats"),
	[IPVS_STATS_ATTR_OUTPKTS] = POL(MNL_TYPE_U64, "malformed stats"),
	[IPVS_STATS_ATTR_INBYTES] = POL(MNL_TYPE_U64, "malformed stats"),
	[IPVS_STATS_ATTR_OUTBYTES] = POL(MNL_TYPE_U64, "malformed stats"),
	[IPVS_STATS_ATTR_CPS] = POL(MNL_TYPE_U64, "malformed stats"),
	[IPVS_STATS_ATTR_INPPS] = POL(MNL_TYPE_U64, "malformed stats"),
	[IPVS_STATS_ATTR_OUTPPS] = POL(MNL_TYPE_U64, "malformed stats"),
	[IPVS_STATS_ATTR_INBPS] = POL(MNL_TYPE_U64, "malformed stats"),
	[IPVS_STATS_ATTR_OUTBPS] = POL(MNL_TYPE_U64, "malformed stats"),
};

static const struct ipvs_policy err_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] = POLLEN(MNL_TYPE_NUL_STRING, 1, 0xffff, "malformed error text"),
};

static int valid_attr(const struct nlattr *a, const struct ipvs_policy *p)
{
	uint16_t len = mnl_attr_get_payload_len(a);

	if (mnl_attr_validate(a, p->type) < 0)
		return 0;
	if (p->max && (len < p->min || len > p->max))
		return 0;
	return 1;
}

/*
 * Walk the attributes in [data, data + len) into tb[0..max] (NULL when
 * absent), validating each known one against pol. Anything left over that
 * is not a whole attribute means the message was cut or lies about a
 * length: the reply is refused rather than half read.
 */
static int parse_attrs(const void *data, int len, const struct ipvs_policy *pol,
		       unsigned max, const struct nlattr **tb, const char **why)
{
	const struct nlattr *a = data;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (mnl_attr_ok(a, len)) {
		unsigned t = mnl_attr_get_type(a);
		if (t <= max && pol[t].type != MNL_TYPE_UNSPEC) {
			if (!valid_attr(a, &pol[t])) {
				*why = pol[t].bad;
				return -EBADMSG;
			}
			tb[t] = a;
		}
		len -= (int)MNL_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a + MNL_ALIGN(a->nla_len));
	}
	if (len > 0) {
		*why = "truncated attribute";
		return -EBADMSG;
	}
	return 0;
}

static int parse_nested(const struct nlattr *nest, const struct ipvs_policy *pol,
			unsigned max, const struct nlattr **tb, const char **why)
{
	return parse_attrs(mnl_attr_get_payload(nest), mnl_attr_get_payload_len(nest), pol, max,
			   tb, why);
}

/* Top-level attributes of a generic netlink message. */
static int parse_genl(const struct nlmsghdr *nlh, const struct ipvs_policy *pol, unsigned max,
		      const struct nlattr **tb, const char **why)
{
	size_t hdr = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr));

	if (nlh->nlmsg_len < hdr) {
		*why = "message shorter than its headers";
		return -EBADMSG;
	}
	return parse_attrs((const char *)nlh + hdr, (int)(nlh->nlmsg_len - hdr), pol, max, tb, why);
}

static uint64_t get_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, mnl_attr_get_payload(a), sizeof(v));
	return v;
}

/* u32 or u64 per the policy the attribute passed. */
static uint64_t get_num(const struct nlattr *a)
{
	if (!a)
		return 0;
	return mnl_attr_get_payload_len(a) == 8 ? get_u64(a) : mnl_attr_get_u32(a);
}

/* Prefer the 64-bit counters; fall back to the old set. */
static int parse_stats(const struct nlattr *s64, const struct nlattr *s32,
		       struct ipvs_stats *st, bool *has, const char **why)
{
	const struct nlattr *tb[IPVS_STATS_ATTR_MAX + 1];
	int err;

	if (s64)
		err = parse_nested(s64, stats64_policy, IPVS_STATS_ATTR_MAX, tb, why);
	else if (s32)
		err = parse_nested(s32, stats32_policy, IPVS_STATS_ATTR_MAX, tb, why);
	else
		return 0;
	if (err)
		return err;
	st->conns = get_num(tb[IPVS_STATS_ATTR_CONNS]);
	st->inpkts = get_num(tb[IPVS_STATS_ATTR_INPKTS]);
	st->outpkts = get_num(tb[IPVS_STATS_ATTR_OUTPKTS]);
	st->inbytes = get_num(tb[IPVS_STATS_ATTR_INBYTES]);
	st->outbytes = get_num(tb[IPVS_STATS_ATTR_OUTBYTES]);
	st->cps = get_num(tb[IPVS_STATS_ATTR_CPS]);
	st->inpps = get_num(tb[IPVS_STATS_ATTR_INPPS]);
	st->outpps = get_num(tb[IPVS_STATS_ATTR_OUTPPS]);
	st->inbps = get_num(tb[IPVS_STATS_ATTR_INBPS]);
	st->outbps = get_num(tb[IPVS_STATS_ATTR_OUTBPS]);
	*has = true;
	return 0;
}

/* An address attribute into a ka_addr of family af. */
static int get_addr(const struct nlattr *a, sa_family_t af, struct ka_addr *out)
{
	int n = addr_len(af);

	if (!n || mnl_attr_get_payload_len(a) < n)
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	out->family = af;
	out->prefix = (uint8_t)(n * 8);
	memcpy(&out->u, mnl_attr_get_payload(a), (size_t)n);
	return 0;
}

static void get_str(const struct nlattr *a, char *buf, size_t len)
{
	if (a)
		snprintf(buf, len, "%s", mnl_attr_get_str(a));
}

/* Find the one nested object (service, dest, daemon) of a reply. */
static int parse_object(const struct nlmsghdr *nlh, unsigned which, const struct ipvs_policy *pol,
			unsigned max, const struct nlattr **tb, const char **why)
{
	const struct nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	int err = parse_genl(nlh, top_policy, IPVS_CMD_ATTR_MAX, top, why);

	if (err)
		return err;
	if (!top[which]) {
		*why = "reply without its object attribute";
		return -EBADMSG;
	}
	return parse_nested(top[which], pol, max, tb, why);
}

static int fail(const char **why, const char *text)
{
	*why = text;
	return -EBADMSG;
}

int ipvs_msg_parse_service(const struct nlmsghdr *nlh, struct ipvs_service *out,
			   const char **why)
{
	const struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	const char *dummy;
	if (!why)
		why = &dummy;
	int err = parse_object(nlh, IPVS_CMD_ATTR_SERVICE, svc_policy, IPVS_SVC_ATTR_MAX, tb, why);
	if (err)
		return err;

	if (!tb[IPVS_SVC_ATTR_AF])
		return fail(why, "service without a family");
	ipvs_service_init(out, mnl_attr_get_u16(tb[IPVS_SVC_ATTR_AF]));
	if (!addr_len(out->af))
		return fail(why, "service of an unknown family");
	if (tb[IPVS_SVC_ATTR_FWMARK])
		out->fwmark = mnl_attr_get_u32(tb[IPVS_SVC_ATTR_FWMARK]);
	if (!out->fwmark) {
		if (!tb[IPVS_SVC_ATTR_PROTOCOL] || !tb[IPVS_SVC_ATTR_ADDR] ||
		    !tb[IPVS_SVC_ATTR_PORT])
			return fail(why, "service without fwmark nor protocol, address and port");
		out->protocol = mnl_attr_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]);
		if (get_addr(tb[IPVS_SVC_ATTR_ADDR], out->af, &out->addr))
			return fail(why, "service address too short for its family");
		out->port = ntohs(mnl_attr_get_u16(tb[IPVS_SVC_ATTR_PORT]));
	}
	if (!tb[IPVS_SVC_ATTR_SCHED_NAME])
		return fail(why, "service without a scheduler");
	get_str(tb[IPVS_SVC_ATTR_SCHED_NAME], out->sched_name, sizeof(out->sched_name));
	get_str(tb[IPVS_SVC_ATTR_PE_NAME], out->pe_name, sizeof(out->pe_name));
	if (tb[IPVS_SVC_ATTR_FLAGS]) {
		struct ip_vs_flags f;
		memcpy(&f, mnl_attr_get_payload(tb[IPVS_SVC_ATTR_FLAGS]), sizeof(f));
		out->flags = f.flags;
	}
	if (tb[IPVS_SVC_ATTR_TIMEOUT])
		out->timeout = mnl_attr_get_u32(tb[IPVS_SVC_ATTR_TIMEOUT]);
	if (tb[IPVS_SVC_ATTR_NETMASK]) {
		uint32_t m = mnl_attr_get_u32(tb[IPVS_SVC_ATTR_NETMASK]);
		if (out->af == AF_INET6 && m > 128)
			return fail(why, "IPv6 persistence prefix over 128");
		out->netmask = netmask_from_wire(out->af, m);
	}
	return parse_stats(tb[IPVS_SVC_ATTR_STATS64], tb[IPVS_SVC_ATTR_STATS], &out->stats,
			   &out->has_stats, why);
}

int ipvs_msg_parse_dest(const struct nlmsghdr *nlh, sa_family_t svc_af, struct ipvs_dest *out,
			const char **why)
{
	const struct nlattr *tb[IPVS_DEST_ATTR_MAX + 1];
	const char *dummy;
	if (!why)
		why = &dummy;
	int err = parse_object(nlh, IPVS_CMD_ATTR_DEST, dest_policy, IPVS_DEST_ATTR_MAX, tb, why);
	if (err)
		return err;

	memset(out, 0, sizeof(*out));
	sa_family_t af = svc_af;
	if (tb[IPVS_DEST_ATTR_ADDR_FAMILY])
		af = mnl_attr_get_u16(tb[IPVS_DEST_ATTR_ADDR_FAMILY]);
	if (!tb[IPVS_DEST_ATTR_ADDR] || !tb[IPVS_DEST_ATTR_PORT])
		return fail(why, "destination without address or port");
	if (!addr_len(af))
		return fail(why, "destination of an unknown family");
	if (get_addr(tb[IPVS_DEST_ATTR_ADDR], af, &out->addr))
		return fail(why, "destination address too short for its family");
	out->port = ntohs(mnl_attr_get_u16(tb[IPVS_DEST_ATTR_PORT]));
	if (!tb[IPVS_DEST_ATTR_FWD_METHOD] || !tb[IPVS_DEST_ATTR_WEIGHT])
		return fail(why, "destination without forwarding method or weight");
	out->fwd = mnl_attr_get_u32(tb[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK;
	out->weight = (int32_t)mnl_attr_get_u32(tb[IPVS_DEST_ATTR_WEIGHT]);
	out->u_thresh = (uint32_t)get_num(tb[IPVS_DEST_ATTR_U_THRESH]);
	out->l_thresh = (uint32_t)get_num(tb[IPVS_DEST_ATTR_L_THRESH]);
	out->active_conns = (uint32_t)get_num(tb[IPVS_DEST_ATTR_ACTIVE_CONNS]);
	out->inact_conns = (uint32_t)get_num(tb[IPVS_DEST_ATTR_INACT_CONNS]);
	out->persist_conns = (uint32_t)get_num(tb[IPVS_DEST_ATTR_PERSIST_CONNS]);
	if (tb[IPVS_DEST_ATTR_TUN_TYPE])
		out->tun_type = mnl_attr_get_u8(tb[IPVS_DEST_ATTR_TUN_TYPE]);
	if (tb[IPVS_DEST_ATTR_TUN_PORT])
		out->tun_port = ntohs(mnl_attr_get_u16(tb[IPVS_DEST_ATTR_TUN_PORT]));
	if (tb[IPVS_DEST_ATTR_TUN_FLAGS])
		out->tun_flags = mnl_attr_get_u16(tb[IPVS_DEST_ATTR_TUN_FLAGS]);
	return parse_stats(tb[IPVS_DEST_ATTR_STATS64], tb[IPVS_DEST_ATTR_STATS], &out->stats,
			   &out->has_stats, why);
}

int ipvs_msg_parse_daemon(const struct nlmsghdr *nlh, struct ipvs_daemon *out,
			  const char **why)
{
	const struct nlattr *tb[IPVS_DAEMON_ATTR_MAX + 1];
	const char *dummy;
	if (!why)
		why = &dummy;
	int err = parse_object(nlh, IPVS_CMD_ATTR_DAEMON, daemon_policy, IPVS_DAEMON_ATTR_MAX, tb,
			       why);
	if (err)
		return err;

	memset(out, 0, sizeof(*out));
	if (!tb[IPVS_DAEMON_ATTR_STATE] || !tb[IPVS_DAEMON_ATTR_MCAST_IFN] ||
	    !tb[IPVS_DAEMON_ATTR_SYNC_ID])
		return fail(why, "daemon without state, interface or sync id");
	out->state = mnl_attr_get_u32(tb[IPVS_DAEMON_ATTR_STATE]);
	get_str(tb[IPVS_DAEMON_ATTR_MCAST_IFN], out->ifname, sizeof(out->ifname));
	out->sync_id = mnl_attr_get_u32(tb[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN])
		out->sync_maxlen = mnl_attr_get_u16(tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP6])
		get_addr(tb[IPVS_DAEMON_ATTR_MCAST_GROUP6], AF_INET6, &out->group);
	else if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP])
		get_addr(tb[IPVS_DAEMON_ATTR_MCAST_GROUP], AF_INET, &out->group);
	if (tb[IPVS_DAEMON_ATTR_MCAST_PORT])
		out->port = mnl_attr_get_u16(tb[IPVS_DAEMON_ATTR_MCAST_PORT]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_TTL])
		out->ttl = mnl_attr_get_u8(tb[IPVS_DAEMON_ATTR_MCAST_TTL]);
	return 0;
}

int ipvs_msg_parse_info(const struct nlmsghdr *nlh, struct ipvs_info *out, const char **why)
{
	const struct nlattr *tb[IPVS_INFO_ATTR_MAX + 1];
	const char *dummy;
	if (!why)
		why = &dummy;
	int err = parse_genl(nlh, info_policy, IPVS_INFO_ATTR_MAX, tb, why);
	if (err)
		return err;
	if (!tb[IPVS_INFO_ATTR_VERSION])
		return fail(why, "info reply without a version");
	out->version = mnl_attr_get_u32(tb[IPVS_INFO_ATTR_VERSION]);
	out->conn_tab_size = (uint32_t)get_num(tb[IPVS_INFO_ATTR_CONN_TAB_SIZE]);
	return 0;
}

int ipvs_msg_parse_timeouts(const struct nlmsghdr *nlh, struct ipvs_timeouts *out,
			    const char **why)
{
	const struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];
	const char *dummy;
	if (!why)
		why = &dummy;
	int err = parse_genl(nlh, top_policy, IPVS_CMD_ATTR_MAX, tb, why);
	if (err)
		return err;
	out->tcp = (uint32_t)get_num(tb[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	out->tcp_fin = (uint32_t)get_num(tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	out->udp = (uint32_t)get_num(tb[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return 0;
}

/* Controller attribute policy: only the id matters to us. */
static const struct ipvs_policy ctrl_policy[CTRL_ATTR_FAMILY_NAME + 1] = {
	[CTRL_ATTR_FAMILY_ID] = POL(MNL_TYPE_U16, "malformed family id"),
	[CTRL_ATTR_FAMILY_NAME] = POLLEN(MNL_TYPE_NUL_STRING, 1, GENL_NAMSIZ,
					 "malformed family name"),
};

int ipvs_msg_parse_family(const struct nlmsghdr *nlh, uint16_t *id, const char **why)
{
	const struct nlattr *tb[CTRL_ATTR_FAMILY_NAME + 1];
	const char *dummy;
	if (!why)
		why = &dummy;
	int err = parse_genl(nlh, ctrl_policy, CTRL_ATTR_FAMILY_NAME, tb, why);
	if (err)
		return err;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return fail(why, "family reply without an id");
	if (tb[CTRL_ATTR_FAMILY_NAME] && strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]),
						IPVS_GENL_NAME))
		return fail(why, "family reply for another family");
	*id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

int ipvs_msg_parse_error(const struct nlmsghdr *nlh, int *err, const char **text)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = nlh->nlmsg_len, off = MNL_NLMSG_HDRLEN + sizeof(*e);

	*text = NULL;
	if (nlh->nlmsg_type != NLMSG_ERROR || len < off)
		return -EBADMSG;
	*err = e->error;
	if (e->error > 0 || e->error < -4095)
		return -EBADMSG;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	/* Without NLM_F_CAPPED the request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < MNL_NLMSG_HDRLEN ||
		    e->msg.nlmsg_len - MNL_NLMSG_HDRLEN > len - off)
			return -EBADMSG;
		off += e->msg.nlmsg_len - MNL_NLMSG_HDRLEN;
	}
	off = MNL_ALIGN(off);
	if (off >= len)
		return 0;

	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *why;
	if (parse_attrs((const char *)nlh + off, (int)(len - off), err_policy, NLMSGERR_ATTR_MAX,
			tb, &why))
		return -EBADMSG;
	if (tb[NLMSGERR_ATTR_MSG])
		*text = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	return 0;
}
