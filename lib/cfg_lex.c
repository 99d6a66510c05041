/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfg_lex.c - read keepalived.conf files into a flat token stream */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, vasprintf */
#endif
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "cfg_expand.h"
#include "util.h"

#define LEX_DEFAULT_DEPTH 32
#define LEX_MAX_DEPTH	  128	       /* whatever opts says: the C stack is finite */
#define LEX_MAX_FILE	  (64u << 20)  /* one configuration file */
#define LEX_MAX_GLOB_ALTS 256	       /* {a,b} alternatives in one include pattern */
#define LEX_TOKEN_COST	  8	       /* expansion budget bytes charged per token */

struct lex_open {
	dev_t dev;
	ino_t ino;
};

struct lex {
	const struct cfg_read_opts *opts;
	struct cfg_diag *diag;
	struct cfg_diag quiet; /* used when the caller gives no diag */
	struct cfg_tokens *out;
	struct cfg_expand *x;
	struct sbuf word;
	unsigned depth, max_depth;
	struct lex_open *open; /* files being read, for include cycles */
	size_t nopen;
};

/* ---- diagnostics ---------------------------------------------------------- */

void cfg_diag_vat(struct cfg_diag *d, enum cfg_level lvl, const char *file, unsigned line,
		  const char *fmt, va_list ap)
{
	static const char *const names[] = {"error", "warning", "note"};
	if (!d)
		return;
	if (lvl == CFG_LVL_ERROR)
		d->errors++;
	else if (lvl == CFG_LVL_WARNING)
		d->warnings++;
	if (!d->emit)
		return;
	char *msg = NULL, *full = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	const char *name = (unsigned)lvl < 3 ? names[lvl] : "error";
	int r;
	if (!file)
		r = asprintf(&full, "%s: %s", name, msg);
	else if (line)
		r = asprintf(&full, "%s:%u: %s: %s", file, line, name, msg);
	else
		r = asprintf(&full, "%s: %s: %s", file, name, msg);
	if (r >= 0)
		d->emit(d->arg, lvl, full);
	free(full);
	free(msg);
}

void cfg_diag_at(struct cfg_diag *d, enum cfg_level lvl, const char *file, unsigned line,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cfg_diag_vat(d, lvl, file, line, fmt, ap);
	va_end(ap);
}

/* ---- token stream ----------------------------------------------------------- */

static const char *const brace_text[] = {
	[CFG_TOK_OPEN] = "{",
	[CFG_TOK_CLOSE] = "}",
	[CFG_TOK_EOL] = "",
};

static void tok_reserve(struct cfg_tokens *t, size_t more)
{
	if (t->cap - t->n >= more)
		return;
	size_t cap = t->cap ? t->cap : 256;
	while (cap - t->n < more)
		cap *= 2;
	t->tok = xrealloc(t->tok, cap * sizeof(*t->tok));
	t->cap = cap;
}

static void tok_push(struct cfg_tokens *t, enum cfg_tok_kind kind, const char *text,
		     const struct cfg_where *w)
{
	tok_reserve(t, 1);
	t->tok[t->n++] = (struct cfg_token){
		.text = text, .kind = kind, .file = w->file_idx, .line = w->line};
}

static void ensure_arena(struct cfg_tokens *t)
{
	if (!t->strings)
		t->strings = arena_new();
}

/* Index of a file name in t->files, added if new. */
static uint32_t file_index(struct cfg_tokens *t, const char *name)
{
	for (size_t i = 0; i < t->nfiles; i++)
		if (!strcmp(t->files[i], name))
			return (uint32_t)i;
	t->files = xrealloc(t->files, (t->nfiles + 1) * sizeof(*t->files));
	t->files[t->nfiles] = arena_strdup(t->strings, name);
	return (uint32_t)t->nfiles++;
}

void cfg_tokens_free(struct cfg_tokens *t)
{
	if (!t)
		return;
	free(t->tok);
	free(t->files);
	arena_free(t->strings);
	memset(t, 0, sizeof(*t));
}

/* ---- tokenizer ---------------------------------------------------------------- */

/* s[i] follows a backslash inside double quotes. Stores the byte meant in
 * *ch and returns the index after the escape sequence. */
