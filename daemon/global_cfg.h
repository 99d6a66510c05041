/* SPDX-License-Identifier: GPL-2.0-or-later */
/* global_cfg.h - global_defs and the top-level keywords outside any block */
#ifndef KA_GLOBAL_CFG_H
#define KA_GLOBAL_CFG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg.h"

struct vrrp_cfg;

struct global_cfg {
	/* top level */
	uint64_t child_wait_time; /* µs; default 5 s */
	char *net_namespace;      /* NULL = current */
	char *instance_name;      /* "instance NAME" */
	bool use_pid_dir;         /* pid files in RUNSTATEDIR/keepalived/ */

	/* global_defs: process */
	char *router_id;          /* default: host name (set in finish) */
	char *state_dump_file;    /* NULL = /tmp/keepalived.data */
	char *stats_dump_file;    /* NULL = /tmp/keepalived.stats */
	char *json_dump_file;     /* NULL = /tmp/keepalived.json */

	/* ... the rest of global_defs (see global_cfg.c) ... */
};

struct global_cfg *global_cfg_new(struct arena *a);
extern const struct cfg_keyword global_cfg_keywords[];
void global_cfg_finish(struct global_cfg *g, struct cfg_diag *diag);
/* Checks that need the VRRP part (lvs_sync_daemon's instance exists...). */
void global_cfg_crosscheck(const struct global_cfg *g, const struct vrrp_cfg *v,
			   struct cfg_diag *diag);
void global_cfg_dump(FILE *out, const struct global_cfg *g);
/* True when global settings alone need the VRRP child (e.g. lvs_sync_daemon). */
bool global_cfg_needs_vrrp(const struct global_cfg *g);

#endif
