/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_sock.c - raw IPPROTO_VRRP sockets shared by instances, dispatch by VRID */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* struct in6_pktinfo */
#endif
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_packet.h"
#include "vrrp/vrrp_sock.h"

/* Default receive buffer: a burst of adverts from many routers must not be
 * lost while the loop is busy (keepalived sizes it from the MTU). */
#define VRRP_SOCK_RCVBUF (256 * 1024)
/* Largest datagram we read: a v6 message with 255 addresses, or the
 * biggest IPv4 packet with AH; anything longer is truncated and dropped. */
#define VRRP_SOCK_BUF 4608

bool vrrp_addr_is_multicast(const struct ka_addr *a)
{
	if (a->family == AF_INET)
		return IN_MULTICAST(ntohl(a->u.v4.s_addr));
	return a->family == AF_INET6 && a->u.v6.s6_addr[0] == 0xff;
}

void vrrp_socks_init(struct vrrp_socks *ss, struct ev_loop *loop)
{
	memset(ss, 0, sizeof(*ss));
	ss->loop = loop;
}

static int setopt(int fd, int level, int name, const void *val, socklen_t len, const char *what,
		  const char *ifname)
{
	if (setsockopt(fd, level, name, val, len) == 0)
		return 0;
	log_warn("VRRP socket on %s: %s", ifname[0] ? ifname : "(any)", what);
	return -1;
}

static int setint(int fd, int level, int name, int val, const char *what, const char *ifname)
{
	return setopt(fd, level, name, &val, sizeof(val), what, ifname);
}

static void set_rcvbuf(int fd, unsigned size)
{
	int v = (int)(size ? size : VRRP_SOCK_RCVBUF);

	/* FORCE passes rmem_max (we are root); fall back to the capped one. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
}

static int open_ip4(const struct vrrp_sock *s)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	const char *ifn = s->ifname;

	if (fd < 0)
		return -1;
	if (setint(fd, IPPROTO_IP, IP_HDRINCL, 1, "IP_HDRINCL", ifn) < 0)
		goto fail;
	if (!s->unicast) {
		struct ip_mreqn mr = { .imr_ifindex = s->ifindex };

		if (setint(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP", ifn) < 0 ||
		    setopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr), "IP_MULTICAST_IF",
			   ifn) < 0)
			goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

static int open_ip6(const struct vrrp_sock *s)
{
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	const char *ifn = s->ifname;

	if (fd < 0)
		return -1;
	/* The kernel must neither compute nor check the checksum: the
	 * VRRP checksum field sits at offset 6 and is the codec's job. */
	if (setint(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT", ifn) < 0 ||
	    setint(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO", ifn) < 0 ||
	    setint(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL, "IPV6_UNICAST_HOPS", ifn) < 0 ||
	    setint(fd, IPPROTO_IPV6, IPV6_TCLASS, VRRP_TOS, "IPV6_TCLASS", ifn) < 0)
		goto fail;
	if (s->set->freebind &&
	    setint(fd, IPPROTO_IPV6, IPV6_FREEBIND, 1, "IPV6_FREEBIND", ifn) < 0)
		goto fail;
	if (!s->unicast &&
	    (setint(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP", ifn) < 0 ||
	     setint(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL, "IPV6_MULTICAST_HOPS",
		    ifn) < 0 ||
	     setint(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, s->ifindex, "IPV6_MULTICAST_IF",
		    ifn) < 0))
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static int join_group(struct vrrp_sock *s, const struct ka_addr *g)
{
	for (size_t i = 0; i < s->ngroups; i++)
		if (ka_addr_equal(&s->groups[i], g))
			return 0;
	if (s->ngroups == VRRP_SOCK_MAX_GROUPS) {
		log_warnx("VRRP socket on %s: too many multicast groups", s->ifname);
		return -1;
	}
	if (g->family == AF_INET) {
		struct ip_mreqn mr = { .imr_multiaddr = g->u.v4, .imr_ifindex = s->ifindex };

		if (setopt(s->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr),
			   "IP_ADD_MEMBERSHIP", s->ifname) < 0)
			return -1;
	} else {
		struct ipv6_mreq mr = { .ipv6mr_multiaddr = g->u.v6,
					.ipv6mr_interface = (unsigned)s->ifindex };

		if (setopt(s->fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr),
			   "IPV6_ADD_MEMBERSHIP", s->ifname) < 0)
			return -1;
	}
	s->groups[s->ngroups++] = *g;
	return 0;
}

/* ---- receiving ---------------------------------------------------------- */

static struct vrrp_inst *sock_owner(const struct vrrp_sock *s, uint8_t vrid,
				    const struct ka_addr *src);

static void addr_from_sa(struct ka_addr *a, const struct sockaddr_in6 *sa6)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	a->prefix = 128;
	a->u.v6 = sa6->sin6_addr;
}

/* recvmsg() one datagram into buf and describe it in meta. Returns the
 * length, 0 for "nothing usable", -1 when the socket is drained. */
static ssize_t sock_recv(struct vrrp_sock *s, int fd, uint8_t *buf, size_t len,
			 struct vrrp_rx_meta *m)
{
	struct sockaddr_storage from;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	ssize_t n = recvmsg(fd, &mh, 0);

	if (n < 0)
		return errno == EINTR ? 0 : -1;
	if (mh.msg_flags & MSG_TRUNC) {
		s->set->bad_packets++;
		return 0;
	}
	memset(m, 0, sizeof(*m));
	m->family = s->family;
	/* Unicast adverts need not arrive with TTL 255 (unicast_ttl, routed
	 * peers): the instance checks min_ttl/max_ttl instead. */
	m->unicast = s->unicast;
	m->hop_limit = -1;
	m->csum_accept = VRRP_CSUM_ACCEPT_V3_AS_V2 | VRRP_CSUM_ACCEPT_OLD_UNICAST;
	/* old unicast checksums used the default group in the pseudo header */
	m->mcast_group.family = AF_INET;
	m->mcast_group.prefix = 32;
	m->mcast_group.u.v4.s_addr = htonl(0xe0000012);
	if (s->family != AF_INET6)
		return n;
	if (from.ss_family == AF_INET6)
		addr_from_sa(&m->src, (struct sockaddr_in6 *)&from);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_HOPLIMIT) {
			memcpy(&m->hop_limit, CMSG_DATA(c), sizeof(int));
		} else if (c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			m->dst.family = AF_INET6;
			m->dst.prefix = 128;
			m->dst.u.v6 = pi.ipi6_addr;
		}
	}
	return n;
}

