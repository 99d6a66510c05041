/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_vmac.h - per-instance VMAC (macvlan) / IPVLAN interfaces, their sysctls, extra GARPs */
#ifndef KA_VRRP_VMAC_H
#define KA_VRRP_VMAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct vrrp_inst;
struct vrrp_instance_cfg;
struct vrrp_ipaddr;

/*
 * use_vmac: the instance gets a macvlan (mode private) on its interface
 * with the virtual router MAC; its addresses without "dev" go there, and
 * its adverts leave from it (so their source MAC is the virtual one)
 * unless vmac_xmit_base. use_ipvlan: the same with an L2 ipvlan, which
 * keeps the parent's MAC. The interface is created when the instance is
 * built (an existing one with the right parent and MAC is reused, as
 * after a killed process), re-created if someone deletes it, brought up
 * again if someone sets it down, and deleted when the instance goes away
 * (not with -V). While it is missing the instance is in FAULT (interface
 * missing).
 *
 * Sysctls, restored when the last instance that needed them goes:
 *   VMAC:   arp_ignore 1, accept_local 1, rp_filter 0, promote_secondaries 1;
 *           IPv6 off on an IPv4 VMAC that holds no IPv6 address, no router
 *           adverts / autoconf on the others (never restored: it is ours);
 *   parent: arp_ignore 1 (only the VMAC answers for the VIPs), arp_filter 1,
 *           arp_announce 2 (its ARP requests never give a VIP as sender);
 *   all.rp_filter: when set, moved onto every interface and "default"
 *           (each keeps max(own, all)) and all set to 0, since the kernel
 *           uses the larger of "all" and the interface's value and adverts
 *           reach the VMAC from an address routed via the parent;
 *   net.ipv4.igmp_link_local_mcast_reports 0: a backup's VMAC joining the
 *           advert group would otherwise send IGMP reports from the virtual
 *           MAC and move it to the backup in switches' tables.
 *
 * Every macvlan (address VMACs too) is also given to the firewall
 * (vrrp_nft_vmac): its IGMP / MLD reports leave from the parent instead.
 *
 * Address VMACs (use_vmac_addr, or use_vmac on an address line): an
 * address whose interface is not the one of the instance's own VMAC gets
 * a VMAC of its own on that interface (same MAC, a generated name), made
 * and removed with the instance's; the address goes there, its GARPs and
 * NAs leave from it. Best effort: one that cannot be made is logged, the
 * instance does not go to FAULT for it.
 *
 * IPv6 adverts of a VMAC instance leave from the parent's link-local
 * address (the socket may use an address of another interface), so the
 * VMAC needs none of its own and sends nothing that is not the master's.
 */

/* ---- pure helpers (unit-tested) ------------------------------------------ */

/*
 * The VMAC's MAC: the configured one (with the VRID as last octet when only
 * five octets were written), else 00:00:5e:00:01:VRID (IPv4) or
 * 00:00:5e:00:02:VRID (IPv6, RFC 5798 7.3).
 */
void vrrp_vmac_mac(const struct vrrp_instance_cfg *c, uint8_t mac[6]);

/*
 * Candidate number attempt (0, 1, ...) for a generated interface name:
 * PREFIX.VRID first; then, as keepalived does for a second instance with
 * the same VRID, PREFIX6.VRID for IPv6 and PREFIXn.VRID (n = 1, 2, ...).
 * Returns 0, or -1 when the name does not fit in len or in 15 characters.
 */
int vrrp_vmac_name_candidate(char *buf, size_t len, const char *prefix, int vrid,
			     int family, unsigned attempt);

/*
 * The interface whose address VMAC holds ip: its dev (else the instance's
 * interface) when the line says use_vmac or the instance has use_vmac and
 * use_vmac_addr, unless that is the interface of the instance's own VMAC
 * (which takes it). NULL when the address goes on no address VMAC.
 */
const char *vrrp_vmac_addr_parent(const struct vrrp_instance_cfg *c,
				  const struct vrrp_ipaddr *ip);

/* Does ip, written with "dev", go on a VMAC instead: an address VMAC, or
 * the instance's own when dev is its interface (use_vmac on the line, or
 * use_vmac_addr)? */
bool vrrp_vmac_takes(const struct vrrp_instance_cfg *c, const struct vrrp_ipaddr *ip);

/* Does c put any address written with "dev" on a VMAC (vrrp_vmac_takes)? */
bool vrrp_vmac_uses_addr_vmacs(const struct vrrp_instance_cfg *c);

/* ---- hooks of the instance runtime ------------------------------------------ */

/*
 * Make the instance's VMAC/IPVLAN match its configuration after the parent
 * interface (vi->ifindex) was resolved: create, reuse, re-create, bring up,
 * or delete one no longer configured (a master's addresses move with it).
 * Returns VRRP_FAULT_NO_IF while the interface cannot exist, else 0.
 */
unsigned vrrp_vmac_relink(struct vrrp_inst *vi);

/* Interface index for addresses without "dev": the VMAC's (0 while it is
 * missing), or -1 when the instance has none. */
int vrrp_vmac_vip_ifindex(const struct vrrp_inst *vi);

/* A master's addresses were removed for a reload: put them back at the
 * next vrrp_vmac_relink(), once the interfaces match the configuration. */
void vrrp_vmac_readd(struct vrrp_inst *vi);

/* Interface index of ip: its address VMAC's (0 while missing), else
 * vrrp_vip_ifindex(vi, ip->dev). */
int vrrp_vmac_ip_ifindex(const struct vrrp_inst *vi, const struct vrrp_ipaddr *ip);

/* Interface for the advert socket: the VMAC unless vmac_xmit_base. Sets
 * *ifindex and *ifname and returns true for a VMAC; otherwise leaves them
 * alone and returns false. */
bool vrrp_vmac_sock_if(const struct vrrp_inst *vi, int *ifindex, const char **ifname);

/* Release at instance free: delete the interface (kept with -V), restore
 * sysctls no other instance needs, stop the extra GARP timer. */
void vrrp_vmac_free(struct vrrp_inst *vi);

/* garp_extra_if: while MASTER, every N seconds one GARP / NA on each
 * interface of the addresses other than the one the adverts use (without
 * "all": only on VMACs). Started with garp_master_refresh, stopped with
 * the announcements. */
void vrrp_vmac_garp_start(struct vrrp_inst *vi);
void vrrp_vmac_garp_stop(struct vrrp_inst *vi);

/* Lines of the SIGUSR1 dump, and JSON members (",\"vmac_ifname\":..."). */
void vrrp_vmac_dump(const struct vrrp_inst *vi, FILE *out);
void vrrp_vmac_json(const struct vrrp_inst *vi, FILE *out);

#endif
