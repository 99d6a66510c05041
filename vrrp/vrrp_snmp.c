/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_snmp.c - KEEPALIVED-MIB vrrp subtree: sync groups, instances, addresses; its traps */
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "snmp_agent.h"
#include "util.h"
#include "vrrp/vrrp_snmp_int.h"

#define OID_VRRP KA_SNMP_OID_KEEPALIVED, 2

enum { T_GROUP = 1, T_MEMBER = 2, T_INST = 3, T_TRACK_SCRIPT = 5, T_ADDR = 6 };

/* ---- context ---- */

struct vrrp_snmp *vrrp_snmp_new(const struct vrrp_snmp_source *src, void *arg)
{
	struct vrrp_snmp *s = xcalloc(1, sizeof(*s));

	s->src = src;
	s->arg = arg;
	s->start_us = mono_usec();
	return s;
}

void vrrp_snmp_free(struct vrrp_snmp *s)
{
	if (!s)
		return;
	free(s->marks);
	free(s);
}

static void module_set(struct vrrp_snmp *s, const struct snmp_module *m, void *arg, bool on)
{
	if (on)
		snmp_agent_register(s->agent, m, arg);
	else
		snmp_agent_unregister(s->agent, m);
}

void vrrp_snmp_apply(struct vrrp_snmp *s, bool serve_global)
{
	if (!s->agent)
		return;
	module_set(s, &ka_snmp_global_module, &s->global, serve_global);
	module_set(s, &vrrp_snmp_kmib_module, s, s->set.vrrp);
	module_set(s, &vrrp_snmp_rfc2_module, s, s->set.rfcv2);
	module_set(s, &vrrp_snmp_rfc3_module, s, s->set.rfcv3);
}

struct vrrp_snmp_mark *vrrp_snmp_mark(struct vrrp_snmp *s, const char *name)
{
	struct vrrp_snmp_mark *m;

	for (size_t i = 0; i < s->nmarks; i++)
		if (!strncmp(s->marks[i].name, name, sizeof(s->marks[i].name) - 1))
			return &s->marks[i];
	s->marks = xrealloc(s->marks, (s->nmarks + 1) * sizeof(*s->marks));
	m = &s->marks[s->nmarks++];
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	return m;
}

uint64_t vrrp_snmp_uptime_cs(struct vrrp_snmp *s, const char *name)
{
	const struct vrrp_snmp_mark *m = vrrp_snmp_mark(s, name);

	if (!m->up_since_us || m->up_since_us < s->start_us)
		return 0;
	return (m->up_since_us - s->start_us) / 10000u;
}

void vrrp_snmp_send(struct vrrp_snmp *s, const struct snmp_trap *t)
{
	s->traps_built++;
	s->last_trap = *t;
	snmp_agent_notify(s->agent, t);
}

/* ---- helpers ---- */

bool vrrp_snmp_inst_at(struct vrrp_snmp *s, size_t i, struct vrrp_snmp_inst *out)
{
	memset(out, 0, sizeof(*out));
	return s->src->inst(s->arg, i, out);
}

static bool str_opt(struct snmp_value *v, const char *str)
{
	return str && snmp_val_str(v, str);
}

static bool enabled(struct snmp_value *v, bool yes)
{
	return snmp_val_bool(v, yes); /* enabled(1) / disabled(2), true(1) / false(2) */
}

/* ---- vrrpSyncGroupTable and vrrpSyncGroupMemberTable ---- */

static bool group_row(void *arg, struct snmp_row *r, bool first)
{
	struct vrrp_snmp *s = arg;
	struct vrrp_snmp_group g;

	r->a = first ? 0 : r->a + 1;
	if (!s->src->group(s->arg, r->a, &g))
		return false;
	snmp_oid_push(&r->idx, (uint32_t)r->a + 1);
	return true;
}

