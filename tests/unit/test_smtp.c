/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_smtp.c - mail client: reply parser, addresses, dates, message text, scripted sessions */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ev.h"
#include "log.h"
#include "smtp.h"
#include "util.h"

/* ---- reply parser ---------------------------------------------------------------- */

static ssize_t parse(const char *s, struct smtp_reply *r, const char **why)
{
	return smtp_reply_parse(s, strlen(s), r, why);
}

static void test_reply_single(void **state)
{
	struct smtp_reply r;
	const char *why = NULL;

	assert_int_equal(parse("220 mx.example.org ESMTP ready\r\n", &r, &why), 32);
	assert_int_equal(r.code, 220);
	assert_int_equal(r.lines, 1);
	assert_string_equal(r.text, "mx.example.org ESMTP ready");

	/* a bare code, and a bare LF, are replies too */
	assert_int_equal(parse("250\r\n", &r, &why), 5);
	assert_int_equal(r.code, 250);
	assert_string_equal(r.text, "");
	assert_int_equal(parse("354 go ahead\n", &r, &why), 13);
	assert_int_equal(r.code, 354);

	/* only the first of two replies is consumed */
	assert_int_equal(parse("250 ok\r\n221 bye\r\n", &r, &why), 8);
	assert_int_equal(r.code, 250);
	assert_string_equal(r.text, "ok");
}

static void test_reply_multiline(void **state)
{
	static const char ehlo[] = "250-mx.example.org hello\r\n"
				   "250-PIPELINING\r\n"
				   "250-8BITMIME\r\n"
				   "250 SIZE 10240000\r\n";
	struct smtp_reply r;
	const char *why = NULL;

	assert_int_equal(parse(ehlo, &r, &why), (ssize_t)strlen(ehlo));
	assert_int_equal(r.code, 250);
	assert_int_equal(r.lines, 4);
	assert_string_equal(r.text, "mx.example.org hello / PIPELINING / 8BITMIME / SIZE 10240000");
	assert_true(smtp_reply_has_ext(ehlo, strlen(ehlo), "8bitmime"));
	assert_true(smtp_reply_has_ext(ehlo, strlen(ehlo), "SIZE"));
	assert_false(smtp_reply_has_ext(ehlo, strlen(ehlo), "STARTTLS"));
	/* the greeting line is not an extension; prefixes do not count */
	assert_false(smtp_reply_has_ext(ehlo, strlen(ehlo), "mx.example.org"));
	assert_false(smtp_reply_has_ext(ehlo, strlen(ehlo), "8BIT"));

	/* every prefix of a complete reply asks for more input */
	for (size_t n = 0; n < strlen(ehlo); n++) {
		assert_int_equal(smtp_reply_parse(ehlo, n, &r, &why), 0);
	}
}

static void test_reply_garbage(void **state)
{
	static const char *const bad[] = {
		"HTTP/1.1 200 OK\r\n",     /* not a code */
		"SSH-2.0-OpenSSH_9.2\r\n",
		"199 too low\r\n",         /* first digit 2..5 */
		"600 too high\r\n",
		"270 second digit\r\n",    /* second digit 0..5 */
		"25 short\r\n",
		"25\r\n",
		"250x no separator\r\n",
		"250-first\r\n251 second\r\n", /* codes differ */
		"\r\n",
	};
	struct smtp_reply r;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *why = NULL;
		ssize_t n = parse(bad[i], &r, &why);
		if (n != -1)
			fail_msg("'%s' parsed as %zd", bad[i], n);
		assert_non_null(why);
	}
	/* garbage is seen before its line ends */
	const char *why = NULL;
	assert_int_equal(parse("HTTP", &r, &why), -1);
	assert_int_equal(parse("2", &r, &why), 0);
	assert_int_equal(parse("25", &r, &why), 0);
	assert_int_equal(parse("250", &r, &why), 0);
	assert_int_equal(parse("250-", &r, &why), 0);
	/* NUL bytes */
	assert_int_equal(smtp_reply_parse("250 a\0b\r\n", 9, &r, &why), -1);
	assert_int_equal(smtp_reply_parse("25\0", 3, &r, &why), -1);
}

