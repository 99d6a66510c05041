/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_cfg_instance.c - vrrp_instance and vrrp_sync_group keyword tables and handlers */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/vrrp_cfg_priv.h"

#define SEC 1000000LL /* µs per second, for timer ranges */
#define I_OFF(f) offsetof(struct vrrp_instance_cfg, f)
#define G_OFF(f) offsetof(struct vrrp_sync_group_cfg, f)
#define H_OFF(f) offsetof(struct vrrp_auth_hmac_cfg, f)

/* ---- helpers shared by both blocks --------------------------------------- */

/* Booleans whose global_defs counterpart applies when they are not written. */
static const struct {
	const char *kw;
	uint32_t bit;
} given_bits[] = {
	{ "lower_prio_no_advert", VRRP_GIVEN_LOWER_PRIO_NO_ADVERT },
	{ "higher_prio_send_advert", VRRP_GIVEN_HIGHER_PRIO_SEND },
	{ "skip_check_adv_addr", VRRP_GIVEN_SKIP_CHECK_ADV_ADDR },
	{ "strict_mode", VRRP_GIVEN_STRICT_MODE },
	{ "smtp_alert", VRRP_GIVEN_SMTP_ALERT },
	{ "notify_priority_changes", VRRP_GIVEN_NOTIFY_PRIO_CHANGES },
	{ "v3_checksum_as_v2", VRRP_GIVEN_V3_CSUM_AS_V2 },
	{ "owner_ignore_adverts", VRRP_GIVEN_OWNER_IGNORE_ADVERTS },
	{ "check_unicast_src", VRRP_GIVEN_CHECK_UNICAST_SRC },
	{ "unicast_src_ip", VRRP_GIVEN_UNICAST_SRC },
};

static uint32_t given_bit(const char *kw)
{
	for (size_t i = 0; i < sizeof(given_bits) / sizeof(given_bits[0]); i++)
		if (!strcmp(kw, given_bits[i].kw))
			return given_bits[i].bit;
	return 0;
}

/* Post-store hooks: remember that the value was written. */
static int inst_given(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	((struct vrrp_instance_cfg *)obj)->given |= given_bit(a->argv[0]);
	return 0;
}

static int group_given(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	((struct vrrp_sync_group_cfg *)obj)->given |= given_bit(a->argv[0]);
	return 0;
}

static int check_ifname(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	if (a->argc > 1 && !vrrp_ifname_ok(a->argv[1])) {
		cfg_error(p, a, "%s: invalid interface name '%s'", a->argv[0], a->argv[1]);
		return -1;
	}
	return 0;
}

/* ---- vrrp_instance handlers ----------------------------------------------- */

static void *inst_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_cfg *v = obj;

	if (a->argc != 2) {
		cfg_error(p, a, "vrrp_instance needs exactly one name");
		return NULL;
	}
	struct vrrp_instance_cfg *vi = VRRP_CFG_NEW(p, struct vrrp_instance_cfg, &v->instances);
	vi->name = arena_strdup(cfg_arena(p), a->argv[1]);
	vi->loc = vrrp_cfg_loc_of(a);
	vi->state = VRRP_WISH_BACKUP;
	vi->priority = 100;
	vi->advert_int = 1 * SEC;
	vi->unicast_ttl = -1;
	vi->accept = -1;
	vi->garp_master_delay = vi->garp_lower_prio_delay = VRRP_UNSET_TIMER;
	vi->garp_master_refresh = vi->garp_extra_if = VRRP_UNSET_TIMER;
	vi->garp_master_repeat = vi->garp_lower_prio_repeat = VRRP_UNSET_UINT;
	vi->garp_master_refresh_repeat = VRRP_UNSET_UINT;
	vi->hmac.active_key = VRRP_UNSET_UINT;
	vi->hmac.time_window = 30;
	return vi;
}

