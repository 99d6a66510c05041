/* SPDX-License-Identifier: GPL-2.0-or-later */
/* snmp_agent.h - AgentX sub-agent (net-snmp) driven by our event loop, serving snmp_mib modules */
#ifndef KA_SNMP_AGENT_H
#define KA_SNMP_AGENT_H

#include <stdbool.h>

#include "snmp_mib.h"

struct ev_loop;
struct snmp_agent;

/*
 * Only built with --enable-snmp: the engines reach it through
 * vrrp/vrrp_snmp.h and check/check_snmp.h, whose stubs stand in otherwise.
 *
 * The sub-agent connects to the AgentX master (snmpd) on its socket and
 * answers GET, GETNEXT and GETBULK for the registered modules; SET is
 * refused (the objects are read-only). net-snmp's sockets are watched by
 * our loop and its timers (retransmissions, the AgentX ping that also
 * reconnects after the master restarts) run from one loop timer: nothing
 * runs in a thread or from a signal. The AgentX session itself is
 * synchronous for a few exchanges (open, registrations, pings); its
 * timeout is kept short (SNMP_AGENT_TIMEOUT_US, no retry) so a hung master
 * cannot stall the process for long.
 *
 * net-snmp keeps its state in globals: one agent per process, started at
 * most once (it cannot be restarted after net-snmp is shut down).
 */

#define SNMP_AGENT_PING_S       10        /* AgentX ping / reconnect period */
#define SNMP_AGENT_TIMEOUT_US   300000    /* per AgentX exchange */

/*
 * Start the sub-agent: name is net-snmp's application name (its config
 * file is <name>.conf), socket the master's address ("unix:/path",
 * "/path", "udp:host:port", "tcp:host:port"; NULL = net-snmp's default
 * /var/agentx/master). A master that is absent now is retried every
 * SNMP_AGENT_PING_S. Returns NULL (logged) when net-snmp cannot start or
 * an agent already ran in this process.
 */
struct snmp_agent *snmp_agent_start(struct ev_loop *loop, const char *name, const char *socket);

/* Unregister everything, close the session and shut net-snmp down. NULL
 * is fine. */
void snmp_agent_stop(struct snmp_agent *a);

/* Serve module m, its callbacks getting arg. m and arg must stay valid
 * until unregistered. Returns 0, or -1 (logged) on failure; registering
 * a module twice is a no-op. */
int snmp_agent_register(struct snmp_agent *a, const struct snmp_module *m, void *arg);
void snmp_agent_unregister(struct snmp_agent *a, const struct snmp_module *m);
bool snmp_agent_registered(const struct snmp_agent *a, const struct snmp_module *m);

/* Send t as an SNMPv2 notification through the master (sysUpTime is added
 * in front). Logged at info level. */
void snmp_agent_notify(struct snmp_agent *a, const struct snmp_trap *t);

/* Notifications sent and requests answered so far (tests, dumps). */
void snmp_agent_counters(const struct snmp_agent *a, unsigned long *traps,
			 unsigned long *requests);

#endif
