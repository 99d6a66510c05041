/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_track.c - vrrp_script runs with rise/fall, track_file values watched with inotify */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "script.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_track.h"

/* ---- runtime state ------------------------------------------------------------ */

struct trk_script {
	struct trk_script *next;
	struct vrrp_trackers *trk;
	const struct vrrp_script_cfg *cfg;
	struct script_job *job;
	struct ev_timer *timer;
	enum vrrp_track_status status;
	int count;               /* consecutive results against the current status */
	bool disabled;           /* refused by enable_script_security */
	bool ran;                /* a result was counted */
	int last_status;         /* waitpid status of the last result, -1 = not started */
	bool last_timed_out;
};

struct trk_file {
	struct trk_file *next;
	const struct vrrp_track_file_cfg *cfg;
	char *dir, *base;        /* watched directory and file name in it */
	int wd;                  /* inotify watch, -1 = none */
	long long value;
};

struct vrrp_trackers {
	struct ev_loop *loop;
	const struct vrrp_cfg *v;
	const struct global_cfg *g;
	vrrp_track_changed_fn cb;
	void *arg;
	struct script_ident ident; /* default script identity */
	bool ident_ok;
	char ident_err[160];
	bool warned;               /* insecure-script warning given */
	struct trk_script *scripts;
	struct trk_file *files;
	int ino_fd;
	struct log_rl rl;
};

/* ---- vrrp_script ------------------------------------------------------------- */

static void script_tick_cb(struct ev_loop *loop, void *arg);

static const char *status_str(enum vrrp_track_status st)
{
	switch (st) {
	case VRRP_TRACK_UP: return "GOOD";
	case VRRP_TRACK_DOWN: return "BAD";
	case VRRP_TRACK_DISABLED: return "DISABLED";
	default: return "INIT";
	}
}

static void describe_status(char *buf, size_t len, int status, bool timed_out)
{
	if (timed_out)
		snprintf(buf, len, "timed out");
	else if (status < 0)
		snprintf(buf, len, "not started");
	else if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "status 0x%x", (unsigned)status);
}

/* Count one result against rise/fall; true when the state changed. */
static bool script_count(struct trk_script *ts, bool ok)
{
	const struct vrrp_script_cfg *c = ts->cfg;
	enum vrrp_track_status want = ok ? VRRP_TRACK_UP : VRRP_TRACK_DOWN;

	if (ts->status == VRRP_TRACK_UNKNOWN) {
		ts->status = want;
		ts->count = 0;
		return true;
	}
	if (ts->status == want) {
		ts->count = 0;
		return false;
	}
	if (++ts->count < (ok ? c->rise : c->fall))
		return false;
	ts->status = want;
	ts->count = 0;
	return true;
}

static void script_result(struct trk_script *ts, int status, bool timed_out)
{
	bool ok = !timed_out && status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	char how[64];

	ts->ran = true;
	ts->last_status = status;
	ts->last_timed_out = timed_out;
	describe_status(how, sizeof(how), status, timed_out);
	if (!script_count(ts, ok)) {
		if (!ok)
			log_debug("VRRP_Script(%s) %s (%d of %d)", ts->cfg->name, how, ts->count,
				  ts->cfg->fall);
		return;
	}
	if (ok)
		log_info("VRRP_Script(%s) succeeded", ts->cfg->name);
	else
		log_info("VRRP_Script(%s) failed (%s)", ts->cfg->name, how);
	if (ts->trk->cb)
		ts->trk->cb(ts->trk->arg, VRRP_TRACK_KIND_SCRIPT, ts->cfg);
}

static void script_done_cb(void *arg, int status, bool timed_out)
{
	script_result(arg, status, timed_out);
}

static void script_launch(struct trk_script *ts)
{
	struct vrrp_trackers *trk = ts->trk;
	const struct vrrp_script_cfg *c = ts->cfg;
	char name[128];

	snprintf(name, sizeof(name), "VRRP_Script(%s)", c->name);
	if (!c->script.user && !trk->ident_ok) {
		log_rl_msg(&trk->rl, LOG_WARNING, "%s: not run: %s", name, trk->ident_err);
		script_result(ts, -1, false);
		return;
	}
	struct script_opts o = {
		.name = name,
		.timeout = c->timeout,
		.ident = &trk->ident,
		.supplementary_groups = trk->g->set_supplementary_groups,
	};
	if (script_run(trk->loop, &c->script, NULL, &o, script_done_cb, ts, &ts->job) < 0)
		script_result(ts, -1, false);
}

