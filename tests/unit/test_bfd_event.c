/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_bfd_event.c - BFD state channel codec and table, track_bfd and BFD_CHECK consumers */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_memstream */
#endif
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "check/check_bfd.h"
#include "check/check_cfg.h"
#include "check/check_notify.h"
#include "check/check_run.h"
#include "daemon/bfd_event.h"
#include "daemon/config.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_bfd.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_track.h"

/* One socket pair per test: sv[0] is the BFD child's end, sv[1] the consumer's. */
static int sv[2] = { -1, -1 };
static struct ev_loop *loop;

static int setup(void **state)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	loop = ev_loop_new();
	assert_non_null(loop);
	return 0;
}

static int teardown(void **state)
{
	for (int i = 0; i < 2; i++)
		if (sv[i] >= 0)
			close(sv[i]);
	sv[0] = sv[1] = -1;
	ev_loop_free(loop);
	loop = NULL;
	return 0;
}

static void raw(int fd, const void *buf, size_t len)
{
	assert_int_equal(send(fd, buf, len, MSG_DONTWAIT), (ssize_t)len);
}

static enum bfd_event_type recv1(int fd, char *name, bool *up)
{
	return bfd_event_recv(fd, name, BFD_EVENT_NAME_MAX + 1, up);
}

/* ---- codec ------------------------------------------------------------------------ */

static void test_round_trip_every_type(void **state)
{
	char name[BFD_EVENT_NAME_MAX + 1];
	bool up = false;

	assert_int_equal(bfd_event_send_state(sv[0], "to-router", true), 0);
	assert_int_equal(bfd_event_send_state(sv[0], "b2", false), 0);
	assert_int_equal(bfd_event_send_synced(sv[0]), 0);
	assert_int_equal(bfd_event_send_sync(sv[1]), 0);

	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_STATE);
	assert_string_equal(name, "to-router");
	assert_true(up);
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_STATE);
	assert_string_equal(name, "b2");
	assert_false(up);
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_SYNCED);
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_NONE);
	assert_int_equal(recv1(sv[0], name, &up), BFD_EVENT_SYNC);
	assert_int_equal(recv1(sv[0], name, &up), BFD_EVENT_NONE);
}

static void test_name_limits(void **state)
{
	char longest[BFD_EVENT_NAME_MAX + 1], too_long[BFD_EVENT_NAME_MAX + 2];
	char name[BFD_EVENT_NAME_MAX + 1];
	bool up = false;

	memset(longest, 'n', BFD_EVENT_NAME_MAX);
	longest[BFD_EVENT_NAME_MAX] = '\0';
	memset(too_long, 'n', BFD_EVENT_NAME_MAX + 1);
	too_long[BFD_EVENT_NAME_MAX + 1] = '\0';

	assert_int_equal(bfd_event_send_state(sv[0], longest, true), 0);
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_STATE);
	assert_string_equal(name, longest);
	assert_true(up);

	errno = 0;
	assert_int_equal(bfd_event_send_state(sv[0], too_long, true), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(bfd_event_send_state(sv[0], "", true), -1);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(bfd_event_send_state(sv[0], NULL, true), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(bfd_event_send_state(sv[0], "bad\nname", true), -1);
	assert_int_equal(bfd_event_send_state(sv[0], "bad\x7fname", true), -1);
	/* nothing refused went out */
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_NONE);

	/* a receiver with a smaller buffer drops what does not fit */
	char small[4];
	assert_int_equal(bfd_event_send_state(sv[0], "abcd", true), 0);
	assert_int_equal(bfd_event_recv(sv[1], small, sizeof(small), &up), BFD_EVENT_BAD);
	assert_int_equal(bfd_event_send_state(sv[0], "abc", false), 0);
	assert_int_equal(bfd_event_recv(sv[1], small, sizeof(small), &up), BFD_EVENT_STATE);
	assert_string_equal(small, "abc");
	assert_false(up);
}

