/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_http.c - libFuzzer target: HTTP response parser (split invariance) and SMTP replies */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_http_codec.h"
#include "check/check_smtp_codec.h"

struct result {
	int rc;
	unsigned status;
	uint64_t body_len;
	size_t kept_len;
	uint8_t md5[16];
};

/* Parse data in pieces of `step` bytes (0 = all at once), then the close
 * when eof. */
static struct result parse(const uint8_t *data, size_t len, size_t step, bool eof, size_t keep,
			   struct check_http_parser *hp)
{
	struct result r = { 0 };
	if (check_http_parser_init(hp, keep) < 0)
		abort();
	int rc = CHECK_HTTP_MORE;
	size_t pos = 0;
	do {
		size_t n = step && len - pos > step ? step : len - pos;
		rc = check_http_parse(hp, data + pos, n);
		pos += n;
	} while (pos < len);
	if (eof && rc == CHECK_HTTP_MORE)
		rc = check_http_parse_eof(hp);
	r.rc = rc;
	r.status = hp->status;
	r.body_len = hp->body_len;
	r.kept_len = hp->kept_len;
	if (rc == CHECK_HTTP_ERROR && !hp->error)
		abort();
	check_http_md5(hp, r.md5);
	if (rc == CHECK_HTTP_DONE && r.kept_len) {
		/* the kept prefix is searchable whatever it holds */
		char why[128];
		(void)check_http_regex("a(b|c)*d", false, false, hp->kept, hp->kept_len, 0, 0, why,
				       sizeof(why));
	}
	check_http_parser_free(hp);
	return r;
}

static void smtp(const uint8_t *data, size_t len)
{
	struct check_smtp_reply r;
	check_smtp_reply_init(&r);
	size_t pos = 0;
	while (pos < len) {
		size_t used;
		int rc = check_smtp_reply_feed(&r, data + pos, len - pos, &used);
		if (used > len - pos)
			abort();
		pos += used;
		if (rc == CHECK_SMTP_ERROR)
			break;
		if (rc == CHECK_SMTP_DONE) {
			if (r.code < 200 || r.code > 599)
				abort();
			check_smtp_reply_init(&r);
		}
	}
}

/* Byte 0: bit 7 SMTP instead of HTTP; bit 6 the connection closes at the
 * end; bits 0-5 the piece size for the second pass (0 = byte by byte). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct check_http_parser hp; /* 8 KiB line buffer: not on the stack */
	if (!size)
		return 0;
	uint8_t sel = data[0];
	data++;
	size--;
	if (sel & 0x80) {
		smtp(data, size);
		return 0;
	}
	bool eof = sel & 0x40;
	size_t step = (sel & 0x3f) ? (size_t)(sel & 0x3f) : 1;
	struct result a = parse(data, size, 0, eof, 64, &hp);
	struct result b = parse(data, size, step, eof, 64, &hp);
	if (a.rc != b.rc || a.status != b.status || a.body_len != b.body_len ||
	    a.kept_len != b.kept_len || memcmp(a.md5, b.md5, 16))
		abort();
	if (a.kept_len > 64 || a.kept_len > a.body_len)
		abort();
	return 0;
}
