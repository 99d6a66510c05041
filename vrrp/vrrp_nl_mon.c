/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nl_mon.c - rtnetlink monitor: link and address caches kept current from notifications */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/object.h>
#include <netlink/socket.h>

#include "ev.h"
#include "vrrp/vrrp_nl_priv.h"

/*
 * The monitor socket is subscribed before the caches are dumped, so no
 * change falls between the dump and the first notification; notifications
 * for what the dump already saw are harmless (a link is only reported when
 * its name, up state or master differs from the cache, an address only when
 * it was not cached). If the socket overflows (ENOBUFS), notifications were lost:
 * what is still queued is dropped, both caches are dumped again and the
 * differences reported.
 */

#define MON_RCVBUF   (4 * 1024 * 1024)
#define MON_MAX_READ 64 /* datagrams per wake-up; the loop calls again */

static bool link_up(struct rtnl_link *l)
{
	unsigned f = rtnl_link_get_flags(l);
	return (f & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
}

static bool same_link_state(struct rtnl_link *a, struct rtnl_link *b)
{
	const char *na = rtnl_link_get_name(a), *nb = rtnl_link_get_name(b);

	/* a new master (enslaved to a VRF) changes where sockets bind */
	return link_up(a) == link_up(b) && na && nb && !strcmp(na, nb) &&
	       rtnl_link_get_master(a) == rtnl_link_get_master(b);
}

static void report_link(struct vrrp_nl *nl, struct rtnl_link *l, bool deleted)
{
	const char *name = rtnl_link_get_name(l);
	int idx = rtnl_link_get_ifindex(l);

	if (deleted && nl->cbs.link_deleted)
		nl->cbs.link_deleted(idx, name ? name : "", nl->arg);
	else if (!deleted && nl->cbs.link_changed)
		nl->cbs.link_changed(idx, name ? name : "", link_up(l), nl->arg);
}

static void report_addr(struct vrrp_nl *nl, struct rtnl_addr *a, bool added)
{
	struct nl_addr *local = rtnl_addr_get_local(a);
	struct ka_addr ka = { .family = AF_UNSPEC };
	int fam = rtnl_addr_get_family(a);
	size_t want = fam == AF_INET ? 4 : 16;

	if (!nl->cbs.addr_changed || !local || (fam != AF_INET && fam != AF_INET6) ||
	    nl_addr_get_len(local) != want)
		return;
	ka.family = (sa_family_t)fam;
	ka.prefix = (uint8_t)rtnl_addr_get_prefixlen(a);
	ka.has_prefix = true;
	memcpy(&ka.u, nl_addr_get_binary_addr(local), want);
	nl->cbs.addr_changed(fam, &ka, rtnl_addr_get_ifindex(a), added, nl->arg);
}

/* Replace (or add, or remove) obj in cache; returns the previous object, a
 * reference for the caller, or NULL. */
static struct nl_object *cache_swap(struct nl_cache *cache, struct nl_object *obj, bool del)
{
	struct nl_object *old = nl_cache_search(cache, obj);

	if (old)
		nl_cache_remove(old);
	if (!del)
		nl_cache_add(cache, obj);
	return old;
}

/* Addresses of a deleted link leave the cache with it, silently: the kernel
 * notifies each of them anyway. */
static void purge_addrs(struct vrrp_nl *nl, int ifindex)
{
	struct nl_object *o = nl_cache_get_first(nl->addrs), *next;

	for (; o; o = next) {
		next = nl_cache_get_next(o);
		if (rtnl_addr_get_ifindex((struct rtnl_addr *)o) == ifindex)
			nl_cache_remove(o);
	}
}

static void mon_link(struct vrrp_nl *nl, struct rtnl_link *l, bool del)
{
	struct nl_object *old;

	/* Bridge-port and per-protocol (inet6) link messages carry another
	 * family and only part of the state. */
	if (rtnl_link_get_family(l) != AF_UNSPEC)
		return;
	old = cache_swap(nl->links, (struct nl_object *)l, del);
	if (del) {
		purge_addrs(nl, rtnl_link_get_ifindex(l));
		report_link(nl, l, true);
	} else if (!old || !same_link_state((struct rtnl_link *)old, l)) {
		report_link(nl, l, false);
	}
	if (old)
		nl_object_put(old);
}

static void mon_addr(struct vrrp_nl *nl, struct rtnl_addr *a, bool del)
{
	struct nl_object *old = cache_swap(nl->addrs, (struct nl_object *)a, del);

	/* A new message for a known address is an update (flags, lifetimes). */
	if (del ? old != NULL : old == NULL)
		report_addr(nl, a, !del);
	if (old)
		nl_object_put(old);
}

static void mon_obj_cb(struct nl_object *obj, void *arg)
{
	struct vrrp_nl *nl = arg;

	switch (nl_object_get_msgtype(obj)) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		mon_link(nl, (struct rtnl_link *)obj, nl_object_get_msgtype(obj) == RTM_DELLINK);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		mon_addr(nl, (struct rtnl_addr *)obj, nl_object_get_msgtype(obj) == RTM_DELADDR);
		break;
	default:
		break;
	}
}

