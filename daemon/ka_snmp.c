/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ka_snmp.c - SNMP settings of a child process, and the KEEPALIVED-MIB global group */
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "daemon/ka_snmp.h"
#include "daemon/options.h"
#include "util.h"

void ka_snmp_settings(const struct ka_options *o, const struct global_cfg *g,
		      struct ka_snmp_settings *out)
{
	bool all = o && o->snmp;

	out->vrrp = all || g->enable_snmp_vrrp;
	out->checker = all || g->enable_snmp_checker;
	out->rfcv2 = all || g->enable_snmp_rfcv2;
	out->rfcv3 = all || g->enable_snmp_rfcv3;
	out->traps = g->enable_traps;
	out->socket = o && o->snmp_socket ? o->snmp_socket : g->snmp_socket;
}

bool ka_snmp_vrrp_serves_global(const struct ka_snmp_settings *s)
{
	return s->vrrp;
}

bool ka_snmp_check_serves_global(const struct ka_snmp_settings *s, const struct ka_config *c,
				 const struct ka_options *o)
{
	bool vrrp_child = ka_config_has_vrrp(c) && !(o && o->check_only);

	return s->checker && !(vrrp_child && ka_snmp_vrrp_serves_global(s));
}

/* ---- the global group ---- */

enum {
	G_VERSION = 1, G_ROUTER_ID, G_SMTP_ADDR_TYPE, G_SMTP_ADDR, G_SMTP_TIMEOUT, G_EMAIL_FROM,
	G_SMTP_PORT, G_EMAIL_FAULTS, G_SMTP_ALERT, G_SMTP_ALERT_VRRP, G_SMTP_ALERT_CHECKER,
	G_TRAPS, G_LINKBEAT, G_LVS_FLUSH, G_IPVS64, G_NETNS, G_DBUS, G_DYN_IFS, G_FLUSH_ON_STOP,
};

/* on(1), off(2), unset(3) */
static bool tristate(struct snmp_value *v, enum global_tristate t)
{
	return snmp_val_int(v, t == GLOBAL_ON ? 1 : t == GLOBAL_OFF ? 2 : 3);
}

static bool mail_scalar(const struct global_cfg *g, unsigned id, struct snmp_value *v)
{
	bool have_addr = g->smtp_server.family != AF_UNSPEC;

	switch (id) {
	case G_SMTP_ADDR_TYPE:
		return have_addr && snmp_val_inet_type(v, &g->smtp_server);
	case G_SMTP_ADDR:
		return have_addr && snmp_val_inet(v, &g->smtp_server);
	case G_SMTP_TIMEOUT:
		return snmp_val_gauge(v, g->smtp_connect_timeout / 1000000u);
	case G_EMAIL_FROM:
		return g->notification_email_from && snmp_val_str(v, g->notification_email_from);
	case G_SMTP_PORT:
		return snmp_val_gauge(v, g->smtp_server_port);
	case G_EMAIL_FAULTS:
		return snmp_val_bool(v, !g->no_email_faults);
	case G_SMTP_ALERT:
		return tristate(v, g->smtp_alert);
	case G_SMTP_ALERT_VRRP:
		return tristate(v, g->smtp_alert_vrrp);
	case G_SMTP_ALERT_CHECKER:
		return tristate(v, g->smtp_alert_checker);
	default:
		return false;
	}
}

