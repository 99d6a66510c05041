/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_snmp_src.c - the checker seen by the MIB (health, IPVS counters), and its SNMP hooks */
#include <stdlib.h>
#include <string.h>

#include "check/check_cfg.h"
#include "check/check_ipvs.h"
#include "check/check_notify.h"
#include "check/check_run.h"
#include "check/check_snmp_int.h"
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "ipvs-glue/ipvs_nl.h"
#include "log.h"
#include "snmp_agent.h"
#include "util.h"

/* IPVS counters of one virtual server (summed over its services: a group
 * has several) and of each of its real servers, the sorry server last. */
struct stat_cache {
	uint64_t at;                   /* mono_usec() of the reading, 0 = never */
	bool ok;
	struct check_snmp_stats vs;
	struct check_snmp_stats *rs;
	bool *rs_ok;
	size_t nrs;
};

struct glue {
	struct check_run *run;
	const struct global_cfg *g;
	struct ipvs_nl nl;
	bool nl_open;
	uint64_t nl_retry_at;
	struct stat_cache *cache;      /* by virtual server position */
	size_t ncache;
};

/* ---- IPVS counters ---- */

static void cache_clear(struct glue *gl)
{
	for (size_t i = 0; i < gl->ncache; i++) {
		free(gl->cache[i].rs);
		free(gl->cache[i].rs_ok);
	}
	free(gl->cache);
	gl->cache = NULL;
	gl->ncache = 0;
}

static bool ipvs_ready(struct glue *gl, uint64_t now)
{
	if (gl->nl_open)
		return true;
	if (now < gl->nl_retry_at)
		return false;
	if (ipvs_nl_open(&gl->nl) == 0) {
		gl->nl_open = true;
		return true;
	}
	ipvs_nl_close(&gl->nl);
	gl->nl_retry_at = now + 10 * 1000000ull;
	return false;
}

static void add_stats(struct check_snmp_stats *to, const struct ipvs_stats *s)
{
	to->conns += s->conns;
	to->inpkts += s->inpkts;
	to->outpkts += s->outpkts;
	to->inbytes += s->inbytes;
	to->outbytes += s->outbytes;
	to->cps += s->cps;
	to->inpps += s->inpps;
	to->outpps += s->outpps;
	to->inbps += s->inbps;
	to->outbps += s->outbps;
}

static const struct check_rs *nth_rs(const struct check_vs *vs, size_t j)
{
	cfg_list_for_each(const struct check_rs, rs, &vs->rs)
		if (!j--)
			return rs;
	return j == 0 ? vs->sorry_server : NULL;
}

/* The destinations of one kernel service, credited to the real servers. */
static void read_dests(struct glue *gl, const struct check_vs *vs, const struct ipvs_service *svc,
		       struct stat_cache *c)
{
	struct ipvs_dest *d = NULL;
	size_t n = 0;

	if (ipvs_nl_list_dests(&gl->nl, svc, &d, &n) < 0)
		return;
	for (size_t j = 0; j < c->nrs; j++) {
		const struct check_rs *rs = nth_rs(vs, j);

		for (size_t k = 0; rs && k < n; k++) {
			if (!ka_addr_equal(&d[k].addr, &rs->addr) || d[k].port != rs->port)
				continue;
			add_stats(&c->rs[j], &d[k].stats);
			c->rs[j].active_conns += d[k].active_conns;
			c->rs[j].inact_conns += d[k].inact_conns;
			c->rs[j].persist_conns += d[k].persist_conns;
			c->rs_ok[j] = true;
		}
	}
	free(d);
}

static void cache_fill(struct glue *gl, const struct check_vs *vs, struct stat_cache *c)
{
	struct check_ipvs_table want = { 0 };
	struct ipvs_service got;

	c->nrs = vs->rs.n + (vs->sorry_server != NULL);
	c->rs = xrealloc(c->rs, (c->nrs + 1) * sizeof(*c->rs));
	c->rs_ok = xrealloc(c->rs_ok, (c->nrs + 1) * sizeof(*c->rs_ok));
	memset(c->rs, 0, (c->nrs + 1) * sizeof(*c->rs));
	memset(c->rs_ok, 0, (c->nrs + 1) * sizeof(*c->rs_ok));
	memset(&c->vs, 0, sizeof(c->vs));
	c->ok = false;
	check_ipvs_desired(vs, NULL, &want);
	check_ipvs_table_finish(&want);
	for (size_t k = 0; k < want.n; k++) {
		memset(&got, 0, sizeof(got));
		if (ipvs_nl_get_service(&gl->nl, &want.v[k].svc, &got) < 0)
			continue;
		if (got.has_stats) {
			add_stats(&c->vs, &got.stats);
			c->ok = true;
		}
		read_dests(gl, vs, &want.v[k].svc, c);
	}
	check_ipvs_table_free(&want);
}

