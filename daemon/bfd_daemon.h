/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_daemon.h - the BFD child process: child runtime hooks around the BFD engine */
#ifndef KA_BFD_DAEMON_H
#define KA_BFD_DAEMON_H

#include <stdbool.h>

#include "daemon/child.h"

struct ka_config;

/* The keepalived_bfd child (Keepalived_bfd): runs the bfd_instance
 * sessions and tells the VRRP and checker children their states through
 * the channels in ctx->bfd_ends (daemon/bfd_event.h). */
extern const struct child_ops bfd_child_ops;

/* Whether the configuration has a bfd_instance block (the BFD child runs). */
bool bfd_daemon_configured(const struct ka_config *c);

#endif