static bool group_get(void *arg, const struct snmp_row *r, uint32_t col, struct snmp_value *v)
{
	struct vrrp_snmp *s = arg;
	struct vrrp_snmp_group g;

	memset(&g, 0, sizeof(g));
	if (!s->src->group(s->arg, r->a, &g))
		return false;
	switch (col) {
	case 2: return snmp_val_str(v, g.name);
	case 3: return snmp_val_int(v, g.state);
	case 4: return enabled(v, g.smtp_alert);
	case 5: return enabled(v, g.notify_exec);
	case 6: return str_opt(v, g.script_master);
	case 7: return str_opt(v, g.script_backup);
	case 8: return str_opt(v, g.script_fault);
	case 9: return str_opt(v, g.script);
	case 10: return enabled(v, g.tracking_weight);
	case 11: return str_opt(v, g.script_stop);
	default: return false;
	}
}

static const struct snmp_table group_table = {
	.first_col = 2, .last_col = 11, .row = group_row, .get = group_get,
};

static bool member_row(void *arg, struct snmp_row *r, bool first)
{
	struct vrrp_snmp *s = arg;
	struct vrrp_snmp_group g;

	if (first)
		r->a = r->b = 0;
	else
		r->b++;
	while (s->src->group(s->arg, r->a, &g)) {
		if (s->src->member(s->arg, r->a, r->b)) {
			snmp_oid_push(&r->idx, (uint32_t)r->a + 1);
			snmp_oid_push(&r->idx, (uint32_t)r->b + 1);
			return true;
		}
		r->a++;
		r->b = 0;
	}
	return false;
}

static bool member_get(void *arg, const struct snmp_row *r, uint32_t col, struct snmp_value *v)
{
	struct vrrp_snmp *s = arg;

	return col == 2 && str_opt(v, s->src->member(s->arg, r->a, r->b));
}

static const struct snmp_table member_table = {
	.first_col = 2, .last_col = 2, .row = member_row, .get = member_get,
};

/* ---- vrrpInstanceTable ---- */

static bool inst_row(void *arg, struct snmp_row *r, bool first)
{
	struct vrrp_snmp_inst in;

	r->a = first ? 0 : r->a + 1;
	if (!vrrp_snmp_inst_at(arg, r->a, &in))
		return false;
	snmp_oid_push(&r->idx, (uint32_t)r->a + 1);
	return true;
}

/* Configuration columns: scripts and switches. */
static bool inst_get_cfg(const struct vrrp_snmp_inst *in, uint32_t col, struct snmp_value *v)
{
	switch (col) {
	case 16: return enabled(v, in->lvs_sync_if != NULL);
	case 17: return str_opt(v, in->lvs_sync_if);
	case 18: return str_opt(v, in->sync_group);
	case 19: return snmp_val_gauge(v, in->garp_delay_us / 1000000u);
	case 20: return enabled(v, in->smtp_alert);
	case 21: return enabled(v, in->notify_exec);
	case 22: return str_opt(v, in->script_master);
	case 23: return str_opt(v, in->script_backup);
	case 24: return str_opt(v, in->script_fault);
	case 25: return str_opt(v, in->script_stop);
	case 26: return str_opt(v, in->script);
	case 27: return snmp_val_bool(v, in->accept);
	case 28: return snmp_val_bool(v, in->promote_secondaries);
	case 29: return snmp_val_bool(v, in->linkbeat);
	case 30: return snmp_val_int(v, in->version);
	case 31: return str_opt(v, in->script_rx_lower);
	case 32: return str_opt(v, in->script_deleted);
	case 33: return snmp_val_bool(v, in->notify_deleted);
	case 34: return in->mcast.family && snmp_val_inet_type(v, &in->mcast);
	case 35: return in->mcast.family && snmp_val_inet(v, &in->mcast);
	default: return false;
	}
}

static bool inst_get(void *arg, const struct snmp_row *r, uint32_t col, struct snmp_value *v)
{
	struct vrrp_snmp_inst in;

	if (!vrrp_snmp_inst_at(arg, r->a, &in))
		return false;
	switch (col) {
	case 2: return snmp_val_str(v, in.name);
	case 3: return snmp_val_gauge(v, in.vrid);
	case 4: return snmp_val_int(v, in.state);
	case 5: return snmp_val_int(v, in.initial_state);
	case 6: return snmp_val_int(v, in.wanted_state);
	case 7: return snmp_val_int(v, in.base_prio);
	case 8: return snmp_val_int(v, in.prio);
	case 9: return snmp_val_int(v, in.vips_set ? 1 : 2);
	case 10: return snmp_val_str(v, in.ifname);
	case 11: return snmp_val_int(v, in.track_primary ? 1 : 2);
	case 12: /* seconds for VRRPv2, centiseconds for VRRPv3 */
		return snmp_val_gauge(v, in.adver_int_us / (in.version == 3 ? 10000u : 1000000u));
	case 13: return snmp_val_int(v, in.preempt ? 1 : 2);
	case 14: return snmp_val_gauge(v, in.preempt_delay_us / 1000000u);
	case 15: return snmp_val_int(v, in.version == 2 ? in.auth_type : 0);
	default: return inst_get_cfg(&in, col, v);
	}
}

