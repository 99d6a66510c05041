/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfg_expand.c - $NAME parameters, @id conditionals and ~SEQ/~LST generators */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfg_expand.h"
#include "util.h"

/*
 * Limits that keep a mistaken or hostile configuration from eating all
 * memory or CPU: parameters and generators can multiply text
 * exponentially ($A=$B$B, $B=$C$C...), so every produced byte and line is
 * charged to a per-read budget and reading stops when it runs out.
 */
#define EXP_MAX_LINES	    1000000u	/* default lines after expansion, per read */
#define EXP_LINE_BYTES	    64u		/* bytes read or produced allowed per line */
#define EXP_MAX_PARAM_DEPTH 32		/* $A using $B using ... */
#define EXP_MAX_NEST	    32		/* generators / re-examined lines within one line */
#define EXP_SUBST_COST	    16		/* budget charged per substitution, empty ones too */
#define EXP_RANDOM_MAX	    32767u	/* default upper bound of ${_RANDOM} */
#define EXP_BUCKETS	    64		/* initial; doubles when chains get long */

struct cfg_param {
	struct cfg_param *next;
	char *value; /* NULL: not defined (a generator variable gone out of scope) */
	size_t vlen, nlen;
	char name[];
};

struct cfg_expand {
	struct cfg_param **tab;
	size_t nbuckets, nparams;
	struct cfg_diag *diag;
	cfg_line_fn fn;
	void *arg;
	char *config_id;
	uint64_t rng;
	size_t bytes_left, bytes_max, lines_left, lines_max;
	bool stopped;
};

static int expand(struct cfg_expand *x, const struct cfg_where *w, const char *s, size_t n,
		  unsigned depth);
static int subst(struct cfg_expand *x, const struct cfg_where *w, const char *s, size_t n,
		 struct sbuf *out, unsigned depth, bool *found);

/* ---- byte buffers ------------------------------------------------------- */

static void sbuf_reserve(struct sbuf *b, size_t more)
{
	if (b->cap - b->n > more)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap - b->n <= more)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	sbuf_reserve(b, n);
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
}

void sbuf_addc(struct sbuf *b, char c)
{
	sbuf_reserve(b, 1);
	b->p[b->n++] = c;
}

const char *sbuf_cstr(struct sbuf *b)
{
	sbuf_reserve(b, 1);
	b->p[b->n] = '\0';
	return b->p;
}

void sbuf_free(struct sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

/* ---- small helpers ------------------------------------------------------ */

static bool name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

static bool name_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && !memcmp(s, lit, n);
}

static void trim(const char **s, size_t *n)
{
	while (*n && cfg_is_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && cfg_is_blank((*s)[*n - 1]))
		(*n)--;
}

static void xerr(struct cfg_expand *x, const struct cfg_where *w, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void xerr(struct cfg_expand *x, const struct cfg_where *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cfg_diag_vat(x->diag, CFG_LVL_ERROR, w->file, w->line, fmt, ap);
	va_end(ap);
}

size_t cfg_line_code(const char *s, size_t n, bool *cont)
{
	char q = 0;
	bool bs_last = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (q == '\'') {
			if (c == '\'')
				q = 0;
		} else if (c == '\\') {
			/* A backslash pairs with the next character; alone before
			 * blanks or at the end it is a plain character, which outside
			 * quotes as the last one continues the line. */
			if (i + 1 < n && !cfg_is_blank(s[i + 1])) {
				i++;
				bs_last = false;
			} else {
				bs_last = !q;
			}
			continue;
		} else if (q == '"') {
			if (c == '"')
				q = 0;
		} else if (c == '"' || c == '\'') {
			q = c;
		} else if (c == '#' || c == '!') {
			*cont = false;
			return i;
		}
		if (!cfg_is_blank(c))
			bs_last = false;
	}
	*cont = bs_last;
	return n;
}

/* ---- budget ------------------------------------------------------------- */

bool cfg_expand_stopped(const struct cfg_expand *x)
{
	return x->stopped;
}

int cfg_expand_charge(struct cfg_expand *x, const struct cfg_where *w, size_t bytes)
{
	if (x->stopped)
		return -1;
	if (bytes <= x->bytes_left) {
		x->bytes_left -= bytes;
		return 0;
	}
	x->bytes_left = 0;
	x->stopped = true;
	xerr(x, w, "configuration expands to more than %zu bytes; reading stopped", x->bytes_max);
	return -1;
}

