/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_cfg_checkers.c - keyword tables of the checker blocks inside real_server */
#include <ctype.h>
#include <string.h>

#include "check/check_cfg_int.h"
#include "util.h"

static const char *const kind_names[CHECK_KIND_COUNT] = {
	[CHECK_TCP] = "TCP_CHECK",   [CHECK_HTTP] = "HTTP_GET",   [CHECK_SSL] = "SSL_GET",
	[CHECK_SMTP] = "SMTP_CHECK", [CHECK_DNS] = "DNS_CHECK",   [CHECK_UDP] = "UDP_CHECK",
	[CHECK_PING] = "PING_CHECK", [CHECK_MISC] = "MISC_CHECK", [CHECK_FILE] = "FILE_CHECK",
	[CHECK_BFD] = "BFD_CHECK",
};

const char *check_kind_name(enum check_kind k)
{
	return (unsigned)k < CHECK_KIND_COUNT ? kind_names[k] : "?";
}

/* Lower-case names of PCRE2 compile options (PCRE2_CASELESS -> caseless). */
const char *const check_regex_option_names[] = {
	"allow_empty_class", "alt_bsux", "alt_circumflex", "alt_verbnames", "auto_callout",
	"caseless", "dollar_endonly", "dotall", "dupnames", "extended", "extended_more",
	"firstline", "literal", "match_invalid_utf", "match_unset_backref", "multiline",
	"never_backslash_c", "never_ucp", "never_utf", "no_auto_capture", "no_auto_possess",
	"no_dotstar_anchor", "no_start_optimize", "no_utf_check", "ucp", "ungreedy",
	"use_offset_limit", "utf", NULL,
};

bool check_url_status_ok(const struct check_url *u, unsigned code)
{
	if (!u->has_status)
		return code >= 200 && code <= 299;
	if (code < CHECK_STATUS_MIN || code > CHECK_STATUS_MAX)
		return false;
	unsigned bit = code - CHECK_STATUS_MIN;
	return u->status[bit / 8] & (1u << (bit % 8));
}

static void *probe_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_rs *rs = obj;
	if (check_need_args(p, a, 0, 0) < 0)
		return NULL;
	struct check_probe *c = arena_alloc(cfg_arena(p), sizeof(*c));
	unsigned k = 0;
	while (k < CHECK_KIND_COUNT && strcmp(kind_names[k], a->argv[0]))
		k++;
	c->kind = (enum check_kind)k;
	c->file = a->file;
	c->line = a->line;
	c->rs = rs;
	c->conn.connect_port = CHECK_UNSET;
	c->connect_timeout = c->delay_before_retry = c->warmup = c->delay_loop = CHECK_UNSET_TIMER;
	c->retry = CHECK_UNSET;
	if (c->kind == CHECK_DNS)
		c->u.dns.type = 6; /* SOA */
	else if (c->kind == CHECK_UDP)
		c->u.udp.max_reply_length = 255;
	else if (c->kind == CHECK_MISC)
		c->u.misc.timeout = CHECK_UNSET_TIMER;
	cfg_list_append(&rs->probes, &c->node);
	return c;
}

static int h_probe_tri(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_probe *c = obj;
	bool alpha = !strcmp(a->argv[0], "alpha");
	return check_get_tri(p, a, alpha ? &c->alpha : &c->log_all_failures);
}

/* Decode hex text into bytes; with mask, 'x' nibbles are wildcards (mask
 * nibble 0). Returns the byte count, or -1. */
static long decode_hex(struct cfg_parser *p, const char *s, uint8_t **out, uint8_t **mask)
{
	size_t n = strlen(s);
	if (n == 0 || n % 2)
		return -1;
	uint8_t *b = arena_alloc(cfg_arena(p), n / 2);
	uint8_t *m = mask ? arena_alloc(cfg_arena(p), n / 2) : NULL;
	for (size_t i = 0; i < n; i++) {
		int v = hex_digit_val((unsigned char)s[i]);
		bool wild = mask && (s[i] == 'x' || s[i] == 'X');
		if (v < 0 && !wild)
			return -1;
		unsigned shift = i % 2 ? 0 : 4;
		b[i / 2] |= (uint8_t)((wild ? 0 : v) << shift);
		if (m)
			m[i / 2] |= (uint8_t)((wild ? 0 : 0xf) << shift);
	}
	*out = b;
	if (mask)
		*mask = m;
	return (long)(n / 2);
}

/* ---- url { } ---------------------------------------------------------------- */

