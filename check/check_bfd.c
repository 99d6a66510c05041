/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_bfd.c - BFD_CHECK: session states from the BFD child drive real servers */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_bfd.h"
#include "check/check_cfg.h"
#include "check/check_probe_int.h"
#include "check/check_run.h"
#include "daemon/bfd_event.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"

struct check_bfd_states {
	const struct vrrp_cfg *v;
	const struct check_cfg *c;
	struct check_run *run;
	struct bfd_event_table *table;
	int fd;
	uint64_t pushed;          /* probe results pushed */
};

/* keepalived sends a session's state to both children unless the block
 * names one or both of them. */
static const struct vrrp_bfd_cfg *find_session(const struct vrrp_cfg *v, const char *name)
{
	if (!v || !name)
		return NULL;
	cfg_list_for_each(const struct vrrp_bfd_cfg, s, &v->bfds)
		if (!strcmp(s->name, name))
			return (s->checker_only || !s->vrrp_only) ? s : NULL;
	return NULL;
}

struct check_outcome check_bfd_outcome(const struct check_bfd_states *b,
				       const struct check_probe *p, char *detail, size_t len)
{
	struct check_outcome o = { .result = CHECK_OK, .weight = -1, .detail = detail };
	const char *name = p->u.bfd.name;
	int st;

	if (!b || !find_session(b->v, name)) {
		snprintf(detail, len, "no bfd_instance %s informs the checker: ignored",
			 name ? name : "");
		return o;
	}
	st = bfd_event_table_state(b->table, name);
	if (st < 0) {
		snprintf(detail, len, "no state received yet for BFD session %s", name);
		if (p->alpha == GLOBAL_ON)
			o.result = CHECK_L4CON;
		return o;
	}
	snprintf(detail, len, "BFD session %s is %s", name, st ? "Up" : "Down");
	if (!st)
		o.result = CHECK_L4CON;
	return o;
}

static bool probe_named(const struct check_probe *p, void *arg)
{
	return p->u.bfd.name && !strcmp(p->u.bfd.name, arg);
}

static void push(struct check_bfd_states *b, const char *name, bool up)
{
	char detail[BFD_EVENT_NAME_MAX + 64];
	struct check_outcome o = { .result = up ? CHECK_OK : CHECK_L4CON, .weight = -1,
				   .detail = detail };

	if (!b->run || !find_session(b->v, name))
		return;
	snprintf(detail, sizeof(detail), "BFD session %s is %s", name, up ? "Up" : "Down");
	b->pushed += check_run_push(b->run, CHECK_BFD, probe_named, (void *)name, &o);
}

static void changed_cb(void *arg, const char *name, bool up)
{
	struct check_bfd_states *b = arg;

	log_debug("BFD session %s is %s", name, up ? "Up" : "Down");
	push(b, name, up);
}

/* Every known state of a session some BFD_CHECK follows, again. */
static void push_all(struct check_bfd_states *b)
{
	if (!b->v)
		return;
	cfg_list_for_each(const struct vrrp_bfd_cfg, s, &b->v->bfds) {
		int st = bfd_event_table_state(b->table, s->name);

		if (st >= 0)
			push(b, s->name, st == 1);
	}
}

static bool any_probe(const struct check_cfg *c)
{
	if (c)
		cfg_list_for_each(const struct check_vs, vs, &c->vs)
			cfg_list_for_each(const struct check_rs, rs, &vs->rs)
				cfg_list_for_each(const struct check_probe, p, &rs->probes)
					if (p->kind == CHECK_BFD)
						return true;
	return false;
}

/* Said once per configuration: such a probe never changes. */
static void warn_ignored(const struct check_bfd_states *b)
{
	if (!b->c)
		return;
	cfg_list_for_each(const struct check_vs, vs, &b->c->vs)
		cfg_list_for_each(const struct check_rs, rs, &vs->rs)
			cfg_list_for_each(const struct check_probe, p, &rs->probes)
				if (p->kind == CHECK_BFD && !find_session(b->v, p->u.bfd.name))
					log_warnx("%s:%u: BFD_CHECK: no bfd_instance %s informs "
						  "the checker; this checker is ignored", p->file,
						  p->line, p->u.bfd.name ? p->u.bfd.name : "");
}

