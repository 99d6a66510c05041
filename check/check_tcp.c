/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_tcp.c - TCP_CHECK: the attempt succeeds when a TCP connection is established */
#include <string.h>
#include <sys/socket.h>

#include "check/check_probe_int.h"

static void tcp_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct check_attempt *a = arg;
	int err = check_sock_error(fd);
	if (err)
		check_attempt_finish(a, check_errno_result(err), -1, "connect: %s", strerror(err));
	else
		check_attempt_finish(a, CHECK_OK, -1, "connected");
}

static struct check_attempt *tcp_start(struct ev_loop *loop, const struct check_probe *p,
				       check_attempt_done_fn done, void *arg)
{
	struct check_attempt *a = check_attempt_new(sizeof(*a), loop, p, done, arg);
	enum check_result res;
	char why[160];
	int fd = check_sock_open(&p->conn, SOCK_STREAM, 0, true, &res, why, sizeof(why));
	if (fd < 0)
		check_attempt_finish(a, res, -1, "%s", why);
	else if (check_attempt_watch(a, fd, EV_WRITE, tcp_cb) == 0)
		check_attempt_deadline(a, p->connect_timeout, CHECK_L4TOUT);
	/* The connection is simply closed once established: nothing is sent. */
	return a;
}

const struct check_probe_ops check_tcp_ops = {
	.kind = CHECK_TCP,
	.name = "TCP_CHECK",
	.start = tcp_start,
	.cancel = check_attempt_cancel,
};
