/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nl_rule.c - add/delete one policy rule line (virtual_rules, static_rules) */
#include <endian.h>
#include <errno.h>
#include <linux/fib_rules.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/handlers.h>
#include <netlink/route/rule.h>

#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_nl_priv.h"

/*
 * The rule is a libnl rtnl_rule; "not", suppress_prefixlength,
 * suppress_ifgroup, uidrange and tunnel-id, which libnl-route-3 does not
 * know, are added to the message it builds. A delete carries every
 * selector too, so that only this exact rule goes.
 */

#define RTPROT_KA 18 /* RTPROT_KEEPALIVED */

static const char *action_text(const struct vrrp_rule *r, char *buf, size_t len)
{
	switch (r->action) {
	case FR_ACT_TO_TBL:
		if (r->l3mdev)
			return "l3mdev";
		if (r->table_name)
			snprintf(buf, len, "table %s", r->table_name);
		else
			snprintf(buf, len, "table %u", r->table);
		return buf;
	case FR_ACT_GOTO:
		snprintf(buf, len, "goto %u", r->goto_target);
		return buf;
	case FR_ACT_NOP:
		return "nop";
	case FR_ACT_BLACKHOLE:
		return "blackhole";
	case FR_ACT_UNREACHABLE:
		return "unreachable";
	case FR_ACT_PROHIBIT:
		return "prohibit";
	default:
		snprintf(buf, len, "action %d", r->action);
		return buf;
	}
}

void vrrp_nl_rule_text(const struct vrrp_rule *r, char *buf, size_t len)
{
	char f[KA_ADDR_STRLEN], t[KA_ADDR_STRLEN], act[40];
	struct ka_addr from = r->from, to = r->to;
	size_t n;

	from.has_prefix = to.has_prefix = true;
	n = (size_t)snprintf(buf, len, "%s%sfrom %s", r->family == AF_INET6 ? "inet6 " : "",
			     r->invert ? "not " : "", from.family ? ka_addr_str(&from, f) : "all");
	if (n < len && to.family)
		n += (size_t)snprintf(buf + n, len - n, " to %s", ka_addr_str(&to, t));
	if (n < len && (r->set & VRRP_RULE_PRIORITY))
		n += (size_t)snprintf(buf + n, len - n, " pref %u", r->priority);
	if (n < len)
		snprintf(buf + n, len - n, " %s", action_text(r, act, sizeof(act)));
}

struct ru_build {
	const struct vrrp_rule *r;
	bool add;
	char why[96];
};

static int set_prefix(struct rtnl_rule *ru, const struct ka_addr *a,
		      int (*set)(struct rtnl_rule *, struct nl_addr *))
{
	struct nl_addr *na;
	int rc;

	/* "all" (no family) selects nothing */
	if (a->family == AF_UNSPEC)
		return 0;
	na = vrrp_nl_addr_new(a, a->prefix);
	rc = na ? set(ru, na) : -NLE_NOMEM;
	nl_addr_put(na);
	return rc < 0 ? -vrrp_nl_errno(rc) : 0;
}

static int build_action(struct ru_build *b, struct rtnl_rule *ru)
{
	const struct vrrp_rule *r = b->r;
	uint32_t table = r->table;

	rtnl_rule_set_action(ru, (uint8_t)r->action);
	if (r->action == FR_ACT_GOTO)
		rtnl_rule_set_goto(ru, r->goto_target);
	if (r->l3mdev)
		rtnl_rule_set_l3mdev(ru, 1);
	if (r->action != FR_ACT_TO_TBL || r->l3mdev)
		return 0;
	if (r->table_name && vrrp_nl_table_id(r->table_name, &table) < 0) {
		snprintf(b->why, sizeof(b->why), "unknown table name '%s' (not in rt_tables)",
			 r->table_name);
		return -ENOENT;
	}
	rtnl_rule_set_table(ru, table);
	return 0;
}

static int build_selectors(struct ru_build *b, struct rtnl_rule *ru)
{
	const struct vrrp_rule *r = b->r;
	int rc = 0;

	if (r->set & VRRP_RULE_PRIORITY)
		rtnl_rule_set_prio(ru, r->priority);
	if (r->tos >= 0)
		rtnl_rule_set_dsfield(ru, (uint8_t)r->tos);
	if (r->set & VRRP_RULE_FWMARK)
		rtnl_rule_set_mark(ru, r->fwmark);
	if (r->set & VRRP_RULE_FWMASK)
		rtnl_rule_set_mask(ru, r->fwmask);
	if (r->realms)
		rtnl_rule_set_realms(ru, r->realms);
	if (r->ipproto >= 0)
		rc = rtnl_rule_set_ipproto(ru, (uint8_t)r->ipproto);
	if (rc >= 0 && (r->set & VRRP_RULE_SPORT))
		rc = rtnl_rule_set_sport_range(ru, r->sport_start, r->sport_end);
	if (rc >= 0 && (r->set & VRRP_RULE_DPORT))
		rc = rtnl_rule_set_dport_range(ru, r->dport_start, r->dport_end);
	/* keepalived marks tracked rules so that it can recognise them. */
	if (rc >= 0 && (r->protocol >= 0 || !r->no_track))
		rc = rtnl_rule_set_protocol(ru, (uint8_t)(r->protocol >= 0 ? r->protocol :
							  RTPROT_KA));
	if (rc >= 0 && r->iif)
		rc = rtnl_rule_set_iif(ru, r->iif);
	if (rc >= 0 && r->oif)
		rc = rtnl_rule_set_oif(ru, r->oif);
	if (rc < 0)
		return -vrrp_nl_errno(rc);
	rc = set_prefix(ru, &r->from, rtnl_rule_set_src);
	return rc < 0 ? rc : set_prefix(ru, &r->to, rtnl_rule_set_dst);
}

