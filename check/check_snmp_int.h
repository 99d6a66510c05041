/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_snmp_int.h - the checker child's SNMP context, shared by its MIB module and the glue */
#ifndef KA_CHECK_SNMP_INT_H
#define KA_CHECK_SNMP_INT_H

#include "check/check_snmp.h"
#include "daemon/ka_snmp.h"
#include "snmp_mib.h"

struct snmp_agent;

struct check_snmp {
	const struct check_snmp_source *src;
	void *arg;                       /* the source's */
	struct snmp_agent *agent;        /* NULL: build traps, send nothing (tests) */
	struct ka_snmp_settings set;
	struct ka_snmp_global global;
	bool serve_global;
	unsigned long traps_built;       /* notifications produced (tests) */
	struct snmp_trap last_trap;
	void *glue;                      /* check_snmp_src.c's state */
};

/* KEEPALIVED-MIB check subtree; arg is struct check_snmp. */
extern const struct snmp_module check_snmp_module;

/* A context over src/arg, no agent. Never NULL. */
struct check_snmp *check_snmp_new(const struct check_snmp_source *src, void *arg);
void check_snmp_free(struct check_snmp *s);

/* Register or drop the modules s->set and s->serve_global ask for. */
void check_snmp_apply(struct check_snmp *s);

/* realServerStateChange for real server j of virtual server i, and
 * virtualServerQuorumStateChange for virtual server i. */
void check_snmp_trap_rs(struct check_snmp *s, size_t i, size_t j);
void check_snmp_trap_vs(struct check_snmp *s, size_t i);

#endif
