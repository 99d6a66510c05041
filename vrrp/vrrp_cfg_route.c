/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_cfg_route.c - route lines (virtual_routes, static_routes), "ip route"-like */
#include <linux/icmpv6.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "vrrp/vrrp_cfg_priv.h"

/*
 * A route line is a destination plus options in any order, as given to
 * "ip route add". Each option is a row of route_opts[]: its handler gets the
 * value word (when the row says it takes one). Unknown words are errors that
 * name the word; nothing is silently skipped.
 */

struct route_line {
	struct vrrp_words w;
	struct vrrp_route *r;
	bool is_static;
	bool lock;              /* "lock" preceded the value */
};

struct route_opt;
typedef int (*route_opt_fn)(struct route_line *l, const struct route_opt *o, const char *v);

#define RO_VALUE 0x01u /* takes a value word */
#define RO_LOCK  0x02u /* value may be preceded by "lock" */
#define RO_V6    0x04u /* IPv6 only */

struct route_opt {
	const char *name;
	route_opt_fn fn;
	unsigned flags;
	int arg;          /* RTAX_*, AF_*, or enum vrrp_route_op */
	uint32_t max;
};

static const struct cfg_enum route_types[] = {
	{ "unicast", RTN_UNICAST },   { "local", RTN_LOCAL },
	{ "broadcast", RTN_BROADCAST }, { "anycast", RTN_ANYCAST },
	{ "multicast", RTN_MULTICAST }, { "blackhole", RTN_BLACKHOLE },
	{ "unreachable", RTN_UNREACHABLE }, { "prohibit", RTN_PROHIBIT },
	{ "throw", RTN_THROW },       { "nat", RTN_NAT },
	{ "xresolve", RTN_XRESOLVE }, { NULL, 0 },
};

static const struct cfg_enum route_protos[] = {
	{ "unspec", RTPROT_UNSPEC }, { "redirect", RTPROT_REDIRECT },
	{ "kernel", RTPROT_KERNEL }, { "boot", RTPROT_BOOT },
	{ "static", RTPROT_STATIC }, { "gated", 8 }, { "ra", 9 }, { "mrt", 10 },
	{ "zebra", 11 }, { "bird", 12 }, { "dnrouted", 13 }, { "xorp", 14 },
	{ "ntk", 15 }, { "dhcp", 16 }, { "keepalived", 18 }, { "babel", 42 },
	{ "bgp", 186 }, { "isis", 187 }, { "ospf", 188 }, { "rip", 189 },
	{ "eigrp", 192 }, { NULL, 0 },
};

static const struct cfg_enum table_names[] = {
	{ "default", RT_TABLE_DEFAULT }, { "main", RT_TABLE_MAIN },
	{ "local", RT_TABLE_LOCAL }, { NULL, 0 },
};

static int enum_lookup(const struct cfg_enum *e, const char *s, int *out)
{
	for (; e->name; e++) {
		if (!strcmp(e->name, s)) {
			*out = e->value;
			return 0;
		}
	}
	return -1;
}

static int route_bad(struct route_line *l, const struct route_opt *o, const char *v)
{
	cfg_error(l->w.p, l->w.a, "route: invalid %s '%s'", o->name, v);
	return -1;
}

static int route_family(struct route_line *l, int fam)
{
	return vrrp_words_family(&l->w, &l->r->family, fam, "route");
}

/* Names that exist only in /etc/iproute2 files are kept as words and
 * looked up when the route is installed. */
int vrrp_cfg_parse_table(struct cfg_parser *p, const char *v, uint32_t *table, char **name)
{
	int t;
	if (enum_lookup(table_names, v, &t) == 0) {
		*table = (uint32_t)t;
		return 0;
	}
	if (vrrp_parse_u32(v, UINT32_MAX, table) == 0)
		return 0;
	if (v[0] >= '0' && v[0] <= '9')
		return -1;
	*name = arena_strdup(cfg_arena(p), v);
	return 0;
}

int vrrp_cfg_parse_proto(struct cfg_parser *p, const char *v, int *proto, char **name)
{
	uint32_t n;
	if (enum_lookup(route_protos, v, proto) == 0)
		return 0;
	if (vrrp_parse_u32(v, 255, &n) == 0) {
		*proto = (int)n;
		return 0;
	}
	if ((v[0] >= '0' && v[0] <= '9') || !name)
		return -1;
	*name = arena_strdup(cfg_arena(p), v);
	return 0;
}

