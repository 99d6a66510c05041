/* SPDX-License-Identifier: GPL-2.0-or-later */
/* supervisor.c - the parent process: starts, watches, respawns and signals the children */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check/check_daemon.h"
#include "daemon/bfd_daemon.h"
#include "daemon/child.h"
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "daemon/options.h"
#include "daemon/pidfile.h"
#include "daemon/proc_tune.h"
#include "daemon/sd_notify.h"
#include "daemon/supervisor.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_daemon.h"

#define SUP_USEC            1000000ull
#define SUP_STABLE_USEC     (60 * SUP_USEC) /* a child that ran this long is healthy */
#define SUP_BACKOFF_MAX     (60 * SUP_USEC)
#define SUP_DEFAULT_WAIT    (5 * SUP_USEC)
#define SUP_PARENT_DATA     "/tmp/keepalived_parent.data"

struct supervisor;

/* One kind of child process: the table below drives everything. */
struct sup_proc {
	const char *name;     /* "VRRP": in log messages */
	const char *ident;    /* syslog ident */
	const char *suffix;   /* log file suffix */
	const char *comm;     /* process name with process_names */
	const char *what;     /* what its configuration is called */
	const struct child_ops *ops;
	bool (*configured)(const struct ka_config *c);
	bool (*allowed)(const struct ka_options *o); /* -P / -C / -B */
	size_t pid_off;       /* its path in struct pidfile_paths */
	size_t gproc_off;     /* its struct global_proc in struct global_cfg */
};

static bool vrrp_allowed(const struct ka_options *o)
{
	return !o->check_only;
}

static bool check_allowed(const struct ka_options *o)
{
	return !o->vrrp_only;
}

/* Not -P or -C: keepalived runs its BFD child with either. */
static bool bfd_allowed(const struct ka_options *o)
{
	return !o->no_bfd;
}

/* Slots of sup_procs[]. */
enum { SUP_VRRP, SUP_CHECK, SUP_BFD };

static const struct sup_proc sup_procs[] = {
	[SUP_VRRP] = {
		.name = "VRRP", .ident = "Keepalived_vrrp", .suffix = "_vrrp",
		.comm = "keepalived_vrrp", .what = "VRRP", .ops = &vrrp_child_ops,
		.configured = ka_config_has_vrrp, .allowed = vrrp_allowed,
		.pid_off = offsetof(struct pidfile_paths, vrrp),
		.gproc_off = offsetof(struct global_cfg, vrrp_proc),
	},
	[SUP_CHECK] = {
		.name = "checker", .ident = "Keepalived_healthcheckers",
		.suffix = "_healthcheckers", .comm = "keepalived_ipvs",
		.what = "virtual_server", .ops = &check_child_ops,
		.configured = ka_config_has_check, .allowed = check_allowed,
		.pid_off = offsetof(struct pidfile_paths, check),
		.gproc_off = offsetof(struct global_cfg, checker_proc),
	},
	[SUP_BFD] = {
		.name = "BFD", .ident = "Keepalived_bfd", .suffix = "_bfd",
		.comm = "keepalived_bfd", .what = "bfd_instance", .ops = &bfd_child_ops,
		.configured = bfd_daemon_configured, .allowed = bfd_allowed,
		.pid_off = offsetof(struct pidfile_paths, bfd),
		.gproc_off = offsetof(struct global_cfg, bfd_proc),
	},
};

#define SUP_NPROCS ARRAY_SIZE(sup_procs)

/* Runtime state of one child slot. */
struct sup_child {
	struct supervisor *sup;
	const struct sup_proc *proc;
	const char *pid_file;
	pid_t pid;             /* 0 when not running */
	int ctl_fd;            /* our end of its control socket, -1 if none */
	bool wanted;           /* should be running with the current config */
	bool stopping;         /* we asked it to exit (subsystem removed) */
	bool ready;            /* it reported its subsystem started */
	uint64_t started;      /* monotonic µs of the last fork */
	unsigned quick_deaths; /* deaths within SUP_STABLE_USEC of starting */
	struct ev_timer *respawn;
};

/*
 * What the parent keeps of the running configuration. The parsed form is
 * needed only while children are forked from it (start, reload); then the
 * parent keeps the sealed memfd, which a respawned child parses, and these
 * few facts. Holding the parsed form would count a large configuration
 * twice in the daemon's memory, once here and once in each child.
 */
