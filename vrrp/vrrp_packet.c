/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_packet.c - VRRPv2/v3 advertisement encoder and validating decoder */
#include <string.h>

#include "inet_csum.h"
#include "vrrp/vrrp_packet.h"

/* Enough for an AH packet even with a maximal (60-byte) IPv4 header. */
#define AH_SCRATCH_MAX (VRRP_IP4_PKT_MAX + 40)

static const char *const drop_names[VRRP_DROP_MAX] = {
	[VRRP_OK] = "ok",
	[VRRP_DROP_SHORT] = "short",
	[VRRP_DROP_IP] = "ip-header",
	[VRRP_DROP_PROTO] = "protocol",
	[VRRP_DROP_AH] = "ah-header",
	[VRRP_DROP_TTL] = "ttl",
	[VRRP_DROP_VERSION] = "version",
	[VRRP_DROP_TYPE] = "type",
	[VRRP_DROP_ADDR_COUNT] = "addr-count",
	[VRRP_DROP_LENGTH] = "length",
	[VRRP_DROP_CHECKSUM] = "checksum",
	[VRRP_DROP_VRID] = "vrid",
	[VRRP_DROP_AUTH_TYPE] = "auth-type",
	[VRRP_DROP_AUTH] = "auth",
	[VRRP_DROP_INTERVAL] = "interval",
	[VRRP_DROP_DST] = "destination",
	[VRRP_DROP_ADDR_LIST] = "addr-list",
	[VRRP_DROP_SRC] = "source",
};

const char *vrrp_drop_str(enum vrrp_drop reason)
{
	if ((unsigned)reason >= VRRP_DROP_MAX)
		return "unknown";
	return drop_names[reason];
}

/* ---- small helpers ------------------------------------------------------ */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static size_t addr_len(sa_family_t family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* The pseudo header of an advert sent from src to dst (IPv4 or IPv6). */
static uint32_t pseudo_sum(const struct ka_addr *src, const struct ka_addr *dst, size_t vlen)
{
	return inet_csum_pseudo(&src->u, &dst->u, addr_len(src->family), VRRP_IPPROTO,
				(uint32_t)vlen);
}

/* Compare without an early exit, so timing does not reveal a prefix match. */
static bool ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t diff = 0;
	size_t i;

	for (i = 0; i < n; i++)
		diff |= (uint8_t)(a[i] ^ b[i]);
	return diff == 0;
}

static bool addr_is_multicast(const struct ka_addr *a)
{
	if (a->family == AF_INET)
		return (((const uint8_t *)&a->u.v4)[0] & 0xf0) == 0xe0;
	return a->u.v6.s6_addr[0] == 0xff;
}

static void addr_from_bytes(struct ka_addr *a, sa_family_t family, const uint8_t *p)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	a->prefix = family == AF_INET6 ? 128 : 32;
	memcpy(&a->u, p, addr_len(family));
}

void vrrp_pkt_auth_data(uint8_t out[VRRP_AUTH_LEN], const char *pass)
{
	size_t i;

	memset(out, 0, VRRP_AUTH_LEN);
	for (i = 0; pass && i < VRRP_AUTH_LEN && pass[i]; i++)
		out[i] = (uint8_t)pass[i];
}

size_t vrrp_pkt_len(unsigned version, sa_family_t family, size_t naddr)
{
	return VRRP_HDR_LEN + naddr * addr_len(family) + (version == 2 ? VRRP_AUTH_LEN : 0);
}

/* ---- building ----------------------------------------------------------- */

static const char *check_version_params(const struct vrrp_pkt_params *p)
{
	if (p->version == 2) {
		if (p->family != AF_INET)
			return "VRRPv2 is IPv4 only";
		if (p->interval_cs % 100 || p->interval_cs < 100 || p->interval_cs > 25500)
			return "VRRPv2 advert interval must be 1..255 whole seconds";
		if ((unsigned)p->auth_type > VRRP_PKT_AUTH_AH)
			return "unknown authentication type";
		return NULL;
	}
	if (p->version != 3)
		return "VRRP version must be 2 or 3";
	if (p->family != AF_INET && p->family != AF_INET6)
		return "address family must be IPv4 or IPv6";
	if (p->interval_cs < 1 || p->interval_cs > VRRP_V3_MAX_INT_CS)
		return "VRRPv3 advert interval must be 1..4095 centiseconds";
	if (p->auth_type != VRRP_PKT_AUTH_NONE)
		return "VRRPv3 has no authentication";
	if (p->src.family != p->family || p->dst.family != p->family)
		return "source/destination address family differs from the instance";
	if (p->csum_dst.family != AF_UNSPEC && p->csum_dst.family != p->family)
		return "checksum destination family differs from the instance";
	return NULL;
}

