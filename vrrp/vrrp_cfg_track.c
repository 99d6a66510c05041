/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_cfg_track.c - trackers: vrrp_script, track_file, vrrp_track_process, bfd_instance,
 * track_* lists, track_group, garp_group, linkbeat_interfaces, interface_up_down_delays */
#include <limits.h>
#include <string.h>

#include "vrrp/vrrp_cfg_priv.h"

#define SEC 1000000LL

/* ---- track_* list lines: NAME [weight W] [reverse|noreverse] ----------- */

static int track_line(struct cfg_parser *p, struct cfg_list *list, const struct cfg_args *a,
		      int lim, bool is_if)
{
	struct vrrp_track_ref tmp = { .loc = vrrp_cfg_loc_of(a) };
	struct vrrp_words w = { p, a, 1 };

	if (is_if && !vrrp_ifname_ok(a->argv[0])) {
		cfg_error(p, a, "track_interface: invalid interface name '%s'", a->argv[0]);
		return -1;
	}
	while (w.i < a->argc) {
		const char *o = a->argv[w.i++], *v;
		long long n;
		if (!strcmp(o, "reverse") || !strcmp(o, "noreverse")) {
			tmp.reverse = o[0] == 'r';
			tmp.reverse_set = true;
			continue;
		}
		if (strcmp(o, "weight")) {
			cfg_error(p, a, "%s: unknown option '%s'", a->argv[0], o);
			return -1;
		}
		if (!(v = vrrp_words_value(&w, o)))
			return -1;
		if (cfg_parse_llong(v, &n) < 0 || n < -lim || n > lim) {
			cfg_error(p, a, "%s: weight '%s' is not in %d..%d", a->argv[0], v, -lim,
				  lim);
			return -1;
		}
		tmp.weight = (int)n;
		tmp.weight_set = true;
	}
	struct vrrp_track_ref *t = VRRP_CFG_NEW(p, struct vrrp_track_ref, list);
	tmp.node = t->node;
	*t = tmp;
	t->name = arena_strdup(cfg_arena(p), a->argv[0]);
	return 0;
}

static int track_if_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	return track_line(p, list, a, 253, true);
}

static int track_253_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	return track_line(p, list, a, 253, false);
}

static int track_254_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	return track_line(p, list, a, 254, false);
}

VRRP_CFG_LIST_OPEN(inst_ifs, struct vrrp_instance_cfg, tracks.ifs)
VRRP_CFG_LIST_OPEN(inst_scripts, struct vrrp_instance_cfg, tracks.scripts)
VRRP_CFG_LIST_OPEN(inst_files, struct vrrp_instance_cfg, tracks.files)
VRRP_CFG_LIST_OPEN(inst_procs, struct vrrp_instance_cfg, tracks.procs)
VRRP_CFG_LIST_OPEN(inst_bfds, struct vrrp_instance_cfg, tracks.bfds)
VRRP_CFG_LIST_OPEN(group_ifs, struct vrrp_sync_group_cfg, tracks.ifs)
VRRP_CFG_LIST_OPEN(group_scripts, struct vrrp_sync_group_cfg, tracks.scripts)
VRRP_CFG_LIST_OPEN(group_files, struct vrrp_sync_group_cfg, tracks.files)
VRRP_CFG_LIST_OPEN(group_procs, struct vrrp_sync_group_cfg, tracks.procs)
VRRP_CFG_LIST_OPEN(group_bfds, struct vrrp_sync_group_cfg, tracks.bfds)

const struct cfg_block vrrp_inst_track_blocks[5] = {
	{ "track_interface", NULL, track_if_line, inst_ifs, NULL },
	{ "track_script", NULL, track_253_line, inst_scripts, NULL },
	{ "track_file", NULL, track_254_line, inst_files, NULL },
	{ "track_process", NULL, track_254_line, inst_procs, NULL },
	{ "track_bfd", NULL, track_253_line, inst_bfds, NULL },
};

const struct cfg_block vrrp_group_track_blocks[5] = {
	{ "track_interface", NULL, track_if_line, group_ifs, NULL },
	{ "track_script", NULL, track_253_line, group_scripts, NULL },
	{ "track_file", NULL, track_254_line, group_files, NULL },
	{ "track_process", NULL, track_254_line, group_procs, NULL },
	{ "track_bfd", NULL, track_253_line, group_bfds, NULL },
};