struct sup_conf {
	int memfd;                       /* -1: could not be made, config is kept */
	bool configured[SUP_NPROCS];
	char *comm[SUP_NPROCS];          /* process name of each child, NULL = ours */
	uint64_t child_wait_time;
	char *net_namespace;
};

/* The whole parent state, passed to every callback. */
struct supervisor {
	struct ev_loop *loop;
	const struct ka_options *opts;
	struct ka_config *config;  /* parsed form, only while it is needed */
	struct sup_conf conf;
	pid_t pid;
	struct sup_child child[SUP_NPROCS];
	bool stopping;
	bool ready_owed;       /* READY=1 is due once every wanted child is ready */
	bool reload_failed;    /* the last reload kept the running configuration */
	struct ev_timer *kill_timer;
	int exit_code;
	/* The BFD event channels (daemon/bfd_event.h), [consumer][end], -1 until
	 * BFD is first configured; then kept for our whole life, so either side
	 * can be respawned alone. */
	int bfd_chan[CHILD_BFD_NCONSUMERS][2];
};

static bool sup_wanted(const struct supervisor *sup, size_t i)
{
	return sup_procs[i].allowed(sup->opts) && (sup->opts->all || sup->conf.configured[i]);
}

/* The comm name for a child: *_process_name, or with process_names the
 * conventional one; NULL keeps "keepalived", which `pidof keepalived`
 * users expect by default. */
static const char *sup_comm(const struct global_cfg *g, const struct sup_proc *p)
{
	const struct global_proc *gp = (const void *)((const char *)g + p->gproc_off);
	if (gp->process_name)
		return gp->process_name;
	return g->process_names ? p->comm : NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void sup_conf_clear(struct sup_conf *sc)
{
	for (size_t i = 0; i < SUP_NPROCS; i++)
		free(sc->comm[i]);
	free(sc->net_namespace);
	if (sc->memfd >= 0)
		close(sc->memfd);
	memset(sc, 0, sizeof(*sc));
	sc->memfd = -1;
}

/* Make config (tokens still there) the running one: its memfd and facts. */
static void sup_conf_take(struct supervisor *sup, struct ka_config *config, int memfd)
{
	const struct global_cfg *g = config->global;
	sup_conf_clear(&sup->conf);
	sup->conf.memfd = memfd;
	for (size_t i = 0; i < SUP_NPROCS; i++) {
		sup->conf.configured[i] = sup_procs[i].configured(config);
		sup->conf.comm[i] = dup_or_null(sup_comm(g, &sup_procs[i]));
	}
	sup->conf.child_wait_time = g->child_wait_time;
	sup->conf.net_namespace = dup_or_null(g->net_namespace);
	ka_config_free(sup->config);
	sup->config = config;
}

/* The children have been forked: drop the parsed form if a respawn can
 * rebuild it from the memfd, and give the memory back to the system. */
static void sup_conf_slim(struct supervisor *sup)
{
	if (sup->conf.memfd < 0 || !sup->config)
		return;
	ka_config_free(sup->config);
	sup->config = NULL;
	malloc_trim(0);
}

void supervisor_read_opts(struct cfg_read_opts *ro, const struct ka_options *opts)
{
	memset(ro, 0, sizeof(*ro));
	ro->config_id = opts->config_id;
	ro->strict_includes = opts->all_config;
}

void supervisor_diag_log(void *arg, enum cfg_level lvl, const char *msg)
{
	log_msg(lvl == CFG_LVL_ERROR ? LOG_ERR : lvl == CFG_LVL_WARNING ? LOG_WARNING : LOG_INFO,
		"%s", msg);
}

void supervisor_dump_config(const struct ka_config *config)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return;
	ka_config_dump(f, config);
	fclose(f);
	for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		log_info("%s", line);
	}
	free(text);
}

/* "killed by signal 9" / "exited with status 1" */
static void describe_status(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)%s", WTERMSIG(status),
			 strsignal(WTERMSIG(status)), WCOREDUMP(status) ? ", core dumped" : "");
	else if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	else
		snprintf(buf, size, "ended (wait status 0x%x)", status);
}

/* ---- telling the service manager ---- */

