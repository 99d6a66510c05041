/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_run_int.h - runtime objects shared by check_run.c and check_run_dump.c */
#ifndef KA_CHECK_RUN_INT_H
#define KA_CHECK_RUN_INT_H

#include <stdint.h>

#include "check/check_run.h"

struct run_rs;

/*
 * One scheduled probe. Identical probes of several real servers share one
 * task (found by key); its result goes to every subscriber. up, has_run,
 * retries, last and weight are written by check_done() only.
 */
struct run_task {
	struct run_task *hnext;        /* hash chain */
	uint64_t hash;
	unsigned char *key;
	size_t keylen;
	struct check_run *run;
	const struct check_probe *p;   /* one of the identical probes, current config */
	const struct check_probe_ops *ops; /* NULL: kind not implemented, assumed UP */
	char name[CHECK_NAME_LEN + 32]; /* "[10.0.0.2]:tcp:80 TCP_CHECK" */

	bool up, has_run;              /* has_run: a first UP/DOWN decision was made */
	unsigned retries;              /* failed attempts in a row, retried */
	bool has_last;
	enum check_result last;
	char detail[96];
	int weight;                    /* last dynamic weight reported, -1 none */

	bool active;                   /* some user not suspended */
	bool in_flight;                /* an attempt is running */
	bool keep;                     /* reload: still used */
	bool fresh;                    /* never scheduled: first start gets warmup jitter */
	bool zombie;                   /* unused, freed when its attempt reports */
	struct ev_timer *timer;
	struct check_attempt *att;
	uint64_t last_time;            /* ev_now() of the last result, 0 none */

	uint64_t attempts, failures, transitions;

	struct run_rs **subs;
	size_t nsubs, capsubs;
};

struct run_vs;

struct run_rs {
	const struct check_rs *cfg;
	struct run_vs *vs;
	size_t idx;                    /* in vs->rs and vs->rh */
	struct run_task **tasks;       /* one per probe, configuration order */
	size_t ntasks;
	bool alive;
	unsigned weight;
	uint64_t transitions;
};

struct run_vs {
	struct check_run *run;
	const struct check_vs *cfg;
	struct run_rs *rs;
	size_t nrs;
	struct check_ipvs_rs_health *rh;
	struct check_ipvs_health h;
	bool suspended;
	struct ev_timer *sync_timer;
	uint64_t quorum_transitions;
	const struct run_vs *prev;     /* during a reload: the same one before it */
};

struct check_run {
	struct ev_loop *loop;
	const struct check_cfg *cfg;
	const struct global_cfg *g;
	struct check_notify *notify;
	struct check_run_hooks hooks;
	struct run_vs *vs;
	size_t nvs;
	struct run_task **buckets;
	size_t nbuckets, ntasks;
	struct run_task *zombies;      /* chained through hnext */
	struct ev_timer *suspend_timer;
	struct ev_timer *init_timer;   /* rs_init_notifies, once hooks are set */
	uint64_t rng;
};

/*
 * The identity of probe p as bytes (*key, malloc'ed, *len bytes) and its
 * hash: kind, target, source, kind-specific parameters and timing, plus
 * the real server's weight for the probes reporting a weight derived from
 * it. Probes with equal keys behave the same and may share one task.
 */
uint64_t check_run_probe_key(const struct check_probe *p, unsigned char **key, size_t *len);

/* Text of a probe result for logs and dumps: "L4CON (connection refused)". */
const char *check_run_result_text(const struct run_task *t, char *buf, size_t len);

#endif
