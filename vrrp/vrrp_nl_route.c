/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nl_route.c - add/delete one route line (virtual_routes, static_routes) */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>

#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_nl_priv.h"

/*
 * The route is a libnl rtnl_route; what libnl-route-3 cannot express
 * (metrics with locks and a congestion control name, IPv6 router
 * preference and expiry) is appended to the message it builds. Only
 * attributes that identify the route are sent with a delete.
 */

#define RTPROT_KA 18 /* RTPROT_KEEPALIVED: what keepalived marks its routes with */

static const char *const type_names[] = {
	[RTN_UNICAST] = "unicast", [RTN_LOCAL] = "local", [RTN_BROADCAST] = "broadcast",
	[RTN_ANYCAST] = "anycast", [RTN_MULTICAST] = "multicast",
	[RTN_BLACKHOLE] = "blackhole", [RTN_UNREACHABLE] = "unreachable",
	[RTN_PROHIBIT] = "prohibit", [RTN_THROW] = "throw", [RTN_NAT] = "nat",
	[RTN_XRESOLVE] = "xresolve",
};

static size_t text_nexthops(const struct vrrp_route *r, char *buf, size_t len)
{
	char a[KA_ADDR_STRLEN];
	size_t n = 0;

	cfg_list_for_each(const struct vrrp_nexthop, nh, &r->nexthops) {
		if (n >= len)
			break;
		n += (size_t)snprintf(buf + n, len - n, " nexthop%s%s%s%s", nh->via.family ?
				      " via " : "", nh->via.family ? ka_addr_str(&nh->via, a) : "",
				      nh->dev ? " dev " : "", nh->dev ? nh->dev : "");
		if (nh->weight && n < len)
			n += (size_t)snprintf(buf + n, len - n, " weight %u", nh->weight);
	}
	return n;
}

void vrrp_nl_route_text(const struct vrrp_route *r, char *buf, size_t len)
{
	char d[KA_ADDR_STRLEN], v[KA_ADDR_STRLEN], t[24];
	struct ka_addr dst = r->dst;
	bool typed = r->type > 0 && r->type < (int)ARRAY_SIZE(type_names) &&
		     type_names[r->type] && r->type != RTN_UNICAST;
	size_t n;

	dst.has_prefix = true;
	snprintf(t, sizeof(t), "%u", r->table);
	n = (size_t)snprintf(buf, len, "%s%s%s%s%s%s%s", typed ? type_names[r->type] : "",
			     typed ? " " : "",
			     dst.prefix && dst.family ? ka_addr_str(&dst, d) : "default",
			     r->via.family ? " via " : "",
			     r->via.family ? ka_addr_str(&r->via, v) : "",
			     r->dev ? " dev " : "", r->dev ? r->dev : "");
	if (n < len && r->vrf)
		n += (size_t)snprintf(buf + n, len - n, " vrf %s", r->vrf);
	else if (n < len && (r->table != RT_TABLE_MAIN || r->table_name))
		n += (size_t)snprintf(buf + n, len - n, " table %s",
				      r->table_name ? r->table_name : t);
	if (n < len && r->has_metric)
		n += (size_t)snprintf(buf + n, len - n, " metric %u", r->metric);
	if (n < len)
		text_nexthops(r, buf + n, len - n);
}

/* keepalived installs routes with global scope unless told otherwise (so
 * "10.1.0.0/16 dev eth0" is not "scope link" as with ip route); types the
 * kernel refuses at global scope get the widest scope they allow. */
static int default_scope(const struct vrrp_route *r)
{
	switch (r->type) {
	case RTN_LOCAL:
	case RTN_NAT:
		return RT_SCOPE_HOST;
	case RTN_BROADCAST:
	case RTN_ANYCAST:
		return RT_SCOPE_LINK;
	default:
		return RT_SCOPE_UNIVERSE;
	}
}

/* Build state of one route; why names the missing piece on failure. */
struct rt_build {
	struct vrrp_nl *nl;
	const struct vrrp_route *r;
	bool add;
	bool gone;            /* a device is missing: nothing to delete */
	char why[96];
};

static int nh_fill(struct rt_build *b, struct rtnl_nexthop *nh, const struct ka_addr *via,
		   const char *dev, bool onlink, uint32_t realms)
{
	if (via->family) {
		struct nl_addr *a = vrrp_nl_addr_new(via, -1);
		if (!a)
			return -ENOMEM;
		rtnl_route_nh_set_gateway(nh, a);
		nl_addr_put(a);
	}
	if (dev) {
		int idx = vrrp_nl_ifindex(b->nl, dev);
		if (idx <= 0) {
			snprintf(b->why, sizeof(b->why), "no interface %s", dev);
			b->gone = true;
			return -ENODEV;
		}
		rtnl_route_nh_set_ifindex(nh, idx);
	}
	if (onlink)
		rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
	if (realms)
		rtnl_route_nh_set_realms(nh, realms);
	return 0;
}

