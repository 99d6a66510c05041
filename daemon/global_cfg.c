/* SPDX-License-Identifier: GPL-2.0-or-later */
/* global_cfg.c - keyword tables and checks for global_defs and the root keywords */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "daemon/global_cfg.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"

#define SEC 1000000LL
#define T_MAX (86400LL * 365 * SEC) /* no timer needs more than a year */
#define LVS_TIMEOUT_MAX (86400 * 31)

/* ---- custom handlers ------------------------------------------------- */

static int need_args(struct cfg_parser *p, const struct cfg_args *a, unsigned lo, unsigned hi)
{
	if (a->argc - 1 < lo) {
		cfg_error(p, a, "'%s': missing argument", a->argv[0]);
		return -1;
	}
	if (a->argc - 1 > hi) {
		cfg_error(p, a, "'%s': unexpected argument '%s'", a->argv[0], a->argv[hi + 1]);
		return -1;
	}
	return 0;
}

/* Bare keyword = on; otherwise a boolean word. */
static int get_tri(struct cfg_parser *p, const struct cfg_args *a, enum global_tristate *t)
{
	bool on = true;
	if (need_args(p, a, 0, 1) < 0 || (a->argc > 1 && cfg_get_bool(p, a, a->argv[1], &on) < 0))
		return -1;
	*t = on ? GLOBAL_ON : GLOBAL_OFF;
	return 0;
}

static int h_smtp_alert(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	const char *kw = a->argv[0];
	if (!strcmp(kw, "smtp_alert_vrrp"))
		return get_tri(p, a, &g->smtp_alert_vrrp);
	if (!strcmp(kw, "smtp_alert_checker"))
		return get_tri(p, a, &g->smtp_alert_checker);
	return get_tri(p, a, &g->smtp_alert);
}

static char *sdup(struct cfg_parser *p, const char *s)
{
	return arena_strdup(cfg_arena(p), s);
}

/* script_user USER[:GROUP] or USER GROUP */
static int h_script_user(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (need_args(p, a, 1, 2) < 0)
		return -1;
	const char *u = a->argv[1];
	const char *colon = strchr(u, ':');
	if (colon && a->argc > 2) {
		cfg_error(p, a, "'script_user': group given twice ('%s' and '%s')", u, a->argv[2]);
		return -1;
	}
	g->script_user = colon ? arena_strndup(cfg_arena(p), u, (size_t)(colon - u)) : sdup(p, u);
	g->script_group = colon ? sdup(p, colon + 1) : a->argc > 2 ? sdup(p, a->argv[2]) : NULL;
	if (!*g->script_user || (g->script_group && !*g->script_group)) {
		cfg_error(p, a, "'script_user': empty user or group in '%s'", u);
		return -1;
	}
	return 0;
}

static const struct cfg_enum umask_bits[] = {
	{ "IRUSR", 0400 }, { "IWUSR", 0200 }, { "IXUSR", 0100 }, { "IRWXU", 0700 },
	{ "IRGRP", 0040 }, { "IWGRP", 0020 }, { "IXGRP", 0010 }, { "IRWXG", 0070 },
	{ "IROTH", 0004 }, { "IWOTH", 0002 }, { "IXOTH", 0001 }, { "IRWXO", 0007 },
	{ NULL, 0 },
};

/* umask 022 | umask IWGRP|IWOTH (words may also be separated by spaces) */
static int h_umask(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (need_args(p, a, 1, 64) < 0)
		return -1;
	long long n;
	if (a->argc == 2 && isdigit((unsigned char)a->argv[1][0])) {
		if (cfg_get_int(p, a, a->argv[1], 0, 0777, &n) < 0)
			return -1;
		g->umask = (unsigned)n;
		g->umask_set = true;
		return 0;
	}
	unsigned mask = 0;
	for (unsigned i = 1; i < a->argc; i++) {
		char word[64];
		const char *s = a->argv[i];
		while (*s) {
			size_t len = strcspn(s, "|");
			if (len && len < sizeof(word)) {
				int bit;
				memcpy(word, s, len);
				word[len] = '\0';
				if (cfg_get_enum(p, a, word, umask_bits, &bit) < 0)
					return -1;
				mask |= (unsigned)bit;
			} else if (len) {
				cfg_error(p, a, "'umask': invalid value '%s'", a->argv[i]);
				return -1;
			}
			s += len + (s[len] == '|');
		}
	}
	g->umask = mask;
	g->umask_set = true;
	return 0;
}

