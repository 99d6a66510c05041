/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_snmp_int.h - the VRRP child's SNMP context, shared by its MIB modules and the engine glue */
#ifndef KA_VRRP_SNMP_INT_H
#define KA_VRRP_SNMP_INT_H

#include "daemon/ka_snmp.h"
#include "log.h"
#include "snmp_mib.h"
#include "vrrp/vrrp_snmp.h"

struct snmp_agent;

/* What the engine cannot tell: when an instance left INIT (TimeStamp
 * columns) and why it last became master or dropped an advert (VRRPv3).
 * Kept by instance name, which survives reloads. A pointer to a mark is
 * valid until the next vrrp_snmp_mark() call for another name. */
struct vrrp_snmp_mark {
	char name[64];
	uint64_t up_since_us;    /* mono_usec() when it left INIT, 0 never */
	int master_reason;       /* vrrpv3StatisticsNewMasterReason */
	int proto_err;           /* vrrpv3StatisticsProtoErrReason */
	struct log_rl trap_rl;   /* error notifications of this instance */
};

struct vrrp_snmp {
	const struct vrrp_snmp_source *src;
	void *arg;                       /* the source's (the engine) */
	struct snmp_agent *agent;        /* NULL: build traps, send nothing (tests) */
	struct ka_snmp_settings set;
	struct ka_snmp_global global;    /* global group state; .g = current globals */
	uint64_t start_us;               /* TimeStamp origin */
	struct vrrp_snmp_mark *marks;
	size_t nmarks;
	unsigned long traps_built;       /* notifications produced (tests) */
	struct snmp_trap last_trap;      /* the last one (tests) */
};

/* KEEPALIVED-MIB vrrp subtree, VRRP-MIB, VRRPv3-MIB; arg is struct vrrp_snmp. */
extern const struct snmp_module vrrp_snmp_kmib_module;
extern const struct snmp_module vrrp_snmp_rfc2_module;
extern const struct snmp_module vrrp_snmp_rfc3_module;

/* A context over src/arg (no agent yet): settings and globals are filled
 * by the caller. Never NULL. */
struct vrrp_snmp *vrrp_snmp_new(const struct vrrp_snmp_source *src, void *arg);
void vrrp_snmp_free(struct vrrp_snmp *s);

/* Register or drop the modules s->set asks for (and the global group when
 * this child serves it). */
void vrrp_snmp_apply(struct vrrp_snmp *s, bool serve_global);

/* The mark of instance name, created when absent. */
struct vrrp_snmp_mark *vrrp_snmp_mark(struct vrrp_snmp *s, const char *name);

/* Instance i of the source into *out (zeroed first); false past the last. */
bool vrrp_snmp_inst_at(struct vrrp_snmp *s, size_t i, struct vrrp_snmp_inst *out);

/* Hand a notification to the agent (and keep it in last_trap). */
void vrrp_snmp_send(struct vrrp_snmp *s, const struct snmp_trap *t);

/* Notifications, built from the source for instance / group number i.
 * from/ev: the transition; reason: VRRPv3 new-master reason. */
void vrrp_snmp_trap_instance(struct vrrp_snmp *s, size_t i);
void vrrp_snmp_trap_group(struct vrrp_snmp *s, size_t i);
void vrrp_snmp_trap_new_master(struct vrrp_snmp *s, size_t i);
void vrrp_snmp_trap_auth_failure(struct vrrp_snmp *s, size_t i, const struct ka_addr *src,
				 int err_type);
void vrrp_snmp_trap_proto_error(struct vrrp_snmp *s, size_t i, int reason);

/* RFC encodings shared by the RFC modules. */
int vrrp_snmp_rfc_state(enum vrrp_snmp_state st); /* initialize(1) backup(2) master(3) */
/* TimeStamp of the instance's mark: centiseconds since start, 0 never. */
uint64_t vrrp_snmp_uptime_cs(struct vrrp_snmp *s, const char *name);

#endif
