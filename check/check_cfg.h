/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_cfg.h - parsed LVS model: SSL, virtual server groups, virtual and real servers, checkers */
#ifndef KA_CHECK_CFG_H
#define KA_CHECK_CFG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg.h"
#include "daemon/global_cfg.h"

/*
 * Objects live in the configuration arena and are only read once
 * check_cfg_finish() has run. Until then timing fields may hold the
 * "unset" markers below; finish resolves them through the cascade
 * checker <- real_server <- virtual_server <- built-in default, so every
 * consumer sees plain values. Times are microseconds.
 */
#define CHECK_UNSET_TIMER UINT64_MAX
#define CHECK_UNSET UINT32_MAX

/* Forwarding method of a real server (lvs_method / lb_kind). */
struct check_fwd {
	bool set;       /* written in the configuration */
	int method;     /* IP_VS_CONN_F_MASQ / DROUTE / TUNNEL */
	int tun_type;   /* IP_VS_CONN_F_TUNNEL_TYPE_* (TUN only) */
	unsigned tun_port; /* GUE destination port */
	int tun_csum;   /* IP_VS_TUNNEL_ENCAP_FLAG_*; -1 = not written */
};

/* Where a probe connects to and from. */
struct check_conn {
	struct ka_addr connect_ip; /* after finish: the real server address if unset */
	unsigned connect_port;     /* after finish: the real server port if unset; 0 = none */
	struct ka_addr bindto;     /* AF_UNSPEC = any */
	unsigned bind_port;        /* 0 = any */
	char *bind_if;             /* NULL = any */
	unsigned fwmark;           /* SO_MARK; 0 = none */
};

enum check_kind {
	CHECK_TCP,
	CHECK_HTTP,
	CHECK_SSL,
	CHECK_SMTP,
	CHECK_DNS,
	CHECK_UDP,
	CHECK_PING,
	CHECK_MISC,
	CHECK_FILE,
	CHECK_BFD,
	CHECK_KIND_COUNT
};

/* "TCP_CHECK", "HTTP_GET"... */
const char *check_kind_name(enum check_kind k);

enum check_http_proto { CHECK_HTTP_1_0, CHECK_HTTP_1_0C, CHECK_HTTP_1_1 };

#define CHECK_STATUS_MIN 100
#define CHECK_STATUS_MAX 599

struct check_url {
	struct cfg_node node;
	const char *file;
	unsigned line;
	char *path;
	bool has_digest;
	uint8_t digest[16];  /* MD5 of the body */
	bool has_status;     /* false: 200-299 */
	uint8_t status[(CHECK_STATUS_MAX - CHECK_STATUS_MIN + 8) / 8]; /* bit per code */
	char *virtualhost;   /* after finish: url <- checker <- real <- virtual server */
	char *regex;
	bool regex_no_match;
	unsigned regex_options; /* bit i = check_regex_option_names[i] */
	unsigned regex_stack_start, regex_stack_max; /* 0 = library default */
	unsigned regex_min_offset, regex_max_offset; /* max 0 = end of body */
	bool tls_compliant;
};

/* Whether an HTTP status code passes this url's status_code set. */
bool check_url_status_ok(const struct check_url *u, unsigned code);

/* PCRE2 compile option names accepted by regex_options, NULL-terminated. */
extern const char *const check_regex_option_names[];

struct check_http {
	struct cfg_list urls; /* of struct check_url, at least one */
	int protocol;         /* enum check_http_proto */
	char *virtualhost;
	bool fast_recovery;
	bool enable_sni;
	char *sni_name;
	bool tls_compliant;
};

/* Deprecated SMTP_CHECK host { } sub-block; finish turns every host after
 * the first into a probe of its own and empties the list. */
struct check_smtp_host {
	struct cfg_node node;
	const char *file;
	unsigned line;
	struct check_conn conn;
};

struct check_smtp {
	char *helo_name; /* default smtpchecker.keepalived.org */
	struct cfg_list hosts;
};

struct check_dns {
	int type;   /* RR type number: 1 A, 2 NS, 5 CNAME, 6 SOA... */
	char *name; /* default "." */
};

struct check_udp {
	uint8_t *payload; /* NULL = empty datagram */
	size_t payload_len;
	bool require_reply;
	uint8_t *reply, *reply_mask; /* pattern; mask nibble 0 = 'x' wildcard */
	size_t reply_len;            /* 0 = any reply */
	unsigned min_reply_length, max_reply_length;
};

struct check_misc {
	struct ka_script path;
	uint64_t timeout;  /* after finish: delay_loop if unset */
	bool dynamic;
	char *user, *group; /* "user" keyword; applied to path in finish */
};

struct check_file {
	char *track_file;
	int weight;
	bool reverse;
	bool has_weight; /* weight written; else the track_file's own weight applies */
};

struct check_bfd {
	char *name;
};

struct check_rs;

