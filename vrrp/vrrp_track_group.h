/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_track_group.h - track_group: instances in FAULT while a static object of theirs is gone */
#ifndef KA_VRRP_TRACK_GROUP_H
#define KA_VRRP_TRACK_GROUP_H

#include <stdbool.h>

#include "addr.h"

struct vrrp_engine;
struct vrrp_instance_cfg;
struct vrrp_nl_route_key;
struct vrrp_nl_rule_key;
struct vrrp_tgroups;

/*
 * A static_ipaddress, static_routes or static_rules line with
 * "track_group G" ties the instances of track_group G to that object:
 * while it is missing from the kernel (deleted by someone else) they stay in
 * FAULT. An address is back when it is added again (by an operator, or by
 * us at a reload, which installs every tracked static object again); a
 * route or rule is back after a reload, since the kernel reports only the
 * deletions of our routes and rules.
 */

/* Build the table from eng->v, once the static objects are installed
 * (NULL when no static object names a track group). */
struct vrrp_tgroups *vrrp_track_group_start(struct vrrp_engine *eng);

/* After a reload (static objects already synced): install the tracked
 * static objects again and start from "all present". */
struct vrrp_tgroups *vrrp_track_group_reload(struct vrrp_tgroups *t, struct vrrp_engine *eng);

void vrrp_track_group_free(struct vrrp_tgroups *t);

/* Is one of the track groups cfg belongs to missing an object? t may be NULL. */
bool vrrp_track_group_fault(const struct vrrp_tgroups *t, const struct vrrp_instance_cfg *cfg);

/* Monitor events (engine callbacks); arg of the last two is the engine. */
void vrrp_track_group_addr(struct vrrp_engine *eng, const struct ka_addr *addr, int ifindex,
			   bool added);
void vrrp_track_group_route_deleted(const struct vrrp_nl_route_key *k, void *arg);
void vrrp_track_group_rule_deleted(const struct vrrp_nl_rule_key *k, void *arg);

#endif
