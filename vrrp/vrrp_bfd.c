/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_bfd.c - track_bfd: session states read from the BFD child's event channel */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "daemon/bfd_event.h"
#include "json.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_bfd.h"
#include "vrrp/vrrp_cfg.h"

struct vrrp_bfd {
	const struct vrrp_cfg *v;
	struct bfd_event_table *table;
	vrrp_track_changed_fn cb;
	void *arg;
	int fd;
};

/* keepalived sends a session's state to both children unless the block
 * names one or both of them. */
static bool for_vrrp(const struct vrrp_bfd_cfg *c)
{
	return c->vrrp_only || !c->checker_only;
}

static bool refs_name(const struct cfg_list *l, const char *name)
{
	cfg_list_for_each(const struct vrrp_track_ref, ref, l)
		if (!strcmp(ref->name, name))
			return true;
	return false;
}

static bool tracked(const struct vrrp_cfg *v, const char *name)
{
	cfg_list_for_each(const struct vrrp_instance_cfg, vi, &v->instances)
		if (refs_name(&vi->tracks.bfds, name))
			return true;
	cfg_list_for_each(const struct vrrp_sync_group_cfg, sg, &v->sync_groups)
		if (refs_name(&sg->tracks.bfds, name))
			return true;
	return false;
}

static bool any_tracked(const struct vrrp_cfg *v)
{
	cfg_list_for_each(const struct vrrp_bfd_cfg, c, &v->bfds)
		if (tracked(v, c->name))
			return true;
	return false;
}

