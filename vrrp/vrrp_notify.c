/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_notify.c - per-instance queues of notify scripts, event FIFO lines, the mail hook */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "notify_fifo.h"
#include "notify_queue.h"
#include "script.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_notify.h"

struct vrrp_notify {
	struct ev_loop *loop;
	const struct global_cfg *g;
	struct script_ident ident; /* default script identity */
	bool ident_ok;
	char ident_err[160];
	uint64_t timeout;
	struct notify_queues *queues;
	struct notify_fifo fifos[2];
	vrrp_notify_smtp_fn smtp;
	void *smtp_arg;
};

static const char *const state_names[] = {
	[VRRP_NOTIFY_MASTER] = "MASTER", [VRRP_NOTIFY_BACKUP] = "BACKUP",
	[VRRP_NOTIFY_FAULT] = "FAULT", [VRRP_NOTIFY_STOP] = "STOP",
	[VRRP_NOTIFY_DELETED] = "DELETED",
};

const char *vrrp_notify_state_str(enum vrrp_notify_state st)
{
	return (unsigned)st < sizeof(state_names) / sizeof(state_names[0]) ? state_names[st]
									   : "{UNKNOWN}";
}

/* Queue script s (with extra arguments) behind the object's earlier ones. */
static void enqueue(struct vrrp_notify *n, bool group, const char *name,
		    const struct ka_script *s, const char *kw, const char *const *extra)
{
	char key[160], what[sizeof(key) + 32];

	/* One queue per instance or group, keyed by its log name. */
	snprintf(key, sizeof(key), group ? "VRRP_Group(%s)" : "(%s)", name);
	snprintf(what, sizeof(what), "%s %s", key, kw);
	notify_queues_add(n->queues, key, s, extra, what);
}

/* ---- FIFOs --------------------------------------------------------------------- */

static void fifo_write(struct vrrp_notify *n, const char *type, const char *name,
		       const char *state, int priority)
{
	char line[512];
	int len = snprintf(line, sizeof(line), "%s \"%s\" %s %d\n", type, name, state, priority);
	if (len <= 0 || (size_t)len >= sizeof(line))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(n->fifos); i++)
		notify_fifo_write(&n->fifos[i], line, (size_t)len);
}

/* ---- start, reload, stop ------------------------------------------------------- */

static void queues_set(struct vrrp_notify *n)
{
	const struct notify_queue_opts o = {
		.ident = n->ident_ok ? &n->ident : NULL, .ident_err = n->ident_err,
		.supplementary_groups = n->g->set_supplementary_groups,
		.script_security = n->g->enable_script_security, .timeout = n->timeout,
	};
	notify_queues_set(n->queues, &o);
}

/* Take the global settings g; the FIFOs whose settings changed are reopened. */
static void set_globals(struct vrrp_notify *n, const struct global_cfg *g)
{
	n->g = g;
	n->ident_ok = script_default_ident(g->script_user, g->script_group,
					   g->set_supplementary_groups, &n->ident, n->ident_err,
					   sizeof(n->ident_err)) == 0;
	const struct notify_fifo_cfg cfg[] = {
		{ "notify_fifo", &g->notify_fifo.fifo, &g->notify_fifo.script },
		{ "vrrp_notify_fifo", &g->vrrp_notify_fifo.fifo, &g->vrrp_notify_fifo.script },
	};
	const struct notify_fifo_env env = {
		.loop = n->loop, .ident = n->ident_ok ? &n->ident : NULL,
		.ident_err = n->ident_err, .supplementary_groups = g->set_supplementary_groups,
	};
	notify_fifo_set(n->fifos, ARRAY_SIZE(n->fifos), cfg, &env);
	queues_set(n);
}

struct vrrp_notify *vrrp_notify_start(struct ev_loop *loop, const struct global_cfg *g)
{
	struct vrrp_notify *n = xcalloc(1, sizeof(*n));
	n->loop = loop;
	n->timeout = VRRP_NOTIFY_TIMEOUT_US;
	n->queues = notify_queues_new(loop);
	set_globals(n, g);
	return n;
}

void vrrp_notify_reload(struct vrrp_notify *n, const struct global_cfg *g)
{
	set_globals(n, g);
}