/* "running: VRRP and checker children" */
static void sup_status(const struct supervisor *sup, char *buf, size_t size)
{
	size_t n = 0, total = 0, len = (size_t)snprintf(buf, size, "running:");
	for (size_t i = 0; i < SUP_NPROCS; i++)
		total += sup->child[i].wanted;
	for (size_t i = 0; i < SUP_NPROCS && len < size; i++) {
		if (!sup->child[i].wanted)
			continue;
		n++;
		len += (size_t)snprintf(buf + len, size - len, "%s %s",
					n == 1 ? "" : n == total ? " and" : ",",
					sup->child[i].proc->name);
	}
	if (len < size)
		snprintf(buf + len, size - len, "%s%s", n == 0 ? " no subsystem configured" :
			 n == 1 ? " child" : " children",
			 sup->reload_failed ? "; last reload failed, see the log" : "");
}

/* Once every wanted child has reported it started, say so: READY=1 at
 * startup and at the end of a reload, STATUS= after a respawn. */
static void sup_check_ready(struct supervisor *sup)
{
	char status[160];
	if (sup->stopping)
		return;
	for (size_t i = 0; i < SUP_NPROCS; i++) {
		const struct sup_child *c = &sup->child[i];
		if (c->wanted && !(c->pid && c->ready && !c->stopping))
			return;
	}
	sup_status(sup, status, sizeof(status));
	if (sup->ready_owed)
		ka_sd_notifyf("READY=1\nMAINPID=%ld\nSTATUS=%s", (long)sup->pid, status);
	else
		ka_sd_notifyf("STATUS=%s", status);
	sup->ready_owed = false;
}

static void sup_ctl_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct sup_child *c = arg;
	int r = child_recv_report(fd);
	if (r == CHILD_REPORT_READY) {
		c->ready = true;
		sup_check_ready(c->sup);
	} else if (r < 0) {
		ev_fd_del(loop, fd); /* it is exiting: sup_child_exit_cb follows */
	}
}

/* ---- the BFD event channels ---- */

/* Make the channels at start-up, unless BFD is disabled (-B): made once and
 * kept, so every child forked from then on gets its ends, and a reload that
 * configures BFD for the first time reaches the VRRP and checker children
 * already running (their SYNC waits in the channel for the BFD child). */
static int sup_bfd_channels(struct supervisor *sup)
{
	if (sup->opts->no_bfd)
		return 0;
	for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++) {
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sup->bfd_chan[i]) == 0)
			continue;
		log_warn("cannot make the BFD event channels: BFD states reach no child");
		for (int j = 0; j < i; j++) {
			close(sup->bfd_chan[j][0]);
			close(sup->bfd_chan[j][1]);
			sup->bfd_chan[j][0] = sup->bfd_chan[j][1] = -1;
		}
		return -1;
	}
	return 0;
}

static void sup_bfd_close(struct supervisor *sup)
{
	for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++)
		for (int end = 0; end < 2; end++)
			if (sup->bfd_chan[i][end] >= 0) {
				close(sup->bfd_chan[i][end]);
				sup->bfd_chan[i][end] = -1;
			}
}

/* In a forked child: the channel ends slot owns go to fds, the others are
 * closed (the BFD child owns end 0 of each pair, a consumer end 1 of its own). */
static void sup_bfd_take(struct supervisor *sup, size_t slot, struct child_bfd_fds *fds)
{
	fds->consumer = -1;
	for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++) {
		bool mine = (slot == SUP_VRRP && i == CHILD_BFD_VRRP) ||
			    (slot == SUP_CHECK && i == CHILD_BFD_CHECK);
		fds->ends[i] = slot == SUP_BFD ? sup->bfd_chan[i][0] : -1;
		if (mine)
			fds->consumer = sup->bfd_chan[i][1];
		if (slot != SUP_BFD && sup->bfd_chan[i][0] >= 0)
			close(sup->bfd_chan[i][0]);
		if (!mine && sup->bfd_chan[i][1] >= 0)
			close(sup->bfd_chan[i][1]);
	}
}

/* ---- starting a child ---- */

/* In the forked child: drop the parent's loop and sockets, become the child. */
static void __attribute__((noreturn)) sup_become_child(struct supervisor *sup,
							struct sup_child *c, int ctl)
{
	/* The parent's loop is not ours to free: its signalfd and epoll instance
	 * are shared with the parent, and changing them (as ev_loop_free() does
	 * with the signalfd mask) would silence the parent. Its fds are
	 * close-on-exec. The signals it blocked stay blocked, so one sent before
	 * the child's own loop exists waits for it instead of killing us. */
	struct child_bfd_fds bfd;
	for (size_t i = 0; i < SUP_NPROCS; i++)
		if (sup->child[i].ctl_fd >= 0)
			close(sup->child[i].ctl_fd);
	sup_bfd_take(sup, (size_t)(c->proc - sup_procs), &bfd);
	ka_sd_notify_close(); /* only the parent speaks to the service manager */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	/* The parent may have died before the line above: nobody would tell us. */
	if (getppid() != sup->pid)
		_exit(KA_EXIT_FAILURE);
	const char *comm = sup->conf.comm[c->proc - sup_procs];
	if (comm)
		prctl(PR_SET_NAME, comm);

