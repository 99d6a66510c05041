/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nl_priv.h - internals shared by the vrrp_nl*.c files */
#ifndef KA_VRRP_NL_PRIV_H
#define KA_VRRP_NL_PRIV_H

#include <linux/netlink.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include "log.h"
#include "vrrp/vrrp_nl.h"

#define VRRP_NL_ACKMSG 256

struct vrrp_nl {
	struct nl_sock *cmd;        /* synchronous requests and dumps */
	struct nl_sock *mon;        /* notifications; NULL without a loop */
	struct ev_loop *loop;
	struct nl_cache *links;     /* AF_UNSPEC links; NULL without a monitor */
	struct nl_cache *addrs;     /* IPv4 and IPv6 addresses; idem */
	struct vrrp_nl_cbs cbs;
	void *arg;
	int ack_errno;              /* errno of the last refused request */
	char ack_msg[VRRP_NL_ACKMSG]; /* its extended-ack text, "" if none */
	struct log_rl rl;           /* malformed notifications */
};

/* Operations, for the benign-error table and messages. */
enum vrrp_nl_op { VRRP_NL_ADDR, VRRP_NL_ROUTE, VRRP_NL_RULE, VRRP_NL_LINK };

/* Send msg (freed) on the command socket and wait for the kernel's answer.
 * Returns 0 or -errno; the extended-ack text is left in nl->ack_msg. */
int vrrp_nl_talk(struct vrrp_nl *nl, struct nl_msg *msg);

/* errno for a libnl error code (negative or positive), never 0. */
int vrrp_nl_errno(int nlerr);

/* Whether error e (> 0) of op means "already done": EEXIST on add, object
 * missing on delete. Pure. */
bool vrrp_nl_benign(enum vrrp_nl_op op, bool add, int e);

/* "WHAT: strerror(e)[: kernel text]" into err. Returns -e. */
int vrrp_nl_fail(const struct vrrp_nl *nl, char *err, size_t errlen, const char *what, int e);

/* Find the extended-ack message (NLMSGERR_ATTR_MSG) in an NLMSG_ERROR
 * message of len bytes; copies it into buf. Returns its length, 0 if none.
 * Pure. */
size_t vrrp_nl_extack(const struct nlmsghdr *h, size_t len, char *buf, size_t buflen);

/* libnl address for a ka_addr, with prefix length plen (-1: full). */
struct nl_addr *vrrp_nl_addr_new(const struct ka_addr *a, int plen);

/* The link ifindex (or name if ifindex is 0): from the cache, or queried.
 * Returns a reference (rtnl_link_put) or NULL. */
struct rtnl_link *vrrp_nl_link_get(struct vrrp_nl *nl, int ifindex, const char *name);

/* Interface index for an object's dev (or dflt if dev is NULL), 0 if the
 * interface does not exist; name gets the interface name for messages. */
int vrrp_nl_dev(struct vrrp_nl *nl, const char *dev, int dflt, char *name, size_t len);

/* Monitor (vrrp_nl_mon.c). */
int vrrp_nl_mon_open(struct vrrp_nl *nl);
void vrrp_nl_mon_close(struct vrrp_nl *nl);

/* Route and rule notifications (vrrp_nl_track.c): the key of a deletion
 * of a "proto keepalived" route / rule, 0, or -1 for any other message
 * (pure, unit-tested); and the dispatch to the callbacks. */
int vrrp_nl_route_key_of(struct nlmsghdr *h, struct vrrp_nl_route_key *k);
int vrrp_nl_rule_key_of(struct nlmsghdr *h, struct vrrp_nl_rule_key *k);
void vrrp_nl_mon_track(struct vrrp_nl *nl, struct nlmsghdr *h);

/* Build the libnl address object of an address line (pure, unit-tested):
 * for add every option, for delete only what identifies the address. */
struct rtnl_addr *vrrp_nl_addr_build(const struct vrrp_ipaddr *ip, int ifindex, bool add);

/* Text of an address/route/rule for messages (pure, unit-tested). */
void vrrp_nl_addr_text(const struct vrrp_ipaddr *ip, const char *dev, char *buf, size_t len);
void vrrp_nl_route_text(const struct vrrp_route *r, char *buf, size_t len);
void vrrp_nl_rule_text(const struct vrrp_rule *r, char *buf, size_t len);

#endif
