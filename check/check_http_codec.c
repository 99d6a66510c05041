/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_http_codec.c - HTTP/1.x request builder, incremental response parser, body regex */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "check/check_http_codec.h"

enum {
	ST_STATUS,     /* status line (or blank lines before it) */
	ST_HEADER,     /* header lines up to the empty line */
	ST_BODY_LEN,   /* Content-Length body */
	ST_BODY_EOF,   /* body ends with the connection */
	ST_CHUNK_SIZE, /* chunk-size line */
	ST_CHUNK_DATA,
	ST_CHUNK_END,  /* the line end after a chunk's data */
	ST_TRAILER,    /* trailer lines after the last chunk */
	ST_DONE,
	ST_ERROR,
};

/* Chunk-size lines and the line ends after chunk data are short. */
#define CHUNK_LINE_MAX 1024

int check_http_parser_init(struct check_http_parser *hp, size_t keep_max)
{
	memset(hp, 0, offsetof(struct check_http_parser, line));
	hp->line[0] = '\0';
	hp->keep_max = keep_max;
	if (keep_max && !(hp->kept = malloc(keep_max)))
		return -1;
	hp->md = EVP_MD_CTX_new();
	if (!hp->md || !EVP_DigestInit_ex(hp->md, EVP_md5(), NULL)) {
		check_http_parser_free(hp);
		return -1;
	}
	return 0;
}

void check_http_parser_free(struct check_http_parser *hp)
{
	free(hp->kept);
	hp->kept = NULL;
	hp->kept_len = 0;
	EVP_MD_CTX_free(hp->md);
	hp->md = NULL;
}

static int fail(struct check_http_parser *hp, const char *why)
{
	hp->state = ST_ERROR;
	hp->error = why;
	return CHECK_HTTP_ERROR;
}

static void body_data(struct check_http_parser *hp, const uint8_t *p, size_t n)
{
	if (hp->md)
		EVP_DigestUpdate(hp->md, p, n);
	if (hp->kept_len < hp->keep_max) {
		size_t k = hp->keep_max - hp->kept_len;
		if (k > n)
			k = n;
		memcpy(hp->kept + hp->kept_len, p, k);
		hp->kept_len += k;
	}
	hp->body_len += n;
	if (hp->on_body)
		hp->on_body(hp->cb_arg, p, n);
}

/* Trim spaces and tabs on both sides of s[0..*n); returns the new start. */
static const char *trim(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t'))
		s++, (*n)--;
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

static bool name_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && !strncasecmp(name, want, n);
}

