/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_vrrp_packet.c - libFuzzer target: arbitrary bytes into the VRRP decoder, both families */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vrrp/vrrp_packet.h"

/*
 * Input layout: byte 0 selects the options (family, unicast, checksum
 * variants, expected version, instance auth), IPv6 inputs then carry 32
 * bytes of source and destination address and one of hop limit; the rest
 * is the packet. Beyond "no crash, no out-of-bounds read", every advert that
 * decodes is re-encoded and must decode again to the same fields.
 */

/* Stand-in for HMAC-MD5: cheap, deterministic, and it reads every byte. */
static bool fake_hmac(const uint8_t key[VRRP_AUTH_LEN], const uint8_t *msg, size_t len,
		      uint8_t icv[VRRP_AH_ICV_LEN])
{
	size_t i;

	memset(icv, 0, VRRP_AH_ICV_LEN);
	for (i = 0; i < len; i++)
		icv[i % VRRP_AH_ICV_LEN] ^= (uint8_t)(msg[i] + key[i % VRRP_AUTH_LEN]);
	return true;
}

static void addr_of(struct ka_addr *a, sa_family_t family, const uint8_t *p)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	a->prefix = family == AF_INET ? 32 : 128;
	memcpy(&a->u, p, family == AF_INET ? 4 : 16);
}

/* Encode what was decoded and decode it again: the fields must survive. */
static void reencode(const struct vrrp_advert *adv, const struct vrrp_rx_meta *meta)
{
	static struct ka_addr addrs[VRRP_MAX_ADDRS];
	static uint8_t buf[VRRP_PKT_MAX];
	struct vrrp_pkt_params p = {
		.version = adv->version, .family = adv->family, .vrid = adv->vrid,
		.priority = adv->priority, .interval_cs = adv->interval_cs,
		.auth_type = adv->auth_type, .addrs = addrs, .naddr = adv->naddr,
		.src = adv->src, .dst = adv->dst, .ah_hmac = fake_hmac,
	};
	struct vrrp_rx_meta m2 = *meta;
	struct vrrp_advert again;
	const char *err;
	unsigned i;
	int n;

	m2.csum_accept = 0;
	m2.unicast = true;
	for (i = 0; i < adv->naddr; i++)
		vrrp_advert_addr(adv, i, &addrs[i]);
	if (adv->auth_data)
		memcpy(p.auth_data, adv->auth_data, VRRP_AUTH_LEN);
	if (adv->family == AF_INET)
		n = vrrp_pkt_build_ip4(&p, buf, sizeof(buf), &err);
	else
		n = vrrp_pkt_build(&p, buf, sizeof(buf), &err);
	if (n < 0)
		return;   /* e.g. v2 interval 0: decodable, not something we send */
	if (vrrp_pkt_parse(buf, (size_t)n, &m2, &again) != VRRP_OK)
		__builtin_trap();
	if (again.vrid != adv->vrid || again.priority != adv->priority ||
	    again.naddr != adv->naddr || again.interval_cs != adv->interval_cs ||
	    again.version != adv->version ||
	    memcmp(again.addrs, adv->addrs, (size_t)adv->naddr * (adv->family == AF_INET ? 4 : 16)))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t vip4[] = { 10, 99, 1, 10 };
	static const uint8_t vip6[] = { 0xfe, 0x80, [15] = 0x13 };
	struct vrrp_rx_meta meta = { .family = AF_INET, .hop_limit = -1 };
	struct vrrp_pkt_expect exp = { 0 };
	struct ka_addr vip, peer;
	struct vrrp_advert adv;
	uint8_t sel, scratch[VRRP_IP4_PKT_MAX + 40];

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	meta.unicast = sel & 0x02;
	if (sel & 0x04)
		meta.csum_accept |= VRRP_CSUM_ACCEPT_V3_AS_V2;
	if (sel & 0x08)
		meta.csum_accept |= VRRP_CSUM_ACCEPT_OLD_UNICAST;
	if ((sel & 0x30) == 0x20)
		meta.expect_version = 2;
	else if ((sel & 0x30) == 0x30)
		meta.expect_version = 3;
	addr_of(&meta.mcast_group, AF_INET, (const uint8_t[]){ 224, 0, 0, 18 });
	if (sel & 0x01) {
		if (size < 33)
			return 0;
		meta.family = AF_INET6;
		addr_of(&meta.src, AF_INET6, data);
		addr_of(&meta.dst, AF_INET6, data + 16);
		meta.hop_limit = data[32];
		data += 33;
		size -= 33;
	}
	vrrp_pkt_ah_icv_input(data, size, scratch, sizeof(scratch));
	if (vrrp_pkt_parse(data, size, &meta, &adv) != VRRP_OK)
		return 0;

	reencode(&adv, &meta);
	addr_of(&vip, adv.family, adv.family == AF_INET ? vip4 : vip6);
	peer = adv.src;
	exp.vrid = adv.vrid;
	exp.version = adv.version;
	exp.auth_type = (enum vrrp_pkt_auth)((sel >> 6) % 3);
	memcpy(exp.auth_data, "secret12", VRRP_AUTH_LEN);
	exp.interval_cs = adv.interval_cs;
	exp.vips = &vip;
	exp.nvips = 1;
	exp.unicast = meta.unicast;
	exp.check_unicast_src = sel & 0x80;
	exp.peers = &(struct vrrp_pkt_peer){ .addr = peer, .min_ttl = 0, .max_ttl = 255 };
	exp.npeers = 1;
	exp.csum_accept = meta.csum_accept;
	exp.ah_hmac = fake_hmac;
	vrrp_pkt_check_instance(&adv, &exp);
	exp.skip_addr_check = true;
	vrrp_pkt_check_instance(&adv, &exp);
	return 0;
}
