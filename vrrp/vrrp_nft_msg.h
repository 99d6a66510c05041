/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nft_msg.h - nf_tables netlink messages for the no_accept drop table (no I/O) */
#ifndef KA_VRRP_NFT_MSG_H
#define KA_VRRP_NFT_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * nf_tables changes travel as one transaction: a batch of netlink messages
 * framed by NFNL_MSG_BATCH_BEGIN and NFNL_MSG_BATCH_END, applied by the
 * kernel all or nothing. This module writes such batches into a caller
 * buffer and reads the kernel's answers back. It does no I/O and no
 * logging; vrrp_nft.c owns the socket.
 *
 * Every message inside a batch asks for an ACK, so the kernel answers each
 * one (NLMSG_ERROR with error 0 or a negative errno), and the sender knows
 * when the whole batch has been answered. The builders never fail one by
 * one: once the buffer is too small the batch remembers -EMSGSIZE, later
 * calls do nothing and vrrp_nft_batch_end() returns the error.
 */

/* Most messages of one batch we keep a label for (the rest share the last). */
#define VRRP_NFT_BATCH_MAX 64

struct vrrp_nft_batch {
	uint8_t *buf;
	size_t cap, len;
	uint32_t seq0;          /* sequence number of BATCH_BEGIN */
	uint32_t seq;           /* last sequence number used */
	unsigned nmsg;          /* messages between BEGIN and END (each wants an ACK) */
	int err;                /* 0, or -EMSGSIZE once the buffer overflowed */
	const char *what[VRRP_NFT_BATCH_MAX]; /* label of message i, for error texts */
};

/* Start a batch in buf (cap bytes): writes BATCH_BEGIN with sequence seq. */
void vrrp_nft_batch_init(struct vrrp_nft_batch *b, void *buf, size_t cap, uint32_t seq);

/* Close the batch with BATCH_END. Returns 0 or -EMSGSIZE. */
int vrrp_nft_batch_end(struct vrrp_nft_batch *b);

/* Label of the message with sequence number seq, or NULL if it is not one
 * of the batch's messages (BEGIN, END or a stranger). */
const char *vrrp_nft_batch_what(const struct vrrp_nft_batch *b, uint32_t seq);

/* Data types of set keys, as the nft tool names them (it prints keys by
 * them); a concatenation is (first << 6) | second. */
enum {
	VRRP_NFT_TYPE_IPADDR = 7,
	VRRP_NFT_TYPE_IP6ADDR = 8,
	VRRP_NFT_TYPE_IFINDEX = 20,
	VRRP_NFT_TYPE_ICMP6_TYPE = 29,
	VRRP_NFT_TYPE_IFNAME = 41,
};
#define VRRP_NFT_CONCAT(a, b) (((a) << 6) | (b))

/* Byte order of a set's key, kept in the set's user data for the nft tool. */
enum vrrp_nft_byteorder { VRRP_NFT_HOST_ENDIAN = 1, VRRP_NFT_BIG_ENDIAN = 2 };

/* Tables: add (create, an existing one is fine) or delete (it must exist).
 * family is NFPROTO_IPV4 or NFPROTO_IPV6. */
void vrrp_nft_msg_table(struct vrrp_nft_batch *b, uint8_t family, const char *table, bool add);

/* A base chain of type filter on hook (NF_INET_LOCAL_IN / _OUT) with
 * priority prio and policy accept; or, with hook < 0, a regular chain. */
void vrrp_nft_msg_chain(struct vrrp_nft_batch *b, uint8_t family, const char *table,
			const char *chain, int hook, int32_t prio);

/* A named set. id identifies it inside the batch; flags NFT_SET_*. A map
 * (NFT_SET_MAP in flags) has data of data_type, data_len bytes. */
