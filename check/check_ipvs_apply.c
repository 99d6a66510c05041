/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_ipvs_apply.c - read the kernel's IPVS table, apply the diff, remember what we own */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ip_vs.h>

#include "check/check_ipvs.h"
#include "ipvs-glue/ipvs_names.h"
#include "ipvs-glue/ipvs_nl.h"
#include "log.h"
#include "util.h"

/* A dump interrupted by a concurrent change (-EINTR) is simply redone. */
#define DUMP_TRIES 3

struct check_ipvs {
	struct ipvs_nl nl;
	bool open;
	/* What we manage: services with the destinations we installed (a
	 * finished table); see check_ipvs.h for the ownership rules. */
	struct check_ipvs_table owned;
	uint64_t ops, failed;
	struct log_rl rl;
	char why[IPVS_NL_ERRLEN];
};

struct check_ipvs *check_ipvs_new(void)
{
	return xcalloc(1, sizeof(struct check_ipvs));
}

int check_ipvs_open(struct check_ipvs *x, const char **why)
{
	if (x->open)
		return 0;
	memset(&x->nl, 0, sizeof(x->nl));
	int r = ipvs_nl_open(&x->nl);
	if (r < 0) {
		snprintf(x->why, sizeof(x->why), "%s", ipvs_nl_errmsg(&x->nl));
		ipvs_nl_close(&x->nl);
		*why = x->why;
		return r;
	}
	x->open = true;
	return 0;
}

bool check_ipvs_is_open(const struct check_ipvs *x)
{
	return x->open;
}

void check_ipvs_free(struct check_ipvs *x)
{
	if (!x)
		return;
	if (x->open)
		ipvs_nl_close(&x->nl);
	check_ipvs_table_free(&x->owned);
	free(x);
}

void check_ipvs_counters(const struct check_ipvs *x, uint64_t *ops, uint64_t *failed,
			 size_t *owned)
{
	*ops = x->ops;
	*failed = x->failed;
	*owned = x->owned.n;
}

static void fail_log(struct check_ipvs *x)
{
	x->failed++;
	log_rl_msg(&x->rl, LOG_ERR, "IPVS: %s", ipvs_nl_errmsg(&x->nl));
}

int check_ipvs_flush(struct check_ipvs *x)
{
	if (!x->open)
		return -ENOTCONN;
	int r = ipvs_nl_flush(&x->nl);
	if (r < 0)
		fail_log(x);
	else
		log_info("IPVS: table flushed");
	return r;
}

int check_ipvs_set_timeouts(struct check_ipvs *x, unsigned tcp, unsigned tcpfin, unsigned udp)
{
	struct ipvs_timeouts t = { .tcp = tcp, .tcp_fin = tcpfin, .udp = udp };
	if (!x->open)
		return -ENOTCONN;
	if (!tcp && !tcpfin && !udp)
		return 0;
	int r = ipvs_nl_set_timeouts(&x->nl, &t);
	if (r < 0)
		fail_log(x);
	else
		log_info("IPVS: timeouts set (tcp %u, tcpfin %u, udp %u; 0 = unchanged)", tcp,
			 tcpfin, udp);
	return r;
}

/* ---- reading the kernel ---- */

static int read_dests(struct check_ipvs *x, struct check_ipvs_svc *ks)
{
	struct ipvs_dest *d = NULL;
	size_t n = 0;
	int r = -EINTR;
	for (int i = 0; i < DUMP_TRIES && r == -EINTR; i++)
		r = ipvs_nl_list_dests(&x->nl, &ks->svc, &d, &n);
	for (size_t i = 0; i < n; i++)
		check_ipvs_svc_add_dest(ks, &d[i], true);
	free(d);
	/* A service deleted meanwhile just has no destinations. */
	return r == -ESRCH || r == -ENOENT ? 0 : r;
}

/* Every kernel service want or owned has, with its destinations. */
static int read_full(struct check_ipvs *x, const struct check_ipvs_table *want,
		     struct check_ipvs_table *out)
{
	struct ipvs_service *svcs = NULL;
	size_t n = 0;
	int r = -EINTR;
	for (int i = 0; i < DUMP_TRIES && r == -EINTR; i++)
		r = ipvs_nl_list_services(&x->nl, &svcs, &n);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		if (!check_ipvs_table_find(want, &svcs[i]) &&
		    !check_ipvs_table_find(&x->owned, &svcs[i]))
			continue; /* not ours: not even read */
		r = read_dests(x, check_ipvs_table_add(out, &svcs[i]));
	}
	free(svcs);
	check_ipvs_table_finish(out);
	return r;
}

/* The kernel's version of each service of want, looked up one by one. */
static int read_some(struct check_ipvs *x, const struct check_ipvs_table *want,
		     struct check_ipvs_table *out)
{
	int r = 0;
	for (size_t i = 0; r >= 0 && i < want->n; i++) {
		struct ipvs_service s;
		r = ipvs_nl_get_service(&x->nl, &want->v[i].svc, &s);
		if (r == -ESRCH || r == -ENOENT) {
			r = 0;
			continue;
		}
		if (r >= 0)
			r = read_dests(x, check_ipvs_table_add(out, &s));
	}
	check_ipvs_table_finish(out);
	return r;
}

/* ---- applying ---- */