static void inst_close(struct cfg_parser *p, void *obj, const struct cfg_args *open)
{
	struct vrrp_instance_cfg *vi = obj;

	if (!vi->vrid)
		cfg_error(p, open, "vrrp_instance '%s': virtual_router_id is missing", vi->name);
	if (vi->auth_type != VRRP_AUTH_NONE && vi->hmac.present)
		cfg_error(p, open, "vrrp_instance '%s': authentication and auth_hmac are exclusive",
			  vi->name);
	if (vi->auth_type == VRRP_AUTH_NONE && vi->auth_pass)
		cfg_warning(p, open, "vrrp_instance '%s': auth_pass without auth_type is ignored",
			    vi->name);
	if (vi->unicast_ttl >= 0 && !vi->unicast_peers.n)
		cfg_warning(p, open, "vrrp_instance '%s': unicast_ttl without unicast_peer "
			    "is ignored", vi->name);
}

static int set_accept(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	((struct vrrp_instance_cfg *)obj)->accept = !strcmp(a->argv[0], "accept");
	return 0;
}

static int set_preempt(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	((struct vrrp_instance_cfg *)obj)->nopreempt = false;
	return 0;
}

/* timer_expired_backup [HIGHEST_OTHER_PRIO], default 254 */
static int timer_expired_backup(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	long long prio = 254;
	if (a->argc > 2) {
		cfg_error(p, a, "%s: too many arguments", a->argv[0]);
		return -1;
	}
	if (a->argc == 2 && cfg_get_int(p, a, a->argv[1], 1, 254, &prio) < 0)
		return -1;
	((struct vrrp_instance_cfg *)obj)->timer_expired_backup = (int)prio;
	return 0;
}

static int old_unicast_checksum(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_instance_cfg *vi = obj;
	if (a->argc == 1) {
		vi->old_unicast_checksum = VRRP_UCSUM_AUTO;
		return 0;
	}
	if (a->argc == 2 && !strcmp(a->argv[1], "never")) {
		vi->old_unicast_checksum = VRRP_UCSUM_NEVER;
		return 0;
	}
	cfg_error(p, a, "old_unicast_checksum: expected nothing or 'never', got '%s'",
		  a->argv[1]);
	return -1;
}

/* notify_deleted [script]: without a script, DELETED is only reported. */
static int notify_deleted(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_instance_cfg *vi = obj;
	vi->notify_deleted = true;
	return a->argc > 1 ? cfg_get_script(p, a, 1, &vi->notify_deleted_script) : 0;
}

static int auth_pass(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_instance_cfg *vi = obj;
	const char *pw = a->argc > 1 ? a->argv[1] : "";

	if (a->argc != 2 || !*pw) {
		cfg_error(p, a, "auth_pass needs one password");
		return -1;
	}
	if (strlen(pw) > 8)
		cfg_warning(p, a, "auth_pass truncated to 8 characters");
	vi->auth_pass = arena_strndup(cfg_arena(p), pw, 8);
	return 0;
}

/* garp_master_repeat 0 meant 1 before keepalived 2.0.7: keep accepting it. */
static int repeat_min1(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_instance_cfg *vi = obj;
	unsigned *f = !strcmp(a->argv[0], "garp_master_repeat") ? &vi->garp_master_repeat :
		      &vi->garp_master_refresh_repeat;
	if (*f == 0) {
		cfg_warning(p, a, "%s 0 is taken as 1", a->argv[0]);
		*f = 1;
	}
	return 0;
}

static int check_mcast_dst(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	const struct ka_addr *d = &((struct vrrp_instance_cfg *)obj)->mcast_dst;
	bool ok = d->family == AF_INET ? IN_MULTICAST(ntohl(d->u.v4.s_addr)) :
		  IN6_IS_ADDR_MC_LINKLOCAL(&d->u.v6);
	if (!ok) {
		cfg_error(p, a, "mcast_dst_ip: '%s' is not a %smulticast address", a->argv[1],
			  d->family == AF_INET6 ? "link-local " : "");
		return -1;
	}
	return 0;
}

