/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_sync.h - vrrp_sync_group runtime: members change state together */
#ifndef KA_VRRP_SYNC_H
#define KA_VRRP_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "vrrp/vrrp_fsm.h"

struct vrrp_engine;
struct vrrp_inst;
struct vrrp_sync_group_cfg;

/*
 * keepalived's sync group rules: a member whose master-down timer runs out
 * waits (and re-arms) until every other member wants to become master too,
 * then all go together; a member yielding to a higher priority takes the
 * others back to BACKUP; one member in FAULT puts all of them in FAULT until
 * every fault is gone. The group's notify scripts run when all members have
 * reached the same state. The group's trackers count for every member (see
 * vrrp_inst.c).
 */
struct vrrp_sync {
	const struct vrrp_sync_group_cfg *cfg;
	struct vrrp_engine *eng;
	struct vrrp_inst **members;
	size_t n;
	enum vrrp_state state;   /* last state the group was notified for */
	bool busy;               /* taking the members along: ignore their echoes */
};

/* Group for cfg over the engine's instances whose cfg->sync is cfg (sets
 * their ->sync). Never NULL. */
struct vrrp_sync *vrrp_sync_new(struct vrrp_engine *eng, const struct vrrp_sync_group_cfg *cfg);

/* Unlink the members (their ->sync becomes NULL) and free. */
void vrrp_sync_free(struct vrrp_sync *s);

/* May vi (in BACKUP, its master-down timer expired) become MASTER now? */
bool vrrp_sync_may_become_master(const struct vrrp_sync *s, const struct vrrp_inst *vi);

/* vi went from `from` to its current state: take the others along. */
void vrrp_sync_member_changed(struct vrrp_sync *s, struct vrrp_inst *vi, enum vrrp_state from);

/* A member's own faults changed: set or clear VRRP_FAULT_SYNC on all
 * members and let each enter or leave FAULT. */
void vrrp_sync_update_faults(struct vrrp_sync *s);

#endif
