/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_snmp.c - KEEPALIVED-MIB check subtree: virtual and real servers, LVS timeouts, traps */
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_snmp_int.h"
#include "snmp_agent.h"
#include "util.h"

#define OID_CHECK KA_SNMP_OID_KEEPALIVED, 3

enum { T_VS = 3, T_RS = 4, N_TRAPS = 5, N_TIMEOUTS = 7 };
enum { SC_TCP = 1, SC_TCPFIN, SC_UDP };

/* ---- context ---- */

struct check_snmp *check_snmp_new(const struct check_snmp_source *src, void *arg)
{
	struct check_snmp *s = xcalloc(1, sizeof(*s));

	s->src = src;
	s->arg = arg;
	return s;
}

void check_snmp_free(struct check_snmp *s)
{
	free(s);
}

void check_snmp_apply(struct check_snmp *s)
{
	if (!s->agent)
		return;
	if (s->serve_global)
		snmp_agent_register(s->agent, &ka_snmp_global_module, &s->global);
	else
		snmp_agent_unregister(s->agent, &ka_snmp_global_module);
	if (s->set.checker)
		snmp_agent_register(s->agent, &check_snmp_module, s);
	else
		snmp_agent_unregister(s->agent, &check_snmp_module);
}

/* ---- encodings ---- */

