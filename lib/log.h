/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.h - logging to syslog, console and files, with rate limiting */
#ifndef KA_LOG_H
#define KA_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

/*
 * Each process calls log_init() with its syslog ident ("Keepalived",
 * "Keepalived_vrrp", "Keepalived_healthcheckers"). Messages go to syslog
 * (facility from -S) unless -G, to stderr with -l, and to a file with -g.
 */
struct log_opts {
	int facility;       /* LOG_DAEMON by default (-S) */
	bool console;       /* -l: also stderr */
	bool no_syslog;     /* -G */
	bool detail;        /* -D: log_debug() messages are emitted */
	const char *file;   /* -g FILE: per-process suffix inserted before the last '.' */
	const char *suffix; /* "_vrrp", "_healthcheckers" or NULL (parent) */
};

void log_init(const char *ident, const struct log_opts *opts);
void log_close(void);
void log_set_detail(bool on);
bool log_detail(void);

/* Parse a -S value: 0-7 (local0-7), "local0".."local7", "user", "daemon".
 * Returns the facility or -1. */
int log_facility_parse(const char *s);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* + ": strerror(errno)" */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(int prio, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Log at LOG_ERR (+ strerror for fatal) and exit(code). */
void fatal(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void fatalx(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/*
 * Rate limiting for messages that an outsider can trigger at will (bad
 * packets, failing probes): at most `burst` messages per `interval_us`;
 * the rest are counted and reported as "N similar messages suppressed" when
 * the next window opens. One struct per message site or per object.
 */
struct log_rl {
	uint64_t window_start; /* µs, monotonic */
	unsigned count;        /* messages in this window */
	unsigned suppressed;   /* dropped in this window */
};

/* Decide at time now_us whether a message may go out; if a window closed
 * with suppressed messages, *report is set to how many (else 0) so the
 * caller can say so. Pure: no I/O (unit-tested). */
bool log_rl_allow(struct log_rl *rl, uint64_t now_us, unsigned burst, uint64_t interval_us,
		  unsigned *report);

/* Log through a limiter: default 10 messages per 5 s. */
void log_rl_msg(struct log_rl *rl, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Keep messages in memory (up to 16, in order, with the time each was
 * logged) until the matching log_release(), which writes them. For a few
 * hundred microseconds that must not wait for log I/O, such as the path
 * from a master-down timer to the first gratuitous ARP. Nests.
 */
void log_hold(void);
void log_release(void);

/* Test hook: send formatted lines to fn instead of syslog/console. */
void log_set_sink(void (*fn)(int prio, const char *line, void *arg), void *arg);

#endif
