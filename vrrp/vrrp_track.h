/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_track.h - vrrp_script and track_file runtime, and the effective-priority rule */
#ifndef KA_VRRP_TRACK_H
#define KA_VRRP_TRACK_H

#include <stdbool.h>
#include <stdio.h>

struct ev_loop;
struct global_cfg;
struct vrrp_cfg;
struct vrrp_script_cfg;
struct vrrp_track_file_cfg;
struct vrrp_track_ref;
struct vrrp_tracks;
struct vrrp_trackers;
struct vrrp_tproc;
struct vrrp_bfd;

/* ---- effective priority (pure: vrrp_track_prio.c) -------------------------- */

enum vrrp_track_status {
	VRRP_TRACK_DISABLED = -2, /* never counts (an insecure script that is not run) */
	VRRP_TRACK_UNKNOWN = -1,  /* no result yet: neither weight nor fault applies */
	VRRP_TRACK_DOWN = 0,
	VRRP_TRACK_UP = 1,
};

/*
 * How the priority rule learns the state of what a vrrp_track_ref names.
 * A NULL function means every tracker of that kind is UNKNOWN (ignored).
 * vrrp_track_lookup_init() fills script and file from a running
 * vrrp_trackers; the engine adds interfaces, processes and BFD.
 */
struct vrrp_track_lookup {
	void *arg;                        /* for the engine's own functions */
	const struct vrrp_trackers *trk;  /* for the script and file functions below */
	const struct vrrp_tproc *procs;   /* for the process function (vrrp_track_proc.h) */
	const struct vrrp_bfd *bfds;      /* for the BFD function (vrrp_bfd.h) */
	enum vrrp_track_status (*iface)(const struct vrrp_track_lookup *lk,
					const struct vrrp_track_ref *ref);
	enum vrrp_track_status (*script)(const struct vrrp_track_lookup *lk,
					 const struct vrrp_track_ref *ref);
	enum vrrp_track_status (*process)(const struct vrrp_track_lookup *lk,
					  const struct vrrp_track_ref *ref);
	enum vrrp_track_status (*bfd)(const struct vrrp_track_lookup *lk,
				      const struct vrrp_track_ref *ref);
	/* The file's value; false when not known (ignored). */
	bool (*file)(const struct vrrp_track_lookup *lk, const struct vrrp_track_ref *ref,
		     long long *value);
};

/* What the trackers of an instance (and of its sync group) add up to. */
struct vrrp_track_sum {
	long long delta;   /* sum of the weighted contributions */
	bool fault;        /* an unweighted tracker is down, or a track_file < -253 */
	unsigned pending;  /* unweighted trackers without a result yet */
};

/*
 * Add the contributions of one tracker list to sum (call it for the
 * instance's list and then its sync group's). Per tracker, with the
 * effective weight W and reverse of its vrrp_track_ref:
 *  - interface/script/process/BFD, W = 0: down is FAULT (reverse: up is);
 *    W > 0 adds W while up; W < 0 adds W while down; reverse negates the
 *    contribution; UNKNOWN adds nothing (and counts as pending if W = 0);
 *  - track_file: W = 0: a non-zero value is FAULT (reverse: zero is);
 *    else value * W (negated by reverse): below -253 is FAULT, above 253
 *    counts as 253.
 */
void vrrp_track_sum_add(struct vrrp_track_sum *sum, const struct vrrp_tracks *t,
			const struct vrrp_track_lookup *lk);

/* Effective priority from base and sum: 255 (address owner) is never
 * changed; anything else is base + delta clipped to 1..254. */
int vrrp_track_effective(int base, const struct vrrp_track_sum *sum);

/* The two above for a single list: returns the effective priority and
 * sets *fault (may be NULL). */
int vrrp_track_priority(const struct vrrp_tracks *t, int base, bool *fault,
			const struct vrrp_track_lookup *lk);

/* ---- runtime: vrrp_script and track_file ---------------------------------- */

/*
 * Script state: a script starts UNKNOWN, or DOWN with init_fail. Its first
 * result decides at once (so instances are not held back for rise or fall
 * intervals at start-up, as keepalived does); after that, rise consecutive
 * successes turn it UP and fall consecutive failures turn it DOWN. A run
 * that times out counts as a failure. Scripts run every interval (start to
 * start); a tick that finds the previous run still going is skipped.
 *
 * Track file state: the integer in the file (strtoll, base 0); a missing,
 * empty or deleted file is 0; text that is not a number, or a number out of
 * the 32-bit range, is logged and the previous value kept.
 */
enum vrrp_track_kind {
	VRRP_TRACK_KIND_SCRIPT,
	VRRP_TRACK_KIND_FILE,
	VRRP_TRACK_KIND_PROCESS,
	VRRP_TRACK_KIND_BFD, /* a track_bfd session (vrrp_bfd.h) */
};

/* Called from the loop when a script's state or a file's value changed;
 * cfg is the vrrp_script_cfg or vrrp_track_file_cfg concerned (or, for
 * VRRP_TRACK_KIND_PROCESS, the vrrp_track_process_cfg: vrrp_track_proc.h; for
 * VRRP_TRACK_KIND_BFD, the vrrp_bfd_cfg: vrrp_bfd.h). Never called
 * from inside vrrp_track_start() or vrrp_track_reload(). */
typedef void (*vrrp_track_changed_fn)(void *arg, enum vrrp_track_kind kind, const void *cfg);

/*
 * Start every vrrp_script some instance or sync group tracks and watch every
 * tracked track_file (init_file applied first). v and g must stay valid until
 * the next reload or stop. Scripts refused by enable_script_security are
 * DISABLED. Returns the runtime (never NULL; problems are logged).
 */
struct vrrp_trackers *vrrp_track_start(struct ev_loop *loop, const struct vrrp_cfg *v,
				       const struct global_cfg *g, vrrp_track_changed_fn cb,
				       void *arg);

/*
 * Switch to a new configuration. A script whose name and definition
 * (command, user, interval, timeout, rise, fall, weight, init_fail) are
 * unchanged keeps its state, counters and running job; a track_file with the
 * same name and path keeps its value (init_file is applied to new ones only).
 * Others are started fresh, and removed ones are stopped. Returns 0.
 */
int vrrp_track_reload(struct vrrp_trackers *trk, const struct vrrp_cfg *v,
		      const struct global_cfg *g);

/* Kill running scripts, stop watching files, free everything. NULL is fine. */
void vrrp_track_stop(struct vrrp_trackers *trk);

/* State of a script (found by pointer, else by name); UNKNOWN if not run. */
enum vrrp_track_status vrrp_track_script_status(const struct vrrp_trackers *trk,
						const struct vrrp_script_cfg *cfg);
bool vrrp_track_script_ok(const struct vrrp_trackers *trk, const struct vrrp_script_cfg *cfg);

/* Current value of a tracked file (0 if not tracked). */
long long vrrp_track_file_value(const struct vrrp_trackers *trk,
				const struct vrrp_track_file_cfg *cfg);

/* Zero *lk and fill its script and file functions from trk. */
void vrrp_track_lookup_init(struct vrrp_track_lookup *lk, const struct vrrp_trackers *trk);

/* State of every script and file, for the SIGUSR1 dump. */
void vrrp_track_dump(const struct vrrp_trackers *trk, FILE *out);

#endif