static void script_tick_cb(struct ev_loop *loop, void *arg)
{
	struct trk_script *ts = arg;

	ev_timer_add(loop, script_tick_cb, ts, ts->cfg->interval ? ts->cfg->interval : 1000000,
		     &ts->timer);
	if (ts->job) {
		log_debug("VRRP_Script(%s) still running, run skipped", ts->cfg->name);
		return;
	}
	script_launch(ts);
}

/* Apply enable_script_security; returns true when the script may run. */
static bool script_allowed(struct vrrp_trackers *trk, const struct vrrp_script_cfg *c)
{
	struct script_ident id;
	char why[160], what[128];

	if (script_ident_for(&c->script, trk->ident_ok ? &trk->ident : NULL,
			     trk->g->set_supplementary_groups, &id, why, sizeof(why)) < 0)
		return true; /* it fails at run time, with the reason logged */
	snprintf(what, sizeof(what), "VRRP_Script(%s)", c->name);
	return script_security_gate(&c->script, id.uid, trk->g->enable_script_security,
				    &trk->warned, what) == 0;
}

static struct trk_script *script_new(struct vrrp_trackers *trk, const struct vrrp_script_cfg *c)
{
	struct trk_script *ts = xcalloc(1, sizeof(*ts));
	ts->trk = trk;
	ts->cfg = c;
	ts->status = c->init_fail ? VRRP_TRACK_DOWN : VRRP_TRACK_UNKNOWN;
	return ts;
}

/* (Re)decide whether the script runs, and start its ticks if so. */
static void script_arm(struct vrrp_trackers *trk, struct trk_script *ts)
{
	ts->disabled = !script_allowed(trk, ts->cfg);
	if (ts->disabled) {
		script_cancel(&ts->job);
		ev_cancel(&ts->timer);
		return;
	}
	if (!ts->timer && !ts->job)
		ev_timer_add(trk->loop, script_tick_cb, ts, 0, &ts->timer);
}

static void script_free(struct trk_script *ts)
{
	script_cancel(&ts->job);
	ev_cancel(&ts->timer);
	free(ts);
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool script_same(const struct vrrp_script_cfg *a, const struct vrrp_script_cfg *b)
{
	return !strcmp(a->name, b->name) && str_same(a->script.cmd, b->script.cmd) &&
	       str_same(a->script.user, b->script.user) &&
	       str_same(a->script.group, b->script.group) && a->interval == b->interval &&
	       a->timeout == b->timeout && a->rise == b->rise && a->fall == b->fall &&
	       a->weight == b->weight && a->reverse == b->reverse &&
	       a->init_fail == b->init_fail;
}

/* ---- track_file ----------------------------------------------------------------- */

/* Read the number in path. Returns 0 (value set; a missing or empty file is
 * 0) or -1 when the content is unusable (logged, value untouched). */
static int file_read(const struct vrrp_track_file_cfg *c, long long *value)
{
	char buf[128];
	int fd = open(c->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			*value = 0;
			return 0;
		}
		log_warn("track_file %s: cannot read %s", c->name, c->path);
		return -1;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		log_warn("track_file %s: cannot read %s", c->name, c->path);
		return -1;
	}
	buf[n] = '\0';
	char *p = buf, *end;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (!*p) {
		*value = 0;
		return 0;
	}
	errno = 0;
	long long v = strtoll(p, &end, 0);
	if (end == p || errno || v < INT32_MIN || v > INT32_MAX) {
		buf[strcspn(buf, "\n")] = '\0';
		log_warnx("track_file %s: '%s' in %s is not a 32-bit number, ignored", c->name,
			  buf, c->path);
		return -1;
	}
	*value = v;
	return 0;
}

