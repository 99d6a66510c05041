/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_dns.c - DNS_CHECK: one UDP query, passes on a matching reply with RCODE 0 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"
#include "check/check_dns_codec.h"
#include "check/check_probe_int.h"

struct dns_attempt {
	struct check_attempt a;
	uint8_t query[CHECK_DNS_MAX_QUERY];
	size_t qlen;
};

static uint16_t dns_random_id(void)
{
	uint16_t id;
	/* The id only has to be unpredictable enough to reject stray
	 * datagrams; fall back to the clock if the pool is not ready. */
	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != (ssize_t)sizeof(id))
		id = (uint16_t)(mono_usec() ^ (uint64_t)getpid());
	return id;
}

static void dns_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct dns_attempt *d = arg;
	uint8_t buf[4096];
	/* Read whatever is queued: strays are dropped, the first answer decides. */
	for (int i = 0; i < 8 && !d->a.finished; i++) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			check_attempt_finish(&d->a, check_errno_result(errno), -1, "read: %s",
					     strerror(errno));
			return;
		}
		int rcode;
		const char *why;
		switch (check_dns_reply(buf, (size_t)n, d->query, d->qlen, &rcode, &why)) {
		case CHECK_DNS_OK:
			check_attempt_finish(&d->a, CHECK_OK, -1, "DNS reply NOERROR");
			break;
		case CHECK_DNS_IGNORE:
			break;
		case CHECK_DNS_BAD:
			check_attempt_finish(&d->a, CHECK_L7RSP, -1, "DNS %s", why);
			break;
		case CHECK_DNS_RCODE:
			check_attempt_finish(&d->a, CHECK_L7STS, -1, "DNS reply %s (%d)",
					     check_dns_rcode_str(rcode), rcode);
			break;
		}
	}
}

static struct check_attempt *dns_start(struct ev_loop *loop, const struct check_probe *p,
				       check_attempt_done_fn done, void *arg)
{
	struct dns_attempt *d =
		(struct dns_attempt *)check_attempt_new(sizeof(*d), loop, p, done, arg);
	int n = check_dns_query(d->query, sizeof(d->query), dns_random_id(),
				(uint16_t)p->u.dns.type, p->u.dns.name);
	if (n < 0) {
		check_attempt_finish(&d->a, CHECK_SOCKERR, -1, "invalid DNS name '%s'",
				     p->u.dns.name);
		return &d->a;
	}
	d->qlen = (size_t)n;
	enum check_result res;
	char why[160];
	/* A connected socket: only the server's datagrams arrive, and an ICMP
	 * port unreachable comes back as ECONNREFUSED. */
	int fd = check_sock_open(&p->conn, SOCK_DGRAM, 0, true, &res, why, sizeof(why));
	if (fd < 0) {
		check_attempt_finish(&d->a, res, -1, "%s", why);
		return &d->a;
	}
	if (check_attempt_watch(&d->a, fd, EV_READ, dns_cb) < 0)
		return &d->a;
	if (send(fd, d->query, d->qlen, 0) < 0) {
		check_attempt_finish(&d->a, check_errno_result(errno), -1, "send: %s",
				     strerror(errno));
		return &d->a;
	}
	check_attempt_deadline(&d->a, p->connect_timeout, CHECK_L7TOUT);
	return &d->a;
}

const struct check_probe_ops check_dns_ops = {
	.kind = CHECK_DNS,
	.name = "DNS_CHECK",
	.start = dns_start,
	.cancel = check_attempt_cancel,
};
