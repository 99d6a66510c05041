/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_daemon.c - the BFD child process: the engine, and the channels to VRRP and checker */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "daemon/bfd_daemon.h"
#include "daemon/bfd_engine.h"
#include "daemon/bfd_event.h"
#include "daemon/config.h"
#include "daemon/options.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"

#define BFD_DATA_FILE  "/tmp/keepalived_bfd.data"
#define BFD_STATS_FILE "/tmp/keepalived_bfd.stats"

struct bfd_daemon;

/*
 * One consumer child's channel. Sending never blocks: when the consumer
 * does not read and its socket is full, every state is sent again (with
 * the SYNCED owed) once it can take more, so it never keeps a stale one.
 */
struct bfd_consumer {
	struct bfd_daemon *d;
	const char *name;        /* "VRRP", "checker" */
	int fd;                  /* end 0 of its channel, -1 if none */
	bool running;            /* its child runs with this configuration */
	bool resend;             /* a message was lost: send every state again */
	bool synced_owed;        /* a SYNC is not answered yet */
	bool writing;            /* waiting for room (EV_WRITE) */
	uint64_t states, syncs, resends, bad;
	struct log_rl rl;
};

struct bfd_daemon {
	struct child_ctx *ctx;
	struct bfd_engine *eng;
	struct bfd_consumer cons[CHILD_BFD_NCONSUMERS];
};

bool bfd_daemon_configured(const struct ka_config *c)
{
	return c->vrrp && c->vrrp->bfds.n > 0;
}

/* Whether the consumer's child runs: the parent's rule (daemon/supervisor.c). */
static bool consumer_runs(const struct child_ctx *ctx, int i)
{
	const struct ka_options *o = ctx->opts;
	if (i == CHILD_BFD_VRRP)
		return !o->check_only && (o->all || ka_config_has_vrrp(ctx->config));
	return !o->vrrp_only && (o->all || ka_config_has_check(ctx->config));
}

static void cons_cb(struct ev_loop *loop, int fd, unsigned events, void *arg);

static void cons_wait_room(struct bfd_consumer *c)
{
	if (c->writing)
		return;
	c->writing = true;
	ev_fd_mod(c->d->ctx->loop, c->fd, EV_READ | EV_WRITE);
}

/* A send failed: EAGAIN means the consumer is behind, anything else is
 * logged. Either way every state goes again when there is room. */
static void cons_failed(struct bfd_consumer *c)
{
	if (errno != EAGAIN && errno != EWOULDBLOCK)
		log_rl_msg(&c->rl, LOG_WARNING, "BFD: cannot send to the %s child: %s", c->name,
			   strerror(errno));
	if (!c->resend)
		c->resends++;
	c->resend = true;
	cons_wait_room(c);
}

struct cons_walk {
	struct bfd_consumer *c;
	bool failed;
};

static bool meant_for(const struct bfd_consumer *c, bool to_vrrp, bool to_checker)
{
	return c - c->d->cons == CHILD_BFD_VRRP ? to_vrrp : to_checker;
}

static void cons_send_one(void *arg, const char *name, bool up, bool to_vrrp, bool to_checker)
{
	struct cons_walk *w = arg;
	if (w->failed || !meant_for(w->c, to_vrrp, to_checker))
		return;
	if (bfd_event_send_state(w->c->fd, name, up) < 0)
		w->failed = true;
	else
		w->c->states++;
}

/* Send what is owed: every state (after a loss), then SYNCED (after a SYNC). */
static void cons_flush(struct bfd_consumer *c)
{
	struct cons_walk w = { .c = c };
	if (c->resend) {
		c->resend = false;
		bfd_engine_foreach(c->d->eng, cons_send_one, &w);
		if (w.failed) {
			cons_failed(c);
			return;
		}
	}
	if (c->synced_owed) {
		if (bfd_event_send_synced(c->fd) < 0) {
			cons_failed(c);
			return;
		}
		c->synced_owed = false;
	}
	if (c->writing) {
		c->writing = false;
		ev_fd_mod(c->d->ctx->loop, c->fd, EV_READ);
	}
}

static void cons_read(struct bfd_consumer *c)
{
	char name[BFD_EVENT_NAME_MAX + 1];
	bool up;
	for (;;) {
		switch (bfd_event_recv(c->fd, name, sizeof(name), &up)) {
		case BFD_EVENT_NONE:
			return;
		case BFD_EVENT_SYNC:
			c->syncs++;
			c->resend = c->synced_owed = true;
			cons_flush(c);
			break;
		case BFD_EVENT_CLOSED:
			/* the parent holds the other end: only an error gets here */
			log_warnx("BFD: the channel to the %s child failed; no more states for it",
				  c->name);
			ev_fd_del(c->d->ctx->loop, c->fd);
			c->fd = -1;
			return;
		default: /* BAD, or a message only the BFD child sends */
			c->bad++;
			break;
		}
	}
}

static void cons_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct bfd_consumer *c = arg;
	if (events & (EV_READ | EV_ERROR))
		cons_read(c);
	if (c->fd >= 0 && (events & EV_WRITE))
		cons_flush(c);
}

