/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe_tool.c - run one attempt of each checker of a real server from a keepalived.conf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ev.h"
#include "log.h"
#include "util.h"
#include "daemon/config.h"
#include "check/check_cfg.h"
#include "check/check_probe.h"

/*
 * Usage: probe_tool [-C MS] [-i N] CONFIG ADDRESS [PORT]
 *
 * Loads CONFIG, finds the first real_server ADDRESS [PORT] and runs one
 * attempt of each of its checkers (only the N-th with -i), one after the
 * other, printing per attempt:
 *   KIND RESULT weight=W ms=ELAPSED detail=TEXT
 * With -C MS every attempt is cancelled MS milliseconds after its start
 * if it has not reported by then; "KIND CANCELLED" is printed and the
 * done callback must never run afterwards. Exit status: 0 when every
 * attempt ran (whatever the results), 1 on usage or configuration errors.
 */

struct run {
	struct ev_loop *loop;
	const struct check_probe *p;
	struct check_attempt *a;
	struct ev_timer *cancel_t;
	uint64_t start;
	bool reported, cancelled;
};

static void diag_emit(void *arg, enum cfg_level lvl, const char *msg)
{
	fprintf(stderr, "%s\n", msg);
}

static void done_cb(void *arg, const struct check_outcome *o)
{
	struct run *r = arg;
	if (r->cancelled || r->reported) {
		printf("%s BUG done called after cancel or twice\n", check_kind_name(r->p->kind));
		exit(3);
	}
	r->reported = true;
	ev_cancel(&r->cancel_t);
	printf("%s %s weight=%d ms=%llu detail=%s\n", check_kind_name(r->p->kind),
	       check_result_str(o->result), o->weight,
	       (unsigned long long)((mono_usec() - r->start) / 1000), o->detail);
	fflush(stdout);
	ev_break(r->loop);
}

static void cancel_cb(struct ev_loop *loop, void *arg)
{
	struct run *r = arg;
	check_probe_ops_for(r->p->kind)->cancel(r->a);
	r->cancelled = true;
	printf("%s CANCELLED\n", check_kind_name(r->p->kind));
	fflush(stdout);
	ev_break(loop);
}

/* Let the loop run a little longer: a done after cancel would show here. */
static void settle_cb(struct ev_loop *loop, void *arg)
{
	ev_break(loop);
}

static void run_one(struct ev_loop *loop, const struct check_probe *p, long cancel_ms)
{
	const struct check_probe_ops *ops = check_probe_ops_for(p->kind);
	if (!ops) {
		printf("%s UNSUPPORTED\n", check_kind_name(p->kind));
		return;
	}
	struct run r = { .loop = loop, .p = p, .start = mono_usec() };
	r.a = ops->start(loop, p, done_cb, &r);
	if (cancel_ms >= 0)
		ev_timer_add(loop, cancel_cb, &r, (uint64_t)cancel_ms * 1000, &r.cancel_t);
	ev_run(loop);
	if (r.cancelled) {
		struct ev_timer *t = NULL;
		ev_timer_add(loop, settle_cb, NULL, 300000, &t);
		ev_run(loop);
	}
}

static const struct check_rs *find_rs(const struct check_cfg *c, const struct ka_addr *addr,
				      long port)
{
	cfg_list_for_each(const struct check_vs, vs, &c->vs)
		cfg_list_for_each(const struct check_rs, rs, &vs->rs)
			if (ka_addr_equal(&rs->addr, addr) && (port < 0 || rs->port == port))
				return rs;
	return NULL;
}

int main(int argc, char **argv)
{
	long cancel_ms = -1, only = 0;
	int opt;
	while ((opt = getopt(argc, argv, "C:i:")) != -1) {
		if (opt == 'C')
			cancel_ms = atol(optarg);
		else if (opt == 'i')
			only = atol(optarg);
		else
			return 1;
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: %s [-C MS] [-i N] CONFIG ADDRESS [PORT]\n", argv[0]);
		return 1;
	}
	struct log_opts lo = { .facility = LOG_DAEMON, .console = true, .no_syslog = true };
	log_init("probe_tool", &lo);
	struct cfg_diag diag = { .emit = diag_emit };
	struct cfg_read_opts ro = { 0 };
	struct ka_config *c = ka_config_load(argv[optind], &ro, &diag);
	if (!c || c->errors)
		return 1;
	struct ka_addr addr;
	if (ka_addr_parse(argv[optind + 1], false, &addr) < 0)
		return 1;
	long port = argc - optind > 2 ? atol(argv[optind + 2]) : -1;
	const struct check_rs *rs = find_rs(c->check, &addr, port);
	if (!rs) {
		fprintf(stderr, "no real_server %s\n", argv[optind + 1]);
		return 1;
	}
	struct check_probe_env env = { .vrrp = c->vrrp, .ssl = &c->check->ssl };
	check_probe_set_env(&env);
	struct ev_loop *loop = ev_loop_new();
	long i = 0;
	cfg_list_for_each(const struct check_probe, p, &rs->probes)
		if (!only || ++i == only)
			run_one(loop, p, cancel_ms);
	check_probe_set_env(NULL);
	ev_loop_free(loop);
	ka_config_free(c);
	log_close();
	return 0;
}