struct check_probe {
	struct cfg_node node;
	const char *file;
	unsigned line;
	enum check_kind kind;
	struct check_rs *rs;
	struct check_conn conn;
	uint64_t connect_timeout, delay_before_retry, warmup, delay_loop;
	unsigned retry;
	enum global_tristate alpha;
	enum global_tristate log_all_failures; /* unset: global checker_log_all_failures */
	union {
		struct check_http http; /* HTTP_GET and SSL_GET */
		struct check_smtp smtp;
		struct check_dns dns;
		struct check_udp udp;
		struct check_misc misc;
		struct check_file file;
		struct check_bfd bfd;
	} u;
};

struct check_vs;

struct check_rs {
	struct cfg_node node;
	const char *file;
	unsigned line;
	struct check_vs *vs;
	struct ka_addr addr;
	bool has_port;  /* written; otherwise port is the virtual server's */
	uint16_t port;
	unsigned weight; /* 0..65535; virtual server's weight if unset */
	struct check_fwd fwd;
	unsigned uthreshold, lthreshold;
	enum global_tristate inhibit_on_failure, alpha, smtp_alert;
	struct ka_script notify_up, notify_down;
	uint64_t connect_timeout, delay_before_retry, warmup, delay_loop;
	unsigned retry;
	char *virtualhost, *snmp_name;
	struct cfg_list probes; /* of struct check_probe */
};

enum check_vs_kind { CHECK_VS_ADDR, CHECK_VS_FWMARK, CHECK_VS_GROUP };

enum check_vsg_kind { CHECK_VSG_ADDR, CHECK_VSG_RANGE, CHECK_VSG_FWMARK };

struct check_vsg_entry {
	struct cfg_node node;
	const char *file;
	unsigned line;
	enum check_vsg_kind kind;
	struct ka_addr first, last; /* RANGE: inclusive bounds; ADDR: first == last */
	uint8_t prefix;             /* RANGE written as CIDR: its length, else 0 */
	uint16_t port;              /* 0 = none */
	unsigned fwmark;
	int family;                 /* FWMARK: AF_INET, AF_INET6, AF_UNSPEC = the service's */
};

struct check_vsg {
	struct cfg_node node;
	const char *file;
	unsigned line;
	char *name;
	struct cfg_list entries; /* of struct check_vsg_entry */
	bool used;
};

struct check_vs {
	struct cfg_node node;
	const char *file;
	unsigned line;
	enum check_vs_kind kind;
	struct ka_addr addr;  /* ADDR */
	uint16_t port;        /* ADDR; 0 = all ports (persistent services) */
	bool has_port;
	unsigned fwmark;      /* FWMARK */
	char *group_name;     /* GROUP */
	const struct check_vsg *group; /* resolved by finish */
	int family;           /* resolved by finish */

	const char *sched;    /* canonical scheduler name; default wlc */
	unsigned sched_flags; /* IP_VS_SVC_F_SCHED* */
	const char *flag_sched; /* scheduler the sh-/mh- flags were meant for */
	bool ops;
	struct check_fwd fwd; /* default for real servers; NAT if unset */
	unsigned persistence_timeout; /* s; 0 = not persistent */
	bool has_granularity;
	unsigned persistence_granularity; /* prefix length */
	char *persistence_engine;
	bool has_protocol;
	int protocol;         /* IPPROTO_*; default TCP */
	int ip_family;        /* "ip_family" keyword; AF_UNSPEC if unset */
	bool ha_suspend;
	char *virtualhost, *snmp_name;
	enum global_tristate smtp_alert;
	bool alpha, omega;
	unsigned quorum, hysteresis;
	struct ka_script quorum_up, quorum_down;
	struct check_rs *sorry_server; /* NULL = none */
	bool sorry_server_inhibit;
	struct check_fwd sorry_fwd;
	uint64_t connect_timeout, delay_before_retry, warmup, delay_loop;
	unsigned retry;
	bool inhibit_on_failure;
	unsigned weight;      /* default real server weight, 1 */
	struct cfg_list rs;   /* of struct check_rs */
};

struct check_ssl {
	bool set;
	char *password, *ca, *certificate, *key;
};

struct check_cfg {
	struct arena *arena;
	struct check_ssl ssl;
	struct cfg_list groups; /* of struct check_vsg */
	struct cfg_list vs;     /* of struct check_vs */
};

/* Allocate an empty LVS configuration in a. Never NULL. */
struct check_cfg *check_cfg_new(struct arena *a);

/* Top-level keywords: SSL, virtual_server_group, virtual_server. */
extern const struct cfg_keyword check_cfg_keywords[];

/* Resolve defaults (timing cascade, ports, methods, weights) and report
 * cross-object errors (unknown group, duplicates, missing url...) to diag. */
void check_cfg_finish(struct check_cfg *c, const struct global_cfg *g, struct cfg_diag *diag);

/* True when there is no virtual server: no checker process is needed. */
bool check_cfg_empty(const struct check_cfg *c);

/* Print the resolved model in configuration syntax (stable order). */
void check_cfg_dump(FILE *out, const struct check_cfg *c);

#endif
