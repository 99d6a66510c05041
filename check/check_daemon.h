/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_daemon.h - the checker (IPVS) child process: subsystem hooks for the child runtime */
#ifndef KA_CHECK_DAEMON_H
#define KA_CHECK_DAEMON_H

#include "daemon/child.h"

/*
 * start/reload/stop/dump of the checker child. Until the checkers and the
 * IPVS back end are plugged in, the dump lists the configured virtual and
 * real servers without touching IPVS.
 */
extern const struct child_ops check_child_ops;

#endif
