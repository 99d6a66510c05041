/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nl_link.c - interface lookups, VMAC (macvlan) creation, link up/down/delete */
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "vrrp/vrrp_nl_priv.h"

#include <linux/rtnetlink.h>
#include <netlink/attr.h>

/* After vrrp_nl_priv.h: these two do not include what they use. */
#include <netlink/route/link/inet6.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/vrf.h>

/* ---- link lookups ----------------------------------------------------------- */

int vrrp_nl_ifindex(struct vrrp_nl *nl, const char *name)
{
	struct rtnl_link *l = name ? vrrp_nl_link_get(nl, 0, name) : NULL;
	int idx;

	if (!l)
		return -ENODEV;
	idx = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	return idx > 0 ? idx : -ENODEV;
}

int vrrp_nl_ifname(struct vrrp_nl *nl, int ifindex, char *buf, size_t len)
{
	struct rtnl_link *l = ifindex > 0 ? vrrp_nl_link_get(nl, ifindex, NULL) : NULL;
	const char *name = l ? rtnl_link_get_name(l) : NULL;
	int rc = name ? 0 : -ENODEV;

	if (name)
		snprintf(buf, len, "%s", name);
	if (l)
		rtnl_link_put(l);
	return rc;
}

bool vrrp_nl_link_is_up(struct vrrp_nl *nl, int ifindex)
{
	struct rtnl_link *l = ifindex > 0 ? vrrp_nl_link_get(nl, ifindex, NULL) : NULL;
	unsigned flags;

	if (!l)
		return false;
	flags = rtnl_link_get_flags(l);
	rtnl_link_put(l);
	return (flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
}

bool vrrp_nl_link_admin_up(struct vrrp_nl *nl, int ifindex)
{
	struct rtnl_link *l = ifindex > 0 ? vrrp_nl_link_get(nl, ifindex, NULL) : NULL;
	bool up = l && (rtnl_link_get_flags(l) & IFF_UP);

	if (l)
		rtnl_link_put(l);
	if (up || ifindex <= 0)
		return up;
	/* the cache may not have seen the notification of a change just made */
	if (rtnl_link_get_kernel(nl->cmd, ifindex, NULL, &l) < 0 || !l)
		return false;
	up = rtnl_link_get_flags(l) & IFF_UP;
	rtnl_link_put(l);
	return up;
}

int vrrp_nl_link_mac(struct vrrp_nl *nl, int ifindex, uint8_t mac[6])
{
	struct rtnl_link *l = ifindex > 0 ? vrrp_nl_link_get(nl, ifindex, NULL) : NULL;
	struct nl_addr *a;
	int rc = -EINVAL;

	if (!l)
		return -ENODEV;
	a = rtnl_link_get_addr(l);
	if (a && nl_addr_get_len(a) == 6) {
		memcpy(mac, nl_addr_get_binary_addr(a), 6);
		rc = 0;
	}
	rtnl_link_put(l);
	return rc;
}

int vrrp_nl_link_mtu(struct vrrp_nl *nl, int ifindex)
{
	struct rtnl_link *l = ifindex > 0 ? vrrp_nl_link_get(nl, ifindex, NULL) : NULL;
	int mtu;

	if (!l)
		return -ENODEV;
	mtu = (int)rtnl_link_get_mtu(l);
	rtnl_link_put(l);
	return mtu > 0 ? mtu : -ENODEV;
}

int vrrp_nl_link_parent(struct vrrp_nl *nl, int ifindex)
{
	struct rtnl_link *l = ifindex > 0 ? vrrp_nl_link_get(nl, ifindex, NULL) : NULL;
	int parent;

	if (!l)
		return -ENODEV;
	parent = rtnl_link_get_link(l);
	rtnl_link_put(l);
	return parent > 0 ? parent : 0;
}

/* A VRF is an l3mdev master of kind "vrf"; a bridge or bond master is not. */
static struct rtnl_link *vrf_link(struct vrrp_nl *nl, int ifindex, const char *name)
{
	struct rtnl_link *l = vrrp_nl_link_get(nl, ifindex, name);

	if (l && !rtnl_link_is_vrf(l)) {
		rtnl_link_put(l);
		return NULL;
	}
	return l;
}

int vrrp_nl_link_vrf(struct vrrp_nl *nl, int ifindex)
{
	struct rtnl_link *l = ifindex > 0 ? vrrp_nl_link_get(nl, ifindex, NULL) : NULL;
	struct rtnl_link *m;
	int master;

	if (!l)
		return -ENODEV;
	master = rtnl_link_get_master(l);
	rtnl_link_put(l);
	m = master > 0 ? vrf_link(nl, master, NULL) : NULL;
	if (!m)
		return 0;
	rtnl_link_put(m);
	return master;
}

int vrrp_nl_vrf_table(struct vrrp_nl *nl, const char *name, uint32_t *table)
{
	struct rtnl_link *l = name ? vrrp_nl_link_get(nl, 0, name) : NULL;
	int rc = 0;

	if (!l)
		return -ENODEV;
	if (!rtnl_link_is_vrf(l) || rtnl_link_vrf_get_tableid(l, table) < 0)
		rc = -EINVAL;
	rtnl_link_put(l);
	return rc;
}

/* ---- address lookups -------------------------------------------------------- */

/* The address cache, or (without a monitor) a fresh dump that *tmp says to
 * free. NULL if the dump fails. */
static struct nl_cache *addr_cache(struct vrrp_nl *nl, bool *tmp)
{
	struct nl_cache *c = NULL;

	*tmp = !nl->addrs;
	if (nl->addrs)
		return nl->addrs;
	if (rtnl_addr_alloc_cache(nl->cmd, &c) < 0)
		return NULL;
	return c;
}

typedef bool (*addr_match_fn)(struct rtnl_addr *a, const void *arg);

/* Copy the local address of the first address of family on ifindex (0 =
 * any) accepted by match into out. Returns 0 or -EADDRNOTAVAIL. */
static int addr_find(struct vrrp_nl *nl, int family, int ifindex, addr_match_fn match,
		     const void *arg, void *out)
{
	bool tmp;
	struct nl_cache *c = addr_cache(nl, &tmp);
	int rc = -EADDRNOTAVAIL;

	if (!c)
		return rc;
	for (struct nl_object *o = nl_cache_get_first(c); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		struct nl_addr *local = rtnl_addr_get_local(a);
		size_t len = family == AF_INET ? 4 : 16;
		if (rtnl_addr_get_family(a) != family || !local ||
		    nl_addr_get_len(local) != len ||
		    (ifindex > 0 && rtnl_addr_get_ifindex(a) != ifindex) || !match(a, arg))
			continue;
		if (out)
			memcpy(out, nl_addr_get_binary_addr(local), len);
		rc = 0;
		break;
	}
	if (tmp)
		nl_cache_free(c);
	return rc;
}

static bool is_primary(struct rtnl_addr *a, const void *arg)
{
	return !(rtnl_addr_get_flags(a) & IFA_F_SECONDARY);
}

int vrrp_nl_primary_ipv4(struct vrrp_nl *nl, int ifindex, struct in_addr *out)
{
	return addr_find(nl, AF_INET, ifindex, is_primary, NULL, out);
}

static bool is_usable_ll(struct rtnl_addr *a, const void *arg)
{
	const struct in6_addr *in6 = nl_addr_get_binary_addr(rtnl_addr_get_local(a));
	return IN6_IS_ADDR_LINKLOCAL(in6) &&
	       !(rtnl_addr_get_flags(a) & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
}

int vrrp_nl_ipv6_linklocal(struct vrrp_nl *nl, int ifindex, struct in6_addr *out)
{
	return addr_find(nl, AF_INET6, ifindex, is_usable_ll, NULL, out);
}

static bool is_same(struct rtnl_addr *a, const void *arg)
{
	const struct ka_addr *k = arg;
	const void *bin = nl_addr_get_binary_addr(rtnl_addr_get_local(a));
	return !memcmp(bin, &k->u, k->family == AF_INET ? 4 : 16);
}

bool vrrp_nl_has_addr(struct vrrp_nl *nl, const struct ka_addr *addr, int ifindex)
{
	if (addr->family != AF_INET && addr->family != AF_INET6)
		return false;
	return addr_find(nl, addr->family, ifindex, is_same, addr, NULL) == 0;
}

/* ---- link requests ----------------------------------------------------------- */

/* Send the change of link ifindex described by chg (put here). */
static int link_change(struct vrrp_nl *nl, int ifindex, struct rtnl_link *chg)
{
	struct rtnl_link *orig = rtnl_link_alloc();
	struct nl_msg *msg = NULL;
	int rc = -ENOMEM;

	if (orig) {
		rtnl_link_set_ifindex(orig, ifindex);
		rc = rtnl_link_build_change_request(orig, chg, 0, &msg);
		rc = rc < 0 ? -vrrp_nl_errno(rc) : vrrp_nl_talk(nl, msg);
		rtnl_link_put(orig);
	}
	rtnl_link_put(chg);
	return rc;
}

int vrrp_nl_link_set_up(struct vrrp_nl *nl, int ifindex, bool up, char *err, size_t errlen)
{
	struct rtnl_link *chg = rtnl_link_alloc();
	char what[64];
	int rc;

	snprintf(what, sizeof(what), "set link %d %s", ifindex, up ? "up" : "down");
	if (!chg)
		return vrrp_nl_fail(NULL, err, errlen, what, ENOMEM);
	if (up)
		rtnl_link_set_flags(chg, IFF_UP);
	else
		rtnl_link_unset_flags(chg, IFF_UP);
	rc = link_change(nl, ifindex, chg);
	return rc < 0 ? vrrp_nl_fail(nl, err, errlen, what, -rc) : 0;
}

int vrrp_nl_link_delete(struct vrrp_nl *nl, int ifindex, char *err, size_t errlen)
{
	struct rtnl_link *l = rtnl_link_alloc();
	struct nl_msg *msg = NULL;
	char what[64];
	int rc;

	snprintf(what, sizeof(what), "delete link %d", ifindex);
	if (!l)
		return vrrp_nl_fail(NULL, err, errlen, what, ENOMEM);
	rtnl_link_set_ifindex(l, ifindex);
	rc = rtnl_link_build_delete_request(l, &msg);
	rtnl_link_put(l);
	rc = rc < 0 ? -vrrp_nl_errno(rc) : vrrp_nl_talk(nl, msg);
	if (rc < 0 && !vrrp_nl_benign(VRRP_NL_LINK, false, -rc))
		return vrrp_nl_fail(nl, err, errlen, what, -rc);
	return 0;
}

/* ---- VMAC ----------------------------------------------------------------------- */

/* What to do with an interface already called name: 1 reuse it, 0 create
 * (after deleting a stale VMAC), or -errno. */
static int vmac_existing(struct vrrp_nl *nl, int parent, const char *name, const uint8_t mac[6])
{
	struct rtnl_link *l = NULL;
	struct nl_addr *a;
	bool same;
	int idx, rc;

	/* Ask the kernel: the cache may lag behind a just-deleted VMAC. */
	if (rtnl_link_get_kernel(nl->cmd, 0, name, &l) < 0 || !l)
		return 0;
	if (!rtnl_link_is_macvlan(l)) {
		rtnl_link_put(l);
		return -EEXIST;
	}
	a = rtnl_link_get_addr(l);
	same = rtnl_link_get_link(l) == parent && a && nl_addr_get_len(a) == 6 &&
	       !memcmp(nl_addr_get_binary_addr(a), mac, 6);
	idx = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	if (same)
		return 1;
	rc = vrrp_nl_link_delete(nl, idx, NULL, 0);
	return rc < 0 ? rc : 0;
}

static int vmac_add(struct vrrp_nl *nl, int parent, const char *name, const uint8_t mac[6])
{
	struct rtnl_link *l = rtnl_link_macvlan_alloc();
	struct nl_addr *a = nl_addr_build(AF_LLC, mac, 6);
	struct nl_msg *msg = NULL;
	int rc = -ENOMEM;

	if (l && a) {
		rtnl_link_set_name(l, name);
		rtnl_link_set_link(l, parent);
		rtnl_link_set_addr(l, a);
		/* Private: frames between VMACs of one parent are not bridged,
		 * so two instances on one box never see each other's adverts
		 * through the macvlan driver. */
		rc = rtnl_link_macvlan_set_mode(l, MACVLAN_MODE_PRIVATE);
		if (rc >= 0)
			rc = rtnl_link_build_add_request(l, NLM_F_CREATE | NLM_F_EXCL, &msg);
		rc = rc < 0 ? -vrrp_nl_errno(rc) : vrrp_nl_talk(nl, msg);
	}
	if (a)
		nl_addr_put(a);
	if (l)
		rtnl_link_put(l);
	return rc;
}

/* ---- IPVLAN ---------------------------------------------------------------------- */

/* What to do with an interface already called name: 1 reuse, 0 create
 * (after deleting an ipvlan on another parent), or -errno. */
static int ipvlan_existing(struct vrrp_nl *nl, int parent, const char *name)
{
	struct rtnl_link *l = NULL;
	const char *kind;
	bool ipvlan, same;
	int idx, rc;

	if (rtnl_link_get_kernel(nl->cmd, 0, name, &l) < 0 || !l)
		return 0;
	kind = rtnl_link_get_type(l);
	ipvlan = kind && !strcmp(kind, "ipvlan");
	same = ipvlan && rtnl_link_get_link(l) == parent;
	idx = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	if (!ipvlan)
		return -EEXIST;
	if (same)
		return 1;
	rc = vrrp_nl_link_delete(nl, idx, NULL, 0);
	return rc < 0 ? rc : 0;
}

/* libnl sets the ipvlan mode but not its flags: the request is built here. */
static int ipvlan_add(struct vrrp_nl *nl, int parent, const char *name, uint16_t flags)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *info, *data;

	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(msg, IFLA_LINK, (uint32_t)parent) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, name) < 0 ||
	    !(info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, "ipvlan") < 0 ||
	    !(data = nla_nest_start(msg, IFLA_INFO_DATA)) ||
	    nla_put_u16(msg, IFLA_IPVLAN_MODE, IPVLAN_MODE_L2) < 0 ||
	    nla_put_u16(msg, IFLA_IPVLAN_FLAGS, flags) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	return vrrp_nl_talk(nl, msg);
}