/* garp_extra_if [all] SECS (vmac_garp_intvl is its old name) */
static int garp_extra_if(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_instance_cfg *vi = obj;
	long long secs = -1;

	for (unsigned i = 1; i < a->argc; i++) {
		if (!strcmp(a->argv[i], "all")) {
			vi->garp_extra_if_all = true;
			continue;
		}
		if (secs >= 0) {
			cfg_error(p, a, "%s: unexpected '%s'", a->argv[0], a->argv[i]);
			return -1;
		}
		if (cfg_get_int(p, a, a->argv[i], 0, 86400, &secs) < 0)
			return -1;
	}
	if (secs < 0) {
		cfg_error(p, a, "%s needs an interval in seconds", a->argv[0]);
		return -1;
	}
	vi->garp_extra_if = (uint64_t)secs * SEC;
	return 0;
}

/* A MAC written with 6 octets, or 5 (the VRID becomes the last one). */
static int parse_mac(const char *s, uint8_t mac[6], bool *use_vrid)
{
	unsigned n = 0;
	while (*s && n < 6) {
		char *end;
		unsigned long b = strtoul(s, &end, 16);
		if (end == s || end - s > 2 || b > 255 || (*end && *end != ':'))
			return -1;
		mac[n++] = (uint8_t)b;
		s = *end ? end + 1 : end;
	}
	if (*s || n < 5 || (mac[0] & 1))
		return -1;
	*use_vrid = n == 5;
	return 0;
}

/* use_vmac [[name] IFNAME] [MAC] [netlink_notify_msg] [group G] */
static int use_vmac(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_instance_cfg *vi = obj;
	struct arena *ar = cfg_arena(p);

	vi->use_vmac = true;
	for (unsigned i = 1; i < a->argc; i++) {
		const char *w = a->argv[i];
		if (strchr(w, ':')) {
			if (parse_mac(w, vi->vmac_mac, &vi->vmac_mac_use_vrid) < 0) {
				cfg_error(p, a, "use_vmac: invalid MAC address '%s'", w);
				return -1;
			}
			vi->vmac_mac_set = true;
		} else if (!strcmp(w, "netlink_notify_msg")) {
			vi->vmac_netlink_notify = true;
		} else if (!strcmp(w, "group") && i + 1 < a->argc) {
			vi->vmac_group = arena_strdup(ar, a->argv[++i]);
		} else {
			if (!strcmp(w, "name") && i + 1 < a->argc)
				w = a->argv[++i];
			if (vi->vmac_ifname || !vrrp_ifname_ok(w)) {
				cfg_error(p, a, "use_vmac: unexpected or invalid name '%s'", w);
				return -1;
			}
			vi->vmac_ifname = arena_strdup(ar, w);
		}
	}
	return 0;
}

/* use_ipvlan [[name] IFNAME] [IP[/len]] [bridge|private|vepa] [group G] */
static int use_ipvlan(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	static const struct cfg_enum modes[] = {
		{ "bridge", VRRP_IPVLAN_BRIDGE }, { "private", VRRP_IPVLAN_PRIVATE },
		{ "vepa", VRRP_IPVLAN_VEPA }, { NULL, 0 },
	};
	struct vrrp_instance_cfg *vi = obj;

	vi->use_ipvlan = true;
	for (unsigned i = 1; i < a->argc; i++) {
		const char *w = a->argv[i];
		const struct cfg_enum *m = modes;
		while (m->name && strcmp(m->name, w))
			m++;
		if (m->name) {
			vi->ipvlan_mode = m->value;
		} else if (!strcmp(w, "group") && i + 1 < a->argc) {
			vi->vmac_group = arena_strdup(cfg_arena(p), a->argv[++i]);
		} else if (!vi->ipvlan_addr.family &&
			   ka_addr_parse(w, true, &vi->ipvlan_addr) == 0) {
			continue;
		} else {
			if (!strcmp(w, "name") && i + 1 < a->argc)
				w = a->argv[++i];
			if (vi->ipvlan_ifname || !vrrp_ifname_ok(w)) {
				cfg_error(p, a, "use_ipvlan: unexpected or invalid name '%s'", w);
				return -1;
			}
			vi->ipvlan_ifname = arena_strdup(cfg_arena(p), w);
		}
	}
	return 0;
}

