/* SPDX-License-Identifier: GPL-2.0-or-later */
/* notify_queue.c - per-object queues of notify scripts, shared by VRRP and the checkers */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cfg.h"
#include "log.h"
#include "notify_queue.h"
#include "script.h"
#include "util.h"

/* One script waiting to run; owns copies of everything, since the
 * configuration it came from may be replaced by a reload before it runs. */
struct nq_item {
	struct nq_item *next;
	struct ka_script s;        /* argv: the script's words + extra arguments */
	char *what;
};

struct nqueue {
	struct nqueue *next;
	struct notify_queues *qs;
	char *key;
	struct nq_item *head, *tail;
	struct script_job *job;
	char *running;             /* what of the running job */
};

struct notify_queues {
	struct ev_loop *loop;
	struct script_ident ident;
	bool ident_ok;
	char ident_err[160];
	bool supplementary_groups;
	bool script_security;
	uint64_t timeout;
	bool warned;               /* insecure-script warning given */
	bool stopping;             /* queues are kept while draining */
	struct nqueue *queues;
	unsigned long started;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

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

static void queue_free(struct nqueue *q)
{
	while (q->head) {
		struct nq_item *it = q->head;
		q->head = it->next;
		item_free(it);
	}
	free(q->key);
	free(q->running);
	free(q);
}

static void queue_unlink(struct notify_queues *qs, struct nqueue *q)
{
	for (struct nqueue **pp = &qs->queues; *pp; pp = &(*pp)->next) {
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

	/* 127: could not start, already logged by the script runner */
	if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
	    WEXITSTATUS(status) != 127)
		log_info("%s: exited with status %d", q->running, WEXITSTATUS(status));
	else if (!timed_out && WIFSIGNALED(status))
		log_info("%s: killed by signal %d", q->running, WTERMSIG(status));
	free(q->running);
	q->running = NULL;
	queue_next(q);
}

/* Start one item; false if it could not be started. */
static bool item_start(struct nqueue *q, const struct nq_item *it)
{
	struct notify_queues *qs = q->qs;
	struct script_ident id;
	char why[160];

	if (!it->s.user && !qs->ident_ok) {
		log_warnx("%s: not run: %s", it->what, qs->ident_err);
		return false;
	}
	if (script_ident_for(&it->s, &qs->ident, qs->supplementary_groups, &id, why,
			     sizeof(why)) < 0) {
		log_warnx("%s: not run: %s", it->what, why);
		return false;
	}
	if (script_security_gate(&it->s, id.uid, qs->script_security, &qs->warned,
				 it->what) < 0)
		return false;
	struct script_opts o = {
		.name = it->what, .timeout = qs->timeout, .ident = &qs->ident,
		.supplementary_groups = qs->supplementary_groups,
	};
	if (script_run(qs->loop, &it->s, NULL, &o, queue_done_cb, q, &q->job) < 0)
		return false;
	qs->started++;
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
	if (!q->job && !q->head && !q->qs->stopping)
		queue_unlink(q->qs, q);
}

static struct nqueue *queue_get(struct notify_queues *qs, const char *key)
{
	for (struct nqueue *q = qs->queues; q; q = q->next)
		if (!strcmp(q->key, key))
			return q;
	struct nqueue *q = xcalloc(1, sizeof(*q));
	q->qs = qs;
	q->key = xstrdup(key);
	q->next = qs->queues;
	qs->queues = q;
	return q;
}

struct notify_queues *notify_queues_new(struct ev_loop *loop)
{
	struct notify_queues *qs = xcalloc(1, sizeof(*qs));
	qs->loop = loop;
	return qs;
}

void notify_queues_set(struct notify_queues *qs, const struct notify_queue_opts *o)
{
	qs->ident_ok = o->ident != NULL;
	if (o->ident)
		qs->ident = *o->ident;
	snprintf(qs->ident_err, sizeof(qs->ident_err), "%s", o->ident_err ? o->ident_err : "");
	qs->supplementary_groups = o->supplementary_groups;
	qs->script_security = o->script_security;
	qs->timeout = o->timeout;
}

void notify_queues_add(struct notify_queues *qs, const char *key, const struct ka_script *s,
		       const char *const *extra, const char *what)
{
	if (!s->cmd || !s->argv || !s->argv[0])
		return;
	struct nqueue *q = queue_get(qs, key);
	struct nq_item *it = item_new(s, extra, what);
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	if (!q->job)
		queue_next(q);
}

unsigned long notify_queues_started(const struct notify_queues *qs)
{
	return qs->started;
}

void notify_queues_free(struct notify_queues *qs, uint64_t wait_us)
{
	if (!qs)
		return;
	qs->stopping = true;
	uint64_t end = mono_usec() + wait_us;
	for (struct nqueue *q = qs->queues; q; q = q->next) {
		while (q->job) {
			uint64_t now = mono_usec();
			if (now >= end || script_wait(&q->job, end - now) < 0)
				break;
		}
	}
	while (qs->queues) {
		struct nqueue *q = qs->queues;
		qs->queues = q->next;
		if (q->job)
			log_warnx("%s: still running at shutdown, terminated", q->running);
		script_terminate(&q->job, SIGTERM);
		queue_free(q);
	}
	free(qs);
}
