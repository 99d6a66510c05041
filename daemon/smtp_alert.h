/* SPDX-License-Identifier: GPL-2.0-or-later */
/* smtp_alert.h - alert mails for VRRP and checker transitions: whether to send, and the texts */
#ifndef KA_SMTP_ALERT_H
#define KA_SMTP_ALERT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "vrrp/vrrp_notify.h"

struct ev_loop;
struct global_cfg;
struct vrrp_instance_cfg;
struct vrrp_sync_group_cfg;
struct check_vs;
struct check_rs;
struct smtp_client;

/*
 * Which transitions are mailed, as keepalived decides it:
 *  - nothing at all unless global_defs has an smtp_server and at least one
 *    notification_email;
 *  - a VRRP instance or sync group: its smtp_alert (global smtp_alert_vrrp,
 *    else smtp_alert, when not written; off by default); never a FAULT
 *    with no_email_faults; and only when the state differs from the last
 *    one mailed for that instance or group;
 *  - a real server UP/DOWN: its smtp_alert, else smtp_alert_checker, else
 *    smtp_alert, else ON (the one default that is on, kept from keepalived);
 *  - a virtual server's quorum UP/DOWN: its smtp_alert, else
 *    smtp_alert_checker, else smtp_alert, else off.
 * The checker runtime reports real server transitions only, never the
 * change of one checker among several, so no_checker_emails needs no
 * action here: mails already come only when a server enters or leaves
 * the pool.
 *
 * Subjects (operators filter on them):
 *   [router_id] VRRP Instance VI_1 - Entering MASTER state   (BACKUP, FAULT)
 *   [router_id] VRRP Instance VI_1 - Stopping                 (Deleted)
 *   [router_id] VRRP Group G1 - Entering MASTER state
 *   [router_id] Realserver [10.0.0.2]:tcp:80 - DOWN           (UP)
 *   [router_id] Virtual Server [10.0.0.100]:tcp:80 - DOWN     (UP)
 * The body gives the date, the router_id, what happened and why.
 */

/* Subject and body of one alert. */
struct smtp_alert_text {
	char subject[384];
	char body[1536];
};

struct smtp_alert;

/* Alerts for one process, sending through its own client on loop. g must
 * stay valid until the next smtp_alert_reload() or smtp_alert_free().
 * Never NULL. */
struct smtp_alert *smtp_alert_new(struct ev_loop *loop, const struct global_cfg *g);

/* New global settings (after a reload). Mails in flight are not affected
 * (they carry copies). */
void smtp_alert_reload(struct smtp_alert *sa, const struct global_cfg *g);

/* Drop mails not sent yet and free sa. NULL is fine. */
void smtp_alert_free(struct smtp_alert *sa);

/* How long a stopping process gives its last mails (smtp_alert_flush). */
#define SMTP_ALERT_FLUSH_US (2 * 1000000ull)

/* Shutdown, after the process's loop has ended: send what is queued
 * (the "Stopping" mails) for at most usec; see smtp_client_flush(). */
void smtp_alert_flush(struct smtp_alert *sa, uint64_t usec);

/* The underlying client (tests and tools change its retry delay). */
struct smtp_client *smtp_alert_client(struct smtp_alert *sa);

/* Tell fn(arg, sent, why) the outcome of every mail queued from now on
 * (tools and tests; the daemon only logs). fn NULL stops it. */
void smtp_alert_set_result_hook(struct smtp_alert *sa,
				void (*fn)(void *arg, bool sent, const char *why), void *arg);

/* ---- decisions and texts (pure but for the date, which is passed in) ---- */

/* An smtp_server and at least one recipient are configured. */
bool smtp_alert_configured(const struct global_cfg *g);

/* Whether the switches want this transition mailed (ignoring whether a
 * server is configured and the last-state dedup). Exactly one of vi, sg. */
bool smtp_alert_vrrp_wanted(const struct global_cfg *g, const struct vrrp_instance_cfg *vi,
			    const struct vrrp_sync_group_cfg *sg, enum vrrp_notify_state st);
bool smtp_alert_rs_wanted(const struct global_cfg *g, const struct check_rs *rs);
bool smtp_alert_vs_wanted(const struct global_cfg *g, const struct check_vs *vs);

/* The texts. priority is the instance's effective priority (0 for a
 * group); detail is the checker's reason ("TCP_CHECK: L4CON (connection
 * refused)"), may be NULL or empty. */
void smtp_alert_vrrp_text(const struct global_cfg *g, const struct vrrp_instance_cfg *vi,
			  const struct vrrp_sync_group_cfg *sg, enum vrrp_notify_state st,
			  int priority, time_t now, struct smtp_alert_text *t);
void smtp_alert_rs_text(const struct global_cfg *g, const struct check_rs *rs, bool up,
			const char *detail, time_t now, struct smtp_alert_text *t);
void smtp_alert_vs_text(const struct global_cfg *g, const struct check_vs *vs, bool up,
			const char *detail, time_t now, struct smtp_alert_text *t);

/* ---- sending ---- */

/*
 * An instance (vi) or sync group (sg) entered st. Queues the mail if the
 * settings want it. Returns 1 when a mail was queued, 0 when none is
 * wanted (or it repeats the last state mailed), -1 when it could not be
 * queued (logged).
 */
int smtp_alert_vrrp(struct smtp_alert *sa, const struct vrrp_instance_cfg *vi,
		    const struct vrrp_sync_group_cfg *sg, enum vrrp_notify_state st, int priority);

/* A real server went up or down. Same return values. */
int smtp_alert_rs(struct smtp_alert *sa, const struct check_rs *rs, bool up, const char *detail);

/* A virtual server gained (up) or lost its quorum. Same return values. */
int smtp_alert_vs(struct smtp_alert *sa, const struct check_vs *vs, bool up, const char *detail);

#endif
