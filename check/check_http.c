/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_http.c - HTTP_GET and SSL_GET: one fetch per url, each judged by status, digest, regex */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"
#include "check/check_http.h"
#include "check/check_probe_int.h"
#include "check/check_tls.h"

/* ---- one fetch ------------------------------------------------------------------ */

enum fetch_phase { PH_CONNECT, PH_HANDSHAKE, PH_SEND, PH_RECV };

struct fetch {
	struct check_attempt a;
	struct check_http_parser *hp;
	char *req;
	size_t req_len, sent;
	struct ssl_st *ssl;
	const char *sni;
	bool tls, close_notify;
	enum fetch_phase phase;
};

static void fetch_release(struct check_attempt *a)
{
	struct fetch *f = (struct fetch *)a;
	/* close_notify only once the handshake made it meaningful */
	check_tls_close(f->ssl, f->close_notify && f->phase >= PH_SEND);
	f->ssl = NULL;
	free(f->req);
	f->req = NULL;
}

static void wait_for(struct fetch *f, unsigned want)
{
	if (ev_fd_mod(f->a.loop, f->a.fd, want) < 0)
		check_attempt_finish(&f->a, CHECK_SOCKERR, -1, "epoll: %s", strerror(errno));
}

/* Read step: bytes, 0 end of data, -1 wait (done here), -2 failed (finished here). */
static ssize_t fetch_read(struct fetch *f, void *buf, size_t len)
{
	unsigned want = EV_READ;
	char why[160];
	ssize_t n;
	if (f->ssl) {
		n = check_tls_read(f->ssl, buf, len, &want, why, sizeof(why));
		if (n == -2)
			check_attempt_finish(&f->a, CHECK_L6RSP, -1, "%s", why);
	} else {
		n = recv(f->a.fd, buf, len, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			n = -1;
		} else if (n < 0) {
			check_attempt_finish(&f->a, check_errno_result(errno), -1, "read: %s",
					     strerror(errno));
			n = -2;
		}
	}
	if (n == -1)
		wait_for(f, want);
	return n;
}

static void receive(struct fetch *f)
{
	uint8_t buf[16384];
	/* A bounded number of reads per wake-up keeps other probes going. */
	for (int i = 0; i < 16; i++) {
		ssize_t n = fetch_read(f, buf, sizeof(buf));
		if (n < 0)
			return;
		int rc = n ? check_http_parse(f->hp, buf, (size_t)n) : check_http_parse_eof(f->hp);
		if (rc == CHECK_HTTP_DONE) {
			check_attempt_finish(&f->a, CHECK_OK, -1, "HTTP status %u", f->hp->status);
			return;
		}
		if (rc == CHECK_HTTP_ERROR) {
			check_attempt_finish(&f->a, CHECK_L7RSP, -1, "%s", f->hp->error);
			return;
		}
	}
}

static void send_request(struct fetch *f)
{
	while (f->sent < f->req_len) {
		unsigned want = EV_WRITE;
		char why[160];
		const char *p = f->req + f->sent;
		size_t left = f->req_len - f->sent;
		ssize_t n;
		if (f->ssl) {
			n = check_tls_write(f->ssl, p, left, &want, why, sizeof(why));
			if (n == -2) {
				check_attempt_finish(&f->a, CHECK_L6RSP, -1, "%s", why);
				return;
			}
		} else {
			n = send(f->a.fd, p, left, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				check_attempt_finish(&f->a, check_errno_result(errno), -1,
						     "write: %s", strerror(errno));
				return;
			}
		}
		if (n < 0) {
			wait_for(f, want);
			return;
		}
		f->sent += (size_t)n;
	}
	f->phase = PH_RECV;
	wait_for(f, EV_READ);
}

static void handshake(struct fetch *f)
{
	unsigned want = EV_READ;
	char why[160];
	int r = check_tls_handshake(f->ssl, &want, why, sizeof(why));
	if (r < 0) {
		check_attempt_finish(&f->a, CHECK_L6RSP, -1, "%s", why);
	} else if (!r) {
		wait_for(f, want);
	} else {
		f->phase = PH_SEND;
		f->a.tout = CHECK_L7TOUT;
		send_request(f);
	}
}