static void file_init(const struct vrrp_track_file_cfg *c)
{
	if (!c->init_file || (!c->init_overwrite && access(c->path, F_OK) == 0))
		return;
	int fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_warn("track_file %s: cannot initialise %s", c->name, c->path);
		return;
	}
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%lld\n", c->init_value);
	if (write_all(fd, buf, (size_t)n) < 0)
		log_warn("track_file %s: cannot write %s", c->name, c->path);
	close(fd);
}

static struct trk_file *file_new(const struct vrrp_track_file_cfg *c)
{
	struct trk_file *tf = xcalloc(1, sizeof(*tf));
	const char *slash = strrchr(c->path, '/');
	tf->cfg = c;
	tf->wd = -1;
	if (!slash) {
		tf->dir = xstrdup(".");
		tf->base = xstrdup(c->path);
	} else {
		size_t dl = slash == c->path ? 1 : (size_t)(slash - c->path);
		tf->dir = xcalloc(1, dl + 1);
		memcpy(tf->dir, c->path, dl);
		tf->base = xstrdup(slash + 1);
	}
	return tf;
}

static void file_free(struct trk_file *tf)
{
	free(tf->dir);
	free(tf->base);
	free(tf);
}

static void file_update(struct vrrp_trackers *trk, struct trk_file *tf, long long value)
{
	if (value == tf->value)
		return;
	log_info("track_file %s: value %lld -> %lld", tf->cfg->name, tf->value, value);
	tf->value = value;
	if (trk->cb)
		trk->cb(trk->arg, VRRP_TRACK_KIND_FILE, tf->cfg);
}

static void file_reread(struct vrrp_trackers *trk, struct trk_file *tf, bool notify)
{
	long long v;
	if (file_read(tf->cfg, &v) < 0)
		return;
	if (notify)
		file_update(trk, tf, v);
	else
		tf->value = v;
}

static void inotify_event_one(struct vrrp_trackers *trk, const struct inotify_event *ev)
{
	if (ev->mask & IN_Q_OVERFLOW) {
		for (struct trk_file *tf = trk->files; tf; tf = tf->next)
			file_reread(trk, tf, true);
		return;
	}
	if (!ev->len || (ev->mask & IN_ISDIR))
		return;
	for (struct trk_file *tf = trk->files; tf; tf = tf->next) {
		if (tf->wd != ev->wd || strcmp(tf->base, ev->name))
			continue;
		if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
			file_update(trk, tf, 0);
		else
			file_reread(trk, tf, true);
	}
}

static void inotify_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct vrrp_trackers *trk = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				log_warn("track_file: inotify read");
			return;
		}
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
			inotify_event_one(trk, ev);
			p += sizeof(*ev) + ev->len;
		}
	}
}

static void inotify_close(struct vrrp_trackers *trk)
{
	if (trk->ino_fd < 0)
		return;
	ev_fd_del(trk->loop, trk->ino_fd);
	close(trk->ino_fd);
	trk->ino_fd = -1;
}

/* One inotify descriptor watching the directory of every tracked file:
 * editors and "mv tmp file" replace the file, which a watch on the file
 * itself would miss. */
static void inotify_open(struct vrrp_trackers *trk)
{
	if (!trk->files)
		return;
	trk->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (trk->ino_fd < 0) {
		log_warn("track_file: inotify");
		return;
	}
	for (struct trk_file *tf = trk->files; tf; tf = tf->next) {
		tf->wd = inotify_add_watch(trk->ino_fd, tf->dir, IN_CLOSE_WRITE | IN_MOVED_TO |
					   IN_MOVED_FROM | IN_DELETE);
		if (tf->wd < 0)
			log_warn("track_file %s: cannot watch directory %s", tf->cfg->name,
				 tf->dir);
	}
	if (ev_fd_add(trk->loop, trk->ino_fd, EV_READ, inotify_cb, trk) < 0) {
		log_warn("track_file: cannot watch inotify descriptor");
		close(trk->ino_fd);
		trk->ino_fd = -1;
	}
}

static bool refs_target(const struct cfg_list *l, const void *target)
{
	cfg_list_for_each(const struct vrrp_track_ref, ref, l)
		if (ref->target == target)
			return true;
	return false;
}

