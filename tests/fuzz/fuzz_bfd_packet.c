/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_bfd_packet.c - libFuzzer target: datagrams into the BFD decoder, valid ones to a session */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "daemon/bfd_packet.h"
#include "daemon/bfd_session.h"

/*
 * Input layout: byte 0 selects the session (bit 0 passive, bit 1 multiplier
 * 1 instead of 3, bit 2 go AdminDown after the first valid packet, bits 3-7
 * the fake clock's step between datagrams, in 25 ms units); then datagrams,
 * each one length byte followed by that many bytes (the last one cut short
 * by the end of the input). A length of 0 stands for a reload instead: the
 * session gets other timers and role, chosen from the input.
 *
 * Beyond "no crash, no out-of-bounds read": every packet that decodes
 * encodes to a packet that decodes to the same fields; the session's own
 * packets always pass the receive checks and never carry P and F together;
 * the interval rules of RFC 5880 sections 6.8.3 and 6.8.7 hold after each
 * step.
 */

#define LOCAL_DISC 0x4b41u
#define IDLE_TX_MIN 1000000u

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static bool same_pkt(const struct bfd_pkt *a, const struct bfd_pkt *b)
{
	return a->diag == b->diag && a->state == b->state && a->poll == b->poll &&
	       a->final == b->final && a->cpi == b->cpi && a->auth == b->auth &&
	       a->demand == b->demand && a->multipoint == b->multipoint &&
	       a->detect_mult == b->detect_mult && a->my_disc == b->my_disc &&
	       a->your_disc == b->your_disc && a->des_min_tx == b->des_min_tx &&
	       a->req_min_rx == b->req_min_rx && a->req_min_echo_rx == b->req_min_echo_rx;
}

/* What decodes must survive an encode and a second decode unchanged. */
static void check_reencode(const struct bfd_pkt *p)
{
	uint8_t buf[BFD_PKT_LEN];
	struct bfd_pkt again;

	check(!p->auth && !p->multipoint && p->detect_mult && p->my_disc);
	check(bfd_pkt_encode(p, buf, sizeof(buf)) == BFD_PKT_LEN);
	check(bfd_pkt_decode(buf, sizeof(buf), &again) == BFD_PKT_OK);
	check(same_pkt(p, &again));
}

/* Send what the session wants sent now, as the engine would, and check it. */
static void send_one(struct bfd_session *s, uint64_t now, uint32_t rnd)
{
	uint8_t buf[BFD_PKT_LEN];
	struct bfd_pkt p, back;
	uint64_t iv, d;

	bfd_session_build(s, &p);
	check(!(p.poll && p.final));
	check(!s->final_due);
	check(bfd_pkt_encode(&p, buf, sizeof(buf)) == BFD_PKT_LEN);
	check(bfd_pkt_decode(buf, sizeof(buf), &back) == BFD_PKT_OK);
	check(back.state == s->state && back.my_disc == LOCAL_DISC);
	bfd_session_sent(s, now, rnd);
	if (!bfd_session_may_send(s)) {
		check(s->tx_at == 0);
		return;
	}
	iv = bfd_session_tx_interval(s);
	d = s->tx_at - now;
	check(d * 4 >= iv * 3 && d <= iv);
	if (s->cfg.mult == 1)
		check(d * 10 <= iv * 9);
}

static void check_session(const struct bfd_session *s)
{
	check(s->state <= BFD_STATE_UP);
	check(s->local_disc == LOCAL_DISC);
	/* Init and Up only with a known peer: our packets stay valid. */
	if (s->state == BFD_STATE_INIT || s->state == BFD_STATE_UP)
		check(s->remote_disc != 0);
	if (s->state == BFD_STATE_UP) {
		check(s->adv_min_tx == s->cfg.min_tx);
		if (!s->polling)
			check(s->des_min_tx == s->cfg.min_tx);
	} else {
		uint32_t idle = s->cfg.idle_tx < IDLE_TX_MIN ? IDLE_TX_MIN : s->cfg.idle_tx;

		check(!s->polling);
		check(s->des_min_tx == idle && s->adv_min_tx == idle);
	}
	if (s->state == BFD_STATE_ADMIN_DOWN)
		check(s->detect_at == 0 && s->diag == BFD_DIAG_ADMIN_DOWN);
	if (!bfd_session_may_send(s))
		check(s->tx_at == 0);
}

