/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_arp.c - gratuitous ARP and unsolicited neighbour adverts announcing virtual addresses */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* struct in6_pktinfo */
#endif
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "inet_csum.h"
#include "vrrp/vrrp_arp.h"

_Static_assert(VRRP_IFNAMSIZ == IF_NAMESIZE, "interface name size");

#define ARP_HLEN        28
#define NA_OPT_TLLA     2       /* target link-layer address option */
#define NA_FLAG_ROUTER  0x80    /* first byte of the flags word */
#define NA_FLAG_OVERRIDE 0x20
#define HOP_LIMIT       255

static const uint8_t eth_bcast[VRRP_ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t eth_all_nodes[VRRP_ETH_ALEN] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const struct in6_addr ip6_all_nodes = {
	.s6_addr = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 }
};

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
	return p + 2;
}

static uint8_t *put_bytes(uint8_t *p, const void *src, size_t len)
{
	memcpy(p, src, len);
	return p + len;
}

static uint8_t *put_eth(uint8_t *p, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	p = put_bytes(p, dst, VRRP_ETH_ALEN);
	p = put_bytes(p, src, VRRP_ETH_ALEN);
	return put16(p, type);
}

int vrrp_garp_build(uint8_t *buf, size_t len, const uint8_t src_mac[VRRP_ETH_ALEN],
		    struct in_addr ip)
{
	uint8_t *p = buf;

	if (len < VRRP_GARP_LEN)
		return -1;
	p = put_eth(p, eth_bcast, src_mac, ETH_P_ARP);
	p = put16(p, ARPHRD_ETHER);
	p = put16(p, ETH_P_IP);
	*p++ = VRRP_ETH_ALEN;
	*p++ = sizeof(ip);
	p = put16(p, ARPOP_REQUEST);
	/* A request, not a reply: every host on the link processes a broadcast
	 * request for the sender fields, and this is what keepalived sends. */
	p = put_bytes(p, src_mac, VRRP_ETH_ALEN);
	p = put_bytes(p, &ip, sizeof(ip));
	p = put_bytes(p, eth_bcast, VRRP_ETH_ALEN);
	p = put_bytes(p, &ip, sizeof(ip));
	return (int)(p - buf);
}

int vrrp_na_build(uint8_t *buf, size_t len, const uint8_t mac[VRRP_ETH_ALEN],
		  const struct in6_addr *vip, bool router)
{
	uint8_t *p = buf;
	uint32_t acc;

	if (len < VRRP_NA_LEN)
		return -1;
	*p++ = ND_NEIGHBOR_ADVERT;
	*p++ = 0;                               /* code */
	p = put16(p, 0);                        /* checksum, below */
	*p++ = NA_FLAG_OVERRIDE | (router ? NA_FLAG_ROUTER : 0);
	*p++ = 0;
	p = put16(p, 0);                        /* rest of the reserved word */
	p = put_bytes(p, vip, sizeof(*vip));
	*p++ = NA_OPT_TLLA;
	*p++ = 1;                               /* option length in 8-byte units */
	p = put_bytes(p, mac, VRRP_ETH_ALEN);

	acc = inet_csum_pseudo(vip->s6_addr, ip6_all_nodes.s6_addr, sizeof(*vip),
			       IPPROTO_ICMPV6, VRRP_NA_LEN);
	acc = inet_csum_add(acc, buf, VRRP_NA_LEN);
	put16(buf + 2, inet_csum_fold(acc));
	return (int)(p - buf);
}

int vrrp_na_frame_build(uint8_t *buf, size_t len, const uint8_t mac[VRRP_ETH_ALEN],
			const struct in6_addr *vip, bool router)
{
	uint8_t *p = buf;

	if (len < VRRP_NA_FRAME_LEN)
		return -1;
	p = put_eth(p, eth_all_nodes, mac, ETH_P_IPV6);
	*p++ = 0x60;                            /* version 6, traffic class 0 */
	*p++ = 0;
	p = put16(p, 0);                        /* flow label */
	p = put16(p, VRRP_NA_LEN);
	*p++ = IPPROTO_ICMPV6;
	*p++ = HOP_LIMIT;
	p = put_bytes(p, vip, sizeof(*vip));
	p = put_bytes(p, &ip6_all_nodes, sizeof(ip6_all_nodes));
	return (int)(p - buf) + vrrp_na_build(p, VRRP_NA_LEN, mac, vip, router);
}

/* ---- burst timing ------------------------------------------------------ */

static unsigned sched_per_burst(const struct vrrp_garp_sched *s)
{
	return s->repeat * (s->addrs ? s->addrs : 1);
}

unsigned vrrp_garp_sched_total(const struct vrrp_garp_sched *s)
{
	return sched_per_burst(s) * (s->delay_usec ? 2 : 1);
}

int64_t vrrp_garp_sched_next(const struct vrrp_garp_sched *s, unsigned sent)
{
	unsigned per_burst = sched_per_burst(s);
	uint64_t second;

	if (sent >= vrrp_garp_sched_total(s))
		return -1;
	if (sent < per_burst)
		return (int64_t)(sent * s->interval_usec);
	/* The spacing is a rate limit: the second burst waits for the packet
	 * slot after the last one of the first burst if that is later. */
	second = s->delay_usec;
	if (second < per_burst * s->interval_usec)
		second = per_burst * s->interval_usec;
	return (int64_t)(second + (sent - per_burst) * s->interval_usec);
}

/* ---- sending ----------------------------------------------------------- */

