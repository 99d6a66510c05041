/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_check_codec.c - HTTP, SMTP and DNS codecs of the checkers, hostile input included */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check/check_dns_codec.h"
#include "check/check_http.h"
#include "check/check_http_codec.h"
#include "check/check_probe_int.h"
#include "check/check_smtp_codec.h"

/* ---- HTTP helpers ------------------------------------------------------------------ */

struct parsed {
	int rc;            /* after the data (and the close, if asked) */
	unsigned status;
	uint64_t body_len;
	char md5[33];
	char kept[256];
	const char *error;
};

/* Parse resp[0..len) in pieces cut at the given offsets (sorted, may be
 * empty), then signal the close when eof. */
static struct parsed parse_cuts(const char *resp, size_t len, const size_t *cuts, size_t ncuts,
				bool eof)
{
	struct check_http_parser *hp = malloc(sizeof(*hp));
	struct parsed r = { 0 };
	assert_non_null(hp);
	assert_int_equal(check_http_parser_init(hp, 200), 0);
	size_t pos = 0;
	int rc = CHECK_HTTP_MORE;
	for (size_t i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : len;
		rc = check_http_parse(hp, resp + pos, end - pos);
		pos = end;
	}
	if (eof && rc == CHECK_HTTP_MORE)
		rc = check_http_parse_eof(hp);
	r.rc = rc;
	r.status = hp->status;
	r.body_len = hp->body_len;
	r.error = hp->error;
	uint8_t md[16];
	check_http_md5(hp, md);
	check_hex(md, 16, r.md5);
	memcpy(r.kept, hp->kept, hp->kept_len);
	r.kept[hp->kept_len] = '\0';
	check_http_parser_free(hp);
	free(hp);
	return r;
}

static struct parsed parse_all(const char *resp, bool eof)
{
	return parse_cuts(resp, strlen(resp), NULL, 0, eof);
}

static void assert_same(const struct parsed *a, const struct parsed *b)
{
	assert_int_equal(a->rc, b->rc);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->body_len, b->body_len);
	assert_string_equal(a->md5, b->md5);
	assert_string_equal(a->kept, b->kept);
}

/* Every single cut, then byte by byte: always the same result. */
static void assert_split_invariant(const char *resp, bool eof)
{
	size_t len = strlen(resp);
	struct parsed whole = parse_all(resp, eof);
	for (size_t i = 0; i <= len; i++) {
		struct parsed p = parse_cuts(resp, len, &i, 1, eof);
		assert_same(&whole, &p);
	}
	size_t *cuts = malloc(len * sizeof(*cuts) + 1);
	for (size_t i = 0; i < len; i++)
		cuts[i] = i;
	struct parsed p = parse_cuts(resp, len, cuts, len, eof);
	assert_same(&whole, &p);
	free(cuts);
}

#define MD5_EMPTY "d41d8cd98f00b204e9800998ecf8427e"
#define MD5_HELLO_WORLD "5eb63bbbe01eeed093cb22bb8f5acdc3"
#define MD5_FOX "9e107d9d372bb6826bd81d3542a419d6"

/* ---- HTTP: good responses ------------------------------------------------------------ */

static void test_http_status_line(void **state)
{
	struct parsed r = parse_all("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);
	assert_int_equal(r.status, 200);
	r = parse_all("HTTP/1.0 404\r\nContent-Length: 0\r\n\r\n", false);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);
	assert_int_equal(r.status, 404);
	/* blank lines before the status line, bare LF line ends */
	r = parse_all("\r\n\nHTTP/1.0 503 Service Unavailable\nContent-Length: 0\n\n", false);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);
	assert_int_equal(r.status, 503);
	/* an interim 100 Continue is skipped */
	r = parse_all("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
		      "Content-Length: 2\r\n\r\nok", false);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.kept, "ok");
	/* 204 has no body even without a length */
	r = parse_all("HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n", false);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);

	static const char *const bad[] = {
		"HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 20x OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
		"FOO/1.1 200 OK\r\n\r\n", "HTTP/1.1  200 OK\r\n\r\n", "HTTP/1.1 099 x\r\n\r\n",
		"<html>hello</html>\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = parse_all(bad[i], true);
		assert_int_equal(r.rc, CHECK_HTTP_ERROR);
		assert_non_null(r.error);
	}
}

