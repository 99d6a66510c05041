/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_vip.c - what a master installs (VIPs, eVIPs, routes, rules) and its GARP/NA runs */
#include <stdio.h>
#include <string.h>

#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_garp_group.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_nl.h"
#include "vrrp/vrrp_vmac.h"
#include "vrrp/vrrp_nft.h"

#define ERRLEN 256

static int inst_default_ifindex(const struct vrrp_inst *vi)
{
	return vrrp_vip_ifindex(vi, NULL);
}

static size_t vip_count(const struct vrrp_inst *vi)
{
	return vi->cfg->vips.n + vi->cfg->evips.n;
}

/* One address line on its interface: an address VMAC's (vrrp_vmac.c)
 * rather than the interface the line names. Returns as vrrp_nl_addr(). */
static int vip_addr(struct vrrp_inst *vi, const struct vrrp_ipaddr *ip, bool add, char *err,
		    size_t len)
{
	struct vrrp_ipaddr on;

	if (!vrrp_vmac_takes(vi->cfg, ip))
		return vrrp_nl_addr(vi->eng->nl, ip, inst_default_ifindex(vi), add, err, len);
	on = *ip;
	on.dev = NULL;
	return vrrp_nl_addr(vi->eng->nl, &on, vrrp_vmac_ip_ifindex(vi, ip), add, err, len);
}

/* Addresses, then routes (they may use them) and rules; torn down the
 * other way round. Failures are logged. */
static void vip_install(struct vrrp_inst *vi, bool add)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	const struct cfg_list *lists[2] = { &c->vips, &c->evips };
	struct vrrp_vip_set none = { 0 }, rr = { .routes = &c->vroutes, .rules = &c->vrules };
	char err[ERRLEN], who[64];

	snprintf(who, sizeof(who), "(%s)", c->name);
	if (!add)
		vrrp_vip_sync(vi->eng->nl, 0, who, &rr, &none, NULL);
	for (int l = 0; l < 2; l++)
		cfg_list_for_each(const struct vrrp_ipaddr, ip, lists[add ? l : 1 - l])
			if (vip_addr(vi, ip, add, err, sizeof(err)) < 0)
				log_warnx("%s %s", who, err);
	if (add)
		vrrp_vip_sync(vi->eng->nl, 0, who, &none, &rr, NULL);
}

void vrrp_vip_apply(struct vrrp_inst *vi, bool add)
{
	if (add) {
		/* no_accept: the drops are in place before the addresses come */
		vrrp_nft_inst_set(vi->eng->nft, vi, vi->cfg, false);
		vip_install(vi, true);
		if (vip_count(vi) || vi->cfg->vroutes.n || vi->cfg->vrules.n)
			log_info("(%s) setting VIPs", vi->cfg->name);
	} else {
		vip_install(vi, false);
		if (vi->vips_set)
			log_info("(%s) removing VIPs", vi->cfg->name);
		vrrp_nft_inst_set(vi->eng->nft, vi, NULL, false);
	}
	vi->vips_set = add;
}

/* ---- reload: only the difference ------------------------------------------- */

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool addr_eq(const struct ka_addr *a, const struct ka_addr *b)
{
	return a->family == b->family && (!a->family || (ka_addr_equal(a, b) &&
							 a->prefix == b->prefix));
}

static bool ipaddr_eq(const struct vrrp_ipaddr *a, const struct vrrp_ipaddr *b)
{
	return addr_eq(&a->addr, &b->addr) && str_eq(a->dev, b->dev) &&
	       addr_eq(&a->brd, &b->brd) && addr_eq(&a->peer, &b->peer) &&
	       a->scope == b->scope && str_eq(a->label, b->label) &&
	       a->preferred_lft == b->preferred_lft && a->ifa_flags == b->ifa_flags;
}

static bool nexthops_eq(const struct cfg_list *a, const struct cfg_list *b)
{
	const struct cfg_node *x = a->head, *y = b->head;

	for (; x && y; x = x->next, y = y->next) {
		const struct vrrp_nexthop *p = (const void *)x, *q = (const void *)y;

		if (!addr_eq(&p->via, &q->via) || !str_eq(p->dev, q->dev) ||
		    p->weight != q->weight || p->onlink != q->onlink || p->realms != q->realms)
			return false;
	}
	return !x && !y;
}