static int h_dynamic_interfaces(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (need_args(p, a, 0, 1) < 0)
		return -1;
	if (a->argc > 1 && strcmp(a->argv[1], "allow_if_changes")) {
		cfg_error(p, a, "'dynamic_interfaces': unknown option '%s' (allow_if_changes)",
			  a->argv[1]);
		return -1;
	}
	g->dynamic_interfaces = true;
	g->dynamic_interfaces_allow_changes = a->argc > 1;
	return 0;
}

static int h_reload_check_config(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (need_args(p, a, 0, 1) < 0)
		return -1;
	g->reload_check_config = true;
	g->reload_check_config_log = a->argc > 1 ? sdup(p, a->argv[1]) : NULL;
	return 0;
}

/* include_check [+|-]readable|match|wildcard_match|brace_match ... (the
 * reader applies it; here the words are only checked). */
static int h_include_check(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	static const char *const names[] = { "readable", "match", "wildcard_match",
					     "brace_match", NULL };
	for (unsigned i = 1; i < a->argc; i++) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%s", a->argv[i]);
		char *save = NULL;
		for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			if (*w == '+' || *w == '-')
				w++;
			unsigned k = 0;
			while (names[k] && strcmp(names[k], w))
				k++;
			if (!names[k]) {
				cfg_error(p, a, "'include_check': unknown check '%s'", w);
				return -1;
			}
		}
	}
	return 0;
}

/* Which process a vrrp_* / checker_* / bfd_* (or old lvs_*) keyword is about. */
static size_t proc_off(const char *kw)
{
	if (!strncmp(kw, "vrrp_", 5))
		return offsetof(struct global_cfg, vrrp_proc);
	if (!strncmp(kw, "bfd_", 4))
		return offsetof(struct global_cfg, bfd_proc);
	return offsetof(struct global_cfg, checker_proc);
}

static struct global_proc *proc_of(void *g, const char *kw)
{
	return (struct global_proc *)((char *)g + proc_off(kw));
}

/* CPU list: numbers and ranges separated by commas and/or spaces. */
/* max_auto_priority [-1..99]: bare means the highest realtime priority */
static int h_max_auto_priority(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	long long v = 99;

	if (a->argc > 2) {
		cfg_error(p, a, "max_auto_priority: one value at most");
		return -1;
	}
	if (a->argc == 2 && cfg_get_int(p, a, a->argv[1], -1, 99, &v) < 0)
		return -1;
	g->max_auto_priority = (int)v;
	return 0;
}

static int h_cpu_affinity(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	char list[256] = "";
	size_t used = 0;
	if (need_args(p, a, 1, 64) < 0)
		return -1;
	for (unsigned i = 1; i < a->argc; i++) {
		const char *s = a->argv[i];
		for (const char *c = s; *c; c++) {
			if (!isdigit((unsigned char)*c) && *c != ',' && *c != '-') {
				cfg_error(p, a, "'%s': invalid CPU list '%s'", a->argv[0], s);
				return -1;
			}
		}
		int n = snprintf(list + used, sizeof(list) - used, "%s%s", i > 1 ? "," : "", s);
		if (n < 0 || (size_t)n >= sizeof(list) - used) {
			cfg_error(p, a, "'%s': CPU list too long", a->argv[0]);
			return -1;
		}
		used += (size_t)n;
	}
	proc_of(obj, a->argv[0])->cpu_affinity = sdup(p, list);
	return 0;
}

/* vrrp_process_name [NAME] etc.: bare = the conventional name. */
static int h_process_name(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	const char *kw = a->argv[0];
	if (need_args(p, a, 0, 1) < 0)
		return -1;
	const char *def = !strncmp(kw, "vrrp_", 5) ? "keepalived_vrrp"
			  : !strncmp(kw, "bfd_", 4) ? "keepalived_bfd" : "keepalived_ipvs";
	proc_of(obj, kw)->process_name = sdup(p, a->argc > 1 ? a->argv[1] : def);
	return 0;
}

