/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_cfg.c - top-level VRRP keywords of keepalived.conf and the model's entry points */
#include <string.h>

#include "vrrp/vrrp_cfg_priv.h"

VRRP_CFG_LIST_OPEN(open_saddrs, struct vrrp_cfg, static_addrs)
VRRP_CFG_LIST_OPEN(open_sroutes, struct vrrp_cfg, static_routes)
VRRP_CFG_LIST_OPEN(open_srules, struct vrrp_cfg, static_rules)

static const struct cfg_block saddr_block = {
	"static_ipaddress", NULL, vrrp_cfg_saddr_line, open_saddrs, NULL,
};
static const struct cfg_block sroute_block = {
	"static_routes", NULL, vrrp_cfg_sroute_line, open_sroutes, NULL,
};
static const struct cfg_block srule_block = {
	"static_rules", NULL, vrrp_cfg_srule_line, open_srules, NULL,
};

#define BLOCK(n, blk, fl, al)                                                               \
	{ .name = (n), .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &(blk), .flags = (fl),  \
	  .alias = (al) }

const struct cfg_keyword vrrp_cfg_keywords[] = {
	BLOCK("vrrp_instance", vrrp_instance_block, 0, NULL),
	BLOCK("vrrp_sync_group", vrrp_sync_group_block, 0, NULL),
	BLOCK("vrrp_script", vrrp_script_block, 0, NULL),
	BLOCK("track_file", vrrp_track_file_block, 0, NULL),
	BLOCK("vrrp_track_file", vrrp_track_file_block, CFG_F_DEPRECATED, "track_file"),
	BLOCK("vrrp_track_process", vrrp_track_process_block, 0, NULL),
	BLOCK("static_ipaddress", saddr_block, 0, NULL),
	BLOCK("static_routes", sroute_block, 0, NULL),
	BLOCK("static_rules", srule_block, 0, NULL),
	BLOCK("track_group", vrrp_track_group_block, 0, NULL),
	BLOCK("garp_group", vrrp_garp_group_block, 0, NULL),
	BLOCK("linkbeat_interfaces", vrrp_linkbeat_block, 0, NULL),
	BLOCK("interface_up_down_delays", vrrp_if_delays_block, 0, NULL),
	BLOCK("bfd_instance", vrrp_bfd_block, 0, NULL),
	CFG_END,
};

struct vrrp_cfg *vrrp_cfg_new(struct arena *a)
{
	return arena_alloc(a, sizeof(struct vrrp_cfg));
}

bool vrrp_cfg_empty(const struct vrrp_cfg *v)
{
	return !v->instances.n && !v->static_addrs.n && !v->static_routes.n &&
	       !v->static_rules.n;
}

/* The objects with a name all start with { node, name }. */
struct named {
	struct cfg_node node;
	char *name;
};
#define SAME_HEAD(T) \
	_Static_assert(offsetof(T, name) == offsetof(struct named, name), #T " layout")
SAME_HEAD(struct vrrp_instance_cfg);
SAME_HEAD(struct vrrp_sync_group_cfg);
SAME_HEAD(struct vrrp_script_cfg);
SAME_HEAD(struct vrrp_track_file_cfg);
SAME_HEAD(struct vrrp_track_process_cfg);
SAME_HEAD(struct vrrp_bfd_cfg);
SAME_HEAD(struct vrrp_track_group_cfg);
SAME_HEAD(struct vrrp_name_ref);

void *vrrp_cfg_find_named(const struct cfg_list *l, const char *name)
{
	cfg_list_for_each(struct named, o, l)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

struct vrrp_instance_cfg *vrrp_cfg_find_instance(const struct vrrp_cfg *v, const char *name)
{
	return vrrp_cfg_find_named(&v->instances, name);
}

struct vrrp_script_cfg *vrrp_cfg_find_script(const struct vrrp_cfg *v, const char *name)
{
	return vrrp_cfg_find_named(&v->scripts, name);
}

struct vrrp_track_file_cfg *vrrp_cfg_find_track_file(const struct vrrp_cfg *v, const char *name)
{
	return vrrp_cfg_find_named(&v->track_files, name);
}
