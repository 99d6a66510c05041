/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_cfg_vs.c - keyword tables of virtual_server and real_server */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include <linux/ip_vs.h>

#include "check/check_cfg_int.h"
#include "ipvs-glue/ipvs_names.h"

#define PERSISTENCE_MAX 2678400 /* 31 days, as IPVS accepts */

static void init_timing(uint64_t *ct, uint64_t *dbr, uint64_t *wu, uint64_t *dl, unsigned *retry)
{
	*ct = *dbr = *wu = *dl = CHECK_UNSET_TIMER;
	*retry = CHECK_UNSET;
}

/* ---- lvs_method NAT|DR|TUN [type ipip|gue|gre] [port N] [nocsum|csum|remcsum] ---- */

static int fwd_option(struct cfg_parser *p, const struct cfg_args *a, struct check_fwd *f,
		      unsigned *i)
{
	const char *w = a->argv[*i];
	const char *val = *i + 1 < a->argc ? a->argv[*i + 1] : NULL;
	long long n;
	if (f->method != IP_VS_CONN_F_TUNNEL) {
		cfg_error(p, a, "'%s': '%s' is only valid with TUN", a->argv[0], w);
		return -1;
	}
	if (ipvs_tunnel_csum_lookup(w, &f->tun_csum) == 0)
		return 0;
	if (strcmp(w, "type") && strcmp(w, "port")) {
		cfg_error(p, a, "'%s': unknown option '%s'", a->argv[0], w);
		return -1;
	}
	if (!val) {
		cfg_error(p, a, "'%s': missing value after '%s'", a->argv[0], w);
		return -1;
	}
	(*i)++;
	if (!strcmp(w, "port")) {
		if (cfg_get_int(p, a, val, 1, 65535, &n) < 0)
			return -1;
		f->tun_port = (unsigned)n;
	} else if (ipvs_tunnel_lookup(val, &f->tun_type) < 0) {
		cfg_error(p, a, "'%s': unknown tunnel type '%s' (ipip, gue, gre)", a->argv[0], val);
		return -1;
	}
	return 0;
}

static int parse_fwd(struct cfg_parser *p, const struct cfg_args *a, struct check_fwd *out)
{
	struct check_fwd f = { .set = true, .tun_type = IP_VS_CONN_F_TUNNEL_TYPE_IPIP,
			       .tun_csum = -1 };
	const char *kw = a->argv[0];
	if (check_need_args(p, a, 1, 6) < 0)
		return -1;
	if (ipvs_fwd_lookup(a->argv[1], &f.method) < 0) {
		cfg_error(p, a, "'%s': unknown method '%s' (NAT, DR, TUN)", kw, a->argv[1]);
		return -1;
	}
	for (unsigned i = 2; i < a->argc; i++)
		if (fwd_option(p, a, &f, &i) < 0)
			return -1;
	bool gue = f.tun_type == IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	if (gue != (f.tun_port != 0)) {
		cfg_error(p, a, "'%s': %s", kw, gue ? "type gue needs a port" : "port needs type gue");
		return -1;
	}
	if (f.tun_csum >= 0 && f.tun_type == IP_VS_CONN_F_TUNNEL_TYPE_IPIP) {
		cfg_error(p, a, "'%s': %s needs type gue or gre", kw,
			  ipvs_tunnel_csum_name(f.tun_csum));
		return -1;
	}
	*out = f;
	return 0;
}

/* ---- virtual_server handlers --------------------------------------------- */

static int h_sched(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_vs *vs = obj;
	if (check_need_args(p, a, 1, 1) < 0)
		return -1;
	const char *s = ipvs_sched_lookup(a->argv[1]);
	if (!s) {
		cfg_error(p, a, "'%s': unknown scheduler '%s'", a->argv[0], a->argv[1]);
		return -1;
	}
	vs->sched = s;
	return 0;
}

