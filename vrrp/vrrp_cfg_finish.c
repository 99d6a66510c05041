/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_cfg_finish.c - after the walk: defaults from global_defs, names, cross-checks */
#include <stdio.h>
#include <string.h>

#include "daemon/global_cfg.h"
#include "vrrp/vrrp_cfg_priv.h"

#define SEC 1000000ull
#define CSEC 10000ull           /* VRRPv3 advert interval unit */
#define V3_MAX_ADVERT (4095 * CSEC)

struct finish {
	struct vrrp_cfg *v;
	const struct global_cfg *g;
	struct cfg_diag *d;
};

#define ERR(f, loc, ...) cfg_diag_at((f)->d, CFG_LVL_ERROR, (loc).file, (loc).line, __VA_ARGS__)
#define WARN(f, loc, ...) \
	cfg_diag_at((f)->d, CFG_LVL_WARNING, (loc).file, (loc).line, __VA_ARGS__)

/* ---- defaults ------------------------------------------------------------ */

/* Built-in values, used when there is no global part (unit use). */
static const struct global_cfg *global_or_builtin(const struct global_cfg *g,
						  struct global_cfg *tmp)
{
	if (g)
		return g;
	memset(tmp, 0, sizeof(*tmp));
	tmp->vrrp_version = 2;
	tmp->vrrp_garp_master_delay = tmp->vrrp_garp_lower_prio_delay = 5 * SEC;
	tmp->vrrp_garp_master_repeat = tmp->vrrp_garp_lower_prio_repeat = 5;
	tmp->vrrp_garp_master_refresh_repeat = 1;
	tmp->vrrp_down_timer_adverts = 3;
	return tmp;
}

static void set_bool(bool *f, uint32_t given, uint32_t bit, bool global)
{
	if (!(given & bit))
		*f = global;
}

static void apply_defaults(struct finish *f, struct vrrp_instance_cfg *vi)
{
	const struct global_cfg *g = f->g;
	uint32_t gv = vi->given;
	bool lower_rep_written = vi->garp_lower_prio_repeat != VRRP_UNSET_UINT;

	if (vi->garp_master_delay == VRRP_UNSET_TIMER)
		vi->garp_master_delay = g->vrrp_garp_master_delay;
	if (vi->garp_master_repeat == VRRP_UNSET_UINT)
		vi->garp_master_repeat = g->vrrp_garp_master_repeat;
	/* lower-prio values follow this instance's master values unless written */
	if (vi->garp_lower_prio_delay == VRRP_UNSET_TIMER)
		vi->garp_lower_prio_delay = vi->garp_master_delay;
	if (vi->garp_lower_prio_repeat == VRRP_UNSET_UINT)
		vi->garp_lower_prio_repeat = vi->garp_master_repeat;
	if (vi->garp_master_refresh == VRRP_UNSET_TIMER)
		vi->garp_master_refresh = g->vrrp_garp_master_refresh;
	if (vi->garp_master_refresh_repeat == VRRP_UNSET_UINT)
		vi->garp_master_refresh_repeat = g->vrrp_garp_master_refresh_repeat;
	if (vi->garp_extra_if == VRRP_UNSET_TIMER && g->vrrp_garp_extra_if) {
		vi->garp_extra_if = g->vrrp_garp_extra_if;
		vi->garp_extra_if_all = g->vrrp_garp_extra_if_all;
	}
	if (!vi->down_timer_adverts)
		vi->down_timer_adverts = (int)g->vrrp_down_timer_adverts;
	if (!vi->down_timer_adverts)
		vi->down_timer_adverts = 3;
	set_bool(&vi->lower_prio_no_advert, gv, VRRP_GIVEN_LOWER_PRIO_NO_ADVERT,
		 g->vrrp_lower_prio_no_advert);
	set_bool(&vi->higher_prio_send_advert, gv, VRRP_GIVEN_HIGHER_PRIO_SEND,
		 g->vrrp_higher_prio_send_advert);
	set_bool(&vi->owner_ignore_adverts, gv, VRRP_GIVEN_OWNER_IGNORE_ADVERTS,
		 g->vrrp_owner_ignore_adverts);
	set_bool(&vi->skip_check_adv_addr, gv, VRRP_GIVEN_SKIP_CHECK_ADV_ADDR,
		 g->vrrp_skip_check_adv_addr);
	set_bool(&vi->strict_mode, gv, VRRP_GIVEN_STRICT_MODE, g->vrrp_strict);
	set_bool(&vi->v3_checksum_as_v2, gv, VRRP_GIVEN_V3_CSUM_AS_V2, g->v3_checksum_as_v2);
	set_bool(&vi->check_unicast_src, gv, VRRP_GIVEN_CHECK_UNICAST_SRC,
		 g->vrrp_check_unicast_src);
	set_bool(&vi->notify_priority_changes, gv, VRRP_GIVEN_NOTIFY_PRIO_CHANGES,
		 g->vrrp_notify_priority_changes);
	if (!(gv & VRRP_GIVEN_SMTP_ALERT))
		vi->smtp_alert = global_cfg_smtp_alert_vrrp(g) == GLOBAL_ON;
	if (vi->accept < 0)
		vi->accept = !vi->strict_mode || vi->priority == 255;
	/* RFC 5798 6.4.3: a master answers a lower priority advert with nothing
	 * (keepalived's strict mode sends no gratuitous ARP for it either) */
	if (vi->strict_mode) {
		if (lower_rep_written && vi->garp_lower_prio_repeat)
			WARN(f, vi->loc, "vrrp_instance '%s': strict mode: garp_lower_prio_repeat "
			     "is not allowed, using 0", vi->name);
		vi->garp_lower_prio_repeat = 0;
	}
}

