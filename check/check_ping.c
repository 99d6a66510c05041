/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_ping.c - PING_CHECK: one ICMP or ICMPv6 echo request, passes on the matching reply */
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"
#include "check/check_probe_int.h"

#define PING_COOKIE_LEN 16

struct ping_attempt {
	struct check_attempt a;
	bool raw;        /* raw socket: we pick the id and see every ICMP packet */
	bool v6;
	uint16_t id, seq;
	uint8_t cookie[PING_COOKIE_LEN];
};

static uint16_t ping_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Does this datagram answer our request? Raw IPv4 sockets deliver the IP
 * header too; ping sockets filter on the id themselves (theirs, not ours). */
static bool ping_match(const struct ping_attempt *pa, const uint8_t *b, size_t n)
{
	if (pa->raw && !pa->v6) {
		if (n < sizeof(struct iphdr))
			return false;
		size_t hl = (size_t)(b[0] & 0x0f) * 4;
		if (hl < sizeof(struct iphdr) || hl > n)
			return false;
		b += hl;
		n -= hl;
	}
	if (n < 8 + PING_COOKIE_LEN)
		return false;
	uint8_t reply = pa->v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY;
	uint16_t id = (uint16_t)(b[4] << 8 | b[5]), seq = (uint16_t)(b[6] << 8 | b[7]);
	return b[0] == reply && b[1] == 0 && seq == pa->seq && (!pa->raw || id == pa->id) &&
	       !memcmp(b + 8, pa->cookie, PING_COOKIE_LEN);
}

static void ping_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct ping_attempt *pa = arg;
	uint8_t buf[2048];
	for (int i = 0; i < 16 && !pa->a.finished; i++) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0)
			check_attempt_finish(&pa->a, check_errno_result(errno), -1, "%s",
					     strerror(errno));
		else if (ping_match(pa, buf, (size_t)n))
			check_attempt_finish(&pa->a, CHECK_OK, -1, "echo reply");
	}
}

/* Ping socket if this group may use them, else a raw socket (root). */
static int ping_socket(struct ping_attempt *pa, const struct check_conn *c,
		       enum check_result *res, char *why, size_t wlen)
{
	int proto = pa->v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	struct check_conn cc = *c;
	cc.connect_port = 0; /* ICMP has no ports; raw IPv6 sockets want 0 here */
	int fd = check_sock_open(&cc, SOCK_DGRAM, proto, true, res, why, wlen);
	if (fd >= 0 || (errno != EACCES && errno != EPERM && errno != EPROTONOSUPPORT))
		return fd;
	pa->raw = true;
	return check_sock_open(&cc, SOCK_RAW, proto, true, res, why, wlen);
}

static int ping_send(struct ping_attempt *pa, int fd)
{
	uint8_t pkt[8 + PING_COOKIE_LEN] = { pa->v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO, 0 };
	pkt[4] = (uint8_t)(pa->id >> 8);
	pkt[5] = (uint8_t)pa->id;
	pkt[6] = (uint8_t)(pa->seq >> 8);
	pkt[7] = (uint8_t)pa->seq;
	memcpy(pkt + 8, pa->cookie, PING_COOKIE_LEN);
	if (!pa->v6) {
		/* ping sockets recompute it; raw IPv4 ones send what we give.
		 * (The kernel always fills the ICMPv6 one.) */
		uint16_t s = ping_csum(pkt, sizeof(pkt));
		pkt[2] = (uint8_t)(s >> 8);
		pkt[3] = (uint8_t)s;
	}
	return send(fd, pkt, sizeof(pkt), 0) < 0 ? -1 : 0;
}

static struct check_attempt *ping_start(struct ev_loop *loop, const struct check_probe *p,
					check_attempt_done_fn done, void *arg)
{
	struct ping_attempt *pa =
		(struct ping_attempt *)check_attempt_new(sizeof(*pa), loop, p, done, arg);
	pa->v6 = p->conn.connect_ip.family == AF_INET6;
	if (getrandom(pa->cookie, sizeof(pa->cookie), GRND_NONBLOCK) != (ssize_t)sizeof(pa->cookie)) {
		uint64_t t = mono_usec();
		memcpy(pa->cookie, &t, sizeof(t));
	}
	pa->id = (uint16_t)(getpid() ^ (pa->cookie[0] << 8 | pa->cookie[1]));
	pa->seq = (uint16_t)(pa->cookie[2] << 8 | pa->cookie[3]);

	enum check_result res;
	char why[160];
	int fd = ping_socket(pa, &p->conn, &res, why, sizeof(why));
	if (fd < 0) {
		check_attempt_finish(&pa->a, res, -1, "%s", why);
		return &pa->a;
	}
	if (check_attempt_watch(&pa->a, fd, EV_READ, ping_cb) < 0)
		return &pa->a;
	if (ping_send(pa, fd) < 0) {
		check_attempt_finish(&pa->a, check_errno_result(errno), -1, "send: %s",
				     strerror(errno));
		return &pa->a;
	}
	check_attempt_deadline(&pa->a, p->connect_timeout, CHECK_L4TOUT);
	return &pa->a;
}

const struct check_probe_ops check_ping_ops = {
	.kind = CHECK_PING,
	.name = "PING_CHECK",
	.start = ping_start,
	.cancel = check_attempt_cancel,
};
