/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ev.c - epoll event loop with a timer heap, one signalfd, child reaping and deferred calls */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ev.h"
#include "util.h"

#define EV_BATCH 64
/* epoll data tag of the internal signalfd; fd registrations carry gen << 32 | fd
 * with gen >= 1, so this value can never collide with one. */
#define EV_SIGFD_TAG UINT64_MAX
#define EV_TIMERFD_TAG (UINT64_MAX - 1)

struct ev_timer {
	struct ev_loop *loop;
	ev_timer_cb cb;
	void *arg;
	uint64_t when; /* absolute expiry, µs on CLOCK_MONOTONIC */
	uint64_t seq;  /* insertion order, breaks ties between equal expiries */
	size_t idx;    /* position in loop->heap, so cancel needs no search */
	struct ev_timer **ref;
};

struct ev_fdreg {
	ev_fd_cb cb;
	void *arg;
	unsigned events;
	uint32_t gen; /* 0 = free slot; otherwise the registration's generation */
};

struct ev_child {
	pid_t pid;
	bool exited; /* already reaped when registered; status holds the result */
	int status;
	ev_child_cb cb;
	void *arg;
};

struct ev_deferred {
	struct ev_deferred *next;
	ev_timer_cb cb;
	void *arg;
};

struct ev_loop {
	int epfd, sigfd;
	int tfd;            /* timerfd armed at the earliest timer, when it is far */
	uint64_t tfd_when;  /* what tfd is armed for, 0 = disarmed */
	bool no_pwait2;     /* the kernel lacks epoll_pwait2 */
	bool brk;
	uint64_t now;

	struct ev_timer **heap;
	size_t nheap, heap_cap;
	uint64_t seq;

	struct ev_fdreg *fds;
	size_t fd_cap, nfds;
	uint32_t fd_gen;

	struct {
		ev_signal_cb cb;
		void *arg;
	} sig[_NSIG];
	size_t nsig;
	sigset_t sigmask;  /* signals currently blocked and routed to sigfd */
	sigset_t origmask; /* mask at ev_loop_new(), restored by ev_loop_free() */

	struct ev_child *children;
	size_t nchildren, child_cap;
	bool child_scan; /* a registration found an exited child: deliver it */

	struct ev_deferred *dq_head, *dq_tail;

	ev_late_cb late_cb;
	void *late_arg;
	uint64_t late_limit;
};

/* ---- timer heap ---- */

static bool timer_before(const struct ev_timer *a, const struct ev_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_place(struct ev_loop *loop, struct ev_timer *t, size_t i)
{
	loop->heap[i] = t;
	t->idx = i;
}

static void heap_up(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!timer_before(t, loop->heap[parent]))
			break;
		heap_place(loop, loop->heap[parent], i);
		i = parent;
	}
	heap_place(loop, t, i);
}

static void heap_down(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= loop->nheap)
			break;
		if (c + 1 < loop->nheap && timer_before(loop->heap[c + 1], loop->heap[c]))
			c++;
		if (!timer_before(loop->heap[c], t))
			break;
		heap_place(loop, loop->heap[c], i);
		i = c;
	}
	heap_place(loop, t, i);
}

static void heap_remove(struct ev_loop *loop, struct ev_timer *t)
{
	size_t i = t->idx;
	struct ev_timer *last = loop->heap[--loop->nheap];
	if (last == t)
		return;
	heap_place(loop, last, i);
	if (i > 0 && timer_before(last, loop->heap[(i - 1) / 2]))
		heap_up(loop, i);
	else
		heap_down(loop, i);
}

int ev_timer_add(struct ev_loop *loop, ev_timer_cb cb, void *arg, uint64_t usec,
		 struct ev_timer **ref)
{
	/* Re-arming through a ref that still holds a pending timer replaces it:
	 * otherwise the old timer would clear the ref under the new one. */
	if (ref && *ref)
		ev_cancel(ref);
	if (loop->nheap == loop->heap_cap) {
		loop->heap_cap = loop->heap_cap ? 2 * loop->heap_cap : 64;
		loop->heap = xrealloc(loop->heap, loop->heap_cap * sizeof(*loop->heap));
	}
	struct ev_timer *t = xmalloc(sizeof(*t));
	/* A fresh clock reading, not the cached iteration time, so the timer can
	 * never fire before usec have really passed since this call. */
	uint64_t now = mono_usec();
	t->loop = loop;
	t->cb = cb;
	t->arg = arg;
	t->when = usec > UINT64_MAX - now ? UINT64_MAX : now + usec;
	t->seq = loop->seq++;
	t->ref = ref;
	loop->heap[loop->nheap] = t;
	t->idx = loop->nheap++;
	heap_up(loop, t->idx);
	if (ref)
		*ref = t;
	return 0;
}

