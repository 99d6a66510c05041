/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_cfg_walk.c - keyword tables, value types, blocks and diagnostics of the walker */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "cfg.h"
#include "util.h"

/* ---- fixture: token builder, captured diagnostics, test tables ---------- */

#define MAX_MSGS 32
#define MAX_EVENTS 32

static char *msgs[MAX_MSGS];
static unsigned nmsgs;
static char events[MAX_EVENTS][128];
static unsigned nevents;

static void capture(void *arg, enum cfg_level lvl, const char *msg)
{
	if (nmsgs < MAX_MSGS)
		msgs[nmsgs++] = xstrdup(msg);
}

static void event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void event(const char *fmt, ...)
{
	va_list ap;
	if (nevents >= MAX_EVENTS)
		return;
	va_start(ap, fmt);
	vsnprintf(events[nevents++], sizeof(events[0]), fmt, ap);
	va_end(ap);
}

static void add_tok(struct cfg_tokens *t, unsigned kind, const char *s, size_t n, unsigned line)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->tok = xrealloc(t->tok, t->cap * sizeof(*t->tok));
	}
	t->tok[t->n++] = (struct cfg_token){
		.text = arena_strndup(t->strings, s, n), .kind = kind, .file = 0, .line = line};
}

/* Words are separated by blanks; "{" and "}" alone are braces; a newline
 * ends a line; |...| makes one word of text with blanks and quotes, as the
 * lexer hands over a quoted script command. */
static void tokenize(struct cfg_tokens *t, const char *s)
{
	unsigned line = 1;

	t->strings = arena_new();
	t->files = xmalloc(sizeof(*t->files));
	t->files[0] = arena_strdup(t->strings, "t.conf");
	t->nfiles = 1;
	while (*s) {
		if (*s == ' ' || *s == '\t') {
			s++;
		} else if (*s == '\n') {
			add_tok(t, CFG_TOK_EOL, "", 0, line++);
			s++;
		} else if (*s == '|') {
			const char *e = strchr(s + 1, '|');
			add_tok(t, CFG_TOK_WORD, s + 1, (size_t)(e - s - 1), line);
			s = e + 1;
		} else {
			size_t n = strcspn(s, " \t\n");
			unsigned kind = CFG_TOK_WORD;
			if (n == 1 && *s == '{')
				kind = CFG_TOK_OPEN;
			else if (n == 1 && *s == '}')
				kind = CFG_TOK_CLOSE;
			add_tok(t, kind, s, n, line);
			s += n;
		}
	}
	add_tok(t, CFG_TOK_EOL, "", 0, line);
}

struct sub {
	struct cfg_node node;
	char *name;
	int weight;
	uint64_t delay;
};

struct obj {
	bool flag, b;
	int i;
	unsigned u;
	uint64_t t;
	char *s, *opt, *rest;
	struct ka_addr addr;
	int e;
	struct ka_script script;
	int hooked;
	int custom_calls;
	struct cfg_list subs;
	struct cfg_list lines;
	bool second;
};

struct line {
	struct cfg_node node;
	char *text;
};

static const struct cfg_enum states[] = {{"MASTER", 1}, {"BACKUP", 2}, {NULL, 0}};

static int hook(struct cfg_parser *p, void *o, const struct cfg_args *a)
{
	struct obj *ob = o;
	event("hook %d", ob->hooked);
	if (ob->hooked == 13) {
		cfg_error(p, a, "'%s': 13 is unlucky", a->argv[0]);
		return -1;
	}
	return 0;
}

static int custom(struct cfg_parser *p, void *o, const struct cfg_args *a)
{
	struct obj *ob = o;
	ob->custom_calls++;
	event("custom argc=%u", a->argc);
	return 0;
}

static void *inst_open(struct cfg_parser *p, void *parent, const struct cfg_args *a)
{
	struct obj *ob = parent;
	if (a->argc != 2) {
		cfg_error(p, a, "'%s' needs one name", a->argv[0]);
		return NULL;
	}
	struct sub *s = arena_alloc(cfg_arena(p), sizeof(*s));
	s->name = arena_strdup(cfg_arena(p), a->argv[1]);
	cfg_list_append(&ob->subs, &s->node);
	event("open %s", a->argv[1]);
	return s;
}