static void test_malformed(void **state)
{
	static const struct {
		const char *what;
		unsigned char b[8];
		size_t len;
	} bad[] = {
		{ "empty", { 0 }, 0 },
		{ "unknown type", { 9 }, 1 },
		{ "type 0", { 0 }, 1 },
		{ "SYNC with a tail", { BFD_EVENT_SYNC, 0 }, 2 },
		{ "SYNCED with a tail", { BFD_EVENT_SYNCED, 1, 1 }, 3 },
		{ "STATE header only", { BFD_EVENT_STATE, 1, 0 }, 3 },
		{ "STATE truncated header", { BFD_EVENT_STATE, 1 }, 2 },
		{ "STATE alone", { BFD_EVENT_STATE }, 1 },
		{ "STATE length too long", { BFD_EVENT_STATE, 1, 4, 'a', 'b' }, 5 },
		{ "STATE length too short", { BFD_EVENT_STATE, 1, 1, 'a', 'b' }, 5 },
		{ "STATE state 2", { BFD_EVENT_STATE, 2, 1, 'a' }, 4 },
		{ "STATE NUL in name", { BFD_EVENT_STATE, 1, 3, 'a', 0, 'b' }, 6 },
		{ "STATE control in name", { BFD_EVENT_STATE, 0, 2, 'a', 1 }, 5 },
	};
	unsigned char big[BFD_EVENT_MAX + 40];
	char name[BFD_EVENT_NAME_MAX + 1];
	bool up;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		raw(sv[0], bad[i].b, bad[i].len);
		/* each is dropped alone: the next message still decodes */
		assert_int_equal(bfd_event_send_state(sv[0], "ok", true), 0);
		up = false;
		if (recv1(sv[1], name, &up) != BFD_EVENT_BAD)
			fail_msg("%s: not BAD", bad[i].what);
		assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_STATE);
		assert_string_equal(name, "ok");
		assert_true(up);
	}
	/* larger than any message, even with a valid header */
	memset(big, 'x', sizeof(big));
	big[0] = BFD_EVENT_STATE;
	big[1] = 1;
	big[2] = BFD_EVENT_NAME_MAX;
	raw(sv[0], big, sizeof(big));
	raw(sv[0], big, BFD_EVENT_MAX + 1);
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_BAD);
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_BAD);
	/* a name longer than the limit, length byte consistent */
	big[2] = BFD_EVENT_NAME_MAX + 1;
	raw(sv[0], big, 3 + BFD_EVENT_NAME_MAX + 1);
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_BAD);
	/* no buffer for the name */
	assert_int_equal(bfd_event_send_state(sv[0], "x", true), 0);
	assert_int_equal(bfd_event_recv(sv[1], NULL, 0, &up), BFD_EVENT_BAD);
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_NONE);
}

static void test_eagain_and_closed(void **state)
{
	char name[BFD_EVENT_NAME_MAX + 1];
	bool up;
	int sent = 0, rc;

	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_NONE);
	/* a consumer that does not read: the sender is told, never blocked */
	while ((rc = bfd_event_send_state(sv[0], "flood", sent & 1)) == 0 && sent < 1000000)
		sent++;
	assert_int_equal(rc, -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	assert_true(sent > 0);
	assert_int_equal(bfd_event_send_synced(sv[0]), -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	/* what was queued is still readable in order */
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_STATE);
	assert_false(up);
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_STATE);
	assert_true(up);

	/* the peer goes: queued messages first, then CLOSED, and no SIGPIPE
	 * (the peer leaves nothing unread: that would reset the channel) */
	close(sv[0]);
	sv[0] = -1;
	for (int i = 2; i < sent; i++)
		assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_STATE);
	assert_int_equal(recv1(sv[1], name, &up), BFD_EVENT_CLOSED);
	assert_int_equal(bfd_event_send_sync(sv[1]), -1);
	assert_int_equal(errno, EPIPE);
	/* a bad descriptor is CLOSED too */
	assert_int_equal(bfd_event_recv(-1, name, sizeof(name), &up), BFD_EVENT_CLOSED);
}