static void *url_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_probe *c = obj;
	if (check_need_args(p, a, 0, 0) < 0)
		return NULL;
	struct check_url *u = arena_alloc(cfg_arena(p), sizeof(*u));
	u->file = a->file;
	u->line = a->line;
	cfg_list_append(&c->u.http.urls, &u->node);
	return u;
}

static int h_digest(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_url *u = obj;
	uint8_t *b;
	if (check_need_args(p, a, 1, 1) < 0)
		return -1;
	if (strlen(a->argv[1]) != 32 || decode_hex(p, a->argv[1], &b, NULL) != 16) {
		cfg_error(p, a, "'digest': '%s' is not an MD5 digest (32 hex digits)", a->argv[1]);
		return -1;
	}
	memcpy(u->digest, b, 16);
	u->has_digest = true;
	return 0;
}

/* status_code 200 | 200-299 | 200 301-302 ... (lines add up) */
static int h_status_code(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_url *u = obj;
	if (check_need_args(p, a, 1, 256) < 0)
		return -1;
	for (unsigned i = 1; i < a->argc; i++) {
		const char *s = a->argv[i];
		const char *dash = strchr(s, '-');
		char lo_s[16];
		long long lo = 0, hi = 0;
		snprintf(lo_s, sizeof(lo_s), "%.*s", dash ? (int)(dash - s) : (int)strlen(s), s);
		int bad = cfg_parse_llong(lo_s, &lo);
		if (dash)
			bad |= cfg_parse_llong(dash + 1, &hi);
		else
			hi = lo;
		if (bad || lo < CHECK_STATUS_MIN || hi > CHECK_STATUS_MAX || lo > hi) {
			cfg_error(p, a, "'status_code': invalid status '%s' (%d..%d)", s,
				  CHECK_STATUS_MIN, CHECK_STATUS_MAX);
			return -1;
		}
		for (long long code = lo; code <= hi; code++) {
			unsigned bit = (unsigned)(code - CHECK_STATUS_MIN);
			u->status[bit / 8] |= (uint8_t)(1u << (bit % 8));
		}
	}
	u->has_status = true;
	return 0;
}

static int h_regex_options(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_url *u = obj;
	if (check_need_args(p, a, 1, 32) < 0)
		return -1;
	for (unsigned i = 1; i < a->argc; i++) {
		const char *const *names = check_regex_option_names;
		unsigned k = 0;
		while (names[k] && strcmp(names[k], a->argv[i]))
			k++;
		if (!names[k]) {
			cfg_error(p, a, "'regex_options': unknown option '%s'", a->argv[i]);
			return -1;
		}
		u->regex_options |= 1u << k;
	}
	return 0;
}

static int h_regex_stack(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_url *u = obj;
	long long start, max;
	if (check_need_args(p, a, 2, 2) < 0 ||
	    cfg_get_int(p, a, a->argv[1], 1, INT32_MAX, &start) < 0 ||
	    cfg_get_int(p, a, a->argv[2], 1, INT32_MAX, &max) < 0)
		return -1;
	if (start > max) {
		cfg_error(p, a, "'regex_stack': start %lld is above max %lld", start, max);
		return -1;
	}
	u->regex_stack_start = (unsigned)start;
	u->regex_stack_max = (unsigned)max;
	return 0;
}

#define U(f) offsetof(struct check_url, f)
#define P(f) offsetof(struct check_probe, f)
#define KW(n, t, o, lo, hi) { .name = n, .type = t, .off = o, .min = lo, .max = hi }
#define CUSTOM(n, h) { .name = n, .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = h }

static const struct cfg_keyword url_kw[] = {
	KW("path", CFG_STR, U(path), 0, 0),
	CUSTOM("digest", h_digest),
	CUSTOM("status_code", h_status_code),
	KW("virtualhost", CFG_STR, U(virtualhost), 0, 0),
	KW("regex", CFG_STR, U(regex), 0, 0),
	KW("regex_no_match", CFG_FLAG, U(regex_no_match), 0, 0),
	CUSTOM("regex_options", h_regex_options),
	CUSTOM("regex_stack", h_regex_stack),
	KW("regex_min_offset", CFG_UINT, U(regex_min_offset), 0, INT32_MAX),
	KW("regex_max_offset", CFG_UINT, U(regex_max_offset), 1, INT32_MAX),
	KW("tls_compliant", CFG_BOOL, U(tls_compliant), 0, 0),
	CFG_END,
};

static const struct cfg_block url_block = { .name = "url", .kw = url_kw, .open = url_open };

