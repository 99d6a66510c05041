/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_track_proc.c - vrrp_track_process: matching, quorum, connector parser, runtime */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <cmocka.h>

#include "cfg.h"
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_track_proc.h"

/* ---- matching ------------------------------------------------------------------ */

/* A tracker as the parser leaves it: process NAME ARGS... (NULL-ended). */
static struct vrrp_track_process_cfg tp_cfg(const char *process, bool full, int match, ...)
{
	static char *words[8];
	struct vrrp_track_process_cfg c = {
		.name = "t", .process = (char *)process, .full_command = full,
		.param_match = match, .quorum = 1, .quorum_max = VRRP_UNSET_UINT,
	};
	va_list ap;
	const char *w;

	va_start(ap, match);
	while ((w = va_arg(ap, const char *)) && c.nparams < 8)
		words[c.nparams++] = (char *)w;
	va_end(ap);
	c.paramv = c.nparams ? words : NULL;
	return c;
}

/* cmdline bytes from words separated by '|' */
static size_t cmdline(char *buf, const char *text)
{
	size_t n = strlen(text) + 1;
	memcpy(buf, text, n);
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '|')
			buf[i] = '\0';
	return n;
}

static bool matches(const struct vrrp_track_process_cfg *c, const char *comm, const char *text)
{
	char buf[256];
	size_t n = text ? cmdline(buf, text) : 0;
	return vrrp_tproc_match(c, comm, text ? buf : NULL, n);
}

static void test_match_comm(void **state)
{
	struct vrrp_track_process_cfg c = tp_cfg("haproxy", false, VRRP_PARAM_MATCH_NONE, NULL);

	assert_true(matches(&c, "haproxy", NULL));
	assert_false(matches(&c, "haproxy2", NULL));
	assert_false(matches(&c, "hapro", NULL));
	assert_false(matches(&c, NULL, "haproxy"));      /* the name is the comm, not argv[0] */
	assert_true(matches(&c, "haproxy", "/usr/sbin/haproxy|-f|x")); /* arguments ignored */
	assert_int_equal(vrrp_tproc_cmdline_need(&c), 0);

	/* the kernel keeps 15 characters of a name */
	c = tp_cfg("a-very-long-process-name", false, VRRP_PARAM_MATCH_NONE, NULL);
	assert_true(matches(&c, "a-very-long-pro", NULL));
	assert_false(matches(&c, "a-very-long-pr", NULL));
	c = tp_cfg("exactly15chars!", false, VRRP_PARAM_MATCH_NONE, NULL);
	assert_true(matches(&c, "exactly15chars!", NULL));
}

static void test_match_full_command(void **state)
{
	struct vrrp_track_process_cfg c = tp_cfg("/usr/sbin/nginx", true, VRRP_PARAM_MATCH_NONE,
						 NULL);

	assert_true(matches(&c, "nginx", "/usr/sbin/nginx"));
	assert_true(matches(&c, NULL, "/usr/sbin/nginx|-g|daemon off;"));
	assert_false(matches(&c, "nginx", "nginx"));
	assert_false(matches(&c, "nginx", "/usr/sbin/nginx2"));
	assert_false(matches(&c, "nginx", "/usr/sbin/ngin"));
	assert_false(vrrp_tproc_match(&c, "kthreadd", "", 0)); /* kernel threads: empty */
	assert_false(vrrp_tproc_match(&c, "nginx", NULL, 0));
	/* the last word may end with the buffer instead of a NUL */
	assert_true(vrrp_tproc_match(&c, NULL, "/usr/sbin/nginx", 15));
}

