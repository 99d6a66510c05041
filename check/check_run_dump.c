/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_run_dump.c - checker runtime state as text (SIGUSR1), counters (SIGUSR2) and JSON */
#include <stdio.h>
#include <string.h>

#include "check/check_run_int.h"
#include "ev.h"
#include "json.h"

static const char *up_str(bool up)
{
	return up ? "UP" : "DOWN";
}

static void dump_task(FILE *out, const struct check_run *r, const struct run_task *t)
{
	char res[160];
	fprintf(out, "     Probe %s: %s", t->name, t->ops ? up_str(t->up) : "UP (not available)");
	if (!t->has_run && t->ops)
		fprintf(out, " (no result yet)");
	fprintf(out, ", last %s", check_run_result_text(t, res, sizeof(res)));
	if (t->last_time)
		fprintf(out, " %.1f s ago",
			(double)(ev_now(r->loop) - t->last_time) / 1e6);
	fprintf(out, ", attempts %llu, failures %llu, transitions %llu, users %zu",
		(unsigned long long)t->attempts, (unsigned long long)t->failures,
		(unsigned long long)t->transitions, t->nsubs);
	if (t->weight >= 0)
		fprintf(out, ", dynamic weight %d", t->weight);
	if (!t->active && t->ops)
		fprintf(out, ", suspended");
	else if (t->retries)
		fprintf(out, ", retry %u/%u", t->retries, t->p->retry);
	fputc('\n', out);
}

static void dump_vs(FILE *out, const struct check_run *r, const struct run_vs *v)
{
	const struct check_vs *vs = v->cfg;
	char vb[CHECK_NAME_LEN], rb[CHECK_NAME_LEN];
	fprintf(out, " Virtual server %s: quorum %s (alive weight %llu, quorum %u, hysteresis %u)"
		", %zu real server%s%s\n", check_notify_vs_str(vs, vb, sizeof(vb)),
		up_str(v->h.quorum_up), check_ipvs_weight_sum(&v->h), vs->quorum, vs->hysteresis,
		v->nrs, v->nrs == 1 ? "" : "s", v->suspended ? ", probes suspended" : "");
	for (size_t j = 0; j < v->nrs; j++) {
		const struct run_rs *s = &v->rs[j];
		fprintf(out, "   Real server %s: %s, weight %u, transitions %llu%s\n",
			check_notify_rs_str(s->cfg, rb, sizeof(rb)), up_str(s->alive), s->weight,
			(unsigned long long)s->transitions, s->ntasks ? "" : ", no probe");
		for (size_t k = 0; k < s->ntasks; k++)
			dump_task(out, r, s->tasks[k]);
	}
	if (vs->sorry_server)
		fprintf(out, "   Sorry server %s: %s\n",
			check_notify_rs_str(vs->sorry_server, rb, sizeof(rb)),
			v->h.quorum_up ? "standby" : "in service");
}

void check_run_dump(const struct check_run *r, FILE *out)
{
	size_t uses = 0;
	for (size_t i = 0; i < r->nvs; i++)
		for (size_t j = 0; j < r->vs[i].nrs; j++)
			uses += r->vs[i].rs[j].ntasks;
	fprintf(out, " Probes running: %zu for %zu probe uses\n", r->ntasks, uses);
	for (size_t i = 0; i < r->nvs; i++)
		dump_vs(out, r, &r->vs[i]);
}

void check_run_stats(struct check_run *r, FILE *out, bool clear)
{
	char b[CHECK_NAME_LEN], c[CHECK_NAME_LEN];
	fprintf(out, "Checker probes\n");
	for (size_t i = 0; i < r->nbuckets; i++)
		for (struct run_task *t = r->buckets[i]; t; t = t->hnext) {
			fprintf(out, "  %s: attempts %llu, failures %llu, transitions %llu\n",
				t->name, (unsigned long long)t->attempts,
				(unsigned long long)t->failures, (unsigned long long)t->transitions);
			if (clear)
				t->attempts = t->failures = t->transitions = 0;
		}
	fprintf(out, "Virtual servers\n");
	for (size_t i = 0; i < r->nvs; i++) {
		struct run_vs *v = &r->vs[i];
		check_notify_vs_str(v->cfg, b, sizeof(b));
		fprintf(out, "  %s: quorum transitions %llu\n", b,
			(unsigned long long)v->quorum_transitions);
		for (size_t j = 0; j < v->nrs; j++) {
			fprintf(out, "    %s: transitions %llu\n",
				check_notify_rs_str(v->rs[j].cfg, c, sizeof(c)),
				(unsigned long long)v->rs[j].transitions);
			if (clear)
				v->rs[j].transitions = 0;
		}
		if (clear)
			v->quorum_transitions = 0;
	}
}

static void json_task(FILE *out, const struct run_task *t)
{
	fprintf(out, "{\"name\":");
	json_str(out, t->name);
	fprintf(out, ",\"kind\":\"%s\",\"up\":%s,\"has_run\":%s,\"last\":\"%s\",\"detail\":",
		check_kind_name(t->p->kind), t->up ? "true" : "false",
		t->has_run ? "true" : "false", t->has_last ? check_result_str(t->last) : "");
	json_str(out, t->detail);
	fprintf(out, ",\"attempts\":%llu,\"failures\":%llu,\"transitions\":%llu,\"users\":%zu,"
		"\"active\":%s,\"weight\":%d}", (unsigned long long)t->attempts,
		(unsigned long long)t->failures, (unsigned long long)t->transitions, t->nsubs,
		t->active ? "true" : "false", t->weight);
}

static void json_vs(FILE *out, const struct run_vs *v)
{
	char b[CHECK_NAME_LEN];
	fprintf(out, "{\"name\":");
	json_str(out, check_notify_vs_str(v->cfg, b, sizeof(b)));
	fprintf(out, ",\"quorum_up\":%s,\"alive_weight\":%llu,\"quorum\":%u,\"suspended\":%s,"
		"\"real_servers\":[", v->h.quorum_up ? "true" : "false",
		check_ipvs_weight_sum(&v->h), v->cfg->quorum, v->suspended ? "true" : "false");
	for (size_t j = 0; j < v->nrs; j++) {
		const struct run_rs *s = &v->rs[j];
		fprintf(out, "%s{\"name\":", j ? "," : "");
		json_str(out, check_notify_rs_str(s->cfg, b, sizeof(b)));
		fprintf(out, ",\"alive\":%s,\"weight\":%u,\"transitions\":%llu,\"probes\":[",
			s->alive ? "true" : "false", s->weight, (unsigned long long)s->transitions);
		for (size_t k = 0; k < s->ntasks; k++) {
			if (k)
				fputc(',', out);
			json_task(out, s->tasks[k]);
		}
		fprintf(out, "]}");
	}
	fprintf(out, "]}");
}

void check_run_json(const struct check_run *r, FILE *out)
{
	fprintf(out, "{\"probes_running\":%zu,\"virtual_servers\":[", r->ntasks);
	for (size_t i = 0; i < r->nvs; i++) {
		if (i)
			fputc(',', out);
		json_vs(out, &r->vs[i]);
	}
	fprintf(out, "]}");
}
