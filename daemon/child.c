/* SPDX-License-Identifier: GPL-2.0-or-later */
/* child.c - common runtime of the VRRP and checker children: signals, dumps, reload */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create, F_ADD_SEALS, MSG_CMSG_CLOEXEC */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon/child.h"
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "daemon/options.h"
#include "daemon/pidfile.h"
#include "ev.h"
#include "log.h"
#include "util.h"

#define CHILD_STATS_FILE "/tmp/keepalived.stats"
#define CHILD_JSON_FILE  "/tmp/keepalived.json"

/* Control messages on the parent <-> child SOCK_SEQPACKET socket. */
#define CHILD_CTL_MAGIC  0x4b41434cu /* "KACL" */
#define CHILD_CTL_RELOAD 1u /* parent -> child, with the configuration memfd */
#define CHILD_CTL_READY  2u /* child -> parent: its subsystem has started */

struct child_ctl_msg {
	uint32_t magic;
	uint32_t type;
};

/* Seals that make the memfd immutable: the child can trust what it maps. */
#define CHILD_SEALS (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)

/* ---- configuration hand-off (parent side) ---- */

int child_config_memfd(const struct ka_config *config)
{
	size_t len;
	void *buf = cfg_tokens_save(&config->tokens, &len);
	if (!buf)
		return -1;
	int fd = memfd_create("keepalived.conf", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	int rc = fd < 0 ? -1 : write_all(fd, buf, len);
	if (rc == 0)
		rc = fcntl(fd, F_ADD_SEALS, CHILD_SEALS);
	free(buf);
	if (rc < 0 && fd >= 0) {
		int err = errno;
		close(fd);
		errno = err;
		fd = -1;
	}
	return fd;
}

int child_send_reload(int sock, int memfd)
{
	struct child_ctl_msg msg = { .magic = CHILD_CTL_MAGIC, .type = CHILD_CTL_RELOAD };
	struct iovec iov = { .iov_base = &msg, .iov_len = sizeof(msg) };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	memset(&ctl, 0, sizeof(ctl));
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &memfd, sizeof(int));
	ssize_t n;
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL | MSG_DONTWAIT); /* never block the parent */
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(msg) ? 0 : -1;
}

int child_recv_report(int sock)
{
	struct child_ctl_msg msg;
	ssize_t n;
	do
		n = recv(sock, &msg, sizeof(msg), MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return CHILD_REPORT_NONE;
	if (n <= 0)
		return -1;
	if (n == (ssize_t)sizeof(msg) && msg.magic == CHILD_CTL_MAGIC &&
	    msg.type == CHILD_CTL_READY)
		return CHILD_REPORT_READY;
	log_warnx("ignoring malformed report from a child (%zd bytes)", n);
	return CHILD_REPORT_NONE;
}

/* ---- configuration hand-off (child side) ---- */

struct ka_config *child_config_load(int fd)
{
	struct stat st;
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0 || (seals & (F_SEAL_WRITE | F_SEAL_SHRINK)) !=
			 (F_SEAL_WRITE | F_SEAL_SHRINK)) {
		log_warnx("configuration memfd is not sealed");
		return NULL;
	}
	if (fstat(fd, &st) < 0 || st.st_size <= 0) {
		log_warn("configuration memfd");
		return NULL;
	}
	void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		log_warn("mmap of configuration memfd");
		return NULL;
	}
	struct ka_config *c = ka_config_from_saved(map, (size_t)st.st_size);
	munmap(map, (size_t)st.st_size);
	return c;
}

/* The stop hook runs once the loop has ended (child_main), whatever ended it. */
static void child_stop(struct child_ctx *ctx, const char *why)
{
	log_info("%s child stopping (%s)", ctx->ops->name, why);
	ev_break(ctx->loop);
}

static void child_reload(struct child_ctx *ctx, int memfd)
{
	struct ka_config *fresh = child_config_load(memfd);
	if (!fresh) {
		log_warnx("reload failed: cannot rebuild the configuration; keeping the "
			  "running configuration");
		return;
	}
	struct ka_config *old = ctx->config;
	ctx->config = fresh;
	proc_tune_watch(&ctx->late, ctx->loop, fresh->global, ctx->ops->name);
	int rc = ctx->ops->reload ? ctx->ops->reload(ctx, old) : 0;
	ka_config_free(old);
	if (rc) {
		log_warnx("%s reload failed: exiting with status %d", ctx->ops->name, rc);
		ctx->exit_code = rc;
		ev_break(ctx->loop);
		return;
	}
	log_info("configuration reloaded");
}

