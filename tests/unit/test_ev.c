/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_ev.c - event loop: timer order and cancellation, fds, signals, children, deferred calls */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ev.h"
#include "util.h"

/* Deterministic pseudo-random numbers, so a failure can be replayed. */
static uint32_t rnd_state = 0x2545f491u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static uint64_t cpu_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- timers ---- */

struct order_rec {
	size_t fired[2000];
	size_t nfired;
};

struct order_item {
	struct order_rec *rec;
	size_t idx;
	uint64_t before, after; /* mono_usec() around ev_timer_add */
	uint64_t delay;
	uint64_t fired_at;
};

static void order_cb(struct ev_loop *loop, void *arg)
{
	struct order_item *it = arg;
	it->fired_at = mono_usec();
	assert_true(ev_now(loop) <= it->fired_at);
	it->rec->fired[it->rec->nfired++] = it->idx;
}

static void test_timer_random_order(void **state)
{
	enum { N = 400, SLOTS = 25 };
	struct ev_loop *loop = ev_loop_new();
	struct order_rec *rec = calloc(1, sizeof(*rec));
	struct order_item *it = calloc(N, sizeof(*it));
	size_t *pos = calloc(N, sizeof(*pos));
	assert_non_null(loop);

	for (size_t i = 0; i < N; i++) {
		it[i] = (struct order_item){ .rec = rec, .idx = i,
					     .delay = (rnd() % SLOTS) * 1000u };
		it[i].before = mono_usec();
		ev_timer_add(loop, order_cb, &it[i], it[i].delay, NULL);
		it[i].after = mono_usec();
	}
	assert_int_equal(ev_timer_count(loop), N);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(rec->nfired, N);
	assert_int_equal(ev_timer_count(loop), 0);

	for (size_t k = 0; k < N; k++)
		pos[rec->fired[k]] = k;
	for (size_t i = 0; i < N; i++) {
		/* Never early. */
		assert_true(it[i].fired_at - it[i].before >= it[i].delay);
		for (size_t j = i + 1; j < N; j++) {
			const struct order_item *a = &it[i], *b = &it[j];
			/* Same delay, added later: expires no earlier, so it fires later. */
			if (a->delay == b->delay)
				assert_true(pos[i] < pos[j]);
			/* A timer whose expiry is certainly earlier fires first. The
			 * bounds come from the clock around each add, so a slow or
			 * loaded machine only widens them. */
			if (a->before + a->delay > b->after + b->delay)
				assert_true(pos[j] < pos[i]);
			if (b->before + b->delay > a->after + a->delay)
				assert_true(pos[i] < pos[j]);
		}
	}
	free(pos);
	free(it);
	free(rec);
	ev_loop_free(loop);
}

static void test_timer_equal_expiry_insertion_order(void **state)
{
	enum { N = 2000 };
	struct ev_loop *loop = ev_loop_new();
	struct order_rec *rec = calloc(1, sizeof(*rec));
	struct order_item *it = calloc(N, sizeof(*it));
	/* Thousands of adds in a row: many share the same microsecond, so the
	 * sequence-number tie break decides their order inside the heap. */
	for (size_t i = 0; i < N; i++) {
		it[i] = (struct order_item){ .rec = rec, .idx = i, .delay = 2000 };
		ev_timer_add(loop, order_cb, &it[i], 2000, NULL);
	}
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(rec->nfired, N);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(rec->fired[i], i);
	free(it);
	free(rec);
	ev_loop_free(loop);
}

struct cancel_ctx {
	struct ev_timer *a, *b, *c;
	int fired_a, fired_b, fired_c;
};

static void cancel_a_cb(struct ev_loop *loop, void *arg)
{
	struct cancel_ctx *cx = arg;
	cx->fired_a++;
	assert_null(cx->a); /* cleared before the callback runs */
	assert_non_null(cx->b);
	ev_cancel(&cx->b); /* due in this very tick */
	ev_cancel(&cx->c);
	assert_null(cx->b);
	assert_null(cx->c);
	ev_cancel(&cx->b); /* a second cancel through a cleared ref is a no-op */
}

static void cancel_b_cb(struct ev_loop *loop, void *arg)
{
	((struct cancel_ctx *)arg)->fired_b++;
}