void ev_cancel(struct ev_timer **ref)
{
	struct ev_timer *t = ref ? *ref : NULL;
	if (!t)
		return;
	heap_remove(t->loop, t);
	if (t->ref)
		*t->ref = NULL;
	*ref = NULL;
	free(t);
}

uint64_t ev_timer_remaining(const struct ev_timer *t)
{
	uint64_t now = mono_usec();
	return t->when > now ? t->when - now : 0;
}

size_t ev_timer_count(const struct ev_loop *loop)
{
	return loop->nheap;
}

uint64_t ev_now(const struct ev_loop *loop)
{
	return loop->now;
}

/* Fire every timer due at loop->now. Timers added by these callbacks get a
 * sequence number >= limit and wait for the next iteration, so a callback
 * re-adding itself with a zero delay cannot starve I/O. */
static void timers_run(struct ev_loop *loop)
{
	uint64_t limit = loop->seq;
	/* the earliest due timer tells how late this wake-up is */
	if (loop->late_cb && loop->nheap && loop->now > loop->heap[0]->when + loop->late_limit)
		loop->late_cb(loop, loop->now - loop->heap[0]->when, loop->late_arg);
	while (loop->nheap && !loop->brk) {
		struct ev_timer *t = loop->heap[0];
		if (t->when > loop->now || t->seq >= limit)
			break;
		heap_remove(loop, t);
		if (t->ref)
			*t->ref = NULL;
		ev_timer_cb cb = t->cb;
		void *arg = t->arg;
		free(t);
		cb(loop, arg);
	}
}

/* Below this, epoll's own slack (0.1 % of the wait) is at most 50 µs, the
 * kernel's default for any timer: wait with epoll_pwait2's ns timeout. */
#define EV_NEAR_US 50000

/*
 * The wait before the next timer, for epoll_pwait2: NULL for "until an
 * event", else *ts. A far timer is left to a timerfd armed at its absolute
 * expiry: the kernel gives an epoll timeout slack of 0.1 % (3.6 ms on a
 * 3.6 s master-down timer), which a failover would pay in full. A near one
 * (most, with many instances) needs no timerfd system calls at all.
 */
