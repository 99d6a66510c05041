/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_cfg_dump.c - readable dump of the VRRP configuration (-d, SIGUSR1) */
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <string.h>

#include "vrrp/vrrp_cfg_priv.h"

#define SEC 1000000ull

/* ---- a bounded string builder ------------------------------------------- */

struct sbuf {
	char *buf;
	size_t len, used;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	if (b->used >= b->len)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(b->buf + b->used, b->len - b->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->used += (size_t)n;
}

static void sb_addr(struct sbuf *b, const char *what, const struct ka_addr *a)
{
	char s[KA_ADDR_STRLEN];
	if (a->family)
		sb_add(b, "%s%s%s", b->used ? " " : "", what, ka_addr_str(a, s));
}

/* prefix as written: "default" for a zero-length prefix of any family */
static void sb_prefix(struct sbuf *b, const char *what, const struct ka_addr *a)
{
	char s[KA_ADDR_STRLEN];
	if (a->has_prefix && a->prefix == 0)
		sb_add(b, "%s%sdefault", b->used ? " " : "", what);
	else if (a->family)
		sb_add(b, "%s%s%s", b->used ? " " : "", what, ka_addr_str(a, s));
}

/* ---- formatters ----------------------------------------------------------- */

void vrrp_cfg_format_ipaddr(const struct vrrp_ipaddr *ip, char *buf, size_t len)
{
	static const struct { uint32_t flag; const char *name; } flags[] = {
		{ IFA_F_HOMEADDRESS, "home" }, { IFA_F_NODAD, "nodad" },
		{ IFA_F_MANAGETEMPADDR, "mngtmpaddr" }, { IFA_F_NOPREFIXROUTE, "noprefixroute" },
		{ IFA_F_MCAUTOJOIN, "autojoin" },
	};
	struct sbuf b = { buf, len, 0 };
	struct ka_addr a = ip->addr;

	buf[0] = '\0';
	a.has_prefix = true;
	sb_addr(&b, "", &a);
	sb_addr(&b, "brd ", &ip->brd);
	sb_addr(&b, "peer ", &ip->peer);
	if (ip->dev)
		sb_add(&b, " dev %s", ip->dev);
	if (ip->scope >= 0 && vrrp_scope_name(ip->scope))
		sb_add(&b, " scope %s", vrrp_scope_name(ip->scope));
	else if (ip->scope >= 0)
		sb_add(&b, " scope %d", ip->scope);
	if (ip->label)
		sb_add(&b, " label %s", ip->label);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (ip->ifa_flags & flags[i].flag)
			sb_add(&b, " %s", flags[i].name);
	if (ip->preferred_lft != VRRP_LFT_FOREVER)
		sb_add(&b, " preferred_lft %u", ip->preferred_lft);
	if (ip->no_track)
		sb_add(&b, " no_track");
	if (ip->dad)
		sb_add(&b, " -nodad");
	if (ip->use_vmac)
		sb_add(&b, " use_vmac");
	if (ip->track_group)
		sb_add(&b, " track_group %s", ip->track_group);
}

static const char *const rtax_names[VRRP_RT_METRICS] = {
	[RTAX_MTU] = "mtu", [RTAX_WINDOW] = "window", [RTAX_RTT] = "rtt",
	[RTAX_RTTVAR] = "rttvar", [RTAX_SSTHRESH] = "ssthresh", [RTAX_CWND] = "cwnd",
	[RTAX_ADVMSS] = "advmss", [RTAX_REORDERING] = "reordering",
	[RTAX_HOPLIMIT] = "hoplimit", [RTAX_INITCWND] = "initcwnd",
	[RTAX_FEATURES] = "features", [RTAX_RTO_MIN] = "rto_min",
	[RTAX_INITRWND] = "initrwnd", [RTAX_QUICKACK] = "quickack",
	[RTAX_FASTOPEN_NO_COOKIE] = "fastopen_no_cookie",
};

static void route_metrics(struct sbuf *b, const struct vrrp_route *r)
{
	for (int i = 0; i < VRRP_RT_METRICS; i++) {
		if (!(r->metrics_set & (1u << i)) || !rtax_names[i])
			continue;
		const char *lock = r->metrics_lock & (1u << i) ? "lock " : "";
		if (i == RTAX_FEATURES)
			sb_add(b, " features ecn");
		else
			sb_add(b, " %s %s%u", rtax_names[i], lock, r->metrics[i]);
	}
	if (r->congctl)
		sb_add(b, " congctl %s%s", r->metrics_lock & (1u << RTAX_CC_ALGO) ? "lock " : "",
		       r->congctl);
}

static void route_nexthops(struct sbuf *b, const struct vrrp_route *r)
{
	cfg_list_for_each(struct vrrp_nexthop, nh, &r->nexthops) {
		sb_add(b, " nexthop");
		sb_addr(b, "via ", &nh->via);
		if (nh->dev)
			sb_add(b, " dev %s", nh->dev);
		if (nh->weight)
			sb_add(b, " weight %u", nh->weight);
		if (nh->onlink)
			sb_add(b, " onlink");
		if (nh->realms)
			sb_add(b, " realms %u/%u", nh->realms >> 16, nh->realms & 0xffff);
		if (nh->encap)
			sb_add(b, " encap %s", nh->encap);
	}
}

void vrrp_cfg_format_route(const struct vrrp_route *r, char *buf, size_t len)
{
	struct sbuf b = { buf, len, 0 };

	buf[0] = '\0';
	if (r->family == AF_INET6)
		sb_add(&b, "inet6");
	static const char *const types[] = {
		[RTN_LOCAL] = "local", [RTN_BROADCAST] = "broadcast", [RTN_ANYCAST] = "anycast",
		[RTN_MULTICAST] = "multicast", [RTN_BLACKHOLE] = "blackhole",
		[RTN_UNREACHABLE] = "unreachable", [RTN_PROHIBIT] = "prohibit",
		[RTN_THROW] = "throw", [RTN_NAT] = "nat", [RTN_XRESOLVE] = "xresolve",
	};
	if (r->type > RTN_UNICAST && r->type <= RTN_XRESOLVE)
		sb_add(&b, "%s%s", b.used ? " " : "", types[r->type]);
	sb_prefix(&b, "", &r->dst);
	sb_addr(&b, "src ", &r->src);
	sb_prefix(&b, "from ", &r->from);
	sb_addr(&b, "via ", &r->via);
	if (r->dev)
		sb_add(&b, " dev %s", r->dev);
	if (r->table_name)
		sb_add(&b, " table %s", r->table_name);
	else if (r->table != RT_TABLE_MAIN)
		sb_add(&b, " table %u", r->table);
	if (r->has_metric)
		sb_add(&b, " metric %u", r->metric);
	if (r->scope >= 0 && vrrp_scope_name(r->scope))
		sb_add(&b, " scope %s", vrrp_scope_name(r->scope));
	else if (r->scope >= 0)
		sb_add(&b, " scope %d", r->scope);
	if (r->protocol_name)
		sb_add(&b, " protocol %s", r->protocol_name);
	else if (r->protocol >= 0)
		sb_add(&b, " protocol %d", r->protocol);
	if (r->tos >= 0)
		sb_add(&b, " tos 0x%x", (unsigned)r->tos);
	if (r->realms)
		sb_add(&b, " realms %u/%u", r->realms >> 16, r->realms & 0xffff);
	route_metrics(&b, r);
	if (r->pref >= 0)
		sb_add(&b, " pref %d", r->pref);
	if (r->ttl_propagate >= 0)
		sb_add(&b, " ttl-propagate %s", r->ttl_propagate ? "enabled" : "disabled");
	if (r->expires)
		sb_add(&b, " expires %u", r->expires);
	if (r->onlink)
		sb_add(&b, " onlink");
	if (r->vrf)
		sb_add(&b, " vrf %s", r->vrf);
	if (r->encap)
		sb_add(&b, " encap %s", r->encap);
	if (r->op != VRRP_ROUTE_PREPEND)
		sb_add(&b, " %s", r->op == VRRP_ROUTE_ADD ? "add" : "append");
	if (r->no_track)
		sb_add(&b, " no_track");
	if (r->track_group)
		sb_add(&b, " track_group %s", r->track_group);
	route_nexthops(&b, r);
}

static void rule_action(struct sbuf *b, const struct vrrp_rule *r)
{
	switch (r->action) {
	case FR_ACT_TO_TBL:
		if (r->l3mdev)
			sb_add(b, " l3mdev");
		else if (r->table_name)
			sb_add(b, " table %s", r->table_name);
		else
			sb_add(b, " table %u", r->table);
		break;
	case FR_ACT_GOTO:
		sb_add(b, " goto %u", r->goto_target);
		break;
	case FR_ACT_NOP:
		sb_add(b, " nop");
		break;
	case FR_ACT_BLACKHOLE:
		sb_add(b, " blackhole");
		break;
	case FR_ACT_UNREACHABLE:
		sb_add(b, " unreachable");
		break;
	case FR_ACT_PROHIBIT:
		sb_add(b, " prohibit");
		break;
	default:
		break;
	}
}

void vrrp_cfg_format_rule(const struct vrrp_rule *r, char *buf, size_t len)
{
	struct sbuf b = { buf, len, 0 };

	buf[0] = '\0';
	sb_add(&b, "%s", r->family == AF_INET6 ? "inet6" : "inet");
	if (r->invert)
		sb_add(&b, " not");
	sb_prefix(&b, "from ", &r->from);
	sb_prefix(&b, "to ", &r->to);
	if (r->set & VRRP_RULE_PRIORITY)
		sb_add(&b, " preference %u", r->priority);
	if (r->tos >= 0)
		sb_add(&b, " tos 0x%x", (unsigned)r->tos);
	if (r->set & VRRP_RULE_FWMARK)
		sb_add(&b, " fwmark 0x%x", r->fwmark);
	if (r->set & VRRP_RULE_FWMASK)
		sb_add(&b, "/0x%x", r->fwmask);
	if (r->iif)
		sb_add(&b, " iif %s", r->iif);
	if (r->oif)
		sb_add(&b, " oif %s", r->oif);
	if (r->realms)
		sb_add(&b, " realms %u/%u", r->realms >> 16, r->realms & 0xffff);
	if (r->suppress_prefixlen >= 0)
		sb_add(&b, " suppress_prefixlength %d", r->suppress_prefixlen);
	if (r->set & VRRP_RULE_SUPGROUP)
		sb_add(&b, " suppress_ifgroup %u", r->suppress_ifgroup);
	if (r->set & VRRP_RULE_TUNID)
		sb_add(&b, " tunnel-id %llu", (unsigned long long)r->tunnel_id);
	if (r->set & VRRP_RULE_UIDRANGE)
		sb_add(&b, " uidrange %u-%u", r->uid_start, r->uid_end);
	if (r->protocol >= 0)
		sb_add(&b, " protocol %d", r->protocol);
	if (r->ipproto >= 0)
		sb_add(&b, " ipproto %d", r->ipproto);
	if (r->set & VRRP_RULE_SPORT)
		sb_add(&b, " sport %u-%u", r->sport_start, r->sport_end);
	if (r->set & VRRP_RULE_DPORT)
		sb_add(&b, " dport %u-%u", r->dport_start, r->dport_end);
	rule_action(&b, r);
	if (r->no_track)
		sb_add(&b, " no_track");
	if (r->track_group)
		sb_add(&b, " track_group %s", r->track_group);
}

/* ---- list printers --------------------------------------------------------- */

#define LINE 1024

static void dump_ipaddrs(FILE *out, const char *name, const struct cfg_list *l, int ind)
{
	char buf[LINE];
	if (!l->n)
		return;
	fprintf(out, "%*s%s {\n", ind, "", name);
	cfg_list_for_each(struct vrrp_ipaddr, ip, l) {
		vrrp_cfg_format_ipaddr(ip, buf, sizeof(buf));
		fprintf(out, "%*s%s\n", ind + 4, "", buf);
	}
	fprintf(out, "%*s}\n", ind, "");
}

static void dump_routes(FILE *out, const char *name, const struct cfg_list *l, int ind)
{
	char buf[LINE];
	if (!l->n)
		return;
	fprintf(out, "%*s%s {\n", ind, "", name);
	cfg_list_for_each(struct vrrp_route, r, l) {
		vrrp_cfg_format_route(r, buf, sizeof(buf));
		fprintf(out, "%*s%s\n", ind + 4, "", buf);
	}
	fprintf(out, "%*s}\n", ind, "");
}

static void dump_rules(FILE *out, const char *name, const struct cfg_list *l, int ind)
{
	char buf[LINE];
	if (!l->n)
		return;
	fprintf(out, "%*s%s {\n", ind, "", name);
	cfg_list_for_each(struct vrrp_rule, r, l) {
		vrrp_cfg_format_rule(r, buf, sizeof(buf));
		fprintf(out, "%*s%s\n", ind + 4, "", buf);
	}
	fprintf(out, "%*s}\n", ind, "");
}

static void dump_names(FILE *out, const char *name, const struct cfg_list *l, int ind)
{
	if (!l->n)
		return;
	fprintf(out, "%*s%s {", ind, "", name);
	cfg_list_for_each(struct vrrp_name_ref, r, l)
		fprintf(out, " %s", r->name);
	fprintf(out, " }\n");
}

static void dump_tracks(FILE *out, const struct vrrp_tracks *tr, int ind)
{
	const struct { const char *name; const struct cfg_list *l; } lists[] = {
		{ "track_interface", &tr->ifs }, { "track_script", &tr->scripts },
		{ "track_file", &tr->files }, { "track_process", &tr->procs },
		{ "track_bfd", &tr->bfds },
	};
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		if (!lists[i].l->n)
			continue;
		fprintf(out, "%*s%s {\n", ind, "", lists[i].name);
		cfg_list_for_each(struct vrrp_track_ref, t, lists[i].l)
			fprintf(out, "%*s%s weight %d%s\n", ind + 4, "", t->name, t->weight,
				t->reverse ? " reverse" : "");
		fprintf(out, "%*s}\n", ind, "");
	}
}

