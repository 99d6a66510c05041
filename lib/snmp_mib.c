/* SPDX-License-Identifier: GPL-2.0-or-later */
/* snmp_mib.c - GET/GETNEXT over modules described as data; values, OIDs, notification lists */
#include <string.h>

#include "snmp_mib.h"

/* ---- values ---- */

bool snmp_val_int(struct snmp_value *v, int64_t x)
{
	v->type = SNMP_T_INTEGER;
	v->i = x;
	return true;
}

bool snmp_val_gauge(struct snmp_value *v, uint64_t x)
{
	v->type = SNMP_T_GAUGE;
	v->u = x > UINT32_MAX ? UINT32_MAX : x;
	return true;
}

bool snmp_val_counter32(struct snmp_value *v, uint64_t x)
{
	v->type = SNMP_T_COUNTER32;
	v->u = x & UINT32_MAX;
	return true;
}

bool snmp_val_counter64(struct snmp_value *v, uint64_t x)
{
	v->type = SNMP_T_COUNTER64;
	v->u = x;
	return true;
}

bool snmp_val_ticks(struct snmp_value *v, uint64_t centiseconds)
{
	v->type = SNMP_T_TIMETICKS;
	v->u = centiseconds & UINT32_MAX;
	return true;
}

bool snmp_val_bytes(struct snmp_value *v, const void *p, size_t n)
{
	v->type = SNMP_T_STRING;
	v->len = n > sizeof(v->buf) ? sizeof(v->buf) : n;
	if (v->len)
		memcpy(v->buf, p, v->len);
	return true;
}

bool snmp_val_str(struct snmp_value *v, const char *s)
{
	return snmp_val_bytes(v, s ? s : "", s ? strlen(s) : 0);
}

bool snmp_val_bool(struct snmp_value *v, bool yes)
{
	return snmp_val_int(v, yes ? 1 : 2);
}

bool snmp_val_inet(struct snmp_value *v, const struct ka_addr *a)
{
	if (a && a->family == AF_INET)
		return snmp_val_bytes(v, &a->u.v4, 4);
	if (a && a->family == AF_INET6)
		return snmp_val_bytes(v, &a->u.v6, 16);
	return snmp_val_bytes(v, NULL, 0);
}

bool snmp_val_inet_type(struct snmp_value *v, const struct ka_addr *a)
{
	int t = 0;

	if (a && a->family == AF_INET)
		t = 1;
	else if (a && a->family == AF_INET6)
		t = 2;
	return snmp_val_int(v, t);
}

bool snmp_val_ipaddr(struct snmp_value *v, const struct ka_addr *a)
{
	static const uint8_t any[4];

	v->type = SNMP_T_IPADDRESS;
	v->len = 4;
	memcpy(v->buf, a && a->family == AF_INET ? (const void *)&a->u.v4 : any, 4);
	return true;
}

/* ---- OIDs ---- */

int snmp_oid_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

void snmp_oid_set(struct snmp_oid *o, const uint32_t *v, size_t n)
{
	o->len = 0;
	snmp_oid_append(o, v, n);
}

void snmp_oid_push(struct snmp_oid *o, uint32_t id)
{
	if (o->len < SNMP_OID_MAX)
		o->v[o->len++] = id;
}

void snmp_oid_append(struct snmp_oid *o, const uint32_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		snmp_oid_push(o, v[i]);
}

static void push_bytes(struct snmp_oid *o, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		snmp_oid_push(o, p[i]);
}

void snmp_oid_push_inet(struct snmp_oid *o, const struct ka_addr *a)
{
	if (a->family == AF_INET) {
		snmp_oid_push(o, 4);
		push_bytes(o, (const uint8_t *)&a->u.v4, 4);
	} else if (a->family == AF_INET6) {
		snmp_oid_push(o, 16);
		push_bytes(o, a->u.v6.s6_addr, 16);
	} else {
		snmp_oid_push(o, 0);
	}
}

void snmp_oid_push_ipaddr(struct snmp_oid *o, const struct ka_addr *a)
{
	static const uint8_t any[4];

	push_bytes(o, a->family == AF_INET ? (const uint8_t *)&a->u.v4 : any, 4);
}

static bool has_prefix(const uint32_t *q, size_t qlen, const struct snmp_oid *p)
{
	return qlen >= p->len && !snmp_oid_cmp(q, p->len, p->v, p->len);
}

void snmp_mib_node_oid(const struct snmp_module *m, const uint32_t *sub, size_t sublen,
		       struct snmp_oid *o)
{
	snmp_oid_set(o, m->root, m->rootlen);
	snmp_oid_append(o, sub, sublen);
}

/* ---- tables ---- */

/* The row of t with the smallest index above `after` (any row when after
 * is NULL) into *best. Rows come in source order, so all are looked at. */
static bool table_min_row(const struct snmp_table *t, void *arg, const struct snmp_oid *after,
			  struct snmp_row *best)
{
	struct snmp_row r;
	bool found = false;

	memset(&r, 0, sizeof(r));
	for (bool ok = t->row(arg, &r, true); ok; r.idx.len = 0, ok = t->row(arg, &r, false)) {
		if (after && snmp_oid_cmp(r.idx.v, r.idx.len, after->v, after->len) <= 0)
			continue;
		if (found && snmp_oid_cmp(r.idx.v, r.idx.len, best->idx.v, best->idx.len) >= 0)
			continue;
		*best = r;
		found = true;
	}
	return found;
}