static const struct timespec *timers_wait(struct ev_loop *loop, struct timespec *ts)
{
	if (!loop->nheap)
		return NULL; /* a stale timerfd arming only costs one spurious wake-up */
	uint64_t when = loop->heap[0]->when;
	uint64_t d = when > loop->now ? when - loop->now : 0;
	ts->tv_sec = (time_t)(d / 1000000);
	ts->tv_nsec = (long)(d % 1000000) * 1000;
	if (d <= EV_NEAR_US || when == loop->tfd_when)
		return d <= EV_NEAR_US ? ts : NULL;
	struct itimerspec its = {
		.it_value = { .tv_sec = (time_t)(when / 1000000),
			      .tv_nsec = (long)(when % 1000000) * 1000 },
	};
	if (timerfd_settime(loop->tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0)
		return ts; /* cannot happen with a valid fd: the plain wait */
	loop->tfd_when = when;
	return NULL;
}

/* epoll_pwait2 (Linux 5.11), or epoll_wait with the timeout rounded up to
 * whole ms where the kernel lacks it. */
static int loop_wait(struct ev_loop *loop, struct epoll_event *ee, const struct timespec *ts)
{
	if (!loop->no_pwait2) {
		int n = epoll_pwait2(loop->epfd, ee, EV_BATCH, ts, NULL);
		if (n >= 0 || errno != ENOSYS)
			return n;
		loop->no_pwait2 = true;
	}
	int ms = -1;
	if (ts) {
		uint64_t us = (uint64_t)ts->tv_sec * 1000000 + (uint64_t)ts->tv_nsec / 1000;
		uint64_t r = (us + 999) / 1000;
		ms = r > INT_MAX ? INT_MAX : (int)r;
	}
	return epoll_wait(loop->epfd, ee, EV_BATCH, ms);
}

static void timerfd_drain(struct ev_loop *loop)
{
	uint64_t ticks;
	if (read(loop->tfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return;
	loop->tfd_when = 0; /* fired: the next arming must go through */
}

/* ---- file descriptors ---- */

static uint32_t ev_to_epoll(unsigned events)
{
	return ((events & EV_READ) ? EPOLLIN : 0) | ((events & EV_WRITE) ? EPOLLOUT : 0);
}

static int fd_ctl(struct ev_loop *loop, int op, int fd, unsigned events, uint32_t gen)
{
	struct epoll_event ee = { .events = ev_to_epoll(events) };
	ee.data.u64 = (uint64_t)gen << 32 | (uint32_t)fd;
	return epoll_ctl(loop->epfd, op, fd, &ee);
}

int ev_fd_add(struct ev_loop *loop, int fd, unsigned events, ev_fd_cb cb, void *arg)
{
	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if ((size_t)fd >= loop->fd_cap) {
		size_t cap = loop->fd_cap ? loop->fd_cap : 64;
		while (cap <= (size_t)fd)
			cap *= 2;
		loop->fds = xrealloc(loop->fds, cap * sizeof(*loop->fds));
		memset(loop->fds + loop->fd_cap, 0, (cap - loop->fd_cap) * sizeof(*loop->fds));
		loop->fd_cap = cap;
	}
	struct ev_fdreg *r = &loop->fds[fd];
	if (r->gen) {
		errno = EEXIST;
		return -1;
	}
	if (++loop->fd_gen == 0)
		loop->fd_gen = 1;
	if (fd_ctl(loop, EPOLL_CTL_ADD, fd, events, loop->fd_gen) < 0)
		return -1;
	r->cb = cb;
	r->arg = arg;
	r->events = events;
	r->gen = loop->fd_gen;
	loop->nfds++;
	return 0;
}

int ev_fd_mod(struct ev_loop *loop, int fd, unsigned events)
{
	if (fd < 0 || (size_t)fd >= loop->fd_cap || !loop->fds[fd].gen) {
		errno = ENOENT;
		return -1;
	}
	struct ev_fdreg *r = &loop->fds[fd];
	if (fd_ctl(loop, EPOLL_CTL_MOD, fd, events, r->gen) < 0)
		return -1;
	r->events = events;
	return 0;
}

void ev_fd_del(struct ev_loop *loop, int fd)
{
	if (fd < 0 || (size_t)fd >= loop->fd_cap || !loop->fds[fd].gen)
		return;
	/* Fails harmlessly if the caller already closed fd (the kernel dropped it). */
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	memset(&loop->fds[fd], 0, sizeof(loop->fds[fd]));
	loop->nfds--;
}

/* An event from this epoll batch may belong to a registration deleted (and
 * perhaps replaced on the same fd number) by an earlier callback of the same
 * batch: the generation check drops it instead of calling a stale callback. */
static void fd_dispatch(struct ev_loop *loop, const struct epoll_event *ee)
{
	int fd = (int)(uint32_t)ee->data.u64;
	uint32_t gen = (uint32_t)(ee->data.u64 >> 32);
	if ((size_t)fd >= loop->fd_cap || loop->fds[fd].gen != gen)
		return;
	unsigned ev = 0;
	if (ee->events & EPOLLIN)
		ev |= EV_READ;
	if (ee->events & EPOLLOUT)
		ev |= EV_WRITE;
	if (ee->events & (EPOLLERR | EPOLLHUP))
		ev |= EV_ERROR;
	loop->fds[fd].cb(loop, fd, ev, loop->fds[fd].arg);
}

/* ---- signals and children ---- */

/* Make the blocked set and the signalfd mask match the registrations. A
 * signal that is no longer watched is drained (so unblocking it cannot run
 * its default action for an instance already queued) and unblocked unless
 * it was blocked before the loop existed. */
static int sig_sync(struct ev_loop *loop, bool all_off)
{
	sigset_t want, gone;
	sigemptyset(&want);
	sigemptyset(&gone);
	for (int s = 1; s < _NSIG && !all_off; s++)
		if (loop->sig[s].cb)
			sigaddset(&want, s);
	if (loop->nchildren && !all_off)
		sigaddset(&want, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &want, NULL) < 0)
		return -1;
	if (signalfd(loop->sigfd, &want, SFD_NONBLOCK | SFD_CLOEXEC) < 0)
		return -1;
	bool any_gone = false;
	for (int s = 1; s < _NSIG; s++) {
		if (sigismember(&loop->sigmask, s) == 1 && sigismember(&want, s) != 1 &&
		    sigismember(&loop->origmask, s) != 1) {
			sigaddset(&gone, s);
			any_gone = true;
		}
	}
	loop->sigmask = want;
	if (!any_gone)
		return 0;
	struct timespec zero = { 0, 0 };
	while (sigtimedwait(&gone, NULL, &zero) > 0)
		;
	return sigprocmask(SIG_UNBLOCK, &gone, NULL);
}

int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb, void *arg)
{
	if (signo <= 0 || signo >= _NSIG || signo == SIGKILL || signo == SIGSTOP || !cb) {
		errno = EINVAL;
		return -1;
	}
	if (!loop->sig[signo].cb)
		loop->nsig++;
	loop->sig[signo].cb = cb;
	loop->sig[signo].arg = arg;
	return sig_sync(loop, false);
}

void ev_signal_del(struct ev_loop *loop, int signo)
{
	if (signo <= 0 || signo >= _NSIG || !loop->sig[signo].cb)
		return;
	loop->sig[signo].cb = NULL;
	loop->sig[signo].arg = NULL;
	loop->nsig--;
	sig_sync(loop, false);
}

static void child_remove_at(struct ev_loop *loop, size_t i)
{
	loop->children[i] = loop->children[--loop->nchildren];
	if (!loop->nchildren)
		sig_sync(loop, false);
}

/* Reap registered children only (waitpid on each pid, never -1, so children
 * that other code waits for are left alone). Callbacks may add or delete
 * registrations, so the scan restarts after each delivery. */
static void children_reap(struct ev_loop *loop)
{
	bool again = true;
	loop->child_scan = false;
	while (again) {
		again = false;
		for (size_t i = 0; i < loop->nchildren; i++) {
			struct ev_child c = loop->children[i];
			if (!c.exited) {
				pid_t r = waitpid(c.pid, &c.status, WNOHANG);
				if (r == 0 || (r < 0 && errno == EINTR))
					continue;
				/* Reaped elsewhere (ECHILD): the status is lost, but the
				 * watcher must still learn that the child is gone. */
				if (r < 0)
					c.status = 0;
			}
			child_remove_at(loop, i);
			c.cb(loop, c.pid, c.status, c.arg);
			again = true;
			break;
		}
	}
}

int ev_child_add(struct ev_loop *loop, pid_t pid, ev_child_cb cb, void *arg)
{
	if (pid <= 0 || !cb) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < loop->nchildren; i++) {
		if (loop->children[i].pid == pid) {
			loop->children[i].cb = cb;
			loop->children[i].arg = arg;
			return 0;
		}
	}
	if (loop->nchildren == loop->child_cap) {
		loop->child_cap = loop->child_cap ? 2 * loop->child_cap : 8;
		loop->children = xrealloc(loop->children,
					  loop->child_cap * sizeof(*loop->children));
	}
	struct ev_child *c = &loop->children[loop->nchildren++];
	*c = (struct ev_child){ .pid = pid, .cb = cb, .arg = arg };
	/* SIGCHLD is routed to the signalfd first, then the child is checked:
	 * an exit before this point (its SIGCHLD possibly discarded) is found
	 * here, one after it raises SIGCHLD on the signalfd. */
	if (sig_sync(loop, false) < 0) {
		loop->nchildren--;
		return -1;
	}
	pid_t r = waitpid(pid, &c->status, WNOHANG);
	if (r < 0) {
		int err = errno;
		child_remove_at(loop, loop->nchildren - 1);
		errno = err;
		return -1;
	}
	if (r == pid) {
		c->exited = true;
		loop->child_scan = true;
	}
	return 0;
}

