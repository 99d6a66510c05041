/* SPDX-License-Identifier: GPL-2.0-or-later */
/* notify_fifo.c - event FIFOs shared by the VRRP and checker processes */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cfg.h"
#include "notify_fifo.h"
#include "script.h"
#include "util.h"

static void reader_done_cb(void *arg, int status, bool timed_out)
{
	struct notify_fifo *f = arg;
	if (WIFEXITED(status))
		log_info("%s_script exited with status %d", f->kw, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_info("%s_script killed by signal %d", f->kw, WTERMSIG(status));
}

static void reader_start(struct notify_fifo *f, const struct notify_fifo_env *env)
{
	char what[64];
	snprintf(what, sizeof(what), "%s_script", f->kw);
	if (!f->script->user && !env->ident) {
		log_warnx("%s: not run: %s", what, env->ident_err);
		return;
	}
	const char *extra[] = { f->path, NULL };
	struct script_opts o = {
		.name = what, .ident = env->ident,
		.supplementary_groups = env->supplementary_groups,
	};
	script_run(env->loop, f->script, extra, &o, reader_done_cb, f, &f->job);
}

/* Owner of a FIFO we create: its configured user, else whoever runs its
 * reader script, else ourselves. */
static void fifo_owner(const struct notify_fifo *f, const struct notify_fifo_env *env,
		       uid_t *uid, gid_t *gid)
{
	struct script_ident id = { 0 };
	char why[160];
	int r = -1;

	if (f->fifo->user)
		r = script_ident_resolve(f->fifo->user, f->fifo->group, false, &id, why,
					 sizeof(why));
	else if (f->script && f->script->cmd)
		r = script_ident_for(f->script, env->ident, false, &id, why, sizeof(why));
	if (r < 0)
		id = (struct script_ident){ .uid = geteuid(), .gid = getegid() };
	*uid = id.uid;
	*gid = id.gid;
}

static void fifo_open(struct notify_fifo *f, const struct notify_fifo_env *env)
{
	struct stat st;

	f->fd = -1;
	if (!f->fifo || !f->fifo->cmd)
		return;
	f->path = xstrdup(f->fifo->cmd);
	if (stat(f->path, &st) < 0) {
		uid_t uid;
		gid_t gid;
		if (errno != ENOENT || mkfifo(f->path, 0600) < 0) {
			log_warn("%s %s: cannot create", f->kw, f->path);
			return;
		}
		f->created = true;
		fifo_owner(f, env, &uid, &gid);
		if (geteuid() == 0 && chown(f->path, uid, gid) < 0)
			log_warn("%s %s: cannot set owner", f->kw, f->path);
	} else if (!S_ISFIFO(st.st_mode)) {
		log_warnx("%s %s: exists and is not a FIFO, not used", f->kw, f->path);
		return;
	}
	f->fd = open(f->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (f->fd < 0) {
		log_warn("%s %s: cannot open", f->kw, f->path);
		return;
	}
	if (f->script && f->script->cmd)
		reader_start(f, env);
}

void notify_fifo_close(struct notify_fifo *f)
{
	script_terminate(&f->job, SIGTERM);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->created && f->path)
		unlink(f->path);
	f->created = false;
	free(f->path);
	f->path = NULL;
}

bool notify_fifo_write(struct notify_fifo *f, const char *line, size_t len)
{
	if (f->fd < 0 || !len)
		return false;
	if (write(f->fd, line, len) == (ssize_t)len)
		return true;
	int err = errno;
	log_rl_msg(&f->rl, LOG_WARNING, "%s %s: event dropped (%s): %.*s", f->kw, f->path,
		   err == EAGAIN ? "FIFO full, reader too slow or absent" : strerror(err),
		   (int)len - 1, line);
	return false;
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool script_same(const struct ka_script *a, const struct ka_script *b)
{
	return str_same(a->cmd, b->cmd) && str_same(a->user, b->user) &&
	       str_same(a->group, b->group);
}

void notify_fifo_set(struct notify_fifo *fifos, size_t n, const struct notify_fifo_cfg *cfg,
		     const struct notify_fifo_env *env)
{
	unsigned long reopen = 0;

	for (size_t i = 0; i < n; i++) {
		struct notify_fifo *f = &fifos[i];
		if (!f->fifo || !script_same(f->fifo, cfg[i].fifo) ||
		    !script_same(f->script, cfg[i].script)) {
			reopen |= 1ul << i;
			if (f->fifo)
				notify_fifo_close(f);
		}
		/* Unchanged ones too: the old settings go away with the old model. */
		f->kw = cfg[i].kw;
		f->fifo = cfg[i].fifo;
		f->script = cfg[i].script;
	}
	for (size_t i = 0; i < n; i++)
		if (reopen & (1ul << i))
			fifo_open(&fifos[i], env);
}
