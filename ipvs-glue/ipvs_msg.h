/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipvs_msg.h - IPVS generic netlink messages: plain structs, builders and parsers (no I/O) */
#ifndef KA_IPVS_MSG_H
#define KA_IPVS_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/ip_vs.h>
#include <linux/netlink.h>

#include "addr.h"

/*
 * The kernel's IPVS table speaks generic netlink: a service or a destination
 * travels as a nested attribute set. This module turns the structs below
 * into request messages and reply messages back into structs. It does no
 * I/O and no logging, so every function here can be exercised in a unit
 * test without a kernel; ipvs_nl.c does the socket work.
 *
 * Builders write into a caller-supplied buffer and return 0 or a negative
 * errno (-EMSGSIZE when the buffer is too small, -EINVAL for a request the
 * kernel would refuse anyway). Parsers validate every attribute's type and
 * length against a policy table, ignore attributes they do not know (newer
 * kernels add some) and return 0 or -EBADMSG with *why set to a static
 * string saying what was wrong.
 */

/* Counters of a service or destination (64-bit set; rates per second). */
struct ipvs_stats {
	uint64_t conns;
	uint64_t inpkts, outpkts;
	uint64_t inbytes, outbytes;
	uint64_t cps, inpps, outpps, inbps, outbps;
};

/*
 * A virtual service. It is keyed either by fwmark (non-zero) and af, or by
 * protocol, addr and port. ipvs_service_init() gives the defaults a new
 * service wants (netmask full length); set the rest by hand.
 */
struct ipvs_service {
	sa_family_t af;         /* AF_INET or AF_INET6 */
	uint16_t protocol;      /* IPPROTO_TCP/UDP/SCTP; 0 for a fwmark service */
	struct ka_addr addr;    /* family == af; ignored for a fwmark service */
	uint16_t port;          /* host order; 0 for a port-less persistent service */
	uint32_t fwmark;        /* non-zero: firewall-mark service */
	char sched_name[IP_VS_SCHEDNAME_MAXLEN];
	char pe_name[IP_VS_PENAME_MAXLEN];      /* persistence engine, "" = none */
	uint32_t flags;         /* IP_VS_SVC_F_*; PERSISTENT is added when timeout != 0 */
	uint32_t timeout;       /* persistence timeout in seconds, 0 = not persistent */
	uint8_t netmask;        /* persistence granularity, prefix length (32/128 = host) */
	/* Filled by dumps only. */
	bool has_stats;
	struct ipvs_stats stats;
};

/* A destination (real server) of a service. */
struct ipvs_dest {
	struct ka_addr addr;    /* may differ in family from the service (tunnels) */
	uint16_t port;          /* host order */
	uint32_t fwd;           /* IP_VS_CONN_F_MASQ / DROUTE / TUNNEL (dumps: & FWD_MASK) */
	int32_t weight;
	uint32_t u_thresh, l_thresh;
	uint8_t tun_type;       /* IP_VS_CONN_F_TUNNEL_TYPE_*, TUNNEL only */
	uint16_t tun_port;      /* host order, GUE only */
	uint16_t tun_flags;     /* IP_VS_TUNNEL_ENCAP_FLAG_* */
	/* Filled by dumps only. */
	uint32_t active_conns, inact_conns, persist_conns;
	bool has_stats;
	struct ipvs_stats stats;
};

/* A connection-sync daemon (IPVS_CMD_NEW_DAEMON / GET_DAEMON). */
struct ipvs_daemon {
	uint32_t state;         /* IP_VS_STATE_MASTER or IP_VS_STATE_BACKUP */
	char ifname[IP_VS_IFNAME_MAXLEN];
	uint32_t sync_id;
	uint16_t sync_maxlen;   /* 0 = kernel default */
	struct ka_addr group;   /* AF_UNSPEC = kernel default group */
	uint16_t port;          /* 0 = kernel default (8848) */
	uint8_t ttl;            /* 0 = kernel default (1) */
};

/* IPVS_CMD_GET_INFO reply. */
struct ipvs_info {
	uint32_t version;       /* 0x010201 is 1.2.1 */
	uint32_t conn_tab_size;
};

