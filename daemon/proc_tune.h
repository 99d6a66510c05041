/* SPDX-License-Identifier: GPL-2.0-or-later */
/* proc_tune.h - a child's scheduling settings: nice, realtime, memory locking, CPU affinity */
#ifndef KA_PROC_TUNE_H
#define KA_PROC_TUNE_H

#include <sched.h>
#include <stdint.h>

#include "log.h"

struct ev_loop;
struct global_cfg;
struct global_proc;

/* max_auto_priority state of one child (it lives in the child's context). */
struct proc_tune_late {
	const char *who;
	int max;            /* global_defs max_auto_priority */
	struct log_rl rl;
};

/*
 * Parse a CPU list as global_defs stores it ("0-2,5"; commas or spaces)
 * into set. Returns 0, or -1 for a malformed list or a CPU beyond
 * CPU_SETSIZE.
 */
int proc_tune_cpus(const char *list, cpu_set_t *set);

/*
 * Apply gp to the calling process: nice (*_priority), SCHED_RR at
 * *_rt_priority with RLIMIT_RTTIME at *_rlimit_rttime µs, mlockall
 * (*_no_swap) and CPU affinity. Realtime is set with SCHED_RESET_ON_FORK,
 * so the scripts a child runs start as ordinary processes. Each failure is
 * logged and the rest still applied; who names the process in the log.
 */
void proc_tune_apply(const struct global_proc *gp, const char *who);

/*
 * Watch loop for timers firing min_auto_priority_delay late or more: the
 * process was not scheduled in time, which is how a busy director loses
 * its adverts. Each time, a warning (rate-limited; none with
 * max_auto_priority -1) and, with max_auto_priority > 0, one step up in
 * realtime priority (SCHED_RR 1, 2, ... up to it). Call again after a
 * reload; pl must outlive loop.
 */
void proc_tune_watch(struct proc_tune_late *pl, struct ev_loop *loop,
		     const struct global_cfg *g, const char *who);

#endif