static void cancel_c_cb(struct ev_loop *loop, void *arg)
{
	((struct cancel_ctx *)arg)->fired_c++;
}

static void test_timer_cancel_from_callback(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct cancel_ctx cx = { 0 };
	ev_timer_add(loop, cancel_a_cb, &cx, 1000, &cx.a);
	ev_timer_add(loop, cancel_b_cb, &cx, 1000, &cx.b);
	ev_timer_add(loop, cancel_c_cb, &cx, 50000, &cx.c);
	assert_int_equal(ev_timer_count(loop), 3);
	/* Let both a and b become due so they are handled in one tick. */
	usleep(3000);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(cx.fired_a, 1);
	assert_int_equal(cx.fired_b, 0);
	assert_int_equal(cx.fired_c, 0);
	assert_int_equal(ev_timer_count(loop), 0);
	ev_loop_free(loop);
}

struct readd_ctx {
	struct ev_timer *t;
	int n;
	uint64_t last;
};

static void readd_cb(struct ev_loop *loop, void *arg)
{
	struct readd_ctx *rx = arg;
	assert_null(rx->t);
	rx->n++;
	if (rx->n < 5) {
		ev_timer_add(loop, readd_cb, rx, 0, &rx->t);
		assert_non_null(rx->t);
	}
}

static void test_timer_self_readd(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct readd_ctx rx = { 0 };
	ev_timer_add(loop, readd_cb, &rx, 100, &rx.t);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(rx.n, 5);
	assert_null(rx.t);
	ev_loop_free(loop);
}

static void count_cb(struct ev_loop *loop, void *arg)
{
	(*(int *)arg)++;
}

static void test_timer_ref_and_rearm(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct ev_timer *t = NULL, *u = NULL;
	int n = 0;

	ev_timer_add(loop, count_cb, &n, 40000, &t);
	assert_non_null(t);
	uint64_t rem = ev_timer_remaining(t);
	assert_true(rem > 0 && rem <= 40000);
	ev_cancel(&t);
	assert_null(t);
	assert_int_equal(ev_timer_count(loop), 0);
	ev_cancel(&t);
	ev_cancel(NULL);

	/* Re-arming through the same ref replaces the pending timer. */
	ev_timer_add(loop, count_cb, &n, 60000000, &t);
	ev_timer_add(loop, count_cb, &n, 1000, &t);
	assert_int_equal(ev_timer_count(loop), 1);
	ev_timer_add(loop, count_cb, &n, 500, &u);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(n, 2);
	assert_null(t);
	assert_null(u);

	/* Freeing the loop clears refs of timers still pending. */
	ev_timer_add(loop, count_cb, &n, 60000000, &t);
	ev_loop_free(loop);
	assert_null(t);
}

struct many_item {
	struct ev_timer *ref;
	uint64_t lo, hi; /* bounds of the expiry, from the clock around the add */
	int fired;
	bool cancelled;
	size_t *order, *nfired;
	size_t idx;
};

static void many_cb(struct ev_loop *loop, void *arg)
{
	struct many_item *m = arg;
	assert_null(m->ref);
	m->fired++;
	m->order[(*m->nfired)++] = m->idx;
}

static void test_timer_100k(void **state)
{
	enum { N = 100000 };
	struct ev_loop *loop = ev_loop_new();
	struct many_item *m = calloc(N, sizeof(*m));
	size_t *order = calloc(N, sizeof(*order)), nfired = 0;
	for (size_t i = 0; i < N; i++) {
		uint64_t delay = rnd() % 20000;
		m[i].order = order;
		m[i].nfired = &nfired;
		m[i].idx = i;
		m[i].lo = mono_usec() + delay;
		ev_timer_add(loop, many_cb, &m[i], delay, &m[i].ref);
		m[i].hi = mono_usec() + delay;
	}
	assert_int_equal(ev_timer_count(loop), N);
	/* Cancel half of them, picked at random, so removals hit every part of
	 * the heap. */
	for (size_t left = N / 2; left > 0;) {
		size_t i = rnd() % N;
		if (m[i].cancelled)
			continue;
		ev_cancel(&m[i].ref);
		assert_null(m[i].ref);
		m[i].cancelled = true;
		left--;
	}
	assert_int_equal(ev_timer_count(loop), N / 2);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(nfired, N / 2);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(m[i].fired, m[i].cancelled ? 0 : 1);
		assert_null(m[i].ref);
	}
	/* Firing order follows expiry: a timer never fires after one that
	 * certainly expires later. */
	for (size_t k = 1; k < nfired; k++)
		assert_true(m[order[k - 1]].lo <= m[order[k]].hi);
	free(order);
	free(m);
	ev_loop_free(loop);
}

