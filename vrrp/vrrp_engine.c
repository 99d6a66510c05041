/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_engine.c - the VRRP engine: start, reload (diff), stop, netlink and tracker events */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "daemon/options.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_bfd.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_garp_group.h"
#include "vrrp/vrrp_ifdelay.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_linkbeat.h"
#include "vrrp/vrrp_lvs_sync.h"
#include "vrrp/vrrp_mail.h"
#include "vrrp/vrrp_nl.h"
#include "vrrp/vrrp_nft.h"
#include "vrrp/vrrp_notify.h"
#include "vrrp/vrrp_promote.h"
#include "vrrp/vrrp_snmp.h"
#include "vrrp/vrrp_sync.h"
#include "vrrp/vrrp_track.h"
#include "vrrp/vrrp_track_proc.h"
#include "vrrp/vrrp_track_group.h"

#define ERRLEN 256

/* ---- GARP/NA senders ------------------------------------------------------- */

struct vrrp_announcer *vrrp_engine_announcer(struct vrrp_engine *eng, int ifindex,
					     unsigned families)
{
	struct vrrp_engine_ann *a = NULL;
	int rc;

	for (size_t i = 0; i < eng->nann; i++)
		if (eng->ann[i].an.ifindex == ifindex)
			a = &eng->ann[i];
	if (a && (a->families & families) == families)
		return &a->an;
	if (!a) {
		eng->ann = xrealloc(eng->ann, (eng->nann + 1) * sizeof(*eng->ann));
		a = &eng->ann[eng->nann++];
		memset(a, 0, sizeof(*a));
		a->an.pkt_fd = a->an.icmp6_fd = -1;
	} else {
		vrrp_announcer_close(&a->an);
	}
	a->families |= families;
	rc = vrrp_announcer_open(&a->an, ifindex, a->families);
	if (rc < 0) {
		log_warnx("cannot open GARP/NA sockets on interface %d: %s", ifindex, strerror(-rc));
		a->families = 0;
		a->an.ifindex = 0; /* retried next time */
		return NULL;
	}
	return &a->an;
}

/* The link changed its MAC or went away: reopen on next use. */
static void engine_forget_announcer(struct vrrp_engine *eng, int ifindex)
{
	for (size_t i = 0; i < eng->nann; i++) {
		if (eng->ann[i].an.ifindex != ifindex)
			continue;
		vrrp_announcer_close(&eng->ann[i].an);
		eng->ann[i].an.ifindex = 0;
		eng->ann[i].families = 0;
	}
}

static void engine_close_announcers(struct vrrp_engine *eng)
{
	for (size_t i = 0; i < eng->nann; i++)
		vrrp_announcer_close(&eng->ann[i].an);
	free(eng->ann);
	eng->ann = NULL;
	eng->nann = 0;
}

/* ---- events from netlink and trackers --------------------------------------- */

static void engine_relink_all(struct vrrp_engine *eng)
{
	for (size_t i = 0; i < eng->ninst; i++)
		vrrp_inst_relink(eng->inst[i]);
}

static void link_changed_cb(int ifindex, const char *ifname, bool up, void *arg)
{
	struct vrrp_engine *eng = arg;
	uint8_t mac[6];

	for (size_t i = 0; i < eng->nann; i++)
		if (eng->ann[i].an.ifindex == ifindex &&
		    vrrp_nl_link_mac(eng->nl, ifindex, mac) == 0)
			memcpy(eng->ann[i].an.mac, mac, sizeof(mac));
	log_debug("link %s (%d) is %s", ifname, ifindex, up ? "up" : "down");
	if (eng->promote)
		eng->promote = vrrp_promote_sync(eng->promote, eng->v); /* a late interface */
	engine_relink_all(eng);
}

static void link_deleted_cb(int ifindex, const char *ifname, void *arg)
{
	struct vrrp_engine *eng = arg;

	log_info("interface %s deleted", ifname);
	engine_forget_announcer(eng, ifindex);
	engine_relink_all(eng);
}

/* A tracked VIP vanished while we are master: keepalived leaves MASTER
 * (the election then decides who owns it, and re-adds it). */
