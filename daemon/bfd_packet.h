/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_packet.h - BFD control packets (RFC 5880 section 4.1): encode, decode, validate */
#ifndef KA_BFD_PACKET_H
#define KA_BFD_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BFD_PORT          3784  /* single hop (RFC 5881) */
#define BFD_PORT_MULTIHOP 4784  /* RFC 5883 */
#define BFD_SRC_PORT_MIN  49152 /* RFC 5881 section 4: source ports */
#define BFD_SRC_PORT_MAX  65535
#define BFD_PKT_LEN       24    /* the mandatory section; no authentication */
#define BFD_VERSION       1

enum bfd_state {
	BFD_STATE_ADMIN_DOWN = 0,
	BFD_STATE_DOWN = 1,
	BFD_STATE_INIT = 2,
	BFD_STATE_UP = 3,
};

/* Diagnostic codes (RFC 5880 section 4.1). */
enum bfd_diag {
	BFD_DIAG_NONE = 0,
	BFD_DIAG_DETECT_EXPIRED = 1,
	BFD_DIAG_ECHO_FAILED = 2,
	BFD_DIAG_NEIGHBOR_DOWN = 3,
	BFD_DIAG_FWD_RESET = 4,
	BFD_DIAG_PATH_DOWN = 5,
	BFD_DIAG_CONCAT_DOWN = 6,
	BFD_DIAG_ADMIN_DOWN = 7,
	BFD_DIAG_REV_CONCAT_DOWN = 8,
};

/* The decoded mandatory section. Intervals are in microseconds, as on the wire. */
struct bfd_pkt {
	uint8_t diag;              /* enum bfd_diag */
	uint8_t state;             /* enum bfd_state */
	bool poll, final, cpi, auth, demand, multipoint;
	uint8_t detect_mult;
	uint32_t my_disc, your_disc;
	uint32_t des_min_tx, req_min_rx, req_min_echo_rx;
};

/* Why a packet was discarded (RFC 5880 section 6.8.6, in its order), for counters. */
enum bfd_pkt_err {
	BFD_PKT_OK = 0,
	BFD_PKT_SHORT,         /* datagram shorter than the 24-byte mandatory section */
	BFD_PKT_VERSION,       /* version is not 1 */
	BFD_PKT_LENGTH,        /* Length < 24 (26 with the A bit), or > the datagram
				 * (truncated); bytes after Length are ignored */
	BFD_PKT_MULT,          /* Detect Mult is 0 */
	BFD_PKT_MULTIPOINT,    /* M bit set */
	BFD_PKT_MY_DISC,       /* My Discriminator is 0 */
	BFD_PKT_YOUR_DISC,     /* Your Discriminator 0 while State is not Down/AdminDown */
	BFD_PKT_AUTH,          /* A bit set: we run no authentication */
	BFD_PKT_ERR_MAX,
};

/* Decode and check the packet in buf[0..len). Returns BFD_PKT_OK, and p
 * filled, or the first failed check. Never reads outside buf. */
enum bfd_pkt_err bfd_pkt_decode(const uint8_t *buf, size_t len, struct bfd_pkt *p);

/* Encode p into buf (at least BFD_PKT_LEN bytes). Returns the length written
 * (BFD_PKT_LEN), or 0 when len is too small. */
size_t bfd_pkt_encode(const struct bfd_pkt *p, uint8_t *buf, size_t len);

/* "Up", "Down", "Init", "AdminDown"; "?" for anything else. */
const char *bfd_state_name(unsigned state);
/* A short text for a diagnostic code ("Control Detection Time Expired", ...). */
const char *bfd_diag_name(unsigned diag);
/* A short text for a decode error, for logs and counters. */
const char *bfd_pkt_err_name(enum bfd_pkt_err e);

#endif