/* ---- family, version, advert interval ------------------------------------ */

/* "1.6", "2", "40.95" */
static const char *fmt_secs(uint64_t us, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%llu.%06llu", (unsigned long long)(us / SEC),
			 (unsigned long long)(us % SEC));
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

static int list_family(struct finish *f, struct vrrp_instance_cfg *vi)
{
	int fam = AF_UNSPEC;

	cfg_list_for_each(struct vrrp_ipaddr, ip, &vi->vips) {
		if (fam == AF_UNSPEC) {
			fam = ip->addr.family;
		} else if (ip->addr.family != fam) {
			ERR(f, ip->loc, "vrrp_instance '%s': virtual_ipaddress mixes IPv4 and IPv6 "
			    "(put the other family in virtual_ipaddress_excluded)", vi->name);
			break;
		}
	}
	return fam;
}

static void decide_family(struct finish *f, struct vrrp_instance_cfg *vi)
{
	int fam = list_family(f, vi);

	if (vi->unicast_src_ip.family && vi->mcast_src_ip.family &&
	    !ka_addr_equal(&vi->unicast_src_ip, &vi->mcast_src_ip))
		WARN(f, vi->loc, "vrrp_instance '%s': mcast_src_ip and unicast_src_ip differ, "
		     "using unicast_src_ip", vi->name);
	vi->src_ip = vi->unicast_src_ip.family ? vi->unicast_src_ip : vi->mcast_src_ip;
	if (fam == AF_UNSPEC)
		fam = vi->src_ip.family;
	if (fam == AF_UNSPEC && vi->unicast_peers.head)
		fam = ((struct vrrp_peer *)(void *)vi->unicast_peers.head)->addr.family;
	if (fam == AF_UNSPEC)
		fam = vi->mcast_dst.family;
	if (fam == AF_UNSPEC)
		fam = vi->native_ipv6 ? AF_INET6 : AF_INET;
	if (vi->native_ipv6 && fam != AF_INET6)
		ERR(f, vi->loc, "vrrp_instance '%s': native_ipv6 with IPv4 addresses", vi->name);
	vi->family = fam;

	if (vi->src_ip.family && vi->src_ip.family != fam)
		ERR(f, vi->loc, "vrrp_instance '%s': source address is not of the instance's "
		    "family", vi->name);
	if (vi->mcast_dst.family && vi->mcast_dst.family != fam)
		ERR(f, vi->loc, "vrrp_instance '%s': mcast_dst_ip is not of the instance's family",
		    vi->name);
	cfg_list_for_each(struct vrrp_peer, pe, &vi->unicast_peers) {
		if (pe->addr.family != fam)
			ERR(f, pe->loc, "vrrp_instance '%s': unicast_peer is not of the instance's "
			    "family", vi->name);
	}
}