static int mon_msg_cb(struct nl_msg *msg, void *arg)
{
	struct vrrp_nl *nl = arg;
	int rc;

	switch (nlmsg_hdr(msg)->nlmsg_type) {
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
	case RTM_NEWRULE:
	case RTM_DELRULE:
		vrrp_nl_mon_track(nl, nlmsg_hdr(msg));
		return NL_OK;
	}
	rc = nl_msg_parse(msg, mon_obj_cb, nl);

	if (rc < 0 && rc != -NLE_MSGTYPE_NOSUPPORT)
		log_rl_msg(&nl->rl, LOG_WARNING, "netlink: unreadable notification type %u: %s",
			   nlmsg_hdr(msg)->nlmsg_type, nl_geterror(rc));
	return NL_OK;
}

/* ---- resynchronisation after lost notifications ---------------------------- */

struct resync {
	struct vrrp_nl *nl;
	struct nl_cache *other;
	bool links;
	bool gone; /* walking the old cache: report what the new one lacks */
};

static void resync_obj_cb(struct nl_object *obj, void *arg)
{
	struct resync *r = arg;
	struct nl_object *o = nl_cache_search(r->other, obj);

	if (r->links) {
		if (r->gone && !o)
			report_link(r->nl, (struct rtnl_link *)obj, true);
		else if (!r->gone && (!o || !same_link_state((struct rtnl_link *)o,
							     (struct rtnl_link *)obj)))
			report_link(r->nl, (struct rtnl_link *)obj, false);
	} else if (!o) {
		report_addr(r->nl, (struct rtnl_addr *)obj, !r->gone);
	}
	if (o)
		nl_object_put(o);
}

static void resync_one(struct vrrp_nl *nl, struct nl_cache **cur, struct nl_cache *fresh,
		       bool links)
{
	struct resync r = { nl, *cur, links, false };

	nl_cache_foreach(fresh, resync_obj_cb, &r);
	r.other = fresh;
	r.gone = true;
	nl_cache_foreach(*cur, resync_obj_cb, &r);
	nl_cache_free(*cur);
	*cur = fresh;
}

static int fill_caches(struct vrrp_nl *nl, struct nl_cache **links, struct nl_cache **addrs)
{
	int rc = rtnl_link_alloc_cache(nl->cmd, AF_UNSPEC, links);

	if (rc < 0)
		return -vrrp_nl_errno(rc);
	rc = rtnl_addr_alloc_cache(nl->cmd, addrs);
	if (rc < 0) {
		nl_cache_free(*links);
		*links = NULL;
		return -vrrp_nl_errno(rc);
	}
	return 0;
}

