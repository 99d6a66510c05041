/* SPDX-License-Identifier: GPL-2.0-or-later */
/* options.h - the keepalived(8) command line */
#ifndef KA_OPTIONS_H
#define KA_OPTIONS_H

#include <stdbool.h>
#include <sys/types.h>

#include "log.h"

#define KA_DEFAULT_CONF SYSCONFDIR "/keepalived/keepalived.conf"

/* Everything the command line says; filled once by ka_options_parse() and
 * then only read. Strings point into argv or are literals. */
struct ka_options {
	const char *conf_file;          /* -f */
	bool vrrp_only, check_only;     /* -P, -C */
	bool no_bfd, all;               /* -B, --all */
	struct log_opts log;            /* -l -D -S -g -G */
	bool flush_log;                 /* --flush-log-file */
	bool release_vips;              /* -X */
	bool dont_release_vrrp;         /* -V */
	bool dont_release_ipvs;         /* -I */
	bool dont_respawn;              /* -R */
	bool dont_fork;                 /* -n */
	bool dump_conf;                 /* -d */
	const char *pid_file;           /* -p */
	const char *vrrp_pid_file;      /* -r */
	const char *check_pid_file;     /* -c */
	const char *bfd_pid_file;       /* -b */
	bool address_monitoring;        /* -a */
	const char *namespace;          /* -s */
	bool all_config;                /* -e */
	const char *config_id;          /* -i */
	bool snmp;                      /* -x */
	const char *snmp_socket;        /* -A */
	bool umask_set;                 /* -u */
	mode_t umask;
	bool core_dump;                 /* -m */
	const char *core_pattern;       /* -M: NULL = leave core_pattern alone */
	bool config_test;               /* -t */
	const char *config_test_file;   /* -t FILE: messages go there */
	const char *perf;               /* --perf */
	const char *debug;              /* --debug */
	bool no_mem_check, mem_check_log, openssl_mem_check;
	bool ignore_sigint;             /* --ignore-sigint */
	int config_fd;                  /* --config-fd, -1 if not given */
	/* Not an option: the network namespace we were started in, kept open
	 * by main() when -s/net_namespace moves the daemon (the proc connector
	 * lives there); -1 otherwise. */
	int netns_home_fd;
};

/* Returned by ka_options_parse() when the daemon should go on. */
#define KA_OPTS_RUN (-1)

/*
 * Parse argv into o (defaults first). Options that only print something
 * (-v, -h, --signum, -T) do it here. Returns KA_OPTS_RUN, or the status the
 * program must exit with at once: 0 after -v/-h/--signum, 1 for -T and an
 * unknown --signum name, 2 (usage on stderr) for a bad command line.
 */
int ka_options_parse(struct ka_options *o, int argc, char *argv[]);

/* "Keepalived v2.2.7-compatible (keepalived-ng VERSION)": the first line of
 * --version, which scripts parse, and of the startup log. */
const char *ka_version(void);

/* Signal number for a --signum name (STOP, RELOAD, DATA, STATS,
 * STATS_CLEAR, JSON, TDUMP), or -1. */
int ka_signum(const char *name);

#endif