static int charge_line(struct cfg_expand *x, const struct cfg_where *w)
{
	if (x->stopped)
		return -1;
	if (x->lines_left) {
		x->lines_left--;
		return 0;
	}
	x->stopped = true;
	xerr(x, w, "configuration expands to more than %zu lines; reading stopped", x->lines_max);
	return -1;
}

/* ---- parameter table ---------------------------------------------------- */

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Generators can define parameters by the thousand ($P$i=...). */
static void param_grow(struct cfg_expand *x)
{
	size_t n = x->nbuckets * 2;
	struct cfg_param **tab = xcalloc(n, sizeof(*tab));
	for (size_t i = 0; i < x->nbuckets; i++) {
		while (x->tab[i]) {
			struct cfg_param *p = x->tab[i];
			x->tab[i] = p->next;
			size_t h = hash(p->name, p->nlen) % n;
			p->next = tab[h];
			tab[h] = p;
		}
	}
	free(x->tab);
	x->tab = tab;
	x->nbuckets = n;
}

static struct cfg_param *param_get(struct cfg_expand *x, const char *name, size_t nlen,
				   bool create)
{
	size_t h = hash(name, nlen) % x->nbuckets;
	for (struct cfg_param *p = x->tab[h]; p; p = p->next)
		if (p->nlen == nlen && !memcmp(p->name, name, nlen))
			return p;
	if (!create)
		return NULL;
	if (++x->nparams > 2 * x->nbuckets) {
		param_grow(x);
		h = hash(name, nlen) % x->nbuckets;
	}
	struct cfg_param *p = xcalloc(1, sizeof(*p) + nlen + 1);
	memcpy(p->name, name, nlen);
	p->nlen = nlen;
	p->next = x->tab[h];
	x->tab[h] = p;
	return p;
}

void cfg_expand_define(struct cfg_expand *x, const char *name, size_t nlen, const char *value,
		       size_t vlen)
{
	struct cfg_param *p = param_get(x, name, nlen, true);
	free(p->value);
	p->value = xmalloc(vlen + 1);
	memcpy(p->value, value, vlen);
	p->value[vlen] = '\0';
	p->vlen = vlen;
}

size_t cfg_expand_defname(const char *s, size_t n)
{
	if (n < 3 || s[0] != '$' || !name_start(s[1]))
		return 0;
	size_t i = 2;
	while (i < n && name_char(s[i]))
		i++;
	if (i >= n || s[i] != '=')
		return 0;
	return i - 1;
}

struct cfg_expand *cfg_expand_new(const char *config_id, unsigned max_lines,
				  struct cfg_diag *diag, cfg_line_fn fn, void *arg)
{
	struct cfg_expand *x = xcalloc(1, sizeof(*x));
	x->diag = diag;
	x->fn = fn;
	x->arg = arg;
	x->config_id = xstrdup(config_id ? config_id : "");
	x->nbuckets = EXP_BUCKETS;
	x->tab = xcalloc(x->nbuckets, sizeof(*x->tab));
	x->lines_left = x->lines_max = max_lines ? max_lines : EXP_MAX_LINES;
	x->bytes_left = x->bytes_max = (size_t)x->lines_left * EXP_LINE_BYTES;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	x->rng = ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 40);
	x->rng |= 1;
	return x;
}

void cfg_expand_free(struct cfg_expand *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nbuckets; i++) {
		while (x->tab[i]) {
			struct cfg_param *p = x->tab[i];
			x->tab[i] = p->next;
			free(p->value);
			free(p);
		}
	}
	free(x->tab);
	free(x->config_id);
	free(x);
}

/* ---- predefined parameters ---------------------------------------------- */

/* Text from outside the configuration (a directory, the environment) must
 * not start a comment when substituted. */
static void add_literal(struct sbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '#' || *s == '!')
			sbuf_addc(out, '\\');
		sbuf_addc(out, *s);
	}
}

static uint64_t rng_next(struct cfg_expand *x)
{
	x->rng ^= x->rng >> 12;
	x->rng ^= x->rng << 25;
	x->rng ^= x->rng >> 27;
	return x->rng * 2685821657736338717ull;
}

/* ${_RANDOM [MIN [MAX]]}: an integer in [MIN, MAX], default [0, 32767]; as in
 * keepalived a single number is the minimum. */