struct check_bfd_states *check_bfd_start(struct ev_loop *loop, int fd, const struct vrrp_cfg *v,
					 const struct check_cfg *c)
{
	struct check_bfd_states *b = xcalloc(1, sizeof(*b));

	b->v = v;
	b->c = c;
	b->fd = fd;
	warn_ignored(b);
	if (fd < 0 && any_probe(c))
		log_warnx("no BFD child to hear from (--no_bfd?): BFD_CHECK probes keep their "
			  "initial state");
	b->table = bfd_event_table_new(loop, fd, changed_cb, b);
	return b;
}

void check_bfd_attach(struct check_bfd_states *b, struct check_run *run)
{
	b->run = run;
	push_all(b);
}

void check_bfd_reload(struct check_bfd_states *b, const struct vrrp_cfg *v,
		      const struct check_cfg *c)
{
	b->v = v;
	b->c = c;
	warn_ignored(b);
	push_all(b);
}

void check_bfd_stop(struct check_bfd_states *b)
{
	if (!b)
		return;
	bfd_event_table_free(b->table);
	free(b);
}

int check_bfd_state(const struct check_bfd_states *b, const char *name)
{
	return bfd_event_table_state(b ? b->table : NULL, name);
}

static bool followed(const struct check_cfg *c, const char *name)
{
	cfg_list_for_each(const struct check_vs, vs, &c->vs)
		cfg_list_for_each(const struct check_rs, rs, &vs->rs)
			cfg_list_for_each(const struct check_probe, p, &rs->probes)
				if (p->kind == CHECK_BFD && probe_named(p, (void *)name))
					return true;
	return false;
}

void check_bfd_dump(const struct check_bfd_states *b, FILE *out)
{
	struct bfd_event_table_info info;

	if (!b || !b->v || (!b->v->bfds.n && b->fd < 0))
		return;
	cfg_list_for_each(const struct vrrp_bfd_cfg, s, &b->v->bfds) {
		int st = bfd_event_table_state(b->table, s->name);

		if (!b->c || !followed(b->c, s->name))
			continue;
		fprintf(out, " BFD session = %s\n   Status = %s\n   State changes = %" PRIu64 "\n",
			s->name, !find_session(b->v, s->name) ? "IGNORED (VRRP only)" :
			st < 0 ? "UNKNOWN (no state received yet)" : st ? "UP" : "DOWN",
			bfd_event_table_changes(b->table, s->name));
	}
	bfd_event_table_info(b->table, &info);
	fprintf(out, " BFD event channel = %s, %s\n   Sessions known = %zu, states received = %"
		PRIu64 ", malformed = %" PRIu64 ", probe results pushed = %" PRIu64 "\n",
		b->fd < 0 ? "none" : info.connected ? "open" : "closed",
		info.synced ? "synchronised" : "not synchronised yet", info.sessions, info.states,
		info.bad, b->pushed);
}

/* ---- the probe kind: an attempt restates the last known state ---------------------- */

static struct check_attempt *bfd_start(struct ev_loop *loop, const struct check_probe *p,
				       check_attempt_done_fn done, void *arg)
{
	struct check_attempt *a = check_attempt_new(sizeof(*a), loop, p, done, arg);
	char detail[BFD_EVENT_NAME_MAX + 64];
	struct check_outcome o = check_bfd_outcome(check_probe_env()->bfd, p, detail,
						   sizeof(detail));

	check_attempt_finish(a, o.result, -1, "%s", detail);
	return a;
}

const struct check_probe_ops check_bfd_ops = {
	.kind = CHECK_BFD,
	.name = "BFD_CHECK",
	.start = bfd_start,
	.cancel = check_attempt_cancel,
};
