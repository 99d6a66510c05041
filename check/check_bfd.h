/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_bfd.h - BFD_CHECK: real servers following BFD session states from the BFD child */
#ifndef KA_CHECK_BFD_H
#define KA_CHECK_BFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "check/check_probe.h"

struct check_cfg;
struct check_run;
struct ev_loop;
struct vrrp_cfg;

/*
 * The checker child's view of the BFD sessions: it reads the event
 * channel fd (daemon/bfd_event.h; the fd stays the caller's, -1 = no BFD
 * child) and asks for every state at start.
 *
 * A BFD_CHECK probe is UP while its session is Up and DOWN while it is
 * not, with no retry: each change is pushed to the checker runtime at once
 * (check_run_push()), so the real server leaves or joins IPVS, and its
 * notify scripts and alerts run, as for any probe result. Until the first
 * state of its session arrives, the probe keeps its initial state: DOWN
 * with alpha, else UP. Attempts (every delay_loop) only restate the last
 * known state. A BFD_CHECK naming no bfd_instance, or one that informs
 * the VRRP child only (`vrrp` without `checker`), is ignored (always UP,
 * logged), as keepalived drops such a checker.
 */
struct check_bfd_states;

/* Start reading fd. v is the VRRP part of the configuration (where the
 * bfd_instance blocks are) and c the checker part; both must stay valid
 * until the next reload or stop. Never NULL. */
struct check_bfd_states *check_bfd_start(struct ev_loop *loop, int fd, const struct vrrp_cfg *v,
					 const struct check_cfg *c);

/* Send results to run from now on (NULL: nowhere), and push every state
 * already known. */
void check_bfd_attach(struct check_bfd_states *b, struct check_run *run);

/* After check_run_reload(): follow the new configuration and push every
 * known state again, so that new BFD_CHECK probes do not wait for an
 * attempt. */
void check_bfd_reload(struct check_bfd_states *b, const struct vrrp_cfg *v,
		      const struct check_cfg *c);

/* Stop reading, free. NULL is fine. */
void check_bfd_stop(struct check_bfd_states *b);

/* 1 = Up, 0 = not Up, -1 = no state received for name. b may be NULL. */
int check_bfd_state(const struct check_bfd_states *b, const char *name);

/* Result of BFD_CHECK probe p from what b knows (b may be NULL): see
 * above. detail (len bytes) receives the reason; o.detail points to it. */
struct check_outcome check_bfd_outcome(const struct check_bfd_states *b,
				       const struct check_probe *p, char *detail, size_t len);

/* SIGUSR1: the sessions BFD_CHECK probes follow, and the channel. */
void check_bfd_dump(const struct check_bfd_states *b, FILE *out);

#endif