static void test_http_content_length(void **state)
{
	const char *resp = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
			   "content-length:  11 \r\n\r\nhello worldTRAILING JUNK";
	struct parsed r = parse_all(resp, false);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);
	assert_int_equal(r.body_len, 11);
	assert_string_equal(r.md5, MD5_HELLO_WORLD);
	assert_string_equal(r.kept, "hello world");
	assert_split_invariant(resp, false);
	/* Content-Length 0 */
	r = parse_all("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);
	assert_string_equal(r.md5, MD5_EMPTY);
	/* identical duplicates are fine */
	r = parse_all("HTTP/1.0 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab", false);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);
}

static void test_http_chunked(void **state)
{
	const char *resp = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			   "4\r\nThe \r\n"
			   "10;name=value\r\nquick brown fox \r\n"
			   "0000017\r\njumps over the lazy dog\r\n"
			   "0\r\nX-Checksum: none\r\n\r\n";
	struct parsed r = parse_all(resp, false);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);
	assert_int_equal(r.body_len, 43);
	assert_string_equal(r.md5, MD5_FOX);
	assert_split_invariant(resp, false);
	/* Transfer-Encoding wins over Content-Length, case does not matter */
	resp = "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
	       "B\nhello world\n0\n\n";
	r = parse_all(resp, false);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);
	assert_string_equal(r.md5, MD5_HELLO_WORLD);
	assert_split_invariant(resp, false);
}

static void test_http_until_close(void **state)
{
	const char *resp = "HTTP/1.0 200 OK\r\nServer: test\r\n\r\n"
			   "The quick brown fox jumps over the lazy dog";
	struct parsed r = parse_all(resp, false);
	assert_int_equal(r.rc, CHECK_HTTP_MORE);
	r = parse_all(resp, true);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);
	assert_string_equal(r.md5, MD5_FOX);
	assert_split_invariant(resp, true);
	/* a transfer coding other than chunked: the close delimits the body */
	resp = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nhello world";
	r = parse_all(resp, true);
	assert_int_equal(r.rc, CHECK_HTTP_DONE);
	assert_string_equal(r.md5, MD5_HELLO_WORLD);
}

static void test_http_kept_prefix(void **state)
{
	struct check_http_parser *hp = malloc(sizeof(*hp));
	assert_int_equal(check_http_parser_init(hp, 5), 0);
	const char *resp = "HTTP/1.0 200 OK\r\nContent-Length: 11\r\n\r\nhello world";
	assert_int_equal(check_http_parse(hp, resp, strlen(resp)), CHECK_HTTP_DONE);
	assert_int_equal(hp->kept_len, 5);
	assert_memory_equal(hp->kept, "hello", 5);
	check_http_parser_free(hp);
	check_http_parser_free(hp); /* twice is fine */
	free(hp);
}

/* ---- HTTP: hostile responses -------------------------------------------------------- */

static void assert_http_error(const char *resp, bool eof)
{
	struct parsed r = parse_all(resp, eof);
	assert_int_equal(r.rc, CHECK_HTTP_ERROR);
	assert_non_null(r.error);
}

static void test_http_hostile_lengths(void **state)
{
	assert_http_error("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false);
	assert_http_error("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
			  false);
	assert_http_error("HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n", false);
	assert_http_error("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", false);
	assert_http_error("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
			  false);
	/* early close: nothing, in the status line, in the header, in the body */
	assert_http_error("", true);
	assert_http_error("HTTP/1.1 20", true);
	assert_http_error("HTTP/1.1 200 OK\r\nServer: x\r\n", true);
	assert_http_error("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", true);
	assert_http_error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", true);
	/* a huge length is fine as such: only the close reveals the lie */
	struct parsed r = parse_all("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615"
				    "\r\n\r\nabc", false);
	assert_int_equal(r.rc, CHECK_HTTP_MORE);
}

static void test_http_hostile_chunks(void **state)
{
	const char *h = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
	static const char *const bad[] = {
		"xyz\r\n",                       /* not hex */
		"\r\n",                          /* empty size */
		"fffffffffffffffff\r\n",         /* 2^68 */
		"5 5\r\nhello\r\n0\r\n\r\n",     /* junk after the size */
		"5\r\nhelloXX\r\n0\r\n\r\n",     /* no line end after the data */
		"-5\r\nhello\r\n",
	};
	char buf[256];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s", h, bad[i]);
		assert_http_error(buf, true);
	}
	/* an endless chunk-size line */
	char *longline = malloc(4096 + strlen(h) + 1);
	strcpy(longline, h);
	memset(longline + strlen(h), '0', 4096);
	longline[strlen(h) + 4096] = '\0';
	assert_http_error(longline, false);
	free(longline);
}

