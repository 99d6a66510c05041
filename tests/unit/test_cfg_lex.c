/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_cfg_lex.c - config reader: tokens, comments, quotes, includes, parameters, generators */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw */
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cfg.h"

/* ---- helpers ------------------------------------------------------------------ */

/* Temporary directory of the current file test; shown as "$T" in the
 * rendered tokens and messages so expectations do not depend on it. */
static char tmpdir[PATH_MAX];

static void put(char *buf, size_t cap, size_t *o, const char *s)
{
	size_t tl = strlen(tmpdir);
	while (*s && *o + 3 < cap) {
		if (tl && !strncmp(s, tmpdir, tl)) {
			buf[(*o)++] = '$';
			buf[(*o)++] = 'T';
			s += tl;
		} else {
			buf[(*o)++] = *s++;
		}
	}
	buf[*o] = '\0';
}

struct capture {
	char text[32768];
	size_t n;
};

static void cap_emit(void *arg, enum cfg_level lvl, const char *msg)
{
	struct capture *c = arg;
	put(c->text, sizeof(c->text), &c->n, msg);
	put(c->text, sizeof(c->text), &c->n, "\n");
}

static struct capture cap;
static struct cfg_diag diag;
static struct cfg_tokens toks;

static void reset(void)
{
	cfg_tokens_free(&toks);
	memset(&cap, 0, sizeof(cap));
	diag = (struct cfg_diag){.emit = cap_emit, .arg = &cap};
}

/* One line per logical line: "file:line [word] { } ..."; a token whose
 * file/line differs from the line's first token is marked "@file:line". */
static const char *render(const struct cfg_tokens *t)
{
	static char out[65536];
	size_t o = 0;
	bool bol = true;
	uint32_t f = 0, l = 0;
	char num[32];
	out[0] = '\0';
	for (size_t i = 0; i < t->n; i++) {
		const struct cfg_token *k = &t->tok[i];
		assert_true(k->file < t->nfiles);
		snprintf(num, sizeof(num), ":%u", k->line);
		if (bol) {
			put(out, sizeof(out), &o, t->files[k->file]);
			put(out, sizeof(out), &o, num);
			f = k->file;
			l = k->line;
			bol = false;
		} else if (k->file != f || k->line != l) {
			put(out, sizeof(out), &o, " @");
			put(out, sizeof(out), &o, t->files[k->file]);
			put(out, sizeof(out), &o, num);
		}
		switch (k->kind) {
		case CFG_TOK_WORD:
			put(out, sizeof(out), &o, " [");
			put(out, sizeof(out), &o, k->text);
			put(out, sizeof(out), &o, "]");
			break;
		case CFG_TOK_OPEN:
			assert_string_equal(k->text, "{");
			put(out, sizeof(out), &o, " {");
			break;
		case CFG_TOK_CLOSE:
			assert_string_equal(k->text, "}");
			put(out, sizeof(out), &o, " }");
			break;
		case CFG_TOK_EOL:
			assert_string_equal(k->text, "");
			put(out, sizeof(out), &o, "\n");
			bol = true;
			break;
		default:
			fail_msg("bad token kind %u", k->kind);
		}
	}
	if (!bol)
		put(out, sizeof(out), &o, " <no EOL>\n");
	return out;
}

static const char *lex_n(const char *text, size_t len, const struct cfg_read_opts *o)
{
	reset();
	assert_int_equal(cfg_read_buf("t.conf", text, len, o, &toks, &diag), 0);
	return render(&toks);
}

static const char *lex(const char *text)
{
	struct cfg_read_opts o = {.config_id = "node1"};
	return lex_n(text, strlen(text), &o);
}

