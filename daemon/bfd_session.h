/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_session.h - one BFD session's state machine and timers (RFC 5880), without I/O */
#ifndef KA_BFD_SESSION_H
#define KA_BFD_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "daemon/bfd_packet.h"

/*
 * The session logic is pure: the engine (bfd_engine.c) feeds it received
 * packets and the time (monotonic µs), asks it what to send and when, and
 * does the I/O. So every transition and timer rule is unit-testable.
 *
 * The engine's part: after bfd_session_init(), bfd_session_rx() and
 * bfd_session_expire() it re-arms its two timers from detect_at and tx_at
 * (0 = not armed; a tx_at already passed is due at once). It sends a packet
 * (bfd_session_build()) when rx asks for BFD_RX_SEND_NOW, when tx_at is
 * reached, and at start when bfd_session_may_send() allows it; after each
 * packet it sends it calls bfd_session_sent(), which schedules the next one
 * (or clears tx_at when periodic sending is not allowed).
 */

/* From a bfd_instance block. Intervals in µs. */
struct bfd_session_cfg {
	uint32_t min_tx;   /* desired min TX interval while Up (min_tx) */
	uint32_t min_rx;   /* required min RX interval (min_rx) */
	uint32_t idle_tx;  /* desired min TX interval while not Up (idle_tx, >= 1 s) */
	uint8_t mult;      /* detect multiplier (multiplier) */
	bool passive;      /* send nothing until the peer has been heard */
};

struct bfd_session {
	struct bfd_session_cfg cfg;
	uint8_t state;             /* enum bfd_state: bfd.SessionState */
	uint8_t remote_state;      /* bfd.RemoteSessionState */
	uint8_t diag;              /* bfd.LocalDiag */
	uint32_t local_disc;       /* bfd.LocalDiscr, never 0 */
	uint32_t remote_disc;      /* bfd.RemoteDiscr, 0 = not known */
	/* Intervals that timing uses now, and the ones advertised: they differ
	 * while a Poll Sequence is running (RFC 5880 section 6.8.3). */
	uint32_t des_min_tx, req_min_rx;
	uint32_t adv_min_tx, adv_min_rx;
	uint32_t remote_min_rx;    /* bfd.RemoteMinRxInterval (starts at 1) */
	uint32_t remote_des_min_tx;
	uint8_t remote_mult;
	bool polling;              /* our Poll Sequence is running: P in what we send */
	bool final_due;            /* the peer polled: the next packet carries F */
	bool heard;                /* a valid packet was received (passive role) */
	uint64_t detect_at;        /* detection time deadline, 0 = not armed */
	uint64_t tx_at;            /* next periodic packet, 0 = none scheduled */
};

/* What bfd_session_rx() reports (bit mask). */
#define BFD_RX_CHANGED  1u /* state changed: tell the consumers */
#define BFD_RX_SEND_NOW 2u /* send a packet at once, even when may_send() is false (a
			    * Final, a state change, or sending became allowed with
			    * nothing scheduled) */

/* Start a session in Down with the given (non-zero) local discriminator. */
void bfd_session_init(struct bfd_session *s, const struct bfd_session_cfg *cfg,
		      uint32_t local_disc);

/* A valid packet (already decoded and checked by bfd_pkt_decode) for this
 * session at time now: RFC 5880 section 6.8.6 from "If the A bit is clear"
 * on; the caller matched it to this session (Your Discriminator, or the
 * addresses while that is 0). Returns BFD_RX_* bits. Packets are ignored in
 * AdminDown. */
unsigned bfd_session_rx(struct bfd_session *s, const struct bfd_pkt *p, uint64_t now);

/* The detection time passed (now >= detect_at): Init/Up go Down with
 * "Control Detection Time Expired", the remote discriminator is forgotten.
 * Returns true if the state changed. */
bool bfd_session_expire(struct bfd_session *s, uint64_t now);

/* Whether a periodic packet may be sent now: not in passive role before the
 * peer is heard, not while the peer asks for no packets (RemoteMinRx 0). */
bool bfd_session_may_send(const struct bfd_session *s);

/* The packet to send now (periodic, or the answer to a Poll); clears final_due. */
void bfd_session_build(struct bfd_session *s, struct bfd_pkt *p);

/* A packet was sent at now: schedule tx_at, the interval less a random
 * 0-25 % (10-25 % with a multiplier of 1) taken from rnd (uniform over
 * 0..UINT32_MAX); tx_at = 0 when periodic sending is not allowed. */
void bfd_session_sent(struct bfd_session *s, uint64_t now, uint32_t rnd);

/* The periodic transmission interval: max(des_min_tx, remote_min_rx). */
uint64_t bfd_session_tx_interval(const struct bfd_session *s);

/* The detection time: remote_mult x max(req_min_rx, remote_des_min_tx). */
uint64_t bfd_session_detect_time(const struct bfd_session *s);

/* The bfd_instance changed (a reload) at now: RFC 5880 section 6.8.3. Not
 * Up (AdminDown included), the new intervals apply at once. Up, they are
 * advertised with a Poll Sequence; a faster TX rate and a longer required RX
 * (so a longer detection time) apply at once, a slower TX rate and a shorter
 * required RX once the peer's Final acknowledges them. tx_at and detect_at
 * may move: the engine re-arms its timers from them afterwards. */
void bfd_session_reconfigure(struct bfd_session *s, const struct bfd_session_cfg *cfg,
			     uint64_t now);

/* Go AdminDown (diag Administratively Down), for shutdown or removal: the
 * caller then sends one last packet, if bfd_session_may_send(), so the peer
 * goes Down at once. Received packets are ignored from then on. */
void bfd_session_admin_down(struct bfd_session *s);

#endif