void ev_child_del(struct ev_loop *loop, pid_t pid)
{
	for (size_t i = 0; i < loop->nchildren; i++) {
		if (loop->children[i].pid == pid) {
			child_remove_at(loop, i);
			return;
		}
	}
}

static void signals_read(struct ev_loop *loop)
{
	struct signalfd_siginfo si[16];
	do {
		ssize_t n = read(loop->sigfd, si, sizeof(si));
		if (n <= 0)
			return;
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++) {
			int s = (int)si[i].ssi_signo;
			if (s == SIGCHLD && loop->nchildren)
				children_reap(loop);
			if (s > 0 && s < _NSIG && loop->sig[s].cb)
				loop->sig[s].cb(loop, s, loop->sig[s].arg);
		}
	} while (!loop->brk);
}

/* ---- deferred calls ---- */

int ev_defer(struct ev_loop *loop, ev_timer_cb cb, void *arg)
{
	struct ev_deferred *d = xmalloc(sizeof(*d));
	d->next = NULL;
	d->cb = cb;
	d->arg = arg;
	if (loop->dq_tail)
		loop->dq_tail->next = d;
	else
		loop->dq_head = d;
	loop->dq_tail = d;
	return 0;
}

/* Run the calls queued before this iteration; calls they queue wait for the
 * next one. On ev_break() the rest of the batch goes back to the queue front. */