static void make_tmpdir(void)
{
	char tmpl[] = "/tmp/test_cfg_lex.XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, tmpdir));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void rm_tmpdir(void)
{
	assert_int_equal(nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
	tmpdir[0] = '\0';
}

/* tmpdir/rel, in one of a few rotating buffers */
static const char *tpath(const char *rel)
{
	static char bufs[4][PATH_MAX + 64];
	static unsigned next;
	char *b = bufs[next++ % 4];
	snprintf(b, sizeof(bufs[0]), "%s/%s", tmpdir, rel);
	return b;
}

static void write_file(const char *rel, const char *content)
{
	FILE *f = fopen(tpath(rel), "w");
	assert_non_null(f);
	assert_int_equal(fputs(content, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void make_dir(const char *rel)
{
	assert_int_equal(mkdir(tpath(rel), 0755), 0);
}

static const char *read_path(const char *path, const struct cfg_read_opts *o, int expect)
{
	reset();
	assert_int_equal(cfg_read_file(path, o, &toks, &diag), expect);
	return render(&toks);
}

/* ---- diagnostics ---------------------------------------------------------------- */

static void test_diag_format(void **state)
{
	struct capture c = {0};
	struct cfg_diag d = {.emit = cap_emit, .arg = &c};
	cfg_diag_at(&d, CFG_LVL_ERROR, "a.conf", 3, "bad %s", "thing");
	cfg_diag_at(&d, CFG_LVL_WARNING, "a.conf", 4, "odd %d", 5);
	cfg_diag_at(&d, CFG_LVL_NOTE, "a.conf", 5, "see here");
	cfg_diag_at(&d, CFG_LVL_ERROR, "b.conf", 0, "cannot open");
	assert_string_equal(c.text, "a.conf:3: error: bad thing\n"
				    "a.conf:4: warning: odd 5\n"
				    "a.conf:5: note: see here\n"
				    "b.conf: error: cannot open\n");
	assert_int_equal(d.errors, 2);
	assert_int_equal(d.warnings, 1);

	struct cfg_diag quiet = {0};
	cfg_diag_at(&quiet, CFG_LVL_ERROR, "x", 1, "counted only");
	cfg_diag_at(&quiet, CFG_LVL_WARNING, "x", 1, "counted only");
	assert_int_equal(quiet.errors, 1);
	assert_int_equal(quiet.warnings, 1);
}

/* ---- words, braces, comments, quotes ------------------------------------------- */

static void test_words_and_braces(void **state)
{
	assert_string_equal(lex("global_defs {\n"
				"\trouter_id  r1\n"
				"}\n"
				"vrrp_instance VI_1{state MASTER}\n"
				"a {b} c\n"
				"}x{\n"
				"\"{quoted}\" '}' x\"{\"y\n"
				" \t \n"
				"  \r\n"
				"last"),
			    "t.conf:1 [global_defs] {\n"
			    "t.conf:2 [router_id] [r1]\n"
			    "t.conf:3 }\n"
			    "t.conf:4 [vrrp_instance] [VI_1] { [state] [MASTER] }\n"
			    "t.conf:5 [a] { [b] } [c]\n"
			    "t.conf:6 } [x] {\n"
			    "t.conf:7 [{quoted}] [}] [x{y]\n"
			    "t.conf:10 [last]\n");
	assert_int_equal(diag.errors + diag.warnings, 0);
	assert_int_equal(toks.nfiles, 1);
	assert_string_equal(toks.files[0], "t.conf");
}

static void test_comments(void **state)
{
	assert_string_equal(lex("# full line\n"
				"! bang line\n"
				"   # indented\n"
				"a b # trailing\n"
				"c d! bang trailing\n"
				"e#f\n"
				"\"g # h\" 'i ! j' k\n"
				"l\\#m n\\!o\n"
				"p \"\\#\" {#}\n"),
			    "t.conf:4 [a] [b]\n"
			    "t.conf:5 [c] [d]\n"
			    "t.conf:6 [e]\n"
			    "t.conf:7 [g # h] [i ! j] [k]\n"
			    "t.conf:8 [l#m] [n!o]\n"
			    "t.conf:9 [p] [#] {\n");
	assert_int_equal(diag.errors, 0);
}

static void test_quotes_and_escapes(void **state)
{
	assert_string_equal(lex("a\"b c\"d 'e f'g\n"
				"\"\" ''\n"
				"\"x\\ty\\nz\\r\" \"\\\\ \\\" \\' \\x41\\101\\q\"\n"
				"'no\\tescape \"here\"'\n"
				"say \"it's\" 'a \"b\"'\n"
				"back\\slash \\{x\n"),
			    "t.conf:1 [ab cd] [e fg]\n"
			    "t.conf:2 [] []\n"
			    "t.conf:3 [x\ty\nz\r] [\\ \" ' AAq]\n"
			    "t.conf:4 [no\\tescape \"here\"]\n"
			    "t.conf:5 [say] [it's] [a \"b\"]\n"
			    "t.conf:6 [back\\slash] [\\{x]\n");
	assert_int_equal(diag.errors, 0);
}

static void test_unterminated_quote(void **state)
{
	assert_string_equal(lex("a \"b c\n"
				"d 'e\n"
				"f \"g\\0h\"\n"),
			    "t.conf:1 [a] [b c]\n"
			    "t.conf:2 [d] [e]\n"
			    "t.conf:3 [f] [gh]\n");
	assert_string_equal(cap.text,
			    "t.conf:1: error: unterminated quote\n"
			    "t.conf:2: error: unterminated quote\n"
			    "t.conf:3: error: escape sequence gives a NUL byte (dropped)\n");
	assert_int_equal(diag.errors, 3);
}

/* ---- lines ------------------------------------------------------------------------ */

static void test_continuation(void **state)
{
	assert_string_equal(lex("a b \\\n"   /* 1 */
				"   c d\n"   /* 2 */
				"e\\\n"	     /* 3 */
				"f\n"	     /* 4 */
				"h \\\\\n"   /* 5: escaped, not a continuation */
				"i 'j \\'\n" /* 6: inside quotes */
				"k \\  \n"   /* 7 */
				"\\\n"	     /* 8 */
				"l\n"	     /* 9 */
				"m\n"	     /* 10 */
				"n # c \\\n" /* 11: in a comment */
				"o\n"),	     /* 12 */
			    "t.conf:1 [a] [b] [c] [d]\n"
			    "t.conf:3 [e] [f]\n"
			    "t.conf:5 [h] [\\\\]\n"
			    "t.conf:6 [i] [j \\]\n"
			    "t.conf:7 [k] [l]\n"
			    "t.conf:10 [m]\n"
			    "t.conf:11 [n]\n"
			    "t.conf:12 [o]\n");
	assert_int_equal(diag.errors, 0);
}

static void test_crlf_and_nul(void **state)
{
	static const char text[] = "a b\r\nc\r\n\r\nd\0e\nx\ry\nf";
	struct cfg_read_opts o = {.config_id = "x"};
	assert_string_equal(lex_n(text, sizeof(text) - 1, &o),
			    "t.conf:1 [a] [b]\n"
			    "t.conf:2 [c]\n"
			    "t.conf:5 [x] [y]\n"
			    "t.conf:6 [f]\n");
	assert_string_equal(cap.text, "t.conf:4: error: NUL byte in line (ignored)\n");
	assert_int_equal(diag.errors, 1);
}

/* ---- conditionals -------------------------------------------------------------------- */

static void test_conditionals(void **state)
{
	assert_string_equal(lex("@node1 a\n"
				"@node2 b\n"
				"@^node1 c\n"
				"@^node2 d\n"
				"   @node1 e f\n"
				"@node1\n"
				"@node1x g\n"
				"@node2 h \\\n"
				"  i\n"
				"@node2 $V=dropped\n"
				"@node1 $W=kept\n"
				"j $V $W\n"),
			    "t.conf:1 [a]\n"
			    "t.conf:4 [d]\n"
			    "t.conf:5 [e] [f]\n"
			    "t.conf:12 [j] [$V] [kept]\n");
	assert_int_equal(diag.errors, 0);
}

static void test_conditional_hostname(void **state)
{
	char host[256] = "", text[1024];
	assert_int_equal(gethostname(host, sizeof(host) - 1), 0);
	host[strcspn(host, ".")] = '\0';
	snprintf(text, sizeof(text), "@%s yes\n@^%s no\n@not-%s other\n${_INSTANCE}\n", host,
		 host, host);
	struct cfg_read_opts o = {.config_id = NULL};
	char expect[1024];
	snprintf(expect, sizeof(expect), "t.conf:1 [yes]\nt.conf:4 [%s]\n", host);
	assert_string_equal(lex_n(text, strlen(text), &o), expect);
	/* no opts at all behaves the same */
	assert_string_equal(lex_n(text, strlen(text), NULL), expect);
}

/* ---- parameters -------------------------------------------------------------------------- */

static void test_definitions(void **state)
{
	assert_string_equal(lex("$A=alpha\n"				/* 1 */
				"$B=${A}-beta\n"			/* 2 */
				"x $A ${A} $B\n"			/* 3 */
				"y $Undefined ${Undefined} $Ax $\n"	/* 4 */
				"$A=redefined\n"			/* 5 */
				"z $A '$A' \"$A\" \\$A $A,$A\n"		/* 6 */
				"$C =notdef\n"				/* 7 */
				"$D=two words\n"			/* 8 */
				"w $D\n"				/* 9 */
				"  $E=  spaced  # comment\n"		/* 10 */
				"v [$E] # $A\n"				/* 11 */
				"$G={ a }\n"				/* 12 */
				"blk $G\n"),				/* 13 */
			    "t.conf:3 [x] [alpha] [alpha] [alpha-beta]\n"
			    "t.conf:4 [y] [$Undefined] [$] { [Undefined] } [$Ax] [$]\n"
			    "t.conf:6 [z] [redefined] [$A] [redefined] [\\$A] "
			    "[redefined,redefined]\n"
			    "t.conf:7 [$C] [=notdef]\n"
			    "t.conf:9 [w] [two] [words]\n"
			    "t.conf:11 [v] [[spaced]]\n"
			    "t.conf:13 [blk] { [a] }\n");
	assert_int_equal(diag.errors, 0);
}

static void test_definition_multiline(void **state)
{
	assert_string_equal(lex("$M=first \\\n"	/* 1 */
				"   second $X \\\n"	/* 2 */
				"   third\n"		/* 3 */
				"$X=x\n"		/* 4 */
				"before $M after\n"	/* 5 */
				"$N= \\\n"		/* 6 */
				"  only\n"		/* 7 */
				"use $N\n"		/* 8 */
				"$P=a \\\n"		/* 9 */
				"\n"			/* 10: ends $P */
				"after-empty $P\n"	/* 11 */
				"$M\n"			/* 12 */
				"$B=inst { \\\n"	/* 13 */
				"  \\\n"		/* 14: blank, skipped */
				"  state BACKUP \\\n"	/* 15 */
				"}\n"			/* 16 */
				"$B\n"),		/* 17 */
			    "t.conf:5 [before] [first]\n"
			    "t.conf:5 [second] [x]\n"
			    "t.conf:5 [third] [after]\n"
			    "t.conf:8 [use] [only]\n"
			    "t.conf:11 [after-empty] [a]\n"
			    "t.conf:12 [first]\n"
			    "t.conf:12 [second] [x]\n"
			    "t.conf:12 [third]\n"
			    "t.conf:17 [inst] {\n"
			    "t.conf:17 [state] [BACKUP]\n"
			    "t.conf:17 }\n");
	assert_int_equal(diag.errors, 0);
}

static void test_definition_recursion(void **state)
{
	assert_string_equal(lex("$A=x$A\n"
				"a $A\n"
				"$P=$Q\n"
				"$Q=$P\n"
				"b $Q\n"
				"c\n"),
			    "t.conf:6 [c]\n");
	assert_string_equal(cap.text,
			    "t.conf:2: error: $A: parameters nested too deeply "
			    "(recursive definition?)\n"
			    "t.conf:5: error: $Q: parameters nested too deeply "
			    "(recursive definition?)\n");
}

static void test_predefined(void **state)
{
	char cwd[PATH_MAX], expect[PATH_MAX + 256];
	assert_non_null(realpath(".", cwd));
	setenv("KA_TEST_LEX_VAR", "v#1", 1);
	unsetenv("KA_TEST_LEX_NONE");
	const char *out = lex("${_INSTANCE} $_INSTANCE\n"
			      "${_HASH}x ${_BANG} \"${_HASH}\"\n"
			      "${_ENV KA_TEST_LEX_VAR} a${_ENV KA_TEST_LEX_NONE}b\n"
			      "${_RANDOM 7 7} ${_RANDOM 32767} ${_RANDOM  0  0 }\n"
			      "${_PWD}\n");
	snprintf(expect, sizeof(expect),
		 "t.conf:1 [node1] [node1]\n"
		 "t.conf:2 [#x] [!] [#]\n"
		 "t.conf:3 [v#1] [ab]\n"
		 "t.conf:4 [7] [32767] [0]\n"
		 "t.conf:5 [%s]\n",
		 cwd);
	assert_string_equal(out, expect);
	assert_int_equal(diag.errors, 0);

	/* plain ${_RANDOM} stays within 0..32767 */
	for (int i = 0; i < 50; i++) {
		lex("${_RANDOM}\n");
		assert_int_equal(toks.n, 2);
		char *end;
		long v = strtol(toks.tok[0].text, &end, 10);
		assert_true(*end == '\0' && v >= 0 && v <= 32767);
	}

	lex("${_RANDOM 5 3}\n${_RANDOM x}\n${_RANDOM 1 2 3}\n${_ENV A B}\nok\n");
	assert_string_equal(render(&toks), "t.conf:5 [ok]\n");
	assert_string_equal(cap.text,
			    "t.conf:1: error: ${_RANDOM 5 3}: MIN is greater than MAX\n"
			    "t.conf:2: error: ${_RANDOM x}: expected [MIN [MAX]] (0..4294967295)\n"
			    "t.conf:3: error: ${_RANDOM 1 2 3}: expected [MIN [MAX]] "
			    "(0..4294967295)\n"
			    "t.conf:4: error: ${_ENV A B}: expected one variable name\n");
	unsetenv("KA_TEST_LEX_VAR");
}

/* ---- generators -------------------------------------------------------------------------- */

static void test_generators(void **state)
{
	assert_string_equal(lex("~SEQ(i, 3) a$i\n"		/* 1 */
				"~SEQ(i, 5, 7) b${i}\n"		/* 2 */
				"~SEQ(i, 10, -5, 0) c$i\n"	/* 3 */
				"~SEQ(i, -2) d$i\n"		/* 4 */
				"~SEQx(n, 9, 3, 16) e$n\n"	/* 5 */
				"~LST(v, x, y z, w) f$v\n"	/* 6 */
				"~SEQ(i, 1, 2) ~LST(j, p, q) g$i$j\n" /* 7 */
				"$N=2\n"			/* 8 */
				"~SEQ(i, $N) h$i\n"		/* 9 */
				"~SEQ(i, 3, 2) k$i {\n"		/* 10 */
				"  ~SEQ (i,0x10,0x11) '$i' $i\n"	/* 11 */
				"after $i\n"),			/* 12 */
			    "t.conf:1 [a1]\nt.conf:1 [a2]\nt.conf:1 [a3]\n"
			    "t.conf:2 [b5]\nt.conf:2 [b6]\nt.conf:2 [b7]\n"
			    "t.conf:3 [c10]\nt.conf:3 [c5]\nt.conf:3 [c0]\n"
			    "t.conf:4 [d-1]\nt.conf:4 [d-2]\n"
			    "t.conf:5 [e9]\nt.conf:5 [ec]\nt.conf:5 [ef]\n"
			    "t.conf:6 [fx]\nt.conf:6 [fy] [z]\nt.conf:6 [fw]\n"
			    "t.conf:7 [g1p]\nt.conf:7 [g1q]\nt.conf:7 [g2p]\nt.conf:7 [g2q]\n"
			    "t.conf:9 [h1]\nt.conf:9 [h2]\n"
			    "t.conf:10 [k3] {\nt.conf:10 [k2] {\n"
			    "t.conf:11 [$i] [16]\nt.conf:11 [$i] [17]\n"
			    "t.conf:12 [after] [$i]\n");
	assert_int_equal(diag.errors, 0);
}

/* A generator can define parameters (many: the table grows), and a
 * multi-line parameter can hold generators and conditionals. */
static void test_generated_definitions(void **state)
{
	assert_string_equal(lex("~SEQ(i, 1000) $P$i=v$i\n"
				"x $P1 $P500 ${P1000} $P1001\n"
				"$L= \\\n"
				"~SEQ(k, 2) k$k \\\n"
				"@node1 n1 \\\n"
				"@node2 n2\n"
				"$L\n"),
			    "t.conf:2 [x] [v1] [v500] [v1000] [$P1001]\n"
			    "t.conf:7 [k1]\nt.conf:7 [k2]\nt.conf:7 [n1]\n");
	assert_int_equal(diag.errors, 0);
}

static void test_generator_errors(void **state)
{
	assert_string_equal(lex("~SEQ(i, 1, 0, 5) a\n"
				"~SEQ(i, 1, -1, 5) b\n"
				"~SEQx(i, -1, 3) c\n"
				"~SEQ(1i, 3) d\n"
				"~SEQ(i, x) e\n"
				"~SEQ i, 3 f\n"
				"~LST(v) g\n"
				"~SEQ(i, 1, 2, 3, 4) h\n"
				"~other word\n"),
			    "t.conf:9 [~other] [word]\n");
	assert_string_equal(cap.text,
			    "t.conf:1: error: ~SEQ: step 0 never gets from 1 to 5\n"
			    "t.conf:2: error: ~SEQ: step -1 never gets from 1 to 5\n"
			    "t.conf:3: error: ~SEQx: hexadecimal values must not be negative\n"
			    "t.conf:4: error: ~SEQ: invalid variable name '1i'\n"
			    "t.conf:5: error: ~SEQ: invalid number 'x'\n"
			    "t.conf:6: error: ~SEQ: expected (arguments) after ~SEQ\n"
			    "t.conf:7: error: ~LST: expected (var, value, ...)\n"
			    "t.conf:8: error: ~SEQ: expected (var, [start, [step,]] end)\n");
}

static void test_expansion_budget(void **state)
{
	struct cfg_read_opts o = {.config_id = "n", .max_lines = 100};
	const char *text = "~SEQ(i, 1000000) a$i\nnever\n";
	lex_n(text, strlen(text), &o);
	assert_string_equal(cap.text,
			    "t.conf:1: error: configuration expands to more than 100 lines; "
			    "reading stopped\n");
	assert_int_equal(diag.errors, 1);
	assert_true(toks.n > 0 && toks.n <= 200);
	assert_null(strstr(render(&toks), "never"));

	/* exponential growth through parameters is stopped by the byte budget */
	text = "$A=0123456789\n$B=$A$A$A$A$A$A$A$A\n$C=$B$B$B$B$B$B$B$B\n"
	       "$D=$C$C$C$C$C$C$C$C\n$E=$D$D$D$D$D$D$D$D\n$F=$E$E$E$E$E$E$E$E\nx $F\nnever\n";
	lex_n(text, strlen(text), &o);
	assert_string_equal(cap.text,
			    "t.conf:7: error: configuration expands to more than 6400 bytes; "
			    "reading stopped\n");
	assert_int_equal(toks.n, 0);

	/* many empty substitutions cost budget too */
	text = "$E=\n$A=$E$E$E$E$E$E$E$E$E$E$E$E$E$E$E$E\n$B=$A$A$A$A$A$A$A$A$A$A$A$A$A$A$A$A\n"
	       "$C=$B$B$B$B$B$B$B$B$B$B$B$B$B$B$B$B\nx$C\n";
	lex_n(text, strlen(text), &o);
	assert_int_equal(diag.errors, 1);
	assert_non_null(strstr(cap.text, "reading stopped"));
}

/* ---- includes ------------------------------------------------------------------------------ */

static void test_includes(void **state)
{
	make_tmpdir();
	make_dir("sub");
	make_dir("conf.d");
	make_dir("conf.d/dir.conf");
	write_file("main.conf", "top\n"				/* 1 */
				"include sub/one.conf\n"	/* 2 */
				"block {\n"			/* 3 */
				"  include conf.d/*.conf\n"	/* 4 */
				"}\n"				/* 5 */
				"include sub/{b,a}.conf\n"	/* 6 */
				"@node1 include cond.conf\n"	/* 7 */
				"@node2 include nothere.conf\n"	/* 8 */
				"$F=param.conf\n"		/* 9 */
				"include $F # comment\n"	/* 10 */
				"include missing.conf\n"	/* 11 */
				"includem missing*.conf\n"	/* 12 */
				"end\n");			/* 13 */
	write_file("sub/one.conf", "one\ninclude two.conf\n");
	write_file("sub/two.conf", "two ${_PWD}\n");
	write_file("conf.d/20-b.conf", "b20\n");
	write_file("conf.d/10-a.conf", "a10\n");
	write_file("conf.d/ignored.txt", "no\n");
	write_file("sub/a.conf", "sa\n");
	write_file("sub/b.conf", "sb\n");
	write_file("cond.conf", "cond\n");
	write_file("param.conf", "param\n");

	struct cfg_read_opts o = {.config_id = "node1"};
	/* a brace pattern lists its alternatives in the order written, each sorted */
	assert_string_equal(read_path(tpath("main.conf"), &o, 0),
			    "$T/main.conf:1 [top]\n"
			    "$T/sub/one.conf:1 [one]\n"
			    "$T/sub/two.conf:1 [two] [$T/sub]\n"
			    "$T/main.conf:3 [block] {\n"
			    "$T/conf.d/10-a.conf:1 [a10]\n"
			    "$T/conf.d/20-b.conf:1 [b20]\n"
			    "$T/main.conf:5 }\n"
			    "$T/sub/b.conf:1 [sb]\n"
			    "$T/sub/a.conf:1 [sa]\n"
			    "$T/cond.conf:1 [cond]\n"
			    "$T/param.conf:1 [param]\n"
			    "$T/main.conf:13 [end]\n");
	assert_string_equal(cap.text,
			    "$T/main.conf:11: warning: include $T/missing.conf: no file matches\n"
			    "$T/main.conf:12: error: includem $T/missing*.conf: no file matches\n");
	assert_int_equal(diag.errors, 1);
	assert_int_equal(diag.warnings, 1);
	assert_int_equal(toks.nfiles, 9);
	assert_string_equal(toks.files[0], tpath("main.conf"));

	/* -e: a plain include that matches nothing is an error too */
	o.strict_includes = true;
	read_path(tpath("main.conf"), &o, 0);
	assert_int_equal(diag.errors, 2);
	assert_int_equal(diag.warnings, 0);
	rm_tmpdir();
}

static void test_include_variants(void **state)
{
	static const char *const kw[] = {"includer", "includem", "includew", "includeb",
					 "includea"};
	make_tmpdir();
	write_file("x.conf", "x\n");
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
		char text[256], expect[256];
		snprintf(text, sizeof(text), "%s x.conf\n%s none.conf\n%s\n%s a b\n", kw[i], kw[i],
			 kw[i], kw[i]);
		write_file("main.conf", text);
		assert_string_equal(read_path(tpath("main.conf"), NULL, 0), "$T/x.conf:1 [x]\n");
		snprintf(expect, sizeof(expect),
			 "$T/main.conf:2: error: %s $T/none.conf: no file matches\n"
			 "$T/main.conf:3: error: %s: expected one file name pattern\n"
			 "$T/main.conf:4: error: %s: expected one file name pattern\n",
			 kw[i], kw[i], kw[i]);
		assert_string_equal(cap.text, expect);
	}
	rm_tmpdir();
}

static void test_include_cycle_and_depth(void **state)
{
	make_tmpdir();
	write_file("loop1.conf", "l1\ninclude loop2.conf\n");
	write_file("loop2.conf", "l2\ninclude loop1.conf\n");
	write_file("self.conf", "s\ninclude ./self.conf\n");
	assert_string_equal(read_path(tpath("loop1.conf"), NULL, 0),
			    "$T/loop1.conf:1 [l1]\n$T/loop2.conf:1 [l2]\n");
	assert_string_equal(cap.text, "$T/loop2.conf:2: error: include cycle: $T/loop1.conf is "
				      "already being read\n");
	assert_string_equal(read_path(tpath("self.conf"), NULL, 0), "$T/self.conf:1 [s]\n");
	assert_string_equal(cap.text, "$T/self.conf:2: error: include cycle: $T/./self.conf is "
				      "already being read\n");

	for (int i = 0; i < 6; i++) {
		char name[32], text[64];
		snprintf(name, sizeof(name), "d%d.conf", i);
		snprintf(text, sizeof(text), "d%d\ninclude d%d.conf\n", i, i + 1);
		write_file(name, text);
	}
	struct cfg_read_opts o = {.max_depth = 3};
	assert_string_equal(read_path(tpath("d0.conf"), &o, 0),
			    "$T/d0.conf:1 [d0]\n$T/d1.conf:1 [d1]\n$T/d2.conf:1 [d2]\n"
			    "$T/d3.conf:1 [d3]\n");
	assert_string_equal(cap.text, "$T/d3.conf:2: error: include nesting too deep\n");
	/* the default limit (32) lets the chain reach its end */
	read_path(tpath("d0.conf"), NULL, 0);
	assert_string_equal(cap.text,
			    "$T/d5.conf:2: warning: include $T/d6.conf: no file matches\n");
	rm_tmpdir();
}

static void test_include_unreadable(void **state)
{
	make_tmpdir();
	assert_int_equal(symlink("no-such-target", tpath("dangling.conf")), 0);
	assert_int_equal(mkfifo(tpath("fifo.conf"), 0600), 0);
	write_file("main.conf", "include dangling.conf\ninclude fifo.conf\nok\n");
	assert_string_equal(read_path(tpath("main.conf"), NULL, 0), "$T/main.conf:3 [ok]\n");
	assert_string_equal(cap.text,
			    "$T/main.conf:1: error: $T/dangling.conf: cannot open: No such file or "
			    "directory\n"
			    "$T/main.conf:2: error: $T/fifo.conf: not a regular file\n");

	/* the top-level file */
	assert_string_equal(read_path(tpath("none.conf"), NULL, -1), "");
	assert_string_equal(cap.text,
			    "$T/none.conf: error: cannot open: No such file or directory\n");
	read_path(tmpdir, NULL, -1);
	assert_string_equal(cap.text, "$T: error: not a regular file\n");
	read_path(tpath("fifo.conf"), NULL, -1);
	assert_string_equal(cap.text, "$T/fifo.conf: error: not a regular file\n");
	rm_tmpdir();
}

static void test_include_from_buffer_and_odd_dir(void **state)
{
	char cwd[PATH_MAX];
	make_tmpdir();
	make_dir("sub");
	write_file("sub/a.conf", "sa ${_PWD}\n");
	make_dir("we[i]r*d{x,y}");
	write_file("we[i]r*d{x,y}/main.conf", "include inc.conf\n");
	write_file("we[i]r*d{x,y}/inc.conf", "odd\n");

	/* a buffer's relative includes are relative to the current directory */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmpdir), 0);
	assert_string_equal(lex("include sub/a.conf\n${_PWD}\n"),
			    "sub/a.conf:1 [sa] [$T/sub]\nt.conf:2 [$T]\n");
	assert_int_equal(chdir(cwd), 0);

	/* the including file's directory is not a pattern */
	assert_string_equal(read_path(tpath("we[i]r*d{x,y}/main.conf"), NULL, 0),
			    "$T/we[i]r*d{x,y}/inc.conf:1 [odd]\n");
	assert_int_equal(diag.errors + diag.warnings, 0);

	/* a pattern with too many brace alternatives is refused */
	lex("include {a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}\n");
	assert_string_equal(cap.text, "t.conf:1: error: include {a,b}{a,b}{a,b}{a,b}{a,b}{a,b}"
				      "{a,b}{a,b}{a,b}: more than 256 {,} alternatives\n");
	rm_tmpdir();
}

static void test_include_with_generator(void **state)
{
	make_tmpdir();
	write_file("main.conf", "~SEQ(n, 1, 2) include part$n.conf\n$V=7\ninclude uses.conf\n");
	write_file("part1.conf", "p1\n");
	write_file("part2.conf", "p2\n");
	write_file("uses.conf", "v $V\n$V=8\n");
	assert_string_equal(read_path(tpath("main.conf"), NULL, 0),
			    "$T/part1.conf:1 [p1]\n$T/part2.conf:1 [p2]\n$T/uses.conf:1 [v] [7]\n");
	assert_int_equal(diag.errors + diag.warnings, 0);
	rm_tmpdir();
}

/* ---- token streams ----------------------------------------------------------------------- */

static void test_append(void **state)
{
	reset();
	assert_int_equal(cfg_read_buf("a.conf", "a {\n", 4, NULL, &toks, &diag), 0);
	assert_int_equal(cfg_read_buf("b.conf", "}\nb\n", 4, NULL, &toks, &diag), 0);
	assert_string_equal(render(&toks), "a.conf:1 [a] {\nb.conf:1 }\nb.conf:2 [b]\n");
	assert_int_equal(toks.nfiles, 2);
}

static bool same_tokens(const struct cfg_tokens *a, size_t from, const struct cfg_tokens *b,
			uint32_t file_offset)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct cfg_token *x = &a->tok[from + i], *y = &b->tok[i];
		if (x->kind != y->kind || x->line != y->line || x->file != y->file + file_offset ||
		    strcmp(x->text, y->text))
			return false;
	}
	return true;
}

