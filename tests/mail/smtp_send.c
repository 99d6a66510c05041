/* SPDX-License-Identifier: GPL-2.0-or-later */
/* smtp_send.c - test driver: load a keepalived.conf and mail the alerts of the events given */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check_cfg.h"
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "daemon/smtp_alert.h"
#include "ev.h"
#include "log.h"
#include "smtp.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"

/*
 * Usage: smtp_send [-r RETRY_MS] [-w WAIT_S] CONFIG EVENT...
 *   vrrp NAME STATE PRIO        instance NAME entered STATE (MASTER, BACKUP,
 *                               FAULT, STOP, DELETED)
 *   group NAME STATE            sync group NAME entered STATE
 *   rs ADDR PORT up|down WHY    the real server ADDR PORT (first match)
 *   vs ADDR PORT up|down WHY    the virtual server ADDR PORT: quorum
 * Each event prints "EVENT: queued|not wanted|refused"; each mail's outcome
 * prints "result: sent" or "result: failed: WHY" when it ends. Exit 0 when
 * every queued mail was sent, 1 on a usage or configuration error, 2 when
 * a mail failed, 3 when the mails were still running after WAIT_S (60).
 */

struct driver {
	struct ev_loop *loop;
	struct smtp_alert *sa;
	unsigned sent, failed;
};

static void diag_emit(void *arg, enum cfg_level lvl, const char *msg)
{
	fprintf(stderr, "%s\n", msg);
}

static void result_cb(void *arg, bool sent, const char *why)
{
	struct driver *d = arg;

	if (sent) {
		d->sent++;
		printf("result: sent\n");
	} else {
		d->failed++;
		printf("result: failed: %s\n", why);
	}
	fflush(stdout);
	if (!smtp_client_pending(smtp_alert_client(d->sa)))
		ev_break(d->loop);
}

static void guard_cb(struct ev_loop *loop, void *arg)
{
	printf("result: still running\n");
	ev_break(loop);
}

static int parse_state(const char *s, enum vrrp_notify_state *st)
{
	static const enum vrrp_notify_state all[] = { VRRP_NOTIFY_MASTER, VRRP_NOTIFY_BACKUP,
						      VRRP_NOTIFY_FAULT, VRRP_NOTIFY_STOP,
						      VRRP_NOTIFY_DELETED };
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (!strcmp(s, vrrp_notify_state_str(all[i]))) {
			*st = all[i];
			return 0;
		}
	return -1;
}

static const struct vrrp_sync_group_cfg *find_group(const struct vrrp_cfg *v, const char *name)
{
	cfg_list_for_each(const struct vrrp_sync_group_cfg, sg, &v->sync_groups)
		if (!strcmp(sg->name, name))
			return sg;
	return NULL;
}

static bool addr_port_is(const struct ka_addr *a, uint16_t port, const char *as, const char *ps)
{
	struct ka_addr want;
	uint16_t p;

	return ka_addr_parse(as, false, &want) == 0 && ka_port_parse(ps, &p) == 0 &&
	       ka_addr_equal(a, &want) && p == port;
}

static const struct check_rs *find_rs(const struct check_cfg *c, const char *a, const char *p)
{
	cfg_list_for_each(const struct check_vs, vs, &c->vs)
		cfg_list_for_each(const struct check_rs, rs, &vs->rs)
			if (addr_port_is(&rs->addr, rs->port, a, p))
				return rs;
	return NULL;
}

static const struct check_vs *find_vs(const struct check_cfg *c, const char *a, const char *p)
{
	cfg_list_for_each(const struct check_vs, vs, &c->vs)
		if (vs->kind == CHECK_VS_ADDR && addr_port_is(&vs->addr, vs->port, a, p))
			return vs;
	return NULL;
}

/* One event from argv[*i]; advances *i. Returns the smtp_alert_* result,
 * or -2 on a usage error. */