struct early_ctx {
	uint64_t start, want, elapsed;
	int left;
};

static void early_cb(struct ev_loop *loop, void *arg)
{
	struct early_ctx *e = arg;
	uint64_t now = mono_usec();
	e->elapsed = now - e->start;
	assert_true(e->elapsed >= e->want);
	if (--e->left > 0) {
		e->start = mono_usec();
		ev_timer_add(loop, early_cb, e, e->want, NULL);
	}
}

static void test_timer_not_early_no_spin(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct early_ctx e = { .want = 50000, .left = 1 };
	uint64_t cpu0 = cpu_usec();
	e.start = mono_usec();
	ev_timer_add(loop, early_cb, &e, e.want, NULL);
	assert_int_equal(ev_run(loop), 0);
	assert_true(e.elapsed >= 50000);
	/* Waiting 50 ms must sleep in epoll_wait, not spin. */
	assert_true(cpu_usec() - cpu0 < 15000);

	/* Sub-millisecond timers are waited for with epoll_pwait2's ns
	 * timeout: they neither fire early nor spin while waiting. */
	e = (struct early_ctx){ .want = 300, .left = 20 };
	uint64_t t0 = mono_usec();
	cpu0 = cpu_usec();
	e.start = t0;
	ev_timer_add(loop, early_cb, &e, e.want, NULL);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(e.left, 0);
	assert_true(cpu_usec() - cpu0 < (mono_usec() - t0) / 2);
	ev_loop_free(loop);
}

/* ---- loop control ---- */

static void break_cb(struct ev_loop *loop, void *arg)
{
	(*(int *)arg)++;
	ev_break(loop);
}

/* ---- late timers --------------------------------------------------------- */

static uint64_t late_seen[4];
static unsigned nlate;

static void on_late(struct ev_loop *loop, uint64_t late_us, void *arg)
{
	if (nlate < 4)
		late_seen[nlate] = late_us;
	nlate++;
}

