/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_cfg.c - LVS configuration: top-level keywords, virtual server groups, cross-checks */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_cfg_int.h"
#include "ipvs-glue/ipvs_names.h"

/* A group range is expanded into one IPVS service per address. */
#define VSG_RANGE_MAX 65536

/* ---- helpers shared by the check_cfg*.c files ------------------------- */

int check_need_args(struct cfg_parser *p, const struct cfg_args *a, unsigned lo, unsigned hi)
{
	if (a->argc - 1 < lo) {
		cfg_error(p, a, "'%s': missing argument", a->argv[0]);
		return -1;
	}
	if (a->argc - 1 > hi) {
		cfg_error(p, a, "'%s': unexpected argument '%s'", a->argv[0], a->argv[hi + 1]);
		return -1;
	}
	return 0;
}

int check_get_tri(struct cfg_parser *p, const struct cfg_args *a, enum global_tristate *t)
{
	bool on = true;
	if (check_need_args(p, a, 0, 1) < 0 ||
	    (a->argc > 1 && cfg_get_bool(p, a, a->argv[1], &on) < 0))
		return -1;
	*t = on ? GLOBAL_ON : GLOBAL_OFF;
	return 0;
}

int check_get_port(struct cfg_parser *p, const struct cfg_args *a, const char *s, uint16_t *out)
{
	if (ka_port_parse(s, out) < 0) {
		cfg_error(p, a, "'%s': invalid port '%s' (0..65535)", a->argv[0], s);
		return -1;
	}
	return 0;
}

int check_get_addr(struct cfg_parser *p, const struct cfg_args *a, const char *s,
		   struct ka_addr *out)
{
	if (ka_addr_parse(s, false, out) < 0) {
		cfg_error(p, a, "'%s': invalid address '%s'", a->argv[0], s);
		return -1;
	}
	return 0;
}

const char *check_vs_str(const struct check_vs *vs, char *buf, size_t len)
{
	char ab[KA_ADDR_STRLEN];
	if (vs->kind == CHECK_VS_FWMARK)
		snprintf(buf, len, "fwmark %u", vs->fwmark);
	else if (vs->kind == CHECK_VS_GROUP)
		snprintf(buf, len, "group %s", vs->group_name);
	else if (vs->addr.family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ka_addr_str(&vs->addr, ab), vs->port);
	else
		snprintf(buf, len, "%s:%u", ka_addr_str(&vs->addr, ab), vs->port);
	return buf;
}

const char *check_rs_str(const struct check_rs *rs, char *buf, size_t len)
{
	char ab[KA_ADDR_STRLEN];
	ka_addr_str(&rs->addr, ab);
	snprintf(buf, len, rs->addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u", ab, rs->port);
	return buf;
}

/* ---- SSL { } ------------------------------------------------------------- */

static void *ssl_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_cfg *c = obj;
	if (a->argc > 1)
		cfg_error(p, a, "'SSL': unexpected argument '%s'", a->argv[1]);
	c->ssl.set = true;
	return &c->ssl;
}

#define SSL_STR(n, f) { .name = n, .type = CFG_STR, .off = offsetof(struct check_ssl, f) }
static const struct cfg_keyword ssl_kw[] = {
	SSL_STR("password", password),
	SSL_STR("ca", ca),
	SSL_STR("certificate", certificate),
	SSL_STR("key", key),
	CFG_END,
};

static const struct cfg_block ssl_block = { .name = "SSL", .kw = ssl_kw, .open = ssl_open };

/* ---- virtual_server_group NAME { ... } ----------------------------------- */

static void *vsg_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_cfg *c = obj;
	if (check_need_args(p, a, 1, 1) < 0)
		return NULL;
	struct check_vsg *g = arena_alloc(cfg_arena(p), sizeof(*g));
	g->file = a->file;
	g->line = a->line;
	g->name = arena_strdup(cfg_arena(p), a->argv[1]);
	cfg_list_append(&c->groups, &g->node);
	return g;
}

/* Number of addresses from f to l (both included), or 0 if l < f or the
 * range is larger than VSG_RANGE_MAX. */
