/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_ifdelay.c - interface_up_down_delays: link transitions acted on only once they last */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_ifdelay.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_linkbeat.h"
#include "vrrp/vrrp_nl.h"

/* One interface of the list. raw is the last state seen from below, shown
 * what the engine acts on; they differ while a delay runs. */
struct ifd_ent {
	struct vrrp_ifdelay *d;
	char ifname[VRRP_IFNAMSIZ];
	uint64_t down_us, up_us;
	bool known;
	bool raw, shown;
	struct ev_timer *timer;
};

struct vrrp_ifdelay {
	struct vrrp_engine *eng;
	struct ifd_ent *e;
	size_t n;
};

void vrrp_link_changed_all(struct vrrp_engine *eng)
{
	for (size_t i = 0; i < eng->ninst; i++)
		vrrp_inst_relink(eng->inst[i]);
}

static void ifd_timer_cb(struct ev_loop *loop, void *arg)
{
	struct ifd_ent *e = arg;

	e->shown = e->raw;
	log_info("interface %s: %s for %.1f s, acting on it", e->ifname,
		 e->raw ? "up" : "down", (double)(e->raw ? e->up_us : e->down_us) / 1e6);
	vrrp_link_changed_all(e->d->eng);
}

/* raw is the state seen now; returns the state to act on. */
static bool ifd_filter(struct ifd_ent *e, bool raw)
{
	uint64_t delay;

	if (!e->known) {
		e->known = true;
		e->raw = e->shown = raw;
		return raw;
	}
	if (raw == e->raw)
		return e->shown;
	e->raw = raw;
	if (raw == e->shown) {
		if (e->timer)
			log_info("interface %s: back %s within its delay, ignored", e->ifname,
				 raw ? "up" : "down");
		ev_cancel(&e->timer);
		return e->shown;
	}
	delay = raw ? e->up_us : e->down_us;
	if (!delay) {
		e->shown = raw;
		return raw;
	}
	log_info("interface %s: %s, waiting %.1f s before acting", e->ifname,
		 raw ? "up" : "down", (double)delay / 1e6);
	ev_timer_add(e->d->eng->loop, ifd_timer_cb, e, delay, &e->timer);
	return e->shown;
}

bool vrrp_link_up(struct vrrp_engine *eng, int ifindex)
{
	bool raw = vrrp_linkbeat_up(eng->linkbeat, eng->nl, ifindex);
	struct vrrp_ifdelay *d = eng->ifdelay;
	char name[VRRP_IFNAMSIZ];

	if (!d || vrrp_nl_ifname(eng->nl, ifindex, name, sizeof(name)) < 0)
		return raw;
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->e[i].ifname, name))
			return ifd_filter(&d->e[i], raw);
	return raw;
}

struct vrrp_ifdelay *vrrp_ifdelay_start(struct vrrp_engine *eng)
{
	const struct cfg_list *l = &eng->v->if_delays;
	struct vrrp_ifdelay *d;

	if (!l->n)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	d->eng = eng;
	d->e = xcalloc(l->n, sizeof(*d->e));
	cfg_list_for_each(const struct vrrp_if_delay_cfg, c, l) {
		struct ifd_ent *e = &d->e[d->n++];

		e->d = d;
		snprintf(e->ifname, sizeof(e->ifname), "%s", c->ifname);
		e->down_us = c->down;
		e->up_us = c->up;
	}
	return d;
}

struct vrrp_ifdelay *vrrp_ifdelay_reload(struct vrrp_ifdelay *old, struct vrrp_engine *eng)
{
	struct vrrp_ifdelay *d = vrrp_ifdelay_start(eng);

	for (size_t i = 0; d && old && i < d->n; i++) {
		struct ifd_ent *e = &d->e[i];

		for (size_t j = 0; j < old->n; j++) {
			if (strcmp(old->e[j].ifname, e->ifname) || !old->e[j].known)
				continue;
			e->known = true;
			e->raw = e->shown = old->e[j].shown;
		}
	}
	/* a delay that was running starts again at the next link look-up */
	vrrp_ifdelay_free(old);
	return d;
}

void vrrp_ifdelay_free(struct vrrp_ifdelay *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		ev_cancel(&d->e[i].timer);
	free(d->e);
	free(d);
}
