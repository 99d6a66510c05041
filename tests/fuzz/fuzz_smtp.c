/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_smtp.c - libFuzzer target: SMTP reply parser, address extraction, message builder */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every reply the input holds, back to back, as a server would send them. */
static void fuzz_replies(const char *in, size_t size)
{
	size_t off = 0;

	while (off < size) {
		struct smtp_reply r;
		const char *why = NULL;
		ssize_t n = smtp_reply_parse(in + off, size - off, &r, &why);

		if (n < 0 && !why)
			abort();
		if (n <= 0)
			break;
		if ((size_t)n > size - off || r.code < 200 || r.code > 559 || !r.lines ||
		    strlen(r.text) >= SMTP_TEXT_MAX)
			abort();
		/* a complete reply is never complete one byte earlier */
		if (smtp_reply_parse(in + off, (size_t)n - 1, &r, &why) > 0)
			abort();
		smtp_reply_has_ext(in + off, (size_t)n, "8BITMIME");
		off += (size_t)n;
	}
}

/* Headers are "Name: value" lines or folded continuations, nothing else. */
static void check_headers(const char *m, const char *end)
{
	for (const char *l = m; l < end;) {
		const char *e = strstr(l, "\r\n");
		if (*l != ' ') {
			const char *p = l;
			while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '-')
				p++;
			if (p == l || p[0] != ':' || p[1] != ' ')
				abort();
		}
		l = e + 2;
	}
}

/* The body as sent, dot-stuffing undone and line ends dropped, must be the
 * body given, line ends dropped: nothing lost, nothing added. */
static void check_body(const char *body, const char *sent)
{
	size_t n = strlen(body), o = 0, g = 0;
	char *want = malloc(n + 1), *got = malloc(strlen(sent) + 1);

	for (size_t i = 0; i < n; i++)
		if (body[i] != '\r' && body[i] != '\n')
			want[o++] = body[i];
	for (const char *l = sent; strcmp(l, ".\r\n");) {
		const char *e = strstr(l, "\r\n");
		if (!e || e - l > 998 || (*l == '.' && l[1] != '.'))
			abort();
		if (*l == '.')
			l++;
		memcpy(got + g, l, (size_t)(e - l));
		g += (size_t)(e - l);
		l = e + 2;
	}
	if (o != g || memcmp(want, got, o))
		abort();
	free(want);
	free(got);
}

/* Input: subject NUL body NUL recipient NUL recipient... */
static void fuzz_message(const char *in, size_t size)
{
	char *s = malloc(size + 1), addr[256];
	const char *to[8] = { "ops@example.org" };
	size_t nto = 0, len;
	bool eight;

	memcpy(s, in, size);
	s[size] = '\0';
	const char *subject = s, *body = s + strlen(s);
	if ((size_t)(body - s) < size)
		body++;
	const char *p = body + strlen(body);
	while ((size_t)(p - s) < size && nto < 8) {
		to[nto++] = ++p;
		p += strlen(p);
	}
	for (size_t i = 0; i < nto; i++)
		if (smtp_addr_spec(to[i], addr, sizeof(addr)) == 0 && strpbrk(addr, " \r\n<>"))
			abort();
	struct smtp_mail m = { .from = subject, .to = to, .nto = nto ? nto : 1,
			       .subject = subject, .body = body };
	char *msg = smtp_message_build(&m, 0, "1@fuzz", &len, &eight);
	if (len != strlen(msg) || len < 5 || strcmp(msg + len - 5, "\r\n.\r\n"))
		abort();
	for (size_t i = 0; i < len; i++)
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r'))
			abort();
	const char *sep = strstr(msg, "\r\n\r\n");
	if (!sep)
		abort();
	check_headers(msg, sep + 2);
	check_body(body, sep + 4);
	free(msg);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_replies((const char *)data, size);
	fuzz_message((const char *)data, size);
	return 0;
}