/* The engine's report: a session's Up-ness, to the consumers it is meant for. */
static void report_cb(void *arg, const char *name, bool up, bool to_vrrp, bool to_checker)
{
	struct bfd_daemon *d = arg;
	for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++) {
		struct bfd_consumer *c = &d->cons[i];
		if (c->fd < 0 || !c->running || !meant_for(c, to_vrrp, to_checker))
			continue;
		if (c->resend) /* the pending full resend carries the new state */
			continue;
		if (bfd_event_send_state(c->fd, name, up) < 0)
			cons_failed(c);
		else
			c->states++;
	}
}

static void consumers_update(struct bfd_daemon *d)
{
	for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++)
		d->cons[i].running = consumer_runs(d->ctx, i);
}

static void consumers_init(struct bfd_daemon *d)
{
	static const char *const names[] = { [CHILD_BFD_VRRP] = "VRRP",
					     [CHILD_BFD_CHECK] = "checker" };
	for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++) {
		struct bfd_consumer *c = &d->cons[i];
		c->d = d;
		c->name = names[i];
		c->fd = d->ctx->bfd_ends[i];
		if (c->fd >= 0 && ev_fd_add(d->ctx->loop, c->fd, EV_READ, cons_cb, c) < 0) {
			log_warn("BFD: cannot watch the channel to the %s child", c->name);
			c->fd = -1;
		}
	}
	consumers_update(d);
}

static void consumers_close(struct bfd_daemon *d)
{
	/* the fds are child_main()'s: only stop watching them */
	for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++)
		if (d->cons[i].fd >= 0)
			ev_fd_del(d->ctx->loop, d->cons[i].fd);
}

static int bfd_start(struct child_ctx *ctx)
{
	struct bfd_daemon *d = xcalloc(1, sizeof(*d));
	d->ctx = ctx;
	ctx->priv = d;
	consumers_init(d);
	d->eng = bfd_engine_new(ctx->loop, report_cb, d);
	if (bfd_engine_apply(d->eng, ctx->config->vrrp) < 0) {
		/* the port may be held by another process: retried by a respawn */
		bfd_engine_free(d->eng);
		consumers_close(d);
		free(d);
		ctx->priv = NULL;
		return KA_EXIT_FAILURE;
	}
	size_t n = bfd_engine_count(d->eng);
	log_info("BFD child started: %zu session%s", n, n == 1 ? "" : "s");
	return KA_EXIT_OK;
}

static int bfd_reload(struct child_ctx *ctx, const struct ka_config *old)
{
	struct bfd_daemon *d = ctx->priv;
	log_info("BFD reloading");
	consumers_update(d);
	if (bfd_engine_apply(d->eng, ctx->config->vrrp) < 0)
		return KA_EXIT_FAILURE;
	size_t n = bfd_engine_count(d->eng);
	log_info("BFD reloaded: %zu session%s", n, n == 1 ? "" : "s");
	return KA_EXIT_OK;
}

/* Every session sends AdminDown: the peers go Down at once. */
static void bfd_stop(struct child_ctx *ctx)
{
	struct bfd_daemon *d = ctx->priv;
	if (!d)
		return;
	bfd_engine_free(d->eng);
	consumers_close(d);
	free(d);
	ctx->priv = NULL;
	log_info("BFD child stopped");
}

static void dump_consumers(const struct bfd_daemon *d, FILE *out)
{
	for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++) {
		const struct bfd_consumer *c = &d->cons[i];
		fprintf(out, " Channel to the %s child = %s\n", c->name,
			c->fd < 0 ? "none" : c->running ? "open" : "open, child not configured");
		fprintf(out, "   States sent = %llu\n   Sync requests = %llu\n",
			(unsigned long long)c->states, (unsigned long long)c->syncs);
		fprintf(out, "   Full resends = %llu\n   Bad messages = %llu\n",
			(unsigned long long)c->resends, (unsigned long long)c->bad);
	}
}

static void bfd_dump(struct child_ctx *ctx, FILE *out)
{
	struct bfd_daemon *d = ctx->priv;
	bfd_engine_dump(d->eng, out);
	dump_consumers(d, out);
}

static void bfd_stats(struct child_ctx *ctx, FILE *out, bool clear)
{
	struct bfd_daemon *d = ctx->priv;
	bfd_engine_stats(d->eng, out, clear);
	dump_consumers(d, out);
	if (clear)
		for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++)
			d->cons[i].states = d->cons[i].syncs = d->cons[i].resends =
				d->cons[i].bad = 0;
}

const struct child_ops bfd_child_ops = {
	.name = "BFD",
	.data_file = BFD_DATA_FILE,
	.data_file_cfg = false, /* a state_dump_file DIR/ still applies */
	.stats_file = BFD_STATS_FILE,
	.start = bfd_start,
	.reload = bfd_reload,
	.stop = bfd_stop,
	.dump = bfd_dump,
	.stats = bfd_stats,
};