static int get_mcast(struct cfg_parser *p, const struct cfg_args *a, const char *s, int family,
		     struct ka_addr *out)
{
	struct ka_addr ad;
	if (ka_addr_parse(s, false, &ad) < 0 || (family && ad.family != family) ||
	    (ad.family == AF_INET && !IN_MULTICAST(ntohl(ad.u.v4.s_addr))) ||
	    (ad.family == AF_INET6 && !IN6_IS_ADDR_MULTICAST(&ad.u.v6))) {
		cfg_error(p, a, "'%s': '%s' is not an %smulticast address", a->argv[0], s,
			  family == AF_INET ? "IPv4 " : family == AF_INET6 ? "IPv6 " : "");
		return -1;
	}
	*out = ad;
	return 0;
}

static int h_mcast_group(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	bool v6 = !strcmp(a->argv[0], "vrrp_mcast_group6");
	if (need_args(p, a, 1, 1) < 0)
		return -1;
	return get_mcast(p, a, a->argv[1], v6 ? AF_INET6 : AF_INET,
			 v6 ? &g->vrrp_mcast_group6 : &g->vrrp_mcast_group4);
}

/* vrrp_garp_extra_if [all] SECS */
static int h_garp_extra_if(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (need_args(p, a, 1, 2) < 0)
		return -1;
	bool all = !strcmp(a->argv[1], "all");
	if (all && a->argc < 3)
		return need_args(p, a, 2, 2);
	if (!all && a->argc > 2)
		return need_args(p, a, 1, 1);
	g->vrrp_garp_extra_if_all = all;
	return cfg_get_timer(p, a, a->argv[all ? 2 : 1], 0, T_MAX, &g->vrrp_garp_extra_if);
}

static int h_rx_bufs_policy(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	long long n;
	if (need_args(p, a, 1, 3) < 0)
		return -1;
	for (unsigned i = 1; i < a->argc; i++) {
		const char *w = a->argv[i];
		if (strcasecmp(w, "MTU") && strcasecmp(w, "ADVERT") &&
		    cfg_get_int(p, a, w, 1, INT32_MAX, &n) < 0)
			return -1;
	}
	return 0;
}

static int h_nftables(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (need_args(p, a, 0, 1) < 0)
		return -1;
	g->nftables = sdup(p, a->argc > 1 ? a->argv[1] : "keepalived");
	return 0;
}

static int h_vrrp_iptables(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (need_args(p, a, 0, 2) < 0)
		return -1;
	g->vrrp_iptables_in = sdup(p, a->argc > 1 ? a->argv[1] : "INPUT");
	g->vrrp_iptables_out = a->argc > 2 ? sdup(p, a->argv[2]) : a->argc > 1 ? NULL
										: sdup(p, "OUTPUT");
	return 0;
}

static bool valid_hostname(const char *s)
{
	if (!*s || strlen(s) > 253)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.' && *s != '_')
			return false;
	return true;
}

/* smtp_server IP|HOSTNAME [PORT] */
static int h_smtp_server(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	long long port = 25;
	if (need_args(p, a, 1, 2) < 0)
		return -1;
	if (a->argc > 2 && cfg_get_int(p, a, a->argv[2], 1, 65535, &port) < 0)
		return -1;
	struct ka_addr ad = {0};
	if (ka_addr_parse(a->argv[1], false, &ad) < 0) {
		if (!valid_hostname(a->argv[1])) {
			cfg_error(p, a, "'smtp_server': '%s' is neither an address nor a host name",
				  a->argv[1]);
			return -1;
		}
		g->smtp_server_host = sdup(p, a->argv[1]);
	} else {
		g->smtp_server_host = NULL;
	}
	g->smtp_server = ad;
	g->smtp_server_port = (uint16_t)port;
	return 0;
}

static int email_line(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	for (unsigned i = 0; i < a->argc; i++) {
		if (!strchr(a->argv[i], '@'))
			cfg_warning(p, a, "'notification_email': '%s' has no domain part",
				    a->argv[i]);
		struct global_email *e = arena_alloc(cfg_arena(p), sizeof(*e));
		e->addr = sdup(p, a->argv[i]);
		cfg_list_append(&g->notification_email, &e->node);
	}
	return 0;
}