static void test_reply_overlong(void **state)
{
	char *buf = xmalloc(SMTP_LINE_MAX + 16);
	struct smtp_reply r;
	const char *why = NULL;

	/* a line just within the limit, CRLF included */
	memset(buf, 'x', SMTP_LINE_MAX);
	memcpy(buf, "250 ", 4);
	memcpy(buf + SMTP_LINE_MAX - 2, "\r\n", 2);
	assert_int_equal(smtp_reply_parse(buf, SMTP_LINE_MAX, &r, &why), SMTP_LINE_MAX);
	assert_int_equal(r.code, 250);
	/* the text kept for logs is truncated, still terminated */
	assert_int_equal(strlen(r.text), SMTP_TEXT_MAX - 1);

	/* one byte more */
	memset(buf, 'x', SMTP_LINE_MAX + 1);
	memcpy(buf, "250 ", 4);
	memcpy(buf + SMTP_LINE_MAX - 1, "\r\n", 2);
	assert_int_equal(smtp_reply_parse(buf, SMTP_LINE_MAX + 1, &r, &why), -1);
	assert_string_equal(why, "reply line too long");

	/* no end of line in sight after the limit: no point in waiting */
	memset(buf, 'x', SMTP_LINE_MAX);
	memcpy(buf, "250 ", 4);
	assert_int_equal(smtp_reply_parse(buf, SMTP_LINE_MAX, &r, &why), -1);
	assert_int_equal(smtp_reply_parse(buf, SMTP_LINE_MAX - 1, &r, &why), 0);
	free(buf);
}

/* ---- addresses and dates ------------------------------------------------------------- */

static void test_addr_spec(void **state)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "ops@example.org", "ops@example.org" },
		{ "  ops@example.org\t", "ops@example.org" },
		{ "<ops@example.org>", "ops@example.org" },
		{ "Ops Team <ops@example.org>", "ops@example.org" },
		{ "\"Team, Ops\" <ops@example.org>", "ops@example.org" },
	};
	static const char *const bad[] = {
		"", "   ", "<>", "a b@example.org", "Ops <ops@example.org", "ops@example.org>",
		"<a@b> <c@d>", "a\r\nRCPT TO:<x@y>@z", "x\x7f@y",
	};
	char buf[256];

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		assert_int_equal(smtp_addr_spec(ok[i].in, buf, sizeof(buf)), 0);
		assert_string_equal(buf, ok[i].out);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (smtp_addr_spec(bad[i], buf, sizeof(buf)) != -1)
			fail_msg("'%s' accepted as '%s'", bad[i], buf);
	/* does not fit */
	assert_int_equal(smtp_addr_spec("ops@example.org", buf, 15), -1);
	assert_int_equal(smtp_addr_spec("ops@example.org", buf, 16), 0);
}

static void test_date(void **state)
{
	char buf[64];

	setenv("TZ", "UTC0", 1);
	tzset();
	assert_string_equal(smtp_date(0, buf, sizeof(buf)), "Thu, 01 Jan 1970 00:00:00 +0000");
	assert_string_equal(smtp_date(1709632800, buf, sizeof(buf)),
			    "Tue, 05 Mar 2024 10:00:00 +0000");
	setenv("TZ", "<+0530>-5:30", 1);
	tzset();
	assert_string_equal(smtp_date(1709632800, buf, sizeof(buf)),
			    "Tue, 05 Mar 2024 15:30:00 +0530");
	setenv("TZ", "<-0330>3:30", 1);
	tzset();
	assert_string_equal(smtp_date(1709632800, buf, sizeof(buf)),
			    "Tue, 05 Mar 2024 06:30:00 -0330");
	setenv("TZ", "UTC0", 1);
	tzset();
}

/* ---- message text ------------------------------------------------------------------------ */

static char *build(const char *subject, const char *body, const char *const *to, size_t nto,
		   size_t *len, bool *eight)
{
	struct smtp_mail m = {
		.from = "Director A <ka@example.org>", .to = to, .nto = nto,
		.subject = subject, .body = body,
	};
	setenv("TZ", "UTC0", 1);
	tzset();
	return smtp_message_build(&m, 1709632800, "1.2.3@example.org", len, eight);
}

static void test_message_headers(void **state)
{
	static const char *const to[] = { "ops@example.org", "Pager <pager@example.org>" };
	size_t len;
	bool eight = true;
	char *m = build("[lb1] VRRP Instance VI_1 - Entering MASTER state", "hello\n", to, 2,
			&len, &eight);

	assert_string_equal(m, "From: Director A <ka@example.org>\r\n"
			       "To: ops@example.org, Pager <pager@example.org>\r\n"
			       "Subject: [lb1] VRRP Instance VI_1 - Entering MASTER state\r\n"
			       "Date: Tue, 05 Mar 2024 10:00:00 +0000\r\n"
			       "Message-ID: <1.2.3@example.org>\r\n"
			       "X-Mailer: Keepalived\r\n"
			       "MIME-Version: 1.0\r\n"
			       "Content-Type: text/plain; charset=UTF-8\r\n"
			       "Content-Transfer-Encoding: 7bit\r\n"
			       "\r\n"
			       "hello\r\n"
			       ".\r\n");
	assert_int_equal(len, strlen(m));
	assert_false(eight);
	free(m);
}

/* The body as a server gets it back: between the blank line and the final
 * dot, with dot-stuffing undone. */