static size_t dq_escape(const char *s, size_t n, size_t i, unsigned char *ch)
{
	char c = s[i++];
	unsigned v = 0, k = 0;
	switch (c) {
	case 'a': *ch = '\a'; break;
	case 'b': *ch = '\b'; break;
	case 'e':
	case 'E': *ch = 0x1b; break;
	case 'f': *ch = '\f'; break;
	case 'n': *ch = '\n'; break;
	case 'r': *ch = '\r'; break;
	case 't': *ch = '\t'; break;
	case 'v': *ch = '\v'; break;
	case 'x':
		for (; k < 2 && i < n && hex_digit_val(s[i]) >= 0; k++)
			v = v * 16 + (unsigned)hex_digit_val(s[i++]);
		*ch = k ? (unsigned char)v : 'x';
		break;
	case 'c':
		*ch = i < n ? (unsigned char)(s[i++] & 0x1f) : 'c';
		break;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		v = (unsigned)(c - '0');
		for (k = 1; k < 3 && i < n && s[i] >= '0' && s[i] <= '7'; k++)
			v = v * 8 + (unsigned)(s[i++] - '0');
		*ch = (unsigned char)v;
		break;
	default: /* \\ \" \' and anything else: the character itself */
		*ch = (unsigned char)c;
		break;
	}
	return i;
}

static void lex_err(struct lex *lx, const struct cfg_where *w, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void lex_err(struct lex *lx, const struct cfg_where *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cfg_diag_vat(lx->diag, CFG_LVL_ERROR, w->file, w->line, fmt, ap);
	va_end(ap);
}

/* s[i] is a quote. Appends the quoted text to the word and returns the
 * index after the closing quote (n when there is none: reported). */
static size_t quoted(struct lex *lx, const struct cfg_where *w, const char *s, size_t n, size_t i)
{
	char q = s[i++];
	while (i < n && s[i] != q) {
		if (q == '"' && s[i] == '\\' && i + 1 < n) {
			unsigned char ch;
			i = dq_escape(s, n, i + 1, &ch);
			if (ch)
				sbuf_addc(&lx->word, (char)ch);
			else
				lex_err(lx, w, "escape sequence gives a NUL byte (dropped)");
			continue;
		}
		sbuf_addc(&lx->word, s[i++]);
	}
	if (i >= n) {
		lex_err(lx, w, "unterminated quote");
		return n;
	}
	return i + 1;
}

static void word_flush(struct lex *lx, const struct cfg_where *w, bool *in_word)
{
	if (!*in_word)
		return;
	const char *text = arena_strndup(lx->out->strings, lx->word.p ? lx->word.p : "",
					 lx->word.n);
	tok_push(lx->out, CFG_TOK_WORD, text, w);
	lx->word.n = 0;
	*in_word = false;
}

/* Split one expanded line into words and braces (no EOL). With
 * braces_in_words (an include pattern: sub/{a,b}.conf) braces are text. */
static void tokenize(struct lex *lx, const struct cfg_where *w, const char *s, size_t n,
		     bool braces_in_words)
{
	bool in_word = false;
	size_t i = 0;
	lx->word.n = 0;
	while (i < n) {
		char c = s[i];
		if (cfg_is_blank(c)) {
			word_flush(lx, w, &in_word);
			i++;
		} else if (c == '#' || c == '!') {
			break;
		} else if ((c == '{' || c == '}') && !braces_in_words) {
			word_flush(lx, w, &in_word);
			enum cfg_tok_kind k = c == '{' ? CFG_TOK_OPEN : CFG_TOK_CLOSE;
			tok_push(lx->out, k, brace_text[k], w);
			i++;
		} else if (c == '"' || c == '\'') {
			in_word = true;
			i = quoted(lx, w, s, n, i);
		} else if (c == '\\' && i + 1 < n && (s[i + 1] == '#' || s[i + 1] == '!')) {
			in_word = true;
			sbuf_addc(&lx->word, s[i + 1]);
			i += 2;
		} else if (c == '\\' && i + 1 < n && !cfg_is_blank(s[i + 1])) {
			/* outside quotes other escapes stay as written */
			in_word = true;
			sbuf_add(&lx->word, s + i, 2);
			i += 2;
		} else {
			in_word = true;
			sbuf_addc(&lx->word, c);
			i++;
		}
	}
	word_flush(lx, w, &in_word);
}

/* ---- includes ------------------------------------------------------------------ */

static void read_text(struct lex *lx, const char *name, const char *dir, const char *buf,
		      size_t len);

/* Report a problem with a file: at the include line (site) or, for the
 * top-level file, on the file itself. err is an errno value or 0. */
static void file_err(struct lex *lx, const struct cfg_where *site, const char *path,
		     const char *what, int err)
{
	const char *sep = err ? ": " : "", *why = err ? strerror(err) : "";
	if (site)
		lex_err(lx, site, "%s: %s%s%s", path, what, sep, why);
	else
		cfg_diag_at(lx->diag, CFG_LVL_ERROR, path, 0, "%s%s%s", what, sep, why);
}

/* Read a whole regular file. Returns 0 or -1 (reported). */
static int load(struct lex *lx, const struct cfg_where *site, const char *path, char **bufp,
		size_t *lenp, struct stat *st)
{
	/* O_NONBLOCK: a FIFO or device matched by a pattern must not hang us */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		file_err(lx, site, path, "cannot open", errno);
		return -1;
	}
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		file_err(lx, site, path, "not a regular file", 0);
		close(fd);
		return -1;
	}
	size_t cap = (size_t)st->st_size + 1, len = 0;
	if (cap > LEX_MAX_FILE)
		cap = LEX_MAX_FILE + 1;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap > LEX_MAX_FILE) {
				file_err(lx, site, path, "file larger than 64 MiB", 0);
				break;
			}
			cap = cap * 2 > LEX_MAX_FILE + 1 ? LEX_MAX_FILE + 1 : cap * 2;
			buf = xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			file_err(lx, site, path, "cannot read", errno);
			break;
		}
		if (r == 0) {
			close(fd);
			*bufp = buf;
			*lenp = len;
			return 0;
		}
		len += (size_t)r;
	}
	close(fd);
	free(buf);
	return -1;
}

