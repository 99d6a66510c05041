/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_session.c - one BFD session's state machine (a transition table) and timers, no I/O */
#include <string.h>

#include "daemon/bfd_session.h"

/* RFC 5880 section 6.8.3: while not Up, advertise no less than one second. */
#define IDLE_TX_MIN 1000000u

/* What moves the state machine: the State field of a received packet (the
 * first four, equal to enum bfd_state), the detection timer, the operator. */
enum bfd_event {
	EV_RX_ADMIN_DOWN = BFD_STATE_ADMIN_DOWN,
	EV_RX_DOWN = BFD_STATE_DOWN,
	EV_RX_INIT = BFD_STATE_INIT,
	EV_RX_UP = BFD_STATE_UP,
	EV_EXPIRED,
	EV_ADMIN_DOWN,
	EV_MAX,
};

#define DIAG_KEEP 0xff /* leave bfd.LocalDiag as it is */

struct bfd_transition {
	uint8_t next;      /* enum bfd_state */
	uint8_t diag;      /* enum bfd_diag, or DIAG_KEEP */
};

#define AD   BFD_STATE_ADMIN_DOWN
#define DOWN BFD_STATE_DOWN
#define INIT BFD_STATE_INIT
#define UP   BFD_STATE_UP
#define T(nx, dg) { .next = nx, .diag = dg }
#define STAY(st) T(st, DIAG_KEEP)

/*
 * RFC 5880 section 6.2 and the reception rules of section 6.8.6, as one
 * table: [local state][event]. Entering Up clears the diagnostic, which then
 * only ever explains the last time the session went down. Received packets
 * never reach the AdminDown row (they are ignored there); it is filled in so
 * that the table is total.
 */
static const struct bfd_transition bfd_fsm[4][EV_MAX] = {
	[AD] = {
		[EV_RX_ADMIN_DOWN] = STAY(AD), [EV_RX_DOWN] = STAY(AD),
		[EV_RX_INIT] = STAY(AD), [EV_RX_UP] = STAY(AD),
		[EV_EXPIRED] = STAY(AD), [EV_ADMIN_DOWN] = STAY(AD),
	},
	[DOWN] = {
		[EV_RX_ADMIN_DOWN] = STAY(DOWN),
		[EV_RX_DOWN] = T(INIT, DIAG_KEEP),
		[EV_RX_INIT] = T(UP, BFD_DIAG_NONE),
		[EV_RX_UP] = STAY(DOWN),   /* the peer must first see us Down */
		[EV_EXPIRED] = STAY(DOWN),
		[EV_ADMIN_DOWN] = T(AD, BFD_DIAG_ADMIN_DOWN),
	},
	[INIT] = {
		[EV_RX_ADMIN_DOWN] = T(DOWN, BFD_DIAG_NEIGHBOR_DOWN),
		[EV_RX_DOWN] = STAY(INIT),
		[EV_RX_INIT] = T(UP, BFD_DIAG_NONE),
		[EV_RX_UP] = T(UP, BFD_DIAG_NONE),
		[EV_EXPIRED] = T(DOWN, BFD_DIAG_DETECT_EXPIRED),
		[EV_ADMIN_DOWN] = T(AD, BFD_DIAG_ADMIN_DOWN),
	},
	[UP] = {
		[EV_RX_ADMIN_DOWN] = T(DOWN, BFD_DIAG_NEIGHBOR_DOWN),
		[EV_RX_DOWN] = T(DOWN, BFD_DIAG_NEIGHBOR_DOWN),
		[EV_RX_INIT] = STAY(UP),
		[EV_RX_UP] = STAY(UP),
		[EV_EXPIRED] = T(DOWN, BFD_DIAG_DETECT_EXPIRED),
		[EV_ADMIN_DOWN] = T(AD, BFD_DIAG_ADMIN_DOWN),
	},
};

static uint32_t idle_tx(const struct bfd_session *s)
{
	return s->cfg.idle_tx < IDLE_TX_MIN ? IDLE_TX_MIN : s->cfg.idle_tx;
}

