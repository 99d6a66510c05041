/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_attempt.c - life cycle of one probe attempt and the sockets probes connect with */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check_probe_int.h"
#include "util.h"

struct check_attempt *check_attempt_new(size_t size, struct ev_loop *loop,
					const struct check_probe *p, check_attempt_done_fn done,
					void *arg)
{
	struct check_attempt *a = xcalloc(1, size);
	a->loop = loop;
	a->p = p;
	a->done = done;
	a->arg = arg;
	a->fd = -1;
	a->tout = CHECK_L4TOUT;
	a->out.weight = -1;
	return a;
}

static void close_fd(struct check_attempt *a)
{
	if (a->fd < 0)
		return;
	ev_fd_del(a->loop, a->fd);
	close(a->fd);
	a->fd = -1;
}

/* Free the kind's resources, the socket and the timers; keeps the report. */
static void release(struct check_attempt *a)
{
	if (a->release) {
		void (*fn)(struct check_attempt *) = a->release;
		a->release = NULL;
		fn(a);
	}
	close_fd(a);
	ev_cancel(&a->deadline);
}

static void report_cb(struct ev_loop *loop, void *arg)
{
	struct check_attempt *a = arg;
	a->reporting = true;
	a->out.detail = a->detail;
	a->done(a->arg, &a->out);
	free(a);
}

static void deadline_cb(struct ev_loop *loop, void *arg)
{
	struct check_attempt *a = arg;
	static const char *const what[CHECK_RESULT_MAX] = {
		[CHECK_L4TOUT] = "connection timed out",
		[CHECK_L6TOUT] = "TLS handshake timed out",
		[CHECK_L7TOUT] = "no complete reply in time",
		[CHECK_PROCTOUT] = "script timed out",
	};
	const char *w = a->tout < CHECK_RESULT_MAX && what[a->tout] ? what[a->tout] : "timed out";
	check_attempt_finish(a, a->tout, -1, "%s", w);
}

void check_attempt_deadline(struct check_attempt *a, uint64_t usec, enum check_result tout)
{
	if (a->finished)
		return;
	a->tout = tout;
	ev_timer_add(a->loop, deadline_cb, a, usec, &a->deadline);
}

void check_attempt_finish(struct check_attempt *a, enum check_result r, int weight,
			  const char *fmt, ...)
{
	if (a->finished)
		return;
	a->finished = true;
	a->out.result = r;
	a->out.weight = weight;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->detail, sizeof(a->detail), fmt, ap);
	va_end(ap);
	release(a);
	ev_timer_add(a->loop, report_cb, a, 0, &a->report);
}

void check_attempt_cancel(struct check_attempt *a)
{
	if (!a || a->reporting)
		return; /* being reported: report_cb frees it */
	release(a);
	ev_cancel(&a->report);
	free(a);
}

int check_attempt_watch(struct check_attempt *a, int fd, unsigned events, ev_fd_cb cb)
{
	close_fd(a);
	if (ev_fd_add(a->loop, fd, events, cb, a) < 0) {
		int e = errno;
		close(fd);
		check_attempt_finish(a, CHECK_SOCKERR, -1, "cannot watch socket: %s", strerror(e));
		return -1;
	}
	a->fd = fd;
	return 0;
}

socklen_t check_sockaddr(const struct ka_addr *addr, unsigned port,
			 struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (addr->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		s4->sin_addr = addr->u.v4;
		return sizeof(*s4);
	}
	if (addr->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		s6->sin6_addr = addr->u.v6;
		return sizeof(*s6);
	}
	return 0;
}

int check_sock_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}

enum check_result check_errno_result(int err)
{
	switch (err) {
	case ECONNREFUSED:
	case ECONNRESET:
	case ECONNABORTED:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
	case ETIMEDOUT:
	case EPIPE:
		return CHECK_L4CON;
	default:
		return CHECK_SOCKERR;
	}
}

/* Options and source address before connect. 0 or -1 with why. */
static int sock_prepare(int fd, const struct check_conn *c, char *why, size_t wlen)
{
	if (c->fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &c->fwmark, sizeof(c->fwmark)) < 0) {
		snprintf(why, wlen, "SO_MARK %u: %s", c->fwmark, strerror(errno));
		return -1;
	}
	if (c->bind_if && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->bind_if,
				     (socklen_t)strlen(c->bind_if) + 1) < 0) {
		snprintf(why, wlen, "bind_if %s: %s", c->bind_if, strerror(errno));
		return -1;
	}
	if (c->bindto.family == AF_UNSPEC && !c->bind_port)
		return 0;
	struct sockaddr_storage ss;
	struct ka_addr any = { .family = c->connect_ip.family };
	const struct ka_addr *src = c->bindto.family != AF_UNSPEC ? &c->bindto : &any;
	socklen_t len = check_sockaddr(src, c->bind_port, &ss);
	if (src->family == AF_INET6 && c->bind_if && IN6_IS_ADDR_LINKLOCAL(&src->u.v6))
		((struct sockaddr_in6 *)&ss)->sin6_scope_id = if_nametoindex(c->bind_if);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		char b[KA_ADDR_STRLEN];
		snprintf(why, wlen, "bind to %s port %u: %s", ka_addr_str(src, b), c->bind_port,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int check_sock_open(const struct check_conn *c, int type, int proto, bool do_connect,
		    enum check_result *res, char *why, size_t wlen)
{
	*res = CHECK_SOCKERR;
	int family = c->connect_ip.family;
	if (family != AF_INET && family != AF_INET6) {
		snprintf(why, wlen, "no address to connect to");
		return -1;
	}
	int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0) {
		int e = errno; /* callers may try another socket type on EPERM */
		snprintf(why, wlen, "socket: %s", strerror(e));
		errno = e;
		return -1;
	}
	if (sock_prepare(fd, c, why, wlen) < 0) {
		close(fd);
		return -1;
	}
	if (!do_connect)
		return fd;
	struct sockaddr_storage ss;
	socklen_t len = check_sockaddr(&c->connect_ip, c->connect_port, &ss);
	if (family == AF_INET6 && c->bind_if && IN6_IS_ADDR_LINKLOCAL(&c->connect_ip.u.v6))
		((struct sockaddr_in6 *)&ss)->sin6_scope_id = if_nametoindex(c->bind_if);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
		int e = errno;
		*res = check_errno_result(e);
		snprintf(why, wlen, "connect: %s", strerror(e));
		close(fd);
		return -1;
	}
	return fd;
}
