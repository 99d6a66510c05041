/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_lvs_sync.c - the kernel's IPVS connection-sync daemons, run as a VRRP instance says */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/global_cfg.h"
#include "ipvs-glue/ipvs_nl.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_lvs_sync.h"

/* Index of a role in the arrays below. */
enum { ROLE_MASTER, ROLE_BACKUP, ROLE_MAX };

static const uint32_t role_state[ROLE_MAX] = { IP_VS_STATE_MASTER, IP_VS_STATE_BACKUP };
static const char *const role_name[ROLE_MAX] = { "master", "backup" };

struct vrrp_lvs_sync {
	struct ipvs_nl nl;
	bool usable;              /* IPVS answered; false: logged once, all no-ops */
	struct ipvs_daemon conf;  /* parameters of what we run (.state unused) */
	char *inst;               /* instance followed, NULL: master and backup */
	bool running[ROLE_MAX];   /* started by us and not stopped since */
};

/* ---- configuration -------------------------------------------------------- */

static void want_from_global(const struct global_lvs_sync *gs, const struct vrrp_cfg *v,
			     struct vrrp_lvs_sync_want *out)
{
	const struct vrrp_instance_cfg *vi = NULL;

	snprintf(out->d.ifname, sizeof(out->d.ifname), "%s", gs->ifname);
	out->d.sync_maxlen = (uint16_t)gs->maxlen;
	out->d.port = gs->port;
	out->d.ttl = (uint8_t)gs->ttl;
	out->d.group = gs->group;
	if (gs->vrrp_instance && v)
		vi = vrrp_cfg_find_instance(v, gs->vrrp_instance);
	out->inst = vi ? vi->name : NULL;
	if (gs->syncid_set)
		out->d.sync_id = gs->syncid;
	else if (vi && vi->vrid > 0)
		out->d.sync_id = (uint32_t)vi->vrid;
}

bool vrrp_lvs_sync_resolve(const struct global_cfg *g, const struct vrrp_cfg *v,
			   struct vrrp_lvs_sync_want *out)
{
	memset(out, 0, sizeof(*out));
	if (g && g->lvs_sync_daemon.set && g->lvs_sync_daemon.ifname) {
		want_from_global(&g->lvs_sync_daemon, v, out);
		return true;
	}
	if (!v)
		return false;
	/* deprecated: the first instance naming an interface is followed */
	cfg_list_for_each(const struct vrrp_instance_cfg, c, &v->instances) {
		if (!c->lvs_sync_daemon_interface)
			continue;
		snprintf(out->d.ifname, sizeof(out->d.ifname), "%s",
			 c->lvs_sync_daemon_interface);
		out->d.sync_id = c->vrid > 0 ? (uint32_t)c->vrid : 0;
		out->inst = c->name;
		return true;
	}
	return false;
}

bool vrrp_lvs_sync_same(const struct ipvs_daemon *a, const struct ipvs_daemon *b)
{
	if (strcmp(a->ifname, b->ifname) || a->sync_id != b->sync_id ||
	    a->sync_maxlen != b->sync_maxlen || a->port != b->port || a->ttl != b->ttl ||
	    a->group.family != b->group.family)
		return false;
	return a->group.family == AF_UNSPEC || ka_addr_equal(&a->group, &b->group);
}

/* ---- the kernel's daemons ------------------------------------------------- */

static void sync_stop_role(struct vrrp_lvs_sync *s, int r)
{
	int err = ipvs_nl_stop_daemon(&s->nl, role_state[r]);

	if (err && err != -ESRCH)
		log_warnx("IPVS: %s", ipvs_nl_errmsg(&s->nl));
	else
		log_info("IPVS: %s sync daemon stopped", role_name[r]);
	s->running[r] = false;
}

static void sync_start_role(struct vrrp_lvs_sync *s, int r)
{
	struct ipvs_daemon d = s->conf;
	int err;

	d.state = role_state[r];
	err = ipvs_nl_start_daemon(&s->nl, &d);
	if (err == -EEXIST) {
		/* not ours (started by hand since): take it over with our settings */
		ipvs_nl_stop_daemon(&s->nl, d.state);
		err = ipvs_nl_start_daemon(&s->nl, &d);
	}
	if (err) {
		/* retried at the next state change or reload */
		log_warnx("IPVS: %s", ipvs_nl_errmsg(&s->nl));
		return;
	}
	s->running[r] = true;
	log_info("IPVS: %s sync daemon started on %s (syncid %u)", role_name[r], d.ifname,
		 (unsigned)d.sync_id);
}

/* Make the running set {master?, backup?} what is wanted; stop first, so
 * a switch never has both (keepalived's order). */