/* Counters of virtual server i, read again when older than the
 * snmp_*_stats_update_interval. NULL when IPVS cannot be read. */
static struct stat_cache *stats_of(struct glue *gl, size_t i, const struct check_vs *vs)
{
	uint64_t now = mono_usec(), age = gl->g->snmp_vs_stats_update_interval;
	struct stat_cache *c;

	if (gl->g->snmp_rs_stats_update_interval < age)
		age = gl->g->snmp_rs_stats_update_interval;
	if (!ipvs_ready(gl, now))
		return NULL;
	if (i >= gl->ncache) {
		gl->cache = xrealloc(gl->cache, (i + 1) * sizeof(*gl->cache));
		memset(gl->cache + gl->ncache, 0, (i + 1 - gl->ncache) * sizeof(*gl->cache));
		gl->ncache = i + 1;
	}
	c = &gl->cache[i];
	if (!c->at || now - c->at >= age) {
		cache_fill(gl, vs, c);
		c->at = now;
	}
	return c;
}

/* ---- the source ---- */

static bool src_vs(void *arg, size_t i, struct check_snmp_vs *o)
{
	struct glue *gl = arg;
	const struct check_ipvs_health *h;
	const struct check_vs *vs = check_run_vs(gl->run, i, &h);
	struct stat_cache *c;

	if (!vs)
		return false;
	o->type = vs->kind == CHECK_VS_FWMARK ? CHECK_SNMP_VS_FWMARK :
		  vs->kind == CHECK_VS_GROUP ? CHECK_SNMP_VS_GROUP : CHECK_SNMP_VS_IP;
	o->group = vs->group_name;
	o->fwmark = vs->fwmark;
	o->addr = vs->addr;
	o->port = vs->port;
	o->protocol = vs->protocol;
	o->sched = vs->sched;
	o->fwd = vs->fwd.method;
	o->virtualhost = vs->virtualhost;
	o->name = vs->snmp_name;
	o->persist_timeout = vs->persistence_timeout;
	o->has_granularity = vs->has_granularity;
	o->granularity = (uint8_t)vs->persistence_granularity;
	o->delay_loop_us = vs->delay_loop;
	o->delay_before_retry_us = vs->delay_before_retry;
	o->warmup_us = vs->warmup;
	o->connect_timeout_us = vs->connect_timeout;
	o->retry = vs->retry;
	o->weight = vs->weight;
	o->quorum = vs->quorum;
	o->hysteresis = vs->hysteresis;
	o->ha_suspend = vs->ha_suspend;
	o->alpha = vs->alpha;
	o->omega = vs->omega;
	o->ops = vs->ops;
	o->inhibit = vs->inhibit_on_failure;
	o->smtp_alert = vs->smtp_alert == GLOBAL_ON;
	o->rs_total = (unsigned)vs->rs.n;
	for (size_t k = 0; k < h->nrs; k++)
		o->rs_up += h->rs[k].alive;
	o->quorum_up = h->quorum_up;
	o->quorum_up_script = vs->quorum_up.cmd;
	o->quorum_down_script = vs->quorum_down.cmd;
	if ((c = stats_of(gl, i, vs)) && c->ok) {
		o->has_stats = true;
		o->stats = c->vs;
	}
	return true;
}

static bool src_rs(void *arg, size_t i, size_t j, struct check_snmp_rs *o)
{
	struct glue *gl = arg;
	const struct check_ipvs_health *h;
	const struct check_vs *vs = check_run_vs(gl->run, i, &h);
	const struct check_rs *rs = vs ? nth_rs(vs, j) : NULL;
	struct stat_cache *c;

	if (!rs)
		return false;
	o->sorry = j >= vs->rs.n;
	o->addr = rs->addr;
	o->port = rs->port;
	/* the sorry server is "alive" while it is in service */
	o->alive = o->sorry ? !h->quorum_up : j < h->nrs && h->rs[j].alive;
	o->weight = !o->sorry && j < h->nrs && h->rs[j].alive ? h->rs[j].weight : rs->weight;
	o->uthreshold = rs->uthreshold;
	o->lthreshold = rs->lthreshold;
	o->fwd = rs->fwd.set ? rs->fwd.method : vs->fwd.method;
	o->inhibit = rs->inhibit_on_failure == GLOBAL_ON;
	o->alpha = rs->alpha == GLOBAL_ON;
	o->smtp_alert = rs->smtp_alert == GLOBAL_ON;
	o->notify_up = rs->notify_up.cmd;
	o->notify_down = rs->notify_down.cmd;
	o->virtualhost = rs->virtualhost;
	o->name = rs->snmp_name;
	o->retry = rs->retry;
	o->delay_loop_us = rs->delay_loop;
	o->delay_before_retry_us = rs->delay_before_retry;
	o->warmup_us = rs->warmup;
	o->connect_timeout_us = rs->connect_timeout;
	if ((c = stats_of(gl, i, vs)) && j < c->nrs && c->rs_ok[j]) {
		o->has_stats = true;
		o->stats = c->rs[j];
	}
	return true;
}