static void read_included(struct lex *lx, const struct cfg_where *site, const char *path)
{
	char *buf, *dir;
	size_t len;
	struct stat st;
	if (load(lx, site, path, &buf, &len, &st) < 0)
		return;
	for (size_t i = 0; i < lx->nopen; i++) {
		if (lx->open[i].dev == st.st_dev && lx->open[i].ino == st.st_ino) {
			lex_err(lx, site, "include cycle: %s is already being read", path);
			free(buf);
			return;
		}
	}
	const char *slash = strrchr(path, '/');
	if (!slash)
		dir = xstrdup("");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		dir = xstrdup("");
	lx->open[lx->nopen++] = (struct lex_open){st.st_dev, st.st_ino};
	lx->depth++;
	read_text(lx, path, dir, buf, len);
	lx->depth--;
	lx->nopen--;
	free(dir);
	free(buf);
}

/* An upper bound of the patterns a {a,b}{c,d} brace expansion makes: glob()
 * expands them all, so a line of braces could keep it busy for ever. */
static unsigned long glob_alternatives(const char *p)
{
	unsigned long total = 1, cnt[16];
	unsigned d = 0;
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '{') {
			if (d == 16)
				return ULONG_MAX;
			cnt[d++] = 1;
		} else if (*p == ',' && d) {
			cnt[d - 1]++;
		} else if (*p == '}' && d) {
			total *= cnt[--d];
			if (total > LEX_MAX_GLOB_ALTS)
				return total;
		}
	}
	return total;
}

/* Relative patterns are relative to the including file's directory, whose
 * name must not be taken as a pattern itself. */
static char *include_pattern(const char *dir, const char *pat)
{
	if (pat[0] == '/' || !dir[0])
		return xstrdup(pat);
	struct sbuf b = {0};
	for (const char *p = dir; *p; p++) {
		if (strchr("\\*?[]{}", *p))
			sbuf_addc(&b, '\\');
		sbuf_addc(&b, *p);
	}
	if (b.p[b.n - 1] != '/')
		sbuf_addc(&b, '/');
	sbuf_add(&b, pat, strlen(pat));
	sbuf_cstr(&b);
	return b.p;
}