static void unstuff(const char *msg, char *out, size_t outlen)
{
	const char *p = strstr(msg, "\r\n\r\n");
	size_t o = 0;

	assert_non_null(p);
	p += 4;
	while (*p && strncmp(p, ".\r\n", 3)) {
		if (*p == '.')
			p++;
		const char *e = strstr(p, "\r\n");
		assert_non_null(e);
		size_t n = (size_t)(e - p) + 2;
		assert_true(o + n < outlen);
		memcpy(out + o, p, n);
		o += n;
		p = e + 2;
	}
	assert_string_equal(p, ".\r\n"); /* the terminator ends the message */
	out[o] = '\0';
}

static void test_message_body(void **state)
{
	static const char *const to[] = { "ops@example.org" };
	size_t len;
	bool eight;
	char *m = build("s", ".\n..two\r\nmid.dle\r.\n\n.", to, 1, &len, &eight);
	char back[256];

	/* every line starting with a dot gets one more; line ends are CRLF */
	assert_non_null(strstr(m, "\r\n\r\n..\r\n...two\r\nmid.dle\r\n..\r\n\r\n..\r\n.\r\n"));
	assert_int_equal(strcmp(m + len - 5, "\r\n.\r\n"), 0);
	unstuff(m, back, sizeof(back));
	assert_string_equal(back, ".\r\n..two\r\nmid.dle\r\n.\r\n\r\n.\r\n");
	free(m);

	/* an empty body still ends properly */
	m = build("s", "", to, 1, &len, &eight);
	assert_int_equal(strcmp(m + len - 11, "7bit\r\n\r\n.\r\n"), 0);
	free(m);
}

/* Long lines are broken at 998 characters, a dot that starts a line (also
 * one a break put there) counted with its stuffing dot; nothing is lost. */
static void test_message_long_lines(void **state)
{
	static const char *const to[] = { "ops@example.org" };
	static const size_t dots[][2] = { { 2500, 2500 }, { 0, 2500 }, { 0, 998 }, { 997, 1995 } };
	size_t blen = 2500, len;
	char *body = xmalloc(blen + 1);
	bool eight;

	for (size_t t = 0; t < sizeof(dots) / sizeof(dots[0]); t++) {
		memset(body, 'a', blen);
		body[blen] = '\0';
		for (size_t d = 0; d < 2; d++)
			if (dots[t][d] < blen)
				body[dots[t][d]] = '.';
		char *m = build("s", body, to, 1, &len, &eight);
		const char *p = strstr(m, "\r\n\r\n") + 4;
		size_t total = 0;
		while (strncmp(p, ".\r\n", 3)) {
			const char *e = strstr(p, "\r\n");
			assert_true(e - p <= 998);
			if (*p == '.') {
				assert_int_equal(p[1], '.');
				p++;
			}
			total += (size_t)(e - p);
			p = e + 2;
		}
		assert_int_equal(total, blen);
		free(m);
	}
	free(body);
}

static void test_message_injection_and_utf8(void **state)
{
	static const char *const to[] = { "ops@example.org\r\nBcc: evil@example.org" };
	size_t len;
	bool eight = false;
	/* "Zürich ☃" */
	char *m = build("[lb1]\r\nBcc: x@y Z\xc3\xbcrich \xe2\x98\x83", "gr\xc3\xbc\xc3\x9f" "e\n",
			to, 1, &len, &eight);

	assert_null(strstr(m, "\r\nBcc:"));
	assert_non_null(strstr(m, "To: ops@example.org  Bcc: evil@example.org\r\n"));
	/* base64 of "[lb1]  Bcc: x@y Zürich ☃" */
	assert_non_null(strstr(m, "Subject: =?UTF-8?B?W2xiMV0gIEJjYzogeEB5IFrDvHJpY2gg4piD?=\r\n"));
	assert_non_null(strstr(m, "Content-Transfer-Encoding: 8bit\r\n"));
	assert_true(eight);
	free(m);

	/* a long non-ASCII subject is split into encoded words on folded lines,
	 * never inside a character */
	char subj[400] = "";
	for (int i = 0; i < 60; i++)
		strcat(subj, "\xc3\xa9"); /* é */
	m = build(subj, "x", to, 1, &len, &eight);
	const char *s = strstr(m, "Subject: ");
	const char *end = strstr(s, "\r\nDate:");
	assert_non_null(end);
	unsigned words = 0;
	for (const char *w = s; (w = strstr(w, "=?UTF-8?B?")) && w < end; w++) {
		const char *q = strstr(w, "?=");
		assert_true(q - w + 2 <= 75);
		/* 44 bytes = 22 whole characters; 45 would split one */
		assert_true((q - w - 10) % 4 == 0);
		words++;
	}
	assert_int_equal(words, 3); /* 120 bytes: 44 + 44 + 32 */
	assert_non_null(strstr(s, "?=\r\n =?UTF-8?B?"));
	free(m);
}

