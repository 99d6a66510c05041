/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_check_run.c - probe timing, retries, alpha, sharing, reload, notifies (fake probe) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "check/check_cfg.h"
#include "check/check_notify.h"
#include "check/check_run.h"
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "util.h"

#define MS 1000ull

/* ---- a fake probe kind: the outcome is chosen per target port ---- */

#define MAX_STARTS 64

struct fake_target {
	enum check_result result;
	int weight;
	uint64_t delay;              /* how long an attempt takes */
	unsigned starts, cancels;
	uint64_t at[MAX_STARTS];     /* ev_now() of each start */
};

static struct fake_target targets[65536];

struct fake_attempt {
	struct ev_timer *t;
	check_attempt_done_fn done;
	void *arg;
	unsigned port;
};

static void fake_fire_cb(struct ev_loop *loop, void *arg)
{
	struct fake_attempt *a = arg;
	struct fake_target *ft = &targets[a->port];
	struct check_outcome o = { .result = ft->result, .weight = ft->weight,
				   .detail = ft->result == CHECK_OK ? "" : "fake failure" };
	check_attempt_done_fn done = a->done;
	void *darg = a->arg;
	free(a);
	done(darg, &o);
}

static struct check_attempt *fake_start(struct ev_loop *loop, const struct check_probe *p,
					check_attempt_done_fn done, void *arg)
{
	struct fake_attempt *a = xcalloc(1, sizeof(*a));
	struct fake_target *ft = &targets[p->conn.connect_port];
	a->done = done;
	a->arg = arg;
	a->port = p->conn.connect_port;
	if (ft->starts < MAX_STARTS)
		ft->at[ft->starts] = ev_now(loop);
	ft->starts++;
	ev_timer_add(loop, fake_fire_cb, a, ft->delay, &a->t);
	return (struct check_attempt *)(void *)a;
}

static void fake_cancel(struct check_attempt *att)
{
	struct fake_attempt *a = (struct fake_attempt *)(void *)att;
	targets[a->port].cancels++;
	ev_cancel(&a->t);
	free(a);
}

static const struct check_probe_ops fake_ops = {
	.kind = CHECK_TCP, .name = "TCP_CHECK", .start = fake_start, .cancel = fake_cancel,
};

static const struct check_probe_ops *fake_ops_for(enum check_kind k)
{
	return k == CHECK_TCP ? &fake_ops : NULL;
}

/* ---- fixture ---- */

struct change {
	uint64_t at;
	const struct check_vs *vs;
	bool alive0;
	unsigned weight0;
	bool quorum;
};

static struct ev_loop *loop;
static struct ka_config *cfg, *cfg2;
static struct check_notify *notify;
static struct check_run *run;
static struct change changes[64];
static unsigned nchanges;
static bool local_addr = true;
static char tmpdir[64];

static void changed_cb(void *arg, const struct check_vs *vs, const struct check_ipvs_health *h)
{
	if (nchanges < 64)
		changes[nchanges++] = (struct change){
			.at = ev_now(loop), .vs = vs, .alive0 = h->nrs && h->rs[0].alive,
			.weight0 = h->nrs ? h->rs[0].weight : 0, .quorum = h->quorum_up,
		};
}

static bool is_local(void *arg, const struct ka_addr *a)
{
	return local_addr;
}

static void quiet_cfg(void *arg, enum cfg_level lvl, const char *msg)
{
	fprintf(stderr, "config: %s\n", msg);
}

static struct ka_config *parse(const char *text)
{
	struct cfg_diag diag = { .emit = quiet_cfg };
	struct ka_config *c = ka_config_parse_buf("test.conf", text, strlen(text), NULL, &diag);
	assert_non_null(c);
	assert_int_equal(c->errors, 0);
	return c;
}

static const struct check_run_hooks hooks = {
	.vs_changed = changed_cb, .ops_for = fake_ops_for, .addr_is_local = is_local,
};

static void start(const char *text)
{
	cfg = parse(text);
	notify = check_notify_new(loop, cfg->global);
	run = check_run_new(loop, cfg->check, cfg->global, notify, &hooks);
}

static void break_cb(struct ev_loop *l, void *arg)
{
	ev_break(l);
}

static uint64_t t0;

/* Run the loop until `ms` milliseconds after t0. */
static void run_until(uint64_t ms)
{
	uint64_t now = ev_now(loop), end = t0 + ms * MS;
	if (end <= now)
		return;
	struct ev_timer *t = NULL;
	ev_timer_add(loop, break_cb, NULL, end - now, &t);
	ev_run(loop);
	ev_cancel(&t);
}

