/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_snmp.h - SNMP for the VRRP child: engine hooks (no-op stubs without SNMP), MIB accessors */
#ifndef KA_VRRP_SNMP_H
#define KA_VRRP_SNMP_H

#include <config.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "vrrp/vrrp_fsm.h"
#include "vrrp/vrrp_packet.h"

struct vrrp_engine;
struct vrrp_inst;
struct vrrp_snmp;
struct vrrp_sync;

/*
 * The VRRP child serves, as global_defs or -x ask: the KEEPALIVED-MIB vrrp
 * subtree (and the global group), VRRP-MIB (RFC 2787) and VRRPv3-MIB
 * (RFC 6527), and sends their notifications when enable_traps is set.
 *
 * The engine calls only the five hooks below; built without SNMP they are
 * empty inline functions. What the MIBs show is read on each request
 * through struct vrrp_snmp_source (vrrp_snmp_src.c implements it over the
 * engine), so the tables always show the live state.
 */
#ifdef HAVE_SNMP

/* Start serving for eng (its loop, configuration and options). NULL when
 * no SNMP keyword asks for it or the sub-agent cannot start (logged). */
struct vrrp_snmp *vrrp_snmp_engine_start(struct vrrp_engine *eng);

/* eng has a new configuration: MIBs switched on or off accordingly (the
 * agent keeps running; a new snmp_socket needs a restart). May return a
 * new context when SNMP was off until now; s may be NULL. */
struct vrrp_snmp *vrrp_snmp_engine_reload(struct vrrp_snmp *s, struct vrrp_engine *eng);

/* Shut the sub-agent down and free s (NULL is fine). */
void vrrp_snmp_engine_stop(struct vrrp_snmp *s);

/* vi went from `from` to its current state because of ev:
 * vrrpInstanceStateChange, and vrrpTrapNewMaster / vrrpv3NewMaster when
 * it became master. */
void vrrp_snmp_inst_changed(struct vrrp_snmp *s, const struct vrrp_inst *vi,
			    enum vrrp_state from, enum vrrp_event ev);

/* Every member of sg reached sg->state: vrrpSyncGroupStateChange. */
void vrrp_snmp_group_changed(struct vrrp_snmp *s, const struct vrrp_sync *sg);

/* An advert for vi was dropped for reason r (adv as parsed):
 * vrrpTrapAuthFailure (v2 authentication) or vrrpv3ProtoError (v3 TTL,
 * version, checksum, VRID). */
void vrrp_snmp_rx_error(struct vrrp_snmp *s, const struct vrrp_inst *vi,
			const struct vrrp_advert *adv, enum vrrp_drop r);

#else

static inline struct vrrp_snmp *vrrp_snmp_engine_start(struct vrrp_engine *eng)
{
	return NULL;
}

static inline struct vrrp_snmp *vrrp_snmp_engine_reload(struct vrrp_snmp *s,
							struct vrrp_engine *eng)
{
	return s;
}

static inline void vrrp_snmp_engine_stop(struct vrrp_snmp *s)
{
}

static inline void vrrp_snmp_inst_changed(struct vrrp_snmp *s, const struct vrrp_inst *vi,
					  enum vrrp_state from, enum vrrp_event ev)
{
}

static inline void vrrp_snmp_group_changed(struct vrrp_snmp *s, const struct vrrp_sync *sg)
{
}

static inline void vrrp_snmp_rx_error(struct vrrp_snmp *s, const struct vrrp_inst *vi,
				      const struct vrrp_advert *adv, enum vrrp_drop r)
{
}

#endif

/* ---- what the MIBs read (the accessor interface) ---- */

/* VrrpState of KEEPALIVED-MIB. */
enum vrrp_snmp_state {
	VRRP_SNMP_INIT = 0, VRRP_SNMP_BACKUP, VRRP_SNMP_MASTER, VRRP_SNMP_FAULT,
	VRRP_SNMP_UNKNOWN, VRRP_SNMP_SHUTDOWN, VRRP_SNMP_DELETED,
};

