/* SPDX-License-Identifier: GPL-2.0-or-later */
/* smtp.c - alert mail client: send queue, forked resolver, non-blocking SMTP sessions */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ev.h"
#include "log.h"
#include "smtp.h"
#include "util.h"

#define SMTP_MAX_ADDRS 8
#define SMTP_ADDR_MAX 256 /* bytes of one bare address, NUL included */

/* Where a mail is in its life. */
enum smtp_phase {
	PH_WAITING,  /* queued, no session slot yet */
	PH_ACTIVE,   /* a session runs */
	PH_RETRY,    /* the relay was unreachable; waiting for the retry */
	PH_DONE,     /* finished, done callback not called yet */
};

/* Where a session is: what we wait for next. */
enum smtp_step {
	ST_RESOLVE, ST_CONNECT, ST_GREETING, ST_EHLO, ST_HELO, ST_MAIL, ST_RCPT,
	ST_DATA, ST_BODY, ST_QUIT,
};

static const char *const step_names[] = {
	[ST_RESOLVE] = "name resolution", [ST_CONNECT] = "connection",
	[ST_GREETING] = "greeting", [ST_EHLO] = "EHLO reply", [ST_HELO] = "HELO reply",
	[ST_MAIL] = "MAIL FROM reply", [ST_RCPT] = "RCPT TO reply", [ST_DATA] = "DATA reply",
	[ST_BODY] = "reply to the message", [ST_QUIT] = "QUIT reply",
};

/* One resolved relay address (written by the resolver helper as is). */
struct smtp_sa {
	socklen_t len;
	struct sockaddr_storage ss;
};

/* What the resolver helper writes: one record, well under PIPE_BUF. */
struct smtp_resolved {
	int gai_err;
	unsigned n;
	struct smtp_sa a[SMTP_MAX_ADDRS];
};

struct smtp_job {
	struct smtp_job *prev, *next;
	struct smtp_client *c;
	enum smtp_phase phase;
	unsigned attempts;

	/* copies of what smtp_send() got */
	char *host;                 /* NULL when addr is used */
	struct ka_addr addr;
	uint16_t port;
	char *helo;
	uint64_t timeout;
	char *from;                 /* bare address */
	char **rcpt;                /* bare addresses */
	size_t nrcpt;
	char *subject;              /* for logs */
	char *payload;
	size_t payload_len;
	bool eightbit;
	smtp_done_fn done;
	void *arg;
	char relay[300];            /* "[192.0.2.1]:25" or "mail.example.com:25", for logs */

	/* the session */
	enum smtp_step step;
	struct ev_timer *timer;     /* session timeout, or retry delay */
	pid_t resolver;             /* helper pid, 0 when none */
	int res_fd;
	struct smtp_resolved res;
	size_t res_len;
	size_t cur;                 /* address being tried */
	int fd;
	const char *out;            /* pending output (cmd or payload) */
	size_t out_len, out_off;
	char cmd[SMTP_ADDR_MAX + 64];
	char in[SMTP_REPLY_MAX];
	size_t in_len;
	size_t rcpt_i;
	unsigned rcpt_ok;
	bool reached;               /* the relay answered at least once */
	bool failed;                /* outcome decided as failure, QUIT pending */
	bool ok;                    /* PH_DONE: the outcome */
	char why[SMTP_TEXT_MAX + 128];
};

struct smtp_client {
	struct ev_loop *loop;
	struct smtp_job *head, *tail; /* every mail, in submission order */
	size_t njobs, nactive;
	uint64_t retry_delay;
	unsigned seq;                 /* for Message-IDs */
	struct ev_timer *pump;        /* start waiting mails from the loop */
	bool flushing;                /* smtp_client_flush(): stop when empty */
};

