/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_cfg_addr.c - address lines (virtual_ipaddress, static_ipaddress) and value helpers */
#include <arpa/inet.h>
#include <ctype.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "vrrp/vrrp_cfg_priv.h"

/* ---- small shared helpers ---------------------------------------------- */

void *vrrp_cfg_append(struct cfg_parser *p, struct cfg_list *l, size_t size)
{
	struct cfg_node *n = arena_alloc(cfg_arena(p), size);
	cfg_list_append(l, n);
	return n;
}

char *vrrp_cfg_join_words(struct cfg_parser *p, const struct cfg_args *a, unsigned from)
{
	size_t len = 1;
	for (unsigned i = from; i < a->argc; i++)
		len += strlen(a->argv[i]) + 1;
	char *s = arena_alloc(cfg_arena(p), len);
	for (unsigned i = from; i < a->argc; i++) {
		if (i > from)
			strcat(s, " ");
		strcat(s, a->argv[i]);
	}
	return s;
}

const char *vrrp_words_value(struct vrrp_words *w, const char *o)
{
	if (w->i >= w->a->argc) {
		cfg_error(w->p, w->a, "'%s' needs a value", o);
		return NULL;
	}
	return w->a->argv[w->i++];
}

int vrrp_words_family(struct vrrp_words *w, int *family, int fam, const char *what)
{
	if (*family == AF_UNSPEC || fam == AF_UNSPEC) {
		if (fam != AF_UNSPEC)
			*family = fam;
		return 0;
	}
	if (*family == fam)
		return 0;
	cfg_error(w->p, w->a, "%s mixes IPv4 and IPv6", what);
	return -1;
}