/* ---- SMTP_CHECK host { } (deprecated) ----------------------------------------- */

static void *host_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_probe *c = obj;
	if (check_need_args(p, a, 0, 0) < 0)
		return NULL;
	cfg_warning(p, a, "'host': deprecated; use connect_ip/connect_port in SMTP_CHECK "
		    "(one SMTP_CHECK per server)");
	struct check_smtp_host *h = arena_alloc(cfg_arena(p), sizeof(*h));
	h->file = a->file;
	h->line = a->line;
	h->conn.connect_port = CHECK_UNSET;
	cfg_list_append(&c->u.smtp.hosts, &h->node);
	return h;
}

/* Where to connect, from where: M is the struct check_conn member of T. */
#define CONN_KW(T, M)                                                                     \
	KW("connect_ip", CFG_ADDR, offsetof(T, M.connect_ip), 0, 0),                        \
	KW("connect_port", CFG_UINT, offsetof(T, M.connect_port), 1, 65535),                \
	KW("bindto", CFG_ADDR, offsetof(T, M.bindto), 0, 0),                                \
	KW("bind_port", CFG_UINT, offsetof(T, M.bind_port), 1, 65535),                      \
	KW("bind_if", CFG_STR, offsetof(T, M.bind_if), 0, 0),                               \
	KW("fwmark", CFG_UINT, offsetof(T, M.fwmark), 1, UINT32_MAX)

static const struct cfg_keyword host_kw[] = {
	CONN_KW(struct check_smtp_host, conn),
	CFG_END,
};

static const struct cfg_block host_block = { .name = "host", .kw = host_kw, .open = host_open };

/* ---- checker-specific handlers -------------------------------------------------- */

static int h_payload(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_udp *u = &((struct check_probe *)obj)->u.udp;
	if (check_need_args(p, a, 1, 1) < 0)
		return -1;
	long n = decode_hex(p, a->argv[1], &u->payload, NULL);
	if (n < 0) {
		cfg_error(p, a, "'payload': invalid hex data '%s'", a->argv[1]);
		return -1;
	}
	u->payload_len = (size_t)n;
	return 0;
}

/* require_reply [HEX] where x digits match anything */
static int h_require_reply(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_udp *u = &((struct check_probe *)obj)->u.udp;
	if (check_need_args(p, a, 0, 1) < 0)
		return -1;
	u->require_reply = true;
	if (a->argc < 2)
		return 0;
	long n = decode_hex(p, a->argv[1], &u->reply, &u->reply_mask);
	if (n < 0) {
		cfg_error(p, a, "'require_reply': invalid hex pattern '%s'", a->argv[1]);
		return -1;
	}
	u->reply_len = (size_t)n;
	return 0;
}

/* MISC_CHECK user USER [GROUP] */
static int h_misc_user(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_misc *m = &((struct check_probe *)obj)->u.misc;
	if (check_need_args(p, a, 1, 2) < 0)
		return -1;
	m->user = arena_strdup(cfg_arena(p), a->argv[1]);
	m->group = a->argc > 2 ? arena_strdup(cfg_arena(p), a->argv[2]) : NULL;
	return 0;
}

/* FILE_CHECK weight N [reverse] */
static int h_file_weight(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct check_file *f = &((struct check_probe *)obj)->u.file;
	long long n;
	if (check_need_args(p, a, 1, 2) < 0 || cfg_get_int(p, a, a->argv[1], -254, 254, &n) < 0)
		return -1;
	if (a->argc > 2 && strcmp(a->argv[2], "reverse")) {
		cfg_error(p, a, "'weight': unexpected '%s' (reverse)", a->argv[2]);
		return -1;
	}
	f->weight = (int)n;
	f->reverse = a->argc > 2;
	f->has_weight = true;
	return 0;
}

static const struct cfg_enum http_protocols[] = {
	{ "1.0", CHECK_HTTP_1_0 }, { "1.0C", CHECK_HTTP_1_0C }, { "1.1", CHECK_HTTP_1_1 },
	{ NULL, 0 },
};

static const struct cfg_enum dns_types[] = {
	{ "A", 1 },   { "NS", 2 },    { "CNAME", 5 },  { "SOA", 6 },     { "MX", 15 },
	{ "TXT", 16 }, { "AAAA", 28 }, { "RRSIG", 46 }, { "DNSKEY", 48 }, { NULL, 0 },
};

/* ---- tables ---------------------------------------------------------------------- */