static void job_pump_later(struct smtp_client *c);
static void session_next_addr(struct smtp_job *j);
static void session_fail(struct smtp_job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- job list ------------------------------------------------------------------------ */

static void job_free(struct smtp_job *j)
{
	for (size_t i = 0; i < j->nrcpt; i++)
		free(j->rcpt[i]);
	free(j->rcpt);
	free(j->host);
	free(j->helo);
	free(j->from);
	free(j->subject);
	free(j->payload);
	free(j);
}

static void job_unlink(struct smtp_job *j)
{
	struct smtp_client *c = j->c;

	if (j->prev)
		j->prev->next = j->next;
	else
		c->head = j->next;
	if (j->next)
		j->next->prev = j->prev;
	else
		c->tail = j->prev;
	c->njobs--;
}

/* Close whatever the session holds: socket, resolver helper, timer. The
 * helper is killed and reaped here so no zombie outlives the session. */
static void session_close(struct smtp_job *j)
{
	struct ev_loop *loop = j->c->loop;

	ev_cancel(&j->timer);
	if (j->fd >= 0) {
		ev_fd_del(loop, j->fd);
		close(j->fd);
		j->fd = -1;
	}
	if (j->res_fd >= 0) {
		ev_fd_del(loop, j->res_fd);
		close(j->res_fd);
		j->res_fd = -1;
	}
	if (j->resolver > 0) {
		ev_child_del(loop, j->resolver);
		kill(j->resolver, SIGKILL);
		while (waitpid(j->resolver, NULL, 0) < 0 && errno == EINTR)
			;
		j->resolver = 0;
	}
}

/* The mail is done for good: log it now; the caller hears of it and the
 * job is freed from the pump, outside every callback of the session, so
 * no code still running on this job can touch freed memory. */
static void job_finish(struct smtp_job *j, bool ok)
{
	struct smtp_client *c = j->c;

	session_close(j);
	if (j->phase == PH_ACTIVE)
		c->nactive--;
	j->phase = PH_DONE;
	j->ok = ok;
	if (ok)
		log_info("SMTP %s: mail \"%s\" sent (%u of %zu recipients accepted)", j->relay,
			 j->subject, j->rcpt_ok, j->nrcpt);
	else
		log_warnx("SMTP %s: mail \"%s\" not sent: %s", j->relay, j->subject, j->why);
	job_pump_later(c);
}

static void retry_cb(struct ev_loop *loop, void *arg)
{
	struct smtp_job *j = arg;

	j->phase = PH_WAITING;
	job_pump_later(j->c);
}

/* Failure of the session. The one retry is for a relay that never
 * answered; a relay that answered and refused would refuse again. */
static void job_fail(struct smtp_job *j)
{
	struct smtp_client *c = j->c;

	if (j->reached || j->attempts > 1 || !c->retry_delay || c->flushing) {
		job_finish(j, false);
		return;
	}
	session_close(j);
	c->nactive--;
	j->phase = PH_RETRY;
	log_warnx("SMTP %s: mail \"%s\": %s; retrying in %.1f s", j->relay, j->subject, j->why,
		  (double)c->retry_delay / 1e6);
	ev_timer_add(c->loop, retry_cb, j, c->retry_delay, &j->timer);
	job_pump_later(c);
}

/* ---- output ----------------------------------------------------------------------------- */

/* Write what is pending; wait for EV_WRITE if the socket is full. */
static void session_flush(struct smtp_job *j)
{
	while (j->out_off < j->out_len) {
		ssize_t n = send(j->fd, j->out + j->out_off, j->out_len - j->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			ev_fd_mod(j->c->loop, j->fd, EV_READ | EV_WRITE);
			return;
		}
		if (n < 0) {
			session_fail(j, "cannot write to the server: %s", strerror(errno));
			return;
		}
		j->out_off += (size_t)n;
	}
	ev_fd_mod(j->c->loop, j->fd, EV_READ);
}

static void session_write(struct smtp_job *j, enum smtp_step next, const char *data, size_t len)
{
	j->step = next;
	j->out = data;
	j->out_len = len;
	j->out_off = 0;
	session_flush(j);
}

static void __attribute__((format(printf, 3, 4)))
session_cmd(struct smtp_job *j, enum smtp_step next, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(j->cmd, sizeof(j->cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(j->cmd))
		n = (int)strlen(j->cmd);
	session_write(j, next, j->cmd, (size_t)n);
}

/* Record the failure; if the server can still hear us, say QUIT politely
 * and finish on its answer (or on close / timeout). */
static void session_fail(struct smtp_job *j, const char *fmt, ...)
{
	va_list ap;

	/* the first failure is the one worth reporting */
	if (!j->failed) {
		va_start(ap, fmt);
		vsnprintf(j->why, sizeof(j->why), fmt, ap);
		va_end(ap);
	}
	j->failed = true;
	if (j->fd >= 0 && j->step > ST_GREETING && j->step < ST_QUIT) {
		session_cmd(j, ST_QUIT, "QUIT\r\n");
		return;
	}
	job_fail(j);
}

/* ---- dialogue --------------------------------------------------------------------------- */

static void session_mail_from(struct smtp_job *j, bool ehlo, const char *ehlo_buf, size_t len)
{
	bool body8 = ehlo && j->eightbit && smtp_reply_has_ext(ehlo_buf, len, "8BITMIME");

	session_cmd(j, ST_MAIL, "MAIL FROM:<%s>%s\r\n", j->from, body8 ? " BODY=8BITMIME" : "");
}

static void session_rcpt_done(struct smtp_job *j)
{
	if (j->rcpt_i < j->nrcpt) {
		session_cmd(j, ST_RCPT, "RCPT TO:<%s>\r\n", j->rcpt[j->rcpt_i]);
		return;
	}
	if (!j->rcpt_ok) {
		session_fail(j, "every recipient was rejected");
		return;
	}
	session_cmd(j, ST_DATA, "DATA\r\n");
}

/* Act on one complete reply. raw/len is the reply as received (EHLO
 * extensions are looked up there). */
static void session_reply(struct smtp_job *j, const struct smtp_reply *r, const char *raw,
			  size_t len)
{
	int cls = r->code / 100;

	j->reached = true;
	switch (j->step) {
	case ST_GREETING:
		if (cls != 2)
			session_fail(j, "greeting: %d %s", r->code, r->text);
		else
			session_cmd(j, ST_EHLO, "EHLO %s\r\n", j->helo);
		break;
	case ST_EHLO:
		if (cls == 5)
			session_cmd(j, ST_HELO, "HELO %s\r\n", j->helo);
		else if (cls != 2)
			session_fail(j, "EHLO: %d %s", r->code, r->text);
		else
			session_mail_from(j, true, raw, len);
		break;
	case ST_HELO:
		if (cls != 2)
			session_fail(j, "HELO: %d %s", r->code, r->text);
		else
			session_mail_from(j, false, NULL, 0);
		break;
	case ST_MAIL:
		if (cls != 2) {
			session_fail(j, "MAIL FROM:<%s> rejected: %d %s", j->from, r->code,
				     r->text);
			break;
		}
		j->rcpt_i = 0;
		session_rcpt_done(j);
		break;
	case ST_RCPT:
		if (cls == 2)
			j->rcpt_ok++;
		else
			log_warnx("SMTP %s: recipient <%s> rejected: %d %s", j->relay,
				  j->rcpt[j->rcpt_i], r->code, r->text);
		j->rcpt_i++;
		session_rcpt_done(j);
		break;
	case ST_DATA:
		if (cls != 3)
			session_fail(j, "DATA: %d %s", r->code, r->text);
		else
			session_write(j, ST_BODY, j->payload, j->payload_len);
		break;
	case ST_BODY:
		if (cls != 2)
			session_fail(j, "message refused: %d %s", r->code, r->text);
		else
			session_cmd(j, ST_QUIT, "QUIT\r\n");
		break;
	case ST_QUIT:
		job_finish(j, !j->failed);
		break;
	case ST_RESOLVE:
	case ST_CONNECT:
		break;
	}
}

static void session_read(struct smtp_job *j)
{
	ssize_t n = read(j->fd, j->in + j->in_len, sizeof(j->in) - j->in_len);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0 && j->step == ST_QUIT) {
		job_finish(j, !j->failed);
		return;
	}
	if (n < 0) {
		session_fail(j, "reading the %s: %s", step_names[j->step], strerror(errno));
		return;
	}
	if (n == 0) {
		session_fail(j, "connection closed by the server while waiting for the %s",
			     step_names[j->step]);
		return;
	}
	j->in_len += (size_t)n;
	j->reached = true; /* even garbage means someone is there: no retry */
	/* the job is freed only from the pump: after a reply that ended the
	 * session (fd closed) it is still safe to look at */
	while (j->in_len && j->fd >= 0) {
		struct smtp_reply r;
		const char *why = NULL;
		ssize_t used = smtp_reply_parse(j->in, j->in_len, &r, &why);

		if (used < 0) {
			session_fail(j, "%s in the %s", why, step_names[j->step]);
			return;
		}
		if (used == 0) {
			if (j->in_len == sizeof(j->in))
				session_fail(j, "%s too long", step_names[j->step]);
			return;
		}
		/* a server speaks only when asked: input while we still write is
		 * an early verdict (e.g. 421 closing), handled like any reply */
		session_reply(j, &r, j->in, (size_t)used);
		memmove(j->in, j->in + used, j->in_len - (size_t)used);
		j->in_len -= (size_t)used;
	}
}

/* ---- connection ------------------------------------------------------------------------- */

static const char *sa_str(const struct smtp_sa *a, char *buf, size_t len)
{
	char ab[INET6_ADDRSTRLEN] = "?";

	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&a->ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, ab, sizeof(ab));
		snprintf(buf, len, "[%s]:%u", ab, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)&a->ss;
		inet_ntop(AF_INET, &s4->sin_addr, ab, sizeof(ab));
		snprintf(buf, len, "%s:%u", ab, ntohs(s4->sin_port));
	}
	return buf;
}