static const char *op_text(const struct check_ipvs_op *op, char *buf, size_t len)
{
	char sb[IPVS_SVC_STRLEN], db[IPVS_DEST_STRLEN];
	ipvs_service_str(&op->svc, sb, sizeof(sb));
	switch (op->kind) {
	case CHECK_IPVS_ADD_SVC:
	case CHECK_IPVS_EDIT_SVC:
		snprintf(buf, len, "%s %s (scheduler %s, persistence %u s)",
			 check_ipvs_op_name(op->kind), sb, op->svc.sched_name, op->svc.timeout);
		break;
	case CHECK_IPVS_DEL_SVC:
		snprintf(buf, len, "delete service %s", sb);
		break;
	case CHECK_IPVS_ADD_DEST:
	case CHECK_IPVS_EDIT_DEST:
		snprintf(buf, len, "%s %s %s %s (%s, weight %d)", check_ipvs_op_name(op->kind),
			 ipvs_dest_str(&op->dest, db, sizeof(db)),
			 op->kind == CHECK_IPVS_ADD_DEST ? "to" : "of", sb,
			 ipvs_fwd_name((int)op->dest.fwd), op->dest.weight);
		break;
	case CHECK_IPVS_DEL_DEST:
		snprintf(buf, len, "delete destination %s from %s",
			 ipvs_dest_str(&op->dest, db, sizeof(db)), sb);
		break;
	}
	return buf;
}

static int apply_one(struct check_ipvs *x, const struct check_ipvs_op *op)
{
	struct ipvs_nl *h = &x->nl;
	switch (op->kind) {
	case CHECK_IPVS_ADD_SVC: return ipvs_nl_add_service(h, &op->svc);
	case CHECK_IPVS_EDIT_SVC: return ipvs_nl_edit_service(h, &op->svc);
	case CHECK_IPVS_DEL_SVC: return ipvs_nl_del_service(h, &op->svc);
	case CHECK_IPVS_ADD_DEST: return ipvs_nl_add_dest(h, &op->svc, &op->dest);
	case CHECK_IPVS_EDIT_DEST: return ipvs_nl_edit_dest(h, &op->svc, &op->dest);
	case CHECK_IPVS_DEL_DEST: return ipvs_nl_del_dest(h, &op->svc, &op->dest);
	}
	return -EINVAL;
}

/* Copy a service into t, with only its wanted destinations. */
static void copy_svc(struct check_ipvs_table *t, const struct check_ipvs_svc *s)
{
	struct check_ipvs_svc *c = check_ipvs_table_add(t, &s->svc);
	for (size_t i = 0; i < s->n; i++)
		if (s->dests[i].wanted)
			check_ipvs_svc_add_dest(c, &s->dests[i].d, true);
}

/*
 * What we own after a sync: want's services with their wanted
 * destinations; what we failed to delete (so a later sync retries); on a
 * partial sync, the owned services it did not look at.
 */
static void owned_update(struct check_ipvs *x, const struct check_ipvs_table *want, bool full,
			 const struct check_ipvs_ops *ops, const bool *failed)
{
	struct check_ipvs_table t = { 0 };
	for (size_t i = 0; i < want->n; i++)
		copy_svc(&t, &want->v[i]);
	for (size_t i = 0; !full && i < x->owned.n; i++)
		if (!check_ipvs_table_find(want, &x->owned.v[i].svc))
			copy_svc(&t, &x->owned.v[i]);
	for (size_t i = 0; i < ops->n; i++) {
		const struct check_ipvs_op *op = &ops->v[i];
		if (!failed[i])
			continue;
		if (op->kind == CHECK_IPVS_DEL_SVC) {
			const struct check_ipvs_svc *o = check_ipvs_table_find(&x->owned, &op->svc);
			if (o)
				copy_svc(&t, o);
		} else if (op->kind == CHECK_IPVS_DEL_DEST) {
			check_ipvs_svc_add_dest(check_ipvs_table_add(&t, &op->svc), &op->dest,
						true);
		}
	}
	check_ipvs_table_finish(&t);
	check_ipvs_table_free(&x->owned);
	x->owned = t;
}

int check_ipvs_sync(struct check_ipvs *x, const struct check_ipvs_table *want, bool full)
{
	struct check_ipvs_table kernel = { 0 };
	struct check_ipvs_ops ops = { 0 };
	char text[IPVS_SVC_STRLEN + IPVS_DEST_STRLEN + 80];
	if (!x->open)
		return -ENOTCONN;
	int r = full ? read_full(x, want, &kernel) : read_some(x, want, &kernel);
	if (r < 0) {
		fail_log(x);
		check_ipvs_table_free(&kernel);
		return -1;
	}
	check_ipvs_diff(want, &kernel, &x->owned, &ops);
	bool *failed = xcalloc(ops.n + 1, sizeof(bool));
	int rc = 0;
	for (size_t i = 0; i < ops.n; i++) {
		x->ops++;
		if (apply_one(x, &ops.v[i]) < 0) {
			fail_log(x);
			failed[i] = true;
			rc = -1;
		} else {
			log_info("IPVS: %s", op_text(&ops.v[i], text, sizeof(text)));
		}
	}
	owned_update(x, want, full, &ops, failed);
	free(failed);
	check_ipvs_ops_free(&ops);
	check_ipvs_table_free(&kernel);
	return rc;
}

void check_ipvs_release(struct check_ipvs *x, bool flush_all)
{
	char sb[IPVS_SVC_STRLEN];
	if (!x->open)
		return;
	if (flush_all) {
		check_ipvs_flush(x);
	} else {
		for (size_t i = 0; i < x->owned.n; i++) {
			const struct ipvs_service *s = &x->owned.v[i].svc;
			int r = ipvs_nl_del_service(&x->nl, s);
			if (r < 0 && r != -ESRCH && r != -ENOENT)
				fail_log(x);
			else if (r == 0)
				log_info("IPVS: delete service %s",
					 ipvs_service_str(s, sb, sizeof(sb)));
		}
	}
	check_ipvs_table_free(&x->owned);
}