static void test_http_hostile_headers(void **state)
{
	/* one line over the line limit */
	size_t n = CHECK_HTTP_MAX_LINE + 64;
	char *big = malloc(n + 64);
	strcpy(big, "HTTP/1.1 200 OK\r\nX-Big: ");
	size_t l = strlen(big);
	memset(big + l, 'a', n - l);
	strcpy(big + n, "\r\n\r\n");
	assert_http_error(big, false);
	free(big);

	/* many lines below the line limit but over the header total */
	size_t total = CHECK_HTTP_MAX_HEADER_BYTES + 8192;
	char *many = malloc(total + 8192);
	strcpy(many, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; strlen(many) < total; i++) {
		size_t at = strlen(many);
		snprintf(many + at, total + 8192 - at, "X-%d: %0*d\r\n", i, 4000, 0);
	}
	strcat(many, "\r\n");
	struct parsed r = parse_all(many, false);
	assert_int_equal(r.rc, CHECK_HTTP_ERROR);
	assert_string_equal(r.error, "response header too large");
	free(many);

	/* too many header lines */
	char *lines = malloc(32 * (CHECK_HTTP_MAX_HEADERS + 2) + 64);
	strcpy(lines, "HTTP/1.1 200 OK\r\n");
	for (int i = 0; i <= CHECK_HTTP_MAX_HEADERS; i++)
		sprintf(lines + strlen(lines), "X-H%d: v\r\n", i);
	strcat(lines, "\r\n");
	r = parse_all(lines, false);
	assert_int_equal(r.rc, CHECK_HTTP_ERROR);
	assert_string_equal(r.error, "too many header lines");
	free(lines);

	/* malformed lines and a NUL byte */
	assert_http_error("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", false);
	assert_http_error("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", false);
	assert_http_error("HTTP/1.1 200 OK\r\nName : space before colon\r\n\r\n", false);
	struct parsed z = parse_cuts("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", 27, NULL, 0, false);
	assert_int_equal(z.rc, CHECK_HTTP_ERROR);
	/* after an error, more input changes nothing */
	struct check_http_parser *hp = malloc(sizeof(*hp));
	assert_int_equal(check_http_parser_init(hp, 0), 0);
	assert_int_equal(check_http_parse(hp, "garbage\r\n", 9), CHECK_HTTP_ERROR);
	assert_int_equal(check_http_parse(hp, "HTTP/1.1 200 OK\r\n\r\n", 19), CHECK_HTTP_ERROR);
	assert_int_equal(check_http_parse_eof(hp), CHECK_HTTP_ERROR);
	check_http_parser_free(hp);
	free(hp);
}

/* ---- HTTP: request, host, regex, verdict ------------------------------------------- */

static void test_http_request(void **state)
{
	char buf[512], host[128];
	struct ka_addr a;
	assert_int_equal(ka_addr_parse("192.0.2.1", false, &a), 0);
	check_http_host(host, sizeof(host), NULL, &a, 80, false);
	assert_string_equal(host, "192.0.2.1");
	check_http_host(host, sizeof(host), NULL, &a, 8080, false);
	assert_string_equal(host, "192.0.2.1:8080");
	check_http_host(host, sizeof(host), NULL, &a, 443, true);
	assert_string_equal(host, "192.0.2.1");
	check_http_host(host, sizeof(host), NULL, &a, 80, true);
	assert_string_equal(host, "192.0.2.1:80");
	assert_int_equal(ka_addr_parse("2001:db8::1", false, &a), 0);
	check_http_host(host, sizeof(host), NULL, &a, 8443, true);
	assert_string_equal(host, "[2001:db8::1]:8443");
	check_http_host(host, sizeof(host), NULL, &a, 80, false);
	assert_string_equal(host, "[2001:db8::1]");
	check_http_host(host, sizeof(host), "www.example.com", &a, 8080, false);
	assert_string_equal(host, "www.example.com");

	int n = check_http_request(buf, sizeof(buf), "/status", "h", CHECK_HTTP_1_0);
	assert_string_equal(buf, "GET /status HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
				 "Host: h\r\n\r\n");
	assert_int_equal(n, (int)strlen(buf));
	check_http_request(buf, sizeof(buf), "/", "h:81", CHECK_HTTP_1_0C);
	assert_string_equal(buf, "GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
				 "Host: h:81\r\nConnection: close\r\n\r\n");
	check_http_request(buf, sizeof(buf), "/x?y=1", "[::1]", CHECK_HTTP_1_1);
	assert_string_equal(buf, "GET /x?y=1 HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\n"
				 "Host: [::1]\r\nConnection: close\r\n\r\n");
	/* too small a buffer: the length needed is returned */
	assert_true(check_http_request(buf, 8, "/", "h", 0) > 8);
}

