/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config.h - the whole parsed configuration: one arena, one object per subsystem */
#ifndef KA_CONFIG_H
#define KA_CONFIG_H

#include <stdio.h>

#include "cfg.h"

struct global_cfg;
struct vrrp_cfg;
struct check_cfg;

/*
 * Built once by ka_config_load() and then only read (const) by every
 * process. Each subsystem owns its part: daemon/global_cfg.h (global_defs
 * and top-level keywords), vrrp/vrrp_cfg.h, check/check_cfg.h. Each part
 * exports the same four things:
 *   X_cfg_new(arena)          allocate with built-in defaults
 *   X_cfg_keywords[]          its top-level keyword table (registered)
 *   X_cfg_finish(x, g, diag)  cross-checks after the walk (names exist...)
 *   X_cfg_dump(out, x)        -d / SIGUSR1 text dump
 */
struct ka_config {
	struct arena *arena;
	struct cfg_tokens tokens; /* kept so children can be handed the same bytes */
	struct global_cfg *global;
	struct vrrp_cfg *vrrp;
	struct check_cfg *check;
	unsigned errors, warnings;
};

/* Read, expand and walk a configuration file. Always returns a config
 * (possibly partial) unless the file itself cannot be read (NULL); check
 * ->errors before using it. Messages go to diag. */
struct ka_config *ka_config_load(const char *path, const struct cfg_read_opts *opts,
				 struct cfg_diag *diag);

/* As ka_config_load() on an in-memory text (tests, fuzzing). NULL only if
 * the text cannot be tokenised at all. */
struct ka_config *ka_config_parse_buf(const char *name, const char *buf, size_t len,
				      const struct cfg_read_opts *opts, struct cfg_diag *diag);

/* Free the token stream. It is needed only to hand the configuration on
 * (child_config_memfd()); a running process drops it, as it is the biggest
 * part of a large configuration and every process would pay for it. */
void ka_config_drop_tokens(struct ka_config *c);

/* Build a config from a token stream produced by cfg_tokens_save() in the
 * parent (children on reload). Messages are discarded. NULL on failure. */
struct ka_config *ka_config_from_saved(const void *buf, size_t len);

void ka_config_free(struct ka_config *c);

/* Human-readable dump of everything parsed. */
void ka_config_dump(FILE *out, const struct ka_config *c);

/* Whether the configuration has anything for each child process. */
bool ka_config_has_vrrp(const struct ka_config *c);
bool ka_config_has_check(const struct ka_config *c);

#endif
