/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_packet.c - BFD control packet codec and the RFC 5880 section 6.8.6 checks */
#include <string.h>

#include "daemon/bfd_packet.h"

/*
 * The mandatory section (RFC 5880 section 4.1), network byte order:
 *   0: version (3 bits) | diagnostic (5 bits)
 *   1: state (2 bits) | P F C A D M
 *   2: detect multiplier   3: length
 *   4: my discriminator    8: your discriminator
 *  12: desired min TX     16: required min RX     20: required min echo RX
 */
#define F_POLL      0x20
#define F_FINAL     0x10
#define F_CPI       0x08
#define F_AUTH      0x04
#define F_DEMAND    0x02
#define F_MULTIPT   0x01
#define AUTH_MIN_LEN 26 /* mandatory section + the smallest authentication section */

static uint32_t get_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put_be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

enum bfd_pkt_err bfd_pkt_decode(const uint8_t *buf, size_t len, struct bfd_pkt *p)
{
	struct bfd_pkt d;
	unsigned pkt_len;

	if (!buf || len < BFD_PKT_LEN)
		return BFD_PKT_SHORT;
	/* Everything below reads only buf[0..24), which len covers. */
	if (buf[0] >> 5 != BFD_VERSION)
		return BFD_PKT_VERSION;

	memset(&d, 0, sizeof(d));
	d.diag = buf[0] & 0x1f;
	d.state = buf[1] >> 6;
	d.poll = buf[1] & F_POLL;
	d.final = buf[1] & F_FINAL;
	d.cpi = buf[1] & F_CPI;
	d.auth = buf[1] & F_AUTH;
	d.demand = buf[1] & F_DEMAND;
	d.multipoint = buf[1] & F_MULTIPT;
	d.detect_mult = buf[2];
	pkt_len = buf[3];
	d.my_disc = get_be32(buf + 4);
	d.your_disc = get_be32(buf + 8);
	d.des_min_tx = get_be32(buf + 12);
	d.req_min_rx = get_be32(buf + 16);
	d.req_min_echo_rx = get_be32(buf + 20);

	/* A Length longer than the datagram is a truncated packet; a shorter
	 * one leaves trailing bytes that are not part of it and are ignored. */
	if (pkt_len < (d.auth ? AUTH_MIN_LEN : BFD_PKT_LEN) || pkt_len > len)
		return BFD_PKT_LENGTH;
	if (d.detect_mult == 0)
		return BFD_PKT_MULT;
	if (d.multipoint)
		return BFD_PKT_MULTIPOINT;
	if (d.my_disc == 0)
		return BFD_PKT_MY_DISC;
	/* Only a Down or AdminDown sender may not know our discriminator yet. */
	if (d.your_disc == 0 && d.state != BFD_STATE_DOWN && d.state != BFD_STATE_ADMIN_DOWN)
		return BFD_PKT_YOUR_DISC;
	if (d.auth)
		return BFD_PKT_AUTH;
	*p = d;
	return BFD_PKT_OK;
}

size_t bfd_pkt_encode(const struct bfd_pkt *p, uint8_t *buf, size_t len)
{
	uint8_t flags = 0;

	if (!buf || len < BFD_PKT_LEN)
		return 0;
	if (p->poll)
		flags |= F_POLL;
	if (p->final)
		flags |= F_FINAL;
	if (p->cpi)
		flags |= F_CPI;
	if (p->auth)
		flags |= F_AUTH;
	if (p->demand)
		flags |= F_DEMAND;
	if (p->multipoint)
		flags |= F_MULTIPT;
	buf[0] = (uint8_t)(BFD_VERSION << 5 | (p->diag & 0x1f));
	buf[1] = (uint8_t)((p->state & 0x03) << 6 | flags);
	buf[2] = p->detect_mult;
	buf[3] = BFD_PKT_LEN;
	put_be32(buf + 4, p->my_disc);
	put_be32(buf + 8, p->your_disc);
	put_be32(buf + 12, p->des_min_tx);
	put_be32(buf + 16, p->req_min_rx);
	put_be32(buf + 20, p->req_min_echo_rx);
	return BFD_PKT_LEN;
}

const char *bfd_state_name(unsigned state)
{
	static const char *const names[] = {
		[BFD_STATE_ADMIN_DOWN] = "AdminDown",
		[BFD_STATE_DOWN] = "Down",
		[BFD_STATE_INIT] = "Init",
		[BFD_STATE_UP] = "Up",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

const char *bfd_diag_name(unsigned diag)
{
	static const char *const names[] = {
		[BFD_DIAG_NONE] = "No Diagnostic",
		[BFD_DIAG_DETECT_EXPIRED] = "Control Detection Time Expired",
		[BFD_DIAG_ECHO_FAILED] = "Echo Function Failed",
		[BFD_DIAG_NEIGHBOR_DOWN] = "Neighbor Signaled Session Down",
		[BFD_DIAG_FWD_RESET] = "Forwarding Plane Reset",
		[BFD_DIAG_PATH_DOWN] = "Path Down",
		[BFD_DIAG_CONCAT_DOWN] = "Concatenated Path Down",
		[BFD_DIAG_ADMIN_DOWN] = "Administratively Down",
		[BFD_DIAG_REV_CONCAT_DOWN] = "Reverse Concatenated Path Down",
	};

	return diag < sizeof(names) / sizeof(names[0]) ? names[diag] : "Reserved";
}

const char *bfd_pkt_err_name(enum bfd_pkt_err e)
{
	static const char *const names[BFD_PKT_ERR_MAX] = {
		[BFD_PKT_OK] = "ok",
		[BFD_PKT_SHORT] = "packet too short",
		[BFD_PKT_VERSION] = "bad version",
		[BFD_PKT_LENGTH] = "bad length",
		[BFD_PKT_MULT] = "zero detect multiplier",
		[BFD_PKT_MULTIPOINT] = "multipoint bit set",
		[BFD_PKT_MY_DISC] = "zero my discriminator",
		[BFD_PKT_YOUR_DISC] = "zero your discriminator",
		[BFD_PKT_AUTH] = "authentication not configured",
	};

	return (unsigned)e < BFD_PKT_ERR_MAX ? names[e] : "?";
}
