/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_notify.c - per-instance queues of notify scripts, event FIFO lines, the mail hook */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "script.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_notify.h"

/* One script waiting in a queue; owns copies of everything, since the
 * configuration it came from may be replaced before it runs. */
struct nq_item {
	struct nq_item *next;
	struct ka_script s;        /* argv: the script's words + notify arguments */
	char *what;                /* log name: "(VI_1) notify_master" */
};

/* The scripts of one instance or group, run one after the other. */
struct nqueue {
	struct nqueue *next;
	struct vrrp_notify *n;
	bool group;
	char *name;
	struct nq_item *head, *tail;
	struct script_job *job;
	char *running;             /* what of the running job */
};

struct nfifo {
	const char *kw;            /* "notify_fifo" / "vrrp_notify_fifo" */
	const struct global_fifo *cfg;
	char *path;
	int fd;
	bool created;              /* we made it: removed at stop */
	struct script_job *job;    /* the FIFO's reader script */
	struct log_rl rl;
};

struct vrrp_notify {
	struct ev_loop *loop;
	const struct global_cfg *g;
	struct script_ident ident; /* default script identity */
	bool ident_ok;
	char ident_err[160];
	bool warned;               /* insecure-script warning given */
	bool stopping;
	uint64_t timeout;
	struct nqueue *queues;
	struct nfifo fifos[2];
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

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* ---- queues ------------------------------------------------------------------ */

static void item_free(struct nq_item *it)
{
	for (char **a = it->s.argv; a && *a; a++)
		free(*a);
	free(it->s.argv);
	free(it->s.cmd);
	free(it->s.user);
	free(it->s.group);
	free(it->what);
	free(it);
}

static struct nq_item *item_new(const struct ka_script *s, const char *const *extra,
				const char *what)
{
	struct nq_item *it = xcalloc(1, sizeof(*it));
	size_t n = 0, m = 0;
	while (s->argv[n])
		n++;
	while (extra && extra[m])
		m++;
	it->s.argv = xcalloc(n + m + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		it->s.argv[i] = xstrdup(s->argv[i]);
	for (size_t i = 0; i < m; i++)
		it->s.argv[n + i] = xstrdup(extra[i]);
	it->s.cmd = dup_or_null(s->cmd);
	it->s.user = dup_or_null(s->user);
	it->s.group = dup_or_null(s->group);
	it->what = xstrdup(what);
	return it;
}

static void queue_next(struct nqueue *q);

static void queue_done_cb(void *arg, int status, bool timed_out)
{
	struct nqueue *q = arg;

	if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
	    WEXITSTATUS(status) != 127)
		log_info("%s: exited with status %d", q->running, WEXITSTATUS(status));
	else if (!timed_out && WIFSIGNALED(status))
		log_info("%s: killed by signal %d", q->running, WTERMSIG(status));
	free(q->running);
	q->running = NULL;
	queue_next(q);
}

static void queue_unlink(struct vrrp_notify *n, struct nqueue *q)
{
	for (struct nqueue **pp = &n->queues; *pp; pp = &(*pp)->next) {
		if (*pp == q) {
			*pp = q->next;
			break;
		}
	}
	free(q->name);
	free(q->running);
	free(q);
}

/* Start one item; false if it could not be started. */
static bool item_start(struct nqueue *q, struct nq_item *it)
{
	struct vrrp_notify *n = q->n;
	struct script_ident id;
	char why[160];

	if (!it->s.user && !n->ident_ok) {
		log_warnx("%s: not run: %s", it->what, n->ident_err);
		return false;
	}
	if (script_ident_for(&it->s, &n->ident, n->g->set_supplementary_groups, &id, why,
			     sizeof(why)) < 0) {
		log_warnx("%s: not run: %s", it->what, why);
		return false;
	}
	if (script_security_gate(&it->s, id.uid, n->g->enable_script_security, &n->warned,
				 it->what) < 0)
		return false;
	struct script_opts o = {
		.name = it->what, .timeout = n->timeout, .ident = &n->ident,
		.supplementary_groups = n->g->set_supplementary_groups,
	};
	if (script_run(n->loop, &it->s, NULL, &o, queue_done_cb, q, &q->job) < 0)
		return false;
	q->running = xstrdup(it->what);
	return true;
}

static void queue_next(struct nqueue *q)
{
	while (q->head && !q->job) {
		struct nq_item *it = q->head;
		q->head = it->next;
		if (!q->head)
			q->tail = NULL;
		item_start(q, it);
		item_free(it);
	}
	if (!q->job && !q->head && !q->n->stopping)
		queue_unlink(q->n, q);
}

static struct nqueue *queue_get(struct vrrp_notify *n, bool group, const char *name)
{
	for (struct nqueue *q = n->queues; q; q = q->next)
		if (q->group == group && !strcmp(q->name, name))
			return q;
	struct nqueue *q = xcalloc(1, sizeof(*q));
	q->n = n;
	q->group = group;
	q->name = xstrdup(name);
	q->next = n->queues;
	n->queues = q;
	return q;
}

/* Queue script s (with extra arguments) behind the object's earlier ones. */
static void enqueue(struct vrrp_notify *n, bool group, const char *name,
		    const struct ka_script *s, const char *kw, const char *const *extra)
{
	char what[160];

	if (!s->cmd || !s->argv || !s->argv[0])
		return;
	snprintf(what, sizeof(what), group ? "VRRP_Group(%s) %s" : "(%s) %s", name, kw);
	struct nqueue *q = queue_get(n, group, name);
	struct nq_item *it = item_new(s, extra, what);
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	if (!q->job)
		queue_next(q);
}

static void queue_free(struct nqueue *q)
{
	while (q->head) {
		struct nq_item *it = q->head;
		q->head = it->next;
		item_free(it);
	}
	free(q->name);
	free(q->running);
	free(q);
}

/* ---- FIFOs --------------------------------------------------------------------- */

static void fifo_script_done_cb(void *arg, int status, bool timed_out)
{
	struct nfifo *f = arg;
	if (WIFEXITED(status))
		log_info("%s_script exited with status %d", f->kw, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_info("%s_script killed by signal %d", f->kw, WTERMSIG(status));
}

/* Owner of a FIFO we create: its configured user, else whoever runs its
 * reader script, so the reader can open it. */
static void fifo_owner(struct vrrp_notify *n, const struct global_fifo *c, uid_t *uid,
		       gid_t *gid)
{
	struct script_ident id = { 0 };
	char why[160];
	int r = -1;

	if (c->fifo.user)
		r = script_ident_resolve(c->fifo.user, c->fifo.group, false, &id, why,
					 sizeof(why));
	else if (c->script.cmd)
		r = script_ident_for(&c->script, n->ident_ok ? &n->ident : NULL, false, &id, why,
				     sizeof(why));
	if (r < 0)
		id = (struct script_ident){ .uid = geteuid(), .gid = getegid() };
	*uid = id.uid;
	*gid = id.gid;
}

static void fifo_open(struct vrrp_notify *n, struct nfifo *f)
{
	const struct global_fifo *c = f->cfg;
	struct stat st;

	f->fd = -1;
	if (!c->fifo.cmd)
		return;
	f->path = xstrdup(c->fifo.cmd);
	if (stat(f->path, &st) < 0) {
		uid_t uid;
		gid_t gid;
		if (errno != ENOENT || mkfifo(f->path, 0600) < 0) {
			log_warn("%s %s: cannot create", f->kw, f->path);
			return;
		}
		f->created = true;
		fifo_owner(n, c, &uid, &gid);
		if (geteuid() == 0 && chown(f->path, uid, gid) < 0)
			log_warn("%s %s: cannot set owner", f->kw, f->path);
	} else if (!S_ISFIFO(st.st_mode)) {
		log_warnx("%s %s: exists and is not a FIFO, not used", f->kw, f->path);
		return;
	}
	f->fd = open(f->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (f->fd < 0) {
		log_warn("%s %s: cannot open", f->kw, f->path);
		return;
	}
	if (!c->script.cmd)
		return;
	char what[64];
	snprintf(what, sizeof(what), "%s_script", f->kw);
	const char *extra[] = { f->path, NULL };
	struct script_opts o = {
		.name = what, .ident = n->ident_ok ? &n->ident : NULL,
		.supplementary_groups = n->g->set_supplementary_groups,
	};
	if (!c->script.user && !n->ident_ok)
		log_warnx("%s: not run: %s", what, n->ident_err);
	else
		script_run(n->loop, &c->script, extra, &o, fifo_script_done_cb, f, &f->job);
}

static void fifo_close(struct nfifo *f)
{
	script_terminate(&f->job, SIGTERM);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->created && f->path)
		unlink(f->path);
	f->created = false;
	free(f->path);
	f->path = NULL;
}

static void fifo_write(struct vrrp_notify *n, const char *type, const char *name,
		       const char *state, int priority)
{
	char line[512];
	int len = snprintf(line, sizeof(line), "%s \"%s\" %s %d\n", type, name, state, priority);
	if (len <= 0 || (size_t)len >= sizeof(line))
		return;
	for (size_t i = 0; i < 2; i++) {
		struct nfifo *f = &n->fifos[i];
		if (f->fd < 0)
			continue;
		/* Lines are shorter than PIPE_BUF: written whole or not at all. */
		if (write(f->fd, line, (size_t)len) == len)
			continue;
		int err = errno;
		line[len - 1] = '\0';
		log_rl_msg(&f->rl, LOG_WARNING, "%s %s: event dropped (%s): %s", f->kw, f->path,
			   err == EAGAIN ? "FIFO full, reader too slow or absent"
					 : strerror(err), line);
		line[len - 1] = '\n';
	}
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool script_same(const struct ka_script *a, const struct ka_script *b)
{
	return str_same(a->cmd, b->cmd) && str_same(a->user, b->user) &&
	       str_same(a->group, b->group);
}

/* ---- start, reload, stop ------------------------------------------------------- */

static void set_globals(struct vrrp_notify *n, const struct global_cfg *g)
{
	n->g = g;
	n->ident_ok = script_default_ident(g->script_user, g->script_group,
					   g->set_supplementary_groups, &n->ident, n->ident_err,
					   sizeof(n->ident_err)) == 0;
	n->fifos[0].kw = "notify_fifo";
	n->fifos[0].cfg = &g->notify_fifo;
	n->fifos[1].kw = "vrrp_notify_fifo";
	n->fifos[1].cfg = &g->vrrp_notify_fifo;
}

struct vrrp_notify *vrrp_notify_start(struct ev_loop *loop, const struct global_cfg *g)
{
	struct vrrp_notify *n = xcalloc(1, sizeof(*n));
	n->loop = loop;
	n->timeout = VRRP_NOTIFY_TIMEOUT_US;
	set_globals(n, g);
	for (size_t i = 0; i < 2; i++)
		fifo_open(n, &n->fifos[i]);
	return n;
}

void vrrp_notify_reload(struct vrrp_notify *n, const struct global_cfg *g)
{
	const struct global_fifo *old[2] = { n->fifos[0].cfg, n->fifos[1].cfg };
	bool same[2];

	for (size_t i = 0; i < 2; i++) {
		const struct global_fifo *a = old[i];
		const struct global_fifo *b = i ? &g->vrrp_notify_fifo : &g->notify_fifo;
		same[i] = script_same(&a->fifo, &b->fifo) && script_same(&a->script, &b->script);
		if (!same[i])
			fifo_close(&n->fifos[i]);
	}
	set_globals(n, g);
	for (size_t i = 0; i < 2; i++)
		if (!same[i])
			fifo_open(n, &n->fifos[i]);
}

void vrrp_notify_stop(struct vrrp_notify *n)
{
	if (!n)
		return;
	n->stopping = true;
	uint64_t end = mono_usec() + VRRP_NOTIFY_STOP_WAIT_US;
	for (struct nqueue *q = n->queues; q; q = q->next) {
		while (q->job) {
			uint64_t now = mono_usec();
			if (now >= end || script_wait(&q->job, end - now) < 0)
				break;
		}
	}
	while (n->queues) {
		struct nqueue *q = n->queues;
		n->queues = q->next;
		if (q->job)
			log_warnx("%s: still running at shutdown, terminated", q->running);
		script_terminate(&q->job, SIGTERM);
		queue_free(q);
	}
	for (size_t i = 0; i < 2; i++)
		fifo_close(&n->fifos[i]);
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
}