/* Decimal without sign or spaces, no overflow. 0 or -1. */
static int parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	if (!n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		uint64_t d = (uint64_t)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int content_length(struct check_http_parser *hp, const char *v, size_t n)
{
	uint64_t len;
	if (parse_u64(v, n, &len) < 0)
		return fail(hp, "bad Content-Length");
	if (hp->has_length && len != hp->content_length)
		return fail(hp, "conflicting Content-Length headers");
	hp->has_length = true;
	hp->content_length = len;
	return CHECK_HTTP_MORE;
}

/* The last coding decides: chunked ends the body itself; any other coding
 * than identity leaves the body delimited by the close. */
static void transfer_encoding(struct check_http_parser *hp, const char *v, size_t n)
{
	size_t i = n;
	while (i && v[i - 1] != ',')
		i--;
	n -= i;
	v = trim(v + i, &n);
	hp->chunked = name_is(v, n, "chunked");
	hp->te_close = !hp->chunked && !name_is(v, n, "identity");
}

static int header_line(struct check_http_parser *hp, const char *s, size_t n)
{
	if (++hp->headers > CHECK_HTTP_MAX_HEADERS)
		return fail(hp, "too many header lines");
	if (*s == ' ' || *s == '\t')
		return CHECK_HTTP_MORE; /* obsolete folding: part of the previous value */
	const char *colon = memchr(s, ':', n);
	if (!colon || colon == s || colon[-1] == ' ' || colon[-1] == '\t')
		return fail(hp, "malformed header line");
	size_t nlen = (size_t)(colon - s), vlen = n - nlen - 1;
	const char *v = trim(colon + 1, &vlen);
	if (hp->state == ST_TRAILER)
		return CHECK_HTTP_MORE;
	if (name_is(s, nlen, "Content-Length"))
		return content_length(hp, v, vlen);
	if (name_is(s, nlen, "Transfer-Encoding"))
		transfer_encoding(hp, v, vlen);
	return CHECK_HTTP_MORE;
}

static int status_line(struct check_http_parser *hp, const char *s, size_t n)
{
	/* "HTTP/1.x NNN" then end of line or a space and the reason */
	if (n < 12 || memcmp(s, "HTTP/1.", 7) || s[7] < '0' || s[7] > '9' || s[8] != ' ')
		return fail(hp, "malformed status line");
	for (int i = 9; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return fail(hp, "malformed status code");
	if (n > 12 && s[12] != ' ')
		return fail(hp, "malformed status code");
	hp->minor = (unsigned)(s[7] - '0');
	hp->status = (unsigned)((s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0'));
	if (hp->status < 100)
		return fail(hp, "malformed status code");
	hp->state = ST_HEADER;
	return CHECK_HTTP_MORE;
}

/* The empty line after the header: decide how the body is delimited. */
static int end_of_header(struct check_http_parser *hp)
{
	if (hp->status < 200 && hp->status != 101) {
		/* Interim response: the real one follows. */
		hp->chunked = hp->has_length = hp->te_close = false;
		hp->content_length = 0;
		hp->state = ST_STATUS;
		return CHECK_HTTP_MORE;
	}
	if (hp->status == 204 || hp->status == 304 || hp->status == 101) {
		hp->state = ST_DONE;
		return CHECK_HTTP_DONE;
	}
	if (hp->chunked) {
		hp->state = ST_CHUNK_SIZE;
	} else if (hp->has_length && !hp->te_close) {
		/* A Transfer-Encoding overrides Content-Length (RFC 9112 6.3). */
		hp->remaining = hp->content_length;
		hp->state = hp->remaining ? ST_BODY_LEN : ST_DONE;
	} else {
		hp->state = ST_BODY_EOF;
	}
	return hp->state == ST_DONE ? CHECK_HTTP_DONE : CHECK_HTTP_MORE;
}

static int chunk_size(struct check_http_parser *hp, const char *s, size_t n)
{
	uint64_t v = 0;
	size_t i = 0;
	for (; i < n; i++) {
		int c = s[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		if (v >> 56)
			return fail(hp, "chunk size too large");
		v = v << 4 | (uint64_t)d;
	}
	size_t rest = n - i;
	const char *r = trim(s + i, &rest);
	if (!i || (rest && *r != ';'))
		return fail(hp, "bad chunk size");
	hp->remaining = v;
	hp->state = v ? ST_CHUNK_DATA : ST_TRAILER;
	return CHECK_HTTP_MORE;
}

/* One complete line (without its LF, CR stripped) in the current state. */
static int line_done(struct check_http_parser *hp, const char *s, size_t n)
{
	switch (hp->state) {
	case ST_STATUS:
		if (!n)
			return CHECK_HTTP_MORE; /* blank lines before the status line */
		if (hp->on_header)
			hp->on_header(hp->cb_arg, s, n);
		return status_line(hp, s, n);
	case ST_HEADER:
	case ST_TRAILER:
		if (hp->on_header && (n || hp->state == ST_HEADER))
			hp->on_header(hp->cb_arg, s, n);
		if (n)
			return header_line(hp, s, n);
		if (hp->state == ST_TRAILER) {
			hp->state = ST_DONE;
			return CHECK_HTTP_DONE;
		}
		return end_of_header(hp);
	case ST_CHUNK_SIZE:
		return chunk_size(hp, s, n);
	case ST_CHUNK_END:
		if (n)
			return fail(hp, "no line end after chunk data");
		hp->state = ST_CHUNK_SIZE;
		return CHECK_HTTP_MORE;
	default:
		return fail(hp, "internal parser state");
	}
}

static size_t line_limit(const struct check_http_parser *hp)
{
	return hp->state == ST_CHUNK_SIZE || hp->state == ST_CHUNK_END ? CHUNK_LINE_MAX
									 : CHECK_HTTP_MAX_LINE;
}

static bool counts_as_header(const struct check_http_parser *hp)
{
	return hp->state == ST_STATUS || hp->state == ST_HEADER || hp->state == ST_TRAILER;
}

/* Take bytes of a line from p[0..n); returns how many were used. */
static size_t line_bytes(struct check_http_parser *hp, const uint8_t *p, size_t n, int *rc)
{
	const uint8_t *lf = memchr(p, '\n', n);
	size_t take = lf ? (size_t)(lf - p) + 1 : n;
	size_t body = lf ? take - 1 : take;
	*rc = CHECK_HTTP_MORE;
	if (counts_as_header(hp)) {
		hp->header_bytes += take;
		if (hp->header_bytes > CHECK_HTTP_MAX_HEADER_BYTES) {
			*rc = fail(hp, "response header too large");
			return take;
		}
	}
	if (hp->line_len + body > line_limit(hp)) {
		*rc = fail(hp, hp->state == ST_CHUNK_SIZE || hp->state == ST_CHUNK_END
				       ? "chunk size line too long" : "header line too long");
		return take;
	}
	memcpy(hp->line + hp->line_len, p, body);
	hp->line_len += body;
	if (!lf)
		return take;
	size_t len = hp->line_len;
	if (len && hp->line[len - 1] == '\r')
		len--;
	hp->line[len] = '\0';
	hp->line_len = 0;
	if (memchr(hp->line, '\0', len))
		*rc = fail(hp, "NUL byte in header");
	else
		*rc = line_done(hp, hp->line, len);
	return take;
}

int check_http_parse(struct check_http_parser *hp, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int rc = CHECK_HTTP_MORE;
	if (hp->state == ST_ERROR)
		return CHECK_HTTP_ERROR;
	while (len && hp->state != ST_DONE && hp->state != ST_ERROR) {
		size_t used;
		if (hp->state == ST_BODY_EOF) {
			body_data(hp, p, len);
			used = len;
		} else if (hp->state == ST_BODY_LEN || hp->state == ST_CHUNK_DATA) {
			used = len < hp->remaining ? len : (size_t)hp->remaining;
			body_data(hp, p, used);
			hp->remaining -= used;
			if (!hp->remaining)
				hp->state = hp->state == ST_BODY_LEN ? ST_DONE : ST_CHUNK_END;
		} else {
			used = line_bytes(hp, p, len, &rc);
		}
		p += used;
		len -= used;
	}
	if (hp->state == ST_DONE)
		return CHECK_HTTP_DONE;
	return hp->state == ST_ERROR ? CHECK_HTTP_ERROR : CHECK_HTTP_MORE;
}

int check_http_parse_eof(struct check_http_parser *hp)
{
	switch (hp->state) {
	case ST_DONE:
		return CHECK_HTTP_DONE;
	case ST_BODY_EOF:
		hp->state = ST_DONE;
		return CHECK_HTTP_DONE;
	case ST_ERROR:
		return CHECK_HTTP_ERROR;
	case ST_STATUS:
		return fail(hp, hp->header_bytes ? "connection closed in the status line"
						 : "connection closed without a response");
	case ST_HEADER:
		return fail(hp, "connection closed in the response header");
	case ST_BODY_LEN:
		return fail(hp, "connection closed before the end of the body (Content-Length)");
	default:
		return fail(hp, "connection closed before the last chunk");
	}
}

void check_http_md5(struct check_http_parser *hp, uint8_t out[16])
{
	unsigned n = 16;
	memset(out, 0, 16);
	if (hp->md)
		EVP_DigestFinal_ex(hp->md, out, &n);
}

char *check_hex(const uint8_t *d, size_t n, char *out)
{
	static const char x[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[2 * n] = '\0';
	return out;
}

int check_http_host(char *buf, size_t size, const char *vhost, const struct ka_addr *addr,
		    unsigned port, bool tls)
{
	if (vhost)
		return snprintf(buf, size, "%s", vhost);
	char a[KA_ADDR_STRLEN] = "", p[16] = "";
	struct ka_addr bare = *addr;
	bare.has_prefix = false;
	ka_addr_str(&bare, a);
	if (port && port != (tls ? 443u : 80u))
		snprintf(p, sizeof(p), ":%u", port);
	return snprintf(buf, size, addr->family == AF_INET6 ? "[%s]%s" : "%s%s", a, p);
}

int check_http_request(char *buf, size_t size, const char *path, const char *host, int proto)
{
	/* proto: 0 = 1.0, 1 = 1.0C, 2 = 1.1 (enum check_http_proto) */
	return snprintf(buf, size,
			"GET %s HTTP/1.%d\r\n"
			"User-Agent: KeepAliveClient\r\n"
			"Host: %s\r\n"
			"%s"
			"\r\n",
			path, proto == 2 ? 1 : 0, host, proto ? "Connection: close\r\n" : "");
}

int check_http_regex(const char *re, bool icase, bool newline, const uint8_t *body, size_t len,
		     size_t min_off, size_t max_off, char *why, size_t wlen)
{
	regex_t rx;
	int flags = REG_EXTENDED | (icase ? REG_ICASE : 0) | (newline ? REG_NEWLINE : 0);
	int e = regcomp(&rx, re, flags);
	if (e) {
		char msg[128];
		regerror(e, &rx, msg, sizeof(msg));
		snprintf(why, wlen, "regex does not compile: %s", msg);
		return -1;
	}
	int matched = 0;
	/* REG_STARTEND: the body may hold NUL bytes; offsets in m are from the
	 * start of the string. The copy adds the terminator some regexec
	 * wrappers (sanitizers) look for even with REG_STARTEND. */
	char *s = malloc(len + 1);
	if (!s) {
		snprintf(why, wlen, "out of memory");
		regfree(&rx);
		return -1;
	}
	if (len)
		memcpy(s, body, len);
	s[len] = '\0';
	if (min_off <= len) {
		regmatch_t m = { .rm_so = (regoff_t)min_off, .rm_eo = (regoff_t)len };
		if (!regexec(&rx, s, 1, &m, REG_STARTEND | (min_off ? REG_NOTBOL : 0)))
			matched = !max_off || (size_t)m.rm_so <= max_off;
	}
	free(s);
	regfree(&rx);
	return matched;
}