/* unicast_peer { IP [min_ttl N] [max_ttl N] } */
static int peer_line(struct cfg_parser *p, void *list, const struct cfg_args *a)
{
	struct vrrp_peer tmp = { .loc = vrrp_cfg_loc_of(a), .min_ttl = 0, .max_ttl = 255 };
	struct vrrp_words w = { p, a, 1 };

	if (ka_addr_parse(a->argv[0], false, &tmp.addr) < 0) {
		cfg_error(p, a, "unicast_peer: invalid IP address '%s'", a->argv[0]);
		return -1;
	}
	while (w.i < a->argc) {
		const char *o = a->argv[w.i++], *v;
		uint32_t n;
		if (strcmp(o, "min_ttl") && strcmp(o, "max_ttl")) {
			cfg_error(p, a, "unicast_peer %s: unknown option '%s'", a->argv[0], o);
			return -1;
		}
		if (!(v = vrrp_words_value(&w, o)))
			return -1;
		if (vrrp_parse_u32(v, 255, &n) < 0) {
			cfg_error(p, a, "unicast_peer %s: invalid %s '%s'", a->argv[0], o, v);
			return -1;
		}
		*(o[1] == 'i' ? &tmp.min_ttl : &tmp.max_ttl) = (int)n;
	}
	if (tmp.min_ttl > tmp.max_ttl) {
		cfg_error(p, a, "unicast_peer %s: min_ttl is above max_ttl", a->argv[0]);
		return -1;
	}
	struct vrrp_peer *pe = VRRP_CFG_NEW(p, struct vrrp_peer, list);
	tmp.node = pe->node;
	*pe = tmp;
	return 0;
}

/* ---- auth_hmac { } ------------------------------------------------------ */

static void *hmac_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_auth_hmac_cfg *h = &((struct vrrp_instance_cfg *)obj)->hmac;
	h->present = true;
	h->loc = vrrp_cfg_loc_of(a);
	return h;
}

static void hmac_close(struct cfg_parser *p, void *obj, const struct cfg_args *open)
{
	struct vrrp_auth_hmac_cfg *h = obj;
	bool found = h->active_key == VRRP_UNSET_UINT;

	if (!h->keys.n) {
		cfg_error(p, open, "auth_hmac: no key");
		return;
	}
	cfg_list_for_each(struct vrrp_hmac_key, k, &h->keys)
		found |= k->id == h->active_key;
	if (!found)
		cfg_error(p, open, "auth_hmac: active_key %u is not a defined key", h->active_key);
	/* Say plainly what the generic "no effect" warning means here. */
	cfg_warning(p, open, "auth_hmac: adverts are sent and accepted WITHOUT authentication");
}

/* key ID hex:HEX | file:PATH | TEXT   (32..64 bytes once decoded) */
static int hmac_key(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_auth_hmac_cfg *h = obj;
	long long id;

	if (a->argc != 3) {
		cfg_error(p, a, "key needs an id and a value");
		return -1;
	}
	if (cfg_get_int(p, a, a->argv[1], 0, 255, &id) < 0)
		return -1;
	const char *v = a->argv[2];
	int kind = !strncmp(v, "hex:", 4) ? VRRP_HMAC_KEY_HEX :
		   !strncmp(v, "file:", 5) ? VRRP_HMAC_KEY_FILE : VRRP_HMAC_KEY_ASCII;
	const char *val = kind == VRRP_HMAC_KEY_HEX ? v + 4 :
			  kind == VRRP_HMAC_KEY_FILE ? v + 5 : v;
	size_t len = strlen(val);
	bool ok = kind == VRRP_HMAC_KEY_FILE ? len > 0 :
		  kind == VRRP_HMAC_KEY_HEX ? (len % 2 == 0 && len >= 64 && len <= 128 &&
					       strspn(val, "0123456789abcdefABCDEF") == len) :
		  (len >= 32 && len <= 64);
	if (!ok) {
		cfg_error(p, a, "key %lld: must be 32 to 64 bytes (text, hex: or file:)", id);
		return -1;
	}
	cfg_list_for_each(struct vrrp_hmac_key, k, &h->keys) {
		if (k->id == (unsigned)id) {
			cfg_error(p, a, "key %lld is defined twice", id);
			return -1;
		}
	}
	struct vrrp_hmac_key *k = VRRP_CFG_NEW(p, struct vrrp_hmac_key, &h->keys);
	k->id = (unsigned)id;
	k->kind = kind;
	k->value = arena_strdup(cfg_arena(p), val);
	return 0;
}

