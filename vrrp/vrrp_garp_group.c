/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_garp_group.c - garp_group: one GARP/NA rate limit shared by a set of interfaces */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_garp_group.h"
#include "vrrp/vrrp_nl.h"

struct gg_one {
	const struct vrrp_garp_group_cfg *cfg;
	uint64_t last[2];          /* mono µs of the last GARP [0] / NA [1], 0 = none */
};

struct vrrp_garp_groups {
	struct gg_one *g;
	size_t n;
};

struct vrrp_garp_groups *vrrp_garp_group_start(const struct vrrp_cfg *v)
{
	struct vrrp_garp_groups *gg;

	if (!v->garp_groups.n)
		return NULL;
	gg = xcalloc(1, sizeof(*gg));
	gg->g = xcalloc(v->garp_groups.n, sizeof(*gg->g));
	cfg_list_for_each(const struct vrrp_garp_group_cfg, c, &v->garp_groups)
		gg->g[gg->n++].cfg = c;
	return gg;
}

void vrrp_garp_group_free(struct vrrp_garp_groups *gg)
{
	if (!gg)
		return;
	free(gg->g);
	free(gg);
}

/* The group ifname belongs to with an interval set for the family. */
static struct gg_one *gg_find(const struct vrrp_garp_groups *gg, const char *ifname, bool v6)
{
	for (size_t i = 0; gg && ifname && i < gg->n; i++) {
		const struct vrrp_garp_group_cfg *c = gg->g[i].cfg;
		uint64_t iv = v6 ? c->gna_interval : c->garp_interval;

		if (iv == VRRP_UNSET_TIMER)
			continue;
		cfg_list_for_each(const struct vrrp_name_ref, r, &c->ifs)
			if (!strcmp(r->name, ifname))
				return &gg->g[i];
	}
	return NULL;
}

static uint64_t gg_interval(const struct gg_one *g, bool v6)
{
	return v6 ? g->cfg->gna_interval : g->cfg->garp_interval;
}

uint64_t vrrp_garp_group_interval(const struct vrrp_garp_groups *gg, const char *ifname,
				  bool v6, uint64_t def)
{
	const struct gg_one *g = gg_find(gg, ifname, v6);

	return g ? gg_interval(g, v6) : def;
}

uint64_t vrrp_garp_group_wait(uint64_t last, uint64_t interval, uint64_t now)
{
	if (!last || now >= last + interval)
		return 0;
	return last + interval - now;
}

uint64_t vrrp_garp_group_take(struct vrrp_engine *eng, int ifindex, bool v6, uint64_t now)
{
	char name[VRRP_IFNAMSIZ];
	struct gg_one *g;
	uint64_t wait;

	if (!eng->garp_groups || vrrp_nl_ifname(eng->nl, ifindex, name, sizeof(name)) < 0)
		return 0;
	g = gg_find(eng->garp_groups, name, v6);
	if (!g)
		return 0;
	wait = vrrp_garp_group_wait(g->last[v6], gg_interval(g, v6), now);
	if (!wait)
		g->last[v6] = now;
	return wait;
}
