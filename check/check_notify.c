/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_notify.c - real/virtual server notify scripts in order, LVS event FIFO lines, alert hook */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_notify.h"
#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "notify_fifo.h"
#include "notify_queue.h"
#include "script.h"
#include "util.h"

/* A notify script that hangs this long is killed, so the next one of its
 * server can run (keepalived has no limit; a hung script would otherwise
 * hold back every later notify of that server). */
#define NOTIFY_TIMEOUT_US (60 * 1000000ull)

struct check_notify {
	struct ev_loop *loop;
	struct script_ident ident;
	bool ident_ok;
	char ident_err[160];
	struct notify_queues *queues;
	struct notify_fifo fifos[2];
	check_alert_fn alert;
	void *alert_arg;
	check_alert_fn trap;
	void *trap_arg;
	unsigned long lines;
};

/* ---- names ---- */

static const char *proto_lower(int proto)
{
	return proto == IPPROTO_UDP ? "udp" : proto == IPPROTO_SCTP ? "sctp" : "tcp";
}

const char *check_notify_vs_str(const struct check_vs *vs, char *buf, size_t len)
{
	char a[KA_ADDR_STRLEN];
	if (vs->kind == CHECK_VS_GROUP)
		snprintf(buf, len, "[%s]:%u", vs->group_name, (unsigned)vs->port);
	else if (vs->kind == CHECK_VS_FWMARK)
		snprintf(buf, len, "FWM %u", vs->fwmark);
	else
		snprintf(buf, len, "[%s]:%s:%u", ka_addr_str(&vs->addr, a),
			 proto_lower(vs->protocol), (unsigned)vs->port);
	return buf;
}

const char *check_notify_rs_str(const struct check_rs *rs, char *buf, size_t len)
{
	char a[KA_ADDR_STRLEN];
	snprintf(buf, len, "[%s]:%s:%u", ka_addr_str(&rs->addr, a),
		 proto_lower(rs->vs ? rs->vs->protocol : IPPROTO_TCP), (unsigned)rs->port);
	return buf;
}

/* ---- FIFOs ---- */

static void fifo_write(struct check_notify *n, const char *line)
{
	for (size_t i = 0; i < ARRAY_SIZE(n->fifos); i++)
		if (notify_fifo_write(&n->fifos[i], line, strlen(line)))
			n->lines++;
}

/* ---- life cycle ---- */

/* Take the global settings g; the FIFOs whose settings changed are reopened. */
static void set_globals(struct check_notify *n, const struct global_cfg *g)
{
	n->ident_ok = script_default_ident(g->script_user, g->script_group,
					   g->set_supplementary_groups, &n->ident, n->ident_err,
					   sizeof(n->ident_err)) == 0;
	const struct notify_fifo_cfg cfg[] = {
		{ "notify_fifo", &g->notify_fifo.fifo, &g->notify_fifo.script },
		{ "lvs_notify_fifo", &g->lvs_notify_fifo.fifo, &g->lvs_notify_fifo.script },
	};
	const struct notify_fifo_env env = {
		.loop = n->loop, .ident = n->ident_ok ? &n->ident : NULL,
		.ident_err = n->ident_err, .supplementary_groups = g->set_supplementary_groups,
	};
	notify_fifo_set(n->fifos, ARRAY_SIZE(n->fifos), cfg, &env);
	const struct notify_queue_opts qo = {
		.ident = env.ident, .ident_err = n->ident_err,
		.supplementary_groups = g->set_supplementary_groups,
		.script_security = g->enable_script_security, .timeout = NOTIFY_TIMEOUT_US,
	};
	notify_queues_set(n->queues, &qo);
}

struct check_notify *check_notify_new(struct ev_loop *loop, const struct global_cfg *g)
{
	struct check_notify *n = xcalloc(1, sizeof(*n));
	n->loop = loop;
	n->queues = notify_queues_new(loop);
	set_globals(n, g);
	return n;
}

void check_notify_reload(struct check_notify *n, const struct global_cfg *g)
{
	set_globals(n, g);
}

void check_notify_stop(struct check_notify *n)
{
	if (!n)
		return;
	notify_queues_free(n->queues, CHECK_NOTIFY_STOP_WAIT_US);
	for (size_t i = 0; i < ARRAY_SIZE(n->fifos); i++)
		notify_fifo_close(&n->fifos[i]);
	free(n);
}

void check_notify_set_alert(struct check_notify *n, check_alert_fn fn, void *arg)
{
	n->alert = fn;
	n->alert_arg = arg;
}

void check_notify_set_trap(struct check_notify *n, check_alert_fn fn, void *arg)
{
	n->trap = fn;
	n->trap_arg = arg;
}

void check_notify_counters(const struct check_notify *n, unsigned long *scripts,
			   unsigned long *lines)
{
	*scripts = notify_queues_started(n->queues);
	*lines = n->lines;
}

/* ---- events ---- */

void check_notify_rs(struct check_notify *n, const struct check_rs *rs, bool up,
		     const char *detail)
{
	char rb[CHECK_NAME_LEN], vb[CHECK_NAME_LEN], key[2 * CHECK_NAME_LEN + 8];
	char what[CHECK_NAME_LEN + 32], line[2 * CHECK_NAME_LEN + 32];
	check_notify_rs_str(rs, rb, sizeof(rb));
	check_notify_vs_str(rs->vs, vb, sizeof(vb));
	snprintf(key, sizeof(key), "RS %s %s", rb, vb);
	snprintf(what, sizeof(what), "%s %s", up ? "notify_up" : "notify_down", rb);
	notify_queues_add(n->queues, key, up ? &rs->notify_up : &rs->notify_down, NULL, what);
	snprintf(line, sizeof(line), "RS %s %s %s\n", rb, vb, up ? "UP" : "DOWN");
	fifo_write(n, line);
	if (n->alert)
		n->alert(n->alert_arg, rs->vs, rs, up, detail ? detail : "");
	if (n->trap)
		n->trap(n->trap_arg, rs->vs, rs, up, detail ? detail : "");
}

void check_notify_vs(struct check_notify *n, const struct check_vs *vs, bool up,
		     const char *detail)
{
	char vb[CHECK_NAME_LEN], key[CHECK_NAME_LEN + 8], what[CHECK_NAME_LEN + 32];
	char line[CHECK_NAME_LEN + 32];
	check_notify_vs_str(vs, vb, sizeof(vb));
	snprintf(key, sizeof(key), "VS %s", vb);
	snprintf(what, sizeof(what), "%s %s", up ? "quorum_up" : "quorum_down", vb);
	notify_queues_add(n->queues, key, up ? &vs->quorum_up : &vs->quorum_down, NULL, what);
	snprintf(line, sizeof(line), "VS %s %s\n", vb, up ? "UP" : "DOWN");
	fifo_write(n, line);
	if (n->alert)
		n->alert(n->alert_arg, vs, NULL, up, detail ? detail : "");
	if (n->trap)
		n->trap(n->trap_arg, vs, NULL, up, detail ? detail : "");
}