/* ---- creating either ------------------------------------------------------------ */

/* No derived link-local address: a VMAC's is the engine's to add (RFC 5798
 * 7.4), and an ipvlan shares its parent's MAC, so its own would duplicate
 * the parent's. */
static int link_no_addrgen(struct vrrp_nl *nl, int ifindex)
{
	struct rtnl_link *chg = rtnl_link_alloc();
	int rc;

	if (!chg)
		return -ENOMEM;
	rc = rtnl_link_inet6_set_addr_gen_mode(chg, IN6_ADDR_GEN_MODE_NONE);
	if (rc < 0) {
		rtnl_link_put(chg);
		return -vrrp_nl_errno(rc);
	}
	return link_change(nl, ifindex, chg);
}

/* A VMAC or ipvlan of a link in a VRF joins that VRF, so that its VIPs and
 * their connected routes land in the VRF's table as the parent's do. */
static int link_follow_vrf(struct vrrp_nl *nl, int parent, int ifindex)
{
	int vrf = vrrp_nl_link_vrf(nl, parent);
	struct rtnl_link *chg;

	if (vrf <= 0)
		return 0;
	chg = rtnl_link_alloc();
	if (!chg)
		return -ENOMEM;
	rtnl_link_set_master(chg, vrf);
	return link_change(nl, ifindex, chg);
}

