/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_ipvs.c - desired IPVS table of a virtual server and its diff against the kernel (pure) */
#include <stdlib.h>
#include <string.h>

#include <linux/ip_vs.h>

#include "check/check_ipvs.h"
#include "util.h"

/* Service flags we set; the kernel reports others (HASHED) of its own. */
#define SVC_FLAGS_OURS (IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_ONEPACKET | IP_VS_SVC_F_SCHED1 | \
			IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3)

/* ---- quorum ---- */

unsigned long long check_ipvs_weight_sum(const struct check_ipvs_health *h)
{
	unsigned long long sum = 0;
	for (size_t i = 0; i < h->nrs; i++)
		if (h->rs[i].alive)
			sum += h->rs[i].weight;
	return sum;
}

bool check_ipvs_quorum(bool up, unsigned long long sum, unsigned quorum, unsigned hysteresis)
{
	if (!sum)
		return false;
	if (up)
		return sum + hysteresis >= quorum; /* i.e. not below quorum - hysteresis */
	return sum >= (unsigned long long)quorum + hysteresis;
}

/* ---- keys ---- */

static size_t addr_len(sa_family_t af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;
}

static int addr_cmp(const struct ka_addr *a, const struct ka_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(&a->u, &b->u, addr_len(a->family));
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

int check_ipvs_svc_cmp(const struct ipvs_service *a, const struct ipvs_service *b)
{
	int c = CMP(a->af, b->af);
	if (!c)
		c = CMP(a->fwmark, b->fwmark);
	if (c || a->fwmark)
		return c;
	c = CMP(a->protocol, b->protocol);
	if (!c)
		c = CMP(a->port, b->port);
	return c ? c : addr_cmp(&a->addr, &b->addr);
}

int check_ipvs_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	int c = addr_cmp(&a->addr, &b->addr);
	return c ? c : CMP(a->port, b->port);
}

/* ---- tables ---- */

void check_ipvs_table_free(struct check_ipvs_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].dests);
	free(t->v);
	*t = (struct check_ipvs_table){ 0 };
}

struct check_ipvs_svc *check_ipvs_table_add(struct check_ipvs_table *t,
					    const struct ipvs_service *svc)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	struct check_ipvs_svc *s = &t->v[t->n++];
	*s = (struct check_ipvs_svc){ .svc = *svc };
	s->svc.has_stats = false;
	return s;
}

void check_ipvs_svc_add_dest(struct check_ipvs_svc *s, const struct ipvs_dest *d, bool wanted)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4;
		s->dests = xrealloc(s->dests, s->cap * sizeof(*s->dests));
	}
	s->dests[s->n++] = (struct check_ipvs_dest){ .d = *d, .wanted = wanted };
}

static int svc_qcmp(const void *a, const void *b)
{
	const struct check_ipvs_svc *x = a, *y = b;
	return check_ipvs_svc_cmp(&x->svc, &y->svc);
}

static int dest_qcmp(const void *a, const void *b)
{
	const struct check_ipvs_dest *x = a, *y = b;
	return check_ipvs_dest_cmp(&x->d, &y->d);
}

/* Stable merge sort (qsort is not stable): among equal keys the entry
 * written first stays first, which the merge rules below rely on. */
static void stable_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n < 2)
		return;
	unsigned char *a = base, *tmp = xmalloc(n * size);
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi) {
				size_t from = cmp(a + j * size, a + i * size) < 0 ? j++ : i++;
				memcpy(tmp + k++ * size, a + from * size, size);
			}
			memcpy(tmp + k * size, a + i * size, (mid - i) * size);
			k += mid - i;
			memcpy(tmp + k * size, a + j * size, (hi - j) * size);
		}
		memcpy(a, tmp, n * size);
	}
	free(tmp);
}

static void svc_finish(struct check_ipvs_svc *s)
{
	if (s->n < 2)
		return;
	stable_sort(s->dests, s->n, sizeof(*s->dests), dest_qcmp);
	size_t w = 0;
	for (size_t r = 1; r < s->n; r++) {
		if (check_ipvs_dest_cmp(&s->dests[w].d, &s->dests[r].d)) {
			s->dests[++w] = s->dests[r];
			continue;
		}
		if (!s->dests[w].wanted && s->dests[r].wanted)
			s->dests[w] = s->dests[r];
	}
	s->n = w + 1;
}

