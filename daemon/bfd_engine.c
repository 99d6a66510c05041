/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_engine.c - the BFD child's sessions on its event loop: sockets, timers, demultiplexing */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* struct in6_pktinfo */
#endif
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "daemon/bfd_engine.h"
#include "daemon/bfd_packet.h"
#include "daemon/bfd_session.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"

#define BFD_RX_BURST     64      /* datagrams read per wake-up: other work gets its turn */
#define BFD_RX_BUF       512     /* more than a control packet with authentication */
#define BFD_TTL_ANY      255     /* max_hops value that turns the TTL check off */
#define BFD_NRX          4       /* receiving sockets: {IPv4, IPv6} x {single, multihop} */

/* Why a received packet was dropped: the decoder's reasons (enum
 * bfd_pkt_err, BFD_PKT_OK unused), then the engine's own. */
enum bfd_drop {
	BFD_DROP_TTL = BFD_PKT_ERR_MAX, /* TTL / hop limit below what the session accepts */
	BFD_DROP_NO_SESSION,            /* no session for its discriminator or addresses */
	BFD_DROP_MAX,
};

/* Short stable names: dump keys, "Dropped (KEY) = N". */
static const char *drop_key(unsigned why)
{
	static const char *const keys[] = {
		[BFD_PKT_SHORT] = "short", [BFD_PKT_VERSION] = "version",
		[BFD_PKT_LENGTH] = "length", [BFD_PKT_MULT] = "multiplier",
		[BFD_PKT_MULTIPOINT] = "multipoint", [BFD_PKT_MY_DISC] = "my-discriminator",
		[BFD_PKT_YOUR_DISC] = "your-discriminator", [BFD_PKT_AUTH] = "auth",
		[BFD_DROP_TTL] = "ttl", [BFD_DROP_NO_SESSION] = "no-session",
	};
	return why < ARRAY_SIZE(keys) && keys[why] ? keys[why] : "other";
}

static const char *drop_text(unsigned why)
{
	if (why == BFD_DROP_TTL)
		return "TTL / hop limit too low";
	if (why == BFD_DROP_NO_SESSION)
		return "no session for it";
	return bfd_pkt_err_name((enum bfd_pkt_err)why);
}

struct bfd_counters {
	uint64_t rx, tx, tx_errors, changes, ups;
	uint64_t drops[BFD_DROP_MAX];
};

struct bfd_engine;

struct bfd_sess {
	struct bfd_sess *next;
	struct bfd_engine *eng;
	char *name;
	struct ka_addr neighbor, source;  /* source.family 0: any local address */
	bool multihop, to_vrrp, to_checker;
	int ttl;                  /* outgoing TTL (IPv4) or hop limit (IPv6) */
	int min_ttl;              /* lowest accepted on reception, 0 = any */
	int fd;                   /* sending socket, -1 if it could not be opened */
	uint16_t sport;
	struct bfd_session s;
	bool reported_up;         /* what the consumers were last told */
	bool keep;                /* during apply: still configured */
	bool fresh;               /* made by this apply: not yet announced */
	uint64_t since;           /* monotonic µs of the last state change */
	struct ev_timer *tx_timer, *detect_timer;
	uint64_t tx_armed, detect_armed; /* deadlines the timers are set for, 0 = none */
	struct bfd_counters c;
	struct log_rl drop_rl, tx_rl;
};

/* One receiving socket; arg of its fd callback. */
struct bfd_rx {
	struct bfd_engine *eng;
	int fd;
	sa_family_t family;
	bool multihop;
	bool wanted;              /* during apply: some session needs it */
};

struct bfd_engine {
	struct ev_loop *loop;
	bfd_engine_report_fn report;
	void *arg;
	struct bfd_sess *sessions; /* configuration order */
	struct bfd_rx rx[BFD_NRX];
	struct bfd_counters orphan; /* drops of packets no session could be found for */
	uint64_t rx_errors;
	uint64_t rnd;              /* xorshift state for jitter */
	struct log_rl rl;
};

/* What a received datagram came with. */
struct bfd_rx_meta {
	struct ka_addr src, dst;
	uint16_t sport;
	int ttl;                  /* -1: the kernel gave none */
	int ifindex;
	bool multihop;
};

