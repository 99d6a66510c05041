/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_track_proc.h - vrrp_track_process runtime: kernel process events, quorum, delays */
#ifndef KA_VRRP_TRACK_PROC_H
#define KA_VRRP_TRACK_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "vrrp/vrrp_track.h"

struct ev_loop;
struct global_cfg;
struct vrrp_cfg;
struct vrrp_track_process_cfg;
struct vrrp_tproc;
struct vrrp_tracks;

/* ---- pure pieces (no I/O) ------------------------------------------------------ */

/* The kernel keeps this many characters of a process name (comm). */
#define VRRP_TPROC_COMM_MAX 15

/*
 * Does a process match cfg? comm is its name (/proc/PID/comm without the
 * newline, NULL if not read); cmd/cmd_len its command line as
 * /proc/PID/cmdline gives it (words ended by NUL; the last one may end with
 * the buffer instead). Rules:
 *  - without full_command the name is compared with comm; a configured name
 *    longer than VRRP_TPROC_COMM_MAX is compared on that many characters;
 *  - with full_command the first word of the command line must equal it;
 *  - with a param_match (implied by arguments) the following words are
 *    compared with the arguments: exact = the same words and no more;
 *    partial = the first words are the arguments, more may follow;
 *    initial = as partial, but the last argument only has to begin the
 *    process's word. Without arguments, exact means "no arguments at all".
 * A reader that truncates cmdline must keep at least
 * vrrp_tproc_cmdline_need(cfg) bytes for the answer to be right.
 */
bool vrrp_tproc_match(const struct vrrp_track_process_cfg *cfg, const char *comm,
		      const char *cmd, size_t cmd_len);

/* Bytes of /proc/PID/cmdline vrrp_tproc_match() may look at for cfg. */
size_t vrrp_tproc_cmdline_need(const struct vrrp_track_process_cfg *cfg);

/* Is n matching processes within quorum..quorum_max? */
bool vrrp_tproc_quorum_ok(const struct vrrp_track_process_cfg *cfg, unsigned n);

enum vrrp_tproc_ev_kind {
	VRRP_TPROC_EV_FORK,   /* pid/tgid: the new task; ppid/ptgid: its parent */
	VRRP_TPROC_EV_EXEC,   /* pid/tgid ran a new program */
	VRRP_TPROC_EV_COMM,   /* pid/tgid changed its name to comm */
	VRRP_TPROC_EV_EXIT,   /* pid/tgid ended */
};

/* One process event from the kernel's proc connector. */
struct vrrp_tproc_event {
	enum vrrp_tproc_ev_kind kind;
	pid_t pid, tgid;
	pid_t ppid, ptgid;
	char comm[VRRP_TPROC_COMM_MAX + 1]; /* always NUL-terminated */
};

/* What vrrp_tproc_parse() found besides events. */
struct vrrp_tproc_parse_stats {
	unsigned bad;      /* malformed or not from the kernel: dropped */
	unsigned ignored;  /* well formed but of no interest (other events, acks) */
	unsigned lost;     /* events beyond max: the caller must rescan */
};

/*
 * Decode one datagram read from the connector socket: netlink messages
 * carrying proc connector events. sender is the netlink port id it came
 * from; anything not from the kernel (0) is dropped whole. Every length is
 * checked; a short or inconsistent message is counted in st->bad and
 * skipped (st is zeroed first). Returns the number of events stored in ev
 * (at most max).
 */
size_t vrrp_tproc_parse(const void *buf, size_t len, uint32_t sender,
			struct vrrp_tproc_event *ev, size_t max,
			struct vrrp_tproc_parse_stats *st);

/* ---- runtime ----------------------------------------------------------------------- */

/*
 * Follow the vrrp_track_process objects that some instance or sync group
 * tracks. Processes are counted by one scan of /proc, then kept up to date
 * from the kernel's process events (fork, exec, name change, exit). The
 * connector only talks to sockets of the initial network namespace: when
 * the daemon moved itself into a namespace (--namespace, net_namespace),
 * netns_home_fd is the namespace it started in and the socket is opened
 * there; when the connector cannot be reached at all, /proc is scanned once
 * a second instead (logged once).
 *
 * A change of a tracker's state caused by a fork of a counted process
 * waits fork_delay, one caused by an exit waits terminate_delay (other
 * causes, such as an exec or a new name, act at once); if the count is back
 * to the old state before then, nothing happens, and while a delay runs it
 * alone decides. With scans, a process gone is an exit and newcomers whose
 * parents are counted are forks. cb is called (from the loop, never
 * from start or reload) when a tracker's state changed, with kind
 * VRRP_TRACK_KIND_PROCESS and the tracker's vrrp_track_process_cfg.
 * v and g must stay valid until the next reload or stop. Never NULL.
 */
struct vrrp_tproc *vrrp_tproc_start(struct ev_loop *loop, const struct vrrp_cfg *v,
				    const struct global_cfg *g, int netns_home_fd,
				    vrrp_track_changed_fn cb, void *arg);

/* Switch to a new configuration: a tracker whose name is kept keeps its
 * state (a new definition is applied through a rescan, with its delays);
 * new ones start from a scan, removed ones are dropped. */
void vrrp_tproc_reload(struct vrrp_tproc *tp, const struct vrrp_cfg *v,
		       const struct global_cfg *g);

/* Close the connector, cancel timers, free. NULL is fine. */
void vrrp_tproc_stop(struct vrrp_tproc *tp);

/* State of a tracked process object (by pointer, else by name); UNKNOWN if
 * it is not followed. tp may be NULL. */
enum vrrp_track_status vrrp_tproc_status(const struct vrrp_tproc *tp,
					 const struct vrrp_track_process_cfg *cfg);

/* Set lk's process function so the priority rule sees tp's states. */
void vrrp_tproc_lookup_init(struct vrrp_track_lookup *lk, const struct vrrp_tproc *tp);

/* SIGUSR1: every tracker with its count, state and pending delay. */
void vrrp_tproc_dump(const struct vrrp_tproc *tp, FILE *out);

/* JSON: ,"track_process":[...] for the trackers listed in the two track
 * lists (an instance's and its sync group's, either may be NULL); nothing
 * when both are empty. */
void vrrp_tproc_json(const struct vrrp_tproc *tp, const struct vrrp_tracks *own,
		     const struct vrrp_tracks *group, FILE *out);

#endif
