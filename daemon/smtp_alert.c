/* SPDX-License-Identifier: GPL-2.0-or-later */
/* smtp_alert.c - alert mails for VRRP and checker transitions: whether to send, and the texts */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check/check_cfg.h"
#include "check/check_notify.h"
#include "daemon/global_cfg.h"
#include "daemon/smtp_alert.h"
#include "log.h"
#include "smtp.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"

/* Last state mailed for one instance or group, by name (names survive a
 * reload; the configuration objects do not). */
struct sa_last {
	char *name;
	bool group;
	enum vrrp_notify_state st;
};

struct smtp_alert {
	struct smtp_client *client;
	const struct global_cfg *g;
	struct sa_last *last;
	size_t nlast;
	smtp_done_fn result;
	void *result_arg;
};

struct smtp_alert *smtp_alert_new(struct ev_loop *loop, const struct global_cfg *g)
{
	struct smtp_alert *sa = xcalloc(1, sizeof(*sa));

	sa->client = smtp_client_new(loop);
	sa->g = g;
	return sa;
}

void smtp_alert_reload(struct smtp_alert *sa, const struct global_cfg *g)
{
	sa->g = g;
}

void smtp_alert_free(struct smtp_alert *sa)
{
	if (!sa)
		return;
	smtp_client_free(sa->client);
	for (size_t i = 0; i < sa->nlast; i++)
		free(sa->last[i].name);
	free(sa->last);
	free(sa);
}

void smtp_alert_flush(struct smtp_alert *sa, uint64_t usec)
{
	if (sa)
		smtp_client_flush(sa->client, usec);
}

struct smtp_client *smtp_alert_client(struct smtp_alert *sa)
{
	return sa->client;
}

void smtp_alert_set_result_hook(struct smtp_alert *sa,
				void (*fn)(void *arg, bool sent, const char *why), void *arg)
{
	sa->result = fn;
	sa->result_arg = arg;
}

/* ---- decisions ---------------------------------------------------------------------- */

bool smtp_alert_configured(const struct global_cfg *g)
{
	bool server = g->smtp_server_host || g->smtp_server.family == AF_INET ||
		      g->smtp_server.family == AF_INET6;

	return server && g->notification_email.n > 0;
}

bool smtp_alert_vrrp_wanted(const struct global_cfg *g, const struct vrrp_instance_cfg *vi,
			    const struct vrrp_sync_group_cfg *sg, enum vrrp_notify_state st)
{
	/* the configuration finish already folded the global defaults into
	 * the instance and group switches */
	bool on = vi ? vi->smtp_alert : sg && sg->smtp_alert;

	if (st == VRRP_NOTIFY_FAULT && g->no_email_faults)
		return false;
	return on;
}

/* Own switch, else the checker default, else the general one, else dflt. */
static bool checker_switch(const struct global_cfg *g, enum global_tristate own, bool dflt)
{
	if (own == GLOBAL_UNSET)
		own = global_cfg_smtp_alert_checker(g);
	return own == GLOBAL_UNSET ? dflt : own == GLOBAL_ON;
}

bool smtp_alert_rs_wanted(const struct global_cfg *g, const struct check_rs *rs)
{
	return checker_switch(g, rs->smtp_alert, true);
}

bool smtp_alert_vs_wanted(const struct global_cfg *g, const struct check_vs *vs)
{
	return checker_switch(g, vs->smtp_alert, false);
}

/* ---- texts -------------------------------------------------------------------------- */

