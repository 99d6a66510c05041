/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_packet.h - VRRPv2/v3 advertisement encoder and validating decoder */
#ifndef KA_VRRP_PACKET_H
#define KA_VRRP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * Pure functions: no I/O, no logging, no allocation. Every byte layout below
 * was checked against adverts captured from keepalived 2.2.7 (see
 * tests/unit/test_vrrp_packet.c).
 *
 * Wire format (RFC 3768 for v2, RFC 5798 for v3):
 *   byte 0   version << 4 | type (1 = advertisement)
 *   byte 1   VRID
 *   byte 2   priority (0 = master stopping, 255 = address owner)
 *   byte 3   count of addresses
 *   v2: byte 4 auth type, byte 5 advert interval in seconds
 *   v3: bytes 4-5 4 reserved bits + 12-bit max advert interval in centiseconds
 *   bytes 6-7 checksum; then the addresses; v2 ends with 8 bytes of auth data.
 * v2 is IPv4 only. The v2 checksum covers the VRRP message; the v3 one also
 * covers the IPv4/IPv6 pseudo header (src, dst, protocol 112, VRRP length).
 *
 * IPv4 adverts are sent through an IP_HDRINCL raw socket with the header
 * keepalived uses: ToS 0xc0, no DF, TTL 255, identification from a
 * per-instance counter starting at 1. For IPv6 the kernel builds the header:
 * the sender sets hop limit 255 and traffic class 0xc0 by socket option.
 *
 * v2 "AH" authentication puts an IPsec-AH-like header (24 bytes) between the
 * IPv4 header and the VRRP message: next header 112, length field 4, SPI =
 * the sender's IPv4 address, a sequence number, and a 12-byte ICV that is
 * HMAC-MD5-96 keyed with the 8-byte (NUL padded) auth_pass over: the IPv4
 * header with ToS and header checksum zeroed (TTL and id kept), the AH header
 * with the ICV zeroed, and the VRRP message. The codec frames and unframes
 * this; the HMAC itself comes from the caller (see vrrp_ah_hmac_fn), which
 * keeps this file free of a crypto library.
 */

#define VRRP_IPPROTO        112
#define VRRP_IPPROTO_AH     51
#define VRRP_TTL            255
#define VRRP_TOS            0xc0
#define VRRP_TYPE_ADVERT    1
#define VRRP_HDR_LEN        8
#define VRRP_AUTH_LEN       8     /* v2 auth data */
#define VRRP_AH_LEN         24    /* AH header with a 96-bit ICV */
#define VRRP_AH_ICV_LEN     12
#define VRRP_IP4_HDR_LEN    20
#define VRRP_MAX_ADDRS      255   /* the count field is 8 bits */
#define VRRP_V3_MAX_INT_CS  4095  /* 12 bits of centiseconds */
/* Largest VRRP message (v3 with 255 IPv6 addresses) and IPv4 packet. */
#define VRRP_PKT_MAX        (VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16)
#define VRRP_IP4_PKT_MAX    (VRRP_IP4_HDR_LEN + VRRP_AH_LEN + VRRP_HDR_LEN + \
			     VRRP_MAX_ADDRS * 4 + VRRP_AUTH_LEN)

/* v2 auth type field values (same numbers as enum vrrp_auth_type in vrrp_cfg.h). */
enum vrrp_pkt_auth {
	VRRP_PKT_AUTH_NONE = 0,
	VRRP_PKT_AUTH_PASS = 1,  /* 8 bytes of clear text */
	VRRP_PKT_AUTH_AH   = 2,  /* IPsec-AH-like header in front of the message */
};

/* Which checksum a received v3 advert carried. */
enum vrrp_csum_kind {
	VRRP_CSUM_STD,          /* v2 plain, or v3 with the real pseudo header */
	VRRP_CSUM_V3_AS_V2,     /* IPv4 v3 without pseudo header (v3_checksum_as_v2) */
	VRRP_CSUM_OLD_UNICAST,  /* v3 unicast whose pseudo header used the multicast group
				 * as destination (keepalived before 1.3.6) */
};

/* Bits for vrrp_rx_meta.csum_accept and vrrp_pkt_expect.csum_accept. */
#define VRRP_CSUM_ACCEPT_V3_AS_V2    (1u << VRRP_CSUM_V3_AS_V2)
#define VRRP_CSUM_ACCEPT_OLD_UNICAST (1u << VRRP_CSUM_OLD_UNICAST)

/*
 * Computes the 12-byte AH ICV (HMAC-MD5 truncated to 96 bits) of msg keyed
 * with the 8-byte key. Returns false if it could not. Must be pure;
 * vrrp_ah.h provides one.
 */
typedef bool vrrp_ah_hmac_fn(const uint8_t key[VRRP_AUTH_LEN], const uint8_t *msg, size_t len,
			     uint8_t icv[VRRP_AH_ICV_LEN]);

