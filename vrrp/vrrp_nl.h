/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nl.h - rtnetlink layer of the VRRP process: links, addresses, routes, rules, VMACs */
#ifndef KA_VRRP_NL_H
#define KA_VRRP_NL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct ev_loop;
struct vrrp_nl;
struct vrrp_ipaddr;
struct vrrp_route;
struct vrrp_rule;
struct vrrp_instance_cfg;
struct vrrp_cfg;

/*
 * One struct vrrp_nl per process, built on libnl-route-3:
 *
 *  - a command socket for synchronous requests: every request waits for
 *    the kernel's acknowledgement, and a refusal comes back as -errno plus
 *    a message naming the operation, the object and, when the kernel gave
 *    one, its extended-ack text;
 *  - with an event loop, a monitor socket subscribed to link and IPv4/IPv6
 *    address notifications, read without blocking from the loop, which
 *    keeps a link and an address cache current (lookups cost no syscall)
 *    and reports changes through struct vrrp_nl_cbs.
 *
 * Request functions never log: they return 0 or -errno and, on error,
 * write "add address 10.0.0.100/24 dev eth0: Operation not permitted" into
 * err (errlen bytes; err may be NULL). Adding what already exists and
 * deleting what is already gone both succeed, so a respawned process can
 * clear the leftovers of a killed one by deleting everything it may have
 * installed.
 */

/* What identifies a deleted route, as the kernel notified it. */
struct vrrp_nl_route_key {
	int family;
	int type;            /* RTN_* */
	struct ka_addr dst;  /* prefix = destination length (0: default) */
	uint32_t table;
	uint32_t metric;     /* 0 if none was given */
	int tos;
};

/* What identifies a deleted policy rule. */
struct vrrp_nl_rule_key {
	int family;
	int action;            /* FR_ACT_* */
	struct ka_addr from, to; /* AF_UNSPEC = all */
	uint32_t priority;
	uint32_t table;
};

/* Callbacks from the monitor; any may be NULL. They run from the event loop
 * (never from a request function) and may issue requests, but must not call
 * vrrp_nl_close(). The state present at vrrp_nl_open() is not reported:
 * read it with the lookups below. */
struct vrrp_nl_cbs {
	/* A link appeared, was renamed, changed its up state or its master;
	 * up = IFF_UP and IFF_RUNNING (administratively up with carrier). */
	void (*link_changed)(int ifindex, const char *ifname, bool up, void *arg);
	void (*link_deleted)(int ifindex, const char *ifname, void *arg);
	/* An address appeared on or left ifindex (addr->prefix is its prefix
	 * length). Lets the engine notice an external deletion of a VIP. */
	void (*addr_changed)(int family, const struct ka_addr *addr, int ifindex, bool added,
			     void *arg);
	/* A route / rule marked "proto keepalived" (what this layer installs
	 * unless told otherwise, and never a no_track rule) was deleted. Set
	 * either to subscribe to route / rule notifications; match keys with
	 * vrrp_nl_route_match() / vrrp_nl_rule_match(). */
	void (*route_deleted)(const struct vrrp_nl_route_key *k, void *arg);
	void (*rule_deleted)(const struct vrrp_nl_rule_key *k, void *arg);
	/* Notifications were lost (receive buffer overflow): links and
	 * addresses were re-read and their changes reported, but route and
	 * rule deletions may have gone unseen; installing them again (which is
	 * idempotent) repairs that. */
	void (*resynced)(void *arg);
};

/* Open the command socket and, if loop is not NULL, the monitor registered
 * in loop with its caches filled. cbs is copied (may be NULL); arg is passed
 * to every callback. Returns NULL with errno set on failure. */
struct vrrp_nl *vrrp_nl_open(struct ev_loop *loop, const struct vrrp_nl_cbs *cbs, void *arg);

/* Unregister from the loop, close both sockets, free the caches. NULL is ok. */
void vrrp_nl_close(struct vrrp_nl *nl);

/* Receive buffer of the monitor (monitor = true) or command socket, in
 * bytes (global_defs vrrp_netlink_monitor_rcv_bufs / _cmd_rcv_bufs); force
 * uses SO_RCVBUFFORCE to pass the rmem_max limit. The monitor starts with
 * 4 MB (forced if allowed). Returns 0, or -errno (-ENOTCONN for a monitor
 * that is not open). */
int vrrp_nl_set_rcvbuf(struct vrrp_nl *nl, bool monitor, unsigned size, bool force);

