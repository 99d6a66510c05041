/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_fsm.h - the VRRP state machine as a transition table, and its timer math */
#ifndef KA_VRRP_FSM_H
#define KA_VRRP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * Pure: vrrp_fsm_next() looks the transition up and returns it; the runtime
 * applies the actions and is the only code that writes an instance's state.
 *
 * Behaviour follows keepalived 2.2.7 (checked on the wire in a network
 * namespace): every instance starts in BACKUP and waits the full master-down
 * interval, except `state MASTER` with priority 255, which becomes MASTER at
 * once; leaving FAULT always goes to BACKUP with the full interval, owner or
 * not. A BACKUP accepts an advert of equal or higher priority (or any advert
 * with nopreempt, or while a preempt_delay runs) and restarts its timer; a
 * lower-priority advert is ignored so the timer runs out and we preempt.
 */

enum vrrp_state {
	VRRP_STATE_INIT,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
	VRRP_STATE_STOP,
	VRRP_STATE_MAX
};

enum vrrp_event {
	VRRP_EV_STARTUP,           /* instance starts (see vrrp_fsm_startup_event()) */
	VRRP_EV_PRIORITY_OWNER,    /* instance starts as owner: priority 255, state MASTER */
	VRRP_EV_MASTER_DOWN_TIMER, /* backup heard no master in time */
	VRRP_EV_ADV_TIMER,         /* master's advert interval elapsed */
	VRRP_EV_RECV_HIGHER,       /* valid advert that beats us (see vrrp_fsm_rx_event()) */
	VRRP_EV_RECV_LOWER,        /* valid advert we beat */
	VRRP_EV_RECV_PRIO0,        /* valid advert with priority 0: the master is leaving */
	VRRP_EV_FAULT_DETECTED,    /* interface or an unweighted tracker went down */
	VRRP_EV_FAULT_CLEARED,     /* all of them are up again */
	VRRP_EV_SHUTDOWN,          /* instance or daemon stopping */
	VRRP_EV_FORCE_BACKUP,      /* a master must step down without a better advert: its
				    * sync group went BACKUP, or a VIP was deleted under it */
	VRRP_EV_MAX
};

/*
 * Actions, as bits. The runtime performs them in ascending bit order, which
 * is the order keepalived uses: adverts go out before addresses are added
 * (so the old master removes its VIPs before our GARPs) and the priority-0
 * advert before addresses are removed.
 */
enum {
	VRRP_ACT_LOWER_OWNER_PRIO = 1u << 0,  /* two owners: our priority becomes 254 */
	VRRP_ACT_ADOPT_MASTER     = 1u << 1,  /* record the master's address and priority;
					       * v3: master_adver_int = its interval */
	VRRP_ACT_RESET_ADVER_INT  = 1u << 2,  /* master_adver_int = our own advert_int */
	VRRP_ACT_SEND_ADVERT      = 1u << 3,  /* advert with our priority */
	VRRP_ACT_SEND_PRIO0       = 1u << 4,  /* advert with priority 0 */
	VRRP_ACT_DEL_VIPS         = 1u << 5,  /* VIPs, eVIPs, virtual routes and rules */
	VRRP_ACT_ADD_VIPS         = 1u << 6,
	VRRP_ACT_SEND_GARP        = 1u << 7,  /* master GARP/NA burst (+ delayed one) */
	VRRP_ACT_GARP_LOWER_PRIO  = 1u << 8,  /* garp_lower_prio_repeat GARPs, if set */
	VRRP_ACT_STOP_TIMER       = 1u << 9,
	VRRP_ACT_START_MASTER_DOWN_TIMER = 1u << 10, /* vrrp_master_down_us() */
	VRRP_ACT_START_SKEW_TIMER = 1u << 11, /* master-down timer = skew time only */
	VRRP_ACT_START_ADVER_TIMER = 1u << 12,
	VRRP_ACT_START_PREEMPT_DELAY = 1u << 13,
	VRRP_ACT_STOP_PREEMPT_DELAY = 1u << 14,
	VRRP_ACT_NOTIFY           = 1u << 15, /* state change: log, scripts, FIFOs, traps */
	VRRP_ACT_NOTIFY_RX_LOWER  = 1u << 16, /* notify_master_rx_lower_pri */
};

