/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vrrp_nft.c - nf_tables batches of the no_accept table: bytes out, answers in */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "vrrp/vrrp_nft_msg.h"

#define NFPROTO_IPV4 2
#define NFPROTO_IPV6 10

/* ---- batches ------------------------------------------------------------------ */

/* BEGIN and END alone: 20 bytes each, subsystem nftables in res_id. */
static void test_empty_batch(void **state)
{
	static const uint8_t want[] = {
		20, 0, 0, 0, 0x10, 0, 0x01, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10,
		20, 0, 0, 0, 0x11, 0, 0x01, 0, 101, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10,
	};
	uint8_t buf[256];
	struct vrrp_nft_batch b;

	vrrp_nft_batch_init(&b, buf, sizeof(buf), 100);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	assert_int_equal(b.nmsg, 0);
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

/* NEWSETELEM of two IPv4 addresses, byte for byte. */
static void test_elems_v4(void **state)
{
	static const uint8_t want[] = {
		76, 0, 0, 0,                    /* nlmsg_len */
		0x0c, 0x0a, 0x05, 0x04,         /* NEWSETELEM; REQUEST|ACK|CREATE */
		101, 0, 0, 0, 0, 0, 0, 0,       /* seq, pid */
		2, 0, 0, 0,                     /* nfgenmsg: ip, v0, res_id 0 */
		7, 0, 1, 0, 'k', 'v', 0, 0,     /* LIST_TABLE "kv" */
		9, 0, 2, 0, 'v', 'i', 'p', 's', 0, 0, 0, 0, /* LIST_SET "vips" */
		36, 0, 3, 0x80,                 /* LIST_ELEMENTS (nested) */
		16, 0, 1, 0x80, 12, 0, 1, 0x80, 8, 0, 1, 0, 10, 77, 0, 200,
		16, 0, 1, 0x80, 12, 0, 1, 0x80, 8, 0, 1, 0, 192, 0, 2, 1,
	};
	static const uint8_t keys[] = { 10, 77, 0, 200, 192, 0, 2, 1 };
	uint8_t buf[512];
	struct vrrp_nft_batch b;

	vrrp_nft_batch_init(&b, buf, sizeof(buf), 100);
	vrrp_nft_msg_elems(&b, NFPROTO_IPV4, "kv", "vips", keys, 4, 2, true);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	assert_int_equal(b.nmsg, 1);
	assert_memory_equal(buf + 20, want, sizeof(want));
	/* END follows at once, with the next sequence number */
	assert_int_equal(b.len, 20 + sizeof(want) + 20);
	assert_int_equal(buf[20 + sizeof(want) + 4], 0x11);
	assert_int_equal(buf[20 + sizeof(want) + 8], 102);
	assert_string_equal(vrrp_nft_batch_what(&b, 101), "add set elements");
	assert_null(vrrp_nft_batch_what(&b, 100));
	assert_null(vrrp_nft_batch_what(&b, 102));
}

/* DELSETELEM of one link-local address keyed with ifindex 2 (host order). */
static void test_elems_ll_delete(void **state)
{
	uint8_t key[20] = { 0xfe, 0x80 };
	uint32_t idx = 2;
	uint8_t want[] = {
		84, 0, 0, 0, 0x0e, 0x0a, 0x05, 0x00, 8, 0, 0, 0, 0, 0, 0, 0,
		10, 0, 0, 0,
		7, 0, 1, 0, 'k', 'v', 0, 0,
		20, 0, 2, 0, 'v', 'i', 'p', 's', '_', 'l', 'i', 'n', 'k', '_', 'l', 'o',
		'c', 'a', 'l', 0,
		36, 0, 3, 0x80, 32, 0, 1, 0x80, 28, 0, 1, 0x80, 24, 0, 1, 0,
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x63, 0, 0, 0, 0,
	};
	uint8_t buf[512];
	struct vrrp_nft_batch b;

	key[15] = 0x63;
	memcpy(key + 16, &idx, 4);
	memcpy(want + sizeof(want) - 4, &idx, 4);
	vrrp_nft_batch_init(&b, buf, sizeof(buf), 7);
	vrrp_nft_msg_elems(&b, NFPROTO_IPV6, "kv", "vips_link_local", key, 20, 1, false);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	assert_memory_equal(buf + 20, want, sizeof(want));
	assert_string_equal(vrrp_nft_batch_what(&b, 8), "delete set elements");
}

/* NEWSET of a map ifindex -> ifindex: data type and length, and both byte
 * orders (host) in the user data. */
static void test_set_map(void **state)
{
	static const struct vrrp_nft_set_spec map = {
		"vmac_map", 5, VRRP_NFT_TYPE_IFINDEX, 4, NFT_SET_MAP, VRRP_NFT_HOST_ENDIAN,
		VRRP_NFT_TYPE_IFINDEX, 4
	};
	uint8_t want[] = {
		108, 0, 0, 0, 0x09, 0x0a, 0x05, 0x04, 3, 0, 0, 0, 0, 0, 0, 0,
		2, 0, 0, 0,
		7, 0, 1, 0, 'k', 'v', 0, 0,                     /* TABLE */
		13, 0, 2, 0, 'v', 'm', 'a', 'c', '_', 'm', 'a', 'p', 0, 0, 0, 0, /* NAME */
		8, 0, 3, 0, 0, 0, 0, 8,                         /* FLAGS: map */
		8, 0, 4, 0, 0, 0, 0, 20,                        /* KEY_TYPE: iface_index */
		8, 0, 5, 0, 0, 0, 0, 4,                         /* KEY_LEN */
		8, 0, 6, 0, 0, 0, 0, 20,                        /* DATA_TYPE */
		8, 0, 7, 0, 0, 0, 0, 4,                         /* DATA_LEN */
		8, 0, 10, 0, 0, 0, 0, 5,                        /* ID */
		16, 0, 13, 0, 0, 4, 0, 0, 0, 0, 1, 4, 0, 0, 0, 0, /* USERDATA */
	};
	uint32_t host = VRRP_NFT_HOST_ENDIAN;
	uint8_t buf[512];
	struct vrrp_nft_batch b;

	memcpy(want + sizeof(want) - 10, &host, 4);
	memcpy(want + sizeof(want) - 4, &host, 4);
	memset(buf, 0xa5, sizeof(buf));  /* the padding is written, not left over */
	vrrp_nft_batch_init(&b, buf, sizeof(buf), 2);
	vrrp_nft_msg_set(&b, NFPROTO_IPV4, "kv", &map);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	assert_int_equal(b.len, 20 + sizeof(want) + 20);
	assert_memory_equal(buf + 20, want, sizeof(want));
}

/* Map elements: an add carries the data (VMAC 14 -> parent 3), a delete the
 * key only. Interface indexes are in host order. */
static void test_map_elems(void **state)
{
	uint32_t key = 14, data = 3;
	uint8_t add[] = {
		76, 0, 0, 0, 0x0c, 0x0a, 0x05, 0x04, 9, 0, 0, 0, 0, 0, 0, 0,
		10, 0, 0, 0,
		7, 0, 1, 0, 'k', 'v', 0, 0,
		13, 0, 2, 0, 'v', 'm', 'a', 'c', '_', 'm', 'a', 'p', 0, 0, 0, 0,
		32, 0, 3, 0x80,                 /* LIST_ELEMENTS */
		28, 0, 1, 0x80,                 /* LIST_ELEM */
		12, 0, 1, 0x80, 8, 0, 1, 0, 0, 0, 0, 0, /* KEY { VALUE } */
		12, 0, 2, 0x80, 8, 0, 1, 0, 0, 0, 0, 0, /* DATA { VALUE } */
	};
	uint8_t del[] = {
		64, 0, 0, 0, 0x0e, 0x0a, 0x05, 0x00, 9, 0, 0, 0, 0, 0, 0, 0,
		10, 0, 0, 0,
		7, 0, 1, 0, 'k', 'v', 0, 0,
		13, 0, 2, 0, 'v', 'm', 'a', 'c', '_', 'm', 'a', 'p', 0, 0, 0, 0,
		20, 0, 3, 0x80, 16, 0, 1, 0x80,
		12, 0, 1, 0x80, 8, 0, 1, 0, 0, 0, 0, 0,
	};
	uint8_t buf[512];
	struct vrrp_nft_batch b;

	memcpy(add + sizeof(add) - 16, &key, 4);
	memcpy(add + sizeof(add) - 4, &data, 4);
	memcpy(del + sizeof(del) - 4, &key, 4);
	memset(buf, 0xa5, sizeof(buf));
	vrrp_nft_batch_init(&b, buf, sizeof(buf), 8);
	vrrp_nft_msg_map_elems(&b, NFPROTO_IPV6, "kv", "vmac_map", &key, 4, &data, 4, 1, true);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	assert_memory_equal(buf + 20, add, sizeof(add));
	vrrp_nft_batch_init(&b, buf, sizeof(buf), 8);
	vrrp_nft_msg_map_elems(&b, NFPROTO_IPV6, "kv", "vmac_map", &key, 4, &data, 4, 1, false);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	assert_memory_equal(buf + 20, del, sizeof(del));
	/* a plain set's elements are the same message without the data */
	vrrp_nft_batch_init(&b, buf, sizeof(buf), 8);
	vrrp_nft_msg_elems(&b, NFPROTO_IPV6, "kv", "vmac_map", &key, 4, 1, false);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	assert_memory_equal(buf + 20, del, sizeof(del));
}

/* A table deletion: DELTABLE, no CREATE, the name only. */
static void test_table_delete(void **state)
{
	static const uint8_t want[] = {
		36, 0, 0, 0, 0x02, 0x0a, 0x05, 0x00, 2, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0,
		15, 0, 1, 0, 'k', 'e', 'e', 'p', 'a', 'l', 'i', 'v', 'e', 'd', 0, 0,
	};
	uint8_t buf[256];
	struct vrrp_nft_batch b;

	vrrp_nft_batch_init(&b, buf, sizeof(buf), 1);
	vrrp_nft_msg_table(&b, NFPROTO_IPV6, "keepalived", false);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	assert_memory_equal(buf + 20, want, sizeof(want));
}

/* The buffer runs out: an error, and not one byte written past it. */
static void test_overflow(void **state)
{
	uint8_t keys[64 * 4] = { 0 };
	uint8_t buf[300];
	struct vrrp_nft_batch b;

	memset(buf, 0xa5, sizeof(buf));
	vrrp_nft_batch_init(&b, buf, 200, 1);
	vrrp_nft_msg_elems(&b, NFPROTO_IPV4, "kv", "vips", keys, 4, 64, true);
	vrrp_nft_msg_table(&b, NFPROTO_IPV4, "kv", true);
	assert_int_equal(vrrp_nft_batch_end(&b), -EMSGSIZE);
	for (size_t i = 200; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xa5);
	/* too small even for BEGIN */
	vrrp_nft_batch_init(&b, buf, 10, 1);
	assert_int_equal(vrrp_nft_batch_end(&b), -EMSGSIZE);
}

/* Names of the expressions of the rule message at nlh, in order, joined by ','. */
struct walk {
	char names[128];
	uint32_t payload_off[4];
	unsigned npayload;
	uint32_t verdict;
	char chain[32];
	uint32_t meta_key[4];       /* keys of the meta expressions, in order */
	unsigned nmeta;
	uint32_t lookup_dreg;       /* 0 = a plain set lookup */
	uint32_t dup_addr, dup_dev; /* source registers of dup */
};

static int expr_data_cb(const struct nlattr *a, void *arg)
{
	struct walk *w = arg;

	if (mnl_attr_get_type(a) == NFTA_PAYLOAD_OFFSET && w->npayload < 4)
		w->payload_off[w->npayload++] = ntohl(mnl_attr_get_u32(a));
	return MNL_CB_OK;
}

static int meta_cb(const struct nlattr *a, void *arg)
{
	struct walk *w = arg;

	if (mnl_attr_get_type(a) == NFTA_META_KEY && w->nmeta < 4)
		w->meta_key[w->nmeta++] = ntohl(mnl_attr_get_u32(a));
	return MNL_CB_OK;
}

static int lookup_cb(const struct nlattr *a, void *arg)
{
	struct walk *w = arg;

	if (mnl_attr_get_type(a) == NFTA_LOOKUP_DREG)
		w->lookup_dreg = ntohl(mnl_attr_get_u32(a));
	return MNL_CB_OK;
}

static int dup_cb(const struct nlattr *a, void *arg)
{
	struct walk *w = arg;

	if (mnl_attr_get_type(a) == NFTA_DUP_SREG_ADDR)
		w->dup_addr = ntohl(mnl_attr_get_u32(a));
	if (mnl_attr_get_type(a) == NFTA_DUP_SREG_DEV)
		w->dup_dev = ntohl(mnl_attr_get_u32(a));
	return MNL_CB_OK;
}

static int verdict_cb(const struct nlattr *a, void *arg)
{
	struct walk *w = arg;

	if (mnl_attr_get_type(a) == NFTA_VERDICT_CODE)
		w->verdict = ntohl(mnl_attr_get_u32(a));
	if (mnl_attr_get_type(a) == NFTA_VERDICT_CHAIN)
		snprintf(w->chain, sizeof(w->chain), "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

static int expr_cb(const struct nlattr *a, void *arg)
{
	struct walk *w = arg;
	const struct nlattr *x, *name = NULL, *data = NULL;

	mnl_attr_for_each_nested(x, a) {
		if (mnl_attr_get_type(x) == NFTA_EXPR_NAME)
			name = x;
		if (mnl_attr_get_type(x) == NFTA_EXPR_DATA)
			data = x;
	}
	assert_non_null(name);
	assert_non_null(data);
	strcat(w->names, mnl_attr_get_str(name));
	strcat(w->names, ",");
	if (!strcmp(mnl_attr_get_str(name), "payload"))
		mnl_attr_parse_nested(data, expr_data_cb, w);
	if (!strcmp(mnl_attr_get_str(name), "meta"))
		mnl_attr_parse_nested(data, meta_cb, w);
	if (!strcmp(mnl_attr_get_str(name), "lookup"))
		mnl_attr_parse_nested(data, lookup_cb, w);
	if (!strcmp(mnl_attr_get_str(name), "dup"))
		mnl_attr_parse_nested(data, dup_cb, w);
	if (!strcmp(mnl_attr_get_str(name), "immediate")) {
		mnl_attr_for_each_nested(x, data)
			if (mnl_attr_get_type(x) == NFTA_IMMEDIATE_DATA)
				mnl_attr_parse_nested(mnl_attr_get_payload(x), verdict_cb, w);
	}
	return MNL_CB_OK;
}

static int rule_cb(const struct nlattr *a, void *arg)
{
	if (mnl_attr_get_type(a) == NFTA_RULE_EXPRESSIONS)
		mnl_attr_parse_nested(a, expr_cb, arg);
	return MNL_CB_OK;
}

static void walk_rule(const uint8_t *msg, struct walk *w)
{
	const struct nlmsghdr *nlh = (const void *)msg;

	memset(w, 0, sizeof(*w));
	assert_int_equal(nlh->nlmsg_type, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWRULE);
	assert_int_equal(mnl_attr_parse(nlh, 4, rule_cb, w), MNL_CB_OK);
}

/* "ip daddr @vips counter drop": where the address is read, what follows. */
static void test_rule_drop(void **state)
{
	uint8_t buf[1024];
	struct vrrp_nft_batch b;
	struct walk w;

	vrrp_nft_batch_init(&b, buf, sizeof(buf), 1);
	vrrp_nft_msg_rule_addr_drop(&b, NFPROTO_IPV4, "kv", "in", VRRP_NFT_DST, "vips", true);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	walk_rule(buf + 20, &w);
	assert_string_equal(w.names, "payload,lookup,counter,immediate,");
	assert_int_equal(w.payload_off[0], 16);
	assert_int_equal(w.verdict, 0); /* NF_DROP */

	/* IPv6 source, no counter */
	vrrp_nft_batch_init(&b, buf, sizeof(buf), 1);
	vrrp_nft_msg_rule_addr_drop(&b, NFPROTO_IPV6, "kv", "out", VRRP_NFT_SRC, "vips", false);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	walk_rule(buf + 20, &w);
	assert_string_equal(w.names, "payload,lookup,immediate,");
	assert_int_equal(w.payload_off[0], 8);
}

/* Neighbour discovery passes; link-local goes to its own chain. */
static void test_rule_ipv6(void **state)
{
	uint8_t buf[2048];
	struct vrrp_nft_batch b;
	struct walk w;

	vrrp_nft_batch_init(&b, buf, sizeof(buf), 1);
	vrrp_nft_msg_rule_icmp6_accept(&b, "kv", "in", "neighbor-discovery", false);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	walk_rule(buf + 20, &w);
	assert_string_equal(w.names, "payload,cmp,payload,lookup,immediate,");
	assert_int_equal(w.payload_off[0], 6);   /* next header */
	assert_int_equal(w.payload_off[1], 0);   /* ICMPv6 type */
	assert_int_equal(w.verdict, 1);          /* NF_ACCEPT */

	vrrp_nft_batch_init(&b, buf, sizeof(buf), 1);
	vrrp_nft_msg_rule_ll_goto(&b, "kv", "in", VRRP_NFT_DST, "in_link_local", true);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	walk_rule(buf + 20, &w);
	assert_string_equal(w.names, "payload,bitwise,cmp,counter,immediate,");
	assert_int_equal(w.verdict, (uint32_t)NFT_GOTO);
	assert_string_equal(w.chain, "in_link_local");

	vrrp_nft_batch_init(&b, buf, sizeof(buf), 1);
	vrrp_nft_msg_rule_ll_drop(&b, "kv", "out_link_local", VRRP_NFT_SRC, true,
				  "vips_link_local_name", false);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	walk_rule(buf + 20, &w);
	assert_string_equal(w.names, "payload,meta,lookup,immediate,");
	assert_int_equal(w.payload_off[0], 8);
}

/* VMAC reports: inserted first (no NLM_F_APPEND), the report type found
 * through meta l4proto (MLD has a hop-by-hop header), the group copied to
 * the parent the map gives, then dropped. */
static void test_rule_vmac(void **state)
{
	uint8_t buf[2048];
	struct vrrp_nft_batch b;
	struct walk w;
	const struct nlmsghdr *nlh = (const void *)(buf + 20);

	vrrp_nft_batch_init(&b, buf, sizeof(buf), 1);
	vrrp_nft_msg_rule_vmac_report(&b, NFPROTO_IPV6, "kv", "out", "vmac_map", false);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	assert_int_equal(nlh->nlmsg_flags & NLM_F_APPEND, 0);
	assert_int_equal(nlh->nlmsg_flags & NLM_F_CREATE, NLM_F_CREATE);
	walk_rule(buf + 20, &w);
	assert_string_equal(w.names, "meta,cmp,payload,cmp,payload,meta,cmp,meta,lookup,dup,"
			    "immediate,");
	assert_int_equal(w.meta_key[0], NFT_META_L4PROTO);
	assert_int_equal(w.meta_key[1], NFT_META_OIFKIND);
	assert_int_equal(w.meta_key[2], NFT_META_OIF);
	assert_int_equal(w.payload_off[0], 0);    /* ICMPv6 type */
	assert_int_equal(w.payload_off[1], 24);   /* IPv6 destination: the group */
	assert_int_equal(w.lookup_dreg, NFT_REG_2);
	assert_int_equal(w.dup_addr, NFT_REG_1);
	assert_int_equal(w.dup_dev, NFT_REG_2);
	assert_int_equal(w.verdict, 0);           /* NF_DROP */
	assert_string_equal(vrrp_nft_batch_what(&b, 2), "insert rule");

	/* IPv4: the protocol byte says IGMP, the group is at offset 16 */
	vrrp_nft_batch_init(&b, buf, sizeof(buf), 1);
	vrrp_nft_msg_rule_vmac_report(&b, NFPROTO_IPV4, "kv", "out", "vmac_map", true);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	walk_rule(buf + 20, &w);
	assert_string_equal(w.names, "payload,cmp,payload,meta,cmp,meta,lookup,dup,counter,"
			    "immediate,");
	assert_int_equal(w.payload_off[0], 9);
	assert_int_equal(w.payload_off[1], 16);
	assert_int_equal(w.meta_key[0], NFT_META_OIFKIND);

	/* router solicitations: a plain set of VMAC indexes */
	vrrp_nft_batch_init(&b, buf, sizeof(buf), 1);
	vrrp_nft_msg_rule_vmac_rs_drop(&b, "kv", "out", "vmac_set", false);
	assert_int_equal(vrrp_nft_batch_end(&b), 0);
	assert_int_equal(nlh->nlmsg_flags & NLM_F_APPEND, 0);
	walk_rule(buf + 20, &w);
	assert_string_equal(w.names, "meta,cmp,payload,cmp,meta,cmp,meta,lookup,immediate,");
	assert_int_equal(w.lookup_dreg, 0);
	assert_int_equal(w.meta_key[2], NFT_META_OIF);
}

/* ---- answers -------------------------------------------------------------------- */

/* Append an NLMSG_ERROR (error, seq) with optional extended-ACK text. */
static size_t put_error(uint8_t *p, int error, uint32_t seq, const char *text, bool capped)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_ERROR, .nlmsg_seq = seq };
	struct nlmsgerr e = { .error = error };
	size_t len = sizeof(h) + sizeof(e);

	e.msg.nlmsg_len = sizeof(struct nlmsghdr) + (capped ? 0 : 8);
	e.msg.nlmsg_seq = seq;
	memcpy(p + sizeof(h), &e, sizeof(e));
	if (!capped) {
		memset(p + len, 0x11, 8);       /* the echoed request's payload */
		len += 8;
	}
	if (text) {
		struct nlattr a = { .nla_len = (uint16_t)(4 + strlen(text) + 1),
				    .nla_type = NLMSGERR_ATTR_MSG };
		memcpy(p + len, &a, sizeof(a));
		memcpy(p + len + 4, text, strlen(text) + 1);
		len += (a.nla_len + 3u) & ~3u;
		h.nlmsg_flags = NLM_F_ACK_TLVS;
	}
	if (capped)
		h.nlmsg_flags |= NLM_F_CAPPED;
	h.nlmsg_len = (uint32_t)len;
	memcpy(p, &h, sizeof(h));
	return len;
}

static void test_replies_ok(void **state)
{
	uint8_t buf[1024];
	struct vrrp_nft_reply r[4];
	struct nlmsghdr done = { .nlmsg_len = 20, .nlmsg_type = NLMSG_DONE };
	const char *why = NULL;
	size_t len = 0, n = 99;

	len += put_error(buf + len, 0, 11, NULL, true);
	memcpy(buf + len, &done, sizeof(done));
	memset(buf + len + sizeof(done), 0, 4);
	len += 20;
	len += put_error(buf + len, -ENOENT, 12, "No such table", true);
	len += put_error(buf + len, -EPERM, 13, "uncapped", false);
	assert_int_equal(vrrp_nft_msg_replies(buf, len, r, 4, &n, &why), 3);
	assert_int_equal(n, 3);
	assert_int_equal(r[0].seq, 11);
	assert_int_equal(r[0].error, 0);
	assert_string_equal(r[0].msg, "");
	assert_int_equal(r[1].seq, 12);
	assert_int_equal(r[1].error, -ENOENT);
	assert_string_equal(r[1].msg, "No such table");
	assert_int_equal(r[2].error, -EPERM);
	assert_string_equal(r[2].msg, "uncapped");
	/* a smaller array keeps the first ones */
	assert_int_equal(vrrp_nft_msg_replies(buf, len, r, 1, &n, &why), 1);
	assert_int_equal(r[0].seq, 11);
	/* a long text is cut, not overrun */
	char text[400];
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	len = put_error(buf, -EINVAL, 1, text, true);
	assert_int_equal(vrrp_nft_msg_replies(buf, len, r, 4, NULL, &why), 1);
	assert_int_equal(strlen(r[0].msg), sizeof(r[0].msg) - 1);
}

static void expect_bad(const uint8_t *buf, size_t len, size_t good)
{
	struct vrrp_nft_reply r[4];
	const char *why = NULL;
	size_t n = 99;

	assert_int_equal(vrrp_nft_msg_replies(buf, len, r, 4, &n, &why), -EBADMSG);
	assert_non_null(why);
	assert_int_equal(n, good);
}

static void test_replies_hostile(void **state)
{
	uint8_t buf[512], *m;
	struct nlmsghdr h;
	size_t len, one;

	one = put_error(buf, 0, 1, NULL, true);
	/* cut anywhere inside the second message: the first one still counts */
	len = one + put_error(buf + one, -EPERM, 2, "text", true);
	for (size_t cut = one + 1; cut < len; cut++)
		expect_bad(buf, cut, 1);
	/* length below a header, above the data */
	m = buf + one;
	memcpy(&h, m, sizeof(h));
	h.nlmsg_len = 8;
	memcpy(m, &h, sizeof(h));
	expect_bad(buf, len, 1);
	h.nlmsg_len = 4000;
	memcpy(m, &h, sizeof(h));
	expect_bad(buf, len, 1);
	/* an error message too short for struct nlmsgerr */
	h.nlmsg_len = sizeof(h) + 4;
	memcpy(m, &h, sizeof(h));
	expect_bad(buf, one + sizeof(h) + 4, 1);
	/* positive error code */
	len = put_error(buf, 5, 1, NULL, true);
	expect_bad(buf, len, 0);
	/* TLV longer than the message */
	len = put_error(buf, -EPERM, 1, "abc", true);
	buf[sizeof(struct nlmsghdr) + sizeof(struct nlmsgerr)] = 200;
	expect_bad(buf, len, 0);
	/* TLV shorter than its own header */
	len = put_error(buf, -EPERM, 1, "abc", true);
	buf[sizeof(struct nlmsghdr) + sizeof(struct nlmsgerr)] = 2;
	expect_bad(buf, len, 0);
	/* text without its terminating NUL */
	len = put_error(buf, -EPERM, 1, "abc", true);
	buf[sizeof(struct nlmsghdr) + sizeof(struct nlmsgerr) + 4 + 3] = 'd';
	expect_bad(buf, len, 0);
	/* an echoed request longer than the message */
	len = put_error(buf, -EPERM, 1, "abc", false);
	{
		struct nlmsgerr e;

		memcpy(&e, buf + sizeof(struct nlmsghdr), sizeof(e));
		e.msg.nlmsg_len = 300;
		memcpy(buf + sizeof(struct nlmsghdr), &e, sizeof(e));
	}
	expect_bad(buf, len, 0);
	/* nothing at all is no answer, not an error */
	{
		struct vrrp_nft_reply r[1];
		const char *why = NULL;

		assert_int_equal(vrrp_nft_msg_replies(buf, 0, r, 1, NULL, &why), 0);
	}
}

/* Random bytes and random cuts of valid answers never crash the parser. */
static void test_replies_random(void **state)
{
	uint8_t buf[256];
	struct vrrp_nft_reply r[8];
	const char *why;
	unsigned seed = 12345;

	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)(rand_r(&seed) % (int)sizeof(buf));

		if (i % 2) {
			for (size_t j = 0; j < len; j++)
				buf[j] = (uint8_t)rand_r(&seed);
		} else {
			size_t l = put_error(buf, -(rand_r(&seed) % 200), (uint32_t)i, "some text",
					     i % 4 == 0);
			buf[rand_r(&seed) % (int)l] = (uint8_t)rand_r(&seed);
			len = len % (l + 1);
		}
		why = NULL;
		int rc = vrrp_nft_msg_replies(buf, len, r, 8, NULL, &why);
		assert_true(rc == -EBADMSG || (rc >= 0 && rc <= 8));
		if (rc < 0)
			assert_non_null(why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_batch),
		cmocka_unit_test(test_elems_v4),
		cmocka_unit_test(test_elems_ll_delete),
		cmocka_unit_test(test_set_map),
		cmocka_unit_test(test_map_elems),
		cmocka_unit_test(test_table_delete),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_rule_drop),
		cmocka_unit_test(test_rule_ipv6),
		cmocka_unit_test(test_rule_vmac),
		cmocka_unit_test(test_replies_ok),
		cmocka_unit_test(test_replies_hostile),
		cmocka_unit_test(test_replies_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
