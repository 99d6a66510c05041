/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nl_addr.c - address add/delete, and whole instance / static blocks */
#include <errno.h>
#include <linux/if_addr.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <netlink/attr.h>

#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_nl_priv.h"

#define ERRLEN 512

void vrrp_nl_addr_text(const struct vrrp_ipaddr *ip, const char *dev, char *buf, size_t len)
{
	char a[KA_ADDR_STRLEN], p[KA_ADDR_STRLEN];
	struct ka_addr local = ip->addr, peer = ip->peer;

	/* With a peer, the prefix length is the peer's. */
	local.has_prefix = !ip->peer.family;
	peer.prefix = ip->addr.prefix;
	peer.has_prefix = true;
	if (ip->peer.family)
		snprintf(buf, len, "%s peer %s dev %s", ka_addr_str(&local, a),
			 ka_addr_str(&peer, p), dev);
	else
		snprintf(buf, len, "%s dev %s", ka_addr_str(&local, a), dev);
}

/* Options that only matter when the address is created. */
static int addr_build_extra(struct rtnl_addr *a, const struct vrrp_ipaddr *ip)
{
	uint32_t flags = ip->ifa_flags;
	int rc = 0;

	if (ip->brd.family == AF_INET) {
		struct nl_addr *b = vrrp_nl_addr_new(&ip->brd, -1);
		rc = b ? rtnl_addr_set_broadcast(a, b) : -1;
		nl_addr_put(b);
	}
	if (ip->scope >= 0)
		rtnl_addr_set_scope(a, ip->scope);
	if (ip->label && rc >= 0)
		rc = rtnl_addr_set_label(a, ip->label);
	/* keepalived puts every IPv6 address up without duplicate address
	 * detection: usable at once, and never left "dadfailed" when both
	 * nodes hold it during a split brain. */
	if (ip->addr.family == AF_INET6 && !ip->dad)
		flags |= IFA_F_NODAD;
	if (ip->dad)
		flags &= ~(uint32_t)IFA_F_NODAD;
	if (flags)
		rtnl_addr_set_flags(a, flags);
	if (ip->preferred_lft != VRRP_LFT_FOREVER) {
		rtnl_addr_set_preferred_lifetime(a, ip->preferred_lft);
		rtnl_addr_set_valid_lifetime(a, VRRP_LFT_FOREVER);
	}
	return rc;
}

struct rtnl_addr *vrrp_nl_addr_build(const struct vrrp_ipaddr *ip, int ifindex, bool add)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local = vrrp_nl_addr_new(&ip->addr, ip->addr.prefix);
	struct nl_addr *peer = NULL;
	int rc = a && local ? 0 : -1;

	if (rc == 0) {
		rtnl_addr_set_family(a, ip->addr.family);
		rtnl_addr_set_ifindex(a, ifindex);
		rc = rtnl_addr_set_local(a, local);
	}
	/* libnl knows IPv4 peers only; vrrp_nl_addr() adds an IPv6 one. The
	 * prefix length then belongs to the peer. */
	if (rc == 0 && ip->peer.family == AF_INET) {
		peer = vrrp_nl_addr_new(&ip->peer, ip->addr.prefix);
		rc = peer ? rtnl_addr_set_peer(a, peer) : -1;
	}
	if (rc == 0 && add)
		rc = addr_build_extra(a, ip);
	nl_addr_put(local);
	nl_addr_put(peer);
	if (rc < 0 && a) {
		rtnl_addr_put(a);
		a = NULL;
	}
	return a;
}

static int addr_msg(const struct vrrp_ipaddr *ip, int ifindex, bool add, struct nl_msg **msg)
{
	struct rtnl_addr *a = vrrp_nl_addr_build(ip, ifindex, add);
	int rc;

	if (!a)
		return -EINVAL;
	if (add)
		rc = rtnl_addr_build_add_request(a, NLM_F_CREATE | NLM_F_EXCL, msg);
	else
		rc = rtnl_addr_build_delete_request(a, 0, msg);
	rtnl_addr_put(a);
	if (rc < 0)
		return -vrrp_nl_errno(rc);
	/* A second IFA_ADDRESS: the kernel takes the last one as the peer. */
	if (ip->peer.family == AF_INET6 &&
	    nla_put(*msg, IFA_ADDRESS, sizeof(ip->peer.u.v6), &ip->peer.u.v6) < 0) {
		nlmsg_free(*msg);
		return -ENOMEM;
	}
	return 0;
}