/* Do a and b see the same adverts: the same link, or a link and its VRF
 * (a socket bound to a VRF receives from every link in it)? */
static bool same_link(const struct vrrp_sock *a, const struct vrrp_sock *b)
{
	return a->ifindex == b->ifindex || (a->vrf && a->vrf == b->ifindex) ||
	       (b->vrf && b->vrf == a->ifindex);
}

/* Is there a socket of the other kind on the same link that this packet
 * is really for? (A raw socket sees every advert of its protocol.) */
static bool other_kind_wants(const struct vrrp_sock *s, bool multicast)
{
	if (multicast != s->unicast)
		return false;
	for (const struct vrrp_sock *o = s->set->head; o; o = o->next)
		if (o != s && o->family == s->family && same_link(o, s) &&
		    o->unicast == !multicast)
			return true;
	return false;
}

/* The VRID of a packet the first stage dropped before reading the VRRP
 * header (TTL), found by parsing again without that check; 0 if none. */
static uint8_t late_vrid(const uint8_t *buf, size_t len, const struct vrrp_rx_meta *m)
{
	struct vrrp_rx_meta m2 = *m;
	struct vrrp_advert adv;

	m2.unicast = true;
	vrrp_pkt_parse(buf, len, &m2, &adv);
	return adv.vrrp ? adv.vrid : 0;
}