static void test_message_to_folding(void **state)
{
	const char *to[8];
	char addrs[8][40];
	size_t len;
	bool eight;

	for (int i = 0; i < 8; i++) {
		snprintf(addrs[i], sizeof(addrs[i]), "operator-number-%d@example.org", i);
		to[i] = addrs[i];
	}
	char *m = build("s", "x", to, 8, &len, &eight);
	const char *p = strstr(m, "To: ");
	const char *e = strstr(p, "\r\nSubject:");
	unsigned lines = 1;
	for (const char *l = p; l < e;) {
		const char *n = strstr(l, "\r\n");
		assert_true(n - l <= 78);
		if (n >= e)
			break;
		assert_int_equal(n[2], ' '); /* continuation lines start with a blank */
		lines++;
		l = n + 2;
	}
	assert_true(lines >= 4);
	for (int i = 0; i < 8; i++)
		assert_non_null(strstr(p, addrs[i]));
	free(m);
}

/* ---- sessions against a scripted server on the same loop -------------------------------- */

struct fake_conn {
	int fd;
	bool in_data;
	char line[4096];
	size_t llen;
};

struct fake {
	struct ev_loop *loop;
	int lfd;
	uint16_t port;
	bool mute;             /* accept and never say anything */
	bool close_on_accept;  /* accept and close at once */
	bool ehlo_unknown;     /* 502 to EHLO */
	int mail_code;         /* 0 = 250 */
	bool split;            /* send the EHLO reply one byte per write */
	struct fake_conn conns[16];
	unsigned accepted, open, max_open;
	char log[8192];        /* every command received, in order */
	char data[16384];      /* the last message, as received */
	size_t dlen;
	unsigned messages;
};

static void fake_say(struct fake_conn *fc, const char *s)
{
	assert_int_equal(write_all(fc->fd, s, strlen(s)), 0);
}

static void fake_close(struct fake *f, struct fake_conn *fc)
{
	ev_fd_del(f->loop, fc->fd);
	close(fc->fd);
	fc->fd = -1;
	f->open--;
}

static void fake_command(struct fake *f, struct fake_conn *fc, const char *l)
{
	strncat(f->log, l, sizeof(f->log) - strlen(f->log) - 2);
	strcat(f->log, "\n");
	if (!strncmp(l, "EHLO ", 5)) {
		if (f->ehlo_unknown) {
			fake_say(fc, "502 5.5.2 what?\r\n");
		} else if (f->split) {
			const char *r = "250-fake.test\r\n250-8BITMIME\r\n250 SIZE 100000\r\n";
			for (const char *p = r; *p; p++)
				assert_int_equal(write_all(fc->fd, p, 1), 0);
		} else {
			fake_say(fc, "250-fake.test\r\n250-8BITMIME\r\n250 SIZE 100000\r\n");
		}
	} else if (!strncmp(l, "HELO ", 5)) {
		fake_say(fc, "250 fake.test\r\n");
	} else if (!strncmp(l, "MAIL FROM:", 10)) {
		fake_say(fc, f->mail_code == 550 ? "550 5.7.1 sender denied\r\n"
						 : "250 2.1.0 Ok\r\n");
	} else if (!strncmp(l, "RCPT TO:", 8)) {
		fake_say(fc, strstr(l, "bad") ? "550 5.1.1 no such user\r\n" : "250 2.1.5 Ok\r\n");
	} else if (!strcmp(l, "DATA")) {
		fc->in_data = true;
		f->dlen = 0;
		fake_say(fc, "354 end with <CRLF>.<CRLF>\r\n");
	} else if (!strcmp(l, "QUIT")) {
		fake_say(fc, "221 2.0.0 Bye\r\n");
		fake_close(f, fc);
	} else {
		fake_say(fc, "500 5.5.1 unknown\r\n");
	}
}

static void fake_data_line(struct fake *f, struct fake_conn *fc, const char *l, size_t n)
{
	if (n == 3 && !memcmp(l, ".\r\n", 3)) {
		fc->in_data = false;
		f->data[f->dlen] = '\0';
		f->messages++;
		fake_say(fc, "250 2.0.0 queued as 42\r\n");
		return;
	}
	assert_true(f->dlen + n < sizeof(f->data));
	memcpy(f->data + f->dlen, l, n);
	f->dlen += n;
}

static void fake_conn_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct fake *f = arg;
	struct fake_conn *fc = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(f->conns); i++)
		if (f->conns[i].fd == fd)
			fc = &f->conns[i];
	assert_non_null(fc);
	ssize_t n = read(fd, fc->line + fc->llen, sizeof(fc->line) - fc->llen - 1);
	if (n <= 0) {
		fake_close(f, fc);
		return;
	}
	fc->llen += (size_t)n;
	char *nl;
	while (fc->fd >= 0 && (nl = memchr(fc->line, '\n', fc->llen))) {
		size_t len = (size_t)(nl - fc->line) + 1;
		if (fc->in_data) {
			fake_data_line(f, fc, fc->line, len);
		} else {
			fc->line[len - 2] = '\0';
			fake_command(f, fc, fc->line);
		}
		memmove(fc->line, fc->line + len, fc->llen - len);
		fc->llen -= len;
	}
}