static unsigned long range_size(const struct ka_addr *f, const struct ka_addr *l)
{
	const uint8_t *x = f->family == AF_INET ? (const uint8_t *)&f->u.v4 : f->u.v6.s6_addr;
	const uint8_t *y = l->family == AF_INET ? (const uint8_t *)&l->u.v4 : l->u.v6.s6_addr;
	size_t n = f->family == AF_INET ? 4 : 16;
	/* Everything above the last three bytes must agree. */
	if (memcmp(x, y, n - 3))
		return 0;
	unsigned long a = 0, b = 0;
	for (size_t i = n - 3; i < n; i++) {
		a = a << 8 | x[i];
		b = b << 8 | y[i];
	}
	return b < a || b - a >= VSG_RANGE_MAX ? 0 : b - a + 1;
}

/* "a.b.c.d-e", "a.b.c.d-w.x.y.z", "2001:db8::1-ff", "2001:db8::1-2001:db8::ff" */
static int parse_range(struct cfg_parser *p, const struct cfg_args *a, const char *s,
		       struct check_vsg_entry *e)
{
	const char *dash = strchr(s, '-');
	char first[INET6_ADDRSTRLEN + 1];
	if ((size_t)(dash - s) >= sizeof(first))
		goto bad;
	memcpy(first, s, (size_t)(dash - s));
	first[dash - s] = '\0';
	if (ka_addr_parse(first, false, &e->first) < 0)
		goto bad;
	const char *end = dash + 1;
	e->last = e->first;
	if (strchr(end, '.') || strchr(end, ':')) {
		if (ka_addr_parse(end, false, &e->last) < 0 || e->last.family != e->first.family)
			goto bad;
	} else {
		char *stop;
		unsigned long v = strtoul(end, &stop, e->first.family == AF_INET ? 10 : 16);
		if (!*end || *stop || v > (e->first.family == AF_INET ? 255UL : 0xffffUL))
			goto bad;
		if (e->first.family == AF_INET) {
			((uint8_t *)&e->last.u.v4)[3] = (uint8_t)v;
		} else {
			e->last.u.v6.s6_addr[14] = (uint8_t)(v >> 8);
			e->last.u.v6.s6_addr[15] = (uint8_t)v;
		}
	}
	if (!range_size(&e->first, &e->last)) {
		cfg_error(p, a, "'virtual_server_group': range '%s' is empty or larger than %d "
			  "addresses", s, VSG_RANGE_MAX);
		return -1;
	}
	e->kind = CHECK_VSG_RANGE;
	return 0;
bad:
	cfg_error(p, a, "'virtual_server_group': invalid address range '%s'", s);
	return -1;
}

static uint8_t *addr_bytes(struct ka_addr *a)
{
	return a->family == AF_INET ? (uint8_t *)&a->u.v4 : a->u.v6.s6_addr;
}

/* CIDR block: every address of the prefix, host bits masked off. */
static int parse_cidr(struct cfg_parser *p, const struct cfg_args *a, const char *s,
		      struct check_vsg_entry *e)
{
	if (ka_addr_parse(s, true, &e->first) < 0) {
		cfg_error(p, a, "'virtual_server_group': invalid address '%s'", s);
		return -1;
	}
	unsigned bits = e->first.family == AF_INET ? 32 : 128;
	bool host_bits = false;
	e->last = e->first;
	uint8_t *f = addr_bytes(&e->first), *l = addr_bytes(&e->last);
	for (unsigned i = 0; i < bits / 8; i++) {
		unsigned keep = e->first.prefix >= 8 * (i + 1) ? 8
				: e->first.prefix > 8 * i ? e->first.prefix - 8 * i : 0;
		uint8_t mask = (uint8_t)(0xff00u >> keep);
		if (f[i] & ~mask)
			host_bits = true;
		f[i] &= mask;
		l[i] = f[i] | (uint8_t)~mask;
	}
	if (host_bits)
		cfg_warning(p, a, "'virtual_server_group': '%s' has host bits set; using the whole "
			    "/%u", s, e->first.prefix);
	e->prefix = e->first.prefix;
	e->first.has_prefix = e->last.has_prefix = false;
	if (!range_size(&e->first, &e->last)) {
		cfg_error(p, a, "'virtual_server_group': '%s' is larger than %d addresses", s,
			  VSG_RANGE_MAX);
		return -1;
	}
	e->kind = CHECK_VSG_RANGE;
	return 0;
}