static void session_connected(struct smtp_job *j)
{
	int err = 0;
	socklen_t l = sizeof(err);
	char sb[INET6_ADDRSTRLEN + 16];

	if (getsockopt(j->fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
		err = errno;
	if (err) {
		snprintf(j->why, sizeof(j->why), "cannot connect to %s: %s",
			 sa_str(&j->res.a[j->cur - 1], sb, sizeof(sb)), strerror(err));
		ev_fd_del(j->c->loop, j->fd);
		close(j->fd);
		j->fd = -1;
		session_next_addr(j);
		return;
	}
	j->step = ST_GREETING;
	ev_fd_mod(j->c->loop, j->fd, EV_READ);
}

static void session_io_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct smtp_job *j = arg;

	if (j->step == ST_CONNECT) {
		session_connected(j);
		return;
	}
	if ((events & EV_WRITE) && j->out_off < j->out_len) {
		session_flush(j);
		if (j->fd < 0)
			return;
	}
	if (events & (EV_READ | EV_ERROR))
		session_read(j);
}

/* Try the next resolved address; the failure of the last one (kept in
 * why) is the session's. */
static void session_next_addr(struct smtp_job *j)
{
	char sb[INET6_ADDRSTRLEN + 16];

	while (j->cur < j->res.n) {
		const struct smtp_sa *a = &j->res.a[j->cur++];
		int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

		if (fd >= 0 && (connect(fd, (const struct sockaddr *)&a->ss, a->len) == 0 ||
				errno == EINPROGRESS) &&
		    ev_fd_add(j->c->loop, fd, EV_WRITE, session_io_cb, j) == 0) {
			j->fd = fd;
			j->step = ST_CONNECT;
			return;
		}
		snprintf(j->why, sizeof(j->why), "cannot connect to %s: %s",
			 sa_str(a, sb, sizeof(sb)), strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	j->failed = true;
	job_fail(j);
}

/* ---- name resolution in a helper process ----------------------------------------------- */

static void __attribute__((noreturn)) resolver_child(const char *host, uint16_t port, int fd)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_protocol = IPPROTO_TCP };
	struct addrinfo *res = NULL;
	struct smtp_resolved out = { 0 };
	char ps[8];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(ps, sizeof(ps), "%u", port);
	out.gai_err = getaddrinfo(host, ps, &hints, &res);
	for (struct addrinfo *ai = res; !out.gai_err && ai && out.n < SMTP_MAX_ADDRS;
	     ai = ai->ai_next) {
		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(out.a[0].ss))
			continue;
		out.a[out.n].len = ai->ai_addrlen;
		memcpy(&out.a[out.n].ss, ai->ai_addr, ai->ai_addrlen);
		out.n++;
	}
	/* one write well under PIPE_BUF into an empty pipe: never partial */
	if (write(fd, &out, sizeof(out)) < 0)
		_exit(1);
	_exit(0);
}