/* ---- small helpers ---- */

static uint32_t rnd_next(struct bfd_engine *e)
{
	/* xorshift64*: jitter needs spread, not secrecy */
	e->rnd ^= e->rnd >> 12;
	e->rnd ^= e->rnd << 25;
	e->rnd ^= e->rnd >> 27;
	return (uint32_t)((e->rnd * 0x2545f4914f6cdd1dull) >> 32);
}

static uint32_t rnd_strong(struct bfd_engine *e)
{
	uint32_t v;
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v))
		v = rnd_next(e) ^ (uint32_t)mono_usec();
	return v;
}

static struct bfd_sess *find_by_disc(const struct bfd_engine *e, uint32_t disc)
{
	for (struct bfd_sess *s = e->sessions; s; s = s->next)
		if (s->s.local_disc == disc)
			return s;
	return NULL;
}

/* A random local discriminator: never 0, never one in use (RFC 5880 6.8.1). */
static uint32_t new_disc(struct bfd_engine *e)
{
	uint32_t d;
	do
		d = rnd_strong(e);
	while (d == 0 || find_by_disc(e, d));
	return d;
}

static socklen_t to_sockaddr(const struct ka_addr *a, uint16_t port,
			     struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = a->u.v6;
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	if (a->family == AF_INET)
		s4->sin_addr = a->u.v4;
	return sizeof(*s4);
}

static uint16_t sess_port(const struct bfd_sess *s)
{
	return s->multihop ? BFD_PORT_MULTIHOP : BFD_PORT;
}

static int rx_index(sa_family_t family, bool multihop)
{
	return (family == AF_INET6 ? 2 : 0) + (multihop ? 1 : 0);
}

/* ---- sockets ---- */

static void rx_cb(struct ev_loop *loop, int fd, unsigned events, void *arg);

static int rx_sockopts(int fd, sa_family_t family)
{
	int on = 1;
	if (family == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on)) < 0 ||
		       setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) < 0 ? -1 : 0;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0 ||
	       setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)) < 0 ||
	       setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0 ? -1 : 0;
}

/* Open and watch the receiving socket r (family, multihop set). */
static int rx_open(struct bfd_engine *e, struct bfd_rx *r)
{
	struct ka_addr any = { .family = r->family };
	struct sockaddr_storage ss;
	uint16_t port = r->multihop ? BFD_PORT_MULTIHOP : BFD_PORT;
	socklen_t len = to_sockaddr(&any, port, &ss);

	r->fd = socket(r->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (r->fd < 0 || rx_sockopts(r->fd, r->family) < 0 ||
	    bind(r->fd, (struct sockaddr *)&ss, len) < 0 ||
	    ev_fd_add(e->loop, r->fd, EV_READ, rx_cb, r) < 0) {
		log_warn("BFD: cannot receive on %s port %u",
			 r->family == AF_INET ? "IPv4" : "IPv6", port);
		if (r->fd >= 0)
			close(r->fd);
		r->fd = -1;
		return -1;
	}
	return 0;
}

static void rx_close(struct bfd_engine *e, struct bfd_rx *r)
{
	if (r->fd < 0)
		return;
	ev_fd_del(e->loop, r->fd);
	close(r->fd);
	r->fd = -1;
}

static int tx_set_ttl(const struct bfd_sess *s)
{
	int v = s->ttl;
	if (s->neighbor.family == AF_INET)
		return setsockopt(s->fd, IPPROTO_IP, IP_TTL, &v, sizeof(v));
	return setsockopt(s->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v));
}

/* Bind fd to the session's source address and a free port in 49152-65535
 * (RFC 5881 section 4), starting from a random one. */
static int tx_bind(struct bfd_sess *s)
{
	const unsigned span = BFD_SRC_PORT_MAX - BFD_SRC_PORT_MIN + 1;
	struct ka_addr src = s->source.family ? s->source : (struct ka_addr){
		.family = s->neighbor.family };
	struct sockaddr_storage ss;
	unsigned start = rnd_strong(s->eng) % span;

	for (unsigned i = 0; i < span; i++) {
		uint16_t port = (uint16_t)(BFD_SRC_PORT_MIN + (start + i) % span);
		socklen_t len = to_sockaddr(&src, port, &ss);
		if (bind(s->fd, (struct sockaddr *)&ss, len) == 0) {
			s->sport = port;
			return 0;
		}
		if (errno != EADDRINUSE)
			return -1;
	}
	return -1;
}

