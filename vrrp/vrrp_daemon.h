/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_daemon.h - the VRRP child process: subsystem hooks for the child runtime */
#ifndef KA_VRRP_DAEMON_H
#define KA_VRRP_DAEMON_H

#include "daemon/child.h"

/*
 * start/reload/stop/dump/stats/json of the VRRP child: thin hooks around
 * the VRRP engine (vrrp_engine.h), which lives in child_ctx.priv.
 */
extern const struct child_ops vrrp_child_ops;

#endif
