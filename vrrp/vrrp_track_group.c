/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_track_group.c - track_group: instances in FAULT while a static object of theirs is gone */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_nl.h"
#include "vrrp/vrrp_track_group.h"

#define ERRLEN 256

enum tg_kind { TG_ADDR, TG_ROUTE, TG_RULE };

/* One tracked static object (pointers into the current configuration). */
struct tg_obj {
	enum tg_kind kind;
	const void *obj;                          /* vrrp_ipaddr / vrrp_route / vrrp_rule */
	const struct vrrp_track_group_cfg *group;
	bool missing;
};

struct vrrp_tgroups {
	struct vrrp_engine *eng;
	struct tg_obj *o;
	size_t n;
};

static void tg_add(struct vrrp_tgroups *t, size_t cap, enum tg_kind kind, const void *obj,
		   const struct vrrp_track_group_cfg *g)
{
	if (!g || t->n >= cap)
		return;
	t->o[t->n++] = (struct tg_obj){ .kind = kind, .obj = obj, .group = g };
}

static int addr_ifindex(const struct vrrp_engine *eng, const struct vrrp_ipaddr *ip)
{
	int idx;

	if (!ip->dev)
		return eng->default_ifindex;
	idx = vrrp_nl_ifindex(eng->nl, ip->dev);
	return idx > 0 ? idx : -1;
}

struct vrrp_tgroups *vrrp_track_group_start(struct vrrp_engine *eng)
{
	const struct vrrp_cfg *v = eng->v;
	size_t cap = v->static_addrs.n + v->static_routes.n + v->static_rules.n;
	struct vrrp_tgroups *t = xcalloc(1, sizeof(*t));

	t->eng = eng;
	t->o = xcalloc(cap + 1, sizeof(*t->o));
	cfg_list_for_each(const struct vrrp_ipaddr, ip, &v->static_addrs)
		tg_add(t, cap, TG_ADDR, ip, ip->tgroup);
	cfg_list_for_each(const struct vrrp_route, r, &v->static_routes)
		tg_add(t, cap, TG_ROUTE, r, r->tgroup);
	cfg_list_for_each(const struct vrrp_rule, r, &v->static_rules)
		tg_add(t, cap, TG_RULE, r, r->tgroup);
	if (!t->n) {
		vrrp_track_group_free(t);
		return NULL;
	}
	/* an address that could not be installed counts as missing from the start */
	for (size_t i = 0; i < t->n; i++) {
		const struct vrrp_ipaddr *ip = t->o[i].obj;

		if (t->o[i].kind == TG_ADDR)
			t->o[i].missing = addr_ifindex(eng, ip) < 0 ||
					  !vrrp_nl_has_addr(eng->nl, &ip->addr,
							    addr_ifindex(eng, ip));
	}
	return t;
}

static void tg_install(struct vrrp_engine *eng, const struct tg_obj *o)
{
	char err[ERRLEN];
	int rc;

	if (o->kind == TG_ADDR)
		rc = vrrp_nl_addr(eng->nl, o->obj, eng->default_ifindex, true, err, sizeof(err));
	else if (o->kind == TG_ROUTE)
		rc = vrrp_nl_route(eng->nl, o->obj, true, err, sizeof(err));
	else
		rc = vrrp_nl_rule(eng->nl, o->obj, true, err, sizeof(err));
	if (rc < 0)
		log_warnx("static (track_group %s): %s", o->group->name, err);
}

struct vrrp_tgroups *vrrp_track_group_reload(struct vrrp_tgroups *old, struct vrrp_engine *eng)
{
	struct vrrp_tgroups *t;

	vrrp_track_group_free(old);
	t = vrrp_track_group_start(eng);
	for (size_t i = 0; t && i < t->n; i++)
		tg_install(eng, &t->o[i]);
	vrrp_track_group_free(t);
	return vrrp_track_group_start(eng);
}

void vrrp_track_group_free(struct vrrp_tgroups *t)
{
	if (!t)
		return;
	free(t->o);
	free(t);
}

static bool is_member(const struct vrrp_track_group_cfg *g, const struct vrrp_instance_cfg *c)
{
	cfg_list_for_each(const struct vrrp_name_ref, m, &g->members)
		if (m->target == c)
			return true;
	return false;
}

bool vrrp_track_group_fault(const struct vrrp_tgroups *t, const struct vrrp_instance_cfg *cfg)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (t->o[i].missing && is_member(t->o[i].group, cfg))
			return true;
	return false;
}

static const char *const kind_names[] = { "address", "route", "rule" };

/* o changed: log and let the instances re-evaluate their faults. */
static void tg_set(struct vrrp_tgroups *t, struct tg_obj *o, bool missing, const char *what)
{
	if (o->missing == missing)
		return;
	o->missing = missing;
	log_info("static %s %s (track_group %s) %s: its instances %s", kind_names[o->kind], what,
		 o->group->name, missing ? "was removed" : "is back",
		 missing ? "go to FAULT" : "may leave FAULT");
	for (size_t i = 0; i < t->eng->ninst; i++)
		if (is_member(o->group, t->eng->inst[i]->cfg))
			vrrp_inst_reevaluate(t->eng->inst[i]);
}

void vrrp_track_group_addr(struct vrrp_engine *eng, const struct ka_addr *addr, int ifindex,
			   bool added)
{
	struct vrrp_tgroups *t = eng->tgroups;
	char buf[KA_ADDR_STRLEN];

	for (size_t i = 0; t && i < t->n; i++) {
		const struct vrrp_ipaddr *ip = t->o[i].obj;

		if (t->o[i].kind != TG_ADDR || !ka_addr_equal(&ip->addr, addr) ||
		    addr_ifindex(eng, ip) != ifindex)
			continue;
		tg_set(t, &t->o[i], !added, ka_addr_str(&ip->addr, buf));
	}
}

void vrrp_track_group_route_deleted(const struct vrrp_nl_route_key *k, void *arg)
{
	struct vrrp_engine *eng = arg;
	struct vrrp_tgroups *t = eng->tgroups;
	char buf[KA_ADDR_STRLEN];

	for (size_t i = 0; t && i < t->n; i++) {
		const struct vrrp_route *r = t->o[i].obj;

		if (t->o[i].kind == TG_ROUTE && vrrp_nl_route_match(r, k))
			tg_set(t, &t->o[i], true, ka_addr_str(&r->dst, buf));
	}
}

void vrrp_track_group_rule_deleted(const struct vrrp_nl_rule_key *k, void *arg)
{
	struct vrrp_engine *eng = arg;
	struct vrrp_tgroups *t = eng->tgroups;

	for (size_t i = 0; t && i < t->n; i++) {
		const struct vrrp_rule *r = t->o[i].obj;
		char what[32];

		if (t->o[i].kind != TG_RULE || !vrrp_nl_rule_match(r, k))
			continue;
		snprintf(what, sizeof(what), "priority %u", r->priority);
		tg_set(t, &t->o[i], true, what);
	}
}
