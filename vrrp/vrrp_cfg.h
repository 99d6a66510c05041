/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_cfg.h - typed configuration model of the VRRP part of keepalived.conf */
#ifndef KA_VRRP_CFG_H
#define KA_VRRP_CFG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg.h"

struct global_cfg;

/*
 * Everything below is built by the walker from the keyword tables in
 * vrrp_cfg*.c, lives in the configuration arena and is only read after
 * vrrp_cfg_finish(). Objects that are cross-checked after the walk keep the
 * file and line they came from (file points into the configuration's token
 * stream, which lives as long as the configuration).
 *
 * Values written "unset" below are replaced by vrrp_cfg_finish() with the
 * global_defs value or the built-in default, so the VRRP engine never sees
 * them.
 */

#define VRRP_UNSET_TIMER UINT64_MAX
#define VRRP_UNSET_UINT  UINT32_MAX
#define VRRP_LFT_FOREVER UINT32_MAX /* preferred_lft forever */
#define VRRP_IFNAMSIZ    16         /* kernel interface/label name limit with NUL */

/* Where an object was written, for messages after the walk. */
struct vrrp_cfg_loc {
	const char *file;
	unsigned line;
};

/* A reference by name to another object, resolved in vrrp_cfg_finish(). */
struct vrrp_name_ref {
	struct cfg_node node;
	char *name;
	struct vrrp_cfg_loc loc;
	void *target; /* resolved object, NULL until finish (or if unknown) */
};

/* ---- address, route and rule lines ------------------------------------ */

/* One line of virtual_ipaddress, virtual_ipaddress_excluded or
 * static_ipaddress: IP[/len] [dev IF] [scope S] [brd IP|+|-] [label L] ... */
struct vrrp_ipaddr {
	struct cfg_node node;
	struct vrrp_cfg_loc loc;
	struct ka_addr addr;     /* prefix is always meaningful (32/128 if not written) */
	struct ka_addr brd;      /* broadcast, resolved for + and -; AF_UNSPEC = none */
	struct ka_addr peer;     /* AF_UNSPEC = none */
	char *dev;               /* NULL = the instance's interface / default_interface */
	int scope;               /* RT_SCOPE_*, -1 = not written */
	char *label;             /* IPv4 only, at most 15 characters */
	uint32_t preferred_lft;  /* seconds, VRRP_LFT_FOREVER = forever */
	uint32_t ifa_flags;      /* IFA_F_HOMEADDRESS, IFA_F_NODAD, IFA_F_MANAGETEMPADDR,
				  * IFA_F_NOPREFIXROUTE, IFA_F_MCAUTOJOIN */
	bool no_track;           /* external deletion does not make the instance leave MASTER */
	bool use_vmac;           /* (virtual only) put the address on the instance's VMAC */
	bool dad;                /* "-nodad": IPv6 duplicate address detection wanted
				  * (VIPs skip it by default, as keepalived does) */
	char *track_group;       /* (static only) track_group name */
	struct vrrp_track_group_cfg *tgroup; /* resolved in finish */
};

struct vrrp_nexthop {
	struct cfg_node node;
	struct ka_addr via;  /* AF_UNSPEC = none */
	char *dev;
	unsigned weight;     /* 1..256, 0 = not written */
	bool onlink;
	uint32_t realms;     /* (from << 16) | to */
	char *encap;         /* encapsulation as written (no effect yet) */
};

/* Route metrics that take an optional "lock": index = RTAX_* (linux/rtnetlink.h). */
#define VRRP_RT_METRICS 20

enum vrrp_route_op { VRRP_ROUTE_PREPEND, VRRP_ROUTE_ADD, VRRP_ROUTE_APPEND };