static bool file_used(const struct vrrp_cfg *v, const struct vrrp_track_file_cfg *c)
{
	cfg_list_for_each(const struct vrrp_instance_cfg, vi, &v->instances)
		if (refs_target(&vi->tracks.files, c))
			return true;
	cfg_list_for_each(const struct vrrp_sync_group_cfg, sg, &v->sync_groups)
		if (refs_target(&sg->tracks.files, c))
			return true;
	return false;
}

/* ---- start, reload, stop ---------------------------------------------------------- */

static void set_globals(struct vrrp_trackers *trk, const struct global_cfg *g)
{
	trk->g = g;
	trk->ident_ok = script_default_ident(g->script_user, g->script_group,
					     g->set_supplementary_groups, &trk->ident,
					     trk->ident_err, sizeof(trk->ident_err)) == 0;
	if (!trk->ident_ok)
		log_warnx("script_user: %s: scripts without their own user will not run",
			  trk->ident_err);
}

static struct trk_script *script_take(struct trk_script **list, const struct vrrp_script_cfg *c)
{
	for (struct trk_script **pp = list; *pp; pp = &(*pp)->next) {
		struct trk_script *ts = *pp;
		if (script_same(ts->cfg, c)) {
			*pp = ts->next;
			ts->next = NULL;
			return ts;
		}
	}
	return NULL;
}

static struct trk_file *file_take(struct trk_file **list, const struct vrrp_track_file_cfg *c)
{
	for (struct trk_file **pp = list; *pp; pp = &(*pp)->next) {
		struct trk_file *tf = *pp;
		if (!strcmp(tf->cfg->name, c->name) && !strcmp(tf->cfg->path, c->path)) {
			*pp = tf->next;
			tf->next = NULL;
			return tf;
		}
	}
	return NULL;
}

/* Build the script and file lists for v, reusing entries from the old lists
 * (which are emptied of what was reused). */
static void build(struct vrrp_trackers *trk, struct trk_script **old_s, struct trk_file **old_f)
{
	struct trk_script **ts_tail = &trk->scripts;
	struct trk_file **tf_tail = &trk->files;

	cfg_list_for_each(const struct vrrp_script_cfg, c, &trk->v->scripts) {
		if (!c->used)
			continue;
		struct trk_script *ts = old_s ? script_take(old_s, c) : NULL;
		if (ts)
			ts->cfg = c;
		else
			ts = script_new(trk, c);
		*ts_tail = ts;
		ts_tail = &ts->next;
	}
	cfg_list_for_each(const struct vrrp_track_file_cfg, c, &trk->v->track_files) {
		if (!file_used(trk->v, c))
			continue;
		struct trk_file *tf = old_f ? file_take(old_f, c) : NULL;
		if (tf) {
			tf->cfg = c;
		} else {
			tf = file_new(c);
			file_init(c);
		}
		file_reread(trk, tf, false);
		*tf_tail = tf;
		tf_tail = &tf->next;
	}
	for (struct trk_script *ts = trk->scripts; ts; ts = ts->next)
		script_arm(trk, ts);
	inotify_open(trk);
}

struct vrrp_trackers *vrrp_track_start(struct ev_loop *loop, const struct vrrp_cfg *v,
				       const struct global_cfg *g, vrrp_track_changed_fn cb,
				       void *arg)
{
	struct vrrp_trackers *trk = xcalloc(1, sizeof(*trk));
	trk->loop = loop;
	trk->v = v;
	trk->cb = cb;
	trk->arg = arg;
	trk->ino_fd = -1;
	set_globals(trk, g);
	build(trk, NULL, NULL);
	return trk;
}

int vrrp_track_reload(struct vrrp_trackers *trk, const struct vrrp_cfg *v,
		      const struct global_cfg *g)
{
	struct trk_script *old_s = trk->scripts;
	struct trk_file *old_f = trk->files;

	inotify_close(trk);
	trk->scripts = NULL;
	trk->files = NULL;
	trk->v = v;
	set_globals(trk, g);
	build(trk, &old_s, &old_f);
	while (old_s) {
		struct trk_script *ts = old_s;
		old_s = ts->next;
		log_info("VRRP_Script(%s) removed", ts->cfg->name);
		script_free(ts);
	}
	while (old_f) {
		struct trk_file *tf = old_f;
		old_f = tf->next;
		file_free(tf);
	}
	return 0;
}