/* ---- option handlers ------------------------------------------------------ */

static int ro_family(struct route_line *l, const struct route_opt *o, const char *v)
{
	return route_family(l, o->arg);
}

static int ro_addr(struct route_line *l, const struct route_opt *o, struct ka_addr *out,
		   const char *v)
{
	if (ka_addr_parse(v, false, out) < 0)
		return route_bad(l, o, v);
	return route_family(l, out->family);
}

static int ro_src(struct route_line *l, const struct route_opt *o, const char *v)
{
	return ro_addr(l, o, &l->r->src, v);
}

static int ro_from(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (vrrp_parse_prefix(v, &l->r->from) < 0)
		return route_bad(l, o, v);
	if (l->r->from.family == AF_UNSPEC)
		l->r->from.family = AF_INET6;
	if (l->r->from.family != AF_INET6) {
		cfg_error(l->w.p, l->w.a, "route: 'from %s' is only valid for IPv6", v);
		return -1;
	}
	return route_family(l, AF_INET6);
}

static int ro_via(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (o->name[0] == 'g')
		cfg_warning(l->w.p, l->w.a, "route: 'gw' is deprecated, use 'via'");
	if (!strcmp(v, "inet") || !strcmp(v, "inet6")) {
		if (route_family(l, v[4] ? AF_INET6 : AF_INET) < 0)
			return -1;
		if (!(v = vrrp_words_value(&l->w, o->name)))
			return -1;
	}
	return ro_addr(l, o, &l->r->via, v);
}

static int ro_dev(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (!vrrp_ifname_ok(v))
		return route_bad(l, o, v);
	char **dst = o->name[0] == 'v' ? &l->r->vrf : &l->r->dev;
	*dst = arena_strdup(cfg_arena(l->w.p), v);
	return 0;
}

static int ro_table(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (vrrp_cfg_parse_table(l->w.p, v, &l->r->table, &l->r->table_name) < 0)
		return route_bad(l, o, v);
	return 0;
}

static int ro_metric(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (vrrp_parse_u32(v, UINT32_MAX, &l->r->metric) < 0)
		return route_bad(l, o, v);
	l->r->has_metric = true;
	return 0;
}

static int ro_scope(struct route_line *l, const struct route_opt *o, const char *v)
{
	return vrrp_parse_scope(v, &l->r->scope) < 0 ? route_bad(l, o, v) : 0;
}

static int ro_proto(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (vrrp_cfg_parse_proto(l->w.p, v, &l->r->protocol, &l->r->protocol_name) < 0)
		return route_bad(l, o, v);
	return 0;
}

static int ro_tos(struct route_line *l, const struct route_opt *o, const char *v)
{
	uint32_t n;
	if (vrrp_parse_u32(v, 255, &n) < 0)
		return route_bad(l, o, v);
	l->r->tos = (int)n;
	return 0;
}

static int ro_realms(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (vrrp_parse_realms(v, &l->r->realms) < 0)
		return route_bad(l, o, v);
	return route_family(l, AF_INET);
}

static void set_metric(struct route_line *l, int rtax, uint32_t val)
{
	l->r->metrics[rtax] = val;
	l->r->metrics_set |= 1u << rtax;
	if (l->lock)
		l->r->metrics_lock |= 1u << rtax;
}

static int ro_u32_metric(struct route_line *l, const struct route_opt *o, const char *v)
{
	uint32_t n;
	if (vrrp_parse_u32(v, o->max, &n) < 0)
		return route_bad(l, o, v);
	set_metric(l, o->arg, n);
	return 0;
}