static const char *check_params(const struct vrrp_pkt_params *p)
{
	const char *e = check_version_params(p);
	size_t i;

	if (e)
		return e;
	if (p->vrid == 0)
		return "VRID must be 1..255";
	if (p->naddr > VRRP_MAX_ADDRS)
		return "more than 255 addresses";
	if (p->naddr && !p->addrs)
		return "address list missing";
	for (i = 0; i < p->naddr; i++) {
		if (p->addrs[i].family != p->family)
			return "address family differs from the instance";
	}
	return NULL;
}

/* Write the message; parameters already checked, buf large enough. */
static size_t write_msg(const struct vrrp_pkt_params *p, uint8_t *buf)
{
	size_t alen = addr_len(p->family), len = vrrp_pkt_len(p->version, p->family, p->naddr);
	uint8_t *q = buf + VRRP_HDR_LEN;
	uint32_t acc;
	size_t i;

	buf[0] = (uint8_t)(p->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = p->vrid;
	buf[2] = p->priority;
	buf[3] = (uint8_t)p->naddr;
	if (p->version == 2) {
		buf[4] = (uint8_t)p->auth_type;
		buf[5] = (uint8_t)(p->interval_cs / 100);
	} else {
		put16(buf + 4, p->interval_cs & 0x0fff);
	}
	put16(buf + 6, 0);
	for (i = 0; i < p->naddr; i++, q += alen)
		memcpy(q, &p->addrs[i].u, alen);
	if (p->version == 2) {
		/* Only PASS carries the password; AH and none send zeros. */
		if (p->auth_type == VRRP_PKT_AUTH_PASS)
			memcpy(q, p->auth_data, VRRP_AUTH_LEN);
		else
			memset(q, 0, VRRP_AUTH_LEN);
	}

	acc = inet_csum_add(0, buf, len);
	if (p->version == 3 && !(p->family == AF_INET && p->v3_checksum_as_v2)) {
		const struct ka_addr *dst = p->csum_dst.family ? &p->csum_dst : &p->dst;
		acc += pseudo_sum(&p->src, dst, len);
	}
	put16(buf + 6, inet_csum_fold(acc));
	return len;
}

int vrrp_pkt_build(const struct vrrp_pkt_params *p, uint8_t *buf, size_t buflen,
		   const char **err)
{
	const char *e = check_params(p);

	if (!e && buflen < vrrp_pkt_len(p->version, p->family, p->naddr))
		e = "buffer too small";
	if (e) {
		*err = e;
		return -1;
	}
	return (int)write_msg(p, buf);
}

int vrrp_pkt_build_ip4(const struct vrrp_pkt_params *p, uint8_t *buf, size_t buflen,
		       const char **err)
{
	bool ah = p->version == 2 && p->auth_type == VRRP_PKT_AUTH_AH;
	size_t hlen = VRRP_IP4_HDR_LEN + (ah ? VRRP_AH_LEN : 0), total = 0;
	const char *e = check_params(p);

	if (!e && p->family != AF_INET)
		e = "not an IPv4 instance";
	else if (!e && (p->src.family != AF_INET || p->dst.family != AF_INET))
		e = "source/destination must be IPv4 addresses";
	else if (!e && ah && !p->ah_hmac)
		e = "AH authentication needs an HMAC function";
	if (!e)
		total = hlen + vrrp_pkt_len(p->version, p->family, p->naddr);
	if (!e && buflen < total)
		e = "buffer too small";
	if (e) {
		*err = e;
		return -1;
	}

	write_msg(p, buf + hlen);
	buf[0] = 0x45;                  /* version 4, 5 words */
	buf[1] = 0;                     /* ToS is set after the ICV, which excludes it */
	put16(buf + 2, (uint16_t)total);
	put16(buf + 4, p->ip_id);
	put16(buf + 6, 0);              /* keepalived sets neither DF nor a fragment */
	buf[8] = p->ttl ? p->ttl : VRRP_TTL;
	buf[9] = ah ? VRRP_IPPROTO_AH : VRRP_IPPROTO;
	put16(buf + 10, 0);
	memcpy(buf + 12, &p->src.u.v4, 4);
	memcpy(buf + 16, &p->dst.u.v4, 4);
	if (ah) {
		uint8_t *h = buf + VRRP_IP4_HDR_LEN;

		h[0] = VRRP_IPPROTO;
		h[1] = (VRRP_AH_LEN / 4) - 2;   /* RFC 2402 length: 32-bit words minus 2 */
		put16(h + 2, 0);
		memcpy(h + 4, &p->src.u.v4, 4); /* SPI = our address, as keepalived does */
		put32(h + 8, p->ah_seq);
		memset(h + 12, 0, VRRP_AH_ICV_LEN);
		/* ToS and checksum are still zero and the ICV empty: exactly the
		 * bytes the ICV covers. */
		if (!p->ah_hmac(p->auth_data, buf, total, h + 12)) {
			*err = "AH ICV computation failed";
			return -1;
		}
	}
	buf[1] = VRRP_TOS;
	put16(buf + 10, inet_csum_fold(inet_csum_add(0, buf, VRRP_IP4_HDR_LEN)));
	return (int)total;
}

/* ---- parsing ------------------------------------------------------------ */

/* IPv4 header and optional AH header; *off is set to the VRRP message. */
static enum vrrp_drop parse_ip4(const uint8_t *buf, size_t len, const struct vrrp_rx_meta *meta,
				struct vrrp_advert *adv, size_t *off)
{
	size_t ihl;

	if (len < VRRP_IP4_HDR_LEN)
		return VRRP_DROP_SHORT;
	if (buf[0] >> 4 != 4 || (buf[0] & 0x0f) < 5)
		return VRRP_DROP_IP;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (len < ihl)
		return VRRP_DROP_SHORT;
	addr_from_bytes(&adv->src, AF_INET, buf + 12);
	addr_from_bytes(&adv->dst, AF_INET, buf + 16);
	adv->ttl = buf[8];
	if (get16(buf + 2) > len)
		return VRRP_DROP_SHORT;
	if (get16(buf + 2) < len)
		return VRRP_DROP_LENGTH;

	*off = ihl;
	if (buf[9] == VRRP_IPPROTO_AH) {
		const uint8_t *h = buf + ihl;

		if (len < ihl + VRRP_AH_LEN)
			return VRRP_DROP_SHORT;
		if (h[0] != VRRP_IPPROTO)
			return VRRP_DROP_PROTO;
		if (h[1] != VRRP_AH_LEN / 4 - 2)
			return VRRP_DROP_AH;
		adv->has_ah = true;
		adv->ah_spi = get32(h + 4);
		adv->ah_seq = get32(h + 8);
		adv->ah_icv = h + 12;
		*off += VRRP_AH_LEN;
	} else if (buf[9] != VRRP_IPPROTO) {
		return VRRP_DROP_PROTO;
	}
	if (!meta->unicast && adv->ttl != VRRP_TTL)
		return VRRP_DROP_TTL;
	return VRRP_OK;
}

static enum vrrp_drop parse_ip6(const struct vrrp_rx_meta *meta, struct vrrp_advert *adv)
{
	if (meta->src.family != AF_INET6 || meta->dst.family != AF_INET6)
		return VRRP_DROP_IP;
	adv->src = meta->src;
	adv->dst = meta->dst;
	adv->ttl = meta->hop_limit;
	if (!meta->unicast && adv->ttl != -1 && adv->ttl != VRRP_TTL)
		return VRRP_DROP_TTL;
	return VRRP_OK;
}

static enum vrrp_drop check_csum(struct vrrp_advert *adv, const struct vrrp_rx_meta *meta)
{
	uint32_t body = inet_csum_add(0, adv->vrrp, adv->vrrp_len);
	bool v4 = adv->family == AF_INET;

	adv->csum = VRRP_CSUM_STD;
	if (adv->version == 2)
		return inet_csum_fold(body) == 0 ? VRRP_OK : VRRP_DROP_CHECKSUM;
	if (inet_csum_fold(body + pseudo_sum(&adv->src, &adv->dst, adv->vrrp_len)) == 0)
		return VRRP_OK;
	if (v4 && (meta->csum_accept & VRRP_CSUM_ACCEPT_V3_AS_V2) && inet_csum_fold(body) == 0) {
		adv->csum = VRRP_CSUM_V3_AS_V2;
		return VRRP_OK;
	}
	if (v4 && (meta->csum_accept & VRRP_CSUM_ACCEPT_OLD_UNICAST) &&
	    meta->mcast_group.family == AF_INET &&
	    inet_csum_fold(body + pseudo_sum(&adv->src, &meta->mcast_group, adv->vrrp_len)) == 0) {
		adv->csum = VRRP_CSUM_OLD_UNICAST;
		return VRRP_OK;
	}
	return VRRP_DROP_CHECKSUM;
}

/* The VRRP message itself: version, type, lengths, checksum. */
static enum vrrp_drop parse_msg(const struct vrrp_rx_meta *meta, struct vrrp_advert *adv)
{
	const uint8_t *v = adv->vrrp;
	size_t need;

	if (adv->vrrp_len < VRRP_HDR_LEN)
		return VRRP_DROP_SHORT;
	adv->version = v[0] >> 4;
	adv->vrid = v[1];
	adv->priority = v[2];
	adv->naddr = v[3];
	adv->checksum = get16(v + 6);
	if (adv->version != 2 && adv->version != 3)
		return VRRP_DROP_VERSION;
	if (meta->expect_version && adv->version != meta->expect_version)
		return VRRP_DROP_VERSION;
	if (adv->version == 2 && adv->family != AF_INET)
		return VRRP_DROP_VERSION;
	if ((v[0] & 0x0f) != VRRP_TYPE_ADVERT)
		return VRRP_DROP_TYPE;
	if (adv->version == 2) {
		adv->auth_type = v[4];
		adv->interval_cs = (uint16_t)(v[5] * 100);
	} else {
		/* the 4 reserved bits are ignored on receipt (RFC 5798 5.2.7) */
		adv->interval_cs = get16(v + 4) & 0x0fff;
	}

	need = vrrp_pkt_len(adv->version, adv->family, adv->naddr);
	if (adv->vrrp_len < need)
		return VRRP_DROP_ADDR_COUNT;
	if (adv->vrrp_len > need)
		return VRRP_DROP_LENGTH;
	adv->addrs = v + VRRP_HDR_LEN;
	if (adv->version == 2)
		adv->auth_data = v + need - VRRP_AUTH_LEN;
	return check_csum(adv, meta);
}

enum vrrp_drop vrrp_pkt_parse(const uint8_t *buf, size_t len, const struct vrrp_rx_meta *meta,
			      struct vrrp_advert *adv)
{
	enum vrrp_drop r;
	size_t off = 0;

	memset(adv, 0, sizeof(*adv));
	adv->pkt = buf;
	adv->pkt_len = len;
	adv->family = meta->family;
	adv->ttl = -1;
	if (meta->family == AF_INET)
		r = parse_ip4(buf, len, meta, adv, &off);
	else if (meta->family == AF_INET6)
		r = parse_ip6(meta, adv);
	else
		r = VRRP_DROP_IP;
	if (r != VRRP_OK)
		return r;
	adv->vrrp = buf + off;
	adv->vrrp_len = len - off;
	return parse_msg(meta, adv);
}

void vrrp_advert_addr(const struct vrrp_advert *adv, unsigned i, struct ka_addr *out)
{
	addr_from_bytes(out, adv->family, adv->addrs + (size_t)i * addr_len(adv->family));
}

size_t vrrp_pkt_ah_icv_input(const uint8_t *pkt, size_t len, uint8_t *out, size_t outlen)
{
	size_t ihl;

	if (len < VRRP_IP4_HDR_LEN || pkt[0] >> 4 != 4 || pkt[9] != VRRP_IPPROTO_AH)
		return 0;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < VRRP_IP4_HDR_LEN || len < ihl + VRRP_AH_LEN || len > outlen)
		return 0;
	memcpy(out, pkt, len);
	out[1] = 0;                                     /* ToS */
	put16(out + 10, 0);                             /* header checksum */
	memset(out + ihl + 12, 0, VRRP_AH_ICV_LEN);     /* the ICV itself */
	return len;
}