/* What is still queued predates the loss: the dump that follows is newer. */
static void mon_drain(struct vrrp_nl *nl)
{
	char buf[512];
	int fd = nl_socket_get_fd(nl->mon);

	for (int i = 0; i < 100000; i++)
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC) < 0 && errno != ENOBUFS &&
		    errno != EINTR)
			break;
}

static void mon_resync(struct vrrp_nl *nl)
{
	struct nl_cache *links, *addrs;
	int rc;

	mon_drain(nl);
	rc = fill_caches(nl, &links, &addrs);

	if (rc < 0) {
		log_rl_msg(&nl->rl, LOG_ERR, "netlink: cannot re-read links and addresses: %s",
			   strerror(-rc));
		return;
	}
	log_rl_msg(&nl->rl, LOG_WARNING, "netlink: notifications lost, links and addresses "
		   "re-read");
	resync_one(nl, &nl->links, links, true);
	resync_one(nl, &nl->addrs, addrs, false);
	if (nl->cbs.resynced)
		nl->cbs.resynced(nl->arg);
}

/* ---- socket ------------------------------------------------------------------- */

static void mon_read_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct vrrp_nl *nl = arg;

	for (int i = 0; i < MON_MAX_READ; i++) {
		int rc = nl_recvmsgs_default(nl->mon);
		if (rc == -NLE_AGAIN)
			return;
		if (rc == -NLE_NOMEM || rc == -NLE_MSG_OVERFLOW) {
			mon_resync(nl);
			continue;
		}
		if (rc < 0) {
			log_rl_msg(&nl->rl, LOG_WARNING, "netlink: monitor: %s", nl_geterror(rc));
			return;
		}
	}
}

static int mon_socket(struct vrrp_nl *nl)
{
	int rc;

	nl->mon = nl_socket_alloc();
	if (!nl->mon)
		return -ENOMEM;
	nl_socket_disable_seq_check(nl->mon);
	nl_socket_enable_msg_peek(nl->mon);
	rc = nl_socket_modify_cb(nl->mon, NL_CB_VALID, NL_CB_CUSTOM, mon_msg_cb, nl);
	if (rc >= 0)
		rc = nl_connect(nl->mon, NETLINK_ROUTE);
	if (rc >= 0)
		rc = nl_socket_add_memberships(nl->mon, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
					       RTNLGRP_IPV6_IFADDR, 0);
	if (rc >= 0 && nl->cbs.route_deleted)
		rc = nl_socket_add_memberships(nl->mon, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE, 0);
	if (rc >= 0 && nl->cbs.rule_deleted)
		rc = nl_socket_add_memberships(nl->mon, RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE, 0);
	if (rc >= 0)
		rc = nl_socket_set_nonblocking(nl->mon);
	if (rc < 0)
		return -vrrp_nl_errno(rc);
	/* Bursts (many VMACs, an interface flap with many addresses) must not
	 * overflow; FORCE needs CAP_NET_ADMIN, the plain option is capped. */
	if (vrrp_nl_set_rcvbuf(nl, true, MON_RCVBUF, true) < 0)
		(void)vrrp_nl_set_rcvbuf(nl, true, MON_RCVBUF, false);
	return 0;
}

int vrrp_nl_mon_open(struct vrrp_nl *nl)
{
	int rc = mon_socket(nl);

	if (rc == 0)
		rc = fill_caches(nl, &nl->links, &nl->addrs);
	if (rc == 0 && ev_fd_add(nl->loop, nl_socket_get_fd(nl->mon), EV_READ, mon_read_cb,
				 nl) < 0)
		rc = -errno;
	return rc;
}

void vrrp_nl_mon_close(struct vrrp_nl *nl)
{
	if (nl->mon) {
		if (nl->loop)
			ev_fd_del(nl->loop, nl_socket_get_fd(nl->mon));
		nl_socket_free(nl->mon);
		nl->mon = NULL;
	}
	if (nl->links)
		nl_cache_free(nl->links);
	if (nl->addrs)
		nl_cache_free(nl->addrs);
	nl->links = nl->addrs = NULL;
}
