/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipvs_nl.c - socket side of the IPVS client: send one request, read its replies */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "ipvs_nl.h"
#include "util.h"

/* Big enough for the largest dump batch the kernel builds (32 KiB). */
#define IPVS_NL_RCVBUF 32768

/* A kernel that does not answer within this time is not going to. */
#define IPVS_NL_TIMEOUT_MS 10000

/* Called for each reply message of the request; returns 0 or -EBADMSG
 * with *why set. */
typedef int (*ipvs_reply_fn)(const struct nlmsghdr *nlh, void *arg, const char **why);

static void set_err(struct ipvs_nl *h, const char *what, int err, const char *detail)
{
	if (detail && *detail)
		snprintf(h->err, sizeof(h->err), "%s: %s (%s)", what, strerror(-err), detail);
	else
		snprintf(h->err, sizeof(h->err), "%s: %s", what, strerror(-err));
}

const char *ipvs_nl_errmsg(const struct ipvs_nl *h)
{
	return h->err;
}

int ipvs_nl_fd(const struct ipvs_nl *h)
{
	return h->sock ? mnl_socket_get_fd(h->sock) : -1;
}

/* What one request is waiting for, and what went wrong on the way. */
struct ipvs_wait {
	uint32_t seq;
	bool dump;
	int err;                /* first failure, 0 if none */
	const char *why;        /* static text for a malformed reply */
	char kernel[128];       /* extended-ACK text of a kernel error */
};

/*
 * Handle one message of a batch. Returns 1 when the request is complete
 * (ACK, error or end of dump), 0 to keep reading.
 */
static int handle_msg(struct ipvs_nl *h, const struct nlmsghdr *nlh, struct ipvs_wait *w,
		      ipvs_reply_fn fn, void *arg)
{
	if (nlh->nlmsg_seq != w->seq || !mnl_nlmsg_portid_ok(nlh, h->portid))
		return 0;       /* left over from an earlier request */
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		int kerr = 0;
		const char *text = NULL;
		if (ipvs_msg_parse_error(nlh, &kerr, &text)) {
			kerr = -EBADMSG;
			w->why = "malformed error message";
		}
		if (kerr && !w->err) {
			w->err = kerr;
			if (text)
				snprintf(w->kernel, sizeof(w->kernel), "%s", text);
		}
		return 1;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump that failed half-way says so in the DONE payload. */
		int derr = 0;
		if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
			memcpy(&derr, mnl_nlmsg_get_payload(nlh), sizeof(int));
		if (derr < 0 && !w->err)
			w->err = derr;
		return 1;
	}
	if (nlh->nlmsg_type == NLMSG_OVERRUN) {
		if (!w->err)
			w->err = -ENOBUFS;
		return 1;
	}
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return 0;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR && !w->err)
		w->err = -EINTR;        /* the table changed under the dump */
	/* After a failure keep reading (to the ACK or DONE) but parse no more. */
	if (fn && !w->err) {
		const char *why = NULL;
		if (fn(nlh, arg, &why)) {
			w->err = -EBADMSG;
			w->why = why ? why : "malformed reply";
		}
	}
	return 0;
}

/* Wait for the socket to be readable, within the time limit. */
static int wait_readable(struct ipvs_nl *h)
{
	struct pollfd p = { .fd = mnl_socket_get_fd(h->sock), .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, IPVS_NL_TIMEOUT_MS);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

/* Read batches until the request completes. Returns 0 or a negative errno
 * for a socket failure (reply errors are left in *w). */
static int read_replies(struct ipvs_nl *h, struct ipvs_wait *w, ipvs_reply_fn fn, void *arg)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(h->sock, h->buf, IPVS_NL_RCVBUF);
		if (n < 0) {
			int err = errno;
			if (err == EAGAIN || err == EWOULDBLOCK)
				err = -wait_readable(h);
			if (err == EINTR || err == 0)
				continue;
			return err == ENOSPC ? -EMSGSIZE : -err;
		}
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)h->buf;
		int len = (int)n;
		while (mnl_nlmsg_ok(nlh, len)) {
			if (handle_msg(h, nlh, w, fn, arg))
				return 0;
			nlh = mnl_nlmsg_next(nlh, &len);
		}
		if (len > 0 && !w->err) {
			w->err = -EBADMSG;
			w->why = "truncated netlink message";
		}
	}
}

/*
 * Send req (built in a caller buffer) and collect its replies through fn.
 * what names the operation for the error text. Dumps end with NLMSG_DONE,
 * everything else with the ACK requested here.
 */