static int builtin_random(struct cfg_expand *x, const struct cfg_where *w, const char *args,
			  size_t alen, struct sbuf *out)
{
	uint64_t v[2] = {0, EXP_RANDOM_MAX};
	unsigned nv = 0;
	size_t i = 0;
	while (i < alen) {
		if (cfg_is_blank(args[i])) {
			i++;
			continue;
		}
		uint64_t num = 0;
		size_t start = i;
		while (i < alen && args[i] >= '0' && args[i] <= '9' && num <= UINT32_MAX)
			num = num * 10 + (uint64_t)(args[i++] - '0');
		if (i == start || nv == 2 || num > UINT32_MAX ||
		    (i < alen && !cfg_is_blank(args[i]))) {
			xerr(x, w, "${_RANDOM %.*s}: expected [MIN [MAX]] (0..%" PRIu32 ")",
			     (int)alen, args, UINT32_MAX);
			return -1;
		}
		v[nv++] = num;
	}
	if (v[0] > v[1]) {
		xerr(x, w, "${_RANDOM %.*s}: MIN is greater than MAX", (int)alen, args);
		return -1;
	}
	char num[24];
	snprintf(num, sizeof(num), "%" PRIu64, v[0] + rng_next(x) % (v[1] - v[0] + 1));
	sbuf_add(out, num, strlen(num));
	return 1;
}

/* Returns 1 when name is a predefined parameter (value appended), 0 when
 * it is not (left verbatim), -1 on error (reported). */
static int builtin(struct cfg_expand *x, const struct cfg_where *w, const char *name,
		   size_t nlen, const char *args, size_t alen, struct sbuf *out)
{
	if (name_is(name, nlen, "_RANDOM"))
		return builtin_random(x, w, args, alen, out);
	if (name_is(name, nlen, "_ENV")) {
		char var[256];
		if (alen >= sizeof(var) || memchr(args, ' ', alen) || memchr(args, '\t', alen)) {
			xerr(x, w, "${_ENV %.*s}: expected one variable name", (int)alen, args);
			return -1;
		}
		memcpy(var, args, alen);
		var[alen] = '\0';
		const char *val = alen ? getenv(var) : NULL;
		add_literal(out, val ? val : "");
		return 1;
	}
	if (alen)
		return 0;
	if (name_is(name, nlen, "_PWD"))
		add_literal(out, w->pwd ? w->pwd : "");
	else if (name_is(name, nlen, "_INSTANCE"))
		add_literal(out, x->config_id);
	else if (name_is(name, nlen, "_HASH"))
		sbuf_add(out, "\\#", 2); /* escaped: a literal '#', not a comment */
	else if (name_is(name, nlen, "_BANG"))
		sbuf_add(out, "\\!", 2);
	else
		return 0;
	return 1;
}

/* ---- substitution ------------------------------------------------------- */

/* s[0] == '$'. Returns the length of "$NAME" / "${NAME ARGS}" when it was
 * replaced, 0 when it is left verbatim, -1 on error. */
static long param(struct cfg_expand *x, const struct cfg_where *w, const char *s, size_t n,
		  struct sbuf *out, unsigned depth, bool *found)
{
	size_t i = 1;
	bool brace = i < n && s[i] == '{';
	if (brace)
		i++;
	if (i >= n || !name_start(s[i]))
		return 0;
	const char *name = s + i;
	while (i < n && name_char(s[i]))
		i++;
	size_t nlen = (size_t)(s + i - name);
	const char *args = "";
	size_t alen = 0;
	if (brace) {
		size_t a = i, e;
		while (a < n && cfg_is_blank(s[a]))
			a++;
		for (e = a; e < n && s[e] != '}' && s[e] != '{' && s[e] != '\n'; e++)
			;
		if (e >= n || s[e] != '}' || (e > i && a == i))
			return 0;
		args = s + a;
		alen = e - a;
		trim(&args, &alen);
		i = e + 1;
	}
	struct cfg_param *p = param_get(x, name, nlen, false);
	if (p && p->value) {
		if (alen)
			return 0;
		if (depth >= EXP_MAX_PARAM_DEPTH) {
			xerr(x, w, "$%.*s: parameters nested too deeply (recursive definition?)",
			     (int)nlen, name);
			return -1;
		}
		if (cfg_expand_charge(x, w, EXP_SUBST_COST) < 0 ||
		    subst(x, w, p->value, p->vlen, out, depth + 1, found) < 0)
			return -1;
	} else {
		int r = builtin(x, w, name, nlen, args, alen, out);
		if (r <= 0)
			return r;
		if (cfg_expand_charge(x, w, EXP_SUBST_COST) < 0)
			return -1;
	}
	*found = true;
	return (long)i;
}