/* ---- objects ------------------------------------------------------------ */

static void dump_instance_extra(FILE *out, const struct vrrp_instance_cfg *vi)
{
	char s[KA_ADDR_STRLEN];

	fprintf(out, "    family = %s\n", vi->family == AF_INET6 ? "inet6" : "inet");
	if (vi->src_ip.family)
		fprintf(out, "    source = %s\n", ka_addr_str(&vi->src_ip, s));
	fprintf(out, "    accept = %s\n", vi->accept ? "yes" : "no");
	if (vi->use_vmac)
		fprintf(out, "    use_vmac = %s\n", vi->vmac_ifname ? vi->vmac_ifname : "(auto)");
	if (vi->use_ipvlan)
		fprintf(out, "    use_ipvlan = %s\n",
			vi->ipvlan_ifname ? vi->ipvlan_ifname : "(auto)");
	if (vi->garp_extra_if != VRRP_UNSET_TIMER)
		fprintf(out, "    garp_extra_if = %llu%s\n",
			(unsigned long long)(vi->garp_extra_if / SEC),
			vi->garp_extra_if_all ? " all" : "");
	if (vi->timer_expired_backup)
		fprintf(out, "    timer_expired_backup = %d\n", vi->timer_expired_backup);
	if (vi->auth_type != VRRP_AUTH_NONE) {
		cfg_dump_fields(out, vrrp_auth_kw, vi, 4);
		fprintf(out, "    auth_pass = ********\n");
	}
	if (vi->hmac.present) {
		fprintf(out, "    auth_hmac {\n");
		cfg_dump_fields(out, vrrp_hmac_kw, &vi->hmac, 8);
		fprintf(out, "        keys = %zu\n    }\n", vi->hmac.keys.n);
	}
	if (vi->notify_deleted)
		fprintf(out, "    notify_deleted = %s\n",
			vi->notify_deleted_script.cmd ? vi->notify_deleted_script.cmd : "yes");
	if (vi->sync)
		fprintf(out, "    sync_group = %s\n", vi->sync->name);
}

