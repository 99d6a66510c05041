/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_engine.h - the BFD child's sessions on its event loop: sockets, timers, demultiplexing */
#ifndef KA_BFD_ENGINE_H
#define KA_BFD_ENGINE_H

#include <stdbool.h>
#include <stdio.h>

/*
 * The engine runs one RFC 5880 session (daemon/bfd_session.h) per enabled
 * bfd_instance block. It owns the sockets: per address family one receiving
 * socket on port 3784 (single hop, RFC 5881) and/or 4784 (multihop,
 * RFC 5883), and per session one sending socket bound to source_ip and a
 * port in 49152-65535. Received packets are matched to a session by Your
 * Discriminator, or by (source, destination) address while it is 0.
 */
struct ev_loop;
struct vrrp_cfg;
struct bfd_engine;

/* A session's Up-ness for the consumers: to_vrrp / to_checker say which
 * children should hear of it (the vrrp / checker keywords; both without). */
typedef void (*bfd_engine_report_fn)(void *arg, const char *name, bool up, bool to_vrrp,
				     bool to_checker);

/* A new engine with no session. report is called from the loop on every
 * change of a session's Up-ness, and once (not Up) for every new session,
 * so a consumer that heard of a previous process learns it restarted. */
struct bfd_engine *bfd_engine_new(struct ev_loop *loop, bfd_engine_report_fn report,
				  void *arg);

/*
 * Bring the sessions in line with cfg's bfd_instance blocks (not the
 * disabled ones): at start, and at each reload. A session whose neighbour,
 * source and multihop are unchanged is kept with its state (other settings
 * are updated, new intervals through a Poll Sequence while Up); a removed
 * one sends AdminDown first; new ones start Down. Nothing points into cfg
 * afterwards. Returns 0, or -1 when a socket could not be opened (logged;
 * the sessions that could be set up run).
 */
int bfd_engine_apply(struct bfd_engine *e, const struct vrrp_cfg *cfg);

/* How many sessions run. */
size_t bfd_engine_count(const struct bfd_engine *e);

/* Call fn for every session with its current Up-ness (a consumer's SYNC). */
void bfd_engine_foreach(const struct bfd_engine *e, bfd_engine_report_fn fn, void *arg);

/* SIGUSR1: every session's addresses, states, discriminators, intervals,
 * diagnostic and counters. */
void bfd_engine_dump(const struct bfd_engine *e, FILE *out);

/* SIGUSR2: the counters; zeroed afterwards when clear is set. */
void bfd_engine_stats(struct bfd_engine *e, FILE *out, bool clear);

/* Every session goes AdminDown and sends it (the peers go Down at once
 * instead of after their detection time), then everything is closed and
 * freed. NULL is fine. */
void bfd_engine_free(struct bfd_engine *e);

#endif