	struct log_opts lo = sup->opts->log;
	lo.suffix = c->proc->suffix;
	log_init(c->proc->ident, &lo);

	/* Forked at a start or reload: the parsed form is at hand. Respawned
	 * later: rebuild it from the memfd the parent kept. */
	struct ka_config *config = sup->config;
	sup->config = NULL;
	if (!config)
		config = child_config_load(sup->conf.memfd);
	if (!config) {
		log_warnx("cannot rebuild the configuration from the parent's copy");
		_exit(KA_EXIT_FAILURE);
	}
	proc_tune_apply((const void *)((const char *)config->global + c->proc->gproc_off),
			c->proc->ident);
	int rc = child_main(c->proc->ops, config, sup->opts, ctl, c->pid_file, &bfd);
	log_close();
	exit(rc);
}

static void sup_child_exit_cb(struct ev_loop *loop, pid_t pid, int status, void *arg);

static void sup_respawn_cb(struct ev_loop *loop, void *arg);

/* Fork the child for slot c. Returns 0 or -1 (a retry is scheduled). */
static int sup_child_start(struct sup_child *c)
{
	struct supervisor *sup = c->sup;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		log_warn("%s child: socketpair", c->proc->name);
		ev_timer_add(sup->loop, sup_respawn_cb, c, SUP_USEC, &c->respawn);
		return -1;
	}
	fflush(NULL); /* or buffered output would be written twice */
	pid_t pid = fork();
	if (pid < 0) {
		log_warn("%s child: fork", c->proc->name);
		close(sv[0]);
		close(sv[1]);
		ev_timer_add(sup->loop, sup_respawn_cb, c, SUP_USEC, &c->respawn);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		sup_become_child(sup, c, sv[1]);
	}
	close(sv[1]);
	c->pid = pid;
	c->ctl_fd = sv[0];
	c->started = mono_usec();
	c->stopping = false;
	c->ready = false;
	if (ev_fd_add(sup->loop, c->ctl_fd, EV_READ, sup_ctl_cb, c) < 0) {
		log_warn("%s child (pid %ld): cannot watch its control socket", c->proc->name,
			 (long)pid);
		c->ready = true; /* do not hold readiness back for ever */
	}
	if (ev_child_add(sup->loop, pid, sup_child_exit_cb, c) < 0)
		log_warn("%s child (pid %ld): cannot watch it", c->proc->name, (long)pid);
	log_info("%s child started (pid %ld)", c->proc->name, (long)pid);
	return 0;
}

static void sup_respawn_cb(struct ev_loop *loop, void *arg)
{
	struct sup_child *c = arg;
	if (!c->sup->stopping && c->wanted && !c->pid)
		sup_child_start(c);
}

/* Restart at once the first time (or after a long healthy run), then wait
 * 1 s, 2 s, 4 s ... up to 60 s while it keeps dying young. */
static void sup_schedule_respawn(struct sup_child *c)
{
	uint64_t ran = mono_usec() - c->started;
	if (ran >= SUP_STABLE_USEC)
		c->quick_deaths = 0;
	uint64_t delay = 0;
	if (c->quick_deaths > 0) {
		unsigned shift = c->quick_deaths - 1 < 6 ? c->quick_deaths - 1 : 6;
		delay = SUP_USEC << shift;
		if (delay > SUP_BACKOFF_MAX)
			delay = SUP_BACKOFF_MAX;
	}
	c->quick_deaths++;
	if (!delay) {
		sup_child_start(c);
		return;
	}
	log_warnx("%s child keeps dying: respawning in %llu s", c->proc->name,
		  (unsigned long long)(delay / SUP_USEC));
	ev_timer_add(c->sup->loop, sup_respawn_cb, c, delay, &c->respawn);
}

/* ---- stopping ---- */