static bool route_eq(const struct vrrp_route *a, const struct vrrp_route *b)
{
	return a->family == b->family && a->type == b->type && addr_eq(&a->dst, &b->dst) &&
	       addr_eq(&a->src, &b->src) && addr_eq(&a->from, &b->from) &&
	       addr_eq(&a->via, &b->via) && str_eq(a->dev, b->dev) && a->table == b->table &&
	       str_eq(a->table_name, b->table_name) && a->metric == b->metric &&
	       a->scope == b->scope && a->protocol == b->protocol && a->tos == b->tos &&
	       a->realms == b->realms && a->metrics_set == b->metrics_set &&
	       !memcmp(a->metrics, b->metrics, sizeof(a->metrics)) &&
	       a->metrics_lock == b->metrics_lock && str_eq(a->congctl, b->congctl) &&
	       a->pref == b->pref && a->onlink == b->onlink && a->op == b->op &&
	       nexthops_eq(&a->nexthops, &b->nexthops);
}

static bool rule_eq(const struct vrrp_rule *a, const struct vrrp_rule *b)
{
	return a->family == b->family && addr_eq(&a->from, &b->from) &&
	       addr_eq(&a->to, &b->to) && a->invert == b->invert && a->action == b->action &&
	       a->table == b->table && str_eq(a->table_name, b->table_name) &&
	       a->goto_target == b->goto_target && a->priority == b->priority &&
	       a->tos == b->tos && a->fwmark == b->fwmark && a->fwmask == b->fwmask &&
	       a->realms == b->realms && a->suppress_prefixlen == b->suppress_prefixlen &&
	       a->suppress_ifgroup == b->suppress_ifgroup && str_eq(a->iif, b->iif) &&
	       str_eq(a->oif, b->oif) && a->tunnel_id == b->tunnel_id &&
	       a->uid_start == b->uid_start && a->uid_end == b->uid_end &&
	       a->sport_start == b->sport_start && a->sport_end == b->sport_end &&
	       a->dport_start == b->dport_start && a->dport_end == b->dport_end &&
	       a->l3mdev == b->l3mdev && a->protocol == b->protocol &&
	       a->ipproto == b->ipproto && a->set == b->set && a->no_track == b->no_track;
}

typedef bool (*vip_eq_fn)(const void *a, const void *b);

/* One kind of object on the kernel side. */
enum vip_kind { VIP_ADDR, VIP_ROUTE, VIP_RULE };

static bool in_list(const struct cfg_list *l, const void *obj, vip_eq_fn eq)
{
	for (const struct cfg_node *n = l->head; n; n = n->next)
		if (eq(n, obj))
			return true;
	return false;
}

static bool eq_ipaddr(const void *a, const void *b) { return ipaddr_eq(a, b); }
static bool eq_route(const void *a, const void *b) { return route_eq(a, b); }
static bool eq_rule(const void *a, const void *b) { return rule_eq(a, b); }

/* Add (or delete) what is in from and not in other. Returns how many
 * objects that was. */
static unsigned apply_missing(struct vrrp_nl *nl, int def_ifindex, const char *who,
			      enum vip_kind kind, const struct cfg_list *from,
			      const struct cfg_list *other, bool add)
{
	static const vip_eq_fn eq[] = { eq_ipaddr, eq_route, eq_rule };
	char err[ERRLEN];
	unsigned n = 0;
	int rc;

	if (!from)
		return 0;
	for (const struct cfg_node *x = from->head; x; x = x->next) {
		if (other && in_list(other, x, eq[kind]))
			continue;
		n++;
		if (kind == VIP_ADDR)
			rc = vrrp_nl_addr(nl, (const void *)x, def_ifindex, add, err, sizeof(err));
		else if (kind == VIP_ROUTE)
			rc = vrrp_nl_route(nl, (const void *)x, add, err, sizeof(err));
		else
			rc = vrrp_nl_rule(nl, (const void *)x, add, err, sizeof(err));
		if (rc < 0)
			log_warnx("%s: %s", who, err);
	}
	return n;
}