static void engine_vip_lost(struct vrrp_engine *eng, const struct ka_addr *addr, int ifindex)
{
	char buf[KA_ADDR_STRLEN];

	for (size_t i = 0; i < eng->ninst; i++) {
		struct vrrp_inst *vi = eng->inst[i];

		if (vi->state != VRRP_STATE_MASTER || !vi->vips_set ||
		    !vrrp_inst_owns_addr(vi, addr, ifindex) ||
		    vrrp_nl_has_addr(eng->nl, addr, ifindex))
			continue;
		log_info("(%s) virtual address %s was removed, leaving MASTER", vi->cfg->name,
			 ka_addr_str(addr, buf));
		vrrp_inst_event(vi, VRRP_EV_FORCE_BACKUP, NULL);
	}
}

static void addr_changed_cb(int family, const struct ka_addr *addr, int ifindex, bool added,
			    void *arg)
{
	struct vrrp_engine *eng = arg;
	char buf[KA_ADDR_STRLEN];

	if (eng->opts && eng->opts->address_monitoring)
		log_info("address %s %s on interface %d", ka_addr_str(addr, buf),
			 added ? "added" : "deleted", ifindex);
	if (!added)
		engine_vip_lost(eng, addr, ifindex);
	vrrp_track_group_addr(eng, addr, ifindex, added);
	/* advert source addresses may have come or gone */
	for (size_t i = 0; i < eng->ninst; i++)
		if ((eng->inst[i]->ifindex == ifindex && !eng->inst[i]->cfg->src_ip.family) ||
		    eng->inst[i]->cfg->track_src_ip)
			vrrp_inst_relink(eng->inst[i]);
}

static void track_changed_cb(void *arg, enum vrrp_track_kind kind, const void *cfg)
{
	struct vrrp_engine *eng = arg;

	for (size_t i = 0; i < eng->ninst; i++)
		vrrp_inst_reevaluate(eng->inst[i]);
}

/* ---- building ------------------------------------------------------------------- */

static void engine_take_config(struct vrrp_engine *eng, const struct ka_config *config)
{
	const char *defif;
	int idx;

	eng->config = config;
	eng->v = config->vrrp;
	eng->g = config->global;
	eng->socks.log_unknown_vrids = eng->g->log_unknown_vrids;
	defif = eng->g->default_interface ? eng->g->default_interface : "eth0";
	idx = vrrp_nl_ifindex(eng->nl, defif);
	eng->default_ifindex = idx > 0 ? idx : 0;
}

/* A group's name and state, kept across a reload so a group that survives
 * it is not notified again. */
struct group_state {
	const char *name;
	enum vrrp_state state;
};

static void engine_build_groups(struct vrrp_engine *eng, const struct group_state *old,
				size_t nold)
{
	eng->groups = xcalloc(eng->v->sync_groups.n + 1, sizeof(*eng->groups));
	eng->ngroups = 0;
	cfg_list_for_each(const struct vrrp_sync_group_cfg, sg, &eng->v->sync_groups) {
		struct vrrp_sync *s = vrrp_sync_new(eng, sg);

		for (size_t i = 0; i < nold; i++)
			if (!strcmp(old[i].name, sg->name))
				s->state = old[i].state;
		eng->groups[eng->ngroups++] = s;
	}
}

static void engine_free_groups(struct vrrp_engine *eng)
{
	for (size_t i = 0; i < eng->ngroups; i++)
		vrrp_sync_free(eng->groups[i]);
	free(eng->groups);
	eng->groups = NULL;
	eng->ngroups = 0;
}

static void static_set(struct vrrp_vip_set *set, const struct vrrp_cfg *v)
{
	memset(set, 0, sizeof(*set));
	if (!v)
		return;
	set->addrs[0] = &v->static_addrs;
	set->routes = &v->static_routes;
	set->rules = &v->static_rules;
}

static void engine_start_instances(struct ev_loop *loop, void *arg)
{
	struct vrrp_engine *eng = arg;

	for (size_t i = 0; i < eng->ninst; i++)
		if (eng->inst[i]->state == VRRP_STATE_INIT)
			vrrp_inst_start(eng->inst[i]);
}

