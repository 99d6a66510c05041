/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_daemon.c - the VRRP child process: child runtime hooks around the VRRP engine */
#include "daemon/child.h"
#include "daemon/config.h"
#include "log.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_daemon.h"
#include "vrrp/vrrp_engine.h"

#define VRRP_DATA_FILE "/tmp/keepalived.data"

static int vrrp_start(struct child_ctx *ctx)
{
	const struct vrrp_cfg *v = ctx->config->vrrp;
	struct vrrp_engine *eng = vrrp_engine_start(ctx->loop, ctx->config, ctx->opts,
						    ctx->bfd_fd);

	if (!eng)
		return KA_EXIT_FATAL;
	ctx->priv = eng;
	log_info("VRRP child started: %zu instance%s, %zu sync group%s", v->instances.n,
		 v->instances.n == 1 ? "" : "s", v->sync_groups.n,
		 v->sync_groups.n == 1 ? "" : "s");
	return KA_EXIT_OK;
}

/* ctx->config is the new configuration; the engine drops every pointer
 * into old before returning. */
static int vrrp_reload(struct child_ctx *ctx, const struct ka_config *old)
{
	log_info("VRRP reloading: %zu instance%s", ctx->config->vrrp->instances.n,
		 ctx->config->vrrp->instances.n == 1 ? "" : "s");
	return vrrp_engine_reload(ctx->priv, ctx->config);
}

static void vrrp_stop(struct child_ctx *ctx)
{
	vrrp_engine_stop(ctx->priv);
	ctx->priv = NULL;
	log_info("VRRP child stopped");
}

static void vrrp_dump(struct child_ctx *ctx, FILE *out)
{
	vrrp_engine_dump(ctx->priv, out);
}

static void vrrp_stats(struct child_ctx *ctx, FILE *out, bool clear)
{
	vrrp_engine_stats(ctx->priv, out, clear);
}

static void vrrp_json(struct child_ctx *ctx, FILE *out)
{
	vrrp_engine_json(ctx->priv, out);
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