int vrrp_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	long long v;
	if (cfg_parse_llong(s, &v) < 0 || v < 0 || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static const struct cfg_enum scope_names[] = {
	{ "global", RT_SCOPE_UNIVERSE }, { "universe", RT_SCOPE_UNIVERSE },
	{ "site", RT_SCOPE_SITE },       { "link", RT_SCOPE_LINK },
	{ "host", RT_SCOPE_HOST },       { "nowhere", RT_SCOPE_NOWHERE },
	{ NULL, 0 },
};

int vrrp_parse_scope(const char *s, int *out)
{
	for (const struct cfg_enum *e = scope_names; e->name; e++) {
		if (!strcmp(s, e->name)) {
			*out = e->value;
			return 0;
		}
	}
	uint32_t v;
	if (vrrp_parse_u32(s, 255, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

const char *vrrp_scope_name(int scope)
{
	for (const struct cfg_enum *e = scope_names; e->name; e++)
		if (e->value == scope && strcmp(e->name, "universe"))
			return e->name;
	return NULL;
}

int vrrp_parse_prefix(const char *s, struct ka_addr *out)
{
	if (!strcmp(s, "default") || !strcmp(s, "any") || !strcmp(s, "all")) {
		*out = (struct ka_addr){ .family = AF_UNSPEC, .prefix = 0, .has_prefix = true };
		return 0;
	}
	return ka_addr_parse(s, true, out);
}

/* "N" or "FROM/TO" (16-bit realm numbers). */
int vrrp_parse_realms(const char *s, uint32_t *out)
{
	char buf[32];
	uint32_t from = 0, to;
	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	char *slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		if (vrrp_parse_u32(buf, 0xffff, &from) < 0)
			return -1;
	}
	if (vrrp_parse_u32(slash ? slash : buf, 0xffff, &to) < 0)
		return -1;
	*out = from << 16 | to;
	return 0;
}

/* "LO" or "LO-HI", LO <= HI <= max. */
int vrrp_parse_range(const char *s, uint32_t max, uint32_t *lo, uint32_t *hi)
{
	char buf[48];
	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	char *dash = strchr(buf, '-');
	if (dash == buf)
		return -1;
	if (dash)
		*dash++ = '\0';
	if (vrrp_parse_u32(buf, max, lo) < 0)
		return -1;
	*hi = *lo;
	if (dash && (vrrp_parse_u32(dash, max, hi) < 0 || *hi < *lo))
		return -1;
	return 0;
}

/* Kernel rules for an interface name: 1..15 bytes, no '/', ':' or space. */
bool vrrp_ifname_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= VRRP_IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

/* ---- address lines ------------------------------------------------------ */

enum addr_opt_kind {
	AO_DEV, AO_SCOPE, AO_BRD, AO_LABEL, AO_PEER, AO_FLAG, AO_NO_TRACK, AO_LFT,
	AO_TRACK_GROUP, AO_USE_VMAC, AO_DAD,
};

struct addr_opt {
	const char *name;
	enum addr_opt_kind kind;
	uint32_t flag;      /* AO_FLAG: IFA_F_* */
	bool has_value;
};

static const struct addr_opt addr_opts[] = {
	{ "dev", AO_DEV, 0, true },
	{ "scope", AO_SCOPE, 0, true },
	{ "brd", AO_BRD, 0, true },
	{ "broadcast", AO_BRD, 0, true },
	{ "label", AO_LABEL, 0, true },
	{ "peer", AO_PEER, 0, true },
	{ "home", AO_FLAG, IFA_F_HOMEADDRESS, false },
	{ "-nodad", AO_DAD, 0, false },
	{ "nodad", AO_FLAG, IFA_F_NODAD, false },
	{ "mngtmpaddr", AO_FLAG, IFA_F_MANAGETEMPADDR, false },
	{ "noprefixroute", AO_FLAG, IFA_F_NOPREFIXROUTE, false },
	{ "autojoin", AO_FLAG, IFA_F_MCAUTOJOIN, false },
	{ "no_track", AO_NO_TRACK, 0, false },
	{ "preferred_lft", AO_LFT, 0, true },
	{ "track_group", AO_TRACK_GROUP, 0, true },
	{ "use_vmac", AO_USE_VMAC, 0, false },
};

/* State of one address line while its options are read. */
struct addr_line {
	struct vrrp_words w;
	struct vrrp_ipaddr *ip;
	bool is_static;
	const char *brd;    /* broadcast as written, resolved at the end */
	bool lft_set;
};

static int addr_opt_value(struct addr_line *l, const struct addr_opt *o, const char *v)
{
	struct vrrp_ipaddr *ip = l->ip;
	struct arena *ar = cfg_arena(l->w.p);
	const char *addr = l->w.a->argv[0];

	switch (o->kind) {
	case AO_DEV:
		if (!vrrp_ifname_ok(v))
			break;
		ip->dev = arena_strdup(ar, v);
		return 0;
	case AO_SCOPE:
		if (vrrp_parse_scope(v, &ip->scope) < 0)
			break;
		return 0;
	case AO_BRD:
		l->brd = v;
		return 0;
	case AO_LABEL:
		if (strlen(v) >= VRRP_IFNAMSIZ) {
			cfg_error(l->w.p, l->w.a, "address %s: label '%s' is longer than %d "
				  "characters", addr, v, VRRP_IFNAMSIZ - 1);
			return -1;
		}
		ip->label = arena_strdup(ar, v);
		return 0;
	case AO_PEER:
		if (ka_addr_parse(v, true, &ip->peer) < 0)
			break;
		if (ip->peer.family != ip->addr.family) {
			cfg_error(l->w.p, l->w.a, "address %s: peer %s is of another family",
				  addr, v);
			return -1;
		}
		return 0;
	case AO_LFT:
		if (!strcmp(v, "forever"))
			ip->preferred_lft = VRRP_LFT_FOREVER;
		else if (vrrp_parse_u32(v, UINT32_MAX - 1, &ip->preferred_lft) < 0)
			break;
		l->lft_set = true;
		return 0;
	case AO_TRACK_GROUP:
		ip->track_group = arena_strdup(ar, v);
		return 0;
	default:
		return -1;
	}
	cfg_error(l->w.p, l->w.a, "address %s: invalid %s '%s'", addr, o->name, v);
	return -1;
}

static int addr_opt(struct addr_line *l, const struct addr_opt *o)
{
	const char *addr = l->w.a->argv[0];

	if ((o->kind == AO_TRACK_GROUP && !l->is_static) ||
	    (o->kind == AO_USE_VMAC && l->is_static)) {
		cfg_error(l->w.p, l->w.a, "address %s: '%s' is not allowed in this block",
			  addr, o->name);
		return -1;
	}
	if (o->has_value) {
		const char *v = vrrp_words_value(&l->w, o->name);
		return v ? addr_opt_value(l, o, v) : -1;
	}
	if (o->kind == AO_FLAG)
		l->ip->ifa_flags |= o->flag;
	else if (o->kind == AO_NO_TRACK)
		l->ip->no_track = true;
	else if (o->kind == AO_USE_VMAC)
		l->ip->use_vmac = true;
	else if (o->kind == AO_DAD)
		l->ip->dad = true;
	return 0;
}

/* brd +|-|IP once prefix and peer are known. */
static int addr_resolve_brd(struct addr_line *l)
{
	struct vrrp_ipaddr *ip = l->ip;
	const char *addr = l->w.a->argv[0];

	if (ip->addr.family == AF_INET6) {
		cfg_error(l->w.p, l->w.a, "address %s: IPv6 addresses have no broadcast", addr);
		return -1;
	}
	if (strcmp(l->brd, "+") && strcmp(l->brd, "-")) {
		if (ka_addr_parse(l->brd, false, &ip->brd) < 0 || ip->brd.family != AF_INET) {
			cfg_error(l->w.p, l->w.a, "address %s: invalid brd '%s'", addr, l->brd);
			return -1;
		}
		return 0;
	}
	if (ip->addr.prefix > 30) {
		cfg_error(l->w.p, l->w.a, "address %s: prefix /%u is too long for brd %s",
			  addr, ip->addr.prefix, l->brd);
		return -1;
	}
	const struct ka_addr *base = ip->peer.family ? &ip->peer : &ip->addr;
	uint32_t host = ntohl(base->u.v4.s_addr);
	uint32_t mask = 0xffffffffu >> ip->addr.prefix;
	ip->brd = (struct ka_addr){ .family = AF_INET, .prefix = 32 };
	ip->brd.u.v4.s_addr = htonl(l->brd[0] == '+' ? host | mask : host & ~mask);
	return 0;
}

/* Consistency of one parsed line; IPv6 scope and label are ignored like
 * keepalived does, with a warning rather than a silent drop. */
static int addr_finish_line(struct addr_line *l)
{
	struct vrrp_ipaddr *ip = l->ip;
	const char *addr = l->w.a->argv[0];

	if (ip->peer.family) {
		if (ip->addr.has_prefix)
			cfg_warning(l->w.p, l->w.a, "address %s: prefix ignored with peer", addr);
		ip->addr.prefix = ip->peer.prefix;
		ip->addr.has_prefix = ip->peer.has_prefix;
		if (l->brd) {
			cfg_error(l->w.p, l->w.a, "address %s: brd and peer are exclusive", addr);
			return -1;
		}
	}
	if (l->brd && addr_resolve_brd(l) < 0)
		return -1;
	if (ip->addr.family == AF_INET6) {
		if (ip->scope >= 0) {
			cfg_warning(l->w.p, l->w.a, "address %s: scope ignored for IPv6", addr);
			ip->scope = -1;
		}
		if (ip->label) {
			cfg_warning(l->w.p, l->w.a, "address %s: label ignored for IPv6", addr);
			ip->label = NULL;
		}
		/* A /128 VIP stays deprecated (not used as a source) unless told. */
		if (!l->lft_set)
			ip->preferred_lft = ip->addr.prefix == 128 ? 0 : VRRP_LFT_FOREVER;
	}
	return 0;
}

static int addr_line(struct cfg_parser *p, struct cfg_list *list, const struct cfg_args *a,
		     bool is_static)
{
	struct vrrp_ipaddr tmp = { .scope = -1, .preferred_lft = VRRP_LFT_FOREVER };
	struct addr_line l = { .w = { p, a, 1 }, .ip = &tmp, .is_static = is_static };

	tmp.loc = vrrp_cfg_loc_of(a);
	if (ka_addr_parse(a->argv[0], true, &tmp.addr) < 0) {
		cfg_error(p, a, "invalid IP address '%s'", a->argv[0]);
		return -1;
	}
	while (l.w.i < a->argc) {
		const char *word = a->argv[l.w.i++];
		const struct addr_opt *o = NULL;
		for (size_t k = 0; k < sizeof(addr_opts) / sizeof(addr_opts[0]); k++)
			if (!strcmp(word, addr_opts[k].name))
				o = &addr_opts[k];
		if (!o) {
			cfg_error(p, a, "address %s: unknown option '%s'", a->argv[0], word);
			return -1;
		}
		if (addr_opt(&l, o) < 0)
			return -1;
	}
	if (addr_finish_line(&l) < 0)
		return -1;
	struct vrrp_ipaddr *ip = VRRP_CFG_NEW(p, struct vrrp_ipaddr, list);
	struct cfg_node keep = ip->node;
	*ip = tmp;
	ip->node = keep;
	return 0;
}

int vrrp_cfg_vip_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	return addr_line(p, list, a, false);
}

int vrrp_cfg_saddr_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	return addr_line(p, list, a, true);
}

/* Names, any number per line: sync group members, interfaces lists. */
int vrrp_cfg_name_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	for (unsigned i = 0; i < a->argc; i++) {
		struct vrrp_name_ref *r = VRRP_CFG_NEW(p, struct vrrp_name_ref, list);
		r->name = arena_strdup(cfg_arena(p), a->argv[i]);
		r->loc = vrrp_cfg_loc_of(a);
	}
	return 0;
}