static void deferred_run(struct ev_loop *loop)
{
	struct ev_deferred *batch = loop->dq_head, *batch_tail = loop->dq_tail;
	loop->dq_head = loop->dq_tail = NULL;
	while (batch) {
		struct ev_deferred *d = batch;
		batch = d->next;
		ev_timer_cb cb = d->cb;
		void *arg = d->arg;
		free(d);
		cb(loop, arg);
		if (loop->brk && batch) {
			batch_tail->next = loop->dq_head;
			if (!loop->dq_head)
				loop->dq_tail = batch_tail;
			loop->dq_head = batch;
			return;
		}
	}
}

/* ---- the loop ---- */

struct ev_loop *ev_loop_new(void)
{
	struct ev_loop *loop = xcalloc(1, sizeof(*loop));
	sigemptyset(&loop->sigmask);
	sigprocmask(SIG_BLOCK, NULL, &loop->origmask);
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	loop->sigfd = signalfd(-1, &loop->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	loop->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	struct epoll_event ee = { .events = EPOLLIN, .data.u64 = EV_SIGFD_TAG };
	struct epoll_event te = { .events = EPOLLIN, .data.u64 = EV_TIMERFD_TAG };
	if (loop->epfd < 0 || loop->sigfd < 0 || loop->tfd < 0 ||
	    epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->sigfd, &ee) < 0 ||
	    epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->tfd, &te) < 0) {
		int err = errno;
		if (loop->epfd >= 0)
			close(loop->epfd);
		if (loop->sigfd >= 0)
			close(loop->sigfd);
		if (loop->tfd >= 0)
			close(loop->tfd);
		free(loop);
		errno = err;
		return NULL;
	}
	loop->now = mono_usec();
	return loop;
}

void ev_loop_free(struct ev_loop *loop)
{
	if (!loop)
		return;
	for (size_t i = 0; i < loop->nheap; i++) {
		if (loop->heap[i]->ref)
			*loop->heap[i]->ref = NULL;
		free(loop->heap[i]);
	}
	while (loop->dq_head) {
		struct ev_deferred *d = loop->dq_head;
		loop->dq_head = d->next;
		free(d);
	}
	sig_sync(loop, true);
	sigprocmask(SIG_SETMASK, &loop->origmask, NULL);
	close(loop->sigfd);
	close(loop->tfd);
	close(loop->epfd);
	free(loop->heap);
	free(loop->fds);
	free(loop->children);
	free(loop);
}

void ev_set_late_hook(struct ev_loop *loop, uint64_t limit_us, ev_late_cb cb, void *arg)
{
	loop->late_cb = cb;
	loop->late_arg = arg;
	loop->late_limit = limit_us;
}

void ev_break(struct ev_loop *loop)
{
	loop->brk = true;
}

static bool loop_idle(const struct ev_loop *loop)
{
	return !loop->nheap && !loop->nfds && !loop->nsig && !loop->nchildren && !loop->dq_head;
}

int ev_run(struct ev_loop *loop)
{
	struct epoll_event ee[EV_BATCH];
	loop->brk = false;
	loop->now = mono_usec();
	for (;;) {
		deferred_run(loop);
		if (loop->child_scan && !loop->brk)
			children_reap(loop);
		if (loop->brk || loop_idle(loop))
			break;
		loop->now = mono_usec();
		struct timespec ts = { 0, 0 };
		const struct timespec *wait = loop->dq_head || loop->child_scan ? &ts :
					      timers_wait(loop, &ts);
		int n = loop_wait(loop, ee, wait);
		if (n < 0 && errno != EINTR)
			return -1;
		loop->now = mono_usec();
		for (int i = 0; i < n && !loop->brk; i++) {
			if (ee[i].data.u64 == EV_SIGFD_TAG)
				signals_read(loop);
			else if (ee[i].data.u64 == EV_TIMERFD_TAG)
				timerfd_drain(loop);
			else
				fd_dispatch(loop, &ee[i]);
		}
		timers_run(loop);
	}
	loop->brk = false;
	return 0;
}