static int sync_opt(struct cfg_parser *p, const struct cfg_args *a, struct global_lvs_sync *s,
		    const char *opt, const char *val)
{
	static const struct { const char *name; long long lo, hi; } nums[] = {
		{ "id", 0, 255 }, { "maxlen", 1, 65507 }, { "port", 1, 65535 }, { "ttl", 1, 255 },
	};
	long long n;
	if (!strcmp(opt, "group"))
		return get_mcast(p, a, val, 0, &s->group);
	if (!strcmp(opt, "inst")) {
		s->vrrp_instance = sdup(p, val);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(nums); i++) {
		if (strcmp(opt, nums[i].name))
			continue;
		if (cfg_get_int(p, a, val, nums[i].lo, nums[i].hi, &n) < 0)
			return -1;
		if (i == 0) {
			s->syncid = (unsigned)n;
			s->syncid_set = true;
		} else if (i == 1) {
			s->maxlen = (unsigned)n;
		} else if (i == 2) {
			s->port = (uint16_t)n;
		} else {
			s->ttl = (unsigned)n;
		}
		return 0;
	}
	return 1; /* not an option word */
}

/* lvs_sync_daemon IF [[inst] VI] [id N] [maxlen N] [port N] [ttl N] [group IP] */
static int h_lvs_sync_daemon(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	struct global_lvs_sync s = { .port = 8848, .file = a->file, .line = a->line };
	if (need_args(p, a, 1, 14) < 0)
		return -1;
	s.ifname = sdup(p, a->argv[1]);
	for (unsigned i = 2; i < a->argc; i++) {
		const char *val = i + 1 < a->argc ? a->argv[i + 1] : NULL;
		int r = val ? sync_opt(p, a, &s, a->argv[i], val) : 1;
		if (r < 0)
			return -1;
		if (r == 0) {
			i++;
			continue;
		}
		if (s.vrrp_instance || !strcmp(a->argv[i], "inst")) {
			cfg_error(p, a, "'lvs_sync_daemon': unexpected '%s'", a->argv[i]);
			return -1;
		}
		s.vrrp_instance = sdup(p, a->argv[i]); /* old form: IF VI ... */
	}
	s.set = true;
	g->lvs_sync_daemon = s;
	return 0;
}

/* lvs_timeouts [tcp S] [tcpfin S] [udp S] */
static int h_lvs_timeouts(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (need_args(p, a, 2, 6) < 0)
		return -1;
	for (unsigned i = 1; i < a->argc; i += 2) {
		const char *w = a->argv[i];
		unsigned *dst = !strcmp(w, "tcp")      ? &g->lvs_timeout_tcp
				: !strcmp(w, "tcpfin") ? &g->lvs_timeout_tcpfin
				: !strcmp(w, "udp")    ? &g->lvs_timeout_udp : NULL;
		long long n;
		if (!dst) {
			cfg_error(p, a, "'lvs_timeouts': unknown timeout '%s' (tcp, tcpfin, udp)",
				  w);
			return -1;
		}
		if (i + 1 >= a->argc) {
			cfg_error(p, a, "'lvs_timeouts': missing value after '%s'", w);
			return -1;
		}
		if (cfg_get_int(p, a, a->argv[i + 1], 1, LVS_TIMEOUT_MAX, &n) < 0)
			return -1;
		*dst = (unsigned)n;
	}
	return 0;
}

static int h_lvs_flush_on_stop(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (need_args(p, a, 0, 1) < 0)
		return -1;
	if (a->argc > 1 && strcmp(a->argv[1], "VS")) {
		cfg_error(p, a, "'%s': unknown option '%s' (VS)", a->argv[0], a->argv[1]);
		return -1;
	}
	g->lvs_flush_on_stop = a->argc > 1 ? GLOBAL_FLUSH_VS : GLOBAL_FLUSH_ALL;
	return 0;
}

static int h_snmp_rfc(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (need_args(p, a, 0, 0) < 0)
		return -1;
	g->enable_snmp_rfcv2 = g->enable_snmp_rfcv3 = true;
	return 0;
}

static int h_netns_ipvs(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (need_args(p, a, 0, 1) < 0)
		return -1;
	g->net_namespace_ipvs_set = true;
	g->net_namespace_ipvs = sdup(p, a->argc > 1 ? a->argv[1] : "");
	return 0;
}

static void *global_defs_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct global_cfg *g = obj;
	if (a->argc > 1)
		cfg_error(p, a, "'global_defs': unexpected argument '%s'", a->argv[1]);
	if (!g->file) {
		g->file = a->file;
		g->line = a->line;
	}
	return g;
}