static int h_sched_flag(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_vs *vs = obj;
	unsigned flag;
	const char *sched;
	if (check_need_args(p, a, 0, 0) < 0 || ipvs_sched_flag_lookup(a->argv[0], &flag, &sched))
		return -1;
	vs->sched_flags |= flag;
	if (sched)
		vs->flag_sched = sched;
	return 0;
}

static int h_vs_method(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_vs *vs = obj;
	bool sorry = !strcmp(a->argv[0], "sorry_server_lvs_method");
	return parse_fwd(p, a, sorry ? &vs->sorry_fwd : &vs->fwd);
}

static int h_persistence_timeout(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_vs *vs = obj;
	long long n = 360;
	if (check_need_args(p, a, 0, 1) < 0 ||
	    (a->argc > 1 && cfg_get_int(p, a, a->argv[1], 0, PERSISTENCE_MAX, &n) < 0))
		return -1;
	vs->persistence_timeout = (unsigned)n;
	return 0;
}

/* Length of a contiguous netmask given as bytes, or -1. */
static int mask_len(const uint8_t *b, size_t n)
{
	int len = 0;
	size_t i = 0;
	for (; i < n && b[i] == 0xff; i++)
		len += 8;
	if (i < n) {
		uint8_t x = b[i++];
		for (; x & 0x80; x = (uint8_t)(x << 1))
			len++;
		if (x)
			return -1;
	}
	for (; i < n; i++)
		if (b[i])
			return -1;
	return len;
}

/* persistence_granularity 255.255.255.0 | ffff:ffff:: | 24 | /24 */
static int h_persistence_granularity(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_vs *vs = obj;
	struct ka_addr m;
	long long n = -1;
	if (check_need_args(p, a, 1, 1) < 0)
		return -1;
	const char *s = a->argv[1] + (a->argv[1][0] == '/');
	if (ka_addr_parse(s, false, &m) == 0)
		n = m.family == AF_INET ? mask_len((const uint8_t *)&m.u.v4, 4)
					: mask_len(m.u.v6.s6_addr, 16);
	else if (cfg_parse_llong(s, &n) < 0)
		n = -1;
	if (n < 1 || n > 128) {
		cfg_error(p, a, "'persistence_granularity': invalid netmask '%s'", a->argv[1]);
		return -1;
	}
	vs->has_granularity = true;
	vs->persistence_granularity = (unsigned)n;
	return 0;
}

static int h_protocol(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_vs *vs = obj;
	if (check_need_args(p, a, 1, 1) < 0)
		return -1;
	if (ipvs_proto_lookup(a->argv[1], &vs->protocol) < 0) {
		cfg_error(p, a, "'protocol': unknown protocol '%s' (TCP, UDP, SCTP)", a->argv[1]);
		return -1;
	}
	vs->has_protocol = true;
	return 0;
}

static int h_vs_smtp_alert(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	return check_get_tri(p, a, &((struct check_vs *)obj)->smtp_alert);
}

/* Parse "IP [PORT]" of a real or sorry server into rs. */
static int rs_target(struct cfg_parser *p, const struct cfg_args *a, struct check_rs *rs)
{
	if (check_need_args(p, a, 1, 2) < 0 || check_get_addr(p, a, a->argv[1], &rs->addr) < 0)
		return -1;
	if (a->argc > 2) {
		if (check_get_port(p, a, a->argv[2], &rs->port) < 0)
			return -1;
		rs->has_port = true;
	}
	rs->file = a->file;
	rs->line = a->line;
	rs->weight = CHECK_UNSET;
	rs->fwd.tun_csum = -1;
	init_timing(&rs->connect_timeout, &rs->delay_before_retry, &rs->warmup, &rs->delay_loop,
		    &rs->retry);
	return 0;
}

static int h_sorry_server(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_vs *vs = obj;
	struct check_rs *rs = arena_alloc(cfg_arena(p), sizeof(*rs));
	if (vs->sorry_server) {
		cfg_error(p, a, "'sorry_server': already set at line %u", vs->sorry_server->line);
		return -1;
	}
	if (rs_target(p, a, rs) < 0)
		return -1;
	rs->vs = vs;
	vs->sorry_server = rs;
	return 0;
}