void check_ipvs_table_finish(struct check_ipvs_table *t)
{
	if (!t->n)
		return;
	stable_sort(t->v, t->n, sizeof(*t->v), svc_qcmp);
	size_t w = 0;
	for (size_t r = 1; r < t->n; r++) {
		struct check_ipvs_svc *keep = &t->v[w], *s = &t->v[r];
		if (check_ipvs_svc_cmp(&keep->svc, &s->svc)) {
			t->v[++w] = *s;
			continue;
		}
		for (size_t i = 0; i < s->n; i++)
			check_ipvs_svc_add_dest(keep, &s->dests[i].d, s->dests[i].wanted);
		free(s->dests);
	}
	t->n = w + 1;
	for (size_t i = 0; i < t->n; i++)
		svc_finish(&t->v[i]);
}

struct check_ipvs_svc *check_ipvs_table_find(const struct check_ipvs_table *t,
					     const struct ipvs_service *key)
{
	size_t lo = 0, hi = t ? t->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = check_ipvs_svc_cmp(key, &t->v[mid].svc);
		if (!c)
			return &t->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct check_ipvs_dest *check_ipvs_svc_find(const struct check_ipvs_svc *s,
						  const struct ipvs_dest *key)
{
	size_t lo = 0, hi = s ? s->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = check_ipvs_dest_cmp(key, &s->dests[mid].d);
		if (!c)
			return &s->dests[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* ---- desired state ---- */

static void vs_service_base(const struct check_vs *vs, sa_family_t af, struct ipvs_service *s)
{
	ipvs_service_init(s, af);
	snprintf(s->sched_name, sizeof(s->sched_name), "%s", vs->sched ? vs->sched : "wlc");
	if (vs->persistence_engine)
		snprintf(s->pe_name, sizeof(s->pe_name), "%s", vs->persistence_engine);
	s->flags = vs->sched_flags | (vs->ops ? IP_VS_SVC_F_ONEPACKET : 0);
	s->timeout = vs->persistence_timeout;
	if (s->timeout)
		s->flags |= IP_VS_SVC_F_PERSISTENT;
	unsigned full = af == AF_INET6 ? 128 : 32;
	if (vs->has_granularity)
		s->netmask = (uint8_t)(vs->persistence_granularity < full
				       ? vs->persistence_granularity : full);
}

/* A real (or sorry) server as a destination of a service on port svc_port. */
static void rs_dest(const struct check_rs *rs, uint16_t svc_port, unsigned weight,
		    struct ipvs_dest *d)
{
	memset(d, 0, sizeof(*d));
	d->addr = rs->addr;
	d->addr.has_prefix = false;
	d->port = rs->port ? rs->port : svc_port;
	d->fwd = (uint32_t)rs->fwd.method;
	d->weight = (int32_t)weight;
	d->u_thresh = rs->uthreshold;
	d->l_thresh = rs->lthreshold;
	if (d->fwd == IP_VS_CONN_F_TUNNEL) {
		d->tun_type = (uint8_t)rs->fwd.tun_type;
		d->tun_port = (uint16_t)rs->fwd.tun_port;
		d->tun_flags = (uint16_t)(rs->fwd.tun_csum > 0 ? rs->fwd.tun_csum : 0);
	}
}

/* Fill the destinations of one service of vs. */
static void fill_dests(struct check_ipvs_svc *s, const struct check_vs *vs,
		       const struct check_ipvs_health *h)
{
	bool sorry = vs->sorry_server && h && !h->quorum_up;
	struct ipvs_dest d;
	size_t i = 0;
	cfg_list_for_each(const struct check_rs, rs, &vs->rs) {
		const struct check_ipvs_rs_health *rh = h && i < h->nrs ? &h->rs[i] : NULL;
		bool alive = rh ? rh->alive : true;
		unsigned w = rh ? rh->weight : rs->weight;
		bool inhibit = rs->inhibit_on_failure == GLOBAL_ON;
		i++;
		if (alive && !sorry) {
			rs_dest(rs, s->svc.port, w, &d);
			check_ipvs_svc_add_dest(s, &d, true);
		} else {
			rs_dest(rs, s->svc.port, 0, &d);
			check_ipvs_svc_add_dest(s, &d, inhibit);
		}
	}
	if (!vs->sorry_server)
		return;
	const struct check_rs *ss = vs->sorry_server;
	rs_dest(ss, s->svc.port, sorry ? ss->weight : 0, &d);
	check_ipvs_svc_add_dest(s, &d, sorry || vs->sorry_server_inhibit);
}

static void add_addr_svc(struct check_ipvs_table *out, const struct check_vs *vs,
			 const struct ka_addr *a, uint16_t port, const struct check_ipvs_health *h)
{
	struct ipvs_service s;
	vs_service_base(vs, a->family, &s);
	s.protocol = (uint16_t)vs->protocol;
	s.addr = *a;
	s.addr.has_prefix = false;
	s.port = port;
	fill_dests(check_ipvs_table_add(out, &s), vs, h);
}

static void add_fwmark_svc(struct check_ipvs_table *out, const struct check_vs *vs, int af,
			   unsigned mark, const struct check_ipvs_health *h)
{
	struct ipvs_service s;
	vs_service_base(vs, (sa_family_t)af, &s);
	s.fwmark = mark;
	fill_dests(check_ipvs_table_add(out, &s), vs, h);
}

static void addr_next(struct ka_addr *a)
{
	uint8_t *b = a->family == AF_INET ? (uint8_t *)&a->u.v4 : a->u.v6.s6_addr;
	for (size_t i = addr_len(a->family); i-- > 0;)
		if (++b[i])
			break;
}

static void add_group(struct check_ipvs_table *out, const struct check_vs *vs,
		      const struct check_ipvs_health *h)
{
	cfg_list_for_each(const struct check_vsg_entry, e, &vs->group->entries) {
		if (e->kind == CHECK_VSG_FWMARK) {
			int af = e->family != AF_UNSPEC ? e->family : vs->family;
			add_fwmark_svc(out, vs, af, e->fwmark, h);
			continue;
		}
		/* The parser bounds a range to 65536 addresses. */
		struct ka_addr a = e->first;
		for (;;) {
			add_addr_svc(out, vs, &a, e->port, h);
			if (addr_cmp(&a, &e->last) >= 0)
				break;
			addr_next(&a);
		}
	}
}

void check_ipvs_desired(const struct check_vs *vs, const struct check_ipvs_health *h,
			struct check_ipvs_table *out)
{
	switch (vs->kind) {
	case CHECK_VS_ADDR:
		add_addr_svc(out, vs, &vs->addr, vs->port, h);
		break;
	case CHECK_VS_FWMARK:
		add_fwmark_svc(out, vs, vs->family, vs->fwmark, h);
		break;
	case CHECK_VS_GROUP:
		if (vs->group)
			add_group(out, vs, h);
		break;
	}
}

/* ---- diff ---- */

void check_ipvs_ops_free(struct check_ipvs_ops *o)
{
	free(o->v);
	*o = (struct check_ipvs_ops){ 0 };
}

const char *check_ipvs_op_name(enum check_ipvs_op_kind k)
{
	static const char *const names[] = {
		[CHECK_IPVS_ADD_SVC] = "add service", [CHECK_IPVS_EDIT_SVC] = "edit service",
		[CHECK_IPVS_DEL_SVC] = "delete service",
		[CHECK_IPVS_ADD_DEST] = "add destination",
		[CHECK_IPVS_EDIT_DEST] = "edit destination",
		[CHECK_IPVS_DEL_DEST] = "delete destination",
	};
	return (unsigned)k < ARRAY_SIZE(names) ? names[k] : "?";
}

static void op_add(struct check_ipvs_ops *o, enum check_ipvs_op_kind k,
		   const struct ipvs_service *svc, const struct ipvs_dest *d)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 16;
		o->v = xrealloc(o->v, o->cap * sizeof(*o->v));
	}
	struct check_ipvs_op *op = &o->v[o->n++];
	memset(op, 0, sizeof(*op));
	op->kind = k;
	op->svc = *svc;
	op->svc.has_stats = false;
	if (d) {
		op->dest = *d;
		op->dest.has_stats = false;
	}
}

static uint32_t svc_flags(const struct ipvs_service *s)
{
	uint32_t f = s->flags & SVC_FLAGS_OURS & ~(uint32_t)IP_VS_SVC_F_PERSISTENT;
	return f | (s->timeout ? IP_VS_SVC_F_PERSISTENT : 0);
}

bool check_ipvs_svc_same(const struct ipvs_service *want, const struct ipvs_service *kern)
{
	if (strcmp(want->sched_name, kern->sched_name) || strcmp(want->pe_name, kern->pe_name) ||
	    svc_flags(want) != svc_flags(kern) || want->timeout != kern->timeout)
		return false;
	/* The granularity only means something for a persistent service. */
	return !want->timeout || want->netmask == kern->netmask;
}

bool check_ipvs_dest_same(const struct ipvs_dest *want, const struct ipvs_dest *kern)
{
	uint32_t fwd = want->fwd & IP_VS_CONN_F_FWD_MASK;
	if (fwd != (kern->fwd & IP_VS_CONN_F_FWD_MASK) || want->weight != kern->weight ||
	    want->u_thresh != kern->u_thresh || want->l_thresh != kern->l_thresh)
		return false;
	if (fwd != IP_VS_CONN_F_TUNNEL)
		return true;
	return want->tun_type == kern->tun_type && want->tun_port == kern->tun_port &&
	       want->tun_flags == kern->tun_flags;
}

/* Destination operations of one service present in both tables. */
static void diff_dests(const struct check_ipvs_svc *w, const struct check_ipvs_svc *k,
		       const struct check_ipvs_svc *o, struct check_ipvs_ops *out)
{
	for (size_t i = 0; i < w->n; i++) {
		const struct check_ipvs_dest *wd = &w->dests[i];
		if (!wd->wanted)
			continue;
		const struct check_ipvs_dest *kd = check_ipvs_svc_find(k, &wd->d);
		if (!kd)
			op_add(out, CHECK_IPVS_ADD_DEST, &w->svc, &wd->d);
		else if (!check_ipvs_dest_same(&wd->d, &kd->d))
			op_add(out, CHECK_IPVS_EDIT_DEST, &w->svc, &wd->d);
	}
	for (size_t i = 0; i < k->n; i++) {
		const struct check_ipvs_dest *kd = &k->dests[i];
		const struct check_ipvs_dest *wd = check_ipvs_svc_find(w, &kd->d);
		if (wd ? !wd->wanted : check_ipvs_svc_find(o, &kd->d) != NULL)
			op_add(out, CHECK_IPVS_DEL_DEST, &w->svc, &kd->d);
	}
}

void check_ipvs_diff(const struct check_ipvs_table *want, const struct check_ipvs_table *kernel,
		     const struct check_ipvs_table *owned, struct check_ipvs_ops *out)
{
	for (size_t i = 0; i < want->n; i++) {
		const struct check_ipvs_svc *w = &want->v[i];
		const struct check_ipvs_svc *k = check_ipvs_table_find(kernel, &w->svc);
		if (!k) {
			op_add(out, CHECK_IPVS_ADD_SVC, &w->svc, NULL);
			for (size_t j = 0; j < w->n; j++)
				if (w->dests[j].wanted)
					op_add(out, CHECK_IPVS_ADD_DEST, &w->svc, &w->dests[j].d);
			continue;
		}
		if (!check_ipvs_svc_same(&w->svc, &k->svc))
			op_add(out, CHECK_IPVS_EDIT_SVC, &w->svc, NULL);
		diff_dests(w, k, check_ipvs_table_find(owned, &w->svc), out);
	}
	for (size_t i = 0; i < kernel->n; i++) {
		const struct check_ipvs_svc *k = &kernel->v[i];
		if (!check_ipvs_table_find(want, &k->svc) && check_ipvs_table_find(owned, &k->svc))
			op_add(out, CHECK_IPVS_DEL_SVC, &k->svc, NULL);
	}
}