/* ---- tables ------------------------------------------------------------ */

#define G(f) offsetof(struct global_cfg, f)
#define FLAG(n, f) { .name = n, .type = CFG_FLAG, .off = G(f) }
#define BOOL(n, f) { .name = n, .type = CFG_BOOL, .off = G(f) }
#define UINT(n, f, lo, hi) { .name = n, .type = CFG_UINT, .off = G(f), .min = lo, .max = hi }
#define INT(n, f, lo, hi) { .name = n, .type = CFG_INT, .off = G(f), .min = lo, .max = hi }
#define TIMER(n, f) { .name = n, .type = CFG_TIMER, .off = G(f), .min = 0, .max = T_MAX }
#define STR(n, f) { .name = n, .type = CFG_STR, .off = G(f) }
#define SCRIPT(n, f) { .name = n, .type = CFG_SCRIPT, .off = G(f) }
#define CUSTOM(n, h) { .name = n, .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = h }
#define DEPR(n, h, use)                                                                     \
	{ .name = n, .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = h,                    \
	  .flags = CFG_F_DEPRECATED, .alias = use }
/* Recognised and checked, no effect yet. */
#define PARSED(n, t, lo, hi, fl)                                                            \
	{ .name = n, .type = t, .off = CFG_NOSTORE, .min = lo, .max = hi,                     \
	  .flags = CFG_F_PARSED_ONLY | (fl) }
#define PARSED_CUSTOM(n, h)                                                                 \
	{ .name = n, .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = h,                    \
	  .flags = CFG_F_PARSED_ONLY }
#define NLBUF(n, f)                                                                         \
	UINT(n, f.size, 0, INT32_MAX), BOOL(n "_force", f.force)
#define PROC(pfx, f)                                                                        \
	INT(pfx "_priority", f.priority, -20, 19), FLAG(pfx "_no_swap", f.no_swap),           \
	UINT(pfx "_rt_priority", f.rt_priority, 1, 99),                                       \
	CUSTOM(pfx "_cpu_affinity", h_cpu_affinity),                                          \
	UINT(pfx "_rlimit_rttime", f.rlimit_rttime, 2, INT32_MAX),                            \
	{ .name = pfx "_rlimit_rtime", .type = CFG_UINT, .off = G(f.rlimit_rttime), .min = 2,  \
	  .max = INT32_MAX, .flags = CFG_F_DEPRECATED, .alias = pfx "_rlimit_rttime" },       \
	CUSTOM(pfx "_process_name", h_process_name)

