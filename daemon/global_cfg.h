/* SPDX-License-Identifier: GPL-2.0-or-later */
/* global_cfg.h - global_defs and the top-level keywords outside any block */
#ifndef KA_GLOBAL_CFG_H
#define KA_GLOBAL_CFG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg.h"

struct vrrp_cfg;

/*
 * Field names follow the keyword names. Times are microseconds (uint64_t,
 * written in seconds with decimals). Keywords that are recognised and
 * checked but have no effect yet are not stored (see doc/keywords-global.md).
 */

/* A switch whose absence means "inherit": smtp_alert and friends. Zero is
 * "not written", so arena-zeroed objects start unset. */
enum global_tristate { GLOBAL_UNSET = 0, GLOBAL_OFF, GLOBAL_ON };

struct global_email {
	struct cfg_node node;
	char *addr; /* as written: "a@b" or "Name <a@b>" */
};

/* Netlink socket receive buffer (vrrp_netlink_cmd_rcv_bufs and friends). */
struct global_nlbuf {
	unsigned size; /* bytes; 0 = kernel default */
	bool force;    /* SO_RCVBUFFORCE */
};

/* Scheduling of one child process (vrrp_*, checker_*, bfd_* keywords). */
struct global_proc {
	int priority;           /* nice -20..19; 0 = unchanged */
	unsigned rt_priority;   /* SCHED_RR 1..99; 0 = not realtime */
	bool no_swap;           /* mlockall */
	char *cpu_affinity;     /* CPU list as written ("0-2,5"), validated */
	unsigned rlimit_rttime; /* µs of CPU before blocking when realtime */
	char *process_name;     /* comm name; NULL = unchanged */
};

/* Event FIFO and the optional script keepalived starts to read it. */
struct global_fifo {
	struct ka_script fifo;   /* .cmd = path; user/group own the FIFO */
	struct ka_script script; /* .cmd NULL = none */
};

/* lvs_sync_daemon IF [[inst] VI] [id N] [maxlen N] [port N] [ttl N] [group IP] */
struct global_lvs_sync {
	bool set;
	char *ifname;
	char *vrrp_instance;  /* NULL: run master and backup daemons */
	unsigned syncid;      /* 0..255 */
	bool syncid_set;      /* "id" given; else the followed instance's VRID */
	unsigned maxlen;      /* 0 = kernel default */
	uint16_t port;        /* 8848 */
	unsigned ttl;         /* 0 = kernel default */
	struct ka_addr group; /* AF_UNSPEC = kernel default 224.0.0.81 */
	const char *file;     /* where it was written, for cross-checks */
	unsigned line;
};

enum global_lvs_flush { GLOBAL_FLUSH_NONE, GLOBAL_FLUSH_ALL, GLOBAL_FLUSH_VS };

struct global_cfg {
	struct arena *arena;      /* owner of every string below */
	const char *file;         /* where global_defs was opened, for messages */
	unsigned line;

	/* top level */
	uint64_t child_wait_time; /* µs; default 5 s */
	char *net_namespace;      /* NULL = current */
	char *instance_name;      /* "instance NAME" */
	bool use_pid_dir;         /* pid files in RUNSTATEDIR/keepalived/ */
	bool net_namespace_ipvs_set;
	char *net_namespace_ipvs;  /* "" = default namespace */
	bool namespace_with_ipsets;
	bool linkbeat_use_polling;

	/* global_defs: process */
	char *router_id;          /* default: host name (set in finish) */
	char *state_dump_file;    /* NULL = /tmp/keepalived.data */
	char *stats_dump_file;    /* NULL = /tmp/keepalived.stats */
	char *json_dump_file;     /* NULL = /tmp/keepalived.json */
	unsigned json_version;    /* 1 | 2 */
	bool data_use_instance;
	char *default_interface;  /* NULL = eth0 */
	bool dynamic_interfaces;
	bool dynamic_interfaces_allow_changes;
	bool reload_check_config;
	char *reload_check_config_log;
	char *script_user;        /* NULL = keepalived_script if it exists, else root */
	char *script_group;       /* NULL = the user's primary group */
	bool enable_script_security;
	bool use_symlink_paths;
	bool set_supplementary_groups;
	struct ka_script startup_script;
	struct ka_script shutdown_script;
	unsigned startup_script_timeout;  /* s; default 10 */
	unsigned shutdown_script_timeout; /* s; default 10 */
	bool umask_set;
	unsigned umask;
	bool process_names;       /* give each child its default comm name */
	struct global_proc vrrp_proc, checker_proc, bfd_proc;
	int max_auto_priority;            /* 0 off, -1 off and quiet, else highest RR priority */
	unsigned min_auto_priority_delay; /* µs of timer lateness that raises it */
	struct global_nlbuf vrrp_netlink_cmd, vrrp_netlink_monitor;
	struct global_nlbuf lvs_netlink_cmd, lvs_netlink_monitor, process_monitor;

