/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nl.c - rtnetlink command socket: open/close, request/ack with extended ack, errors */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>

#include "util.h"
#include "vrrp/vrrp_nl_priv.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* ---- errors ----------------------------------------------------------------- */

int vrrp_nl_errno(int nlerr)
{
	static const struct { int nle, e; } map[] = {
		{ NLE_INTR, EINTR },          { NLE_BAD_SOCK, EBADF },
		{ NLE_AGAIN, EAGAIN },        { NLE_NOMEM, ENOMEM },
		{ NLE_EXIST, EEXIST },        { NLE_INVAL, EINVAL },
		{ NLE_RANGE, ERANGE },        { NLE_MSGSIZE, EMSGSIZE },
		{ NLE_OPNOTSUPP, EOPNOTSUPP }, { NLE_AF_NOSUPPORT, EAFNOSUPPORT },
		{ NLE_OBJ_NOTFOUND, ENOENT }, { NLE_NOATTR, ENOENT },
		{ NLE_MISSING_ATTR, EINVAL }, { NLE_AF_MISMATCH, EINVAL },
		{ NLE_SEQ_MISMATCH, EPROTO }, { NLE_MSG_OVERFLOW, ENOBUFS },
		{ NLE_MSG_TRUNC, EMSGSIZE },  { NLE_NOADDR, EADDRNOTAVAIL },
		{ NLE_SRCRT_NOSUPPORT, EOPNOTSUPP }, { NLE_MSG_TOOSHORT, EPROTO },
		{ NLE_MSGTYPE_NOSUPPORT, EOPNOTSUPP }, { NLE_OBJ_MISMATCH, EINVAL },
		{ NLE_NOCACHE, ENOENT },      { NLE_BUSY, EBUSY },
		{ NLE_PROTO_MISMATCH, EPROTO }, { NLE_NOACCESS, EACCES },
		{ NLE_PERM, EPERM },          { NLE_PARSE_ERR, EPROTO },
		{ NLE_NODEV, ENODEV },        { NLE_IMMUTABLE, EINVAL },
		{ NLE_DUMP_INTR, EINTR },     { NLE_ATTRSIZE, ERANGE },
	};
	int n = nlerr < 0 ? -nlerr : nlerr;

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].nle == n)
			return map[i].e;
	return EIO;
}

bool vrrp_nl_benign(enum vrrp_nl_op op, bool add, int e)
{
	if (add)
		return e == EEXIST;
	switch (op) {
	case VRRP_NL_ADDR:   /* gone, or its interface (or inet6 dev) is */
		return e == EADDRNOTAVAIL || e == ENODEV || e == ENXIO || e == ENOENT;
	case VRRP_NL_ROUTE:
		return e == ESRCH || e == ENOENT || e == ENODEV;
	case VRRP_NL_RULE:
		return e == ENOENT || e == ESRCH;
	case VRRP_NL_LINK:
		return e == ENODEV;
	}
	return false;
}

int vrrp_nl_fail(const struct vrrp_nl *nl, char *err, size_t errlen, const char *what, int e)
{
	if (err && errlen) {
		if (nl && nl->ack_msg[0])
			snprintf(err, errlen, "%s: %s (%s)", what, strerror(e), nl->ack_msg);
		else
			snprintf(err, errlen, "%s: %s", what, strerror(e));
	}
	return -e;
}

size_t vrrp_nl_extack(const struct nlmsghdr *h, size_t len, char *buf, size_t buflen)
{
	const struct nlmsgerr *e;
	size_t off, inner = 0;

	if (buflen)
		buf[0] = '\0';
	if (len < NLMSG_HDRLEN + sizeof(*e) || h->nlmsg_type != NLMSG_ERROR ||
	    !(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	if (h->nlmsg_len < len)
		len = h->nlmsg_len;
	e = NLMSG_DATA(h);
	/* The request is echoed after the error unless the ack was capped. */
	if (!(h->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > NLMSG_HDRLEN)
		inner = e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e) + inner);
	while (off + sizeof(struct nlattr) <= len) {
		const struct nlattr *a = (const void *)((const char *)h + off);
		size_t alen = a->nla_len;
		if (alen < sizeof(*a) || off + alen > len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG && buflen) {
			const char *s = (const char *)a + NLA_HDRLEN;
			size_t n = strnlen(s, alen - NLA_HDRLEN);
			if (n >= buflen)
				n = buflen - 1;
			memcpy(buf, s, n);
			buf[n] = '\0';
			return n;
		}
		off += NLA_ALIGN(alen);
	}
	return 0;
}

/* ---- the command socket ------------------------------------------------------ */

static int cmd_err_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct vrrp_nl *nl = arg;
	/* libnl hands us the payload of the NLMSG_ERROR message it received. */
	const struct nlmsghdr *h = (const void *)((const char *)e - NLMSG_HDRLEN);

	nl->ack_errno = -e->error;
	vrrp_nl_extack(h, h->nlmsg_len, nl->ack_msg, sizeof(nl->ack_msg));
	return NL_STOP;
}

