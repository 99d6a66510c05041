/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_daemon.c - the checker child: probes, IPVS reconciliation, reload, dumps */
#include <stdio.h>
#include <stdlib.h>

#include "check/check_bfd.h"
#include "check/check_cfg.h"
#include "check/check_daemon.h"
#include "check/check_ipvs.h"
#include "check/check_mail.h"
#include "check/check_notify.h"
#include "check/check_run.h"
#include "check/check_snmp.h"
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "daemon/options.h"
#include "ev.h"
#include "log.h"
#include "script.h"
#include "util.h"

#define CHECK_DATA_FILE "/tmp/keepalived_check.data"
/* Not /tmp/keepalived.stats and .json: those are the VRRP child's. */
#define CHECK_STATS_FILE "/tmp/keepalived_check.stats"
#define CHECK_JSON_FILE "/tmp/keepalived_check.json"

/* Without IPVS in the kernel the probes still run (health shows in logs
 * and dumps); the connection is retried this often. */
#define CHECK_IPVS_RECONNECT_US (10 * 1000000ull)
/* After a failed kernel operation the whole table is resynchronised. */
#define CHECK_IPVS_RESYNC_US (5 * 1000000ull)

struct check_daemon {
	struct child_ctx *ctx;
	struct check_notify *notify;
	struct check_run *run;
	struct check_ipvs *ipvs;
	struct smtp_alert *mail;
	struct check_snmp *snmp;  /* SNMP sub-agent, NULL when off */
	struct check_bfd_states *bfd; /* BFD_CHECK session states */
	struct ev_timer *retry;   /* reconnect, or full resync after a failure */
	struct script_ident ident; /* MISC_CHECK scripts naming no user */
	bool flushed;             /* lvs_flush done (once per process) */
	bool unavailable_logged;
	char why[160];            /* why IPVS is not available */
	unsigned long full_syncs, vs_syncs;
};

static const struct global_cfg *globals(const struct check_daemon *d)
{
	return d->ctx->config->global;
}

static void retry_cb(struct ev_loop *loop, void *arg);

static void schedule_retry(struct check_daemon *d, uint64_t usec)
{
	if (!d->retry)
		ev_timer_add(d->ctx->loop, retry_cb, d, usec, &d->retry);
}

/* Desired table of every virtual server, and the kernel brought to it. */
static void full_sync(struct check_daemon *d)
{
	struct check_ipvs_table want = { 0 };
	const struct check_ipvs_health *h;
	const struct check_vs *vs;
	if (!check_ipvs_is_open(d->ipvs))
		return;
	for (size_t i = 0; (vs = check_run_vs(d->run, i, &h)); i++)
		check_ipvs_desired(vs, h, &want);
	check_ipvs_table_finish(&want);
	d->full_syncs++;
	if (check_ipvs_sync(d->ipvs, &want, true) < 0)
		schedule_retry(d, CHECK_IPVS_RESYNC_US);
	check_ipvs_table_free(&want);
}

/* Health of one virtual server changed: only its services are read and
 * updated. While a full resync is pending it will cover this too. */
static void vs_changed_cb(void *arg, const struct check_vs *vs, const struct check_ipvs_health *h)
{
	struct check_daemon *d = arg;
	struct check_ipvs_table want = { 0 };
	if (!check_ipvs_is_open(d->ipvs) || d->retry)
		return;
	check_ipvs_desired(vs, h, &want);
	check_ipvs_table_finish(&want);
	d->vs_syncs++;
	if (check_ipvs_sync(d->ipvs, &want, false) < 0)
		schedule_retry(d, CHECK_IPVS_RESYNC_US);
	check_ipvs_table_free(&want);
}

static void apply_timeouts(struct check_daemon *d)
{
	const struct global_cfg *g = globals(d);
	check_ipvs_set_timeouts(d->ipvs, g->lvs_timeout_tcp, g->lvs_timeout_tcpfin,
				g->lvs_timeout_udp);
}

/* Connect to IPVS; the first time it works, flush (lvs_flush) and set
 * the timeouts. Returns whether IPVS is usable. */