/* ---- real_server -------------------------------------------------------- */

static void *rs_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_vs *vs = obj;
	struct check_rs *rs = arena_alloc(cfg_arena(p), sizeof(*rs));
	if (rs_target(p, a, rs) < 0)
		return NULL;
	rs->vs = vs;
	cfg_list_append(&vs->rs, &rs->node);
	return rs;
}

static int h_rs_method(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	return parse_fwd(p, a, &((struct check_rs *)obj)->fwd);
}

static int h_rs_tri(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_rs *rs = obj;
	const char *kw = a->argv[0];
	return check_get_tri(p, a, !strcmp(kw, "alpha")	       ? &rs->alpha
				   : !strcmp(kw, "smtp_alert") ? &rs->smtp_alert
							       : &rs->inhibit_on_failure);
}

#define R(f) offsetof(struct check_rs, f)
#define V(f) offsetof(struct check_vs, f)
#define KW(n, t, o, lo, hi) { .name = n, .type = t, .off = o, .min = lo, .max = hi }
#define CUSTOM(n, h) { .name = n, .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = h }
#define CHECKER(n, k) { .name = n, .type = CFG_BLOCK, .off = CFG_NOSTORE, \
			.block = &check_probe_blocks[k] }
#define TIMING(O) CHECK_TIMING_KW(O), CHECK_CONNECT_TIMEOUT_KW(O)

static const struct cfg_keyword rs_kw[] = {
	KW("weight", CFG_UINT, R(weight), 0, 65535),
	CUSTOM("lvs_method", h_rs_method),
	CUSTOM("lb_kind", h_rs_method),
	KW("uthreshold", CFG_UINT, R(uthreshold), 0, INT32_MAX),
	KW("lthreshold", CFG_UINT, R(lthreshold), 0, INT32_MAX),
	CUSTOM("inhibit_on_failure", h_rs_tri),
	CUSTOM("alpha", h_rs_tri),
	CUSTOM("smtp_alert", h_rs_tri),
	KW("notify_up", CFG_SCRIPT, R(notify_up), 0, 0),
	KW("notify_down", CFG_SCRIPT, R(notify_down), 0, 0),
	TIMING(R),
	KW("virtualhost", CFG_STR, R(virtualhost), 0, 0),
	KW("snmp_name", CFG_STR, R(snmp_name), 0, 0),
	CHECKER("TCP_CHECK", CHECK_TCP),
	CHECKER("HTTP_GET", CHECK_HTTP),
	CHECKER("SSL_GET", CHECK_SSL),
	CHECKER("SMTP_CHECK", CHECK_SMTP),
	CHECKER("DNS_CHECK", CHECK_DNS),
	CHECKER("UDP_CHECK", CHECK_UDP),
	CHECKER("PING_CHECK", CHECK_PING),
	CHECKER("MISC_CHECK", CHECK_MISC),
	CHECKER("FILE_CHECK", CHECK_FILE),
	CHECKER("BFD_CHECK", CHECK_BFD),
	CFG_END,
};

static const struct cfg_block rs_block = { .name = "real_server", .kw = rs_kw, .open = rs_open };

/* ---- virtual_server IP [PORT] | fwmark N | group NAME ------------------------ */

static int vs_target(struct cfg_parser *p, const struct cfg_args *a, struct check_vs *vs)
{
	long long n;
	if (check_need_args(p, a, 1, 2) < 0)
		return -1;
	const char *w = a->argv[1];
	if (!strcmp(w, "fwmark") || !strcmp(w, "group")) {
		if (check_need_args(p, a, 2, 2) < 0)
			return -1;
		if (w[0] == 'g') {
			vs->kind = CHECK_VS_GROUP;
			vs->group_name = arena_strdup(cfg_arena(p), a->argv[2]);
			return 0;
		}
		if (cfg_get_int(p, a, a->argv[2], 1, UINT32_MAX, &n) < 0)
			return -1;
		vs->kind = CHECK_VS_FWMARK;
		vs->fwmark = (unsigned)n;
		return 0;
	}
	vs->kind = CHECK_VS_ADDR;
	if (check_get_addr(p, a, w, &vs->addr) < 0)
		return -1;
	if (a->argc > 2) {
		if (check_get_port(p, a, a->argv[2], &vs->port) < 0)
			return -1;
		vs->has_port = true;
	}
	return 0;
}