static void inst_close(struct cfg_parser *p, void *o, const struct cfg_args *open)
{
	struct sub *s = o;
	event("close %s %s %u weight=%d", open->argv[0], open->argv[1], open->line, s->weight);
}

static int list_line(struct cfg_parser *p, void *o, const struct cfg_args *a)
{
	struct obj *ob = o;
	struct line *l = arena_alloc(cfg_arena(p), sizeof(*l));
	l->text = arena_strdup(cfg_arena(p), a->argv[0]);
	cfg_list_append(&ob->lines, &l->node);
	event("line %s argc=%u", a->argv[0], a->argc);
	return 0;
}

static const struct cfg_block list_block = {.name = "list", .line = list_line};

static const struct cfg_keyword inst_kw[] = {
	{.name = "weight", .type = CFG_INT, .off = offsetof(struct sub, weight),
		.min = 0, .max = 100},
	{.name = "delay", .type = CFG_TIMER, .off = offsetof(struct sub, delay),
		.min = 0, .max = 10000000},
	CFG_END,
};
static const struct cfg_block inst_block = {
	.name = "inst", .kw = inst_kw, .open = inst_open, .close = inst_close};

static const struct cfg_block deep_block;
static const struct cfg_keyword deep_kw[] = {
	{.name = "deep", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &deep_block},
	{.name = "int", .type = CFG_INT, .off = offsetof(struct obj, i), .min = -5, .max = 100},
	CFG_END,
};
static const struct cfg_block deep_block = {.name = "deep", .kw = deep_kw};

static const struct cfg_keyword top_kw[] = {
	{.name = "flag", .type = CFG_FLAG, .off = offsetof(struct obj, flag)},
	{.name = "bool", .type = CFG_BOOL, .off = offsetof(struct obj, b)},
	{.name = "int", .type = CFG_INT, .off = offsetof(struct obj, i), .min = -5, .max = 100},
	{.name = "uint", .type = CFG_UINT, .off = offsetof(struct obj, u), .min = 1, .max = 255},
	{.name = "timer", .type = CFG_TIMER, .off = offsetof(struct obj, t),
		.min = 10000, .max = 255000000},
	{.name = "anytimer", .type = CFG_TIMER, .off = offsetof(struct obj, t)},
	{.name = "str", .type = CFG_STR, .off = offsetof(struct obj, s)},
	{.name = "opt", .type = CFG_STR, .off = offsetof(struct obj, opt), .flags = CFG_F_OPT_ARG},
	{.name = "rest", .type = CFG_STR, .off = offsetof(struct obj, rest), .flags = CFG_F_REST},
	{.name = "addr", .type = CFG_ADDR, .off = offsetof(struct obj, addr)},
	{.name = "state", .type = CFG_ENUM, .off = offsetof(struct obj, e), .enums = states},
	{.name = "script", .type = CFG_SCRIPT, .off = offsetof(struct obj, script)},
	{.name = "nostore", .type = CFG_INT, .off = CFG_NOSTORE, .min = 1, .max = 10},
	{.name = "old_int", .type = CFG_INT, .off = offsetof(struct obj, i),
		.min = -5, .max = 100, .flags = CFG_F_DEPRECATED, .alias = "int"},
	{.name = "hooked", .type = CFG_INT, .off = offsetof(struct obj, hooked),
		.min = 0, .max = 100, .handler = hook},
	{.name = "custom", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = custom},
	{.name = "any", .type = CFG_ANY, .off = CFG_NOSTORE},
	{.name = "inst", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &inst_block},
	{.name = "list", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &list_block},
	{.name = "deep", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &deep_block},
	{.name = "later_int", .type = CFG_INT, .off = CFG_NOSTORE, .min = 0, .max = 9,
		.flags = CFG_F_PARSED_ONLY},
	{.name = "later_blk", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &inst_block,
		.flags = CFG_F_PARSED_ONLY},
	CFG_END,
};

/* A second table: "str" is shadowed by the first registration. */
static const struct cfg_keyword second_kw[] = {
	{.name = "str", .type = CFG_STR, .off = CFG_NOSTORE},
	{.name = "second", .type = CFG_FLAG, .off = offsetof(struct obj, second)},
	CFG_END,
};