/* ---- the consumers' table --------------------------------------------------------- */

struct seen {
	unsigned n;
	char name[8][BFD_EVENT_NAME_MAX + 1];
	bool up[8];
};

static void seen_cb(void *arg, const char *name, bool up)
{
	struct seen *s = arg;

	if (s->n < 8) {
		snprintf(s->name[s->n], sizeof(s->name[0]), "%s", name);
		s->up[s->n] = up;
	}
	s->n++;
}

static void break_cb(struct ev_loop *l, void *arg)
{
	ev_break(l);
}

/* Run the loop in short slices until *flag is set (by a callback) or a
 * generous limit passes. */
static void pump_until(const bool *flag)
{
	for (int i = 0; i < 500 && !*flag; i++) {
		struct ev_timer *t = NULL;

		ev_timer_add(loop, break_cb, NULL, 10000, &t);
		ev_run(loop);
		ev_cancel(&t);
	}
	assert_true(*flag);
}

/* The table has read everything queued so far: a marker session learnt. */
static bool marker_seen;
static struct seen *marker_target;
static char marker_name[32];

static void marker_cb(void *arg, const char *name, bool up)
{
	if (!strcmp(name, marker_name))
		marker_seen = true;
	else
		seen_cb(marker_target, name, up);
}

static void drain(int fd, unsigned i)
{
	snprintf(marker_name, sizeof(marker_name), "marker%u", i);
	marker_seen = false;
	assert_int_equal(bfd_event_send_state(fd, marker_name, true), 0);
	pump_until(&marker_seen);
}

static void test_table(void **state)
{
	struct seen s = { 0 };
	struct bfd_event_table_info info;
	char name[BFD_EVENT_NAME_MAX + 1];
	bool up;

	marker_target = &s;
	struct bfd_event_table *t = bfd_event_table_new(loop, sv[1], marker_cb, NULL);
	/* it asks for every state at once */
	assert_int_equal(recv1(sv[0], name, &up), BFD_EVENT_SYNC);
	assert_int_equal(bfd_event_table_state(t, "b1"), -1);

	assert_int_equal(bfd_event_send_state(sv[0], "b1", false), 0); /* learnt: reported */
	assert_int_equal(bfd_event_send_state(sv[0], "b1", false), 0); /* same: not reported */
	assert_int_equal(bfd_event_send_state(sv[0], "b2", true), 0);
	assert_int_equal(bfd_event_send_state(sv[0], "b1", true), 0);
	raw(sv[0], "\x01\x05", 2);                                      /* malformed */
	assert_int_equal(bfd_event_send_synced(sv[0]), 0);
	drain(sv[0], 1);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.name[0], "b1");
	assert_false(s.up[0]);
	assert_string_equal(s.name[1], "b2");
	assert_true(s.up[1]);
	assert_string_equal(s.name[2], "b1");
	assert_true(s.up[2]);
	assert_int_equal(bfd_event_table_state(t, "b1"), 1);
	assert_int_equal(bfd_event_table_state(t, "b2"), 1);
	assert_int_equal(bfd_event_table_changes(t, "b1"), 2);
	bfd_event_table_info(t, &info);
	assert_true(info.connected);
	assert_true(info.synced);
	assert_int_equal(info.sessions, 3); /* b1, b2, marker1 */
	assert_int_equal(info.states, 5);
	assert_int_equal(info.bad, 1);

	/* a respawned BFD child restates everything: only changes count */
	assert_int_equal(bfd_event_send_state(sv[0], "b1", true), 0);
	assert_int_equal(bfd_event_send_state(sv[0], "b2", false), 0);
	drain(sv[0], 2);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.name[3], "b2");
	assert_false(s.up[3]);

	/* the channel closes: the states stay, reading stops */
	close(sv[0]);
	sv[0] = -1;
	for (int i = 0; i < 20; i++) {
		struct ev_timer *tm = NULL;

		ev_timer_add(loop, break_cb, NULL, 5000, &tm);
		ev_run(loop);
		ev_cancel(&tm);
	}
	bfd_event_table_info(t, &info);
	assert_false(info.connected);
	assert_int_equal(bfd_event_table_state(t, "b1"), 1);
	assert_int_equal(bfd_event_table_state(t, "b2"), 0);
	bfd_event_table_free(t);

	/* no channel: an empty table */
	t = bfd_event_table_new(loop, -1, seen_cb, &s);
	assert_int_equal(bfd_event_table_state(t, "b1"), -1);
	bfd_event_table_info(t, &info);
	assert_false(info.connected);
	bfd_event_table_free(t);
	bfd_event_table_free(NULL);
	assert_int_equal(bfd_event_table_state(NULL, "b1"), -1);
}