/* include PATTERN: read every file matched, in glob's sorted order. The
 * includer/includem/includew/includeb/includea variants insist on a match. */
static void do_include(struct lex *lx, const struct cfg_where *w, bool must_match,
		       const char *kw, const char *pat)
{
	if (lx->depth >= lx->max_depth) {
		lex_err(lx, w, "include nesting too deep");
		return;
	}
	if (!pat[0]) {
		lex_err(lx, w, "%s: empty file name", kw);
		return;
	}
	if (glob_alternatives(pat) > LEX_MAX_GLOB_ALTS) {
		lex_err(lx, w, "%s %s: more than %u {,} alternatives", kw, pat, LEX_MAX_GLOB_ALTS);
		return;
	}
	char *full = include_pattern(w->dir, pat);
	glob_t g;
	memset(&g, 0, sizeof(g));
	int r = glob(full, GLOB_BRACE | GLOB_MARK, NULL, &g);
	size_t files = 0;
	if (r == 0) {
		for (size_t i = 0; i < g.gl_pathc && !cfg_expand_stopped(lx->x); i++) {
			const char *path = g.gl_pathv[i];
			if (path[0] && path[strlen(path) - 1] == '/')
				continue; /* a directory */
			files++;
			read_included(lx, w, path);
		}
	} else if (r != GLOB_NOMATCH) {
		lex_err(lx, w, "%s %s: cannot expand the pattern", kw, full);
	}
	if ((r == 0 || r == GLOB_NOMATCH) && !files) {
		bool strict = must_match || (lx->opts && lx->opts->strict_includes);
		cfg_diag_at(lx->diag, strict ? CFG_LVL_ERROR : CFG_LVL_WARNING, w->file, w->line,
			    "%s %s: no file matches", kw, full);
	}
	globfree(&g);
	free(full);
}

/* -1: not an include line; 0: include; 1: an include that must match.
 * Decided on the raw first word, before braces are split off. */
static int include_kind(const char *s, size_t n)
{
	static const char *const strict[] = {"includer", "includem", "includew", "includeb",
					      "includea"};
	size_t i = 0;
	while (i < n && cfg_is_blank(s[i]))
		i++;
	size_t start = i;
	while (i < n && !cfg_is_blank(s[i]))
		i++;
	size_t len = i - start;
	if (len == 7 && !memcmp(s + start, "include", 7))
		return 0;
	for (size_t k = 0; k < ARRAY_SIZE(strict); k++)
		if (len == 8 && !memcmp(s + start, strict[k], 8))
			return 1;
	return -1;
}

/* Every expanded line ends here: tokens, EOL, or an include. */
static int lex_line(void *arg, const struct cfg_where *w, const char *s, size_t n)
{
	struct lex *lx = arg;
	struct cfg_tokens *t = lx->out;
	size_t first = t->n;
	int kind = include_kind(s, n);
	tokenize(lx, w, s, n, kind >= 0);
	if (t->n == first)
		return 0;
	/* tokens cost memory beyond their text ("{{{{" is 4 tokens) */
	if (cfg_expand_charge(lx->x, w, (t->n - first) * LEX_TOKEN_COST) < 0) {
		t->n = first;
		return -1;
	}
	if (kind < 0) {
		tok_push(t, CFG_TOK_EOL, brace_text[CFG_TOK_EOL], w);
		return 0;
	}
	const char *kw = t->tok[first].text, *pat = NULL;
	if (t->n - first == 2 && t->tok[first + 1].kind == CFG_TOK_WORD)
		pat = t->tok[first + 1].text;
	t->n = first; /* the include line itself leaves no tokens */
	if (!pat)
		lex_err(lx, w, "%s: expected one file name pattern", kw);
	else
		do_include(lx, w, kind == 1, kw, pat);
	return cfg_expand_stopped(lx->x) ? -1 : 0;
}

/* ---- lines ----------------------------------------------------------------------- */

struct src {
	const char *p;
	size_t n, pos;
	unsigned line;
};

/* Next physical line without its line end (and a CR before it). A line
 * holding a NUL byte is reported and returned empty. */