static int tx_open(struct bfd_sess *s)
{
	int on = 1;
	sa_family_t fam = s->neighbor.family;

	s->fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (s->fd < 0)
		goto fail;
	/* A source address that is not (yet) local, such as a VIP, still
	 * gives a session; sending fails until it appears. */
	if (fam == AF_INET)
		setsockopt(s->fd, IPPROTO_IP, IP_FREEBIND, &on, sizeof(on));
	else
		setsockopt(s->fd, IPPROTO_IPV6, IPV6_FREEBIND, &on, sizeof(on));
	if (tx_set_ttl(s) < 0 || tx_bind(s) < 0)
		goto fail;
	return 0;
fail:
	log_warn("(%s) cannot open its sending socket", s->name);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	return -1;
}

/* ---- sending and timers ---- */

static void sess_send(struct bfd_sess *s)
{
	struct bfd_pkt p;
	uint8_t buf[BFD_PKT_LEN];
	struct sockaddr_storage ss;
	char a[KA_ADDR_STRLEN];

	bfd_session_build(&s->s, &p);
	size_t len = bfd_pkt_encode(&p, buf, sizeof(buf));
	socklen_t sl = to_sockaddr(&s->neighbor, sess_port(s), &ss);
	if (s->fd >= 0 && len &&
	    sendto(s->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&ss, sl) ==
		    (ssize_t)len) {
		s->c.tx++;
		return;
	}
	s->c.tx_errors++;
	log_rl_msg(&s->tx_rl, LOG_WARNING, "(%s) cannot send to %s: %s", s->name,
		   ka_addr_str(&s->neighbor, a), s->fd < 0 ? "no socket" : strerror(errno));
}

/* Send one packet now and let the session schedule the next. */
static void sess_send_now(struct bfd_sess *s)
{
	sess_send(s);
	bfd_session_sent(&s->s, mono_usec(), rnd_next(s->eng));
}

static void tx_cb(struct ev_loop *loop, void *arg);
static void detect_cb(struct ev_loop *loop, void *arg);

/* Set a timer for the absolute deadline at (0 = none), unless it already is. */
static void arm(struct bfd_sess *s, struct ev_timer **ref, uint64_t *armed, uint64_t at,
		ev_timer_cb cb)
{
	if (at == *armed && (at == 0 || *ref))
		return;
	*armed = at;
	if (!at) {
		ev_cancel(ref);
		return;
	}
	uint64_t now = mono_usec();
	ev_timer_add(s->eng->loop, cb, s, at > now ? at - now : 0, ref);
}

/* After anything that touched the session: a session allowed to send with
 * nothing scheduled sends at once, then both timers follow tx_at and
 * detect_at (bfd_session.h). */
static void sess_timers(struct bfd_sess *s)
{
	if (s->s.state != BFD_STATE_ADMIN_DOWN && s->s.tx_at == 0 &&
	    bfd_session_may_send(&s->s))
		sess_send_now(s);
	arm(s, &s->tx_timer, &s->tx_armed, s->s.tx_at, tx_cb);
	arm(s, &s->detect_timer, &s->detect_armed, s->s.detect_at, detect_cb);
}

/* The state may have changed from old: log, count, tell the consumers. */
static void sess_changed(struct bfd_sess *s, unsigned old)
{
	const struct bfd_session *b = &s->s;
	if (b->state == old)
		return;
	s->c.changes++;
	s->since = mono_usec();
	if (b->state == BFD_STATE_UP) {
		s->c.ups++;
		log_info("(%s) Entering %s state", s->name, bfd_state_name(b->state));
	} else {
		log_info("(%s) Entering %s state (local diagnostic: %s, remote state %s)", s->name,
			 bfd_state_name(b->state), bfd_diag_name(b->diag),
			 bfd_state_name(b->remote_state));
	}
	bool up = b->state == BFD_STATE_UP;
	if (up != s->reported_up) {
		s->reported_up = up;
		s->eng->report(s->eng->arg, s->name, up, s->to_vrrp, s->to_checker);
	}
}