/* ---- configurations ----------------------------------------------------------------- */

static void print_cfg(void *arg, enum cfg_level lvl, const char *msg)
{
	fprintf(stderr, "config: %s\n", msg);
}

static struct ka_config *parse(const char *text)
{
	struct cfg_diag diag = { .emit = print_cfg };
	struct ka_config *c = ka_config_parse_buf("test.conf", text, strlen(text), NULL, &diag);

	assert_non_null(c);
	assert_int_equal(c->errors, 0);
	return c;
}

static char logged[4096];

static void sink(int prio, const char *line, void *arg)
{
	size_t n = strlen(logged);

	snprintf(logged + n, sizeof(logged) - n, "%s\n", line);
}

/* ---- track_bfd in the VRRP child ---------------------------------------------------- */

static const char vrrp_text[] =
	"bfd_instance down_fault { neighbor_ip 10.0.0.1 }\n"
	"bfd_instance weighted { neighbor_ip 10.0.0.2\n weight -30 }\n"
	"bfd_instance rev { neighbor_ip 10.0.0.3\n weight 10 reverse }\n"
	"bfd_instance only_checker { neighbor_ip 10.0.0.4\n checker }\n"
	"bfd_instance untracked { neighbor_ip 10.0.0.5 }\n"
	"vrrp_instance A {\n interface lo\n virtual_router_id 1\n priority 100\n"
	" virtual_ipaddress { 10.9.9.1 }\n track_bfd {\n  down_fault\n }\n}\n"
	"vrrp_instance B {\n interface lo\n virtual_router_id 2\n priority 100\n"
	" virtual_ipaddress { 10.9.9.2 }\n track_bfd {\n  weighted\n  rev\n  only_checker\n }\n}\n"
	"vrrp_instance C {\n interface lo\n virtual_router_id 3\n priority 100\n"
	" virtual_ipaddress { 10.9.9.3 }\n track_bfd {\n  weighted weight 20\n }\n}\n";

struct vcb {
	bool fired;
	unsigned n;
	enum vrrp_track_kind kind;
	const void *cfg;
};

static void vrrp_changed(void *arg, enum vrrp_track_kind kind, const void *cfg)
{
	struct vcb *v = arg;

	v->fired = true;
	v->n++;
	v->kind = kind;
	v->cfg = cfg;
}

static int prio_of(const struct vrrp_bfd *b, const struct vrrp_cfg *v, const char *inst,
		   bool *fault)
{
	struct vrrp_track_lookup lk = { 0 };
	const struct vrrp_instance_cfg *c = vrrp_cfg_find_instance(v, inst);

	assert_non_null(c);
	vrrp_bfd_lookup_init(&lk, b);
	return vrrp_track_priority(&c->tracks, c->priority, fault, &lk);
}

static const struct vrrp_bfd_cfg *bfd_named(const struct vrrp_cfg *v, const char *name)
{
	cfg_list_for_each(const struct vrrp_bfd_cfg, c, &v->bfds)
		if (!strcmp(c->name, name))
			return c;
	fail_msg("no bfd_instance %s", name);
	return NULL;
}