static int setup(void **state)
{
	memset(targets, 0, sizeof(targets));
	for (size_t i = 0; i < 65536; i++)
		targets[i].weight = -1;
	nchanges = 0;
	local_addr = true;
	loop = ev_loop_new();
	assert_non_null(loop);
	t0 = mono_usec();
	return 0;
}

static int teardown(void **state)
{
	check_run_free(run, false);
	run = NULL;
	check_notify_stop(notify);
	notify = NULL;
	ka_config_free(cfg);
	ka_config_free(cfg2);
	cfg = cfg2 = NULL;
	ev_loop_free(loop);
	loop = NULL;
	if (tmpdir[0]) {
		char path[128];
		snprintf(path, sizeof(path), "%s/fifo", tmpdir);
		unlink(path);
		rmdir(tmpdir);
		tmpdir[0] = '\0';
	}
	return 0;
}

/* Start times of port's attempts relative to t0, in ms. */
static uint64_t start_ms(unsigned port, unsigned i)
{
	assert_true(i < targets[port].starts);
	return (targets[port].at[i] - t0) / MS;
}

#define TIMING "delay_loop 0.3\n delay_before_retry 0.1\n warmup 0\n connect_timeout 1\n"

#define ONE_VS(opts, rs_opts)                                                       \
	"virtual_server 10.0.0.1 80 {\n " TIMING opts                                   \
	" real_server 127.0.0.1 1001 {\n" rs_opts " TCP_CHECK { retry 2 } }\n}\n"

/* ---- tests ---- */

/* UP by default; a failing server is retried twice, 100 ms apart, then
 * DOWN; then it is tried every delay_loop; one success brings it back. */
static void test_retry_then_down(void **state)
{
	targets[1001].result = CHECK_L4CON;
	targets[1001].delay = 10 * MS;
	start(ONE_VS("", ""));
	const struct check_ipvs_health *h;
	check_run_vs(run, 0, &h);
	assert_true(h->rs[0].alive);
	run_until(250);
	assert_int_equal(targets[1001].starts, 3);
	assert_in_range(start_ms(1001, 0), 0, 150);
	assert_in_range(start_ms(1001, 1) - start_ms(1001, 0), 100, 400);
	assert_in_range(start_ms(1001, 2) - start_ms(1001, 1), 100, 400);
	/* DOWN only after the third failure: one health change. */
	assert_int_equal(nchanges, 1);
	assert_false(changes[0].alive0);
	assert_false(changes[0].quorum);
	assert_in_range((changes[0].at - t0) / MS, 200, 700);
	/* While DOWN: every delay_loop, no retries. */
	run_until(900);
	assert_int_equal(targets[1001].starts, 5);
	assert_in_range(start_ms(1001, 3) - start_ms(1001, 2), 300, 650);
	assert_in_range(start_ms(1001, 4) - start_ms(1001, 3), 300, 650);
	/* The server comes back: UP at the next attempt. */
	targets[1001].result = CHECK_OK;
	run_until(1300);
	assert_int_equal(nchanges, 2);
	assert_true(changes[1].alive0);
	assert_true(changes[1].quorum);
}

/* alpha: DOWN from the start; the first success brings it UP at once. */
static void test_alpha(void **state)
{
	targets[1001].result = CHECK_L4CON;
	start(ONE_VS(" alpha\n", ""));
	const struct check_ipvs_health *h;
	check_run_vs(run, 0, &h);
	assert_false(h->rs[0].alive);
	assert_false(h->quorum_up);
	/* Retries apply before the first result, even when DOWN. */
	run_until(250);
	assert_int_equal(targets[1001].starts, 3);
	assert_int_equal(nchanges, 0);
	targets[1001].result = CHECK_OK;
	run_until(600);
	assert_int_equal(nchanges, 1);
	assert_true(changes[0].alive0);
	assert_true(changes[0].quorum);
}