/* Append s with parameters replaced (not inside single quotes, not in
 * comments, not after a backslash). Returns 0 or -1 (reported). */
static int subst(struct cfg_expand *x, const struct cfg_where *w, const char *s, size_t n,
		 struct sbuf *out, unsigned depth, bool *found)
{
	char q = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n') {
			q = 0;
		} else if (q == '\'') {
			if (c == '\'')
				q = 0;
		} else if (c == '\\' && i + 1 < n && s[i + 1] != '\n') {
			sbuf_add(out, s + i++, 2);
			continue;
		} else if (q == '"') {
			if (c == '"')
				q = 0;
		} else if (c == '"' || c == '\'') {
			q = c;
		} else if (c == '#' || c == '!') {
			const char *nl = memchr(s + i, '\n', n - i);
			if (!nl)
				break;
			i = (size_t)(nl - s) - 1;
			continue;
		}
		if (c == '$' && q != '\'') {
			long used = param(x, w, s + i, n - i, out, depth, found);
			if (used < 0)
				return -1;
			if (used > 0) {
				i += (size_t)used - 1;
				/* stop an exponential expansion before it is complete */
				if (out->n > x->bytes_left)
					return cfg_expand_charge(x, w, out->n);
				continue;
			}
		}
		sbuf_addc(out, c);
	}
	return 0;
}

/* ---- conditionals and definitions --------------------------------------- */

size_t cfg_expand_condition(const struct cfg_expand *x, const char *s, size_t n, bool *keep)
{
	size_t i = 1;
	bool negate = i < n && s[i] == '^';
	if (negate)
		i++;
	const char *id = s + i;
	while (i < n && !cfg_is_blank(s[i]))
		i++;
	size_t idlen = (size_t)(s + i - id);
	bool match = name_is(id, idlen, x->config_id);
	*keep = match != negate;
	while (i < n && cfg_is_blank(s[i]))
		i++;
	return i;
}

/* "$NAME=value" found inside an expanded line (a generator body or a
 * multi-line value): single line only. */
static void define_line(struct cfg_expand *x, const char *s, size_t n, size_t nlen)
{
	const char *v = s + nlen + 2;
	size_t vlen = n - nlen - 2;
	bool cont;
	vlen = cfg_line_code(v, vlen, &cont);
	trim(&v, &vlen);
	if (vlen && v[vlen - 1] == '\\') {
		vlen--;
		trim(&v, &vlen);
	}
	cfg_expand_define(x, s + 1, nlen, v, vlen);
}

/* ---- generators ----------------------------------------------------------- */

enum gen_kind { GEN_SEQ, GEN_SEQX, GEN_LST };

struct gen {
	enum gen_kind kind;
	const char *what; /* for messages */
	const char *var;
	size_t vlen;
	const char *body;
	size_t blen;
	struct sbuf args; /* arguments after parameter substitution */
	size_t nv;	  /* values after the variable */
	const char **val; /* nv values (in args) */
	size_t *len;
};

/* One iteration: bind var to val while the body is expanded. */
static int gen_iter(struct cfg_expand *x, const struct cfg_where *w, const struct gen *g,
		    const char *val, size_t len, unsigned depth)
{
	if (charge_line(x, w) < 0)
		return -1;
	struct cfg_param *p = param_get(x, g->var, g->vlen, true);
	char *saved = p->value;
	size_t saved_len = p->vlen;
	p->value = xmalloc(len + 1);
	memcpy(p->value, val, len);
	p->value[len] = '\0';
	p->vlen = len;
	int r = expand(x, w, g->body, g->blen, depth + 1);
	free(p->value);
	p->value = saved;
	p->vlen = saved_len;
	return r;
}