static void resolver_exit_cb(struct ev_loop *loop, pid_t pid, int status, void *arg)
{
	struct smtp_job *j = arg;

	if (j->resolver == pid)
		j->resolver = 0;
}

static void resolver_read_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct smtp_job *j = arg;
	ssize_t n = read(fd, (char *)&j->res + j->res_len, sizeof(j->res) - j->res_len);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		j->res_len += (size_t)n;
		if (j->res_len < sizeof(j->res))
			return;
	}
	ev_fd_del(loop, fd);
	close(fd);
	j->res_fd = -1;
	if (j->res_len != sizeof(j->res)) {
		snprintf(j->why, sizeof(j->why), "cannot resolve %s: resolver helper failed",
			 j->host);
	} else if (j->res.gai_err) {
		snprintf(j->why, sizeof(j->why), "cannot resolve %s: %s", j->host,
			 gai_strerror(j->res.gai_err));
	} else if (!j->res.n) {
		snprintf(j->why, sizeof(j->why), "cannot resolve %s: no IPv4/IPv6 address",
			 j->host);
	} else {
		j->cur = 0;
		session_next_addr(j);
		return;
	}
	j->failed = true;
	job_fail(j);
}

static void session_resolve(struct smtp_job *j)
{
	struct ev_loop *loop = j->c->loop;
	int p[2];

	j->step = ST_RESOLVE;
	j->res_len = 0;
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0) {
		snprintf(j->why, sizeof(j->why), "cannot resolve %s: pipe: %s", j->host,
			 strerror(errno));
		job_finish(j, false);
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		resolver_child(j->host, j->port, p[1]);
	}
	close(p[1]);
	if (pid < 0) {
		snprintf(j->why, sizeof(j->why), "cannot resolve %s: fork: %s", j->host,
			 strerror(errno));
		close(p[0]);
		job_finish(j, false);
		return;
	}
	j->resolver = pid;
	j->res_fd = p[0];
	ev_child_add(loop, pid, resolver_exit_cb, j);
	ev_fd_add(loop, p[0], EV_READ, resolver_read_cb, j);
}