static void sock_dispatch(struct vrrp_sock *s, const uint8_t *buf, size_t len,
			  const struct vrrp_rx_meta *m)
{
	struct vrrp_advert adv;
	enum vrrp_drop r = vrrp_pkt_parse(buf, len, m, &adv);
	uint8_t vrid = adv.vrrp ? adv.vrid : 0;
	struct vrrp_inst *owner;
	char src[KA_ADDR_STRLEN];

	if (adv.dst.family && other_kind_wants(s, vrrp_addr_is_multicast(&adv.dst)))
		return;
	if (r == VRRP_DROP_TTL)
		vrid = late_vrid(buf, len, m);
	if (!vrid || !(owner = sock_owner(s, vrid, &adv.src))) {
		if (r != VRRP_OK || !vrid) {
			s->set->bad_packets++;
			log_rl_msg(&s->set->rl, LOG_DEBUG, "VRRP packet on %s from %s dropped: %s",
				   s->ifname, adv.src.family ? ka_addr_str(&adv.src, src) : "?",
				   vrrp_drop_str(r));
			return;
		}
		s->set->unknown_vrid++;
		if (s->set->log_unknown_vrids)
			log_rl_msg(&s->set->rl, LOG_INFO, "%s: received advert for unknown "
				   "VRID %u from %s", s->ifname, vrid, ka_addr_str(&adv.src, src));
		return;
	}
	vrrp_inst_rx(owner, &adv, r);
}

static void sock_read_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct vrrp_sock *s = arg;
	uint8_t buf[VRRP_SOCK_BUF];
	struct vrrp_rx_meta m;

	/* A bounded batch, so one flooded socket cannot starve the timers. */
	for (int i = 0; i < 64; i++) {
		ssize_t n = sock_recv(s, fd, buf, sizeof(buf), &m);

		if (n < 0)
			break;
		if (n > 0)
			sock_dispatch(s, buf, (size_t)n, &m);
	}
}

/* ---- the set -------------------------------------------------------------- */

/* VRRPv2 "auth_type AH" adverts travel as IP protocol 51 with the VRRP
 * message behind the AH header: a protocol-112 socket never sees them.
 * A second raw socket receives them (sending needs none: IP_HDRINCL on the
 * VRRP socket writes the protocol-51 header). Without it an AH backup would
 * never hear its master. Failure only costs AH reception, so it is logged. */
static void open_ah(struct vrrp_sock *s)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_AH);

	if (fd < 0) {
		log_warn("cannot open VRRP AH socket on %s", s->ifname[0] ? s->ifname : "(any)");
		return;
	}
	set_rcvbuf(fd, s->set->rcvbuf);
	if ((s->ifname[0] && setopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->ifname,
				    (socklen_t)strlen(s->ifname) + 1, "SO_BINDTODEVICE",
				    s->ifname) < 0) ||
	    ev_fd_add(s->set->loop, fd, EV_READ, sock_read_cb, s) < 0) {
		close(fd);
		return;
	}
	s->fd_ah = fd;
}

static struct vrrp_sock *sock_open(struct vrrp_socks *ss, sa_family_t family, int ifindex,
				   const char *ifname, bool unicast)
{
	struct vrrp_sock *s = xcalloc(1, sizeof(*s));

	s->set = ss;
	s->family = family;
	s->ifindex = ifindex;
	s->unicast = unicast;
	s->fd_ah = -1;
	snprintf(s->ifname, sizeof(s->ifname), "%s", ifname ? ifname : "");
	s->fd = family == AF_INET6 ? open_ip6(s) : open_ip4(s);
	if (s->fd < 0) {
		log_warn("cannot open VRRP %s socket on %s", family == AF_INET6 ? "IPv6" : "IPv4",
			 s->ifname[0] ? s->ifname : "(any)");
		free(s);
		return NULL;
	}
	set_rcvbuf(s->fd, ss->rcvbuf);
	if ((s->ifname[0] && setopt(s->fd, SOL_SOCKET, SO_BINDTODEVICE, s->ifname,
				    (socklen_t)strlen(s->ifname) + 1, "SO_BINDTODEVICE",
				    s->ifname) < 0) ||
	    ev_fd_add(ss->loop, s->fd, EV_READ, sock_read_cb, s) < 0) {
		close(s->fd);
		free(s);
		return NULL;
	}
	if (family == AF_INET)
		open_ah(s);
	s->next = ss->head;
	ss->head = s;
	return s;
}

