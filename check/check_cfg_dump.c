/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_cfg_dump.c - print the resolved LVS model in configuration syntax */
#include <string.h>

#include <linux/ip_vs.h>

#include "check/check_cfg_int.h"
#include "ipvs-glue/ipvs_names.h"

/* "%.*s" with TABS prints that many tabs of indentation. */
static const char TABS[] = "\t\t\t\t\t\t";

static void word(FILE *out, const char *s)
{
	if (*s && !strpbrk(s, " \t\"#!{}"))
		fputs(s, out);
	else
		fprintf(out, "\"%s\"", s);
}

static void timer(FILE *out, int ind, const char *kw, uint64_t us)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%llu.%06llu", (unsigned long long)(us / CHECK_SEC),
			 (unsigned long long)(us % CHECK_SEC));
	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	if (buf[n - 1] == '.')
		buf[--n] = '\0';
	fprintf(out, "%.*s%s %s\n", ind, TABS, kw, buf);
}

static void str(FILE *out, int ind, const char *kw, const char *v)
{
	if (!v)
		return;
	fprintf(out, "%.*s%s ", ind, TABS, kw);
	word(out, v);
	fputc('\n', out);
}

static void flag(FILE *out, int ind, const char *kw, bool on)
{
	if (on)
		fprintf(out, "%.*s%s\n", ind, TABS, kw);
}

static void tri(FILE *out, int ind, const char *kw, enum global_tristate t)
{
	if (t != GLOBAL_UNSET)
		fprintf(out, "%.*s%s %s\n", ind, TABS, kw, t == GLOBAL_ON ? "on" : "off");
}

static void script(FILE *out, int ind, const char *kw, const struct ka_script *s)
{
	if (!s->cmd)
		return;
	fprintf(out, "%.*s%s ", ind, TABS, kw);
	word(out, s->cmd);
	if (s->user)
		fprintf(out, " %s%s%s", s->user, s->group ? " " : "", s->group ? s->group : "");
	fputc('\n', out);
}

static void addr(FILE *out, int ind, const char *kw, const struct ka_addr *a)
{
	char b[KA_ADDR_STRLEN];
	if (a->family != AF_UNSPEC)
		fprintf(out, "%.*s%s %s\n", ind, TABS, kw, ka_addr_str(a, b));
}

static void fwd(FILE *out, int ind, const char *kw, const struct check_fwd *f)
{
	fprintf(out, "%.*s%s %s", ind, TABS, kw, ipvs_fwd_name(f->method));
	if (f->method == IP_VS_CONN_F_TUNNEL) {
		fprintf(out, " type %s", ipvs_tunnel_name(f->tun_type));
		if (f->tun_port)
			fprintf(out, " port %u", f->tun_port);
		if (f->tun_csum >= 0)
			fprintf(out, " %s", ipvs_tunnel_csum_name(f->tun_csum));
	}
	fputc('\n', out);
}

static void timing(FILE *out, int ind, uint64_t dl, uint64_t ct, uint64_t dbr, uint64_t wu,
		   unsigned retry)
{
	if (dl != CHECK_UNSET_TIMER)
		timer(out, ind, "delay_loop", dl);
	if (ct != CHECK_UNSET_TIMER)
		timer(out, ind, "connect_timeout", ct);
	if (retry != CHECK_UNSET)
		fprintf(out, "%.*sretry %u\n", ind, TABS, retry);
	if (dbr != CHECK_UNSET_TIMER)
		timer(out, ind, "delay_before_retry", dbr);
	if (wu != CHECK_UNSET_TIMER)
		timer(out, ind, "warmup", wu);
}

/* status_code as ranges: "200-299 302" */
static void status_codes(FILE *out, const struct check_url *u)
{
	fputs("\t\t\t\tstatus_code", out);
	for (unsigned c = CHECK_STATUS_MIN; c <= CHECK_STATUS_MAX; c++) {
		if (!check_url_status_ok(u, c))
			continue;
		unsigned e = c;
		while (e < CHECK_STATUS_MAX && check_url_status_ok(u, e + 1))
			e++;
		fprintf(out, e > c ? " %u-%u" : " %u", c, e);
		c = e;
	}
	fputc('\n', out);
}