/* What libnl-route-3 has no setter for. */
static int put_extras(const struct vrrp_rule *r, struct nl_msg *msg)
{
	struct fib_rule_hdr *frh = nlmsg_data(nlmsg_hdr(msg));
	int rc = 0;

	if (r->invert)
		frh->flags |= FIB_RULE_INVERT;
	if (r->suppress_prefixlen >= 0)
		rc = nla_put_u32(msg, FRA_SUPPRESS_PREFIXLEN, (uint32_t)r->suppress_prefixlen);
	if (rc >= 0 && (r->set & VRRP_RULE_SUPGROUP))
		rc = nla_put_u32(msg, FRA_SUPPRESS_IFGROUP, r->suppress_ifgroup);
	if (rc >= 0 && (r->set & VRRP_RULE_UIDRANGE)) {
		struct fib_rule_uid_range u = { .start = r->uid_start, .end = r->uid_end };
		rc = nla_put(msg, FRA_UID_RANGE, sizeof(u), &u);
	}
	if (rc >= 0 && (r->set & VRRP_RULE_TUNID))
		rc = nla_put_u64(msg, FRA_TUN_ID, htobe64(r->tunnel_id));
	return rc < 0 ? -vrrp_nl_errno(rc) : 0;
}

static int rule_msg(struct ru_build *b, struct nl_msg **msg)
{
	struct rtnl_rule *ru = rtnl_rule_alloc();
	int rc = ru ? 0 : -ENOMEM;

	if (rc == 0) {
		rtnl_rule_set_family(ru, b->r->family);
		rc = build_action(b, ru);
	}
	if (rc == 0)
		rc = build_selectors(b, ru);
	if (rc == 0) {
		rc = b->add ? rtnl_rule_build_add_request(ru, NLM_F_EXCL, msg) :
			      rtnl_rule_build_delete_request(ru, 0, msg);
		rc = rc < 0 ? -vrrp_nl_errno(rc) : 0;
	}
	if (rc == 0) {
		rc = put_extras(b->r, *msg);
		if (rc < 0)
			nlmsg_free(*msg);
	}
	if (ru)
		rtnl_rule_put(ru);
	return rc;
}

/* ---- is an equal rule already there? ------------------------------------------ */

/*
 * The kernel refuses a duplicate rule only when the request names a
 * priority; without one it picks a free priority and adds a second copy.
 * So before adding such a rule, the rules of its family are dumped and
 * compared with the request the way the kernel compares rules (priority
 * and protocol aside), with the kernel's defaults filled in so that a rule
 * as sent and as dumped give the same key.
 */
struct rule_key {
	uint8_t family, dst_len, src_len, tos, action, invert, l3mdev, ipproto;
	uint32_t table, goto_target, mark, mask, flow, sup_pl, sup_grp;
	uint64_t tun_id;
	struct fib_rule_uid_range uid;
	struct fib_rule_port_range sport, dport;
	uint8_t src[16], dst[16];
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
};

static uint32_t attr_u32(struct nlattr *a, uint32_t dflt)
{
	return a && nla_len(a) >= 4 ? nla_get_u32(a) : dflt;
}

static uint8_t attr_u8(struct nlattr *a)
{
	return a && nla_len(a) >= 1 ? nla_get_u8(a) : 0;
}

static void attr_copy(void *dst, size_t size, struct nlattr *a)
{
	if (a)
		memcpy(dst, nla_data(a), (size_t)nla_len(a) < size ? (size_t)nla_len(a) : size);
}