static void sup_maybe_done(struct supervisor *sup)
{
	for (size_t i = 0; i < SUP_NPROCS; i++)
		if (sup->child[i].pid)
			return;
	ev_cancel(&sup->kill_timer);
	ev_break(sup->loop);
}

static void sup_kill_cb(struct ev_loop *loop, void *arg)
{
	struct supervisor *sup = arg;
	for (size_t i = 0; i < SUP_NPROCS; i++) {
		struct sup_child *c = &sup->child[i];
		if (!c->pid)
			continue;
		log_warnx("%s child (pid %ld) did not stop in time: killing it", c->proc->name,
			  (long)c->pid);
		kill(c->pid, SIGKILL);
	}
}

static void sup_stop(struct supervisor *sup, int code)
{
	if (sup->stopping)
		return;
	sup->stopping = true;
	sup->exit_code = code;
	ka_sd_notify(code == KA_EXIT_OK ? "STOPPING=1\nSTATUS=stopping" :
		     "STOPPING=1\nSTATUS=stopping after a fatal error, see the log");
	for (size_t i = 0; i < SUP_NPROCS; i++) {
		struct sup_child *c = &sup->child[i];
		ev_cancel(&c->respawn);
		if (c->pid)
			kill(c->pid, SIGTERM);
	}
	uint64_t wait = sup->conf.child_wait_time;
	ev_timer_add(sup->loop, sup_kill_cb, sup, wait ? wait : SUP_DEFAULT_WAIT,
		     &sup->kill_timer);
	sup_maybe_done(sup);
}

static void sup_child_exit_cb(struct ev_loop *loop, pid_t pid, int status, void *arg)
{
	struct sup_child *c = arg;
	struct supervisor *sup = c->sup;
	char why[128];

	describe_status(status, why, sizeof(why));
	c->pid = 0;
	c->ready = false;
	if (c->ctl_fd >= 0) {
		ev_fd_del(loop, c->ctl_fd);
		close(c->ctl_fd);
	}
	c->ctl_fd = -1;
	/* Removed here too: a killed child cannot remove its own. */
	pidfile_remove(c->pid_file, pid);
	if (sup->stopping || c->stopping) {
		log_info("%s child (pid %ld) %s", c->proc->name, (long)pid, why);
		c->stopping = false;
		if (sup->stopping)
			sup_maybe_done(sup);
		else if (c->wanted) /* configured again while it was stopping */
			sup_child_start(c);
		return;
	}
	log_warnx("%s child (pid %ld) %s", c->proc->name, (long)pid, why);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (code == KA_EXIT_CONFIG || code == KA_EXIT_FATAL) {
		log_warnx("%s child failed permanently: stopping", c->proc->name);
		sup_stop(sup, code);
	} else if (sup->opts->dont_respawn) {
		log_warnx("not respawning the %s child (--dont-respawn): stopping", c->proc->name);
		sup_stop(sup, KA_EXIT_FAILURE);
	} else {
		ka_sd_notifyf("STATUS=%s child %s: restarting", c->proc->name, why);
		sup_schedule_respawn(c);
	}
}

/* ---- reload ---- */

/* Bring the running children in line with sup->conf: pass it to those
 * that stay, stop those no longer configured, start the new ones. */
static void sup_apply(struct supervisor *sup, int memfd)
{
	for (size_t i = 0; i < SUP_NPROCS; i++) {
		struct sup_child *c = &sup->child[i];
		bool want = sup_wanted(sup, i);
		bool was = c->wanted;
		c->wanted = want;
		if (c->pid && want && !c->stopping) {
			if (child_send_reload(c->ctl_fd, memfd) < 0)
				log_warn("%s child (pid %ld): cannot send the configuration",
					 c->proc->name, (long)c->pid);
		} else if (c->pid && !want && !c->stopping) {
			log_info("no %s configuration any more: stopping the %s child",
				 c->proc->what, c->proc->name);
			c->stopping = true;
			kill(c->pid, SIGTERM);
		} else if (!c->pid && want && !c->respawn) {
			c->quick_deaths = 0;
			sup_child_start(c);
		} else if (!want) {
			ev_cancel(&c->respawn);
			if (was)
				log_info("no %s configuration, %s child not started",
					 c->proc->what, c->proc->name);
		}
	}
}

