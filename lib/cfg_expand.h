/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfg_expand.h - $NAME parameters, @id conditionals and ~SEQ generators of the config reader */
#ifndef KA_CFG_EXPAND_H
#define KA_CFG_EXPAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"

/*
 * Internal to the reader (cfg_lex.c). cfg_lex.c splits files into logical
 * lines; this module turns each logical line into zero or more fully
 * expanded lines and hands them back through a callback, which tokenises
 * them and follows includes.
 */

/* Where a line comes from: for messages, relative includes and ${_PWD}. */
struct cfg_where {
	const char *file; /* name used in messages */
	const char *dir;  /* base of relative include patterns; "" = current directory */
	const char *pwd;  /* value of ${_PWD} */
	uint32_t file_idx;
	unsigned line;
};

/* Receives every expanded line (no '\n' inside, comments possibly still
 * there). Returns 0, or -1 to stop the whole read. */
typedef int (*cfg_line_fn)(void *arg, const struct cfg_where *w, const char *text, size_t len);

/* A growable byte buffer (not NUL-terminated unless sbuf_cstr() is used). */
struct sbuf {
	char *p;
	size_t n, cap;
};
void sbuf_add(struct sbuf *b, const char *s, size_t n);
void sbuf_addc(struct sbuf *b, char c);
const char *sbuf_cstr(struct sbuf *b);
void sbuf_free(struct sbuf *b);

struct cfg_expand;

/* config_id is the value @ID lines are compared with (copied); max_lines
 * the budget (see cfg_read_opts.max_lines). */
struct cfg_expand *cfg_expand_new(const char *config_id, unsigned max_lines,
				  struct cfg_diag *diag, cfg_line_fn fn, void *arg);
void cfg_expand_free(struct cfg_expand *x);

/* Expand one logical line (continuations already joined). Returns 0, or -1
 * once reading must stop (budget exhausted or the callback said so). */
int cfg_expand_line(struct cfg_expand *x, const struct cfg_where *w, const char *s, size_t n);

/* s[0] == '@': evaluate the condition. Returns the offset of the rest of
 * the line and sets *keep. */
size_t cfg_expand_condition(const struct cfg_expand *x, const char *s, size_t n, bool *keep);

/* Length of NAME when s starts with "$NAME=", else 0. */
size_t cfg_expand_defname(const char *s, size_t n);

/* Define (or redefine) a parameter; value may contain '\n' (multi-line). */
void cfg_expand_define(struct cfg_expand *x, const char *name, size_t nlen, const char *value,
		       size_t vlen);

/* Account for bytes read or produced. Returns 0, or -1 when the total
 * budget is exhausted (reported once at w; reading stops). */
int cfg_expand_charge(struct cfg_expand *x, const struct cfg_where *w, size_t bytes);
bool cfg_expand_stopped(const struct cfg_expand *x);

/* Syntax helper shared by the reader: the length of s before a comment
 * ('#' or '!' outside quotes), and whether the line's last non-blank
 * character is an unescaped '\' outside quotes (a continuation). */
size_t cfg_line_code(const char *s, size_t n, bool *cont);

static inline bool cfg_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

#endif
