/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfg_walk.c - walk a token stream against the registered keyword tables */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "util.h"

/*
 * The walker is a loop over tokens with an explicit stack of open blocks,
 * so a hostile or broken file can neither recurse deeply nor make it loop:
 * every iteration consumes at least one token. It knows no keyword; the
 * tables registered by the subsystems say what each word means.
 */

#define CFG_MAX_TABLES 16
#define CFG_MAX_DEPTH 64

struct cfg_frame {
	const struct cfg_block *blk;
	void *obj;              /* object the block fills */
	struct cfg_args open;   /* the opening statement, for close() */
	const char **argv_own;  /* malloc'ed copy backing open.argv */
	bool ignored;           /* inside a parsed-only block: warned once at its top */
};

struct cfg_table {
	const struct cfg_keyword *kw;
	void *obj;
};

struct cfg_parser {
	const struct cfg_tokens *t;
	struct arena *arena;
	struct cfg_diag *diag;
	struct cfg_diag quiet; /* used when the caller gives no diag */
	struct cfg_table reg[CFG_MAX_TABLES];
	unsigned nreg;
	size_t pos;            /* next token */
	const char **argv;     /* scratch: words of the current statement */
	size_t argcap;
	const char **files;    /* file names copied into arena, by token file index */
	const char *cur_file;  /* location of the current statement */
	unsigned cur_line;
	struct cfg_frame stack[CFG_MAX_DEPTH];
	unsigned depth;        /* number of open blocks */
};

struct cfg_parser *cfg_parser_new(const struct cfg_tokens *t, struct arena *arena,
				  struct cfg_diag *diag)
{
	struct cfg_parser *p = xcalloc(1, sizeof(*p));
	p->t = t;
	p->arena = arena;
	p->diag = diag ? diag : &p->quiet;
	/* Objects keep the file of their statement for later messages; the
	 * names live with the objects, as the token stream may be freed. */
	if (t->files && t->nfiles) {
		p->files = arena_alloc(arena, t->nfiles * sizeof(*p->files));
		for (size_t i = 0; i < t->nfiles; i++)
			p->files[i] = t->files[i] ? arena_strdup(arena, t->files[i]) : NULL;
	}
	return p;
}

void cfg_parser_free(struct cfg_parser *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->depth; i++)
		free(p->stack[i].argv_own);
	free(p->argv);
	free(p);
}

int cfg_register(struct cfg_parser *p, const struct cfg_keyword *table, void *obj)
{
	if (p->nreg >= CFG_MAX_TABLES)
		return -1;
	p->reg[p->nreg].kw = table;
	p->reg[p->nreg].obj = obj;
	p->nreg++;
	return 0;
}

struct arena *cfg_arena(struct cfg_parser *p)
{
	return p->arena;
}

struct cfg_diag *cfg_diagnostics(struct cfg_parser *p)
{
	return p->diag;
}

