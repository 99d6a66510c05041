/* SPDX-License-Identifier: GPL-2.0-or-later */
/* smtp_text.c - the pure side of the mail client: reply parser, addresses, dates, message text */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "smtp.h"
#include "util.h"

/* ---- replies ----------------------------------------------------------------- */

static ssize_t reply_bad(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -1;
}

/* First digit 2..5, second 0..5, third 0..9 (RFC 5321 4.2). n of the three
 * characters are available; only those are checked. */
static bool code_prefix_ok(const char *s, size_t n)
{
	static const char lo[3] = { '2', '0', '0' }, hi[3] = { '5', '5', '9' };

	for (size_t i = 0; i < n && i < 3; i++)
		if (s[i] < lo[i] || s[i] > hi[i])
			return false;
	if (n > 3 && s[3] != '-' && s[3] != ' ' && s[3] != '\r')
		return false;
	return true;
}

static void text_append(struct smtp_reply *r, size_t *tlen, const char *s, size_t n)
{
	size_t room = sizeof(r->text) - 1 - *tlen;

	if (*tlen && room >= 3) {
		memcpy(r->text + *tlen, " / ", 3);
		*tlen += 3;
		room -= 3;
	}
	if (n > room)
		n = room;
	memcpy(r->text + *tlen, s, n);
	*tlen += n;
	r->text[*tlen] = '\0';
}

ssize_t smtp_reply_parse(const char *buf, size_t len, struct smtp_reply *r, const char **why)
{
	size_t pos = 0, tlen = 0;
	int code = 0;

	memset(r, 0, sizeof(*r));
	for (;;) {
		const char *line = buf + pos;
		size_t rest = len - pos;
		const char *nl = memchr(line, '\n', rest);

		if (!nl) {
			if (rest >= SMTP_LINE_MAX)
				return reply_bad(why, "reply line too long");
			if (memchr(line, '\0', rest) || !code_prefix_ok(line, rest))
				return reply_bad(why, "not an SMTP reply");
			return 0;
		}
		size_t full = (size_t)(nl - line) + 1, ll = full - 1;
		if (full > SMTP_LINE_MAX)
			return reply_bad(why, "reply line too long");
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (ll < 3 || memchr(line, '\0', ll) || !code_prefix_ok(line, ll) ||
		    (ll > 3 && line[3] == '\r'))
			return reply_bad(why, "not an SMTP reply");
		int c = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
		if (code && c != code)
			return reply_bad(why, "reply lines carry different codes");
		code = c;
		r->lines++;
		if (ll > 4)
			text_append(r, &tlen, line + 4, ll - 4);
		pos += full;
		if (ll == 3 || line[3] == ' ') {
			r->code = code;
			return (ssize_t)pos;
		}
	}
}

bool smtp_reply_has_ext(const char *buf, size_t len, const char *kw)
{
	size_t kwlen = strlen(kw), pos = 0;
	bool first = true;

	while (pos < len) {
		const char *line = buf + pos, *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;

		pos += ll + 1;
		if (ll && line[ll - 1] == '\r')
			ll--;
		/* the first line names the server, not an extension */
		if (first) {
			first = false;
			continue;
		}
		if (ll >= 4 + kwlen && !strncasecmp(line + 4, kw, kwlen) &&
		    (ll == 4 + kwlen || line[4 + kwlen] == ' '))
			return true;
	}
	return false;
}

/* ---- addresses and dates ------------------------------------------------------ */

int smtp_addr_spec(const char *s, char *buf, size_t len)
{
	const char *lt = strchr(s, '<'), *b, *e;

	/* a control character anywhere (even in the display name) could end
	 * up splitting a command or a header */
	for (const char *p = s; *p; p++)
		if (((unsigned char)*p < ' ' && *p != '\t') || *p == 0x7f)
			return -1;

	if (lt) {
		const char *gt = strchr(lt, '>');
		if (!gt || strchr(lt + 1, '<') || strchr(gt + 1, '>'))
			return -1;
		b = lt + 1;
		e = gt;
	} else {
		if (strchr(s, '>'))
			return -1;
		b = s;
		e = s + strlen(s);
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
	}
	size_t n = (size_t)(e - b);
	if (!n || n >= len || n > 254)
		return -1;
	for (const char *p = b; p < e; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return -1;
	memcpy(buf, b, n);
	buf[n] = '\0';
	return 0;
}

const char *smtp_date(time_t t, char *buf, size_t len)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	if (!localtime_r(&t, &tm)) {
		snprintf(buf, len, "Thu, 01 Jan 1970 00:00:00 +0000");
		return buf;
	}
	long off = tm.tm_gmtoff / 60;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday % 7],
		 tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, sign, off / 60, off % 60);
	return buf;
}

