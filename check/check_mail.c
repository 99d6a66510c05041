/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_mail.c - alert mails for real server and virtual server (quorum) transitions */
#include <stddef.h>

#include "check/check_mail.h"
#include "check/check_run.h"
#include "daemon/smtp_alert.h"

static void check_mail_hook(void *arg, const struct check_vs *vs, const struct check_rs *rs,
			    bool up, const char *detail)
{
	if (rs)
		smtp_alert_rs(arg, rs, up, detail);
	else
		smtp_alert_vs(arg, vs, up, detail);
}

struct smtp_alert *check_mail_start(struct ev_loop *loop, const struct global_cfg *g,
				    struct check_run *r)
{
	struct smtp_alert *m = smtp_alert_new(loop, g);

	check_run_set_alert_hook(r, check_mail_hook, m);
	return m;
}

void check_mail_reload(struct smtp_alert *m, const struct global_cfg *g)
{
	if (m)
		smtp_alert_reload(m, g);
}

void check_mail_stop(struct smtp_alert *m, struct check_run *r)
{
	if (r)
		check_run_set_alert_hook(r, NULL, NULL);
	smtp_alert_flush(m, SMTP_ALERT_FLUSH_US);
	smtp_alert_free(m);
}
