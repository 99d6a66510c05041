/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_run_key.c - the identity of a probe: what must match for two probes to run as one */
#include <stdlib.h>
#include <string.h>

#include "check/check_run_int.h"
#include "util.h"

struct kbuf {
	unsigned char *p;
	size_t n, cap;
};

static void kb_put(struct kbuf *k, const void *v, size_t n)
{
	if (k->n + n > k->cap) {
		while (k->n + n > k->cap)
			k->cap = k->cap ? 2 * k->cap : 256;
		k->p = xrealloc(k->p, k->cap);
	}
	if (n)
		memcpy(k->p + k->n, v, n);
	k->n += n;
}

static void kb_u64(struct kbuf *k, uint64_t v)
{
	kb_put(k, &v, sizeof(v));
}

static void kb_bytes(struct kbuf *k, const void *v, size_t n)
{
	kb_u64(k, n);
	kb_put(k, v, n);
}

/* NULL and "" differ. */
static void kb_str(struct kbuf *k, const char *s)
{
	if (!s)
		kb_u64(k, UINT64_MAX);
	else
		kb_bytes(k, s, strlen(s));
}

static void kb_addr(struct kbuf *k, const struct ka_addr *a)
{
	kb_u64(k, a->family);
	kb_put(k, &a->u, a->family == AF_INET ? 4 : a->family == AF_INET6 ? 16 : 0);
}

static void kb_script(struct kbuf *k, const struct ka_script *s)
{
	for (char **a = s->argv; a && *a; a++)
		kb_str(k, *a);
	kb_str(k, NULL);
	kb_str(k, s->user);
	kb_str(k, s->group);
}

static void kb_http(struct kbuf *k, const struct check_http *h)
{
	kb_u64(k, (uint64_t)h->protocol);
	kb_str(k, h->virtualhost);
	kb_u64(k, (uint64_t)h->fast_recovery << 2 | (uint64_t)h->enable_sni << 1 | h->tls_compliant);
	kb_str(k, h->sni_name);
	cfg_list_for_each(const struct check_url, u, &h->urls) {
		kb_str(k, u->path);
		kb_u64(k, (uint64_t)u->has_digest << 3 | (uint64_t)u->has_status << 2 |
			  (uint64_t)u->regex_no_match << 1 | u->tls_compliant);
		kb_put(k, u->digest, sizeof(u->digest));
		kb_put(k, u->status, sizeof(u->status));
		kb_str(k, u->virtualhost);
		kb_str(k, u->regex);
		kb_u64(k, u->regex_options);
		kb_u64(k, (uint64_t)u->regex_stack_start << 32 | u->regex_stack_max);
		kb_u64(k, (uint64_t)u->regex_min_offset << 32 | u->regex_max_offset);
	}
}

static bool kind_has_target(enum check_kind k)
{
	return k != CHECK_MISC && k != CHECK_FILE && k != CHECK_BFD;
}

static void probe_key(struct kbuf *k, const struct check_probe *p)
{
	kb_u64(k, p->kind);
	kb_u64(k, p->connect_timeout);
	kb_u64(k, p->delay_before_retry);
	kb_u64(k, p->warmup);
	kb_u64(k, p->delay_loop);
	kb_u64(k, p->retry);
	kb_u64(k, (uint64_t)p->alpha << 8 | p->log_all_failures);
	if (kind_has_target(p->kind)) {
		const struct check_conn *c = &p->conn;
		kb_addr(k, &c->connect_ip);
		kb_u64(k, p->kind == CHECK_PING ? 0 : c->connect_port);
		kb_addr(k, &c->bindto);
		kb_u64(k, c->bind_port);
		kb_str(k, c->bind_if);
		kb_u64(k, c->fwmark);
	}
	/* These report a weight derived from their real server's own. */
	if (p->kind == CHECK_FILE || (p->kind == CHECK_MISC && p->u.misc.dynamic))
		kb_u64(k, p->rs->weight);
	switch (p->kind) {
	case CHECK_HTTP:
	case CHECK_SSL:
		kb_http(k, &p->u.http);
		break;
	case CHECK_SMTP:
		kb_str(k, p->u.smtp.helo_name);
		break;
	case CHECK_DNS:
		kb_u64(k, (uint64_t)p->u.dns.type);
		kb_str(k, p->u.dns.name);
		break;
	case CHECK_UDP:
		kb_bytes(k, p->u.udp.payload, p->u.udp.payload_len);
		kb_u64(k, p->u.udp.require_reply);
		kb_bytes(k, p->u.udp.reply, p->u.udp.reply ? p->u.udp.reply_len : 0);
		kb_bytes(k, p->u.udp.reply_mask, p->u.udp.reply_mask ? p->u.udp.reply_len : 0);
		kb_u64(k, (uint64_t)p->u.udp.min_reply_length << 32 | p->u.udp.max_reply_length);
		break;
	case CHECK_MISC:
		kb_script(k, &p->u.misc.path);
		kb_u64(k, p->u.misc.timeout);
		kb_u64(k, p->u.misc.dynamic);
		break;
	case CHECK_FILE:
		kb_str(k, p->u.file.track_file);
		kb_u64(k, (uint64_t)(int64_t)p->u.file.weight);
		kb_u64(k, p->u.file.reverse);
		break;
	case CHECK_BFD:
		kb_str(k, p->u.bfd.name);
		break;
	default:
		break;
	}
}

static uint64_t key_hash(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

uint64_t check_run_probe_key(const struct check_probe *p, unsigned char **key, size_t *len)
{
	struct kbuf k = { 0 };
	probe_key(&k, p);
	*key = k.p;
	*len = k.n;
	return key_hash(k.p, k.n);
}
