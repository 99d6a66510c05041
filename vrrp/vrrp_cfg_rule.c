/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_cfg_rule.c - policy rule lines (virtual_rules, static_rules), "ip rule"-like */
#include <linux/fib_rules.h>
#include <string.h>

#include "vrrp/vrrp_cfg_priv.h"

struct rule_line {
	struct vrrp_words w;
	struct vrrp_rule *r;
	bool is_static;
	bool table_option;   /* realms/suppress_*: need a table action */
};

struct rule_opt;
typedef int (*rule_opt_fn)(struct rule_line *l, const struct rule_opt *o, const char *v);

struct rule_opt {
	const char *name;
	rule_opt_fn fn;
	bool value;      /* takes a value word */
	int arg;         /* AF_*, FR_ACT_* */
};

static int rule_bad(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	cfg_error(l->w.p, l->w.a, "rule: invalid %s '%s'", o->name, v);
	return -1;
}

static int rule_family(struct rule_line *l, int fam)
{
	return vrrp_words_family(&l->w, &l->r->family, fam, "rule");
}

static int rule_action(struct rule_line *l, int action)
{
	if (l->r->action != FR_ACT_UNSPEC) {
		cfg_error(l->w.p, l->w.a, "rule: only one of table, goto, nop, l3mdev, "
			  "blackhole, unreachable, prohibit is allowed");
		return -1;
	}
	l->r->action = action;
	return 0;
}

static int ru_family(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	return rule_family(l, o->arg);
}

static int ru_prefix(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	struct ka_addr *dst = o->name[0] == 'f' ? &l->r->from : &l->r->to;
	if (vrrp_parse_prefix(v, dst) < 0)
		return rule_bad(l, o, v);
	dst->has_prefix = true;
	return rule_family(l, dst->family);
}

static int ru_not(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	l->r->invert = true;
	return 0;
}

static int ru_table(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	if (vrrp_cfg_parse_table(l->w.p, v, &l->r->table, &l->r->table_name) < 0 ||
	    (!l->r->table_name && l->r->table == 0))
		return rule_bad(l, o, v);
	return rule_action(l, FR_ACT_TO_TBL);
}

static int ru_priority(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	if (vrrp_parse_u32(v, UINT32_MAX, &l->r->priority) < 0)
		return rule_bad(l, o, v);
	l->r->set |= VRRP_RULE_PRIORITY;
	return 0;
}

static int ru_tos(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	uint32_t n;
	if (vrrp_parse_u32(v, 255, &n) < 0)
		return rule_bad(l, o, v);
	l->r->tos = (int)n;
	return 0;
}

/* MARK[/MASK], each decimal or 0x hex. */
static int ru_fwmark(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	char buf[40];
	if (strlen(v) >= sizeof(buf))
		return rule_bad(l, o, v);
	strcpy(buf, v);
	char *slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (vrrp_parse_u32(buf, UINT32_MAX, &l->r->fwmark) < 0 ||
	    (slash && vrrp_parse_u32(slash, UINT32_MAX, &l->r->fwmask) < 0))
		return rule_bad(l, o, v);
	l->r->set |= VRRP_RULE_FWMARK | (slash ? VRRP_RULE_FWMASK : 0);
	return 0;
}

static int ru_realms(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	if (vrrp_parse_realms(v, &l->r->realms) < 0)
		return rule_bad(l, o, v);
	l->table_option = true;
	return rule_family(l, AF_INET);
}

static int ru_sup_pl(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	uint32_t n;
	if (vrrp_parse_u32(v, INT32_MAX, &n) < 0)
		return rule_bad(l, o, v);
	l->r->suppress_prefixlen = (int)n;
	l->table_option = true;
	return 0;
}

static int ru_sup_group(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	if (!strcmp(v, "default"))
		l->r->suppress_ifgroup = 0;
	else if (vrrp_parse_u32(v, UINT32_MAX, &l->r->suppress_ifgroup) < 0)
		return rule_bad(l, o, v);
	l->r->set |= VRRP_RULE_SUPGROUP;
	l->table_option = true;
	return 0;
}

static int ru_dev(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	if (!vrrp_ifname_ok(v))
		return rule_bad(l, o, v);
	char **dst = o->name[0] == 'o' ? &l->r->oif : &l->r->iif;
	*dst = arena_strdup(cfg_arena(l->w.p), v);
	return 0;
}

