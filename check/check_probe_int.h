/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_probe_int.h - plumbing shared by the checker kinds: attempt life cycle, sockets */
#ifndef KA_CHECK_PROBE_INT_H
#define KA_CHECK_PROBE_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ev.h"
#include "check/check_probe.h"

/*
 * Every kind's attempt starts with this struct. The plumbing owns the one
 * socket an attempt has at a time, the deadline timer and the report: a
 * kind calls check_attempt_finish() once (from start() or from a loop
 * callback), which releases the socket and timers at once and calls done
 * on the next loop iteration, so done never runs inside start(). cancel()
 * before that report frees everything silently.
 */
struct check_attempt {
	struct ev_loop *loop;
	const struct check_probe *p;  /* NULL for genhash's fetch */
	check_attempt_done_fn done;
	void *arg;
	int fd;                       /* -1 = none */
	struct ev_timer *deadline;
	struct ev_timer *report;
	enum check_result tout;       /* what the deadline means now */
	bool finished, reporting;
	struct check_outcome out;
	char detail[192];
	/* The kind's own resources (TLS, script job, sub-attempts); may be NULL. */
	void (*release)(struct check_attempt *a);
};

/* Allocate size bytes (the kind's struct, check_attempt first), zeroed,
 * with the base filled in and no socket. Never NULL. */
struct check_attempt *check_attempt_new(size_t size, struct ev_loop *loop,
					const struct check_probe *p, check_attempt_done_fn done,
					void *arg);

/* (Re)start the deadline: usec from now the attempt finishes with tout. */
void check_attempt_deadline(struct check_attempt *a, uint64_t usec, enum check_result tout);

/* Finish with r (weight -1 = unchanged); fmt gives the detail. The socket
 * and timers are released now, done is called from the loop. Only the
 * first call counts. */
void check_attempt_finish(struct check_attempt *a, enum check_result r, int weight,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The ops .cancel of every kind: free an attempt not yet reported. */
void check_attempt_cancel(struct check_attempt *a);

/* Hand fd to the attempt and watch it (closed at finish or cancel). On
 * failure fd is closed and the attempt finishes with SOCKERR; -1. */
int check_attempt_watch(struct check_attempt *a, int fd, unsigned events, ev_fd_cb cb);

/*
 * A socket towards c's connect_ip/connect_port: non-blocking, close-on-exec,
 * with SO_MARK (fwmark), SO_BINDTODEVICE (bind_if), bind (bindto,
 * bind_port) applied, then connect() started when do_connect. Returns the
 * fd (a TCP connect may still be in progress), or -1 with *res (SOCKERR for
 * local problems, L4CON when connect is refused at once) and a reason.
 */
int check_sock_open(const struct check_conn *c, int type, int proto, bool do_connect,
		    enum check_result *res, char *why, size_t wlen);

/* sockaddr for addr/port; returns its length (0 for AF_UNSPEC). */
socklen_t check_sockaddr(const struct ka_addr *addr, unsigned port,
			 struct sockaddr_storage *ss);

/* Pending error of a socket (SO_ERROR): 0 or an errno value. */
int check_sock_error(int fd);

/* Result for a failed connect or send: refused/unreachable are L4CON. */
enum check_result check_errno_result(int err);

/* The environment set by check_probe_set_env(). Never NULL. */
const struct check_probe_env *check_probe_env(void);

/* A UDP_CHECK reply against require_reply's pattern and the length bounds.
 * Returns true when it passes, else false with a reason. Pure. */
bool check_udp_reply_ok(const struct check_udp *u, const uint8_t *buf, size_t len, char *why,
			size_t wlen);

/*
 * Outcome of FILE_CHECK for a file value: weight 0 makes any value other
 * than 0 a failure (reverse: 0 is the failure) and leaves the weight alone;
 * otherwise value * weight (negated by reverse) is the contribution: at or
 * below -65536 it fails, else base (the real server's configured weight)
 * plus the contribution, clipped to 0..65535, is the new weight. Pure;
 * detail is left empty.
 */
struct check_outcome check_file_outcome(long long value, int weight, bool reverse, int base);

extern const struct check_probe_ops check_tcp_ops, check_http_ops, check_ssl_ops,
	check_smtp_ops, check_dns_ops, check_udp_ops, check_ping_ops, check_misc_ops,
	check_file_ops, check_bfd_ops;

#endif
