/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_run.h - probe scheduler: timing, up/down decisions, shared probes, server health */
#ifndef KA_CHECK_RUN_H
#define KA_CHECK_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "check/check_cfg.h"
#include "check/check_ipvs.h"
#include "check/check_notify.h"
#include "check/check_probe.h"

struct ev_loop;
struct check_run;

/*
 * Timing, as keepalived does it: the first attempt of a probe starts at a
 * random point of [0, warmup] (warmup defaults to delay_loop, 0 starts at
 * once), then one every delay_loop. While a probe is UP, or before its
 * first result, a failed attempt is retried `retry` times, delay_before_retry
 * apart; only when all of them fail is it DOWN. One success makes it UP
 * at once. A DOWN probe runs every delay_loop. A probe starts DOWN with
 * alpha, else UP.
 *
 * A real server is alive when all its probes are UP (one without probes
 * always is); its weight is the last weight a dynamic probe reported
 * (MISC_CHECK misc_dynamic, FILE_CHECK), else its configured weight.
 *
 * Sharing: probes with the same kind, target, source, kind-specific
 * parameters and timing run once, however many virtual servers list them;
 * their result goes to every real server using them.
 *
 * ha_suspend: the probes of such a virtual server pause while its address
 * is not configured on this host (polled with getifaddrs() every
 * CHECK_RUN_SUSPEND_POLL_US; a fwmark service is never suspended, a group
 * follows its first address). A shared probe runs while any of its users
 * is active.
 */

#define CHECK_RUN_SUSPEND_POLL_US 1000000ull

struct check_run_hooks {
	/*
	 * The health of vs changed: its desired IPVS state must be recomputed
	 * from h (valid during the call). Called from the loop, at most once
	 * per loop iteration and virtual server, however many of its servers
	 * changed.
	 */
	void (*vs_changed)(void *arg, const struct check_vs *vs, const struct check_ipvs_health *h);
	void *arg;
	/* Probe implementations; NULL = check_probe_ops_for() (tests inject fakes). */
	const struct check_probe_ops *(*ops_for)(enum check_kind kind);
	/* Whether address a is local, for ha_suspend; NULL = getifaddrs(). */
	bool (*addr_is_local)(void *arg, const struct ka_addr *a);
};

/*
 * Build the runtime for configuration c (finished) with globals g, and
 * start the probes. c and g must stay valid until the next reload or
 * check_run_free(); notify must outlive r. hooks is copied.
 */
struct check_run *check_run_new(struct ev_loop *loop, const struct check_cfg *c,
				const struct global_cfg *g, struct check_notify *notify,
				const struct check_run_hooks *hooks);

/*
 * Move to a new configuration. Probes identical in both keep their state,
 * timers and counters; a real server found again (same virtual server key,
 * same address and port) keeps its alive state, and a virtual server its
 * quorum state. New probes of such a server start in its old state, those
 * of new servers by the alpha rule. Probes no longer used stop. Pending
 * vs_changed calls are dropped: the caller resynchronises everything.
 */
void check_run_reload(struct check_run *r, const struct check_cfg *c, const struct global_cfg *g);

/* Stop every probe and free r. With omega, virtual servers having the
 * omega option first report their alive real servers down and their
 * quorum lost (scripts, FIFO, alerts). NULL is fine. */
void check_run_free(struct check_run *r, bool omega);

/* Virtual servers in configuration order: the i-th (i < count) and its
 * current health (*h valid until the next loop iteration). */
size_t check_run_vs_count(const struct check_run *r);
const struct check_vs *check_run_vs(const struct check_run *r, size_t i,
				    const struct check_ipvs_health **h);

/*
 * A result that does not come from an attempt (BFD_CHECK: a BFD session
 * changed): every probe of kind for which match(p, arg) is true takes o at
 * once, through the same path as an attempt's result (an attempt in flight
 * is dropped, the next one is due delay_loop later). Returns how many
 * distinct probes took it.
 */
size_t check_run_push(struct check_run *r, enum check_kind kind,
		      bool (*match)(const struct check_probe *p, void *arg), void *arg,
		      const struct check_outcome *o);

/* Route alerts (SMTP) of real and virtual server transitions to fn. */
void check_run_set_alert_hook(struct check_run *r, check_alert_fn fn, void *arg);

/* Runtime state for SIGUSR1, counters for SIGUSR2 (then zeroed if clear),
 * and one JSON object (no newline) for SIGRTMIN+2. */
void check_run_dump(const struct check_run *r, FILE *out);
void check_run_stats(struct check_run *r, FILE *out, bool clear);
void check_run_json(const struct check_run *r, FILE *out);

/* Distinct probes running (shared ones count once), for tests and dumps. */
size_t check_run_probe_count(const struct check_run *r);

#endif
