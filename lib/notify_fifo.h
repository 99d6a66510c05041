/* SPDX-License-Identifier: GPL-2.0-or-later */
/* notify_fifo.h - event FIFOs: create, open, write event lines, run their reader script */
#ifndef KA_NOTIFY_FIFO_H
#define KA_NOTIFY_FIFO_H

#include <stdbool.h>
#include <stddef.h>

#include "log.h"

struct ev_loop;
struct ka_script;
struct script_ident;
struct script_job;

/*
 * One configured FIFO (notify_fifo, vrrp_notify_fifo, lvs_notify_fifo).
 * Private state: zero-initialise it and let notify_fifo_set() fill it.
 */
struct notify_fifo {
	const char *kw;                 /* "notify_fifo": log prefix */
	const struct ka_script *fifo;   /* .cmd = path (NULL = none); user/group own it */
	const struct ka_script *script; /* reader started on it; .cmd NULL = none */
	char *path;
	int fd;                         /* -1 when not open */
	bool created;                   /* made by us: removed at close */
	struct script_job *job;         /* the running reader script */
	struct log_rl rl;               /* "event dropped" warnings */
};

/* Settings of one FIFO; what they point to must stay valid until the next
 * notify_fifo_set() or notify_fifo_close(). */
struct notify_fifo_cfg {
	const char *kw;
	const struct ka_script *fifo;
	const struct ka_script *script;
};

/* What the reader script runs with. */
struct notify_fifo_env {
	struct ev_loop *loop;
	const struct script_ident *ident; /* default script identity; NULL when the
					   * configured script_user cannot be resolved */
	const char *ident_err;            /* why ident is NULL */
	bool supplementary_groups;
};

/*
 * Apply settings cfg[i] to fifos[i], i < n <= 32, at start (fifos zeroed) and on
 * reload. A FIFO whose path, owner or reader script changed is closed; once
 * all are closed, each is opened read-write and non-blocking (so a missing
 * reader never blocks us), created with mkfifo (mode 0600) if absent, and
 * its reader script is started with the path as last argument. A FIFO we
 * create belongs to its configured user, else to whoever runs its reader,
 * so the reader can open it. Unchanged FIFOs stay open and their readers
 * keep running. Failures are logged and leave that FIFO closed.
 */
void notify_fifo_set(struct notify_fifo *fifos, size_t n, const struct notify_fifo_cfg *cfg,
		     const struct notify_fifo_env *env);

/* SIGTERM the reader script, close the FIFO and remove it if we made it.
 * For a FIFO that has been through notify_fifo_set(). */
void notify_fifo_close(struct notify_fifo *f);

/*
 * Write one event line (len bytes ending in '\n', shorter than PIPE_BUF so
 * it goes whole or not at all). A line that cannot be written is dropped
 * with a rate-limited warning. Returns true if it was written, false if it
 * was dropped or the FIFO is not open.
 */
bool notify_fifo_write(struct notify_fifo *f, const char *line, size_t len);

#endif