struct vrrp_engine *vrrp_engine_start(struct ev_loop *loop, const struct ka_config *config,
				      const struct ka_options *opts, int bfd_fd)
{
	static const struct vrrp_nl_cbs cbs = {
		.link_changed = link_changed_cb,
		.link_deleted = link_deleted_cb,
		.addr_changed = addr_changed_cb,
		.route_deleted = vrrp_track_group_route_deleted,
		.rule_deleted = vrrp_track_group_rule_deleted,
	};
	struct vrrp_engine *eng = xcalloc(1, sizeof(*eng));
	struct vrrp_vip_set none, st;

	eng->loop = loop;
	eng->opts = opts;
	eng->keep_addrs = opts && opts->dont_release_vrrp;
	vrrp_socks_init(&eng->socks, loop);
	eng->nl = vrrp_nl_open(loop, &cbs, eng);
	if (!eng->nl) {
		log_warn("cannot open netlink");
		free(eng);
		return NULL;
	}
	engine_take_config(eng, config);
	static_set(&none, NULL);
	static_set(&st, eng->v);
	vrrp_vip_sync(eng->nl, eng->default_ifindex, "static", &none, &st, NULL);
	/* before any instance: a killed run's drops go first */
	eng->nft = vrrp_nft_new(eng->g);
	if (vrrp_nft_needed(eng->g, eng->v))
		vrrp_nft_prepare(eng->nft);
	eng->tgroups = vrrp_track_group_start(eng);
	eng->promote = vrrp_promote_sync(NULL, eng->v);
	eng->linkbeat = vrrp_linkbeat_start(eng);
	eng->ifdelay = vrrp_ifdelay_start(eng);
	eng->garp_groups = vrrp_garp_group_start(eng->v);
	eng->trk = vrrp_track_start(loop, eng->v, eng->g, track_changed_cb, eng);
	eng->tproc = vrrp_tproc_start(loop, eng->v, eng->g, opts ? opts->netns_home_fd : -1,
				      track_changed_cb, eng);
	eng->bfd = vrrp_bfd_start(loop, bfd_fd, eng->v, track_changed_cb, eng);
	eng->notify = vrrp_notify_start(loop, eng->g);
	eng->mail = vrrp_mail_start(loop, eng->g, eng->notify);
	eng->inst = xcalloc(eng->v->instances.n + 1, sizeof(*eng->inst));
	cfg_list_for_each(const struct vrrp_instance_cfg, c, &eng->v->instances)
		eng->inst[eng->ninst++] = vrrp_inst_new(eng, c);
	engine_build_groups(eng, NULL, 0);
	eng->snmp = vrrp_snmp_engine_start(eng);
	eng->lvs_sync = vrrp_lvs_sync_start(eng);
	if (eng->g->vrrp_startup_delay) {
		log_info("delaying VRRP start by %llu ms",
			 (unsigned long long)(eng->g->vrrp_startup_delay / 1000));
		ev_timer_add(loop, engine_start_instances, eng, eng->g->vrrp_startup_delay,
			     &eng->start_timer);
	} else {
		engine_start_instances(loop, eng);
	}
	return eng;
}

/* ---- reload ------------------------------------------------------------------------ */

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* keepalived matches instances across a reload by name, VRID, interface
 * and family. */
static bool inst_matches(const struct vrrp_instance_cfg *a, const struct vrrp_instance_cfg *b)
{
	return !strcmp(a->name, b->name) && a->vrid == b->vrid && a->family == b->family &&
	       str_eq(a->interface, b->interface);
}

/* The instance of old that c continues, or NULL; taken out of old. */
static struct vrrp_inst *take_match(struct vrrp_inst **old, size_t n,
				    const struct vrrp_instance_cfg *c)
{
	for (size_t i = 0; i < n; i++) {
		struct vrrp_inst *vi = old[i];

		if (vi && inst_matches(vi->cfg, c)) {
			old[i] = NULL;
			return vi;
		}
	}
	return NULL;
}

/* Instances removed by the reload: release as at shutdown, notify DELETED. */
static void engine_drop_unmatched(struct vrrp_engine *eng, struct vrrp_inst **old, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct vrrp_inst *vi = old[i];

		if (!vi)
			continue;
		log_info("(%s) removed by reload", vi->cfg->name);
		vi->deleted = true;
		vi->sync = NULL;
		vrrp_inst_event(vi, VRRP_EV_SHUTDOWN, NULL);
		vrrp_inst_free(vi);
	}
}