/* rtt, rttvar, rto_min: milliseconds, "s"/"ms" suffixes accepted. */
static int ro_time_metric(struct route_line *l, const struct route_opt *o, const char *v)
{
	static const struct { const char *sfx; uint32_t mul; } units[] = {
		{ "ms", 1 }, { "msec", 1 }, { "msecs", 1 },
		{ "s", 1000 }, { "sec", 1000 }, { "secs", 1000 },
	};
	char buf[32];
	size_t n = strspn(v, "0123456789");
	uint32_t mul = 1, val;
	if (n == 0 || n >= sizeof(buf))
		return route_bad(l, o, v);
	if (v[n]) {
		mul = 0;
		for (size_t k = 0; k < sizeof(units) / sizeof(units[0]); k++)
			if (!strcmp(v + n, units[k].sfx))
				mul = units[k].mul;
	}
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (!mul || vrrp_parse_u32(buf, UINT32_MAX / mul, &val) < 0)
		return route_bad(l, o, v);
	set_metric(l, o->arg, val * mul);
	return 0;
}

static int ro_features(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (strcmp(v, "ecn"))
		return route_bad(l, o, v);
	set_metric(l, RTAX_FEATURES, l->r->metrics[RTAX_FEATURES] | RTAX_FEATURE_ECN);
	return 0;
}

static int ro_congctl(struct route_line *l, const struct route_opt *o, const char *v)
{
	l->r->congctl = arena_strdup(cfg_arena(l->w.p), v);
	if (l->lock)
		l->r->metrics_lock |= 1u << RTAX_CC_ALGO;
	return 0;
}

static int ro_pref(struct route_line *l, const struct route_opt *o, const char *v)
{
	static const struct cfg_enum prefs[] = {
		{ "low", ICMPV6_ROUTER_PREF_LOW }, { "medium", ICMPV6_ROUTER_PREF_MEDIUM },
		{ "high", ICMPV6_ROUTER_PREF_HIGH }, { NULL, 0 },
	};
	uint32_t n;
	if (enum_lookup(prefs, v, &l->r->pref) == 0)
		return 0;
	if (vrrp_parse_u32(v, 255, &n) < 0)
		return route_bad(l, o, v);
	l->r->pref = (int)n;
	return 0;
}

static int ro_ttlprop(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (!strcmp(v, "enabled") || !strcmp(v, "disabled")) {
		l->r->ttl_propagate = v[0] == 'e';
		return 0;
	}
	return route_bad(l, o, v);
}

static int ro_expires(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (vrrp_parse_u32(v, UINT32_MAX, &l->r->expires) < 0 || !l->r->expires)
		return route_bad(l, o, v);
	return 0;
}

static int ro_flag(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (!strcmp(o->name, "onlink"))
		l->r->onlink = true;
	else if (!strcmp(o->name, "no_track"))
		l->r->no_track = true;
	else
		l->r->op = o->arg;
	return 0;
}

static int ro_track_group(struct route_line *l, const struct route_opt *o, const char *v)
{
	if (!l->is_static) {
		cfg_error(l->w.p, l->w.a, "route: 'track_group' is only allowed in static_routes");
		return -1;
	}
	l->r->track_group = arena_strdup(cfg_arena(l->w.p), v);
	return 0;
}

static int ro_as(struct route_line *l, const struct route_opt *o, const char *v)
{
	cfg_error(l->w.p, l->w.a, "route: 'as' (NAT/MPLS destination) is not supported");
	return -1;
}

/* Consume an encapsulation ("encap TYPE ...") and keep it as text: it is
 * recognised and checked for shape, but has no effect yet. */
static int parse_encap(struct route_line *l, const char *type, char **out)
{
	static const char *const keys[] = {
		"id", "dst", "src", "tos", "ttl", "hoplimit", "tc", "flags",
		"csum-mode", "ident-type", "hook-type", NULL,
	};
	char buf[256];
	size_t len = (size_t)snprintf(buf, sizeof(buf), "%s", type);

	if (strcmp(type, "mpls") && strcmp(type, "ip") && strcmp(type, "ip6") &&
	    strcmp(type, "ila")) {
		cfg_error(l->w.p, l->w.a, "route: unknown encap type '%s'", type);
		return -1;
	}
	/* mpls and ila start with one positional value (label stack, locator). */
	if (!strcmp(type, "mpls") || !strcmp(type, "ila")) {
		const char *v = vrrp_words_value(&l->w, "encap");
		if (!v)
			return -1;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %s", v);
	}
	for (const char *k; (k = vrrp_words_peek(&l->w)) && len < sizeof(buf);) {
		bool known = false;
		for (size_t i = 0; keys[i]; i++)
			known |= !strcmp(k, keys[i]);
		if (!known)
			break;
		l->w.i++;
		const char *v = vrrp_words_value(&l->w, k);
		if (!v)
			return -1;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, " %s %s", k, v);
	}
	*out = arena_strdup(cfg_arena(l->w.p), buf);
	return 0;
}

