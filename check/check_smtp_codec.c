/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_smtp_codec.c - SMTP reply reader and command builder for SMTP_CHECK */
#include <stdio.h>
#include <string.h>

#include "check/check_smtp_codec.h"

void check_smtp_reply_init(struct check_smtp_reply *r)
{
	memset(r, 0, offsetof(struct check_smtp_reply, line));
	r->line[0] = r->text[0] = '\0';
}

static int fail(struct check_smtp_reply *r, const char *why)
{
	r->failed = true;
	r->error = why;
	return CHECK_SMTP_ERROR;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* One line without its line end. */
static int reply_line(struct check_smtp_reply *r, const char *s, size_t n)
{
	if (++r->lines > CHECK_SMTP_MAX_LINES)
		return fail(r, "reply has too many lines");
	if (n < 3 || !digit(s[0]) || !digit(s[1]) || !digit(s[2]) || s[0] < '2' || s[0] > '5')
		return fail(r, "malformed reply line");
	if (n > 3 && s[3] != ' ' && s[3] != '-')
		return fail(r, "malformed reply line");
	unsigned code = (unsigned)((s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0'));
	if (r->code && code != r->code)
		return fail(r, "reply code changes between lines");
	r->code = code;
	size_t t = n > 4 ? n - 4 : 0;
	if (t >= sizeof(r->text))
		t = sizeof(r->text) - 1;
	memcpy(r->text, s + 4, t);
	r->text[t] = '\0';
	if (n > 3 && s[3] == '-')
		return CHECK_SMTP_MORE;
	r->done = true;
	return CHECK_SMTP_DONE;
}

int check_smtp_reply_feed(struct check_smtp_reply *r, const void *buf, size_t len, size_t *used)
{
	const char *p = buf;
	size_t i = 0;
	int rc = CHECK_SMTP_MORE;
	if (r->failed || r->done) {
		*used = 0;
		return r->failed ? CHECK_SMTP_ERROR : CHECK_SMTP_DONE;
	}
	while (i < len && rc == CHECK_SMTP_MORE) {
		char c = p[i++];
		if (c != '\n') {
			if (r->line_len >= CHECK_SMTP_MAX_LINE) {
				rc = fail(r, "reply line too long");
				break;
			}
			r->line[r->line_len++] = c;
			continue;
		}
		size_t n = r->line_len;
		if (n && r->line[n - 1] == '\r')
			n--;
		r->line[n] = '\0';
		r->line_len = 0;
		if (memchr(r->line, '\0', n))
			rc = fail(r, "NUL byte in reply");
		else
			rc = reply_line(r, r->line, n);
	}
	*used = i;
	return rc;
}

const char *check_smtp_reply_text(const struct check_smtp_reply *r)
{
	return r->text;
}

int check_smtp_helo(char *buf, size_t size, const char *name)
{
	for (const char *c = name; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return -1;
	return snprintf(buf, size, "HELO %s\r\n", name);
}
