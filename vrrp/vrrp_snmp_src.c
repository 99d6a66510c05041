/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_snmp_src.c - the VRRP engine seen by the MIBs, and the engine's SNMP hooks */
#include <string.h>

#include "daemon/global_cfg.h"
#include "log.h"
#include "snmp_agent.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_nl.h"
#include "vrrp/vrrp_snmp_int.h"
#include "vrrp/vrrp_sync.h"

/* Error notifications (bad adverts) per instance: a burst, then at most
 * this many per window, so a flood of bad packets is not a trap flood. */
#define RX_TRAP_BURST 5
#define RX_TRAP_WINDOW_US (10 * 1000000ull)

/* ---- the source: reading the engine ---- */

static enum vrrp_snmp_state map_state(enum vrrp_state st, bool deleted)
{
	switch (st) {
	case VRRP_STATE_INIT: return VRRP_SNMP_INIT;
	case VRRP_STATE_BACKUP: return VRRP_SNMP_BACKUP;
	case VRRP_STATE_MASTER: return VRRP_SNMP_MASTER;
	case VRRP_STATE_FAULT: return VRRP_SNMP_FAULT;
	case VRRP_STATE_STOP: return deleted ? VRRP_SNMP_DELETED : VRRP_SNMP_SHUTDOWN;
	default: return VRRP_SNMP_UNKNOWN;
	}
}

static bool vips_all_set(struct vrrp_engine *eng, const struct vrrp_inst *vi)
{
	cfg_list_for_each(const struct vrrp_ipaddr, a, &vi->cfg->vips)
		if (!vrrp_nl_has_addr(eng->nl, &a->addr, vrrp_vip_ifindex(vi, a->dev)))
			return false;
	return true;
}

static void fill_stats(const struct vrrp_inst_stats *st, struct vrrp_snmp_counters *c)
{
	c->become_master = st->become_master;
	c->advert_rcvd = st->advert_rcvd;
	c->interval_err = st->advert_interval_err;
	c->auth_failure = st->auth_failure;
	c->ttl_err = st->ip_ttl_err;
	c->prio0_rcvd = st->pri_zero_rcvd;
	c->prio0_sent = st->pri_zero_sent;
	c->invalid_type = st->invalid_type_rcvd;
	c->addr_list_err = st->addr_list_err;
	c->invalid_auth_type = st->invalid_authtype;
	c->auth_type_mismatch = st->authtype_mismatch;
	c->len_err = st->packet_len_err;
	c->checksum_err = st->drops[VRRP_DROP_CHECKSUM];
	c->version_err = st->drops[VRRP_DROP_VERSION];
}

static void fill_scripts(const struct vrrp_instance_cfg *c, struct vrrp_snmp_inst *o)
{
	o->script_master = c->notify_master.cmd;
	o->script_backup = c->notify_backup.cmd;
	o->script_fault = c->notify_fault.cmd;
	o->script_stop = c->notify_stop.cmd;
	o->script = c->notify.cmd;
	o->script_rx_lower = c->notify_master_rx_lower_pri.cmd;
	o->script_deleted = c->notify_deleted_script.cmd;
	o->notify_exec = o->script_master || o->script_backup || o->script_fault ||
			 o->script_stop || o->script || o->script_deleted;
}