static bool src_next(struct lex *lx, const struct cfg_where *w, struct src *s, const char **t,
		     size_t *n)
{
	if (s->pos >= s->n)
		return false;
	const char *start = s->p + s->pos;
	const char *nl = memchr(start, '\n', s->n - s->pos);
	size_t len = nl ? (size_t)(nl - start) : s->n - s->pos;
	s->pos += len + (nl ? 1 : 0);
	s->line++;
	if (len && start[len - 1] == '\r')
		len--;
	if (memchr(start, '\0', len)) {
		cfg_diag_at(lx->diag, CFG_LVL_ERROR, w->file, s->line,
			    "NUL byte in line (ignored)");
		len = 0;
	}
	*t = start;
	*n = len;
	return true;
}

static void skip_blanks(const char **s, size_t *n)
{
	while (*n && cfg_is_blank(**s)) {
		(*s)++;
		(*n)--;
	}
}

/* Drop the continuation backslash and the blanks around it. */
static void add_continued(struct sbuf *b, const char *s, size_t n)
{
	while (n && cfg_is_blank(s[n - 1]))
		n--;
	if (n)
		n--;
	while (n && cfg_is_blank(s[n - 1]))
		n--;
	sbuf_add(b, s, n);
}

/* One line of a definition's value: comment cut, blanks trimmed. Returns
 * true when it ends with '\' (the value goes on; the '\' is removed). */
static bool def_piece(const char **v, size_t *n)
{
	bool cont;
	skip_blanks(v, n);
	*n = cfg_line_code(*v, *n, &cont);
	while (*n && cfg_is_blank((*v)[*n - 1]))
		(*n)--;
	cfg_line_code(*v, *n, &cont);
	if (!cont)
		return false;
	(*n)--; /* the backslash, last after trimming */
	while (*n && cfg_is_blank((*v)[*n - 1]))
		(*n)--;
	return true;
}

/* $NAME=VALUE, and when VALUE ends with '\' the following lines up to one
 * without it: each keeps its own line in the value. */
static void read_definition(struct lex *lx, const struct cfg_where *w, struct src *s,
			    const char *t, size_t n, size_t nlen, bool keep, struct sbuf *val)
{
	const char *v = t + nlen + 2;
	size_t vn = n - nlen - 2;
	bool more = def_piece(&v, &vn);
	val->n = 0;
	sbuf_add(val, v, vn);
	while (more && src_next(lx, w, s, &v, &vn)) {
		more = def_piece(&v, &vn);
		if (!vn && !more)
			break; /* an empty line ends the definition */
		if (vn && val->n)
			sbuf_addc(val, '\n');
		sbuf_add(val, v, vn);
	}
	if (keep)
		cfg_expand_define(lx->x, t + 1, nlen, val->p ? val->p : "", val->n);
}

/* Split a file into logical lines: conditionals decide whether a line is
 * kept, definitions are recorded, continued lines are joined with a space
 * and reported at their first line. */
static void read_lines(struct lex *lx, struct cfg_where *w, const char *buf, size_t len)
{
	struct src s = {buf, len, 0, 0};
	struct sbuf join = {0};
	const char *t, *u;
	size_t n, un;
	while (!cfg_expand_stopped(lx->x) && src_next(lx, w, &s, &t, &n)) {
		w->line = s.line;
		skip_blanks(&t, &n);
		if (!n)
			continue;
		bool keep = true, cont;
		if (t[0] == '@') {
			size_t off = cfg_expand_condition(lx->x, t, n, &keep);
			t += off;
			n -= off;
		}
		size_t nlen = cfg_expand_defname(t, n);
		if (nlen) {
			read_definition(lx, w, &s, t, n, nlen, keep, &join);
			continue;
		}
		cfg_line_code(t, n, &cont);
		if (cont) {
			join.n = 0;
			add_continued(&join, t, n);
			while (cont && src_next(lx, w, &s, &u, &un)) {
				skip_blanks(&u, &un);
				sbuf_addc(&join, ' ');
				cfg_line_code(u, un, &cont);
				if (cont)
					add_continued(&join, u, un);
				else
					sbuf_add(&join, u, un);
			}
			t = join.p;
			n = join.n;
		}
		if (keep)
			cfg_expand_line(lx->x, w, t, n);
	}
	sbuf_free(&join);
}

