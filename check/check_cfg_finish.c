/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_cfg_finish.c - resolve real server and checker defaults, check them against each other */
#include <stdarg.h>
#include <string.h>

#include <linux/ip_vs.h>

#include "check/check_cfg_int.h"

#define DEF_DELAY_LOOP (60 * CHECK_SEC)
#define DEF_CONNECT_TIMEOUT (5 * CHECK_SEC)

static void inherit_timer(uint64_t *v, uint64_t parent)
{
	if (*v == CHECK_UNSET_TIMER)
		*v = parent;
}

/* Built-in retry and delay_before_retry by checker kind. */
static unsigned default_retry(enum check_kind k)
{
	return k == CHECK_DNS ? 3 : k == CHECK_MISC ? 0 : 1;
}

static uint64_t default_dbr(const struct check_probe *c)
{
	if (c->kind == CHECK_HTTP || c->kind == CHECK_SSL)
		return 3 * CHECK_SEC;
	return c->kind == CHECK_DNS ? c->delay_loop : 1 * CHECK_SEC;
}

static bool needs_port(enum check_kind k)
{
	return k == CHECK_TCP || k == CHECK_HTTP || k == CHECK_SSL || k == CHECK_SMTP ||
	       k == CHECK_DNS || k == CHECK_UDP;
}