static void test_match_params(void **state)
{
	/* "process /bin/app -c a b" with no param_match: exact */
	struct vrrp_track_process_cfg c = tp_cfg("/bin/app", true, VRRP_PARAM_MATCH_EXACT, "-c",
						 "a b", NULL);

	assert_true(matches(&c, NULL, "/bin/app|-c|a b"));
	assert_false(matches(&c, NULL, "/bin/app|-c|a|b"));   /* "a b" is one word */
	assert_false(matches(&c, NULL, "/bin/app|-c|a b|x")); /* more words */
	assert_false(matches(&c, NULL, "/bin/app|-c"));       /* fewer */
	assert_false(matches(&c, NULL, "/bin/app|-c|a bc"));  /* longer last word */
	assert_false(matches(&c, NULL, "/bin/app2|-c|a b"));

	/* partial: the first words exactly, more may follow */
	c.param_match = VRRP_PARAM_MATCH_PARTIAL;
	assert_true(matches(&c, NULL, "/bin/app|-c|a b"));
	assert_true(matches(&c, NULL, "/bin/app|-c|a b|-v|x"));
	assert_false(matches(&c, NULL, "/bin/app|-c|a bc"));
	assert_false(matches(&c, NULL, "/bin/app|-v|-c|a b"));

	/* initial: as partial, the last argument may be longer */
	c.param_match = VRRP_PARAM_MATCH_INITIAL;
	assert_true(matches(&c, NULL, "/bin/app|-c|a b"));
	assert_true(matches(&c, NULL, "/bin/app|-c|a bc"));
	assert_true(matches(&c, NULL, "/bin/app|-c|a bc|more"));
	assert_false(matches(&c, NULL, "/bin/app|-cx|a b")); /* only the last one */
	assert_false(matches(&c, NULL, "/bin/app|-c|a"));
}

static void test_match_no_params(void **state)
{
	/* bare param_match without arguments: the process must have none */
	struct vrrp_track_process_cfg c = tp_cfg("/bin/app", true, VRRP_PARAM_MATCH_EXACT, NULL);

	assert_true(matches(&c, NULL, "/bin/app"));
	assert_false(matches(&c, NULL, "/bin/app|-x"));
	c.param_match = VRRP_PARAM_MATCH_PARTIAL;
	assert_true(matches(&c, NULL, "/bin/app|-x"));
	c.param_match = VRRP_PARAM_MATCH_INITIAL;
	assert_true(matches(&c, NULL, "/bin/app|-x"));
	/* full_command alone: argv[0] only */
	c.param_match = VRRP_PARAM_MATCH_NONE;
	assert_true(matches(&c, NULL, "/bin/app|-x|-y"));

	/* arguments with the comm rule (not what the parser builds, but defined) */
	c = tp_cfg("app", false, VRRP_PARAM_MATCH_EXACT, "-x", NULL);
	assert_true(matches(&c, "app", "/whatever/app|-x"));
	assert_false(matches(&c, "app", "/whatever/app|-y"));
	assert_false(matches(&c, "app", NULL));
}

/* A reader keeps vrrp_tproc_cmdline_need() bytes: answers stay right. */
static void test_match_truncated(void **state)
{
	struct vrrp_track_process_cfg c = tp_cfg("/bin/app", true, VRRP_PARAM_MATCH_EXACT, "-c",
						 "x", NULL);
	char buf[256];
	size_t need = vrrp_tproc_cmdline_need(&c), n;

	assert_int_equal(need, strlen("/bin/app") + 1 + 3 + 2 + 1);
	n = cmdline(buf, "/bin/app|-c|x");
	assert_true(vrrp_tproc_match(&c, NULL, buf, n < need ? n : need));
	n = cmdline(buf, "/bin/app|-c|x|and|much|more");
	assert_true(n > need);
	assert_false(vrrp_tproc_match(&c, NULL, buf, need)); /* the extra byte shows it */
	n = cmdline(buf, "/bin/app|-c|xyz");
	assert_false(vrrp_tproc_match(&c, NULL, buf, need));
	c.param_match = VRRP_PARAM_MATCH_PARTIAL;
	n = cmdline(buf, "/bin/app|-c|x|and|much|more");
	assert_true(vrrp_tproc_match(&c, NULL, buf, need));
	c.param_match = VRRP_PARAM_MATCH_INITIAL;
	n = cmdline(buf, "/bin/app|-c|xyz|more");
	assert_true(vrrp_tproc_match(&c, NULL, buf, need));
}

static void test_quorum(void **state)
{
	struct vrrp_track_process_cfg c = tp_cfg("p", false, VRRP_PARAM_MATCH_NONE, NULL);

	assert_false(vrrp_tproc_quorum_ok(&c, 0));
	assert_true(vrrp_tproc_quorum_ok(&c, 1));
	assert_true(vrrp_tproc_quorum_ok(&c, 1000000));
	c.quorum = 2;
	c.quorum_max = 3;
	assert_false(vrrp_tproc_quorum_ok(&c, 1));
	assert_true(vrrp_tproc_quorum_ok(&c, 2));
	assert_true(vrrp_tproc_quorum_ok(&c, 3));
	assert_false(vrrp_tproc_quorum_ok(&c, 4));
	/* quorum_max 0: healthy only when none runs (the parser sets quorum 0) */
	c.quorum = 0;
	c.quorum_max = 0;
	assert_true(vrrp_tproc_quorum_ok(&c, 0));
	assert_false(vrrp_tproc_quorum_ok(&c, 1));
}