/* "Date: ...\nRouter: ...\n\n" that opens every body; returns its length. */
static size_t body_head(const struct global_cfg *g, time_t now, char *buf, size_t len)
{
	char date[64];
	int n = snprintf(buf, len, "Date:   %s\nRouter: %s\n\n", smtp_date(now, date, sizeof(date)),
			 g->router_id ? g->router_id : "");

	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

static const char *vrrp_subject_state(enum vrrp_notify_state st)
{
	switch (st) {
	case VRRP_NOTIFY_MASTER: return "Entering MASTER state";
	case VRRP_NOTIFY_BACKUP: return "Entering BACKUP state";
	case VRRP_NOTIFY_FAULT: return "Entering FAULT state";
	case VRRP_NOTIFY_STOP: return "Stopping";
	case VRRP_NOTIFY_DELETED: return "Deleted";
	}
	return "?";
}

static const char *vrrp_instance_why(enum vrrp_notify_state st)
{
	switch (st) {
	case VRRP_NOTIFY_MASTER:
		return "This router now owns the instance's virtual addresses";
	case VRRP_NOTIFY_BACKUP:
		return "This router no longer owns the instance's virtual addresses";
	case VRRP_NOTIFY_FAULT:
		return "The instance is in fault: it owns no virtual address and sends no advert";
	case VRRP_NOTIFY_STOP:
		return "The instance is stopping and gives up its virtual addresses";
	case VRRP_NOTIFY_DELETED:
		return "The instance was removed from the configuration";
	}
	return "";
}

static const char *vrrp_group_why(enum vrrp_notify_state st)
{
	switch (st) {
	case VRRP_NOTIFY_MASTER: return "Every instance of the group is now MASTER";
	case VRRP_NOTIFY_BACKUP: return "Every instance of the group is now BACKUP";
	case VRRP_NOTIFY_FAULT: return "An instance of the group is in fault: the whole group is";
	case VRRP_NOTIFY_STOP: return "The group is stopping";
	case VRRP_NOTIFY_DELETED: return "The group was removed from the configuration";
	}
	return "";
}

void smtp_alert_vrrp_text(const struct global_cfg *g, const struct vrrp_instance_cfg *vi,
			  const struct vrrp_sync_group_cfg *sg, enum vrrp_notify_state st,
			  int priority, time_t now, struct smtp_alert_text *t)
{
	const char *rid = g->router_id ? g->router_id : "";
	size_t n = body_head(g, now, t->body, sizeof(t->body));

	if (vi) {
		snprintf(t->subject, sizeof(t->subject), "[%s] VRRP Instance %s - %s", rid,
			 vi->name, vrrp_subject_state(st));
		snprintf(t->body + n, sizeof(t->body) - n,
			 "VRRP instance %s (virtual router %d) is now %s, priority %d.\n"
			 "=> %s <=\n",
			 vi->name, vi->vrid, vrrp_notify_state_str(st), priority,
			 vrrp_instance_why(st));
	} else {
		snprintf(t->subject, sizeof(t->subject), "[%s] VRRP Group %s - %s", rid, sg->name,
			 vrrp_subject_state(st));
		snprintf(t->body + n, sizeof(t->body) - n,
			 "VRRP sync group %s is now %s.\n=> %s <=\n", sg->name,
			 vrrp_notify_state_str(st), vrrp_group_why(st));
	}
}

void smtp_alert_rs_text(const struct global_cfg *g, const struct check_rs *rs, bool up,
			const char *detail, time_t now, struct smtp_alert_text *t)
{
	char rb[CHECK_NAME_LEN], vb[CHECK_NAME_LEN];
	size_t n = body_head(g, now, t->body, sizeof(t->body));
	bool why = detail && *detail;

	check_notify_rs_str(rs, rb, sizeof(rb));
	check_notify_vs_str(rs->vs, vb, sizeof(vb));
	/* Subjects as keepalived writes them: operators filter mail on them. */
	snprintf(t->subject, sizeof(t->subject), "[%s] Realserver %s of virtual server %s - %s",
		 g->router_id ? g->router_id : "", rb, vb, up ? "UP" : "DOWN");
	snprintf(t->body + n, sizeof(t->body) - n,
		 "Real server %s of virtual server %s is %s.\n"
		 "=> %s%s%s <=\n",
		 rb, vb, up ? "UP: back in the pool" : "DOWN: out of the pool",
		 up ? "Health checks of this service succeed again" :
		      "Health check of this service failed",
		 why ? ": " : "", why ? detail : "");
}

void smtp_alert_vs_text(const struct global_cfg *g, const struct check_vs *vs, bool up,
			const char *detail, time_t now, struct smtp_alert_text *t)
{
	char vb[CHECK_NAME_LEN];
	size_t n = body_head(g, now, t->body, sizeof(t->body));
	bool why = detail && *detail;

	check_notify_vs_str(vs, vb, sizeof(vb));
	snprintf(t->subject, sizeof(t->subject), "[%s] Virtualserver %s - %s",
		 g->router_id ? g->router_id : "", vb, up ? "UP" : "DOWN");
	snprintf(t->body + n, sizeof(t->body) - n,
		 "Virtual server %s %s its quorum%s%s%s.\n=> %s <=\n", vb,
		 up ? "has regained" : "has lost", why ? " (" : "", why ? detail : "",
		 why ? ")" : "",
		 up ? "Enough real servers are alive to serve again" :
		 vs->sorry_server ?
		      "Too few real servers are alive: the sorry server takes the traffic" :
		      "Too few real servers are alive to serve");
}

/* ---- sending ------------------------------------------------------------------------ */

static int alert_send(struct smtp_alert *sa, const struct smtp_alert_text *t)
{
	const struct global_cfg *g = sa->g;
	const char **to = xcalloc(g->notification_email.n, sizeof(*to));
	size_t nto = 0;

	cfg_list_for_each(const struct global_email, e, &g->notification_email)
		to[nto++] = e->addr;
	struct smtp_server srv = {
		.addr = g->smtp_server, .host = g->smtp_server_host, .port = g->smtp_server_port,
		.helo = g->smtp_helo_name, .timeout = g->smtp_connect_timeout,
	};
	struct smtp_mail m = {
		.from = g->notification_email_from, .to = to, .nto = nto,
		.subject = t->subject, .body = t->body,
	};
	int rc = smtp_send(sa->client, &srv, &m, sa->result, sa->result_arg);
	free(to);
	return rc < 0 ? -1 : 1;
}

/* True if st differs from the last state mailed for name (and records it). */
static bool vrrp_state_is_new(struct smtp_alert *sa, const char *name, bool group,
			      enum vrrp_notify_state st)
{
	for (size_t i = 0; i < sa->nlast; i++) {
		struct sa_last *l = &sa->last[i];
		if (l->group == group && !strcmp(l->name, name)) {
			if (l->st == st)
				return false;
			l->st = st;
			return true;
		}
	}
	sa->last = xrealloc(sa->last, (sa->nlast + 1) * sizeof(*sa->last));
	sa->last[sa->nlast++] = (struct sa_last){ .name = xstrdup(name), .group = group, .st = st };
	return true;
}

int smtp_alert_vrrp(struct smtp_alert *sa, const struct vrrp_instance_cfg *vi,
		    const struct vrrp_sync_group_cfg *sg, enum vrrp_notify_state st, int priority)
{
	struct smtp_alert_text t;

	if (!smtp_alert_configured(sa->g) || !smtp_alert_vrrp_wanted(sa->g, vi, sg, st))
		return 0;
	if (!vrrp_state_is_new(sa, vi ? vi->name : sg->name, !vi, st))
		return 0;
	smtp_alert_vrrp_text(sa->g, vi, sg, st, priority, time(NULL), &t);
	return alert_send(sa, &t);
}

int smtp_alert_rs(struct smtp_alert *sa, const struct check_rs *rs, bool up, const char *detail)
{
	struct smtp_alert_text t;

	if (!smtp_alert_configured(sa->g) || !smtp_alert_rs_wanted(sa->g, rs))
		return 0;
	smtp_alert_rs_text(sa->g, rs, up, detail, time(NULL), &t);
	return alert_send(sa, &t);
}

int smtp_alert_vs(struct smtp_alert *sa, const struct check_vs *vs, bool up, const char *detail)
{
	struct smtp_alert_text t;

	if (!smtp_alert_configured(sa->g) || !smtp_alert_vs_wanted(sa->g, vs))
		return 0;
	smtp_alert_vs_text(sa->g, vs, up, detail, time(NULL), &t);
	return alert_send(sa, &t);
}