/* Send one state and run the loop until the engine callback fires. */
static void vrrp_tell(struct vcb *cb, const char *name, bool up)
{
	cb->fired = false;
	assert_int_equal(bfd_event_send_state(sv[0], name, up), 0);
	pump_until(&cb->fired);
}

static void test_vrrp_track_bfd(void **state)
{
	struct ka_config *c;
	struct vcb cb = { 0 };
	bool fault = false;
	char name[BFD_EVENT_NAME_MAX + 1];
	bool up;

	logged[0] = '\0';
	log_set_sink(sink, NULL);
	c = parse(vrrp_text);
	struct vrrp_bfd *b = vrrp_bfd_start(loop, sv[1], c->vrrp, vrrp_changed, &cb);
	assert_non_null(strstr(logged, "track_bfd only_checker: that bfd_instance only informs "
				       "the checker, ignored"));
	assert_int_equal(recv1(sv[0], name, &up), BFD_EVENT_SYNC);

	/* every session Down until told: unweighted is FAULT, weights apply */
	assert_int_equal(prio_of(b, c->vrrp, "A", &fault), 100);
	assert_true(fault);
	/* B: weighted -30 while down; rev (+10 reversed) adds nothing while down */
	assert_int_equal(prio_of(b, c->vrrp, "B", &fault), 70);
	assert_false(fault);
	/* C: the line's weight 20 overrides the instance's -30: nothing while down */
	assert_int_equal(prio_of(b, c->vrrp, "C", &fault), 100);
	assert_int_equal(vrrp_bfd_status(b, bfd_named(c->vrrp, "only_checker")),
			 VRRP_TRACK_UNKNOWN);

	/* first news of a session being Down is no news: the engine is not woken */
	assert_int_equal(bfd_event_send_state(sv[0], "down_fault", false), 0);
	vrrp_tell(&cb, "down_fault", true);
	assert_int_equal(cb.n, 1);
	assert_int_equal(cb.kind, VRRP_TRACK_KIND_BFD);
	assert_ptr_equal(cb.cfg, bfd_named(c->vrrp, "down_fault"));
	assert_int_equal(prio_of(b, c->vrrp, "A", &fault), 100);
	assert_false(fault);

	vrrp_tell(&cb, "weighted", true);
	assert_int_equal(prio_of(b, c->vrrp, "B", &fault), 100);
	assert_int_equal(prio_of(b, c->vrrp, "C", &fault), 120);
	vrrp_tell(&cb, "rev", true);
	assert_int_equal(prio_of(b, c->vrrp, "B", &fault), 90);
	vrrp_tell(&cb, "down_fault", false);
	assert_int_equal(prio_of(b, c->vrrp, "A", &fault), 100);
	assert_true(fault);

	/* sessions no instance tracks (or not sent to VRRP) do not wake the engine */
	cb.n = 0;
	assert_int_equal(bfd_event_send_state(sv[0], "untracked", true), 0);
	assert_int_equal(bfd_event_send_state(sv[0], "only_checker", true), 0);
	vrrp_tell(&cb, "rev", false);
	assert_int_equal(cb.n, 1);
	assert_ptr_equal(cb.cfg, bfd_named(c->vrrp, "rev"));

	/* dump and JSON show the tracked sessions */
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	vrrp_bfd_dump(b, out);
	const struct vrrp_instance_cfg *ib = vrrp_cfg_find_instance(c->vrrp, "B");
	vrrp_bfd_json(b, &ib->tracks, NULL, out);
	fclose(out);
	assert_non_null(strstr(buf, " Tracked BFD = down_fault\n   Status = DOWN\n"));
	assert_non_null(strstr(buf, " Tracked BFD = weighted\n   Status = UP\n"));
	assert_null(strstr(buf, "Tracked BFD = untracked"));
	assert_non_null(strstr(buf, "BFD event channel = open"));
	assert_non_null(strstr(buf, ",\"track_bfd\":[{\"name\":\"weighted\","
				    "\"status\":\"UP\",\"weight\":-30,\"reverse\":0},"
				    "{\"name\":\"rev\",\"status\":\"DOWN\",\"weight\":10,"
				    "\"reverse\":1},{\"name\":\"only_checker\",\"status\":"
				    "\"IGNORED\""));
	free(buf);

	/* a reload keeps what is known */
	struct ka_config *c2 = parse(vrrp_text);
	vrrp_bfd_reload(b, c2->vrrp);
	assert_int_equal(prio_of(b, c2->vrrp, "C", &fault), 120);
	vrrp_bfd_stop(b);
	vrrp_bfd_stop(NULL);
	/* without the runtime every session is Down */
	assert_int_equal(prio_of(NULL, c2->vrrp, "A", &fault), 100);
	assert_true(fault);
	ka_config_free(c);
	ka_config_free(c2);
	log_set_sink(NULL, NULL);
}