static bool ipvs_connect(struct check_daemon *d)
{
	const char *why;
	if (check_ipvs_is_open(d->ipvs))
		return true;
	if (check_ipvs_open(d->ipvs, &why) < 0) {
		snprintf(d->why, sizeof(d->why), "%s", why);
		if (!d->unavailable_logged)
			log_warnx("IPVS is not available (%s): health checks run but the IPVS "
				  "table is not managed; retrying every %llu s", why,
				  CHECK_IPVS_RECONNECT_US / 1000000ull);
		d->unavailable_logged = true;
		schedule_retry(d, CHECK_IPVS_RECONNECT_US);
		return false;
	}
	if (d->unavailable_logged)
		log_info("IPVS is available now: synchronising the table");
	d->why[0] = '\0';
	if (globals(d)->lvs_flush && !d->flushed)
		check_ipvs_flush(d->ipvs);
	d->flushed = true;
	apply_timeouts(d);
	return true;
}

static void retry_cb(struct ev_loop *loop, void *arg)
{
	struct check_daemon *d = arg;
	if (ipvs_connect(d))
		full_sync(d);
}

/* What probes need from outside their block: track files (in the VRRP
 * part), the SSL block, the identity of scripts. Set at start and after
 * each reload, as the pointers follow the configuration. */
static void set_probe_env(struct check_daemon *d)
{
	const struct ka_config *c = d->ctx->config;
	const struct global_cfg *g = c->global;
	char why[160];
	bool ident_ok = script_default_ident(g->script_user, g->script_group,
					     g->set_supplementary_groups, &d->ident, why,
					     sizeof(why)) == 0;
	if (!ident_ok)
		log_warnx("MISC_CHECK scripts naming no user run as the checker itself: %s", why);
	struct check_probe_env env = {
		.vrrp = c->vrrp,
		.ssl = c->check->ssl.set ? &c->check->ssl : NULL,
		.script_ident = ident_ok ? &d->ident : NULL,
		.script_supplementary = g->set_supplementary_groups,
		.script_security = g->enable_script_security,
		.bfd = d->bfd,
	};
	check_probe_set_env(&env);
}

static void log_summary(const char *what, const struct check_daemon *d)
{
	const struct check_cfg *c = d->ctx->config->check;
	size_t nrs = 0;
	cfg_list_for_each(const struct check_vs, vs, &c->vs)
		nrs += vs->rs.n;
	log_info("%s: %zu virtual server%s, %zu real server%s, %zu probe%s running", what,
		 c->vs.n, c->vs.n == 1 ? "" : "s", nrs, nrs == 1 ? "" : "s",
		 check_run_probe_count(d->run), check_run_probe_count(d->run) == 1 ? "" : "s");
}

static int check_start(struct child_ctx *ctx)
{
	struct check_daemon *d = xcalloc(1, sizeof(*d));
	const struct ka_config *c = ctx->config;
	ctx->priv = d;
	d->ctx = ctx;
	d->ipvs = check_ipvs_new();
	bool ipvs_ok = ipvs_connect(d);
	d->bfd = check_bfd_start(ctx->loop, ctx->bfd_fd, c->vrrp, c->check);
	set_probe_env(d);
	d->notify = check_notify_new(ctx->loop, c->global);
	struct check_run_hooks hooks = { .vs_changed = vs_changed_cb, .arg = d };
	d->run = check_run_new(ctx->loop, c->check, c->global, d->notify, &hooks);
	check_bfd_attach(d->bfd, d->run);
	d->mail = check_mail_start(ctx->loop, c->global, d->run);
	d->snmp = check_snmp_start(ctx->loop, c, ctx->opts, d->run, d->notify);
	/* Entries a previous checker left are adopted here: whatever already
	 * matches the initial health is not touched. */
	if (ipvs_ok)
		full_sync(d);
	log_summary("checker child started", d);
	return 0;
}

/* Unchanged servers keep their probes, state and IPVS entries; the
 * resynchronisation below only touches what the new configuration changed. */