static int rx(const char *re, const char *body, size_t len, size_t min, size_t max)
{
	char why[128] = "";
	return check_http_regex(re, false, false, (const uint8_t *)body, len, min, max, why,
				sizeof(why));
}

static void test_http_regex(void **state)
{
	const char *b = "<html><body>status: OK</body></html>";
	size_t n = strlen(b);
	assert_int_equal(rx("status: (OK|GOOD)", b, n, 0, 0), 1);
	assert_int_equal(rx("status: FAIL", b, n, 0, 0), 0);
	assert_int_equal(rx("^<html>", b, n, 0, 0), 1);
	/* offsets: the match must start within [min, max] */
	assert_int_equal(rx("status", b, n, 12, 0), 1);
	assert_int_equal(rx("status", b, n, 13, 0), 0);
	assert_int_equal(rx("status", b, n, 0, 12), 1);
	assert_int_equal(rx("status", b, n, 0, 11), 0);
	assert_int_equal(rx("status", b, n, 100, 0), 0);
	/* NUL bytes in the body do not end it */
	assert_int_equal(rx("after", "before\0after", 12, 0, 0), 1);
	assert_int_equal(rx("x*", "", 0, 0, 0), 1);
	/* case folding maps PCRE2 caseless */
	char why[128];
	assert_int_equal(check_http_regex("STATUS", true, false, (const uint8_t *)b, n, 0, 0, why,
					  sizeof(why)), 1);
	assert_int_equal(rx("(unclosed", b, n, 0, 0), -1);
}

static struct check_url url_200(void)
{
	struct check_url u = { .path = "/" };
	return u;
}

static enum check_result verdict(const struct check_url *u, const char *resp, char *why)
{
	struct check_http_parser *hp = malloc(sizeof(*hp));
	assert_int_equal(check_http_parser_init(hp, check_http_keep(u)), 0);
	assert_int_equal(check_http_parse(hp, resp, strlen(resp)), CHECK_HTTP_DONE);
	enum check_result r = check_http_verdict(u, hp, why, 160);
	check_http_parser_free(hp);
	free(hp);
	return r;
}

static void test_http_verdict(void **state)
{
	char why[160];
	const char *ok = "HTTP/1.0 200 OK\r\nContent-Length: 11\r\n\r\nhello world";
	const char *nf = "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n";
	struct check_url u = url_200();
	assert_int_equal(verdict(&u, ok, why), CHECK_OK);
	assert_int_equal(verdict(&u, nf, why), CHECK_L7STS);
	assert_string_equal(why, "HTTP status 404");
	/* status_code 404 only */
	u.has_status = true;
	u.status[(404 - CHECK_STATUS_MIN) / 8] |= 1u << ((404 - CHECK_STATUS_MIN) % 8);
	assert_int_equal(verdict(&u, nf, why), CHECK_OK);
	assert_int_equal(verdict(&u, ok, why), CHECK_L7STS);
	/* digest */
	u = url_200();
	u.has_digest = true;
	memcpy(u.digest, "\x5e\xb6\x3b\xbb\xe0\x1e\xee\xd0\x93\xcb\x22\xbb\x8f\x5a\xcd\xc3", 16);
	assert_int_equal(verdict(&u, ok, why), CHECK_OK);
	u.digest[0] ^= 1;
	assert_int_equal(verdict(&u, ok, why), CHECK_L7DIGEST);
	assert_non_null(strstr(why, MD5_HELLO_WORLD));
	/* regex and regex_no_match */
	u = url_200();
	u.regex = "wor.d";
	assert_int_equal(verdict(&u, ok, why), CHECK_OK);
	u.regex_no_match = true;
	assert_int_equal(verdict(&u, ok, why), CHECK_L7REGEX);
	u.regex = "planet";
	assert_int_equal(verdict(&u, ok, why), CHECK_OK);
	u.regex_no_match = false;
	assert_int_equal(verdict(&u, ok, why), CHECK_L7REGEX);
	u.regex = "[";
	assert_int_equal(verdict(&u, ok, why), CHECK_L7REGEX);
}

