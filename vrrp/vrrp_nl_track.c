/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nl_track.c - deletions of our routes and rules seen by the monitor, matched to config */
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include <netlink/attr.h>

#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_nl_priv.h"

/*
 * Route and rule notifications can be many (a router with a full table),
 * so they are not turned into libnl objects: the header is looked at
 * first and only deletions of objects marked "proto keepalived" are read.
 */

#define RTPROT_KA 18 /* RTPROT_KEEPALIVED */

static void key_addr(struct ka_addr *out, int family, unsigned plen, struct nlattr *a)
{
	size_t len = family == AF_INET ? 4 : 16;

	*out = (struct ka_addr){ .family = (sa_family_t)family, .prefix = (uint8_t)plen,
				 .has_prefix = true };
	if (a && (size_t)nla_len(a) >= len)
		memcpy(&out->u, nla_data(a), len);
}

int vrrp_nl_route_key_of(struct nlmsghdr *h, struct vrrp_nl_route_key *k)
{
	const struct rtmsg *rtm = NLMSG_DATA(h);
	struct nlattr *tb[RTA_MAX + 1];

	if (h->nlmsg_type != RTM_DELROUTE || h->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)) ||
	    rtm->rtm_protocol != RTPROT_KA || (rtm->rtm_flags & RTM_F_CLONED) ||
	    (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) ||
	    nlmsg_parse(h, sizeof(*rtm), tb, RTA_MAX, NULL) < 0)
		return -1;
	memset(k, 0, sizeof(*k));
	k->family = rtm->rtm_family;
	k->type = rtm->rtm_type;
	k->tos = rtm->rtm_tos;
	k->table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	k->metric = tb[RTA_PRIORITY] ? nla_get_u32(tb[RTA_PRIORITY]) : 0;
	key_addr(&k->dst, k->family, rtm->rtm_dst_len, tb[RTA_DST]);
	return 0;
}

int vrrp_nl_rule_key_of(struct nlmsghdr *h, struct vrrp_nl_rule_key *k)
{
	const struct fib_rule_hdr *frh = NLMSG_DATA(h);
	struct nlattr *tb[FRA_MAX + 1];

	if (h->nlmsg_type != RTM_DELRULE || h->nlmsg_len < NLMSG_LENGTH(sizeof(*frh)) ||
	    (frh->family != AF_INET && frh->family != AF_INET6) ||
	    nlmsg_parse(h, sizeof(*frh), tb, FRA_MAX, NULL) < 0 || !tb[FRA_PROTOCOL] ||
	    nla_get_u8(tb[FRA_PROTOCOL]) != RTPROT_KA)
		return -1;
	memset(k, 0, sizeof(*k));
	k->family = frh->family;
	k->action = frh->action;
	k->table = tb[FRA_TABLE] ? nla_get_u32(tb[FRA_TABLE]) : frh->table;
	k->priority = tb[FRA_PRIORITY] ? nla_get_u32(tb[FRA_PRIORITY]) : 0;
	if (frh->src_len)
		key_addr(&k->from, k->family, frh->src_len, tb[FRA_SRC]);
	if (frh->dst_len)
		key_addr(&k->to, k->family, frh->dst_len, tb[FRA_DST]);
	return 0;
}

void vrrp_nl_mon_track(struct vrrp_nl *nl, struct nlmsghdr *h)
{
	struct vrrp_nl_route_key rk;
	struct vrrp_nl_rule_key uk;

	if (nl->cbs.route_deleted && vrrp_nl_route_key_of(h, &rk) == 0)
		nl->cbs.route_deleted(&rk, nl->arg);
	else if (nl->cbs.rule_deleted && vrrp_nl_rule_key_of(h, &uk) == 0)
		nl->cbs.rule_deleted(&uk, nl->arg);
}

/* ---- matching against configuration lines ---------------------------------------- */

/* Same prefix: length and the first plen bits (the kernel keeps a route's
 * destination masked, a line may not be). */
static bool same_prefix(const struct ka_addr *a, const struct ka_addr *b)
{
	const uint8_t *x = (const uint8_t *)&a->u, *y = (const uint8_t *)&b->u;
	unsigned plen = a->prefix, full = plen / 8, rest = plen % 8;

	if (a->family != b->family || a->prefix != b->prefix)
		return false;
	if (memcmp(x, y, full))
		return false;
	return !rest || ((x[full] ^ y[full]) & (0xff00u >> rest) & 0xff) == 0;
}

bool vrrp_nl_route_match(const struct vrrp_route *r, const struct vrrp_nl_route_key *k)
{
	uint32_t table = r->table;
	/* the kernel's default IPv6 metric */
	uint32_t metric = r->has_metric ? r->metric : r->family == AF_INET6 ? 1024 : 0;
	struct ka_addr dst = r->dst;

	if (r->table_name && vrrp_nl_table_id(r->table_name, &table) < 0)
		return false;
	dst.family = (sa_family_t)r->family;
	/* a VRF's table number is the kernel's to tell: any table matches */
	if (r->vrf)
		table = k->table;
	return r->family == k->family && r->type == k->type && table == k->table &&
	       metric == k->metric && (r->tos >= 0 ? r->tos : 0) == k->tos &&
	       same_prefix(&dst, &k->dst);
}

static bool same_selector(const struct ka_addr *line, const struct ka_addr *key)
{
	if (line->family == AF_UNSPEC || (line->has_prefix && line->prefix == 0))
		return key->family == AF_UNSPEC;
	return same_prefix(line, key);
}

bool vrrp_nl_rule_match(const struct vrrp_rule *r, const struct vrrp_nl_rule_key *k)
{
	uint32_t table = r->table;

	if (r->action == FR_ACT_TO_TBL && r->table_name &&
	    vrrp_nl_table_id(r->table_name, &table) < 0)
		return false;
	if (r->action != FR_ACT_TO_TBL || r->l3mdev)
		table = 0;
	return r->family == k->family && r->action == k->action && table == k->table &&
	       (!(r->set & VRRP_RULE_PRIORITY) || r->priority == k->priority) &&
	       same_selector(&r->from, &k->from) && same_selector(&r->to, &k->to);
}