/* A reload: timers from 1 to 256 ms (idle 0.1 to 25.6 s), multiplier 1 to
 * 4, the role flipped now and then. */
static void reload(struct bfd_session *s, uint32_t rnd, uint64_t now)
{
	struct bfd_session_cfg c = s->cfg;

	c.min_tx = ((rnd & 0xff) + 1) * 1000;
	c.min_rx = (((rnd >> 8) & 0xff) + 1) * 1000;
	c.idle_tx = (((rnd >> 16) & 0xff) + 1) * 100000;
	c.mult = (uint8_t)(((rnd >> 24) & 3) + 1);
	if (rnd & 0x10000000u)
		c.passive = !c.passive;
	bfd_session_reconfigure(s, &c, now);
	check(s->cfg.min_tx == c.min_tx && s->cfg.passive == c.passive);
	if (s->state == BFD_STATE_UP && s->des_min_tx > c.min_tx)
		check(s->polling);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bfd_session_cfg cfg = { .min_tx = 40000, .min_rx = 50000, .idle_tx = 300000 };
	struct bfd_session s;
	uint64_t now = 1000000, step;
	bool admin_down;
	uint32_t rnd = 0;
	size_t n;

	if (size < 1)
		return 0;
	cfg.passive = data[0] & 1;
	cfg.mult = data[0] & 2 ? 1 : 3;
	admin_down = data[0] & 4;
	step = (uint64_t)(data[0] >> 3) * 25000;
	data++;
	size--;
	bfd_session_init(&s, &cfg, LOCAL_DISC);
	if (bfd_session_may_send(&s))
		send_one(&s, now, rnd);

	while (size > 0) {
		struct bfd_pkt p;
		enum bfd_pkt_err e;
		unsigned ret;

		n = data[0] < size - 1 ? data[0] : size - 1;
		e = bfd_pkt_decode(data + 1, n, &p);
		check((unsigned)e < BFD_PKT_ERR_MAX && bfd_pkt_err_name(e));
		rnd = rnd * 1664525u + 1013904223u + (n ? data[1] : 0);
		data += n + 1;
		size -= n + 1;

		now += step;
		if (s.detect_at && now >= s.detect_at) {
			uint8_t before = s.state;
			bool changed = bfd_session_expire(&s, now);

			check(changed == (before != s.state));
			check(s.detect_at == 0);
			if (before != s.state)
				check(s.diag == BFD_DIAG_DETECT_EXPIRED);
		}
		if (s.tx_at && now >= s.tx_at)
			send_one(&s, now, rnd);
		if (n == 0) {
			reload(&s, rnd, now);
			check_session(&s);
			continue;
		}
		if (e != BFD_PKT_OK)
			continue;
		check(bfd_state_name(p.state)[0] != '?' && bfd_diag_name(p.diag));
		check_reencode(&p);

		ret = bfd_session_rx(&s, &p, now);
		check(!(ret & ~(BFD_RX_CHANGED | BFD_RX_SEND_NOW)));
		if (s.state != BFD_STATE_ADMIN_DOWN) {
			check(s.remote_disc == p.my_disc && s.remote_mult == p.detect_mult);
			check(s.detect_at == now + bfd_session_detect_time(&s));
		} else {
			check(ret == 0);
		}
		check_session(&s);
		if (ret & BFD_RX_SEND_NOW)
			send_one(&s, now, rnd);
		check_session(&s);
		if (admin_down) {
			admin_down = false;
			bfd_session_admin_down(&s);
			check_session(&s);
			if (bfd_session_may_send(&s))
				send_one(&s, now, rnd);
		}
	}
	return 0;
}