static int transact(struct ipvs_nl *h, struct nlmsghdr *req, ipvs_reply_fn fn, void *arg,
		    const char *what)
{
	struct ipvs_wait w = { .seq = ++h->seq, .dump = req->nlmsg_flags & NLM_F_DUMP };

	if (!h->sock) {
		set_err(h, what, -EBADF, "IPVS socket not open");
		return -EBADF;
	}
	req->nlmsg_seq = w.seq;
	if (!w.dump)
		req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(h->sock, req, req->nlmsg_len) < 0) {
		int err = -errno;
		set_err(h, what, err, "send");
		return err;
	}
	int err = read_replies(h, &w, fn, arg);
	if (err) {
		set_err(h, what, err, "receive");
		return err;
	}
	if (w.err == -EBADMSG && w.why) {
		snprintf(h->err, sizeof(h->err), "%s: bad reply from the kernel: %s", what, w.why);
		return w.err;
	}
	if (w.err) {
		set_err(h, what, w.err, w.kernel);
		return w.err;
	}
	return 0;
}

/* A request whose builder failed never reaches the kernel. */
static int build_failed(struct ipvs_nl *h, const char *what, int err)
{
	snprintf(h->err, sizeof(h->err), "%s: cannot build request: %s", what, strerror(-err));
	return err;
}

static int family_cb(const struct nlmsghdr *nlh, void *arg, const char **why)
{
	return ipvs_msg_parse_family(nlh, arg, why);
}

int ipvs_nl_open(struct ipvs_nl *h)
{
	unsigned char req[IPVS_MSG_BUFSIZE];
	const char *what = "open IPVS netlink socket";
	int one = 1;

	memset(h, 0, sizeof(*h));
	h->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!h->sock || mnl_socket_bind(h->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;
		set_err(h, what, err, NULL);
		return err;
	}
	h->portid = mnl_socket_get_portid(h->sock);
	h->buf = xmalloc(IPVS_NL_RCVBUF);
	h->seq = (uint32_t)mono_usec();
	/* Kernels before 4.12 lack these: the client works without them. */
	mnl_socket_setsockopt(h->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(h->sock, NETLINK_CAP_ACK, &one, sizeof(one));

	struct nlmsghdr *nlh = ipvs_msg_getfamily(req, sizeof(req), 0);
	uint16_t id = 0;
	int err = transact(h, nlh, family_cb, &id,
			   "resolve generic netlink family " IPVS_GENL_NAME);
	if (err == -ENOENT)
		set_err(h, "resolve generic netlink family " IPVS_GENL_NAME, err,
			"the kernel has no IPVS: module ip_vs not loaded");
	if (err)
		return err;
	h->family = id;
	return 0;
}

void ipvs_nl_close(struct ipvs_nl *h)
{
	if (h->sock)
		mnl_socket_close(h->sock);
	free(h->buf);
	h->sock = NULL;
	h->buf = NULL;
}

/* A request with no object: info, flush, zero-all, list services. */
static int simple(struct ipvs_nl *h, uint8_t cmd, uint16_t flags, ipvs_reply_fn fn, void *arg,
		  const char *what)
{
	unsigned char req[IPVS_MSG_BUFSIZE];
	struct nlmsghdr *nlh = ipvs_msg_new(req, sizeof(req), h->family, cmd, flags, 0);

	return transact(h, nlh, fn, arg, what);
}

static int info_cb(const struct nlmsghdr *nlh, void *arg, const char **why)
{
	return ipvs_msg_parse_info(nlh, arg, why);
}

int ipvs_nl_get_info(struct ipvs_nl *h, struct ipvs_info *out)
{
	memset(out, 0, sizeof(*out));
	return simple(h, IPVS_CMD_GET_INFO, 0, info_cb, out, "get IPVS info");
}

int ipvs_nl_flush(struct ipvs_nl *h)
{
	return simple(h, IPVS_CMD_FLUSH, 0, NULL, NULL, "flush IPVS table");
}

/* A request about one service (and maybe one destination). */
static int svc_request(struct ipvs_nl *h, uint8_t cmd, uint16_t flags,
		       const struct ipvs_service *s, bool full, const struct ipvs_dest *d,
		       bool dfull, ipvs_reply_fn fn, void *arg, const char *what)
{
	unsigned char req[IPVS_MSG_BUFSIZE];
	struct nlmsghdr *nlh = ipvs_msg_new(req, sizeof(req), h->family, cmd, flags, 0);
	int err = ipvs_msg_put_service(nlh, sizeof(req), s, full);

	if (!err && d)
		err = ipvs_msg_put_dest(nlh, sizeof(req), d, dfull);
	if (err)
		return build_failed(h, what, err);
	return transact(h, nlh, fn, arg, what);
}

static const char *svc_what(char *buf, size_t len, const char *verb, const struct ipvs_service *s)
{
	char sv[IPVS_SVC_STRLEN];

	snprintf(buf, len, "%s %s", verb, ipvs_service_str(s, sv, sizeof(sv)));
	return buf;
}

int ipvs_nl_add_service(struct ipvs_nl *h, const struct ipvs_service *s)
{
	char what[IPVS_SVC_STRLEN + 32];

	svc_what(what, sizeof(what), "add service", s);
	return svc_request(h, IPVS_CMD_NEW_SERVICE, 0, s, true, NULL, false, NULL, NULL, what);
}

int ipvs_nl_edit_service(struct ipvs_nl *h, const struct ipvs_service *s)
{
	char what[IPVS_SVC_STRLEN + 32];

	svc_what(what, sizeof(what), "edit service", s);
	return svc_request(h, IPVS_CMD_SET_SERVICE, 0, s, true, NULL, false, NULL, NULL, what);
}

int ipvs_nl_del_service(struct ipvs_nl *h, const struct ipvs_service *s)
{
	char what[IPVS_SVC_STRLEN + 32];

	svc_what(what, sizeof(what), "delete service", s);
	return svc_request(h, IPVS_CMD_DEL_SERVICE, 0, s, false, NULL, false, NULL, NULL, what);
}

int ipvs_nl_zero(struct ipvs_nl *h, const struct ipvs_service *svc)
{
	char what[IPVS_SVC_STRLEN + 32];

	if (!svc)
		return simple(h, IPVS_CMD_ZERO, 0, NULL, NULL, "zero all IPVS counters");
	svc_what(what, sizeof(what), "zero counters of", svc);
	return svc_request(h, IPVS_CMD_ZERO, 0, svc, false, NULL, false, NULL, NULL, what);
}

/* Growing result arrays for dumps. */
struct ipvs_list {
	void *items;
	size_t n, cap, size;
	sa_family_t af;         /* service family, for destination replies */
};

static void *list_slot(struct ipvs_list *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->items = xrealloc(l->items, l->cap * l->size);
	}
	return (char *)l->items + l->n * l->size;
}