static int add_nh(struct rt_build *b, struct rtnl_route *rt, const struct ka_addr *via,
		  const char *dev, bool onlink, uint32_t realms, unsigned weight)
{
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	int rc;

	if (!nh)
		return -ENOMEM;
	rc = nh_fill(b, nh, via, dev, onlink, realms);
	if (rc < 0) {
		rtnl_route_nh_free(nh);
		return rc;
	}
	/* The kernel's weight is rtnh_hops + 1; libnl passes hops through. */
	if (weight)
		rtnl_route_nh_set_weight(nh, (uint8_t)(weight - 1));
	rtnl_route_add_nexthop(rt, nh);
	return 0;
}

static int build_nexthops(struct rt_build *b, struct rtnl_route *rt)
{
	const struct vrrp_route *r = b->r;
	int rc = 0;

	if (!r->nexthops.n) {
		if (r->via.family || r->dev || r->realms)
			rc = add_nh(b, rt, &r->via, r->dev, r->onlink, r->realms, 0);
		return rc;
	}
	cfg_list_for_each(const struct vrrp_nexthop, nh, &r->nexthops) {
		rc = add_nh(b, rt, &nh->via, nh->dev, nh->onlink || r->onlink, nh->realms,
			    nh->weight);
		if (rc < 0)
			break;
	}
	return rc;
}

static int set_addr(struct rtnl_route *rt, const struct ka_addr *a, bool prefix,
		    int (*set)(struct rtnl_route *, struct nl_addr *))
{
	struct nl_addr *na = vrrp_nl_addr_new(a, prefix ? a->prefix : -1);
	int rc = na ? set(rt, na) : -NLE_NOMEM;

	nl_addr_put(na);
	return rc < 0 ? -vrrp_nl_errno(rc) : 0;
}

static int resolve_ids(struct rt_build *b, uint32_t *table, int *proto)
{
	const struct vrrp_route *r = b->r;
	uint32_t id;

	*table = r->table;
	/* as with "ip route ... vrf NAME": the table of that VRF */
	if (r->vrf) {
		int rc = vrrp_nl_vrf_table(b->nl, r->vrf, table);

		if (rc < 0) {
			snprintf(b->why, sizeof(b->why), "%s %s", r->vrf,
				 rc == -ENODEV ? "does not exist" : "is not a VRF");
			b->gone = rc == -ENODEV;
			return rc;
		}
	} else if (r->table_name && vrrp_nl_table_id(r->table_name, table) < 0) {
		snprintf(b->why, sizeof(b->why), "unknown table name '%s' (not in rt_tables)",
			 r->table_name);
		return -ENOENT;
	}
	*proto = r->protocol >= 0 ? r->protocol : RTPROT_KA;
	if (r->protocol < 0 && r->protocol_name) {
		if (vrrp_nl_proto_id(r->protocol_name, &id) < 0) {
			snprintf(b->why, sizeof(b->why),
				 "unknown protocol name '%s' (not in rt_protos)", r->protocol_name);
			return -ENOENT;
		}
		*proto = (int)id;
	}
	return 0;
}

/* The header fields and addresses of the route. */
static int build_head(struct rt_build *b, struct rtnl_route *rt)
{
	const struct vrrp_route *r = b->r;
	uint32_t table;
	int proto, rc = resolve_ids(b, &table, &proto);

	if (rc < 0)
		return rc;
	rtnl_route_set_family(rt, (uint8_t)r->family);
	rtnl_route_set_type(rt, (uint8_t)r->type);
	rtnl_route_set_table(rt, table);
	rtnl_route_set_protocol(rt, (uint8_t)proto);
	/* A delete without a written scope matches any scope. */
	rtnl_route_set_scope(rt, (uint8_t)(r->scope >= 0 ? r->scope : b->add ?
					   default_scope(r) : RT_SCOPE_NOWHERE));
	if (r->has_metric)
		rtnl_route_set_priority(rt, r->metric);
	if (r->tos >= 0)
		rtnl_route_set_tos(rt, (uint8_t)r->tos);
	if (r->onlink)
		rtnl_route_set_flags(rt, RTNH_F_ONLINK);
	if (r->ttl_propagate >= 0)
		rtnl_route_set_ttl_propagate(rt, (uint8_t)r->ttl_propagate);
	rc = set_addr(rt, &r->dst, true, rtnl_route_set_dst);
	if (rc == 0 && r->src.family)
		rc = set_addr(rt, &r->src, false, rtnl_route_set_pref_src);
	if (rc == 0 && r->from.family)
		rc = set_addr(rt, &r->from, true, rtnl_route_set_src);
	return rc;
}