static void tx_cb(struct ev_loop *loop, void *arg)
{
	struct bfd_sess *s = arg;
	s->tx_armed = 0;
	if (s->s.tx_at && bfd_session_may_send(&s->s))
		sess_send_now(s);
	else
		s->s.tx_at = 0;
	sess_timers(s);
}

static void detect_cb(struct ev_loop *loop, void *arg)
{
	struct bfd_sess *s = arg;
	unsigned old = s->s.state;
	s->detect_armed = 0;
	if (bfd_session_expire(&s->s, mono_usec())) {
		uint64_t dt = bfd_session_detect_time(&s->s);
		log_info("(%s) nothing heard for the detection time (%llu ms)", s->name,
			 (unsigned long long)(dt / 1000));
	}
	sess_changed(s, old);
	sess_timers(s);
}

/* ---- reception ---- */

static bool addr_match(const struct bfd_sess *s, const struct bfd_rx_meta *m)
{
	return s->multihop == m->multihop && ka_addr_equal(&s->neighbor, &m->src) &&
	       (!s->source.family || ka_addr_equal(&s->source, &m->dst));
}

static struct bfd_sess *find_by_addr(const struct bfd_engine *e, const struct bfd_rx_meta *m)
{
	for (struct bfd_sess *s = e->sessions; s; s = s->next)
		if (addr_match(s, m))
			return s;
	return NULL;
}

static void drop(struct bfd_engine *e, struct bfd_sess *s, const struct bfd_rx_meta *m,
		 unsigned why)
{
	char src[KA_ADDR_STRLEN], dst[KA_ADDR_STRLEN];
	ka_addr_str(&m->src, src);
	ka_addr_str(&m->dst, dst);
	if (s) {
		s->c.drops[why]++;
		log_rl_msg(&s->drop_rl, LOG_INFO, "(%s) dropped a packet from %s port %u: %s",
			   s->name, src, m->sport, drop_text(why));
	} else {
		e->orphan.drops[why]++;
		log_rl_msg(&e->rl, LOG_INFO, "BFD: dropped a packet from %s port %u to %s: %s",
			   src, m->sport, dst, drop_text(why));
	}
}

/* A decoded, valid packet, for the session it names or comes from. */
static void sess_rx(struct bfd_sess *s, const struct bfd_pkt *p)
{
	unsigned old = s->s.state;
	s->c.rx++;
	unsigned r = bfd_session_rx(&s->s, p, mono_usec());
	if (r & BFD_RX_SEND_NOW)
		sess_send_now(s);
	sess_changed(s, old);
	sess_timers(s);
}

static void engine_rx(struct bfd_engine *e, const uint8_t *buf, size_t len,
		      const struct bfd_rx_meta *m)
{
	struct bfd_pkt p;
	enum bfd_pkt_err err = bfd_pkt_decode(buf, len, &p);
	struct bfd_sess *s;

	if (err != BFD_PKT_OK) {
		drop(e, find_by_addr(e, m), m, err);
		return;
	}
	/* RFC 5880 section 6.8.6: Your Discriminator selects the session; while
	 * it is 0 the addresses do. A discriminator of ours arriving from
	 * another neighbour or on the other port is no packet of that session. */
	s = p.your_disc ? find_by_disc(e, p.your_disc) : find_by_addr(e, m);
	if (s && !addr_match(s, m))
		s = NULL;
	if (!s) {
		drop(e, NULL, m, BFD_DROP_NO_SESSION);
		return;
	}
	/* RFC 5881 section 5 (GTSM): a single hop peer sends with TTL 255, so
	 * less means the packet was routed here from afar. */
	if (s->min_ttl && m->ttl < s->min_ttl) {
		drop(e, s, m, BFD_DROP_TTL);
		return;
	}
	sess_rx(s, &p);
}

