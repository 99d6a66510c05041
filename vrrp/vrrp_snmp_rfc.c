/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_snmp_rfc.c - VRRP-MIB (RFC 2787) and VRRPv3-MIB (RFC 6527): tables, counters, traps */
#include <string.h>

#include "util.h"
#include "vrrp/vrrp_snmp_int.h"

/*
 * As keepalived does, VRRP-MIB lists the VRRPv2 IPv4 instances and
 * VRRPv3-MIB the VRRPv3 instances (both families), each only when it has
 * at least one virtual address and an interface (ifIndex is part of the
 * index). The objects are read-only here, though the RFCs make some of
 * them writable.
 */

#define OID_RFC2 1, 3, 6, 1, 2, 1, 68
#define OID_RFC3 1, 3, 6, 1, 2, 1, 207

static bool suitable(const struct vrrp_snmp_inst *in, unsigned version)
{
	if (in->version != version || !in->nvips || in->ifindex <= 0)
		return false;
	return version == 3 || in->family == AF_INET;
}

static const struct ka_addr *master_addr(const struct vrrp_snmp_inst *in)
{
	return in->state == VRRP_SNMP_MASTER ? &in->primary_addr : &in->master_addr;
}

/* 00-00-5E-00-01-{VRID} (IPv4) or 00-00-5E-00-02-{VRID} (IPv6) */
static bool vmac(struct snmp_value *v, const struct vrrp_snmp_inst *in)
{
	uint8_t mac[6] = { 0, 0, 0x5e, 0, in->family == AF_INET6 ? 2 : 1, (uint8_t)in->vrid };

	return snmp_val_bytes(v, mac, sizeof(mac));
}

int vrrp_snmp_rfc_state(enum vrrp_snmp_state st)
{
	return st == VRRP_SNMP_MASTER ? 3 : st == VRRP_SNMP_BACKUP ? 2 : 1;
}

static void push_index(struct snmp_oid *o, const struct vrrp_snmp_inst *in, unsigned version)
{
	snmp_oid_push(o, (uint32_t)in->ifindex);
	snmp_oid_push(o, in->vrid);
	if (version == 3)
		snmp_oid_push(o, in->family == AF_INET6 ? 2 : 1);
}

/* Rows of the per-instance tables: the suitable instances. */
static bool rfc_row(struct vrrp_snmp *s, struct snmp_row *r, bool first, unsigned version)
{
	struct vrrp_snmp_inst in;

	for (r->a = first ? 0 : r->a + 1; vrrp_snmp_inst_at(s, r->a, &in); r->a++) {
		if (suitable(&in, version)) {
			push_index(&r->idx, &in, version);
			return true;
		}
	}
	return false;
}

/* Rows of the associated-address tables: the VIPs (not the excluded
 * addresses) of the suitable instances, of the instance's family. */
static bool rfc_addr_row(struct vrrp_snmp *s, struct snmp_row *r, bool first, unsigned version)
{
	struct vrrp_snmp_inst in;
	struct vrrp_snmp_addr ad;

	if (first)
		r->a = r->b = 0;
	else
		r->b++;
	for (; vrrp_snmp_inst_at(s, r->a, &in); r->a++, r->b = 0) {
		if (!suitable(&in, version))
			continue;
		for (; s->src->addr(s->arg, r->a, r->b, &ad); r->b++) {
			if (!ad.advertised || ad.addr.family != in.family)
				continue;
			push_index(&r->idx, &in, version);
			if (version == 3)
				snmp_oid_push_inet(&r->idx, &ad.addr);
			else
				snmp_oid_push_ipaddr(&r->idx, &ad.addr);
			return true;
		}
	}
	return false;
}

static bool row_status_active(void *arg, const struct snmp_row *r, uint32_t col,
			      struct snmp_value *v)
{
	return col == 2 && snmp_val_int(v, 1);
}

/* ---- VRRP-MIB ---- */

enum { R2_NODE_VERSION = 1, R2_NOTIF_CNTL, R2_CSUM_ERR, R2_VERSION_ERR, R2_VRID_ERR };

static bool rfc2_scalar(void *arg, unsigned id, struct snmp_value *v)
{
	struct vrrp_snmp *s = arg;
	uint64_t csum = 0, ver = 0, vrid = 0;

	switch (id) {
	case R2_NODE_VERSION:
		return snmp_val_int(v, 2);
	case R2_NOTIF_CNTL:
		return snmp_val_bool(v, s->set.traps);
	default:
		break;
	}
	s->src->router_errors(s->arg, &csum, &ver, &vrid);
	return snmp_val_counter32(v, id == R2_CSUM_ERR ? csum : id == R2_VERSION_ERR ? ver : vrid);
}