/* The kernel keeps rtt in 1/8 ms and rttvar in 1/4 ms; lines give ms. */
static uint32_t metric_value(const struct vrrp_route *r, int i)
{
	uint64_t v = r->metrics[i];

	if (i == RTAX_RTT)
		v *= 8;
	else if (i == RTAX_RTTVAR)
		v *= 4;
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* RTA_METRICS (with RTAX_LOCK and RTAX_CC_ALGO), RTA_PREF, RTA_EXPIRES. */
static int put_extras(const struct vrrp_route *r, struct nl_msg *msg)
{
	int rc = 0;

	if (r->metrics_set || r->congctl) {
		struct nlattr *nest = nla_nest_start(msg, RTA_METRICS);
		if (!nest)
			return -ENOMEM;
		for (int i = 0; i < VRRP_RT_METRICS && rc == 0; i++)
			if (i != RTAX_LOCK && (r->metrics_set & (1u << i)))
				rc = nla_put_u32(msg, i, metric_value(r, i));
		if (rc == 0 && r->congctl)
			rc = nla_put_string(msg, RTAX_CC_ALGO, r->congctl);
		if (rc == 0 && r->metrics_lock)
			rc = nla_put_u32(msg, RTAX_LOCK, r->metrics_lock);
		if (rc == 0)
			rc = nla_nest_end(msg, nest);
	}
	if (rc == 0 && r->pref >= 0 && r->family == AF_INET6)
		rc = nla_put_u8(msg, RTA_PREF, (uint8_t)r->pref);
	if (rc == 0 && r->expires && r->family == AF_INET6)
		rc = nla_put_u32(msg, RTA_EXPIRES, r->expires);
	return rc < 0 ? -vrrp_nl_errno(rc) : 0;
}

static int nl_flags(const struct vrrp_route *r)
{
	switch (r->op) {
	case VRRP_ROUTE_ADD:
		return NLM_F_CREATE | NLM_F_EXCL;
	case VRRP_ROUTE_APPEND:
		return NLM_F_CREATE | NLM_F_APPEND;
	default: /* prepend, keepalived's default: no EXCL */
		return NLM_F_CREATE;
	}
}

static int route_msg(struct rt_build *b, struct nl_msg **msg)
{
	struct rtnl_route *rt = rtnl_route_alloc();
	int rc = rt ? build_head(b, rt) : -ENOMEM;

	if (rc == 0)
		rc = build_nexthops(b, rt);
	if (rc == 0) {
		rc = b->add ? rtnl_route_build_add_request(rt, nl_flags(b->r), msg) :
			      rtnl_route_build_del_request(rt, 0, msg);
		rc = rc < 0 ? -vrrp_nl_errno(rc) : 0;
	}
	if (rc == 0 && b->add) {
		rc = put_extras(b->r, *msg);
		if (rc < 0)
			nlmsg_free(*msg);
	}
	if (rt)
		rtnl_route_put(rt);
	return rc;
}

int vrrp_nl_route(struct vrrp_nl *nl, const struct vrrp_route *r, bool add, char *err,
		  size_t errlen)
{
	struct rt_build b = { .nl = nl, .r = r, .add = add };
	char text[256], what[300];
	struct nl_msg *msg = NULL;
	int rc;

	vrrp_nl_route_text(r, text, sizeof(text));
	snprintf(what, sizeof(what), "%s route %s", add ? "add" : "delete", text);
	rc = route_msg(&b, &msg);
	if (rc < 0) {
		/* A route through a vanished interface went with it; one in a
		 * table that has no number could not have been added. */
		if (!add && (b.gone || rc == -ENOENT))
			return 0;
		if (b.why[0] && err && errlen) {
			snprintf(err, errlen, "%s: %s", what, b.why);
			return rc;
		}
		return vrrp_nl_fail(NULL, err, errlen, what, -rc);
	}
	rc = vrrp_nl_talk(nl, msg);
	if (rc < 0 && !vrrp_nl_benign(VRRP_NL_ROUTE, add, -rc))
		return vrrp_nl_fail(nl, err, errlen, what, -rc);
	return 0;
}