static int vsg_fwmark(struct cfg_parser *p, const struct cfg_args *a, struct check_vsg_entry *e)
{
	static const struct cfg_enum families[] = {
		{ "inet", AF_INET }, { "inet6", AF_INET6 }, { NULL, 0 },
	};
	long long n;
	if (check_need_args(p, a, 1, 2) < 0 || cfg_get_int(p, a, a->argv[1], 1, UINT32_MAX, &n) < 0)
		return -1;
	if (a->argc > 2 && cfg_get_enum(p, a, a->argv[2], families, &e->family) < 0)
		return -1;
	e->kind = CHECK_VSG_FWMARK;
	e->fwmark = (unsigned)n;
	return 0;
}

/* One line of a group: IP [PORT] | RANGE [PORT] | CIDR [PORT] | fwmark N [inet|inet6] */
static int vsg_line(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_vsg *g = obj;
	struct check_vsg_entry *e = arena_alloc(cfg_arena(p), sizeof(*e));
	const char *s = a->argv[0];
	int r;
	e->file = a->file;
	e->line = a->line;
	if (!strcmp(s, "fwmark")) {
		r = vsg_fwmark(p, a, e);
	} else {
		if (a->argc > 2) {
			cfg_error(p, a, "'virtual_server_group': unexpected '%s' after '%s %s'",
				  a->argv[2], s, a->argv[1]);
			return -1;
		}
		if (strchr(s, '-'))
			r = parse_range(p, a, s, e);
		else if (strchr(s, '/'))
			r = parse_cidr(p, a, s, e);
		else if ((r = ka_addr_parse(s, false, &e->first)) < 0)
			cfg_error(p, a, "'virtual_server_group': invalid address '%s'", s);
		else
			e->last = e->first;
		if (r == 0 && a->argc > 1)
			r = check_get_port(p, a, a->argv[1], &e->port);
	}
	if (r < 0)
		return -1;
	cfg_list_append(&g->entries, &e->node);
	return 0;
}

static const struct cfg_block vsg_block = {
	.name = "virtual_server_group", .line = vsg_line, .open = vsg_open,
};

/* ---- model ----------------------------------------------------------------- */

const struct cfg_keyword check_cfg_keywords[] = {
	{ .name = "SSL", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &ssl_block },
	{ .name = "virtual_server_group", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &vsg_block },
	{ .name = "virtual_server", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &check_vs_block },
	CFG_END,
};

struct check_cfg *check_cfg_new(struct arena *a)
{
	struct check_cfg *c = arena_alloc(a, sizeof(*c));
	c->arena = a;
	return c;
}

bool check_cfg_empty(const struct check_cfg *c)
{
	return c->vs.n == 0;
}

static void resolve_group(struct check_cfg *c, struct check_vs *vs, struct cfg_diag *d)
{
	cfg_list_for_each(struct check_vsg, g, &c->groups) {
		if (strcmp(g->name, vs->group_name))
			continue;
		vs->group = g;
		g->used = true;
		return;
	}
	cfg_diag_at(d, CFG_LVL_ERROR, vs->file, vs->line,
		    "virtual_server group %s: no virtual_server_group of that name",
		    vs->group_name);
}

/* The address family the service is created with. */
static int vs_family(const struct check_vs *vs)
{
	if (vs->kind == CHECK_VS_ADDR)
		return vs->addr.family;
	if (vs->ip_family != AF_UNSPEC)
		return vs->ip_family;
	if (vs->kind == CHECK_VS_GROUP && vs->group) {
		cfg_list_for_each(const struct check_vsg_entry, e, &vs->group->entries) {
			if (e->kind != CHECK_VSG_FWMARK)
				return e->first.family;
			if (e->family != AF_UNSPEC)
				return e->family;
		}
	}
	/* All-fwmark service: follow the real servers, like IPVS users expect. */
	if (vs->rs.head)
		return ((const struct check_rs *)(const void *)vs->rs.head)->addr.family;
	return AF_INET;
}

