/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_cfg_int.h - pieces shared by the check_cfg*.c files, not by other modules */
#ifndef KA_CHECK_CFG_INT_H
#define KA_CHECK_CFG_INT_H

#include "check/check_cfg.h"

#define CHECK_SEC 1000000LL
#define CHECK_T_MAX (86400LL * 365 * CHECK_SEC)

/* Timing keywords every level of the cascade accepts; O(field) gives the
 * offset of a field in the object the table fills. */
#define CHECK_TIMING_KW(O)                                                             \
	{ .name = "delay_loop", .type = CFG_TIMER, .off = O(delay_loop), .min = 1000,     \
	  .max = CHECK_T_MAX },                                                           \
	{ .name = "delay_before_retry", .type = CFG_TIMER, .off = O(delay_before_retry),  \
	  .min = 0, .max = CHECK_T_MAX },                                                 \
	{ .name = "warmup", .type = CFG_TIMER, .off = O(warmup), .min = 0,                \
	  .max = CHECK_T_MAX },                                                           \
	{ .name = "retry", .type = CFG_UINT, .off = O(retry), .min = 0, .max = INT32_MAX }
#define CHECK_CONNECT_TIMEOUT_KW(O)                                                    \
	{ .name = "connect_timeout", .type = CFG_TIMER, .off = O(connect_timeout),        \
	  .min = 1000, .max = CHECK_T_MAX }

/* Block descriptions of the checkers, indexed by enum check_kind
 * (check_cfg_checkers.c); real_server's table points into it. */
extern const struct cfg_block check_probe_blocks[CHECK_KIND_COUNT];

/* The virtual_server block (check_cfg_vs.c). */
extern const struct cfg_block check_vs_block;

/* Argument count in [lo, hi] (not counting the keyword) or an error. */
int check_need_args(struct cfg_parser *p, const struct cfg_args *a, unsigned lo, unsigned hi);

/* Bare keyword = on, else a boolean word. */
int check_get_tri(struct cfg_parser *p, const struct cfg_args *a, enum global_tristate *t);

/* A port 0..65535, reported as "'<keyword>': invalid port 'S' (0..65535)". */
int check_get_port(struct cfg_parser *p, const struct cfg_args *a, const char *s,
		   uint16_t *out);

/* An address without prefix, reported as "'<keyword>': invalid address 'S'". */
int check_get_addr(struct cfg_parser *p, const struct cfg_args *a, const char *s,
		   struct ka_addr *out);

/* Finish one virtual server's real servers and probes (check_cfg_finish.c). */
void check_finish_vs(struct check_cfg *c, struct check_vs *vs, const struct global_cfg *g,
		     struct cfg_diag *diag);

/* Text forms shared by messages and the dump. */
const char *check_vs_str(const struct check_vs *vs, char *buf, size_t len);
const char *check_rs_str(const struct check_rs *rs, char *buf, size_t len);

#endif