static void fake_accept_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct fake *f = arg;
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

	assert_true(c >= 0);
	f->accepted++;
	if (f->close_on_accept) {
		close(c);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(f->conns); i++) {
		if (f->conns[i].fd >= 0)
			continue;
		f->conns[i] = (struct fake_conn){ .fd = c };
		f->open++;
		if (f->open > f->max_open)
			f->max_open = f->open;
		ev_fd_add(loop, c, EV_READ, fake_conn_cb, f);
		if (!f->mute)
			fake_say(&f->conns[i], "220 fake.test ESMTP\r\n");
		return;
	}
	fail_msg("too many connections");
}

static void fake_start(struct fake *f, struct ev_loop *loop)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);

	f->loop = loop;
	for (size_t i = 0; i < ARRAY_SIZE(f->conns); i++)
		f->conns[i].fd = -1;
	f->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(f->lfd >= 0);
	assert_int_equal(bind(f->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(f->lfd, 16), 0);
	assert_int_equal(getsockname(f->lfd, (struct sockaddr *)&sin, &sl), 0);
	f->port = ntohs(sin.sin_port);
	ev_fd_add(loop, f->lfd, EV_READ, fake_accept_cb, f);
}

static void fake_stop(struct fake *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(f->conns); i++)
		if (f->conns[i].fd >= 0)
			fake_close(f, &f->conns[i]);
	ev_fd_del(f->loop, f->lfd);
	close(f->lfd);
}

/* A port nobody listens on (bound, then closed). */
static uint16_t dead_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

struct results {
	struct ev_loop *loop;
	unsigned want, ok, failed;
	char why[8][600];
	uint64_t done_at[8];
};

static void done_cb(void *arg, bool sent, const char *why)
{
	struct results *r = arg;
	unsigned i = r->ok + r->failed;

	if (i < ARRAY_SIZE(r->why)) {
		snprintf(r->why[i], sizeof(r->why[i]), "%s", why ? why : "");
		r->done_at[i] = mono_usec();
	}
	if (sent)
		r->ok++;
	else
		r->failed++;
	if (r->ok + r->failed == r->want)
		ev_break(r->loop);
}

static void guard_cb(struct ev_loop *loop, void *arg)
{
	fail_msg("the mails did not finish in time");
}

struct logcap {
	char text[16384];
};

static struct logcap logs;

static void log_sink(int prio, const char *line, void *arg)
{
	strncat(logs.text, line, sizeof(logs.text) - strlen(logs.text) - 2);
	strcat(logs.text, "\n");
}

static int setup(void **state)
{
	struct log_opts o = { .no_syslog = true };

	memset(&logs, 0, sizeof(logs));
	log_init("Keepalived_test", &o);
	log_set_sink(log_sink, NULL);
	return 0;
}

static int teardown(void **state)
{
	log_set_sink(NULL, NULL);
	log_close();
	return 0;
}

/* Send n copies of a mail to port (127.0.0.1 unless host) and run the loop
 * until every one is done. */
static void run_mails(struct ev_loop *loop, struct smtp_client *c, const char *host,
		      uint16_t port, uint64_t timeout, const char *const *to, size_t nto,
		      unsigned n, struct results *r)
{
	struct smtp_server srv = { .host = host, .port = port, .helo = "lb1.example.org",
				   .timeout = timeout };
	struct smtp_mail m = { .from = "Director <ka@example.org>", .to = to, .nto = nto,
			       .subject = "[lb1] test", .body = "line one\n.dotted\nend\n" };
	struct ev_timer *guard = NULL;

	if (!host)
		assert_int_equal(ka_addr_parse("127.0.0.1", false, &srv.addr), 0);
	r->loop = loop;
	r->want = n;
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(smtp_send(c, &srv, &m, done_cb, r), 0);
	assert_int_equal(smtp_client_pending(c), n);
	ev_timer_add(loop, guard_cb, NULL, 10000000, &guard);
	ev_run(loop);
	ev_cancel(&guard);
	assert_int_equal(smtp_client_pending(c), 0);
}