static bool src_inst(void *arg, size_t i, struct vrrp_snmp_inst *o)
{
	struct vrrp_engine *eng = arg;
	const struct vrrp_inst *vi;
	const struct vrrp_instance_cfg *c;

	/* during a reload the old array has holes for the instances taken over */
	if (i >= eng->ninst || !eng->inst[i])
		return false;
	vi = eng->inst[i];
	c = vi->cfg;
	o->name = c->name;
	o->vrid = (unsigned)c->vrid;
	o->version = (unsigned)c->version;
	o->family = c->family;
	o->state = map_state(vi->state, vi->deleted);
	o->initial_state = c->state == VRRP_WISH_MASTER ? VRRP_SNMP_MASTER : VRRP_SNMP_BACKUP;
	o->wanted_state = vi->state == VRRP_STATE_BACKUP && vi->want_master ? VRRP_SNMP_MASTER
									       : o->state;
	o->base_prio = vi->base_prio;
	o->prio = vi->prio;
	o->nvips = (unsigned)c->vips.n;
	o->vips_set = vips_all_set(eng, vi);
	o->ifname = vi->ifname;
	o->ifindex = vi->ifindex;
	o->track_primary = !c->dont_track_primary;
	o->preempt = !c->nopreempt;
	o->preempt_delay_us = c->preempt_delay;
	o->garp_delay_us = c->garp_master_delay;
	if (o->garp_delay_us == VRRP_UNSET_TIMER)
		o->garp_delay_us = eng->g->vrrp_garp_master_delay;
	o->adver_int_us = vi->adver_int;
	o->auth_type = c->auth_type;
	o->auth_pass = c->auth_pass;
	o->lvs_sync_if = c->lvs_sync_daemon_interface;
	o->sync_group = c->sync ? c->sync->name : NULL;
	o->smtp_alert = c->smtp_alert;
	fill_scripts(c, o);
	o->accept = c->accept == 1 || (c->accept < 0 && !c->strict_mode);
	o->promote_secondaries = c->promote_secondaries;
	o->linkbeat = c->linkbeat_use_polling;
	o->notify_deleted = c->notify_deleted;
	if (!vi->npeers && c->mcast_dst.family)
		o->mcast = c->mcast_dst;
	else if (!vi->npeers)
		o->mcast = c->family == AF_INET6 ? eng->g->vrrp_mcast_group6
						 : eng->g->vrrp_mcast_group4;
	o->master_addr = vi->master_addr;
	o->primary_addr = vi->saddr;
	fill_stats(&vi->stats, &o->stats);
	return true;
}

static const struct vrrp_ipaddr *nth_addr(const struct cfg_list *l, size_t j)
{
	cfg_list_for_each(const struct vrrp_ipaddr, a, l)
		if (!j--)
			return a;
	return NULL;
}

static void fill_addr(struct vrrp_engine *eng, const struct vrrp_ipaddr *a, int ifindex,
		      const char *ifname, bool advertised, struct vrrp_snmp_addr *o)
{
	o->addr = a->addr;
	o->brd = a->brd;
	o->peer = a->peer;
	o->scope = a->scope;
	o->ifindex = ifindex;
	o->ifname = ifname;
	o->label = a->label;
	o->set = ifindex > 0 && vrrp_nl_has_addr(eng->nl, &a->addr, ifindex);
	o->advertised = advertised;
}

static bool src_addr(void *arg, size_t i, size_t j, struct vrrp_snmp_addr *o)
{
	struct vrrp_engine *eng = arg;
	const struct vrrp_ipaddr *a;
	const struct vrrp_inst *vi;

	if (i == VRRP_SNMP_STATIC) {
		const char *dev;
		int idx;

		if (!(a = nth_addr(&eng->v->static_addrs, j)))
			return false;
		dev = a->dev ? a->dev : eng->g->default_interface;
		if (!dev)
			dev = "eth0";
		idx = a->dev ? vrrp_nl_ifindex(eng->nl, a->dev) : eng->default_ifindex;
		fill_addr(eng, a, idx > 0 ? idx : 0, dev, false, o);
		return true;
	}
	if (i >= eng->ninst || !eng->inst[i])
		return false;
	vi = eng->inst[i];
	a = nth_addr(&vi->cfg->vips, j);
	if (!a && !(a = nth_addr(&vi->cfg->evips, j - vi->cfg->vips.n)))
		return false;
	fill_addr(eng, a, vrrp_vip_ifindex(vi, a->dev), a->dev ? a->dev : vi->ifname,
		  j < vi->cfg->vips.n, o);
	return true;
}