unsigned vrrp_vip_sync(struct vrrp_nl *nl, int def_ifindex, const char *who,
		       const struct vrrp_vip_set *old, const struct vrrp_vip_set *nw,
		       unsigned *added)
{
	unsigned del = 0, add = 0;

	/* removals first (rules, routes, then addresses), then additions */
	del += apply_missing(nl, def_ifindex, who, VIP_RULE, old->rules, nw->rules, false);
	del += apply_missing(nl, def_ifindex, who, VIP_ROUTE, old->routes, nw->routes, false);
	for (int i = 0; i < 2; i++)
		del += apply_missing(nl, def_ifindex, who, VIP_ADDR, old->addrs[i], nw->addrs[i],
				     false);
	for (int i = 0; i < 2; i++)
		add += apply_missing(nl, def_ifindex, who, VIP_ADDR, nw->addrs[i], old->addrs[i],
				     true);
	add += apply_missing(nl, def_ifindex, who, VIP_ROUTE, nw->routes, old->routes, true);
	add += apply_missing(nl, def_ifindex, who, VIP_RULE, nw->rules, old->rules, true);
	if (added)
		*added = add;
	return del + add;
}

static void inst_set(struct vrrp_vip_set *set, const struct vrrp_instance_cfg *c)
{
	set->addrs[0] = &c->vips;
	set->addrs[1] = &c->evips;
	set->routes = &c->vroutes;
	set->rules = &c->vrules;
}

void vrrp_vip_diff(struct vrrp_inst *vi, const struct vrrp_instance_cfg *old,
		   const struct vrrp_instance_cfg *nw)
{
	struct vrrp_vip_set o, n;
	unsigned changed, added;
	char who[64];

	if (vrrp_vmac_uses_addr_vmacs(old) || vrrp_vmac_uses_addr_vmacs(nw)) {
		/* the address VMACs may change: everything leaves with the old
		 * configuration and comes back once they match the new one */
		vi->cfg = old;
		vrrp_vip_apply(vi, false);
		vi->cfg = nw;
		vrrp_vmac_readd(vi);
		return;
	}
	inst_set(&o, old);
	inst_set(&n, nw);
	snprintf(who, sizeof(who), "(%s) reload", nw->name);
	/* drops of new addresses before they come, of old ones after they went */
	vrrp_nft_inst_set(vi->eng->nft, vi, nw, true);
	changed = vrrp_vip_sync(vi->eng->nl, inst_default_ifindex(vi), who, &o, &n, &added);
	vrrp_nft_inst_set(vi->eng->nft, vi, nw, false);
	if (changed)
		log_info("(%s) reload: %u object%s removed, %u added", nw->name, changed - added,
			 changed - added == 1 ? "" : "s", added);
	if (added)
		vrrp_vip_announce(vi, nw->garp_master_repeat, 0);
}

/* ---- announcements ------------------------------------------------------------- */

/* The n-th announced address: VIPs, then eVIPs. */
static const struct vrrp_ipaddr *vip_nth(const struct vrrp_inst *vi, size_t n)
{
	const struct cfg_list *l = n < vi->cfg->vips.n ? &vi->cfg->vips : &vi->cfg->evips;
	size_t i = n < vi->cfg->vips.n ? n : n - vi->cfg->vips.n;

	cfg_list_for_each(const struct vrrp_ipaddr, ip, l)
		if (i-- == 0)
			return ip;
	return NULL;
}

void vrrp_vip_announce_on(struct vrrp_inst *vi, const struct vrrp_ipaddr *ip, int ifindex,
			  struct log_rl *rl)
{
	bool v6 = ip->addr.family == AF_INET6;
	struct vrrp_announcer *an;
	int rc;

	an = vrrp_engine_announcer(vi->eng, ifindex, v6 ? VRRP_ANNOUNCE_V6 : VRRP_ANNOUNCE_V4);
	if (!an)
		return;
	rc = v6 ? vrrp_announcer_send_na(an, &ip->addr.u.v6) :
		  vrrp_announcer_send_garp(an, ip->addr.u.v4);
	if (rc < 0)
		log_rl_msg(rl, LOG_WARNING, "(%s) %s on %s: %s", vi->cfg->name,
			   v6 ? "unsolicited NA" : "gratuitous ARP", an->ifname, strerror(-rc));
}

