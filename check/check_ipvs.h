/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_ipvs.h - IPVS reconciler: desired table from configuration and health, diff, apply */
#ifndef KA_CHECK_IPVS_H
#define KA_CHECK_IPVS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check/check_cfg.h"
#include "ipvs-glue/ipvs_msg.h"

/*
 * The kernel table is kept equal to a function of the configuration and
 * of health: desired = f(config, health). Nothing is ever "added because a
 * checker said so"; every change goes through the same three steps:
 *   1. check_ipvs_desired(): the services and destinations one virtual
 *      server wants now (pure);
 *   2. read what the kernel has for those services;
 *   3. check_ipvs_diff(): the operations turning 2 into 1 (pure), applied
 *      in that order.
 * Ownership: we touch only services that are configured, or that we
 * managed earlier in this process's life (a virtual server removed by a
 * reload); inside them only destinations that are configured real or
 * sorry servers, or that we installed. Anything else in the kernel (an
 * administrator's ipvsadm entries) is left alone. A restarted checker
 * finds its predecessor's entries and adopts them: an entry that matches
 * the desired state is not touched, so a respawn causes no traffic gap.
 */

/* ---- health input ---- */

struct check_ipvs_rs_health {
	bool alive;
	unsigned weight;  /* effective (dynamic) weight while alive */
};

/* Health of one virtual server: rs[i] is the i-th real server of vs->rs
 * in configuration order. */
struct check_ipvs_health {
	bool quorum_up;
	size_t nrs;
	const struct check_ipvs_rs_health *rs;
};

/* Sum of the weights of the alive real servers. */
unsigned long long check_ipvs_weight_sum(const struct check_ipvs_health *h);

/*
 * Quorum with hysteresis, as keepalived decides it: a virtual server whose
 * quorum is up loses it when the alive weight falls below
 * quorum - hysteresis or reaches 0; one whose quorum is down gains it when
 * the weight reaches quorum + hysteresis. Returns the new state.
 */
bool check_ipvs_quorum(bool up, unsigned long long sum, unsigned quorum, unsigned hysteresis);

/* ---- tables ---- */

struct check_ipvs_dest {
	struct ipvs_dest d;
	bool wanted; /* false: one of ours that must NOT be in the kernel */
};

struct check_ipvs_svc {
	struct ipvs_service svc;
	struct check_ipvs_dest *dests;
	size_t n, cap;
};

/* A set of services; after check_ipvs_table_finish() sorted by key with
 * no duplicate service, and each service's destinations sorted by key with
 * no duplicate. Memory is malloc'ed: check_ipvs_table_free(). */
struct check_ipvs_table {
	struct check_ipvs_svc *v;
	size_t n, cap;
};

void check_ipvs_table_free(struct check_ipvs_table *t);

/* Append a service (no destinations yet). The pointer is valid until the
 * next append. */
struct check_ipvs_svc *check_ipvs_table_add(struct check_ipvs_table *t,
					    const struct ipvs_service *svc);
void check_ipvs_svc_add_dest(struct check_ipvs_svc *s, const struct ipvs_dest *d, bool wanted);

/* Sort and merge duplicates: the first service of a key keeps its
 * definition and receives the others' destinations; of two destinations
 * with one key, a wanted one wins over an unwanted one, else the first. */
void check_ipvs_table_finish(struct check_ipvs_table *t);

/* Service / destination of a finished table by key, or NULL. */
struct check_ipvs_svc *check_ipvs_table_find(const struct check_ipvs_table *t,
					     const struct ipvs_service *key);
const struct check_ipvs_dest *check_ipvs_svc_find(const struct check_ipvs_svc *s,
						  const struct ipvs_dest *key);

/* Order of service keys (family, fwmark, protocol, port, address) and of
 * destination keys (address, port). */
int check_ipvs_svc_cmp(const struct ipvs_service *a, const struct ipvs_service *b);
int check_ipvs_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b);

/* ---- desired state (pure) ---- */

