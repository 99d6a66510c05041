/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ka_snmp.h - SNMP settings of a child (-x, -A, global_defs); the KEEPALIVED-MIB global group */
#ifndef KA_KA_SNMP_H
#define KA_KA_SNMP_H

#include <stdbool.h>

#include "snmp_mib.h"

struct global_cfg;
struct ka_config;
struct ka_options;

/* KEEPALIVED-MIB: enterprises.debian(9586).project(100).keepalived(5) */
#define KA_SNMP_OID_KEEPALIVED 1, 3, 6, 1, 4, 1, 9586, 100, 5
#define KA_SNMP_OID_KEEPALIVED_LEN 9

/* What a process serves. -x enables every MIB (as keepalived does; traps
 * still need enable_traps); -A names the master's socket and wins over
 * snmp_socket. */
struct ka_snmp_settings {
	bool vrrp;      /* KEEPALIVED-MIB vrrp subtree (enable_snmp_vrrp) */
	bool checker;   /* KEEPALIVED-MIB check subtree (enable_snmp_checker) */
	bool rfcv2;     /* VRRP-MIB (RFC 2787) */
	bool rfcv3;     /* VRRPv3-MIB (RFC 6527) */
	bool traps;     /* enable_traps */
	const char *socket; /* NULL: net-snmp's default, unix:/var/agentx/master */
};

void ka_snmp_settings(const struct ka_options *o, const struct global_cfg *g,
		      struct ka_snmp_settings *out);

/*
 * Which child serves the global group (version, routerId, mail...): two
 * sub-agents cannot register the same subtree, so the VRRP child does when
 * it serves the vrrp subtree, else the checker child when it serves the
 * check subtree.
 */
bool ka_snmp_vrrp_serves_global(const struct ka_snmp_settings *s);
bool ka_snmp_check_serves_global(const struct ka_snmp_settings *s, const struct ka_config *c,
				 const struct ka_options *o);

/* State the global group reads; its owner updates g and traps on reload. */
struct ka_snmp_global {
	const struct global_cfg *g;
	bool traps;
};

/* The global group (keepalived.1); its callbacks take a struct ka_snmp_global. */
extern const struct snmp_module ka_snmp_global_module;

/* Append routerId.0 to a notification (every keepalived trap carries it). */
void ka_snmp_trap_router_id(struct snmp_trap *t, const struct global_cfg *g);

#endif