static const struct cfg_enum replay_enums[] = {
	{ "time", VRRP_HMAC_REPLAY_TIME }, { "monotonic", VRRP_HMAC_REPLAY_MONOTONIC },
	{ NULL, 0 },
};
static const struct cfg_enum hmac_mode_enums[] = {
	{ "enforce", VRRP_HMAC_ENFORCE }, { "permissive", VRRP_HMAC_PERMISSIVE },
	{ "receive-only", VRRP_HMAC_RECEIVE_ONLY }, { NULL, 0 },
};

const struct cfg_keyword vrrp_hmac_kw[] = {
	{ .name = "key", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = hmac_key,
	  .flags = CFG_F_PARSED_ONLY },
	{ .name = "active_key", .type = CFG_UINT, .off = H_OFF(active_key), .min = 0, .max = 255,
	  .flags = CFG_F_PARSED_ONLY },
	{ .name = "anti_replay", .type = CFG_ENUM, .off = H_OFF(anti_replay), .enums = replay_enums,
	  .flags = CFG_F_PARSED_ONLY },
	{ .name = "time_window", .type = CFG_UINT, .off = H_OFF(time_window), .min = 1, .max = 300,
	  .flags = CFG_F_PARSED_ONLY },
	{ .name = "mode", .type = CFG_ENUM, .off = H_OFF(mode), .enums = hmac_mode_enums,
	  .flags = CFG_F_PARSED_ONLY },
	CFG_END,
};

static const struct cfg_block hmac_block = {
	"auth_hmac", vrrp_hmac_kw, NULL, hmac_open, hmac_close,
};

/* ---- instance table -------------------------------------------------------- */

static const struct cfg_enum state_enums[] = {
	{ "MASTER", VRRP_WISH_MASTER }, { "BACKUP", VRRP_WISH_BACKUP }, { NULL, 0 },
};
static const struct cfg_enum auth_enums[] = {
	{ "PASS", VRRP_AUTH_PASS }, { "AH", VRRP_AUTH_AH }, { NULL, 0 },
};

const struct cfg_keyword vrrp_auth_kw[] = {
	{ .name = "auth_type", .type = CFG_ENUM, .off = I_OFF(auth_type), .enums = auth_enums },
	{ .name = "auth_pass", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = auth_pass },
	CFG_END,
};

static const struct cfg_block auth_block = { "authentication", vrrp_auth_kw, NULL, NULL, NULL };

VRRP_CFG_LIST_OPEN(open_peers, struct vrrp_instance_cfg, unicast_peers)
VRRP_CFG_LIST_OPEN(open_vips, struct vrrp_instance_cfg, vips)
VRRP_CFG_LIST_OPEN(open_evips, struct vrrp_instance_cfg, evips)
VRRP_CFG_LIST_OPEN(open_vroutes, struct vrrp_instance_cfg, vroutes)
VRRP_CFG_LIST_OPEN(open_vrules, struct vrrp_instance_cfg, vrules)

static const struct cfg_block peer_block = { "unicast_peer", NULL, peer_line, open_peers, NULL };
static const struct cfg_block vip_block = {
	"virtual_ipaddress", NULL, vrrp_cfg_vip_line, open_vips, NULL,
};
static const struct cfg_block evip_block = {
	"virtual_ipaddress_excluded", NULL, vrrp_cfg_vip_line, open_evips, NULL,
};
static const struct cfg_block vroute_block = {
	"virtual_routes", NULL, vrrp_cfg_vroute_line, open_vroutes, NULL,
};
static const struct cfg_block vrule_block = {
	"virtual_rules", NULL, vrrp_cfg_vrule_line, open_vrules, NULL,
};

#define PO CFG_F_PARSED_ONLY
#define DEP CFG_F_DEPRECATED
#define TMAX (4294967295LL * SEC)

