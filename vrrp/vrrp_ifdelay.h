/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_ifdelay.h - interface_up_down_delays: link transitions acted on only once they last */
#ifndef KA_VRRP_IFDELAY_H
#define KA_VRRP_IFDELAY_H

#include <stdbool.h>

struct vrrp_engine;
struct vrrp_ifdelay;

/*
 * The engine's view of a link: up or down as linkbeat polling (for polled
 * interfaces) or netlink says, then held back by interface_up_down_delays:
 * a link of the list that goes down is only seen down once it has stayed
 * down for DOWN seconds, and back up once it has stayed up for UP seconds;
 * a change undone within its delay is never seen. The first look at a link
 * takes its state as is. Instance faults and track_interface use this.
 */
bool vrrp_link_up(struct vrrp_engine *eng, int ifindex);

/* Build the delay table from eng->v (NULL when there is none). */
struct vrrp_ifdelay *vrrp_ifdelay_start(struct vrrp_engine *eng);

/* After a reload: a new table; interfaces still listed keep what they
 * showed and any delay in progress is restarted with the new values. */
struct vrrp_ifdelay *vrrp_ifdelay_reload(struct vrrp_ifdelay *d, struct vrrp_engine *eng);

/* Cancel timers and free; NULL is fine. */
void vrrp_ifdelay_free(struct vrrp_ifdelay *d);

/* Re-resolve every instance (the engine's view of some link changed). */
void vrrp_link_changed_all(struct vrrp_engine *eng);

#endif