void vrrp_track_stop(struct vrrp_trackers *trk)
{
	if (!trk)
		return;
	inotify_close(trk);
	while (trk->scripts) {
		struct trk_script *ts = trk->scripts;
		trk->scripts = ts->next;
		script_free(ts);
	}
	while (trk->files) {
		struct trk_file *tf = trk->files;
		trk->files = tf->next;
		file_free(tf);
	}
	free(trk);
}

/* ---- queries ---------------------------------------------------------------------- */

static const struct trk_script *script_find(const struct vrrp_trackers *trk,
					    const struct vrrp_script_cfg *c)
{
	if (!trk || !c)
		return NULL;
	for (const struct trk_script *ts = trk->scripts; ts; ts = ts->next)
		if (ts->cfg == c)
			return ts;
	for (const struct trk_script *ts = trk->scripts; ts; ts = ts->next)
		if (!strcmp(ts->cfg->name, c->name))
			return ts;
	return NULL;
}

enum vrrp_track_status vrrp_track_script_status(const struct vrrp_trackers *trk,
						const struct vrrp_script_cfg *c)
{
	const struct trk_script *ts = script_find(trk, c);
	if (!ts)
		return VRRP_TRACK_UNKNOWN;
	return ts->disabled ? VRRP_TRACK_DISABLED : ts->status;
}

bool vrrp_track_script_ok(const struct vrrp_trackers *trk, const struct vrrp_script_cfg *c)
{
	return vrrp_track_script_status(trk, c) == VRRP_TRACK_UP;
}

static const struct trk_file *file_find(const struct vrrp_trackers *trk,
					const struct vrrp_track_file_cfg *c)
{
	if (!trk || !c)
		return NULL;
	for (const struct trk_file *tf = trk->files; tf; tf = tf->next)
		if (tf->cfg == c)
			return tf;
	for (const struct trk_file *tf = trk->files; tf; tf = tf->next)
		if (!strcmp(tf->cfg->name, c->name))
			return tf;
	return NULL;
}

long long vrrp_track_file_value(const struct vrrp_trackers *trk,
				const struct vrrp_track_file_cfg *c)
{
	const struct trk_file *tf = file_find(trk, c);
	return tf ? tf->value : 0;
}

static enum vrrp_track_status lookup_script(const struct vrrp_track_lookup *lk,
					    const struct vrrp_track_ref *ref)
{
	return vrrp_track_script_status(lk->trk, ref->target);
}

static bool lookup_file(const struct vrrp_track_lookup *lk, const struct vrrp_track_ref *ref,
			long long *value)
{
	const struct trk_file *tf = file_find(lk->trk, ref->target);
	if (!tf)
		return false;
	*value = tf->value;
	return true;
}

void vrrp_track_lookup_init(struct vrrp_track_lookup *lk, const struct vrrp_trackers *trk)
{
	*lk = (struct vrrp_track_lookup){ .trk = trk, .script = lookup_script,
					  .file = lookup_file };
}

void vrrp_track_dump(const struct vrrp_trackers *trk, FILE *out)
{
	char how[64];

	for (const struct trk_script *ts = trk->scripts; ts; ts = ts->next) {
		const char *st = status_str(ts->disabled ? VRRP_TRACK_DISABLED : ts->status);
		describe_status(how, sizeof(how), ts->last_status, ts->last_timed_out);
		fprintf(out, " VRRP Script = %s\n   Status = %s\n   Last result = %s\n"
			"   Running = %s\n", ts->cfg->name, st, ts->ran ? how : "none",
			ts->job ? "yes" : "no");
	}
	for (const struct trk_file *tf = trk->files; tf; tf = tf->next)
		fprintf(out, " Track file = %s\n   File = %s\n   Value = %lld\n", tf->cfg->name,
			tf->cfg->path, tf->value);
}