/* The parser keeps each argument, spaces included. */
static void test_cfg_words(void **state)
{
	const char *text = "vrrp_track_process p {\n process /bin/app \"a b\" c\n}\n"
			   "vrrp_track_process q {\n process app\n param_match partial\n}\n";
	struct cfg_diag d = { 0 };
	struct ka_config *k = ka_config_parse_buf("t.conf", text, strlen(text), NULL, &d);
	const struct vrrp_track_process_cfg *p, *q;

	assert_non_null(k);
	assert_int_equal(k->errors, 0);
	p = (const void *)k->vrrp->track_procs.head;
	q = (const void *)p->node.next;
	assert_int_equal(p->nparams, 2);
	assert_string_equal(p->paramv[0], "a b");
	assert_string_equal(p->paramv[1], "c");
	assert_true(p->full_command);
	assert_int_equal(p->param_match, VRRP_PARAM_MATCH_EXACT);
	assert_int_equal(q->nparams, 0);
	assert_int_equal(q->param_match, VRRP_PARAM_MATCH_PARTIAL);
	assert_true(matches(p, NULL, "/bin/app|a b|c"));
	assert_true(matches(q, NULL, "app|anything"));
	ka_config_free(k);
}

/* ---- connector messages ------------------------------------------------------------- */

#define EV_SIZE sizeof(struct proc_event)

/* One proc connector message at buf; returns the aligned length. */
static size_t put_msg(unsigned char *buf, uint32_t what, const void *data, size_t dlen)
{
	struct nlmsghdr h = { 0 };
	struct cn_msg cn = { 0 };
	struct proc_event pe;

	memset(&pe, 0, sizeof(pe));
	pe.what = what;
	memcpy(&pe.event_data, data, dlen);
	h.nlmsg_len = NLMSG_LENGTH(sizeof(cn) + EV_SIZE);
	h.nlmsg_type = NLMSG_DONE;
	cn.id.idx = CN_IDX_PROC;
	cn.id.val = CN_VAL_PROC;
	cn.len = EV_SIZE;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + NLMSG_HDRLEN, &cn, sizeof(cn));
	memcpy(buf + NLMSG_HDRLEN + sizeof(cn), &pe, EV_SIZE);
	return NLMSG_ALIGN(h.nlmsg_len);
}

static size_t put_fork(unsigned char *b, int ppid, int ptgid, int pid, int tgid)
{
	int v[4] = { ppid, ptgid, pid, tgid };
	return put_msg(b, PROC_EVENT_FORK, v, sizeof(v));
}

static size_t put_exit(unsigned char *b, int pid, int tgid)
{
	int v[4] = { pid, tgid, 0, 0 };
	return put_msg(b, PROC_EVENT_EXIT, v, sizeof(v));
}

static size_t put_comm(unsigned char *b, int pid, const char *comm)
{
	struct { int pid, tgid; char comm[16]; } v = { pid, pid, { 0 } };
	memcpy(v.comm, comm, strlen(comm) < 16 ? strlen(comm) : 16);
	return put_msg(b, PROC_EVENT_COMM, &v, sizeof(v));
}

static size_t parse(const void *buf, size_t len, struct vrrp_tproc_event *ev, size_t max,
		    struct vrrp_tproc_parse_stats *st)
{
	return vrrp_tproc_parse(buf, len, 0, ev, max, st);
}

