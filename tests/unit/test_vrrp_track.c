/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vrrp_track.c - priority rule (pure), vrrp_script rise/fall/timeout, track_file, reload */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf */
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "arena.h"
#include "cfg.h"
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_track.h"

/* ---- the pure priority rule ---- */

struct fake {
	struct arena *a;
	struct vrrp_tracks t;
};

/* Tracker states by name: "up", "down", anything else is unknown. Track
 * files: the name is "f:<value>" or "f:?" (unknown). */
static enum vrrp_track_status by_name(const struct vrrp_track_lookup *lk,
				      const struct vrrp_track_ref *ref)
{
	const char *s = strchr(ref->name, ':');
	s = s ? s + 1 : ref->name;
	return !strcmp(s, "up") ? VRRP_TRACK_UP : !strcmp(s, "down") ? VRRP_TRACK_DOWN
		: !strcmp(s, "off") ? VRRP_TRACK_DISABLED : VRRP_TRACK_UNKNOWN;
}

static bool file_by_name(const struct vrrp_track_lookup *lk, const struct vrrp_track_ref *ref,
			 long long *value)
{
	if (!strcmp(ref->name + 2, "?"))
		return false;
	*value = strtoll(ref->name + 2, NULL, 0);
	return true;
}

static const struct vrrp_track_lookup lookup = {
	.iface = by_name, .script = by_name, .process = by_name, .bfd = by_name,
	.file = file_by_name,
};

/* Add "name weight [reverse]" to the list for kind i(f) s(cript) f(ile) p b. */
static void add(struct fake *f, char kind, const char *name, int weight, bool reverse)
{
	struct vrrp_track_ref *r = arena_alloc(f->a, sizeof(*r));
	r->name = arena_strdup(f->a, name);
	r->weight = weight;
	r->reverse = reverse;
	struct cfg_list *l = kind == 'i' ? &f->t.ifs : kind == 's' ? &f->t.scripts
		: kind == 'f' ? &f->t.files : kind == 'p' ? &f->t.procs : &f->t.bfds;
	cfg_list_append(l, &r->node);
}

static int prio(struct fake *f, int base, bool *fault)
{
	int p = vrrp_track_priority(&f->t, base, fault, &lookup);
	memset(&f->t, 0, sizeof(f->t));
	return p;
}

static void test_priority_weights(void **state)
{
	struct fake f = { .a = arena_new() };
	bool fault;

	add(&f, 's', "a:up", 10, false);
	assert_int_equal(prio(&f, 100, &fault), 110);
	assert_false(fault);
	add(&f, 's', "a:down", 10, false);
	assert_int_equal(prio(&f, 100, &fault), 100);
	add(&f, 's', "a:down", -20, false);
	assert_int_equal(prio(&f, 100, &fault), 80);
	add(&f, 's', "a:up", -20, false);
	assert_int_equal(prio(&f, 100, &fault), 100);

	/* reverse negates the contribution */
	add(&f, 's', "a:up", 10, true);
	assert_int_equal(prio(&f, 100, &fault), 90);
	add(&f, 's', "a:down", 10, true);
	assert_int_equal(prio(&f, 100, &fault), 100);
	add(&f, 's', "a:down", -20, true);
	assert_int_equal(prio(&f, 100, &fault), 120);

	/* every boolean kind follows the same rule; contributions add up */
	add(&f, 'i', "eth1:down", -30, false);
	add(&f, 'p', "p:up", 5, false);
	add(&f, 'b', "b:up", 7, false);
	add(&f, 's', "s:down", -1, false);
	assert_int_equal(prio(&f, 100, &fault), 81);
	assert_false(fault);

	/* unknown and disabled trackers count neither way */
	add(&f, 's', "a:unknown", -50, false);
	add(&f, 's', "b:off", -50, false);
	assert_int_equal(prio(&f, 100, &fault), 100);
	arena_free(f.a);
}