/* One line of virtual_routes or static_routes, "ip route add"-like. */
struct vrrp_route {
	struct cfg_node node;
	struct vrrp_cfg_loc loc;
	int family;              /* AF_INET / AF_INET6 */
	int type;                /* RTN_* (unicast, blackhole, unreachable, ...) */
	struct ka_addr dst;      /* prefix 0 for default/any/all */
	struct ka_addr src;      /* "src": preferred source; AF_UNSPEC = none */
	struct ka_addr from;     /* "from": IPv6 source prefix; AF_UNSPEC = none */
	struct ka_addr via;      /* "via"/"gw"; AF_UNSPEC = none */
	char *dev;               /* "dev"/"oif" */
	uint32_t table;          /* RT_TABLE_MAIN unless written */
	char *table_name;        /* non-numeric table: looked up in rt_tables at run time */
	uint32_t metric;         /* metric|priority|preference */
	int scope;               /* RT_SCOPE_*, -1 = not written */
	int protocol;            /* RTPROT_*, -1 = not written */
	char *protocol_name;     /* non-numeric, unknown protocol name (run-time lookup) */
	int tos;                 /* tos|dsfield, -1 = not written */
	uint32_t realms;         /* (from << 16) | to */
	uint32_t metrics[VRRP_RT_METRICS]; /* mtu, advmss, rtt, ... by RTAX_* */
	uint32_t metrics_set;    /* bit RTAX_* set when written */
	uint32_t metrics_lock;   /* bit RTAX_* set with "lock" */
	char *congctl;           /* RTAX_CC_ALGO */
	int pref;                /* IPv6 router preference, -1 = not written */
	int ttl_propagate;       /* -1 not written, 0 disabled, 1 enabled */
	uint32_t expires;        /* IPv6 only, 0 = not written */
	bool onlink;
	bool has_metric;
	char *vrf;
	char *encap;             /* as written (no effect yet) */
	int op;                  /* enum vrrp_route_op */
	struct cfg_list nexthops; /* struct vrrp_nexthop; "or" becomes two nexthops */
	bool no_track;
	char *track_group;       /* (static only) */
	struct vrrp_track_group_cfg *tgroup;
};

/* Bits of vrrp_rule.set for options that have no "unset" value. */
enum {
	VRRP_RULE_PRIORITY = 1u << 0,
	VRRP_RULE_FWMARK   = 1u << 1,
	VRRP_RULE_FWMASK   = 1u << 2,
	VRRP_RULE_UIDRANGE = 1u << 3,
	VRRP_RULE_SPORT    = 1u << 4,
	VRRP_RULE_DPORT    = 1u << 5,
	VRRP_RULE_SUPGROUP = 1u << 6,
	VRRP_RULE_TUNID    = 1u << 7,
};

/* One line of virtual_rules or static_rules, "ip rule add"-like. */
struct vrrp_rule {
	struct cfg_node node;
	struct vrrp_cfg_loc loc;
	int family;              /* AF_INET / AF_INET6 */
	struct ka_addr from, to; /* AF_UNSPEC = all */
	bool invert;             /* "not" */
	int action;              /* FR_ACT_* (linux/fib_rules.h) */
	uint32_t table;
	char *table_name;        /* run-time lookup */
	uint32_t goto_target;
	uint32_t priority;       /* preference|priority|order */
	int tos;                 /* -1 = not written */
	uint32_t fwmark, fwmask;
	uint32_t realms;
	int suppress_prefixlen;  /* -1 = not written */
	uint32_t suppress_ifgroup;
	char *iif, *oif;
	uint64_t tunnel_id;
	uint32_t uid_start, uid_end;
	uint16_t sport_start, sport_end, dport_start, dport_end;
	bool l3mdev;
	int protocol;            /* -1 = not written */
	int ipproto;             /* -1 = not written */
	uint32_t set;            /* VRRP_RULE_* */
	bool no_track;
	char *track_group;       /* (static only) */
	struct vrrp_track_group_cfg *tgroup;
};

/* ---- trackers ---------------------------------------------------------- */

/* One line of track_interface/track_script/track_file/track_process/track_bfd:
 * NAME [weight W] [reverse|noreverse]. */
struct vrrp_track_ref {
	struct cfg_node node;
	char *name;
	struct vrrp_cfg_loc loc;
	int weight;        /* effective after finish (tracked object's weight if not written) */
	bool weight_set;   /* "weight" written on this line */
	bool reverse;
	bool reverse_set;  /* reverse|noreverse written on this line */
	void *target;      /* vrrp_script_cfg / vrrp_track_file_cfg / ...; NULL for interfaces */
};

struct vrrp_tracks {
	struct cfg_list ifs;     /* struct vrrp_track_ref */
	struct cfg_list scripts;
	struct cfg_list files;
	struct cfg_list procs;
	struct cfg_list bfds;
};

/* vrrp_script NAME { } */
struct vrrp_script_cfg {
	struct cfg_node node;
	char *name;
	struct vrrp_cfg_loc loc;
	struct ka_script script;   /* user/group merged from "user" */
	char *user, *group;        /* "user" keyword as written */
	uint64_t interval;         /* µs, default 1 s */
	uint64_t timeout;          /* µs, default = interval */
	int weight;                /* -253..253 */
	bool reverse;
	int rise, fall;            /* default 1 */
	bool init_fail;
	bool used;                 /* tracked by some instance or group (finish) */
};

