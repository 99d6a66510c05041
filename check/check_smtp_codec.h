/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_smtp_codec.h - SMTP reply reader and command builder for SMTP_CHECK */
#ifndef KA_CHECK_SMTP_CODEC_H
#define KA_CHECK_SMTP_CODEC_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Pure code, no I/O. A reply is one or more lines "NNN-text" ended by a line
 * "NNN text" (or just "NNN"), all with the same code (RFC 5321 4.2). Lines
 * end with CRLF; a bare LF is accepted. Lines longer than
 * CHECK_SMTP_MAX_LINE or replies of more than CHECK_SMTP_MAX_LINES lines are
 * errors, so a hostile server cannot make the checker buffer without limit.
 */

#define CHECK_SMTP_MAX_LINE 1024
#define CHECK_SMTP_MAX_LINES 100

enum check_smtp_rc {
	CHECK_SMTP_ERROR = -1, /* r->error says why */
	CHECK_SMTP_MORE = 0,
	CHECK_SMTP_DONE = 1,   /* r->code holds the reply code */
};

struct check_smtp_reply {
	unsigned code;      /* 0 until the first line is read */
	unsigned lines;
	const char *error;
	/* private */
	bool done, failed;
	size_t line_len;
	char line[CHECK_SMTP_MAX_LINE + 1];
	char text[64];      /* start of the last line's text, for messages */
};

/* Reset r for the next reply. */
void check_smtp_reply_init(struct check_smtp_reply *r);

/*
 * Feed bytes; *used is set to how many were consumed (all of them unless
 * the reply ended before the end of buf: the rest belongs to what follows).
 * Returns enum check_smtp_rc.
 */
int check_smtp_reply_feed(struct check_smtp_reply *r, const void *buf, size_t len, size_t *used);

/* Text of the final line after the code (truncated), for log messages. */
const char *check_smtp_reply_text(const struct check_smtp_reply *r);

/* "HELO <name>\r\n" into buf. Returns the length snprintf would produce, or
 * -1 when name holds a line end or control character. */
int check_smtp_helo(char *buf, size_t size, const char *name);

#endif