int vrrp_engine_reload(struct vrrp_engine *eng, const struct ka_config *config)
{
	const struct vrrp_cfg *oldv = eng->v;
	struct vrrp_inst **old = eng->inst, **nw;
	size_t nold = eng->ninst, ngold = eng->ngroups, n = 0;
	struct group_state *gs = xcalloc(ngold + 1, sizeof(*gs));
	struct vrrp_vip_set so, sn;

	/* group names point into the old configuration, valid until we return */
	for (size_t i = 0; i < ngold; i++) {
		gs[i].name = eng->groups[i]->cfg->name;
		gs[i].state = eng->groups[i]->state;
	}
	engine_free_groups(eng);
	nw = xcalloc(config->vrrp->instances.n + 1, sizeof(*nw));
	/* first pass: find which runtime instances continue */
	cfg_list_for_each(const struct vrrp_instance_cfg, c, &config->vrrp->instances)
		nw[n++] = take_match(old, nold, c);
	engine_drop_unmatched(eng, old, nold);
	free(old);
	engine_take_config(eng, config);
	static_set(&so, oldv);
	static_set(&sn, eng->v);
	vrrp_vip_sync(eng->nl, eng->default_ifindex, "static", &so, &sn, NULL);
	vrrp_nft_reload(eng->nft, eng->g);
	if (vrrp_nft_needed(eng->g, eng->v))
		vrrp_nft_prepare(eng->nft);
	eng->tgroups = vrrp_track_group_reload(eng->tgroups, eng);
	eng->promote = vrrp_promote_sync(eng->promote, eng->v);
	eng->linkbeat = vrrp_linkbeat_reload(eng->linkbeat, eng);
	eng->ifdelay = vrrp_ifdelay_reload(eng->ifdelay, eng);
	vrrp_garp_group_free(eng->garp_groups);
	eng->garp_groups = vrrp_garp_group_start(eng->v);
	vrrp_track_reload(eng->trk, eng->v, eng->g);
	vrrp_tproc_reload(eng->tproc, eng->v, eng->g);
	vrrp_bfd_reload(eng->bfd, eng->v);
	vrrp_notify_reload(eng->notify, eng->g);
	vrrp_mail_reload(eng->mail, eng->g);
	eng->inst = nw;
	eng->ninst = n;
	n = 0;
	cfg_list_for_each(const struct vrrp_instance_cfg, c, &eng->v->instances) {
		if (nw[n])
			vrrp_inst_migrate(nw[n], c);
		else
			nw[n] = vrrp_inst_new(eng, c);
		n++;
	}
	engine_build_groups(eng, gs, ngold);
	free(gs);
	eng->snmp = vrrp_snmp_engine_reload(eng->snmp, eng);
	eng->lvs_sync = vrrp_lvs_sync_reload(eng->lvs_sync, eng);
	for (size_t i = 0; i < eng->ninst; i++)
		vrrp_inst_reevaluate(eng->inst[i]);
	if (!eng->start_timer)
		engine_start_instances(eng->loop, eng);
	return 0;
}

/* ---- stop -------------------------------------------------------------------------- */

void vrrp_engine_stop(struct vrrp_engine *eng)
{
	struct vrrp_vip_set none, st;

	if (!eng)
		return;
	eng->stopping = true;
	ev_cancel(&eng->start_timer);
	/* first: leaving MASTER must not start a backup daemon on the way out */
	vrrp_lvs_sync_stop(eng->lvs_sync);
	eng->lvs_sync = NULL;
	for (size_t i = 0; i < eng->ninst; i++)
		vrrp_inst_event(eng->inst[i], VRRP_EV_SHUTDOWN, NULL);
	vrrp_snmp_engine_stop(eng->snmp); /* after the shutdown notifications */
	eng->snmp = NULL;
	/* waits (up to 1 s) for notify_stop scripts, then frees the notifier */
	vrrp_notify_stop(eng->notify);
	eng->notify = NULL;
	if (!eng->keep_addrs) {
		static_set(&none, NULL);
		static_set(&st, eng->v);
		vrrp_vip_sync(eng->nl, eng->default_ifindex, "static", &st, &none, NULL);
	}
	/* after the addresses: removing a VIP must still promote secondaries */
	vrrp_promote_restore(eng->promote);
	vrrp_track_group_free(eng->tgroups);
	vrrp_linkbeat_free(eng->linkbeat);
	vrrp_ifdelay_free(eng->ifdelay);
	vrrp_garp_group_free(eng->garp_groups);
	engine_free_groups(eng);
	for (size_t i = 0; i < eng->ninst; i++)
		vrrp_inst_free(eng->inst[i]);
	free(eng->inst);
	vrrp_socks_close(&eng->socks);
	vrrp_track_stop(eng->trk);
	vrrp_tproc_stop(eng->tproc);
	vrrp_bfd_stop(eng->bfd);
	engine_close_announcers(eng);
	/* the instances released their addresses: the drop table goes */
	vrrp_nft_free(eng->nft, eng->keep_addrs);
	vrrp_nl_close(eng->nl);
	/* last: everything is released before we wait for the relay */
	vrrp_mail_stop(eng->mail, NULL);
	free(eng);
}