static void decide_version(struct finish *f, struct vrrp_instance_cfg *vi)
{
	int written = vi->version;
	uint64_t adv = vi->advert_int, r;

	if (!vi->version)
		vi->version = f->g->vrrp_version == 3 ? 3 : 2;
	if (vi->family == AF_INET6 && vi->version == 2) {
		if (written == 2)
			WARN(f, vi->loc, "vrrp_instance '%s': IPv6 needs VRRP version 3, using 3",
			     vi->name);
		vi->version = 3;
	}
	if (vi->version == 2) {
		/* v2 adverts carry whole seconds */
		r = (adv + SEC / 2) / SEC * SEC;
		if (r == 0)
			r = SEC;
	} else {
		r = (adv + CSEC / 2) / CSEC * CSEC;
		if (r == 0)
			r = CSEC;
		if (r > V3_MAX_ADVERT)
			r = V3_MAX_ADVERT;
	}
	if (r != adv) {
		char was[32], now[32];
		WARN(f, vi->loc, "vrrp_instance '%s': advert_int %s s is not valid for VRRP "
		     "version %d, using %s s", vi->name, fmt_secs(adv, was, sizeof(was)),
		     vi->version, fmt_secs(r, now, sizeof(now)));
	}
	vi->advert_int = r;
}

/* ---- per-instance checks -------------------------------------------------- */

/* As keepalived does, strict mode sets aside (with a warning) what the RFCs
 * forbid, so the instance runs as they say; only an instance without an
 * address is refused. */
static void strict_checks(struct finish *f, struct vrrp_instance_cfg *vi)
{
	static const char pfx[] = "vrrp_instance '%s': strict mode: %s";

	if (!vi->vips.n)
		ERR(f, vi->loc, pfx, vi->name, "at least one virtual_ipaddress is required");
	if (vi->unicast_peers.n)
		WARN(f, vi->loc, pfx, vi->name, "unicast_peer is not allowed");
	if (vi->auth_type != VRRP_AUTH_NONE)
		WARN(f, vi->loc, pfx, vi->name, "authentication is not allowed, ignored");
	vi->auth_type = VRRP_AUTH_NONE;
	if (vi->preempt_delay)
		WARN(f, vi->loc, pfx, vi->name, "preempt_delay is not allowed, ignored");
	vi->preempt_delay = 0;
	if (vi->state == VRRP_WISH_MASTER && vi->priority != 255) {
		WARN(f, vi->loc, pfx, vi->name, "state MASTER needs priority 255, using BACKUP");
		vi->state = VRRP_WISH_BACKUP;
	}
	if (vi->version == 2 && vi->accept && vi->priority != 255) {
		WARN(f, vi->loc, pfx, vi->name, "accept is not allowed with version 2, "
		     "using no_accept");
		vi->accept = 0;
	}
	if ((vi->given & VRRP_GIVEN_LOWER_PRIO_NO_ADVERT) && !vi->lower_prio_no_advert)
		WARN(f, vi->loc, pfx, vi->name, "lower_prio_no_advert cannot be off, ignored");
	vi->lower_prio_no_advert = true;
	if ((vi->given & VRRP_GIVEN_HIGHER_PRIO_SEND) && vi->higher_prio_send_advert)
		WARN(f, vi->loc, pfx, vi->name, "higher_prio_send_advert is not allowed, ignored");
	vi->higher_prio_send_advert = false;
	if (vi->vmac_xmit_base)
		WARN(f, vi->loc, pfx, vi->name, "vmac_xmit_base is not allowed");
	/* RFC 5798 5.2.9: an IPv6 advert carries the link-local address first */
	if (vi->family == AF_INET6 && vi->vips.n) {
		const struct vrrp_ipaddr *first = (const void *)vi->vips.head;

		if (first->addr.family == AF_INET6 && !IN6_IS_ADDR_LINKLOCAL(&first->addr.u.v6))
			WARN(f, first->loc, pfx, vi->name,
			     "the first IPv6 virtual_ipaddress should be link-local");
	}
}

