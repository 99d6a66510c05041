/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfg.h - keepalived.conf grammar engine: token stream, keyword tables, walker */
#ifndef KA_CFG_H
#define KA_CFG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "arena.h"

/*
 * Reading a configuration is two steps:
 *
 *  1. cfg_read_*() (cfg_lex.c) turns files into a flat token stream: it
 *     follows includes, drops comments, applies @id conditionals, $NAME
 *     definitions and ~SEQ generators, removes quotes and splits braces.
 *     It knows no keyword.
 *  2. cfg_walk() (cfg_walk.c) walks the stream against keyword tables that
 *     each subsystem registers, checks value types and ranges, and stores
 *     typed values in objects allocated from one arena.
 *
 * Every problem is reported as "file:line: error: message" (or warning)
 * through a struct cfg_diag, counted, and parsing goes on.
 */

/* ---- diagnostics ---------------------------------------------------- */

enum cfg_level { CFG_LVL_ERROR, CFG_LVL_WARNING, CFG_LVL_NOTE };

struct cfg_diag {
	/* Receives one formatted line ("file:line: error: msg", no newline).
	 * NULL: messages are counted but not shown (children re-reading a
	 * configuration the parent already validated). */
	void (*emit)(void *arg, enum cfg_level lvl, const char *msg);
	void *arg;
	unsigned errors, warnings;
};

