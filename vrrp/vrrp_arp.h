/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_arp.h - gratuitous ARP and unsolicited neighbour adverts announcing virtual addresses */
#ifndef KA_VRRP_ARP_H
#define KA_VRRP_ARP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A new master tells its link that the virtual addresses moved to its MAC.
 * The byte layouts below match what keepalived 2.2.7 puts on the wire
 * (captured, see tests/unit/test_vrrp_arp.c):
 *
 * IPv4, 42-byte Ethernet frame, no padding:
 *   dst ff:ff:ff:ff:ff:ff, src = interface (or VMAC) MAC, type 0x0806;
 *   ARP request (op 1), Ethernet/IPv4, sender MAC = src MAC,
 *   sender IP = target IP = the VIP, target MAC ff:ff:ff:ff:ff:ff.
 *
 * IPv6, ICMPv6 neighbour advertisement (type 136, code 0), 32 bytes:
 *   flags: override always, router when IPv6 forwarding is on for the
 *   interface; target = the VIP; one target link-layer address option.
 *   IPv6 source is the VIP itself, destination ff02::1, hop limit 255.
 *
 * The builders are pure: no I/O, no logging.
 */

#define VRRP_ETH_ALEN        6
#define VRRP_ETH_HLEN        14
#define VRRP_GARP_LEN        42                   /* Ethernet header + ARP */
#define VRRP_NA_LEN          32                   /* ICMPv6 NA + link-layer option */
#define VRRP_IP6_HLEN        40
#define VRRP_NA_FRAME_LEN    (VRRP_ETH_HLEN + VRRP_IP6_HLEN + VRRP_NA_LEN)
/* IF_NAMESIZE, without <net/if.h> (it clashes with <linux/if.h> users) */
#define VRRP_IFNAMSIZ        16

/*
 * Build a gratuitous ARP frame for ip sent from src_mac into buf.
 * Returns VRRP_GARP_LEN, or -1 if len is smaller than that.
 */
int vrrp_garp_build(uint8_t *buf, size_t len, const uint8_t src_mac[VRRP_ETH_ALEN],
		    struct in_addr ip);

/*
 * Build the ICMPv6 part of an unsolicited neighbour advert for vip, with
 * mac in the target link-layer address option and the checksum computed
 * over the pseudo header (source vip, destination ff02::1). router sets the
 * R flag. Returns VRRP_NA_LEN, or -1 if len is smaller than that.
 */
int vrrp_na_build(uint8_t *buf, size_t len, const uint8_t mac[VRRP_ETH_ALEN],
		  const struct in6_addr *vip, bool router);

/*
 * The same advert as a whole Ethernet frame (dst 33:33:00:00:00:01, IPv6
 * header with hop limit 255, source vip, destination ff02::1), as it
 * appears on the wire. Returns VRRP_NA_FRAME_LEN, or -1 if len is too small.
 */
int vrrp_na_frame_build(uint8_t *buf, size_t len, const uint8_t mac[VRRP_ETH_ALEN],
			const struct in6_addr *vip, bool router);

/* ---- burst timing ------------------------------------------------------ */

/*
 * When the packets of a master's announcement are due, in microseconds
 * after it became master (or heard a lower priority advert):
 *   - a round is one packet per announced address (addrs of them);
 *   - the first burst is repeat rounds, starting at once;
 *   - the second burst is the same, starting delay_usec after the first
 *     one started, or later if the first is still running (the spacing
 *     is a per-interface rate limit and is kept across the two bursts);
 *     no second burst when delay_usec is 0;
 *   - consecutive packets are interval_usec apart, 0 = back to back.
 */
struct vrrp_garp_sched {
	unsigned repeat;          /* garp_master_repeat; 0 = send nothing */
	unsigned addrs;           /* addresses per round; 0 counts as 1 */
	uint64_t delay_usec;      /* garp_master_delay */
	uint64_t interval_usec;   /* garp_interval / gna_interval */
};

/* Number of packets the whole schedule sends. */
unsigned vrrp_garp_sched_total(const struct vrrp_garp_sched *s);

/*
 * Offset at which packet number sent (counting from 0, i.e. the number
 * already sent) is due; the address it is for is sent % addrs. Returns -1
 * once all packets have been sent.
 */
int64_t vrrp_garp_sched_next(const struct vrrp_garp_sched *s, unsigned sent);

/* ---- sending ----------------------------------------------------------- */

enum vrrp_announcer_family {
	VRRP_ANNOUNCE_V4 = 1 << 0,    /* open the packet socket for GARP */
	VRRP_ANNOUNCE_V6 = 1 << 1,    /* open the ICMPv6 socket for NA */
};

/*
 * Sockets to announce addresses on one interface. Fields are readable;
 * mac is read from the interface at open time and may be overwritten by
 * the caller (a VMAC, or after the link address changed): GARP frames and
 * the NA link-layer option carry it.
 */
struct vrrp_announcer {
	int ifindex;
	char ifname[VRRP_IFNAMSIZ];
	uint8_t mac[VRRP_ETH_ALEN];
	int pkt_fd;               /* AF_PACKET, SOCK_RAW; -1 when not open */
	int icmp6_fd;             /* raw ICMPv6, hop limit 255; -1 when not open */
};

/*
 * Open the sockets for the families in the mask (VRRP_ANNOUNCE_*), bound to
 * ifindex. Both are non-blocking and never receive. Returns 0 or -errno;
 * on failure nothing stays open. Needs CAP_NET_RAW.
 */
int vrrp_announcer_open(struct vrrp_announcer *an, int ifindex, unsigned families);

/* Close what is open; safe to call twice. */
void vrrp_announcer_close(struct vrrp_announcer *an);

/* Send one gratuitous ARP for ip. Returns 0 or -errno. */
int vrrp_announcer_send_garp(struct vrrp_announcer *an, struct in_addr ip);

/*
 * Send one unsolicited neighbour advert for vip, from vip (allowed while the
 * address is still tentative). The router flag follows the interface's
 * IPv6 forwarding setting at the time of sending. Returns 0 or -errno.
 */
int vrrp_announcer_send_na(struct vrrp_announcer *an, const struct in6_addr *vip);

#endif
