/* SPDX-License-Identifier: GPL-2.0-or-later */
/* notify_queue.h - notify scripts run in order, one queue per notifying object */
#ifndef KA_NOTIFY_QUEUE_H
#define KA_NOTIFY_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

struct ev_loop;
struct ka_script;
struct script_ident;
struct notify_queues;

/*
 * The scripts queued under one key (a VRRP instance, a real server) never
 * overlap: the next one starts when the previous one has ended or was
 * killed after the timeout, so a script and the one that undoes it always
 * run in that order. Different keys run side by side.
 */

/* How queued scripts run; the pointees are copied. */
struct notify_queue_opts {
	const struct script_ident *ident; /* for scripts naming no user; NULL when the
					   * configured script_user cannot be resolved */
	const char *ident_err;            /* why ident is NULL */
	bool supplementary_groups;        /* set_supplementary_groups */
	bool script_security;             /* enable_script_security */
	uint64_t timeout;                 /* µs a script may run before it is killed */
};

/* An empty set of queues; set its options before adding. Never NULL. */
struct notify_queues *notify_queues_new(struct ev_loop *loop);

/* New options (start, reload): they apply to scripts started from now on. */
void notify_queues_set(struct notify_queues *qs, const struct notify_queue_opts *o);

/*
 * Queue script s, with extra (NULL-terminated, may be NULL) appended to its
 * arguments, behind the earlier scripts of key. what names it in logs
 * ("(VI_1) notify_master"). Everything is copied. A script without a
 * command is ignored.
 */
void notify_queues_add(struct notify_queues *qs, const char *key, const struct ka_script *s,
		       const char *const *extra, const char *what);

/* Scripts started so far. */
unsigned long notify_queues_started(const struct notify_queues *qs);

/*
 * Shutdown (the loop has ended): wait, blocking, up to wait_us for the
 * running scripts and the queued ones behind them, then SIGTERM what still
 * runs, drop the rest and free qs. NULL is fine.
 */
void notify_queues_free(struct notify_queues *qs, uint64_t wait_us);

#endif