/* ---- SMTP ------------------------------------------------------------------------------ */

static int smtp(const char *in, unsigned *code, size_t *used, const char **err)
{
	struct check_smtp_reply r;
	check_smtp_reply_init(&r);
	int rc = check_smtp_reply_feed(&r, in, strlen(in), used);
	*code = r.code;
	*err = r.error;
	return rc;
}

static void test_smtp_replies(void **state)
{
	unsigned code;
	size_t used;
	const char *err;
	assert_int_equal(smtp("220 mx.example ESMTP ready\r\n", &code, &used, &err),
			 CHECK_SMTP_DONE);
	assert_int_equal(code, 220);
	const char *multi = "250-mx.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 HELP\r\n"
			    "221 next";
	assert_int_equal(smtp(multi, &code, &used, &err), CHECK_SMTP_DONE);
	assert_int_equal(code, 250);
	assert_int_equal(used, strlen(multi) - strlen("221 next"));
	assert_int_equal(smtp("250-a\r\n250-b\r\n", &code, &used, &err), CHECK_SMTP_MORE);
	assert_int_equal(smtp("250\r\n", &code, &used, &err), CHECK_SMTP_DONE);
	assert_int_equal(smtp("554 no service\n", &code, &used, &err), CHECK_SMTP_DONE);
	assert_int_equal(code, 554);

	static const char *const bad[] = { "250-a\r\n220 b\r\n", "hello\r\n", "25\r\n",
					   "250x\r\n", "150 hi\r\n", "2a0 x\r\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(smtp(bad[i], &code, &used, &err), CHECK_SMTP_ERROR);
		assert_non_null(err);
	}
	/* a line over the limit, too many lines */
	char *big = malloc(CHECK_SMTP_MAX_LINE + 16);
	memset(big, 'a', CHECK_SMTP_MAX_LINE + 10);
	memcpy(big, "250 ", 4);
	big[CHECK_SMTP_MAX_LINE + 10] = '\0';
	assert_int_equal(smtp(big, &code, &used, &err), CHECK_SMTP_ERROR);
	free(big);
	char many[8 * (CHECK_SMTP_MAX_LINES + 2)] = "";
	for (int i = 0; i <= CHECK_SMTP_MAX_LINES; i++)
		strcat(many, "250-x\r\n");
	assert_int_equal(smtp(many, &code, &used, &err), CHECK_SMTP_ERROR);

	/* byte by byte */
	struct check_smtp_reply r;
	check_smtp_reply_init(&r);
	int rc = CHECK_SMTP_MORE;
	for (const char *p = "250-one\r\n250 two\r\n"; *p; p++) {
		assert_int_equal(rc, CHECK_SMTP_MORE);
		rc = check_smtp_reply_feed(&r, p, 1, &used);
		assert_int_equal(used, 1);
	}
	assert_int_equal(rc, CHECK_SMTP_DONE);
	assert_string_equal(check_smtp_reply_text(&r), "two");

	char buf[64];
	assert_int_equal(check_smtp_helo(buf, sizeof(buf), "checker.example"), 22);
	assert_string_equal(buf, "HELO checker.example\r\n");
	assert_int_equal(check_smtp_helo(buf, sizeof(buf), "evil\r\nRCPT TO"), -1);
}

/* ---- DNS ---------------------------------------------------------------------------------- */

static void test_dns_query(void **state)
{
	uint8_t q[CHECK_DNS_MAX_QUERY];
	int n = check_dns_query(q, sizeof(q), 0x1234, 6, ".");
	static const uint8_t root_soa[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
					    0, 0, 6, 0, 1 };
	assert_int_equal(n, sizeof(root_soa));
	assert_memory_equal(q, root_soa, sizeof(root_soa));
	n = check_dns_query(q, sizeof(q), 1, 1, "www.example.com.");
	static const uint8_t name[] = "\3www\7example\3com";
	assert_int_equal(n, 12 + sizeof(name) + 4);
	assert_memory_equal(q + 12, name, sizeof(name));
	assert_int_equal(check_dns_query(q, sizeof(q), 1, 1, "www.example.com"), n);
	assert_int_equal(check_dns_query(q, sizeof(q), 1, 1, "a..b"), -1);
	assert_int_equal(check_dns_query(q, 10, 1, 1, "a"), -1);
	char label[80];
	memset(label, 'x', 64);
	label[64] = '\0';
	assert_int_equal(check_dns_query(q, sizeof(q), 1, 1, label), -1);
	label[63] = '\0';
	assert_true(check_dns_query(q, sizeof(q), 1, 1, label) > 0);
	char longname[320] = "";
	for (int i = 0; i < 60; i++)
		strcat(longname, "abcd.");
	assert_int_equal(check_dns_query(q, sizeof(q), 1, 1, longname), -1);
}