static const struct vrrp_bfd_cfg *find_cfg(const struct vrrp_cfg *v, const char *name)
{
	cfg_list_for_each(const struct vrrp_bfd_cfg, c, &v->bfds)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void changed_cb(void *arg, const char *name, bool up)
{
	struct vrrp_bfd *b = arg;
	const struct vrrp_bfd_cfg *c = find_cfg(b->v, name);

	if (!c || !for_vrrp(c) || !tracked(b->v, name)) {
		log_debug("BFD session %s is %s (not tracked)", name, up ? "Up" : "Down");
		return;
	}
	/* First news, and Down: what we assumed already */
	if (!up && bfd_event_table_changes(b->table, name) == 1)
		return;
	log_info("Tracked BFD %s is now %s", name, up ? "UP" : "DOWN");
	if (b->cb)
		b->cb(b->arg, VRRP_TRACK_KIND_BFD, c);
}

static void warn_ignored_list(const struct cfg_list *l, const char *owner, const char *name)
{
	cfg_list_for_each(const struct vrrp_track_ref, ref, l) {
		const struct vrrp_bfd_cfg *c = ref->target;

		if (c && !for_vrrp(c))
			log_warnx("%s %s: track_bfd %s: that bfd_instance only informs the "
				  "checker, ignored", owner, name, ref->name);
	}
}

/* Said once per configuration: such a tracker never changes. */
static void warn_ignored(const struct vrrp_cfg *v)
{
	cfg_list_for_each(const struct vrrp_instance_cfg, vi, &v->instances)
		warn_ignored_list(&vi->tracks.bfds, "vrrp_instance", vi->name);
	cfg_list_for_each(const struct vrrp_sync_group_cfg, sg, &v->sync_groups)
		warn_ignored_list(&sg->tracks.bfds, "vrrp_sync_group", sg->name);
}

struct vrrp_bfd *vrrp_bfd_start(struct ev_loop *loop, int fd, const struct vrrp_cfg *v,
				vrrp_track_changed_fn cb, void *arg)
{
	struct vrrp_bfd *b = xcalloc(1, sizeof(*b));

	b->v = v;
	b->cb = cb;
	b->arg = arg;
	b->fd = fd;
	warn_ignored(v);
	if (fd < 0 && any_tracked(v))
		log_warnx("no BFD child to hear from (--no_bfd?): every track_bfd session "
			  "stays Down");
	b->table = bfd_event_table_new(loop, fd, changed_cb, b);
	return b;
}

void vrrp_bfd_reload(struct vrrp_bfd *b, const struct vrrp_cfg *v)
{
	b->v = v;
	warn_ignored(v);
}

void vrrp_bfd_stop(struct vrrp_bfd *b)
{
	if (!b)
		return;
	bfd_event_table_free(b->table);
	free(b);
}

enum vrrp_track_status vrrp_bfd_status(const struct vrrp_bfd *b, const struct vrrp_bfd_cfg *c)
{
	if (!c || !for_vrrp(c))
		return VRRP_TRACK_UNKNOWN;
	/* Down until told: a session nobody reported on is not a path we
	 * may rely on. */
	return bfd_event_table_state(b ? b->table : NULL, c->name) == 1 ? VRRP_TRACK_UP
									  : VRRP_TRACK_DOWN;
}

static enum vrrp_track_status lookup_bfd(const struct vrrp_track_lookup *lk,
					 const struct vrrp_track_ref *ref)
{
	return vrrp_bfd_status(lk->bfds, ref->target);
}

void vrrp_bfd_lookup_init(struct vrrp_track_lookup *lk, const struct vrrp_bfd *b)
{
	lk->bfds = b;
	lk->bfd = lookup_bfd;
}

static const char *status_word(const struct vrrp_bfd *b, const struct vrrp_bfd_cfg *c)
{
	switch (vrrp_bfd_status(b, c)) {
	case VRRP_TRACK_UP: return "UP";
	case VRRP_TRACK_DOWN: return "DOWN";
	default: return "IGNORED";
	}
}

void vrrp_bfd_dump(const struct vrrp_bfd *b, FILE *out)
{
	struct bfd_event_table_info info;

	if (!b || (!b->v->bfds.n && b->fd < 0))
		return;
	cfg_list_for_each(const struct vrrp_bfd_cfg, c, &b->v->bfds) {
		if (!tracked(b->v, c->name))
			continue;
		fprintf(out, " Tracked BFD = %s\n   Status = %s%s\n   Default weight = %d%s\n",
			c->name, status_word(b, c),
			for_vrrp(c) && bfd_event_table_state(b->table, c->name) < 0 ?
				" (no state received yet)" : "",
			c->weight, c->reverse ? " reverse" : "");
		fprintf(out, "   State changes = %" PRIu64 "\n",
			bfd_event_table_changes(b->table, c->name));
	}
	bfd_event_table_info(b->table, &info);
	fprintf(out, " BFD event channel = %s, %s\n   Sessions known = %zu, states received = %"
		PRIu64 ", malformed = %" PRIu64 "\n",
		b->fd < 0 ? "none" : info.connected ? "open" : "closed",
		info.synced ? "synchronised" : "not synchronised yet", info.sessions, info.states,
		info.bad);
}

static void json_list(const struct vrrp_bfd *b, const struct vrrp_tracks *tr, bool *first,
		      FILE *out)
{
	if (!tr)
		return;
	cfg_list_for_each(const struct vrrp_track_ref, ref, &tr->bfds) {
		fputs(*first ? "" : ",", out);
		*first = false;
		fputs("{\"name\":", out);
		json_str(out, ref->name);
		fprintf(out, ",\"status\":\"%s\",\"weight\":%d,\"reverse\":%d}",
			status_word(b, ref->target), ref->weight, ref->reverse);
	}
}

void vrrp_bfd_json(const struct vrrp_bfd *b, const struct vrrp_tracks *own,
		   const struct vrrp_tracks *group, FILE *out)
{
	bool first = true;

	if ((!own || !own->bfds.n) && (!group || !group->bfds.n))
		return;
	fputs(",\"track_bfd\":[", out);
	json_list(b, own, &first, out);
	json_list(b, group, &first, out);
	fputc(']', out);
}
