/* SPDX-License-Identifier: GPL-2.0-or-later */
/* global_cfg_dump.c - print global_defs and the root keywords in configuration syntax */
#include <string.h>

#include "daemon/global_cfg.h"
#include "util.h"

#define SEC 1000000ULL

static void put_word(FILE *out, const char *s)
{
	if (*s && !strpbrk(s, " \t\"#!{}"))
		fputs(s, out);
	else
		fprintf(out, "\"%s\"", s);
}

static void put_timer(FILE *out, uint64_t us)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%llu.%06llu", (unsigned long long)(us / SEC),
			 (unsigned long long)(us % SEC));
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	fputs(buf, out);
}

static void put_script(FILE *out, const struct ka_script *s)
{
	put_word(out, s->cmd);
	if (s->user) {
		fputc(' ', out);
		put_word(out, s->user);
	}
	if (s->user && s->group) {
		fputc(' ', out);
		put_word(out, s->group);
	}
}

static void put_addr(FILE *out, const struct ka_addr *a)
{
	char buf[KA_ADDR_STRLEN];
	fputs(ka_addr_str(a, buf), out);
}

static bool is_zero(const void *f, size_t n)
{
	const unsigned char *b = f;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* A keyword with standard storage. Unset strings and false flags print
 * nothing; a zero number only when the built-in default (in def) is not zero. */
static void dump_std(FILE *out, const struct cfg_keyword *kw, const void *obj, const void *def,
		     const char *ind)
{
	const char *f = (const char *)obj + kw->off;
	const char *d = (const char *)def + kw->off;
	switch (kw->type) {
	case CFG_FLAG:
	case CFG_BOOL:
		if (*(const bool *)f)
			fprintf(out, "%s%s\n", ind, kw->name);
		break;
	case CFG_INT:
	case CFG_UINT:
		if (!is_zero(f, sizeof(int)) || !is_zero(d, sizeof(int)))
			fprintf(out, kw->type == CFG_INT ? "%s%s %d\n" : "%s%s %u\n", ind,
				kw->name, *(const int *)f);
		break;
	case CFG_TIMER:
		if (is_zero(f, sizeof(uint64_t)) && is_zero(d, sizeof(uint64_t)))
			break;
		fprintf(out, "%s%s ", ind, kw->name);
		put_timer(out, *(const uint64_t *)f);
		fputc('\n', out);
		break;
	case CFG_STR:
		if (*(char *const *)f) {
			fprintf(out, "%s%s ", ind, kw->name);
			put_word(out, *(char *const *)f);
			fputc('\n', out);
		}
		break;
	case CFG_SCRIPT:
		if (((const struct ka_script *)f)->cmd) {
			fprintf(out, "%s%s ", ind, kw->name);
			put_script(out, (const struct ka_script *)f);
			fputc('\n', out);
		}
		break;
	default:
		break;
	}
}

static const char *onoff(enum global_tristate t)
{
	return t == GLOBAL_ON ? "on" : "off";
}

static void d_smtp_alert(FILE *out, const struct global_cfg *g, const char *kw)
{
	enum global_tristate t = !strcmp(kw, "smtp_alert_vrrp")      ? g->smtp_alert_vrrp
				 : !strcmp(kw, "smtp_alert_checker") ? g->smtp_alert_checker
								     : g->smtp_alert;
	if (t != GLOBAL_UNSET)
		fprintf(out, "\t%s %s\n", kw, onoff(t));
}

static void d_script_user(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (g->script_user)
		fprintf(out, "\tscript_user %s%s%s\n", g->script_user, g->script_group ? " " : "",
			g->script_group ? g->script_group : "");
}

static void d_umask(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (g->umask_set)
		fprintf(out, "\tumask 0%03o\n", g->umask);
}

static void d_dynamic_interfaces(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (g->dynamic_interfaces)
		fprintf(out, "\tdynamic_interfaces%s\n",
			g->dynamic_interfaces_allow_changes ? " allow_if_changes" : "");
}

static void d_reload_check_config(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (g->reload_check_config)
		fprintf(out, "\treload_check_config%s%s\n", g->reload_check_config_log ? " " : "",
			g->reload_check_config_log ? g->reload_check_config_log : "");
}

static void d_proc(FILE *out, const struct global_cfg *g, const char *kw)
{
	const struct global_proc *pr = !strncmp(kw, "vrrp_", 5) ? &g->vrrp_proc
				       : !strncmp(kw, "bfd_", 4) ? &g->bfd_proc : &g->checker_proc;
	const char *v = strstr(kw, "_cpu_affinity") ? pr->cpu_affinity : pr->process_name;
	if (v)
		fprintf(out, "\t%s %s\n", kw, v);
}

static void d_max_auto_priority(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (g->max_auto_priority)
		fprintf(out, "\t%s %d\n", kw, g->max_auto_priority);
}

static void d_mcast_group(FILE *out, const struct global_cfg *g, const char *kw)
{
	fprintf(out, "\t%s ", kw);
	put_addr(out, strcmp(kw, "vrrp_mcast_group6") ? &g->vrrp_mcast_group4
						       : &g->vrrp_mcast_group6);
	fputc('\n', out);
}

static void d_garp_extra_if(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (!g->vrrp_garp_extra_if)
		return;
	fprintf(out, "\tvrrp_garp_extra_if %s", g->vrrp_garp_extra_if_all ? "all " : "");
	put_timer(out, g->vrrp_garp_extra_if);
	fputc('\n', out);
}

static void d_nftables(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (g->nftables)
		fprintf(out, "\tnftables %s\n", g->nftables);
}

static void d_vrrp_iptables(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (g->vrrp_iptables_in)
		fprintf(out, "\tvrrp_iptables %s%s%s\n", g->vrrp_iptables_in,
			g->vrrp_iptables_out ? " " : "",
			g->vrrp_iptables_out ? g->vrrp_iptables_out : "");
}

static void d_smtp_server(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (g->smtp_server_host)
		fprintf(out, "\tsmtp_server %s %u\n", g->smtp_server_host, g->smtp_server_port);
	else if (g->smtp_server.family != AF_UNSPEC) {
		fputs("\tsmtp_server ", out);
		put_addr(out, &g->smtp_server);
		fprintf(out, " %u\n", g->smtp_server_port);
	}
}

static void d_lvs_sync_daemon(FILE *out, const struct global_cfg *g, const char *kw)
{
	const struct global_lvs_sync *s = &g->lvs_sync_daemon;
	if (!s->set)
		return;
	fprintf(out, "\tlvs_sync_daemon %s", s->ifname);
	if (s->vrrp_instance)
		fprintf(out, " inst %s", s->vrrp_instance);
	if (s->syncid_set)
		fprintf(out, " id %u", s->syncid);
	if (s->maxlen)
		fprintf(out, " maxlen %u", s->maxlen);
	fprintf(out, " port %u", s->port);
	if (s->ttl)
		fprintf(out, " ttl %u", s->ttl);
	if (s->group.family != AF_UNSPEC) {
		fputs(" group ", out);
		put_addr(out, &s->group);
	}
	fputc('\n', out);
}

static void d_lvs_timeouts(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (!g->lvs_timeout_tcp && !g->lvs_timeout_tcpfin && !g->lvs_timeout_udp)
		return;
	fputs("\tlvs_timeouts", out);
	if (g->lvs_timeout_tcp)
		fprintf(out, " tcp %u", g->lvs_timeout_tcp);
	if (g->lvs_timeout_tcpfin)
		fprintf(out, " tcpfin %u", g->lvs_timeout_tcpfin);
	if (g->lvs_timeout_udp)
		fprintf(out, " udp %u", g->lvs_timeout_udp);
	fputc('\n', out);
}

static void d_lvs_flush_on_stop(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (g->lvs_flush_on_stop != GLOBAL_FLUSH_NONE)
		fprintf(out, "\tlvs_flush_on_stop%s\n",
			g->lvs_flush_on_stop == GLOBAL_FLUSH_VS ? " VS" : "");
}

static void d_netns_ipvs(FILE *out, const struct global_cfg *g, const char *kw)
{
	if (g->net_namespace_ipvs_set) {
		fputs("net_namespace_ipvs", out);
		if (*g->net_namespace_ipvs)
			fprintf(out, " %s", g->net_namespace_ipvs);
		fputc('\n', out);
	}
}

typedef void (*dump_fn)(FILE *out, const struct global_cfg *g, const char *kw);

/* Keywords with a custom handler print themselves. */
static const struct {
	const char *name;
	dump_fn dump;
} custom_dumps[] = {
	{ "smtp_alert", d_smtp_alert },
	{ "smtp_alert_vrrp", d_smtp_alert },
	{ "smtp_alert_checker", d_smtp_alert },
	{ "script_user", d_script_user },
	{ "umask", d_umask },
	{ "dynamic_interfaces", d_dynamic_interfaces },
	{ "reload_check_config", d_reload_check_config },
	{ "vrrp_cpu_affinity", d_proc },
	{ "checker_cpu_affinity", d_proc },
	{ "bfd_cpu_affinity", d_proc },
	{ "vrrp_process_name", d_proc },
	{ "checker_process_name", d_proc },
	{ "bfd_process_name", d_proc },
	{ "max_auto_priority", d_max_auto_priority },
	{ "vrrp_mcast_group4", d_mcast_group },
	{ "vrrp_mcast_group6", d_mcast_group },
	{ "vrrp_garp_extra_if", d_garp_extra_if },
	{ "nftables", d_nftables },
	{ "vrrp_iptables", d_vrrp_iptables },
	{ "smtp_server", d_smtp_server },
	{ "lvs_sync_daemon", d_lvs_sync_daemon },
	{ "lvs_timeouts", d_lvs_timeouts },
	{ "lvs_flush_on_stop", d_lvs_flush_on_stop },
	{ "net_namespace_ipvs", d_netns_ipvs },
};

static void dump_table(FILE *out, const struct cfg_keyword *kw, const struct global_cfg *g,
		       const struct global_cfg *def, const char *ind)
{
	for (; kw->name; kw++) {
		if (kw->flags & CFG_F_DEPRECATED)
			continue;
		if (kw->type == CFG_BLOCK && !strcmp(kw->name, "notification_email")) {
			if (!g->notification_email.n)
				continue;
			fprintf(out, "%snotification_email {\n", ind);
			cfg_list_for_each(const struct global_email, e, &g->notification_email) {
				fprintf(out, "%s\t", ind);
				put_word(out, e->addr);
				fputc('\n', out);
			}
			fprintf(out, "%s}\n", ind);
		} else if (kw->type == CFG_CUSTOM) {
			for (size_t i = 0; i < ARRAY_SIZE(custom_dumps); i++)
				if (!strcmp(custom_dumps[i].name, kw->name))
					custom_dumps[i].dump(out, g, kw->name);
		} else if (kw->off != CFG_NOSTORE) {
			dump_std(out, kw, g, def, ind);
		}
	}
}

void global_cfg_dump(FILE *out, const struct global_cfg *g)
{
	/* Built-in defaults tell a meaningful zero from an unset one. */
	struct arena *a = arena_new();
	const struct global_cfg *def = global_cfg_new(a);
	fputs("global_defs {\n", out);
	dump_table(out, global_cfg_keywords[0].block->kw, g, def, "\t");
	fputs("}\n", out);
	dump_table(out, global_cfg_keywords, g, def, "");
	arena_free(a);
}