/* The intervals for a session that is not Up: they apply at once, the peer
 * being Down (or going so) has nothing to lose by a slower rate. */
static void use_idle_intervals(struct bfd_session *s)
{
	s->polling = false;
	s->des_min_tx = s->adv_min_tx = idle_tx(s);
	s->req_min_rx = s->adv_min_rx = s->cfg.min_rx;
}

/* Entering Up: advertise the configured rate at once, but keep timing on the
 * old values until the peer's Final acknowledges them (section 6.8.3). */
static void start_poll_to_up_intervals(struct bfd_session *s)
{
	s->adv_min_tx = s->cfg.min_tx;
	s->adv_min_rx = s->cfg.min_rx;
	/* A faster rate applies at once (only an increase waits for the
	 * Final, section 6.8.3): the side that comes Up while answering the
	 * peer's Poll can send no Poll of its own until its next packet, and at
	 * the idle rate that is later than the peer's new detection time. */
	if (s->adv_min_tx < s->des_min_tx)
		s->des_min_tx = s->adv_min_tx;
	s->polling = true;
}

/* Past bfd_session_init(), the only writer of s->state. True if it changed. */
static bool bfd_session_fsm(struct bfd_session *s, enum bfd_event ev)
{
	const struct bfd_transition *t = &bfd_fsm[s->state & 3][ev];
	uint8_t old = s->state;

	if (t->diag != DIAG_KEEP)
		s->diag = t->diag;
	if (t->next == old)
		return false;
	s->state = t->next;
	if (t->next == BFD_STATE_UP) {
		start_poll_to_up_intervals(s);
	} else {
		use_idle_intervals(s);
		if (t->next == BFD_STATE_ADMIN_DOWN) {
			s->detect_at = 0;
			s->final_due = false;
		}
	}
	return true;
}

void bfd_session_init(struct bfd_session *s, const struct bfd_session_cfg *cfg,
		      uint32_t local_disc)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->state = BFD_STATE_DOWN;
	s->remote_state = BFD_STATE_DOWN;
	s->diag = BFD_DIAG_NONE;
	s->local_disc = local_disc;
	s->remote_min_rx = 1;     /* RFC 5880 section 6.8.1 */
	use_idle_intervals(s);
}

uint64_t bfd_session_tx_interval(const struct bfd_session *s)
{
	return s->des_min_tx > s->remote_min_rx ? s->des_min_tx : s->remote_min_rx;
}

uint64_t bfd_session_detect_time(const struct bfd_session *s)
{
	uint32_t iv = s->req_min_rx > s->remote_des_min_tx ? s->req_min_rx : s->remote_des_min_tx;

	return (uint64_t)s->remote_mult * iv;
}

bool bfd_session_may_send(const struct bfd_session *s)
{
	if (s->cfg.passive && (!s->heard || s->remote_disc == 0))
		return false;
	return s->remote_min_rx != 0;
}

/* After anything that may change may_send() or the interval: nothing stays
 * scheduled that may not be sent, and a shorter interval is not left waiting
 * behind a long one. When sending becomes allowed with nothing scheduled,
 * the next packet is due now (and BFD_RX_SEND_NOW is returned). */
static unsigned reschedule(struct bfd_session *s, uint64_t now)
{
	uint64_t iv = bfd_session_tx_interval(s);

	if (!bfd_session_may_send(s)) {
		s->tx_at = 0;
		return 0;
	}
	if (s->tx_at == 0) {
		s->tx_at = now;
		return BFD_RX_SEND_NOW;
	}
	if (s->tx_at > now + iv)
		s->tx_at = now + iv;
	return 0;
}