static void hog_cb(struct ev_loop *loop, void *arg)
{
	struct timespec ts = { 0, 150 * 1000 * 1000 }; /* 150 ms of "work" */
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void nop_cb(struct ev_loop *loop, void *arg)
{
	(*(unsigned *)arg)++;
}

/* A callback that hogs the loop makes the next wake-up late: the hook hears
 * of it once, with more than the limit; on-time timers stay quiet. The
 * margins are wide because shared CI machines wake timers a few ms late:
 * if the hog's own wake-up comes 75 ms late, the nop shares its batch and
 * that wake-up is the late one, so the hook still fires exactly once. */
static void test_late_hook(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	unsigned ran = 0;
	nlate = 0;
	ev_set_late_hook(loop, 40000, on_late, NULL);
	ev_timer_add(loop, nop_cb, &ran, 1000, NULL);   /* on time: quiet */
	ev_timer_add(loop, hog_cb, NULL, 5000, NULL);
	ev_timer_add(loop, nop_cb, &ran, 80000, NULL);  /* due while hogged */
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(ran, 2);
	assert_int_equal(nlate, 1);
	assert_true(late_seen[0] >= 40000);
	ev_set_late_hook(loop, 40000, NULL, NULL);      /* off */
	ev_timer_add(loop, hog_cb, NULL, 1000, NULL);
	ev_timer_add(loop, nop_cb, &ran, 2000, NULL);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(nlate, 1);
	ev_loop_free(loop);
}

static void test_break_and_idle_return(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct ev_timer *far = NULL;
	int n = 0, other = 0;
	/* Nothing registered: returns at once. */
	assert_int_equal(ev_run(loop), 0);

	ev_timer_add(loop, break_cb, &n, 1000, NULL);
	ev_timer_add(loop, count_cb, &other, 3600000000ull, &far);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(n, 1);
	assert_int_equal(other, 0);
	assert_non_null(far);
	assert_int_equal(ev_timer_count(loop), 1);
	ev_cancel(&far);
	assert_int_equal(ev_run(loop), 0);
	ev_loop_free(loop);
}

/* ---- deferred calls ---- */

struct defer_ctx {
	char order[16];
	size_t n;
	int spins;
	int rfd;
	bool io_seen;
};

static void defer_d_cb(struct ev_loop *loop, void *arg)
{
	struct defer_ctx *d = arg;
	d->order[d->n++] = 'D';
}

static void defer_a_cb(struct ev_loop *loop, void *arg)
{
	struct defer_ctx *d = arg;
	d->order[d->n++] = 'A';
	ev_defer(loop, defer_d_cb, d);
}

static void defer_b_cb(struct ev_loop *loop, void *arg)
{
	struct defer_ctx *d = arg;
	d->order[d->n++] = 'B';
}

static void defer_c_cb(struct ev_loop *loop, void *arg)
{
	struct defer_ctx *d = arg;
	d->order[d->n++] = 'C';
}

static void defer_spin_cb(struct ev_loop *loop, void *arg)
{
	struct defer_ctx *d = arg;
	d->spins++;
	/* Bounded, so a loop that starves I/O fails the test instead of hanging. */
	if (!d->io_seen && d->spins < 100)
		ev_defer(loop, defer_spin_cb, d);
}

static void timer_spin_cb(struct ev_loop *loop, void *arg)
{
	struct defer_ctx *d = arg;
	d->spins++;
	if (!d->io_seen && d->spins < 100)
		ev_timer_add(loop, timer_spin_cb, d, 0, NULL);
}

static void defer_io_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct defer_ctx *d = arg;
	d->io_seen = true;
	ev_fd_del(loop, fd);
}

static void test_defer_order_and_starvation(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct defer_ctx d = { 0 };
	ev_defer(loop, defer_a_cb, &d);
	ev_defer(loop, defer_b_cb, &d);
	ev_defer(loop, defer_c_cb, &d);
	assert_int_equal(ev_run(loop), 0);
	assert_string_equal(d.order, "ABCD");

	/* A deferred call that keeps deferring itself must not keep a ready fd
	 * from being served: one round of deferred calls per iteration. */
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	ev_defer(loop, defer_spin_cb, &d);
	assert_int_equal(ev_fd_add(loop, p[0], EV_READ, defer_io_cb, &d), 0);
	assert_int_equal(ev_run(loop), 0);
	assert_true(d.io_seen);
	assert_true(d.spins >= 1 && d.spins <= 3);

	/* The same holds for a timer that re-adds itself with a zero delay. */
	d.spins = 0;
	d.io_seen = false;
	assert_int_equal(write(p[1], "x", 1), 1);
	ev_timer_add(loop, timer_spin_cb, &d, 0, NULL);
	assert_int_equal(ev_fd_add(loop, p[0], EV_READ, defer_io_cb, &d), 0);
	assert_int_equal(ev_run(loop), 0);
	assert_true(d.io_seen);
	assert_true(d.spins >= 1 && d.spins <= 3);
	close(p[0]);
	close(p[1]);
	ev_loop_free(loop);
}

/* ---- file descriptors ---- */

struct pipe_ctx {
	int p[2];
	int reads, writes;
	char got;
};

static void pipe_read_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct pipe_ctx *pc = arg;
	assert_int_equal(fd, pc->p[0]);
	assert_true(events & EV_READ);
	assert_int_equal(read(fd, &pc->got, 1), 1);
	pc->reads++;
	ev_fd_del(loop, fd);
}

static void pipe_write_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct pipe_ctx *pc = arg;
	assert_int_equal(fd, pc->p[1]);
	assert_true(events & EV_WRITE);
	assert_int_equal(write(fd, "k", 1), 1);
	pc->writes++;
	ev_fd_del(loop, fd); /* from its own callback */
}

