/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_fsm.c - the VRRP state machine as a transition table, and its timer math */
#include <string.h>

#include "vrrp/vrrp_fsm.h"

#define S_INIT   VRRP_STATE_INIT
#define S_BACKUP VRRP_STATE_BACKUP
#define S_MASTER VRRP_STATE_MASTER
#define S_FAULT  VRRP_STATE_FAULT
#define S_STOP   VRRP_STATE_STOP

/* Action sets shared by several rows. */
#define BECOME_MASTER (VRRP_ACT_RESET_ADVER_INT | VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADD_VIPS | \
		       VRRP_ACT_SEND_GARP | VRRP_ACT_START_ADVER_TIMER | VRRP_ACT_NOTIFY)
#define YIELD_MASTER (VRRP_ACT_ADOPT_MASTER | VRRP_ACT_DEL_VIPS | \
		      VRRP_ACT_START_MASTER_DOWN_TIMER | VRRP_ACT_STOP_PREEMPT_DELAY | \
		      VRRP_ACT_NOTIFY)
#define LEAVE_MASTER (VRRP_ACT_SEND_PRIO0 | VRRP_ACT_DEL_VIPS | VRRP_ACT_STOP_TIMER | \
		      VRRP_ACT_NOTIFY)
#define ENTER_BACKUP (VRRP_ACT_RESET_ADVER_INT | VRRP_ACT_START_MASTER_DOWN_TIMER | \
		      VRRP_ACT_STOP_PREEMPT_DELAY | VRRP_ACT_NOTIFY)
#define ENTER_FAULT (VRRP_ACT_DEL_VIPS | VRRP_ACT_STOP_TIMER | VRRP_ACT_NOTIFY)
#define ACCEPT_ADVERT (VRRP_ACT_ADOPT_MASTER | VRRP_ACT_START_MASTER_DOWN_TIMER)
#define ANSWER_LOWER (VRRP_ACT_GARP_LOWER_PRIO | VRRP_ACT_NOTIFY_RX_LOWER)

#define ROW(st, ev, g, nx, act, w) \
	{ .state = st, .event = VRRP_EV_##ev, .guard = VRRP_G_##g, .next = nx, \
	  .actions = (act), .why = w }
/* Keep the state, do nothing: the event does not apply here. */
#define IGNORE(st, ev) ROW(st, ev, ALWAYS, st, 0, "ignored")

/*
 * For each (state, event) the rows are tried in order and the first whose
 * guard holds is taken; the last one for a pair is always unguarded, so the
 * table is total (the unit test checks this).
 */