static void sup_reload(struct supervisor *sup)
{
	const char *path = sup->opts->conf_file;
	struct cfg_read_opts ro;
	struct cfg_diag diag = { .emit = supervisor_diag_log };

	log_info("reloading configuration from %s", path);
	ka_sd_notifyf("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading %s",
		      (unsigned long long)mono_usec(), path);
	/* Whatever the outcome, READY=1 ends the reload. */
	sup->ready_owed = true;
	sup->reload_failed = true;
	supervisor_read_opts(&ro, sup->opts);
	struct ka_config *fresh = ka_config_load(path, &ro, &diag);
	if (!fresh || fresh->errors) {
		log_warnx("%s: %u error%s, %u warning%s: keeping the running configuration",
			  path, diag.errors, diag.errors == 1 ? "" : "s", diag.warnings,
			  diag.warnings == 1 ? "" : "s");
		ka_config_free(fresh);
		sup_check_ready(sup);
		return;
	}
	int memfd = child_config_memfd(fresh);
	ka_config_drop_tokens(fresh);
	if (memfd < 0) {
		log_warn("cannot hand the new configuration to the children; keeping the "
			 "running configuration");
		ka_config_free(fresh);
		sup_check_ready(sup);
		return;
	}
	const char *ons = sup->conf.net_namespace;
	const char *nns = fresh->global->net_namespace;
	if (!sup->opts->namespace && (ons || nns) && (!ons || !nns || strcmp(ons, nns)))
		log_warnx("net_namespace changed: it takes effect at the next restart");
	if (sup->opts->dump_conf)
		supervisor_dump_config(fresh);
	sup_conf_take(sup, fresh, memfd);
	sup_apply(sup, memfd);
	sup_conf_slim(sup);
	sup->reload_failed = false;
	sup_check_ready(sup);
}

/* ---- signals ---- */

static void sup_fill_parent_data(struct supervisor *sup, FILE *out)
{
	char when[64];
	time_t now = time(NULL);
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&now, &tm));
	fprintf(out, "------< Parent process data >------\n");
	fprintf(out, " pid = %ld\n date = %s\n config file = %s\n", (long)sup->pid, when,
		sup->opts->conf_file);
	for (size_t i = 0; i < SUP_NPROCS; i++) {
		const struct sup_child *c = &sup->child[i];
		if (i == SUP_BFD && !c->pid && !c->wanted)
			continue; /* as in sup_log_not_started() */
		fprintf(out, " %s child: ", c->proc->name);
		if (c->pid)
			fprintf(out, "pid %ld, up %llu s, pid file %s\n", (long)c->pid,
				(unsigned long long)((mono_usec() - c->started) / SUP_USEC),
				c->pid_file);
		else
			fprintf(out, "%s\n", c->wanted ? "restarting" : "not running");
	}
	fprintf(out, "------< Configuration >------\n");
	/* rare: rebuilt for the occasion rather than kept */
	struct ka_config *c = sup->config ? sup->config : child_config_load(sup->conf.memfd);
	if (c)
		ka_config_dump(out, c);
	else
		fprintf(out, " (cannot be rebuilt)\n");
	if (c != sup->config) {
		ka_config_free(c);
		malloc_trim(0);
	}
}

static void sup_write_parent_data(struct supervisor *sup)
{
	char tmp[] = SUP_PARENT_DATA ".XXXXXX";
	int fd = mkstemp(tmp);
	FILE *out = fd < 0 ? NULL : fdopen(fd, "w");
	if (!out) {
		log_warn("cannot write %s", SUP_PARENT_DATA);
		if (fd >= 0)
			close(fd);
		return;
	}
	sup_fill_parent_data(sup, out);
	bool bad = ferror(out) != 0;
	if (fclose(out) != 0 || bad || rename(tmp, SUP_PARENT_DATA) < 0) {
		log_warn("cannot write %s", SUP_PARENT_DATA);
		unlink(tmp);
	}
}

/* Relay signo to the running children whose subsystem can act on it. */
static void sup_forward(struct supervisor *sup, int signo)
{
	for (size_t i = 0; i < SUP_NPROCS; i++) {
		const struct sup_child *c = &sup->child[i];
		const struct child_ops *ops = c->proc->ops;
		if (!c->pid)
			continue;
		if ((signo == SIGUSR2 || signo == SIGRTMAX - 1) && !ops->stats)
			continue;
		if (signo == SIGRTMIN + 2 && !ops->json)
			continue;
		kill(c->pid, signo);
	}
}

