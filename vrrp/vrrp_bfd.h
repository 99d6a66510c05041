/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_bfd.h - track_bfd: BFD session states from the BFD child, for the priority rule */
#ifndef KA_VRRP_BFD_H
#define KA_VRRP_BFD_H

#include <stdbool.h>
#include <stdio.h>

#include "vrrp/vrrp_track.h"

struct ev_loop;
struct vrrp_bfd;
struct vrrp_bfd_cfg;
struct vrrp_cfg;
struct vrrp_tracks;

/*
 * The VRRP child's view of the BFD sessions: it reads the event channel
 * fd (daemon/bfd_event.h; the fd stays the caller's, -1 = no BFD child),
 * asks for every state at start, and holds each session Down until the
 * BFD child says it is Up. A bfd_instance that sends its state to the
 * checker only (`checker` without `vrrp`) is never told here: a track_bfd
 * naming it is ignored (UNKNOWN, logged once per configuration), as
 * keepalived drops it.
 *
 * cb is called from the loop, with kind VRRP_TRACK_KIND_BFD and the
 * session's vrrp_bfd_cfg, when a session some instance or sync group
 * tracks changes between Up and not Up; the caller re-evaluates the
 * trackers, as for a script or a file. v must stay valid until the next
 * reload or stop. Never NULL.
 */
struct vrrp_bfd *vrrp_bfd_start(struct ev_loop *loop, int fd, const struct vrrp_cfg *v,
				vrrp_track_changed_fn cb, void *arg);

/* Follow a new configuration; the states already known are kept (the
 * channel and the BFD child are not affected by a reload). */
void vrrp_bfd_reload(struct vrrp_bfd *b, const struct vrrp_cfg *v);

/* Stop reading, free. NULL is fine. */
void vrrp_bfd_stop(struct vrrp_bfd *b);

/* State of a session for track_bfd: UP, DOWN (also: not told yet), or
 * UNKNOWN when cfg does not send its state to VRRP. b may be NULL (then
 * every VRRP session is DOWN). */
enum vrrp_track_status vrrp_bfd_status(const struct vrrp_bfd *b, const struct vrrp_bfd_cfg *cfg);

/* Set lk's BFD function so the priority rule sees b's states. */
void vrrp_bfd_lookup_init(struct vrrp_track_lookup *lk, const struct vrrp_bfd *b);

/* SIGUSR1: every tracked session with its state and weight, then the
 * channel. Nothing when no bfd_instance is configured and no channel. */
void vrrp_bfd_dump(const struct vrrp_bfd *b, FILE *out);

/* JSON: ,"track_bfd":[...] for the sessions listed in the two track lists
 * (an instance's and its sync group's, either may be NULL); nothing when
 * both are empty. */
void vrrp_bfd_json(const struct vrrp_bfd *b, const struct vrrp_tracks *own,
		   const struct vrrp_tracks *group, FILE *out);

#endif
