/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_track_proc.c - vrrp_track_process: proc connector events or /proc scans, quorum, delays */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* setns */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "daemon/global_cfg.h"
#include "ev.h"
#include "json.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_track_proc.h"

#define SCAN_INTERVAL 1000000ULL /* µs between /proc scans without the connector */
#define RX_BUF 8192
#define RX_EVENTS 32
#define EXIT_RESPAWN 1         /* KA_EXIT_FAILURE: the supervisor starts a fresh child */

/* ---- runtime state ------------------------------------------------------------------ */

enum tp_cause { CAUSE_NOW, CAUSE_FORK, CAUSE_EXIT };
enum tp_mode { MODE_OFF, MODE_EVENTS, MODE_SCAN };

struct tp_pids {
	pid_t *v;
	unsigned n, cap;
};

struct tp_tracker {
	struct tp_tracker *next;
	struct vrrp_tproc *tp;
	const struct vrrp_track_process_cfg *cfg;
	struct tp_pids pids;       /* matching processes (thread group ids) */
	bool known, up;            /* published state */
	struct ev_timer *timer;    /* fork_delay or terminate_delay running */
	enum tp_cause pending;     /* which of the two */
	uint64_t changes;
};

struct vrrp_tproc {
	struct ev_loop *loop;
	const struct vrrp_cfg *v;
	const struct global_cfg *g;
	int home_fd;               /* namespace we started in, -1 = none */
	vrrp_track_changed_fn cb;
	void *arg;
	struct tp_tracker *list;
	enum tp_mode mode;
	int fd;                    /* connector socket, -1 = none */
	bool via_home;             /* opened in the start namespace */
	bool scan_logged;
	struct ev_timer *scan_timer;
	char *cmd;                 /* cmdline buffer, cmd_cap bytes */
	size_t cmd_cap;
	bool quiet;                /* inside start/reload: no callbacks */
	uint64_t events, scans, bad;
	struct log_rl rl;
};

static bool pids_has(const struct tp_pids *s, pid_t pid)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->v[i] == pid)
			return true;
	return false;
}

static void pids_add(struct tp_pids *s, pid_t pid)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = pid;
}

static bool pids_del(struct tp_pids *s, pid_t pid)
{
	for (unsigned i = 0; i < s->n; i++) {
		if (s->v[i] == pid) {
			s->v[i] = s->v[--s->n];
			return true;
		}
	}
	return false;
}

/* ---- state and delays --------------------------------------------------------------- */

static void publish(struct tp_tracker *t, bool up)
{
	struct vrrp_tproc *tp = t->tp;

	if (t->known && t->up == up)
		return;
	t->known = true;
	t->up = up;
	t->changes++;
	log_info("Track_Process(%s) quorum %s (%u running)", t->cfg->name, up ? "gained" : "lost",
		 t->pids.n);
	if (!tp->quiet && tp->cb)
		tp->cb(tp->arg, VRRP_TRACK_KIND_PROCESS, t->cfg);
}

static void delay_cb(struct ev_loop *loop, void *arg)
{
	struct tp_tracker *t = arg;

	publish(t, vrrp_tproc_quorum_ok(t->cfg, t->pids.n));
}

/* The count changed because of cause: publish the new state now, or once
 * the delay for that cause has passed without the count coming back. */
static void settle(struct tp_tracker *t, enum tp_cause cause)
{
	const struct vrrp_track_process_cfg *c = t->cfg;
	bool want = vrrp_tproc_quorum_ok(c, t->pids.n);
	uint64_t delay = cause == CAUSE_FORK ? c->fork_delay :
			 cause == CAUSE_EXIT ? c->terminate_delay : 0;

	if (t->known && want == t->up) {
		if (t->timer)
			log_debug("Track_Process(%s) back to %u running within the delay",
				  c->name, t->pids.n);
		ev_cancel(&t->timer);
		return;
	}
	/* A delay is running: the state it would change to is still the one
	 * wanted (the only other one is the published state, handled above),
	 * so the delay decides, whatever the cause of this change. */
	if (t->timer)
		return;
	if (!t->known || !delay) {
		publish(t, want);
		return;
	}
	log_debug("Track_Process(%s) %u running: waiting %" PRIu64 " ms (%s delay)", c->name,
		  t->pids.n, delay / 1000, cause == CAUSE_FORK ? "fork" : "terminate");
	t->pending = cause;
	ev_timer_add(t->tp->loop, delay_cb, t, delay, &t->timer);
}

