/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipvs_names.h - names of IPVS schedulers, forwarding methods, tunnels, protocols and flags */
#ifndef KA_IPVS_NAMES_H
#define KA_IPVS_NAMES_H

#include <stdbool.h>

/*
 * The configuration speaks in words ("wlc", "DR", "gue", "TCP", "sh-port")
 * and the kernel in numbers. These tables are the one place that maps
 * between them, for the config parser now and the IPVS client and dumps
 * later. Lookups of words are case-insensitive; the *_name() functions
 * return the canonical spelling (never NULL: "?" for unknown values).
 */

struct ipvs_name {
	const char *name;
	int value;
};

/* Scheduler: returns the canonical (lower-case) kernel module suffix for
 * a name such as "WLC", or NULL when no such IPVS scheduler exists. */
const char *ipvs_sched_lookup(const char *name);

/* NULL-terminated list of every scheduler name, for messages and docs. */
extern const char *const ipvs_sched_names[];

/* Forwarding method: "NAT", "DR", "TUN" -> IP_VS_CONN_F_MASQ / DROUTE /
 * TUNNEL. Returns 0 and sets *value, or -1. */
int ipvs_fwd_lookup(const char *name, int *value);
const char *ipvs_fwd_name(int value);

/* Tunnel type for TUN: "ipip", "gue", "gre" -> IP_VS_CONN_F_TUNNEL_TYPE_*. */
int ipvs_tunnel_lookup(const char *name, int *value);
const char *ipvs_tunnel_name(int value);

/* Tunnel checksum mode: "nocsum", "csum", "remcsum" ->
 * IP_VS_TUNNEL_ENCAP_FLAG_*. */
int ipvs_tunnel_csum_lookup(const char *name, int *value);
const char *ipvs_tunnel_csum_name(int value);

/* Layer 4 protocol: "TCP", "UDP", "SCTP" -> IPPROTO_*. */
int ipvs_proto_lookup(const char *name, int *value);
const char *ipvs_proto_name(int value);

/*
 * Scheduler flag keywords: "flag-1".."flag-3", "sh-port", "sh-fallback",
 * "mh-port", "mh-fallback". *flag receives the IP_VS_SVC_F_SCHED* bit;
 * *sched, when not NULL, the scheduler the flag is meant for ("sh", "mh"),
 * or NULL for the generic flag-N. Returns 0 or -1.
 */
int ipvs_sched_flag_lookup(const char *name, unsigned *flag, const char **sched);

/* Every scheduler flag word and its bit (NULL-terminated by name). */
extern const struct ipvs_name ipvs_sched_flags[];

#endif