/* Everything an advert is built from. */
struct vrrp_pkt_params {
	uint8_t version;            /* 2 or 3 */
	sa_family_t family;         /* AF_INET or AF_INET6 (v3 only) */
	uint8_t vrid;               /* 1..255 */
	uint8_t priority;           /* 0 for the "stopping" advert */
	uint16_t interval_cs;       /* v2: whole seconds (multiple of 100, 1..255 s);
				     * v3: 1..4095 centiseconds */
	enum vrrp_pkt_auth auth_type; /* v2 only */
	uint8_t auth_data[VRRP_AUTH_LEN]; /* password, NUL padded (vrrp_pkt_auth_data()) */
	const struct ka_addr *addrs;  /* naddr addresses of the instance family */
	size_t naddr;
	struct ka_addr src;         /* IP source (pseudo header, IPv4 header, AH SPI) */
	struct ka_addr dst;         /* IP destination: group or unicast peer */
	struct ka_addr csum_dst;    /* pseudo header destination if not AF_UNSPEC
				     * (old unicast checksum compatibility) */
	bool v3_checksum_as_v2;     /* IPv4 v3: checksum without pseudo header */
	/* IPv4 header only (vrrp_pkt_build_ip4) */
	uint16_t ip_id;
	uint8_t ttl;                /* 0 means 255 (unicast_ttl may lower it); for IPv6
				     * the sender sets the hop limit on the socket */
	uint32_t ah_seq;            /* AH sequence number */
	vrrp_ah_hmac_fn *ah_hmac;   /* required for AH */
};

/* Copy a configured password into the 8-byte, NUL padded auth data field
 * (longer passwords are cut at 8 bytes, as keepalived does). NULL = zeros. */
void vrrp_pkt_auth_data(uint8_t out[VRRP_AUTH_LEN], const char *pass);

/* Length of the VRRP message for this version, family and address count. */
size_t vrrp_pkt_len(unsigned version, sa_family_t family, size_t naddr);

/*
 * Build the VRRP message (what follows the IPv4/AH header, or the whole
 * payload of an IPv6 raw socket) into buf. Returns its length, or -1 with
 * *err set to a static reason string (bad parameter, buffer too small).
 */
int vrrp_pkt_build(const struct vrrp_pkt_params *p, uint8_t *buf, size_t buflen,
		   const char **err);

/*
 * Build a whole IPv4 packet for an IP_HDRINCL socket: IPv4 header (with
 * header checksum), AH header when auth_type is AH (ICV from p->ah_hmac), and
 * the VRRP message. Returns the packet length or -1 with *err set.
 */
int vrrp_pkt_build_ip4(const struct vrrp_pkt_params *p, uint8_t *buf, size_t buflen,
		       const char **err);

/* ---- receiving ---------------------------------------------------------- */

/* Why a packet was dropped; VRRP_OK = use it. Order follows the checks. */
enum vrrp_drop {
	VRRP_OK = 0,
	VRRP_DROP_SHORT,        /* truncated: fewer bytes than the headers need */
	VRRP_DROP_IP,           /* malformed IPv4 header (version, IHL), or missing v6 meta */
	VRRP_DROP_PROTO,        /* IP protocol not 112, or AH not carrying VRRP */
	VRRP_DROP_AH,           /* AH header with an unexpected length */
	VRRP_DROP_TTL,          /* TTL/hop limit not 255, or outside a peer's range */
	VRRP_DROP_VERSION,      /* not 2/3, not the expected one, or v2 over IPv6 */
	VRRP_DROP_TYPE,         /* not an advertisement */
	VRRP_DROP_ADDR_COUNT,   /* count says more addresses than the packet holds */
	VRRP_DROP_LENGTH,       /* bytes beyond what the count says, or IP length mismatch */
	VRRP_DROP_CHECKSUM,
	VRRP_DROP_VRID,         /* no instance with this VRID (or not the expected one) */
	VRRP_DROP_AUTH_TYPE,    /* unknown auth type, or not the configured one */
	VRRP_DROP_AUTH,         /* wrong password or AH ICV */
	VRRP_DROP_INTERVAL,     /* v2 advert interval differs from ours */
	VRRP_DROP_DST,          /* multicast received in unicast mode or the reverse */
	VRRP_DROP_ADDR_LIST,    /* address count or list differs from our VIPs */
	VRRP_DROP_SRC,          /* unicast source is not a configured peer */
	VRRP_DROP_MAX
};

/* Short stable name ("short", "ttl", "checksum", ...) for logs and stats. */
const char *vrrp_drop_str(enum vrrp_drop reason);

