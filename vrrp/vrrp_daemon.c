/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_daemon.c - the VRRP child process: instance table, dumps, stats and JSON */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/config.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_daemon.h"

#define VRRP_DATA_FILE "/tmp/keepalived.data"

/* Counters of one instance, in the order the stats file lists them. */
struct vrrp_rt_stats {
	uint64_t advert_rcvd, advert_sent;
	uint64_t become_master, release_master;
	uint64_t packet_len_err, ip_ttl_err, invalid_type_rcvd, advert_interval_err;
	uint64_t addr_list_err;
	uint64_t invalid_authtype, authtype_mismatch, auth_failure;
	uint64_t pri_zero_rcvd, pri_zero_sent;
};

/* Runtime view of one configured instance. The state machine is not running
 * yet, so every instance stays in INIT and its counters stay at zero. */
struct vrrp_rt_instance {
	const struct vrrp_instance_cfg *cfg;
	const char *state;
	struct vrrp_rt_stats stats;
};

struct vrrp_daemon {
	struct vrrp_rt_instance *inst;
	size_t n;
};

static const char *wish_name(int state)
{
	return state == VRRP_WISH_MASTER ? "MASTER" : "BACKUP";
}

/* Build the instance table for config; counters of instances that keep
 * their name across a reload are carried over from old (may be NULL). */
static struct vrrp_daemon *vrrp_daemon_build(const struct ka_config *config,
					     const struct vrrp_daemon *old)
{
	struct vrrp_daemon *d = xcalloc(1, sizeof(*d));
	d->inst = xcalloc(config->vrrp->instances.n, sizeof(*d->inst));
	cfg_list_for_each(const struct vrrp_instance_cfg, vi, &config->vrrp->instances) {
		struct vrrp_rt_instance *ri = &d->inst[d->n++];
		ri->cfg = vi;
		ri->state = "INIT";
		for (size_t i = 0; old && i < old->n; i++)
			if (!strcmp(old->inst[i].cfg->name, vi->name))
				ri->stats = old->inst[i].stats;
	}
	return d;
}

static void vrrp_daemon_free(struct vrrp_daemon *d)
{
	if (!d)
		return;
	free(d->inst);
	free(d);
}

static int vrrp_start(struct child_ctx *ctx)
{
	struct vrrp_daemon *d = vrrp_daemon_build(ctx->config, NULL);
	ctx->priv = d;
	log_info("VRRP child started: %zu instance%s, %zu sync group%s", d->n,
		 d->n == 1 ? "" : "s", ctx->config->vrrp->sync_groups.n,
		 ctx->config->vrrp->sync_groups.n == 1 ? "" : "s");
	return 0;
}

/* The old instance table points into old: rebuild it before old is freed. */
static int vrrp_reload(struct child_ctx *ctx, const struct ka_config *old)
{
	struct vrrp_daemon *prev = ctx->priv;
	ctx->priv = vrrp_daemon_build(ctx->config, prev);
	vrrp_daemon_free(prev);
	log_info("VRRP configuration: %zu instance%s", ctx->config->vrrp->instances.n,
		 ctx->config->vrrp->instances.n == 1 ? "" : "s");
	return 0;
}

static void vrrp_stop(struct child_ctx *ctx)
{
	struct vrrp_daemon *d = ctx->priv;
	log_info("VRRP child stopped (%zu instance%s)", d ? d->n : 0,
		 d && d->n == 1 ? "" : "s");
	vrrp_daemon_free(d);
	ctx->priv = NULL;
}

static void vrrp_dump(struct child_ctx *ctx, FILE *out)
{
	const struct vrrp_daemon *d = ctx->priv;
	char buf[KA_ADDR_STRLEN];
	fprintf(out, " VRRP instances: %zu (state machine not running)\n", d->n);
	for (size_t i = 0; i < d->n; i++) {
		const struct vrrp_instance_cfg *vi = d->inst[i].cfg;
		fprintf(out, " VRRP Instance = %s\n", vi->name);
		fprintf(out, "   State = %s\n", d->inst[i].state);
		fprintf(out, "   Wanted State = %s\n", wish_name(vi->state));
		fprintf(out, "   Interface = %s\n", vi->interface ? vi->interface : "(none)");
		fprintf(out, "   Virtual Router ID = %d\n", vi->vrid);
		fprintf(out, "   Priority = %d\n", vi->priority);
		fprintf(out, "   Advert interval = %llu ms\n",
			(unsigned long long)(vi->advert_int / 1000));
		fprintf(out, "   Virtual IP = %zu\n", vi->vips.n);
		cfg_list_for_each(const struct vrrp_ipaddr, ip, &vi->vips)
			fprintf(out, "     %s%s%s\n", ka_addr_str(&ip->addr, buf),
				ip->dev ? " dev " : "", ip->dev ? ip->dev : "");
		if (vi->sync)
			fprintf(out, "   Sync group = %s\n", vi->sync->name);
	}
}

