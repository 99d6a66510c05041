/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_misc.c - MISC_CHECK: run misc_path; its exit status is the verdict (and the weight) */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "script.h"
#include "check/check_probe_int.h"

struct misc_attempt {
	struct check_attempt a;
	struct script_job *job;
};

static void misc_release(struct check_attempt *a)
{
	script_cancel(&((struct misc_attempt *)a)->job);
}

/*
 * keepalived's rules: 0 passes, 1 fails; with misc_dynamic 2..255 pass and
 * set the weight to status - 2, and 0 restores the configured weight.
 * Anything else (other status, killed by a signal) fails.
 */
static void misc_done(void *arg, int status, bool timed_out)
{
	struct misc_attempt *m = arg;
	const struct check_probe *p = m->a.p;
	if (timed_out) {
		check_attempt_finish(&m->a, CHECK_PROCTOUT, -1, "script timed out");
		return;
	}
	if (WIFSIGNALED(status)) {
		check_attempt_finish(&m->a, CHECK_PROCERR, -1, "script killed by signal %d",
				     WTERMSIG(status));
		return;
	}
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 255;
	if (code == 0)
		check_attempt_finish(&m->a, CHECK_OK, p->u.misc.dynamic ? (int)p->rs->weight : -1,
				     "script exited with status 0");
	else if (p->u.misc.dynamic && code >= 2)
		check_attempt_finish(&m->a, CHECK_OK, code - 2, "script exited with status %d",
				     code);
	else
		check_attempt_finish(&m->a, CHECK_PROCERR, -1, "script exited with status %d",
				     code);
}

/* With enable_script_security, refuse a script others could replace. */
static int misc_secure(const struct check_probe *p, char *why, size_t wlen)
{
	const struct check_probe_env *env = check_probe_env();
	struct script_ident id;
	if (!env->script_security)
		return 0;
	if (script_ident_for(&p->u.misc.path, env->script_ident, env->script_supplementary, &id,
			     why, wlen) < 0)
		return -1;
	return script_check_security(&p->u.misc.path, id.uid, why, wlen);
}

static struct check_attempt *misc_start(struct ev_loop *loop, const struct check_probe *p,
					check_attempt_done_fn done, void *arg)
{
	struct misc_attempt *m =
		(struct misc_attempt *)check_attempt_new(sizeof(*m), loop, p, done, arg);
	const struct check_probe_env *env = check_probe_env();
	char why[256];
	m->a.release = misc_release;
	if (misc_secure(p, why, sizeof(why)) < 0) {
		check_attempt_finish(&m->a, CHECK_PROCERR, -1, "not run: %s", why);
		return &m->a;
	}
	char name[64];
	snprintf(name, sizeof(name), "MISC_CHECK(%s)", p->u.misc.path.argv && p->u.misc.path.argv[0]
							   ? p->u.misc.path.argv[0] : "?");
	struct script_opts o = {
		.name = name,
		.timeout = p->u.misc.timeout,
		.ident = env->script_ident,
		.supplementary_groups = env->script_supplementary,
	};
	/* script_run() enforces the timeout itself (SIGTERM, then SIGKILL
	 * after the grace), so the attempt needs no deadline of its own. */
	if (script_run(loop, &p->u.misc.path, NULL, &o, misc_done, m, &m->job) < 0)
		check_attempt_finish(&m->a, CHECK_PROCERR, -1, "script could not be started");
	return &m->a;
}

const struct check_probe_ops check_misc_ops = {
	.kind = CHECK_MISC,
	.name = "MISC_CHECK",
	.start = misc_start,
	.cancel = check_attempt_cancel,
};