static void sync_apply(struct vrrp_lvs_sync *s, bool master)
{
	bool want[ROLE_MAX] = { master || !s->inst, !master || !s->inst };

	if (!s->usable)
		return;
	for (int r = 0; r < ROLE_MAX; r++)
		if (s->running[r] && !want[r])
			sync_stop_role(s, r);
	for (int r = 0; r < ROLE_MAX; r++)
		if (want[r] && !s->running[r])
			sync_start_role(s, r);
}

/* Is the followed instance MASTER now? */
static bool followed_is_master(const struct vrrp_lvs_sync *s, const struct vrrp_engine *eng)
{
	if (!s->inst)
		return false;
	for (size_t i = 0; i < eng->ninst; i++)
		if (!strcmp(eng->inst[i]->cfg->name, s->inst))
			return eng->inst[i]->state == VRRP_STATE_MASTER;
	return false;
}

static void sync_set_want(struct vrrp_lvs_sync *s, const struct vrrp_lvs_sync_want *w)
{
	s->conf = w->d;
	s->conf.state = 0;
	free(s->inst);
	s->inst = w->inst ? xstrdup(w->inst) : NULL;
}

/* Open IPVS; on failure say so (unless quiet: said already), stay inert. */
static void sync_open(struct vrrp_lvs_sync *s, bool quiet)
{
	int err = ipvs_nl_open(&s->nl);

	if (!err) {
		s->usable = true;
		return;
	}
	if (quiet)
		log_debug("lvs_sync_daemon: still no IPVS: %s", ipvs_nl_errmsg(&s->nl));
	else if (err == -ENOENT)
		log_warnx("lvs_sync_daemon: the kernel has no IPVS (module ip_vs not loaded): "
			  "running without connection synchronisation");
	else
		log_warnx("lvs_sync_daemon: cannot talk to IPVS (%s): running without "
			  "connection synchronisation", ipvs_nl_errmsg(&s->nl));
	ipvs_nl_close(&s->nl);
}

static struct vrrp_lvs_sync *sync_create(struct vrrp_engine *eng, bool quiet)
{
	struct vrrp_lvs_sync_want w;
	struct vrrp_lvs_sync *s;

	if (!vrrp_lvs_sync_resolve(eng->g, eng->v, &w))
		return NULL;
	s = xcalloc(1, sizeof(*s));
	sync_set_want(s, &w);
	sync_open(s, quiet);
	if (s->usable) {
		/* leftovers of a run that ended without stopping them */
		for (int r = 0; r < ROLE_MAX; r++)
			ipvs_nl_stop_daemon(&s->nl, role_state[r]);
	}
	sync_apply(s, followed_is_master(s, eng));
	return s;
}

struct vrrp_lvs_sync *vrrp_lvs_sync_start(struct vrrp_engine *eng)
{
	return sync_create(eng, false);
}

void vrrp_lvs_sync_inst_changed(struct vrrp_lvs_sync *s, const struct vrrp_inst *vi)
{
	/* an instance removed by a reload: the reload decides afterwards */
	if (!s || !s->inst || vi->deleted || strcmp(vi->cfg->name, s->inst))
		return;
	sync_apply(s, vi->state == VRRP_STATE_MASTER);
}

struct vrrp_lvs_sync *vrrp_lvs_sync_reload(struct vrrp_lvs_sync *s, struct vrrp_engine *eng)
{
	struct vrrp_lvs_sync_want w;

	if (!vrrp_lvs_sync_resolve(eng->g, eng->v, &w)) {
		vrrp_lvs_sync_stop(s);
		return NULL;
	}
	if (!s || !s->usable) {
		/* new, or IPVS was missing (the module may be loaded by now): try
		 * afresh, without repeating an error already logged */
		bool quiet = s != NULL;

		vrrp_lvs_sync_stop(s);
		return sync_create(eng, quiet);
	}
	if (!vrrp_lvs_sync_same(&s->conf, &w.d)) {
		log_info("IPVS: sync daemon parameters changed: restarting");
		for (int r = 0; r < ROLE_MAX; r++)
			if (s->running[r])
				sync_stop_role(s, r);
	}
	sync_set_want(s, &w);
	sync_apply(s, followed_is_master(s, eng));
	return s;
}

void vrrp_lvs_sync_stop(struct vrrp_lvs_sync *s)
{
	if (!s)
		return;
	for (int r = 0; r < ROLE_MAX; r++)
		if (s->usable && s->running[r])
			sync_stop_role(s, r);
	if (s->usable)
		ipvs_nl_close(&s->nl);
	free(s->inst);
	free(s);
}
