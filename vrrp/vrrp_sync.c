/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_sync.c - vrrp_sync_group runtime: members change state together */
#include <stdlib.h>

#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_notify.h"
#include "vrrp/vrrp_snmp.h"
#include "vrrp/vrrp_sync.h"

struct vrrp_sync *vrrp_sync_new(struct vrrp_engine *eng, const struct vrrp_sync_group_cfg *cfg)
{
	struct vrrp_sync *s = xcalloc(1, sizeof(*s));

	s->cfg = cfg;
	s->eng = eng;
	s->state = VRRP_STATE_INIT;
	s->members = xcalloc(eng->ninst + 1, sizeof(*s->members));
	for (size_t i = 0; i < eng->ninst; i++) {
		struct vrrp_inst *vi = eng->inst[i];

		if (vi->cfg->sync != cfg)
			continue;
		vi->sync = s;
		s->members[s->n++] = vi;
	}
	return s;
}

void vrrp_sync_free(struct vrrp_sync *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (s->members[i]->sync == s)
			s->members[i]->sync = NULL;
	free(s->members);
	free(s);
}

bool vrrp_sync_may_become_master(const struct vrrp_sync *s, const struct vrrp_inst *vi)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct vrrp_inst *m = s->members[i];

		if (m == vi || m->state == VRRP_STATE_MASTER)
			continue;
		if (m->state != VRRP_STATE_BACKUP || !m->want_master)
			return false;
	}
	return true;
}

/* Notify the group once all members agree on a new state. */
static void sync_check_state(struct vrrp_sync *s)
{
	enum vrrp_state st;

	if (!s->n)
		return;
	st = s->members[0]->state;
	for (size_t i = 1; i < s->n; i++)
		if (s->members[i]->state != st)
			return;
	if (st == s->state || st == VRRP_STATE_INIT)
		return;
	log_info("VRRP_Group(%s) Syncing instances to %s state", s->cfg->name, vrrp_state_str(st));
	s->state = st;
	if (st == VRRP_STATE_MASTER || st == VRRP_STATE_BACKUP || st == VRRP_STATE_FAULT ||
	    st == VRRP_STATE_STOP)
		vrrp_notify_group(s->eng->notify, s->cfg,
				  st == VRRP_STATE_MASTER ? VRRP_NOTIFY_MASTER :
				  st == VRRP_STATE_BACKUP ? VRRP_NOTIFY_BACKUP :
				  st == VRRP_STATE_FAULT ? VRRP_NOTIFY_FAULT : VRRP_NOTIFY_STOP);
	vrrp_snmp_group_changed(s->eng->snmp, s);
}

void vrrp_sync_member_changed(struct vrrp_sync *s, struct vrrp_inst *vi, enum vrrp_state from)
{
	enum vrrp_state to = vi->state;

	if (!s->busy) {
		s->busy = true;
		for (size_t i = 0; i < s->n; i++) {
			struct vrrp_inst *m = s->members[i];

			if (m == vi)
				continue;
			if (to == VRRP_STATE_MASTER && m->state == VRRP_STATE_BACKUP)
				vrrp_inst_event(m, VRRP_EV_MASTER_DOWN_TIMER, NULL);
			else if (from == VRRP_STATE_MASTER && to == VRRP_STATE_BACKUP &&
				 m->state == VRRP_STATE_MASTER)
				vrrp_inst_event(m, VRRP_EV_FORCE_BACKUP, NULL);
		}
		s->busy = false;
	}
	sync_check_state(s);
}

void vrrp_sync_update_faults(struct vrrp_sync *s)
{
	bool faulty = false;

	for (size_t i = 0; i < s->n; i++)
		if (s->members[i]->fault & ~(unsigned)VRRP_FAULT_SYNC)
			faulty = true;
	for (size_t i = 0; i < s->n; i++) {
		struct vrrp_inst *m = s->members[i];

		if (faulty)
			m->fault |= VRRP_FAULT_SYNC;
		else
			m->fault &= ~(unsigned)VRRP_FAULT_SYNC;
	}
	for (size_t i = 0; i < s->n; i++)
		vrrp_inst_apply_fault(s->members[i]);
}