static int ro_encap(struct route_line *l, const struct route_opt *o, const char *v)
{
	return parse_encap(l, v, &l->r->encap);
}

/* Old multipath form "via A or B": both become nexthops. */
static int ro_or(struct route_line *l, const struct route_opt *o, const char *v)
{
	struct vrrp_nexthop *nh;

	cfg_warning(l->w.p, l->w.a, "route: 'or' is deprecated, use 'nexthop'");
	if (l->r->nexthops.n) {
		cfg_error(l->w.p, l->w.a, "route: only one 'or' is allowed");
		return -1;
	}
	if (!l->r->via.family) {
		cfg_error(l->w.p, l->w.a, "route: 'or' needs a 'via' before it");
		return -1;
	}
	nh = VRRP_CFG_NEW(l->w.p, struct vrrp_nexthop, &l->r->nexthops);
	nh->via = l->r->via;
	l->r->via = (struct ka_addr){ .family = AF_UNSPEC };
	nh = VRRP_CFG_NEW(l->w.p, struct vrrp_nexthop, &l->r->nexthops);
	return ro_addr(l, o, &nh->via, v);
}

static const struct route_opt route_opts[] = {
	{ "inet", ro_family, 0, AF_INET, 0 },
	{ "inet6", ro_family, 0, AF_INET6, 0 },
	{ "-4", ro_family, 0, AF_INET, 0 },
	{ "-6", ro_family, 0, AF_INET6, 0 },
	{ "src", ro_src, RO_VALUE, 0, 0 },
	{ "from", ro_from, RO_VALUE, 0, 0 },
	{ "via", ro_via, RO_VALUE, 0, 0 },
	{ "gw", ro_via, RO_VALUE, 0, 0 },
	{ "or", ro_or, RO_VALUE, 0, 0 },
	{ "dev", ro_dev, RO_VALUE, 0, 0 },
	{ "oif", ro_dev, RO_VALUE, 0, 0 },
	{ "vrf", ro_dev, RO_VALUE, 0, 0 },
	{ "table", ro_table, RO_VALUE, 0, 0 },
	{ "metric", ro_metric, RO_VALUE, 0, 0 },
	{ "priority", ro_metric, RO_VALUE, 0, 0 },
	{ "preference", ro_metric, RO_VALUE, 0, 0 },
	{ "scope", ro_scope, RO_VALUE, 0, 0 },
	{ "protocol", ro_proto, RO_VALUE, 0, 0 },
	{ "proto", ro_proto, RO_VALUE, 0, 0 },
	{ "tos", ro_tos, RO_VALUE, 0, 0 },
	{ "dsfield", ro_tos, RO_VALUE, 0, 0 },
	{ "realms", ro_realms, RO_VALUE, 0, 0 },
	{ "mtu", ro_u32_metric, RO_VALUE | RO_LOCK, RTAX_MTU, UINT32_MAX },
	{ "advmss", ro_u32_metric, RO_VALUE | RO_LOCK, RTAX_ADVMSS, UINT32_MAX },
	{ "window", ro_u32_metric, RO_VALUE | RO_LOCK, RTAX_WINDOW, UINT32_MAX },
	{ "cwnd", ro_u32_metric, RO_VALUE | RO_LOCK, RTAX_CWND, UINT32_MAX },
	{ "ssthresh", ro_u32_metric, RO_VALUE | RO_LOCK, RTAX_SSTHRESH, UINT32_MAX },
	{ "reordering", ro_u32_metric, RO_VALUE | RO_LOCK, RTAX_REORDERING, UINT32_MAX },
	{ "hoplimit", ro_u32_metric, RO_VALUE | RO_LOCK, RTAX_HOPLIMIT, 255 },
	{ "initcwnd", ro_u32_metric, RO_VALUE | RO_LOCK, RTAX_INITCWND, UINT32_MAX },
	{ "initrwnd", ro_u32_metric, RO_VALUE | RO_LOCK, RTAX_INITRWND, UINT32_MAX },
	{ "quickack", ro_u32_metric, RO_VALUE, RTAX_QUICKACK, 1 },
	{ "fastopen_no_cookie", ro_u32_metric, RO_VALUE, RTAX_FASTOPEN_NO_COOKIE, 1 },
	{ "rtt", ro_time_metric, RO_VALUE | RO_LOCK, RTAX_RTT, 0 },
	{ "rttvar", ro_time_metric, RO_VALUE | RO_LOCK, RTAX_RTTVAR, 0 },
	{ "rto_min", ro_time_metric, RO_VALUE | RO_LOCK, RTAX_RTO_MIN, 0 },
	{ "features", ro_features, RO_VALUE, 0, 0 },
	{ "congctl", ro_congctl, RO_VALUE | RO_LOCK, 0, 0 },
	{ "pref", ro_pref, RO_VALUE | RO_V6, 0, 0 },
	{ "ttl-propagate", ro_ttlprop, RO_VALUE, 0, 0 },
	{ "expires", ro_expires, RO_VALUE | RO_V6, 0, 0 },
	{ "onlink", ro_flag, 0, 0, 0 },
	{ "no_track", ro_flag, 0, 0, 0 },
	{ "add", ro_flag, 0, VRRP_ROUTE_ADD, 0 },
	{ "append", ro_flag, 0, VRRP_ROUTE_APPEND, 0 },
	{ "prepend", ro_flag, 0, VRRP_ROUTE_PREPEND, 0 },
	{ "track_group", ro_track_group, RO_VALUE, 0, 0 },
	{ "encap", ro_encap, RO_VALUE, 0, 0 },
	{ "as", ro_as, 0, 0, 0 },
};