static void test_session_ok(void **state)
{
	static const char *const to[] = { "ops@example.org", "Bad <bad@example.org>",
					  "Pager <pager@example.org>" };
	struct ev_loop *loop = ev_loop_new();
	struct smtp_client *c = smtp_client_new(loop);
	struct fake f = { .split = true };
	struct results r = { 0 };

	fake_start(&f, loop);
	run_mails(loop, c, NULL, f.port, 5000000, to, 3, 1, &r);
	assert_int_equal(r.ok, 1);
	assert_int_equal(f.messages, 1);
	assert_string_equal(f.log, "EHLO lb1.example.org\n"
				   "MAIL FROM:<ka@example.org>\n"
				   "RCPT TO:<ops@example.org>\n"
				   "RCPT TO:<bad@example.org>\n"
				   "RCPT TO:<pager@example.org>\n"
				   "DATA\n"
				   "QUIT\n");
	assert_non_null(strstr(f.data, "\r\nTo: ops@example.org, Bad <bad@example.org>, "
					"Pager <pager@example.org>\r\n"));
	assert_non_null(strstr(f.data, "\r\n\r\nline one\r\n..dotted\r\nend\r\n"));
	assert_non_null(strstr(logs.text, "recipient <bad@example.org> rejected: 550 5.1.1 no "
					  "such user"));
	assert_non_null(strstr(logs.text, "sent (2 of 3 recipients accepted)"));
	fake_stop(&f);
	smtp_client_free(c);
	ev_loop_free(loop);
}

static void test_session_helo_fallback_and_rejections(void **state)
{
	static const char *const all_bad[] = { "bad1@example.org", "bad2@example.org" };
	static const char *const good[] = { "ops@example.org" };
	struct ev_loop *loop = ev_loop_new();
	struct smtp_client *c = smtp_client_new(loop);
	struct fake f = { .ehlo_unknown = true };
	struct results r = { 0 };

	fake_start(&f, loop);
	run_mails(loop, c, NULL, f.port, 5000000, good, 1, 1, &r);
	assert_int_equal(r.ok, 1);
	assert_non_null(strstr(f.log, "EHLO lb1.example.org\nHELO lb1.example.org\nMAIL FROM:"));

	/* every recipient refused: not sent, and said why */
	f.log[0] = '\0';
	memset(&r, 0, sizeof(r));
	run_mails(loop, c, NULL, f.port, 5000000, all_bad, 2, 1, &r);
	assert_int_equal(r.failed, 1);
	assert_string_equal(r.why[0], "every recipient was rejected");
	assert_null(strstr(f.log, "DATA"));
	assert_non_null(strstr(f.log, "QUIT"));
	assert_int_equal(f.messages, 1);

	/* sender refused: the reply text is reported */
	f.mail_code = 550;
	memset(&r, 0, sizeof(r));
	run_mails(loop, c, NULL, f.port, 5000000, good, 1, 1, &r);
	assert_int_equal(r.failed, 1);
	assert_string_equal(r.why[0],
			    "MAIL FROM:<ka@example.org> rejected: 550 5.7.1 sender denied");
	assert_non_null(strstr(logs.text, "SMTP 127.0.0.1:"));
	assert_non_null(strstr(logs.text, "not sent: MAIL FROM:<ka@example.org> rejected: 550 "
					  "5.7.1 sender denied"));
	fake_stop(&f);
	smtp_client_free(c);
	ev_loop_free(loop);
}

static void test_session_refused_and_retry(void **state)
{
	static const char *const to[] = { "ops@example.org" };
	struct ev_loop *loop = ev_loop_new();
	struct smtp_client *c = smtp_client_new(loop);
	struct results r = { 0 };
	uint16_t port = dead_port();

	/* no retry: fails at once */
	smtp_client_set_retry(c, 0);
	uint64_t t0 = mono_usec();
	run_mails(loop, c, NULL, port, 5000000, to, 1, 1, &r);
	assert_int_equal(r.failed, 1);
	assert_non_null(strstr(r.why[0], "cannot connect to 127.0.0.1:"));
	assert_non_null(strstr(r.why[0], "Connection refused"));
	assert_true(mono_usec() - t0 < 1000000);

	/* one retry after the delay, then the verdict */
	smtp_client_set_retry(c, 200000);
	memset(&r, 0, sizeof(r));
	logs.text[0] = '\0';
	t0 = mono_usec();
	run_mails(loop, c, NULL, port, 5000000, to, 1, 1, &r);
	assert_int_equal(r.failed, 1);
	assert_true(r.done_at[0] - t0 >= 200000);
	assert_non_null(strstr(logs.text, "retrying in 0.2 s"));
	assert_null(strstr(strstr(logs.text, "retrying") + 1, "retrying"));
	smtp_client_free(c);
	ev_loop_free(loop);
}

/* The retry finds the server back. */
static struct fake *late_fake;
static uint16_t late_port;

static void late_start_cb(struct ev_loop *loop, void *arg)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				   .sin_port = htons(late_port) };
	struct fake *f = late_fake;

	f->loop = loop;
	for (size_t i = 0; i < ARRAY_SIZE(f->conns); i++)
		f->conns[i].fd = -1;
	f->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(f->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(f->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(f->lfd, 16), 0);
	f->port = late_port;
	ev_fd_add(loop, f->lfd, EV_READ, fake_accept_cb, f);
}