/* ---- lookups (cache, or a kernel query without a monitor or on a miss) -- */

/* Index of interface name, or -ENODEV. */
int vrrp_nl_ifindex(struct vrrp_nl *nl, const char *name);

/* Name of ifindex into buf (at least 16 bytes). Returns 0 or -ENODEV. */
int vrrp_nl_ifname(struct vrrp_nl *nl, int ifindex, char *buf, size_t len);

/* IFF_UP and IFF_RUNNING both set; false for an unknown interface. */
bool vrrp_nl_link_is_up(struct vrrp_nl *nl, int ifindex);

/* IFF_UP set (administratively up, carrier or not); asks the kernel when
 * the cache says down. False for an unknown interface. */
bool vrrp_nl_link_admin_up(struct vrrp_nl *nl, int ifindex);

/* Hardware address (6 bytes). Returns 0, -ENODEV, or -EINVAL when the link
 * has no 6-byte address. */
int vrrp_nl_link_mac(struct vrrp_nl *nl, int ifindex, uint8_t mac[6]);

/* MTU (> 0) or -ENODEV. */
int vrrp_nl_link_mtu(struct vrrp_nl *nl, int ifindex);

/* Index of the link a macvlan/VLAN sits on, 0 for none, or -ENODEV. */
int vrrp_nl_link_parent(struct vrrp_nl *nl, int ifindex);

/* The VRF (l3mdev master of kind "vrf") ifindex is enslaved to: its index,
 * 0 when the link is in no VRF, or -ENODEV for an unknown link. */
int vrrp_nl_link_vrf(struct vrrp_nl *nl, int ifindex);

/* The routing table of VRF device name into *table. Returns 0, -ENODEV
 * (no such interface) or -EINVAL (it is not a VRF). */
int vrrp_nl_vrf_table(struct vrrp_nl *nl, const char *name, uint32_t *table);

/* The first primary (not secondary) IPv4 address of ifindex, as an advert
 * source. Returns 0 or -EADDRNOTAVAIL. */
int vrrp_nl_primary_ipv4(struct vrrp_nl *nl, int ifindex, struct in_addr *out);

/* A usable (not tentative, not DAD-failed) IPv6 link-local address of
 * ifindex. Returns 0 or -EADDRNOTAVAIL. */
int vrrp_nl_ipv6_linklocal(struct vrrp_nl *nl, int ifindex, struct in6_addr *out);

/* Whether addr (prefix ignored) is configured on ifindex (0 = anywhere). */
bool vrrp_nl_has_addr(struct vrrp_nl *nl, const struct ka_addr *addr, int ifindex);

/* Whether a deleted route / rule is the one a configuration line installs
 * (table names resolved as when installing). */
bool vrrp_nl_route_match(const struct vrrp_route *r, const struct vrrp_nl_route_key *k);
bool vrrp_nl_rule_match(const struct vrrp_rule *r, const struct vrrp_nl_rule_key *k);

/* ---- requests ------------------------------------------------------------ */

/*
 * Add or delete one address line with every option of struct vrrp_ipaddr
 * (prefix, brd, peer, scope, label, preferred_lft, IFA_F_* flags). It goes
 * on ip->dev if written, else on default_ifindex. IPv6 addresses always get
 * IFA_F_NODAD, as keepalived does, so a VIP is usable at once and never
 * stuck in "dadfailed" after a split brain. A delete of an address whose
 * interface is gone succeeds.
 */
int vrrp_nl_addr(struct vrrp_nl *nl, const struct vrrp_ipaddr *ip, int default_ifindex,
		 bool add, char *err, size_t errlen);

/*
 * Add or delete one route line: type, dst, src, from, via, dev, table
 * (names from rt_tables), metric, scope, protocol (default "keepalived"),
 * tos, realms, metrics with locks, congctl, pref, ttl-propagate, expires,
 * onlink, and multipath nexthops with weights. Without a written scope a
 * route is global, as keepalived makes it, even without a gateway (where
 * "ip route add" would say link); local gets host and broadcast/anycast
 * link, which the kernel requires. The line's add/prepend/append decides
 * the request flags as with "ip route"; an identical route already there
 * counts as success, and so does deleting a route whose interface or table
 * name no longer exists.
 */
int vrrp_nl_route(struct vrrp_nl *nl, const struct vrrp_route *r, bool add, char *err,
		  size_t errlen);