#define NB_GET_RETRY                                                                      \
	{ .name = "nb_get_retry", .type = CFG_UINT, .off = P(retry), .min = 0,              \
	  .max = INT32_MAX, .flags = CFG_F_DEPRECATED, .alias = "retry" }
#define PROBE_TAIL CUSTOM("alpha", h_probe_tri), CUSTOM("log_all_failures", h_probe_tri)
/* Everything a checker that opens a connection accepts. */
#define NET_KW                                                                            \
	CONN_KW(struct check_probe, conn), CHECK_TIMING_KW(P), CHECK_CONNECT_TIMEOUT_KW(P),   \
	NB_GET_RETRY, PROBE_TAIL

static const struct cfg_keyword tcp_kw[] = { NET_KW, CFG_END };

static const struct cfg_keyword http_kw[] = {
	NET_KW,
	{ .name = "url", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &url_block },
	{ .name = "http_protocol", .type = CFG_ENUM, .off = P(u.http.protocol),
	  .enums = http_protocols },
	KW("virtualhost", CFG_STR, P(u.http.virtualhost), 0, 0),
	KW("fast_recovery", CFG_BOOL, P(u.http.fast_recovery), 0, 0),
	KW("enable_sni", CFG_BOOL, P(u.http.enable_sni), 0, 0),
	KW("sni_name", CFG_STR, P(u.http.sni_name), 0, 0),
	KW("tls_compliant", CFG_BOOL, P(u.http.tls_compliant), 0, 0),
	CFG_END,
};

static const struct cfg_keyword smtp_kw[] = {
	NET_KW,
	KW("helo_name", CFG_STR, P(u.smtp.helo_name), 0, 0),
	{ .name = "host", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &host_block },
	CFG_END,
};

static const struct cfg_keyword dns_kw[] = {
	NET_KW,
	{ .name = "type", .type = CFG_ENUM, .off = P(u.dns.type), .enums = dns_types },
	KW("name", CFG_STR, P(u.dns.name), 0, 0),
	CFG_END,
};

static const struct cfg_keyword udp_kw[] = {
	NET_KW,
	CUSTOM("payload", h_payload),
	CUSTOM("require_reply", h_require_reply),
	KW("min_reply_length", CFG_UINT, P(u.udp.min_reply_length), 0, 65535),
	KW("max_reply_length", CFG_UINT, P(u.udp.max_reply_length), 0, 65535),
	CFG_END,
};

static const struct cfg_keyword misc_kw[] = {
	CHECK_TIMING_KW(P),
	PROBE_TAIL,
	KW("misc_path", CFG_SCRIPT, P(u.misc.path), 0, 0),
	KW("misc_timeout", CFG_TIMER, P(u.misc.timeout), 1000, CHECK_T_MAX),
	KW("misc_dynamic", CFG_FLAG, P(u.misc.dynamic), 0, 0),
	CUSTOM("user", h_misc_user),
	CFG_END,
};

static const struct cfg_keyword file_kw[] = {
	KW("track_file", CFG_STR, P(u.file.track_file), 0, 0),
	CUSTOM("weight", h_file_weight),
	{ .name = "dynamic", .type = CFG_FLAG, .off = CFG_NOSTORE, .flags = CFG_F_PARSED_ONLY },
	CFG_END,
};

static const struct cfg_keyword bfd_kw[] = {
	KW("name", CFG_STR, P(u.bfd.name), 0, 0),
	CUSTOM("alpha", h_probe_tri),
	CFG_END,
};

/* probe_open() finds the kind from the block keyword, so the names here
 * and in kind_names[] must agree. */
#define PROBE(k, n, t) [k] = { .name = n, .kw = t, .open = probe_open }
const struct cfg_block check_probe_blocks[CHECK_KIND_COUNT] = {
	PROBE(CHECK_TCP, "TCP_CHECK", tcp_kw),
	PROBE(CHECK_HTTP, "HTTP_GET", http_kw),
	PROBE(CHECK_SSL, "SSL_GET", http_kw),
	PROBE(CHECK_SMTP, "SMTP_CHECK", smtp_kw),
	PROBE(CHECK_DNS, "DNS_CHECK", dns_kw),
	PROBE(CHECK_UDP, "UDP_CHECK", udp_kw),
	PROBE(CHECK_PING, "PING_CHECK", tcp_kw),
	PROBE(CHECK_MISC, "MISC_CHECK", misc_kw),
	PROBE(CHECK_FILE, "FILE_CHECK", file_kw),
	PROBE(CHECK_BFD, "BFD_CHECK", bfd_kw),
};