static int service_cb(const struct nlmsghdr *nlh, void *arg, const char **why)
{
	struct ipvs_list *l = arg;
	int err = ipvs_msg_parse_service(nlh, list_slot(l), why);

	if (!err)
		l->n++;
	return err;
}

static int dest_cb(const struct nlmsghdr *nlh, void *arg, const char **why)
{
	struct ipvs_list *l = arg;
	int err = ipvs_msg_parse_dest(nlh, l->af, list_slot(l), why);

	if (!err)
		l->n++;
	return err;
}

static int list_done(struct ipvs_list *l, int err, void **out, size_t *n)
{
	if (err || !l->n) {
		free(l->items);
		l->items = NULL;
		l->n = 0;
	}
	*out = l->items;
	*n = l->n;
	return err;
}

int ipvs_nl_get_service(struct ipvs_nl *h, const struct ipvs_service *key,
			struct ipvs_service *out)
{
	char what[IPVS_SVC_STRLEN + 32];
	struct ipvs_list l = { .size = sizeof(*out) };

	svc_what(what, sizeof(what), "get service", key);
	int err = svc_request(h, IPVS_CMD_GET_SERVICE, 0, key, false, NULL, false, service_cb, &l,
			      what);
	if (!err && l.n != 1) {
		err = -ESRCH;
		set_err(h, what, err, "no reply");
	}
	if (!err)
		*out = *(struct ipvs_service *)l.items;
	free(l.items);
	return err;
}

int ipvs_nl_list_services(struct ipvs_nl *h, struct ipvs_service **out, size_t *n)
{
	struct ipvs_list l = { .size = sizeof(**out) };
	int err = simple(h, IPVS_CMD_GET_SERVICE, NLM_F_DUMP, service_cb, &l, "list services");

	return list_done(&l, err, (void **)out, n);
}

static const char *dest_what(char *buf, size_t len, const char *verb, const struct ipvs_dest *d,
			     const char *prep, const struct ipvs_service *s)
{
	char sv[IPVS_SVC_STRLEN], dv[IPVS_DEST_STRLEN];

	snprintf(buf, len, "%s destination %s %s %s", verb, ipvs_dest_str(d, dv, sizeof(dv)), prep,
		 ipvs_service_str(s, sv, sizeof(sv)));
	return buf;
}

#define DEST_WHAT_LEN (IPVS_SVC_STRLEN + IPVS_DEST_STRLEN + 40)

int ipvs_nl_add_dest(struct ipvs_nl *h, const struct ipvs_service *svc,
		     const struct ipvs_dest *d)
{
	char what[DEST_WHAT_LEN];

	dest_what(what, sizeof(what), "add", d, "to", svc);
	return svc_request(h, IPVS_CMD_NEW_DEST, 0, svc, false, d, true, NULL, NULL, what);
}

