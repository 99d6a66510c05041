/* SPDX-License-Identifier: GPL-2.0-or-later */
/* child.h - runtime shared by the VRRP and checker child processes */
#ifndef KA_CHILD_H
#define KA_CHILD_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "daemon/proc_tune.h"

struct ev_loop;
struct ka_config;
struct ka_options;

/*
 * Exit statuses of every keepalived process. The parent treats CONFIG and
 * FATAL from a child as permanent: respawning would only fail again, so the
 * whole daemon stops and exits with the same status.
 */
#define KA_EXIT_OK      0
#define KA_EXIT_FAILURE 1 /* runtime failure; a child exiting so is respawned */
#define KA_EXIT_USAGE   2 /* bad command line */
#define KA_EXIT_CONFIG  3 /* configuration unusable (also: -t found errors) */
#define KA_EXIT_FATAL   4 /* cannot run at all (resources, permissions) */

struct child_ctx;

/*
 * What a subsystem plugs into the child runtime. Only start and stop are
 * required; a NULL dump/stats/json hook means the subsystem has nothing to
 * say for that signal. The engine keeps its own state in ctx->priv.
 */
struct child_ops {
	const char *name;      /* "VRRP", "checker": log and dump headings */
	const char *data_file; /* SIGUSR1 dump path when not configured */
	bool data_file_cfg;    /* global state_dump_file overrides data_file; when
				* false only a state_dump_file naming a directory
				* ("DIR/") applies: DIR/<basename of data_file> */
	/* SIGUSR2 / SIGRTMIN+2 output of a subsystem that must not share
	 * /tmp/keepalived.stats and .json with the VRRP child; a configured
	 * stats_dump_file / json_dump_file is then only followed when it names
	 * a directory ("DIR/"). NULL = the shared files. */
	const char *stats_file;
	const char *json_file;

	/* Bring the subsystem up from ctx->config. Returns 0 or a KA_EXIT_*
	 * status the child exits with (then it must have freed what it made). */
	int (*start)(struct child_ctx *ctx);
	/* ctx->config is already the new configuration; old is still valid and
	 * is freed after the call. Returns 0, or a KA_EXIT_* status. */
	int (*reload)(struct child_ctx *ctx, const struct ka_config *old);
	/* Orderly shutdown (release addresses, IPVS...) and release of ctx->priv:
	 * called once before exit whenever start() succeeded. */
	void (*stop)(struct child_ctx *ctx);
	/* Runtime state for the SIGUSR1 dump; the configuration dump precedes it. */
	void (*dump)(struct child_ctx *ctx, FILE *out);
	/* Counters (SIGUSR2); clear them afterwards when clear is set (SIGRTMAX-1). */
	void (*stats)(struct child_ctx *ctx, FILE *out, bool clear);
	/* JSON document (SIGRTMIN+2). */
	void (*json)(struct child_ctx *ctx, FILE *out);
};

/*
 * The BFD event channels (daemon/bfd_event.h) a child is given, -1 where
 * none: a consumer (VRRP, checker) gets end 1 of its own pair, the BFD child
 * end 0 of every pair, indexed by CHILD_BFD_VRRP / CHILD_BFD_CHECK.
 */
#define CHILD_BFD_VRRP       0
#define CHILD_BFD_CHECK      1
#define CHILD_BFD_NCONSUMERS 2
struct child_bfd_fds {
	int consumer;                   /* -> child_ctx.bfd_fd */
	int ends[CHILD_BFD_NCONSUMERS]; /* -> child_ctx.bfd_ends */
};

/* One per child process, owned by child_main(). */
struct child_ctx {
	struct ev_loop *loop;
	struct ka_config *config;       /* current configuration (owned) */
	const struct ka_options *opts;
	const struct child_ops *ops;
	const char *pid_file;
	int ctl_fd;                     /* control socket from the parent, -1 if none */
	int bfd_fd; /* BFD event channel (daemon/bfd_event.h), -1 if none */
	int bfd_ends[CHILD_BFD_NCONSUMERS]; /* BFD child: end 0 of each channel, else -1 */
	void *priv;                     /* the subsystem engine's state */
	int exit_code;
	struct proc_tune_late late;     /* max_auto_priority */
};

/*
 * Run a child process to completion: own event loop, signals, control
 * socket, pid file. Signals handled by the loop are blocked in the child
 * (as in the parent): code that execs a program must reset the signal mask
 * in the forked process first. Takes ownership of config (freed before returning),
 * of ctl_fd and of the BFD channel fds in bfd (NULL: none), which stay open
 * until the child exits. The caller has already forked and set up logging.
 * Returns the exit status for the process.
 */
int child_main(const struct child_ops *ops, struct ka_config *config,
	       const struct ka_options *opts, int ctl_fd, const char *pid_file,
	       const struct child_bfd_fds *bfd);

/*
 * Hand a validated configuration to a child: a sealed memfd holding
 * cfg_tokens_save() bytes, passed with SCM_RIGHTS over its control socket.
 */

/* Create the sealed memfd for config. Returns the fd (caller closes) or -1
 * (errno set). */
int child_config_memfd(const struct ka_config *config);

/* Build a configuration from such a memfd (the fd stays the caller's);
 * NULL, logged, if it is not sealed or does not decode. */
struct ka_config *child_config_load(int fd);

/* Send a reload request carrying memfd over the SOCK_SEQPACKET socket sock.
 * The fd stays the caller's. Returns 0 or -1 (errno set). */
int child_send_reload(int sock, int memfd);

/* What a child reports on its control socket. */
#define CHILD_REPORT_NONE  0 /* nothing (more) to read, or a message ignored */
#define CHILD_REPORT_READY 1 /* its subsystem has started (sent once per process) */

/* Read one report from the parent's end of a child's control socket,
 * without blocking. Returns CHILD_REPORT_*, or -1 when the child closed its
 * end (it is exiting) or on error. */
int child_recv_report(int sock);

#endif