/* ---- reading /proc ------------------------------------------------------------------ */

struct tp_stat {
	char comm[VRRP_TPROC_COMM_MAX + 1];
	char state;
	pid_t ppid;
};

/* /proc/PID/stat: "PID (COMM) S PPID ..."; COMM may hold ')' and spaces. */
static int read_stat(pid_t pid, struct tp_stat *s)
{
	char path[64], buf[512];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *open_p = strchr(buf, '('), *close_p = strrchr(buf, ')');
	if (!open_p || !close_p || close_p < open_p || close_p[1] != ' ' || !close_p[2])
		return -1;
	size_t cl = (size_t)(close_p - open_p - 1);
	if (cl > VRRP_TPROC_COMM_MAX)
		cl = VRRP_TPROC_COMM_MAX;
	memcpy(s->comm, open_p + 1, cl);
	s->comm[cl] = '\0';
	s->state = close_p[2];
	s->ppid = (pid_t)strtol(close_p + 3, NULL, 10);
	return 0;
}

/* Up to cap bytes of /proc/PID/cmdline; returns the length or -1. */
static ssize_t read_cmdline(pid_t pid, char *buf, size_t cap)
{
	char path[64];
	size_t got = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (got < cap) {
		ssize_t n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return (ssize_t)got;
}

/* What is known of one process, read on first need. */
struct tp_view {
	pid_t pid;
	bool stat_tried, stat_ok;
	struct tp_stat st;
	const char *comm;          /* from an event, else st.comm */
	bool cmd_tried;
	ssize_t cmd_len;
};

/* 1 match, 0 no match, -1 unknown (the process could not be read: it is
 * gone, and its exit event will say so). */
static int view_match(struct vrrp_tproc *tp, struct tp_view *pv,
		      const struct vrrp_track_process_cfg *c)
{
	if (!c->full_command && !pv->comm) {
		if (!pv->stat_tried) {
			pv->stat_tried = true;
			pv->stat_ok = read_stat(pv->pid, &pv->st) == 0;
		}
		if (!pv->stat_ok)
			return -1;
		pv->comm = pv->st.comm;
	}
	if (vrrp_tproc_cmdline_need(c)) {
		if (!pv->cmd_tried) {
			pv->cmd_tried = true;
			pv->cmd_len = read_cmdline(pv->pid, tp->cmd, tp->cmd_cap);
		}
		if (pv->cmd_len < 0)
			return -1;
	}
	return vrrp_tproc_match(c, pv->comm, pv->cmd_len > 0 ? tp->cmd : NULL,
				pv->cmd_len > 0 ? (size_t)pv->cmd_len : 0);
}

/* ---- scanning /proc ----------------------------------------------------------------- */

struct scan_hit {
	pid_t pid, ppid;
};

struct scan_set {
	struct scan_hit *v;
	unsigned n, cap;
};

/* The matching processes of each tracker into sets; false if /proc cannot
 * be read (then nothing is known, which is not "none runs"). */
static bool scan_proc(struct vrrp_tproc *tp, struct scan_set *sets, unsigned nt)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d) {
		log_rl_msg(&tp->rl, LOG_WARNING, "track_process: cannot read /proc: %s",
			   strerror(errno));
		return false;
	}
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		struct tp_view pv = { .pid = (pid_t)pid, .stat_tried = true };
		unsigned i = 0;

		if (*end || pid <= 0 || pid > INT_MAX)
			continue;
		pv.stat_ok = read_stat(pv.pid, &pv.st) == 0;
		if (!pv.stat_ok || pv.st.state == 'Z' || pv.st.state == 'X')
			continue; /* gone, or dead but not reaped: not running */
		pv.comm = pv.st.comm;
		for (struct tp_tracker *t = tp->list; t && i < nt; t = t->next, i++) {
			struct scan_set *s = &sets[i];
			if (view_match(tp, &pv, t->cfg) <= 0)
				continue;
			if (s->n == s->cap) {
				s->cap = s->cap ? s->cap * 2 : 8;
				s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
			}
			s->v[s->n++] = (struct scan_hit){ pv.pid, pv.st.ppid };
		}
	}
	closedir(d);
	return true;
}

/* Replace t's processes by what a scan found, then settle once: fewer is
 * an exit, more is a fork when every newcomer's parent is counted too. */