static void vs_checks(struct check_vs *vs, struct cfg_diag *d)
{
	char b[128];
	check_vs_str(vs, b, sizeof(b));
	if (vs->kind == CHECK_VS_ADDR && !vs->has_port && !vs->persistence_timeout)
		cfg_diag_at(d, CFG_LVL_ERROR, vs->file, vs->line,
			    "virtual_server %s: a port is needed unless persistence_timeout is set",
			    b);
	if (vs->flag_sched && strcmp(vs->flag_sched, vs->sched))
		cfg_diag_at(d, CFG_LVL_WARNING, vs->file, vs->line,
			    "virtual_server %s: %s-* flags have no effect with scheduler %s", b,
			    vs->flag_sched, vs->sched);
	if (vs->has_granularity && !vs->persistence_timeout)
		cfg_diag_at(d, CFG_LVL_WARNING, vs->file, vs->line,
			    "virtual_server %s: persistence_granularity without "
			    "persistence_timeout has no effect", b);
	if (vs->has_granularity && vs->family == AF_INET && vs->persistence_granularity > 32)
		cfg_diag_at(d, CFG_LVL_ERROR, vs->file, vs->line,
			    "virtual_server %s: persistence_granularity /%u is too long for IPv4",
			    b, vs->persistence_granularity);
	if (vs->ops && vs->protocol != IPPROTO_UDP)
		cfg_diag_at(d, CFG_LVL_WARNING, vs->file, vs->line,
			    "virtual_server %s: ops only applies to UDP services", b);
	if (vs->hysteresis >= vs->quorum && vs->hysteresis)
		cfg_diag_at(d, CFG_LVL_WARNING, vs->file, vs->line,
			    "virtual_server %s: hysteresis %u is not below quorum %u", b,
			    vs->hysteresis, vs->quorum);
}

static bool same_service(const struct check_vs *a, const struct check_vs *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case CHECK_VS_FWMARK:
		return a->fwmark == b->fwmark && a->family == b->family;
	case CHECK_VS_GROUP:
		return !strcmp(a->group_name, b->group_name) && a->protocol == b->protocol;
	default:
		return ka_addr_equal(&a->addr, &b->addr) && a->port == b->port &&
		       a->protocol == b->protocol;
	}
}

static void check_duplicates(const struct check_cfg *c, struct cfg_diag *d)
{
	char b[128];
	cfg_list_for_each(const struct check_vs, vs, &c->vs) {
		cfg_list_for_each(const struct check_vs, o, &c->vs) {
			if (o == vs)
				break;
			if (!same_service(o, vs))
				continue;
			cfg_diag_at(d, CFG_LVL_ERROR, vs->file, vs->line,
				    "virtual_server %s %s is already defined at %s:%u",
				    check_vs_str(vs, b, sizeof(b)), ipvs_proto_name(vs->protocol),
				    o->file, o->line);
			break;
		}
	}
	cfg_list_for_each(const struct check_vsg, g, &c->groups) {
		cfg_list_for_each(const struct check_vsg, o, &c->groups) {
			if (o == g)
				break;
			if (!strcmp(o->name, g->name)) {
				cfg_diag_at(d, CFG_LVL_ERROR, g->file, g->line,
					    "virtual_server_group %s is already defined at %s:%u",
					    g->name, o->file, o->line);
				break;
			}
		}
	}
}

void check_cfg_finish(struct check_cfg *c, const struct global_cfg *g, struct cfg_diag *diag)
{
	cfg_list_for_each(struct check_vs, vs, &c->vs) {
		if (vs->kind == CHECK_VS_GROUP)
			resolve_group(c, vs, diag);
		if (!vs->has_protocol)
			vs->protocol = IPPROTO_TCP;
		vs->family = vs_family(vs);
		vs_checks(vs, diag);
		check_finish_vs(c, vs, g, diag);
	}
	check_duplicates(c, diag);
	cfg_list_for_each(const struct check_vsg, grp, &c->groups) {
		if (!grp->used)
			cfg_diag_at(diag, CFG_LVL_WARNING, grp->file, grp->line,
				    "virtual_server_group %s is not used by any virtual_server",
				    grp->name);
		else if (!grp->entries.n)
			cfg_diag_at(diag, CFG_LVL_WARNING, grp->file, grp->line,
				    "virtual_server_group %s is empty", grp->name);
	}
}
