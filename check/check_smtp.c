/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_smtp.c - SMTP_CHECK: banner 220, HELO answered 250, QUIT answered 221 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "check/check_probe_int.h"
#include "check/check_smtp_codec.h"

enum smtp_step { ST_BANNER, ST_HELO, ST_QUIT, ST_END };

static const unsigned smtp_expect[ST_END] = { 220, 250, 221 };
static const char *const smtp_what[ST_END] = { "banner", "HELO", "QUIT" };

struct smtp_attempt {
	struct check_attempt a;
	enum smtp_step step;
	bool connected;
	struct check_smtp_reply r;
	char out[512];
	size_t out_len, out_sent;
};

static void smtp_send(struct smtp_attempt *s)
{
	while (s->out_sent < s->out_len) {
		ssize_t n = send(s->a.fd, s->out + s->out_sent, s->out_len - s->out_sent,
				 MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			ev_fd_mod(s->a.loop, s->a.fd, EV_WRITE);
			return;
		}
		if (n < 0) {
			check_attempt_finish(&s->a, check_errno_result(errno), -1, "write: %s",
					     strerror(errno));
			return;
		}
		s->out_sent += (size_t)n;
	}
	ev_fd_mod(s->a.loop, s->a.fd, EV_READ);
}

/* A whole reply arrived: check its code, then say the next thing. */
static void smtp_reply(struct smtp_attempt *s)
{
	const struct check_probe *p = s->a.p;
	if (s->r.code != smtp_expect[s->step]) {
		check_attempt_finish(&s->a, CHECK_L7STS, -1, "%s: reply %u %s", smtp_what[s->step],
				     s->r.code, check_smtp_reply_text(&s->r));
		return;
	}
	s->step++;
	if (s->step == ST_END) {
		check_attempt_finish(&s->a, CHECK_OK, -1, "SMTP dialogue completed");
		return;
	}
	int n = s->step == ST_HELO ? check_smtp_helo(s->out, sizeof(s->out), p->u.smtp.helo_name)
				   : (int)strlen(strcpy(s->out, "QUIT\r\n"));
	if (n < 0 || (size_t)n >= sizeof(s->out)) {
		check_attempt_finish(&s->a, CHECK_SOCKERR, -1, "unusable helo_name");
		return;
	}
	s->out_len = (size_t)n;
	s->out_sent = 0;
	check_smtp_reply_init(&s->r);
	smtp_send(s);
}

static void smtp_read(struct smtp_attempt *s)
{
	char buf[2048];
	ssize_t n = recv(s->a.fd, buf, sizeof(buf), 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		check_attempt_finish(&s->a, check_errno_result(errno), -1, "read: %s",
				     strerror(errno));
		return;
	}
	if (!n) {
		check_attempt_finish(&s->a, CHECK_L7RSP, -1, "%s: connection closed",
				     smtp_what[s->step]);
		return;
	}
	size_t off = 0;
	while (off < (size_t)n && !s->a.finished) {
		size_t used;
		int rc = check_smtp_reply_feed(&s->r, buf + off, (size_t)n - off, &used);
		off += used;
		if (rc == CHECK_SMTP_ERROR)
			check_attempt_finish(&s->a, CHECK_L7RSP, -1, "%s: %s", smtp_what[s->step],
					     s->r.error);
		else if (rc == CHECK_SMTP_DONE)
			smtp_reply(s);
	}
}

static void smtp_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct smtp_attempt *s = arg;
	if (!s->connected) {
		int err = check_sock_error(fd);
		if (err) {
			check_attempt_finish(&s->a, check_errno_result(err), -1, "connect: %s",
					     strerror(err));
			return;
		}
		s->connected = true;
		s->a.tout = CHECK_L7TOUT;
		ev_fd_mod(loop, fd, EV_READ);
		return;
	}
	if (s->out_sent < s->out_len)
		smtp_send(s);
	else
		smtp_read(s);
}

static struct check_attempt *smtp_start(struct ev_loop *loop, const struct check_probe *p,
					check_attempt_done_fn done, void *arg)
{
	struct smtp_attempt *s =
		(struct smtp_attempt *)check_attempt_new(sizeof(*s), loop, p, done, arg);
	check_smtp_reply_init(&s->r);
	enum check_result res;
	char why[160];
	int fd = check_sock_open(&p->conn, SOCK_STREAM, 0, true, &res, why, sizeof(why));
	if (fd < 0)
		check_attempt_finish(&s->a, res, -1, "%s", why);
	else if (check_attempt_watch(&s->a, fd, EV_WRITE, smtp_cb) == 0)
		check_attempt_deadline(&s->a, p->connect_timeout, CHECK_L4TOUT);
	return &s->a;
}

const struct check_probe_ops check_smtp_ops = {
	.kind = CHECK_SMTP,
	.name = "SMTP_CHECK",
	.start = smtp_start,
	.cancel = check_attempt_cancel,
};
