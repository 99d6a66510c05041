/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_http.h - one HTTP(S) request over the event loop, and the url verdict of HTTP_GET */
#ifndef KA_CHECK_HTTP_H
#define KA_CHECK_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check/check_http_codec.h"
#include "check/check_probe.h"

/*
 * A fetch connects (TCP, then TLS when asked), sends one request and reads
 * the response into the caller's parser. HTTP_GET and SSL_GET run one
 * fetch per url; genhash runs one. The outcome is OK when a complete
 * response was parsed (whatever its status), else L4TOUT/L4CON/SOCKERR,
 * L6TOUT/L6RSP, L7TOUT/L7RSP with a reason.
 */
struct check_http_fetch_params {
	const struct check_conn *conn; /* where to connect, from where */
	uint64_t timeout;              /* µs for the whole fetch */
	bool tls;
	const char *sni;               /* server name sent in the handshake; NULL = none */
	bool close_notify;             /* tls_compliant: close TLS with close_notify */
	const char *request;           /* copied */
	size_t request_len;
	struct check_http_parser *hp;  /* initialised by the caller, must outlive the fetch */
};

/* Start a fetch; done is called once, from the loop, unless the returned
 * fetch is cancelled first with check_http_fetch_cancel(). Never NULL. */
struct check_attempt *check_http_fetch(struct ev_loop *loop,
				       const struct check_http_fetch_params *fp,
				       check_attempt_done_fn done, void *arg);

/* Cancel a fetch in flight (done is not called). NULL is fine. */
void check_http_fetch_cancel(struct check_attempt *f);

/*
 * Judge a complete response against url u, in keepalived's order: status in
 * the url's status_code set (200-299 by default), then the MD5 digest when
 * one is configured, then the regex (regex_no_match inverts it). Finalises
 * hp's digest. Returns CHECK_OK, CHECK_L7STS, CHECK_L7DIGEST or
 * CHECK_L7REGEX, with a reason in why.
 */
enum check_result check_http_verdict(const struct check_url *u, struct check_http_parser *hp,
				     char *why, size_t wlen);

/* Body bytes a parser must keep for u's regex (0 when it has none). */
size_t check_http_keep(const struct check_url *u);

#endif
