/* SPDX-License-Identifier: GPL-2.0-or-later */
/* script.h - run external scripts without blocking: fork, identity, timeout, security checks */
#ifndef KA_SCRIPT_H
#define KA_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ev_loop;
struct ka_script;
struct script_job;

/*
 * Every script of every process (track and notify scripts, MISC_CHECK,
 * notify_up/down, FIFO readers) goes through script_run(). The caller's
 * loop never waits: the child is reaped by the event loop and the result
 * arrives through a callback.
 *
 * The child gets a clean start: default signal dispositions and an empty
 * signal mask (the loop blocks the signals it handles), its own process
 * group (so a timeout kills whatever the script started too), stdin,
 * stdout and stderr on /dev/null, no other open file, "/" as working
 * directory, PATH as the only environment variable, SIGTERM when the
 * daemon dies, and the identity it is configured to run as.
 */

/* Grace between SIGTERM and SIGKILL for a script that timed out. */
#define SCRIPT_KILL_GRACE_US (2 * 1000000ull)

/* The environment and search path scripts run with. */
#define SCRIPT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#define SCRIPT_MAX_GROUPS 64

/* Who a script runs as. */
struct script_ident {
	uid_t uid;
	gid_t gid;
	int ngroups;                      /* supplementary groups; 0 = only gid */
	gid_t groups[SCRIPT_MAX_GROUPS];
};

/*
 * Resolve user (name or number) and optional group (name or number; NULL =
 * the user's primary group). With supplementary, the user's other groups
 * are added (set_supplementary_groups). Returns 0, or -1 with a reason in
 * why ("user 'x' does not exist").
 */
int script_ident_resolve(const char *user, const char *group, bool supplementary,
			 struct script_ident *out, char *why, size_t len);

/*
 * The identity of scripts that name no user, as keepalived decides it:
 * script_user (and script_group) when configured, else the user
 * "keepalived_script" if it exists, else root. Returns 0, or -1 (with why)
 * when the configured script_user cannot be resolved: scripts needing the
 * default identity must then not run.
 */
int script_default_ident(const char *script_user, const char *script_group, bool supplementary,
			 struct script_ident *out, char *why, size_t len);

/* Identity a script runs as: its own user/group if it names one, else
 * *deflt (NULL = our own identity). Returns 0 or -1 with why. */
int script_ident_for(const struct ka_script *s, const struct script_ident *deflt,
		     bool supplementary, struct script_ident *out, char *why, size_t len);

struct script_opts {
	const char *name;                 /* log prefix, e.g. "VRRP_Script(chk)"; NULL = command */
	uint64_t timeout;                 /* µs; 0 = no limit */
	uint64_t kill_grace;              /* µs from SIGTERM to SIGKILL; 0 = 2 s */
	const struct script_ident *ident; /* for scripts naming no user; NULL = our identity.
					   * Identities are only switched when we run as root. */
	bool supplementary_groups;        /* for scripts naming their own user */
};

/*
 * Result callback. status is as from waitpid(): a script that could not be
 * started in the child (exec or identity switch failed) exits with 127 and
 * the reason is logged. timed_out is true when the timeout expired and the
 * process group was signalled (the script counts as failed whatever status
 * it then exits with).
 */
typedef void (*script_done_fn)(void *arg, int status, bool timed_out);

/*
 * Start script s with extra_args (NULL-terminated, may be NULL) appended to
 * its argv. argv[0] is executed as is when it contains a '/', else looked up
 * in SCRIPT_PATH. Everything needed is copied: s and extra_args may be freed
 * after the call.
 *
 * done(arg, ...) is called exactly once, from the loop, never from inside
 * script_run(), unless the job is cancelled. If job is not NULL, *job is set
 * to the running job and cleared to NULL before done() is called or when the
 * job is cancelled (like ev_timer_add's ref); *job must start NULL.
 *
 * Returns 0, or -1 when nothing was started (fork failed, bad user, empty
 * command): the reason is logged and done() is not called.
 */
int script_run(struct ev_loop *loop, const struct ka_script *s, const char *const *extra_args,
	       const struct script_opts *opts, script_done_fn done, void *arg,
	       struct script_job **job);

/*
 * Kill a running job's process group with SIGKILL and forget it: done() is
 * never called. *job is cleared; a NULL *job is a no-op. The child is reaped
 * at once if it dies within a few milliseconds, else by the loop later.
 */
void script_cancel(struct script_job **job);

/*
 * Like script_cancel() but asks politely: sig (usually SIGTERM) to the
 * process group, SIGKILL after the grace period if it is still there.
 * done() is never called.
 */
void script_terminate(struct script_job **job, int sig);

/*
 * Wait, blocking, up to usec for the job to end. If it ends, its done() is
 * called from here (not from the loop) and 0 is returned; else -1 and the
 * job is still running. For shutdown, where the loop no longer runs.
 */
int script_wait(struct script_job **job, uint64_t usec);

/* Process id of a running job (tests, dumps). */
pid_t script_job_pid(const struct script_job *job);

/*
 * With the script run as root (run_as == 0), check that no one but root
 * can change what gets executed: argv[0] (looked up in SCRIPT_PATH if it
 * has no '/') and every directory above it, for the path as written and
 * with symbolic links resolved, must be owned by root, not writable by a
 * group other than root's and not world-writable. Returns 0 when secure (or
 * run_as is not root), -1 with a reason in why, e.g.
 * "/tmp/x.sh: directory /tmp is world-writable".
 */
int script_check_security(const struct ka_script *s, uid_t run_as, char *why, size_t len);

/*
 * script_check_security() with keepalived's policy applied and logged:
 * with enforce (enable_script_security) an insecure script is refused
 * (returns -1, "what" names it in the log); without, it may run (returns 0)
 * and one warning is logged the first time *warned is false.
 */
int script_security_gate(const struct ka_script *s, uid_t run_as, bool enforce, bool *warned,
			 const char *what);

#endif
