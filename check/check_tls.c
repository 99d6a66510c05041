/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_tls.c - non-blocking TLS client sessions for SSL_GET and genhash */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "ev.h"
#include "log.h"
#include "check/check_probe_int.h"
#include "check/check_tls.h"

/* Built lazily, dropped by check_tls_reset(); sessions hold their own
 * reference, so dropping it never pulls the rug from under one. */
static SSL_CTX *tls_ctx;

static void why_ssl(char *why, size_t wlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[160] = "";
	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	snprintf(why, wlen, "%s%s%s", what, *buf ? ": " : "", buf);
	ERR_clear_error();
}

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	const char *pw = u;
	if (!pw || size <= 0)
		return 0;
	int n = (int)strlen(pw);
	if (n >= size)
		n = size - 1;
	memcpy(buf, pw, (size_t)n);
	buf[n] = '\0';
	return n;
}

/* The SSL { } block: certificate, key (with password) and CA file. */
static int ctx_load(SSL_CTX *c, const struct check_ssl *s, char *why, size_t wlen)
{
	if (!s || !s->set)
		return 0;
	if (s->password) {
		SSL_CTX_set_default_passwd_cb(c, pass_cb);
		SSL_CTX_set_default_passwd_cb_userdata(c, s->password);
	}
	if (s->certificate && SSL_CTX_use_certificate_chain_file(c, s->certificate) != 1) {
		why_ssl(why, wlen, "SSL certificate");
		return -1;
	}
	if (s->key && SSL_CTX_use_PrivateKey_file(c, s->key, SSL_FILETYPE_PEM) != 1) {
		why_ssl(why, wlen, "SSL key");
		return -1;
	}
	if (s->ca && SSL_CTX_load_verify_locations(c, s->ca, NULL) != 1) {
		why_ssl(why, wlen, "SSL ca");
		return -1;
	}
	return 0;
}

static SSL_CTX *ctx_get(char *why, size_t wlen)
{
	if (tls_ctx)
		return tls_ctx;
	SSL_CTX *c = SSL_CTX_new(TLS_client_method());
	if (!c) {
		why_ssl(why, wlen, "TLS context");
		return NULL;
	}
	SSL_CTX_set_verify(c, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_options(c, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (ctx_load(c, check_probe_env()->ssl, why, wlen) < 0) {
		SSL_CTX_free(c);
		return NULL;
	}
	tls_ctx = c;
	return c;
}

void check_tls_reset(void)
{
	SSL_CTX_free(tls_ctx);
	tls_ctx = NULL;
}

struct ssl_st *check_tls_new(int fd, const char *sni, char *why, size_t wlen)
{
	SSL_CTX *c = ctx_get(why, wlen);
	if (!c)
		return NULL;
	SSL *s = SSL_new(c);
	if (!s || SSL_set_fd(s, fd) != 1 || (sni && SSL_set_tlsext_host_name(s, sni) != 1)) {
		why_ssl(why, wlen, "TLS session");
		SSL_free(s);
		return NULL;
	}
	SSL_set_connect_state(s);
	return s;
}

/* Classify a failed SSL_* call: -1 repeat (want set), 0 clean end, -2 error. */
static int step_error(SSL *s, int ret, unsigned *want, char *why, size_t wlen, const char *what)
{
	int e = SSL_get_error(s, ret);
	switch (e) {
	case SSL_ERROR_WANT_READ:
		*want = EV_READ;
		return -1;
	case SSL_ERROR_WANT_WRITE:
		*want = EV_WRITE;
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		if (!ERR_peek_error()) {
			snprintf(why, wlen, "%s: %s", what,
				 errno ? strerror(errno) : "connection closed");
			return -2;
		}
		/* fall through */
	default:
		why_ssl(why, wlen, what);
		return -2;
	}
}

int check_tls_handshake(struct ssl_st *s, unsigned *want, char *why, size_t wlen)
{
	ERR_clear_error();
	errno = 0;
	int r = SSL_connect(s);
	if (r == 1)
		return 1;
	int k = step_error(s, r, want, why, wlen, "TLS handshake");
	if (k == 0)
		snprintf(why, wlen, "TLS handshake: connection closed");
	return k == -1 ? 0 : -1;
}

ssize_t check_tls_read(struct ssl_st *s, void *buf, size_t len, unsigned *want, char *why,
		       size_t wlen)
{
	size_t n = 0;
	ERR_clear_error();
	errno = 0;
	int r = SSL_read_ex(s, buf, len, &n);
	if (r == 1)
		return (ssize_t)n;
	return step_error(s, r, want, why, wlen, "TLS read");
}

ssize_t check_tls_write(struct ssl_st *s, const void *buf, size_t len, unsigned *want,
			char *why, size_t wlen)
{
	size_t n = 0;
	ERR_clear_error();
	errno = 0;
	int r = SSL_write_ex(s, buf, len, &n);
	if (r == 1)
		return (ssize_t)n;
	int k = step_error(s, r, want, why, wlen, "TLS write");
	if (k == 0)
		snprintf(why, wlen, "TLS write: connection closed");
	return k == -1 ? -1 : -2;
}

void check_tls_close(struct ssl_st *s, bool notify)
{
	if (!s)
		return;
	if (notify) {
		ERR_clear_error();
		SSL_shutdown(s);
	}
	ERR_clear_error();
	SSL_free(s);
}