/* ---- shared pieces --------------------------------------------------------- */

/* Allocate a named top-level object ("KEYWORD NAME {") of type T into list,
 * or return NULL from the open() using it. */
#define NAMED_OPEN(p, a, list, T, var)                                                      \
	do {                                                                                \
		if ((a)->argc != 2) {                                                       \
			cfg_error(p, a, "%s needs exactly one name", (a)->argv[0]);         \
			return NULL;                                                        \
		}                                                                           \
		var = VRRP_CFG_NEW(p, T, list);                                             \
		var->name = arena_strdup(cfg_arena(p), (a)->argv[1]);                       \
		var->loc = vrrp_cfg_loc_of(a);                                              \
	} while (0)

/* "weight W [reverse]" for tracked objects. */
static int parse_weight(struct cfg_parser *p, const struct cfg_args *a, long long lim,
			int *weight, bool *reverse)
{
	long long w;
	if (a->argc < 2 || a->argc > 3) {
		cfg_error(p, a, "weight needs a value and optionally 'reverse'");
		return -1;
	}
	if (cfg_get_int(p, a, a->argv[1], -lim, lim, &w) < 0)
		return -1;
	if (a->argc == 3 && strcmp(a->argv[2], "reverse")) {
		cfg_error(p, a, "weight: unknown option '%s'", a->argv[2]);
		return -1;
	}
	*weight = (int)w;
	*reverse = a->argc == 3;
	return 0;
}

/* ---- vrrp_script NAME { } ------------------------------------------------- */

static void *script_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_script_cfg *s;
	NAMED_OPEN(p, a, &((struct vrrp_cfg *)obj)->scripts, struct vrrp_script_cfg, s);
	s->interval = 1 * SEC;
	s->timeout = VRRP_UNSET_TIMER;
	s->rise = s->fall = 1;
	return s;
}

static void script_close(struct cfg_parser *p, void *obj, const struct cfg_args *open)
{
	struct vrrp_script_cfg *s = obj;

	if (!s->script.cmd)
		cfg_error(p, open, "vrrp_script '%s': no script", s->name);
	if (s->timeout == VRRP_UNSET_TIMER)
		s->timeout = s->interval;
	if (s->user) {
		s->script.user = s->user;
		s->script.group = s->group;
	}
}

/* script CMD  (one quoted word split like a shell) or  script CMD ARG... */
static int script_cmd(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct ka_script *sc = &((struct vrrp_script_cfg *)obj)->script;
	struct arena *ar = cfg_arena(p);

	if (a->argc < 2) {
		cfg_error(p, a, "script needs a command");
		return -1;
	}
	if (a->argc == 2)
		return cfg_get_script(p, a, 1, sc);
	sc->cmd = vrrp_cfg_join_words(p, a, 1);
	sc->argv = arena_alloc(ar, sizeof(char *) * a->argc);
	for (unsigned i = 1; i < a->argc; i++)
		sc->argv[i - 1] = arena_strdup(ar, a->argv[i]);
	return 0;
}

static int script_user(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_script_cfg *s = obj;
	if (a->argc < 2 || a->argc > 3) {
		cfg_error(p, a, "user needs a user name and optionally a group");
		return -1;
	}
	s->user = arena_strdup(cfg_arena(p), a->argv[1]);
	s->group = a->argc == 3 ? arena_strdup(cfg_arena(p), a->argv[2]) : NULL;
	return 0;
}

static int script_weight(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_script_cfg *s = obj;
	return parse_weight(p, a, 253, &s->weight, &s->reverse);
}

/* interval/timeout 0 meant 1 s in keepalived before 2.0.7: keep accepting it. */
static int script_min1s(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_script_cfg *s = obj;
	uint64_t *f = a->argv[0][0] == 'i' ? &s->interval : &s->timeout;
	if (*f == 0) {
		cfg_warning(p, a, "%s 0 is taken as 1 second", a->argv[0]);
		*f = 1 * SEC;
	}
	return 0;
}

#define S_OFF(f) offsetof(struct vrrp_script_cfg, f)

