/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_garp_group.h - garp_group: one GARP/NA rate limit shared by a set of interfaces */
#ifndef KA_VRRP_GARP_GROUP_H
#define KA_VRRP_GARP_GROUP_H

#include <stdbool.h>
#include <stdint.h>

struct vrrp_cfg;
struct vrrp_engine;
struct vrrp_garp_groups;

/*
 * Interfaces listed in a garp_group (often the VLANs of one physical port,
 * or the ports of one switch) share its garp_interval (IPv4 gratuitous ARP)
 * and gna_interval (IPv6 unsolicited NA): two announcements of a family
 * leave the group's interfaces at least that far apart, whichever instance
 * sends them. For those interfaces the group's interval replaces the global
 * vrrp_garp_interval / vrrp_gna_interval; an interval the group does not
 * set keeps the global one. Other interfaces are not limited across
 * instances.
 */

/* NULL when there is no garp_group. */
struct vrrp_garp_groups *vrrp_garp_group_start(const struct vrrp_cfg *v);
void vrrp_garp_group_free(struct vrrp_garp_groups *gg);

/* The spacing of an announcement run on ifname: the group's interval for
 * the family, else def. gg may be NULL. */
uint64_t vrrp_garp_group_interval(const struct vrrp_garp_groups *gg, const char *ifname,
				  bool v6, uint64_t def);

/*
 * May an announcement of the family leave ifindex at now (µs, monotonic)?
 * Returns 0 and counts it as sent, or the µs to wait. Always 0 for an
 * interface in no group.
 */
uint64_t vrrp_garp_group_take(struct vrrp_engine *eng, int ifindex, bool v6, uint64_t now);

/* Pure core of the above, for one group: last is the time of the previous
 * packet (0 = none). */
uint64_t vrrp_garp_group_wait(uint64_t last, uint64_t interval, uint64_t now);

#endif