static void test_session_retry_succeeds(void **state)
{
	static const char *const to[] = { "ops@example.org" };
	struct ev_loop *loop = ev_loop_new();
	struct smtp_client *c = smtp_client_new(loop);
	struct results r = { 0 };
	struct fake f = { 0 };

	late_fake = &f;
	late_port = dead_port();
	smtp_client_set_retry(c, 300000);
	ev_timer_add(loop, late_start_cb, NULL, 100000, NULL);
	run_mails(loop, c, NULL, late_port, 5000000, to, 1, 1, &r);
	assert_int_equal(r.ok, 1);
	assert_int_equal(f.messages, 1);
	fake_stop(&f);
	smtp_client_free(c);
	ev_loop_free(loop);
}

static void test_session_timeout_and_early_close(void **state)
{
	static const char *const to[] = { "ops@example.org" };
	struct ev_loop *loop = ev_loop_new();
	struct smtp_client *c = smtp_client_new(loop);
	struct fake f = { .mute = true };
	struct results r = { 0 };

	smtp_client_set_retry(c, 0);
	fake_start(&f, loop);
	uint64_t t0 = mono_usec();
	run_mails(loop, c, NULL, f.port, 300000, to, 1, 1, &r);
	uint64_t took = mono_usec() - t0;
	assert_int_equal(r.failed, 1);
	assert_string_equal(r.why[0], "timed out after 300 ms waiting for the greeting");
	assert_true(took >= 300000 && took < 2000000);

	/* the server hangs up before saying anything */
	f.mute = false;
	f.close_on_accept = true;
	memset(&r, 0, sizeof(r));
	run_mails(loop, c, NULL, f.port, 5000000, to, 1, 1, &r);
	assert_int_equal(r.failed, 1);
	assert_string_equal(r.why[0], "connection closed by the server while waiting for the "
				      "greeting");
	fake_stop(&f);
	smtp_client_free(c);
	ev_loop_free(loop);
}

/* A server that answers garbage. */
static void garbage_accept_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	assert_true(c >= 0);
	assert_int_equal(write_all(c, "HTTP/1.1 400 Bad Request\r\n\r\n", 28), 0);
	*(int *)arg = c;
}

static void test_session_garbage(void **state)
{
	static const char *const to[] = { "ops@example.org" };
	struct ev_loop *loop = ev_loop_new();
	struct smtp_client *c = smtp_client_new(loop);
	struct fake f = { 0 };
	struct results r = { 0 };
	int conn = -1;

	fake_start(&f, loop);
	ev_fd_del(loop, f.lfd);
	ev_fd_add(loop, f.lfd, EV_READ, garbage_accept_cb, &conn);
	run_mails(loop, c, NULL, f.port, 5000000, to, 1, 1, &r);
	assert_int_equal(r.failed, 1);
	assert_string_equal(r.why[0], "not an SMTP reply in the greeting");
	close(conn);
	fake_stop(&f);
	smtp_client_free(c);
	ev_loop_free(loop);
}

static void test_session_concurrency(void **state)
{
	static const char *const to[] = { "ops@example.org" };
	struct ev_loop *loop = ev_loop_new();
	struct smtp_client *c = smtp_client_new(loop);
	struct fake f = { 0 };
	struct results r = { 0 };

	fake_start(&f, loop);
	run_mails(loop, c, NULL, f.port, 5000000, to, 1, 7, &r);
	assert_int_equal(r.ok, 7);
	assert_int_equal(f.messages, 7);
	assert_true(f.max_open <= SMTP_MAX_SESSIONS);
	assert_int_equal(f.accepted, 7);
	fake_stop(&f);
	smtp_client_free(c);
	ev_loop_free(loop);
}

static void test_session_host_name(void **state)
{
	static const char *const to[] = { "ops@example.org" };
	struct ev_loop *loop = ev_loop_new();
	struct smtp_client *c = smtp_client_new(loop);
	struct fake f = { 0 };
	struct results r = { 0 };

	smtp_client_set_retry(c, 0);
	fake_start(&f, loop);
	/* "localhost" may resolve to ::1 first, where nobody listens: the next
	 * address is tried */
	run_mails(loop, c, "localhost", f.port, 5000000, to, 1, 1, &r);
	assert_int_equal(r.ok, 1);
	assert_int_equal(f.messages, 1);
	assert_non_null(strstr(logs.text, "SMTP localhost:"));

	memset(&r, 0, sizeof(r));
	run_mails(loop, c, "no-such-host.invalid", f.port, 3000000, to, 1, 1, &r);
	assert_int_equal(r.failed, 1);
	assert_non_null(strstr(r.why[0], "resol"));
	fake_stop(&f);
	smtp_client_free(c);
	ev_loop_free(loop);
}

/* Run the fake server in a child process on its own loop, so it answers
 * while this process is inside smtp_client_flush(). */
static pid_t fake_fork(struct fake *f, struct ev_loop *loop)
{
	fake_start(f, loop);
	ev_fd_del(loop, f->lfd);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct ev_loop *own = ev_loop_new();
		f->loop = own;
		ev_fd_add(own, f->lfd, EV_READ, fake_accept_cb, f);
		ev_run(own);
		_exit(0);
	}
	close(f->lfd);
	return pid;
}