static int rule_key_of(struct nlmsghdr *h, struct rule_key *k)
{
	const struct fib_rule_hdr *frh = nlmsg_data(h);
	struct nlattr *tb[FRA_MAX + 1];

	memset(k, 0, sizeof(*k));
	if (nlmsg_parse(h, sizeof(*frh), tb, FRA_MAX, NULL) < 0)
		return -1;
	k->family = frh->family;
	k->dst_len = frh->dst_len;
	k->src_len = frh->src_len;
	k->tos = frh->tos;
	k->action = frh->action;
	k->invert = frh->flags & FIB_RULE_INVERT;
	k->table = attr_u32(tb[FRA_TABLE], frh->table);
	k->goto_target = attr_u32(tb[FRA_GOTO], 0);
	k->mark = attr_u32(tb[FRA_FWMARK], 0);
	k->mask = attr_u32(tb[FRA_FWMASK], tb[FRA_FWMARK] ? UINT32_MAX : 0);
	k->flow = attr_u32(tb[FRA_FLOW], 0);
	k->sup_pl = attr_u32(tb[FRA_SUPPRESS_PREFIXLEN], UINT32_MAX);
	k->sup_grp = attr_u32(tb[FRA_SUPPRESS_IFGROUP], UINT32_MAX);
	k->l3mdev = attr_u8(tb[FRA_L3MDEV]);
	k->ipproto = attr_u8(tb[FRA_IP_PROTO]);
	k->uid.end = UINT32_MAX;
	attr_copy(&k->uid, sizeof(k->uid), tb[FRA_UID_RANGE]);
	attr_copy(&k->tun_id, sizeof(k->tun_id), tb[FRA_TUN_ID]);
	attr_copy(&k->sport, sizeof(k->sport), tb[FRA_SPORT_RANGE]);
	attr_copy(&k->dport, sizeof(k->dport), tb[FRA_DPORT_RANGE]);
	if (k->src_len)
		attr_copy(k->src, sizeof(k->src), tb[FRA_SRC]);
	if (k->dst_len)
		attr_copy(k->dst, sizeof(k->dst), tb[FRA_DST]);
	attr_copy(k->iif, sizeof(k->iif) - 1, tb[FRA_IIFNAME]);
	attr_copy(k->oif, sizeof(k->oif) - 1, tb[FRA_OIFNAME]);
	return 0;
}

struct rule_find {
	struct rule_key want;
	bool found;
};

static int rule_dump_cb(struct nl_msg *msg, void *arg)
{
	struct rule_find *f = arg;
	struct rule_key k;

	if (nlmsg_hdr(msg)->nlmsg_type == RTM_NEWRULE && rule_key_of(nlmsg_hdr(msg), &k) == 0 &&
	    !memcmp(&k, &f->want, sizeof(k)))
		f->found = true;
	return NL_OK;
}

/* 1 if a rule equal to the request req is installed, 0 if not, or -errno. */
static int rule_exists(struct vrrp_nl *nl, struct nl_msg *req)
{
	struct rule_find f = { .found = false };
	struct fib_rule_hdr frh = { 0 };
	struct nl_cb *base, *cb;
	int rc;

	if (rule_key_of(nlmsg_hdr(req), &f.want) < 0)
		return -EINVAL;
	frh.family = f.want.family;
	rc = nl_send_simple(nl->cmd, RTM_GETRULE, NLM_F_DUMP, &frh, sizeof(frh));
	if (rc < 0)
		return -vrrp_nl_errno(rc);
	base = nl_socket_get_cb(nl->cmd);
	cb = base ? nl_cb_clone(base) : NULL;
	if (base)
		nl_cb_put(base);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, rule_dump_cb, &f);
	rc = nl_recvmsgs(nl->cmd, cb);
	nl_cb_put(cb);
	if (rc < 0)
		return -vrrp_nl_errno(rc);
	return f.found;
}

int vrrp_nl_rule(struct vrrp_nl *nl, const struct vrrp_rule *r, bool add, char *err,
		 size_t errlen)
{
	struct ru_build b = { .r = r, .add = add };
	char text[200], what[320];
	struct nl_msg *msg = NULL;
	int rc;

	vrrp_nl_rule_text(r, text, sizeof(text));
	snprintf(what, sizeof(what), "%s rule %s", add ? "add" : "delete", text);
	rc = rule_msg(&b, &msg);
	/* A rule for a table that has no number could not have been added. */
	if (rc == -ENOENT && !add)
		return 0;
	if (rc < 0) {
		if (b.why[0] && err && errlen) {
			snprintf(err, errlen, "%s: %s", what, b.why);
			return rc;
		}
		return vrrp_nl_fail(NULL, err, errlen, what, -rc);
	}
	if (add && !(r->set & VRRP_RULE_PRIORITY)) {
		rc = rule_exists(nl, msg);
		if (rc != 0) {
			nlmsg_free(msg);
			return rc < 0 ? vrrp_nl_fail(nl, err, errlen, what, -rc) : 0;
		}
	}
	rc = vrrp_nl_talk(nl, msg);
	if (rc < 0 && !vrrp_nl_benign(VRRP_NL_RULE, add, -rc))
		return vrrp_nl_fail(nl, err, errlen, what, -rc);
	return 0;
}
