/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_udp.c - UDP_CHECK: send a datagram; fail on ICMP errors or a reply that does not match */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "check/check_probe_int.h"

bool check_udp_reply_ok(const struct check_udp *u, const uint8_t *buf, size_t len, char *why,
			size_t wlen)
{
	if (len < u->min_reply_length) {
		snprintf(why, wlen, "reply of %zu bytes, shorter than %u", len, u->min_reply_length);
		return false;
	}
	if (len > u->max_reply_length) {
		snprintf(why, wlen, "reply of %zu bytes, longer than %u", len, u->max_reply_length);
		return false;
	}
	if (u->reply_len && len < u->reply_len) {
		snprintf(why, wlen, "reply of %zu bytes, shorter than the pattern", len);
		return false;
	}
	for (size_t i = 0; i < u->reply_len; i++) {
		uint8_t m = u->reply_mask ? u->reply_mask[i] : 0xff;
		if ((buf[i] & m) != (u->reply[i] & m)) {
			snprintf(why, wlen, "reply differs from the pattern at byte %zu", i);
			return false;
		}
	}
	return true;
}

static void udp_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct check_attempt *a = arg;
	const struct check_udp *u = &a->p->u.udp;
	uint8_t buf[65536]; /* above the largest UDP payload: nothing is cut */
	char why[128];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		/* ICMP port/host unreachable on the connected socket */
		check_attempt_finish(a, check_errno_result(errno), -1, "%s", strerror(errno));
		return;
	}
	if (!u->require_reply)
		check_attempt_finish(a, CHECK_OK, -1, "reply received");
	else if (check_udp_reply_ok(u, buf, (size_t)n, why, sizeof(why)))
		check_attempt_finish(a, CHECK_OK, -1, "reply of %zd bytes matches", n);
	else
		check_attempt_finish(a, CHECK_L7RSP, -1, "%s", why);
}

static void udp_quiet_cb(struct ev_loop *loop, void *arg)
{
	check_attempt_finish(arg, CHECK_OK, -1, "no ICMP error");
}

static struct check_attempt *udp_start(struct ev_loop *loop, const struct check_probe *p,
				       check_attempt_done_fn done, void *arg)
{
	struct check_attempt *a = check_attempt_new(sizeof(*a), loop, p, done, arg);
	const struct check_udp *u = &p->u.udp;
	enum check_result res;
	char why[160];
	/* Connected, so that an ICMP error for the datagram is reported on the
	 * socket (ECONNREFUSED) and only the server's replies are received. */
	int fd = check_sock_open(&p->conn, SOCK_DGRAM, 0, true, &res, why, sizeof(why));
	if (fd < 0) {
		check_attempt_finish(a, res, -1, "%s", why);
		return a;
	}
	if (check_attempt_watch(a, fd, EV_READ, udp_cb) < 0)
		return a;
	if (send(fd, u->payload ? (const void *)u->payload : "", u->payload_len, 0) < 0) {
		check_attempt_finish(a, check_errno_result(errno), -1, "send: %s", strerror(errno));
		return a;
	}
	if (u->require_reply) {
		check_attempt_deadline(a, p->connect_timeout, CHECK_L7TOUT);
	} else {
		/* Silence for the whole timeout is the success case. */
		a->tout = CHECK_OK;
		ev_timer_add(loop, udp_quiet_cb, a, p->connect_timeout, &a->deadline);
	}
	return a;
}

const struct check_probe_ops check_udp_ops = {
	.kind = CHECK_UDP,
	.name = "UDP_CHECK",
	.start = udp_start,
	.cancel = check_attempt_cancel,
};
