/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_notify.c - real/virtual server notify scripts in order, LVS event FIFO lines, alert hook */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check/check_notify.h"
#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "script.h"
#include "util.h"

/* A notify script that hangs this long is killed, so the next one of its
 * server can run (keepalived has no limit; a hung script would otherwise
 * hold back every later notify of that server). */
#define NOTIFY_TIMEOUT_US (60 * 1000000ull)

/* One script waiting to run; owns a copy of the script, since the
 * configuration may be replaced by a reload before it starts. */
struct nitem {
	struct nitem *next;
	struct ka_script s;
	char *what;              /* "notify_up [10.0.0.2]:tcp:80" */
};

/* The scripts of one real or virtual server run one after the other, so a
 * notify_down always follows the notify_up it undoes. */
struct nqueue {
	struct nqueue *next;
	struct check_notify *n;
	char *key;
	struct nitem *head, *tail;
	struct script_job *job;
	char *running;
};

struct nfifo {
	const char *kw;          /* "notify_fifo" / "lvs_notify_fifo" */
	const struct global_fifo *cfg;
	char *path;
	int fd;
	bool created;            /* made by us: removed at stop */
	struct script_job *job;  /* its reader script */
	struct log_rl rl;
};

struct check_notify {
	struct ev_loop *loop;
	const struct global_cfg *g;
	struct script_ident ident;
	bool ident_ok;
	char ident_err[160];
	bool warned;             /* insecure-script warning given */
	bool stopping;
	struct nqueue *queues;
	struct nfifo fifos[2];
	check_alert_fn alert;
	void *alert_arg;
	check_alert_fn trap;
	void *trap_arg;
	unsigned long scripts, lines;
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

/* ---- script queues ---- */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void item_free(struct nitem *it)
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

static struct nitem *item_new(const struct ka_script *s, const char *what)
{
	struct nitem *it = xcalloc(1, sizeof(*it));
	size_t n = 0;
	while (s->argv[n])
		n++;
	it->s.argv = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		it->s.argv[i] = xstrdup(s->argv[i]);
	it->s.cmd = dup_or_null(s->cmd);
	it->s.user = dup_or_null(s->user);
	it->s.group = dup_or_null(s->group);
	it->what = xstrdup(what);
	return it;
}

static void queue_free(struct nqueue *q)
{
	while (q->head) {
		struct nitem *it = q->head;
		q->head = it->next;
		item_free(it);
	}
	free(q->key);
	free(q->running);
	free(q);
}

static void queue_unlink(struct check_notify *n, struct nqueue *q)
{
	for (struct nqueue **pp = &n->queues; *pp; pp = &(*pp)->next) {
		if (*pp == q) {
			*pp = q->next;
			break;
		}
	}
	queue_free(q);
}

static void queue_next(struct nqueue *q);

static void queue_done_cb(void *arg, int status, bool timed_out)
{
	struct nqueue *q = arg;
	if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) && WEXITSTATUS(status) != 127)
		log_info("%s: exited with status %d", q->running, WEXITSTATUS(status));
	else if (!timed_out && WIFSIGNALED(status))
		log_info("%s: killed by signal %d", q->running, WTERMSIG(status));
	free(q->running);
	q->running = NULL;
	queue_next(q);
}

static bool item_start(struct nqueue *q, const struct nitem *it)
{
	struct check_notify *n = q->n;
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
		.name = it->what, .timeout = NOTIFY_TIMEOUT_US, .ident = &n->ident,
		.supplementary_groups = n->g->set_supplementary_groups,
	};
	if (script_run(n->loop, &it->s, NULL, &o, queue_done_cb, q, &q->job) < 0)
		return false;
	n->scripts++;
	q->running = xstrdup(it->what);
	return true;
}

static void queue_next(struct nqueue *q)
{
	while (q->head && !q->job) {
		struct nitem *it = q->head;
		q->head = it->next;
		if (!q->head)
			q->tail = NULL;
		item_start(q, it);
		item_free(it);
	}
	if (!q->job && !q->head && !q->n->stopping)
		queue_unlink(q->n, q);
}

static void enqueue(struct check_notify *n, const char *key, const struct ka_script *s,
		    const char *what)
{
	if (!s->cmd || !s->argv || !s->argv[0])
		return;
	struct nqueue *q = n->queues;
	while (q && strcmp(q->key, key))
		q = q->next;
	if (!q) {
		q = xcalloc(1, sizeof(*q));
		q->n = n;
		q->key = xstrdup(key);
		q->next = n->queues;
		n->queues = q;
	}
	struct nitem *it = item_new(s, what);
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	if (!q->job)
		queue_next(q);
}

/* ---- FIFOs ---- */