/* Take the fd out of a control message, or -1. */
static int ctl_msg_fd(struct msghdr *mh)
{
	int fd = -1;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t nfds = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < nfds; i++) {
			int got;
			memcpy(&got, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (fd < 0)
				fd = got;
			else
				close(got); /* only one expected: do not leak extras */
		}
	}
	return fd;
}

static void child_ctl_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct child_ctx *ctx = arg;
	struct child_ctl_msg msg;
	struct iovec iov = { .iov_base = &msg, .iov_len = sizeof(msg) };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(4 * sizeof(int))];
	} ctl;
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* The parent closed its end: it is gone, so are we. */
		ev_fd_del(loop, fd);
		child_stop(ctx, "parent process gone");
		return;
	}
	int memfd = ctl_msg_fd(&mh);
	if (n != (ssize_t)sizeof(msg) || msg.magic != CHILD_CTL_MAGIC ||
	    msg.type != CHILD_CTL_RELOAD || memfd < 0)
		log_warnx("ignoring malformed control message (%zd bytes)", n);
	else
		child_reload(ctx, memfd);
	if (memfd >= 0)
		close(memfd);
}

/* ---- signal dumps ---- */

typedef void (*child_fill_fn)(struct child_ctx *ctx, FILE *out, bool flag);

/* Write path through a temporary file renamed into place, so a reader
 * never sees a half-written dump. */
static void child_write_file(struct child_ctx *ctx, const char *path, mode_t mode,
			     child_fill_fn fill, bool flag)
{
	size_t len = strlen(path) + 8;
	char *tmp = xmalloc(len);
	snprintf(tmp, len, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	FILE *out = fd < 0 ? NULL : fdopen(fd, "w");
	if (!out) {
		log_warn("cannot write %s", path);
		if (fd >= 0)
			close(fd);
		free(tmp);
		return;
	}
	fchmod(fd, mode);
	fill(ctx, out, flag);
	bool bad = ferror(out) != 0;
	if (fclose(out) != 0 || bad || rename(tmp, path) < 0) {
		log_warn("cannot write %s", path);
		unlink(tmp);
	} else {
		log_info("%s written", path);
	}
	free(tmp);
}

static void fill_data(struct child_ctx *ctx, FILE *out, bool unused)
{
	char when[64];
	time_t now = time(NULL);
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&now, &tm));
	fprintf(out, "------< %s child data >------\n", ctx->ops->name);
	fprintf(out, " pid = %ld\n date = %s\n", (long)getpid(), when);
	fprintf(out, "------< Configuration >------\n");
	ka_config_dump(out, ctx->config);
	fprintf(out, "------< Runtime state >------\n");
	if (ctx->ops->dump)
		ctx->ops->dump(ctx, out);
}

static void fill_stats(struct child_ctx *ctx, FILE *out, bool clear)
{
	ctx->ops->stats(ctx, out, clear);
}

static void fill_json(struct child_ctx *ctx, FILE *out, bool unused)
{
	ctx->ops->json(ctx, out);
}

/* A configured dump location, which may name a directory ("DIR/"), or the
 * default. buf (PATH_MAX) holds a composed name. */
static const char *dump_path(const char *configured, const char *fallback, char *buf)
{
	if (!configured || !*configured)
		return fallback;
	size_t n = strlen(configured);
	if (configured[n - 1] != '/')
		return configured;
	const char *base = strrchr(fallback, '/');
	snprintf(buf, PATH_MAX, "%s%s", configured, base ? base + 1 : fallback);
	return buf;
}

/* The dump location of a subsystem with a file of its own (own), or of
 * the shared one (own NULL): see child_ops.stats_file. */
static const char *own_path(const char *configured, const char *own, const char *shared,
			    char *buf)
{
	if (!own)
		return dump_path(configured, shared, buf);
	size_t n = configured ? strlen(configured) : 0;
	return n && configured[n - 1] == '/' ? dump_path(configured, own, buf) : own;
}

