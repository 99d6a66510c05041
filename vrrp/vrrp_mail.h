/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_mail.h - alert mails for VRRP instance and sync group transitions */
#ifndef KA_VRRP_MAIL_H
#define KA_VRRP_MAIL_H

struct ev_loop;
struct global_cfg;
struct vrrp_notify;
struct smtp_alert;

/*
 * Mail the transitions n reports (its smtp hook), as global_defs and the
 * instances' smtp_alert ask (daemon/smtp_alert.h). Call once after
 * vrrp_notify_start(); g must stay valid until vrrp_mail_reload() or
 * vrrp_mail_stop(). Returns the mail context, never NULL.
 */
struct smtp_alert *vrrp_mail_start(struct ev_loop *loop, const struct global_cfg *g,
				   struct vrrp_notify *n);

/* New global settings after a reload (call with vrrp_notify_reload()). */
void vrrp_mail_reload(struct smtp_alert *m, const struct global_cfg *g);

/* Shutdown, after the loop has ended and the instances reported STOP:
 * send the queued mails for up to SMTP_ALERT_FLUSH_US (the "Stopping"
 * alerts), drop the rest, unhook from n (NULL once n is freed) and free m.
 * NULL m is fine. */
void vrrp_mail_stop(struct smtp_alert *m, struct vrrp_notify *n);

#endif
