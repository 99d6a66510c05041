/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_mail.h - alert mails for real server and virtual server (quorum) transitions */
#ifndef KA_CHECK_MAIL_H
#define KA_CHECK_MAIL_H

struct ev_loop;
struct global_cfg;
struct check_run;
struct smtp_alert;

/*
 * Mail the transitions the checker runtime r reports (its alert hook), as
 * global_defs and the servers' smtp_alert ask (daemon/smtp_alert.h). Call
 * once after check_run_new(); g must stay valid until check_mail_reload()
 * or check_mail_stop(). Returns the mail context, never NULL.
 */
struct smtp_alert *check_mail_start(struct ev_loop *loop, const struct global_cfg *g,
				    struct check_run *r);

/* New global settings after a reload (call with check_run_reload()). */
void check_mail_reload(struct smtp_alert *m, const struct global_cfg *g);

/* Shutdown, after the loop has ended: send the queued mails (omega's DOWN
 * alerts from check_run_free()) for up to SMTP_ALERT_FLUSH_US, drop the
 * rest, unhook from r (NULL once r is freed) and free m. Call it after
 * check_run_free(r, omega) with r = NULL. NULL m is fine. */
void check_mail_stop(struct smtp_alert *m, struct check_run *r);

#endif