static void child_signal_cb(struct ev_loop *loop, int signo, void *arg)
{
	struct child_ctx *ctx = arg;
	const struct global_cfg *g = ctx->config->global;
	const struct child_ops *ops = ctx->ops;
	char buf[PATH_MAX];

	if (signo == SIGTERM) {
		child_stop(ctx, "SIGTERM");
	} else if (signo == SIGHUP) {
		log_info("SIGHUP ignored: reloads are driven by the parent (pid %ld)",
			 (long)getppid());
	} else if (signo == SIGUSR1) {
		const char *path = ops->data_file_cfg ? dump_path(g->state_dump_file,
								  ops->data_file, buf)
						      : own_path(g->state_dump_file,
								 ops->data_file, NULL, buf);
		child_write_file(ctx, path, 0600, fill_data, false);
	} else if ((signo == SIGUSR2 || signo == SIGRTMAX - 1) && ops->stats) {
		child_write_file(ctx, own_path(g->stats_dump_file, ops->stats_file,
					       CHILD_STATS_FILE, buf), 0644,
				 fill_stats, signo != SIGUSR2);
	} else if (signo == SIGRTMIN + 2 && ops->json) {
		child_write_file(ctx, own_path(g->json_dump_file, ops->json_file,
					       CHILD_JSON_FILE, buf), 0644,
				 fill_json, false);
	} else if (signo == SIGRTMAX) {
		log_info("event loop: %zu timers pending", ev_timer_count(loop));
	}
}

/* Tell the parent we are up: it tells the service manager once all are. */
static void child_report_ready(struct child_ctx *ctx)
{
	struct child_ctl_msg msg = { .magic = CHILD_CTL_MAGIC, .type = CHILD_CTL_READY };
	if (ctx->ctl_fd < 0)
		return;
	if (send(ctx->ctl_fd, &msg, sizeof(msg), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_warn("cannot report readiness to the parent");
}

static int child_setup(struct child_ctx *ctx)
{
	static const int sigs[] = { SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 };
	int rt[] = { SIGRTMAX - 1, SIGRTMIN + 2, SIGRTMAX };

	/* The parent turns ^C into SIGTERM for us: do not die on the group's SIGINT. */
	signal(SIGINT, SIG_IGN);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		if (ev_signal_add(ctx->loop, sigs[i], child_signal_cb, ctx) < 0)
			return -1;
	for (size_t i = 0; i < ARRAY_SIZE(rt); i++)
		if (ev_signal_add(ctx->loop, rt[i], child_signal_cb, ctx) < 0)
			return -1;
	if (ctx->ctl_fd >= 0 &&
	    ev_fd_add(ctx->loop, ctx->ctl_fd, EV_READ, child_ctl_cb, ctx) < 0)
		return -1;
	return 0;
}

int child_main(const struct child_ops *ops, struct ka_config *config,
	       const struct ka_options *opts, int ctl_fd, const char *pid_file,
	       const struct child_bfd_fds *bfd)
{
	struct child_ctx ctx = {
		.config = config, .opts = opts, .ops = ops, .pid_file = pid_file,
		.ctl_fd = ctl_fd, .bfd_fd = bfd ? bfd->consumer : -1, .exit_code = KA_EXIT_OK,
	};
	for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++)
		ctx.bfd_ends[i] = bfd ? bfd->ends[i] : -1;
	ctx.loop = ev_loop_new();
	if (!ctx.loop || child_setup(&ctx) < 0) {
		log_warn("%s child: cannot set up its event loop", ops->name);
		ctx.exit_code = KA_EXIT_FATAL;
		goto out;
	}
	proc_tune_watch(&ctx.late, ctx.loop, config->global, ops->name);
	if (pidfile_write(pid_file) < 0) {
		log_warn("cannot write pid file %s", pid_file);
		ctx.exit_code = KA_EXIT_FATAL;
		goto out;
	}
	ctx.exit_code = ops->start(&ctx);
	if (ctx.exit_code == KA_EXIT_OK) {
		child_report_ready(&ctx);
		if (ev_run(ctx.loop) < 0) {
			log_warn("%s child: event loop failed", ops->name);
			ctx.exit_code = KA_EXIT_FAILURE;
		}
		if (ops->stop)
			ops->stop(&ctx);
	}
	pidfile_remove(pid_file, getpid());
	log_info("%s child exiting (status %d)", ops->name, ctx.exit_code);
out:
	ev_loop_free(ctx.loop);
	if (ctx.ctl_fd >= 0)
		close(ctx.ctl_fd);
	if (ctx.bfd_fd >= 0)
		close(ctx.bfd_fd);
	for (int i = 0; i < CHILD_BFD_NCONSUMERS; i++)
		if (ctx.bfd_ends[i] >= 0)
			close(ctx.bfd_ends[i]);
	ka_config_free(ctx.config);
	return ctx.exit_code;
}