unsigned bfd_session_rx(struct bfd_session *s, const struct bfd_pkt *p, uint64_t now)
{
	unsigned ret = 0;

	if (s->state == BFD_STATE_ADMIN_DOWN)
		return 0;
	s->remote_disc = p->my_disc;
	s->remote_state = p->state;
	s->remote_min_rx = p->req_min_rx;
	s->remote_des_min_tx = p->des_min_tx;
	s->remote_mult = p->detect_mult;
	s->heard = true;
	/* The peer acknowledged what we advertise: it now times us by it. */
	if (s->polling && p->final) {
		s->polling = false;
		s->des_min_tx = s->adv_min_tx;
		s->req_min_rx = s->adv_min_rx;
	}
	if (bfd_session_fsm(s, (enum bfd_event)(p->state & 3)))
		ret |= BFD_RX_CHANGED | BFD_RX_SEND_NOW;
	if (s->state != BFD_STATE_ADMIN_DOWN)
		s->detect_at = now + bfd_session_detect_time(s);
	if (p->poll) {
		s->final_due = true;
		ret |= BFD_RX_SEND_NOW;
	}
	return ret | reschedule(s, now);
}

bool bfd_session_expire(struct bfd_session *s, uint64_t now)
{
	bool changed;

	if (s->detect_at == 0 || now < s->detect_at)
		return false;
	s->detect_at = 0;
	/* Section 6.8.1: the peer is gone, forget who it was; its wish for
	 * fewer packets (RemoteMinRx 0) is stale too, so an active session
	 * goes back to announcing itself. */
	s->remote_disc = 0;
	s->heard = false;
	s->remote_min_rx = 1;
	changed = bfd_session_fsm(s, EV_EXPIRED);
	reschedule(s, now);
	return changed;
}

void bfd_session_build(struct bfd_session *s, struct bfd_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->diag = s->diag;
	p->state = s->state;
	/* P and F never together (section 6.8.7): the Final goes out alone,
	 * the next periodic packet carries our Poll again. */
	if (s->final_due)
		p->final = true;
	else
		p->poll = s->polling;
	s->final_due = false;
	p->detect_mult = s->cfg.mult;
	p->my_disc = s->local_disc;
	p->your_disc = s->remote_disc;
	p->des_min_tx = s->adv_min_tx;
	p->req_min_rx = s->adv_min_rx;
	p->req_min_echo_rx = 0;   /* no echo function */
}

void bfd_session_sent(struct bfd_session *s, uint64_t now, uint32_t rnd)
{
	uint64_t iv = bfd_session_tx_interval(s);
	uint64_t lo, span;

	if (!bfd_session_may_send(s)) {
		s->tx_at = 0;
		return;
	}
	/* Section 6.8.7: reduce the interval by 0-25 %, or by 10-25 % with a
	 * multiplier of 1 so that a single late packet does not end the
	 * session. The reduction is lo + rnd/2^32 x span, below iv/4. */
	lo = s->cfg.mult == 1 ? (iv + 9) / 10 : 0;
	span = iv / 4 > lo ? iv / 4 - lo : 0;
	s->tx_at = now + iv - lo - ((span * rnd) >> 32);
}

void bfd_session_reconfigure(struct bfd_session *s, const struct bfd_session_cfg *cfg,
			     uint64_t now)
{
	uint64_t old_dt = bfd_session_detect_time(s), dt;

	s->cfg = *cfg;
	if (s->state != BFD_STATE_UP) {
		use_idle_intervals(s);
	} else if (s->adv_min_tx != cfg->min_tx || s->adv_min_rx != cfg->min_rx) {
		/* What cannot make the peer declare us down applies now (a
		 * faster TX: start_poll_to_up_intervals). */
		if (cfg->min_rx > s->req_min_rx)
			s->req_min_rx = cfg->min_rx;
		start_poll_to_up_intervals(s);
	}
	dt = bfd_session_detect_time(s);
	if (s->detect_at && dt > old_dt)
		s->detect_at += dt - old_dt;
	reschedule(s, now);
}

void bfd_session_admin_down(struct bfd_session *s)
{
	bfd_session_fsm(s, EV_ADMIN_DOWN);
}