static void connected(struct fetch *f)
{
	int err = check_sock_error(f->a.fd);
	if (err) {
		check_attempt_finish(&f->a, check_errno_result(err), -1, "connect: %s",
				     strerror(err));
		return;
	}
	if (!f->tls) {
		f->phase = PH_SEND;
		f->a.tout = CHECK_L7TOUT;
		send_request(f);
		return;
	}
	char why[160];
	f->ssl = check_tls_new(f->a.fd, f->sni, why, sizeof(why));
	if (!f->ssl) {
		check_attempt_finish(&f->a, CHECK_SOCKERR, -1, "%s", why);
		return;
	}
	f->phase = PH_HANDSHAKE;
	f->a.tout = CHECK_L6TOUT;
	handshake(f);
}

static void fetch_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct fetch *f = arg;
	switch (f->phase) {
	case PH_CONNECT:
		connected(f);
		break;
	case PH_HANDSHAKE:
		handshake(f);
		break;
	case PH_SEND:
		send_request(f);
		break;
	case PH_RECV:
		receive(f);
		break;
	}
}

struct check_attempt *check_http_fetch(struct ev_loop *loop,
				       const struct check_http_fetch_params *fp,
				       check_attempt_done_fn done, void *arg)
{
	struct fetch *f = (struct fetch *)check_attempt_new(sizeof(*f), loop, NULL, done, arg);
	f->a.release = fetch_release;
	f->hp = fp->hp;
	f->tls = fp->tls;
	f->sni = fp->sni;
	f->close_notify = fp->close_notify;
	f->req = xmalloc(fp->request_len);
	memcpy(f->req, fp->request, fp->request_len);
	f->req_len = fp->request_len;
	f->phase = PH_CONNECT;

	enum check_result res;
	char why[160];
	int fd = check_sock_open(fp->conn, SOCK_STREAM, 0, true, &res, why, sizeof(why));
	if (fd < 0) {
		check_attempt_finish(&f->a, res, -1, "%s", why);
		return &f->a;
	}
	if (check_attempt_watch(&f->a, fd, EV_WRITE, fetch_cb) == 0)
		check_attempt_deadline(&f->a, fp->timeout, CHECK_L4TOUT);
	return &f->a;
}

void check_http_fetch_cancel(struct check_attempt *f)
{
	check_attempt_cancel(f);
}

/* ---- verdict ---------------------------------------------------------------------- */

static bool regex_option(const struct check_url *u, const char *name)
{
	for (unsigned i = 0; check_regex_option_names[i]; i++)
		if (!strcmp(check_regex_option_names[i], name))
			return u->regex_options & (1u << i);
	return false;
}

size_t check_http_keep(const struct check_url *u)
{
	if (!u->regex)
		return 0;
	size_t k = (size_t)u->regex_max_offset + CHECK_HTTP_REGEX_KEEP;
	return k > CHECK_HTTP_REGEX_KEEP_MAX ? CHECK_HTTP_REGEX_KEEP_MAX : k;
}

enum check_result check_http_verdict(const struct check_url *u, struct check_http_parser *hp,
				     char *why, size_t wlen)
{
	uint8_t md[16];
	check_http_md5(hp, md);
	if (!check_url_status_ok(u, hp->status)) {
		snprintf(why, wlen, "HTTP status %u", hp->status);
		return CHECK_L7STS;
	}
	if (u->has_digest && memcmp(md, u->digest, sizeof(md))) {
		char got[33], want[33];
		snprintf(why, wlen, "MD5 digest %s, expected %s", check_hex(md, 16, got),
			 check_hex(u->digest, 16, want));
		return CHECK_L7DIGEST;
	}
	if (u->regex) {
		int m = check_http_regex(u->regex, regex_option(u, "caseless"),
					 regex_option(u, "multiline"), hp->kept, hp->kept_len,
					 u->regex_min_offset, u->regex_max_offset, why, wlen);
		if (m < 0)
			return CHECK_L7REGEX;
		if (m == u->regex_no_match) {
			snprintf(why, wlen, "body %s regex", m ? "matches" : "does not match");
			return CHECK_L7REGEX;
		}
	}
	snprintf(why, wlen, "HTTP status %u", hp->status);
	return CHECK_OK;
}