static void dump_url(FILE *out, const struct check_url *u)
{
	fprintf(out, "\t\t\turl {\n");
	str(out, 4, "path", u->path);
	if (u->has_digest) {
		fputs("\t\t\t\tdigest ", out);
		for (int i = 0; i < 16; i++)
			fprintf(out, "%02x", u->digest[i]);
		fputc('\n', out);
	}
	status_codes(out, u);
	str(out, 4, "virtualhost", u->virtualhost);
	str(out, 4, "regex", u->regex);
	flag(out, 4, "regex_no_match", u->regex_no_match);
	if (u->regex_options) {
		fputs("\t\t\t\tregex_options", out);
		for (unsigned i = 0; check_regex_option_names[i]; i++)
			if (u->regex_options & (1u << i))
				fprintf(out, " %s", check_regex_option_names[i]);
		fputc('\n', out);
	}
	if (u->regex_stack_max)
		fprintf(out, "\t\t\t\tregex_stack %u %u\n", u->regex_stack_start,
			u->regex_stack_max);
	if (u->regex_min_offset)
		fprintf(out, "\t\t\t\tregex_min_offset %u\n", u->regex_min_offset);
	if (u->regex_max_offset)
		fprintf(out, "\t\t\t\tregex_max_offset %u\n", u->regex_max_offset);
	flag(out, 4, "tls_compliant", u->tls_compliant);
	fputs("\t\t\t}\n", out);
}

static void hex(FILE *out, const char *kw, const uint8_t *b, const uint8_t *mask, size_t n)
{
	fprintf(out, "\t\t\t%s ", kw);
	for (size_t i = 0; i < n; i++) {
		for (unsigned shift = 4;; shift = 0) {
			bool wild = mask && !((mask[i] >> shift) & 0xf);
			fputc(wild ? 'x' : "0123456789abcdef"[(b[i] >> shift) & 0xf], out);
			if (!shift)
				break;
		}
	}
	fputc('\n', out);
}

static void dump_kind(FILE *out, const struct check_probe *c)
{
	static const char *const protos[] = { "1.0", "1.0C", "1.1" };
	switch (c->kind) {
	case CHECK_HTTP:
	case CHECK_SSL:
		fprintf(out, "\t\t\thttp_protocol %s\n", protos[c->u.http.protocol]);
		str(out, 3, "virtualhost", c->u.http.virtualhost);
		flag(out, 3, "fast_recovery", c->u.http.fast_recovery);
		flag(out, 3, "enable_sni", c->u.http.enable_sni);
		str(out, 3, "sni_name", c->u.http.sni_name);
		flag(out, 3, "tls_compliant", c->u.http.tls_compliant);
		cfg_list_for_each(const struct check_url, u, &c->u.http.urls)
			dump_url(out, u);
		break;
	case CHECK_SMTP:
		str(out, 3, "helo_name", c->u.smtp.helo_name);
		break;
	case CHECK_DNS:
		fprintf(out, "\t\t\ttype %d\n", c->u.dns.type);
		str(out, 3, "name", c->u.dns.name);
		break;
	case CHECK_UDP:
		if (c->u.udp.payload_len)
			hex(out, "payload", c->u.udp.payload, NULL, c->u.udp.payload_len);
		if (c->u.udp.reply_len)
			hex(out, "require_reply", c->u.udp.reply, c->u.udp.reply_mask,
			    c->u.udp.reply_len);
		else
			flag(out, 3, "require_reply", c->u.udp.require_reply);
		fprintf(out, "\t\t\tmin_reply_length %u\n\t\t\tmax_reply_length %u\n",
			c->u.udp.min_reply_length, c->u.udp.max_reply_length);
		break;
	case CHECK_MISC:
		script(out, 3, "misc_path", &c->u.misc.path);
		timer(out, 3, "misc_timeout", c->u.misc.timeout);
		flag(out, 3, "misc_dynamic", c->u.misc.dynamic);
		break;
	case CHECK_FILE:
		str(out, 3, "track_file", c->u.file.track_file);
		fprintf(out, "\t\t\tweight %d%s\n", c->u.file.weight,
			c->u.file.reverse ? " reverse" : "");
		break;
	case CHECK_BFD:
		str(out, 3, "name", c->u.bfd.name);
		break;
	default:
		break;
	}
}

