/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfg_values.c - typed configuration values: parse, check, store, split scripts, dump */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "cfg.h"
#include "util.h"

#define USEC_PER_SEC 1000000ull

/* Name used in messages: the keyword as the user wrote it. */
static const char *kwname(const struct cfg_args *a)
{
	return a && a->argc && a->argv[0] ? a->argv[0] : "?";
}

/* ---- pure conversions ------------------------------------------------- */

/* 0, -1 on bad syntax, -2 when the number does not fit a long long. */
static int parse_llong(const char *s, long long *out)
{
	unsigned long long v = 0, lim = LLONG_MAX;
	unsigned base = 10;
	bool neg = false;

	if (*s == '-') {
		neg = true;
		lim = (unsigned long long)LLONG_MAX + 1;
		s++;
	} else if (*s == '+') {
		s++; /* as strtol() takes it, "weight +10" works in keepalived */
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	bool overflow = false;
	for (; *s; s++) {
		int d = hex_digit_val(*s);
		if (d < 0 || (unsigned)d >= base)
			return -1;
		if (v > (lim - (unsigned)d) / base)
			overflow = true;
		else
			v = v * base + (unsigned)d;
	}
	if (overflow)
		return -2;
	if (neg)
		*out = v == lim ? LLONG_MIN : -(long long)v;
	else
		*out = (long long)v;
	return 0;
}

int cfg_parse_llong(const char *s, long long *out)
{
	return s && parse_llong(s, out) == 0 ? 0 : -1;
}

/* 0, -1 bad syntax, -2 finer than a microsecond, -3 too large. */
static int parse_timer(const char *s, uint64_t *usec)
{
	const uint64_t lim = (UINT64_MAX - (USEC_PER_SEC - 1)) / USEC_PER_SEC;
	uint64_t secs = 0, frac = 0;
	unsigned nfrac = 0;
	bool digits = false, overflow = false;

	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		digits = true;
		if (secs > (lim - d) / 10)
			overflow = true;
		else
			secs = secs * 10 + d;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			digits = true;
			if (nfrac < 6) {
				frac = frac * 10 + (uint64_t)(*s - '0');
				nfrac++;
			} else if (*s != '0') {
				return -2;
			}
		}
	}
	if (*s || !digits)
		return -1;
	if (overflow)
		return -3;
	for (; nfrac < 6; nfrac++)
		frac *= 10;
	*usec = secs * USEC_PER_SEC + frac;
	return 0;
}

int cfg_parse_timer(const char *s, uint64_t *usec)
{
	return s && parse_timer(s, usec) == 0 ? 0 : -1;
}

int cfg_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"on", "true", "yes"};
	static const char *const no[] = {"off", "false", "no"};

	if (!s)
		return -1;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* "1.5", "0.01", "3": seconds without trailing zeros. buf >= 32 bytes. */
static const char *fmt_secs(uint64_t us, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%llu", (unsigned long long)(us / USEC_PER_SEC));
	unsigned frac = (unsigned)(us % USEC_PER_SEC);
	if (frac && n > 0 && (size_t)n < len) {
		char *f = buf + n;
		snprintf(f, len - (size_t)n, ".%06u", frac);
		char *end = f + strlen(f);
		while (end[-1] == '0')
			*--end = '\0';
	}
	return buf;
}

/* ---- reporting value parsers ------------------------------------------- */

static int missing(struct cfg_parser *p, const struct cfg_args *a)
{
	cfg_error(p, a, "'%s': missing argument", kwname(a));
	return -1;
}