static void meta_cmsgs(struct msghdr *mh, struct bfd_rx_meta *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
			memcpy(&m->ttl, CMSG_DATA(c), sizeof(int));
		} else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			m->dst.family = AF_INET;
			m->dst.u.v4 = pi.ipi_addr;
			m->ifindex = pi.ipi_ifindex;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
			memcpy(&m->ttl, CMSG_DATA(c), sizeof(int));
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			m->dst.family = AF_INET6;
			m->dst.u.v6 = pi.ipi6_addr;
			m->ifindex = (int)pi.ipi6_ifindex;
		}
	}
}

static void meta_source(const struct sockaddr_storage *ss, struct bfd_rx_meta *m)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		m->src.family = AF_INET6;
		m->src.u.v6 = s6->sin6_addr;
		m->sport = ntohs(s6->sin6_port);
	} else if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		m->src.family = AF_INET;
		m->src.u.v4 = s4->sin_addr;
		m->sport = ntohs(s4->sin_port);
	}
}

/* Read one datagram from r; false when there is nothing more to read. */
static bool rx_one(struct bfd_rx *r)
{
	uint8_t buf[BFD_RX_BUF];
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
	} ctl;
	struct sockaddr_storage from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
	};
	struct bfd_rx_meta m = { .ttl = -1, .multihop = r->multihop };

	memset(&from, 0, sizeof(from));
	ssize_t n = recvmsg(r->fd, &mh, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EINTR)
			return true;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			r->eng->rx_errors++;
			log_rl_msg(&r->eng->rl, LOG_WARNING, "BFD: receive error: %s",
				   strerror(errno));
		}
		return false;
	}
	meta_source(&from, &m);
	meta_cmsgs(&mh, &m);
	engine_rx(r->eng, buf, (size_t)n, &m);
	return true;
}

static void rx_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct bfd_rx *r = arg;
	for (int i = 0; i < BFD_RX_BURST && r->fd >= 0; i++)
		if (!rx_one(r))
			break;
}

/* ---- sessions ---- */

static void sess_cfg(const struct vrrp_bfd_cfg *b, struct bfd_session_cfg *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->min_tx = (uint32_t)b->min_tx;
	sc->min_rx = (uint32_t)b->min_rx;
	sc->idle_tx = (uint32_t)b->idle_tx;
	sc->mult = (uint8_t)b->multiplier;
	sc->passive = b->passive;
}

/* The settings that can change under a running session. */
static void sess_settings(struct bfd_sess *s, const struct vrrp_bfd_cfg *b)
{
	int base = b->neighbor.family == AF_INET ? b->ttl : b->hoplimit;
	s->ttl = base;
	s->min_ttl = b->max_hops >= BFD_TTL_ANY || base - b->max_hops <= 0 ? 0
									   : base - b->max_hops;
	/* the vrrp / checker keywords restrict; neither means both */
	s->to_vrrp = b->vrrp_only || !b->checker_only;
	s->to_checker = b->checker_only || !b->vrrp_only;
}

static struct bfd_sess *sess_new(struct bfd_engine *e, const struct vrrp_bfd_cfg *b)
{
	struct bfd_sess *s = xcalloc(1, sizeof(*s));
	struct bfd_session_cfg sc;

	s->eng = e;
	s->name = xstrdup(b->name);
	s->neighbor = b->neighbor;
	s->source = b->source;
	s->multihop = b->multihop;
	s->fd = -1;
	s->keep = s->fresh = true;
	s->since = mono_usec();
	sess_settings(s, b);
	sess_cfg(b, &sc);
	bfd_session_init(&s->s, &sc, new_disc(e));
	tx_open(s);
	return s;
}

/* A session that stays over a reload takes the new settings; the session
 * logic applies new intervals as RFC 5880 section 6.8.3 says. */
static void sess_reconfigure(struct bfd_sess *s, const struct vrrp_bfd_cfg *b)
{
	struct bfd_session_cfg sc;
	int old_ttl = s->ttl;

	sess_settings(s, b);
	if (s->fd >= 0 && s->ttl != old_ttl && tx_set_ttl(s) < 0)
		log_warn("(%s) cannot set the TTL", s->name);
	sess_cfg(b, &sc);
	bfd_session_reconfigure(&s->s, &sc, mono_usec());
}