static int parse_ll(const char *s, size_t n, long long *out)
{
	char buf[32];
	if (!n || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *end;
	errno = 0;
	*out = strtoll(buf, &end, 0);
	return (errno || *end) ? -1 : 0;
}

/*
 * ~SEQ(var, end)               1, 2 ... end   (end < 1 counts down: 1, 0, -1 ... end;
 *                              a negative end starts at -1), as keepalived does
 * ~SEQ(var, start, end)        step +1 or -1 towards end
 * ~SEQ(var, start, step, end)  step must not be 0 nor lead away from end
 * ~SEQx: the same, values written in hexadecimal (lower case, no 0x); no negatives.
 */
static int gen_seq(struct cfg_expand *x, const struct cfg_where *w, struct gen *g,
		   unsigned depth)
{
	long long num[3], start, step, end;
	if (g->nv < 1 || g->nv > 3) {
		xerr(x, w, "%s: expected (var, [start, [step,]] end)", g->what);
		return 0;
	}
	for (size_t i = 0; i < g->nv; i++) {
		if (parse_ll(g->val[i], g->len[i], &num[i]) < 0) {
			xerr(x, w, "%s: invalid number '%.*s'", g->what, (int)g->len[i], g->val[i]);
			return 0;
		}
	}
	if (g->nv == 1) {
		end = num[0];
		start = end < 0 ? -1 : 1;
		step = end < 1 ? -1 : 1;
	} else if (g->nv == 2) {
		start = num[0];
		end = num[1];
		step = start <= end ? 1 : -1;
	} else {
		start = num[0];
		step = num[1];
		end = num[2];
	}
	if (!step || (start < end && step < 0) || (start > end && step > 0)) {
		xerr(x, w, "%s: step %lld never gets from %lld to %lld", g->what, step, start, end);
		return 0;
	}
	if (g->kind == GEN_SEQX && (start < 0 || end < 0)) {
		xerr(x, w, "%s: hexadecimal values must not be negative", g->what);
		return 0;
	}
	for (long long v = start;;) {
		char val[24];
		snprintf(val, sizeof(val), g->kind == GEN_SEQX ? "%llx" : "%lld", v);
		if (gen_iter(x, w, g, val, strlen(val), depth) < 0)
			return -1;
		long long next;
		if (v == end || __builtin_add_overflow(v, step, &next) ||
		    (step > 0 ? next > end : next < end))
			break;
		v = next;
	}
	return 0;
}

/* Split the substituted arguments at commas: variable, then values. */
static int gen_split(struct cfg_expand *x, const struct cfg_where *w, struct gen *g)
{
	size_t n = 1;
	for (size_t i = 0; i < g->args.n; i++)
		n += g->args.p[i] == ',';
	g->val = xcalloc(n, sizeof(*g->val));
	g->len = xcalloc(n, sizeof(*g->len));
	const char *s = g->args.p ? g->args.p : "";
	size_t k = 0, from = 0;
	for (size_t i = 0; i <= g->args.n; i++) {
		if (i < g->args.n && s[i] != ',')
			continue;
		g->val[k] = s + from;
		g->len[k] = i - from;
		trim(&g->val[k], &g->len[k]);
		k++;
		from = i + 1;
	}
	g->var = g->val[0];
	g->vlen = g->len[0];
	g->nv = k - 1;
	g->val++;
	g->len++;
	for (size_t i = 0; i < g->vlen; i++) {
		if (!(i ? name_char(g->var[i]) : name_start(g->var[i]))) {
			xerr(x, w, "%s: invalid variable name '%.*s'", g->what, (int)g->vlen,
			     g->var);
			return -1;
		}
	}
	if (!g->vlen) {
		xerr(x, w, "%s: missing variable name", g->what);
		return -1;
	}
	return 0;
}

/*
 * "~SEQ(...) rest", "~SEQx(...) rest", "~LST(var, v1, v2...) rest": the rest
 * of the line is expanded once per value with $var bound to it. The
 * arguments may use parameters. var is bound only while the rest is
 * expanded (keepalived leaves the last value defined). keepalived's
 * ~LST({a,b},{1,2}) form with several variables is not supported.
 * Returns 1 if s is not a generator (an ordinary line), else 0 or -1.
 */
static int generator(struct cfg_expand *x, const struct cfg_where *w, const char *s, size_t n,
		     unsigned depth)
{
	struct gen g = {0};
	size_t i;
	if (n >= 5 && !memcmp(s, "~SEQx", 5)) {
		g.kind = GEN_SEQX, g.what = "~SEQx", i = 5;
	} else if (n >= 4 && !memcmp(s, "~SEQ", 4)) {
		g.kind = GEN_SEQ, g.what = "~SEQ", i = 4;
	} else if (n >= 4 && !memcmp(s, "~LST", 4)) {
		g.kind = GEN_LST, g.what = "~LST", i = 4;
	} else {
		return 1;
	}
	while (i < n && cfg_is_blank(s[i]))
		i++;
	const char *close = i < n ? memchr(s + i, ')', n - i) : NULL;
	if (i >= n || s[i] != '(' || !close) {
		xerr(x, w, "%s: expected (arguments) after %s", g.what, g.what);
		return 0;
	}
	bool found = false;
	if (subst(x, w, s + i + 1, (size_t)(close - s) - i - 1, &g.args, 0, &found) < 0) {
		sbuf_free(&g.args);
		return x->stopped ? -1 : 0;
	}
	g.body = close + 1;
	g.blen = n - (size_t)(g.body - s);
	trim(&g.body, &g.blen);

	int r = 0;
	if (memchr(g.args.p ? g.args.p : "", '\n', g.args.n)) {
		xerr(x, w, "%s: a multi-line parameter cannot be an argument", g.what);
	} else if (gen_split(x, w, &g) == 0) {
		if (g.kind != GEN_LST)
			r = gen_seq(x, w, &g, depth);
		else if (!g.nv)
			xerr(x, w, "~LST: expected (var, value, ...)");
		for (size_t k = 0; g.kind == GEN_LST && k < g.nv && r == 0; k++)
			r = gen_iter(x, w, &g, g.val[k], g.len[k], depth);
	}
	if (g.val) {
		free(g.val - 1);
		free(g.len - 1);
	}
	sbuf_free(&g.args);
	return r;
}

/* ---- lines ---------------------------------------------------------------- */

static int emit(struct cfg_expand *x, const struct cfg_where *w, const char *s, size_t n)
{
	if (charge_line(x, w) < 0 || cfg_expand_charge(x, w, n) < 0)
		return -1;
	if (x->fn(x->arg, w, s, n) < 0)
		x->stopped = true;
	return x->stopped ? -1 : 0;
}

/* A line produced by substitution that must go through the whole line
 * processing again (a multi-line parameter holding definitions,
 * conditionals or generators). */
static bool needs_recheck(const char *s, size_t n)
{
	while (n && cfg_is_blank(*s))
		s++, n--;
	return n && (*s == '@' || *s == '~' || cfg_expand_defname(s, n));
}

static int emit_lines(struct cfg_expand *x, const struct cfg_where *w, const char *s, size_t n,
		      unsigned depth)
{
	while (!x->stopped) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) : n;
		int r = needs_recheck(s, len) ? expand(x, w, s, len, depth + 1)
					      : emit(x, w, s, len);
		if (r < 0 || !nl)
			return r;
		s = nl + 1;
		n -= len + 1;
	}
	return -1;
}