static void err(struct cfg_diag *d, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void err(struct cfg_diag *d, const char *file, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cfg_diag_vat(d, CFG_LVL_ERROR, file, line, fmt, ap);
	va_end(ap);
}

/* Fields of a deprecated SMTP host { } fill what the checker left unset. */
static void merge_conn(struct check_conn *dst, const struct check_conn *base,
		       const struct check_conn *h)
{
	*dst = *base;
	if (dst->connect_ip.family == AF_UNSPEC)
		dst->connect_ip = h->connect_ip;
	if (dst->connect_port == CHECK_UNSET)
		dst->connect_port = h->connect_port;
	if (dst->bindto.family == AF_UNSPEC)
		dst->bindto = h->bindto;
	if (!dst->bind_port)
		dst->bind_port = h->bind_port;
	if (!dst->bind_if)
		dst->bind_if = h->bind_if;
	if (!dst->fwmark)
		dst->fwmark = h->fwmark;
}

/* The first host { } configures the checker itself; each further one
 * becomes a copy of the checker aimed at that host. */
static void expand_smtp_hosts(struct arena *a, struct check_rs *rs, struct check_probe *c)
{
	const struct check_conn base = c->conn;
	bool first = true;
	cfg_list_for_each(const struct check_smtp_host, h, &c->u.smtp.hosts) {
		struct check_probe *t = c;
		if (!first) {
			t = arena_alloc(a, sizeof(*t));
			*t = *c;
			t->node.next = NULL;
			t->file = h->file;
			t->line = h->line;
			t->u.smtp.hosts = (struct cfg_list){ 0 };
			cfg_list_append(&rs->probes, &t->node);
		}
		merge_conn(&t->conn, &base, &h->conn);
		first = false;
	}
	c->u.smtp.hosts = (struct cfg_list){ 0 };
}

static void finish_http(struct check_probe *c, const struct check_rs *rs, struct cfg_diag *d)
{
	const char *name = check_kind_name(c->kind);
	if (!c->u.http.urls.n)
		err(d, c->file, c->line, "%s: no url { } block", name);
	const char *vhost = c->u.http.virtualhost ? c->u.http.virtualhost
			    : rs->virtualhost      ? rs->virtualhost
						   : rs->vs->virtualhost;
	cfg_list_for_each(struct check_url, u, &c->u.http.urls) {
		if (!u->path)
			err(d, u->file, u->line, "%s: url without path", name);
		if (!u->virtualhost)
			u->virtualhost = (char *)vhost;
		if (u->regex_max_offset && u->regex_min_offset > u->regex_max_offset)
			err(d, u->file, u->line, "%s: regex_min_offset is above regex_max_offset",
			    name);
		if (!u->regex && (u->regex_no_match || u->regex_options))
			err(d, u->file, u->line, "%s: regex options without regex", name);
	}
}

/* Kind-specific defaults and mandatory keywords. */
static void finish_kind(struct check_probe *c, const struct check_rs *rs, struct cfg_diag *d)
{
	switch (c->kind) {
	case CHECK_HTTP:
	case CHECK_SSL:
		finish_http(c, rs, d);
		break;
	case CHECK_SMTP:
		if (!c->u.smtp.helo_name)
			c->u.smtp.helo_name = "smtpchecker.keepalived.org";
		break;
	case CHECK_DNS:
		if (!c->u.dns.name)
			c->u.dns.name = ".";
		break;
	case CHECK_UDP:
		if (c->u.udp.min_reply_length > c->u.udp.max_reply_length)
			err(d, c->file, c->line, "UDP_CHECK: min_reply_length %u is above "
			    "max_reply_length %u", c->u.udp.min_reply_length,
			    c->u.udp.max_reply_length);
		break;
	case CHECK_MISC:
		if (!c->u.misc.path.cmd)
			err(d, c->file, c->line, "MISC_CHECK: no misc_path");
		if (c->u.misc.timeout == CHECK_UNSET_TIMER)
			c->u.misc.timeout = c->delay_loop;
		if (c->u.misc.user && !c->u.misc.path.user) {
			c->u.misc.path.user = c->u.misc.user;
			c->u.misc.path.group = c->u.misc.group;
		}
		break;
	case CHECK_FILE:
		if (!c->u.file.track_file)
			err(d, c->file, c->line, "FILE_CHECK: no track_file");
		break;
	case CHECK_BFD:
		if (!c->u.bfd.name)
			err(d, c->file, c->line, "BFD_CHECK: no name");
		/* the session's detection time is its retry: a change applies at once */
		c->retry = 0;
		break;
	default:
		break;
	}
}

static void finish_probe(struct check_probe *c, const struct check_rs *rs,
			 const struct global_cfg *g, struct cfg_diag *d)
{
	char b[128];
	inherit_timer(&c->delay_loop, rs->delay_loop);
	inherit_timer(&c->connect_timeout, rs->connect_timeout);
	inherit_timer(&c->delay_before_retry, rs->delay_before_retry);
	inherit_timer(&c->delay_before_retry, default_dbr(c));
	inherit_timer(&c->warmup, rs->warmup);
	inherit_timer(&c->warmup, c->delay_loop);
	if (c->retry == CHECK_UNSET)
		c->retry = rs->retry != CHECK_UNSET ? rs->retry : default_retry(c->kind);
	if (c->alpha == GLOBAL_UNSET)
		c->alpha = rs->alpha;
	if (c->log_all_failures == GLOBAL_UNSET)
		c->log_all_failures = g->checker_log_all_failures ? GLOBAL_ON : GLOBAL_OFF;

	struct check_conn *n = &c->conn;
	if (n->connect_ip.family == AF_UNSPEC)
		n->connect_ip = rs->addr;
	if (n->connect_port == CHECK_UNSET)
		n->connect_port = rs->port;
	if (needs_port(c->kind) && !n->connect_port)
		err(d, c->file, c->line, "%s: no port to connect to: real_server %s has no port "
		    "and connect_port is not set", check_kind_name(c->kind),
		    check_rs_str(rs, b, sizeof(b)));
	if (n->bindto.family != AF_UNSPEC && n->bindto.family != n->connect_ip.family)
		err(d, c->file, c->line, "%s: bindto and connect_ip differ in address family",
		    check_kind_name(c->kind));
	finish_kind(c, rs, d);
}

/* Real (or sorry) server values not written take the virtual server's. */
static void inherit_rs(struct check_rs *rs, const struct check_vs *vs, const struct check_fwd *fwd)
{
	if (!rs->has_port && vs->kind == CHECK_VS_ADDR)
		rs->port = vs->port;
	if (rs->weight == CHECK_UNSET)
		rs->weight = vs->weight;
	if (!rs->fwd.set) {
		rs->fwd = *fwd;
		rs->fwd.set = false;
	}
	if (rs->inhibit_on_failure == GLOBAL_UNSET)
		rs->inhibit_on_failure = vs->inhibit_on_failure ? GLOBAL_ON : GLOBAL_OFF;
	if (rs->alpha == GLOBAL_UNSET)
		rs->alpha = vs->alpha ? GLOBAL_ON : GLOBAL_OFF;
	inherit_timer(&rs->delay_loop, vs->delay_loop);
	inherit_timer(&rs->connect_timeout, vs->connect_timeout);
	inherit_timer(&rs->delay_before_retry, vs->delay_before_retry);
	inherit_timer(&rs->warmup, vs->warmup);
	if (rs->retry == CHECK_UNSET)
		rs->retry = vs->retry;
}

/* Mixed families only work through a tunnel. */
static void check_family(const struct check_rs *rs, const struct check_vs *vs, const char *what,
			 struct cfg_diag *d)
{
	char b1[128], b2[128];
	if (rs->addr.family == vs->family || rs->fwd.method == IP_VS_CONN_F_TUNNEL)
		return;
	err(d, rs->file, rs->line, "%s %s: address family differs from virtual_server %s",
	    what, check_rs_str(rs, b1, sizeof(b1)), check_vs_str(vs, b2, sizeof(b2)));
}

static void check_dup_rs(const struct check_rs *rs, const struct check_vs *vs, struct cfg_diag *d)
{
	char b[128];
	cfg_list_for_each(const struct check_rs, o, &vs->rs) {
		if (o == rs)
			return;
		if (ka_addr_equal(&o->addr, &rs->addr) && o->port == rs->port) {
			err(d, rs->file, rs->line, "real_server %s is already defined at %s:%u",
			    check_rs_str(rs, b, sizeof(b)), o->file, o->line);
			return;
		}
	}
}

void check_finish_vs(struct check_cfg *c, struct check_vs *vs, const struct global_cfg *g,
		     struct cfg_diag *diag)
{
	inherit_timer(&vs->delay_loop, DEF_DELAY_LOOP);
	inherit_timer(&vs->connect_timeout, DEF_CONNECT_TIMEOUT);
	if (!vs->fwd.set)
		vs->fwd.method = IP_VS_CONN_F_MASQ;

	if (vs->sorry_server) {
		inherit_rs(vs->sorry_server, vs, vs->sorry_fwd.set ? &vs->sorry_fwd : &vs->fwd);
		check_family(vs->sorry_server, vs, "sorry_server", diag);
	}
	cfg_list_for_each(struct check_rs, rs, &vs->rs) {
		inherit_rs(rs, vs, &vs->fwd);
		check_family(rs, vs, "real_server", diag);
		check_dup_rs(rs, vs, diag);
		cfg_list_for_each(struct check_probe, p, &rs->probes)
			if (p->kind == CHECK_SMTP && p->u.smtp.hosts.n)
				expand_smtp_hosts(c->arena, rs, p);
		cfg_list_for_each(struct check_probe, p, &rs->probes)
			finish_probe(p, rs, g, diag);
	}
}