/* Protocol timeouts in seconds (IPVS_CMD_SET/GET_CONFIG); 0 = leave as is. */
struct ipvs_timeouts {
	uint32_t tcp, tcp_fin, udp;
};

/* Zero *s, set af, netmask full length. */
void ipvs_service_init(struct ipvs_service *s, sa_family_t af);

/* "TCP 10.0.0.1:80", "UDP [2001:db8::1]:53", "fwmark 7 (IPv6)". Returns buf. */
#define IPVS_SVC_STRLEN (KA_ADDR_STRLEN + 40)
const char *ipvs_service_str(const struct ipvs_service *s, char *buf, size_t len);

/* "10.0.0.2:80", "[2001:db8::2]:443". Returns buf. */
#define IPVS_DEST_STRLEN (KA_ADDR_STRLEN + 10)
const char *ipvs_dest_str(const struct ipvs_dest *d, char *buf, size_t len);

/* ---- building requests ---- */

/* Room for any single request this module builds. */
#define IPVS_MSG_BUFSIZE 1024

/* Start a generic netlink message for family id/cmd in buf (size bytes,
 * zeroed here). flags are NLM_F_* on top of NLM_F_REQUEST. Returns the
 * header, or NULL when size cannot hold the headers. */
struct nlmsghdr *ipvs_msg_new(void *buf, size_t size, uint16_t family, uint8_t cmd,
			      uint16_t flags, uint32_t seq);

/* The controller request resolving the "IPVS" family id. */
struct nlmsghdr *ipvs_msg_getfamily(void *buf, size_t size, uint32_t seq);

/* Append IPVS_CMD_ATTR_SERVICE. full: the whole definition (new/set);
 * otherwise only the key (del, get, dest requests, zero). */
int ipvs_msg_put_service(struct nlmsghdr *nlh, size_t size, const struct ipvs_service *s,
			 bool full);

/* Append IPVS_CMD_ATTR_DEST. full: with method, weight, thresholds. */
int ipvs_msg_put_dest(struct nlmsghdr *nlh, size_t size, const struct ipvs_dest *d, bool full);

/* Append IPVS_CMD_ATTR_DAEMON. full: every field (start); else the state. */
int ipvs_msg_put_daemon(struct nlmsghdr *nlh, size_t size, const struct ipvs_daemon *d,
			bool full);

/* Append the IPVS_CMD_ATTR_TIMEOUT_* attributes that are non-zero. */
int ipvs_msg_put_timeouts(struct nlmsghdr *nlh, size_t size, const struct ipvs_timeouts *t);

/* ---- parsing replies ---- */

/* CTRL_CMD_NEWFAMILY reply -> family id. */
int ipvs_msg_parse_family(const struct nlmsghdr *nlh, uint16_t *id, const char **why);

/* One message of a GET_SERVICE reply or dump. */
int ipvs_msg_parse_service(const struct nlmsghdr *nlh, struct ipvs_service *out,
			   const char **why);

/* One message of a GET_DEST dump. svc_af is the family to assume when the
 * kernel does not send IPVS_DEST_ATTR_ADDR_FAMILY (kernels before 4.x). */
int ipvs_msg_parse_dest(const struct nlmsghdr *nlh, sa_family_t svc_af, struct ipvs_dest *out,
			const char **why);

/* One message of a GET_DAEMON dump. */
int ipvs_msg_parse_daemon(const struct nlmsghdr *nlh, struct ipvs_daemon *out,
			  const char **why);

int ipvs_msg_parse_info(const struct nlmsghdr *nlh, struct ipvs_info *out, const char **why);
int ipvs_msg_parse_timeouts(const struct nlmsghdr *nlh, struct ipvs_timeouts *out,
			    const char **why);

/*
 * NLMSG_ERROR message -> *err (0 for an ACK, else a negative errno) and
 * *text, the kernel's extended-ACK message or NULL; *text points into
 * nlh. Returns 0, or -EBADMSG for a malformed error message.
 */
int ipvs_msg_parse_error(const struct nlmsghdr *nlh, int *err, const char **text);

#endif