const struct cfg_keyword vrrp_script_kw[] = {
	{ .name = "script", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = script_cmd },
	{ .name = "interval", .type = CFG_TIMER, .off = S_OFF(interval), .min = 0,
	  .max = 4294 * SEC,
	  .handler = script_min1s },
	{ .name = "timeout", .type = CFG_TIMER, .off = S_OFF(timeout), .min = 0, .max = 4294 * SEC,
	  .handler = script_min1s },
	{ .name = "weight", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = script_weight },
	{ .name = "rise", .type = CFG_INT, .off = S_OFF(rise), .min = 1, .max = INT_MAX },
	{ .name = "fall", .type = CFG_INT, .off = S_OFF(fall), .min = 1, .max = INT_MAX },
	{ .name = "user", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = script_user },
	{ .name = "init_fail", .type = CFG_FLAG, .off = S_OFF(init_fail) },
	CFG_END,
};

const struct cfg_block vrrp_script_block = {
	"vrrp_script", vrrp_script_kw, NULL, script_open, script_close,
};

/* ---- track_file NAME { } ------------------------------------------------- */

static void *tfile_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_track_file_cfg *f;
	NAMED_OPEN(p, a, &((struct vrrp_cfg *)obj)->track_files, struct vrrp_track_file_cfg, f);
	f->weight = 1;
	return f;
}

static void tfile_close(struct cfg_parser *p, void *obj, const struct cfg_args *open)
{
	struct vrrp_track_file_cfg *f = obj;
	if (!f->path)
		cfg_error(p, open, "track_file '%s': no file", f->name);
}

static int tfile_weight(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_track_file_cfg *f = obj;
	return parse_weight(p, a, INT_MAX, &f->weight, &f->reverse);
}

/* init_file [VALUE] [overwrite] */
static int tfile_init(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_track_file_cfg *f = obj;

	f->init_file = true;
	for (unsigned i = 1; i < a->argc; i++) {
		if (!strcmp(a->argv[i], "overwrite"))
			f->init_overwrite = true;
		else if (i == 1 && cfg_parse_llong(a->argv[i], &f->init_value) == 0)
			continue;
		else {
			cfg_error(p, a, "init_file: unexpected '%s'", a->argv[i]);
			return -1;
		}
	}
	return 0;
}

const struct cfg_keyword vrrp_track_file_kw[] = {
	{ .name = "file", .type = CFG_STR, .off = offsetof(struct vrrp_track_file_cfg, path) },
	{ .name = "weight", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = tfile_weight },
	{ .name = "init_file", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = tfile_init },
	CFG_END,
};

const struct cfg_block vrrp_track_file_block = {
	"track_file", vrrp_track_file_kw, NULL, tfile_open, tfile_close,
};

/* ---- vrrp_track_process NAME { } ----------------------------------------- */

static void *tproc_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_track_process_cfg *t;
	NAMED_OPEN(p, a, &((struct vrrp_cfg *)obj)->track_procs, struct vrrp_track_process_cfg, t);
	t->quorum = 1;
	t->quorum_max = VRRP_UNSET_UINT;
	return t;
}

static void tproc_close(struct cfg_parser *p, void *obj, const struct cfg_args *open)
{
	struct vrrp_track_process_cfg *t = obj;

	if (!t->process)
		cfg_error(p, open, "vrrp_track_process '%s': no process", t->name);
	/* quorum_max 0: healthy when no such process runs. */
	if (t->quorum_max == 0 && t->quorum <= 1)
		t->quorum = 0;
	else if (t->quorum_max != VRRP_UNSET_UINT && t->quorum > t->quorum_max)
		cfg_error(p, open, "vrrp_track_process '%s': quorum %u is above quorum_max %u",
			  t->name, t->quorum, t->quorum_max);
}

/* process NAME [ARGS...]: arguments imply matching the full command line. */
static int tproc_process(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_track_process_cfg *t = obj;

	if (a->argc < 2) {
		cfg_error(p, a, "process needs a name");
		return -1;
	}
	t->process = arena_strdup(cfg_arena(p), a->argv[1]);
	if (a->argc > 2) {
		t->params = vrrp_cfg_join_words(p, a, 2);
		/* kept apart too: an argument may hold spaces ("a b") */
		t->nparams = a->argc - 2;
		t->paramv = arena_alloc(cfg_arena(p), t->nparams * sizeof(*t->paramv));
		for (unsigned i = 0; i < t->nparams; i++)
			t->paramv[i] = arena_strdup(cfg_arena(p), a->argv[i + 2]);
		if (t->param_match == VRRP_PARAM_MATCH_NONE)
			t->param_match = VRRP_PARAM_MATCH_EXACT;
		t->full_command = true;
	}
	return 0;
}

