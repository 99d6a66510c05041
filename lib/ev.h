/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ev.h - single-threaded event loop: fds (epoll), timers, signals, children, deferred calls */
#ifndef KA_EV_H
#define KA_EV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * One loop per process. Timers run on CLOCK_MONOTONIC with microsecond
 * resolution in a binary heap (O(log n) add and cancel). Signals arrive
 * through a signalfd, child exits through SIGCHLD + waitpid, so every
 * callback runs from ev_run() and never from a signal handler.
 */
struct ev_loop;
struct ev_timer;

#define EV_READ  0x1u
#define EV_WRITE 0x2u
#define EV_ERROR 0x4u /* EPOLLERR/EPOLLHUP seen; passed to the callback */

typedef void (*ev_timer_cb)(struct ev_loop *loop, void *arg);
typedef void (*ev_fd_cb)(struct ev_loop *loop, int fd, unsigned events, void *arg);
typedef void (*ev_signal_cb)(struct ev_loop *loop, int signo, void *arg);
/* status is as from waitpid(). */
typedef void (*ev_child_cb)(struct ev_loop *loop, pid_t pid, int status, void *arg);

/* Create a loop. Returns NULL (errno set) if epoll or signalfd fail. */
struct ev_loop *ev_loop_new(void);

/* Free the loop, its pending timers and registrations. Does not close
 * watched fds (the caller owns them). Restores the signal mask. */
void ev_loop_free(struct ev_loop *loop);

/* Run until ev_break() is called or nothing is left to wait for.
 * Returns 0, or -1 on an unrecoverable epoll error. */
int ev_run(struct ev_loop *loop);
void ev_break(struct ev_loop *loop);

/* Cached monotonic time (µs) of the current loop iteration. */
uint64_t ev_now(const struct ev_loop *loop);

/* Call cb(arg) once, usec microseconds from now. If ref is not NULL, *ref is
 * set to the timer and cleared to NULL when the timer fires or is
 * cancelled, so a stale handle is never used. If *ref still holds a pending
 * timer, that timer is cancelled first (re-arm), so *ref must start NULL.
 * Returns 0. */
int ev_timer_add(struct ev_loop *loop, ev_timer_cb cb, void *arg, uint64_t usec,
		 struct ev_timer **ref);

/* Cancel the timer *ref points to (if any) and set *ref to NULL. */
void ev_cancel(struct ev_timer **ref);

/* Microseconds until the timer fires (0 if due). */
uint64_t ev_timer_remaining(const struct ev_timer *t);

/* Number of pending timers (tests, dumps). */
size_t ev_timer_count(const struct ev_loop *loop);

/* Called with how late (µs) a timer fired, when that is over the limit
 * set with ev_set_late_hook(). */
typedef void (*ev_late_cb)(struct ev_loop *loop, uint64_t late_us, void *arg);

/* Report timers that fire more than limit_us late (the process was not
 * scheduled in time); cb NULL turns it off. */
void ev_set_late_hook(struct ev_loop *loop, uint64_t limit_us, ev_late_cb cb, void *arg);

/* Watch fd for EV_READ and/or EV_WRITE. One registration per fd.
 * Returns 0 or -1 (errno). ev_fd_mod changes the event set. */
int ev_fd_add(struct ev_loop *loop, int fd, unsigned events, ev_fd_cb cb, void *arg);
int ev_fd_mod(struct ev_loop *loop, int fd, unsigned events);
/* Stop watching fd. Safe to call from the fd's own callback. */
void ev_fd_del(struct ev_loop *loop, int fd);

/* Deliver signo through the loop (the signal is blocked and read from a
 * signalfd). A second call for the same signal replaces the callback.
 * Returns 0 or -1. */
int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb, void *arg);
void ev_signal_del(struct ev_loop *loop, int signo);

/* Call cb when child pid exits (reaped by the loop). Returns 0 or -1. */
int ev_child_add(struct ev_loop *loop, pid_t pid, ev_child_cb cb, void *arg);
void ev_child_del(struct ev_loop *loop, pid_t pid);

/* Run cb(arg) on the next iteration, before waiting. Returns 0. */
int ev_defer(struct ev_loop *loop, ev_timer_cb cb, void *arg);

#endif