/* ---- sessions and the queue ------------------------------------------------------------- */

static void session_timeout_cb(struct ev_loop *loop, void *arg)
{
	struct smtp_job *j = arg;

	if (j->step == ST_QUIT) {
		/* the verdict is known; a server slow to say goodbye changes nothing */
		job_finish(j, !j->failed);
		return;
	}
	snprintf(j->why, sizeof(j->why), "timed out after %llu ms waiting for the %s",
		 (unsigned long long)(j->timeout / 1000), step_names[j->step]);
	j->failed = true;
	job_fail(j);
}

static void job_start(struct smtp_job *j)
{
	struct smtp_client *c = j->c;

	c->nactive++;
	j->phase = PH_ACTIVE;
	j->attempts++;
	j->fd = j->res_fd = -1;
	j->in_len = j->rcpt_i = j->out_len = j->out_off = 0;
	j->rcpt_ok = 0;
	j->reached = j->failed = false;
	j->why[0] = '\0';
	ev_timer_add(c->loop, session_timeout_cb, j, j->timeout, &j->timer);
	if (j->host) {
		session_resolve(j);
		return;
	}
	memset(&j->res, 0, sizeof(j->res));
	if (j->addr.family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&j->res.a[0].ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(j->port);
		s6->sin6_addr = j->addr.u.v6;
		j->res.a[0].len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&j->res.a[0].ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(j->port);
		s4->sin_addr = j->addr.u.v4;
		j->res.a[0].len = sizeof(*s4);
	}
	j->res.n = 1;
	j->cur = 0;
	session_next_addr(j);
}