	/* email / alerts */
	struct cfg_list notification_email; /* of struct global_email */
	char *notification_email_from;      /* default keepalived@<host> */
	struct ka_addr smtp_server;         /* AF_UNSPEC when a host name was given */
	char *smtp_server_host;             /* host name, or NULL */
	uint16_t smtp_server_port;          /* 25 */
	char *smtp_helo_name;               /* default: host name */
	uint64_t smtp_connect_timeout;      /* µs; 30 s */
	enum global_tristate smtp_alert, smtp_alert_vrrp, smtp_alert_checker;
	bool no_email_faults;
	bool no_checker_emails;
	bool checker_log_all_failures;

	/* VRRP defaults */
	unsigned vrrp_version;              /* 2 | 3 */
	struct ka_addr vrrp_mcast_group4;   /* 224.0.0.18 */
	struct ka_addr vrrp_mcast_group6;   /* ff02::12 */
	uint64_t vrrp_garp_master_delay;    /* 5 s */
	unsigned vrrp_garp_master_repeat;   /* 5 */
	uint64_t vrrp_garp_lower_prio_delay;  /* default = master delay */
	unsigned vrrp_garp_lower_prio_repeat; /* default = master repeat */
	uint64_t vrrp_garp_master_refresh;    /* 0 = off */
	unsigned vrrp_garp_master_refresh_repeat; /* 1 */
	uint64_t vrrp_garp_interval;
	uint64_t vrrp_gna_interval;
	bool vrrp_min_garp;
	uint64_t vrrp_garp_extra_if;        /* 0 = off */
	bool vrrp_garp_extra_if_all;
	unsigned vrrp_down_timer_adverts;   /* 1..100, 3 */
	bool vrrp_lower_prio_no_advert;
	bool vrrp_higher_prio_send_advert;
	bool vrrp_owner_ignore_adverts;
	bool v3_checksum_as_v2;
	bool vrrp_check_unicast_src;
	bool vrrp_skip_check_adv_addr;
	bool vrrp_strict;
	bool vrrp_notify_priority_changes;
	uint64_t vrrp_startup_delay;
	uint64_t vrrp_delay_after_boot;
	unsigned vrrp_rx_bufs_multiplier;   /* 3 */
	bool log_unknown_vrids;
	char *vmac_prefix;                  /* NULL = "vrrp" */
	char *vmac_addr_prefix;
	bool disable_local_igmp;
	char *nftables;                     /* table name; NULL = not used */
	int nftables_priority;              /* -1 */
	bool nftables_counters;
	bool nftables_ifindex;
	char *vrrp_iptables_in;             /* NULL = not used */
	char *vrrp_iptables_out;
	struct global_fifo notify_fifo, vrrp_notify_fifo, lvs_notify_fifo;
	bool fifo_write_vrrp_states_on_reload;

	/* LVS defaults */
	struct global_lvs_sync lvs_sync_daemon;
	unsigned lvs_timeout_tcp, lvs_timeout_tcpfin, lvs_timeout_udp; /* s; 0 = unchanged */
	bool lvs_flush;
	enum global_lvs_flush lvs_flush_on_stop;
	bool rs_init_notifies;

	/* SNMP / DBus */
	char *snmp_socket;                  /* NULL = unix:/var/agentx/master */
	bool enable_snmp_vrrp, enable_snmp_checker;
	bool enable_snmp_rfcv2, enable_snmp_rfcv3, enable_traps;
	uint64_t snmp_vs_stats_update_interval; /* 5 s */
	uint64_t snmp_rs_stats_update_interval; /* 5 s */
	bool enable_dbus;
	char *dbus_service_name;
};

/* Allocate from a with built-in defaults. Never NULL. */
struct global_cfg *global_cfg_new(struct arena *a);

/* The global_defs block keyword and the root keywords (net_namespace,
 * instance, use_pid_dir, child_wait_time...). */
extern const struct cfg_keyword global_cfg_keywords[];

/* Fill defaults that depend on other values or on the host (router_id,
 * notification_email_from, garp lower-prio values) and check combinations. */
void global_cfg_finish(struct global_cfg *g, struct cfg_diag *diag);

/* Checks that need the VRRP part (lvs_sync_daemon's instance exists...). */
void global_cfg_crosscheck(const struct global_cfg *g, const struct vrrp_cfg *v,
			   struct cfg_diag *diag);

/* Print the settings in configuration syntax (stable order). */
void global_cfg_dump(FILE *out, const struct global_cfg *g);

/* True when global settings alone need the VRRP child (e.g. lvs_sync_daemon). */
bool global_cfg_needs_vrrp(const struct global_cfg *g);

/* Whether an alert kind is enabled by the globals alone: explicit
 * smtp_alert_vrrp / smtp_alert_checker win over smtp_alert. */
enum global_tristate global_cfg_smtp_alert_vrrp(const struct global_cfg *g);
enum global_tristate global_cfg_smtp_alert_checker(const struct global_cfg *g);

#endif
