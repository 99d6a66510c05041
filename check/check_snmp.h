/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_snmp.h - SNMP for the checker child: hooks (no-op stubs without SNMP), MIB accessors */
#ifndef KA_CHECK_SNMP_H
#define KA_CHECK_SNMP_H

#include <config.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct check_run;
struct check_snmp;
struct check_notify;
struct ev_loop;
struct ka_config;
struct ka_options;

/*
 * The checker child serves the KEEPALIVED-MIB check subtree (virtual and
 * real servers, LVS timeouts; the global group when the VRRP child does
 * not) when enable_snmp_checker or -x asks, and sends
 * realServerStateChange and virtualServerQuorumStateChange when
 * enable_traps is set. It reads the live state through check_run's
 * accessors, and IPVS counters from the kernel (cached for
 * snmp_vs_stats_update_interval / snmp_rs_stats_update_interval).
 *
 * Built without SNMP the hooks below are empty inline functions.
 */
#ifdef HAVE_SNMP

/* Start serving for run (configuration c, options o) and watch n's real
 * and virtual server transitions for traps. NULL when not asked for or the
 * sub-agent cannot start (logged). */
struct check_snmp *check_snmp_start(struct ev_loop *loop, const struct ka_config *c,
				    const struct ka_options *o, struct check_run *run,
				    struct check_notify *n);

/* New configuration c (run already reloaded): MIBs switched on or off, IPVS
 * counters re-read. May return a new context when SNMP was off; s may be
 * NULL. */
struct check_snmp *check_snmp_reload(struct check_snmp *s, struct ev_loop *loop,
				     const struct ka_config *c, const struct ka_options *o,
				     struct check_run *run, struct check_notify *n);

/* Unhook from n, shut the sub-agent down, free s (NULL is fine). Call
 * after the run's last notifications (omega) if they should be sent. */
void check_snmp_stop(struct check_snmp *s, struct check_notify *n);

#else

static inline struct check_snmp *check_snmp_start(struct ev_loop *loop,
						  const struct ka_config *c,
						  const struct ka_options *o,
						  struct check_run *run, struct check_notify *n)
{
	return NULL;
}

static inline struct check_snmp *check_snmp_reload(struct check_snmp *s, struct ev_loop *loop,
						   const struct ka_config *c,
						   const struct ka_options *o,
						   struct check_run *run, struct check_notify *n)
{
	return s;
}

static inline void check_snmp_stop(struct check_snmp *s, struct check_notify *n)
{
}

#endif

/* ---- what the MIB reads (the accessor interface) ---- */

/* IPVS counters of a service or destination (rates per second). */
struct check_snmp_stats {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
	uint64_t cps, inpps, outpps, inbps, outbps;
	uint64_t active_conns, inact_conns, persist_conns; /* destinations only */
};

enum check_snmp_vs_type { CHECK_SNMP_VS_FWMARK = 1, CHECK_SNMP_VS_IP, CHECK_SNMP_VS_GROUP };

/* One virtual server; strings stay valid until the next loop iteration. */
struct check_snmp_vs {
	enum check_snmp_vs_type type;
	const char *group;              /* GROUP */
	unsigned fwmark;                /* FWMARK */
	struct ka_addr addr;            /* IP */
	uint16_t port;                  /* IP */
	int protocol;                   /* IPPROTO_* */
	const char *sched;              /* scheduler name */
	int fwd;                        /* IP_VS_CONN_F_MASQ / DROUTE / TUNNEL */
	const char *virtualhost, *name; /* NULL when not written */
	unsigned persist_timeout;       /* s, 0 = not persistent */
	bool has_granularity;
	uint8_t granularity;            /* prefix length */
	uint64_t delay_loop_us, delay_before_retry_us, warmup_us, connect_timeout_us;
	unsigned retry, weight, quorum, hysteresis;
	bool ha_suspend, alpha, omega, ops, inhibit, smtp_alert;
	unsigned rs_total, rs_up;       /* configured and alive real servers */
	bool quorum_up;
	const char *quorum_up_script, *quorum_down_script;
	bool has_stats;
	struct check_snmp_stats stats;
};

/* One real server (the sorry server comes after the real ones). */
struct check_snmp_rs {
	bool sorry;
	struct ka_addr addr;
	uint16_t port;
	bool alive;
	unsigned weight;                /* effective (a dynamic weight when reported) */
	unsigned uthreshold, lthreshold;
	int fwd;
	bool inhibit, alpha, smtp_alert;
	const char *notify_up, *notify_down, *virtualhost, *name;
	unsigned retry;
	uint64_t delay_loop_us, delay_before_retry_us, warmup_us, connect_timeout_us;
	bool has_stats;
	struct check_snmp_stats stats;
};

struct check_vs;
struct check_rs;

/* Reading the checker, by position in configuration order; false past the
 * last object. */
struct check_snmp_source {
	bool (*vs)(void *arg, size_t i, struct check_snmp_vs *out);
	bool (*rs)(void *arg, size_t i, size_t j, struct check_snmp_rs *out);
	/* positions of a virtual server (and of one of its real servers, rs
	 * may be NULL) from the configuration objects notifications carry */
	bool (*find)(void *arg, const struct check_vs *vs, const struct check_rs *rs, size_t *i,
		     size_t *j);
	/* lvs_timeouts (s, 0 = not set) */
	void (*timeouts)(void *arg, unsigned *tcp, unsigned *tcpfin, unsigned *udp);
};

#endif