static int tproc_match(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_track_process_cfg *t = obj;

	if (a->argc == 1)
		t->param_match = VRRP_PARAM_MATCH_EXACT;
	else if (a->argc == 2 && !strcmp(a->argv[1], "initial"))
		t->param_match = VRRP_PARAM_MATCH_INITIAL;
	else if (a->argc == 2 && !strcmp(a->argv[1], "partial"))
		t->param_match = VRRP_PARAM_MATCH_PARTIAL;
	else {
		cfg_error(p, a, "param_match: expected nothing, 'initial' or 'partial'");
		return -1;
	}
	t->full_command = true;
	return 0;
}

static int tproc_weight(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_track_process_cfg *t = obj;
	return parse_weight(p, a, 254, &t->weight, &t->reverse);
}

/* delay T sets both fork_delay and terminate_delay. */
static int tproc_delay(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_track_process_cfg *t = obj;
	uint64_t us;
	if (a->argc != 2) {
		cfg_error(p, a, "delay needs one value");
		return -1;
	}
	if (cfg_get_timer(p, a, a->argv[1], 1, 3600 * SEC, &us) < 0)
		return -1;
	t->fork_delay = t->terminate_delay = us;
	return 0;
}

#define P_OFF(f) offsetof(struct vrrp_track_process_cfg, f)

const struct cfg_keyword vrrp_track_process_kw[] = {
	{ .name = "process", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = tproc_process },
	{ .name = "param_match", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = tproc_match },
	{ .name = "full_command", .type = CFG_FLAG, .off = P_OFF(full_command) },
	{ .name = "weight", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = tproc_weight },
	{ .name = "quorum", .type = CFG_UINT, .off = P_OFF(quorum), .min = 1, .max = 65535 },
	{ .name = "quorum_max", .type = CFG_UINT, .off = P_OFF(quorum_max), .min = 0,
	  .max = 65535 },
	{ .name = "delay", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = tproc_delay },
	{ .name = "terminate_delay", .type = CFG_TIMER, .off = P_OFF(terminate_delay), .min = 1,
	  .max = 3600 * SEC },
	{ .name = "fork_delay", .type = CFG_TIMER, .off = P_OFF(fork_delay), .min = 1,
	  .max = 3600 * SEC },
	CFG_END,
};

const struct cfg_block vrrp_track_process_block = {
	"vrrp_track_process", vrrp_track_process_kw, NULL, tproc_open, tproc_close,
};

/* ---- bfd_instance NAME { } (sessions of the BFD child) ------------------------ */

static void *bfd_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_bfd_cfg *b;
	NAMED_OPEN(p, a, &((struct vrrp_cfg *)obj)->bfds, struct vrrp_bfd_cfg, b);
	b->min_rx = b->min_tx = 10000;
	b->idle_tx = 1000000;
	b->multiplier = 5;
	b->ttl = 255;
	b->hoplimit = 64;
	return b;
}

static void bfd_close(struct cfg_parser *p, void *obj, const struct cfg_args *open)
{
	struct vrrp_bfd_cfg *b = obj;

	if (!b->neighbor.family)
		cfg_error(p, open, "bfd_instance '%s': no neighbor_ip", b->name);
	else if (b->source.family && b->source.family != b->neighbor.family)
		cfg_error(p, open, "bfd_instance '%s': source_ip and neighbor_ip families differ",
			  b->name);
}

/* min_rx / min_tx / idle_tx are milliseconds (decimals allowed). */
static int bfd_ms(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_bfd_cfg *b = obj;
	bool idle = !strcmp(a->argv[0], "idle_tx");
	uint64_t max_ms = idle ? 10000 : 1000, us;

	/* The timer parser reads seconds; the value written here is in ms. */
	if (a->argc != 2 || cfg_parse_timer(a->argv[1], &us) < 0 || us < 1000000 ||
	    us > max_ms * 1000000) {
		cfg_error(p, a, "%s: '%s' is not 1..%llu ms", a->argv[0],
			  a->argc > 1 ? a->argv[1] : "", (unsigned long long)max_ms);
		return -1;
	}
	*(idle ? &b->idle_tx : a->argv[0][4] == 'r' ? &b->min_rx : &b->min_tx) = us / 1000;
	return 0;
}