static const struct cfg_keyword global_defs_kw[] = {
	/* general / process */
	STR("router_id", router_id),
	PARSED("tmp_config_directory", CFG_STR, 0, 0, 0),
	PARSED("config_save_dir", CFG_STR, 0, 0, 0),
	FLAG("process_names", process_names),
	PARSED("process_name", CFG_STR, 0, 0, CFG_F_OPT_ARG),
	PROC("vrrp", vrrp_proc),
	PROC("checker", checker_proc),
	PROC("bfd", bfd_proc),
	DEPR("lvs_process_name", h_process_name, "checker_process_name"),
	BOOL("use_symlink_paths", use_symlink_paths),
	FLAG("set_supplementary_groups", set_supplementary_groups),
	SCRIPT("startup_script", startup_script),
	SCRIPT("shutdown_script", shutdown_script),
	UINT("startup_script_timeout", startup_script_timeout, 1, 1000),
	UINT("shutdown_script_timeout", shutdown_script_timeout, 1, 1000),
	CUSTOM("script_user", h_script_user),
	FLAG("enable_script_security", enable_script_security),
	CUSTOM("umask", h_umask),
	PARSED("random_seed", CFG_UINT, 0, UINT32_MAX, 0),
	CUSTOM("dynamic_interfaces", h_dynamic_interfaces),
	STR("default_interface", default_interface),
	CUSTOM("reload_check_config", h_reload_check_config),
	PARSED("reload_time_file", CFG_STR, 0, 0, 0),
	PARSED("reload_repeat", CFG_FLAG, 0, 0, 0),
	PARSED("reload_file", CFG_STR, 0, 0, CFG_F_OPT_ARG),
	PARSED_CUSTOM("include_check", h_include_check),
	BOOL("data_use_instance", data_use_instance),
	STR("state_dump_file", state_dump_file),
	STR("stats_dump_file", stats_dump_file),
	STR("json_dump_file", json_dump_file),
	UINT("json_version", json_version, 1, 2),
	PARSED("iproute_usr_dir", CFG_STR, 0, 0, 0),
	PARSED("iproute_etc_dir", CFG_STR, 0, 0, 0),
	CUSTOM("max_auto_priority", h_max_auto_priority),
	UINT("min_auto_priority_delay", min_auto_priority_delay, 1, INT32_MAX),
	NLBUF("vrrp_netlink_cmd_rcv_bufs", vrrp_netlink_cmd),
	NLBUF("vrrp_netlink_monitor_rcv_bufs", vrrp_netlink_monitor),
	NLBUF("lvs_netlink_cmd_rcv_bufs", lvs_netlink_cmd),
	NLBUF("lvs_netlink_monitor_rcv_bufs", lvs_netlink_monitor),
	NLBUF("process_monitor_rcv_bufs", process_monitor),

	/* email / alerts */
	{ .name = "notification_email", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &(const struct cfg_block){ .name = "notification_email", .line = email_line } },
	STR("notification_email_from", notification_email_from),
	CUSTOM("smtp_server", h_smtp_server),
	STR("smtp_helo_name", smtp_helo_name),
	{ .name = "smtp_connect_timeout", .type = CFG_TIMER, .off = G(smtp_connect_timeout),
	  .min = SEC / 1000, .max = T_MAX },
	CUSTOM("smtp_alert", h_smtp_alert),
	CUSTOM("smtp_alert_vrrp", h_smtp_alert),
	CUSTOM("smtp_alert_checker", h_smtp_alert),
	FLAG("no_email_faults", no_email_faults),
	FLAG("no_checker_emails", no_checker_emails),
	BOOL("checker_log_all_failures", checker_log_all_failures),

	/* VRRP defaults */
	CUSTOM("vrrp_mcast_group4", h_mcast_group),
	CUSTOM("vrrp_mcast_group6", h_mcast_group),
	UINT("vrrp_version", vrrp_version, 2, 3),
	TIMER("vrrp_garp_master_delay", vrrp_garp_master_delay),
	UINT("vrrp_garp_master_repeat", vrrp_garp_master_repeat, 0, 255),
	TIMER("vrrp_garp_lower_prio_delay", vrrp_garp_lower_prio_delay),
	UINT("vrrp_garp_lower_prio_repeat", vrrp_garp_lower_prio_repeat, 0, 255),
	TIMER("vrrp_garp_master_refresh", vrrp_garp_master_refresh),
	UINT("vrrp_garp_master_refresh_repeat", vrrp_garp_master_refresh_repeat, 1, 255),
	TIMER("vrrp_garp_interval", vrrp_garp_interval),
	TIMER("vrrp_gna_interval", vrrp_gna_interval),
	BOOL("vrrp_min_garp", vrrp_min_garp),
	CUSTOM("vrrp_garp_extra_if", h_garp_extra_if),
	DEPR("vrrp_vmac_garp_intvl", h_garp_extra_if, "vrrp_garp_extra_if"),
	UINT("vrrp_down_timer_adverts", vrrp_down_timer_adverts, 1, 100),
	BOOL("vrrp_lower_prio_no_advert", vrrp_lower_prio_no_advert),
	BOOL("vrrp_higher_prio_send_advert", vrrp_higher_prio_send_advert),
	BOOL("vrrp_owner_ignore_adverts", vrrp_owner_ignore_adverts),
	BOOL("v3_checksum_as_v2", v3_checksum_as_v2),
	FLAG("vrrp_check_unicast_src", vrrp_check_unicast_src),
	FLAG("vrrp_skip_check_adv_addr", vrrp_skip_check_adv_addr),
	FLAG("vrrp_strict", vrrp_strict),
	BOOL("vrrp_notify_priority_changes", vrrp_notify_priority_changes),
	TIMER("vrrp_startup_delay", vrrp_startup_delay),
	TIMER("vrrp_delay_after_boot", vrrp_delay_after_boot),
	PARSED_CUSTOM("vrrp_rx_bufs_policy", h_rx_bufs_policy),
	UINT("vrrp_rx_bufs_multiplier", vrrp_rx_bufs_multiplier, 1, 1000),
	FLAG("log_unknown_vrids", log_unknown_vrids),
	STR("vmac_prefix", vmac_prefix),
	STR("vmac_addr_prefix", vmac_addr_prefix),
	FLAG("disable_local_igmp", disable_local_igmp),
	CUSTOM("nftables", h_nftables),
	INT("nftables_priority", nftables_priority, INT32_MIN, INT32_MAX),
	FLAG("nftables_counters", nftables_counters),
	FLAG("nftables_ifindex", nftables_ifindex),
	CUSTOM("vrrp_iptables", h_vrrp_iptables),
	PARSED("vrrp_ipsets", CFG_ANY, 0, 0, 0),
	SCRIPT("notify_fifo", notify_fifo.fifo),
	SCRIPT("notify_fifo_script", notify_fifo.script),
	SCRIPT("vrrp_notify_fifo", vrrp_notify_fifo.fifo),
	SCRIPT("vrrp_notify_fifo_script", vrrp_notify_fifo.script),
	FLAG("fifo_write_vrrp_states_on_reload", fifo_write_vrrp_states_on_reload),

	/* LVS defaults */
	CUSTOM("lvs_sync_daemon", h_lvs_sync_daemon),
	CUSTOM("lvs_timeouts", h_lvs_timeouts),
	FLAG("lvs_flush", lvs_flush),
	CUSTOM("lvs_flush_on_stop", h_lvs_flush_on_stop),
	DEPR("lvs_flush_onstop", h_lvs_flush_on_stop, "lvs_flush_on_stop"),
	PARSED("nftables_ipvs", CFG_STR, 0, 0, CFG_F_OPT_ARG),
	PARSED("nftables_ipvs_priority", CFG_INT, INT32_MIN, INT32_MAX, 0),
	PARSED("nftables_ipvs_start_fwmark", CFG_UINT, 1, UINT32_MAX, 0),
	FLAG("rs_init_notifies", rs_init_notifies),
	SCRIPT("lvs_notify_fifo", lvs_notify_fifo.fifo),
	SCRIPT("lvs_notify_fifo_script", lvs_notify_fifo.script),

	/* SNMP / DBus */
	STR("snmp_socket", snmp_socket),
	FLAG("enable_snmp_vrrp", enable_snmp_vrrp),
	{ .name = "enable_snmp_keepalived", .type = CFG_FLAG, .off = G(enable_snmp_vrrp),
	  .flags = CFG_F_DEPRECATED, .alias = "enable_snmp_vrrp" },
	FLAG("enable_snmp_checker", enable_snmp_checker),
	CUSTOM("enable_snmp_rfc", h_snmp_rfc),
	FLAG("enable_snmp_rfcv2", enable_snmp_rfcv2),
	FLAG("enable_snmp_rfcv3", enable_snmp_rfcv3),
	FLAG("enable_traps", enable_traps),
	TIMER("snmp_vs_stats_update_interval", snmp_vs_stats_update_interval),
	TIMER("snmp_rs_stats_update_interval", snmp_rs_stats_update_interval),
	FLAG("enable_dbus", enable_dbus),
	STR("dbus_service_name", dbus_service_name),
	PARSED("dbus_no_interface_name", CFG_STR, 0, 0, 0),
	CFG_END,
};