static struct obj obj, obj2;
static struct arena *arena;
static struct cfg_tokens toks;
static struct cfg_diag diag;

static int setup(void **state)
{
	memset(&obj, 0, sizeof(obj));
	memset(&obj2, 0, sizeof(obj2));
	memset(&toks, 0, sizeof(toks));
	diag = (struct cfg_diag){.emit = capture};
	arena = arena_new();
	nmsgs = 0;
	nevents = 0;
	return 0;
}

static int teardown(void **state)
{
	for (unsigned i = 0; i < nmsgs; i++)
		free(msgs[i]);
	free(toks.tok);
	free(toks.files);
	arena_free(toks.strings);
	arena_free(arena);
	return 0;
}

/* Walk text against top_kw (obj) and second_kw (obj2); returns errors. */
static unsigned walk(const char *text)
{
	tokenize(&toks, text);
	struct cfg_parser *p = cfg_parser_new(&toks, arena, &diag);
	assert_int_equal(cfg_register(p, top_kw, &obj), 0);
	assert_int_equal(cfg_register(p, second_kw, &obj2), 0);
	unsigned errors = cfg_walk(p);
	cfg_parser_free(p);
	return errors;
}

/* The captured messages must be exactly the NULL-terminated list. */
static void expect_msgs(const char *first, ...)
{
	va_list ap;
	unsigned i = 0;
	va_start(ap, first);
	for (const char *m = first; m; m = va_arg(ap, const char *), i++) {
		if (i >= nmsgs)
			fail_msg("missing message: %s", m);
		assert_string_equal(msgs[i], m);
	}
	va_end(ap);
	if (i != nmsgs)
		fail_msg("unexpected extra message: %s", msgs[i]);
}

static void expect_events(const char *first, ...)
{
	va_list ap;
	unsigned i = 0;
	va_start(ap, first);
	for (const char *m = first; m; m = va_arg(ap, const char *), i++) {
		if (i >= nevents)
			fail_msg("missing event: %s", m);
		assert_string_equal(events[i], m);
	}
	va_end(ap);
	if (i != nevents)
		fail_msg("unexpected extra event: %s", events[i]);
}

/* ---- value types --------------------------------------------------------- */

static void test_flag_bool(void **state)
{
	assert_int_equal(walk("flag\nbool\n"), 0);
	assert_true(obj.flag);
	assert_true(obj.b);
	expect_msgs(NULL);

	static const char *const offs[] = {"off", "OFF", "false", "No"};
	for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
		bool v = true;
		assert_int_equal(cfg_parse_bool(offs[i], &v), 0);
		assert_false(v);
	}
	static const char *const ons[] = {"on", "True", "YES"};
	for (size_t i = 0; i < ARRAY_SIZE(ons); i++) {
		bool v = false;
		assert_int_equal(cfg_parse_bool(ons[i], &v), 0);
		assert_true(v);
	}
	bool v;
	assert_int_equal(cfg_parse_bool("1", &v), -1);
	assert_int_equal(cfg_parse_bool("", &v), -1);
}

static void test_flag_bool_errors(void **state)
{
	assert_int_equal(walk("bool off\nbool maybe\nflag x\nbool yes no\n"), 1);
	/* the bad value leaves the earlier "off" in place until "yes" */
	assert_true(obj.b);
	assert_true(obj.flag);
	expect_msgs("t.conf:2: error: 'bool': 'maybe' is not a boolean "
		    "(on/off, true/false, yes/no)",
		    "t.conf:3: warning: 'flag': ignoring extra arguments",
		    "t.conf:4: warning: 'bool': ignoring extra arguments", NULL);
	assert_int_equal(diag.warnings, 2);
	assert_int_equal(diag.errors, 1);
}

static void test_ints(void **state)
{
	assert_int_equal(walk("int -5\nuint 0x10\nnostore 3\n"), 0);
	assert_int_equal(obj.i, -5);
	assert_int_equal(obj.u, 16);
	expect_msgs(NULL);
}