static void vrrp_stats(struct child_ctx *ctx, FILE *out, bool clear)
{
	struct vrrp_daemon *d = ctx->priv;
	for (size_t i = 0; i < d->n; i++) {
		struct vrrp_rt_stats *s = &d->inst[i].stats;
		fprintf(out, "VRRP Instance: %s\n", d->inst[i].cfg->name);
		fprintf(out, "  Advertisements:\n    Received: %llu\n    Sent: %llu\n",
			(unsigned long long)s->advert_rcvd, (unsigned long long)s->advert_sent);
		fprintf(out, "  Became master: %llu\n  Released master: %llu\n",
			(unsigned long long)s->become_master,
			(unsigned long long)s->release_master);
		fprintf(out, "  Packet Errors:\n    Length: %llu\n    TTL: %llu\n"
			"    Invalid Type: %llu\n    Advertisement Interval: %llu\n"
			"    Address List: %llu\n",
			(unsigned long long)s->packet_len_err, (unsigned long long)s->ip_ttl_err,
			(unsigned long long)s->invalid_type_rcvd,
			(unsigned long long)s->advert_interval_err,
			(unsigned long long)s->addr_list_err);
		fprintf(out, "  Authentication Errors:\n    Invalid Type: %llu\n"
			"    Type Mismatch: %llu\n    Failure: %llu\n",
			(unsigned long long)s->invalid_authtype,
			(unsigned long long)s->authtype_mismatch,
			(unsigned long long)s->auth_failure);
		fprintf(out, "  Priority Zero:\n    Received: %llu\n    Sent: %llu\n",
			(unsigned long long)s->pri_zero_rcvd, (unsigned long long)s->pri_zero_sent);
		if (clear)
			memset(s, 0, sizeof(*s));
	}
}

/* A JSON string literal: quotes, backslashes and control characters escaped. */
static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void vrrp_json_instance(FILE *out, const struct vrrp_rt_instance *ri)
{
	const struct vrrp_instance_cfg *vi = ri->cfg;
	const struct vrrp_rt_stats *s = &ri->stats;
	char buf[KA_ADDR_STRLEN];
	fprintf(out, "{\"data\":{\"iname\":");
	json_str(out, vi->name);
	fprintf(out, ",\"ifp_ifname\":");
	json_str(out, vi->interface);
	fprintf(out, ",\"vrid\":%d,\"base_priority\":%d,\"effective_priority\":%d,"
		"\"version\":%d,\"adver_int\":%llu,\"state\":",
		vi->vrid, vi->priority, vi->priority, vi->version,
		(unsigned long long)(vi->advert_int / 1000));
	json_str(out, ri->state);
	fprintf(out, ",\"wantstate\":");
	json_str(out, wish_name(vi->state));
	fprintf(out, ",\"nopreempt\":%d,\"vips\":[", vi->nopreempt);
	bool first = true;
	cfg_list_for_each(const struct vrrp_ipaddr, ip, &vi->vips) {
		fputs(first ? "" : ",", out);
		json_str(out, ka_addr_str(&ip->addr, buf));
		first = false;
	}
	fprintf(out, "]},\"stats\":{\"advert_rcvd\":%llu,\"advert_sent\":%llu,"
		"\"become_master\":%llu,\"release_master\":%llu,\"packet_len_err\":%llu,"
		"\"ip_ttl_err\":%llu,\"invalid_type_rcvd\":%llu,\"advert_interval_err\":%llu,"
		"\"addr_list_err\":%llu,\"invalid_authtype\":%llu,\"authtype_mismatch\":%llu,"
		"\"auth_failure\":%llu,\"pri_zero_rcvd\":%llu,\"pri_zero_sent\":%llu}}",
		(unsigned long long)s->advert_rcvd, (unsigned long long)s->advert_sent,
		(unsigned long long)s->become_master, (unsigned long long)s->release_master,
		(unsigned long long)s->packet_len_err, (unsigned long long)s->ip_ttl_err,
		(unsigned long long)s->invalid_type_rcvd,
		(unsigned long long)s->advert_interval_err,
		(unsigned long long)s->addr_list_err, (unsigned long long)s->invalid_authtype,
		(unsigned long long)s->authtype_mismatch, (unsigned long long)s->auth_failure,
		(unsigned long long)s->pri_zero_rcvd, (unsigned long long)s->pri_zero_sent);
}

static void vrrp_json(struct child_ctx *ctx, FILE *out)
{
	const struct vrrp_daemon *d = ctx->priv;
	fputc('[', out);
	for (size_t i = 0; i < d->n; i++) {
		if (i)
			fputc(',', out);
		vrrp_json_instance(out, &d->inst[i]);
	}
	fputs("]\n", out);
}

const struct child_ops vrrp_child_ops = {
	.name = "VRRP",
	.data_file = VRRP_DATA_FILE,
	.data_file_cfg = true,
	.start = vrrp_start,
	.reload = vrrp_reload,
	.stop = vrrp_stop,
	.dump = vrrp_dump,
	.stats = vrrp_stats,
	.json = vrrp_json,
};
