/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_sock.h - raw IPPROTO_VRRP sockets shared by instances, dispatch by VRID */
#ifndef KA_VRRP_SOCK_H
#define KA_VRRP_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "log.h"

struct ev_loop;
struct vrrp_inst;

/*
 * One socket per (family, interface, unicast or multicast): every instance
 * on that interface sends and receives through it, and a received advert
 * goes to the instance owning its VRID (a 256-entry table). Adverts for a
 * VRID nobody owns are counted (and logged with log_unknown_vrids).
 *
 * IPv4 sockets use IP_HDRINCL: the codec builds the whole packet (TTL 255,
 * ToS 0xc0). IPv6 sockets let the kernel build the header; the source
 * address and hop limit go in each sendmsg(), the VRRP checksum is the
 * codec's. Multicast sockets join the group(s) on their interface with
 * loopback off; every socket is bound to its interface (SO_BINDTODEVICE)
 * unless it has none (unicast without an interface). A unicast socket of an
 * instance in a VRF is the VRF device's (the caller passes its ifindex and
 * name): it sees what arrives on every link of the VRF.
 */

#define VRRP_SOCK_MAX_GROUPS 4

struct vrrp_socks;

struct vrrp_sock {
	struct vrrp_sock *next;
	struct vrrp_socks *set;
	sa_family_t family;
	int ifindex;                  /* 0 = not bound to an interface */
	char ifname[16];
	int vrf;                      /* multicast: the VRF of the interface, 0 if none */
	bool unicast;
	int fd;
	int fd_ah;                    /* IPv4: receives AH-authenticated adverts, or -1 */
	unsigned refs;
	struct ka_addr groups[VRRP_SOCK_MAX_GROUPS]; /* joined multicast groups */
	size_t ngroups;
	struct vrrp_inst *by_vrid[256]; /* chained by vrrp_inst.vrid_next (unicast only) */
};

/* Every socket of the process, and the counters that belong to none. */
struct vrrp_socks {
	struct ev_loop *loop;
	struct vrrp_sock *head;
	bool log_unknown_vrids;
	unsigned rcvbuf;              /* SO_RCVBUF for new sockets; 0 = built-in */
	bool freebind;                /* IPV6_FREEBIND for new IPv6 sockets: a VMAC's adverts
				       * leave from its parent's link-local address */
	uint64_t unknown_vrid;        /* adverts for a VRID no instance owns */
	uint64_t bad_packets;         /* dropped before the VRID was known */
	struct log_rl rl;
};

void vrrp_socks_init(struct vrrp_socks *ss, struct ev_loop *loop);

/* Close every socket (instances must have detached). */
void vrrp_socks_close(struct vrrp_socks *ss);

/*
 * The socket for (family, ifindex, unicast), opened on first use; group is
 * the multicast group to join for a multicast socket (joined once). ifname
 * is for SO_BINDTODEVICE and logs. Takes a reference. Returns NULL (logged)
 * if the socket cannot be opened.
 */
struct vrrp_sock *vrrp_sock_get(struct vrrp_socks *ss, sa_family_t family, int ifindex,
				const char *ifname, bool unicast, const struct ka_addr *group);

/* Drop a reference; the socket closes with the last one. */
void vrrp_sock_put(struct vrrp_sock *s);

/* Route adverts for vrid to inst. Returns 0, or -1 if another instance
 * already owns the VRID on this multicast socket (unicast instances may
 * share one: the sender's address picks the instance whose peer it is). */
int vrrp_sock_attach(struct vrrp_sock *s, uint8_t vrid, struct vrrp_inst *inst);
void vrrp_sock_detach(struct vrrp_sock *s, uint8_t vrid, const struct vrrp_inst *inst);

/*
 * Send one advert. IPv4: pkt is the whole IP packet (IP_HDRINCL). IPv6:
 * pkt is the VRRP message, sent from src with hop limit ttl. Returns 0 or
 * -errno.
 */
int vrrp_sock_send(struct vrrp_sock *s, const uint8_t *pkt, size_t len,
		   const struct ka_addr *src, const struct ka_addr *dst, int ttl);

/* Is a an IPv4 or IPv6 multicast address? */
bool vrrp_addr_is_multicast(const struct ka_addr *a);

#endif
