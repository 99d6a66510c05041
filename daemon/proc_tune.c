/* SPDX-License-Identifier: GPL-2.0-or-later */
/* proc_tune.c - a child's scheduling settings: nice, realtime, memory locking, CPU affinity */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* CPU_SET, sched_setaffinity */
#endif
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "daemon/global_cfg.h"
#include "daemon/proc_tune.h"
#include "ev.h"
#include "log.h"
#include "util.h"

/* One number of a CPU list; *end past it. */
static int cpu_number(const char *s, const char **end, unsigned *out)
{
	char *e;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &e, 10);
	if (errno || v >= CPU_SETSIZE)
		return -1;
	*out = (unsigned)v;
	*end = e;
	return 0;
}

int proc_tune_cpus(const char *list, cpu_set_t *set)
{
	const char *s = list;
	unsigned n = 0;

	CPU_ZERO(set);
	while (*s) {
		unsigned lo, hi;
		if (*s == ',' || *s == ' ') {
			s++;
			continue;
		}
		if (cpu_number(s, &s, &lo) < 0)
			return -1;
		hi = lo;
		if (*s == '-' && (cpu_number(s + 1, &s, &hi) < 0 || hi < lo))
			return -1;
		if (*s && *s != ',' && *s != ' ')
			return -1;
		for (unsigned c = lo; c <= hi; c++, n++)
			CPU_SET(c, set);
	}
	return n ? 0 : -1;
}

static void tune_realtime(const struct global_proc *gp, const char *who)
{
	/* A realtime loop that spins must not freeze the machine: the kernel
	 * sends SIGXCPU, then SIGKILL, once it ran this long without
	 * blocking, and the supervisor respawns it. */
	struct rlimit rl = { .rlim_cur = gp->rlimit_rttime, .rlim_max = gp->rlimit_rttime };
	if (gp->rlimit_rttime && setrlimit(RLIMIT_RTTIME, &rl) < 0)
		log_warn("%s: cannot limit realtime CPU to %u us", who, gp->rlimit_rttime);
	struct sched_param sp = { .sched_priority = (int)gp->rt_priority };
	if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0)
		log_warn("%s: cannot run at realtime priority %u", who, gp->rt_priority);
	else
		log_info("%s: realtime priority %u (SCHED_RR)", who, gp->rt_priority);
}

void proc_tune_apply(const struct global_proc *gp, const char *who)
{
	if (gp->priority && setpriority(PRIO_PROCESS, 0, gp->priority) < 0)
		log_warn("%s: cannot set nice value %d", who, gp->priority);
	if (gp->rt_priority)
		tune_realtime(gp, who);
	if (gp->no_swap && mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		log_warn("%s: cannot lock its memory", who);
	if (gp->cpu_affinity) {
		cpu_set_t set;
		if (proc_tune_cpus(gp->cpu_affinity, &set) < 0)
			log_warnx("%s: CPU list '%s' is not valid here", who, gp->cpu_affinity);
		else if (sched_setaffinity(0, sizeof(set), &set) < 0)
			log_warn("%s: cannot bind to CPUs %s", who, gp->cpu_affinity);
	}
}

/* A timer fired late: say so, and climb one realtime step if allowed. */
static void late_cb(struct ev_loop *loop, uint64_t late_us, void *arg)
{
	struct proc_tune_late *pl = arg;
	struct sched_param sp = { 0 };
	int policy = sched_getscheduler(0) & ~SCHED_RESET_ON_FORK;
	int cur = 0;

	if (pl->max < 0)
		return;
	if (policy == SCHED_RR || policy == SCHED_FIFO) {
		sched_getparam(0, &sp);
		cur = sp.sched_priority;
	}
	if (pl->max == 0 || cur >= pl->max) {
		log_rl_msg(&pl->rl, LOG_WARNING, "%s: timers ran %llu ms late (not scheduled in "
			   "time)%s", pl->who, (unsigned long long)(late_us / 1000),
			   pl->max ? "" : "; max_auto_priority would raise our priority");
		return;
	}
	if (cur == 0) {
		/* the realtime safety net of *_rlimit_rttime's default */
		struct rlimit rl = { .rlim_cur = 10000, .rlim_max = 10000 };
		struct rlimit old;
		if (getrlimit(RLIMIT_RTTIME, &old) == 0 && old.rlim_cur == RLIM_INFINITY)
			setrlimit(RLIMIT_RTTIME, &rl);
	}
	sp.sched_priority = cur + 1;
	if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0)
		log_warn("%s: timers ran %llu ms late; cannot raise realtime priority to %d",
			 pl->who, (unsigned long long)(late_us / 1000), cur + 1);
	else
		log_warnx("%s: timers ran %llu ms late: realtime priority raised to %d",
			  pl->who, (unsigned long long)(late_us / 1000), cur + 1);
}

void proc_tune_watch(struct proc_tune_late *pl, struct ev_loop *loop,
		     const struct global_cfg *g, const char *who)
{
	pl->who = who;
	pl->max = g->max_auto_priority;
	ev_set_late_hook(loop, g->min_auto_priority_delay, late_cb, pl);
}