/* From the loop: report finished mails, then start waiting ones while
 * session slots are free (oldest first). */
static void pump_cb(struct ev_loop *loop, void *arg)
{
	struct smtp_client *c = arg;
	struct smtp_job *j, *next;

	for (j = c->head; j; j = next) {
		next = j->next;
		if (j->phase != PH_DONE)
			continue;
		job_unlink(j);
		if (j->done)
			j->done(j->arg, j->ok, j->ok ? NULL : j->why);
		job_free(j);
	}
	for (j = c->head; j && c->nactive < SMTP_MAX_SESSIONS; j = j->next)
		if (j->phase == PH_WAITING)
			job_start(j);
	if (c->flushing && !c->njobs)
		ev_break(loop);
}

static void job_pump_later(struct smtp_client *c)
{
	if (!c->pump)
		ev_timer_add(c->loop, pump_cb, c, 0, &c->pump);
}

/* ---- public ----------------------------------------------------------------------------- */

struct smtp_client *smtp_client_new(struct ev_loop *loop)
{
	struct smtp_client *c = xcalloc(1, sizeof(*c));

	c->loop = loop;
	c->retry_delay = SMTP_RETRY_DELAY_US;
	return c;
}

void smtp_client_free(struct smtp_client *c)
{
	if (!c)
		return;
	while (c->head) {
		struct smtp_job *j = c->head;
		session_close(j);
		job_unlink(j);
		job_free(j);
	}
	ev_cancel(&c->pump);
	free(c);
}

/* Take every unfinished mail off the current loop: sessions are closed
 * (their mail starts over), retry waits end. Finished ones stay to be
 * reported. */
static void client_detach(struct smtp_client *c)
{
	for (struct smtp_job *j = c->head; j; j = j->next) {
		if (j->phase == PH_DONE)
			continue;
		session_close(j);
		if (j->phase == PH_ACTIVE) {
			c->nactive--;
			j->attempts--; /* interrupted, not failed */
		}
		j->phase = PH_WAITING;
	}
	ev_cancel(&c->pump);
}

static void flush_guard_cb(struct ev_loop *loop, void *arg)
{
	ev_break(loop);
}

size_t smtp_client_flush(struct smtp_client *c, uint64_t usec)
{
	struct ev_loop *own = c->loop, *tmp;
	struct ev_timer *guard = NULL;

	if (!c->njobs)
		return 0;
	tmp = ev_loop_new();
	if (!tmp) {
		log_warn("SMTP: cannot send the last %zu mail(s)", c->njobs);
		return c->njobs;
	}
	client_detach(c);
	c->loop = tmp;
	c->flushing = true;
	job_pump_later(c);
	ev_timer_add(tmp, flush_guard_cb, NULL, usec, &guard);
	ev_run(tmp);
	ev_cancel(&guard);
	client_detach(c);
	c->flushing = false;
	c->loop = own;
	ev_loop_free(tmp);
	if (c->njobs) {
		log_warnx("SMTP: %zu mail(s) not sent in time at shutdown", c->njobs);
		job_pump_later(c);
	}
	return c->njobs;
}

void smtp_client_set_retry(struct smtp_client *c, uint64_t usec)
{
	c->retry_delay = usec;
}

size_t smtp_client_pending(const struct smtp_client *c)
{
	return c->njobs;
}