static void read_text(struct lex *lx, const char *name, const char *dir, const char *buf,
		      size_t len)
{
	struct cfg_where w = {0};
	w.file_idx = file_index(lx->out, name);
	w.file = lx->out->files[w.file_idx];
	w.dir = dir;
	char *pwd = realpath(dir[0] ? dir : ".", NULL);
	w.pwd = pwd ? pwd : dir;
	if (cfg_expand_charge(lx->x, &w, len) == 0)
		read_lines(lx, &w, buf, len);
	free(pwd);
}

/* ---- entry points ------------------------------------------------------------------ */

static void lex_init(struct lex *lx, const struct cfg_read_opts *opts, struct cfg_tokens *out,
		     struct cfg_diag *diag)
{
	memset(lx, 0, sizeof(*lx));
	lx->opts = opts;
	lx->diag = diag ? diag : &lx->quiet;
	lx->out = out;
	ensure_arena(out);
	lx->max_depth = opts && opts->max_depth ? opts->max_depth : LEX_DEFAULT_DEPTH;
	if (lx->max_depth > LEX_MAX_DEPTH)
		lx->max_depth = LEX_MAX_DEPTH;
	lx->open = xcalloc(lx->max_depth + 1, sizeof(*lx->open));

	char host[HOST_NAME_MAX + 1] = "";
	const char *id = opts ? opts->config_id : NULL;
	if (!id) {
		if (gethostname(host, sizeof(host)) < 0)
			host[0] = '\0';
		host[sizeof(host) - 1] = '\0';
		host[strcspn(host, ".")] = '\0';
		id = host;
	}
	lx->x = cfg_expand_new(id, opts ? opts->max_lines : 0, lx->diag, lex_line, lx);
}

static void lex_done(struct lex *lx)
{
	cfg_expand_free(lx->x);
	sbuf_free(&lx->word);
	free(lx->open);
}

int cfg_read_file(const char *path, const struct cfg_read_opts *opts, struct cfg_tokens *out,
		  struct cfg_diag *diag)
{
	struct lex lx;
	char *buf;
	size_t len;
	struct stat st;
	lex_init(&lx, opts, out, diag);
	int r = load(&lx, NULL, path, &buf, &len, &st);
	if (r == 0) {
		const char *slash = strrchr(path, '/');
		char *dir = !slash ? xstrdup("") : slash == path ? xstrdup("/") :
			    strndup(path, (size_t)(slash - path));
		lx.open[lx.nopen++] = (struct lex_open){st.st_dev, st.st_ino};
		read_text(&lx, path, dir ? dir : "", buf, len);
		free(dir);
		free(buf);
	}
	lex_done(&lx);
	return r;
}

int cfg_read_buf(const char *name, const char *buf, size_t len, const struct cfg_read_opts *opts,
		 struct cfg_tokens *out, struct cfg_diag *diag)
{
	struct lex lx;
	lex_init(&lx, opts, out, diag);
	read_text(&lx, name ? name : "<buffer>", "", buf ? buf : "", buf ? len : 0);
	lex_done(&lx);
	return 0;
}

/* ---- saving and loading -------------------------------------------------------------- */

/*
 * Layout, integers little-endian:
 *   "KACFGTOK"  u32 version  u32 nfiles  u64 ntokens
 *   nfiles x { u32 len, bytes }
 *   ntokens x { u8 kind, u32 file, u32 line, u32 len, bytes }
 * Strings carry no NUL. Every field is checked on loading.
 */
#define TOK_MAGIC   "KACFGTOK"
#define TOK_VERSION 1u
#define TOK_HDR	    (8 + 4 + 4 + 8)
#define TOK_REC	    (1 + 4 + 4 + 4)

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		*p++ = (uint8_t)(v >> (8 * i));
	return p;
}

static uint8_t *put_bytes(uint8_t *p, const char *s, size_t n)
{
	p = put_u32(p, (uint32_t)n);
	memcpy(p, s, n);
	return p + n;
}