struct vrrp_sock *vrrp_sock_get(struct vrrp_socks *ss, sa_family_t family, int ifindex,
				const char *ifname, bool unicast, const struct ka_addr *group)
{
	struct vrrp_sock *s;

	for (s = ss->head; s; s = s->next)
		if (s->family == family && s->ifindex == ifindex && s->unicast == unicast)
			break;
	if (!s && !(s = sock_open(ss, family, ifindex, ifname, unicast)))
		return NULL;
	s->refs++;
	if (!unicast && group && group->family && join_group(s, group) < 0) {
		vrrp_sock_put(s);
		return NULL;
	}
	return s;
}

static void sock_close(struct vrrp_sock *s)
{
	ev_fd_del(s->set->loop, s->fd);
	close(s->fd);
	if (s->fd_ah >= 0) {
		ev_fd_del(s->set->loop, s->fd_ah);
		close(s->fd_ah);
	}
	free(s);
}

void vrrp_sock_put(struct vrrp_sock *s)
{
	struct vrrp_sock **pp;

	if (!s || --s->refs > 0)
		return;
	for (pp = &s->set->head; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	sock_close(s);
}

void vrrp_socks_close(struct vrrp_socks *ss)
{
	while (ss->head) {
		struct vrrp_sock *s = ss->head;

		ss->head = s->next;
		sock_close(s);
	}
}

/* Unicast instances may share a VRID on one link when their peers differ
 * (keepalived allows it): they hang off the same slot and an advert goes to
 * the one that lists its sender. */
int vrrp_sock_attach(struct vrrp_sock *s, uint8_t vrid, struct vrrp_inst *inst)
{
	struct vrrp_inst **pp = &s->by_vrid[vrid];

	for (; *pp; pp = &(*pp)->vrid_next)
		if (*pp == inst)
			return 0;
	if (s->by_vrid[vrid] && !s->unicast)
		return -1;
	inst->vrid_next = NULL;
	*pp = inst;
	return 0;
}

void vrrp_sock_detach(struct vrrp_sock *s, uint8_t vrid, const struct vrrp_inst *inst)
{
	for (struct vrrp_inst **pp = &s->by_vrid[vrid]; *pp; pp = &(*pp)->vrid_next)
		if (*pp == inst) {
			*pp = inst->vrid_next;
			return;
		}
}

/* The instance an advert from src for this VRID belongs to. */
static struct vrrp_inst *sock_owner(const struct vrrp_sock *s, uint8_t vrid,
				    const struct ka_addr *src)
{
	struct vrrp_inst *first = s->by_vrid[vrid];

	if (!first || !first->vrid_next || !src->family)
		return first;
	for (struct vrrp_inst *vi = first; vi; vi = vi->vrid_next)
		if (vrrp_inst_has_peer(vi, src))
			return vi;
	return first;
}

/* ---- sending ------------------------------------------------------------ */

static int send_ip6(struct vrrp_sock *s, const uint8_t *pkt, size_t len,
		    const struct ka_addr *src, const struct ka_addr *dst, int ttl)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_addr = dst->u.v6,
				   .sin6_scope_id = (uint32_t)s->ifindex };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { .iov_base = (void *)pkt, .iov_len = len };
	struct msghdr mh = { .msg_name = &to, .msg_namelen = sizeof(to),
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct in6_pktinfo pi = { .ipi6_ifindex = (unsigned)s->ifindex };
	struct cmsghdr *c;

	memset(&ctl, 0, sizeof(ctl));
	if (src && src->family == AF_INET6)
		pi.ipi6_addr = src->u.v6;
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	c = CMSG_NXTHDR(&mh, c);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_HOPLIMIT;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &ttl, sizeof(int));
	return sendmsg(s->fd, &mh, MSG_DONTWAIT) < 0 ? -errno : 0;
}

int vrrp_sock_send(struct vrrp_sock *s, const uint8_t *pkt, size_t len,
		   const struct ka_addr *src, const struct ka_addr *dst, int ttl)
{
	struct sockaddr_in to = { .sin_family = AF_INET };

	if (s->family == AF_INET6)
		return send_ip6(s, pkt, len, src, dst, ttl > 0 ? ttl : VRRP_TTL);
	to.sin_addr = dst->u.v4;
	return sendto(s->fd, pkt, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to)) < 0 ?
		-errno : 0;
}