static void fifo_script_done_cb(void *arg, int status, bool timed_out)
{
	struct nfifo *f = arg;
	if (WIFEXITED(status))
		log_info("%s_script exited with status %d", f->kw, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_info("%s_script killed by signal %d", f->kw, WTERMSIG(status));
}

static void fifo_start_script(struct check_notify *n, struct nfifo *f)
{
	const struct global_fifo *c = f->cfg;
	char what[64];
	snprintf(what, sizeof(what), "%s_script", f->kw);
	if (!c->script.user && !n->ident_ok) {
		log_warnx("%s: not run: %s", what, n->ident_err);
		return;
	}
	const char *extra[] = { f->path, NULL };
	struct script_opts o = {
		.name = what, .ident = n->ident_ok ? &n->ident : NULL,
		.supplementary_groups = n->g->set_supplementary_groups,
	};
	script_run(n->loop, &c->script, extra, &o, fifo_script_done_cb, f, &f->job);
}

static void fifo_open(struct check_notify *n, struct nfifo *f)
{
	const struct global_fifo *c = f->cfg;
	struct stat st;
	f->fd = -1;
	if (!c->fifo.cmd)
		return;
	f->path = xstrdup(c->fifo.cmd);
	if (stat(f->path, &st) < 0) {
		if (errno != ENOENT || mkfifo(f->path, 0600) < 0) {
			log_warn("%s %s: cannot create", f->kw, f->path);
			return;
		}
		f->created = true;
		struct script_ident id;
		char why[160];
		if (c->fifo.user && geteuid() == 0 &&
		    script_ident_resolve(c->fifo.user, c->fifo.group, false, &id, why,
					 sizeof(why)) == 0 &&
		    chown(f->path, id.uid, id.gid) < 0)
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
	if (c->script.cmd)
		fifo_start_script(n, f);
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

static void fifo_write(struct check_notify *n, const char *line)
{
	size_t len = strlen(line);
	for (size_t i = 0; i < ARRAY_SIZE(n->fifos); i++) {
		struct nfifo *f = &n->fifos[i];
		if (f->fd < 0)
			continue;
		/* Shorter than PIPE_BUF: written whole or not at all. */
		if (write(f->fd, line, len) == (ssize_t)len) {
			n->lines++;
			continue;
		}
		int err = errno;
		log_rl_msg(&f->rl, LOG_WARNING, "%s %s: event dropped (%s): %.*s", f->kw, f->path,
			   err == EAGAIN ? "FIFO full, reader too slow or absent" : strerror(err),
			   (int)len - 1, line);
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

/* ---- life cycle ---- */

static void set_globals(struct check_notify *n, const struct global_cfg *g)
{
	n->g = g;
	n->ident_ok = script_default_ident(g->script_user, g->script_group,
					   g->set_supplementary_groups, &n->ident, n->ident_err,
					   sizeof(n->ident_err)) == 0;
	n->fifos[0].kw = "notify_fifo";
	n->fifos[0].cfg = &g->notify_fifo;
	n->fifos[1].kw = "lvs_notify_fifo";
	n->fifos[1].cfg = &g->lvs_notify_fifo;
}

struct check_notify *check_notify_new(struct ev_loop *loop, const struct global_cfg *g)
{
	struct check_notify *n = xcalloc(1, sizeof(*n));
	n->loop = loop;
	set_globals(n, g);
	for (size_t i = 0; i < ARRAY_SIZE(n->fifos); i++)
		fifo_open(n, &n->fifos[i]);
	return n;
}

void check_notify_reload(struct check_notify *n, const struct global_cfg *g)
{
	const struct global_fifo *fresh[2] = { &g->notify_fifo, &g->lvs_notify_fifo };
	bool same[2];
	for (size_t i = 0; i < 2; i++) {
		const struct global_fifo *a = n->fifos[i].cfg;
		same[i] = script_same(&a->fifo, &fresh[i]->fifo) &&
			  script_same(&a->script, &fresh[i]->script);
		if (!same[i])
			fifo_close(&n->fifos[i]);
	}
	set_globals(n, g);
	for (size_t i = 0; i < 2; i++)
		if (!same[i])
			fifo_open(n, &n->fifos[i]);
}

void check_notify_stop(struct check_notify *n)
{
	if (!n)
		return;
	n->stopping = true;
	uint64_t end = mono_usec() + CHECK_NOTIFY_STOP_WAIT_US;
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
	for (size_t i = 0; i < ARRAY_SIZE(n->fifos); i++)
		fifo_close(&n->fifos[i]);
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
	*scripts = n->scripts;
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
	enqueue(n, key, up ? &rs->notify_up : &rs->notify_down, what);
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
	enqueue(n, key, up ? &vs->quorum_up : &vs->quorum_down, what);
	snprintf(line, sizeof(line), "VS %s %s\n", vb, up ? "UP" : "DOWN");
	fifo_write(n, line);
	if (n->alert)
		n->alert(n->alert_arg, vs, NULL, up, detail ? detail : "");
	if (n->trap)
		n->trap(n->trap_arg, vs, NULL, up, detail ? detail : "");
}