void *cfg_tokens_save(const struct cfg_tokens *t, size_t *len)
{
	size_t size = TOK_HDR;
	for (size_t i = 0; i < t->nfiles; i++)
		size += 4 + strlen(t->files[i]);
	for (size_t i = 0; i < t->n; i++)
		size += TOK_REC + strlen(t->tok[i].text);
	uint8_t *buf = xmalloc(size), *p = buf;
	memcpy(p, TOK_MAGIC, 8);
	p = put_u32(p + 8, TOK_VERSION);
	p = put_u32(p, (uint32_t)t->nfiles);
	p = put_u32(p, (uint32_t)t->n);
	p = put_u32(p, (uint32_t)((uint64_t)t->n >> 32));
	for (size_t i = 0; i < t->nfiles; i++)
		p = put_bytes(p, t->files[i], strlen(t->files[i]));
	for (size_t i = 0; i < t->n; i++) {
		*p++ = (uint8_t)t->tok[i].kind;
		p = put_u32(p, t->tok[i].file);
		p = put_u32(p, t->tok[i].line);
		p = put_bytes(p, t->tok[i].text, strlen(t->tok[i].text));
	}
	*len = size;
	return buf;
}

struct rd {
	const uint8_t *p;
	size_t n;
};

static bool get_u32(struct rd *r, uint32_t *v)
{
	if (r->n < 4)
		return false;
	*v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	     (uint32_t)r->p[3] << 24;
	r->p += 4;
	r->n -= 4;
	return true;
}

/* A length-prefixed string without NUL, copied into the arena. */
static const char *get_str(struct rd *r, struct arena *a)
{
	uint32_t len;
	if (!get_u32(r, &len) || len > r->n || memchr(r->p, '\0', len))
		return NULL;
	const char *s = arena_strndup(a, (const char *)r->p, len);
	r->p += len;
	r->n -= len;
	return s;
}

static bool load_token(struct rd *r, struct cfg_tokens *t, uint32_t file0, uint32_t nfiles)
{
	struct cfg_token tok;
	uint32_t file;
	if (r->n < 1)
		return false;
	tok.kind = *r->p++;
	r->n--;
	if (tok.kind > CFG_TOK_EOL || !get_u32(r, &file) || file >= nfiles ||
	    !get_u32(r, &tok.line) || !(tok.text = get_str(r, t->strings)))
		return false;
	if (tok.kind != CFG_TOK_WORD) {
		if (strcmp(tok.text, brace_text[tok.kind]))
			return false;
		tok.text = brace_text[tok.kind];
	}
	tok.file = file0 + file;
	t->tok[t->n++] = tok;
	return true;
}

int cfg_tokens_load(const void *buf, size_t len, struct cfg_tokens *out)
{
	struct rd r = {buf, buf ? len : 0};
	size_t n0 = out->n, f0 = out->nfiles;
	bool was_empty = !out->tok && !out->files && !out->strings;
	uint32_t version, nfiles, lo, hi;
	if (r.n < TOK_HDR || memcmp(r.p, TOK_MAGIC, 8))
		return -1;
	r.p += 8;
	r.n -= 8;
	if (!get_u32(&r, &version) || version != TOK_VERSION || !get_u32(&r, &nfiles) ||
	    !get_u32(&r, &lo) || !get_u32(&r, &hi))
		return -1;
	uint64_t ntok = (uint64_t)hi << 32 | lo;
	if (nfiles > r.n / 4 || ntok > r.n / TOK_REC || f0 + nfiles > UINT32_MAX)
		return -1;
	ensure_arena(out);
	out->files = xrealloc(out->files, (f0 + nfiles + 1) * sizeof(*out->files));
	for (uint32_t i = 0; i < nfiles; i++) {
		const char *name = get_str(&r, out->strings);
		if (!name)
			goto fail;
		out->files[out->nfiles++] = (char *)name;
	}
	if (ntok > r.n / TOK_REC)
		goto fail;
	tok_reserve(out, (size_t)ntok);
	for (uint64_t i = 0; i < ntok; i++)
		if (!load_token(&r, out, (uint32_t)f0, nfiles))
			goto fail;
	if (r.n == 0)
		return 0;
fail:
	if (was_empty) {
		cfg_tokens_free(out);
	} else {
		out->n = n0;
		out->nfiles = f0;
	}
	return -1;
}
