/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_probe.h - one attempt of a health check: the ops every checker kind implements */
#ifndef KA_CHECK_PROBE_H
#define KA_CHECK_PROBE_H

#include <stdbool.h>

#include "check/check_cfg.h"

struct ev_loop;
struct vrrp_cfg;
struct script_ident;
struct check_bfd_states;

/*
 * The checker runtime (check_run.c) owns timing: warmup, delay_loop, retry
 * and delay_before_retry, up/down decisions, sharing of identical probes.
 * A checker kind only knows how to run ONE attempt against a target and
 * report how it went, once, through the event loop. One file per kind
 * (check_tcp.c, check_http.c, ...), each exporting a const ops struct,
 * listed in check_probe_ops_for().
 *
 * Result codes are shared by logs, dumps, SNMP and mails.
 */
enum check_result {
	CHECK_OK,          /* "OK"      */
	CHECK_L4TOUT,      /* "L4TOUT"  connect timed out */
	CHECK_L4CON,       /* "L4CON"   refused, unreachable, reset */
	CHECK_SOCKERR,     /* "SOCKERR" local socket/bind error */
	CHECK_L6TOUT,      /* "L6TOUT"  TLS handshake timed out */
	CHECK_L6RSP,       /* "L6RSP"   TLS error */
	CHECK_L7TOUT,      /* "L7TOUT"  no (complete) reply in time */
	CHECK_L7RSP,       /* "L7RSP"   malformed or unexpected reply */
	CHECK_L7STS,       /* "L7STS"   HTTP status / SMTP code / DNS rcode not accepted */
	CHECK_L7DIGEST,    /* "L7DIGEST" body digest mismatch */
	CHECK_L7REGEX,     /* "L7REGEX" body regex failed */
	CHECK_PROCERR,     /* "PROCERR" script exited non-zero / could not run */
	CHECK_PROCTOUT,    /* "PROCTOUT" script timed out */
	CHECK_RESULT_MAX
};

const char *check_result_str(enum check_result r);

/* Outcome of one attempt. weight is for MISC_CHECK misc_dynamic and
 * FILE_CHECK: the real server's new weight, or -1 for "unchanged". detail
 * is a short human text for logs ("HTTP status 503", "connection refused"),
 * valid only during the callback. */
struct check_outcome {
	enum check_result result;
	int weight;
	const char *detail;
};

typedef void (*check_attempt_done_fn)(void *arg, const struct check_outcome *o);

struct check_attempt; /* opaque, per kind */

struct check_probe_ops {
	enum check_kind kind;
	const char *name; /* "TCP_CHECK", "HTTP_GET", ... */
	/*
	 * Start one attempt of probe p (its real server is p->rs, virtual
	 * server p->rs->vs). connect_timeout bounds the WHOLE attempt (not
	 * each read; HTTP_GET and SSL_GET give it to each url in turn, as
	 * each url is a request of its own). done is called exactly once,
	 * from the loop and never from inside start(), unless the attempt is
	 * cancelled first. Returns NULL only if nothing could be started;
	 * then done is still called once through the loop with
	 * CHECK_SOCKERR. (The kinds here never return NULL: a failure to
	 * start is reported through done like any other result.)
	 */
	struct check_attempt *(*start)(struct ev_loop *loop, const struct check_probe *p,
				       check_attempt_done_fn done, void *arg);
	/* Stop an attempt in flight; done is not called afterwards. */
	void (*cancel)(struct check_attempt *a);
};

/* The ops for a kind, or NULL if the kind has no implementation. */
const struct check_probe_ops *check_probe_ops_for(enum check_kind kind);

/*
 * What some probes need from outside their own block. The checker process
 * sets it at start and after each reload; pointers are borrowed and must
 * stay valid until the next call. Unset (or NULL), BFD_CHECK knows no
 * session state (the alpha rule holds), FILE_CHECK fails with
 * PROCERR, SSL_GET uses no client certificate and MISC_CHECK scripts naming
 * no user run as the checker process itself.
 */
struct check_probe_env {
	const struct vrrp_cfg *vrrp;      /* FILE_CHECK: where track_file NAME is defined */
	const struct check_ssl *ssl;      /* SSL_GET: the SSL { } block (certificate, key, CA) */
	const struct script_ident *script_ident; /* MISC_CHECK scripts naming no user */
	bool script_supplementary;        /* global set_supplementary_groups */
	bool script_security;             /* enable_script_security: refuse unsafe scripts */
	const struct check_bfd_states *bfd; /* BFD_CHECK: session states (check_bfd.h) */
};

/* Copy env (NULL = all unset, and the TLS context is freed). Attempts
 * already running are not affected: a changed SSL block applies to new TLS
 * connections only. */
void check_probe_set_env(const struct check_probe_env *env);

#endif