static int set_int_opt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val)) < 0 ? -errno : 0;
}

static int open_packet_socket(struct vrrp_announcer *an)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = 0,      /* bound for sending only: receive nothing */
		.sll_ifindex = an->ifindex,
	};

	an->pkt_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (an->pkt_fd < 0)
		return -errno;
	if (bind(an->pkt_fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return 0;
}

static int open_icmp6_socket(struct vrrp_announcer *an)
{
	struct icmp6_filter filter;
	int fd, err;

	fd = an->icmp6_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
				   IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	/* A raw ICMPv6 socket gets a copy of every ICMPv6 packet unless told
	 * otherwise; this one only sends. */
	ICMP6_FILTER_SETBLOCKALL(&filter);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter)) < 0)
		return -errno;
	/* RFC 4861 receivers drop neighbour discovery with a hop limit below 255. */
	if ((err = set_int_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, HOP_LIMIT)) ||
	    (err = set_int_opt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, HOP_LIMIT)) ||
	    (err = set_int_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, an->ifindex)) ||
	    (err = set_int_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0)) ||
	    /* flow label 0, as in keepalived's adverts: byte-identical frames */
	    (err = set_int_opt(fd, IPPROTO_IPV6, IPV6_AUTOFLOWLABEL, 0)) ||
	    (err = set_int_opt(fd, SOL_SOCKET, SO_BINDTOIFINDEX, an->ifindex)))
		return err;
	/* The source is the VIP, which may still be tentative (DAD) just after
	 * it was added; the kernel refuses such a source without this. */
	return set_int_opt(fd, IPPROTO_IPV6, IPV6_FREEBIND, 1);
}

static int read_link_mac(struct vrrp_announcer *an, int fd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, an->ifname, sizeof(an->ifname));
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	/* Ethernet-like links only (this includes VLANs, bonds, macvlans). */
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		return -EOPNOTSUPP;
	memcpy(an->mac, ifr.ifr_hwaddr.sa_data, VRRP_ETH_ALEN);
	return 0;
}

int vrrp_announcer_open(struct vrrp_announcer *an, int ifindex, unsigned families)
{
	int err = 0;

	memset(an, 0, sizeof(*an));
	an->ifindex = ifindex;
	an->pkt_fd = an->icmp6_fd = -1;
	if (!(families & (VRRP_ANNOUNCE_V4 | VRRP_ANNOUNCE_V6)))
		return -EINVAL;
	if (!if_indextoname((unsigned)ifindex, an->ifname))
		return -errno;
	if (families & VRRP_ANNOUNCE_V4)
		err = open_packet_socket(an);
	if (!err && (families & VRRP_ANNOUNCE_V6))
		err = open_icmp6_socket(an);
	if (!err)
		err = read_link_mac(an, an->pkt_fd >= 0 ? an->pkt_fd : an->icmp6_fd);
	if (err)
		vrrp_announcer_close(an);
	return err;
}

void vrrp_announcer_close(struct vrrp_announcer *an)
{
	if (an->pkt_fd >= 0)
		close(an->pkt_fd);
	if (an->icmp6_fd >= 0)
		close(an->icmp6_fd);
	an->pkt_fd = an->icmp6_fd = -1;
}

int vrrp_announcer_send_garp(struct vrrp_announcer *an, struct in_addr ip)
{
	uint8_t frame[VRRP_GARP_LEN];
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = an->ifindex,
		.sll_halen = VRRP_ETH_ALEN,
	};
	int len;

	if (an->pkt_fd < 0)
		return -EBADF;
	memcpy(sll.sll_addr, eth_bcast, VRRP_ETH_ALEN);
	len = vrrp_garp_build(frame, sizeof(frame), an->mac, ip);
	if (sendto(an->pkt_fd, frame, (size_t)len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return 0;
}

/* Whether the interface forwards IPv6: neighbour adverts then carry the
 * router flag, so hosts keep using the new master as a router. */
static bool link_forwards_ip6(const struct vrrp_announcer *an)
{
	char path[96], ifname[IF_NAMESIZE], val[8] = "";
	ssize_t n;
	int fd;

	/* the name may have changed since open; the index has not */
	if (!if_indextoname((unsigned)an->ifindex, ifname))
		return false;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/forwarding", ifname);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, val, sizeof(val) - 1);
	close(fd);
	return n > 0 && val[0] != '0';
}

int vrrp_announcer_send_na(struct vrrp_announcer *an, const struct in6_addr *vip)
{
	uint8_t na[VRRP_NA_LEN];
	struct sockaddr_in6 dst = {
		.sin6_family = AF_INET6,
		.sin6_addr = ip6_all_nodes,
		.sin6_scope_id = (uint32_t)an->ifindex,
	};
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = na, .iov_len = sizeof(na) };
	struct msghdr msg = {
		.msg_name = &dst, .msg_namelen = sizeof(dst),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct in6_pktinfo pi = { .ipi6_addr = *vip, .ipi6_ifindex = (unsigned)an->ifindex };
	struct cmsghdr *cm;

	if (an->icmp6_fd < 0)
		return -EBADF;
	vrrp_na_build(na, sizeof(na), an->mac, vip, link_forwards_ip6(an));
	memset(&ctl, 0, sizeof(ctl));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = IPPROTO_IPV6;
	cm->cmsg_type = IPV6_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	if (sendmsg(an->icmp6_fd, &msg, 0) < 0)
		return -errno;
	return 0;
}