const struct cfg_keyword vrrp_instance_kw[] = {
	/* identity and transport */
	{ .name = "state", .type = CFG_ENUM, .off = I_OFF(state), .enums = state_enums },
	{ .name = "interface", .type = CFG_STR, .off = I_OFF(interface), .handler = check_ifname },
	{ .name = "vrf", .type = CFG_STR, .off = I_OFF(vrf), .handler = check_ifname },
	{ .name = "virtual_router_id", .type = CFG_INT, .off = I_OFF(vrid), .min = 1, .max = 255 },
	{ .name = "priority", .type = CFG_INT, .off = I_OFF(priority), .min = 1, .max = 255 },
	{ .name = "advert_int", .type = CFG_TIMER, .off = I_OFF(advert_int), .min = SEC / 100,
	  .max = 255 * SEC },
	{ .name = "version", .type = CFG_INT, .off = I_OFF(version), .min = 2, .max = 3 },
	{ .name = "native_ipv6", .type = CFG_FLAG, .off = I_OFF(native_ipv6), .flags = DEP,
	  .alias = "an IPv6 virtual_ipaddress" },
	{ .name = "mcast_src_ip", .type = CFG_ADDR, .off = I_OFF(mcast_src_ip) },
	{ .name = "unicast_src_ip", .type = CFG_ADDR, .off = I_OFF(unicast_src_ip),
	  .handler = inst_given },
	{ .name = "mcast_dst_ip", .type = CFG_ADDR, .off = I_OFF(mcast_dst),
	  .handler = check_mcast_dst },
	{ .name = "unicast_peer", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &peer_block },
	{ .name = "unicast_ttl", .type = CFG_INT, .off = I_OFF(unicast_ttl), .min = 0, .max = 255 },
	{ .name = "check_unicast_src", .type = CFG_FLAG, .off = I_OFF(check_unicast_src),
	  .handler = inst_given },
	{ .name = "unicast_fault_no_peer", .type = CFG_FLAG, .off = I_OFF(unicast_fault_no_peer) },
	{ .name = "old_unicast_checksum", .type = CFG_CUSTOM, .off = CFG_NOSTORE,
	  .handler = old_unicast_checksum },
	{ .name = "v3_checksum_as_v2", .type = CFG_BOOL, .off = I_OFF(v3_checksum_as_v2),
	  .handler = inst_given },
	{ .name = "track_src_ip", .type = CFG_FLAG, .off = I_OFF(track_src_ip) },
	{ .name = "kernel_rx_buf_size", .type = CFG_UINT, .off = I_OFF(kernel_rx_buf_size),
	  .min = 0,
	  .max = 0x7fffffff },
	{ .name = "debug", .type = CFG_INT, .off = I_OFF(debug), .min = 0, .max = 4 },
	/* addresses */
	{ .name = "virtual_ipaddress", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &vip_block },
	{ .name = "virtual_ipaddress_excluded", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &evip_block },
	{ .name = "virtual_routes", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &vroute_block },
	{ .name = "virtual_rules", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &vrule_block },
	{ .name = "no_virtual_ipaddress", .type = CFG_FLAG, .off = I_OFF(no_virtual_ipaddress) },
	{ .name = "promote_secondaries", .type = CFG_FLAG, .off = I_OFF(promote_secondaries) },
	{ .name = "accept", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = set_accept },
	{ .name = "no_accept", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = set_accept },
	/* VMAC / IPVLAN */
	{ .name = "use_vmac", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = use_vmac },
	{ .name = "use_vmac_addr", .type = CFG_FLAG, .off = I_OFF(use_vmac_addr) },
	{ .name = "vmac_xmit_base", .type = CFG_FLAG, .off = I_OFF(vmac_xmit_base) },
	{ .name = "use_ipvlan", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = use_ipvlan },
	{ .name = "garp_extra_if", .type = CFG_CUSTOM, .off = CFG_NOSTORE,
	  .handler = garp_extra_if },
	{ .name = "vmac_garp_intvl", .type = CFG_CUSTOM, .off = CFG_NOSTORE,
	  .handler = garp_extra_if, .flags = DEP, .alias = "garp_extra_if" },
	/* tracking */
	{ .name = "dont_track_primary", .type = CFG_FLAG, .off = I_OFF(dont_track_primary) },
	{ .name = "linkbeat_use_polling", .type = CFG_FLAG, .off = I_OFF(linkbeat_use_polling),
	  .flags = DEP, .alias = "linkbeat_interfaces" },
	{ .name = "track_interface", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &vrrp_inst_track_blocks[0] },
	{ .name = "track_script", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &vrrp_inst_track_blocks[1] },
	{ .name = "track_file", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &vrrp_inst_track_blocks[2] },
	{ .name = "track_process", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &vrrp_inst_track_blocks[3] },
	{ .name = "track_bfd", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &vrrp_inst_track_blocks[4] },
	/* election and timers */
	{ .name = "nopreempt", .type = CFG_FLAG, .off = I_OFF(nopreempt) },
	{ .name = "preempt", .type = CFG_CUSTOM, .off = CFG_NOSTORE, .handler = set_preempt },
	{ .name = "preempt_delay", .type = CFG_TIMER, .off = I_OFF(preempt_delay), .min = 0,
	  .max = 1000 * SEC },
	{ .name = "down_timer_adverts", .type = CFG_INT, .off = I_OFF(down_timer_adverts), .min = 1,
	  .max = 100 },
	{ .name = "timer_expired_backup", .type = CFG_CUSTOM, .off = CFG_NOSTORE,
	  .handler = timer_expired_backup },
	{ .name = "thread_timer_expired", .type = CFG_CUSTOM, .off = CFG_NOSTORE,
	  .handler = timer_expired_backup, .flags = DEP, .alias = "timer_expired_backup" },
	{ .name = "lower_prio_no_advert", .type = CFG_BOOL, .off = I_OFF(lower_prio_no_advert),
	  .handler = inst_given },
	{ .name = "higher_prio_send_advert", .type = CFG_BOOL,
	  .off = I_OFF(higher_prio_send_advert),
	  .handler = inst_given },
	{ .name = "owner_ignore_adverts", .type = CFG_BOOL, .off = I_OFF(owner_ignore_adverts),
	  .handler = inst_given },
	{ .name = "skip_check_adv_addr", .type = CFG_BOOL, .off = I_OFF(skip_check_adv_addr),
	  .handler = inst_given },
	{ .name = "strict_mode", .type = CFG_BOOL, .off = I_OFF(strict_mode),
	  .handler = inst_given },
	{ .name = "garp_master_delay", .type = CFG_TIMER, .off = I_OFF(garp_master_delay), .min = 0,
	  .max = 4294 * SEC },
	{ .name = "garp_master_repeat", .type = CFG_UINT, .off = I_OFF(garp_master_repeat),
	  .min = 0,
	  .max = 0x7fffffff, .handler = repeat_min1 },
	{ .name = "garp_lower_prio_delay", .type = CFG_TIMER, .off = I_OFF(garp_lower_prio_delay),
	  .min = 0, .max = 4294 * SEC },
	{ .name = "garp_lower_prio_repeat", .type = CFG_UINT, .off = I_OFF(garp_lower_prio_repeat),
	  .min = 0, .max = 0x7fffffff },
	{ .name = "garp_master_refresh", .type = CFG_TIMER, .off = I_OFF(garp_master_refresh),
	  .min = 0, .max = TMAX },
	{ .name = "garp_master_refresh_repeat", .type = CFG_UINT,
	  .off = I_OFF(garp_master_refresh_repeat), .min = 0, .max = 0x7fffffff,
	  .handler = repeat_min1 },
	/* authentication */
	{ .name = "authentication", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &auth_block },
	{ .name = "auth_hmac", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &hmac_block,
	  .flags = PO },
	/* notifications */
	{ .name = "notify_master", .type = CFG_SCRIPT, .off = I_OFF(notify_master) },
	{ .name = "notify_backup", .type = CFG_SCRIPT, .off = I_OFF(notify_backup) },
	{ .name = "notify_fault", .type = CFG_SCRIPT, .off = I_OFF(notify_fault) },
	{ .name = "notify_stop", .type = CFG_SCRIPT, .off = I_OFF(notify_stop) },
	{ .name = "notify_deleted", .type = CFG_CUSTOM, .off = CFG_NOSTORE,
	  .handler = notify_deleted },
	{ .name = "notify", .type = CFG_SCRIPT, .off = I_OFF(notify) },
	{ .name = "notify_master_rx_lower_pri", .type = CFG_SCRIPT,
	  .off = I_OFF(notify_master_rx_lower_pri) },
	{ .name = "notify_priority_changes", .type = CFG_BOOL,
	  .off = I_OFF(notify_priority_changes),
	  .handler = inst_given },
	{ .name = "smtp_alert", .type = CFG_BOOL, .off = I_OFF(smtp_alert), .handler = inst_given },
	{ .name = "lvs_sync_daemon_interface", .type = CFG_STR,
	  .off = I_OFF(lvs_sync_daemon_interface), .handler = check_ifname, .flags = DEP,
	  .alias = "global_defs lvs_sync_daemon" },
	CFG_END,
};