/* Where a preempt_delay stands for the instance. */
enum vrrp_preempt_delay {
	VRRP_PD_NONE,      /* no preempt_delay configured */
	VRRP_PD_IDLE,      /* configured, not started */
	VRRP_PD_RUNNING,   /* started, not expired */
	VRRP_PD_EXPIRED,   /* started and expired: we may preempt now */
};

/* Conditions a row can depend on; the first matching row wins. */
enum vrrp_fsm_guard {
	VRRP_G_ALWAYS,
	VRRP_G_FAULT,            /* in->fault */
	VRRP_G_OWNER_IGNORES,    /* priority 255 and owner_ignore_adverts */
	VRRP_G_OWNER_CONFLICT,   /* priority 255 and the advert says 255 too */
	VRRP_G_NO_PREEMPT,       /* nopreempt */
	VRRP_G_EQUAL_PRIO,       /* advert priority == ours (tie broken by address) */
	VRRP_G_DELAY_IDLE,       /* preempt_delay not started yet */
	VRRP_G_DELAY_RUNNING,    /* preempt_delay running */
	VRRP_G_SEND_BEFORE_YIELD, /* higher_prio_send_advert */
	VRRP_G_NO_LOWER_ADVERT,  /* lower_prio_no_advert */
	VRRP_G_MAX
};

/* What the decision may depend on, filled by the runtime. */
struct vrrp_fsm_input {
	uint8_t priority;          /* our effective priority */
	uint8_t adv_priority;      /* RECV_* events: the advert's priority */
	bool preempt;              /* false with nopreempt */
	enum vrrp_preempt_delay preempt_delay;
	bool fault;                /* STARTUP/PRIORITY_OWNER: something tracked is down */
	bool owner_ignore_adverts;
	bool higher_prio_send_advert;
	bool lower_prio_no_advert;
};

struct vrrp_fsm_transition {
	enum vrrp_state state;
	enum vrrp_event event;
	enum vrrp_fsm_guard guard;
	enum vrrp_state next;
	unsigned actions;          /* VRRP_ACT_* */
	const char *why;           /* for "(VI_1) BACKUP -> MASTER (why)" */
};

/*
 * The row for (state, event) whose guard holds for in (in may be NULL when
 * the event is not a receive or startup event: guards are then false). Every
 * pair has a row, possibly one that keeps the state and does nothing.
 * Returns NULL only for out-of-range state or event.
 */
const struct vrrp_fsm_transition *vrrp_fsm_next(enum vrrp_state state, enum vrrp_event event,
						const struct vrrp_fsm_input *in);

/* The whole table (read only), *n rows, for dumps and tests. */
const struct vrrp_fsm_transition *vrrp_fsm_table(size_t *n);

/* PRIORITY_OWNER for `state MASTER` with priority 255, else STARTUP. */
enum vrrp_event vrrp_fsm_startup_event(bool wish_master, uint8_t priority);

/*
 * Classify a valid received advert: RECV_PRIO0 for priority 0; RECV_HIGHER
 * if its priority is above ours or equal with a higher sender address
 * (addr_cmp > 0, from vrrp_fsm_addr_cmp(sender, our address)); else
 * RECV_LOWER.
 */
enum vrrp_event vrrp_fsm_rx_event(uint8_t adv_priority, uint8_t our_priority, int addr_cmp);

/* Compare addresses as unsigned numbers: <0, 0, >0. Different families
 * order IPv4 first. */
int vrrp_fsm_addr_cmp(const struct ka_addr *a, const struct ka_addr *b);

const char *vrrp_state_str(enum vrrp_state s);   /* "MASTER", "BACKUP", ... */
const char *vrrp_event_str(enum vrrp_event e);   /* "master-down timer", ... */

/* ---- timers (microseconds) ---------------------------------------------- */

/*
 * Skew time: v2 (256 - priority) / 256 s; v3 (256 - priority) *
 * master_adver_int / 256. Integer microseconds, rounded down.
 */
uint64_t vrrp_skew_us(unsigned version, uint8_t priority, uint64_t master_adver_int_us);

/* Master-down interval: down_timer_adverts (3 in the RFC) * master_adver_int
 * + skew time. */
uint64_t vrrp_master_down_us(unsigned version, uint8_t priority, uint64_t master_adver_int_us,
			     unsigned down_timer_adverts);

#endif