static void scan_apply(struct tp_tracker *t, const struct scan_set *s)
{
	unsigned before = t->pids.n;
	bool plain_new = false;
	struct tp_pids nw = { 0 };

	for (unsigned i = 0; i < s->n; i++) {
		if (pids_has(&t->pids, s->v[i].pid))
			continue;
		bool parent_counted = pids_has(&t->pids, s->v[i].ppid);
		for (unsigned j = 0; j < s->n && !parent_counted; j++)
			parent_counted = s->v[j].pid == s->v[i].ppid;
		if (!parent_counted)
			plain_new = true;
	}
	for (unsigned i = 0; i < s->n; i++)
		pids_add(&nw, s->v[i].pid);
	free(t->pids.v);
	t->pids = nw;
	settle(t, t->pids.n < before ? CAUSE_EXIT :
		  t->pids.n > before && !plain_new ? CAUSE_FORK : CAUSE_NOW);
}

static unsigned tracker_count(const struct vrrp_tproc *tp)
{
	unsigned n = 0;
	for (const struct tp_tracker *t = tp->list; t; t = t->next)
		n++;
	return n;
}

static void rescan(struct vrrp_tproc *tp)
{
	unsigned nt = tracker_count(tp), i = 0;
	struct scan_set *sets;

	if (!nt)
		return;
	tp->scans++;
	sets = xcalloc(nt, sizeof(*sets));
	bool ok = scan_proc(tp, sets, nt);
	for (struct tp_tracker *t = tp->list; t; t = t->next, i++) {
		if (ok)
			scan_apply(t, &sets[i]);
		free(sets[i].v);
	}
	free(sets);
}

static void scan_tick_cb(struct ev_loop *loop, void *arg)
{
	struct vrrp_tproc *tp = arg;

	ev_timer_add(loop, scan_tick_cb, tp, SCAN_INTERVAL, &tp->scan_timer);
	rescan(tp);
}

/* ---- process events ----------------------------------------------------------------- */

/* An exec or a name change: decide again for the trackers concerned. */
static void recheck(struct vrrp_tproc *tp, pid_t pid, const char *comm)
{
	struct tp_view pv = { .pid = pid, .comm = comm };

	for (struct tp_tracker *t = tp->list; t; t = t->next) {
		if (comm && t->cfg->full_command)
			continue; /* a new name leaves the command line alone */
		int m = view_match(tp, &pv, t->cfg);
		bool had = pids_has(&t->pids, pid);
		if (m < 0 || (m > 0) == had)
			continue;
		if (m)
			pids_add(&t->pids, pid);
		else
			pids_del(&t->pids, pid);
		settle(t, CAUSE_NOW);
	}
}

static void on_event(struct vrrp_tproc *tp, const struct vrrp_tproc_event *e)
{
	/* threads share their process's name and command line: only whole
	 * processes (pid == tgid) are counted */
	if (e->pid != e->tgid)
		return;
	tp->events++;
	switch (e->kind) {
	case VRRP_TPROC_EV_FORK:
		/* a child starts as a copy of its parent: no need to read /proc */
		for (struct tp_tracker *t = tp->list; t; t = t->next) {
			if (!pids_has(&t->pids, e->ptgid) || pids_has(&t->pids, e->tgid))
				continue;
			pids_add(&t->pids, e->tgid);
			settle(t, CAUSE_FORK);
		}
		break;
	case VRRP_TPROC_EV_EXEC:
		recheck(tp, e->tgid, NULL);
		break;
	case VRRP_TPROC_EV_COMM:
		recheck(tp, e->tgid, e->comm);
		break;
	case VRRP_TPROC_EV_EXIT:
		for (struct tp_tracker *t = tp->list; t; t = t->next)
			if (pids_del(&t->pids, e->tgid))
				settle(t, CAUSE_EXIT);
		break;
	}
}

static void cn_read_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct vrrp_tproc *tp = arg;
	uint64_t buf[RX_BUF / sizeof(uint64_t)];
	struct vrrp_tproc_event ev[RX_EVENTS];

	for (;;) {
		struct sockaddr_nl from = { 0 };
		socklen_t fl = sizeof(from);
		struct vrrp_tproc_parse_stats st;
		ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from,
				     &fl);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			if (errno == ENOBUFS) {
				/* events were lost: the count may be wrong */
				log_rl_msg(&tp->rl, LOG_WARNING, "track_process: process events "
					   "lost (receive buffer full), rescanning /proc");
				rescan(tp);
				continue;
			}
			log_rl_msg(&tp->rl, LOG_WARNING,
				   "track_process: reading process events: %s", strerror(errno));
			return;
		}
		if ((size_t)n > sizeof(buf) || fl != sizeof(from) || from.nl_family != AF_NETLINK) {
			tp->bad++;
			continue;
		}
		size_t k = vrrp_tproc_parse(buf, (size_t)n, from.nl_pid, ev, RX_EVENTS, &st);
		tp->bad += st.bad;
		for (size_t i = 0; i < k; i++)
			on_event(tp, &ev[i]);
		if (st.lost)
			rescan(tp);
	}
}