static void vip_announce_one(struct vrrp_inst *vi, const struct vrrp_ipaddr *ip)
{
	int idx = vrrp_vmac_ip_ifindex(vi, ip);

	if (idx)
		vrrp_vip_announce_on(vi, ip, idx, &vi->rl);
}

static void garp_step(struct vrrp_inst *vi);

static void garp_timer_cb(struct ev_loop *loop, void *arg)
{
	garp_step(arg);
}

/* Send every packet that is due, then sleep until the next one. */
static void garp_step(struct vrrp_inst *vi)
{
	struct vrrp_garp_run *g = &vi->garp;
	size_t n = vip_count(vi);

	for (;;) {
		int64_t off = vrrp_garp_sched_next(&g->sched, g->sent);
		uint64_t elapsed = mono_usec() - g->start;

		const struct vrrp_ipaddr *ip;
		uint64_t wait;

		if (off < 0 || !n)
			return;
		if ((uint64_t)off > elapsed) {
			ev_timer_add(vi->eng->loop, garp_timer_cb, vi, (uint64_t)off - elapsed,
				     &g->timer);
			return;
		}
		ip = vip_nth(vi, g->sent % n);
		/* a garp_group spaces the packets of all instances on its interfaces */
		wait = vrrp_garp_group_take(vi->eng, vrrp_vmac_ip_ifindex(vi, ip),
					    ip->addr.family == AF_INET6, g->start + elapsed);
		if (wait) {
			ev_timer_add(vi->eng->loop, garp_timer_cb, vi, wait, &g->timer);
			return;
		}
		vip_announce_one(vi, ip);
		g->sent++;
	}
}

void vrrp_vip_announce(struct vrrp_inst *vi, unsigned repeat, uint64_t delay)
{
	struct vrrp_garp_run *g = &vi->garp;
	const struct global_cfg *gc = vi->eng->g;
	size_t n = vip_count(vi);

	ev_cancel(&g->timer);
	if (!n || !repeat)
		return;
	memset(&g->sched, 0, sizeof(g->sched));
	g->sched.repeat = repeat;
	g->sched.addrs = (unsigned)n;
	g->sched.delay_usec = delay;
	g->sched.interval_usec = vi->cfg->family == AF_INET6 ? gc->vrrp_gna_interval :
							       gc->vrrp_garp_interval;
	g->sched.interval_usec = vrrp_garp_group_interval(vi->eng->garp_groups, vi->ifname,
							  vi->cfg->family == AF_INET6,
							  g->sched.interval_usec);
	g->sent = 0;
	g->start = mono_usec();
	log_info("(%s) Sending gratuitous ARP/NA for %zu address%s, %u time%s", vi->cfg->name,
		 n, n == 1 ? "" : "es", repeat, repeat == 1 ? "" : "s");
	garp_step(vi);
}

void vrrp_vip_announce_stop(struct vrrp_inst *vi)
{
	ev_cancel(&vi->garp.timer);
	ev_cancel(&vi->refresh_timer);
	vrrp_vmac_garp_stop(vi);
}

static void refresh_cb(struct ev_loop *loop, void *arg)
{
	struct vrrp_inst *vi = arg;
	size_t n = vip_count(vi);

	if (vi->state != VRRP_STATE_MASTER)
		return;
	for (unsigned r = 0; r < vi->cfg->garp_master_refresh_repeat; r++)
		for (size_t i = 0; i < n; i++)
			vip_announce_one(vi, vip_nth(vi, i));
	vrrp_vip_refresh_start(vi);
}

void vrrp_vip_refresh_start(struct vrrp_inst *vi)
{
	vrrp_vmac_garp_start(vi);
	if (vi->cfg->garp_master_refresh)
		ev_timer_add(vi->eng->loop, refresh_cb, vi, vi->cfg->garp_master_refresh,
			     &vi->refresh_timer);
	else
		ev_cancel(&vi->refresh_timer);
}
