/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nft.h - RFC 5798 Accept_Mode off (no_accept): nftables drops traffic to a master's VIPs */
#ifndef KA_VRRP_NFT_H
#define KA_VRRP_NFT_H

#include <stdbool.h>

struct global_cfg;
struct vrrp_cfg;
struct vrrp_inst;
struct vrrp_instance_cfg;

/*
 * A master whose instance does not accept (no_accept, or vrrp_strict below
 * priority 255) must not answer traffic sent to its virtual addresses. The
 * kernel enforces that through nftables, programmed over netlink:
 *
 *   table ip NAME  { set vips; chains in/out (hooks input/output, priority
 *                    nftables_priority): ip daddr|saddr @vips drop }
 *   table ip6 NAME { the same for IPv6, but neighbour solicitations and
 *                    adverts pass (address resolution keeps working), and
 *                    link-local VIPs are matched with their interface }
 *
 * NAME is global_defs "nftables" (default "keepalived"); nftables_counters
 * puts a counter in every rule. A table is created with the first address
 * of its family and stays (empty while backup) until the orderly stop,
 * which deletes it. Opening the socket deletes a table of the same name
 * left by a run that was killed, so nothing stale survives a restart.
 * VMACs add to the "out" chain of their family, first, the rules of
 * vrrp_nft_vmac() with a map "vmac_map" (and for IPv6 a set "vmac_set").
 * Addresses are counted per instance: one held by two instances stays in
 * the set until both released it. Every change is one kernel transaction;
 * a failed one is logged and the next change rebuilds the family's table.
 */
struct vrrp_nft;

/* Does c drop traffic to its addresses while master? (no_accept, except
 * the address owner, priority 255, which always accepts.) */
bool vrrp_nft_wanted(const struct vrrp_instance_cfg *c);

/* Does the configuration use the firewall? (an instance that does not
 * accept, or "nftables" written in global_defs) */
bool vrrp_nft_needed(const struct global_cfg *g, const struct vrrp_cfg *v);

/* Settings from g (copied); no socket yet. Never NULL. */
struct vrrp_nft *vrrp_nft_new(const struct global_cfg *g);

/* Open the socket now and delete leftovers of an earlier run (done anyway
 * by the first change). Returns 0 or a negative errno (logged). */
int vrrp_nft_prepare(struct vrrp_nft *nft);

/* New global settings. A change of table name, priority or counters
 * replaces the tables, with their addresses, in one transaction. */
void vrrp_nft_reload(struct vrrp_nft *nft, const struct global_cfg *g);

/*
 * Make the addresses vi holds in the drop sets those of c: its VIPs and
 * eVIPs when vrrp_nft_wanted(c), none when c is NULL or accepts. With
 * keep, addresses vi holds and c lacks stay (a reload adds the new ones
 * before the interfaces get them and removes the old ones after). Logs
 * what changed; kernel failures are logged, never returned.
 */
void vrrp_nft_inst_set(struct vrrp_nft *nft, const struct vrrp_inst *vi,
		       const struct vrrp_instance_cfg *c, bool keep);

/*
 * A VMAC (macvlan ifindex on parent; family: its instance's) whose IGMP
 * (AF_INET) or MLD (AF_INET6) reports must not leave with the virtual MAC:
 * they are sent through the parent instead ("dup to ... device", with the
 * parent's MAC), and an IPv6 VMAC sends no router solicitation. add false
 * forgets it (the interface was deleted or replaced). owner is whoever
 * holds it (each owner's VMACs counted apart); logged, never returned.
 */
void vrrp_nft_vmac(struct vrrp_nft *nft, const void *owner, int family, int ifindex,
		   int parent, bool add);

/* Orderly stop: delete the tables (unless keep: -V leaves the addresses,
 * so their drops stay too), close, free. nft may be NULL. */
void vrrp_nft_free(struct vrrp_nft *nft, bool keep);

#endif
