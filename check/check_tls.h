/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_tls.h - non-blocking TLS client sessions for SSL_GET and genhash */
#ifndef KA_CHECK_TLS_H
#define KA_CHECK_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * One OpenSSL client context per process, built on first use from the SSL
 * { } block of the probes' environment (client certificate, key and its
 * password, CA file). As keepalived does, the server's certificate is not
 * verified: the checks test that a service answers, not who it is. (A
 * verifying option could be added later.) A peer closing without
 * close_notify is treated as a normal end of data, since many HTTP/1.0
 * servers do so.
 *
 * The functions below take a non-blocking socket; "want" is set to EV_READ
 * or EV_WRITE when the call must be repeated once the socket is ready.
 */
struct ssl_st;

/* A session on connected fd, with SNI when sni is not NULL. NULL with why. */
struct ssl_st *check_tls_new(int fd, const char *sni, char *why, size_t wlen);

/* Handshake step: 1 done, 0 repeat when *want is ready, -1 failed (why). */
int check_tls_handshake(struct ssl_st *s, unsigned *want, char *why, size_t wlen);

/* Read/write step: bytes (> 0), 0 end of data (read only), -1 repeat when
 * *want is ready, -2 failed (why). */
ssize_t check_tls_read(struct ssl_st *s, void *buf, size_t len, unsigned *want, char *why,
		       size_t wlen);
ssize_t check_tls_write(struct ssl_st *s, const void *buf, size_t len, unsigned *want,
			char *why, size_t wlen);

/* Send close_notify when notify (one try, no wait for the peer's) and free.
 * NULL is fine. */
void check_tls_close(struct ssl_st *s, bool notify);

/* Drop the context so that the next session rebuilds it (SSL block changed). */
void check_tls_reset(void);

#endif