static bool rfc2_row(void *arg, struct snmp_row *r, bool first)
{
	return rfc_row(arg, r, first, 2);
}

static bool rfc2_addr_row(void *arg, struct snmp_row *r, bool first)
{
	return rfc_addr_row(arg, r, first, 2);
}

static bool rfc2_oper_get(void *arg, const struct snmp_row *r, uint32_t col,
			  struct snmp_value *v)
{
	struct vrrp_snmp_inst in;

	if (!vrrp_snmp_inst_at(arg, r->a, &in))
		return false;
	switch (col) {
	case 2: return vmac(v, &in);
	case 3: return snmp_val_int(v, vrrp_snmp_rfc_state(in.state));
	case 4: return snmp_val_int(v, 1); /* adminState up */
	case 5: return snmp_val_int(v, in.base_prio);
	case 6: return snmp_val_int(v, in.nvips);
	case 7: return snmp_val_ipaddr(v, master_addr(&in));
	case 8: return snmp_val_ipaddr(v, &in.primary_addr);
	case 9: return snmp_val_int(v, in.auth_type + 1);
	case 10: return snmp_val_bytes(v, NULL, 0); /* the RFC: always read as empty */
	case 11: return snmp_val_int(v, (int64_t)(in.adver_int_us / 1000000u));
	case 12: return snmp_val_bool(v, in.preempt);
	case 13: return snmp_val_ticks(v, vrrp_snmp_uptime_cs(arg, in.name));
	case 14: return snmp_val_int(v, 1); /* ip */
	case 15: return snmp_val_int(v, 1); /* active */
	default: return false;
	}
}

static bool rfc2_stats_get(void *arg, const struct snmp_row *r, uint32_t col,
			   struct snmp_value *v)
{
	struct vrrp_snmp_inst in;
	const struct vrrp_snmp_counters *c = &in.stats;
	const uint64_t *cols[] = {
		NULL, &c->become_master, &c->advert_rcvd, &c->interval_err, &c->auth_failure,
		&c->ttl_err, &c->prio0_rcvd, &c->prio0_sent, &c->invalid_type, &c->addr_list_err,
		&c->invalid_auth_type, &c->auth_type_mismatch, &c->len_err,
	};

	if (col < 1 || col >= ARRAY_SIZE(cols) || !vrrp_snmp_inst_at(arg, r->a, &in))
		return false;
	return snmp_val_counter32(v, *cols[col]);
}

static const struct snmp_table rfc2_oper = {
	.first_col = 2, .last_col = 15, .row = rfc2_row, .get = rfc2_oper_get,
};
static const struct snmp_table rfc2_asso = {
	.first_col = 2, .last_col = 2, .row = rfc2_addr_row, .get = row_status_active,
};
static const struct snmp_table rfc2_stats = {
	.first_col = 1, .last_col = 12, .row = rfc2_row, .get = rfc2_stats_get,
};

static const struct snmp_node rfc2_nodes[] = {
	{ .sub = { 1, 1 }, .sublen = 2, .id = R2_NODE_VERSION },
	{ .sub = { 1, 2 }, .sublen = 2, .id = R2_NOTIF_CNTL },
	{ .sub = { 1, 3 }, .sublen = 2, .table = &rfc2_oper },
	{ .sub = { 1, 4 }, .sublen = 2, .table = &rfc2_asso },
	{ .sub = { 2, 1 }, .sublen = 2, .id = R2_CSUM_ERR },
	{ .sub = { 2, 2 }, .sublen = 2, .id = R2_VERSION_ERR },
	{ .sub = { 2, 3 }, .sublen = 2, .id = R2_VRID_ERR },
	{ .sub = { 2, 4 }, .sublen = 2, .table = &rfc2_stats },
};

const struct snmp_module vrrp_snmp_rfc2_module = {
	.name = "VRRP-MIB",
	.root = { OID_RFC2 },
	.rootlen = 7,
	.nodes = rfc2_nodes,
	.nnodes = ARRAY_SIZE(rfc2_nodes),
	.scalar = rfc2_scalar,
};

/* ---- VRRPv3-MIB ---- */

enum { R3_CSUM_ERR = 1, R3_VERSION_ERR, R3_VRID_ERR, R3_DISCONTINUITY };

