/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_lvs_sync.h - the kernel's IPVS connection-sync daemons, run as a VRRP instance says */
#ifndef KA_VRRP_LVS_SYNC_H
#define KA_VRRP_LVS_SYNC_H

#include <stdbool.h>

#include "ipvs-glue/ipvs_msg.h"

struct global_cfg;
struct vrrp_cfg;
struct vrrp_engine;
struct vrrp_inst;
struct vrrp_lvs_sync;

/*
 * global_defs { lvs_sync_daemon IF [VI] [id N] [maxlen N] [port N] [ttl N]
 * [group IP] } (or the deprecated per-instance lvs_sync_daemon_interface)
 * makes the VRRP child run the kernel's connection-sync threads: the
 * master thread (sends our connection table) while the named instance is
 * MASTER, the backup thread (receives the peer's) in every other state;
 * with no instance named, both all the time. The daemons belong to the
 * IPVS table of the VRRP child's network namespace.
 *
 * When the kernel has no IPVS the failure is logged once and the VRRP
 * child carries on without connection sync.
 */

/* The sync daemon the configuration asks for. */
struct vrrp_lvs_sync_want {
	struct ipvs_daemon d;  /* .state unused; kernel defaults where 0 */
	const char *inst;      /* instance followed (points into v), NULL: both */
};

/*
 * Resolve the configuration: the global keyword wins; else the first
 * vrrp_instance with lvs_sync_daemon_interface, followed by that instance.
 * Without "id" the sync id is the followed instance's VRID (0 without
 * one). Returns false when no sync daemon is configured. Pure.
 */
bool vrrp_lvs_sync_resolve(const struct global_cfg *g, const struct vrrp_cfg *v,
			   struct vrrp_lvs_sync_want *out);

/* Same interface, id and multicast parameters (the instance aside)? */
bool vrrp_lvs_sync_same(const struct ipvs_daemon *a, const struct ipvs_daemon *b);

/*
 * Start for eng's configuration: stop any sync daemon a previous run left
 * in the kernel, then start what the followed instance's current state
 * calls for. Returns NULL when none is configured. The handle is freed by
 * vrrp_lvs_sync_stop().
 */
struct vrrp_lvs_sync *vrrp_lvs_sync_start(struct vrrp_engine *eng);

/*
 * vi changed state (called by vrrp_inst_event() after each transition;
 * s may be NULL): switch master/backup if vi is the instance followed.
 */
void vrrp_lvs_sync_inst_changed(struct vrrp_lvs_sync *s, const struct vrrp_inst *vi);

/*
 * eng has a new configuration (its instances already migrated): daemons
 * whose parameters are unchanged are left running, changed ones are
 * restarted, and the roles follow the (possibly new) instance. s may be
 * NULL. Returns the handle to keep (NULL when no longer configured).
 */
struct vrrp_lvs_sync *vrrp_lvs_sync_reload(struct vrrp_lvs_sync *s, struct vrrp_engine *eng);

/* Stop the daemons we started and free s (NULL is fine). */
void vrrp_lvs_sync_stop(struct vrrp_lvs_sync *s);

#endif
