/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_promote.h - promote_secondaries: the sysctl set on instance interfaces while we run */
#ifndef KA_VRRP_PROMOTE_H
#define KA_VRRP_PROMOTE_H

struct vrrp_cfg;
struct vrrp_promote;

/*
 * When the kernel deletes the primary IPv4 address of a subnet it deletes
 * the secondary ones of that subnet too, unless the interface's
 * net.ipv4.conf.IF.promote_secondaries is 1, in which case a secondary
 * becomes the primary. A VIP can be that primary, so an instance with
 * promote_secondaries sets the sysctl to 1 on its interface.
 *
 * Make the set of interfaces with the sysctl forced to 1 match the
 * instances of v with promote_secondaries: interfaces newly wanted have
 * their value saved and set to 1, those no longer wanted get their saved
 * value back. An interface that does not exist yet is tried again at the
 * next call. p may be NULL (nothing set yet); returns the new state, NULL
 * when nothing is set.
 */
struct vrrp_promote *vrrp_promote_sync(struct vrrp_promote *p, const struct vrrp_cfg *v);

/* Put every saved value back and free; NULL is fine. Called at exit, after
 * the addresses were removed. */
void vrrp_promote_restore(struct vrrp_promote *p);

#endif