/* ---- the connector socket ----------------------------------------------------------- */

static int cn_subscribe(int fd, bool on)
{
	struct {
		struct nlmsghdr h;
		struct cn_msg cn;
		uint32_t op;
	} __attribute__((packed)) m;

	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = sizeof(m);
	m.h.nlmsg_type = NLMSG_DONE;
	m.cn.id.idx = CN_IDX_PROC;
	m.cn.id.val = CN_VAL_PROC;
	m.cn.len = sizeof(m.op);
	m.op = on ? PROC_CN_MCAST_LISTEN : PROC_CN_MCAST_IGNORE;
	return send(fd, &m, sizeof(m), 0) == (ssize_t)sizeof(m) ? 0 : -1;
}

/* socket() in the namespace home_fd names, then straight back: the socket
 * stays in the namespace it was made in. */
static int socket_in(int home_fd)
{
	int here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int fd, err;

	if (here < 0)
		return -1;
	if (setns(home_fd, CLONE_NEWNET) < 0) {
		err = errno;
		close(here);
		errno = err;
		return -1;
	}
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	err = errno;
	if (setns(here, CLONE_NEWNET) < 0)
		fatal(EXIT_RESPAWN, "track_process: cannot return to our network namespace");
	close(here);
	errno = err;
	return fd;
}

static void set_rcvbuf(int fd, const struct global_cfg *g)
{
	int size = (int)g->process_monitor.size;

	if (!g->process_monitor.size)
		return;
	if (setsockopt(fd, SOL_SOCKET, g->process_monitor.force ? SO_RCVBUFFORCE : SO_RCVBUF,
		       &size, sizeof(size)) < 0)
		log_warn("process_monitor_rcv_bufs: cannot set %u bytes",
			 g->process_monitor.size);
}

/* A bound, subscribed connector socket made with socket_in() (home_fd >= 0)
 * or here; -1 with errno (ECONNREFUSED: no connector in that namespace). */
static int cn_try(const struct global_cfg *g, int home_fd)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	int fd, err;

	if (home_fd >= 0)
		fd = socket_in(home_fd);
	else
		fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    NETLINK_CONNECTOR);
	if (fd < 0)
		return -1;
	set_rcvbuf(fd, g);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || cn_subscribe(fd, true) < 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static void start_scanning(struct vrrp_tproc *tp, const char *why)
{
	if (!tp->scan_logged)
		log_info("track_process: %s: scanning /proc every second instead", why);
	tp->scan_logged = true;
	tp->mode = MODE_SCAN;
	ev_timer_add(tp->loop, scan_tick_cb, tp, SCAN_INTERVAL, &tp->scan_timer);
}

/* Events when the connector answers here or in the start namespace, else scans. */
static void monitor_open(struct vrrp_tproc *tp)
{
	char why[160];
	int fd = cn_try(tp->g, -1), err = errno;

	tp->via_home = false;
	if (fd < 0 && err == ECONNREFUSED && tp->home_fd >= 0) {
		fd = cn_try(tp->g, tp->home_fd);
		err = errno;
		tp->via_home = fd >= 0;
	}
	if (fd >= 0 && ev_fd_add(tp->loop, fd, EV_READ, cn_read_cb, tp) < 0) {
		err = errno;
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		snprintf(why, sizeof(why), "no process events (proc connector: %s%s)",
			 strerror(err), err == ECONNREFUSED ?
			 ", only the initial network namespace has it" : "");
		start_scanning(tp, why);
		return;
	}
	tp->fd = fd;
	tp->mode = MODE_EVENTS;
	log_info("track_process: following process events from the kernel (proc connector%s)",
		 tp->via_home ? ", opened in the network namespace the daemon started in" : "");
}