int ipvs_nl_edit_dest(struct ipvs_nl *h, const struct ipvs_service *svc,
		      const struct ipvs_dest *d)
{
	char what[DEST_WHAT_LEN];

	dest_what(what, sizeof(what), "edit", d, "of", svc);
	return svc_request(h, IPVS_CMD_SET_DEST, 0, svc, false, d, true, NULL, NULL, what);
}

int ipvs_nl_del_dest(struct ipvs_nl *h, const struct ipvs_service *svc,
		     const struct ipvs_dest *d)
{
	char what[DEST_WHAT_LEN];

	dest_what(what, sizeof(what), "delete", d, "from", svc);
	return svc_request(h, IPVS_CMD_DEL_DEST, 0, svc, false, d, false, NULL, NULL, what);
}

int ipvs_nl_list_dests(struct ipvs_nl *h, const struct ipvs_service *svc,
		       struct ipvs_dest **out, size_t *n)
{
	char what[IPVS_SVC_STRLEN + 32];
	struct ipvs_list l = { .size = sizeof(**out), .af = svc->af };

	svc_what(what, sizeof(what), "list destinations of", svc);
	int err = svc_request(h, IPVS_CMD_GET_DEST, NLM_F_DUMP, svc, false, NULL, false, dest_cb,
			      &l, what);
	return list_done(&l, err, (void **)out, n);
}

static const char *daemon_state_name(uint32_t state)
{
	return state == IP_VS_STATE_MASTER ? "master" :
	       state == IP_VS_STATE_BACKUP ? "backup" : "unknown";
}

static int daemon_request(struct ipvs_nl *h, uint8_t cmd, const struct ipvs_daemon *d, bool full,
			  const char *what)
{
	unsigned char req[IPVS_MSG_BUFSIZE];
	struct nlmsghdr *nlh = ipvs_msg_new(req, sizeof(req), h->family, cmd, 0, 0);
	int err = ipvs_msg_put_daemon(nlh, sizeof(req), d, full);

	if (err)
		return build_failed(h, what, err);
	return transact(h, nlh, NULL, NULL, what);
}

int ipvs_nl_start_daemon(struct ipvs_nl *h, const struct ipvs_daemon *d)
{
	char what[96];

	snprintf(what, sizeof(what), "start %s sync daemon on %.16s (id %u)",
		 daemon_state_name(d->state), d->ifname, d->sync_id);
	return daemon_request(h, IPVS_CMD_NEW_DAEMON, d, true, what);
}

int ipvs_nl_stop_daemon(struct ipvs_nl *h, uint32_t state)
{
	struct ipvs_daemon d = { .state = state };
	char what[64];

	snprintf(what, sizeof(what), "stop %s sync daemon", daemon_state_name(state));
	return daemon_request(h, IPVS_CMD_DEL_DAEMON, &d, false, what);
}

static int daemon_cb(const struct nlmsghdr *nlh, void *arg, const char **why)
{
	struct ipvs_list *l = arg;

	/* The kernel runs at most a master and a backup. */
	if (l->n == l->cap) {
		*why = "more than two sync daemons";
		return -EBADMSG;
	}
	int err = ipvs_msg_parse_daemon(nlh, (struct ipvs_daemon *)l->items + l->n, why);
	if (!err)
		l->n++;
	return err;
}

int ipvs_nl_list_daemons(struct ipvs_nl *h, struct ipvs_daemon out[2], size_t *n)
{
	struct ipvs_list l = { .items = out, .cap = 2, .size = sizeof(*out) };
	int err = simple(h, IPVS_CMD_GET_DAEMON, NLM_F_DUMP, daemon_cb, &l, "list sync daemons");

	*n = err ? 0 : l.n;
	return err;
}

int ipvs_nl_set_timeouts(struct ipvs_nl *h, const struct ipvs_timeouts *t)
{
	unsigned char req[IPVS_MSG_BUFSIZE];
	const char *what = "set IPVS timeouts";
	struct nlmsghdr *nlh = ipvs_msg_new(req, sizeof(req), h->family, IPVS_CMD_SET_CONFIG, 0, 0);
	int err = ipvs_msg_put_timeouts(nlh, sizeof(req), t);

	if (err)
		return build_failed(h, what, err);
	return transact(h, nlh, NULL, NULL, what);
}

static int timeouts_cb(const struct nlmsghdr *nlh, void *arg, const char **why)
{
	return ipvs_msg_parse_timeouts(nlh, arg, why);
}

int ipvs_nl_get_timeouts(struct ipvs_nl *h, struct ipvs_timeouts *out)
{
	memset(out, 0, sizeof(*out));
	return simple(h, IPVS_CMD_GET_CONFIG, 0, timeouts_cb, out, "get IPVS timeouts");
}
