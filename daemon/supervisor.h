/* SPDX-License-Identifier: GPL-2.0-or-later */
/* supervisor.h - the parent process: starts, watches, respawns and signals the children */
#ifndef KA_SUPERVISOR_H
#define KA_SUPERVISOR_H

#include "cfg.h"

struct ka_config;
struct ka_options;
struct pidfile_paths;

/*
 * Run the parent until it is told to stop (SIGTERM, SIGINT) or a child
 * fails permanently. Takes ownership of config (a validated configuration,
 * errors == 0). Children are forked from here and never return: they exit
 * with their own status. Returns the parent's exit status (KA_EXIT_*).
 */
int supervisor_run(struct ka_config *config, const struct ka_options *opts,
		   const struct pidfile_paths *paths);

/* Reading options for ka_config_load() from the command line (-i, -e). */
void supervisor_read_opts(struct cfg_read_opts *ro, const struct ka_options *opts);

/* A cfg_diag emit callback that logs each message (errors at LOG_ERR,
 * warnings at LOG_WARNING). arg is unused. */
void supervisor_diag_log(void *arg, enum cfg_level lvl, const char *msg);

/* Log a configuration dump line by line (-d at startup). */
void supervisor_dump_config(const struct ka_config *config);

#endif