static void fake_kill(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_flush(void **state)
{
	static const char *const to[] = { "ops@example.org" };
	struct ev_loop *loop = ev_loop_new();
	struct smtp_client *c = smtp_client_new(loop);
	struct fake f = { 0 }, mute = { .mute = true };
	struct results r = { .loop = loop, .want = 100 };
	struct smtp_server srv = { .port = 0, .helo = "lb1", .timeout = 5000000 };
	struct smtp_mail m = { .from = "ka@example.org", .to = to, .nto = 1,
			       .subject = "[lb1] VRRP Instance VI_1 - Stopping", .body = "bye\n" };
	pid_t pid = fake_fork(&f, loop);

	assert_int_equal(ka_addr_parse("127.0.0.1", false, &srv.addr), 0);
	assert_int_equal(smtp_client_flush(c, 1000000), 0); /* nothing to do */
	srv.port = f.port;
	for (int i = 0; i < 3; i++)
		assert_int_equal(smtp_send(c, &srv, &m, done_cb, &r), 0);
	/* the caller's loop never runs: the flush alone delivers them */
	uint64_t t0 = mono_usec();
	assert_int_equal(smtp_client_flush(c, 5000000), 0);
	assert_true(mono_usec() - t0 < 2000000);
	assert_int_equal(r.ok, 3);
	assert_int_equal(smtp_client_pending(c), 0);
	assert_non_null(strstr(logs.text, "mail \"[lb1] VRRP Instance VI_1 - Stopping\" sent"));
	fake_kill(pid);

	/* a dead relay: no retry while flushing, over at once */
	srv.port = dead_port();
	assert_int_equal(smtp_send(c, &srv, &m, done_cb, &r), 0);
	t0 = mono_usec();
	assert_int_equal(smtp_client_flush(c, 5000000), 0);
	assert_true(mono_usec() - t0 < 1000000);
	assert_int_equal(r.failed, 1);

	/* a silent relay: the flush gives up after its own bound */
	pid = fake_fork(&mute, loop);
	srv.port = mute.port;
	assert_int_equal(smtp_send(c, &srv, &m, done_cb, &r), 0);
	t0 = mono_usec();
	assert_int_equal(smtp_client_flush(c, 300000), 1);
	uint64_t took = mono_usec() - t0;
	assert_true(took >= 300000 && took < 2000000);
	assert_int_equal(smtp_client_pending(c), 1);
	assert_non_null(strstr(logs.text, "1 mail(s) not sent in time at shutdown"));
	smtp_client_free(c);
	fake_kill(pid);
	ev_loop_free(loop);
}

static void break_cb(struct ev_loop *loop, void *arg)
{
	ev_break(loop);
}

static void test_send_rejects_and_free(void **state)
{
	static const char *const none[] = { "not an address", "" };
	static const char *const to[] = { "ops@example.org" };
	struct ev_loop *loop = ev_loop_new();
	struct smtp_client *c = smtp_client_new(loop);
	struct smtp_server srv = { .host = "localhost", .port = dead_port() };
	struct smtp_mail m = { .from = "ka@example.org", .to = none, .nto = 2, .subject = "s",
			       .body = "b" };

	assert_int_equal(smtp_send(c, &srv, &m, NULL, NULL), -1);
	m.to = to;
	m.nto = 1;
	m.from = "bad from";
	assert_int_equal(smtp_send(c, &srv, &m, NULL, NULL), -1);
	m.from = "ka@example.org";
	for (unsigned i = 0; i < SMTP_QUEUE_MAX; i++)
		assert_int_equal(smtp_send(c, &srv, &m, NULL, NULL), 0);
	assert_int_equal(smtp_send(c, &srv, &m, NULL, NULL), -1);
	assert_int_equal(smtp_client_pending(c), SMTP_QUEUE_MAX);
	/* freeing with resolver helpers in flight kills and reaps them */
	struct ev_timer *t = NULL;
	ev_timer_add(loop, break_cb, NULL, 1000, &t);
	ev_run(loop);
	smtp_client_free(c);
	ev_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_single),
		cmocka_unit_test(test_reply_multiline),
		cmocka_unit_test(test_reply_garbage),
		cmocka_unit_test(test_reply_overlong),
		cmocka_unit_test(test_addr_spec),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_message_headers),
		cmocka_unit_test(test_message_body),
		cmocka_unit_test(test_message_long_lines),
		cmocka_unit_test(test_message_injection_and_utf8),
		cmocka_unit_test(test_message_to_folding),
		cmocka_unit_test_setup_teardown(test_session_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_helo_fallback_and_rejections, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_session_refused_and_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_retry_succeeds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_timeout_and_early_close, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_session_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_concurrency, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_host_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_rejects_and_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