static void sess_log_start(const struct bfd_sess *s)
{
	char n[KA_ADDR_STRLEN], src[KA_ADDR_STRLEN];
	log_info("(%s) session to %s port %u from %s port %u, discriminator 0x%08x", s->name,
		 ka_addr_str(&s->neighbor, n), sess_port(s),
		 s->source.family ? ka_addr_str(&s->source, src) : "any address", s->sport,
		 s->s.local_disc);
}

/* Remove a session: AdminDown to the peer first, so it goes Down at once. */
static void sess_free(struct bfd_sess *s, bool tell)
{
	bfd_session_admin_down(&s->s);
	if (bfd_session_may_send(&s->s))
		sess_send(s);
	if (tell && s->reported_up)
		s->eng->report(s->eng->arg, s->name, false, s->to_vrrp, s->to_checker);
	ev_cancel(&s->tx_timer);
	ev_cancel(&s->detect_timer);
	if (s->fd >= 0)
		close(s->fd);
	free(s->name);
	free(s);
}

/* ---- configuration ---- */

struct bfd_engine *bfd_engine_new(struct ev_loop *loop, bfd_engine_report_fn report, void *arg)
{
	struct bfd_engine *e = xcalloc(1, sizeof(*e));
	e->loop = loop;
	e->report = report;
	e->arg = arg;
	for (int i = 0; i < BFD_NRX; i++) {
		e->rx[i].eng = e;
		e->rx[i].fd = -1;
		e->rx[i].family = i < 2 ? AF_INET : AF_INET6;
		e->rx[i].multihop = i & 1;
	}
	if (getrandom(&e->rnd, sizeof(e->rnd), GRND_NONBLOCK) != (ssize_t)sizeof(e->rnd))
		e->rnd = mono_usec() ^ ((uint64_t)getpid() << 32);
	e->rnd |= 1; /* xorshift must not start at 0 */
	return e;
}

static bool same_path(const struct bfd_sess *s, const struct vrrp_bfd_cfg *b)
{
	return s->multihop == b->multihop && ka_addr_equal(&s->neighbor, &b->neighbor) &&
	       s->source.family == b->source.family &&
	       (!s->source.family || ka_addr_equal(&s->source, &b->source));
}

static bool same_cfg_path(const struct vrrp_bfd_cfg *a, const struct vrrp_bfd_cfg *b)
{
	return a->multihop == b->multihop && ka_addr_equal(&a->neighbor, &b->neighbor) &&
	       a->source.family == b->source.family &&
	       (!a->source.family || ka_addr_equal(&a->source, &b->source));
}

/* Whether block b runs: enabled, and not on the path of an earlier block
 * (packets that do not name a discriminator could not tell them apart). */
static bool runs(const struct vrrp_cfg *cfg, const struct vrrp_bfd_cfg *b, bool warn)
{
	if (b->disabled)
		return false;
	cfg_list_for_each(const struct vrrp_bfd_cfg, o, &cfg->bfds) {
		if (o == b)
			break;
		if (o->disabled || !same_cfg_path(o, b))
			continue;
		if (warn)
			log_warnx("(%s) same neighbour and source as (%s): ignored", b->name,
				  o->name);
		return false;
	}
	return true;
}

/* Where in list the session for block b is (same name and path), or NULL. */
static struct bfd_sess **find_slot(struct bfd_sess **list, const struct vrrp_bfd_cfg *b)
{
	for (struct bfd_sess **pp = list; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->name, b->name) && same_path(*pp, b))
			return pp;
	return NULL;
}

/* Open the receiving sockets the sessions need, close the others. */
static int rx_sync(struct bfd_engine *e)
{
	int rc = 0;
	for (int i = 0; i < BFD_NRX; i++)
		e->rx[i].wanted = false;
	for (struct bfd_sess *s = e->sessions; s; s = s->next)
		e->rx[rx_index(s->neighbor.family, s->multihop)].wanted = true;
	for (int i = 0; i < BFD_NRX; i++) {
		struct bfd_rx *r = &e->rx[i];
		if (!r->wanted)
			rx_close(e, r);
		else if (r->fd < 0 && rx_open(e, r) < 0)
			rc = -1;
	}
	return rc;
}