/* Create or reuse name on parent, set up: a VMAC with mac, or without mac
 * an L2 ipvlan with flags; in the parent's VRF, if it has one. */
static int virt_link_create(struct vrrp_nl *nl, int parent, const char *name,
			    const uint8_t *mac, uint16_t flags, int *ifindex_out,
			    char *err, size_t errlen)
{
	char what[96], pname[IF_NAMESIZE] = "";
	int rc, idx;

	if (vrrp_nl_ifname(nl, parent, pname, sizeof(pname)) < 0)
		snprintf(pname, sizeof(pname), "if%d", parent);
	snprintf(what, sizeof(what), "create %s %s on %s", mac ? "VMAC" : "IPVLAN", name, pname);
	rc = mac ? vmac_existing(nl, parent, name, mac) : ipvlan_existing(nl, parent, name);
	if (rc == -EEXIST) {
		if (err && errlen)
			snprintf(err, errlen, "%s: an interface of another kind has that name",
				 what);
		return rc;
	}
	if (rc == 0)
		rc = mac ? vmac_add(nl, parent, name, mac) : ipvlan_add(nl, parent, name, flags);
	if (rc < 0)
		return vrrp_nl_fail(nl, err, errlen, what, -rc);
	idx = vrrp_nl_ifindex(nl, name);
	if (idx < 0)
		return vrrp_nl_fail(NULL, err, errlen, what, -idx);
	rc = link_no_addrgen(nl, idx);
	if (rc == 0)
		rc = link_follow_vrf(nl, parent, idx);
	if (rc < 0)
		return vrrp_nl_fail(nl, err, errlen, what, -rc);
	rc = vrrp_nl_link_set_up(nl, idx, true, err, errlen);
	if (rc < 0)
		return rc;
	if (ifindex_out)
		*ifindex_out = idx;
	return 0;
}

int vrrp_nl_vmac_create(struct vrrp_nl *nl, int parent_ifindex, const char *name,
			const uint8_t mac[6], int *ifindex_out, char *err, size_t errlen)
{
	return virt_link_create(nl, parent_ifindex, name, mac, 0, ifindex_out, err, errlen);
}

int vrrp_nl_ipvlan_create(struct vrrp_nl *nl, int parent_ifindex, const char *name,
			  unsigned flags, int *ifindex_out, char *err, size_t errlen)
{
	return virt_link_create(nl, parent_ifindex, name, NULL, (uint16_t)flags, ifindex_out,
				err, errlen);
}