int vrrp_nl_addr(struct vrrp_nl *nl, const struct vrrp_ipaddr *ip, int default_ifindex,
		 bool add, char *err, size_t errlen)
{
	char dev[64], text[160], what[192];
	int idx = vrrp_nl_dev(nl, ip->dev, default_ifindex, dev, sizeof(dev));
	struct nl_msg *msg = NULL;
	int rc;

	vrrp_nl_addr_text(ip, dev, text, sizeof(text));
	snprintf(what, sizeof(what), "%s address %s", add ? "add" : "delete", text);
	/* Nothing can be left on an interface that does not exist. */
	if (!idx)
		return add ? vrrp_nl_fail(NULL, err, errlen, what, ENODEV) : 0;
	rc = addr_msg(ip, idx, add, &msg);
	if (rc == 0)
		rc = vrrp_nl_talk(nl, msg);
	if (rc < 0 && !vrrp_nl_benign(VRRP_NL_ADDR, add, -rc))
		return vrrp_nl_fail(nl, err, errlen, what, -rc);
	return 0;
}

/* ---- whole blocks --------------------------------------------------------------- */

/* Every object is tried; the caller gets the first error code and the
 * messages of all failures, "; "-separated. */
struct batch {
	struct vrrp_nl *nl;
	int dflt;
	bool add;
	int rc;
	char *err;
	size_t errlen;
	size_t used;
};

static void batch_note(struct batch *b, int rc, const char *msg)
{
	int n;

	if (rc >= 0)
		return;
	if (b->rc == 0)
		b->rc = rc;
	if (!b->err || b->used + 1 >= b->errlen)
		return;
	n = snprintf(b->err + b->used, b->errlen - b->used, "%s%s", b->used ? "; " : "", msg);
	b->used = n < 0 ? b->used : b->used + (size_t)n;
	if (b->used >= b->errlen)
		b->used = b->errlen - 1;
}

static void batch_addrs(struct batch *b, const struct cfg_list *l)
{
	char msg[ERRLEN];

	cfg_list_for_each(const struct vrrp_ipaddr, ip, l)
		batch_note(b, vrrp_nl_addr(b->nl, ip, b->dflt, b->add, msg, sizeof(msg)), msg);
}

static void batch_routes(struct batch *b, const struct cfg_list *l)
{
	char msg[ERRLEN];

	cfg_list_for_each(const struct vrrp_route, r, l)
		batch_note(b, vrrp_nl_route(b->nl, r, b->add, msg, sizeof(msg)), msg);
}

static void batch_rules(struct batch *b, const struct cfg_list *l)
{
	char msg[ERRLEN];

	cfg_list_for_each(const struct vrrp_rule, r, l)
		batch_note(b, vrrp_nl_rule(b->nl, r, b->add, msg, sizeof(msg)), msg);
}

/* Routes may use the addresses (src) and rules the routes' tables: build
 * bottom-up, tear down top-down. */
static int batch_run(struct batch *b, const struct cfg_list *a1, const struct cfg_list *a2,
		     const struct cfg_list *routes, const struct cfg_list *rules)
{
	if (b->err && b->errlen)
		b->err[0] = '\0';
	if (b->add) {
		batch_addrs(b, a1);
		if (a2)
			batch_addrs(b, a2);
		batch_routes(b, routes);
		batch_rules(b, rules);
	} else {
		batch_rules(b, rules);
		batch_routes(b, routes);
		if (a2)
			batch_addrs(b, a2);
		batch_addrs(b, a1);
	}
	return b->rc;
}

int vrrp_nl_apply_instance(struct vrrp_nl *nl, const struct vrrp_instance_cfg *inst,
			   int default_ifindex, bool add, char *err, size_t errlen)
{
	struct batch b = { nl, default_ifindex, add, 0, err, errlen, 0 };

	return batch_run(&b, &inst->vips, &inst->evips, &inst->vroutes, &inst->vrules);
}

int vrrp_nl_release_instance(struct vrrp_nl *nl, const struct vrrp_instance_cfg *inst,
			     int default_ifindex, char *err, size_t errlen)
{
	return vrrp_nl_apply_instance(nl, inst, default_ifindex, false, err, errlen);
}

int vrrp_nl_apply_static(struct vrrp_nl *nl, const struct vrrp_cfg *cfg, int default_ifindex,
			 bool add, char *err, size_t errlen)
{
	struct batch b = { nl, default_ifindex, add, 0, err, errlen, 0 };

	return batch_run(&b, &cfg->static_addrs, NULL, &cfg->static_routes,
			 &cfg->static_rules);
}