static void test_fd_pipe(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct pipe_ctx pc = { 0 };
	assert_int_equal(pipe(pc.p), 0);
	assert_int_equal(ev_fd_add(loop, pc.p[0], EV_READ, pipe_read_cb, &pc), 0);
	/* Registered idle first, then switched to write interest. */
	assert_int_equal(ev_fd_add(loop, pc.p[1], 0, pipe_write_cb, &pc), 0);
	assert_int_equal(ev_fd_add(loop, pc.p[1], EV_WRITE, pipe_write_cb, &pc), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(ev_fd_mod(loop, pc.p[1], EV_WRITE), 0);
	assert_int_equal(ev_fd_mod(loop, 999, EV_READ), -1);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(pc.writes, 1);
	assert_int_equal(pc.reads, 1);
	assert_int_equal(pc.got, 'k');
	close(pc.p[0]);
	close(pc.p[1]);
	ev_loop_free(loop);
}

struct stale_ctx {
	int a[2], b[2];
	int first_calls;
	int stale_calls;
	int new_fd[2];
};

static void stale_new_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	((struct stale_ctx *)arg)->stale_calls++;
}

static void stale_cleanup(struct ev_loop *loop, void *arg)
{
	struct stale_ctx *sc = arg;
	ev_fd_del(loop, sc->new_fd[0]);
}

static void stale_first_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct stale_ctx *sc = arg;
	int other = fd == sc->a[0] ? sc->b[0] : sc->a[0];
	sc->first_calls++;
	/* The other fd's event is in this same epoll batch. Drop it, close it
	 * and register a fresh (empty) pipe under the same fd number: its
	 * callback must not receive the old, already collected event. */
	ev_fd_del(loop, other);
	close(other);
	assert_int_equal(pipe(sc->new_fd), 0);
	assert_int_equal(sc->new_fd[0], other);
	assert_int_equal(ev_fd_add(loop, sc->new_fd[0], EV_READ, stale_new_cb, sc), 0);
	ev_fd_del(loop, fd);
	/* Deleted only on the next iteration, after this batch is dispatched. */
	ev_defer(loop, stale_cleanup, sc);
}

static void test_fd_del_other_pending(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct stale_ctx sc = { 0 };
	assert_int_equal(pipe(sc.a), 0);
	assert_int_equal(pipe(sc.b), 0);
	assert_int_equal(write(sc.a[1], "1", 1), 1);
	assert_int_equal(write(sc.b[1], "2", 1), 1);
	assert_int_equal(ev_fd_add(loop, sc.a[0], EV_READ, stale_first_cb, &sc), 0);
	assert_int_equal(ev_fd_add(loop, sc.b[0], EV_READ, stale_first_cb, &sc), 0);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(sc.first_calls, 1);
	assert_int_equal(sc.stale_calls, 0);
	int closed = sc.new_fd[0] == sc.a[0] ? sc.b[0] : sc.a[0];
	close(closed);
	close(sc.new_fd[0]);
	close(sc.new_fd[1]);
	close(sc.a[1]);
	close(sc.b[1]);
	ev_loop_free(loop);
}

/* ---- signals ---- */

struct sig_ctx {
	int usr1, usr2;
};

static void sig_cb(struct ev_loop *loop, int signo, void *arg)
{
	struct sig_ctx *sx = arg;
	if (signo == SIGUSR1) {
		sx->usr1++;
		assert_int_equal(kill(getpid(), SIGUSR2), 0);
		ev_signal_del(loop, SIGUSR1);
	} else if (signo == SIGUSR2) {
		sx->usr2++;
		ev_signal_del(loop, SIGUSR2);
	}
}

static bool sig_blocked(int signo)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, signo) == 1;
}