static void report(struct cfg_parser *p, enum cfg_level lvl, const struct cfg_args *a,
		   const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void report(struct cfg_parser *p, enum cfg_level lvl, const struct cfg_args *a,
		   const char *fmt, va_list ap)
{
	const char *file = a ? a->file : p->cur_file;
	unsigned line = a ? a->line : p->cur_line;
	cfg_diag_vat(p->diag, lvl, file ? file : "?", line, fmt, ap);
}

void cfg_error(struct cfg_parser *p, const struct cfg_args *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(p, CFG_LVL_ERROR, a, fmt, ap);
	va_end(ap);
}

void cfg_warning(struct cfg_parser *p, const struct cfg_args *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(p, CFG_LVL_WARNING, a, fmt, ap);
	va_end(ap);
}

/* ---- token helpers ----------------------------------------------------- */

static const char *tok_file(const struct cfg_parser *p, const struct cfg_token *tk)
{
	if (p->files && tk->file < p->t->nfiles && p->files[tk->file])
		return p->files[tk->file];
	return "?";
}

static unsigned tok_kind(const struct cfg_parser *p, size_t i)
{
	return i < p->t->n ? p->t->tok[i].kind : CFG_TOK_EOL;
}

/* Collect the words from p->pos (a WORD) up to EOL, "{", "}" or the end;
 * p->pos is left on that terminator, which is returned (EOL at the end). */
static unsigned read_stmt(struct cfg_parser *p, struct cfg_args *a)
{
	const struct cfg_tokens *t = p->t;
	size_t start = p->pos, end = start;

	while (end < t->n && t->tok[end].kind == CFG_TOK_WORD)
		end++;
	size_t argc = end - start;
	if (argc + 1 > p->argcap) {
		p->argcap = argc + 16;
		p->argv = xrealloc(p->argv, p->argcap * sizeof(*p->argv));
	}
	for (size_t i = 0; i < argc; i++) {
		const char *s = t->tok[start + i].text;
		p->argv[i] = s ? s : "";
	}
	p->argv[argc] = NULL;

	a->argc = (unsigned)argc;
	a->argv = p->argv;
	a->file = tok_file(p, &t->tok[start]);
	a->line = t->tok[start].line;
	p->cur_file = a->file;
	p->cur_line = a->line;
	p->pos = end;
	return tok_kind(p, end);
}

/* Whether a "{" follows the statement that ended with term, on the same
 * line or after empty lines. If so p->pos is left on it. */
static bool block_follows(struct cfg_parser *p, unsigned term)
{
	if (term == CFG_TOK_OPEN && p->pos < p->t->n)
		return true;
	if (term != CFG_TOK_EOL)
		return false;
	size_t i = p->pos;
	while (i < p->t->n && p->t->tok[i].kind == CFG_TOK_EOL)
		i++;
	if (tok_kind(p, i) != CFG_TOK_OPEN || i >= p->t->n)
		return false;
	p->pos = i;
	return true;
}

static void missing_close(struct cfg_parser *p, const char *file, unsigned line,
			  const char *name)
{
	if (name)
		cfg_diag_at(p->diag, CFG_LVL_ERROR, file, line,
			    "missing '}' for '%s' opened here", name);
	else
		cfg_diag_at(p->diag, CFG_LVL_ERROR, file, line,
			    "missing '}' for block opened here");
}

/* p->pos is on a "{": consume through its matching "}" without looking at
 * anything inside. At the end of the stream the block is reported open, at
 * the statement that opened it (a) or at the "{" itself (a == NULL). */
static void skip_block(struct cfg_parser *p, const struct cfg_args *a)
{
	const struct cfg_token *open = &p->t->tok[p->pos];
	const char *file = a ? a->file : tok_file(p, open);
	unsigned line = a ? a->line : open->line;
	const char *name = a ? a->argv[0] : NULL;
	size_t level = 0;

	for (; p->pos < p->t->n; p->pos++) {
		unsigned kind = p->t->tok[p->pos].kind;
		if (kind == CFG_TOK_OPEN) {
			level++;
		} else if (kind == CFG_TOK_CLOSE && --level == 0) {
			p->pos++;
			return;
		}
	}
	missing_close(p, file, line, name);
}

/* ---- blocks -------------------------------------------------------------- */

static void push_block(struct cfg_parser *p, const struct cfg_keyword *kw, void *obj,
		       const struct cfg_args *a)
{
	struct cfg_frame *f = &p->stack[p->depth++];

	f->blk = kw->block;
	f->obj = obj;
	f->ignored = (kw->flags & CFG_F_PARSED_ONLY) ||
		     (p->depth > 1 && p->stack[p->depth - 2].ignored);
	f->argv_own = xmalloc((a->argc + 1) * sizeof(*f->argv_own));
	memcpy(f->argv_own, a->argv, (a->argc + 1) * sizeof(*f->argv_own));
	f->open = *a;
	f->open.argv = f->argv_own;
	p->pos++; /* the "{" */
}

static void pop_block(struct cfg_parser *p)
{
	struct cfg_frame *f = &p->stack[--p->depth];

	if (f->blk->close)
		f->blk->close(p, f->obj, &f->open);
	free(f->argv_own);
	f->argv_own = NULL;
}

/* A block keyword: find its "{", create the child object and enter. */
static void open_block(struct cfg_parser *p, const struct cfg_keyword *kw, void *parent,
		       const struct cfg_args *a, unsigned term)
{
	if (!block_follows(p, term)) {
		cfg_error(p, a, "expected '{' after '%s'", a->argv[0]);
		return;
	}
	if (!kw->block) {
		cfg_error(p, a, "'%s': no description for its block", a->argv[0]);
		skip_block(p, a);
		return;
	}
	if (p->depth >= CFG_MAX_DEPTH) {
		cfg_error(p, a, "'%s': blocks nested deeper than %d", a->argv[0], CFG_MAX_DEPTH);
		skip_block(p, a);
		return;
	}
	void *obj = parent;
	if (kw->block->open) {
		obj = kw->block->open(p, parent, a);
		if (!obj) {
			/* open() has said why; the contents would only add noise */
			skip_block(p, a);
			return;
		}
	}
	push_block(p, kw, obj, a);
}

/* ---- statements ---------------------------------------------------------- */

static const struct cfg_keyword *kw_find(const struct cfg_keyword *tab, const char *name)
{
	for (; tab && tab->name; tab++)
		if (strcmp(tab->name, name) == 0)
			return tab;
	return NULL;
}

/* Look a keyword up in the current block, or in every registered table at
 * the top level; *obj receives the object it applies to. */
static const struct cfg_keyword *lookup(struct cfg_parser *p, const char *name, void **obj)
{
	if (p->depth) {
		struct cfg_frame *f = &p->stack[p->depth - 1];
		*obj = f->obj;
		return kw_find(f->blk->kw, name);
	}
	for (unsigned i = 0; i < p->nreg; i++) {
		const struct cfg_keyword *kw = kw_find(p->reg[i].kw, name);
		if (kw) {
			*obj = p->reg[i].obj;
			return kw;
		}
	}
	return NULL;
}

static void apply(struct cfg_parser *p, const struct cfg_keyword *kw, void *obj,
		  const struct cfg_args *a)
{
	if (kw->type == CFG_CUSTOM) {
		if (kw->handler)
			kw->handler(p, obj, a);
		return;
	}
	if (cfg_store(p, kw, obj, a) < 0)
		return;
	/* After a standard store the handler is a hook for cross-field checks. */
	if (kw->handler)
		kw->handler(p, obj, a);
}

/* One line inside a list block such as virtual_ipaddress. */
static void list_line(struct cfg_parser *p, struct cfg_frame *f, const struct cfg_args *a,
		      unsigned term)
{
	if (term == CFG_TOK_OPEN) {
		cfg_error(p, a, "unexpected '{' inside '%s'", f->open.argv[0]);
		skip_block(p, a);
		return;
	}
	f->blk->line(p, f->obj, a);
}

static void walk_statement(struct cfg_parser *p)
{
	struct cfg_args a;
	unsigned term = read_stmt(p, &a);

	if (p->depth && p->stack[p->depth - 1].blk->line) {
		list_line(p, &p->stack[p->depth - 1], &a, term);
		return;
	}

	void *obj = NULL;
	const struct cfg_keyword *kw = lookup(p, a.argv[0], &obj);
	if (!kw) {
		cfg_warning(p, &a, "unknown keyword '%s'", a.argv[0]);
		if (block_follows(p, term))
			skip_block(p, &a);
		return;
	}
	if (kw->flags & CFG_F_DEPRECATED) {
		if (kw->alias)
			cfg_warning(p, &a, "'%s' is deprecated, use '%s'", a.argv[0], kw->alias);
		else
			cfg_warning(p, &a, "'%s' is deprecated", a.argv[0]);
	}
	/* Accepting a keyword silently while ignoring it would hide a real
	 * difference from what the operator asked for (auth_hmac, say). */
	if ((kw->flags & CFG_F_PARSED_ONLY) && !(p->depth && p->stack[p->depth - 1].ignored))
		cfg_warning(p, &a, "'%s' is accepted but has no effect in this version",
			    a.argv[0]);
	if (kw->type == CFG_BLOCK) {
		open_block(p, kw, obj, &a, term);
		return;
	}
	if (term == CFG_TOK_OPEN) {
		cfg_error(p, &a, "'%s' does not take a block", a.argv[0]);
		skip_block(p, &a);
		return;
	}
	apply(p, kw, obj, &a);
}

unsigned cfg_walk(struct cfg_parser *p)
{
	unsigned before = p->diag->errors;
	const struct cfg_tokens *t = p->t;

	p->pos = 0;
	while (p->pos < t->n) {
		const struct cfg_token *tk = &t->tok[p->pos];
		p->cur_file = tok_file(p, tk);
		p->cur_line = tk->line;
		switch (tk->kind) {
		case CFG_TOK_WORD:
			walk_statement(p); /* leaves p->pos on EOL or "}" if not used */
			break;
		case CFG_TOK_CLOSE:
			if (p->depth)
				pop_block(p);
			else
				cfg_error(p, NULL, "unexpected '}'");
			p->pos++;
			break;
		case CFG_TOK_OPEN:
			cfg_error(p, NULL, "unexpected '{'");
			skip_block(p, NULL);
			break;
		default: /* EOL, or a kind this walker does not know */
			p->pos++;
			break;
		}
	}
	while (p->depth) {
		struct cfg_frame *f = &p->stack[p->depth - 1];
		missing_close(p, f->open.file, f->open.line, f->open.argv[0]);
		pop_block(p);
	}
	return p->diag->errors - before;
}