static bool src_track_script(void *arg, size_t i, size_t j, struct vrrp_snmp_track *o)
{
	struct vrrp_engine *eng = arg;

	if (i >= eng->ninst || !eng->inst[i])
		return false;
	cfg_list_for_each(const struct vrrp_track_ref, t, &eng->inst[i]->cfg->tracks.scripts) {
		if (j--)
			continue;
		o->name = t->name;
		o->weight = t->weight;
		o->reverse = t->reverse;
		return true;
	}
	return false;
}

static bool src_group(void *arg, size_t i, struct vrrp_snmp_group *o)
{
	struct vrrp_engine *eng = arg;
	const struct vrrp_sync_group_cfg *c;

	if (i >= eng->ngroups)
		return false;
	c = eng->groups[i]->cfg;
	o->name = c->name;
	o->state = map_state(eng->groups[i]->state, false);
	o->smtp_alert = c->smtp_alert;
	o->tracking_weight = c->tracking_weight;
	o->script_master = c->notify_master.cmd;
	o->script_backup = c->notify_backup.cmd;
	o->script_fault = c->notify_fault.cmd;
	o->script_stop = c->notify_stop.cmd;
	o->script = c->notify.cmd;
	o->notify_exec = o->script_master || o->script_backup || o->script_fault ||
			 o->script_stop || o->script;
	return true;
}

static const char *src_member(void *arg, size_t i, size_t j)
{
	struct vrrp_engine *eng = arg;

	if (i >= eng->ngroups || j >= eng->groups[i]->n)
		return NULL;
	return eng->groups[i]->members[j]->cfg->name;
}

static void src_router_errors(void *arg, uint64_t *csum, uint64_t *version, uint64_t *vrid)
{
	struct vrrp_engine *eng = arg;

	*csum = *version = 0;
	for (size_t i = 0; i < eng->ninst; i++) {
		if (!eng->inst[i])
			continue;
		*csum += eng->inst[i]->stats.drops[VRRP_DROP_CHECKSUM];
		*version += eng->inst[i]->stats.drops[VRRP_DROP_VERSION];
	}
	*vrid = eng->socks.unknown_vrid;
}

static size_t src_inst_index(void *arg, const void *h)
{
	struct vrrp_engine *eng = arg;

	for (size_t i = 0; i < eng->ninst; i++)
		if (eng->inst[i] == h)
			return i;
	return SIZE_MAX;
}

static size_t src_group_index(void *arg, const void *h)
{
	struct vrrp_engine *eng = arg;

	for (size_t i = 0; i < eng->ngroups; i++)
		if (eng->groups[i] == h)
			return i;
	return SIZE_MAX;
}

static const struct vrrp_snmp_source engine_source = {
	.inst = src_inst,
	.addr = src_addr,
	.track_script = src_track_script,
	.group = src_group,
	.member = src_member,
	.router_errors = src_router_errors,
	.inst_index = src_inst_index,
	.group_index = src_group_index,
};

/* ---- life cycle ---- */

static bool wanted(const struct ka_snmp_settings *set)
{
	return set->vrrp || set->rfcv2 || set->rfcv3;
}

struct vrrp_snmp *vrrp_snmp_engine_start(struct vrrp_engine *eng)
{
	struct ka_snmp_settings set;
	struct vrrp_snmp *s;

	ka_snmp_settings(eng->opts, eng->g, &set);
	if (!wanted(&set))
		return NULL;
	s = vrrp_snmp_new(&engine_source, eng);
	s->set = set;
	s->global.g = eng->g;
	s->global.traps = set.traps;
	s->agent = snmp_agent_start(eng->loop, "keepalived", set.socket);
	if (!s->agent) {
		vrrp_snmp_free(s);
		return NULL;
	}
	vrrp_snmp_apply(s, ka_snmp_vrrp_serves_global(&set));
	return s;
}

struct vrrp_snmp *vrrp_snmp_engine_reload(struct vrrp_snmp *s, struct vrrp_engine *eng)
{
	struct ka_snmp_settings set;