static int bfd_weight(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_bfd_cfg *b = obj;
	return parse_weight(p, a, 253, &b->weight, &b->reverse);
}

#define B_OFF(f) offsetof(struct vrrp_bfd_cfg, f)

const struct cfg_keyword vrrp_bfd_kw[] = {
	{ .name = "neighbor_ip", .type = CFG_ADDR, .off = B_OFF(neighbor) },
	{ .name = "neighbour_ip", .type = CFG_ADDR, .off = B_OFF(neighbor) },
	{ .name = "source_ip", .type = CFG_ADDR, .off = B_OFF(source) },
	{ .name = "min_rx", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = bfd_ms },
	{ .name = "min_tx", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = bfd_ms },
	{ .name = "idle_tx", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = bfd_ms },
	{ .name = "multiplier", .type = CFG_INT, .off = B_OFF(multiplier), .min = 1, .max = 10 },
	{ .name = "passive", .type = CFG_FLAG, .off = B_OFF(passive) },
	{ .name = "ttl", .type = CFG_INT, .off = B_OFF(ttl), .min = 1, .max = 255 },
	{ .name = "hoplimit", .type = CFG_INT, .off = B_OFF(hoplimit), .min = 1, .max = 255 },
	{ .name = "max_hops", .type = CFG_INT, .off = B_OFF(max_hops), .min = 0, .max = 255 },
	{ .name = "multihop", .type = CFG_BOOL, .off = B_OFF(multihop) },
	{ .name = "weight", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = bfd_weight },
	{ .name = "vrrp", .type = CFG_FLAG, .off = B_OFF(vrrp_only) },
	{ .name = "checker", .type = CFG_FLAG, .off = B_OFF(checker_only) },
	{ .name = "disabled", .type = CFG_FLAG, .off = B_OFF(disabled) },
	CFG_END,
};

const struct cfg_block vrrp_bfd_block = { "bfd_instance", vrrp_bfd_kw, NULL, bfd_open, bfd_close };

/* ---- track_group NAME { group { VI_1 ... } } ----------------------------- */

static void *tgroup_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_track_group_cfg *g;
	NAMED_OPEN(p, a, &((struct vrrp_cfg *)obj)->track_groups, struct vrrp_track_group_cfg, g);
	return g;
}

static void tgroup_close(struct cfg_parser *p, void *obj, const struct cfg_args *open)
{
	struct vrrp_track_group_cfg *g = obj;
	if (!g->members.n)
		cfg_warning(p, open, "track_group '%s' has no members", g->name);
}

VRRP_CFG_LIST_OPEN(tgroup_members, struct vrrp_track_group_cfg, members)

static const struct cfg_block tgroup_members_block = {
	"group", NULL, vrrp_cfg_name_line, tgroup_members, NULL,
};

static const struct cfg_keyword tgroup_kw[] = {
	{ .name = "group", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &tgroup_members_block },
	CFG_END,
};

const struct cfg_block vrrp_track_group_block = {
	"track_group", tgroup_kw, NULL, tgroup_open, tgroup_close,
};

/* ---- garp_group { } ----------------------------------------------------------- */

static void *garp_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	if (a->argc != 1) {
		cfg_error(p, a, "garp_group takes no name");
		return NULL;
	}
	struct vrrp_garp_group_cfg *g = VRRP_CFG_NEW(p, struct vrrp_garp_group_cfg,
						     &((struct vrrp_cfg *)obj)->garp_groups);
	g->loc = vrrp_cfg_loc_of(a);
	g->garp_interval = g->gna_interval = VRRP_UNSET_TIMER;
	return g;
}

static void garp_close(struct cfg_parser *p, void *obj, const struct cfg_args *open)
{
	struct vrrp_garp_group_cfg *g = obj;
	if (g->garp_interval == VRRP_UNSET_TIMER && g->gna_interval == VRRP_UNSET_TIMER)
		cfg_warning(p, open, "garp_group has neither garp_interval nor gna_interval");
	if (!g->ifs.n)
		cfg_warning(p, open, "garp_group has no interface");
}