int vrrp_nl_talk(struct vrrp_nl *nl, struct nl_msg *msg)
{
	int rc;

	nl->ack_errno = 0;
	nl->ack_msg[0] = '\0';
	rc = nl_send_auto(nl->cmd, msg);
	nlmsg_free(msg);
	if (rc < 0)
		return -vrrp_nl_errno(rc);
	rc = nl_wait_for_ack(nl->cmd);
	if (rc < 0)
		return nl->ack_errno > 0 ? -nl->ack_errno : -vrrp_nl_errno(rc);
	return 0;
}

static int cmd_open(struct vrrp_nl *nl)
{
	int one = 1, fd, rc;

	nl->cmd = nl_socket_alloc();
	if (!nl->cmd)
		return -ENOMEM;
	rc = nl_connect(nl->cmd, NETLINK_ROUTE);
	if (rc < 0)
		return -vrrp_nl_errno(rc);
	rc = nl_socket_modify_err_cb(nl->cmd, NL_CB_CUSTOM, cmd_err_cb, nl);
	if (rc < 0)
		return -vrrp_nl_errno(rc);
	fd = nl_socket_get_fd(nl->cmd);
	/* Refusals carry the kernel's reason; the echoed request is not needed.
	 * Older kernels lack these options: the plain errno still works. */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

struct vrrp_nl *vrrp_nl_open(struct ev_loop *loop, const struct vrrp_nl_cbs *cbs, void *arg)
{
	struct vrrp_nl *nl = xcalloc(1, sizeof(*nl));
	int rc;

	if (cbs)
		nl->cbs = *cbs;
	nl->arg = arg;
	nl->loop = loop;
	rc = cmd_open(nl);
	if (rc == 0 && loop)
		rc = vrrp_nl_mon_open(nl);
	if (rc < 0) {
		vrrp_nl_close(nl);
		errno = -rc;
		return NULL;
	}
	return nl;
}

void vrrp_nl_close(struct vrrp_nl *nl)
{
	if (!nl)
		return;
	vrrp_nl_mon_close(nl);
	if (nl->cmd)
		nl_socket_free(nl->cmd);
	free(nl);
}

int vrrp_nl_set_rcvbuf(struct vrrp_nl *nl, bool monitor, unsigned size, bool force)
{
	struct nl_sock *sk = monitor ? nl->mon : nl->cmd;
	int v = size > INT_MAX ? INT_MAX : (int)size;

	if (!sk)
		return -ENOTCONN;
	if (setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, force ? SO_RCVBUFFORCE : SO_RCVBUF,
		       &v, sizeof(v)) < 0)
		return -errno;
	return 0;
}

/* ---- shared helpers ------------------------------------------------------------ */

struct nl_addr *vrrp_nl_addr_new(const struct ka_addr *a, int plen)
{
	struct nl_addr *na;

	if (a->family == AF_INET)
		na = nl_addr_build(AF_INET, &a->u.v4, sizeof(a->u.v4));
	else if (a->family == AF_INET6)
		na = nl_addr_build(AF_INET6, &a->u.v6, sizeof(a->u.v6));
	else
		return NULL;
	if (na && plen >= 0)
		nl_addr_set_prefixlen(na, plen);
	return na;
}

struct rtnl_link *vrrp_nl_link_get(struct vrrp_nl *nl, int ifindex, const char *name)
{
	struct rtnl_link *link = NULL;

	if (nl->links)
		link = ifindex > 0 ? rtnl_link_get(nl->links, ifindex) :
				     rtnl_link_get_by_name(nl->links, name);
	/* A link created a moment ago may not have been notified yet. */
	if (!link && (ifindex > 0 || name) &&
	    rtnl_link_get_kernel(nl->cmd, ifindex > 0 ? ifindex : 0,
				 ifindex > 0 ? NULL : name, &link) < 0)
		link = NULL;
	return link;
}

int vrrp_nl_dev(struct vrrp_nl *nl, const char *dev, int dflt, char *name, size_t len)
{
	int idx;

	if (dev) {
		snprintf(name, len, "%s", dev);
		idx = vrrp_nl_ifindex(nl, dev);
		return idx > 0 ? idx : 0;
	}
	if (dflt <= 0) {
		snprintf(name, len, "(no interface)");
		return 0;
	}
	if (vrrp_nl_ifname(nl, dflt, name, len) < 0)
		snprintf(name, len, "if%d", dflt);
	return dflt;
}