/* A session that stays: new settings; a consumer it is newly meant for
 * learns its state. */
static void keep_session(struct bfd_sess *s, const struct vrrp_bfd_cfg *b)
{
	bool was_vrrp = s->to_vrrp, was_check = s->to_checker;
	s->keep = true;
	sess_reconfigure(s, b);
	if ((s->to_vrrp && !was_vrrp) || (s->to_checker && !was_check))
		s->eng->report(s->eng->arg, s->name, s->reported_up, s->to_vrrp, s->to_checker);
}

/* Put the sessions in the configuration's order (dumps follow it). */
static void sort_sessions(struct bfd_engine *e, const struct vrrp_cfg *cfg)
{
	struct bfd_sess *rest = e->sessions, *head = NULL, **tail = &head, **pp;
	cfg_list_for_each(const struct vrrp_bfd_cfg, b, &cfg->bfds) {
		if (!runs(cfg, b, false) || !(pp = find_slot(&rest, b)))
			continue;
		struct bfd_sess *s = *pp;
		*pp = s->next;
		s->next = NULL;
		*tail = s;
		tail = &s->next;
	}
	*tail = rest; /* nothing left, names being unique */
	e->sessions = head;
}

int bfd_engine_apply(struct bfd_engine *e, const struct vrrp_cfg *cfg)
{
	struct bfd_sess **pp, **end = &e->sessions;

	for (struct bfd_sess *s = e->sessions; s; s = s->next) {
		s->keep = false;
		end = &s->next;
	}
	cfg_list_for_each(const struct vrrp_bfd_cfg, b, &cfg->bfds) {
		if (!runs(cfg, b, true))
			continue;
		if ((pp = find_slot(&e->sessions, b))) {
			keep_session(*pp, b);
		} else {
			/* appended at once: new_disc() sees every discriminator */
			*end = sess_new(e, b);
			end = &(*end)->next;
		}
	}
	/* The ones no longer configured (or whose path changed) send AdminDown. */
	for (pp = &e->sessions; *pp;) {
		struct bfd_sess *s = *pp;
		if (s->keep) {
			pp = &s->next;
			continue;
		}
		*pp = s->next;
		log_info("(%s) session removed", s->name);
		sess_free(s, true);
	}
	sort_sessions(e, cfg);
	int rc = rx_sync(e);
	for (struct bfd_sess *s = e->sessions; s; s = s->next) {
		if (s->fresh) {
			s->fresh = false;
			sess_log_start(s);
			e->report(e->arg, s->name, false, s->to_vrrp, s->to_checker);
		}
		sess_timers(s);
	}
	return rc;
}

size_t bfd_engine_count(const struct bfd_engine *e)
{
	size_t n = 0;
	for (const struct bfd_sess *s = e->sessions; s; s = s->next)
		n++;
	return n;
}

void bfd_engine_foreach(const struct bfd_engine *e, bfd_engine_report_fn fn, void *arg)
{
	for (const struct bfd_sess *s = e->sessions; s; s = s->next)
		fn(arg, s->name, s->reported_up, s->to_vrrp, s->to_checker);
}

void bfd_engine_free(struct bfd_engine *e)
{
	if (!e)
		return;
	while (e->sessions) {
		struct bfd_sess *s = e->sessions;
		e->sessions = s->next;
		sess_free(s, false);
	}
	for (int i = 0; i < BFD_NRX; i++)
		rx_close(e, &e->rx[i]);
	free(e);
}

/* ---- dumps ---- */

static void dump_drops(FILE *out, const struct bfd_counters *c, const char *indent)
{
	for (unsigned i = BFD_PKT_OK + 1; i < BFD_DROP_MAX; i++)
		fprintf(out, "%sDropped (%s) = %llu\n", indent, drop_key(i),
			(unsigned long long)c->drops[i]);
}