static const struct snmp_table inst_table = {
	.first_col = 2, .last_col = 35, .row = inst_row, .get = inst_get,
};

/* ---- vrrpTrackedScriptTable ---- */

static bool track_row(void *arg, struct snmp_row *r, bool first)
{
	struct vrrp_snmp *s = arg;
	struct vrrp_snmp_inst in;
	struct vrrp_snmp_track t;

	if (first)
		r->a = r->b = 0;
	else
		r->b++;
	while (vrrp_snmp_inst_at(s, r->a, &in)) {
		if (s->src->track_script(s->arg, r->a, r->b, &t)) {
			snmp_oid_push(&r->idx, (uint32_t)r->a + 1);
			snmp_oid_push(&r->idx, (uint32_t)r->b + 1);
			return true;
		}
		r->a++;
		r->b = 0;
	}
	return false;
}

static bool track_get(void *arg, const struct snmp_row *r, uint32_t col, struct snmp_value *v)
{
	struct vrrp_snmp *s = arg;
	struct vrrp_snmp_track t;

	if (!s->src->track_script(s->arg, r->a, r->b, &t))
		return false;
	switch (col) {
	case 2: return snmp_val_str(v, t.name);
	case 3: return snmp_val_int(v, t.weight);
	case 4: return snmp_val_bool(v, t.reverse);
	default: return false;
	}
}

static const struct snmp_table track_table = {
	.first_col = 2, .last_col = 4, .row = track_row, .get = track_get,
};

/* ---- vrrpAddressTable: instance 0 holds the static addresses ---- */

static size_t addr_owner(const struct snmp_row *r)
{
	return r->a ? r->a - 1 : VRRP_SNMP_STATIC;
}

static bool addr_row(void *arg, struct snmp_row *r, bool first)
{
	struct vrrp_snmp *s = arg;
	struct vrrp_snmp_inst in;
	struct vrrp_snmp_addr ad;

	if (first)
		r->a = r->b = 0;
	else
		r->b++;
	for (;;) {
		if (r->a && !vrrp_snmp_inst_at(s, r->a - 1, &in))
			return false;
		if (s->src->addr(s->arg, addr_owner(r), r->b, &ad))
			break;
		r->a++;
		r->b = 0;
	}
	snmp_oid_push(&r->idx, (uint32_t)r->a);
	snmp_oid_push(&r->idx, (uint32_t)r->b + 1);
	return true;
}

/* InetScopeType from RT_SCOPE_*; an unwritten scope is global. */
static bool scope_val(struct snmp_value *v, int scope)
{
	switch (scope) {
	case RT_SCOPE_HOST: return snmp_val_int(v, 1);  /* interfaceLocal */
	case RT_SCOPE_LINK: return snmp_val_int(v, 2);  /* linkLocal */
	case RT_SCOPE_SITE: return snmp_val_int(v, 5);  /* siteLocal */
	case RT_SCOPE_NOWHERE: return false;
	default: return snmp_val_int(v, 14);            /* global */
	}
}