/* The same probe in two virtual servers runs once and serves both. */
static void test_shared_probe(void **state)
{
	targets[1001].result = CHECK_L4CON;
	start(ONE_VS("", "") "virtual_server 10.0.0.2 80 {\n " TIMING
	      " real_server 127.0.0.1 1001 {\n TCP_CHECK { retry 2 } }\n}\n"
	      "virtual_server 10.0.0.3 80 {\n " TIMING
	      " real_server 127.0.0.1 1001 {\n TCP_CHECK { retry 1 } }\n}\n");
	/* The third differs in retry: a probe of its own. */
	assert_int_equal(check_run_probe_count(run), 2);
	run_until(250);
	/* 3 attempts of the shared probe, 2 of the other. */
	assert_int_equal(targets[1001].starts, 5);
	unsigned for_vs[3] = { 0 };
	for (unsigned i = 0; i < nchanges; i++) {
		const struct check_ipvs_health *h;
		for (size_t v = 0; v < 3; v++)
			if (check_run_vs(run, v, &h) == changes[i].vs)
				for_vs[v]++;
		assert_false(changes[i].alive0);
	}
	assert_int_equal(for_vs[0], 1);
	assert_int_equal(for_vs[1], 1);
	assert_int_equal(for_vs[2], 1);
}

/* misc_dynamic-style weights change the health without a flip. */
static void test_dynamic_weight(void **state)
{
	targets[1001].result = CHECK_OK;
	targets[1001].weight = 7;
	start(ONE_VS("", " weight 2\n"));
	const struct check_ipvs_health *h;
	check_run_vs(run, 0, &h);
	assert_int_equal(h->rs[0].weight, 2);
	run_until(50);
	assert_int_equal(nchanges, 1);
	assert_true(changes[0].alive0);
	assert_int_equal(changes[0].weight0, 7);
	/* Same weight again: nothing to do. */
	run_until(400);
	assert_int_equal(targets[1001].starts, 2);
	assert_int_equal(nchanges, 1);
}

/* Quorum with hysteresis over two servers, and the event FIFO lines. */
static void test_quorum_and_fifo(void **state)
{
	char path[128], conf[2048], buf[1024];
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_check_run.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	targets[1001].result = CHECK_L4CON;
	targets[1002].result = CHECK_OK;
	snprintf(conf, sizeof(conf),
		 "global_defs {\n lvs_notify_fifo %s\n}\n"
		 "virtual_server 10.0.0.1 80 {\n " TIMING " quorum 3\n hysteresis 1\n"
		 " real_server 127.0.0.1 1001 {\n weight 2\n TCP_CHECK { retry 0 } }\n"
		 " real_server 127.0.0.1 1002 {\n weight 2\n TCP_CHECK { retry 0 } }\n}\n",
		 path);
	start(conf);
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	run_until(100);
	/* 2 left >= quorum 3 - hysteresis 1: still up. */
	assert_int_equal(nchanges, 1);
	assert_true(changes[0].quorum);
	targets[1002].result = CHECK_L4CON;
	run_until(400);
	assert_int_equal(nchanges, 2);
	assert_false(changes[1].quorum);
	/* Back to 2: not enough to regain (needs 3 + 1). Wait for the UP line
	 * (bounded) rather than a fixed time: a loaded machine runs late. */
	targets[1001].result = CHECK_OK;
	size_t have = 0;
	for (uint64_t until = 700; until <= 5000; until += 100) {
		run_until(until);
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n > 0)
			have += (size_t)n;
		buf[have] = '\0';
		if (strstr(buf, "RS [127.0.0.1]:tcp:1001 [10.0.0.1]:tcp:80 UP\n"))
			break;
	}
	close(fd);
	assert_false(changes[nchanges - 1].quorum);
	assert_non_null(strstr(buf, "RS [127.0.0.1]:tcp:1001 [10.0.0.1]:tcp:80 DOWN\n"));
	assert_non_null(strstr(buf, "RS [127.0.0.1]:tcp:1002 [10.0.0.1]:tcp:80 DOWN\n"));
	assert_non_null(strstr(buf, "VS [10.0.0.1]:tcp:80 DOWN\n"));
	assert_non_null(strstr(buf, "RS [127.0.0.1]:tcp:1001 [10.0.0.1]:tcp:80 UP\n"));
	assert_null(strstr(buf, "VS [10.0.0.1]:tcp:80 UP\n"));
}

/* rs_init_notifies: every initial state is reported once, at start. */
static void test_init_notifies(void **state)
{
	char path[128], conf[1024], buf[1024];
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_check_run.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	snprintf(conf, sizeof(conf), "global_defs {\n rs_init_notifies\n notify_fifo %s\n}\n"
		 ONE_VS("", "") "virtual_server 10.0.0.2 80 {\n alpha\n " TIMING
		 " real_server 127.0.0.1 1002 {\n TCP_CHECK { } }\n}\n", path);
	targets[1001].delay = targets[1002].delay = 500 * MS; /* no result yet */
	start(conf);
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	run_until(100);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "RS [127.0.0.1]:tcp:1001 [10.0.0.1]:tcp:80 UP\n"
				 "VS [10.0.0.1]:tcp:80 UP\n"
				 "RS [127.0.0.1]:tcp:1002 [10.0.0.2]:tcp:80 DOWN\n"
				 "VS [10.0.0.2]:tcp:80 DOWN\n");
}