/* ---- instance checks ---------------------------------------------------- */

static enum vrrp_drop check_ah(const struct vrrp_advert *adv, const struct vrrp_pkt_expect *exp)
{
	uint8_t scratch[AH_SCRATCH_MAX], icv[VRRP_AH_ICV_LEN];
	size_t n;

	if (!exp->ah_hmac)
		return VRRP_DROP_AUTH;  /* fail closed: nobody can verify it */
	n = vrrp_pkt_ah_icv_input(adv->pkt, adv->pkt_len, scratch, sizeof(scratch));
	if (!n)
		return VRRP_DROP_AUTH;
	if (!exp->ah_hmac(exp->auth_data, scratch, n, icv))
		return VRRP_DROP_AUTH;
	return ct_equal(icv, adv->ah_icv, VRRP_AH_ICV_LEN) ? VRRP_OK : VRRP_DROP_AUTH;
}

static enum vrrp_drop check_auth(const struct vrrp_advert *adv, const struct vrrp_pkt_expect *exp)
{
	if (adv->version == 3)
		return adv->has_ah || exp->auth_type != VRRP_PKT_AUTH_NONE ?
			VRRP_DROP_AUTH_TYPE : VRRP_OK;
	if (adv->auth_type > VRRP_PKT_AUTH_AH || adv->auth_type != exp->auth_type)
		return VRRP_DROP_AUTH_TYPE;
	/* The AH header and the auth type field must agree. */
	if (adv->has_ah != (exp->auth_type == VRRP_PKT_AUTH_AH))
		return VRRP_DROP_AUTH_TYPE;
	if (exp->auth_type == VRRP_PKT_AUTH_PASS)
		return ct_equal(adv->auth_data, exp->auth_data, VRRP_AUTH_LEN) ?
			VRRP_OK : VRRP_DROP_AUTH;
	if (exp->auth_type == VRRP_PKT_AUTH_AH)
		return check_ah(adv, exp);
	return VRRP_OK;
}