static const struct vrrp_fsm_transition fsm_table[] = {
	/* INIT: waiting for the start; receives and timers cannot happen yet. */
	ROW(S_INIT, STARTUP, FAULT, S_FAULT, ENTER_FAULT, "fault at startup"),
	ROW(S_INIT, STARTUP, ALWAYS, S_BACKUP,
	    VRRP_ACT_DEL_VIPS | ENTER_BACKUP, "startup"),
	ROW(S_INIT, PRIORITY_OWNER, FAULT, S_FAULT, ENTER_FAULT, "fault at startup"),
	ROW(S_INIT, PRIORITY_OWNER, ALWAYS, S_MASTER, BECOME_MASTER, "address owner startup"),
	IGNORE(S_INIT, MASTER_DOWN_TIMER),
	IGNORE(S_INIT, ADV_TIMER),
	IGNORE(S_INIT, RECV_HIGHER),
	IGNORE(S_INIT, RECV_LOWER),
	IGNORE(S_INIT, RECV_PRIO0),
	ROW(S_INIT, FAULT_DETECTED, ALWAYS, S_FAULT, ENTER_FAULT, "fault"),
	IGNORE(S_INIT, FAULT_CLEARED),
	ROW(S_INIT, SHUTDOWN, ALWAYS, S_STOP, VRRP_ACT_STOP_TIMER | VRRP_ACT_NOTIFY, "shutdown"),
	IGNORE(S_INIT, FORCE_BACKUP),

	/* BACKUP */
	IGNORE(S_BACKUP, STARTUP),
	IGNORE(S_BACKUP, PRIORITY_OWNER),
	ROW(S_BACKUP, MASTER_DOWN_TIMER, ALWAYS, S_MASTER, BECOME_MASTER, "master-down timer"),
	IGNORE(S_BACKUP, ADV_TIMER),
	ROW(S_BACKUP, RECV_HIGHER, OWNER_IGNORES, S_BACKUP, 0, "owner ignores adverts"),
	ROW(S_BACKUP, RECV_HIGHER, ALWAYS, S_BACKUP,
	    ACCEPT_ADVERT | VRRP_ACT_STOP_PREEMPT_DELAY, "advert from master"),
	ROW(S_BACKUP, RECV_LOWER, OWNER_IGNORES, S_BACKUP, 0, "owner ignores adverts"),
	ROW(S_BACKUP, RECV_LOWER, NO_PREEMPT, S_BACKUP, ACCEPT_ADVERT, "nopreempt"),
	/* RFC 5798 6.4.2: a backup accepts equal priority whatever the addresses */
	ROW(S_BACKUP, RECV_LOWER, EQUAL_PRIO, S_BACKUP,
	    ACCEPT_ADVERT | VRRP_ACT_STOP_PREEMPT_DELAY, "advert from equal priority master"),
	ROW(S_BACKUP, RECV_LOWER, DELAY_IDLE, S_BACKUP,
	    ACCEPT_ADVERT | VRRP_ACT_START_PREEMPT_DELAY, "preempt delay started"),
	ROW(S_BACKUP, RECV_LOWER, DELAY_RUNNING, S_BACKUP, ACCEPT_ADVERT, "preempt delay running"),
	/* Ignoring it lets the master-down timer run out: that is preemption. */
	ROW(S_BACKUP, RECV_LOWER, ALWAYS, S_BACKUP, 0, "lower priority advert ignored"),
	ROW(S_BACKUP, RECV_PRIO0, OWNER_IGNORES, S_BACKUP, 0, "owner ignores adverts"),
	ROW(S_BACKUP, RECV_PRIO0, ALWAYS, S_BACKUP, VRRP_ACT_START_SKEW_TIMER,
	    "master stopping"),
	ROW(S_BACKUP, FAULT_DETECTED, ALWAYS, S_FAULT,
	    VRRP_ACT_STOP_TIMER | VRRP_ACT_NOTIFY, "fault"),
	IGNORE(S_BACKUP, FAULT_CLEARED),
	ROW(S_BACKUP, SHUTDOWN, ALWAYS, S_STOP, VRRP_ACT_STOP_TIMER | VRRP_ACT_NOTIFY, "shutdown"),
	IGNORE(S_BACKUP, FORCE_BACKUP),

	/* MASTER */
	IGNORE(S_MASTER, STARTUP),
	IGNORE(S_MASTER, PRIORITY_OWNER),
	IGNORE(S_MASTER, MASTER_DOWN_TIMER),
	ROW(S_MASTER, ADV_TIMER, ALWAYS, S_MASTER,
	    VRRP_ACT_SEND_ADVERT | VRRP_ACT_START_ADVER_TIMER, "advert timer"),
	ROW(S_MASTER, RECV_HIGHER, OWNER_IGNORES, S_MASTER, 0, "owner ignores adverts"),
	ROW(S_MASTER, RECV_HIGHER, OWNER_CONFLICT, S_BACKUP,
	    VRRP_ACT_LOWER_OWNER_PRIO | YIELD_MASTER, "two address owners"),
	ROW(S_MASTER, RECV_HIGHER, SEND_BEFORE_YIELD, S_BACKUP,
	    VRRP_ACT_SEND_ADVERT | YIELD_MASTER, "higher priority advert"),
	ROW(S_MASTER, RECV_HIGHER, ALWAYS, S_BACKUP, YIELD_MASTER, "higher priority advert"),
	ROW(S_MASTER, RECV_LOWER, OWNER_IGNORES, S_MASTER, 0, "owner ignores adverts"),
	ROW(S_MASTER, RECV_LOWER, OWNER_CONFLICT, S_BACKUP,
	    VRRP_ACT_LOWER_OWNER_PRIO | YIELD_MASTER, "two address owners"),
	ROW(S_MASTER, RECV_LOWER, NO_LOWER_ADVERT, S_MASTER, ANSWER_LOWER,
	    "lower priority advert"),
	/* Answer at once so the other side sees us and backs off (RFC 9568). */
	ROW(S_MASTER, RECV_LOWER, ALWAYS, S_MASTER, VRRP_ACT_SEND_ADVERT | ANSWER_LOWER,
	    "lower priority advert"),
	ROW(S_MASTER, RECV_PRIO0, OWNER_IGNORES, S_MASTER, 0, "owner ignores adverts"),
	ROW(S_MASTER, RECV_PRIO0, ALWAYS, S_MASTER,
	    VRRP_ACT_SEND_ADVERT | VRRP_ACT_START_ADVER_TIMER, "priority 0 advert"),
	ROW(S_MASTER, FAULT_DETECTED, ALWAYS, S_FAULT, LEAVE_MASTER, "fault"),
	IGNORE(S_MASTER, FAULT_CLEARED),
	ROW(S_MASTER, SHUTDOWN, ALWAYS, S_STOP, LEAVE_MASTER, "shutdown"),
	/* No priority 0: the others elect among themselves after the normal
	 * master-down interval, and so do we. */
	ROW(S_MASTER, FORCE_BACKUP, ALWAYS, S_BACKUP, VRRP_ACT_DEL_VIPS | ENTER_BACKUP,
	    "forced to backup"),

	/* FAULT: deaf and silent until the fault clears. */
	IGNORE(S_FAULT, STARTUP),
	IGNORE(S_FAULT, PRIORITY_OWNER),
	IGNORE(S_FAULT, MASTER_DOWN_TIMER),
	IGNORE(S_FAULT, ADV_TIMER),
	IGNORE(S_FAULT, RECV_HIGHER),
	IGNORE(S_FAULT, RECV_LOWER),
	IGNORE(S_FAULT, RECV_PRIO0),
	IGNORE(S_FAULT, FAULT_DETECTED),
	ROW(S_FAULT, FAULT_CLEARED, ALWAYS, S_BACKUP, ENTER_BACKUP, "fault cleared"),
	ROW(S_FAULT, SHUTDOWN, ALWAYS, S_STOP, VRRP_ACT_STOP_TIMER | VRRP_ACT_NOTIFY, "shutdown"),
	IGNORE(S_FAULT, FORCE_BACKUP),

	/* STOP is final. */
	IGNORE(S_STOP, STARTUP),
	IGNORE(S_STOP, PRIORITY_OWNER),
	IGNORE(S_STOP, MASTER_DOWN_TIMER),
	IGNORE(S_STOP, ADV_TIMER),
	IGNORE(S_STOP, RECV_HIGHER),
	IGNORE(S_STOP, RECV_LOWER),
	IGNORE(S_STOP, RECV_PRIO0),
	IGNORE(S_STOP, FAULT_DETECTED),
	IGNORE(S_STOP, FAULT_CLEARED),
	IGNORE(S_STOP, SHUTDOWN),
	IGNORE(S_STOP, FORCE_BACKUP),
};