static void dump_probe(FILE *out, const struct check_probe *c)
{
	fprintf(out, "\t\t%s {\t# %s:%u\n", check_kind_name(c->kind), c->file, c->line);
	if (c->kind != CHECK_MISC && c->kind != CHECK_FILE && c->kind != CHECK_BFD) {
		addr(out, 3, "connect_ip", &c->conn.connect_ip);
		if (c->conn.connect_port)
			fprintf(out, "\t\t\tconnect_port %u\n", c->conn.connect_port);
		addr(out, 3, "bindto", &c->conn.bindto);
		if (c->conn.bind_port)
			fprintf(out, "\t\t\tbind_port %u\n", c->conn.bind_port);
		str(out, 3, "bind_if", c->conn.bind_if);
		if (c->conn.fwmark)
			fprintf(out, "\t\t\tfwmark %u\n", c->conn.fwmark);
	}
	if (c->kind != CHECK_FILE && c->kind != CHECK_BFD)
		timing(out, 3, c->delay_loop, c->kind == CHECK_MISC ? CHECK_UNSET_TIMER
								      : c->connect_timeout,
		       c->delay_before_retry, c->warmup, c->retry);
	flag(out, 3, "alpha", c->alpha == GLOBAL_ON);
	flag(out, 3, "log_all_failures", c->log_all_failures == GLOBAL_ON);
	dump_kind(out, c);
	fputs("\t\t}\n", out);
}

static void dump_rs(FILE *out, const struct check_rs *rs)
{
	char b[KA_ADDR_STRLEN];
	fprintf(out, "\treal_server %s %u {\t# %s:%u\n", ka_addr_str(&rs->addr, b), rs->port,
		rs->file, rs->line);
	fprintf(out, "\t\tweight %u\n", rs->weight);
	fwd(out, 2, "lvs_method", &rs->fwd);
	if (rs->uthreshold)
		fprintf(out, "\t\tuthreshold %u\n", rs->uthreshold);
	if (rs->lthreshold)
		fprintf(out, "\t\tlthreshold %u\n", rs->lthreshold);
	flag(out, 2, "inhibit_on_failure", rs->inhibit_on_failure == GLOBAL_ON);
	flag(out, 2, "alpha", rs->alpha == GLOBAL_ON);
	tri(out, 2, "smtp_alert", rs->smtp_alert);
	script(out, 2, "notify_up", &rs->notify_up);
	script(out, 2, "notify_down", &rs->notify_down);
	str(out, 2, "virtualhost", rs->virtualhost);
	str(out, 2, "snmp_name", rs->snmp_name);
	cfg_list_for_each(const struct check_probe, c, &rs->probes)
		dump_probe(out, c);
	fputs("\t}\n", out);
}