/* track_file NAME { } (vrrp_track_file is the old name) */
struct vrrp_track_file_cfg {
	struct cfg_node node;
	char *name;
	struct vrrp_cfg_loc loc;
	char *path;
	int weight;                /* default 1 */
	bool reverse;
	bool init_file;            /* init_file written */
	long long init_value;      /* default 0 */
	bool init_overwrite;
};

enum vrrp_param_match {
	VRRP_PARAM_MATCH_NONE,
	VRRP_PARAM_MATCH_EXACT,
	VRRP_PARAM_MATCH_INITIAL,
	VRRP_PARAM_MATCH_PARTIAL,
};

/* vrrp_track_process NAME { } */
struct vrrp_track_process_cfg {
	struct cfg_node node;
	char *name;
	struct vrrp_cfg_loc loc;
	char *process;             /* name or path */
	char *params;              /* arguments joined by ' ', NULL = none */
	char **paramv;             /* the same arguments one by one (nparams of them) */
	unsigned nparams;
	int param_match;           /* enum vrrp_param_match */
	bool full_command;
	int weight;                /* -254..254 */
	bool reverse;
	unsigned quorum;           /* default 1 */
	unsigned quorum_max;       /* default VRRP_UNSET_UINT = no limit */
	uint64_t fork_delay;       /* µs, 0 = none */
	uint64_t terminate_delay;  /* µs, 0 = none */
};

/* bfd_instance NAME { } - a BFD session, run by the BFD child (daemon/bfd_engine.c). */
struct vrrp_bfd_cfg {
	struct cfg_node node;
	char *name;
	struct vrrp_cfg_loc loc;
	struct ka_addr neighbor, source;
	uint64_t min_rx, min_tx, idle_tx; /* µs */
	int multiplier;
	bool passive, multihop, disabled;
	int ttl, hoplimit, max_hops;
	int weight;
	bool reverse;
	bool vrrp_only, checker_only;
};

/* track_group NAME { group { VI_1 ... } } */
struct vrrp_track_group_cfg {
	struct cfg_node node;
	char *name;
	struct vrrp_cfg_loc loc;
	struct cfg_list members;   /* struct vrrp_name_ref -> vrrp_instance_cfg */
};

/* garp_group { garp_interval T gna_interval T interface IF interfaces { } } */
struct vrrp_garp_group_cfg {
	struct cfg_node node;
	struct vrrp_cfg_loc loc;
	uint64_t garp_interval;    /* µs, VRRP_UNSET_TIMER = not written */
	uint64_t gna_interval;
	struct cfg_list ifs;       /* struct vrrp_name_ref (no target) */
};

enum vrrp_linkbeat_type { VRRP_LB_DEFAULT, VRRP_LB_MII, VRRP_LB_ETHTOOL, VRRP_LB_IOCTL };

/* One line of linkbeat_interfaces { IF [MII|ETHTOOL|IOCTL] } */
struct vrrp_linkbeat_cfg {
	struct cfg_node node;
	char *ifname;
	int type;                  /* enum vrrp_linkbeat_type */
};

/* One line of interface_up_down_delays { IF DOWN [UP] } */
struct vrrp_if_delay_cfg {
	struct cfg_node node;
	char *ifname;
	uint64_t down, up;         /* µs */
};

/* ---- instances and sync groups --------------------------------------- */

enum vrrp_cfg_state { VRRP_WISH_BACKUP, VRRP_WISH_MASTER };
enum vrrp_auth_type { VRRP_AUTH_NONE, VRRP_AUTH_PASS, VRRP_AUTH_AH };
enum vrrp_ucast_csum { VRRP_UCSUM_OFF, VRRP_UCSUM_AUTO, VRRP_UCSUM_NEVER };
enum vrrp_ipvlan_mode { VRRP_IPVLAN_BRIDGE, VRRP_IPVLAN_PRIVATE, VRRP_IPVLAN_VEPA };
enum vrrp_hmac_replay { VRRP_HMAC_REPLAY_TIME, VRRP_HMAC_REPLAY_MONOTONIC };
enum vrrp_hmac_mode { VRRP_HMAC_ENFORCE, VRRP_HMAC_PERMISSIVE, VRRP_HMAC_RECEIVE_ONLY };
enum vrrp_hmac_key_kind { VRRP_HMAC_KEY_ASCII, VRRP_HMAC_KEY_HEX, VRRP_HMAC_KEY_FILE };

/* unicast_peer { IP [min_ttl N] [max_ttl N] } */
struct vrrp_peer {
	struct cfg_node node;
	struct vrrp_cfg_loc loc;
	struct ka_addr addr;
	int min_ttl, max_ttl;      /* 0 / 255 = no check */
};