static void monitor_close(struct vrrp_tproc *tp)
{
	if (tp->fd >= 0) {
		ev_fd_del(tp->loop, tp->fd);
		cn_subscribe(tp->fd, false);
		close(tp->fd);
		tp->fd = -1;
	}
	ev_cancel(&tp->scan_timer);
	tp->mode = MODE_OFF;
}

/* ---- building, start, reload, stop -------------------------------------------------- */

static bool refs_target(const struct cfg_list *l, const void *target)
{
	cfg_list_for_each(const struct vrrp_track_ref, ref, l)
		if (ref->target == target)
			return true;
	return false;
}

static bool tracker_used(const struct vrrp_cfg *v, const struct vrrp_track_process_cfg *c)
{
	cfg_list_for_each(const struct vrrp_instance_cfg, vi, &v->instances)
		if (refs_target(&vi->tracks.procs, c))
			return true;
	cfg_list_for_each(const struct vrrp_sync_group_cfg, sg, &v->sync_groups)
		if (refs_target(&sg->tracks.procs, c))
			return true;
	return false;
}

static void tracker_free(struct tp_tracker *t)
{
	ev_cancel(&t->timer);
	free(t->pids.v);
	free(t);
}

static struct tp_tracker *tracker_take(struct tp_tracker **list, const char *name)
{
	for (struct tp_tracker **pp = list; *pp; pp = &(*pp)->next) {
		struct tp_tracker *t = *pp;
		if (!strcmp(t->cfg->name, name)) {
			*pp = t->next;
			t->next = NULL;
			return t;
		}
	}
	return NULL;
}

/* The tracker list for tp->v, taking the trackers of old with the same
 * name (their state, processes and running delay go on). */
static void build(struct vrrp_tproc *tp, struct tp_tracker **old)
{
	struct tp_tracker **tail = &tp->list;
	size_t cap = 0;

	cfg_list_for_each(const struct vrrp_track_process_cfg, c, &tp->v->track_procs) {
		if (!tracker_used(tp->v, c))
			continue;
		struct tp_tracker *t = old ? tracker_take(old, c->name) : NULL;
		if (!t) {
			t = xcalloc(1, sizeof(*t));
			t->tp = tp;
		}
		t->cfg = c;
		if (vrrp_tproc_cmdline_need(c) > cap)
			cap = vrrp_tproc_cmdline_need(c);
		*tail = t;
		tail = &t->next;
	}
	free(tp->cmd);
	tp->cmd_cap = cap;
	tp->cmd = cap ? xmalloc(cap) : NULL;
}

struct vrrp_tproc *vrrp_tproc_start(struct ev_loop *loop, const struct vrrp_cfg *v,
				    const struct global_cfg *g, int netns_home_fd,
				    vrrp_track_changed_fn cb, void *arg)
{
	struct vrrp_tproc *tp = xcalloc(1, sizeof(*tp));

	tp->loop = loop;
	tp->home_fd = netns_home_fd;
	tp->cb = cb;
	tp->arg = arg;
	tp->fd = -1;
	vrrp_tproc_reload(tp, v, g);
	return tp;
}

void vrrp_tproc_reload(struct vrrp_tproc *tp, const struct vrrp_cfg *v,
		       const struct global_cfg *g)
{
	struct tp_tracker *old = tp->list;

	tp->quiet = true;
	tp->v = v;
	tp->g = g;
	tp->list = NULL;
	build(tp, &old);
	while (old) {
		struct tp_tracker *t = old;
		old = t->next;
		tracker_free(t);
	}
	if (!tp->list)
		monitor_close(tp);
	else if (tp->mode == MODE_OFF)
		monitor_open(tp); /* before the scan, so no event falls in between */
	rescan(tp);
	tp->quiet = false;
}

void vrrp_tproc_stop(struct vrrp_tproc *tp)
{
	if (!tp)
		return;
	monitor_close(tp);
	while (tp->list) {
		struct tp_tracker *t = tp->list;
		tp->list = t->next;
		tracker_free(t);
	}
	free(tp->cmd);
	free(tp);
}

/* ---- queries ------------------------------------------------------------------------ */

static const struct tp_tracker *tracker_find(const struct vrrp_tproc *tp,
					     const struct vrrp_track_process_cfg *c)
{
	if (!tp || !c)
		return NULL;
	for (const struct tp_tracker *t = tp->list; t; t = t->next)
		if (t->cfg == c)
			return t;
	for (const struct tp_tracker *t = tp->list; t; t = t->next)
		if (!strcmp(t->cfg->name, c->name))
			return t;
	return NULL;
}