static int event(struct driver *d, const struct ka_config *c, char **argv, int argc, int *i)
{
	const char *kw = argv[*i];
	enum vrrp_notify_state st;
	int need = !strcmp(kw, "vrrp") ? 4 : !strcmp(kw, "group") ? 3 :
		   !strcmp(kw, "rs") || !strcmp(kw, "vs") ? 5 : 0;

	if (!need || *i + need > argc)
		return -2;
	char **a = argv + *i;
	*i += need;
	if (!strcmp(kw, "vrrp")) {
		const struct vrrp_instance_cfg *vi = vrrp_cfg_find_instance(c->vrrp, a[1]);
		if (!vi || parse_state(a[2], &st) < 0)
			return -2;
		return smtp_alert_vrrp(d->sa, vi, NULL, st, atoi(a[3]));
	}
	if (!strcmp(kw, "group")) {
		const struct vrrp_sync_group_cfg *sg = find_group(c->vrrp, a[1]);
		if (!sg || parse_state(a[2], &st) < 0)
			return -2;
		return smtp_alert_vrrp(d->sa, NULL, sg, st, 0);
	}
	bool up = !strcmp(a[3], "up");
	if (!up && strcmp(a[3], "down"))
		return -2;
	if (!strcmp(kw, "rs")) {
		const struct check_rs *rs = find_rs(c->check, a[1], a[2]);
		return rs ? smtp_alert_rs(d->sa, rs, up, a[4]) : -2;
	}
	const struct check_vs *vs = find_vs(c->check, a[1], a[2]);
	return vs ? smtp_alert_vs(d->sa, vs, up, a[4]) : -2;
}

int main(int argc, char **argv)
{
	struct log_opts lo = { .console = true, .no_syslog = true };
	struct cfg_read_opts ro = { 0 };
	struct cfg_diag diag = { .emit = diag_emit };
	struct driver d = { 0 };
	long retry_ms = -1, wait_s = 60;
	int opt;

	while ((opt = getopt(argc, argv, "r:w:")) != -1) {
		if (opt == 'r')
			retry_ms = atol(optarg);
		else if (opt == 'w')
			wait_s = atol(optarg);
		else
			return 1;
	}
	if (optind + 2 > argc) {
		fprintf(stderr, "usage: smtp_send [-r RETRY_MS] [-w WAIT_S] CONFIG EVENT...\n");
		return 1;
	}
	log_init("smtp_send", &lo);
	struct ka_config *c = ka_config_load(argv[optind], &ro, &diag);
	if (!c || c->errors) {
		fprintf(stderr, "smtp_send: %s: configuration errors\n", argv[optind]);
		ka_config_free(c);
		return 1;
	}
	d.loop = ev_loop_new();
	d.sa = smtp_alert_new(d.loop, c->global);
	smtp_alert_set_result_hook(d.sa, result_cb, &d);
	if (retry_ms >= 0)
		smtp_client_set_retry(smtp_alert_client(d.sa), (uint64_t)retry_ms * 1000);
	int rc = 0;
	for (int i = optind + 1; i < argc && !rc;) {
		const char *kw = argv[i];
		int r = event(&d, c, argv, argc, &i);
		if (r == -2) {
			fprintf(stderr, "smtp_send: bad event at '%s'\n", kw);
			rc = 1;
			break;
		}
		printf("%s: %s\n", kw, r == 1 ? "queued" : r == 0 ? "not wanted" : "refused");
	}
	fflush(stdout);
	if (!rc && smtp_client_pending(smtp_alert_client(d.sa))) {
		struct ev_timer *guard = NULL;
		ev_timer_add(d.loop, guard_cb, NULL, (uint64_t)wait_s * 1000000, &guard);
		ev_run(d.loop);
		ev_cancel(&guard);
	}
	if (!rc)
		rc = smtp_client_pending(smtp_alert_client(d.sa)) ? 3 : d.failed ? 2 : 0;
	smtp_alert_free(d.sa);
	ev_loop_free(d.loop);
	ka_config_free(c);
	log_close();
	return rc;
}
