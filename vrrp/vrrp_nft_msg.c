/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nft_msg.c - nf_tables netlink messages for the no_accept drop table (no I/O) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "vrrp/vrrp_nft_msg.h"

#define NFT_MSG(m) ((uint16_t)((NFNL_SUBSYS_NFTABLES << 8) | (m)))
#define ICMPV6_PROTO 58
#define IGMP_PROTO 2
#define MLD2_REPORT 143
#define ND_ROUTER_SOLICIT 133

/* ---- batch framing ------------------------------------------------------- */

/* Room left for the message at nlh. */
static size_t room(const struct vrrp_nft_batch *b, const struct nlmsghdr *nlh)
{
	return b->cap - (size_t)((const uint8_t *)nlh - b->buf);
}

/* Start a message at the end of the batch; NULL once the batch overflowed. */
static struct nlmsghdr *msg_start(struct vrrp_nft_batch *b, uint16_t type, uint16_t flags,
				  uint8_t family, uint16_t res_id)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	if (b->err)
		return NULL;
	if (b->cap - b->len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*nfg))) {
		b->err = -EMSGSIZE;
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(b->buf + b->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	nlh->nlmsg_seq = ++b->seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(res_id);
	return nlh;
}

/* A message of the transaction: it asks for an ACK and gets a label. */
static struct nlmsghdr *nft_start(struct vrrp_nft_batch *b, uint8_t msg, uint16_t flags,
				  uint8_t family, const char *what)
{
	struct nlmsghdr *nlh = msg_start(b, NFT_MSG(msg), (uint16_t)(flags | NLM_F_ACK), family, 0);

	if (nlh)
		b->what[b->nmsg < VRRP_NFT_BATCH_MAX ? b->nmsg : VRRP_NFT_BATCH_MAX - 1] = what;
	return nlh;
}

static void msg_end(struct vrrp_nft_batch *b, struct nlmsghdr *nlh, bool counted)
{
	if (!nlh || b->err)
		return;
	b->len += MNL_ALIGN(nlh->nlmsg_len);
	if (counted)
		b->nmsg++;
}

void vrrp_nft_batch_init(struct vrrp_nft_batch *b, void *buf, size_t cap, uint32_t seq)
{
	struct nlmsghdr *nlh;

	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
	b->seq = seq - 1;
	nlh = msg_start(b, NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
	b->seq0 = seq;
	msg_end(b, nlh, false);
}

int vrrp_nft_batch_end(struct vrrp_nft_batch *b)
{
	msg_end(b, msg_start(b, NFNL_MSG_BATCH_END, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES), false);
	return b->err;
}

const char *vrrp_nft_batch_what(const struct vrrp_nft_batch *b, uint32_t seq)
{
	uint32_t i = seq - b->seq0 - 1;

	if (seq == b->seq0 || i >= b->nmsg)
		return NULL;
	return b->what[i < VRRP_NFT_BATCH_MAX ? i : VRRP_NFT_BATCH_MAX - 1];
}

/* ---- attributes: each records an overflow instead of failing alone ------ */

static void put(struct vrrp_nft_batch *b, struct nlmsghdr *nlh, uint16_t type, size_t len,
		const void *data)
{
	uint8_t *tail;

	if (!nlh || b->err)
		return;
	tail = mnl_nlmsg_get_payload_tail(nlh);
	if (!mnl_attr_put_check(nlh, room(b, nlh), type, len, data))
		b->err = -EMSGSIZE;
	else    /* libmnl leaves the alignment padding as it was */
		memset(tail + MNL_ATTR_HDRLEN + len, 0, MNL_ALIGN(len) - len);
}

static void put_str(struct vrrp_nft_batch *b, struct nlmsghdr *nlh, uint16_t type,
		    const char *s)
{
	put(b, nlh, type, strlen(s) + 1, s);
}

static void put_be32(struct vrrp_nft_batch *b, struct nlmsghdr *nlh, uint16_t type,
		     uint32_t v)
{
	uint32_t be = htonl(v);

	put(b, nlh, type, sizeof(be), &be);
}

static void put_be64(struct vrrp_nft_batch *b, struct nlmsghdr *nlh, uint16_t type,
		     uint64_t v)
{
	uint32_t be[2] = { htonl((uint32_t)(v >> 32)), htonl((uint32_t)v) };

	put(b, nlh, type, sizeof(be), be);
}

static struct nlattr *nest(struct vrrp_nft_batch *b, struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *a;

	if (!nlh || b->err)
		return NULL;
	a = mnl_attr_nest_start_check(nlh, room(b, nlh), type);
	if (!a)
		b->err = -EMSGSIZE;
	return a;
}

static void nest_end(struct vrrp_nft_batch *b, struct nlmsghdr *nlh, struct nlattr *a)
{
	if (a && !b->err)
		mnl_attr_nest_end(nlh, a);
}

/* A data value: NESTED(type){ NFTA_DATA_VALUE bytes } */
static void put_data(struct vrrp_nft_batch *b, struct nlmsghdr *nlh, uint16_t type,
		     const void *v, size_t len)
{
	struct nlattr *d = nest(b, nlh, type);

	put(b, nlh, NFTA_DATA_VALUE, len, v);
	nest_end(b, nlh, d);
}

/* ---- objects ---------------------------------------------------------------- */

void vrrp_nft_msg_table(struct vrrp_nft_batch *b, uint8_t family, const char *table, bool add)
{
	struct nlmsghdr *nlh = nft_start(b, add ? NFT_MSG_NEWTABLE : NFT_MSG_DELTABLE,
					 add ? NLM_F_CREATE : 0, family,
					 add ? "create table" : "delete table");

	put_str(b, nlh, NFTA_TABLE_NAME, table);
	msg_end(b, nlh, true);
}

void vrrp_nft_msg_chain(struct vrrp_nft_batch *b, uint8_t family, const char *table,
			const char *chain, int hook, int32_t prio)
{
	struct nlmsghdr *nlh = nft_start(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, family,
					 "create chain");
	struct nlattr *h;

	put_str(b, nlh, NFTA_CHAIN_TABLE, table);
	put_str(b, nlh, NFTA_CHAIN_NAME, chain);
	if (hook >= 0) {
		h = nest(b, nlh, NFTA_CHAIN_HOOK);
		put_be32(b, nlh, NFTA_HOOK_HOOKNUM, (uint32_t)hook);
		put_be32(b, nlh, NFTA_HOOK_PRIORITY, (uint32_t)prio);
		nest_end(b, nlh, h);
		put_be32(b, nlh, NFTA_CHAIN_POLICY, NF_ACCEPT);
		put_str(b, nlh, NFTA_CHAIN_TYPE, "filter");
	}
	msg_end(b, nlh, true);
}

void vrrp_nft_msg_set(struct vrrp_nft_batch *b, uint8_t family, const char *table,
		      const struct vrrp_nft_set_spec *s)
{
	struct nlmsghdr *nlh = nft_start(b, NFT_MSG_NEWSET, NLM_F_CREATE, family, "create set");
	/* the nft tool's user data: TLVs of key byte order (type 0, 4 bytes)
	 * and, for a map, data byte order (type 1, the same as the key's) */
	uint8_t udata[12] = { 0, 4, 0, 0, 0, 0, 1, 4 };
	uint32_t order = s->order;

	memcpy(udata + 2, &order, sizeof(order));
	memcpy(udata + 8, &order, sizeof(order));
	put_str(b, nlh, NFTA_SET_TABLE, table);
	put_str(b, nlh, NFTA_SET_NAME, s->name);
	put_be32(b, nlh, NFTA_SET_FLAGS, s->flags);
	put_be32(b, nlh, NFTA_SET_KEY_TYPE, s->key_type);
	put_be32(b, nlh, NFTA_SET_KEY_LEN, s->key_len);
	if (s->data_len) {
		put_be32(b, nlh, NFTA_SET_DATA_TYPE, s->data_type);
		put_be32(b, nlh, NFTA_SET_DATA_LEN, s->data_len);
	}
	put_be32(b, nlh, NFTA_SET_ID, s->id);
	put(b, nlh, NFTA_SET_USERDATA, s->data_len ? 12 : 6, udata);
	msg_end(b, nlh, true);
}

void vrrp_nft_msg_elems(struct vrrp_nft_batch *b, uint8_t family, const char *table,
			const char *set, const void *keys, size_t key_len, size_t n, bool add)
{
	vrrp_nft_msg_map_elems(b, family, table, set, keys, key_len, NULL, 0, n, add);
}

void vrrp_nft_msg_map_elems(struct vrrp_nft_batch *b, uint8_t family, const char *table,
			    const char *set, const void *keys, size_t key_len, const void *data,
			    size_t data_len, size_t n, bool add)
{
	struct nlmsghdr *nlh = nft_start(b, add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM,
					 add ? NLM_F_CREATE : 0, family,
					 add ? "add set elements" : "delete set elements");
	struct nlattr *list, *el;

	put_str(b, nlh, NFTA_SET_ELEM_LIST_TABLE, table);
	put_str(b, nlh, NFTA_SET_ELEM_LIST_SET, set);
	list = nest(b, nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
	for (size_t i = 0; i < n; i++) {
		el = nest(b, nlh, NFTA_LIST_ELEM);
		put_data(b, nlh, NFTA_SET_ELEM_KEY, (const uint8_t *)keys + i * key_len, key_len);
		if (add && data_len)
			put_data(b, nlh, NFTA_SET_ELEM_DATA, (const uint8_t *)data + i * data_len,
				 data_len);
		nest_end(b, nlh, el);
	}
	nest_end(b, nlh, list);
	msg_end(b, nlh, true);
}

/* ---- expressions ------------------------------------------------------------- */

/* A rule under construction: the message and its open expression list. */
struct rule {
	struct vrrp_nft_batch *b;
	struct nlmsghdr *nlh;
	struct nlattr *exprs, *el, *data;
};

static void expr_start(struct rule *r, const char *name)
{
	r->el = nest(r->b, r->nlh, NFTA_LIST_ELEM);
	put_str(r->b, r->nlh, NFTA_EXPR_NAME, name);
	r->data = nest(r->b, r->nlh, NFTA_EXPR_DATA);
}

static void expr_end(struct rule *r)
{
	nest_end(r->b, r->nlh, r->data);
	nest_end(r->b, r->nlh, r->el);
}

/* A rule appended to chain, or (first) inserted before its rules. */
static void rule_start_at(struct rule *r, struct vrrp_nft_batch *b, uint8_t family,
			  const char *table, const char *chain, bool first)
{
	r->b = b;
	r->nlh = nft_start(b, NFT_MSG_NEWRULE, first ? NLM_F_CREATE : NLM_F_CREATE | NLM_F_APPEND,
			   family, first ? "insert rule" : "add rule");
	put_str(b, r->nlh, NFTA_RULE_TABLE, table);
	put_str(b, r->nlh, NFTA_RULE_CHAIN, chain);
	r->exprs = nest(b, r->nlh, NFTA_RULE_EXPRESSIONS);
}

static void rule_start(struct rule *r, struct vrrp_nft_batch *b, uint8_t family,
		       const char *table, const char *chain)
{
	rule_start_at(r, b, family, table, chain, false);
}

static void rule_end(struct rule *r)
{
	nest_end(r->b, r->nlh, r->exprs);
	msg_end(r->b, r->nlh, true);
}

static void e_payload(struct rule *r, uint32_t base, uint32_t off, uint32_t len,
		      uint32_t dreg)
{
	expr_start(r, "payload");
	put_be32(r->b, r->nlh, NFTA_PAYLOAD_DREG, dreg);
	put_be32(r->b, r->nlh, NFTA_PAYLOAD_BASE, base);
	put_be32(r->b, r->nlh, NFTA_PAYLOAD_OFFSET, off);
	put_be32(r->b, r->nlh, NFTA_PAYLOAD_LEN, len);
	expr_end(r);
}

static void e_meta(struct rule *r, uint32_t key, uint32_t dreg)
{
	expr_start(r, "meta");
	put_be32(r->b, r->nlh, NFTA_META_KEY, key);
	put_be32(r->b, r->nlh, NFTA_META_DREG, dreg);
	expr_end(r);
}

static void e_cmp_eq_reg(struct rule *r, uint32_t sreg, const void *v, size_t len)
{
	expr_start(r, "cmp");
	put_be32(r->b, r->nlh, NFTA_CMP_SREG, sreg);
	put_be32(r->b, r->nlh, NFTA_CMP_OP, NFT_CMP_EQ);
	put_data(r->b, r->nlh, NFTA_CMP_DATA, v, len);
	expr_end(r);
}

static void e_cmp_eq(struct rule *r, const void *v, size_t len)
{
	e_cmp_eq_reg(r, NFT_REG_1, v, len);
}

/* reg1 = reg1 & mask (xor 0) */
static void e_mask(struct rule *r, const void *mask, size_t len)
{
	static const uint8_t zero[16];

	expr_start(r, "bitwise");
	put_be32(r->b, r->nlh, NFTA_BITWISE_SREG, NFT_REG_1);
	put_be32(r->b, r->nlh, NFTA_BITWISE_DREG, NFT_REG_1);
	put_be32(r->b, r->nlh, NFTA_BITWISE_LEN, (uint32_t)len);
	put_data(r->b, r->nlh, NFTA_BITWISE_MASK, mask, len);
	put_data(r->b, r->nlh, NFTA_BITWISE_XOR, zero, len);
	expr_end(r);
}

/* Look sreg up in set; a map's data goes to dreg (0: a plain set). */
static void e_lookup_reg(struct rule *r, const char *set, uint32_t sreg, uint32_t dreg)
{
	expr_start(r, "lookup");
	put_str(r->b, r->nlh, NFTA_LOOKUP_SET, set);
	put_be32(r->b, r->nlh, NFTA_LOOKUP_SREG, sreg);
	if (dreg)
		put_be32(r->b, r->nlh, NFTA_LOOKUP_DREG, dreg);
	expr_end(r);
}

static void e_lookup(struct rule *r, const char *set)
{
	e_lookup_reg(r, set, NFT_REG_1, 0);
}

/* Send a copy to the address in sreg_addr through the interface in sreg_dev. */
static void e_dup(struct rule *r, uint32_t sreg_addr, uint32_t sreg_dev)
{
	expr_start(r, "dup");
	put_be32(r->b, r->nlh, NFTA_DUP_SREG_ADDR, sreg_addr);
	put_be32(r->b, r->nlh, NFTA_DUP_SREG_DEV, sreg_dev);
	expr_end(r);
}

static void e_counter(struct rule *r, bool on)
{
	if (!on)
		return;
	expr_start(r, "counter");
	put_be64(r->b, r->nlh, NFTA_COUNTER_BYTES, 0);
	put_be64(r->b, r->nlh, NFTA_COUNTER_PACKETS, 0);
	expr_end(r);
}

/* The verdict: code NF_DROP / NF_ACCEPT / NFT_GOTO (with chain). */
static void e_verdict(struct rule *r, int code, const char *chain)
{
	struct nlattr *data, *v;

	expr_start(r, "immediate");
	put_be32(r->b, r->nlh, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	data = nest(r->b, r->nlh, NFTA_IMMEDIATE_DATA);
	v = nest(r->b, r->nlh, NFTA_DATA_VERDICT);
	put_be32(r->b, r->nlh, NFTA_VERDICT_CODE, (uint32_t)code);
	if (chain)
		put_str(r->b, r->nlh, NFTA_VERDICT_CHAIN, chain);
	nest_end(r->b, r->nlh, v);
	nest_end(r->b, r->nlh, data);
	expr_end(r);
}

/* ---- the rules ------------------------------------------------------------------ */

/* Offset of the source or destination address in the IPv4 / IPv6 header. */
static uint32_t addr_offset(uint8_t family, enum vrrp_nft_dir dir)
{
	if (family == NFPROTO_IPV6)
		return dir == VRRP_NFT_DST ? 24 : 8;
	return dir == VRRP_NFT_DST ? 16 : 12;
}

void vrrp_nft_msg_rule_addr_drop(struct vrrp_nft_batch *b, uint8_t family, const char *table,
				 const char *chain, enum vrrp_nft_dir dir, const char *set,
				 bool counter)
{
	struct rule r;

	rule_start(&r, b, family, table, chain);
	e_payload(&r, NFT_PAYLOAD_NETWORK_HEADER, addr_offset(family, dir),
		  family == NFPROTO_IPV6 ? 16 : 4, NFT_REG_1);
	e_lookup(&r, set);
	e_counter(&r, counter);
	e_verdict(&r, NF_DROP, NULL);
	rule_end(&r);
}

void vrrp_nft_msg_rule_icmp6_accept(struct vrrp_nft_batch *b, const char *table,
				    const char *chain, const char *set, bool counter)
{
	static const uint8_t icmp6 = ICMPV6_PROTO;
	struct rule r;

	rule_start(&r, b, NFPROTO_IPV6, table, chain);
	/* the next header field, as the nft tool writes "icmpv6 type" */
	e_payload(&r, NFT_PAYLOAD_NETWORK_HEADER, 6, 1, NFT_REG_1);
	e_cmp_eq(&r, &icmp6, 1);
	e_payload(&r, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1, NFT_REG_1);
	e_lookup(&r, set);
	e_counter(&r, counter);
	e_verdict(&r, NF_ACCEPT, NULL);
	rule_end(&r);
}

void vrrp_nft_msg_rule_ll_goto(struct vrrp_nft_batch *b, const char *table, const char *chain,
			       enum vrrp_nft_dir dir, const char *target, bool counter)
{
	static const uint8_t mask[16] = { 0xff, 0xc0 }, fe80[16] = { 0xfe, 0x80 };
	struct rule r;

	rule_start(&r, b, NFPROTO_IPV6, table, chain);
	e_payload(&r, NFT_PAYLOAD_NETWORK_HEADER, addr_offset(NFPROTO_IPV6, dir), 16, NFT_REG_1);
	e_mask(&r, mask, sizeof(mask));
	e_cmp_eq(&r, fe80, sizeof(fe80));
	e_counter(&r, counter);
	e_verdict(&r, NFT_GOTO, target);
	rule_end(&r);
}

void vrrp_nft_msg_rule_ll_drop(struct vrrp_nft_batch *b, const char *table, const char *chain,
			       enum vrrp_nft_dir dir, bool by_name, const char *set, bool counter)
{
	uint32_t key;
	struct rule r;

	if (dir == VRRP_NFT_DST)
		key = by_name ? NFT_META_IIFNAME : NFT_META_IIF;
	else
		key = by_name ? NFT_META_OIFNAME : NFT_META_OIF;
	rule_start(&r, b, NFPROTO_IPV6, table, chain);
	/* the address fills register 1, the interface follows it in register 2:
	 * together they form the set's concatenated key */
	e_payload(&r, NFT_PAYLOAD_NETWORK_HEADER, addr_offset(NFPROTO_IPV6, dir), 16, NFT_REG_1);
	e_meta(&r, key, NFT_REG_2);
	e_lookup(&r, set);
	e_counter(&r, counter);
	e_verdict(&r, NF_DROP, NULL);
	rule_end(&r);
}

/* "meta l4proto icmpv6 icmpv6 type T": the type behind any extension header */
static void m_icmp6_type(struct rule *r, uint8_t type)
{
	static const uint8_t icmp6 = ICMPV6_PROTO;

	e_meta(r, NFT_META_L4PROTO, NFT_REG_1);
	e_cmp_eq(r, &icmp6, 1);
	e_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1, NFT_REG_1);
	e_cmp_eq(r, &type, 1);
}

/* "meta oifkind "macvlan"", in register 2 */
static void m_macvlan(struct rule *r)
{
	static const char kind[16] = "macvlan";

	e_meta(r, NFT_META_OIFKIND, NFT_REG_2);
	e_cmp_eq_reg(r, NFT_REG_2, kind, sizeof(kind));
}

void vrrp_nft_msg_rule_vmac_report(struct vrrp_nft_batch *b, uint8_t family, const char *table,
				   const char *chain, const char *map, bool counter)
{
	static const uint8_t igmp = IGMP_PROTO;
	bool v6 = family == NFPROTO_IPV6;
	struct rule r;

	rule_start_at(&r, b, family, table, chain, true);
	if (v6) {
		m_icmp6_type(&r, MLD2_REPORT);
	} else {
		e_payload(&r, NFT_PAYLOAD_NETWORK_HEADER, 9, 1, NFT_REG_1); /* protocol */
		e_cmp_eq(&r, &igmp, 1);
	}
	/* the group the report is sent to, the parent the map gives for the VMAC */
	e_payload(&r, NFT_PAYLOAD_NETWORK_HEADER, addr_offset(family, VRRP_NFT_DST),
		  v6 ? 16 : 4, NFT_REG_1);
	m_macvlan(&r);
	e_meta(&r, NFT_META_OIF, NFT_REG_2);
	e_lookup_reg(&r, map, NFT_REG_2, NFT_REG_2);
	e_dup(&r, NFT_REG_1, NFT_REG_2);
	e_counter(&r, counter);
	e_verdict(&r, NF_DROP, NULL);
	rule_end(&r);
}

void vrrp_nft_msg_rule_vmac_rs_drop(struct vrrp_nft_batch *b, const char *table,
				    const char *chain, const char *set, bool counter)
{
	struct rule r;

	rule_start_at(&r, b, NFPROTO_IPV6, table, chain, true);
	m_icmp6_type(&r, ND_ROUTER_SOLICIT);
	m_macvlan(&r);
	e_meta(&r, NFT_META_OIF, NFT_REG_2);
	e_lookup_reg(&r, set, NFT_REG_2, 0);
	e_counter(&r, counter);
	e_verdict(&r, NF_DROP, NULL);
	rule_end(&r);
}

/* ---- answers -------------------------------------------------------------------- */

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* The extended ACK text among the TLVs at p (len bytes), into out. */
static int ack_text(const uint8_t *p, size_t len, char *out, size_t outlen, const char **why)
{
	while (len >= sizeof(struct nlattr)) {
		struct nlattr a;

		memcpy(&a, p, sizeof(a));
		if (a.nla_len < sizeof(a) || a.nla_len > len) {
			*why = "extended ACK attribute overruns the message";
			return -EBADMSG;
		}
		if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			const char *s = (const char *)p + sizeof(a);
			size_t n = a.nla_len - sizeof(a);

			if (!n || memchr(s, '\0', n) == NULL) {
				*why = "extended ACK text is not terminated";
				return -EBADMSG;
			}
			snprintf(out, outlen, "%s", s);
		}
		if (align4(a.nla_len) >= len)
			break;
		p += align4(a.nla_len);
		len -= align4(a.nla_len);
	}
	return 0;
}

/* One NLMSG_ERROR message of mlen bytes at p. */
static int parse_error(const uint8_t *p, size_t mlen, struct vrrp_nft_reply *r,
		       const char **why)
{
	struct nlmsghdr h;
	struct nlmsgerr e;
	size_t off = MNL_NLMSG_HDRLEN + sizeof(e);

	if (mlen < off) {
		*why = "error message shorter than its header";
		return -EBADMSG;
	}
	memcpy(&h, p, sizeof(h));
	memcpy(&e, p + MNL_NLMSG_HDRLEN, sizeof(e));
	if (e.error > 0 || e.error < -4095) {
		*why = "error code out of range";
		return -EBADMSG;
	}
	memset(r, 0, sizeof(*r));
	r->seq = h.nlmsg_seq;
	r->error = e.error;
	if (!(h.nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	/* without NLM_F_CAPPED the request's payload is echoed before the TLVs */
	if (!(h.nlmsg_flags & NLM_F_CAPPED)) {
		if (e.msg.nlmsg_len < MNL_NLMSG_HDRLEN ||
		    e.msg.nlmsg_len - MNL_NLMSG_HDRLEN > mlen - off) {
			*why = "echoed request overruns the error message";
			return -EBADMSG;
		}
		off += e.msg.nlmsg_len - MNL_NLMSG_HDRLEN;
	}
	off = align4(off);
	if (off >= mlen)
		return 0;
	return ack_text(p + off, mlen - off, r->msg, sizeof(r->msg), why);
}

int vrrp_nft_msg_replies(const void *buf, size_t len, struct vrrp_nft_reply *out, size_t max,
			 size_t *n, const char **why)
{
	const uint8_t *p = buf;
	size_t got = 0;
	int rc = 0;

	while (len > 0) {
		struct nlmsghdr h;

		if (len < sizeof(h)) {
			*why = "truncated message header";
			rc = -EBADMSG;
			break;
		}
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len) {
			*why = "message length out of bounds";
			rc = -EBADMSG;
			break;
		}
		if (h.nlmsg_type == NLMSG_ERROR && got < max) {
			rc = parse_error(p, h.nlmsg_len, &out[got], why);
			if (rc < 0)
				break;
			got++;
		}
		if (align4(h.nlmsg_len) >= len)
			break;
		p += align4(h.nlmsg_len);
		len -= align4(h.nlmsg_len);
	}
	if (n)
		*n = got;
	return rc < 0 ? rc : (int)got;
}
