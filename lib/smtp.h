/* SPDX-License-Identifier: GPL-2.0-or-later */
/* smtp.h - alert mail client on the event loop: reply parser, message builder, send queue */
#ifndef KA_SMTP_H
#define KA_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "addr.h"

struct ev_loop;

/*
 * Plain SMTP (RFC 5321) to one relay, as keepalived does it: no TLS, no
 * AUTH. Everything runs on the caller's event loop and never blocks it:
 *
 *  - A relay given as a host name is resolved per mail by a short-lived
 *    forked helper that runs getaddrinfo() and writes the addresses back
 *    through a pipe (the loop watches the pipe and reaps the helper), so a
 *    slow or dead DNS server costs nothing but that mail's time budget.
 *    Every resolved address is tried in turn until one accepts the
 *    connection. An IP address is used as is.
 *  - The session timeout (smtp_connect_timeout) bounds the WHOLE session:
 *    resolution, connection and dialogue.
 *  - Dialogue: greeting, EHLO (HELO if EHLO gets a 5xx), MAIL FROM, one
 *    RCPT TO per recipient (a rejected recipient is logged and the others
 *    still get the mail; all rejected aborts), DATA, the message, QUIT.
 *  - At most SMTP_MAX_SESSIONS mails are in flight; further mails wait in
 *    order, up to SMTP_QUEUE_MAX (beyond, new mails are dropped and logged,
 *    so a flapping instance with a dead relay cannot eat memory).
 *  - Each mail gets one attempt, plus ONE retry SMTP_RETRY_DELAY_US later
 *    when the relay could not be reached at all (resolution failure,
 *    connection refused or timed out, closed before its greeting). A relay
 *    that answered and refused is not retried.
 *  - Every failure is logged with the relay and, when there is one, the
 *    relay's reply text.
 */

/* Longest reply line we accept, CRLF included (RFC 5321 allows 512). */
#define SMTP_LINE_MAX 1000
/* Longest whole (multi-line) reply we buffer: EHLO lists are long. */
#define SMTP_REPLY_MAX 8192
/* Reply text kept for logs: the lines joined by " / ", truncated. */
#define SMTP_TEXT_MAX 512

#define SMTP_MAX_SESSIONS 4
#define SMTP_QUEUE_MAX 64
#define SMTP_RETRY_DELAY_US (30 * 1000000ull)
#define SMTP_DEFAULT_TIMEOUT_US (30 * 1000000ull)

/* ---- pure helpers (no I/O, unit-tested) ------------------------------------ */

struct smtp_reply {
	int code;                  /* 200..599 */
	unsigned lines;            /* 1 for a single-line reply */
	char text[SMTP_TEXT_MAX];  /* the text after the codes, lines joined by " / " */
};

/*
 * Parse the reply at the start of buf[0..len). A reply is one or more lines
 * "DDD-text" ending with one "DDD text" (or a bare "DDD"), every line with
 * the same code, ended by CRLF (a bare LF is tolerated). Returns the number
 * of bytes the whole reply spans (> 0), 0 when more input is needed, or -1
 * when the input is not an SMTP reply (bad code, codes that differ between
 * lines, a line longer than SMTP_LINE_MAX, a NUL byte); then *why is set to
 * a static description.
 */
ssize_t smtp_reply_parse(const char *buf, size_t len, struct smtp_reply *r, const char **why);

/* True if a 250 EHLO reply lists the keyword (e.g. "8BITMIME") as one of
 * its extension lines (case-insensitive, first word of a line). */
bool smtp_reply_has_ext(const char *buf, size_t len, const char *kw);

/*
 * The address to put in MAIL FROM / RCPT TO for an address as written in
 * the configuration: "a@b", "<a@b>" or "Display Name <a@b>". Copied into
 * buf. Returns 0, or -1 when nothing usable is there (empty, spaces or
 * control characters in the address, unbalanced brackets, too long).
 */
int smtp_addr_spec(const char *s, char *buf, size_t len);

/* RFC 5322 date of t in local time: "Tue, 05 Mar 2024 10:00:00 +0100".
 * Independent of the locale. Returns buf. */
const char *smtp_date(time_t t, char *buf, size_t len);

struct smtp_mail {
	const char *from;            /* header From, as written ("Name <a@b>" allowed) */
	const char *const *to;       /* recipients as written */
	size_t nto;
	const char *subject;         /* UTF-8; encoded (RFC 2047) if not ASCII */
	const char *body;            /* UTF-8 text, LF or CRLF line ends */
};

/*
 * The DATA payload of m: headers (From, To, Subject, Date, Message-ID,
 * X-Mailer, MIME-Version, Content-Type, Content-Transfer-Encoding), a blank
 * line, the body with CRLF line ends, lines over 998 bytes broken, lines
 * starting with '.' dot-stuffed, and the final ".\r\n" (so the payload ends
 * with "\r\n.\r\n"). CR and LF in header values become spaces (no header
 * injection). msgid is the Message-ID without brackets. Returns a malloc'ed
 * buffer (caller frees) and sets *len; *eightbit tells whether the body has
 * non-ASCII bytes (for BODY=8BITMIME).
 */
char *smtp_message_build(const struct smtp_mail *m, time_t now, const char *msgid,
			 size_t *len, bool *eightbit);

/* ---- the client ---------------------------------------------------------------- */

/* Where and how to send. Strings are copied by smtp_send(). */
struct smtp_server {
	struct ka_addr addr;         /* the relay's address, or AF_UNSPEC with host */
	const char *host;            /* host name to resolve, or NULL */
	uint16_t port;               /* 0 = 25 */
	const char *helo;            /* EHLO/HELO name */
	uint64_t timeout;            /* µs for the whole session; 0 = 30 s */
};

struct smtp_client;

/* Result of one mail, called once from the loop (never from smtp_send()).
 * why is NULL on success, else a short text valid during the call. */
typedef void (*smtp_done_fn)(void *arg, bool sent, const char *why);

/* A client on loop. Never NULL. */
struct smtp_client *smtp_client_new(struct ev_loop *loop);

/* Stop everything: sessions are closed, resolver helpers killed and
 * reaped, queued mails dropped without calling their done callbacks.
 * NULL is fine. */
void smtp_client_free(struct smtp_client *c);

/*
 * Shutdown, once the caller's loop has ended: send what is still queued
 * (e.g. the "Stopping" alerts the shutdown itself produced) on a private
 * loop, for at most usec. Sessions that were in flight start over (their
 * relay may see such a mail twice). Returns the number of mails left
 * unsent (logged); they stay queued, to be dropped by smtp_client_free().
 */
size_t smtp_client_flush(struct smtp_client *c, uint64_t usec);

/* Change the delay before the one retry after an unreachable relay;
 * 0 disables the retry (tests, tools). */
void smtp_client_set_retry(struct smtp_client *c, uint64_t usec);

/*
 * Queue mail m to srv. Everything is copied: the caller's strings may go
 * away (a configuration reload) while the mail is in flight. done (may be
 * NULL) is called with arg once the mail was accepted by the relay or
 * failed for good. Returns 0, or -1 (logged, done not called) when the mail
 * is unusable (no recipient with a usable address, bad From) or the queue
 * is full.
 */
int smtp_send(struct smtp_client *c, const struct smtp_server *srv, const struct smtp_mail *m,
	      smtp_done_fn done, void *arg);

/* Mails not finished yet (in flight, waiting or waiting to retry). */
size_t smtp_client_pending(const struct smtp_client *c);

#endif