struct vrrp_snmp_counters {
	uint64_t become_master, advert_rcvd, interval_err, auth_failure, ttl_err;
	uint64_t prio0_rcvd, prio0_sent, invalid_type, addr_list_err;
	uint64_t invalid_auth_type, auth_type_mismatch, len_err;
	uint64_t checksum_err, version_err;
};

/* One instance; strings stay valid until the next loop iteration. */
struct vrrp_snmp_inst {
	const char *name;
	unsigned vrid, version;         /* version 2 or 3 */
	int family;                     /* AF_INET or AF_INET6 */
	enum vrrp_snmp_state state, initial_state, wanted_state;
	unsigned base_prio, prio;       /* configured, effective */
	unsigned nvips;                 /* virtual_ipaddress lines */
	bool vips_set;                  /* all VIPs installed */
	const char *ifname;             /* "" when none */
	int ifindex;                    /* 0 when unknown */
	bool track_primary, preempt, smtp_alert, notify_exec;
	bool accept, promote_secondaries, linkbeat, notify_deleted;
	uint64_t adver_int_us, preempt_delay_us, garp_delay_us;
	int auth_type;                  /* 0 none, 1 password, 2 AH */
	const char *auth_pass;          /* NULL when none */
	const char *lvs_sync_if;        /* deprecated lvs_sync_daemon_interface, or NULL */
	const char *sync_group;         /* NULL when in none */
	const char *script_master, *script_backup, *script_fault, *script_stop;
	const char *script, *script_rx_lower, *script_deleted;
	struct ka_addr mcast;           /* advert destination group; AF_UNSPEC: unicast */
	struct ka_addr master_addr;     /* last master heard (ours as master); AF_UNSPEC */
	struct ka_addr primary_addr;    /* our advert source; AF_UNSPEC */
	struct vrrp_snmp_counters stats;
};

/* One address line of an instance (VIPs, then excluded ones) or static. */
struct vrrp_snmp_addr {
	struct ka_addr addr;            /* with its prefix length */
	struct ka_addr brd, peer;       /* AF_UNSPEC: none */
	int scope;                      /* RT_SCOPE_*, -1 unknown */
	int ifindex;
	const char *ifname, *label;     /* label NULL when none */
	bool set;                       /* present on the interface now */
	bool advertised;                /* carried in adverts (not excluded) */
};

struct vrrp_snmp_track {
	const char *name;
	int weight;
	bool reverse;
};

struct vrrp_snmp_group {
	const char *name;
	enum vrrp_snmp_state state;
	bool smtp_alert, notify_exec, tracking_weight;
	const char *script_master, *script_backup, *script_fault, *script_stop, *script;
};

#define VRRP_SNMP_STATIC SIZE_MAX /* instance number of static addresses */

/*
 * Reading the engine, all by position in configuration order. Each
 * function returns false (NULL) past the last object. `h` arguments are
 * the engine's own objects (struct vrrp_inst / vrrp_sync) as the hooks
 * receive them.
 */
struct vrrp_snmp_source {
	bool (*inst)(void *arg, size_t i, struct vrrp_snmp_inst *out);
	/* address j of instance i, or of the static addresses (VRRP_SNMP_STATIC) */
	bool (*addr)(void *arg, size_t i, size_t j, struct vrrp_snmp_addr *out);
	/* tracked script j of instance i */
	bool (*track_script)(void *arg, size_t i, size_t j, struct vrrp_snmp_track *out);
	bool (*group)(void *arg, size_t i, struct vrrp_snmp_group *out);
	/* name of member j of group i */
	const char *(*member)(void *arg, size_t i, size_t j);
	/* adverts dropped before an instance was found (VRRP-MIB globals) */
	void (*router_errors)(void *arg, uint64_t *checksum, uint64_t *version, uint64_t *vrid);
	/* position of engine object h, SIZE_MAX if unknown */
	size_t (*inst_index)(void *arg, const void *h);
	size_t (*group_index)(void *arg, const void *h);
};

#endif