static const struct route_opt *route_opt_find(const char *w)
{
	for (size_t k = 0; k < sizeof(route_opts) / sizeof(route_opts[0]); k++)
		if (!strcmp(w, route_opts[k].name))
			return &route_opts[k];
	return NULL;
}

static int route_apply(struct route_line *l, const struct route_opt *o)
{
	const char *v = NULL;

	l->lock = false;
	if ((o->flags & RO_LOCK) && (v = vrrp_words_peek(&l->w)) && !strcmp(v, "lock")) {
		l->w.i++;
		l->lock = true;
	}
	v = NULL;
	if ((o->flags & RO_VALUE) && !(v = vrrp_words_value(&l->w, o->name)))
		return -1;
	if ((o->flags & RO_V6) && l->r->family == AF_INET) {
		cfg_error(l->w.p, l->w.a, "route: '%s' is only valid for IPv6", o->name);
		return -1;
	}
	if ((o->flags & RO_V6) && route_family(l, AF_INET6) < 0)
		return -1;
	return o->fn(l, o, v);
}

/* [to] [TYPE] PREFIX */
static int route_dest(struct route_line *l, const char *word)
{
	struct vrrp_route *r = l->r;

	if (!strcmp(word, "to") && !(word = vrrp_words_value(&l->w, "to")))
		return -1;
	if (enum_lookup(route_types, word, &r->type) == 0 &&
	    !(word = vrrp_words_value(&l->w, word)))
		return -1;
	if (r->dst.has_prefix || r->dst.family) {
		cfg_error(l->w.p, l->w.a, "route: unknown route option '%s'", word);
		return -1;
	}
	if (!strcmp(word, "default6")) {
		cfg_warning(l->w.p, l->w.a, "route: 'default6' is deprecated, use 'inet6 default'");
		r->dst = (struct ka_addr){ .family = AF_INET6, .has_prefix = true };
		return route_family(l, AF_INET6);
	}
	if (vrrp_parse_prefix(word, &r->dst) < 0) {
		bool addr_like = strspn(word, "0123456789abcdefABCDEF:./") == strlen(word);
		cfg_error(l->w.p, l->w.a, addr_like ? "route: invalid destination '%s'" :
			  "route: unknown route option '%s'", word);
		return -1;
	}
	r->dst.has_prefix = true; /* a bare address is a host route */
	return route_family(l, r->dst.family);
}