	if (!s)
		return vrrp_snmp_engine_start(eng);
	ka_snmp_settings(eng->opts, eng->g, &set);
	if ((set.socket || s->set.socket) &&
	    (!set.socket || !s->set.socket || strcmp(set.socket, s->set.socket)))
		log_warnx("SNMP: a new snmp_socket takes effect at the next restart");
	set.socket = s->set.socket;
	s->set = set;
	s->global.g = eng->g;
	s->global.traps = set.traps;
	vrrp_snmp_apply(s, ka_snmp_vrrp_serves_global(&set));
	return s;
}

void vrrp_snmp_engine_stop(struct vrrp_snmp *s)
{
	if (!s)
		return;
	snmp_agent_stop(s->agent);
	vrrp_snmp_free(s);
}

/* ---- hooks ---- */

/* vrrpv3StatisticsNewMasterReason: priority(1) for an address owner,
 * preempted(2) when we took over from a lower-priority master,
 * masterNoResponse(3) when the master went silent or left. */
static int master_reason(const struct vrrp_inst *vi, enum vrrp_event ev)
{
	if (ev == VRRP_EV_PRIORITY_OWNER)
		return 1;
	if (vi->master_addr.family && vi->master_prio && vi->master_prio < vi->prio)
		return 2;
	return 3;
}

void vrrp_snmp_inst_changed(struct vrrp_snmp *s, const struct vrrp_inst *vi,
			    enum vrrp_state from, enum vrrp_event ev)
{
	struct vrrp_snmp_mark *m;
	size_t i;

	if (!s || from == vi->state)
		return;
	m = vrrp_snmp_mark(s, vi->cfg->name);
	if (from == VRRP_STATE_INIT)
		m->up_since_us = mono_usec();
	if (vi->state == VRRP_STATE_MASTER)
		m->master_reason = master_reason(vi, ev);
	i = s->src->inst_index(s->arg, vi);
	if (!s->set.traps || i == SIZE_MAX)
		return;
	if (s->set.vrrp)
		vrrp_snmp_trap_instance(s, i);
	if (vi->state == VRRP_STATE_MASTER)
		vrrp_snmp_trap_new_master(s, i);
}

void vrrp_snmp_group_changed(struct vrrp_snmp *s, const struct vrrp_sync *sg)
{
	size_t i;

	if (!s || !s->set.traps || !s->set.vrrp)
		return;
	i = s->src->group_index(s->arg, sg);
	if (i != SIZE_MAX)
		vrrp_snmp_trap_group(s, i);
}

/* vrrpv3StatisticsProtoErrReason of a drop, 0 if it is not one. */
static int proto_err(enum vrrp_drop r)
{
	switch (r) {
	case VRRP_DROP_TTL: return 1;
	case VRRP_DROP_VERSION: return 2;
	case VRRP_DROP_CHECKSUM: return 3;
	case VRRP_DROP_VRID: return 4;
	default: return 0;
	}
}

void vrrp_snmp_rx_error(struct vrrp_snmp *s, const struct vrrp_inst *vi,
			const struct vrrp_advert *adv, enum vrrp_drop r)
{
	struct vrrp_snmp_mark *m;
	unsigned dropped;
	size_t i;
	int pe = proto_err(r), auth = 0;

	if (!s)
		return;
	m = vrrp_snmp_mark(s, vi->cfg->name);
	if (pe)
		m->proto_err = pe;
	if (r == VRRP_DROP_AUTH_TYPE)
		auth = adv->auth_type > VRRP_PKT_AUTH_AH ? 1 : 2; /* invalid / mismatch */
	else if (r == VRRP_DROP_AUTH)
		auth = 3;
	if (!s->set.traps || (!pe && !auth))
		return;
	i = s->src->inst_index(s->arg, vi);
	if (i == SIZE_MAX || !log_rl_allow(&m->trap_rl, mono_usec(), RX_TRAP_BURST,
					   RX_TRAP_WINDOW_US, &dropped))
		return;
	if (auth)
		vrrp_snmp_trap_auth_failure(s, i, &adv->src, auth);
	if (pe)
		vrrp_snmp_trap_proto_error(s, i, pe);
}