static void dump_counters(FILE *out, const struct bfd_counters *c, const char *indent)
{
	fprintf(out, "%sPackets in = %llu\n%sPackets out = %llu\n%sSend errors = %llu\n",
		indent, (unsigned long long)c->rx, indent, (unsigned long long)c->tx, indent,
		(unsigned long long)c->tx_errors);
	fprintf(out, "%sState changes = %llu\n%sTimes Up = %llu\n", indent,
		(unsigned long long)c->changes, indent, (unsigned long long)c->ups);
	dump_drops(out, c, indent);
}

static void dump_path(FILE *out, const struct bfd_sess *s)
{
	char a[KA_ADDR_STRLEN];
	fprintf(out, "   Neighbor = %s port %u (%s)\n", ka_addr_str(&s->neighbor, a), sess_port(s),
		s->multihop ? "multihop" : "single hop");
	fprintf(out, "   Source = %s port %u\n",
		s->source.family ? ka_addr_str(&s->source, a) : "any", s->sport);
	fprintf(out, "   %s sent = %d, lowest accepted = ", s->neighbor.family == AF_INET ?
		"TTL" : "Hop limit", s->ttl);
	if (s->min_ttl)
		fprintf(out, "%d\n", s->min_ttl);
	else
		fprintf(out, "any\n");
	fprintf(out, "   Consumers = %s%s%s\n", s->to_vrrp ? "VRRP" : "",
		s->to_vrrp && s->to_checker ? ", " : "", s->to_checker ? "checker" : "");
}

static void dump_session(FILE *out, const struct bfd_sess *s)
{
	const struct bfd_session *b = &s->s;
	fprintf(out, " BFD session = %s\n", s->name);
	dump_path(out, s);
	fprintf(out, "   State = %s (for %llu s)\n   Remote state = %s\n",
		bfd_state_name(b->state), (unsigned long long)((mono_usec() - s->since) / 1000000),
		bfd_state_name(b->remote_state));
	fprintf(out, "   Local diagnostic = %s\n", bfd_diag_name(b->diag));
	fprintf(out, "   Local discriminator = 0x%08x\n   Remote discriminator = 0x%08x\n",
		b->local_disc, b->remote_disc);
	fprintf(out, "   Desired min TX = %u us (advertised %u us)\n", b->des_min_tx,
		b->adv_min_tx);
	fprintf(out, "   Required min RX = %u us (advertised %u us)\n", b->req_min_rx,
		b->adv_min_rx);
	fprintf(out, "   Detect multiplier = %u\n", b->cfg.mult);
	fprintf(out, "   Remote desired min TX = %u us\n   Remote required min RX = %u us\n",
		b->remote_des_min_tx, b->remote_min_rx);
	fprintf(out, "   Remote multiplier = %u\n", b->remote_mult);
	fprintf(out, "   Transmit interval = %llu us\n   Detection time = %llu us\n",
		(unsigned long long)bfd_session_tx_interval(b),
		(unsigned long long)bfd_session_detect_time(b));
	fprintf(out, "   Passive = %s\n   Poll sequence = %s\n", b->cfg.passive ? "yes" : "no",
		b->polling ? "running" : "no");
	dump_counters(out, &s->c, "   ");
}

void bfd_engine_dump(const struct bfd_engine *e, FILE *out)
{
	fprintf(out, " BFD sessions = %zu\n", bfd_engine_count(e));
	for (const struct bfd_sess *s = e->sessions; s; s = s->next)
		dump_session(out, s);
	fprintf(out, " Packets matching no session\n");
	dump_drops(out, &e->orphan, "   ");
	fprintf(out, " Receive errors = %llu\n", (unsigned long long)e->rx_errors);
}

void bfd_engine_stats(struct bfd_engine *e, FILE *out, bool clear)
{
	for (struct bfd_sess *s = e->sessions; s; s = s->next) {
		fprintf(out, "BFD session %s\n  State = %s\n", s->name, bfd_state_name(s->s.state));
		dump_counters(out, &s->c, "  ");
		if (clear)
			memset(&s->c, 0, sizeof(s->c));
	}
	fprintf(out, "Packets matching no session\n");
	dump_drops(out, &e->orphan, "  ");
	fprintf(out, "Receive errors = %llu\n", (unsigned long long)e->rx_errors);
	if (clear) {
		memset(&e->orphan, 0, sizeof(e->orphan));
		e->rx_errors = 0;
	}
}