static bool addr_get(void *arg, const struct snmp_row *r, uint32_t col, struct snmp_value *v)
{
	struct vrrp_snmp *s = arg;
	struct vrrp_snmp_addr ad;

	memset(&ad, 0, sizeof(ad));
	if (!s->src->addr(s->arg, addr_owner(r), r->b, &ad))
		return false;
	switch (col) {
	case 2: return snmp_val_inet_type(v, &ad.addr);
	case 3: return snmp_val_inet(v, &ad.addr);
	case 4: return ad.brd.family && snmp_val_inet(v, &ad.brd);
	case 5: return snmp_val_gauge(v, ad.addr.prefix);
	case 6: return scope_val(v, ad.scope);
	case 7: return ad.ifindex > 0 && snmp_val_int(v, ad.ifindex);
	case 8: return str_opt(v, ad.ifname);
	case 9: return str_opt(v, ad.label);
	case 10: return snmp_val_int(v, ad.set ? 1 : 2);
	case 11: return snmp_val_int(v, ad.advertised ? 1 : 2);
	case 12: return ad.peer.family && snmp_val_inet(v, &ad.peer);
	default: return false;
	}
}

static const struct snmp_table addr_table = {
	.first_col = 2, .last_col = 12, .row = addr_row, .get = addr_get,
};

static const struct snmp_node kmib_nodes[] = {
	{ .sub = { T_GROUP }, .sublen = 1, .table = &group_table },
	{ .sub = { T_MEMBER }, .sublen = 1, .table = &member_table },
	{ .sub = { T_INST }, .sublen = 1, .table = &inst_table },
	{ .sub = { T_TRACK_SCRIPT }, .sublen = 1, .table = &track_table },
	{ .sub = { T_ADDR }, .sublen = 1, .table = &addr_table },
};

const struct snmp_module vrrp_snmp_kmib_module = {
	.name = "KEEPALIVED-MIB::vrrp",
	.root = { OID_VRRP },
	.rootlen = KA_SNMP_OID_KEEPALIVED_LEN + 1,
	.nodes = kmib_nodes,
	.nnodes = ARRAY_SIZE(kmib_nodes),
};

/* ---- notifications (vrrpTraps = vrrp.10.0) ---- */

/* base = vrrp.<table>.1 (the entry), for table cells in varbinds */
static void entry_oid(struct snmp_oid *o, uint32_t table)
{
	static const uint32_t vrrp[] = { OID_VRRP };

	snmp_oid_set(o, vrrp, ARRAY_SIZE(vrrp));
	snmp_oid_push(o, table);
	snmp_oid_push(o, 1);
}

void vrrp_snmp_trap_instance(struct vrrp_snmp *s, size_t i)
{
	static const uint32_t trap[] = { OID_VRRP, 10, 0, 2 };
	struct vrrp_snmp_inst in;
	struct snmp_trap t;
	struct snmp_oid base, idx = { .v = { (uint32_t)i + 1 }, .len = 1 };
	struct snmp_value *v;

	if (!vrrp_snmp_inst_at(s, i, &in))
		return;
	snmp_trap_init(&t, "vrrpInstanceStateChange", trap, ARRAY_SIZE(trap));
	entry_oid(&base, T_INST);
	if ((v = snmp_trap_add(&t, &base, 2, &idx)))
		snmp_val_str(v, in.name);
	if ((v = snmp_trap_add(&t, &base, 4, &idx)))
		snmp_val_int(v, in.state);
	if ((v = snmp_trap_add(&t, &base, 5, &idx)))
		snmp_val_int(v, in.initial_state);
	ka_snmp_trap_router_id(&t, s->global.g);
	vrrp_snmp_send(s, &t);
}

void vrrp_snmp_trap_group(struct vrrp_snmp *s, size_t i)
{
	static const uint32_t trap[] = { OID_VRRP, 10, 0, 1 };
	struct vrrp_snmp_group g;
	struct snmp_trap t;
	struct snmp_oid base, idx = { .v = { (uint32_t)i + 1 }, .len = 1 };
	struct snmp_value *v;

	memset(&g, 0, sizeof(g));
	if (!s->src->group(s->arg, i, &g))
		return;
	snmp_trap_init(&t, "vrrpSyncGroupStateChange", trap, ARRAY_SIZE(trap));
	entry_oid(&base, T_GROUP);
	if ((v = snmp_trap_add(&t, &base, 2, &idx)))
		snmp_val_str(v, g.name);
	if ((v = snmp_trap_add(&t, &base, 3, &idx)))
		snmp_val_int(v, g.state);
	ka_snmp_trap_router_id(&t, s->global.g);
	vrrp_snmp_send(s, &t);
}