/* ---- BFD_CHECK in the checker child ------------------------------------------------- */

static const char check_text[] =
	"bfd_instance s1 { neighbor_ip 10.0.0.1 }\n"
	"bfd_instance s2 { neighbor_ip 10.0.0.2\n checker }\n"
	"bfd_instance v_only { neighbor_ip 10.0.0.3\n vrrp }\n"
	"virtual_server 10.1.1.1 80 {\n delay_loop 30\n warmup 0\n"
	" real_server 10.2.2.1 80 {\n  retry 3\n  BFD_CHECK {\n   name s1\n  }\n }\n"
	" real_server 10.2.2.2 80 {\n  alpha\n  BFD_CHECK {\n   name s2\n  }\n }\n"
	" real_server 10.2.2.3 80 {\n  BFD_CHECK {\n   name v_only\n   alpha\n  }\n }\n"
	" real_server 10.2.2.4 80 {\n  BFD_CHECK {\n   name s1\n  }\n  BFD_CHECK {\n   name s2\n"
	"  }\n }\n"
	"}\n";

static unsigned vs_changes;

static void vs_changed(void *arg, const struct check_vs *vs, const struct check_ipvs_health *h)
{
	vs_changes++;
}

static bool rs_alive(const struct check_run *r, size_t i)
{
	const struct check_ipvs_health *h;

	assert_non_null(check_run_vs(r, 0, &h));
	assert_true(i < h->nrs);
	return h->rs[i].alive;
}

/* Send one state and run the loop until real server rs is as wanted. */
static void check_tell(const struct check_run *r, const char *name, bool up, size_t rs,
		       bool want)
{
	assert_int_equal(bfd_event_send_state(sv[0], name, up), 0);
	for (int i = 0; i < 500 && rs_alive(r, rs) != want; i++) {
		struct ev_timer *t = NULL;

		ev_timer_add(loop, break_cb, NULL, 10000, &t);
		ev_run(loop);
		ev_cancel(&t);
	}
	assert_int_equal(rs_alive(r, rs), want);
}

static void test_check_outcome(void **state)
{
	struct ka_config *c = parse(check_text);
	const struct check_vs *vs = (const struct check_vs *)(void *)c->check->vs.head;
	const struct check_rs *r1 = (const struct check_rs *)(void *)vs->rs.head;
	const struct check_rs *r2 = (const struct check_rs *)(void *)r1->node.next;
	const struct check_probe *p1 = (const struct check_probe *)(void *)r1->probes.head;
	const struct check_probe *p2 = (const struct check_probe *)(void *)r2->probes.head;
	char d[160];
	struct check_outcome o;

	/* no retry for an event-driven checker, whatever the real server says */
	assert_int_equal(p1->retry, 0);
	/* nothing known: the alpha rule */
	o = check_bfd_outcome(NULL, p1, d, sizeof(d));
	assert_int_equal(o.result, CHECK_OK);
	assert_non_null(strstr(d, "ignored"));
	struct check_bfd_states *b = check_bfd_start(loop, -1, c->vrrp, c->check);
	o = check_bfd_outcome(b, p1, d, sizeof(d));
	assert_int_equal(o.result, CHECK_OK);
	assert_string_equal(o.detail, "no state received yet for BFD session s1");
	o = check_bfd_outcome(b, p2, d, sizeof(d));
	assert_int_equal(o.result, CHECK_L4CON);
	assert_int_equal(o.weight, -1);
	assert_int_equal(check_bfd_state(b, "s1"), -1);
	check_bfd_stop(b);
	ka_config_free(c);
}