static void test_int_errors(void **state)
{
	assert_int_equal(walk("int 7\nint abc\nint 101\nuint 300\nuint -1\nint\n"
			      "int 99999999999999999999\nint 1 2\nnostore 11\nint 0x\nint 1.5\n"),
			 9);
	assert_int_equal(obj.i, 1);
	expect_msgs("t.conf:2: error: 'int': 'abc' is not a number",
		    "t.conf:3: error: 'int': 101 is out of range -5..100",
		    "t.conf:4: error: 'uint': 300 is out of range 1..255",
		    "t.conf:5: error: 'uint': -1 is out of range 1..255",
		    "t.conf:6: error: 'int': missing argument",
		    "t.conf:7: error: 'int': 99999999999999999999 is out of range -5..100",
		    "t.conf:8: warning: 'int': ignoring extra arguments",
		    "t.conf:9: error: 'nostore': 11 is out of range 1..10",
		    "t.conf:10: error: 'int': '0x' is not a number",
		    "t.conf:11: error: 'int': '1.5' is not a number", NULL);
}

static void test_parse_llong(void **state)
{
	long long v;
	assert_int_equal(cfg_parse_llong("0x7fffffffffffffff", &v), 0);
	assert_true(v == 0x7fffffffffffffffLL);
	assert_int_equal(cfg_parse_llong("-9223372036854775808", &v), 0);
	assert_true(v == (-0x7fffffffffffffffLL - 1));
	assert_int_equal(cfg_parse_llong("9223372036854775808", &v), -1);
	assert_int_equal(cfg_parse_llong("+12", &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(cfg_parse_llong("+-1", &v), -1);
	assert_int_equal(cfg_parse_llong("1 ", &v), -1);
	assert_int_equal(cfg_parse_llong(" 1", &v), -1);
	assert_int_equal(cfg_parse_llong("", &v), -1);
	assert_int_equal(cfg_parse_llong("-", &v), -1);
	assert_int_equal(cfg_parse_llong("0XfF", &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(cfg_parse_llong("010", &v), 0);
	assert_int_equal(v, 10);
}

static void test_timers(void **state)
{
	uint64_t us;
	static const struct {
		const char *s;
		uint64_t us;
	} ok[] = {{"1", 1000000}, {"0.01", 10000}, {"1.5", 1500000}, {"0", 0},
		  {"2.000001", 2000001}, {".5", 500000}, {"3.", 3000000},
		  {"1.0000000", 1000000}, {"18446744073708", 18446744073708000000ull}};
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		us = 7;
		assert_int_equal(cfg_parse_timer(ok[i].s, &us), 0);
		assert_true(us == ok[i].us);
	}
	static const char *const bad[] = {"1.0000001", "-1", "+1", "1e3", "", ".", "1..2",
					  "1.5s", "18446744073710", "99999999999999999999999"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(cfg_parse_timer(bad[i], &us), -1);

	assert_int_equal(walk("timer 1.5\n"), 0);
	assert_true(obj.t == 1500000);
}

static void test_timer_errors(void **state)
{
	assert_int_equal(walk("timer 0.25\ntimer 1.0000001\ntimer -1\ntimer 1e3\ntimer 0.001\n"
			      "timer 256\ntimer 99999999999999999999\nanytimer 1\n"),
			 6);
	assert_true(obj.t == 1000000);
	expect_msgs("t.conf:2: error: 'timer': '1.0000001' is finer than a microsecond",
		    "t.conf:3: error: 'timer': '-1' is not a duration in seconds",
		    "t.conf:4: error: 'timer': '1e3' is not a duration in seconds",
		    "t.conf:5: error: 'timer': 0.001 seconds is out of range 0.01..255",
		    "t.conf:6: error: 'timer': 256 seconds is out of range 0.01..255",
		    "t.conf:7: error: 'timer': 99999999999999999999 seconds is out of range "
		    "0.01..255",
		    NULL);
}

static void test_strings(void **state)
{
	assert_int_equal(walk("str hello\nopt\nrest a b  c\nstr x y\nsecond\n"), 0);
	assert_string_equal(obj.s, "x");
	assert_null(obj.opt);
	assert_string_equal(obj.rest, "a b c");
	assert_true(obj2.second);
	expect_msgs("t.conf:4: warning: 'str': ignoring extra arguments", NULL);
}

static void test_string_errors(void **state)
{
	assert_int_equal(walk("str\nrest\nopt v\n"), 2);
	assert_string_equal(obj.opt, "v");
	expect_msgs("t.conf:1: error: 'str': missing argument",
		    "t.conf:2: error: 'rest': missing argument", NULL);
}

static void test_addr(void **state)
{
	char buf[KA_ADDR_STRLEN];
	assert_int_equal(walk("addr 10.1.2.3\n"), 0);
	assert_int_equal(obj.addr.family, AF_INET);
	assert_string_equal(ka_addr_str(&obj.addr, buf), "10.1.2.3");
	teardown(state);
	setup(state);
	assert_int_equal(walk("addr fe80::1\naddr 10.0.0.300\naddr 10.0.0.1/24\naddr\n"), 3);
	assert_int_equal(obj.addr.family, AF_INET6);
	assert_string_equal(ka_addr_str(&obj.addr, buf), "fe80::1");
	expect_msgs("t.conf:2: error: 'addr': '10.0.0.300' is not an IP address",
		    "t.conf:3: error: 'addr': '10.0.0.1/24' is not an IP address",
		    "t.conf:4: error: 'addr': missing argument", NULL);
}

static void test_enum(void **state)
{
	assert_int_equal(walk("state BACKUP\nstate master\nstate FOO\n"), 1);
	assert_int_equal(obj.e, 1);
	expect_msgs("t.conf:3: error: 'state': 'FOO' is not one of MASTER, BACKUP", NULL);
}

/* ---- scripts --------------------------------------------------------------- */

static void test_script(void **state)
{
	assert_int_equal(walk("script |/bin/x arg 'two words' \"\\\"q\\\"\"  back\\ slash| nobody "
			      "nogroup\n"),
			 0);
	const struct ka_script *s = &obj.script;
	assert_string_equal(s->cmd, "/bin/x arg 'two words' \"\\\"q\\\"\"  back\\ slash");
	assert_string_equal(s->argv[0], "/bin/x");
	assert_string_equal(s->argv[1], "arg");
	assert_string_equal(s->argv[2], "two words");
	assert_string_equal(s->argv[3], "\"q\"");
	assert_string_equal(s->argv[4], "back slash");
	assert_null(s->argv[5]);
	assert_string_equal(s->user, "nobody");
	assert_string_equal(s->group, "nogroup");
	expect_msgs(NULL);
}

static void test_script_users(void **state)
{
	assert_int_equal(walk("script /bin/a u1:g1\n"), 0);
	assert_string_equal(obj.script.user, "u1");
	assert_string_equal(obj.script.group, "g1");
	assert_string_equal(obj.script.argv[0], "/bin/a");
	assert_null(obj.script.argv[1]);
	teardown(state);
	setup(state);
	assert_int_equal(walk("script /bin/b\n"), 0);
	assert_null(obj.script.user);
	assert_null(obj.script.group);
	teardown(state);
	setup(state);
	assert_int_equal(walk("script |/bin/c \"x y\"| u :g\n"), 0);
	assert_string_equal(obj.script.argv[1], "x y");
	assert_string_equal(obj.script.group, "g");
	teardown(state);
	setup(state);
	assert_int_equal(walk("script /bin/ok\nscript /bin/d u g extra\nscript |  |\nscript\n"
			      "script |/bin/e 'open|\nscript /bin/f u:g g2\nscript /bin/g :g\n"
			      "script |/bin/h \\|\n"),
			 7);
	/* failed scripts leave the last good one */
	assert_string_equal(obj.script.cmd, "/bin/ok");
	expect_msgs("t.conf:2: error: 'script': too many arguments (expected: command [user "
		    "[group]])",
		    "t.conf:3: error: 'script': empty command",
		    "t.conf:4: error: 'script': missing command",
		    "t.conf:5: error: 'script': unterminated quote in '/bin/e 'open'",
		    "t.conf:6: error: 'script': too many arguments (expected: command [user "
		    "[group]])",
		    "t.conf:7: error: 'script': empty user or group name",
		    "t.conf:8: error: 'script': backslash at the end in '/bin/h \\'", NULL);
}

/* ---- keyword handling --------------------------------------------------- */

static void test_deprecated_hook_custom_any(void **state)
{
	assert_int_equal(walk("old_int 42\nhooked 5\nhooked 13\ncustom a b\nany x y z\nany\n"), 1);
	assert_int_equal(obj.i, 42);
	assert_int_equal(obj.hooked, 13);
	assert_int_equal(obj.custom_calls, 1);
	expect_msgs("t.conf:1: warning: 'old_int' is deprecated, use 'int'",
		    "t.conf:3: error: 'hooked': 13 is unlucky", NULL);
	expect_events("hook 5", "hook 13", "custom argc=3", NULL);
}

static void test_hook_not_called_on_bad_value(void **state)
{
	assert_int_equal(walk("hooked 7\nhooked x\n"), 1);
	assert_int_equal(obj.hooked, 7);
	expect_events("hook 7", NULL);
}

static void test_unknown_keywords(void **state)
{
	assert_int_equal(walk("bogus 1 2\nint 3\nnope {\n int 50\n inner { x }\n}\nint 4\n"
			      "later\n\n{\n int 77\n}\nint 5\n"),
			 0);
	assert_int_equal(obj.i, 5);
	expect_msgs("t.conf:1: warning: unknown keyword 'bogus'",
		    "t.conf:3: warning: unknown keyword 'nope'",
		    "t.conf:8: warning: unknown keyword 'later'", NULL);
	assert_int_equal(diag.warnings, 3);
}

/* A keyword without effect says so once, also for a whole block of them;
 * its value is still checked. */
static void test_parsed_only(void **state)
{
	assert_int_equal(walk("later_int 3\nlater_blk X {\n weight 5\n delay 1\n}\n"
			      "later_int 12\nint 2\n"),
			 1);
	assert_int_equal(obj.i, 2);
	expect_msgs("t.conf:1: warning: 'later_int' is accepted but has no effect in this version",
		    "t.conf:2: warning: 'later_blk' is accepted but has no effect in this version",
		    "t.conf:6: warning: 'later_int' is accepted but has no effect in this version",
		    "t.conf:6: error: 'later_int': 12 is out of range 0..9", NULL);
}

static void test_not_a_block(void **state)
{
	assert_int_equal(walk("int 3 { int 9 }\nint 4\n"), 1);
	assert_int_equal(obj.i, 4);
	expect_msgs("t.conf:1: error: 'int' does not take a block", NULL);
}

/* ---- blocks ----------------------------------------------------------------- */

static void test_block_brace_positions(void **state)
{
	assert_int_equal(walk("inst A {\n weight 10\n}\ninst B\n\n{\n weight 20\n}\n"
			      "inst C { weight 30 }\ninst D\n{ weight 40\n delay 0.5 }\n"),
			 0);
	expect_msgs(NULL);
	expect_events("open A", "close inst A 1 weight=10", "open B", "close inst B 4 weight=20",
		      "open C", "close inst C 9 weight=30", "open D",
		      "close inst D 10 weight=40", NULL);
	assert_int_equal(obj.subs.n, 4);
	const char *names = "ABCD";
	int i = 0;
	cfg_list_for_each(struct sub, s, &obj.subs) {
		assert_int_equal(s->name[0], names[i]);
		assert_int_equal(s->weight, 10 * (i + 1));
		i++;
	}
	assert_int_equal(i, 4);
}

static void test_block_keywords_scoped(void **state)
{
	/* weight is only known inside inst; int only outside it */
	assert_int_equal(walk("weight 5\ninst A {\n int 9\n weight 101\n}\n"), 1);
	assert_int_equal(obj.i, 0);
	expect_msgs("t.conf:1: warning: unknown keyword 'weight'",
		    "t.conf:3: warning: unknown keyword 'int'",
		    "t.conf:4: error: 'weight': 101 is out of range 0..100", NULL);
}

static void test_missing_open_brace(void **state)
{
	assert_int_equal(walk("inst A\nint 3\ninst B }\n"), 3);
	assert_int_equal(obj.i, 3);
	assert_int_equal(obj.subs.n, 0);
	expect_msgs("t.conf:1: error: expected '{' after 'inst'",
		    "t.conf:3: error: expected '{' after 'inst'",
		    "t.conf:3: error: unexpected '}'", NULL);
}

static void test_open_null_skips(void **state)
{
	assert_int_equal(walk("inst {\n weight 500\n bogus\n}\nint 8\n"), 1);
	assert_int_equal(obj.i, 8);
	assert_int_equal(obj.subs.n, 0);
	expect_msgs("t.conf:1: error: 'inst' needs one name", NULL);
	expect_events(NULL);
}

static void test_list_block(void **state)
{
	assert_int_equal(walk("list {\n 10.0.0.1/24 dev eth0\n weight 3\n}\n"
			      "list { one two }\nlist\n{\n nested { x }\n three\n}\n"),
			 1);
	expect_events("line 10.0.0.1/24 argc=3", "line weight argc=2", "line one argc=2",
		      "line three argc=1", NULL);
	assert_int_equal(obj.lines.n, 4);
	expect_msgs("t.conf:8: error: unexpected '{' inside 'list'", NULL);
}

static void test_nested_and_unbalanced(void **state)
{
	assert_int_equal(walk("}\ndeep {\n deep {\n  int 6\n }\n int 7\n}\n}\n"), 2);
	assert_int_equal(obj.i, 7);
	expect_msgs("t.conf:1: error: unexpected '}'", "t.conf:8: error: unexpected '}'", NULL);
}

static void test_missing_close(void **state)
{
	assert_int_equal(walk("inst A {\n weight 1\n deep {\n"), 2);
	/* only "inst" is a block here; deep is unknown inside inst and skipped */
	expect_msgs("t.conf:3: warning: unknown keyword 'deep'",
		    "t.conf:3: error: missing '}' for 'deep' opened here",
		    "t.conf:1: error: missing '}' for 'inst' opened here", NULL);
	/* close() still runs so the block's checks happen */
	expect_events("open A", "close inst A 1 weight=1", NULL);
	teardown(state);
	setup(state);
	assert_int_equal(walk("deep {\n deep\n {\n int 1\n"), 2);
	assert_int_equal(obj.i, 1);
	expect_msgs("t.conf:2: error: missing '}' for 'deep' opened here",
		    "t.conf:1: error: missing '}' for 'deep' opened here", NULL);
	teardown(state);
	setup(state);
	assert_int_equal(walk("int 2\n{\n int 3\n"), 2);
	assert_int_equal(obj.i, 2);
	expect_msgs("t.conf:2: error: unexpected '{'",
		    "t.conf:2: error: missing '}' for block opened here", NULL);
}

static void test_depth_limit(void **state)
{
	char text[1024];
	char *o = text;
	for (int i = 0; i < 70; i++)
		o += sprintf(o, "deep {\n");
	for (int i = 0; i < 70; i++)
		o += sprintf(o, "}\n");
	o += sprintf(o, "int 9\n");
	assert_int_equal(walk(text), 1);
	assert_int_equal(obj.i, 9);
	expect_msgs("t.conf:65: error: 'deep': blocks nested deeper than 64", NULL);
}

static void test_garbage_streams(void **state)
{
	/* streams a lexer could produce from junk: nothing may crash or hang */
	static const char *const junk[] = {
		"{ { { }", "} } } {", "inst A { inst B { list { { } } }", "list {\n{\n}\n",
		"{", "}", "inst", "inst {", "list { x { y { z", "deep { deep { } } } }",
		"script", "custom { }", "\n\n\n", "inst A { weight }"};
	for (size_t i = 0; i < ARRAY_SIZE(junk); i++) {
		teardown(state);
		setup(state);
		walk(junk[i]);
		assert_true(diag.errors + diag.warnings > 0 || i == 12);
	}
}

static void test_empty_stream(void **state)
{
	struct cfg_tokens none = {0};
	struct cfg_parser *p = cfg_parser_new(&none, arena, &diag);
	assert_int_equal(cfg_register(p, top_kw, &obj), 0);
	assert_int_equal(cfg_walk(p), 0);
	assert_ptr_equal(cfg_arena(p), arena);
	assert_ptr_equal(cfg_diagnostics(p), &diag);
	cfg_parser_free(p);
	expect_msgs(NULL);
}

static void test_register_full(void **state)
{
	struct cfg_tokens none = {0};
	struct cfg_parser *p = cfg_parser_new(&none, arena, NULL);
	int rc = 0;
	unsigned n = 0;
	while ((rc = cfg_register(p, top_kw, &obj)) == 0 && n < 1000)
		n++;
	assert_int_equal(rc, -1);
	assert_true(n >= 3);
	cfg_parser_free(p);
}

/* ---- lists and dumping ------------------------------------------------- */

static void test_list_append(void **state)
{
	struct cfg_list l = {0};
	struct line a = {.text = "a"}, b = {.text = "b"};
	cfg_list_append(&l, &a.node);
	cfg_list_append(&l, &b.node);
	assert_int_equal(l.n, 2);
	assert_ptr_equal(l.head, &a.node);
	assert_ptr_equal(l.tail, &b.node);
	assert_null(b.node.next);
}

static void test_dump(void **state)
{
	static const struct cfg_keyword dump_kw[] = {
		{.name = "flag", .type = CFG_FLAG, .off = offsetof(struct obj, flag)},
		{.name = "bool", .type = CFG_BOOL, .off = offsetof(struct obj, b)},
		{.name = "int", .type = CFG_INT, .off = offsetof(struct obj, i),
			.min = -5, .max = 100},
		{.name = "old_int", .type = CFG_INT, .off = offsetof(struct obj, i),
			.flags = CFG_F_DEPRECATED},
		{.name = "uint", .type = CFG_UINT, .off = offsetof(struct obj, u)},
		{.name = "timer", .type = CFG_TIMER, .off = offsetof(struct obj, t)},
		{.name = "str", .type = CFG_STR, .off = offsetof(struct obj, s)},
		{.name = "opt", .type = CFG_STR, .off = offsetof(struct obj, opt)},
		{.name = "addr", .type = CFG_ADDR, .off = offsetof(struct obj, addr)},
		{.name = "state", .type = CFG_ENUM, .off = offsetof(struct obj, e),
			.enums = states},
		{.name = "script", .type = CFG_SCRIPT, .off = offsetof(struct obj, script)},
		{.name = "nostore", .type = CFG_INT, .off = CFG_NOSTORE},
		{.name = "custom", .type = CFG_CUSTOM, .off = offsetof(struct obj, custom_calls),
			.handler = custom},
		{.name = "inst", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &inst_block},
		CFG_END,
	};
	assert_int_equal(walk("bool on\nint -3\ntimer 0.01\nstr hi\naddr 2001:db8::5\n"
			      "state BACKUP\nscript |/bin/n 'a b'| root:wheel\n"),
			 0);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cfg_dump_fields(f, dump_kw, &obj, 2);
	obj.t = 1500000;
	obj.e = 9;
	memset(&obj.script, 0, sizeof(obj.script));
	cfg_dump_fields(f, dump_kw + 5, &obj, 0);
	fclose(f);
	assert_string_equal(text, "  flag = no\n"
				  "  bool = yes\n"
				  "  int = -3\n"
				  "  uint = 0\n"
				  "  timer = 0.01\n"
				  "  str = hi\n"
				  "  addr = 2001:db8::5\n"
				  "  state = BACKUP\n"
				  "  script = /bin/n 'a b' (user root:wheel)\n"
				  "timer = 1.5\n"
				  "str = hi\n"
				  "addr = 2001:db8::5\n"
				  "state = 9\n");
	free(text);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_flag_bool),
		T(test_flag_bool_errors),
		T(test_ints),
		T(test_int_errors),
		T(test_parse_llong),
		T(test_timers),
		T(test_timer_errors),
		T(test_strings),
		T(test_string_errors),
		T(test_addr),
		T(test_enum),
		T(test_script),
		T(test_script_users),
		T(test_deprecated_hook_custom_any),
		T(test_hook_not_called_on_bad_value),
		T(test_unknown_keywords),
		T(test_parsed_only),
	T(test_not_a_block),
		T(test_block_brace_positions),
		T(test_block_keywords_scoped),
		T(test_missing_open_brace),
		T(test_open_null_skips),
		T(test_list_block),
		T(test_nested_and_unbalanced),
		T(test_missing_close),
		T(test_depth_limit),
		T(test_garbage_streams),
		T(test_empty_stream),
		T(test_register_full),
		T(test_list_append),
		T(test_dump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