static int expand(struct cfg_expand *x, const struct cfg_where *w, const char *s, size_t n,
		  unsigned depth)
{
	if (x->stopped)
		return -1;
	while (n && cfg_is_blank(*s))
		s++, n--;
	if (!n)
		return 0;
	if (depth > EXP_MAX_NEST) {
		xerr(x, w, "expansion nested too deeply");
		return 0;
	}
	if (*s == '@') {
		bool keep;
		size_t off = cfg_expand_condition(x, s, n, &keep);
		if (!keep)
			return 0;
		s += off;
		n -= off;
	}
	size_t nlen = cfg_expand_defname(s, n);
	if (nlen) {
		define_line(x, s, n, nlen);
		return 0;
	}
	if (n && *s == '~') {
		int r = generator(x, w, s, n, depth);
		if (r <= 0)
			return r;
	}
	if (!memchr(s, '$', n))
		return emit(x, w, s, n);

	struct sbuf b = {0};
	bool found = false;
	int r = subst(x, w, s, n, &b, 0, &found);
	if (r == 0 && !found)
		r = emit(x, w, s, n);
	else if (r == 0 && b.n)
		r = emit_lines(x, w, b.p, b.n, depth);
	sbuf_free(&b);
	return x->stopped ? -1 : 0;
}

int cfg_expand_line(struct cfg_expand *x, const struct cfg_where *w, const char *s, size_t n)
{
	return expand(x, w, s, n, 0);
}