static bool table_find_row(const struct snmp_table *t, void *arg, const uint32_t *idx,
			   size_t idxlen, struct snmp_row *out)
{
	memset(out, 0, sizeof(*out));
	for (bool ok = t->row(arg, out, true); ok; out->idx.len = 0, ok = t->row(arg, out, false))
		if (!snmp_oid_cmp(out->idx.v, out->idx.len, idx, idxlen))
			return true;
	return false;
}

static void cell_oid(const struct snmp_oid *p, uint32_t col, const struct snmp_oid *idx,
		     struct snmp_oid *out)
{
	*out = *p;
	snmp_oid_push(out, 1);
	snmp_oid_push(out, col);
	snmp_oid_append(out, idx->v, idx->len);
}

/*
 * First cell of the table at prefix p that comes after q. Cells are
 * p.1.col.idx: column by column, each in index order. *start_col and
 * *after say where the search starts (after NULL: at the column's first
 * row).
 */
static bool table_start(const struct snmp_table *t, const struct snmp_oid *p, const uint32_t *q,
			size_t qlen, uint32_t *col, struct snmp_oid *after, bool *have_after)
{
	const uint32_t *rest = q + p->len;
	size_t rlen = qlen - p->len;

	*col = t->first_col;
	*have_after = false;
	if (!has_prefix(q, qlen, p))
		return snmp_oid_cmp(q, qlen, p->v, p->len) < 0;
	if (rlen == 0 || rest[0] < 1)
		return true;
	if (rest[0] > 1)
		return false;
	if (rlen == 1 || rest[1] < t->first_col)
		return true;
	if (rest[1] > t->last_col)
		return false;
	*col = rest[1];
	snmp_oid_set(after, rest + 2, rlen - 2);
	*have_after = true;
	return true;
}

static bool table_next(const struct snmp_table *t, void *arg, const struct snmp_oid *p,
		       const uint32_t *q, size_t qlen, struct snmp_oid *out, struct snmp_value *v)
{
	struct snmp_oid after;
	struct snmp_row best;
	bool have_after;
	uint32_t col;

	if (!table_start(t, p, q, qlen, &col, &after, &have_after))
		return false;
	for (; col <= t->last_col; col++, have_after = false) {
		while (table_min_row(t, arg, have_after ? &after : NULL, &best)) {
			memset(v, 0, sizeof(*v));
			if (t->get(arg, &best, col, v)) {
				cell_oid(p, col, &best.idx, out);
				return true;
			}
			/* this row lacks the column: try the next row */
			after = best.idx;
			have_after = true;
		}
	}
	return false;
}

static bool table_get(const struct snmp_table *t, void *arg, const struct snmp_oid *p,
		      const uint32_t *q, size_t qlen, struct snmp_value *v)
{
	const uint32_t *rest = q + p->len;
	size_t rlen = qlen - p->len;
	struct snmp_row r;

	if (rlen < 3 || rest[0] != 1 || rest[1] < t->first_col || rest[1] > t->last_col)
		return false;
	if (!table_find_row(t, arg, rest + 2, rlen - 2, &r))
		return false;
	memset(v, 0, sizeof(*v));
	return t->get(arg, &r, rest[1], v);
}

/* ---- modules ---- */

static bool scalar_get(const struct snmp_module *m, void *arg, const struct snmp_node *n,
		       struct snmp_value *v)
{
	memset(v, 0, sizeof(*v));
	return m->scalar && m->scalar(arg, n->id, v);
}

int snmp_mib_get(const struct snmp_module *m, void *arg, const uint32_t *q, size_t qlen,
		 struct snmp_value *v)
{
	struct snmp_oid p;

	for (size_t i = 0; i < m->nnodes; i++) {
		const struct snmp_node *n = &m->nodes[i];

		snmp_mib_node_oid(m, n->sub, n->sublen, &p);
		if (!has_prefix(q, qlen, &p))
			continue;
		if (n->table)
			return table_get(n->table, arg, &p, q, qlen, v) ? 0 : -1;
		if (qlen == p.len + 1 && q[p.len] == 0)
			return scalar_get(m, arg, n, v) ? 0 : -1;
		return -1;
	}
	return -1;
}

int snmp_mib_next(const struct snmp_module *m, void *arg, const uint32_t *q, size_t qlen,
		  struct snmp_oid *out, struct snmp_value *v)
{
	struct snmp_oid p;

	for (size_t i = 0; i < m->nnodes; i++) {
		const struct snmp_node *n = &m->nodes[i];

		snmp_mib_node_oid(m, n->sub, n->sublen, &p);
		if (n->table) {
			if (table_next(n->table, arg, &p, q, qlen, out, v))
				return 0;
			continue;
		}
		snmp_oid_push(&p, 0);
		if (snmp_oid_cmp(p.v, p.len, q, qlen) > 0 && scalar_get(m, arg, n, v)) {
			*out = p;
			return 0;
		}
	}
	return -1;
}

/* ---- notifications ---- */

void snmp_trap_init(struct snmp_trap *t, const char *name, const uint32_t *oid, size_t len)
{
	t->name = name;
	t->n = 0;
	snmp_oid_set(&t->trap_oid, oid, len);
}

struct snmp_value *snmp_trap_add(struct snmp_trap *t, const struct snmp_oid *base, uint32_t col,
				 const struct snmp_oid *idx)
{
	struct snmp_varbind *vb;

	if (t->n >= SNMP_TRAP_MAX_VB)
		return NULL;
	vb = &t->vb[t->n++];
	memset(vb, 0, sizeof(*vb));
	vb->oid = *base;
	if (col)
		snmp_oid_push(&vb->oid, col);
	if (idx)
		snmp_oid_append(&vb->oid, idx->v, idx->len);
	return &vb->v;
}