static void test_priority_fault(void **state)
{
	struct fake f = { .a = arena_new() };
	bool fault;

	add(&f, 's', "a:down", 0, false);
	prio(&f, 100, &fault);
	assert_true(fault);
	add(&f, 's', "a:up", 0, false);
	prio(&f, 100, &fault);
	assert_false(fault);
	add(&f, 's', "a:up", 0, true); /* reverse: success is the fault */
	prio(&f, 100, &fault);
	assert_true(fault);
	add(&f, 'i', "eth0:down", 0, false);
	prio(&f, 100, &fault);
	assert_true(fault);

	/* unknown unweighted: not a fault, but pending */
	struct vrrp_track_sum sum = { 0 };
	add(&f, 's', "a:unknown", 0, false);
	add(&f, 'p', "p:unknown", 0, false);
	add(&f, 's', "b:unknown", 10, false);
	add(&f, 's', "c:off", 0, false);
	vrrp_track_sum_add(&sum, &f.t, &lookup);
	assert_false(sum.fault);
	assert_int_equal(sum.pending, 2);
	memset(&f.t, 0, sizeof(f.t));

	/* no lookup function: everything unknown */
	struct vrrp_track_lookup none = { 0 };
	add(&f, 'i', "eth0:down", 0, false);
	add(&f, 'f', "f:7", 0, false);
	sum = (struct vrrp_track_sum){ 0 };
	vrrp_track_sum_add(&sum, &f.t, &none);
	assert_false(sum.fault);
	assert_int_equal(sum.pending, 1);
	memset(&f.t, 0, sizeof(f.t));
	arena_free(f.a);
}

static void test_priority_clip_owner(void **state)
{
	struct fake f = { .a = arena_new() };
	bool fault;

	add(&f, 's', "a:up", 50, false);
	assert_int_equal(prio(&f, 250, &fault), 254); /* never 255 */
	add(&f, 's', "a:down", -50, false);
	assert_int_equal(prio(&f, 20, &fault), 1);    /* never 0 */
	add(&f, 's', "a:down", -50, false);
	assert_int_equal(prio(&f, 255, &fault), 255); /* the owner is never changed */
	add(&f, 's', "a:down", 0, false);
	assert_int_equal(prio(&f, 255, &fault), 255);
	assert_true(fault);                           /* but it can be in FAULT */

	/* instance list then sync group list */
	struct vrrp_track_sum sum = { 0 };
	add(&f, 's', "a:up", 10, false);
	vrrp_track_sum_add(&sum, &f.t, &lookup);
	memset(&f.t, 0, sizeof(f.t));
	add(&f, 'i', "x:down", -25, false);
	vrrp_track_sum_add(&sum, &f.t, &lookup);
	memset(&f.t, 0, sizeof(f.t));
	assert_int_equal(vrrp_track_effective(100, &sum), 85);
	arena_free(f.a);
}

static void test_priority_files(void **state)
{
	struct fake f = { .a = arena_new() };
	bool fault;

	add(&f, 'f', "f:5", 1, false);
	assert_int_equal(prio(&f, 100, &fault), 105);
	add(&f, 'f', "f:5", 3, true);
	assert_int_equal(prio(&f, 100, &fault), 85);
	add(&f, 'f', "f:-10", -1, true);
	assert_int_equal(prio(&f, 100, &fault), 90);
	add(&f, 'f', "f:-100", 2, false);               /* -200: low, not FAULT */
	assert_int_equal(prio(&f, 100, &fault), 1);
	assert_false(fault);
	add(&f, 'f', "f:-253", 1, false);
	prio(&f, 100, &fault);
	assert_false(fault);
	add(&f, 'f', "f:-127", 2, false);               /* -254 */
	prio(&f, 100, &fault);
	assert_true(fault);
	add(&f, 'f', "f:1000", 1, false);               /* counts as 253 */
	add(&f, 's', "a:down", -100, false);
	assert_int_equal(prio(&f, 50, &fault), 203);
	add(&f, 'f', "f:0x7fffffffffffffff", -254, false); /* overflow saturates */
	prio(&f, 100, &fault);
	assert_true(fault);

	/* weight 0: any non-zero value is FAULT; reverse: zero is */
	add(&f, 'f', "f:3", 0, false);
	prio(&f, 100, &fault);
	assert_true(fault);
	add(&f, 'f', "f:0", 0, false);
	assert_int_equal(prio(&f, 100, &fault), 100);
	assert_false(fault);
	add(&f, 'f', "f:0", 0, true);
	prio(&f, 100, &fault);
	assert_true(fault);
	add(&f, 'f', "f:?", 0, false);                  /* unknown value: ignored */
	prio(&f, 100, &fault);
	assert_false(fault);
	arena_free(f.a);
}