const struct cfg_block vrrp_instance_block = {
	"vrrp_instance", vrrp_instance_kw, NULL, inst_open, inst_close,
};

/* ---- vrrp_sync_group ----------------------------------------------------- */

static void *group_open(struct cfg_parser *p, void *obj, const struct cfg_args *a)
{
	struct vrrp_cfg *v = obj;

	if (a->argc != 2) {
		cfg_error(p, a, "vrrp_sync_group needs exactly one name");
		return NULL;
	}
	struct vrrp_sync_group_cfg *g = VRRP_CFG_NEW(p, struct vrrp_sync_group_cfg,
						     &v->sync_groups);
	g->name = arena_strdup(cfg_arena(p), a->argv[1]);
	g->loc = vrrp_cfg_loc_of(a);
	return g;
}

static void group_close(struct cfg_parser *p, void *obj, const struct cfg_args *open)
{
	struct vrrp_sync_group_cfg *g = obj;

	if (!g->members.n)
		cfg_error(p, open, "vrrp_sync_group '%s' has no group { } members", g->name);
	else if (g->members.n == 1)
		cfg_warning(p, open, "vrrp_sync_group '%s' has only one member", g->name);
}

VRRP_CFG_LIST_OPEN(open_members, struct vrrp_sync_group_cfg, members)