static void test_parse_events(void **state)
{
	/* odd start: the parser must not rely on alignment (UBSan checks) */
	unsigned char raw[1024 + 1], *b = raw + 1;
	struct vrrp_tproc_event ev[8];
	struct vrrp_tproc_parse_stats st;
	size_t len = 0, n;
	int exec[2] = { 42, 42 }, uid[4] = { 7, 7, 0, 0 }, ack = 0;

	len += put_fork(b + len, 10, 10, 11, 11);
	len += put_msg(b + len, PROC_EVENT_EXEC, exec, sizeof(exec));
	len += put_comm(b + len, 43, "0123456789abcdefXYZ"); /* no NUL in 16 bytes */
	len += put_exit(b + len, 44, 40);
	len += put_msg(b + len, PROC_EVENT_UID, uid, sizeof(uid));  /* not followed */
	len += put_msg(b + len, PROC_EVENT_NONE, &ack, sizeof(ack)); /* the listen ack */
	n = parse(b, len, ev, 8, &st);
	assert_int_equal(n, 4);
	assert_int_equal(st.bad, 0);
	assert_int_equal(st.ignored, 2);
	assert_int_equal(ev[0].kind, VRRP_TPROC_EV_FORK);
	assert_int_equal(ev[0].ppid, 10);
	assert_int_equal(ev[0].ptgid, 10);
	assert_int_equal(ev[0].pid, 11);
	assert_int_equal(ev[0].tgid, 11);
	assert_int_equal(ev[1].kind, VRRP_TPROC_EV_EXEC);
	assert_int_equal(ev[1].tgid, 42);
	assert_int_equal(ev[2].kind, VRRP_TPROC_EV_COMM);
	assert_string_equal(ev[2].comm, "0123456789abcde"); /* cut and terminated */
	assert_int_equal(ev[3].kind, VRRP_TPROC_EV_EXIT);
	assert_int_equal(ev[3].pid, 44);
	assert_int_equal(ev[3].tgid, 40);

	/* more events than room: counted as lost (the caller rescans) */
	n = parse(b, len, ev, 2, &st);
	assert_int_equal(n, 2);
	assert_int_equal(st.lost, 2);
}

static void test_parse_truncated(void **state)
{
	unsigned char b[512];
	struct vrrp_tproc_event ev[4];
	struct vrrp_tproc_parse_stats st;
	size_t one = put_exit(b, 5, 5), two = one + put_fork(b + one, 5, 5, 6, 6), n;

	/* every cut of a single message: no event, and (but for nothing at all) bad */
	for (size_t cut = 0; cut < one; cut++) {
		n = parse(b, cut, ev, 4, &st);
		assert_int_equal(n, 0);
		assert_int_equal(st.bad, cut ? 1 : 0);
	}
	/* the second message cut: the first still counts */
	for (size_t cut = one + 1; cut < two; cut++) {
		n = parse(b, cut, ev, 4, &st);
		assert_int_equal(n, 1);
		assert_int_equal(ev[0].kind, VRRP_TPROC_EV_EXIT);
		assert_int_equal(st.bad, 1);
	}
	n = parse(b, two, ev, 4, &st);
	assert_int_equal(n, 2);
	assert_int_equal(st.bad, 0);
}

static void set_u32(unsigned char *b, size_t off, uint32_t v) { memcpy(b + off, &v, 4); }
static void set_u16(unsigned char *b, size_t off, uint16_t v) { memcpy(b + off, &v, 2); }

static void test_parse_hostile(void **state)
{
	unsigned char b[512];
	struct vrrp_tproc_event ev[4];
	struct vrrp_tproc_parse_stats st;
	const size_t cn_at = NLMSG_HDRLEN;
	size_t len;

	/* not from the kernel: dropped whole */
	len = put_exit(b, 5, 5);
	assert_int_equal(vrrp_tproc_parse(b, len, 1234, ev, 4, &st), 0);
	assert_int_equal(st.bad, 1);
	/* nlmsg_len beyond the datagram, or below a header */
	set_u32(b, offsetof(struct nlmsghdr, nlmsg_len), (uint32_t)len + 8);
	assert_int_equal(parse(b, len, ev, 4, &st), 0);
	assert_int_equal(st.bad, 1);
	set_u32(b, offsetof(struct nlmsghdr, nlmsg_len), 4);
	assert_int_equal(parse(b, len, ev, 4, &st), 0);
	assert_int_equal(st.bad, 1);
	/* cn_msg.len pointing past the message */
	len = put_exit(b, 5, 5);
	set_u16(b, cn_at + offsetof(struct cn_msg, len), 0xffff);
	assert_int_equal(parse(b, len, ev, 4, &st), 0);
	assert_int_equal(st.bad, 1);
	/* cn_msg.len too short for the event it announces */
	set_u16(b, cn_at + offsetof(struct cn_msg, len),
		(uint16_t)offsetof(struct proc_event, event_data) + 4);
	assert_int_equal(parse(b, len, ev, 4, &st), 0);
	assert_int_equal(st.bad, 1);
	/* another connector: not ours */
	len = put_exit(b, 5, 5);
	set_u32(b, cn_at + offsetof(struct cn_msg, id.idx), CN_IDX_PROC + 1);
	assert_int_equal(parse(b, len, ev, 4, &st), 0);
	assert_int_equal(st.ignored, 1);
	assert_int_equal(st.bad, 0);
	/* a message type the connector never sends */
	len = put_exit(b, 5, 5);
	set_u16(b, offsetof(struct nlmsghdr, nlmsg_type), NLMSG_ERROR);
	assert_int_equal(parse(b, len, ev, 4, &st), 0);
	assert_int_equal(st.bad, 1);
	/* impossible pids */
	len = put_exit(b, 0, 0);
	assert_int_equal(parse(b, len, ev, 4, &st), 0);
	assert_int_equal(st.bad, 1);
	len = put_fork(b, -1, -1, 7, 7);
	assert_int_equal(parse(b, len, ev, 4, &st), 0);
	assert_int_equal(st.bad, 1);
}