static void instance_checks(struct finish *f, struct vrrp_instance_cfg *vi)
{
	if (!vi->interface && !vi->unicast_peers.n)
		ERR(f, vi->loc, "vrrp_instance '%s': no interface and no unicast_peer", vi->name);
	if (!vi->interface && vi->unicast_peers.n) {
		cfg_list_for_each(struct vrrp_ipaddr, ip, &vi->vips)
			if (!ip->dev)
				ERR(f, ip->loc, "vrrp_instance '%s': address needs 'dev' since the "
				    "instance has no interface", vi->name);
	}
	/* an interface brings its own VRF (its master); vrf is for the others */
	if (vi->vrf && vi->interface)
		WARN(f, vi->loc, "vrrp_instance '%s': vrf %s is ignored, the VRF of "
		     "interface %s is used", vi->name, vi->vrf, vi->interface);
	if (!vi->vips.n && !vi->no_virtual_ipaddress)
		WARN(f, vi->loc, "vrrp_instance '%s': no virtual_ipaddress", vi->name);
	if (vi->state == VRRP_WISH_MASTER && vi->nopreempt)
		WARN(f, vi->loc, "vrrp_instance '%s': nopreempt does not work with state MASTER",
		     vi->name);
	if ((vi->use_vmac || vi->use_ipvlan) && vi->unicast_peers.n && !vi->vmac_xmit_base) {
		WARN(f, vi->loc, "vrrp_instance '%s': unicast with a VMAC needs vmac_xmit_base, "
		     "setting it", vi->name);
		vi->vmac_xmit_base = true;
	}
	if (vi->strict_mode)
		strict_checks(f, vi);
}

/* ---- uniqueness ------------------------------------------------------------ */

struct named_loc {
	struct cfg_node node;
	char *name;
	struct vrrp_cfg_loc loc;
};
#define NAMED_LOC(T) _Static_assert(offsetof(T, loc) == offsetof(struct named_loc, loc), #T)
NAMED_LOC(struct vrrp_instance_cfg);
NAMED_LOC(struct vrrp_sync_group_cfg);
NAMED_LOC(struct vrrp_script_cfg);
NAMED_LOC(struct vrrp_track_file_cfg);
NAMED_LOC(struct vrrp_track_process_cfg);
NAMED_LOC(struct vrrp_bfd_cfg);
NAMED_LOC(struct vrrp_track_group_cfg);

static void unique_names(struct finish *f, const struct cfg_list *l, const char *what)
{
	cfg_list_for_each(struct named_loc, a, l) {
		struct named_loc *first = vrrp_cfg_find_named(l, a->name);
		if (first != a)
			ERR(f, a->loc, "%s '%s' is already defined at %s:%u", what, a->name,
			    first->loc.file, first->loc.line);
	}
}

static bool share_peer(const struct vrrp_instance_cfg *a, const struct vrrp_instance_cfg *b)
{
	cfg_list_for_each(struct vrrp_peer, pa, &a->unicast_peers)
		cfg_list_for_each(struct vrrp_peer, pb, &b->unicast_peers)
			if (ka_addr_equal(&pa->addr, &pb->addr))
				return true;
	return false;
}

/* Two instances cannot answer the same (interface, VRID, family), except
 * unicast instances talking to different peers. */
static void unique_vrids(struct finish *f)
{
	cfg_list_for_each(struct vrrp_instance_cfg, b, &f->v->instances) {
		cfg_list_for_each(struct vrrp_instance_cfg, a, &f->v->instances) {
			if (a == b)
				break;
			bool same_if = a->interface && b->interface ?
					       !strcmp(a->interface, b->interface) :
					       a->interface == b->interface;
			if (!b->vrid || a->vrid != b->vrid || a->family != b->family || !same_if)
				continue;
			if (a->unicast_peers.n && b->unicast_peers.n && !share_peer(a, b))
				continue;
			ERR(f, b->loc, "vrrp_instance '%s': virtual_router_id %d on %s is already "
			    "used by '%s' (%s:%u)", b->name, b->vrid,
			    b->interface ? b->interface : "(unicast)", a->name, a->loc.file,
			    a->loc.line);
			break;
		}
	}
}

/* ---- trackers -------------------------------------------------------------- */