/* Same count, and every VIP of ours present somewhere in the advert. */
static bool addr_list_matches(const struct vrrp_advert *adv, const struct vrrp_pkt_expect *exp)
{
	size_t alen = addr_len(adv->family), i, j;

	if (adv->naddr != exp->nvips)
		return false;
	for (i = 0; i < exp->nvips; i++) {
		const struct ka_addr *vip = &exp->vips[i];
		bool found = false;

		if (vip->family != adv->family)
			return false;
		for (j = 0; j < adv->naddr && !found; j++)
			found = memcmp(adv->addrs + j * alen, &vip->u, alen) == 0;
		if (!found)
			return false;
	}
	return true;
}

static enum vrrp_drop check_peer(const struct vrrp_advert *adv, const struct vrrp_pkt_expect *exp)
{
	size_t i;

	for (i = 0; i < exp->npeers; i++) {
		const struct vrrp_pkt_peer *peer = &exp->peers[i];

		if (!ka_addr_equal(&peer->addr, &adv->src))
			continue;
		if (adv->ttl != -1 && (adv->ttl < peer->min_ttl || adv->ttl > peer->max_ttl))
			return VRRP_DROP_TTL;
		return VRRP_OK;
	}
	return VRRP_DROP_SRC;
}

enum vrrp_drop vrrp_pkt_check_instance(struct vrrp_advert *adv, const struct vrrp_pkt_expect *exp)
{
	enum vrrp_drop r;

	adv->addr_mismatch = false;
	if (adv->vrid != exp->vrid)
		return VRRP_DROP_VRID;
	if (adv->version != exp->version)
		return VRRP_DROP_VERSION;
	if (adv->csum != VRRP_CSUM_STD && !(exp->csum_accept & (1u << adv->csum)))
		return VRRP_DROP_CHECKSUM;
	if ((r = check_auth(adv, exp)) != VRRP_OK)
		return r;
	/* RFC 3768 7.1: a v2 interval mismatch must be dropped; v3 backups
	 * adopt the master's interval instead. */
	if (adv->version == 2 && adv->interval_cs != exp->interval_cs)
		return VRRP_DROP_INTERVAL;
	if (addr_is_multicast(&adv->dst) == exp->unicast)
		return VRRP_DROP_DST;
	if (exp->skip_addr_check)
		return VRRP_OK;
	if (!addr_list_matches(adv, exp)) {
		adv->addr_mismatch = true;
		return VRRP_DROP_ADDR_LIST;
	}
	if (exp->unicast && exp->check_unicast_src)
		return check_peer(adv, exp);
	return VRRP_OK;
}