/* A reload keeps identical probes (state, timers) and starts new ones in
 * the state of their real server. */
static void test_reload_keeps_state(void **state)
{
	targets[1001].result = CHECK_L4CON;
	targets[1002].result = CHECK_L4CON;
	start(ONE_VS("", ""));
	run_until(250);
	const struct check_ipvs_health *h;
	check_run_vs(run, 0, &h);
	assert_false(h->rs[0].alive);
	unsigned before = targets[1001].starts;
	/* Same server, same probe, plus a new server and a changed timing on
	 * a server that did not exist. */
	cfg2 = parse(ONE_VS("", "") "virtual_server 10.0.0.9 80 {\n " TIMING
		     " real_server 127.0.0.1 1002 {\n TCP_CHECK { retry 0 } }\n}\n");
	check_run_reload(run, cfg2->check, cfg2->global);
	struct ka_config *old = cfg;
	cfg = cfg2;
	cfg2 = old;
	ka_config_free(cfg2);
	cfg2 = NULL;
	assert_int_equal(check_run_vs_count(run), 2);
	assert_int_equal(check_run_probe_count(run), 2);
	check_run_vs(run, 0, &h);
	assert_false(h->rs[0].alive);     /* kept DOWN, no new attempt yet */
	assert_int_equal(targets[1001].starts, before);
	check_run_vs(run, 1, &h);
	assert_true(h->rs[0].alive);      /* new server, not alpha: UP */
	unsigned n0 = nchanges;
	run_until(560);
	/* The kept probe keeps its DOWN-state period; the new one goes down. */
	assert_int_equal(targets[1001].starts, before + 1);
	assert_true(nchanges > n0);
	assert_false(changes[nchanges - 1].alive0);
}

/* An attempt in flight during a reload is restarted on the new probe. */
static void test_reload_in_flight(void **state)
{
	targets[1001].result = CHECK_OK;
	targets[1001].delay = 200 * MS;
	start(ONE_VS("", ""));
	run_until(50);
	assert_int_equal(targets[1001].starts, 1);
	cfg2 = parse(ONE_VS("", ""));
	check_run_reload(run, cfg2->check, cfg2->global);
	ka_config_free(cfg);
	cfg = cfg2;
	cfg2 = NULL;
	assert_int_equal(targets[1001].cancels, 1);
	run_until(100);
	assert_int_equal(targets[1001].starts, 2);
}

/* ha_suspend: no probe runs while the address is not local. */
static void test_ha_suspend(void **state)
{
	local_addr = false;
	start(ONE_VS(" ha_suspend\n", "") "virtual_server 10.0.0.2 80 {\n " TIMING
	      " real_server 127.0.0.1 1002 {\n TCP_CHECK { retry 2 } }\n}\n");
	run_until(400);
	assert_int_equal(targets[1001].starts, 0);
	assert_true(targets[1002].starts >= 1);
	local_addr = true;
	run_until(1300);
	assert_true(targets[1001].starts >= 1);
}

/* warmup spreads first attempts over [0, warmup]. */
static void test_warmup_spread(void **state)
{
	char conf[8192];
	size_t off = (size_t)snprintf(conf, sizeof(conf),
				      "virtual_server 10.0.0.1 80 {\n delay_loop 10\n warmup 0.5\n");
	for (unsigned i = 0; i < 40; i++)
		off += (size_t)snprintf(conf + off, sizeof(conf) - off,
					" real_server 127.0.0.1 %u { TCP_CHECK { } }\n", 2000 + i);
	snprintf(conf + off, sizeof(conf) - off, "}\n");
	start(conf);
	assert_int_equal(check_run_probe_count(run), 40);
	run_until(600);
	uint64_t lo = UINT64_MAX, hi = 0;
	for (unsigned i = 0; i < 40; i++) {
		assert_int_equal(targets[2000 + i].starts, 1);
		uint64_t t = start_ms(2000 + i, 0);
		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
	}
	assert_true(hi <= 560);
	assert_true(hi - lo >= 150); /* not all at once */
}

int main(void)
{
	log_init("test_check_run", &(struct log_opts){ .no_syslog = true, .console = false });
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_retry_then_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alpha, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dynamic_weight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quorum_and_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_notifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_in_flight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ha_suspend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warmup_spread, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