static const struct cfg_block global_defs_block = {
	.name = "global_defs",
	.kw = global_defs_kw,
	.open = global_defs_open,
};

/* global_defs stays first: global_cfg_dump.c finds its table there. */
const struct cfg_keyword global_cfg_keywords[] = {
	{ .name = "global_defs", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &global_defs_block },
	STR("net_namespace", net_namespace),
	CUSTOM("net_namespace_ipvs", h_netns_ipvs),
	FLAG("namespace_with_ipsets", namespace_with_ipsets),
	STR("instance", instance_name),
	FLAG("use_pid_dir", use_pid_dir),
	FLAG("linkbeat_use_polling", linkbeat_use_polling),
	TIMER("child_wait_time", child_wait_time),
	CFG_END,
};

/* ---- model ------------------------------------------------------------- */

#define UNSET_TIMER UINT64_MAX
#define UNSET_UINT UINT32_MAX

struct global_cfg *global_cfg_new(struct arena *a)
{
	struct global_cfg *g = arena_alloc(a, sizeof(*g));
	g->arena = a;
	g->child_wait_time = 5 * SEC;
	g->json_version = 1;
	g->startup_script_timeout = g->shutdown_script_timeout = 10;
	g->vrrp_proc.rlimit_rttime = g->checker_proc.rlimit_rttime = 10000;
	g->min_auto_priority_delay = 1000000;
	g->bfd_proc.rlimit_rttime = 10000;
	g->smtp_server_port = 25;
	g->smtp_connect_timeout = 30 * SEC;
	g->vrrp_version = 2;
	ka_addr_parse("224.0.0.18", false, &g->vrrp_mcast_group4);
	ka_addr_parse("ff02::12", false, &g->vrrp_mcast_group6);
	g->vrrp_garp_master_delay = 5 * SEC;
	g->vrrp_garp_master_repeat = 5;
	g->vrrp_garp_lower_prio_delay = UNSET_TIMER;
	g->vrrp_garp_lower_prio_repeat = UNSET_UINT;
	g->vrrp_garp_master_refresh_repeat = 1;
	g->vrrp_down_timer_adverts = 3;
	g->vrrp_rx_bufs_multiplier = 3;
	g->nftables_priority = -1;
	g->snmp_vs_stats_update_interval = g->snmp_rs_stats_update_interval = 5 * SEC;
	return g;
}