static void dump_instance(FILE *out, const struct vrrp_instance_cfg *vi)
{
	char s[KA_ADDR_STRLEN];

	fprintf(out, "vrrp_instance %s {\n", vi->name);
	cfg_dump_fields(out, vrrp_instance_kw, vi, 4);
	dump_instance_extra(out, vi);
	if (vi->unicast_peers.n) {
		fprintf(out, "    unicast_peer {\n");
		cfg_list_for_each(struct vrrp_peer, pe, &vi->unicast_peers)
			fprintf(out, "        %s min_ttl %d max_ttl %d\n",
				ka_addr_str(&pe->addr, s), pe->min_ttl, pe->max_ttl);
		fprintf(out, "    }\n");
	}
	dump_ipaddrs(out, "virtual_ipaddress", &vi->vips, 4);
	dump_ipaddrs(out, "virtual_ipaddress_excluded", &vi->evips, 4);
	dump_routes(out, "virtual_routes", &vi->vroutes, 4);
	dump_rules(out, "virtual_rules", &vi->vrules, 4);
	dump_tracks(out, &vi->tracks, 4);
	fprintf(out, "}\n");
}

static void dump_groups(FILE *out, const struct vrrp_cfg *v)
{
	cfg_list_for_each(struct vrrp_sync_group_cfg, sg, &v->sync_groups) {
		fprintf(out, "vrrp_sync_group %s {\n", sg->name);
		dump_names(out, "group", &sg->members, 4);
		cfg_dump_fields(out, vrrp_sync_group_kw, sg, 4);
		dump_tracks(out, &sg->tracks, 4);
		fprintf(out, "}\n");
	}
	cfg_list_for_each(struct vrrp_track_group_cfg, tg, &v->track_groups) {
		fprintf(out, "track_group %s {\n", tg->name);
		dump_names(out, "group", &tg->members, 4);
		fprintf(out, "}\n");
	}
	cfg_list_for_each(struct vrrp_garp_group_cfg, gg, &v->garp_groups) {
		fprintf(out, "garp_group {\n");
		cfg_dump_fields(out, vrrp_garp_group_kw, gg, 4);
		dump_names(out, "interfaces", &gg->ifs, 4);
		fprintf(out, "}\n");
	}
}