/* ---- HTTP_GET / SSL_GET ------------------------------------------------------------ */

struct http_attempt {
	struct check_attempt a;
	const struct check_url *url;  /* being fetched */
	struct check_attempt *fetch;
	bool hp_live;
	struct check_http_parser hp;
};

static void http_release(struct check_attempt *a)
{
	struct http_attempt *h = (struct http_attempt *)a;
	check_http_fetch_cancel(h->fetch);
	h->fetch = NULL;
	if (h->hp_live)
		check_http_parser_free(&h->hp);
	h->hp_live = false;
}

static void next_url(struct http_attempt *h);

static void url_done(void *arg, const struct check_outcome *o)
{
	struct http_attempt *h = arg;
	const struct check_url *u = h->url;
	char why[160];
	h->fetch = NULL; /* freed by its own report once this returns */
	if (o->result != CHECK_OK) {
		check_attempt_finish(&h->a, o->result, -1, "%s: %s", u->path, o->detail);
		return;
	}
	enum check_result r = check_http_verdict(u, &h->hp, why, sizeof(why));
	check_http_parser_free(&h->hp);
	h->hp_live = false;
	if (r != CHECK_OK) {
		check_attempt_finish(&h->a, r, -1, "%s: %s", u->path, why);
		return;
	}
	h->url = (const struct check_url *)(const void *)u->node.next;
	if (!h->url)
		check_attempt_finish(&h->a, CHECK_OK, -1, "%s", why);
	else
		next_url(h);
}

static void next_url(struct http_attempt *h)
{
	const struct check_probe *p = h->a.p;
	const struct check_http *c = &p->u.http;
	const struct check_url *u = h->url;
	bool tls = p->kind == CHECK_SSL;
	char host[512];
	check_http_host(host, sizeof(host), u->virtualhost, &p->conn.connect_ip,
			p->conn.connect_port, tls);
	int n = check_http_request(NULL, 0, u->path, host, c->protocol);
	char *req = xmalloc((size_t)n + 1);
	check_http_request(req, (size_t)n + 1, u->path, host, c->protocol);
	if (check_http_parser_init(&h->hp, check_http_keep(u)) < 0) {
		free(req);
		check_attempt_finish(&h->a, CHECK_SOCKERR, -1, "cannot set up the HTTP parser");
		return;
	}
	h->hp_live = true;
	struct check_http_fetch_params fp = {
		.conn = &p->conn,
		.timeout = p->connect_timeout,
		.tls = tls,
		/* sni_name alone asks for SNI too; else enable_sni sends the virtualhost */
		.sni = c->sni_name ? c->sni_name : c->enable_sni ? u->virtualhost : NULL,
		.close_notify = c->tls_compliant || u->tls_compliant,
		.request = req,
		.request_len = (size_t)n,
		.hp = &h->hp,
	};
	h->fetch = check_http_fetch(h->a.loop, &fp, url_done, h);
	free(req);
}

static struct check_attempt *http_start(struct ev_loop *loop, const struct check_probe *p,
					check_attempt_done_fn done, void *arg)
{
	struct http_attempt *h =
		(struct http_attempt *)check_attempt_new(sizeof(*h), loop, p, done, arg);
	h->a.release = http_release;
	h->url = (const struct check_url *)(const void *)p->u.http.urls.head;
	if (!h->url)
		check_attempt_finish(&h->a, CHECK_SOCKERR, -1, "no url to check");
	else
		next_url(h);
	return &h->a;
}

const struct check_probe_ops check_http_ops = {
	.kind = CHECK_HTTP,
	.name = "HTTP_GET",
	.start = http_start,
	.cancel = check_attempt_cancel,
};

const struct check_probe_ops check_ssl_ops = {
	.kind = CHECK_SSL,
	.name = "SSL_GET",
	.start = http_start,
	.cancel = check_attempt_cancel,
};