/* A reply to q: header flags, the question copied, and an A record whose
 * name points at the question (offset 12). */
static size_t make_reply(const uint8_t *q, size_t qlen, uint8_t *r, uint8_t rcode)
{
	memcpy(r, q, qlen);
	r[2] = 0x81; /* QR, RD */
	r[3] = (uint8_t)(0x80 | rcode);
	r[7] = 1;    /* one answer */
	static const uint8_t ans[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1 };
	memcpy(r + qlen, ans, sizeof(ans));
	return qlen + sizeof(ans);
}

static void test_dns_reply(void **state)
{
	uint8_t q[CHECK_DNS_MAX_QUERY], r[512];
	int rcode;
	const char *why;
	size_t qlen = (size_t)check_dns_query(q, sizeof(q), 0xbeef, 1, "example.com");
	size_t n = make_reply(q, qlen, r, 0);
	assert_int_equal(check_dns_reply(r, n, q, qlen, &rcode, &why), CHECK_DNS_OK);
	/* the question in another case is the same question */
	r[13] = 'E';
	assert_int_equal(check_dns_reply(r, n, q, qlen, &rcode, &why), CHECK_DNS_OK);
	/* every cut of the datagram is refused */
	for (size_t cut = 0; cut < n; cut++)
		assert_int_not_equal(check_dns_reply(r, cut, q, qlen, &rcode, &why), CHECK_DNS_OK);
	/* wrong id, not a reply */
	r[1] ^= 1;
	assert_int_equal(check_dns_reply(r, n, q, qlen, &rcode, &why), CHECK_DNS_IGNORE);
	r[1] ^= 1;
	r[2] &= 0x7f;
	assert_int_equal(check_dns_reply(r, n, q, qlen, &rcode, &why), CHECK_DNS_IGNORE);
	/* RCODE 3 */
	n = make_reply(q, qlen, r, 3);
	assert_int_equal(check_dns_reply(r, n, q, qlen, &rcode, &why), CHECK_DNS_RCODE);
	assert_int_equal(rcode, 3);
	assert_string_equal(check_dns_rcode_str(rcode), "NXDOMAIN");
	/* another question */
	n = make_reply(q, qlen, r, 0);
	r[14] = 'z';
	assert_int_equal(check_dns_reply(r, n, q, qlen, &rcode, &why), CHECK_DNS_BAD);
	/* record data running past the end */
	n = make_reply(q, qlen, r, 0);
	r[n - 5] = 40;
	assert_int_equal(check_dns_reply(r, n, q, qlen, &rcode, &why), CHECK_DNS_BAD);
	/* more records announced than present */
	n = make_reply(q, qlen, r, 0);
	r[7] = 2;
	assert_int_equal(check_dns_reply(r, n, q, qlen, &rcode, &why), CHECK_DNS_BAD);
	/* compression: a pointer to itself, a forward pointer, a two-pointer loop */
	n = make_reply(q, qlen, r, 0);
	r[qlen] = 0xc0;
	r[qlen + 1] = (uint8_t)qlen;
	assert_int_equal(check_dns_reply(r, n, q, qlen, &rcode, &why), CHECK_DNS_BAD);
	r[qlen + 1] = (uint8_t)(qlen + 2);
	assert_int_equal(check_dns_reply(r, n, q, qlen, &rcode, &why), CHECK_DNS_BAD);
	uint8_t loop[64];
	memcpy(loop, r, 12);
	loop[5] = 1; /* one question ... */
	loop[7] = 0;
	loop[12] = 0xc0; loop[13] = 14; /* -> 14 */
	loop[14] = 0xc0; loop[15] = 12; /* -> 12 */
	assert_int_equal(check_dns_reply(loop, 20, q, qlen, &rcode, &why), CHECK_DNS_BAD);
	/* a header alone, garbage */
	assert_int_not_equal(check_dns_reply(r, 12, q, qlen, &rcode, &why), CHECK_DNS_OK);
	assert_int_equal(check_dns_reply((const uint8_t *)"x", 1, q, qlen, &rcode, &why),
			 CHECK_DNS_IGNORE);
}