static void dump_trackers(FILE *out, const struct vrrp_cfg *v)
{
	cfg_list_for_each(struct vrrp_script_cfg, sc, &v->scripts) {
		fprintf(out, "vrrp_script %s {\n    script = %s\n", sc->name,
			sc->script.cmd ? sc->script.cmd : "");
		cfg_dump_fields(out, vrrp_script_kw, sc, 4);
		fprintf(out, "    weight = %d%s\n", sc->weight, sc->reverse ? " reverse" : "");
		if (sc->user)
			fprintf(out, "    user = %s%s%s\n", sc->user, sc->group ? " " : "",
				sc->group ? sc->group : "");
		fprintf(out, "}\n");
	}
	cfg_list_for_each(struct vrrp_track_file_cfg, tf, &v->track_files) {
		fprintf(out, "track_file %s {\n", tf->name);
		cfg_dump_fields(out, vrrp_track_file_kw, tf, 4);
		fprintf(out, "    weight = %d%s\n", tf->weight, tf->reverse ? " reverse" : "");
		if (tf->init_file)
			fprintf(out, "    init_file = %lld%s\n", tf->init_value,
				tf->init_overwrite ? " overwrite" : "");
		fprintf(out, "}\n");
	}
	cfg_list_for_each(struct vrrp_track_process_cfg, tp, &v->track_procs) {
		static const char *const pm[] = { "none", "exact", "initial", "partial" };
		fprintf(out, "vrrp_track_process %s {\n    process = %s%s%s\n", tp->name,
			tp->process ? tp->process : "", tp->params ? " " : "",
			tp->params ? tp->params : "");
		cfg_dump_fields(out, vrrp_track_process_kw, tp, 4);
		fprintf(out, "    weight = %d%s\n    param_match = %s\n}\n", tp->weight,
			tp->reverse ? " reverse" : "",
			tp->param_match >= 0 && tp->param_match <= 3 ? pm[tp->param_match] : "?");
	}
	cfg_list_for_each(struct vrrp_bfd_cfg, bf, &v->bfds) {
		fprintf(out, "bfd_instance %s {\n", bf->name);
		cfg_dump_fields(out, vrrp_bfd_kw, bf, 4);
		fprintf(out, "    min_rx = %llu us\n    min_tx = %llu us\n    idle_tx = %llu us\n"
			"    weight = %d%s\n}\n", (unsigned long long)bf->min_rx,
			(unsigned long long)bf->min_tx, (unsigned long long)bf->idle_tx,
			bf->weight, bf->reverse ? " reverse" : "");
	}
}