struct vrrp_hmac_key {
	struct cfg_node node;
	unsigned id;
	int kind;                  /* enum vrrp_hmac_key_kind */
	char *value;               /* ascii text, hex digits, or file path */
};

/* auth_hmac { } - recognised and checked; no effect yet. */
struct vrrp_auth_hmac_cfg {
	bool present;
	struct cfg_list keys;      /* struct vrrp_hmac_key */
	unsigned active_key;       /* VRRP_UNSET_UINT = first key */
	int anti_replay;           /* enum vrrp_hmac_replay */
	unsigned time_window;      /* seconds, default 30 */
	int mode;                  /* enum vrrp_hmac_mode */
	struct vrrp_cfg_loc loc;
};

/* Bits of vrrp_instance_cfg.given / vrrp_sync_group_cfg.given: booleans
 * written explicitly, so finish() knows where global defaults apply. */
enum {
	VRRP_GIVEN_LOWER_PRIO_NO_ADVERT = 1u << 0,
	VRRP_GIVEN_HIGHER_PRIO_SEND     = 1u << 1,
	VRRP_GIVEN_SKIP_CHECK_ADV_ADDR  = 1u << 2,
	VRRP_GIVEN_STRICT_MODE          = 1u << 3,
	VRRP_GIVEN_SMTP_ALERT           = 1u << 4,
	VRRP_GIVEN_NOTIFY_PRIO_CHANGES  = 1u << 5,
	VRRP_GIVEN_V3_CSUM_AS_V2        = 1u << 6,
	VRRP_GIVEN_OWNER_IGNORE_ADVERTS = 1u << 7,
	VRRP_GIVEN_CHECK_UNICAST_SRC    = 1u << 8,
	VRRP_GIVEN_UNICAST_SRC          = 1u << 9,
};

struct vrrp_sync_group_cfg;

/* vrrp_instance NAME { } */
struct vrrp_instance_cfg {
	struct cfg_node node;
	char *name;
	struct vrrp_cfg_loc loc;
	uint32_t given;            /* VRRP_GIVEN_* */

	/* identity and transport */
	int state;                 /* enum vrrp_cfg_state: initial wish, default BACKUP */
	char *interface;           /* NULL only with unicast peers */
	char *vrf;
	int vrid;                  /* 1..255, 0 = missing (reported) */
	int priority;              /* 1..255, default 100 */
	uint64_t advert_int;       /* µs; default 1 s; rounded for the version in finish */
	int version;               /* 2|3 after finish */
	int family;                /* AF_INET|AF_INET6, decided in finish */
	bool native_ipv6;
	struct ka_addr mcast_src_ip;   /* as written */
	struct ka_addr unicast_src_ip; /* as written */
	struct ka_addr src_ip;     /* advert source after finish (unicast_src_ip wins) */
	struct ka_addr mcast_dst;  /* AF_UNSPEC = global group */
	struct cfg_list unicast_peers; /* struct vrrp_peer */
	int unicast_ttl;           /* -1 = not written */
	bool check_unicast_src;
	bool unicast_fault_no_peer;
	int old_unicast_checksum;  /* enum vrrp_ucast_csum */
	bool v3_checksum_as_v2;
	bool track_src_ip;
	unsigned kernel_rx_buf_size; /* 0 = default */
	int debug;

	/* addresses */
	struct cfg_list vips;      /* struct vrrp_ipaddr */
	struct cfg_list evips;
	struct cfg_list vroutes;   /* struct vrrp_route */
	struct cfg_list vrules;    /* struct vrrp_rule */
	bool no_virtual_ipaddress;
	bool promote_secondaries;
	int accept;                /* -1 not written, 0 no_accept, 1 accept */

	/* VMAC / IPVLAN */
	bool use_vmac;
	char *vmac_ifname;         /* NULL = generated */
	uint8_t vmac_mac[6];
	bool vmac_mac_set;
	bool vmac_mac_use_vrid;    /* 5-octet MAC written: last octet = VRID */
	bool vmac_netlink_notify;
	char *vmac_group;          /* interface group (name or number), NULL = none */
	bool use_vmac_addr;
	bool vmac_xmit_base;
	bool use_ipvlan;
	char *ipvlan_ifname;
	struct ka_addr ipvlan_addr;
	int ipvlan_mode;           /* enum vrrp_ipvlan_mode */
	uint64_t garp_extra_if;    /* µs, VRRP_UNSET_TIMER = off */
	bool garp_extra_if_all;

	/* tracking */
	bool dont_track_primary;
	bool linkbeat_use_polling;
	struct vrrp_tracks tracks;