struct track_kind {
	const char *kw;
	size_t list_off;            /* list of tracked objects in struct vrrp_cfg */
	size_t weight_off, reverse_off;
};

static const struct track_kind track_kinds[] = {
	{ "track_script", offsetof(struct vrrp_cfg, scripts),
	  offsetof(struct vrrp_script_cfg, weight), offsetof(struct vrrp_script_cfg, reverse) },
	{ "track_file", offsetof(struct vrrp_cfg, track_files),
	  offsetof(struct vrrp_track_file_cfg, weight),
	  offsetof(struct vrrp_track_file_cfg, reverse) },
	{ "track_process", offsetof(struct vrrp_cfg, track_procs),
	  offsetof(struct vrrp_track_process_cfg, weight),
	  offsetof(struct vrrp_track_process_cfg, reverse) },
	{ "track_bfd", offsetof(struct vrrp_cfg, bfds), offsetof(struct vrrp_bfd_cfg, weight),
	  offsetof(struct vrrp_bfd_cfg, reverse) },
};

/* Resolve one list of references. Unknown names are dropped with a warning,
 * as keepalived does; the rest take the tracked object's weight and
 * direction unless the line gave its own. */
static void resolve_tracks(struct finish *f, struct cfg_list *refs,
			   const struct track_kind *k, const char *owner, const char *name)
{
	const struct cfg_list *targets = (const struct cfg_list *)((char *)f->v + k->list_off);
	struct cfg_node *n = refs->head;

	*refs = (struct cfg_list){ 0 };
	while (n) {
		struct vrrp_track_ref *t = (struct vrrp_track_ref *)(void *)n;
		n = n->next;
		t->target = vrrp_cfg_find_named(targets, t->name);
		if (!t->target) {
			WARN(f, t->loc, "%s '%s': %s '%s' is not defined, ignored", owner, name,
			     k->kw, t->name);
			continue;
		}
		if (!t->weight_set)
			t->weight = *(const int *)((const char *)t->target + k->weight_off);
		if (!t->reverse_set)
			t->reverse = *(const bool *)((const char *)t->target + k->reverse_off);
		if (k->list_off == offsetof(struct vrrp_cfg, scripts))
			((struct vrrp_script_cfg *)t->target)->used = true;
		cfg_list_append(refs, &t->node);
	}
}

static void resolve_all_tracks(struct finish *f, struct vrrp_tracks *tr, const char *owner,
			       const char *name)
{
	struct cfg_list *lists[] = { &tr->scripts, &tr->files, &tr->procs, &tr->bfds };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		resolve_tracks(f, lists[i], &track_kinds[i], owner, name);
}

/* ---- sync groups ----------------------------------------------------------- */

static void zero_weights(struct vrrp_tracks *tr)
{
	struct cfg_list *lists[] = { &tr->ifs, &tr->scripts, &tr->files, &tr->procs, &tr->bfds };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		cfg_list_for_each(struct vrrp_track_ref, t, lists[i])
			t->weight = 0;
}

static bool has_weights(const struct vrrp_tracks *tr)
{
	const struct cfg_list *lists[] = { &tr->ifs, &tr->scripts, &tr->files, &tr->procs,
					   &tr->bfds };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		cfg_list_for_each(struct vrrp_track_ref, t, lists[i])
			if (t->weight)
				return true;
	return false;
}

static void resolve_group(struct finish *f, struct vrrp_sync_group_cfg *sg)
{
	cfg_list_for_each(struct vrrp_name_ref, m, &sg->members) {
		struct vrrp_instance_cfg *vi = vrrp_cfg_find_instance(f->v, m->name);
		m->target = vi;
		if (!vi) {
			ERR(f, m->loc, "vrrp_sync_group '%s': unknown instance '%s'", sg->name,
			    m->name);
			continue;
		}
		if (vi->sync && vi->sync != sg) {
			ERR(f, m->loc, "vrrp_sync_group '%s': instance '%s' is already in "
			    "vrrp_sync_group '%s'", sg->name, m->name, vi->sync->name);
			continue;
		}
		if (vi->sync == sg) {
			ERR(f, m->loc, "vrrp_sync_group '%s': instance '%s' is listed twice",
			    sg->name, m->name);
			continue;
		}
		vi->sync = sg;
		if (!sg->tracking_weight && has_weights(&vi->tracks)) {
			WARN(f, m->loc, "vrrp_sync_group '%s': tracker weights of '%s' are ignored "
			     "(see sync_group_tracking_weight)", sg->name, m->name);
			zero_weights(&vi->tracks);
		}
	}
	resolve_all_tracks(f, &sg->tracks, "vrrp_sync_group", sg->name);
	if (!(sg->given & VRRP_GIVEN_SMTP_ALERT))
		sg->smtp_alert = global_cfg_smtp_alert_vrrp(f->g) == GLOBAL_ON;
	if (!(sg->given & VRRP_GIVEN_NOTIFY_PRIO_CHANGES))
		sg->notify_priority_changes = f->g->vrrp_notify_priority_changes;
}