void cfg_diag_at(struct cfg_diag *d, enum cfg_level lvl, const char *file, unsigned line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void cfg_diag_vat(struct cfg_diag *d, enum cfg_level lvl, const char *file, unsigned line,
		  const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* ---- token stream (cfg_lex.c) ---------------------------------------- */

enum cfg_tok_kind {
	CFG_TOK_WORD,  /* a word, quotes removed, escapes applied */
	CFG_TOK_OPEN,  /* "{" outside quotes */
	CFG_TOK_CLOSE, /* "}" outside quotes */
	CFG_TOK_EOL,   /* end of a logical line */
};

struct cfg_token {
	const char *text; /* NUL-terminated; "{" / "}" / "" for braces and EOL */
	uint32_t kind;    /* enum cfg_tok_kind */
	uint32_t file;    /* index into cfg_tokens.files */
	uint32_t line;    /* 1-based line in that file */
};

struct cfg_tokens {
	struct cfg_token *tok;
	size_t n, cap;
	char **files; /* file names as given/resolved, for messages */
	size_t nfiles;
	struct arena *strings; /* token texts and file names */
};

struct cfg_read_opts {
	const char *config_id; /* for @ID / @^ID lines; NULL = short host name */
	bool strict_includes;  /* -e: a missing include file is an error */
	unsigned max_depth;    /* include nesting limit; 0 = 32 (at most 128) */
	unsigned max_lines;    /* expansion budget: logical lines after $NAME and ~SEQ
				* expansion, and 64 bytes per line read or produced;
				* reading stops with an error beyond; 0 = 1000000 */
};

/* Read and expand a configuration file. The token stream is appended to
 * *out (initialise it with {0}); release with cfg_tokens_free().
 * Returns 0, or -1 when the top-level file cannot be read (reported). */
int cfg_read_file(const char *path, const struct cfg_read_opts *opts, struct cfg_tokens *out,
		  struct cfg_diag *diag);

/* As cfg_read_file() on an in-memory text named name (tests, fuzzing).
 * Relative includes are resolved against the current directory. */
int cfg_read_buf(const char *name, const char *buf, size_t len, const struct cfg_read_opts *opts,
		 struct cfg_tokens *out, struct cfg_diag *diag);

void cfg_tokens_free(struct cfg_tokens *t);

/* Serialise a token stream into a byte buffer (malloc'ed, *len set) so a
 * child can receive the exact configuration the parent validated, and read
 * it back. cfg_tokens_load() returns 0 or -1 on a malformed buffer. */
void *cfg_tokens_save(const struct cfg_tokens *t, size_t *len);
int cfg_tokens_load(const void *buf, size_t len, struct cfg_tokens *out);

/* ---- keyword tables (cfg_walk.c) -------------------------------------- */

struct cfg_parser;

/* A statement: argv[0] is the keyword (or the first word of a line inside a
 * list block), followed by its arguments. file/line locate argv[0].
 * argv is only valid during the call: copy what you keep into the arena. */
struct cfg_args {
	unsigned argc;
	const char *const *argv;
	const char *file;
	unsigned line;
};

enum cfg_type {
	CFG_FLAG,   /* no argument; stores bool true */
	CFG_BOOL,   /* optional on|off|true|false|yes|no; bare = true; bool */
	CFG_INT,    /* integer in [min,max], decimal or 0x hex; int */
	CFG_UINT,   /* integer in [min,max] (>= 0); unsigned */
	CFG_TIMER,  /* seconds with up to 6 decimals, stored as uint64_t
		     * microseconds; min/max are in microseconds */
	CFG_STR,    /* one word; char * (arena) */
	CFG_ADDR,   /* IPv4/IPv6 address; struct ka_addr */
	CFG_ENUM,   /* one word from .enums (any case); int */
	CFG_SCRIPT, /* command [user [group]]; struct ka_script */
	CFG_CUSTOM, /* .handler does everything */
	CFG_BLOCK,  /* "{ ... }" sub-block described by .block */
	CFG_ANY,    /* accepts any arguments, stores nothing (for keywords with
		     * no effect, like "hashed"); use sparingly */
};

/* Storage offset meaning "validate the value but do not store it". */
#define CFG_NOSTORE ((size_t)-1)

/* Keyword flags */
#define CFG_F_DEPRECATED  0x01u /* warn "deprecated, use <.alias>" */
#define CFG_F_PARSED_ONLY 0x02u /* recognised and checked; no effect yet (doc/) */
#define CFG_F_OPT_ARG     0x04u /* CFG_INT/UINT/TIMER/STR: argument may be missing */
#define CFG_F_REST        0x08u /* CFG_STR: join all remaining words with ' ' */

struct cfg_enum {
	const char *name;
	int value;
};

typedef int (*cfg_handler_fn)(struct cfg_parser *p, void *obj, const struct cfg_args *a);
typedef void *(*cfg_open_fn)(struct cfg_parser *p, void *obj, const struct cfg_args *a);
typedef void (*cfg_close_fn)(struct cfg_parser *p, void *obj, const struct cfg_args *open);

struct cfg_block;

/*
 * Tables are written with designated initializers ({.name = "priority",
 * .type = CFG_UINT, .off = offsetof(...), .min = 1, .max = 255}); positional
 * ones trip -Wmissing-field-initializers. min == max == 0 means the whole
 * range of the stored C type (any timer for CFG_TIMER).
 *
 * After a standard type is stored, .handler (if set) runs as a hook for
 * checks across fields; it is not called when the value was rejected.
 * Handlers report their own errors and return 0 or -1.
 */
struct cfg_keyword {
	const char *name;
	enum cfg_type type;
	size_t off; /* offsetof() in the object, or CFG_NOSTORE */
	long long min, max;
	const struct cfg_enum *enums; /* CFG_ENUM, terminated by {NULL} */
	cfg_handler_fn handler;       /* CFG_CUSTOM; optional post-store hook otherwise */
	const struct cfg_block *block; /* CFG_BLOCK */
	unsigned flags;
	const char *alias; /* for CFG_F_DEPRECATED: the keyword to use instead */
};

/*
 * A sub-block. Either a keyword table (kw) or a list (line): in a list every
 * line inside the braces goes to line() with argv[0] = its first word, as in
 * virtual_ipaddress { 10.0.0.1/24 dev eth0 }.
 * open() creates the object the block fills (NULL on error: the block is
 * skipped); without open() the parent object is used. close() runs at "}"
 * for checks that need the whole block (mandatory keywords, cross-field).
 */
struct cfg_block {
	const char *name;
	const struct cfg_keyword *kw;
	cfg_handler_fn line;
	cfg_open_fn open;
	cfg_close_fn close;
};

/* Keyword table terminator helper. */
#define CFG_END { .name = NULL }

/* ---- walking ----------------------------------------------------------- */

struct cfg_parser *cfg_parser_new(const struct cfg_tokens *t, struct arena *arena,
				  struct cfg_diag *diag);
void cfg_parser_free(struct cfg_parser *p);

/* Register a top-level keyword table and the object its handlers fill.
 * Subsystems (global, vrrp, check) each call this once; the walker looks
 * keywords up in registration order. Returns 0, -1 if the registry is full. */
int cfg_register(struct cfg_parser *p, const struct cfg_keyword *table, void *obj);

/* Walk the whole token stream. Returns the number of errors it reported.
 * Unknown keywords are warnings (a following block is skipped); blocks nest
 * at most 64 deep; unclosed blocks are reported and still close()d. */
unsigned cfg_walk(struct cfg_parser *p);

/* Helpers for handlers. They report through the parser's diag. */
struct arena *cfg_arena(struct cfg_parser *p);
struct cfg_diag *cfg_diagnostics(struct cfg_parser *p);
void cfg_error(struct cfg_parser *p, const struct cfg_args *a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cfg_warning(struct cfg_parser *p, const struct cfg_args *a, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Value parsers: on failure they report "file:line: error: <keyword>: ..."
 * naming the offending text and return -1; 0 on success. */
int cfg_get_int(struct cfg_parser *p, const struct cfg_args *a, const char *s, long long min,
		long long max, long long *out);
int cfg_get_timer(struct cfg_parser *p, const struct cfg_args *a, const char *s, uint64_t min_us,
		  uint64_t max_us, uint64_t *out);
int cfg_get_bool(struct cfg_parser *p, const struct cfg_args *a, const char *s, bool *out);
int cfg_get_addr(struct cfg_parser *p, const struct cfg_args *a, const char *s,
		 struct ka_addr *out);
int cfg_get_enum(struct cfg_parser *p, const struct cfg_args *a, const char *s,
		 const struct cfg_enum *e, int *out);

/* Pure conversions (no reporting), for codecs and tests. */
int cfg_parse_timer(const char *s, uint64_t *usec);   /* "1", "0.01", "1.5" */
int cfg_parse_bool(const char *s, bool *out);         /* on/off/true/false/yes/no */
int cfg_parse_llong(const char *s, long long *out);   /* decimal or 0x hex */

/* Apply one keyword's standard storage to obj from args (used by the walker,
 * exposed for handlers that wrap a standard type). Returns 0 or -1. */
int cfg_store(struct cfg_parser *p, const struct cfg_keyword *kw, void *obj,
	      const struct cfg_args *a);

/* ---- scripts ------------------------------------------------------------ */

/* A command line as written in notify_*, script, misc_path: the first word
 * after the keyword (quotes removed) is split into argv like a shell would
 * with single quotes; optional user and group follow. */
struct ka_script {
	char *cmd;        /* as written, for logs and dumps */
	char **argv;      /* NULL-terminated */
	char *user;       /* NULL = global script_user */
	char *group;      /* NULL = user's primary group */
};

int cfg_get_script(struct cfg_parser *p, const struct cfg_args *a, unsigned first,
		   struct ka_script *out);

/* ---- lists -------------------------------------------------------------- */

/* Intrusive singly linked list of arena objects; embed struct cfg_node as the
 * FIRST member of the element type. Order is configuration order. */
struct cfg_node {
	struct cfg_node *next;
};
struct cfg_list {
	struct cfg_node *head, *tail;
	size_t n;
};
void cfg_list_append(struct cfg_list *l, struct cfg_node *n);
#define cfg_list_for_each(type, var, list)                                              \
	for (type *var = (type *)(void *)(list)->head; var;                              \
	     var = (type *)(void *)((struct cfg_node *)(void *)var)->next)

/* ---- dumping (-d, SIGUSR1) ---------------------------------------------- */

/* Print every stored field of obj described by the table, one per line,
 * indented. Blocks and custom keywords are left to the caller. */
void cfg_dump_fields(FILE *out, const struct cfg_keyword *table, const void *obj, int indent);

#endif