/* ---- UDP pattern, FILE_CHECK weight, tables ----------------------------------------------- */

static void test_udp_match(void **state)
{
	uint8_t pat[] = { 0xab, 0x10, 0x00 }, mask[] = { 0xff, 0xf0, 0x00 };
	struct check_udp u = { .require_reply = true, .reply = pat, .reply_mask = mask,
			       .reply_len = 3, .min_reply_length = 0, .max_reply_length = 8 };
	char why[128];
	assert_true(check_udp_reply_ok(&u, (const uint8_t *)"\xab\x1f\x99", 3, why, sizeof(why)));
	assert_true(check_udp_reply_ok(&u, (const uint8_t *)"\xab\x10\x00\x01", 4, why, 128));
	assert_false(check_udp_reply_ok(&u, (const uint8_t *)"\xab\x20\x00", 3, why, 128));
	assert_false(check_udp_reply_ok(&u, (const uint8_t *)"\xab\x10", 2, why, 128));
	assert_false(check_udp_reply_ok(&u, (const uint8_t *)"\xab\x10\0\0\0\0\0\0\0", 9, why,
					128));
	u.reply_len = 0;
	u.min_reply_length = 2;
	assert_true(check_udp_reply_ok(&u, (const uint8_t *)"zz", 2, why, 128));
	assert_false(check_udp_reply_ok(&u, (const uint8_t *)"z", 1, why, 128));
}

static void test_file_outcome(void **state)
{
	struct check_outcome o = check_file_outcome(0, 0, false, 10);
	assert_int_equal(o.result, CHECK_OK);
	assert_int_equal(o.weight, -1);
	assert_int_equal(check_file_outcome(1, 0, false, 10).result, CHECK_L7STS);
	assert_int_equal(check_file_outcome(0, 0, true, 10).result, CHECK_L7STS);
	assert_int_equal(check_file_outcome(5, 0, true, 10).result, CHECK_OK);
	o = check_file_outcome(3, 5, false, 10);
	assert_int_equal(o.result, CHECK_OK);
	assert_int_equal(o.weight, 25);
	assert_int_equal(check_file_outcome(3, 5, true, 10).weight, 0); /* clipped */
	assert_int_equal(check_file_outcome(-2, 2, false, 10).weight, 6);
	assert_int_equal(check_file_outcome(100000, 254, false, 1).weight, 65535);
	assert_int_equal(check_file_outcome(-1000, 254, false, 1).result, CHECK_L7STS);
}

static void test_tables(void **state)
{
	assert_string_equal(check_result_str(CHECK_OK), "OK");
	assert_string_equal(check_result_str(CHECK_L7DIGEST), "L7DIGEST");
	assert_string_equal(check_result_str(CHECK_PROCTOUT), "PROCTOUT");
	assert_string_equal(check_result_str(CHECK_RESULT_MAX), "?");
	for (int k = 0; k < CHECK_KIND_COUNT; k++) {
		const struct check_probe_ops *ops = check_probe_ops_for((enum check_kind)k);
		assert_non_null(ops);
		assert_int_equal(ops->kind, k);
		assert_string_equal(ops->name, check_kind_name((enum check_kind)k));
		assert_non_null(ops->start);
		assert_non_null(ops->cancel);
	}
	assert_null(check_probe_ops_for(CHECK_KIND_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_status_line),
		cmocka_unit_test(test_http_content_length),
		cmocka_unit_test(test_http_chunked),
		cmocka_unit_test(test_http_until_close),
		cmocka_unit_test(test_http_kept_prefix),
		cmocka_unit_test(test_http_hostile_lengths),
		cmocka_unit_test(test_http_hostile_chunks),
		cmocka_unit_test(test_http_hostile_headers),
		cmocka_unit_test(test_http_request),
		cmocka_unit_test(test_http_regex),
		cmocka_unit_test(test_http_verdict),
		cmocka_unit_test(test_smtp_replies),
		cmocka_unit_test(test_dns_query),
		cmocka_unit_test(test_dns_reply),
		cmocka_unit_test(test_udp_match),
		cmocka_unit_test(test_file_outcome),
		cmocka_unit_test(test_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