/*
 * Add or delete one policy rule: from/to, not, action (table, goto, nop,
 * blackhole, unreachable, prohibit), priority, tos, fwmark/mask, iif/oif,
 * uidrange, sport/dport, ipproto, protocol (default "keepalived" unless
 * no_track), suppress_prefixlength/ifgroup, l3mdev, realms, tunnel id.
 * The kernel only refuses a duplicate rule that names its priority, so a
 * rule without one is first looked for among the installed rules.
 */
int vrrp_nl_rule(struct vrrp_nl *nl, const struct vrrp_rule *r, bool add, char *err,
		 size_t errlen);

/*
 * Create a VMAC: a macvlan in private mode on parent_ifindex named name
 * with hardware address mac, IPv6 address generation off (no link-local
 * derived from the virtual MAC), then set up. An existing macvlan of that
 * name with the same parent and MAC is reused; one with another parent or
 * MAC is deleted and recreated; any other kind of interface with that name
 * is an error (-EEXIST). A parent in a VRF puts the VMAC in that VRF.
 * *ifindex_out receives the index.
 */
int vrrp_nl_vmac_create(struct vrrp_nl *nl, int parent_ifindex, const char *name,
			const uint8_t mac[6], int *ifindex_out, char *err, size_t errlen);

/*
 * Create an IPVLAN: an L2 ipvlan on parent_ifindex named name, flags
 * IPVLAN_F_PRIVATE / IPVLAN_F_VEPA (0 = bridge), IPv6 address generation
 * off, then set up. An existing ipvlan of that name on that parent is
 * reused, one on another parent recreated, any other kind of interface with
 * that name is an error (-EEXIST). A parent in a VRF puts the ipvlan in
 * that VRF. *ifindex_out receives the index.
 */
int vrrp_nl_ipvlan_create(struct vrrp_nl *nl, int parent_ifindex, const char *name,
			  unsigned flags, int *ifindex_out, char *err, size_t errlen);

/* Set a link administratively up or down. */
int vrrp_nl_link_set_up(struct vrrp_nl *nl, int ifindex, bool up, char *err, size_t errlen);

/* Delete a link; an unknown ifindex is success. */
int vrrp_nl_link_delete(struct vrrp_nl *nl, int ifindex, char *err, size_t errlen);

/* ---- whole blocks -------------------------------------------------------- */

/*
 * Install (add) or remove all VIPs, eVIPs, virtual routes and virtual rules
 * of an instance; addresses without dev go on default_ifindex (the
 * instance's interface or VMAC). Adding goes addresses, routes, rules;
 * removing goes the other way. Every object is tried; returns 0 or the
 * first error, with the messages of all failures in err, separated by
 * "; " (truncated to errlen).
 */
int vrrp_nl_apply_instance(struct vrrp_nl *nl, const struct vrrp_instance_cfg *inst,
			   int default_ifindex, bool add, char *err, size_t errlen);

/* vrrp_nl_apply_instance(..., false, ...): on leaving MASTER, at shutdown,
 * and at the start of a respawned process. */
int vrrp_nl_release_instance(struct vrrp_nl *nl, const struct vrrp_instance_cfg *inst,
			     int default_ifindex, char *err, size_t errlen);

/* Same for static_ipaddress, static_routes and static_rules; addresses
 * without dev go on default_ifindex (global_defs default_interface). */
int vrrp_nl_apply_static(struct vrrp_nl *nl, const struct vrrp_cfg *cfg, int default_ifindex,
			 bool add, char *err, size_t errlen);

/* ---- iproute2 name files (pure helpers, unit-tested) ----------------------- */

/* Look name up in an iproute2 names text ("NUMBER NAME" lines, '#'
 * comments, numbers decimal or 0x hex). Returns 0 with *id set, or -1. */
int vrrp_nl_names_parse(const char *text, size_t len, const char *name, uint32_t *id);

/* Look name up in base ("rt_tables", "rt_protos") then base.d/\*.conf of
 * each directory of dirs (NULL-terminated) in order. Returns 0 or -ENOENT. */
int vrrp_nl_names_lookup(const char *const *dirs, const char *base, const char *name,
			 uint32_t *id);

/* Routing table / route protocol number of a name, from /etc/iproute2 then
 * /usr/share/iproute2. Returns 0 or -ENOENT. */
int vrrp_nl_table_id(const char *name, uint32_t *id);
int vrrp_nl_proto_id(const char *name, uint32_t *id);

#endif
