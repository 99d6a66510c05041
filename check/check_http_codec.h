/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_http_codec.h - HTTP/1.x request builder, incremental response parser, body regex */
#ifndef KA_CHECK_HTTP_CODEC_H
#define KA_CHECK_HTTP_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * Pure code for HTTP_GET, SSL_GET and genhash: no sockets, no logging. The
 * parser takes the response in pieces of any size (a byte at a time gives
 * the same result as the whole buffer) and computes the MD5 of the decoded
 * body on the way, so bodies of any length cost no memory; only the first
 * keep_max body bytes are kept, for the regex.
 *
 * What it accepts: a status line "HTTP/1.x NNN [reason]" (blank lines before
 * it are skipped; 1xx interim responses are skipped), header lines of at
 * most CHECK_HTTP_MAX_LINE bytes, at most CHECK_HTTP_MAX_HEADERS of them and
 * CHECK_HTTP_MAX_HEADER_BYTES in all (interim responses and chunked trailers
 * count too), then a body delimited by chunked transfer coding, by
 * Content-Length, or by the end of the connection (HTTP/1.0 style). 204 and
 * 304 have no body. Anything else is an error with a short reason.
 */

#define CHECK_HTTP_MAX_LINE 8192
#define CHECK_HTTP_MAX_HEADERS 100
#define CHECK_HTTP_MAX_HEADER_BYTES (64 * 1024)
/* Body bytes kept for the regex when the url sets no regex_max_offset. */
#define CHECK_HTTP_REGEX_KEEP (64 * 1024)
/* Ceiling on what is kept whatever regex_max_offset says. */
#define CHECK_HTTP_REGEX_KEEP_MAX (1024 * 1024)

enum check_http_rc {
	CHECK_HTTP_ERROR = -1, /* hp->error says why; further input is ignored */
	CHECK_HTTP_MORE = 0,   /* needs more bytes (or the end of the connection) */
	CHECK_HTTP_DONE = 1,   /* a complete response; later bytes are ignored */
};

struct evp_md_ctx_st;

struct check_http_parser {
	/* Results, valid as far as parsing went. */
	unsigned status;          /* 0 until the status line is read */
	unsigned minor;           /* HTTP/1.<minor> */
	bool chunked;
	bool has_length;
	uint64_t content_length;
	uint64_t body_len;        /* decoded body bytes so far */
	uint8_t *kept;            /* first keep_max body bytes (parser-owned) */
	size_t kept_len, keep_max;
	unsigned headers;         /* header lines seen */
	size_t header_bytes;
	const char *error;        /* static text when CHECK_HTTP_ERROR */

	/* Optional observers (genhash -v): each header line without its line
	 * end, including the status line; decoded body pieces. */
	void (*on_header)(void *arg, const char *line, size_t len);
	void (*on_body)(void *arg, const uint8_t *data, size_t len);
	void *cb_arg;

	/* Private. */
	int state;
	uint64_t remaining;       /* bytes due in the current body or chunk */
	size_t line_len;
	bool te_close;            /* a transfer coding other than chunked: read to close */
	struct evp_md_ctx_st *md;
	char line[CHECK_HTTP_MAX_LINE + 1];
};

/* Prepare hp (everything is overwritten: set the observers afterwards) to
 * keep up to keep_max body bytes. Returns 0, or -1 when memory or the MD5
 * implementation is not available. */
int check_http_parser_init(struct check_http_parser *hp, size_t keep_max);

/* Release what init allocated. Safe on a zeroed or already freed parser. */
void check_http_parser_free(struct check_http_parser *hp);

/* Feed len bytes. Returns enum check_http_rc. */
int check_http_parse(struct check_http_parser *hp, const void *buf, size_t len);

/* The connection ended: DONE when the response is complete (or delimited by
 * the close), else ERROR with the reason. */
int check_http_parse_eof(struct check_http_parser *hp);

/* MD5 of the decoded body; call once, after DONE. */
void check_http_md5(struct check_http_parser *hp, uint8_t out[16]);

/* Lower-case hex of n bytes into out (2n + 1 bytes). Returns out. */
char *check_hex(const uint8_t *d, size_t n, char *out);

/*
 * Host header value: vhost when not NULL, else the address ("[v6]" for
 * IPv6) followed by ":port" unless port is the scheme's default (80, or 443
 * with tls). Returns the length snprintf would produce.
 */
int check_http_host(char *buf, size_t size, const char *vhost, const struct ka_addr *addr,
		    unsigned port, bool tls);

/*
 * The request the checkers send:
 *   GET <path> HTTP/1.0|1.1, User-Agent: KeepAliveClient, Host: <host>,
 *   and Connection: close for 1.0C and 1.1.
 * proto is enum check_http_proto. Returns the length snprintf would
 * produce; the request is complete only if that is below size.
 */
int check_http_request(char *buf, size_t size, const char *path, const char *host, int proto);

/*
 * POSIX extended regex re against body[0..len): the search starts at
 * min_off and a match must start no later than max_off (0 = anywhere).
 * icase and newline map the PCRE2 options caseless and multiline; other
 * PCRE2 options have no POSIX equivalent, and neither have regex_stack's
 * JIT stack sizes, which are ignored. Returns 1 matched, 0 not, -1 when re
 * does not compile or memory is short (reason in why).
 */
int check_http_regex(const char *re, bool icase, bool newline, const uint8_t *body, size_t len,
		     size_t min_off, size_t max_off, char *why, size_t wlen);

#endif