/* EHLO name: up to the first blank or control character (it ends up on a
 * command line); "localhost" if nothing is left. */
static char *helo_copy(const char *s)
{
	size_t n = 0;

	while (s && (unsigned char)s[n] > ' ' && s[n] != 0x7f && n < 255)
		n++;
	if (!n)
		return xstrdup("localhost");
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Copy the bare recipient addresses; unusable ones are logged and left out. */
static size_t job_recipients(struct smtp_job *j, const struct smtp_mail *m)
{
	char a[SMTP_ADDR_MAX];

	j->rcpt = xcalloc(m->nto, sizeof(*j->rcpt));
	for (size_t i = 0; i < m->nto; i++) {
		if (smtp_addr_spec(m->to[i], a, sizeof(a)) < 0) {
			log_warnx("SMTP: ignoring recipient '%s': not a usable address", m->to[i]);
			continue;
		}
		j->rcpt[j->nrcpt++] = xstrdup(a);
	}
	return j->nrcpt;
}

static void job_relay_name(struct smtp_job *j)
{
	char ab[KA_ADDR_STRLEN];

	if (j->host)
		snprintf(j->relay, sizeof(j->relay), "%s:%u", j->host, j->port);
	else if (j->addr.family == AF_INET6)
		snprintf(j->relay, sizeof(j->relay), "[%s]:%u", ka_addr_str(&j->addr, ab),
			 j->port);
	else
		snprintf(j->relay, sizeof(j->relay), "%s:%u", ka_addr_str(&j->addr, ab), j->port);
}

int smtp_send(struct smtp_client *c, const struct smtp_server *srv, const struct smtp_mail *m,
	      smtp_done_fn done, void *arg)
{
	char from[SMTP_ADDR_MAX], msgid[SMTP_ADDR_MAX + 64];
	const char *subject = m->subject ? m->subject : "";

	if (c->njobs >= SMTP_QUEUE_MAX) {
		log_warnx("SMTP: %zu mails already waiting, dropping \"%s\"", c->njobs, subject);
		return -1;
	}
	if (!m->from || smtp_addr_spec(m->from, from, sizeof(from)) < 0) {
		log_warnx("SMTP: sender '%s' is not a usable address, dropping \"%s\"",
			  m->from ? m->from : "", subject);
		return -1;
	}
	if (!srv->host && srv->addr.family != AF_INET && srv->addr.family != AF_INET6) {
		log_warnx("SMTP: no server to send \"%s\" to", subject);
		return -1;
	}
	struct smtp_job *j = xcalloc(1, sizeof(*j));
	j->c = c;
	j->fd = j->res_fd = -1;
	if (!job_recipients(j, m)) {
		log_warnx("SMTP: no usable recipient, dropping \"%s\"", subject);
		job_free(j);
		return -1;
	}
	j->host = srv->host ? xstrdup(srv->host) : NULL;
	j->addr = srv->addr;
	j->port = srv->port ? srv->port : 25;
	j->helo = helo_copy(srv->helo);
	j->timeout = srv->timeout ? srv->timeout : SMTP_DEFAULT_TIMEOUT_US;
	j->from = xstrdup(from);
	j->subject = xstrdup(subject);
	j->done = done;
	j->arg = arg;
	job_relay_name(j);
	const char *at = strrchr(from, '@');
	snprintf(msgid, sizeof(msgid), "%lld.%d.%u@%s", (long long)time(NULL), (int)getpid(),
		 ++c->seq, at && at[1] ? at + 1 : j->helo);
	struct smtp_mail mm = *m;
	mm.subject = subject;
	mm.body = m->body ? m->body : "";
	j->payload = smtp_message_build(&mm, time(NULL), msgid, &j->payload_len, &j->eightbit);

	j->phase = PH_WAITING;
	j->prev = c->tail;
	if (c->tail)
		c->tail->next = j;
	else
		c->head = j;
	c->tail = j;
	c->njobs++;
	job_pump_later(c);
	return 0;
}