static bool src_find(void *arg, const struct check_vs *vs, const struct check_rs *rs, size_t *i,
		     size_t *j)
{
	struct glue *gl = arg;
	const struct check_vs *v;

	for (*i = 0; (v = check_run_vs(gl->run, *i, NULL)); (*i)++) {
		if (v != vs)
			continue;
		for (*j = 0; rs && nth_rs(v, *j); (*j)++)
			if (nth_rs(v, *j) == rs)
				return true;
		return !rs;
	}
	return false;
}

static void src_timeouts(void *arg, unsigned *tcp, unsigned *tcpfin, unsigned *udp)
{
	struct glue *gl = arg;

	*tcp = gl->g->lvs_timeout_tcp;
	*tcpfin = gl->g->lvs_timeout_tcpfin;
	*udp = gl->g->lvs_timeout_udp;
}

static const struct check_snmp_source run_source = {
	.vs = src_vs,
	.rs = src_rs,
	.find = src_find,
	.timeouts = src_timeouts,
};

/* ---- hooks and life cycle ---- */

static void trap_hook(void *arg, const struct check_vs *vs, const struct check_rs *rs, bool up,
		      const char *detail)
{
	struct check_snmp *s = arg;
	size_t i, j = 0;

	if (!s->set.traps || !s->set.checker || !s->src->find(s->arg, vs, rs, &i, &j))
		return;
	if (rs)
		check_snmp_trap_rs(s, i, j);
	else
		check_snmp_trap_vs(s, i);
}

static void take_config(struct check_snmp *s, const struct ka_config *c,
			const struct ka_options *o)
{
	struct glue *gl = s->arg;
	const char *socket = s->set.socket;

	ka_snmp_settings(o, c->global, &s->set);
	if (s->agent) {
		if ((socket || s->set.socket) &&
		    (!socket || !s->set.socket || strcmp(socket, s->set.socket)))
			log_warnx("SNMP: a new snmp_socket takes effect at the next restart");
		s->set.socket = socket;
	}
	s->serve_global = ka_snmp_check_serves_global(&s->set, c, o);
	s->global.g = c->global;
	s->global.traps = s->set.traps;
	gl->g = c->global;
	cache_clear(gl);
}

struct check_snmp *check_snmp_start(struct ev_loop *loop, const struct ka_config *c,
				    const struct ka_options *o, struct check_run *run,
				    struct check_notify *n)
{
	struct ka_snmp_settings set;
	struct check_snmp *s;
	struct glue *gl;

	ka_snmp_settings(o, c->global, &set);
	if (!set.checker)
		return NULL;
	gl = xcalloc(1, sizeof(*gl));
	gl->run = run;
	s = check_snmp_new(&run_source, gl);
	take_config(s, c, o);
	s->agent = snmp_agent_start(loop, "keepalived", s->set.socket);
	if (!s->agent) {
		free(gl);
		check_snmp_free(s);
		return NULL;
	}
	check_snmp_apply(s);
	check_notify_set_trap(n, trap_hook, s);
	return s;
}

struct check_snmp *check_snmp_reload(struct check_snmp *s, struct ev_loop *loop,
				     const struct ka_config *c, const struct ka_options *o,
				     struct check_run *run, struct check_notify *n)
{
	if (!s)
		return check_snmp_start(loop, c, o, run, n);
	take_config(s, c, o);
	check_snmp_apply(s);
	return s;
}

void check_snmp_stop(struct check_snmp *s, struct check_notify *n)
{
	struct glue *gl;

	if (!s)
		return;
	gl = s->arg;
	if (n)
		check_notify_set_trap(n, NULL, NULL);
	snmp_agent_stop(s->agent);
	cache_clear(gl);
	if (gl->nl_open)
		ipvs_nl_close(&gl->nl);
	free(gl);
	check_snmp_free(s);
}