static char *hostname(struct arena *a)
{
	char buf[256];
	if (gethostname(buf, sizeof(buf) - 1) < 0 || !buf[0])
		strcpy(buf, "localhost");
	buf[sizeof(buf) - 1] = '\0';
	return arena_strdup(a, buf);
}

void global_cfg_finish(struct global_cfg *g, struct cfg_diag *diag)
{
	const char *file = g->file; /* NULL without global_defs: no location */
	char *host = hostname(g->arena);

	if (!g->router_id)
		g->router_id = host;
	if (!g->smtp_helo_name)
		g->smtp_helo_name = host;
	if (!g->notification_email_from) {
		size_t n = strlen(host) + sizeof("keepalived@");
		g->notification_email_from = arena_alloc(g->arena, n);
		snprintf(g->notification_email_from, n, "keepalived@%s", host);
	}
	if (g->vrrp_garp_lower_prio_delay == UNSET_TIMER)
		g->vrrp_garp_lower_prio_delay = g->vrrp_garp_master_delay;
	if (g->vrrp_garp_lower_prio_repeat == UNSET_UINT)
		g->vrrp_garp_lower_prio_repeat = g->vrrp_garp_master_repeat;

	bool no_server = g->smtp_server.family == AF_UNSPEC && !g->smtp_server_host;
	if (no_server && g->notification_email.n)
		cfg_diag_at(diag, CFG_LVL_WARNING, file, g->line,
			    "notification_email is set but smtp_server is not: no mail is sent");
	if (!no_server && !g->notification_email.n)
		cfg_diag_at(diag, CFG_LVL_WARNING, file, g->line,
			    "smtp_server is set but notification_email is empty: no mail is sent");
	/* enable_traps without any enable_snmp_* keyword is fine: -x on the
	 * command line turns the MIBs on, and the file cannot know about it. */
}

void global_cfg_crosscheck(const struct global_cfg *g, const struct vrrp_cfg *v,
			   struct cfg_diag *diag)
{
	const struct global_lvs_sync *s = &g->lvs_sync_daemon;
	if (s->set && s->vrrp_instance && !vrrp_cfg_find_instance(v, s->vrrp_instance))
		cfg_diag_at(diag, CFG_LVL_ERROR, s->file, s->line,
			    "'lvs_sync_daemon': no vrrp_instance named '%s'", s->vrrp_instance);
}

bool global_cfg_needs_vrrp(const struct global_cfg *g)
{
	return g->lvs_sync_daemon.set;
}

enum global_tristate global_cfg_smtp_alert_vrrp(const struct global_cfg *g)
{
	return g->smtp_alert_vrrp != GLOBAL_UNSET ? g->smtp_alert_vrrp : g->smtp_alert;
}

enum global_tristate global_cfg_smtp_alert_checker(const struct global_cfg *g)
{
	return g->smtp_alert_checker != GLOBAL_UNSET ? g->smtp_alert_checker : g->smtp_alert;
}