static int sched_enum(const char *name)
{
	static const char *const names[] = {
		"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf",
		"mh", "twos",
	};

	for (size_t i = 0; name && i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return (int)i + 1;
	return 99; /* unknown */
}

/* nat(1), dr(2), tun(3) */
static int fwd_enum(int method)
{
	switch (method & IP_VS_CONN_F_FWD_MASK) {
	case IP_VS_CONN_F_DROUTE: return 2;
	case IP_VS_CONN_F_TUNNEL: return 3;
	default: return 1;
	}
}

/* tcp(1), udp(2), sctp(3), none(4) */
static int proto_enum(int proto)
{
	return proto == IPPROTO_TCP ? 1 : proto == IPPROTO_UDP ? 2 : proto == IPPROTO_SCTP ? 3 : 4;
}

static bool str_opt(struct snmp_value *v, const char *str)
{
	return str && snmp_val_str(v, str);
}

/* Counter columns shared by both tables, at column numbers given by base:
 * conns (gauge), in/out packets (32), in/out bytes (64), then the five
 * rates. */
static bool stats_col(const struct check_snmp_stats *st, unsigned k, struct snmp_value *v)
{
	const uint64_t rates[] = { st->cps, st->inpps, st->outpps, st->inbps, st->outbps };

	switch (k) {
	case 0: return snmp_val_gauge(v, st->conns);
	case 1: return snmp_val_counter32(v, st->inpkts);
	case 2: return snmp_val_counter32(v, st->outpkts);
	case 3: return snmp_val_counter64(v, st->inbytes);
	case 4: return snmp_val_counter64(v, st->outbytes);
	default: return k < 10 && snmp_val_gauge(v, rates[k - 5]);
	}
}

/* ---- virtualServerTable ---- */

static bool vs_at(struct check_snmp *s, size_t i, struct check_snmp_vs *out)
{
	memset(out, 0, sizeof(*out));
	return s->src->vs(s->arg, i, out);
}

static bool vs_row(void *arg, struct snmp_row *r, bool first)
{
	struct check_snmp_vs vs;

	r->a = first ? 0 : r->a + 1;
	if (!vs_at(arg, r->a, &vs))
		return false;
	snmp_oid_push(&r->idx, (uint32_t)r->a + 1);
	return true;
}

/* Identity and state columns (2-26). */
static bool vs_get_main(const struct check_snmp_vs *vs, uint32_t col, struct snmp_value *v)
{
	bool ip = vs->type == CHECK_SNMP_VS_IP;

	switch (col) {
	case 2: return snmp_val_int(v, vs->type);
	case 3: return vs->type == CHECK_SNMP_VS_GROUP && str_opt(v, vs->group);
	case 4: return vs->type == CHECK_SNMP_VS_FWMARK && snmp_val_gauge(v, vs->fwmark);
	case 5: return ip && snmp_val_inet_type(v, &vs->addr);
	case 6: return ip && snmp_val_inet(v, &vs->addr);
	case 7: return ip && snmp_val_gauge(v, vs->port);
	case 8: return snmp_val_int(v, proto_enum(vs->protocol));
	case 9: return snmp_val_int(v, sched_enum(vs->sched));
	case 10: return snmp_val_int(v, fwd_enum(vs->fwd));
	case 11: return snmp_val_int(v, vs->quorum_up ? 1 : 2);
	case 12: return str_opt(v, vs->virtualhost);
	case 13: return snmp_val_bool(v, vs->persist_timeout != 0);
	case 14: return vs->persist_timeout && snmp_val_gauge(v, vs->persist_timeout);
	case 15: {
		/* IPv4 persistence netmask */
		struct ka_addr m = { .family = AF_INET };

		if (!vs->has_granularity || vs->addr.family == AF_INET6)
			return false;
		m.u.v4.s_addr = htonl(vs->granularity ? ~0u << (32 - vs->granularity) : 0);
		return snmp_val_inet(v, &m);
	}
	case 16: return snmp_val_gauge(v, vs->delay_loop_us / 1000000u);
	case 17: return snmp_val_bool(v, vs->ha_suspend);
	case 18: return snmp_val_bool(v, vs->alpha);
	case 19: return snmp_val_bool(v, vs->omega);
	case 20: return snmp_val_gauge(v, vs->rs_total);
	case 21: return snmp_val_gauge(v, vs->rs_up);
	case 22: return snmp_val_gauge(v, vs->quorum);
	case 23: return snmp_val_int(v, vs->quorum_up ? 1 : 2);
	case 24: return str_opt(v, vs->quorum_up_script);
	case 25: return str_opt(v, vs->quorum_down_script);
	case 26: return snmp_val_gauge(v, vs->hysteresis);
	default: return false;
	}
}

static bool vs_value(const struct check_snmp_vs *vs, uint32_t col, struct snmp_value *v)
{
	const struct check_snmp_stats *st = &vs->stats;

	if (col >= 27 && col <= 36)
		return vs->has_stats && stats_col(st, col - 27, v);
	switch (col) {
	case 37: return snmp_val_bool(v, vs->ops);
	case 38: return vs->has_stats && snmp_val_counter64(v, st->conns);
	case 39: return vs->has_stats && snmp_val_counter64(v, st->inpkts);
	case 40: return vs->has_stats && snmp_val_counter64(v, st->outpkts);
	case 56: return snmp_val_int(v, vs->inhibit ? 2 : 1);
	case 57: return snmp_val_gauge(v, vs->retry);
	case 58: return snmp_val_gauge(v, vs->delay_before_retry_us / 1000000u);
	case 59: return snmp_val_gauge(v, vs->warmup_us / 1000000u);
	case 60: return snmp_val_int(v, vs->weight);
	case 61: return snmp_val_bool(v, vs->smtp_alert);
	case 64: return snmp_val_gauge(v, vs->delay_loop_us);
	case 65: return snmp_val_gauge(v, vs->delay_before_retry_us);
	case 66: return snmp_val_gauge(v, vs->warmup_us);
	case 67: return snmp_val_gauge(v, vs->connect_timeout_us);
	case 71: return str_opt(v, vs->name);
	default: return vs_get_main(vs, col, v);
	}
}

static bool vs_get(void *arg, const struct snmp_row *r, uint32_t col, struct snmp_value *v)
{
	struct check_snmp_vs vs;

	return vs_at(arg, r->a, &vs) && vs_value(&vs, col, v);
}

static const struct snmp_table vs_table = {
	.first_col = 2, .last_col = 71, .row = vs_row, .get = vs_get,
};

/* ---- realServerTable ---- */

static bool rs_at(struct check_snmp *s, size_t i, size_t j, struct check_snmp_rs *out)
{
	memset(out, 0, sizeof(*out));
	return s->src->rs(s->arg, i, j, out);
}

static bool rs_row(void *arg, struct snmp_row *r, bool first)
{
	struct check_snmp_vs vs;
	struct check_snmp_rs rs;

	if (first)
		r->a = r->b = 0;
	else
		r->b++;
	for (; vs_at(arg, r->a, &vs); r->a++, r->b = 0) {
		if (rs_at(arg, r->a, r->b, &rs)) {
			snmp_oid_push(&r->idx, (uint32_t)r->a + 1);
			snmp_oid_push(&r->idx, (uint32_t)r->b + 1);
			return true;
		}
	}
	return false;
}

static bool rs_get_cfg(const struct check_snmp_rs *rs, uint32_t col, struct snmp_value *v)
{
	switch (col) {
	case 40: return snmp_val_int(v, fwd_enum(rs->fwd));
	case 41: return str_opt(v, rs->virtualhost);
	case 42: return snmp_val_bool(v, rs->alpha);
	case 43: return snmp_val_gauge(v, rs->retry);
	case 44: return snmp_val_gauge(v, rs->delay_before_retry_us / 1000000u);
	case 45: return snmp_val_gauge(v, rs->warmup_us / 1000000u);
	case 46: return snmp_val_gauge(v, rs->delay_loop_us / 1000000u);
	case 47: return snmp_val_bool(v, rs->smtp_alert);
	case 48: return snmp_val_gauge(v, rs->delay_before_retry_us);
	case 49: return snmp_val_gauge(v, rs->warmup_us);
	case 50: return snmp_val_gauge(v, rs->delay_loop_us);
	case 51: return snmp_val_gauge(v, rs->connect_timeout_us);
	case 55: return str_opt(v, rs->name);
	default: return false;
	}
}

static bool rs_value(const struct check_snmp_rs *rs, uint32_t col, struct snmp_value *v)
{
	const struct check_snmp_stats *st = &rs->stats;

	if (col == 14 || (col >= 18 && col <= 26))
		return rs->has_stats && stats_col(st, col == 14 ? 0 : col - 17, v);
	switch (col) {
	case 2: return snmp_val_int(v, rs->sorry ? 2 : 1);
	case 3: return snmp_val_inet_type(v, &rs->addr);
	case 4: return snmp_val_inet(v, &rs->addr);
	case 5: return snmp_val_gauge(v, rs->port);
	case 6: return snmp_val_int(v, rs->alive ? 1 : 2);
	case 7: return snmp_val_int(v, rs->weight);
	case 8: return snmp_val_gauge(v, rs->uthreshold);
	case 9: return snmp_val_gauge(v, rs->lthreshold);
	case 10: return snmp_val_int(v, rs->inhibit ? 2 : 1);
	case 11: return str_opt(v, rs->notify_up);
	case 12: return str_opt(v, rs->notify_down);
	case 15: return rs->has_stats && snmp_val_gauge(v, st->active_conns);
	case 16: return rs->has_stats && snmp_val_gauge(v, st->inact_conns);
	case 17: return rs->has_stats && snmp_val_gauge(v, st->persist_conns);
	case 27: return rs->has_stats && snmp_val_counter64(v, st->conns);
	case 28: return rs->has_stats && snmp_val_counter64(v, st->inpkts);
	case 29: return rs->has_stats && snmp_val_counter64(v, st->outpkts);
	default: return rs_get_cfg(rs, col, v);
	}
}

static bool rs_get(void *arg, const struct snmp_row *r, uint32_t col, struct snmp_value *v)
{
	struct check_snmp_rs rs;

	return rs_at(arg, r->a, r->b, &rs) && rs_value(&rs, col, v);
}

static const struct snmp_table rs_table = {
	.first_col = 2, .last_col = 55, .row = rs_row, .get = rs_get,
};

/* ---- lvsTimeouts ---- */

static bool check_scalar(void *arg, unsigned id, struct snmp_value *v)
{
	struct check_snmp *s = arg;
	unsigned t[3] = { 0 };

	s->src->timeouts(s->arg, &t[0], &t[1], &t[2]);
	return id >= SC_TCP && id <= SC_UDP && t[id - 1] && snmp_val_int(v, t[id - 1]);
}

static const struct snmp_node check_nodes[] = {
	{ .sub = { T_VS }, .sublen = 1, .table = &vs_table },
	{ .sub = { T_RS }, .sublen = 1, .table = &rs_table },
	{ .sub = { N_TIMEOUTS, 1 }, .sublen = 2, .id = SC_TCP },
	{ .sub = { N_TIMEOUTS, 2 }, .sublen = 2, .id = SC_TCPFIN },
	{ .sub = { N_TIMEOUTS, 3 }, .sublen = 2, .id = SC_UDP },
};

const struct snmp_module check_snmp_module = {
	.name = "KEEPALIVED-MIB::check",
	.root = { OID_CHECK },
	.rootlen = KA_SNMP_OID_KEEPALIVED_LEN + 1,
	.nodes = check_nodes,
	.nnodes = ARRAY_SIZE(check_nodes),
	.scalar = check_scalar,
};

/* ---- notifications (checkTraps = check.5.0) ---- */

/* Append the cell (table, col, idx) with its value from vs or rs; a cell
 * the server does not have is left out. */
static void add_cell(struct snmp_trap *t, uint32_t table, uint32_t col,
		     const struct snmp_oid *idx, const struct check_snmp_vs *vs,
		     const struct check_snmp_rs *rs)
{
	static const uint32_t check[] = { OID_CHECK };
	struct snmp_oid base;
	struct snmp_value *v;

	snmp_oid_set(&base, check, ARRAY_SIZE(check));
	snmp_oid_push(&base, table);
	snmp_oid_push(&base, 1);
	v = snmp_trap_add(t, &base, col, idx);
	if (v && !(rs ? rs_value(rs, col, v) : vs_value(vs, col, v)))
		t->n--;
}

/* Varbinds every check notification ends with: the virtual server's
 * identity columns for its type, and routerId. */
static void add_vs_identity(struct check_snmp *s, struct snmp_trap *t,
			    const struct snmp_oid *vidx, const struct check_snmp_vs *vs)
{
	static const uint32_t cols[] = { 3, 4, 5, 6, 7 };

	for (size_t k = 0; k < ARRAY_SIZE(cols); k++)
		add_cell(t, T_VS, cols[k], vidx, vs, NULL);
	ka_snmp_trap_router_id(t, s->global.g);
}

static void send_trap(struct check_snmp *s, const struct snmp_trap *t)
{
	s->traps_built++;
	s->last_trap = *t;
	snmp_agent_notify(s->agent, t);
}

void check_snmp_trap_rs(struct check_snmp *s, size_t i, size_t j)
{
	static const uint32_t trap[] = { OID_CHECK, N_TRAPS, 0, 1 };
	static const uint32_t rs_cols[] = { 3, 4, 5, 6 }, vs_cols[] = { 2, 8, 21, 20 };
	struct check_snmp_vs vs;
	struct check_snmp_rs rs;
	struct snmp_trap t;
	struct snmp_oid vidx = { .v = { (uint32_t)i + 1 }, .len = 1 };
	struct snmp_oid ridx = { .v = { (uint32_t)i + 1, (uint32_t)j + 1 }, .len = 2 };

	if (!vs_at(s, i, &vs) || !rs_at(s, i, j, &rs))
		return;
	snmp_trap_init(&t, "realServerStateChange", trap, ARRAY_SIZE(trap));
	for (size_t k = 0; k < ARRAY_SIZE(rs_cols); k++)
		add_cell(&t, T_RS, rs_cols[k], &ridx, NULL, &rs);
	for (size_t k = 0; k < ARRAY_SIZE(vs_cols); k++)
		add_cell(&t, T_VS, vs_cols[k], &vidx, &vs, NULL);
	add_vs_identity(s, &t, &vidx, &vs);
	send_trap(s, &t);
}

void check_snmp_trap_vs(struct check_snmp *s, size_t i)
{
	static const uint32_t trap[] = { OID_CHECK, N_TRAPS, 0, 2 };
	static const uint32_t vs_cols[] = { 2, 8, 23, 22, 21, 20 };
	struct check_snmp_vs vs;
	struct snmp_trap t;
	struct snmp_oid vidx = { .v = { (uint32_t)i + 1 }, .len = 1 };

	if (!vs_at(s, i, &vs))
		return;
	snmp_trap_init(&t, "virtualServerQuorumStateChange", trap, ARRAY_SIZE(trap));
	for (size_t k = 0; k < ARRAY_SIZE(vs_cols); k++)
		add_cell(&t, T_VS, vs_cols[k], &vidx, &vs, NULL);
	add_vs_identity(s, &t, &vidx, &vs);
	send_trap(s, &t);
}