static void test_save_load(void **state)
{
	lex("global_defs {\n  router_id \"r 1\" '' x{y}\n}\n~SEQ(i, 3) v$i\n");
	assert_true(toks.n > 10);
	size_t len;
	unsigned char *buf = cfg_tokens_save(&toks, &len);
	assert_non_null(buf);

	struct cfg_tokens u = {0};
	assert_int_equal(cfg_tokens_load(buf, len, &u), 0);
	assert_int_equal(u.n, toks.n);
	assert_int_equal(u.nfiles, 1);
	assert_string_equal(u.files[0], "t.conf");
	assert_true(same_tokens(&u, 0, &toks, 0));
	assert_string_equal(render(&u), render(&toks));

	/* loading appends: the second copy's files come after the first's */
	assert_int_equal(cfg_tokens_load(buf, len, &u), 0);
	assert_int_equal(u.n, 2 * toks.n);
	assert_int_equal(u.nfiles, 2);
	assert_true(same_tokens(&u, toks.n, &toks, 1));
	/* a failed load leaves what was there */
	assert_int_equal(cfg_tokens_load(buf, len - 1, &u), -1);
	assert_int_equal(u.n, 2 * toks.n);
	assert_int_equal(u.nfiles, 2);
	cfg_tokens_free(&u);
	cfg_tokens_free(&u); /* zeroed: freeing again is fine */

	/* every truncation fails and leaves an empty stream */
	for (size_t l = 0; l < len; l++) {
		assert_int_equal(cfg_tokens_load(buf, l, &u), -1);
		assert_null(u.tok);
		assert_int_equal(u.n + u.nfiles, 0);
	}
	/* a trailing byte, a bad magic, no buffer */
	unsigned char *big = malloc(len + 1);
	memcpy(big, buf, len);
	big[len] = 0;
	assert_int_equal(cfg_tokens_load(big, len + 1, &u), -1);
	big[0] ^= 1;
	assert_int_equal(cfg_tokens_load(big, len, &u), -1);
	assert_int_equal(cfg_tokens_load(NULL, 0, &u), -1);

	/* flipped bytes either fail or load a consistent stream */
	unsigned ok = 0;
	for (size_t i = 0; i < len; i++) {
		static const unsigned char masks[] = {0x01, 0x80, 0xff};
		for (size_t m = 0; m < sizeof(masks); m++) {
			memcpy(big, buf, len);
			big[i] ^= masks[m];
			if (cfg_tokens_load(big, len, &u) == 0) {
				ok++;
				for (size_t k = 0; k < u.n; k++) {
					assert_true(u.tok[k].file < u.nfiles);
					assert_true(u.tok[k].kind <= CFG_TOK_EOL);
					assert_non_null(u.tok[k].text);
				}
			}
			cfg_tokens_free(&u);
		}
	}
	assert_true(ok > 0); /* e.g. a changed line number or letter is still valid */
	free(big);
	free(buf);

	/* an empty stream round-trips */
	struct cfg_tokens empty = {0}, e2 = {0};
	buf = cfg_tokens_save(&empty, &len);
	assert_int_equal(cfg_tokens_load(buf, len, &e2), 0);
	assert_int_equal(e2.n + e2.nfiles, 0);
	cfg_tokens_free(&e2);
	cfg_tokens_free(&empty);
	free(buf);
}