struct vrrp_nft_set_spec {
	const char *name;
	uint32_t id;
	uint32_t key_type;      /* VRRP_NFT_TYPE_* or VRRP_NFT_CONCAT() */
	uint32_t key_len;       /* bytes */
	uint32_t flags;
	enum vrrp_nft_byteorder order;
	uint32_t data_type;     /* maps only */
	uint32_t data_len;      /* maps only; 0 = a plain set */
};
void vrrp_nft_msg_set(struct vrrp_nft_batch *b, uint8_t family, const char *table,
		      const struct vrrp_nft_set_spec *s);

/* Add or delete n elements of key_len bytes each, stored back to back in
 * keys, in set. n must be at least 1. */
void vrrp_nft_msg_elems(struct vrrp_nft_batch *b, uint8_t family, const char *table,
			const char *set, const void *keys, size_t key_len, size_t n, bool add);

/* The same for a map: element i maps key i to data_len bytes at data + i *
 * data_len (an add sends them, a delete the keys only). */
void vrrp_nft_msg_map_elems(struct vrrp_nft_batch *b, uint8_t family, const char *table,
			    const char *map, const void *keys, size_t key_len, const void *data,
			    size_t data_len, size_t n, bool add);

/* The rules of the drop table. Each optionally counts (counter expression
 * before its verdict). */
enum vrrp_nft_dir { VRRP_NFT_DST, VRRP_NFT_SRC }; /* daddr (input) / saddr (output) */

/* "ip[6] daddr|saddr @set drop" */
void vrrp_nft_msg_rule_addr_drop(struct vrrp_nft_batch *b, uint8_t family, const char *table,
				 const char *chain, enum vrrp_nft_dir dir, const char *set,
				 bool counter);

/* "icmpv6 type @set accept" (neighbour solicitations and adverts pass) */
void vrrp_nft_msg_rule_icmp6_accept(struct vrrp_nft_batch *b, const char *table,
				    const char *chain, const char *set, bool counter);

/* "ip6 daddr|saddr fe80::/10 goto target" */
void vrrp_nft_msg_rule_ll_goto(struct vrrp_nft_batch *b, const char *table, const char *chain,
			       enum vrrp_nft_dir dir, const char *target, bool counter);

/* "ip6 daddr . iif @set drop" (by_name: iifname; SRC: saddr . oif[name]) */
void vrrp_nft_msg_rule_ll_drop(struct vrrp_nft_batch *b, const char *table, const char *chain,
			       enum vrrp_nft_dir dir, bool by_name, const char *set, bool counter);

/*
 * Multicast reports of VMACs (macvlans), inserted first in chain:
 * IPv4 "ip protocol igmp meta oifkind "macvlan" dup to ip daddr device oif
 * map @map drop", IPv6 the same for "icmpv6 type mld2-listener-report"
 * (ICMPv6 found behind the hop-by-hop header). The report leaves from the
 * parent the map gives, with the parent's MAC, instead of the virtual one.
 */
void vrrp_nft_msg_rule_vmac_report(struct vrrp_nft_batch *b, uint8_t family, const char *table,
				   const char *chain, const char *map, bool counter);

/* "icmpv6 type nd-router-solicit meta oifkind "macvlan" oif @set drop",
 * inserted first in chain: no router solicitation from a virtual MAC. */
void vrrp_nft_msg_rule_vmac_rs_drop(struct vrrp_nft_batch *b, const char *table,
				    const char *chain, const char *set, bool counter);

/* One answer of the kernel: the NLMSG_ERROR for the message seq. */
struct vrrp_nft_reply {
	uint32_t seq;
	int error;              /* 0 = ACK, else a negative errno */
	char msg[128];          /* extended ACK text, "" if none */
};

/*
 * Parse one datagram of answers (len bytes at buf) into out (at most max).
 * Messages other than NLMSG_ERROR are skipped. Returns the number of
 * answers, or -EBADMSG with *why set (static text) when a message is
 * truncated or malformed; answers parsed before it are kept in out, and
 * *n (may be NULL) says how many.
 */
int vrrp_nft_msg_replies(const void *buf, size_t len, struct vrrp_nft_reply *out, size_t max,
			 size_t *n, const char **why);

#endif