void vrrp_notify_stop(struct vrrp_notify *n)
{
	if (!n)
		return;
	notify_queues_free(n->queues, VRRP_NOTIFY_STOP_WAIT_US);
	for (size_t i = 0; i < ARRAY_SIZE(n->fifos); i++)
		notify_fifo_close(&n->fifos[i]);
	free(n);
}

/* ---- events ------------------------------------------------------------------- */

static const struct ka_script *instance_script(const struct vrrp_instance_cfg *vi,
					       enum vrrp_notify_state st, const char **kw)
{
	switch (st) {
	case VRRP_NOTIFY_MASTER: *kw = "notify_master"; return &vi->notify_master;
	case VRRP_NOTIFY_BACKUP: *kw = "notify_backup"; return &vi->notify_backup;
	case VRRP_NOTIFY_FAULT: *kw = "notify_fault"; return &vi->notify_fault;
	case VRRP_NOTIFY_STOP: *kw = "notify_stop"; return &vi->notify_stop;
	case VRRP_NOTIFY_DELETED:
		*kw = "notify_deleted";
		return vi->notify_deleted ? &vi->notify_deleted_script : NULL;
	}
	return NULL;
}

static const struct ka_script *group_script(const struct vrrp_sync_group_cfg *sg,
					    enum vrrp_notify_state st, const char **kw)
{
	switch (st) {
	case VRRP_NOTIFY_MASTER: *kw = "notify_master"; return &sg->notify_master;
	case VRRP_NOTIFY_BACKUP: *kw = "notify_backup"; return &sg->notify_backup;
	case VRRP_NOTIFY_FAULT: *kw = "notify_fault"; return &sg->notify_fault;
	case VRRP_NOTIFY_STOP: *kw = "notify_stop"; return &sg->notify_stop;
	case VRRP_NOTIFY_DELETED: break;
	}
	return NULL;
}

void vrrp_notify_instance(struct vrrp_notify *n, const struct vrrp_instance_cfg *vi,
			  enum vrrp_notify_state st, int priority)
{
	const char *kw = NULL, *state = vrrp_notify_state_str(st);
	const struct ka_script *s = instance_script(vi, st, &kw);
	char prio[16];

	if (s)
		enqueue(n, false, vi->name, s, kw, NULL);
	snprintf(prio, sizeof(prio), "%d", priority);
	const char *extra[] = { "INSTANCE", vi->name, state, prio, NULL };
	enqueue(n, false, vi->name, &vi->notify, "notify", extra);
	fifo_write(n, "INSTANCE", vi->name, state, priority);
	if (n->smtp)
		n->smtp(n->smtp_arg, vi, NULL, st, priority);
}

void vrrp_notify_group(struct vrrp_notify *n, const struct vrrp_sync_group_cfg *sg,
		       enum vrrp_notify_state st)
{
	const char *kw = NULL, *state = vrrp_notify_state_str(st);
	const struct ka_script *s = group_script(sg, st, &kw);

	if (s)
		enqueue(n, true, sg->name, s, kw, NULL);
	const char *extra[] = { "GROUP", sg->name, state, "0", NULL };
	enqueue(n, true, sg->name, &sg->notify, "notify", extra);
	fifo_write(n, "GROUP", sg->name, state, 0);
	if (n->smtp)
		n->smtp(n->smtp_arg, NULL, sg, st, 0);
}

void vrrp_notify_rx_lower_pri(struct vrrp_notify *n, const struct vrrp_instance_cfg *vi,
			      int priority)
{
	enqueue(n, false, vi->name, &vi->notify_master_rx_lower_pri,
		"notify_master_rx_lower_pri", NULL);
	fifo_write(n, "INSTANCE", vi->name, "MASTER_RX_LOWER_PRI", priority);
}

void vrrp_notify_priority(struct vrrp_notify *n, const struct vrrp_instance_cfg *vi,
			  bool master, int priority)
{
	if (vi->notify_priority_changes)
		fifo_write(n, "INSTANCE", vi->name, master ? "MASTER_PRIORITY" : "BACKUP_PRIORITY",
			   priority);
}

void vrrp_notify_set_smtp_hook(struct vrrp_notify *n, vrrp_notify_smtp_fn fn, void *arg)
{
	n->smtp = fn;
	n->smtp_arg = arg;
}

void vrrp_notify_set_timeout(struct vrrp_notify *n, uint64_t usec)
{
	n->timeout = usec;
	queues_set(n);
}