/* Arbitrary bytes never crash the reader (the fuzzer does this at scale). */
static void test_garbage(void **state)
{
	static const char alphabet[] = "ab{}\"'\\#!$@^~(),=_ \t\r\n\0SEQxLSTincludeA_PWD";
	uint32_t rnd = 12345;
	char text[512];
	struct cfg_read_opts o = {.config_id = "a", .max_lines = 2000};
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(round % 500);
		for (size_t i = 0; i < n; i++) {
			rnd = rnd * 1103515245u + 12345u;
			text[i] = alphabet[(rnd >> 16) % (sizeof(alphabet) - 1)];
		}
		lex_n(text, n, &o);
		size_t len;
		void *buf = cfg_tokens_save(&toks, &len);
		struct cfg_tokens u = {0};
		assert_int_equal(cfg_tokens_load(buf, len, &u), 0);
		assert_int_equal(u.n, toks.n);
		cfg_tokens_free(&u);
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag_format),
		cmocka_unit_test(test_words_and_braces),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_quotes_and_escapes),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_crlf_and_nul),
		cmocka_unit_test(test_conditionals),
		cmocka_unit_test(test_conditional_hostname),
		cmocka_unit_test(test_definitions),
		cmocka_unit_test(test_definition_multiline),
		cmocka_unit_test(test_definition_recursion),
		cmocka_unit_test(test_predefined),
		cmocka_unit_test(test_generators),
		cmocka_unit_test(test_generated_definitions),
		cmocka_unit_test(test_generator_errors),
		cmocka_unit_test(test_expansion_budget),
		cmocka_unit_test(test_includes),
		cmocka_unit_test(test_include_variants),
		cmocka_unit_test(test_include_cycle_and_depth),
		cmocka_unit_test(test_include_unreadable),
		cmocka_unit_test(test_include_from_buffer_and_odd_dir),
		cmocka_unit_test(test_include_with_generator),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_garbage),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	cfg_tokens_free(&toks);
	return r;
}