static bool guard_holds(enum vrrp_fsm_guard g, const struct vrrp_fsm_input *in)
{
	if (g == VRRP_G_ALWAYS)
		return true;
	if (!in)
		return false;
	switch (g) {
	case VRRP_G_FAULT:
		return in->fault;
	case VRRP_G_OWNER_IGNORES:
		return in->priority == 255 && in->owner_ignore_adverts;
	case VRRP_G_OWNER_CONFLICT:
		return in->priority == 255 && in->adv_priority == 255;
	case VRRP_G_NO_PREEMPT:
		return !in->preempt;
	case VRRP_G_EQUAL_PRIO:
		return in->adv_priority == in->priority;
	case VRRP_G_DELAY_IDLE:
		return in->preempt_delay == VRRP_PD_IDLE;
	case VRRP_G_DELAY_RUNNING:
		return in->preempt_delay == VRRP_PD_RUNNING;
	case VRRP_G_SEND_BEFORE_YIELD:
		return in->higher_prio_send_advert;
	case VRRP_G_NO_LOWER_ADVERT:
		return in->lower_prio_no_advert;
	default:
		return false;
	}
}

const struct vrrp_fsm_transition *vrrp_fsm_next(enum vrrp_state state, enum vrrp_event event,
						const struct vrrp_fsm_input *in)
{
	size_t i;

	if ((unsigned)state >= VRRP_STATE_MAX || (unsigned)event >= VRRP_EV_MAX)
		return NULL;
	for (i = 0; i < sizeof(fsm_table) / sizeof(fsm_table[0]); i++) {
		const struct vrrp_fsm_transition *t = &fsm_table[i];

		if (t->state == state && t->event == event && guard_holds(t->guard, in))
			return t;
	}
	return NULL;
}