int cfg_get_int(struct cfg_parser *p, const struct cfg_args *a, const char *s, long long min,
		long long max, long long *out)
{
	long long v;

	if (!s)
		return missing(p, a);
	int r = parse_llong(s, &v);
	if (r == -1) {
		cfg_error(p, a, "'%s': '%s' is not a number", kwname(a), s);
		return -1;
	}
	if (r < 0 || v < min || v > max) {
		cfg_error(p, a, "'%s': %s is out of range %lld..%lld", kwname(a), s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int cfg_get_timer(struct cfg_parser *p, const struct cfg_args *a, const char *s, uint64_t min_us,
		  uint64_t max_us, uint64_t *out)
{
	char lo[32], hi[32];
	uint64_t v = 0;

	if (!s)
		return missing(p, a);
	int r = parse_timer(s, &v);
	if (r == -1) {
		cfg_error(p, a, "'%s': '%s' is not a duration in seconds", kwname(a), s);
		return -1;
	}
	if (r == -2) {
		cfg_error(p, a, "'%s': '%s' is finer than a microsecond", kwname(a), s);
		return -1;
	}
	if (r < 0 || v < min_us || v > max_us) {
		cfg_error(p, a, "'%s': %s seconds is out of range %s..%s", kwname(a), s,
			  fmt_secs(min_us, lo, sizeof(lo)), fmt_secs(max_us, hi, sizeof(hi)));
		return -1;
	}
	*out = v;
	return 0;
}

int cfg_get_bool(struct cfg_parser *p, const struct cfg_args *a, const char *s, bool *out)
{
	if (!s)
		return missing(p, a);
	if (cfg_parse_bool(s, out) < 0) {
		cfg_error(p, a, "'%s': '%s' is not a boolean (on/off, true/false, yes/no)",
			  kwname(a), s);
		return -1;
	}
	return 0;
}

int cfg_get_addr(struct cfg_parser *p, const struct cfg_args *a, const char *s,
		 struct ka_addr *out)
{
	if (!s)
		return missing(p, a);
	if (ka_addr_parse(s, false, out) < 0) {
		cfg_error(p, a, "'%s': '%s' is not an IP address", kwname(a), s);
		return -1;
	}
	return 0;
}

int cfg_get_enum(struct cfg_parser *p, const struct cfg_args *a, const char *s,
		 const struct cfg_enum *e, int *out)
{
	char names[256];
	size_t len = 0;

	if (!s)
		return missing(p, a);
	/* keepalived takes MASTER/master, NAT/nat...: match case-insensitively */
	for (const struct cfg_enum *i = e; i && i->name; i++) {
		if (strcasecmp(i->name, s) == 0) {
			*out = i->value;
			return 0;
		}
	}
	names[0] = '\0';
	for (const struct cfg_enum *i = e; i && i->name && len < sizeof(names); i++) {
		int n = snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "",
				 i->name);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	cfg_error(p, a, "'%s': '%s' is not one of %s", kwname(a), s, names);
	return -1;
}

/* ---- standard storage -------------------------------------------------- */

/* The range a table gives, or the whole range of the stored C type when it
 * gives none (min == max == 0), clamped so the store cannot overflow. */
static void int_range(const struct cfg_keyword *kw, long long *lo, long long *hi)
{
	long long tmin = kw->type == CFG_UINT ? 0 : INT_MIN;
	long long tmax = kw->type == CFG_UINT ? (long long)UINT_MAX : INT_MAX;

	*lo = kw->min;
	*hi = kw->max;
	if (*lo == 0 && *hi == 0) {
		*lo = tmin;
		*hi = tmax;
	}
	if (*lo < tmin)
		*lo = tmin;
	if (*hi > tmax)
		*hi = tmax;
}

static void timer_range(const struct cfg_keyword *kw, uint64_t *lo, uint64_t *hi)
{
	*lo = kw->min > 0 ? (uint64_t)kw->min : 0;
	*hi = kw->max > 0 ? (uint64_t)kw->max : 0;
	if (kw->min == 0 && kw->max == 0)
		*hi = UINT64_MAX;
}

static void extra_args(struct cfg_parser *p, const struct cfg_args *a, unsigned allowed)
{
	if (a->argc > allowed + 1)
		cfg_warning(p, a, "'%s': ignoring extra arguments", kwname(a));
}

/* Join argv[1..] with single spaces (CFG_F_REST). */
static char *join_rest(struct cfg_parser *p, const struct cfg_args *a)
{
	size_t len = 0;
	for (unsigned i = 1; i < a->argc; i++)
		len += strlen(a->argv[i]) + 1;
	char *s = arena_alloc(cfg_arena(p), len + 1), *o = s;
	for (unsigned i = 1; i < a->argc; i++) {
		size_t n = strlen(a->argv[i]);
		if (i > 1)
			*o++ = ' ';
		memcpy(o, a->argv[i], n);
		o += n;
	}
	*o = '\0';
	return s;
}

static int store_str(struct cfg_parser *p, const struct cfg_keyword *kw, char **dst,
		     const struct cfg_args *a)
{
	char *v;

	if (kw->flags & CFG_F_REST) {
		v = join_rest(p, a);
	} else {
		extra_args(p, a, 1);
		v = dst ? arena_strdup(cfg_arena(p), a->argv[1]) : NULL;
	}
	if (dst)
		*dst = v;
	return 0;
}

static int store_number(struct cfg_parser *p, const struct cfg_keyword *kw, void *dst,
			const struct cfg_args *a)
{
	long long lo, hi, v;

	int_range(kw, &lo, &hi);
	extra_args(p, a, 1);
	if (cfg_get_int(p, a, a->argv[1], lo, hi, &v) < 0)
		return -1;
	if (dst && kw->type == CFG_UINT)
		*(unsigned *)dst = (unsigned)v;
	else if (dst)
		*(int *)dst = (int)v;
	return 0;
}

/* Value types other than FLAG/BOOL/SCRIPT, all with one argument. */
static int store_one(struct cfg_parser *p, const struct cfg_keyword *kw, void *dst,
		     const struct cfg_args *a)
{
	uint64_t lo, hi, us;
	struct ka_addr addr;
	int e;

	if (a->argc < 2) {
		if (kw->flags & CFG_F_OPT_ARG)
			return 0;
		return missing(p, a);
	}
	switch (kw->type) {
	case CFG_INT:
	case CFG_UINT:
		return store_number(p, kw, dst, a);
	case CFG_TIMER:
		timer_range(kw, &lo, &hi);
		extra_args(p, a, 1);
		if (cfg_get_timer(p, a, a->argv[1], lo, hi, &us) < 0)
			return -1;
		if (dst)
			*(uint64_t *)dst = us;
		return 0;
	case CFG_STR:
		return store_str(p, kw, dst, a);
	case CFG_ADDR:
		extra_args(p, a, 1);
		if (cfg_get_addr(p, a, a->argv[1], &addr) < 0)
			return -1;
		if (dst)
			*(struct ka_addr *)dst = addr;
		return 0;
	case CFG_ENUM:
		extra_args(p, a, 1);
		if (cfg_get_enum(p, a, a->argv[1], kw->enums, &e) < 0)
			return -1;
		if (dst)
			*(int *)dst = e;
		return 0;
	default:
		return 0;
	}
}

int cfg_store(struct cfg_parser *p, const struct cfg_keyword *kw, void *obj,
	      const struct cfg_args *a)
{
	void *dst = obj && kw->off != CFG_NOSTORE ? (char *)obj + kw->off : NULL;
	struct ka_script script;
	bool b = true;

	switch (kw->type) {
	case CFG_FLAG:
		extra_args(p, a, 0);
		break;
	case CFG_BOOL:
		extra_args(p, a, 1);
		if (a->argc > 1 && cfg_get_bool(p, a, a->argv[1], &b) < 0)
			return -1;
		break;
	case CFG_SCRIPT:
		if (cfg_get_script(p, a, 1, &script) < 0)
			return -1;
		if (dst)
			*(struct ka_script *)dst = script;
		return 0;
	case CFG_CUSTOM:
		return kw->handler ? kw->handler(p, obj, a) : 0;
	case CFG_ANY:
		return 0;
	case CFG_BLOCK:
		cfg_error(p, a, "'%s' needs a block", kwname(a));
		return -1;
	default:
		return store_one(p, kw, dst, a);
	}
	if (dst)
		*(bool *)dst = b;
	return 0;
}

/* ---- scripts ------------------------------------------------------------ */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Split s like a POSIX shell would, without any expansion: blanks separate
 * words, '...' is literal, "..." allows \" \\ \$ \` escapes, and a
 * backslash outside quotes takes the next character literally. The words
 * go to buf (strlen(s) + 1 bytes is always enough), each NUL-terminated.
 * Returns the number of words, or -1 with *why set.
 */
static int split_words(const char *s, char *buf, const char **why)
{
	char *o = buf;
	int n = 0;

	for (;;) {
		while (is_blank(*s))
			s++;
		if (!*s)
			return n;
		n++;
		while (*s && !is_blank(*s)) {
			char q = *s;
			if (q == '\'' || q == '"') {
				for (s++; *s && *s != q; s++) {
					bool esc = q == '"' && *s == '\\' && s[1] &&
						   strchr("\"\\$`", s[1]);
					if (esc)
						s++;
					*o++ = *s;
				}
				if (!*s) {
					*why = "unterminated quote";
					return -1;
				}
				s++;
			} else if (q == '\\') {
				if (!s[1]) {
					*why = "backslash at the end";
					return -1;
				}
				*o++ = s[1];
				s += 2;
			} else {
				*o++ = *s++;
			}
		}
		*o++ = '\0';
	}
}

/* "user", "user:group", "user:" / and an optional separate [:]group. */
static int script_ids(struct cfg_parser *p, const struct cfg_args *a, unsigned first,
		      struct ka_script *out)
{
	struct arena *ar = cfg_arena(p);
	unsigned extra = a->argc - first - 1;
	const char *u = a->argv[first + 1];
	const char *colon = strchr(u, ':');

	if (extra > 2 || (colon && extra > 1)) {
		cfg_error(p, a, "'%s': too many arguments (expected: command [user [group]])",
			  kwname(a));
		return -1;
	}
	if (colon) {
		out->user = arena_strndup(ar, u, (size_t)(colon - u));
		out->group = colon[1] ? arena_strdup(ar, colon + 1) : NULL;
	} else {
		out->user = arena_strdup(ar, u);
	}
	if (extra == 2) {
		const char *g = a->argv[first + 2];
		out->group = arena_strdup(ar, *g == ':' ? g + 1 : g);
	}
	if (!out->user[0] || (out->group && !out->group[0])) {
		cfg_error(p, a, "'%s': empty user or group name", kwname(a));
		return -1;
	}
	return 0;
}

int cfg_get_script(struct cfg_parser *p, const struct cfg_args *a, unsigned first,
		   struct ka_script *out)
{
	struct arena *ar = cfg_arena(p);
	struct ka_script s = {0};
	const char *why = NULL;

	if (first >= a->argc) {
		cfg_error(p, a, "'%s': missing command", kwname(a));
		return -1;
	}
	const char *cmd = a->argv[first];
	char *buf = arena_alloc(ar, strlen(cmd) + 1);
	int n = split_words(cmd, buf, &why);
	if (n < 0) {
		cfg_error(p, a, "'%s': %s in '%s'", kwname(a), why, cmd);
		return -1;
	}
	if (n == 0) {
		cfg_error(p, a, "'%s': empty command", kwname(a));
		return -1;
	}
	s.cmd = arena_strdup(ar, cmd);
	s.argv = arena_alloc(ar, ((size_t)n + 1) * sizeof(*s.argv));
	for (int i = 0; i < n; i++) {
		s.argv[i] = buf;
		buf += strlen(buf) + 1;
	}
	if (a->argc > first + 1 && script_ids(p, a, first, &s) < 0)
		return -1;
	*out = s;
	return 0;
}

/* ---- lists -------------------------------------------------------------- */

void cfg_list_append(struct cfg_list *l, struct cfg_node *n)
{
	n->next = NULL;
	if (l->tail)
		l->tail->next = n;
	else
		l->head = n;
	l->tail = n;
	l->n++;
}

/* ---- dumping ------------------------------------------------------------ */

static const char *enum_name(const struct cfg_enum *e, int v)
{
	for (; e && e->name; e++)
		if (e->value == v)
			return e->name;
	return NULL;
}

/* Print " = value\n" for one field of a standard type. */
static void dump_value(FILE *out, const struct cfg_keyword *kw, const void *f)
{
	char buf[KA_ADDR_STRLEN > 32 ? KA_ADDR_STRLEN : 32];
	const struct ka_script *s = f;
	const char *name;

	switch (kw->type) {
	case CFG_FLAG:
	case CFG_BOOL:
		fprintf(out, " = %s\n", *(const bool *)f ? "yes" : "no");
		break;
	case CFG_INT:
		fprintf(out, " = %d\n", *(const int *)f);
		break;
	case CFG_UINT:
		fprintf(out, " = %u\n", *(const unsigned *)f);
		break;
	case CFG_TIMER:
		fprintf(out, " = %s\n", fmt_secs(*(const uint64_t *)f, buf, sizeof(buf)));
		break;
	case CFG_ENUM:
		name = enum_name(kw->enums, *(const int *)f);
		if (name)
			fprintf(out, " = %s\n", name);
		else
			fprintf(out, " = %d\n", *(const int *)f);
		break;
	case CFG_STR:
		fprintf(out, " = %s\n", *(char *const *)f);
		break;
	case CFG_ADDR:
		fprintf(out, " = %s\n", ka_addr_str(f, buf));
		break;
	case CFG_SCRIPT:
		fprintf(out, " = %s", s->cmd);
		if (s->user)
			fprintf(out, " (user %s%s%s)", s->user, s->group ? ":" : "",
				s->group ? s->group : "");
		fputc('\n', out);
		break;
	default:
		break;
	}
}

static bool is_set(const struct cfg_keyword *kw, const void *f)
{
	switch (kw->type) {
	case CFG_STR:
		return *(char *const *)f != NULL;
	case CFG_ADDR:
		return ((const struct ka_addr *)f)->family != AF_UNSPEC;
	case CFG_SCRIPT:
		return ((const struct ka_script *)f)->cmd != NULL;
	case CFG_FLAG:
	case CFG_BOOL:
	case CFG_INT:
	case CFG_UINT:
	case CFG_TIMER:
	case CFG_ENUM:
		return true;
	default: /* custom, block, any: left to the caller */
		return false;
	}
}

void cfg_dump_fields(FILE *out, const struct cfg_keyword *table, const void *obj, int indent)
{
	if (indent < 0)
		indent = 0;
	for (const struct cfg_keyword *kw = table; kw && kw->name; kw++) {
		/* a deprecated spelling shares its field with the current one */
		if (kw->off == CFG_NOSTORE || (kw->flags & CFG_F_DEPRECATED))
			continue;
		const void *f = (const char *)obj + kw->off;
		if (!is_set(kw, f))
			continue;
		fprintf(out, "%*s%s", indent, "", kw->name);
		dump_value(out, kw, f);
	}
}
