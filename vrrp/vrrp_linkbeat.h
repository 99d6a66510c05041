/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_linkbeat.h - link state of chosen interfaces polled with MII, ethtool or ioctl */
#ifndef KA_VRRP_LINKBEAT_H
#define KA_VRRP_LINKBEAT_H

#include <stdbool.h>

struct vrrp_engine;
struct vrrp_linkbeat;
struct vrrp_nl;

/* Interval of the polls, in µs. */
#define VRRP_LINKBEAT_POLL_US 1000000ull

/*
 * Interfaces polled: those of linkbeat_interfaces (with their method), the
 * interface of each instance with linkbeat_use_polling, and, with the
 * global linkbeat_use_polling, every instance interface and tracked
 * interface. Each poll asks the driver: MII reads the PHY's basic status
 * register (SIOCGMIIPHY / SIOCGMIIREG, link bit), ETHTOOL asks ETHTOOL_GLINK
 * (SIOCETHTOOL), IOCTL reads the flags (SIOCGIFFLAGS: IFF_UP and
 * IFF_RUNNING). Without a method the first of MII, ETHTOOL, IOCTL the
 * driver answers is used. A missing interface is down. A change is logged
 * and every instance re-evaluated; netlink link events do not decide the
 * state of a polled interface.
 */
struct vrrp_linkbeat *vrrp_linkbeat_start(struct vrrp_engine *eng);

/* After a reload: the new list, polled once at once. */
struct vrrp_linkbeat *vrrp_linkbeat_reload(struct vrrp_linkbeat *lb, struct vrrp_engine *eng);

/* Stop polling and free; NULL is fine. */
void vrrp_linkbeat_free(struct vrrp_linkbeat *lb);

/* Up state of ifindex: the last poll for a polled interface, else
 * netlink's (IFF_UP and IFF_RUNNING). lb may be NULL. */
bool vrrp_linkbeat_up(const struct vrrp_linkbeat *lb, struct vrrp_nl *nl, int ifindex);

#endif