const struct vrrp_fsm_transition *vrrp_fsm_table(size_t *n)
{
	*n = sizeof(fsm_table) / sizeof(fsm_table[0]);
	return fsm_table;
}

enum vrrp_event vrrp_fsm_startup_event(bool wish_master, uint8_t priority)
{
	return wish_master && priority == 255 ? VRRP_EV_PRIORITY_OWNER : VRRP_EV_STARTUP;
}

enum vrrp_event vrrp_fsm_rx_event(uint8_t adv_priority, uint8_t our_priority, int addr_cmp)
{
	if (adv_priority == 0)
		return VRRP_EV_RECV_PRIO0;
	if (adv_priority > our_priority || (adv_priority == our_priority && addr_cmp > 0))
		return VRRP_EV_RECV_HIGHER;
	return VRRP_EV_RECV_LOWER;
}

int vrrp_fsm_addr_cmp(const struct ka_addr *a, const struct ka_addr *b)
{
	size_t len = a->family == AF_INET6 ? 16 : 4;

	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	/* network byte order compares as a big-endian number */
	return memcmp(&a->u, &b->u, len);
}

const char *vrrp_state_str(enum vrrp_state s)
{
	static const char *const names[VRRP_STATE_MAX] = {
		[VRRP_STATE_INIT] = "INIT",
		[VRRP_STATE_BACKUP] = "BACKUP",
		[VRRP_STATE_MASTER] = "MASTER",
		[VRRP_STATE_FAULT] = "FAULT",
		[VRRP_STATE_STOP] = "STOP",
	};

	return (unsigned)s < VRRP_STATE_MAX ? names[s] : "UNKNOWN";
}

const char *vrrp_event_str(enum vrrp_event e)
{
	static const char *const names[VRRP_EV_MAX] = {
		[VRRP_EV_STARTUP] = "startup",
		[VRRP_EV_PRIORITY_OWNER] = "address owner startup",
		[VRRP_EV_MASTER_DOWN_TIMER] = "master-down timer",
		[VRRP_EV_ADV_TIMER] = "advert timer",
		[VRRP_EV_RECV_HIGHER] = "higher priority advert",
		[VRRP_EV_RECV_LOWER] = "lower priority advert",
		[VRRP_EV_RECV_PRIO0] = "priority 0 advert",
		[VRRP_EV_FAULT_DETECTED] = "fault",
		[VRRP_EV_FAULT_CLEARED] = "fault cleared",
		[VRRP_EV_SHUTDOWN] = "shutdown",
		[VRRP_EV_FORCE_BACKUP] = "forced to backup",
	};

	return (unsigned)e < VRRP_EV_MAX ? names[e] : "unknown";
}

uint64_t vrrp_skew_us(unsigned version, uint8_t priority, uint64_t master_adver_int_us)
{
	uint64_t unit = version == 3 ? master_adver_int_us : 1000000u;

	return (256u - priority) * unit / 256u;
}

uint64_t vrrp_master_down_us(unsigned version, uint8_t priority, uint64_t master_adver_int_us,
			     unsigned down_timer_adverts)
{
	return down_timer_adverts * master_adver_int_us +
	       vrrp_skew_us(version, priority, master_adver_int_us);
}
