/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_cfg_priv.h - keyword tables and helpers shared by the vrrp_cfg*.c files */
#ifndef KA_VRRP_CFG_PRIV_H
#define KA_VRRP_CFG_PRIV_H

#include "vrrp/vrrp_cfg.h"

/*
 * A list block ("virtual_ipaddress { ... }") fills a struct cfg_list inside
 * its parent; the block's open() returns that list, so one line handler
 * serves every parent that has such a list.
 */
#define VRRP_CFG_LIST_OPEN(fn, type, member)                                              \
	static void *fn(struct cfg_parser *p, void *obj, const struct cfg_args *a)        \
	{                                                                                 \
		return &((type *)obj)->member;                                            \
	}

/* Location of a statement, for objects checked after the walk. */
static inline struct vrrp_cfg_loc vrrp_cfg_loc_of(const struct cfg_args *a)
{
	return (struct vrrp_cfg_loc){ .file = a->file, .line = a->line };
}

/* Allocate a zeroed arena object of type T and append it to list l. */
#define VRRP_CFG_NEW(p, T, l) ((T *)vrrp_cfg_append((p), (l), sizeof(T)))
void *vrrp_cfg_append(struct cfg_parser *p, struct cfg_list *l, size_t size);

/* argv[from..] joined with single spaces, in the arena. */
char *vrrp_cfg_join_words(struct cfg_parser *p, const struct cfg_args *a, unsigned from);

/* The object named name in a list of named objects (instances, scripts,
 * groups...: all start with node and name), or NULL. */
void *vrrp_cfg_find_named(const struct cfg_list *l, const char *name);

/* ---- walking through the words of a list line -------------------------- */

struct vrrp_words {
	struct cfg_parser *p;
	const struct cfg_args *a;
	unsigned i; /* index of the next word */
};

/* The value word after option o (already consumed), or NULL after reporting
 * "'o' needs a value". */
const char *vrrp_words_value(struct vrrp_words *w, const char *o);
static inline const char *vrrp_words_peek(const struct vrrp_words *w)
{
	return w->i < w->a->argc ? w->a->argv[w->i] : NULL;
}

/* ---- pure value parsers (vrrp_cfg_addr.c); 0 or -1 ---------------------- */

int vrrp_parse_u32(const char *s, uint32_t max, uint32_t *out);
int vrrp_parse_scope(const char *s, int *out);
int vrrp_parse_prefix(const char *s, struct ka_addr *out); /* also default/any/all */
int vrrp_parse_realms(const char *s, uint32_t *out);
int vrrp_parse_range(const char *s, uint32_t max, uint32_t *lo, uint32_t *hi);
bool vrrp_ifname_ok(const char *s);
const char *vrrp_scope_name(int scope);

/* Routing table (number, main/local/default, or a name kept for a run-time
 * lookup in rt_tables) and protocol (number, well-known name, or kept name
 * when name is not NULL). 0 or -1 (not reported). */
int vrrp_cfg_parse_table(struct cfg_parser *p, const char *v, uint32_t *table, char **name);
int vrrp_cfg_parse_proto(struct cfg_parser *p, const char *v, int *proto, char **name);

/* Checks a family against the one already seen on the line; reports. */
int vrrp_words_family(struct vrrp_words *w, int *family, int fam, const char *what);

/* ---- list line handlers -------------------------------------------------- */

int vrrp_cfg_vip_line(struct cfg_parser *p, void *list, const struct cfg_args *a);
int vrrp_cfg_saddr_line(struct cfg_parser *p, void *list, const struct cfg_args *a);
int vrrp_cfg_vroute_line(struct cfg_parser *p, void *list, const struct cfg_args *a);
int vrrp_cfg_sroute_line(struct cfg_parser *p, void *list, const struct cfg_args *a);
int vrrp_cfg_vrule_line(struct cfg_parser *p, void *list, const struct cfg_args *a);
int vrrp_cfg_srule_line(struct cfg_parser *p, void *list, const struct cfg_args *a);
int vrrp_cfg_name_line(struct cfg_parser *p, void *list, const struct cfg_args *a);

/* ---- blocks and tables defined in one file, used in another ------------- */

extern const struct cfg_block vrrp_instance_block;
extern const struct cfg_block vrrp_sync_group_block;
extern const struct cfg_block vrrp_script_block;
extern const struct cfg_block vrrp_track_file_block;
extern const struct cfg_block vrrp_track_process_block;
extern const struct cfg_block vrrp_bfd_block;
extern const struct cfg_block vrrp_track_group_block;
extern const struct cfg_block vrrp_garp_group_block;
extern const struct cfg_block vrrp_linkbeat_block;
extern const struct cfg_block vrrp_if_delays_block;

/* The five track_* list blocks, for an object embedding struct vrrp_tracks
 * at offset tracks_off: the instance and sync group tables both use them. */
extern const struct cfg_block vrrp_inst_track_blocks[5];
extern const struct cfg_block vrrp_group_track_blocks[5];

extern const struct cfg_keyword vrrp_instance_kw[];
extern const struct cfg_keyword vrrp_auth_kw[];
extern const struct cfg_keyword vrrp_hmac_kw[];
extern const struct cfg_keyword vrrp_sync_group_kw[];
extern const struct cfg_keyword vrrp_script_kw[];
extern const struct cfg_keyword vrrp_track_file_kw[];
extern const struct cfg_keyword vrrp_track_process_kw[];
extern const struct cfg_keyword vrrp_bfd_kw[];
extern const struct cfg_keyword vrrp_garp_group_kw[];

/* ---- formatting (vrrp_cfg_dump.c) --------------------------------------- */

void vrrp_cfg_format_ipaddr(const struct vrrp_ipaddr *ip, char *buf, size_t len);
void vrrp_cfg_format_route(const struct vrrp_route *r, char *buf, size_t len);
void vrrp_cfg_format_rule(const struct vrrp_rule *r, char *buf, size_t len);

#endif