/* Random bytes, and random damage to good messages: never more events than
 * room, never a read out of bounds (the sanitizer build checks that). */
static void test_parse_fuzz(void **state)
{
	unsigned char b[600];
	struct vrrp_tproc_event ev[4];
	struct vrrp_tproc_parse_stats st;
	unsigned seed = 12345;

	for (int i = 0; i < 20000; i++) {
		size_t len;
		if (i & 1) {
			len = (size_t)rand_r(&seed) % sizeof(b);
			for (size_t k = 0; k < len; k++)
				b[k] = (unsigned char)rand_r(&seed);
		} else {
			len = put_fork(b, 1, 1, 2, 2);
			len += put_comm(b + len, 3, "x");
			for (int k = 0; k < 3; k++)
				b[(size_t)rand_r(&seed) % len] = (unsigned char)rand_r(&seed);
			len = (size_t)rand_r(&seed) % (len + 1);
		}
		void *copy = xmalloc(len ? len : 1); /* exact size: ASan sees any overread */
		memcpy(copy, b, len);
		size_t n = parse(copy, len, ev, 4, &st);
		assert_true(n <= 4);
		free(copy);
	}
}

/* ---- runtime: real processes -------------------------------------------------------- */

struct rt {
	struct ev_loop *loop;
	struct ka_config *cfg;
	struct vrrp_tproc *tp;
	char name[16];
	pid_t kids[4];
	int changes;
	enum vrrp_track_status last;
};

static void rt_changed(void *arg, enum vrrp_track_kind kind, const void *cfg)
{
	struct rt *r = arg;

	assert_int_equal(kind, VRRP_TRACK_KIND_PROCESS);
	r->changes++;
	r->last = vrrp_tproc_status(r->tp, cfg);
	ev_break(r->loop);
}

/* A child that renames itself to name and waits to be killed; returns once
 * the new name is visible in /proc. */