static bool rfc3_scalar(void *arg, unsigned id, struct snmp_value *v)
{
	struct vrrp_snmp *s = arg;
	uint64_t csum = 0, ver = 0, vrid = 0;

	if (id == R3_DISCONTINUITY)
		return snmp_val_ticks(v, 0);
	s->src->router_errors(s->arg, &csum, &ver, &vrid);
	return snmp_val_counter64(v, id == R3_CSUM_ERR ? csum : id == R3_VERSION_ERR ? ver : vrid);
}

static bool rfc3_row(void *arg, struct snmp_row *r, bool first)
{
	return rfc_row(arg, r, first, 3);
}

static bool rfc3_addr_row(void *arg, struct snmp_row *r, bool first)
{
	return rfc_addr_row(arg, r, first, 3);
}

static bool rfc3_oper_get(void *arg, const struct snmp_row *r, uint32_t col,
			  struct snmp_value *v)
{
	struct vrrp_snmp_inst in;

	if (!vrrp_snmp_inst_at(arg, r->a, &in))
		return false;
	switch (col) {
	case 3: return snmp_val_inet(v, master_addr(&in));
	case 4: return snmp_val_inet(v, &in.primary_addr);
	case 5: return vmac(v, &in);
	case 6: return snmp_val_int(v, vrrp_snmp_rfc_state(in.state));
	case 7: return snmp_val_gauge(v, in.base_prio);
	case 8: return snmp_val_int(v, in.nvips);
	case 9: return snmp_val_int(v, (int64_t)(in.adver_int_us / 10000u));
	case 10: return snmp_val_bool(v, in.preempt);
	case 11: return snmp_val_bool(v, in.accept);
	case 12: return snmp_val_ticks(v, vrrp_snmp_uptime_cs(arg, in.name));
	case 13: return snmp_val_int(v, 1); /* active */
	default: return false;
	}
}

static bool rfc3_stats_get(void *arg, const struct snmp_row *r, uint32_t col,
			   struct snmp_value *v)
{
	struct vrrp_snmp_inst in;
	const struct vrrp_snmp_counters *c = &in.stats;
	const struct vrrp_snmp_mark *m;

	if (!vrrp_snmp_inst_at(arg, r->a, &in))
		return false;
	m = vrrp_snmp_mark(arg, in.name);
	switch (col) {
	case 1: return snmp_val_counter32(v, c->become_master);
	case 2: return snmp_val_int(v, in.state == VRRP_SNMP_MASTER ? m->master_reason : 0);
	case 3: return snmp_val_counter64(v, c->advert_rcvd);
	case 4: return snmp_val_counter64(v, c->interval_err);
	case 5: return snmp_val_counter64(v, c->ttl_err);
	case 6: return snmp_val_int(v, m->proto_err);
	case 7: return snmp_val_counter64(v, c->prio0_rcvd);
	case 8: return snmp_val_counter64(v, c->prio0_sent);
	case 9: return snmp_val_counter64(v, c->invalid_type);
	case 10: return snmp_val_counter64(v, c->addr_list_err);
	case 11: return snmp_val_counter64(v, c->len_err);
	case 12: return snmp_val_ticks(v, 0);
	case 13: return snmp_val_gauge(v, in.adver_int_us / 1000u); /* milliseconds */
	default: return false;
	}
}

static const struct snmp_table rfc3_oper = {
	.first_col = 3, .last_col = 13, .row = rfc3_row, .get = rfc3_oper_get,
};
static const struct snmp_table rfc3_asso = {
	.first_col = 2, .last_col = 2, .row = rfc3_addr_row, .get = row_status_active,
};
static const struct snmp_table rfc3_stats = {
	.first_col = 1, .last_col = 13, .row = rfc3_row, .get = rfc3_stats_get,
};

static const struct snmp_node rfc3_nodes[] = {
	{ .sub = { 1, 1, 1 }, .sublen = 3, .table = &rfc3_oper },
	{ .sub = { 1, 1, 2 }, .sublen = 3, .table = &rfc3_asso },
	{ .sub = { 1, 2, 1 }, .sublen = 3, .id = R3_CSUM_ERR },
	{ .sub = { 1, 2, 2 }, .sublen = 3, .id = R3_VERSION_ERR },
	{ .sub = { 1, 2, 3 }, .sublen = 3, .id = R3_VRID_ERR },
	{ .sub = { 1, 2, 4 }, .sublen = 3, .id = R3_DISCONTINUITY },
	{ .sub = { 1, 2, 5 }, .sublen = 3, .table = &rfc3_stats },
};