static void sup_signal_cb(struct ev_loop *loop, int signo, void *arg)
{
	struct supervisor *sup = arg;

	if (signo == SIGTERM || (signo == SIGINT && !sup->opts->ignore_sigint)) {
		log_info("%s received: stopping", signo == SIGTERM ? "SIGTERM" : "SIGINT");
		sup_stop(sup, KA_EXIT_OK);
	} else if (signo == SIGINT) {
		log_info("SIGINT ignored (--ignore-sigint)");
	} else if (sup->stopping) {
		log_info("signal %d ignored while stopping", signo);
	} else if (signo == SIGHUP) {
		sup_reload(sup);
	} else {
		if (signo == SIGUSR1)
			sup_write_parent_data(sup);
		if (signo == SIGRTMAX)
			log_info("event loop: %zu timers pending", ev_timer_count(loop));
		sup_forward(sup, signo);
	}
}

static int sup_signals(struct supervisor *sup)
{
	int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2,
		       SIGRTMAX - 1, SIGRTMIN + 2, SIGRTMAX };
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		if (ev_signal_add(sup->loop, sigs[i], sup_signal_cb, sup) < 0)
			return -1;
	return 0;
}

/* ---- the parent ---- */

/* Why child slot i does not start. Most configurations have no BFD: that
 * is not worth a line. */
static void sup_log_not_started(const struct supervisor *sup, size_t i)
{
	const struct sup_proc *p = &sup_procs[i];
	if (i == SUP_BFD && !sup->conf.configured[i])
		return;
	if (!p->allowed(sup->opts))
		log_info("%s child not started (%s)", p->name, i == SUP_BFD ? "--no_bfd" :
			 sup->opts->vrrp_only ? "--vrrp" : "--check");
	else
		log_info("no %s configuration, %s child not started", p->what, p->name);
}

static void sup_start_children(struct supervisor *sup)
{
	for (size_t i = 0; i < SUP_NPROCS; i++) {
		struct sup_child *c = &sup->child[i];
		c->wanted = sup_wanted(sup, i);
		if (c->wanted)
			sup_child_start(c);
		else
			sup_log_not_started(sup, i);
	}
}

int supervisor_run(struct ka_config *config, const struct ka_options *opts,
		   const struct pidfile_paths *paths)
{
	struct supervisor sup = {
		.opts = opts, .pid = getpid(), .exit_code = KA_EXIT_OK, .ready_owed = true,
		.conf = { .memfd = -1 },
	};
	for (size_t i = 0; i < SUP_NPROCS; i++) {
		struct sup_child *c = &sup.child[i];
		c->sup = &sup;
		c->proc = &sup_procs[i];
		c->pid_file = *(char *const *)((const char *)paths + c->proc->pid_off);
		c->ctl_fd = -1;
	}
	for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++)
		sup.bfd_chan[i][0] = sup.bfd_chan[i][1] = -1;
	int memfd = child_config_memfd(config);
	if (memfd < 0)
		log_warn("cannot keep a sealed copy of the configuration: keeping it parsed");
	ka_config_drop_tokens(config);
	sup_conf_take(&sup, config, memfd);
	sup.loop = ev_loop_new();
	if (!sup.loop || sup_signals(&sup) < 0) {
		log_warn("cannot set up the event loop");
		ev_loop_free(sup.loop);
		ka_config_free(sup.config);
		sup_conf_clear(&sup.conf);
		return KA_EXIT_FATAL;
	}
	sup_bfd_channels(&sup);
	sup_start_children(&sup);
	sup_conf_slim(&sup);
	sup_check_ready(&sup); /* at once if nothing is configured */
	if (ev_run(sup.loop) < 0) {
		log_warn("event loop failed");
		sup.exit_code = KA_EXIT_FATAL;
	}
	/* Still running only if the loop failed: do not leave them orphaned. */
	for (size_t i = 0; i < SUP_NPROCS; i++)
		if (sup.child[i].pid)
			kill(sup.child[i].pid, SIGKILL);
	for (size_t i = 0; i < SUP_NPROCS; i++) {
		if (sup.child[i].ctl_fd >= 0) {
			ev_fd_del(sup.loop, sup.child[i].ctl_fd);
			close(sup.child[i].ctl_fd);
		}
	}
	ev_loop_free(sup.loop);
	sup_bfd_close(&sup);
	ka_config_free(sup.config);
	sup_conf_clear(&sup.conf);
	log_info("stopped");
	return sup.exit_code;
}