static int ru_tunnel_id(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	long long n;
	if (cfg_parse_llong(v, &n) < 0 || n < 0)
		return rule_bad(l, o, v);
	l->r->tunnel_id = (uint64_t)n;
	l->r->set |= VRRP_RULE_TUNID;
	return 0;
}

static int ru_range(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	struct vrrp_rule *r = l->r;
	uint32_t lo, hi;

	if (o->name[0] == 'u') {
		if (vrrp_parse_range(v, UINT32_MAX, &r->uid_start, &r->uid_end) < 0)
			return rule_bad(l, o, v);
		r->set |= VRRP_RULE_UIDRANGE;
		return 0;
	}
	if (vrrp_parse_range(v, 65535, &lo, &hi) < 0)
		return rule_bad(l, o, v);
	if (o->name[0] == 's') {
		r->sport_start = (uint16_t)lo;
		r->sport_end = (uint16_t)hi;
		r->set |= VRRP_RULE_SPORT;
	} else {
		r->dport_start = (uint16_t)lo;
		r->dport_end = (uint16_t)hi;
		r->set |= VRRP_RULE_DPORT;
	}
	return 0;
}

static int ru_l3mdev(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	l->r->l3mdev = true;
	return rule_action(l, FR_ACT_TO_TBL);
}

static int ru_protocol(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	if (vrrp_cfg_parse_proto(l->w.p, v, &l->r->protocol, NULL) < 0)
		return rule_bad(l, o, v);
	return 0;
}

static int ru_ipproto(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	static const struct cfg_enum names[] = {
		{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 }, { "esp", 50 },
		{ "ah", 51 }, { "icmpv6", 58 }, { "ipv6-icmp", 58 }, { "sctp", 132 },
		{ "udplite", 136 }, { NULL, 0 },
	};
	uint32_t n;
	for (const struct cfg_enum *e = names; e->name; e++) {
		if (!strcmp(e->name, v)) {
			l->r->ipproto = e->value;
			return 0;
		}
	}
	if (vrrp_parse_u32(v, 255, &n) < 0)
		return rule_bad(l, o, v);
	l->r->ipproto = (int)n;
	return 0;
}

static int ru_no_track(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	l->r->no_track = true;
	return 0;
}

static int ru_track_group(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	if (!l->is_static) {
		cfg_error(l->w.p, l->w.a, "rule: 'track_group' is only allowed in static_rules");
		return -1;
	}
	l->r->track_group = arena_strdup(cfg_arena(l->w.p), v);
	return 0;
}

static int ru_goto(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	if (vrrp_parse_u32(v, UINT32_MAX, &l->r->goto_target) < 0)
		return rule_bad(l, o, v);
	return rule_action(l, FR_ACT_GOTO);
}

static int ru_simple_action(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	return rule_action(l, o->arg);
}

static const struct rule_opt rule_actions[] = {
	{ "goto", ru_goto, true, 0 },
	{ "nop", ru_simple_action, false, FR_ACT_NOP },
	{ "blackhole", ru_simple_action, false, FR_ACT_BLACKHOLE },
	{ "unreachable", ru_simple_action, false, FR_ACT_UNREACHABLE },
	{ "prohibit", ru_simple_action, false, FR_ACT_PROHIBIT },
};

static const struct rule_opt *opt_find(const struct rule_opt *t, size_t n, const char *w)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(w, t[k].name))
			return &t[k];
	return NULL;
}

static int rule_apply(struct rule_line *l, const struct rule_opt *o)
{
	const char *v = NULL;
	if (o->value && !(v = vrrp_words_value(&l->w, o->name)))
		return -1;
	return o->fn(l, o, v);
}

/* "type ACTION", where ACTION is one of rule_actions[]. */
static int ru_type(struct rule_line *l, const struct rule_opt *o, const char *v)
{
	const struct rule_opt *act = opt_find(rule_actions, sizeof(rule_actions) /
					      sizeof(rule_actions[0]), v);
	if (!act)
		return rule_bad(l, o, v);
	return rule_apply(l, act);
}