static void dump_sched(FILE *out, const struct check_vs *vs)
{
	fprintf(out, "\tlvs_sched %s\n", vs->sched);
	bool sh = !strcmp(vs->sched, "sh"), mh = !strcmp(vs->sched, "mh");
	static const struct { unsigned bit; const char *gen, *sh, *mh; } flags[] = {
		{ IP_VS_SVC_F_SCHED1, "flag-1", "sh-fallback", "mh-fallback" },
		{ IP_VS_SVC_F_SCHED2, "flag-2", "sh-port", "mh-port" },
		{ IP_VS_SVC_F_SCHED3, "flag-3", "flag-3", "flag-3" },
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (vs->sched_flags & flags[i].bit)
			fprintf(out, "\t%s\n", sh ? flags[i].sh : mh ? flags[i].mh : flags[i].gen);
	flag(out, 1, "ops", vs->ops);
}

static void dump_vs(FILE *out, const struct check_vs *vs)
{
	char b[KA_ADDR_STRLEN];
	if (vs->kind == CHECK_VS_FWMARK)
		fprintf(out, "virtual_server fwmark %u {", vs->fwmark);
	else if (vs->kind == CHECK_VS_GROUP)
		fprintf(out, "virtual_server group %s {", vs->group_name);
	else
		fprintf(out, "virtual_server %s %u {", ka_addr_str(&vs->addr, b), vs->port);
	fprintf(out, "\t# %s:%u\n", vs->file, vs->line);
	dump_sched(out, vs);
	fwd(out, 1, "lvs_method", &vs->fwd);
	if (vs->persistence_timeout)
		fprintf(out, "\tpersistence_timeout %u\n", vs->persistence_timeout);
	if (vs->has_granularity)
		fprintf(out, "\tpersistence_granularity %u\n", vs->persistence_granularity);
	str(out, 1, "persistence_engine", vs->persistence_engine);
	fprintf(out, "\tprotocol %s\n", ipvs_proto_name(vs->protocol));
	if (vs->kind != CHECK_VS_ADDR)
		fprintf(out, "\tip_family %s\n", vs->family == AF_INET6 ? "inet6" : "inet");
	flag(out, 1, "ha_suspend", vs->ha_suspend);
	str(out, 1, "virtualhost", vs->virtualhost);
	str(out, 1, "snmp_name", vs->snmp_name);
	tri(out, 1, "smtp_alert", vs->smtp_alert);
	flag(out, 1, "alpha", vs->alpha);
	flag(out, 1, "omega", vs->omega);
	fprintf(out, "\tquorum %u\n", vs->quorum);
	if (vs->hysteresis)
		fprintf(out, "\thysteresis %u\n", vs->hysteresis);
	script(out, 1, "quorum_up", &vs->quorum_up);
	script(out, 1, "quorum_down", &vs->quorum_down);
	if (vs->sorry_server) {
		const struct check_rs *s = vs->sorry_server;
		fprintf(out, "\tsorry_server %s %u\n", ka_addr_str(&s->addr, b), s->port);
		flag(out, 1, "sorry_server_inhibit", vs->sorry_server_inhibit);
		fwd(out, 1, "sorry_server_lvs_method", &s->fwd);
	}
	timing(out, 1, vs->delay_loop, vs->connect_timeout, vs->delay_before_retry, vs->warmup,
	       vs->retry);
	flag(out, 1, "inhibit_on_failure", vs->inhibit_on_failure);
	cfg_list_for_each(const struct check_rs, rs, &vs->rs)
		dump_rs(out, rs);
	fputs("}\n", out);
}

static void dump_group(FILE *out, const struct check_vsg *g)
{
	char b1[KA_ADDR_STRLEN], b2[KA_ADDR_STRLEN];
	fprintf(out, "virtual_server_group %s {\t# %s:%u\n", g->name, g->file, g->line);
	cfg_list_for_each(const struct check_vsg_entry, e, &g->entries) {
		if (e->kind == CHECK_VSG_FWMARK) {
			const char *fam = e->family == AF_INET6 ? " inet6"
					  : e->family == AF_INET ? " inet" : "";
			fprintf(out, "\tfwmark %u%s\n", e->fwmark, fam);
			continue;
		}
		ka_addr_str(&e->first, b1);
		if (e->kind == CHECK_VSG_RANGE && e->prefix)
			fprintf(out, "\t%s/%u", b1, e->prefix);
		else if (e->kind == CHECK_VSG_RANGE)
			fprintf(out, "\t%s-%s", b1, ka_addr_str(&e->last, b2));
		else
			fprintf(out, "\t%s", b1);
		fprintf(out, e->port ? " %u\n" : "\n", e->port);
	}
	fputs("}\n", out);
}

void check_cfg_dump(FILE *out, const struct check_cfg *c)
{
	if (c->ssl.set) {
		fputs("SSL {\n", out);
		str(out, 1, "password", c->ssl.password ? "(hidden)" : NULL);
		str(out, 1, "ca", c->ssl.ca);
		str(out, 1, "certificate", c->ssl.certificate);
		str(out, 1, "key", c->ssl.key);
		fputs("}\n", out);
	}
	cfg_list_for_each(const struct check_vsg, g, &c->groups)
		dump_group(out, g);
	cfg_list_for_each(const struct check_vs, vs, &c->vs)
		dump_vs(out, vs);
}
