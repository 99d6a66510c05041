/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_run.c - probe scheduling and check_done(): retries, up/down, shared probes, health */
#include <ifaddrs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check_run_int.h"
#include "ev.h"
#include "log.h"
#include "util.h"

/* ---- randomness (warmup spread only: no need for quality) ---- */

static uint64_t rng_next(struct check_run *r)
{
	uint64_t z = (r->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rand_upto(struct check_run *r, uint64_t max)
{
	return max ? rng_next(r) % (max + 1) : 0;
}

/* ---- tasks ---- */

static void task_name(struct run_task *t)
{
	const struct check_probe *p = t->p;
	const char *kind = check_kind_name(p->kind);
	char a[KA_ADDR_STRLEN];
	switch (p->kind) {
	case CHECK_MISC:
		snprintf(t->name, sizeof(t->name), "%s(%s)", kind, p->u.misc.path.cmd);
		break;
	case CHECK_FILE:
		snprintf(t->name, sizeof(t->name), "%s(%s)", kind, p->u.file.track_file);
		break;
	case CHECK_BFD:
		snprintf(t->name, sizeof(t->name), "%s(%s)", kind, p->u.bfd.name);
		break;
	case CHECK_PING:
		snprintf(t->name, sizeof(t->name), "[%s] %s", ka_addr_str(&p->conn.connect_ip, a),
			 kind);
		break;
	default:
		snprintf(t->name, sizeof(t->name), "[%s]:%s:%u %s",
			 ka_addr_str(&p->conn.connect_ip, a),
			 p->kind == CHECK_DNS || p->kind == CHECK_UDP ? "udp" : "tcp",
			 p->conn.connect_port, kind);
		break;
	}
}

const char *check_run_result_text(const struct run_task *t, char *buf, size_t len)
{
	if (!t->has_last)
		snprintf(buf, len, "no result yet");
	else if (t->detail[0])
		snprintf(buf, len, "%s (%s)", check_result_str(t->last), t->detail);
	else
		snprintf(buf, len, "%s", check_result_str(t->last));
	return buf;
}

static void check_done(struct run_task *t, const struct check_outcome *o);

static void attempt_done_cb(void *arg, const struct check_outcome *o);

static void task_destroy(struct run_task *t)
{
	ev_cancel(&t->timer);
	free(t->key);
	free(t->subs);
	free(t);
}

static void task_timer_cb(struct ev_loop *loop, void *arg)
{
	struct run_task *t = arg;
	if (!t->active || t->in_flight || !t->ops)
		return;
	t->in_flight = true;
	t->attempts++;
	t->att = t->ops->start(loop, t->p, attempt_done_cb, t);
}

static void attempt_done_cb(void *arg, const struct check_outcome *o)
{
	struct run_task *t = arg;
	t->att = NULL;
	t->in_flight = false;
	if (t->zombie) {
		/* Unused since the attempt began: drop it from the zombie list. */
		struct check_run *r = t->run;
		for (struct run_task **pp = &r->zombies; *pp; pp = &(*pp)->hnext)
			if (*pp == t) {
				*pp = t->hnext;
				break;
			}
		task_destroy(t);
		return;
	}
	check_done(t, o);
}

static void task_arm(struct run_task *t, uint64_t usec)
{
	if (t->ops && t->active)
		ev_timer_add(t->run->loop, task_timer_cb, t, usec, &t->timer);
}

/* Stop the attempt in flight, if it can be stopped. */
static void task_cancel_attempt(struct run_task *t)
{
	if (t->att) {
		t->ops->cancel(t->att);
		t->att = NULL;
		t->in_flight = false;
	}
}

static void task_set_active(struct run_task *t, bool active)
{
	if (t->active == active)
		return;
	t->active = active;
	if (!active) {
		ev_cancel(&t->timer);
		task_cancel_attempt(t);
		return;
	}
	/* First start: somewhere in warmup, so that many probes do not fire
	 * together; a resumed probe checks at once. */
	task_arm(t, t->fresh ? rand_upto(t->run, t->p->warmup) : 0);
	t->fresh = false;
}

/* Unlink from the hash table and free, or park until its attempt reports
 * (an attempt whose start() failed cannot be cancelled). */
static void task_drop(struct check_run *r, struct run_task *t)
{
	size_t b = t->hash & (r->nbuckets - 1);
	for (struct run_task **pp = &r->buckets[b]; *pp; pp = &(*pp)->hnext)
		if (*pp == t) {
			*pp = t->hnext;
			break;
		}
	r->ntasks--;
	ev_cancel(&t->timer);
	task_cancel_attempt(t);
	if (t->in_flight) {
		t->zombie = true;
		t->hnext = r->zombies;
		r->zombies = t;
		return;
	}
	task_destroy(t);
}

static void table_grow(struct check_run *r)
{
	size_t nb = r->nbuckets ? 2 * r->nbuckets : 64;
	struct run_task **b = xcalloc(nb, sizeof(*b));
	for (size_t i = 0; i < r->nbuckets; i++) {
		while (r->buckets[i]) {
			struct run_task *t = r->buckets[i];
			r->buckets[i] = t->hnext;
			t->hnext = b[t->hash & (nb - 1)];
			b[t->hash & (nb - 1)] = t;
		}
	}
	free(r->buckets);
	r->buckets = b;
	r->nbuckets = nb;
}

static void task_add_sub(struct run_task *t, struct run_rs *rs)
{
	if (t->nsubs == t->capsubs) {
		t->capsubs = t->capsubs ? 2 * t->capsubs : 2;
		t->subs = xrealloc(t->subs, t->capsubs * sizeof(*t->subs));
	}
	t->subs[t->nsubs++] = rs;
}

/* A task carried over from the previous configuration now follows p. Its
 * attempt in flight was started on the old probe, which is about to be
 * freed: restart it on the new one. */
static void task_migrate(struct run_task *t, const struct check_probe *p)
{
	t->p = p;
	task_name(t);
	if (t->att) {
		task_cancel_attempt(t);
		task_arm(t, 0);
	}
}

/* The task running probe p: an identical one if any, else a new one in
 * state up. Subscribes rs. */
static struct run_task *task_get(struct check_run *r, const struct check_probe *p, bool up,
				 struct run_rs *rs)
{
	unsigned char *key;
	size_t keylen;
	uint64_t h = check_run_probe_key(p, &key, &keylen);
	if (!r->nbuckets || r->ntasks >= 2 * r->nbuckets)
		table_grow(r);
	struct run_task *t = r->buckets[h & (r->nbuckets - 1)];
	while (t && !(t->hash == h && t->keylen == keylen && !memcmp(t->key, key, keylen)))
		t = t->hnext;
	if (t) {
		free(key);
		if (!t->keep)
			task_migrate(t, p);
	} else {
		t = xcalloc(1, sizeof(*t));
		t->run = r;
		t->hash = h;
		t->key = key;
		t->keylen = keylen;
		t->p = p;
		t->ops = r->hooks.ops_for ? r->hooks.ops_for(p->kind) : check_probe_ops_for(p->kind);
		t->up = up || !t->ops;
		t->weight = -1;
		t->fresh = true;
		task_name(t);
		if (!t->ops)
			log_warnx("%s: this checker is not available, the probe counts as UP",
				  t->name);
		t->hnext = r->buckets[h & (r->nbuckets - 1)];
		r->buckets[h & (r->nbuckets - 1)] = t;
		r->ntasks++;
	}
	t->keep = true;
	task_add_sub(t, rs);
	return t;
}

/* ---- health ---- */

static void vs_sync_cb(struct ev_loop *loop, void *arg)
{
	struct run_vs *v = arg;
	if (v->run->hooks.vs_changed)
		v->run->hooks.vs_changed(v->run->hooks.arg, v->cfg, &v->h);
}

static void vs_schedule_sync(struct run_vs *v)
{
	if (!v->sync_timer)
		ev_timer_add(v->run->loop, vs_sync_cb, v, 0, &v->sync_timer);
}

static void vs_update(struct run_vs *v, bool notify)
{
	const struct check_vs *cfg = v->cfg;
	unsigned long long sum = check_ipvs_weight_sum(&v->h);
	bool q = check_ipvs_quorum(v->h.quorum_up, sum, cfg->quorum, cfg->hysteresis);
	if (q != v->h.quorum_up) {
		char vb[CHECK_NAME_LEN], detail[128];
		v->h.quorum_up = q;
		v->quorum_transitions++;
		snprintf(detail, sizeof(detail), "alive weight %llu, quorum %u, hysteresis %u", sum,
			 cfg->quorum, cfg->hysteresis);
		log_info("VS %s: quorum %s (%s)%s", check_notify_vs_str(cfg, vb, sizeof(vb)),
			 q ? "gained" : "lost", detail,
			 !q && cfg->sorry_server ? ", sorry server in service" : "");
		if (notify)
			check_notify_vs(v->run->notify, cfg, q, detail);
	}
	vs_schedule_sync(v);
}

/* Alive and weight of a real server from its probes; *culprit is the
 * first probe that is down. */
static void rs_eval(const struct run_rs *s, bool *alive, unsigned *weight,
		    const struct run_task **culprit)
{
	int dyn = -1;
	*alive = true;
	*culprit = NULL;
	for (size_t i = 0; i < s->ntasks; i++) {
		const struct run_task *t = s->tasks[i];
		if (!t->up && *alive) {
			*alive = false;
			*culprit = t;
		}
		if (dyn < 0 && t->weight >= 0)
			dyn = t->weight;
	}
	*weight = dyn >= 0 ? (unsigned)dyn : s->cfg->weight;
}

static void rs_update(struct run_rs *s, bool notify)
{
	bool alive;
	unsigned w;
	const struct run_task *culprit;
	char rb[CHECK_NAME_LEN], vb[CHECK_NAME_LEN], res[160], detail[CHECK_NAME_LEN + 200];
	rs_eval(s, &alive, &w, &culprit);
	if (alive == s->alive && w == s->weight)
		return;
	bool flip = alive != s->alive;
	s->alive = alive;
	s->weight = w;
	s->vs->rh[s->idx] = (struct check_ipvs_rs_health){ .alive = alive, .weight = w };
	check_notify_rs_str(s->cfg, rb, sizeof(rb));
	check_notify_vs_str(s->vs->cfg, vb, sizeof(vb));
	if (flip) {
		s->transitions++;
		if (culprit)
			snprintf(detail, sizeof(detail), "%s: %s", culprit->name,
				 check_run_result_text(culprit, res, sizeof(res)));
		else
			snprintf(detail, sizeof(detail), "every probe is UP");
		log_info("VS %s: real server %s is %s (%s)", vb, rb, alive ? "UP" : "DOWN", detail);
		if (notify)
			check_notify_rs(s->vs->run->notify, s->cfg, alive, detail);
	} else {
		log_info("VS %s: real server %s weight is now %u", vb, rb, w);
	}
	vs_update(s->vs, notify);
}

/* ---- check_done(): the one place a probe's state changes ---- */

static void check_done(struct run_task *t, const struct check_outcome *o)
{
	const struct check_probe *p = t->p;
	bool was_up = t->up, first = !t->has_run, ok = o->result == CHECK_OK;
	bool weight_changed = false, decided = true;
	uint64_t next = p->delay_loop;
	char res[160];

	t->has_last = true;
	t->last = o->result;
	snprintf(t->detail, sizeof(t->detail), "%s", o->detail ? o->detail : "");
	t->last_time = ev_now(t->run->loop);
	if (o->weight >= 0 && o->weight != t->weight) {
		t->weight = o->weight;
		weight_changed = true;
	}
	check_run_result_text(t, res, sizeof(res));
	if (ok) {
		t->retries = 0;
		t->up = true;
		if (!was_up)
			log_info("%s: %s, is UP", t->name, res);
	} else if ((was_up || first) && t->retries < p->retry) {
		/* Not decided yet: "first" lasts until a decision is made. */
		t->failures++;
		t->retries++;
		next = p->delay_before_retry;
		decided = false;
		log_info("%s: %s, retry %u/%u", t->name, res, t->retries, p->retry);
	} else {
		t->failures++;
		t->retries = 0;
		t->up = false;
		if (was_up || first)
			log_info("%s: %s, is DOWN", t->name, res);
		else if (p->log_all_failures == GLOBAL_ON)
			log_info("%s: %s, still DOWN", t->name, res);
	}
	if (decided)
		t->has_run = true;
	task_arm(t, next);
	if (was_up != t->up)
		t->transitions++;
	if (was_up != t->up || weight_changed)
		for (size_t i = 0; i < t->nsubs; i++)
			rs_update(t->subs[i], true);
}

/* ---- ha_suspend ---- */

/* The address whose presence decides, or NULL (never suspended). */
static const struct ka_addr *vs_suspend_addr(const struct check_vs *vs)
{
	if (vs->kind == CHECK_VS_ADDR)
		return &vs->addr;
	if (vs->kind == CHECK_VS_GROUP && vs->group)
		cfg_list_for_each(const struct check_vsg_entry, e, &vs->group->entries)
			if (e->kind != CHECK_VSG_FWMARK)
				return &e->first;
	return NULL;
}

static bool ifa_has(const struct ifaddrs *list, const struct ka_addr *a)
{
	for (const struct ifaddrs *i = list; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != a->family)
			continue;
		if (a->family == AF_INET &&
		    !memcmp(&((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr,
			    &a->u.v4, 4))
			return true;
		if (a->family == AF_INET6 &&
		    !memcmp(&((const struct sockaddr_in6 *)(const void *)i->ifa_addr)->sin6_addr,
			    &a->u.v6, 16))
			return true;
	}
	return false;
}

static void suspend_poll_cb(struct ev_loop *loop, void *arg);

/* Re-evaluate every ha_suspend virtual server, then which tasks run. */
static void suspend_eval(struct check_run *r)
{
	struct ifaddrs *list = NULL;
	bool any = false, got = false;
	for (size_t i = 0; i < r->nvs; i++) {
		struct run_vs *v = &r->vs[i];
		const struct ka_addr *a = v->cfg->ha_suspend ? vs_suspend_addr(v->cfg) : NULL;
		bool susp = false;
		if (a) {
			any = true;
			if (!r->hooks.addr_is_local && !got)
				got = getifaddrs(&list) == 0;
			susp = r->hooks.addr_is_local ? !r->hooks.addr_is_local(r->hooks.arg, a)
						      : got && !ifa_has(list, a);
		}
		if (susp != v->suspended) {
			char vb[CHECK_NAME_LEN];
			log_info("VS %s: address %s: probes %s",
				 check_notify_vs_str(v->cfg, vb, sizeof(vb)),
				 susp ? "not local" : "local", susp ? "suspended" : "resumed");
			v->suspended = susp;
		}
	}
	if (list)
		freeifaddrs(list);
	for (size_t b = 0; b < r->nbuckets; b++)
		for (struct run_task *t = r->buckets[b]; t; t = t->hnext) {
			bool active = false;
			for (size_t i = 0; i < t->nsubs && !active; i++)
				active = !t->subs[i]->vs->suspended;
			task_set_active(t, active);
		}
	if (any)
		ev_timer_add(r->loop, suspend_poll_cb, r, CHECK_RUN_SUSPEND_POLL_US,
			     &r->suspend_timer);
	else
		ev_cancel(&r->suspend_timer);
}

static void suspend_poll_cb(struct ev_loop *loop, void *arg)
{
	suspend_eval(arg);
}

/* ---- building from a configuration ---- */

static bool vs_same_key(const struct check_vs *a, const struct check_vs *b)
{
	if (a->kind != b->kind || a->protocol != b->protocol)
		return false;
	switch (a->kind) {
	case CHECK_VS_FWMARK:
		return a->fwmark == b->fwmark && a->family == b->family;
	case CHECK_VS_GROUP:
		return !strcmp(a->group_name, b->group_name);
	default:
		return ka_addr_equal(&a->addr, &b->addr) && a->port == b->port;
	}
}

static const struct run_vs *old_vs(const struct run_vs *old, size_t n, const struct check_vs *vs)
{
	for (size_t i = 0; i < n; i++)
		if (vs_same_key(old[i].cfg, vs))
			return &old[i];
	return NULL;
}

static const struct run_rs *old_rs(const struct run_vs *ov, const struct check_rs *rs)
{
	for (size_t i = 0; ov && i < ov->nrs; i++)
		if (ka_addr_equal(&ov->rs[i].cfg->addr, &rs->addr) && ov->rs[i].cfg->port == rs->port)
			return &ov->rs[i];
	return NULL;
}

static void build_rs(struct check_run *r, struct run_vs *v, size_t j, const struct check_rs *rs,
		     const struct run_vs *ov)
{
	struct run_rs *s = &v->rs[j];
	const struct run_rs *os = old_rs(ov, rs);
	bool init_up = os ? os->alive : rs->alpha != GLOBAL_ON;
	const struct run_task *culprit;
	s->cfg = rs;
	s->vs = v;
	s->idx = j;
	s->ntasks = rs->probes.n;
	s->tasks = xcalloc(s->ntasks + 1, sizeof(*s->tasks));
	size_t k = 0;
	cfg_list_for_each(const struct check_probe, p, &rs->probes)
		s->tasks[k++] = task_get(r, p, init_up, s);
	rs_eval(s, &s->alive, &s->weight, &culprit);
	if (os) {
		/* Compared with the old state by rs_update() once all is built. */
		s->alive = os->alive;
		s->weight = os->weight;
		s->transitions = os->transitions;
	}
	v->rh[j] = (struct check_ipvs_rs_health){ .alive = s->alive, .weight = s->weight };
}

static void build(struct check_run *r, const struct check_cfg *c, const struct run_vs *old,
		  size_t nold)
{
	r->nvs = c->vs.n;
	r->vs = xcalloc(r->nvs + 1, sizeof(*r->vs));
	size_t i = 0;
	cfg_list_for_each(const struct check_vs, vs, &c->vs) {
		struct run_vs *v = &r->vs[i++];
		const struct run_vs *ov = old_vs(old, nold, vs);
		v->prev = ov;
		v->run = r;
		v->cfg = vs;
		v->nrs = vs->rs.n;
		v->rs = xcalloc(v->nrs + 1, sizeof(*v->rs));
		v->rh = xcalloc(v->nrs + 1, sizeof(*v->rh));
		v->h.nrs = v->nrs;
		v->h.rs = v->rh;
		size_t j = 0;
		cfg_list_for_each(const struct check_rs, rs, &vs->rs)
			build_rs(r, v, j++, rs, ov);
		if (ov) {
			v->suspended = ov->suspended;
			v->h.quorum_up = ov->h.quorum_up;
			v->quorum_transitions = ov->quorum_transitions;
		} else {
			v->h.quorum_up = check_ipvs_quorum(true, check_ipvs_weight_sum(&v->h),
							   vs->quorum, 0);
		}
	}
}

static void vs_free_all(struct run_vs *vs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ev_cancel(&vs[i].sync_timer);
		for (size_t j = 0; j < vs[i].nrs; j++)
			free(vs[i].rs[j].tasks);
		free(vs[i].rs);
		free(vs[i].rh);
	}
	free(vs);
}

/* Report every initial state (rs_init_notifies). From the loop, so that
 * the alert hook set after check_run_new() sees them too. */
static void init_notifies_cb(struct ev_loop *loop, void *arg)
{
	struct check_run *r = arg;
	for (size_t i = 0; i < r->nvs; i++) {
		struct run_vs *v = &r->vs[i];
		for (size_t j = 0; j < v->nrs; j++)
			check_notify_rs(r->notify, v->rs[j].cfg, v->rs[j].alive, "initial state");
		check_notify_vs(r->notify, v->cfg, v->h.quorum_up, "initial state");
	}
}

struct check_run *check_run_new(struct ev_loop *loop, const struct check_cfg *c,
				const struct global_cfg *g, struct check_notify *notify,
				const struct check_run_hooks *hooks)
{
	struct check_run *r = xcalloc(1, sizeof(*r));
	r->loop = loop;
	r->cfg = c;
	r->g = g;
	r->notify = notify;
	if (hooks)
		r->hooks = *hooks;
	r->rng = mono_usec() ^ ((uint64_t)getpid() << 32);
	table_grow(r);
	build(r, c, NULL, 0);
	if (g->rs_init_notifies)
		ev_timer_add(loop, init_notifies_cb, r, 0, &r->init_timer);
	suspend_eval(r);
	return r;
}

void check_run_reload(struct check_run *r, const struct check_cfg *c, const struct global_cfg *g)
{
	struct run_vs *old = r->vs;
	size_t nold = r->nvs;
	for (size_t b = 0; b < r->nbuckets; b++)
		for (struct run_task *t = r->buckets[b]; t; t = t->hnext) {
			t->keep = false;
			t->nsubs = 0;
		}
	r->cfg = c;
	r->g = g;
	build(r, c, old, nold);
	for (size_t b = 0; b < r->nbuckets; b++) {
		struct run_task *t = r->buckets[b];
		while (t) {
			struct run_task *next = t->hnext;
			if (!t->keep)
				task_drop(r, t);
			t = next;
		}
	}
	/* Servers found again whose probes changed may have changed state. */
	for (size_t i = 0; i < r->nvs; i++) {
		struct run_vs *v = &r->vs[i];
		for (size_t j = 0; v->prev && j < v->nrs; j++)
			if (old_rs(v->prev, v->rs[j].cfg))
				rs_update(&v->rs[j], true);
		if (v->prev)
			vs_update(v, true);
		v->prev = NULL;
		ev_cancel(&v->sync_timer); /* the caller resynchronises everything */
	}
	vs_free_all(old, nold);
	suspend_eval(r);
}

void check_run_free(struct check_run *r, bool omega)
{
	if (!r)
		return;
	for (size_t i = 0; omega && i < r->nvs; i++) {
		struct run_vs *v = &r->vs[i];
		if (!v->cfg->omega)
			continue;
		for (size_t j = 0; j < v->nrs; j++)
			if (v->rs[j].alive)
				check_notify_rs(r->notify, v->rs[j].cfg, false, "shutdown");
		if (v->h.quorum_up)
			check_notify_vs(r->notify, v->cfg, false, "shutdown");
	}
	vs_free_all(r->vs, r->nvs);
	for (size_t b = 0; b < r->nbuckets; b++)
		while (r->buckets[b]) {
			struct run_task *t = r->buckets[b];
			r->buckets[b] = t->hnext;
			task_cancel_attempt(t);
			task_destroy(t);
		}
	/* The loop has stopped: no attempt will report any more. */
	while (r->zombies) {
		struct run_task *t = r->zombies;
		r->zombies = t->hnext;
		task_destroy(t);
	}
	ev_cancel(&r->suspend_timer);
	ev_cancel(&r->init_timer);
	free(r->buckets);
	free(r);
}

/* ---- accessors ---- */

size_t check_run_vs_count(const struct check_run *r)
{
	return r->nvs;
}

const struct check_vs *check_run_vs(const struct check_run *r, size_t i,
				    const struct check_ipvs_health **h)
{
	if (i >= r->nvs)
		return NULL;
	if (h)
		*h = &r->vs[i].h;
	return r->vs[i].cfg;
}

size_t check_run_push(struct check_run *r, enum check_kind kind,
		      bool (*match)(const struct check_probe *p, void *arg), void *arg,
		      const struct check_outcome *o)
{
	size_t n = 0;
	for (size_t b = 0; b < r->nbuckets; b++)
		for (struct run_task *t = r->buckets[b]; t; t = t->hnext) {
			if (t->p->kind != kind || !match(t->p, arg))
				continue;
			task_cancel_attempt(t);
			check_done(t, o);
			n++;
		}
	return n;
}

void check_run_set_alert_hook(struct check_run *r, check_alert_fn fn, void *arg)
{
	check_notify_set_alert(r->notify, fn, arg);
}

size_t check_run_probe_count(const struct check_run *r)
{
	return r->ntasks;
}