static pid_t spawn_named(const char *name)
{
	int p[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		prctl(PR_SET_NAME, name);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void guard_cb(struct ev_loop *loop, void *arg)
{
	*(bool *)arg = true;
	ev_break(loop);
}

/* Run the loop until a change is reported or us pass; true on a change. */
static bool rt_wait(struct rt *r, uint64_t us)
{
	struct ev_timer *guard = NULL;
	bool expired = false;
	int before = r->changes;

	ev_timer_add(r->loop, guard_cb, &expired, us, &guard);
	while (r->changes == before && !expired)
		ev_run(r->loop);
	ev_cancel(&guard);
	return r->changes != before;
}

static struct ka_config *rt_parse(const struct rt *r)
{
	char text[512];
	struct cfg_diag d = { 0 };
	struct ka_config *k;

	snprintf(text, sizeof(text),
		 "vrrp_track_process p {\n process %s\n quorum 2\n terminate_delay 1.2\n}\n"
		 "vrrp_instance VI {\n interface lo\n virtual_router_id 1\n"
		 " virtual_ipaddress {\n 192.0.2.1\n }\n track_process {\n p\n }\n}\n", r->name);
	k = ka_config_parse_buf("t.conf", text, strlen(text), NULL, &d);
	assert_non_null(k);
	assert_int_equal(k->errors, 0);
	return k;
}

static const struct vrrp_track_process_cfg *rt_proc(const struct rt *r)
{
	return (const void *)r->cfg->vrrp->track_procs.head;
}

/* The same story whether events come from the connector or from scans
 * (a scan falling between an exit and the restart that follows must not
 * matter either: the delay is longer than the scan interval). */
static void runtime(const char *monitor)
{
	struct rt r = { 0 };
	uint64_t t0;

	snprintf(r.name, sizeof(r.name), "kaut-%d", (int)getpid());
	r.loop = ev_loop_new();
	r.kids[0] = spawn_named(r.name);
	r.kids[1] = spawn_named(r.name);
	r.cfg = rt_parse(&r);
	r.tp = vrrp_tproc_start(r.loop, r.cfg->vrrp, r.cfg->global, -1, rt_changed, &r);
	/* the first scan decides at once, without a callback */
	assert_int_equal(vrrp_tproc_status(r.tp, rt_proc(&r)), VRRP_TRACK_UP);
	assert_int_equal(r.changes, 0);

	/* one of two gone: below quorum, reported after terminate_delay */
	t0 = mono_usec();
	reap(r.kids[0]);
	assert_true(rt_wait(&r, 5000000));
	assert_true(mono_usec() - t0 >= 1190000);
	assert_int_equal(r.last, VRRP_TRACK_DOWN);

	/* a newcomer (exec or rename: no delay) restores it */
	r.kids[2] = spawn_named(r.name);
	assert_true(rt_wait(&r, 3000000));
	assert_int_equal(r.last, VRRP_TRACK_UP);

	/* gone and back within terminate_delay: nothing reported */
	reap(r.kids[1]);
	r.kids[3] = spawn_named(r.name);
	assert_false(rt_wait(&r, 2500000));
	assert_int_equal(vrrp_tproc_status(r.tp, rt_proc(&r)), VRRP_TRACK_UP);

	/* a reload keeps the state, quietly */
	struct ka_config *old = r.cfg;
	r.cfg = rt_parse(&r);
	vrrp_tproc_reload(r.tp, r.cfg->vrrp, r.cfg->global);
	ka_config_free(old);
	assert_int_equal(vrrp_tproc_status(r.tp, rt_proc(&r)), VRRP_TRACK_UP);
	assert_false(rt_wait(&r, 300000));

	/* the dump tells what it follows */
	char *buf = NULL;
	size_t bl = 0;
	FILE *f = open_memstream(&buf, &bl);
	vrrp_tproc_dump(r.tp, f);
	fclose(f);
	assert_non_null(strstr(buf, "Track process = p"));
	assert_non_null(strstr(buf, "Running = 2"));
	assert_non_null(strstr(buf, monitor));
	free(buf);

	vrrp_tproc_stop(r.tp);
	reap(r.kids[2]);
	reap(r.kids[3]);
	ka_config_free(r.cfg);
	ev_loop_free(r.loop);
}

static void test_runtime(void **state)
{
	/* as root in the initial namespace: events; else scans */
	runtime(geteuid() == 0 ? "Process monitor = proc connector" : "Process monitor = ");
}

/* In a network namespace of our own the connector is out of reach: scans.
 * This moves the test process for good, so it runs last. */
static void test_runtime_scan(void **state)
{
	if (unshare(CLONE_NEWNET) < 0)
		skip();
	runtime("Process monitor = scanning /proc every second");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_comm),
		cmocka_unit_test(test_match_full_command),
		cmocka_unit_test(test_match_params),
		cmocka_unit_test(test_match_no_params),
		cmocka_unit_test(test_match_truncated),
		cmocka_unit_test(test_quorum),
		cmocka_unit_test(test_cfg_words),
		cmocka_unit_test(test_parse_events),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_parse_hostile),
		cmocka_unit_test(test_parse_fuzz),
		cmocka_unit_test(test_runtime),
		cmocka_unit_test(test_runtime_scan), /* last: leaves our namespace */
	};
	log_init("test_track_proc", &(struct log_opts){ .console = true, .no_syslog = true });
	return cmocka_run_group_tests(tests, NULL, NULL);
}