static void dump_interfaces(FILE *out, const struct vrrp_cfg *v)
{
	static const char *const lb_names[] = { "", " MII", " ETHTOOL", " IOCTL" };

	if (v->linkbeat_ifs.n) {
		fprintf(out, "linkbeat_interfaces {\n");
		cfg_list_for_each(struct vrrp_linkbeat_cfg, lb, &v->linkbeat_ifs)
			fprintf(out, "    %s%s\n", lb->ifname, lb_names[lb->type & 3]);
		fprintf(out, "}\n");
	}
	if (v->if_delays.n) {
		fprintf(out, "interface_up_down_delays {\n");
		cfg_list_for_each(struct vrrp_if_delay_cfg, d, &v->if_delays)
			fprintf(out, "    %s down %llu us up %llu us\n", d->ifname,
				(unsigned long long)d->down, (unsigned long long)d->up);
		fprintf(out, "}\n");
	}
}

void vrrp_cfg_dump(FILE *out, const struct vrrp_cfg *v)
{
	dump_ipaddrs(out, "static_ipaddress", &v->static_addrs, 0);
	dump_routes(out, "static_routes", &v->static_routes, 0);
	dump_rules(out, "static_rules", &v->static_rules, 0);
	dump_interfaces(out, v);
	dump_trackers(out, v);
	dump_groups(out, v);
	cfg_list_for_each(struct vrrp_instance_cfg, vi, &v->instances)
		dump_instance(out, vi);
}