static void test_signals(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct sig_ctx sx = { 0 };
	assert_false(sig_blocked(SIGUSR1));
	assert_int_equal(ev_signal_add(loop, SIGKILL, sig_cb, &sx), -1);
	assert_int_equal(ev_signal_add(loop, SIGUSR1, sig_cb, &sx), 0);
	assert_int_equal(ev_signal_add(loop, SIGUSR2, sig_cb, &sx), 0);
	assert_true(sig_blocked(SIGUSR1));
	assert_int_equal(raise(SIGUSR1), 0); /* blocked: queued for the signalfd */
	assert_int_equal(ev_run(loop), 0);   /* returns once both are deleted */
	assert_int_equal(sx.usr1, 1);
	assert_int_equal(sx.usr2, 1);
	assert_false(sig_blocked(SIGUSR1));

	/* Watched again, then the loop goes away: the mask is restored. */
	assert_int_equal(ev_signal_add(loop, SIGUSR1, sig_cb, &sx), 0);
	assert_true(sig_blocked(SIGUSR1));
	ev_loop_free(loop);
	assert_false(sig_blocked(SIGUSR1));
	assert_false(sig_blocked(SIGUSR2));
	assert_false(sig_blocked(SIGCHLD));

	/* A signal blocked before the loop existed stays blocked after it is
	 * watched and released, and after the loop is freed. */
	sigset_t hup, old;
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	sigprocmask(SIG_BLOCK, &hup, &old);
	loop = ev_loop_new();
	assert_int_equal(ev_signal_add(loop, SIGHUP, sig_cb, &sx), 0);
	ev_signal_del(loop, SIGHUP);
	assert_true(sig_blocked(SIGHUP));
	assert_int_equal(ev_signal_add(loop, SIGUSR2, sig_cb, &sx), 0);
	/* The whole mask returns to what it was at ev_loop_new(). */
	sigset_t winch;
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, NULL);
	ev_loop_free(loop);
	assert_true(sig_blocked(SIGHUP));
	assert_false(sig_blocked(SIGUSR2));
	assert_false(sig_blocked(SIGWINCH));
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ---- children ---- */

struct child_ctx {
	pid_t pid[2];
	int status[2];
	int calls;
};

static void child_cb(struct ev_loop *loop, pid_t pid, int status, void *arg)
{
	struct child_ctx *cc = arg;
	for (int i = 0; i < 2; i++)
		if (cc->pid[i] == pid)
			cc->status[i] = status;
	cc->calls++;
}

static pid_t spawn_exit(int code)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(code);
	return pid;
}

/* Wait until pid is a zombie without reaping it. */
static void wait_zombie(pid_t pid)
{
	siginfo_t si;
	assert_int_equal(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
}

static void test_children(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct child_ctx cc = { 0 };
	/* An unrelated child the loop must not reap. */
	pid_t bystander = spawn_exit(9);

	cc.pid[0] = spawn_exit(7);
	assert_int_equal(ev_child_add(loop, cc.pid[0], child_cb, &cc), 0);
	/* Exited before registration (SIGCHLD not yet routed to the loop). */
	cc.pid[1] = spawn_exit(3);
	wait_zombie(cc.pid[1]);
	assert_int_equal(ev_child_add(loop, cc.pid[1], child_cb, &cc), 0);
	wait_zombie(bystander);
	assert_int_equal(ev_run(loop), 0);
	assert_int_equal(cc.calls, 2);
	assert_true(WIFEXITED(cc.status[0]));
	assert_int_equal(WEXITSTATUS(cc.status[0]), 7);
	assert_true(WIFEXITED(cc.status[1]));
	assert_int_equal(WEXITSTATUS(cc.status[1]), 3);

	int st = 0;
	assert_int_equal(waitpid(bystander, &st, WNOHANG), bystander);
	assert_int_equal(WEXITSTATUS(st), 9);
	/* A pid that is not our child is refused. */
	assert_int_equal(ev_child_add(loop, 1, child_cb, &cc), -1);
	assert_false(sig_blocked(SIGCHLD));
	ev_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_random_order),
		cmocka_unit_test(test_timer_equal_expiry_insertion_order),
		cmocka_unit_test(test_timer_cancel_from_callback),
		cmocka_unit_test(test_timer_self_readd),
		cmocka_unit_test(test_timer_ref_and_rearm),
		cmocka_unit_test(test_timer_100k),
		cmocka_unit_test(test_timer_not_early_no_spin),
		cmocka_unit_test(test_late_hook),
		cmocka_unit_test(test_break_and_idle_return),
		cmocka_unit_test(test_defer_order_and_starvation),
		cmocka_unit_test(test_fd_pipe),
		cmocka_unit_test(test_fd_del_other_pending),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_children),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