/* What the receiver knows besides the bytes. */
struct vrrp_rx_meta {
	sa_family_t family;       /* AF_INET: buf is the whole IPv4 packet as a raw socket
				   * returns it; AF_INET6: buf is the VRRP message */
	struct ka_addr src, dst;  /* AF_INET6 only: from recvmsg and IPV6_PKTINFO */
	int hop_limit;            /* AF_INET6 only: from IPV6_HOPLIMIT, -1 = unknown */
	bool unicast;             /* unicast peers configured: no TTL == 255 check here */
	uint8_t expect_version;   /* 0 = either 2 or 3 */
	unsigned csum_accept;     /* VRRP_CSUM_ACCEPT_* beyond the standard checksum */
	struct ka_addr mcast_group; /* for VRRP_CSUM_ACCEPT_OLD_UNICAST (IPv4 group) */
};

/* A decoded advert. Pointers point into the caller's buffer and are valid as
 * long as it is. */
struct vrrp_advert {
	uint8_t version;
	uint8_t vrid;
	uint8_t priority;
	uint8_t naddr;
	uint8_t auth_type;          /* v2 field (0 for v3) */
	uint16_t interval_cs;       /* v2 seconds * 100, v3 12-bit field */
	uint16_t checksum;          /* as received */
	enum vrrp_csum_kind csum;   /* which checksum matched */
	sa_family_t family;
	struct ka_addr src, dst;
	int ttl;                    /* TTL / hop limit, -1 = unknown */
	const uint8_t *addrs;       /* naddr * 4 or 16 bytes */
	const uint8_t *auth_data;   /* v2: VRRP_AUTH_LEN bytes; v3: NULL */
	bool has_ah;
	uint32_t ah_spi, ah_seq;
	const uint8_t *ah_icv;      /* VRRP_AH_ICV_LEN bytes when has_ah */
	const uint8_t *pkt;         /* the buffer given to vrrp_pkt_parse() */
	size_t pkt_len;
	const uint8_t *vrrp;        /* the VRRP message inside it */
	size_t vrrp_len;
	bool addr_mismatch;         /* set by vrrp_pkt_check_instance() */
};

/*
 * First stage, before the instance is known: IPv4 header and AH framing,
 * TTL (unless meta->unicast), version, type, address count against length,
 * and checksum. Fills adv (also on most drops, as far as it got). Returns
 * VRRP_OK or the drop reason.
 */
enum vrrp_drop vrrp_pkt_parse(const uint8_t *buf, size_t len, const struct vrrp_rx_meta *meta,
			      struct vrrp_advert *adv);

/* Address i (< adv->naddr) of a parsed advert. */
void vrrp_advert_addr(const struct vrrp_advert *adv, unsigned i, struct ka_addr *out);

/* A configured unicast peer, for the source and TTL checks. */
struct vrrp_pkt_peer {
	struct ka_addr addr;
	uint8_t min_ttl, max_ttl;   /* 0 / 255 when not configured */
};

/* What the instance found by VRID expects. */
struct vrrp_pkt_expect {
	uint8_t vrid;
	uint8_t version;
	enum vrrp_pkt_auth auth_type;
	uint8_t auth_data[VRRP_AUTH_LEN]; /* PASS and AH key, NUL padded */
	uint16_t interval_cs;       /* v2: must match exactly */
	const struct ka_addr *vips; /* the VIPs we advertise */
	size_t nvips;
	bool skip_addr_check;       /* skip_check_adv_addr and same master as before */
	bool unicast;               /* unicast peers configured */
	bool check_unicast_src;
	const struct vrrp_pkt_peer *peers;
	size_t npeers;
	unsigned csum_accept;       /* VRRP_CSUM_ACCEPT_* this instance allows */
	vrrp_ah_hmac_fn *ah_hmac;   /* required to accept AH; NULL = AH always fails */
};

/*
 * Second stage, on an adv that vrrp_pkt_parse() accepted, with the instance
 * found by its VRID: VRID, version, checksum kind, auth type and password
 * (constant time) or AH ICV, v2 interval, multicast/unicast destination, VIP
 * count and list (any order), unicast source and TTL range. A VIP count or
 * list that differs sets adv->addr_mismatch and returns VRRP_DROP_ADDR_LIST:
 * keepalived 2.2.7 ignores such adverts (checked on the wire: a backup fed
 * higher-priority adverts with another VIP list still took over), and the
 * flag lets the caller count and log it while adv stays readable. With
 * skip_addr_check the list, source and TTL-range checks are skipped, as
 * keepalived does for adverts from the master it already knows.
 * Returns VRRP_OK or the reason.
 */
enum vrrp_drop vrrp_pkt_check_instance(struct vrrp_advert *adv, const struct vrrp_pkt_expect *exp);

/*
 * The bytes the AH ICV covers, written to out (len bytes: a copy of pkt
 * with ToS, header checksum and ICV zeroed); pkt is a whole IPv4 packet with
 * an AH header. Returns len, or 0 if pkt is not such a packet or outlen < len.
 */
size_t vrrp_pkt_ah_icv_input(const uint8_t *pkt, size_t len, uint8_t *out, size_t outlen);

#endif
