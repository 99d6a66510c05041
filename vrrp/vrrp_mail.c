/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_mail.c - alert mails for VRRP instance and sync group transitions */
#include <stddef.h>

#include "daemon/smtp_alert.h"
#include "vrrp/vrrp_mail.h"
#include "vrrp/vrrp_notify.h"

static void vrrp_mail_hook(void *arg, const struct vrrp_instance_cfg *vi,
			   const struct vrrp_sync_group_cfg *sg, enum vrrp_notify_state st,
			   int priority)
{
	smtp_alert_vrrp(arg, vi, sg, st, priority);
}

struct smtp_alert *vrrp_mail_start(struct ev_loop *loop, const struct global_cfg *g,
				   struct vrrp_notify *n)
{
	struct smtp_alert *m = smtp_alert_new(loop, g);

	vrrp_notify_set_smtp_hook(n, vrrp_mail_hook, m);
	return m;
}

void vrrp_mail_reload(struct smtp_alert *m, const struct global_cfg *g)
{
	if (m)
		smtp_alert_reload(m, g);
}

void vrrp_mail_stop(struct smtp_alert *m, struct vrrp_notify *n)
{
	if (n)
		vrrp_notify_set_smtp_hook(n, NULL, NULL);
	smtp_alert_flush(m, SMTP_ALERT_FLUSH_US);
	smtp_alert_free(m);
}