/* ---- the runtime, with a real loop and real scripts ---- */

struct event {
	enum vrrp_track_kind kind;
	char name[32];
	int status;
	long long value;
	int runs;            /* lines in the run log when the callback came */
};

struct fx {
	struct ev_loop *loop;
	char dir[64];
	struct ka_config *cfg;
	struct vrrp_trackers *trk;
	struct event ev[64];
	int nev, want;
	char log[16384];
	size_t loglen;
};

static void sink(int prio, const char *line, void *arg)
{
	struct fx *f = arg;
	int n = snprintf(f->log + f->loglen, sizeof(f->log) - f->loglen, "%s\n", line);
	if (n > 0 && (size_t)n < sizeof(f->log) - f->loglen)
		f->loglen += (size_t)n;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static char *path_in(struct fx *f, const char *name)
{
	static char buf[4][256];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", f->dir, name);
	return buf[i];
}

static void put(struct fx *f, const char *name, const char *text, mode_t mode)
{
	char *p = path_in(f, name);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	chmod(p, mode);
}

static int lines(struct fx *f, const char *name)
{
	FILE *fp = fopen(path_in(f, name), "r");
	int n = 0, c;
	if (!fp)
		return 0;
	while ((c = fgetc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	f->loop = ev_loop_new();
	snprintf(f->dir, sizeof(f->dir), "/run/ka-test-track-XXXXXX");
	if (!mkdtemp(f->dir)) {
		snprintf(f->dir, sizeof(f->dir), "/tmp/ka-test-track-XXXXXX");
		assert_non_null(mkdtemp(f->dir));
	}
	chmod(f->dir, 0755);
	/* plan.sh NAME: pops the next letter of NAME.plan (S = success, F =
	 * failure; empty = success) and logs the run in NAME.runs */
	put(f, "plan.sh", "d=$(dirname \"$0\")\necho run >> \"$d/$1.runs\"\n"
	    "p=$(cat \"$d/$1.plan\" 2>/dev/null)\nc=${p%\"${p#?}\"}\n"
	    "printf '%s' \"${p#?}\" > \"$d/$1.plan\"\n[ \"$c\" != F ]\n", 0755);
	log_set_sink(sink, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	vrrp_track_stop(f->trk);
	log_set_sink(NULL, NULL);
	ev_run(f->loop); /* reap what a cancel left to the loop */
	ev_loop_free(f->loop);
	ka_config_free(f->cfg);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static void diag_emit(void *arg, enum cfg_level lvl, const char *msg)
{
	if (lvl == CFG_LVL_ERROR)
		fprintf(stderr, "config: %s\n", msg);
}

/* Parse text with every "@D" replaced by the scratch directory. */
static struct ka_config *parse(struct fx *f, const char *text)
{
	char buf[8192], *o = buf;
	for (const char *p = text; *p; p++) {
		if (p[0] == '@' && p[1] == 'D') {
			o += sprintf(o, "%s", f->dir);
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	struct cfg_diag d = { .emit = diag_emit };
	struct ka_config *c = ka_config_parse_buf("t.conf", buf, strlen(buf), NULL, &d);
	assert_non_null(c);
	assert_int_equal(c->errors, 0);
	return c;
}

static void changed_cb(void *arg, enum vrrp_track_kind kind, const void *cfg)
{
	struct fx *f = arg;
	struct event *e = &f->ev[f->nev++];
	assert_true(f->nev < 64);
	e->kind = kind;
	if (kind == VRRP_TRACK_KIND_SCRIPT) {
		const struct vrrp_script_cfg *c = cfg;
		snprintf(e->name, sizeof(e->name), "%s", c->name);
		e->status = vrrp_track_script_status(f->trk, c);
		char runs[64];
		snprintf(runs, sizeof(runs), "%s.runs", c->name);
		e->runs = lines(f, runs);
	} else {
		const struct vrrp_track_file_cfg *c = cfg;
		snprintf(e->name, sizeof(e->name), "%s", c->name);
		e->value = vrrp_track_file_value(f->trk, c);
	}
	if (f->want && f->nev >= f->want)
		ev_break(f->loop);
}

static void guard_cb(struct ev_loop *loop, void *arg)
{
	*(bool *)arg = true;
	ev_break(loop);
}

/* Run until nev reaches n; false if max_us passed first. */
static bool wait_events(struct fx *f, int n, uint64_t max_us)
{
	struct ev_timer *guard = NULL;
	bool expired = false;
	f->want = n;
	ev_timer_add(f->loop, guard_cb, &expired, max_us, &guard);
	while (f->nev < n && !expired)
		ev_run(f->loop);
	ev_cancel(&guard);
	f->want = 0;
	return f->nev >= n;
}

static void run_idle(struct fx *f, uint64_t us)
{
	struct ev_timer *guard = NULL;
	bool expired = false;
	ev_timer_add(f->loop, guard_cb, &expired, us, &guard);
	while (!expired)
		ev_run(f->loop);
}

static const struct vrrp_script_cfg *script(struct fx *f, const char *name)
{
	const struct vrrp_script_cfg *c = vrrp_cfg_find_script(f->cfg->vrrp, name);
	assert_non_null(c);
	return c;
}

/* Run every 50 ms; the timeout is long so a loaded machine (sanitizers)
 * does not turn slow runs into failures. */
#define FAST "\n interval 0.05\n timeout 5"

#define INSTANCE(tracks) \
	"vrrp_instance VI_1 { interface lo\n virtual_router_id 1\n priority 100\n" \
	" virtual_ipaddress { 192.0.2.1 }\n " tracks "\n}\n"

static void test_rise_fall(void **state)
{
	struct fx *f = *state;
	put(f, "flap.plan", "FSFSSFFSFFF", 0644);
	put(f, "first.plan", "S", 0644);
	put(f, "slow.plan", "SS", 0644);
	f->cfg = parse(f,
		"vrrp_script flap { script \"@D/plan.sh flap\"" FAST "\n rise 2\n fall 3 }\n"
		"vrrp_script first { script \"@D/plan.sh first\"" FAST "\n rise 5 }\n"
		"vrrp_script slow { script \"@D/plan.sh slow\"" FAST "\n rise 2\n"
		" init_fail }\n"
		"vrrp_script unused { script \"@D/plan.sh unused\" }\n"
		INSTANCE("track_script { flap\n first\n slow }"));
	f->trk = vrrp_track_start(f->loop, f->cfg->vrrp, f->cfg->global, changed_cb, f);
	assert_int_equal(vrrp_track_script_status(f->trk, script(f, "flap")), VRRP_TRACK_UNKNOWN);
	assert_int_equal(vrrp_track_script_status(f->trk, script(f, "slow")), VRRP_TRACK_DOWN);
	assert_int_equal(f->nev, 0); /* nothing from inside start */

	assert_true(wait_events(f, 6, 10 * 1000000ull));
	int seen_flap = 0, seen_first = 0, seen_slow = 0;
	static const struct { int status, runs; } flap[] = {
		{ VRRP_TRACK_DOWN, 1 }, { VRRP_TRACK_UP, 5 }, { VRRP_TRACK_DOWN, 11 },
		{ VRRP_TRACK_UP, 13 },
	};
	for (int i = 0; i < f->nev; i++) {
		struct event *e = &f->ev[i];
		if (!strcmp(e->name, "flap")) {
			assert_true(seen_flap < 4);
			assert_int_equal(e->status, flap[seen_flap].status);
			assert_int_equal(e->runs, flap[seen_flap].runs);
			seen_flap++;
		} else if (!strcmp(e->name, "first")) {
			/* the first result decides at once, rise or not */
			assert_int_equal(e->status, VRRP_TRACK_UP);
			assert_int_equal(e->runs, 1);
			seen_first++;
		} else {
			/* init_fail: starts DOWN, needs rise successes */
			assert_string_equal(e->name, "slow");
			assert_int_equal(e->status, VRRP_TRACK_UP);
			assert_int_equal(e->runs, 2);
			seen_slow++;
		}
	}
	assert_int_equal(seen_flap, 4);
	assert_true(vrrp_track_script_ok(f->trk, script(f, "flap")));
	assert_int_equal(seen_first, 1);
	assert_int_equal(seen_slow, 1);
	/* callbacks only on change: more runs, no more events */
	int n = f->nev;
	run_idle(f, 300000);
	assert_int_equal(f->nev, n);
	assert_true(lines(f, "first.runs") >= 5);
	assert_int_equal(lines(f, "unused.runs"), 0); /* not tracked: never run */
	assert_non_null(strstr(f->log, "VRRP_Script(flap) failed (exited with status 1)"));
	assert_non_null(strstr(f->log, "VRRP_Script(flap) succeeded"));
}

static void test_timeout_and_stop(void **state)
{
	struct fx *f = *state;
	put(f, "hang.sh", "echo $$ > \"$(dirname \"$0\")/hang.pid\"\nexec sleep 30\n", 0755);
	put(f, "hold.sh", "echo $$ > \"$(dirname \"$0\")/hold.pid\"\nexec sleep 30\n", 0755);
	f->cfg = parse(f,
		"vrrp_script hang { script @D/hang.sh\n interval 2\n timeout 0.2 }\n"
		"vrrp_script hold { script @D/hold.sh\n interval 60 }\n"
		INSTANCE("track_script { hang\n hold weight 10 }"));
	uint64_t t0 = mono_usec();
	f->trk = vrrp_track_start(f->loop, f->cfg->vrrp, f->cfg->global, changed_cb, f);
	assert_true(wait_events(f, 1, 5 * 1000000ull));
	assert_string_equal(f->ev[0].name, "hang");
	assert_int_equal(f->ev[0].status, VRRP_TRACK_DOWN);
	assert_true(mono_usec() - t0 < 1500000);
	assert_non_null(strstr(f->log, "VRRP_Script(hang) failed (timed out)"));

	/* stop kills what still runs */
	char *pidfile = path_in(f, "hold.pid");
	for (int i = 0; i < 200 && access(pidfile, F_OK); i++)
		usleep(5000);
	FILE *fp = fopen(pidfile, "r");
	assert_non_null(fp);
	int pid = 0;
	assert_int_equal(fscanf(fp, "%d", &pid), 1);
	fclose(fp);
	assert_int_equal(kill(pid, 0), 0);
	vrrp_track_stop(f->trk);
	f->trk = NULL;
	assert_int_equal(kill(pid, 0), -1);
	assert_int_equal(errno, ESRCH);
}

/* Write a file the way editors do: new file renamed over the old one. */
static void replace(struct fx *f, const char *name, const char *text)
{
	char tmp[256];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path_in(f, name));
	FILE *fp = fopen(tmp, "w");
	fputs(text, fp);
	fclose(fp);
	assert_int_equal(rename(tmp, path_in(f, name)), 0);
}

static void test_track_file(void **state)
{
	struct fx *f = *state;
	put(f, "keep", "3\n", 0644);
	put(f, "over", "3\n", 0644);
	f->cfg = parse(f,
		"track_file tf { file @D/tf\n weight 2\n init_file 5 }\n"
		"track_file keep { file @D/keep\n init_file 1 }\n"
		"track_file over { file @D/over\n init_file 4 overwrite }\n"
		"track_file idle { file @D/idle\n init_file 8 }\n"
		INSTANCE("track_file { tf\n keep\n over }"));
	const struct vrrp_track_file_cfg *tf = vrrp_cfg_find_track_file(f->cfg->vrrp, "tf");
	f->trk = vrrp_track_start(f->loop, f->cfg->vrrp, f->cfg->global, changed_cb, f);
	assert_int_equal(vrrp_track_file_value(f->trk, tf), 5);
	assert_int_equal(vrrp_track_file_value(f->trk, vrrp_cfg_find_track_file(f->cfg->vrrp,
										"keep")), 3);
	assert_int_equal(vrrp_track_file_value(f->trk, vrrp_cfg_find_track_file(f->cfg->vrrp,
										"over")), 4);
	assert_int_equal(access(path_in(f, "idle"), F_OK), -1); /* untracked: untouched */

	/* priority through the lookup: 100 + 5*2 + 3 + 4 */
	struct vrrp_track_lookup lk;
	vrrp_track_lookup_init(&lk, f->trk);
	const struct vrrp_instance_cfg *vi = vrrp_cfg_find_instance(f->cfg->vrrp, "VI_1");
	bool fault;
	assert_int_equal(vrrp_track_priority(&vi->tracks, 100, &fault, &lk), 117);

	put(f, "tf", "7\n", 0644);                      /* IN_CLOSE_WRITE */
	assert_true(wait_events(f, 1, 3000000));
	assert_int_equal(f->ev[0].value, 7);
	replace(f, "tf", "9");                          /* IN_MOVED_TO */
	assert_true(wait_events(f, 2, 3000000));
	assert_int_equal(f->ev[1].value, 9);
	put(f, "tf", "9\n", 0644);                      /* same value: no event */
	put(f, "tf", "not a number\n", 0644);           /* kept, logged */
	run_idle(f, 200000);
	assert_int_equal(f->nev, 2);
	assert_int_equal(vrrp_track_file_value(f->trk, tf), 9);
	assert_non_null(strstr(f->log, "is not a 32-bit number"));
	put(f, "tf", "0x10", 0644);
	assert_true(wait_events(f, 3, 3000000));
	assert_int_equal(f->ev[2].value, 16);
	unlink(path_in(f, "tf"));                       /* IN_DELETE: 0 */
	assert_true(wait_events(f, 4, 3000000));
	assert_int_equal(f->ev[3].value, 0);
	put(f, "tf", "-127\n", 0644);                   /* x2 = -254: FAULT */
	assert_true(wait_events(f, 5, 3000000));
	vrrp_track_priority(&vi->tracks, 100, &fault, &lk);
	assert_true(fault);
	assert_string_equal(f->ev[4].name, "tf");
}

static void test_reload(void **state)
{
	struct fx *f = *state;
	put(f, "keep.plan", "SFFFF", 0644);
	put(f, "chg.plan", "S", 0644);
	f->cfg = parse(f,
		"vrrp_script keep { script \"@D/plan.sh keep\"" FAST "\n fall 100 }\n"
		"vrrp_script chg { script \"@D/plan.sh chg\"" FAST " }\n"
		"vrrp_script gone { script \"@D/plan.sh gone\"" FAST " }\n"
		"track_file tf { file @D/tf\n init_file 5 }\n"
		INSTANCE("track_script { keep\n chg\n gone }\n track_file { tf }"));
	f->trk = vrrp_track_start(f->loop, f->cfg->vrrp, f->cfg->global, changed_cb, f);
	assert_true(wait_events(f, 3, 5 * 1000000ull));
	put(f, "tf", "6\n", 0644);
	assert_true(wait_events(f, 4, 3000000));
	assert_true(vrrp_track_script_ok(f->trk, script(f, "keep")));
	int keep_runs = lines(f, "keep.runs");
	assert_true(keep_runs >= 1);

	struct ka_config *old = f->cfg;
	f->cfg = parse(f,
		"vrrp_script new { script \"@D/plan.sh new\"" FAST " }\n"
		"vrrp_script keep { script \"@D/plan.sh keep\"" FAST "\n fall 100 }\n"
		"vrrp_script chg { script \"@D/plan.sh chg\"\n interval 0.06\n timeout 5 }\n"
		"track_file tf { file @D/tf\n init_file 1 overwrite }\n"
		INSTANCE("track_script { keep\n chg\n new }\n track_file { tf }"));
	int n = f->nev;
	assert_int_equal(vrrp_track_reload(f->trk, f->cfg->vrrp, f->cfg->global), 0);
	ka_config_free(old);
	/* unchanged: state kept (its failures since were below fall) */
	assert_int_equal(vrrp_track_script_status(f->trk, script(f, "keep")), VRRP_TRACK_UP);
	/* changed and new: start over */
	assert_int_equal(vrrp_track_script_status(f->trk, script(f, "chg")), VRRP_TRACK_UNKNOWN);
	assert_int_equal(vrrp_track_script_status(f->trk, script(f, "new")), VRRP_TRACK_UNKNOWN);
	/* the file kept its value: init_file applies to new entries only */
	const struct vrrp_track_file_cfg *tf = vrrp_cfg_find_track_file(f->cfg->vrrp, "tf");
	assert_int_equal(vrrp_track_file_value(f->trk, tf), 6);
	assert_int_equal(f->nev, n);

	int gone_runs = lines(f, "gone.runs");
	assert_true(wait_events(f, n + 2, 5 * 1000000ull)); /* chg and new report */
	for (int i = n; i < f->nev; i++)
		assert_true(!strcmp(f->ev[i].name, "chg") || !strcmp(f->ev[i].name, "new"));
	run_idle(f, 200000);
	assert_int_equal(lines(f, "gone.runs"), gone_runs); /* removed: no longer run */
	assert_true(lines(f, "keep.runs") > keep_runs);      /* kept: still running */
	assert_true(vrrp_track_script_ok(f->trk, script(f, "keep")));

	/* the file is still watched after the reload */
	put(f, "tf", "2\n", 0644);
	int m = f->nev;
	assert_true(wait_events(f, m + 1, 3000000));
	assert_int_equal(vrrp_track_file_value(f->trk, tf), 2);
}

static void test_security(void **state)
{
	struct fx *f = *state;
	if (geteuid() != 0 || getpwnam("keepalived_script")) {
		skip();
		return;
	}
	/* a script in a world-writable directory, run as root */
	char wdir[128], text[1024];
	snprintf(wdir, sizeof(wdir), "%s/open", f->dir);
	mkdir(wdir, 0777);
	chmod(wdir, 0777);
	put(f, "open/x.sh", "echo run >> \"$(dirname \"$0\")/../x.runs\"\n", 0755);
	snprintf(text, sizeof(text), "global_defs { enable_script_security }\n"
		 "vrrp_script x { script @D/open/x.sh" FAST " }\n"
		 "vrrp_script ok { script \"@D/plan.sh ok\"" FAST " }\n"
		 INSTANCE("track_script { x\n ok }"));
	f->cfg = parse(f, text);
	f->trk = vrrp_track_start(f->loop, f->cfg->vrrp, f->cfg->global, changed_cb, f);
	assert_int_equal(vrrp_track_script_status(f->trk, script(f, "x")), VRRP_TRACK_DISABLED);
	assert_true(wait_events(f, 1, 3000000));
	assert_string_equal(f->ev[0].name, "ok");
	run_idle(f, 200000);
	assert_int_equal(lines(f, "x.runs"), 0);
	assert_non_null(strstr(f->log, "is world-writable"));

	/* without enable_script_security it runs, with one warning */
	struct ka_config *old = f->cfg;
	f->cfg = parse(f, strstr(text, "vrrp_script"));
	vrrp_track_reload(f->trk, f->cfg->vrrp, f->cfg->global);
	ka_config_free(old);
	run_idle(f, 300000);
	assert_true(lines(f, "x.runs") >= 2);
	const char *w = strstr(f->log, "SECURITY VIOLATION");
	assert_non_null(w);
	assert_null(strstr(w + 1, "SECURITY VIOLATION"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_priority_weights),
		cmocka_unit_test(test_priority_fault),
		cmocka_unit_test(test_priority_clip_owner),
		cmocka_unit_test(test_priority_files),
		cmocka_unit_test_setup_teardown(test_rise_fall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_and_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_track_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_security, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
