/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipvs_nl.h - client for the kernel's IPVS table over generic netlink */
#ifndef KA_IPVS_NL_H
#define KA_IPVS_NL_H

#include <stddef.h>
#include <stdint.h>

#include "ipvs_msg.h"

/*
 * One netlink socket to the "IPVS" generic netlink family. Requests are
 * synchronous and one at a time: each is sent with NLM_F_ACK (or
 * NLM_F_DUMP), and the replies carrying its sequence number are read until
 * the ACK or NLMSG_DONE. Replies to an earlier sequence number (left over
 * after an interrupted call) are skipped. The socket is non-blocking; a
 * call waits for its replies with poll(), and gives up with -ETIMEDOUT
 * after 10 s of silence.
 *
 * Every operation returns 0 or a negative errno. On failure the handle's
 * error text (ipvs_nl_errmsg()) names the operation and the object and
 * ends with the kernel's reason, e.g.
 *   "add destination 10.0.0.2:80 to TCP 10.0.0.100:80: No such process"
 * with the kernel's extended-ACK text appended in parentheses when it sent
 * one. -EBADMSG means a reply failed validation (the text says which
 * attribute); -EINTR that the table changed during a dump (list again).
 * Nothing is logged here: the caller decides what to say.
 */

struct mnl_socket;

#define IPVS_NL_ERRLEN 256

struct ipvs_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;        /* resolved id of "IPVS" */
	char err[IPVS_NL_ERRLEN];
	unsigned char *buf;     /* receive buffer, IPVS_NL_RCVBUF bytes */
};

/*
 * Open the socket (close-on-exec), enable extended ACKs and resolve the
 * family. Returns 0, or a negative errno with h->err set; -ENOENT means
 * the kernel has no IPVS (module not loaded). Call ipvs_nl_close() in
 * either case.
 */
int ipvs_nl_open(struct ipvs_nl *h);
void ipvs_nl_close(struct ipvs_nl *h);

/* The text of the last failure ("" if none yet). */
const char *ipvs_nl_errmsg(const struct ipvs_nl *h);

/* The socket (-1 when closed). Nothing arrives on it between calls: the
 * client joins no multicast group. */
int ipvs_nl_fd(const struct ipvs_nl *h);

int ipvs_nl_get_info(struct ipvs_nl *h, struct ipvs_info *out);

/* Services. add/edit send the whole definition; del only the key. */
int ipvs_nl_add_service(struct ipvs_nl *h, const struct ipvs_service *s);
int ipvs_nl_edit_service(struct ipvs_nl *h, const struct ipvs_service *s);
int ipvs_nl_del_service(struct ipvs_nl *h, const struct ipvs_service *s);

/* One service by key (its definition and counters); -ESRCH if absent. */
int ipvs_nl_get_service(struct ipvs_nl *h, const struct ipvs_service *key,
			struct ipvs_service *out);

/* Every service, in kernel order. *out is malloc'ed (free() it; NULL when
 * *n is 0). On failure *out is NULL and *n 0. */
int ipvs_nl_list_services(struct ipvs_nl *h, struct ipvs_service **out, size_t *n);

/* Destinations of service svc (only its key is used). */
int ipvs_nl_add_dest(struct ipvs_nl *h, const struct ipvs_service *svc,
		     const struct ipvs_dest *d);
int ipvs_nl_edit_dest(struct ipvs_nl *h, const struct ipvs_service *svc,
		      const struct ipvs_dest *d);
int ipvs_nl_del_dest(struct ipvs_nl *h, const struct ipvs_service *svc,
		     const struct ipvs_dest *d);
int ipvs_nl_list_dests(struct ipvs_nl *h, const struct ipvs_service *svc,
		       struct ipvs_dest **out, size_t *n);

/* Remove every service and destination. */
int ipvs_nl_flush(struct ipvs_nl *h);

/* Zero the counters of one service (svc != NULL) or of everything. */
int ipvs_nl_zero(struct ipvs_nl *h, const struct ipvs_service *svc);

/* Connection-sync daemons: start one; stop the one in state (MASTER or
 * BACKUP); list the running ones (at most two: master and backup). */
int ipvs_nl_start_daemon(struct ipvs_nl *h, const struct ipvs_daemon *d);
int ipvs_nl_stop_daemon(struct ipvs_nl *h, uint32_t state);
int ipvs_nl_list_daemons(struct ipvs_nl *h, struct ipvs_daemon out[2], size_t *n);

/* Protocol timeouts: set the non-zero ones; read all three. */
int ipvs_nl_set_timeouts(struct ipvs_nl *h, const struct ipvs_timeouts *t);
int ipvs_nl_get_timeouts(struct ipvs_nl *h, struct ipvs_timeouts *out);

#endif