static void test_check_bfd(void **state)
{
	struct ka_config *c;
	char name[BFD_EVENT_NAME_MAX + 1];
	bool up;

	logged[0] = '\0';
	log_set_sink(sink, NULL);
	c = parse(check_text);
	struct check_bfd_states *b = check_bfd_start(loop, sv[1], c->vrrp, c->check);
	assert_non_null(strstr(logged, "BFD_CHECK: no bfd_instance v_only informs the checker"));
	struct check_probe_env env = { .vrrp = c->vrrp, .bfd = b };
	check_probe_set_env(&env);
	struct check_notify *notify = check_notify_new(loop, c->global);
	struct check_run_hooks hooks = { .vs_changed = vs_changed };
	struct check_run *run = check_run_new(loop, c->check, c->global, notify, &hooks);
	check_bfd_attach(b, run);
	assert_int_equal(recv1(sv[0], name, &up), BFD_EVENT_SYNC);

	/* initial states by the alpha rule, before anything is known */
	assert_true(rs_alive(run, 0));
	assert_false(rs_alive(run, 1));
	assert_true(rs_alive(run, 3));

	/* Down is applied at once despite "retry 3" */
	check_tell(run, "s1", false, 0, false);
	assert_false(rs_alive(run, 3));
	check_tell(run, "s2", true, 1, true);
	assert_false(rs_alive(run, 3)); /* still needs s1 */
	check_tell(run, "s1", true, 0, true);
	assert_true(rs_alive(run, 3));
	check_tell(run, "s2", false, 1, false);
	assert_false(rs_alive(run, 3));
	assert_true(rs_alive(run, 0));

	/* a state for a VRRP-only session is ignored: its checker always passes */
	assert_true(rs_alive(run, 2));
	assert_int_equal(bfd_event_send_state(sv[0], "v_only", false), 0);
	check_tell(run, "s2", true, 1, true);
	assert_true(rs_alive(run, 2));
	assert_true(vs_changes > 0);

	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	check_bfd_dump(b, out);
	fclose(out);
	assert_non_null(strstr(buf, " BFD session = s1\n   Status = UP\n"));
	assert_non_null(strstr(buf, " BFD session = v_only\n   Status = IGNORED"));
	assert_non_null(strstr(buf, "BFD event channel = open"));
	free(buf);

	/* reload: a new probe of a known session takes its state at once */
	struct ka_config *c2 = parse(
		"bfd_instance s1 { neighbor_ip 10.0.0.1 }\n"
		"virtual_server 10.1.1.1 80 {\n delay_loop 30\n"
		" real_server 10.2.2.9 80 {\n  alpha\n  BFD_CHECK {\n   name s1\n  }\n }\n}\n");
	check_run_reload(run, c2->check, c2->global);
	env.vrrp = c2->vrrp;
	check_probe_set_env(&env);
	check_bfd_reload(b, c2->vrrp, c2->check);
	assert_true(rs_alive(run, 0));
	check_tell(run, "s1", false, 0, false);

	check_bfd_attach(b, NULL);
	check_run_free(run, false);
	check_notify_stop(notify);
	check_probe_set_env(NULL);
	check_bfd_stop(b);
	ka_config_free(c);
	ka_config_free(c2);
	log_set_sink(NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_every_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eagain_and_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vrrp_track_bfd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_outcome, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_bfd, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