static void *vs_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_cfg *c = obj;
	struct check_vs *vs = arena_alloc(cfg_arena(p), sizeof(*vs));
	if (vs_target(p, a, vs) < 0)
		return NULL;
	vs->file = a->file;
	vs->line = a->line;
	vs->sched = "wlc"; /* ipvsadm's default */
	vs->quorum = 1;
	vs->weight = 1;
	vs->fwd.tun_csum = vs->sorry_fwd.tun_csum = -1;
	init_timing(&vs->connect_timeout, &vs->delay_before_retry, &vs->warmup, &vs->delay_loop,
		    &vs->retry);
	cfg_list_append(&c->vs, &vs->node);
	return vs;
}

static const struct cfg_enum families[] = {
	{ "inet", AF_INET }, { "inet6", AF_INET6 }, { NULL, 0 },
};

static const struct cfg_keyword vs_kw[] = {
	CUSTOM("lvs_sched", h_sched),
	CUSTOM("lb_algo", h_sched),
	CUSTOM("flag-1", h_sched_flag),
	CUSTOM("flag-2", h_sched_flag),
	CUSTOM("flag-3", h_sched_flag),
	CUSTOM("sh-port", h_sched_flag),
	CUSTOM("sh-fallback", h_sched_flag),
	CUSTOM("mh-port", h_sched_flag),
	CUSTOM("mh-fallback", h_sched_flag),
	KW("ops", CFG_FLAG, V(ops), 0, 0),
	{ .name = "hashed", .type = CFG_ANY, .off = CFG_NOSTORE },
	CUSTOM("lvs_method", h_vs_method),
	CUSTOM("lb_kind", h_vs_method),
	CUSTOM("persistence_timeout", h_persistence_timeout),
	CUSTOM("persistence_granularity", h_persistence_granularity),
	KW("persistence_engine", CFG_STR, V(persistence_engine), 0, 0),
	CUSTOM("protocol", h_protocol),
	{ .name = "ip_family", .type = CFG_ENUM, .off = V(ip_family), .enums = families },
	KW("ha_suspend", CFG_FLAG, V(ha_suspend), 0, 0),
	KW("virtualhost", CFG_STR, V(virtualhost), 0, 0),
	KW("snmp_name", CFG_STR, V(snmp_name), 0, 0),
	CUSTOM("smtp_alert", h_vs_smtp_alert),
	KW("alpha", CFG_FLAG, V(alpha), 0, 0),
	KW("omega", CFG_FLAG, V(omega), 0, 0),
	KW("quorum", CFG_UINT, V(quorum), 1, INT32_MAX),
	KW("hysteresis", CFG_UINT, V(hysteresis), 0, INT32_MAX),
	KW("quorum_up", CFG_SCRIPT, V(quorum_up), 0, 0),
	KW("quorum_down", CFG_SCRIPT, V(quorum_down), 0, 0),
	CUSTOM("sorry_server", h_sorry_server),
	KW("sorry_server_inhibit", CFG_BOOL, V(sorry_server_inhibit), 0, 0),
	CUSTOM("sorry_server_lvs_method", h_vs_method),
	TIMING(V),
	KW("inhibit_on_failure", CFG_BOOL, V(inhibit_on_failure), 0, 0),
	KW("weight", CFG_UINT, V(weight), 0, 65535),
	{ .name = "real_server", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &rs_block },
	CFG_END,
};

const struct cfg_block check_vs_block = {
	.name = "virtual_server", .kw = vs_kw, .open = vs_open,
};