static int check_reload(struct child_ctx *ctx, const struct ka_config *old)
{
	struct check_daemon *d = ctx->priv;
	const struct ka_config *c = ctx->config;
	const struct global_cfg *og = old->global, *g = c->global;
	set_probe_env(d);
	check_notify_reload(d->notify, g);
	check_run_reload(d->run, c->check, g);
	check_bfd_reload(d->bfd, c->vrrp, c->check);
	check_mail_reload(d->mail, g);
	d->snmp = check_snmp_reload(d->snmp, ctx->loop, c, ctx->opts, d->run, d->notify);
	if (check_ipvs_is_open(d->ipvs)) {
		if (og->lvs_timeout_tcp != g->lvs_timeout_tcp ||
		    og->lvs_timeout_tcpfin != g->lvs_timeout_tcpfin ||
		    og->lvs_timeout_udp != g->lvs_timeout_udp)
			apply_timeouts(d);
		ev_cancel(&d->retry);
		full_sync(d);
	}
	log_summary("checker configuration reloaded", d);
	return 0;
}

static void check_stop(struct child_ctx *ctx)
{
	struct check_daemon *d = ctx->priv;
	const struct global_cfg *g = ctx->config->global;
	if (!d)
		return;
	ev_cancel(&d->retry);
	check_bfd_attach(d->bfd, NULL);
	check_run_free(d->run, true); /* omega: down notifies and alerts first */
	check_snmp_stop(d->snmp, d->notify);
	check_mail_stop(d->mail, NULL);
	if (ctx->opts && ctx->opts->dont_release_ipvs)
		log_info("IPVS: entries left in place (--dont-release-ipvs)");
	else
		check_ipvs_release(d->ipvs, g->lvs_flush_on_stop == GLOBAL_FLUSH_ALL);
	check_notify_stop(d->notify);
	check_probe_set_env(NULL);
	check_bfd_stop(d->bfd);
	check_ipvs_free(d->ipvs);
	free(d);
	ctx->priv = NULL;
	log_info("checker child stopped");
}

static void dump_ipvs(FILE *out, const struct check_daemon *d)
{
	uint64_t ops, failed;
	size_t owned;
	check_ipvs_counters(d->ipvs, &ops, &failed, &owned);
	if (check_ipvs_is_open(d->ipvs))
		fprintf(out, " IPVS: connected, %zu service%s managed, %llu operation%s applied, "
			"%llu failed, %lu full and %lu per-service syncs\n", owned,
			owned == 1 ? "" : "s", (unsigned long long)ops, ops == 1 ? "" : "s",
			(unsigned long long)failed, d->full_syncs, d->vs_syncs);
	else
		fprintf(out, " IPVS: not available (%s)\n", d->why);
}

static void check_dump(struct child_ctx *ctx, FILE *out)
{
	const struct check_daemon *d = ctx->priv;
	dump_ipvs(out, d);
	check_run_dump(d->run, out);
	check_bfd_dump(d->bfd, out);
}

static void check_stats(struct child_ctx *ctx, FILE *out, bool clear)
{
	struct check_daemon *d = ctx->priv;
	dump_ipvs(out, d);
	check_run_stats(d->run, out, clear);
}

static void check_json(struct child_ctx *ctx, FILE *out)
{
	const struct check_daemon *d = ctx->priv;
	uint64_t ops, failed;
	size_t owned;
	check_ipvs_counters(d->ipvs, &ops, &failed, &owned);
	fprintf(out, "{\"ipvs\":{\"connected\":%s,\"services\":%zu,\"operations\":%llu,"
		"\"failed\":%llu},\"checker\":", check_ipvs_is_open(d->ipvs) ? "true" : "false",
		owned, (unsigned long long)ops, (unsigned long long)failed);
	check_run_json(d->run, out);
	fprintf(out, "}\n");
}

const struct child_ops check_child_ops = {
	.name = "checker",
	.data_file = CHECK_DATA_FILE,
	.data_file_cfg = false, /* a state_dump_file DIR/ still applies */
	.stats_file = CHECK_STATS_FILE,
	.json_file = CHECK_JSON_FILE,
	.start = check_start,
	.reload = check_reload,
	.stop = check_stop,
	.dump = check_dump,
	.stats = check_stats,
	.json = check_json,
};