static const struct cfg_block members_block = {
	"group", NULL, vrrp_cfg_name_line, open_members, NULL,
};

const struct cfg_keyword vrrp_sync_group_kw[] = {
	{ .name = "group", .type = CFG_BLOCK, .off = CFG_NOSTORE, .block = &members_block },
	{ .name = "track_interface", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &vrrp_group_track_blocks[0] },
	{ .name = "track_script", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &vrrp_group_track_blocks[1] },
	{ .name = "track_file", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &vrrp_group_track_blocks[2] },
	{ .name = "track_process", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &vrrp_group_track_blocks[3] },
	{ .name = "track_bfd", .type = CFG_BLOCK, .off = CFG_NOSTORE,
	  .block = &vrrp_group_track_blocks[4] },
	{ .name = "notify_master", .type = CFG_SCRIPT, .off = G_OFF(notify_master) },
	{ .name = "notify_backup", .type = CFG_SCRIPT, .off = G_OFF(notify_backup) },
	{ .name = "notify_fault", .type = CFG_SCRIPT, .off = G_OFF(notify_fault) },
	{ .name = "notify_stop", .type = CFG_SCRIPT, .off = G_OFF(notify_stop) },
	{ .name = "notify", .type = CFG_SCRIPT, .off = G_OFF(notify) },
	{ .name = "smtp_alert", .type = CFG_BOOL, .off = G_OFF(smtp_alert),
	  .handler = group_given },
	{ .name = "notify_priority_changes", .type = CFG_BOOL,
	  .off = G_OFF(notify_priority_changes),
	  .handler = group_given },
	{ .name = "sync_group_tracking_weight", .type = CFG_FLAG, .off = G_OFF(tracking_weight) },
	{ .name = "global_tracking", .type = CFG_FLAG, .off = G_OFF(tracking_weight), .flags = DEP,
	  .alias = "sync_group_tracking_weight" },
	CFG_END,
};

const struct cfg_block vrrp_sync_group_block = {
	"vrrp_sync_group", vrrp_sync_group_kw, NULL, group_open, group_close,
};