static int garp_interface(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	if (a->argc != 2 || !vrrp_ifname_ok(a->argv[1])) {
		cfg_error(p, a, "interface needs one valid interface name");
		return -1;
	}
	struct cfg_args one = { 1, a->argv + 1, a->file, a->line };
	return vrrp_cfg_name_line(p, &((struct vrrp_garp_group_cfg *)obj)->ifs, &one);
}

VRRP_CFG_LIST_OPEN(garp_ifs, struct vrrp_garp_group_cfg, ifs)

static const struct cfg_block garp_ifs_block = {
	"interfaces", NULL, vrrp_cfg_name_line, garp_ifs, NULL,
};

#define GG_OFF(f) offsetof(struct vrrp_garp_group_cfg, f)

const struct cfg_keyword vrrp_garp_group_kw[] = {
	{ .name = "garp_interval", .type = CFG_TIMER, .off = GG_OFF(garp_interval), .min = 0,
	  .max = 2147 * SEC },
	{ .name = "gna_interval", .type = CFG_TIMER, .off = GG_OFF(gna_interval), .min = 0,
	  .max = 2147 * SEC },
	{ .name = "interface", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = garp_interface },
	{ .name = "interfaces", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &garp_ifs_block },
	CFG_END,
};

const struct cfg_block vrrp_garp_group_block = {
	"garp_group", vrrp_garp_group_kw, NULL, garp_open, garp_close,
};

/* ---- linkbeat_interfaces { IF [MII|ETHTOOL|IOCTL] } ---------------------- */

static int linkbeat_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	static const struct cfg_enum types[] = {
		{ "MII", VRRP_LB_MII }, { "ETHTOOL", VRRP_LB_ETHTOOL }, { "IOCTL", VRRP_LB_IOCTL },
		{ NULL, 0 },
	};
	int type = VRRP_LB_DEFAULT;

	if (!vrrp_ifname_ok(a->argv[0]) || a->argc > 2) {
		cfg_error(p, a, "linkbeat_interfaces: expected 'IFNAME [MII|ETHTOOL|IOCTL]'");
		return -1;
	}
	for (const struct cfg_enum *e = types; a->argc == 2 && e->name; e++)
		if (!strcmp(a->argv[1], e->name))
			type = e->value;
	if (a->argc == 2 && type == VRRP_LB_DEFAULT) {
		cfg_error(p, a, "linkbeat_interfaces: unknown type '%s' (MII, ETHTOOL or IOCTL)",
			  a->argv[1]);
		return -1;
	}
	struct vrrp_linkbeat_cfg *lb = VRRP_CFG_NEW(p, struct vrrp_linkbeat_cfg, list);
	lb->ifname = arena_strdup(cfg_arena(p), a->argv[0]);
	lb->type = type;
	return 0;
}

/* ---- interface_up_down_delays { IF DOWN [UP] } ----------------------------- */

static int if_delay_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	uint64_t down, up = 0;

	if (!vrrp_ifname_ok(a->argv[0]) || a->argc < 2 || a->argc > 3) {
		cfg_error(p, a, "interface_up_down_delays: expected 'IFNAME DOWN [UP]'");
		return -1;
	}
	if (cfg_get_timer(p, a, a->argv[1], 0, 255 * SEC, &down) < 0 ||
	    (a->argc == 3 && cfg_get_timer(p, a, a->argv[2], 0, 255 * SEC, &up) < 0))
		return -1;
	struct vrrp_if_delay_cfg *d = VRRP_CFG_NEW(p, struct vrrp_if_delay_cfg, list);
	d->ifname = arena_strdup(cfg_arena(p), a->argv[0]);
	d->down = down;
	d->up = up;
	return 0;
}

VRRP_CFG_LIST_OPEN(open_linkbeat, struct vrrp_cfg, linkbeat_ifs)
VRRP_CFG_LIST_OPEN(open_if_delays, struct vrrp_cfg, if_delays)

const struct cfg_block vrrp_linkbeat_block = {
	"linkbeat_interfaces", NULL, linkbeat_line, open_linkbeat, NULL,
};
const struct cfg_block vrrp_if_delays_block = {
	"interface_up_down_delays", NULL, if_delay_line, open_if_delays, NULL,
};