/* ---- message text ------------------------------------------------------------ */

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = 2 * (b->len + n + 1) + 256;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Header value: control characters (CR, LF, TAB...) become spaces so a
 * value can never start a new header; at most max bytes. */
static void sb_header_value(struct sbuf *b, const char *s, size_t max)
{
	for (size_t i = 0; s[i] && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		char o = (c < ' ' || c == 0x7f) ? ' ' : (char)c;
		sb_add(b, &o, 1);
	}
}

static void base64(struct sbuf *b, const unsigned char *s, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		char o[4] = { tab[v >> 18 & 63], tab[v >> 12 & 63],
			      i + 1 < n ? tab[v >> 6 & 63] : '=', i + 2 < n ? tab[v & 63] : '=' };
		sb_add(b, o, 4);
	}
}

/* Subject: ASCII as is; otherwise RFC 2047 encoded words of at most 45
 * bytes each (so each stays under 75 characters), never splitting a UTF-8
 * sequence, on folded continuation lines. */
static void sb_subject(struct sbuf *b, const char *subject)
{
	struct sbuf clean = { 0 };
	bool ascii = true;

	sb_header_value(&clean, subject, 900);
	for (size_t i = 0; i < clean.len; i++)
		if ((unsigned char)clean.p[i] >= 0x80)
			ascii = false;
	if (ascii) {
		if (clean.len)
			sb_add(b, clean.p, clean.len);
		free(clean.p);
		return;
	}
	for (size_t i = 0; i < clean.len;) {
		size_t n = clean.len - i < 45 ? clean.len - i : 45;
		/* back off to a character boundary */
		while (n < clean.len - i && n > 1 && ((unsigned char)clean.p[i + n] & 0xc0) == 0x80)
			n--;
		if (i)
			sb_str(b, "\r\n ");
		sb_str(b, "=?UTF-8?B?");
		base64(b, (const unsigned char *)clean.p + i, n);
		sb_str(b, "?=");
		i += n;
	}
	free(clean.p);
}

/* To: every recipient, folded before a line would pass 78 characters. */
static void sb_to(struct sbuf *b, const struct smtp_mail *m)
{
	size_t col = 4;

	sb_str(b, "To: ");
	for (size_t i = 0; i < m->nto; i++) {
		size_t n = strlen(m->to[i]);
		if (i) {
			sb_str(b, col + n + 2 > 78 ? ",\r\n " : ", ");
			col = col + n + 2 > 78 ? 1 : col + 2;
		}
		sb_header_value(b, m->to[i], 900);
		col += n;
	}
	sb_str(b, "\r\n");
}

/* Body: CRLF line ends, long lines broken (not inside a UTF-8 sequence),
 * a '.' starting a line doubled. Ends at the start of a line. */
static void sb_body(struct sbuf *b, const char *body)
{
	size_t col = 0;

	for (const char *p = body; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\r' || c == '\n') {
			if (c == '\r' && p[1] == '\n')
				p++;
			sb_str(b, "\r\n");
			col = 0;
			continue;
		}
		if (col >= 998 || (col >= 990 && (c & 0xc0) != 0x80)) {
			sb_str(b, "\r\n");
			col = 0;
		}
		if (col == 0 && c == '.') {
			sb_str(b, "."); /* it counts towards the 998 too */
			col++;
		}
		sb_add(b, p, 1);
		col++;
	}
	if (col)
		sb_str(b, "\r\n");
}

char *smtp_message_build(const struct smtp_mail *m, time_t now, const char *msgid,
			 size_t *len, bool *eightbit)
{
	struct sbuf b = { 0 };
	char date[64];
	bool eight = false;

	for (const char *p = m->body; *p; p++)
		if ((unsigned char)*p >= 0x80)
			eight = true;
	sb_str(&b, "From: ");
	sb_header_value(&b, m->from, 900);
	sb_str(&b, "\r\n");
	sb_to(&b, m);
	sb_str(&b, "Subject: ");
	sb_subject(&b, m->subject);
	sb_str(&b, "\r\nDate: ");
	sb_str(&b, smtp_date(now, date, sizeof(date)));
	sb_str(&b, "\r\nMessage-ID: <");
	sb_header_value(&b, msgid, 200);
	sb_str(&b, ">\r\nX-Mailer: Keepalived\r\nMIME-Version: 1.0\r\n"
		   "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: ");
	sb_str(&b, eight ? "8bit\r\n\r\n" : "7bit\r\n\r\n");
	sb_body(&b, m->body);
	sb_str(&b, ".\r\n");
	*len = b.len;
	if (eightbit)
		*eightbit = eight;
	return b.p;
}