static int nexthop_opt(struct route_line *l, struct vrrp_nexthop *nh, const char *o)
{
	static const struct route_opt nh_opt = { "nexthop", NULL, 0, 0, 0 };
	static const char *const valued[] = { "via", "dev", "weight", "realms", "encap", NULL };
	const char *v = NULL;
	uint32_t n;

	if (!strcmp(o, "onlink")) {
		nh->onlink = true;
		return 0;
	}
	for (size_t k = 0; valued[k] && !v; k++)
		if (!strcmp(o, valued[k]) && !(v = vrrp_words_value(&l->w, o)))
			return -1;
	if (!v) {
		cfg_error(l->w.p, l->w.a, "route: unknown nexthop option '%s'", o);
		return -1;
	}
	if (!strcmp(o, "via")) {
		bool fam = !strcmp(v, "inet") || !strcmp(v, "inet6");
		if (fam && !(v = vrrp_words_value(&l->w, o)))
			return -1;
		return ro_addr(l, &nh_opt, &nh->via, v);
	}
	if (!strcmp(o, "encap"))
		return parse_encap(l, v, &nh->encap);
	if (!strcmp(o, "dev") && vrrp_ifname_ok(v)) {
		nh->dev = arena_strdup(cfg_arena(l->w.p), v);
		return 0;
	}
	if (!strcmp(o, "weight") && vrrp_parse_u32(v, 256, &n) == 0 && n) {
		nh->weight = n;
		return 0;
	}
	if (!strcmp(o, "realms") && vrrp_parse_realms(v, &nh->realms) == 0)
		return route_family(l, AF_INET);
	cfg_error(l->w.p, l->w.a, "route: invalid nexthop %s '%s'", o, v);
	return -1;
}

/* nexthop ... [nexthop ...]: always the end of the line. */
static int route_nexthops(struct route_line *l)
{
	struct vrrp_nexthop *nh = NULL;

	if (l->r->nexthops.n) {
		cfg_error(l->w.p, l->w.a, "route: 'nexthop' cannot be combined with 'or'");
		return -1;
	}
	for (const char *word; (word = vrrp_words_peek(&l->w));) {
		l->w.i++;
		if (!strcmp(word, "nexthop")) {
			nh = VRRP_CFG_NEW(l->w.p, struct vrrp_nexthop, &l->r->nexthops);
			continue;
		}
		if (nexthop_opt(l, nh, word) < 0)
			return -1;
	}
	return 0;
}

static int route_check(struct route_line *l)
{
	struct vrrp_route *r = l->r;

	if (!r->dst.has_prefix) {
		cfg_error(l->w.p, l->w.a, "route has no destination");
		return -1;
	}
	if (r->family == AF_UNSPEC)
		r->family = AF_INET;
	if (r->dst.family == AF_UNSPEC)
		r->dst.family = (sa_family_t)r->family;
	if (r->track_group && !r->dev) {
		cfg_error(l->w.p, l->w.a, "route: 'track_group' needs 'dev'");
		return -1;
	}
	return 0;
}

static int route_line(struct cfg_parser *p, struct cfg_list *list, const struct cfg_args *a,
		      bool is_static)
{
	struct vrrp_route *r = arena_alloc(cfg_arena(p), sizeof(*r));
	struct route_line l = { .w = { p, a, 0 }, .r = r, .is_static = is_static };

	r->loc = vrrp_cfg_loc_of(a);
	r->type = RTN_UNICAST;
	r->table = RT_TABLE_MAIN;
	r->scope = r->protocol = r->tos = r->pref = r->ttl_propagate = -1;
	while (l.w.i < a->argc) {
		const char *word = a->argv[l.w.i++];
		const struct route_opt *o = route_opt_find(word);
		int rc;
		if (o)
			rc = route_apply(&l, o);
		else if (!strcmp(word, "nexthop")) {
			l.w.i--;
			rc = route_nexthops(&l);
		} else
			rc = route_dest(&l, word);
		if (rc < 0)
			return -1;
	}
	if (route_check(&l) < 0)
		return -1;
	cfg_list_append(list, &r->node);
	return 0;
}

int vrrp_cfg_vroute_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	return route_line(p, list, a, false);
}

int vrrp_cfg_sroute_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	return route_line(p, list, a, true);
}