/* ---- track groups ---------------------------------------------------------- */

static void resolve_track_groups(struct finish *f)
{
	struct vrrp_cfg *v = f->v;

	cfg_list_for_each(struct vrrp_track_group_cfg, tg, &v->track_groups) {
		cfg_list_for_each(struct vrrp_name_ref, m, &tg->members) {
			m->target = vrrp_cfg_find_instance(v, m->name);
			if (!m->target)
				ERR(f, m->loc, "track_group '%s': unknown instance '%s'", tg->name,
				    m->name);
		}
	}
#define RESOLVE_TG(T, list, what)                                                          \
	cfg_list_for_each(T, o, list) {                                                    \
		if (o->track_group &&                                                      \
		    !(o->tgroup = vrrp_cfg_find_named(&v->track_groups, o->track_group)))  \
			ERR(f, o->loc, "%s: unknown track_group '%s'", what, o->track_group); \
	}
	RESOLVE_TG(struct vrrp_ipaddr, &v->static_addrs, "static_ipaddress")
	RESOLVE_TG(struct vrrp_route, &v->static_routes, "static_routes")
	RESOLVE_TG(struct vrrp_rule, &v->static_rules, "static_rules")
#undef RESOLVE_TG
}

/* ---- entry point ------------------------------------------------------------ */

/* Rules written without a preference get one, counting down from 16384 per
 * family in configuration order (static rules first), as keepalived does:
 * left to the kernel, the number would differ at each install, so a rule
 * could not be matched again for deletion or after a reload. */
static void number_rules(const struct cfg_list *rules, uint32_t *next4, uint32_t *next6)
{
	cfg_list_for_each(struct vrrp_rule, r, rules) {
		if (r->set & VRRP_RULE_PRIORITY)
			continue;
		uint32_t *next = r->family == AF_INET6 ? next6 : next4;
		r->priority = (*next)--;
		r->set |= VRRP_RULE_PRIORITY;
	}
}

void vrrp_cfg_finish(struct vrrp_cfg *v, const struct global_cfg *g, struct cfg_diag *diag)
{
	struct global_cfg builtin;
	struct finish f = { v, global_or_builtin(g, &builtin), diag };

	unique_names(&f, &v->instances, "vrrp_instance");
	unique_names(&f, &v->sync_groups, "vrrp_sync_group");
	unique_names(&f, &v->scripts, "vrrp_script");
	unique_names(&f, &v->track_files, "track_file");
	unique_names(&f, &v->track_procs, "vrrp_track_process");
	unique_names(&f, &v->bfds, "bfd_instance");
	unique_names(&f, &v->track_groups, "track_group");

	cfg_list_for_each(struct vrrp_instance_cfg, vi, &v->instances) {
		apply_defaults(&f, vi);
		decide_family(&f, vi);
		decide_version(&f, vi);
		instance_checks(&f, vi);
		resolve_all_tracks(&f, &vi->tracks, "vrrp_instance", vi->name);
	}
	unique_vrids(&f);
	cfg_list_for_each(struct vrrp_sync_group_cfg, sg, &v->sync_groups)
		resolve_group(&f, sg);
	resolve_track_groups(&f);
	uint32_t next4 = 16384, next6 = 16384;
	number_rules(&v->static_rules, &next4, &next6);
	cfg_list_for_each(struct vrrp_instance_cfg, vi, &v->instances)
		number_rules(&vi->vrules, &next4, &next6);
}