	/* election and timers */
	bool nopreempt;
	uint64_t preempt_delay;    /* µs */
	int down_timer_adverts;    /* 1..100, 0 = global default */
	int timer_expired_backup;  /* highest other priority 1..254, 0 = off */
	bool lower_prio_no_advert;
	bool higher_prio_send_advert;
	bool owner_ignore_adverts;
	bool skip_check_adv_addr;
	bool strict_mode;
	uint64_t garp_master_delay;        /* µs; VRRP_UNSET_TIMER = global */
	unsigned garp_master_repeat;       /* VRRP_UNSET_UINT = global */
	uint64_t garp_lower_prio_delay;
	unsigned garp_lower_prio_repeat;
	uint64_t garp_master_refresh;
	unsigned garp_master_refresh_repeat;

	/* authentication */
	int auth_type;             /* enum vrrp_auth_type */
	char *auth_pass;           /* at most 8 characters */
	struct vrrp_auth_hmac_cfg hmac;

	/* notifications */
	struct ka_script notify_master, notify_backup, notify_fault, notify_stop;
	struct ka_script notify_deleted_script, notify, notify_master_rx_lower_pri;
	bool notify_deleted;
	bool notify_priority_changes;
	bool smtp_alert;
	char *lvs_sync_daemon_interface; /* deprecated; global_defs lvs_sync_daemon */

	struct vrrp_sync_group_cfg *sync; /* set in finish */
};

/* vrrp_sync_group NAME { } */
struct vrrp_sync_group_cfg {
	struct cfg_node node;
	char *name;
	struct vrrp_cfg_loc loc;
	uint32_t given;
	struct cfg_list members;   /* struct vrrp_name_ref -> vrrp_instance_cfg */
	struct vrrp_tracks tracks;
	struct ka_script notify_master, notify_backup, notify_fault, notify_stop, notify;
	bool smtp_alert;
	bool notify_priority_changes;
	bool tracking_weight;      /* sync_group_tracking_weight / global_tracking */
};

/* ---- the whole VRRP part ------------------------------------------------ */

struct vrrp_cfg {
	struct cfg_list instances;     /* struct vrrp_instance_cfg */
	struct cfg_list sync_groups;   /* struct vrrp_sync_group_cfg */
	struct cfg_list scripts;       /* struct vrrp_script_cfg */
	struct cfg_list track_files;   /* struct vrrp_track_file_cfg */
	struct cfg_list track_procs;   /* struct vrrp_track_process_cfg */
	struct cfg_list bfds;          /* struct vrrp_bfd_cfg */
	struct cfg_list track_groups;  /* struct vrrp_track_group_cfg */
	struct cfg_list garp_groups;   /* struct vrrp_garp_group_cfg */
	struct cfg_list linkbeat_ifs;  /* struct vrrp_linkbeat_cfg */
	struct cfg_list if_delays;     /* struct vrrp_if_delay_cfg */
	struct cfg_list static_addrs;  /* struct vrrp_ipaddr */
	struct cfg_list static_routes; /* struct vrrp_route */
	struct cfg_list static_rules;  /* struct vrrp_rule */
};

/* Allocate an empty VRRP configuration in arena a (never NULL). */
struct vrrp_cfg *vrrp_cfg_new(struct arena *a);

/* Top-level keywords (vrrp_instance, vrrp_sync_group, vrrp_script, ...),
 * registered with the object returned by vrrp_cfg_new(). */
extern const struct cfg_keyword vrrp_cfg_keywords[];

/* After the walk: apply global_defs defaults where a value was not written,
 * resolve names (sync group members, trackers, track groups) and report
 * cross-object errors/warnings through diag with the file:line of the
 * object concerned. */
void vrrp_cfg_finish(struct vrrp_cfg *v, const struct global_cfg *g, struct cfg_diag *diag);

/* True when there is nothing for a VRRP process to do: no instance and no
 * static address, route or rule. */
bool vrrp_cfg_empty(const struct vrrp_cfg *v);

/* Readable dump of everything, in configuration order. */
void vrrp_cfg_dump(FILE *out, const struct vrrp_cfg *v);

/* Lookups by name (NULL if absent), for the VRRP engine and global checks. */
struct vrrp_instance_cfg *vrrp_cfg_find_instance(const struct vrrp_cfg *v, const char *name);
struct vrrp_script_cfg *vrrp_cfg_find_script(const struct vrrp_cfg *v, const char *name);
struct vrrp_track_file_cfg *vrrp_cfg_find_track_file(const struct vrrp_cfg *v, const char *name);

#endif
