/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_notify.h - checker events to the outside: notify scripts, event FIFOs, alert hook */
#ifndef KA_CHECK_NOTIFY_H
#define KA_CHECK_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "check/check_cfg.h"

struct ev_loop;
struct global_cfg;
struct check_notify;

/*
 * Text forms shared by logs, FIFO lines, dumps and mails, as keepalived
 * writes them: a virtual server is "[10.0.0.100]:tcp:80", "FWM 7" or
 * "[group-name]:0"; a real server "[10.0.0.2]:tcp:80" (the protocol is
 * its virtual server's). Return buf.
 */
#define CHECK_NAME_LEN (KA_ADDR_STRLEN + 96)
const char *check_notify_vs_str(const struct check_vs *vs, char *buf, size_t len);
const char *check_notify_rs_str(const struct check_rs *rs, char *buf, size_t len);

/*
 * Alert hook (SMTP): called on every real server transition (rs set) and
 * every quorum transition of a virtual server (rs NULL). detail is a short
 * reason ("TCP_CHECK: L4CON (connection refused)"), valid during the call.
 * The mail module decides from smtp_alert settings whether to send.
 */
typedef void (*check_alert_fn)(void *arg, const struct check_vs *vs, const struct check_rs *rs,
			       bool up, const char *detail);

/*
 * Open notify_fifo and lvs_notify_fifo when configured (created if absent,
 * opened read-write and non-blocking so an absent reader never blocks us)
 * and start their *_fifo_script with the FIFO path as last argument. g
 * must stay valid until the next reload or stop. Never NULL.
 */
struct check_notify *check_notify_new(struct ev_loop *loop, const struct global_cfg *g);

/* New globals: FIFOs whose path, owner or script changed are reopened. */
void check_notify_reload(struct check_notify *n, const struct global_cfg *g);

/* Shutdown (the loop has ended): wait up to CHECK_NOTIFY_STOP_WAIT_US for
 * running scripts (omega notifies), SIGTERM the rest and the FIFO
 * scripts, close the FIFOs and free n. NULL is fine. */
#define CHECK_NOTIFY_STOP_WAIT_US 1000000ull
void check_notify_stop(struct check_notify *n);

void check_notify_set_alert(struct check_notify *n, check_alert_fn fn, void *arg);

/* A second observer of the same transitions, called after the alert hook:
 * SNMP notifications (check/check_snmp.h). NULL fn removes it. */
void check_notify_set_trap(struct check_notify *n, check_alert_fn fn, void *arg);

/*
 * A real server of a virtual server became alive (up) or dead: its
 * notify_up / notify_down script (no arguments, as keepalived), the FIFO
 * line "RS [ip]:proto:port [vs] UP|DOWN", the alert hook. rs is only read
 * during the call.
 */
void check_notify_rs(struct check_notify *n, const struct check_rs *rs, bool up,
		     const char *detail);

/* A virtual server gained (up) or lost its quorum: quorum_up /
 * quorum_down, "VS [vs] UP|DOWN", the alert hook. */
void check_notify_vs(struct check_notify *n, const struct check_vs *vs, bool up,
		     const char *detail);

/* Scripts started and FIFO lines written since start (dumps, tests). */
void check_notify_counters(const struct check_notify *n, unsigned long *scripts,
			   unsigned long *lines);

#endif