static bool global_scalar(void *arg, unsigned id, struct snmp_value *v)
{
	const struct ka_snmp_global *s = arg;
	const struct global_cfg *g = s->g;

	switch (id) {
	case G_VERSION:
		return snmp_val_str(v, ka_version());
	case G_ROUTER_ID:
		return snmp_val_str(v, g->router_id);
	case G_TRAPS:
		return snmp_val_bool(v, s->traps);
	case G_LINKBEAT:
		return snmp_val_int(v, g->linkbeat_use_polling ? 2 : 1);
	case G_LVS_FLUSH:
		return snmp_val_bool(v, g->lvs_flush);
	case G_IPVS64:
		return snmp_val_bool(v, true); /* the netlink client reads 64-bit counters */
	case G_NETNS:
		return g->net_namespace && snmp_val_str(v, g->net_namespace);
	case G_DBUS:
		return snmp_val_bool(v, g->enable_dbus);
	case G_DYN_IFS:
		return snmp_val_bool(v, g->dynamic_interfaces);
	case G_FLUSH_ON_STOP:
		return snmp_val_int(v, g->lvs_flush_on_stop == GLOBAL_FLUSH_ALL ? 1 :
				    g->lvs_flush_on_stop == GLOBAL_FLUSH_VS ? 3 : 2);
	default:
		return mail_scalar(g, id, v);
	}
}

/* emailTable: emailAddress (column 2), indexed 1..n in configuration order */
static bool email_row(void *arg, struct snmp_row *r, bool first)
{
	const struct ka_snmp_global *s = arg;

	r->a = first ? 0 : r->a + 1;
	if (r->a >= s->g->notification_email.n)
		return false;
	snmp_oid_push(&r->idx, (uint32_t)r->a + 1);
	return true;
}

static bool email_get(void *arg, const struct snmp_row *r, uint32_t col, struct snmp_value *v)
{
	const struct ka_snmp_global *s = arg;
	size_t i = 0;

	cfg_list_for_each(const struct global_email, e, &s->g->notification_email)
		if (i++ == r->a)
			return snmp_val_str(v, e->addr);
	return false;
}

static const struct snmp_table email_table = {
	.first_col = 2, .last_col = 2, .row = email_row, .get = email_get,
};

/* a scalar: its id, then its position below keepalived.global */
#define SC(which, ...)                                                                   \
	{ .sub = { __VA_ARGS__ }, .sublen = ARRAY_SIZE(((uint32_t[]){ __VA_ARGS__ })),   \
	  .id = (which) }

static const struct snmp_node global_nodes[] = {
	SC(G_VERSION, 1),
	SC(G_ROUTER_ID, 2),
	SC(G_SMTP_ADDR_TYPE, 3, 1),
	SC(G_SMTP_ADDR, 3, 2),
	SC(G_SMTP_TIMEOUT, 3, 3),
	SC(G_EMAIL_FROM, 3, 4),
	{ .sub = { 3, 5 }, .sublen = 2, .table = &email_table },
	SC(G_SMTP_PORT, 3, 6),
	SC(G_EMAIL_FAULTS, 3, 7),
	SC(G_SMTP_ALERT, 3, 8),
	SC(G_SMTP_ALERT_VRRP, 3, 9),
	SC(G_SMTP_ALERT_CHECKER, 3, 10),
	SC(G_TRAPS, 4),
	SC(G_LINKBEAT, 5),
	SC(G_LVS_FLUSH, 6),
	SC(G_IPVS64, 7),
	SC(G_NETNS, 8),
	SC(G_DBUS, 9),
	SC(G_DYN_IFS, 10),
	SC(G_FLUSH_ON_STOP, 11),
};

const struct snmp_module ka_snmp_global_module = {
	.name = "KEEPALIVED-MIB::global",
	.root = { KA_SNMP_OID_KEEPALIVED, 1 },
	.rootlen = KA_SNMP_OID_KEEPALIVED_LEN + 1,
	.nodes = global_nodes,
	.nnodes = ARRAY_SIZE(global_nodes),
	.scalar = global_scalar,
};

void ka_snmp_trap_router_id(struct snmp_trap *t, const struct global_cfg *g)
{
	static const uint32_t rid[] = { KA_SNMP_OID_KEEPALIVED, 1, 2, 0 };
	struct snmp_oid o;
	struct snmp_value *v;

	snmp_oid_set(&o, rid, ARRAY_SIZE(rid));
	v = snmp_trap_add(t, &o, 0, NULL);
	if (v)
		snmp_val_str(v, g->router_id);
}