const struct snmp_module vrrp_snmp_rfc3_module = {
	.name = "VRRPV3-MIB",
	.root = { OID_RFC3 },
	.rootlen = 7,
	.nodes = rfc3_nodes,
	.nnodes = ARRAY_SIZE(rfc3_nodes),
	.scalar = rfc3_scalar,
};

/* ---- notifications ---- */

static void cell(struct snmp_oid *o, const uint32_t *base, size_t n, uint32_t col,
		 const struct vrrp_snmp_inst *in, unsigned version)
{
	snmp_oid_set(o, base, n);
	snmp_oid_push(o, col);
	push_index(o, in, version);
}

void vrrp_snmp_trap_new_master(struct vrrp_snmp *s, size_t i)
{
	static const uint32_t t2[] = { OID_RFC2, 0, 1 }, oper2[] = { OID_RFC2, 1, 3, 1 };
	static const uint32_t t3[] = { OID_RFC3, 0, 1 }, oper3[] = { OID_RFC3, 1, 1, 1, 1 };
	static const uint32_t stats3[] = { OID_RFC3, 1, 2, 5, 1 };
	struct vrrp_snmp_inst in;
	struct snmp_trap t;
	struct snmp_oid o;
	struct snmp_value *v;

	if (!vrrp_snmp_inst_at(s, i, &in))
		return;
	if (s->set.rfcv2 && suitable(&in, 2)) {
		snmp_trap_init(&t, "vrrpTrapNewMaster", t2, ARRAY_SIZE(t2));
		cell(&o, oper2, ARRAY_SIZE(oper2), 7, &in, 2);
		if ((v = snmp_trap_add(&t, &o, 0, NULL)))
			snmp_val_ipaddr(v, master_addr(&in));
		vrrp_snmp_send(s, &t);
	}
	if (s->set.rfcv3 && suitable(&in, 3)) {
		snmp_trap_init(&t, "vrrpv3NewMaster", t3, ARRAY_SIZE(t3));
		cell(&o, oper3, ARRAY_SIZE(oper3), 3, &in, 3);
		if ((v = snmp_trap_add(&t, &o, 0, NULL)))
			snmp_val_inet(v, master_addr(&in));
		cell(&o, stats3, ARRAY_SIZE(stats3), 2, &in, 3);
		if ((v = snmp_trap_add(&t, &o, 0, NULL)))
			snmp_val_int(v, vrrp_snmp_mark(s, in.name)->master_reason);
		vrrp_snmp_send(s, &t);
	}
}

void vrrp_snmp_trap_auth_failure(struct vrrp_snmp *s, size_t i, const struct ka_addr *src,
				 int err_type)
{
	static const uint32_t trap[] = { OID_RFC2, 0, 2 };
	static const uint32_t psrc[] = { OID_RFC2, 1, 5, 0 }, etype[] = { OID_RFC2, 1, 6, 0 };
	struct vrrp_snmp_inst in;
	struct snmp_trap t;
	struct snmp_oid o;
	struct snmp_value *v;

	if (!s->set.rfcv2 || !vrrp_snmp_inst_at(s, i, &in) || !suitable(&in, 2))
		return;
	snmp_trap_init(&t, "vrrpTrapAuthFailure", trap, ARRAY_SIZE(trap));
	snmp_oid_set(&o, psrc, ARRAY_SIZE(psrc));
	if ((v = snmp_trap_add(&t, &o, 0, NULL)))
		snmp_val_ipaddr(v, src);
	snmp_oid_set(&o, etype, ARRAY_SIZE(etype));
	if ((v = snmp_trap_add(&t, &o, 0, NULL)))
		snmp_val_int(v, err_type);
	vrrp_snmp_send(s, &t);
}

void vrrp_snmp_trap_proto_error(struct vrrp_snmp *s, size_t i, int reason)
{
	static const uint32_t trap[] = { OID_RFC3, 0, 2 };
	static const uint32_t stats3[] = { OID_RFC3, 1, 2, 5, 1 };
	struct vrrp_snmp_inst in;
	struct snmp_trap t;
	struct snmp_oid o;
	struct snmp_value *v;

	if (!s->set.rfcv3 || !vrrp_snmp_inst_at(s, i, &in) || !suitable(&in, 3))
		return;
	snmp_trap_init(&t, "vrrpv3ProtoError", trap, ARRAY_SIZE(trap));
	cell(&o, stats3, ARRAY_SIZE(stats3), 6, &in, 3);
	if ((v = snmp_trap_add(&t, &o, 0, NULL)))
		snmp_val_int(v, reason);
	vrrp_snmp_send(s, &t);
}