/*
 * Append the services of vs to out: its address, its fwmark, or each
 * member of its group (ranges expanded address by address, fwmarks with
 * their family). Each carries every configured real server (and the sorry
 * server) as a destination, wanted or not:
 *   - quorum up (or no sorry server): an alive real server is wanted with
 *     its weight; a dead one is wanted with weight 0 if inhibit_on_failure,
 *     else unwanted. The sorry server is unwanted, or wanted with weight 0
 *     with sorry_server_inhibit.
 *   - quorum down with a sorry server: the sorry server is wanted with its
 *     weight; every real server is unwanted, or kept with weight 0 if
 *     inhibit_on_failure.
 * h may be NULL: every real server alive with its configured weight,
 * quorum up. Call check_ipvs_table_finish() before diffing.
 */
void check_ipvs_desired(const struct check_vs *vs, const struct check_ipvs_health *h,
			struct check_ipvs_table *out);

/* ---- diff (pure) ---- */

enum check_ipvs_op_kind {
	CHECK_IPVS_ADD_SVC,
	CHECK_IPVS_EDIT_SVC,
	CHECK_IPVS_DEL_SVC,
	CHECK_IPVS_ADD_DEST,
	CHECK_IPVS_EDIT_DEST,
	CHECK_IPVS_DEL_DEST,
};

struct check_ipvs_op {
	enum check_ipvs_op_kind kind;
	struct ipvs_service svc;
	struct ipvs_dest dest; /* *_DEST only */
};

struct check_ipvs_ops {
	struct check_ipvs_op *v;
	size_t n, cap;
};

void check_ipvs_ops_free(struct check_ipvs_ops *o);

/* "add service", "edit destination"... */
const char *check_ipvs_op_name(enum check_ipvs_op_kind k);

/*
 * Operations turning kernel into want (all three finished tables). owned
 * holds what we managed before: a kernel service absent from want is
 * deleted only if owned has it; a kernel destination unknown to want only
 * if owned has it in that service. Per service, additions and edits come
 * before removals, so a service is never emptied on the way (sorry server
 * swaps). Operations are appended to out.
 */
void check_ipvs_diff(const struct check_ipvs_table *want, const struct check_ipvs_table *kernel,
		     const struct check_ipvs_table *owned, struct check_ipvs_ops *out);

/* Whether the kernel's service/destination already has the wanted
 * settings (flags the kernel adds itself are ignored). */
bool check_ipvs_svc_same(const struct ipvs_service *want, const struct ipvs_service *kern);
bool check_ipvs_dest_same(const struct ipvs_dest *want, const struct ipvs_dest *kern);

/* ---- applying to the kernel ---- */

struct check_ipvs;

/* An unconnected reconciler. Never NULL. */
struct check_ipvs *check_ipvs_new(void);

/* Connect to the kernel's IPVS. Returns 0, or a negative errno (-ENOENT:
 * no IPVS in this kernel) with the reason in *why (static until the next
 * call). Nothing is logged. */
int check_ipvs_open(struct check_ipvs *x, const char **why);
bool check_ipvs_is_open(const struct check_ipvs *x);

/* Remove every service of the kernel (lvs_flush). 0 or -errno (logged). */
int check_ipvs_flush(struct check_ipvs *x);

/* Apply non-zero lvs_timeouts. 0 or -errno (logged). */
int check_ipvs_set_timeouts(struct check_ipvs *x, unsigned tcp, unsigned tcpfin, unsigned udp);

/*
 * Bring the kernel to want (a finished table). full: want is the whole
 * configuration: owned services missing from want are deleted, and the
 * kernel table is read with one dump. Otherwise only want's services are
 * read (one by one) and touched. Each operation is logged; a failed one
 * is logged with the kernel's reason and the others still run. Returns 0,
 * or -1 when something failed (a full sync later retries), or -ENOTCONN
 * when not connected.
 */
int check_ipvs_sync(struct check_ipvs *x, const struct check_ipvs_table *want, bool full);

/*
 * Stop: flush the whole table (flush_all: lvs_flush_on_stop), or delete
 * every service we own (the kernel drops their destinations with them).
 * Errors are logged. What we own is forgotten.
 */
void check_ipvs_release(struct check_ipvs *x, bool flush_all);

/* Counters for dumps: operations applied, failed, services owned. */
void check_ipvs_counters(const struct check_ipvs *x, uint64_t *ops, uint64_t *failed,
			 size_t *owned);

/* Close and free; the kernel table is left as it is. NULL is fine. */
void check_ipvs_free(struct check_ipvs *x);

#endif
