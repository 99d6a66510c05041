/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_daemon.c - the checker child process: virtual/real server table and dumps */
#include <netinet/in.h>
#include <stdio.h>

#include "check/check_cfg.h"
#include "check/check_daemon.h"
#include "daemon/config.h"
#include "log.h"

#define CHECK_DATA_FILE "/tmp/keepalived_check.data"

static size_t count_rs(const struct check_cfg *c)
{
	size_t n = 0;
	cfg_list_for_each(const struct check_vs, vs, &c->vs)
		n += vs->rs.n;
	return n;
}

static void log_summary(const char *what, const struct check_cfg *c)
{
	size_t nvs = c->vs.n, nrs = count_rs(c);
	log_info("%s: %zu virtual server%s, %zu real server%s", what, nvs, nvs == 1 ? "" : "s",
		 nrs, nrs == 1 ? "" : "s");
}

static int check_start(struct child_ctx *ctx)
{
	log_summary("checker child started", ctx->config->check);
	return 0;
}

/* Nothing is derived from the old configuration yet: no state to migrate. */
static int check_reload(struct child_ctx *ctx, const struct ka_config *old)
{
	log_summary("checker configuration", ctx->config->check);
	return 0;
}

static void check_stop(struct child_ctx *ctx)
{
	log_info("checker child stopped");
}

static const char *proto_name(int proto)
{
	return proto == IPPROTO_UDP ? "UDP" : proto == IPPROTO_SCTP ? "SCTP" : "TCP";
}

static void dump_vs_head(FILE *out, const struct check_vs *vs)
{
	char buf[KA_ADDR_STRLEN];
	if (vs->kind == CHECK_VS_FWMARK)
		fprintf(out, " Virtual Server = fwmark %u", vs->fwmark);
	else if (vs->kind == CHECK_VS_GROUP)
		fprintf(out, " Virtual Server = group %s", vs->group_name);
	else
		fprintf(out, " Virtual Server = %s port %u", ka_addr_str(&vs->addr, buf),
			vs->port);
	fprintf(out, " %s, scheduler %s, %zu real server%s\n", proto_name(vs->protocol),
		vs->sched ? vs->sched : "wlc", vs->rs.n, vs->rs.n == 1 ? "" : "s");
}

static void dump_rs(FILE *out, const struct check_rs *rs)
{
	char buf[KA_ADDR_STRLEN];
	fprintf(out, "   Real Server = %s port %u weight %u, checkers:",
		ka_addr_str(&rs->addr, buf), rs->port, rs->weight);
	if (!rs->probes.n)
		fprintf(out, " none");
	cfg_list_for_each(const struct check_probe, pr, &rs->probes)
		fprintf(out, " %s", check_kind_name(pr->kind));
	fprintf(out, "\n     State = not checked (checkers not running)\n");
}

static void check_dump(struct child_ctx *ctx, FILE *out)
{
	const struct check_cfg *c = ctx->config->check;
	fprintf(out, " Virtual servers: %zu, real servers: %zu (checkers and IPVS not "
		"running)\n", c->vs.n, count_rs(c));
	cfg_list_for_each(const struct check_vs, vs, &c->vs) {
		dump_vs_head(out, vs);
		cfg_list_for_each(const struct check_rs, rs, &vs->rs)
			dump_rs(out, rs);
		if (vs->sorry_server)
			fprintf(out, "   Sorry server configured\n");
	}
}

const struct child_ops check_child_ops = {
	.name = "checker",
	.data_file = CHECK_DATA_FILE,
	.data_file_cfg = false,
	.start = check_start,
	.reload = check_reload,
	.stop = check_stop,
	.dump = check_dump,
};