enum vrrp_track_status vrrp_tproc_status(const struct vrrp_tproc *tp,
					 const struct vrrp_track_process_cfg *c)
{
	const struct tp_tracker *t = tracker_find(tp, c);

	if (!t || !t->known)
		return VRRP_TRACK_UNKNOWN;
	return t->up ? VRRP_TRACK_UP : VRRP_TRACK_DOWN;
}

static enum vrrp_track_status lookup_process(const struct vrrp_track_lookup *lk,
					     const struct vrrp_track_ref *ref)
{
	return vrrp_tproc_status(lk->procs, ref->target);
}

void vrrp_tproc_lookup_init(struct vrrp_track_lookup *lk, const struct vrrp_tproc *tp)
{
	lk->procs = tp;
	lk->process = lookup_process;
}

static const char *status_word(const struct tp_tracker *t)
{
	return !t->known ? "INIT" : t->up ? "GOOD" : "BAD";
}

static const char *match_words(const struct vrrp_track_process_cfg *c)
{
	switch (c->param_match) {
	case VRRP_PARAM_MATCH_EXACT: return ", arguments exact";
	case VRRP_PARAM_MATCH_INITIAL: return ", arguments initial";
	case VRRP_PARAM_MATCH_PARTIAL: return ", arguments partial";
	default: return "";
	}
}

void vrrp_tproc_dump(const struct vrrp_tproc *tp, FILE *out)
{
	if (!tp || !tp->list)
		return;
	for (const struct tp_tracker *t = tp->list; t; t = t->next) {
		const struct vrrp_track_process_cfg *c = t->cfg;

		fprintf(out, " Track process = %s\n   Process = %s%s%s\n   Match = %s%s\n",
			c->name, c->process, c->params ? " " : "", c->params ? c->params : "",
			c->full_command ? "command line" : "name", match_words(c));
		fprintf(out, "   Quorum = %u..", c->quorum);
		if (c->quorum_max == VRRP_UNSET_UINT)
			fprintf(out, "unlimited\n");
		else
			fprintf(out, "%u\n", c->quorum_max);
		fprintf(out, "   Running = %u\n   Status = %s\n   Weight = %d%s\n", t->pids.n,
			status_word(t), c->weight, c->reverse ? " reverse" : "");
		fprintf(out, "   Fork delay = %" PRIu64 " ms, terminate delay = %" PRIu64 " ms\n",
			c->fork_delay / 1000, c->terminate_delay / 1000);
		if (t->timer)
			fprintf(out, "   Delay running = %s, %" PRIu64 " ms left\n",
				t->pending == CAUSE_FORK ? "fork" : "terminate",
				ev_timer_remaining(t->timer) / 1000);
		fprintf(out, "   State changes = %" PRIu64 "\n", t->changes);
	}
	fprintf(out, " Process monitor = %s\n   Events = %" PRIu64 ", scans = %" PRIu64
		", bad messages = %" PRIu64 "\n",
		tp->mode == MODE_EVENTS ? (tp->via_home ? "proc connector (start namespace)" :
					   "proc connector") :
		tp->mode == MODE_SCAN ? "scanning /proc every second" : "off",
		tp->events, tp->scans, tp->bad);
}

static void json_list(const struct vrrp_tproc *tp, const struct vrrp_tracks *tr, bool *first,
		      FILE *out)
{
	if (!tr)
		return;
	cfg_list_for_each(const struct vrrp_track_ref, ref, &tr->procs) {
		const struct tp_tracker *t = tracker_find(tp, ref->target);

		fputs(*first ? "" : ",", out);
		*first = false;
		fputs("{\"name\":", out);
		json_str(out, ref->name);
		fprintf(out, ",\"status\":\"%s\",\"running\":%u,\"weight\":%d,\"reverse\":%d}",
			t ? status_word(t) : "INIT", t ? t->pids.n : 0, ref->weight, ref->reverse);
	}
}

void vrrp_tproc_json(const struct vrrp_tproc *tp, const struct vrrp_tracks *own,
		     const struct vrrp_tracks *group, FILE *out)
{
	bool first = true;

	if ((!own || !own->procs.n) && (!group || !group->procs.n))
		return;
	fputs(",\"track_process\":[", out);
	json_list(tp, own, &first, out);
	json_list(tp, group, &first, out);
	fputc(']', out);
}