static const struct rule_opt rule_opts[] = {
	{ "inet", ru_family, false, AF_INET },
	{ "inet6", ru_family, false, AF_INET6 },
	{ "-4", ru_family, false, AF_INET },
	{ "-6", ru_family, false, AF_INET6 },
	{ "from", ru_prefix, true, 0 },
	{ "to", ru_prefix, true, 0 },
	{ "not", ru_not, false, 0 },
	{ "table", ru_table, true, 0 },
	{ "lookup", ru_table, true, 0 },
	{ "preference", ru_priority, true, 0 },
	{ "priority", ru_priority, true, 0 },
	{ "order", ru_priority, true, 0 },
	{ "pref", ru_priority, true, 0 },
	{ "tos", ru_tos, true, 0 },
	{ "dsfield", ru_tos, true, 0 },
	{ "fwmark", ru_fwmark, true, 0 },
	{ "realms", ru_realms, true, 0 },
	{ "suppress_prefixlength", ru_sup_pl, true, 0 },
	{ "sup_pl", ru_sup_pl, true, 0 },
	{ "suppress_ifgroup", ru_sup_group, true, 0 },
	{ "sup_group", ru_sup_group, true, 0 },
	{ "dev", ru_dev, true, 0 },
	{ "iif", ru_dev, true, 0 },
	{ "oif", ru_dev, true, 0 },
	{ "tunnel-id", ru_tunnel_id, true, 0 },
	{ "uidrange", ru_range, true, 0 },
	{ "sport", ru_range, true, 0 },
	{ "dport", ru_range, true, 0 },
	{ "l3mdev", ru_l3mdev, false, 0 },
	{ "protocol", ru_protocol, true, 0 },
	{ "ipproto", ru_ipproto, true, 0 },
	{ "no_track", ru_no_track, false, 0 },
	{ "track_group", ru_track_group, true, 0 },
	{ "type", ru_type, true, 0 },
	{ "action", ru_type, true, 0 },
};

static int rule_check(struct rule_line *l)
{
	struct vrrp_rule *r = l->r;
	const char *err = NULL;

	if (r->action == FR_ACT_UNSPEC)
		err = "rule has no action (table, goto, nop, blackhole, ...)";
	else if (r->action == FR_ACT_GOTO && !(r->set & VRRP_RULE_PRIORITY))
		err = "rule: 'goto' needs a 'preference'";
	else if (r->action == FR_ACT_GOTO && r->priority >= r->goto_target)
		err = "rule: 'goto' target must be after the rule's preference";
	else if (l->table_option && r->action != FR_ACT_TO_TBL)
		err = "rule: realms/suppress_* need a 'table' action";
	else if (r->l3mdev && (r->table || r->table_name))
		err = "rule: 'l3mdev' cannot have a table";
	if (err) {
		cfg_error(l->w.p, l->w.a, "%s", err);
		return -1;
	}
	if (r->family == AF_UNSPEC)
		r->family = AF_INET;
	if (r->from.has_prefix && !r->from.family)
		r->from.family = (sa_family_t)r->family;
	if (r->to.has_prefix && !r->to.family)
		r->to.family = (sa_family_t)r->family;
	return 0;
}

static int rule_line(struct cfg_parser *p, struct cfg_list *list, const struct cfg_args *a,
		     bool is_static)
{
	struct vrrp_rule *r = arena_alloc(cfg_arena(p), sizeof(*r));
	struct rule_line l = { .w = { p, a, 0 }, .r = r, .is_static = is_static };

	r->loc = vrrp_cfg_loc_of(a);
	r->tos = r->suppress_prefixlen = r->protocol = r->ipproto = -1;
	while (l.w.i < a->argc) {
		const char *word = a->argv[l.w.i++];
		const struct rule_opt *o = opt_find(rule_opts, sizeof(rule_opts) /
						    sizeof(rule_opts[0]), word);
		if (!o)
			o = opt_find(rule_actions, sizeof(rule_actions) / sizeof(rule_actions[0]),
				     word);
		if (!o) {
			cfg_error(p, a, "rule: unknown rule option '%s'", word);
			return -1;
		}
		if (rule_apply(&l, o) < 0)
			return -1;
	}
	if (rule_check(&l) < 0)
		return -1;
	cfg_list_append(list, &r->node);
	return 0;
}

int vrrp_cfg_vrule_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	return rule_line(p, list, a, false);
}

int vrrp_cfg_srule_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	return rule_line(p, list, a, true);
}
