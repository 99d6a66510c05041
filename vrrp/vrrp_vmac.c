/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_vmac.c - per-instance VMAC (macvlan) / IPVLAN interfaces, their sysctls, extra GARPs */
#include <dirent.h>
#include <errno.h>
#include <linux/if_link.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "sysctl.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_nft.h"
#include "vrrp/vrrp_nl.h"
#include "vrrp/vrrp_vmac.h"

#define ERRLEN 256
#define SEC_US 1000000ull
#define CONF4 "/proc/sys/net/ipv4/conf/"
#define CONF6 "/proc/sys/net/ipv6/conf/"
#define IGMP_LLM "/proc/sys/net/ipv4/igmp_link_local_mcast_reports"
#define MAX_CANDIDATES 100

/* A sysctl changed for VMACs and its value before; the last holder restores it. */
struct held_sysctl {
	char path[96];
	int orig;
	unsigned refs;
	bool changed;
};

/* Engine-wide part (eng->vmacs): what the instances hold. */
struct vrrp_vmacs {
	struct held_sysctl *s;
	size_t n;
	unsigned users;            /* struct vrrp_vmac objects alive */
	unsigned rp_refs;          /* holders of the all.rp_filter move */
};

/* A VMAC told to the firewall (vrrp_nft_vmac), ifindex 0 = none. */
struct nft_reg {
	int ifindex, parent, family;
};

/* A VMAC of its own on another interface, for the addresses there. */
struct addr_vmac {
	struct nft_reg nft;
	char parent[VRRP_IFNAMSIZ];
	char name[VRRP_IFNAMSIZ];  /* "" = no usable name */
	int ifindex;               /* 0 while missing */
	bool made;
	char held_parent[VRRP_IFNAMSIZ]; /* parent whose arp_* we hold, "" = none */
};

struct vrrp_vmac {
	const struct vrrp_instance_cfg *for_cfg; /* configuration the wish was taken from */
	bool want;                 /* use_vmac or use_ipvlan */
	bool ipvlan;
	char name[VRRP_IFNAMSIZ];  /* "" = none wanted, or no usable name */
	uint8_t mac[6];            /* VMAC only */
	unsigned flags;            /* IPVLAN_F_* */
	struct ka_addr addr;       /* IPVLAN address, AF_UNSPEC = none */
	int ifindex;               /* 0 while missing */
	bool made;                 /* created or adopted by us: deleted on release */
	bool readd;                /* a master's addresses wait for the new interface */
	char held_parent[VRRP_IFNAMSIZ]; /* parent whose arp_* we hold, "" = none */
	bool held_igmp, held_rp;
	struct nft_reg nft;
	struct addr_vmac *av;      /* address VMACs (use_vmac_addr, use_vmac on a line) */
	size_t nav;
	struct ev_timer *garp_timer;
	struct log_rl rl;
};

/* ---- pure helpers ------------------------------------------------------------ */

void vrrp_vmac_mac(const struct vrrp_instance_cfg *c, uint8_t mac[6])
{
	static const uint8_t base[5] = { 0x00, 0x00, 0x5e, 0x00, 0x01 };

	if (c->vmac_mac_set) {
		memcpy(mac, c->vmac_mac, 6);
		if (c->vmac_mac_use_vrid)
			mac[5] = (uint8_t)c->vrid;
		return;
	}
	memcpy(mac, base, sizeof(base));
	if (c->family == AF_INET6)
		mac[4] = 0x02;
	mac[5] = (uint8_t)c->vrid;
}

int vrrp_vmac_name_candidate(char *buf, size_t len, const char *prefix, int vrid,
			     int family, unsigned attempt)
{
	unsigned n = attempt;
	int w;

	/* IPv6 tries "6" first; the other numbers keep their order */
	if (family == AF_INET6 && attempt)
		n = attempt == 1 ? 6 : attempt - 1 < 6 ? attempt - 1 : attempt;
	if (n)
		w = snprintf(buf, len, "%s%u.%d", prefix, n, vrid);
	else
		w = snprintf(buf, len, "%s.%d", prefix, vrid);
	if (w < 0 || (size_t)w >= len || w >= VRRP_IFNAMSIZ)
		return -1;
	return 0;
}

const char *vrrp_vmac_addr_parent(const struct vrrp_instance_cfg *c,
				  const struct vrrp_ipaddr *ip)
{
	const char *dev = ip->dev ? ip->dev : c->interface;

	if (!dev || !(ip->use_vmac || (c->use_vmac && c->use_vmac_addr)))
		return NULL;
	if ((c->use_vmac || c->use_ipvlan) && (!ip->dev || (c->interface &&
							    !strcmp(dev, c->interface))))
		return NULL;
	return dev;
}

bool vrrp_vmac_takes(const struct vrrp_instance_cfg *c, const struct vrrp_ipaddr *ip)
{
	if (!ip->dev)
		return false;
	if (vrrp_vmac_addr_parent(c, ip))
		return true;
	/* the instance's own interface written out: its VMAC */
	return (ip->use_vmac || c->use_vmac_addr) && (c->use_vmac || c->use_ipvlan) &&
	       c->interface && !strcmp(ip->dev, c->interface);
}

/* ---- sysctls ------------------------------------------------------------------- */

static struct held_sysctl *held_find(struct vrrp_vmacs *r, const char *path)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->s[i].path, path))
			return &r->s[i];
	return NULL;
}

/* Set path to val (raise: to the larger of val and its value), keeping the
 * value found by the first holder for the restore. */
static void sysctl_hold(struct vrrp_vmacs *r, const char *path, int val, bool raise)
{
	struct held_sysctl *h = held_find(r, path);
	int cur, want;

	if (h)
		h->refs++;
	if (sysctl_read_int(path, &cur) < 0)
		return;
	if (!h) {
		r->s = xrealloc(r->s, (r->n + 1) * sizeof(*r->s));
		h = &r->s[r->n++];
		memset(h, 0, sizeof(*h));
		snprintf(h->path, sizeof(h->path), "%s", path);
		h->orig = cur;
		h->refs = 1;
	}
	/* set again when held already: the interface may have been re-created */
	want = raise && cur > val ? cur : val;
	if (cur == want)
		return;
	if (sysctl_write_int(path, want) < 0) {
		log_warn("cannot set %s to %d", path, want);
		return;
	}
	h->changed = true;
	log_info("%s set to %d (was %d)", path, want, cur);
}

static void sysctl_drop(struct vrrp_vmacs *r, const char *path, bool restore)
{
	struct held_sysctl *h = held_find(r, path);

	if (!h || --h->refs)
		return;
	/* the interface may be gone: nothing to restore then */
	if (restore && h->changed && sysctl_write_int(h->path, h->orig) == 0)
		log_info("%s restored to %d", h->path, h->orig);
	*h = r->s[--r->n];
}

/* (During a reload, instances not built yet are NULL in eng->inst.) */
static bool is_vmac_name(const struct vrrp_engine *eng, const char *name)
{
	for (size_t i = 0; i < eng->ninst; i++) {
		const struct vrrp_vmac *vm = eng->inst[i] ? eng->inst[i]->vmac : NULL;

		if (vm && vm->name[0] && !strcmp(vm->name, name))
			return true;
		for (size_t j = 0; vm && j < vm->nav; j++)
			if (!strcmp(vm->av[j].name, name))
				return true;
	}
	return false;
}

/* The kernel applies the larger of all.rp_filter and an interface's own
 * value, and adverts reach a VMAC from addresses routed via its parent: a
 * set all.rp_filter moves onto every interface (and "default"), then all
 * goes to 0, so the VMACs can have 0. */
static void rp_hold(struct vrrp_engine *eng, const char *own)
{
	struct vrrp_vmacs *r = eng->vmacs;
	char path[96];
	struct dirent *e;
	DIR *d;
	int all;

	if (r->rp_refs++ || sysctl_read_int(CONF4 "all/rp_filter", &all) < 0 || !all)
		return;
	d = opendir(CONF4);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "all") ||
		    !strcmp(e->d_name, own) || is_vmac_name(eng, e->d_name) ||
		    snprintf(path, sizeof(path), CONF4 "%s/rp_filter", e->d_name) >=
			    (int)sizeof(path))
			continue;
		sysctl_hold(r, path, all, true);
	}
	closedir(d);
	sysctl_hold(r, CONF4 "all/rp_filter", 0, false);
}

static void rp_drop(struct vrrp_vmacs *r, bool restore)
{
	static const char tail[] = "/rp_filter";

	if (!r->rp_refs || --r->rp_refs)
		return;
	for (size_t i = r->n; i-- > 0;) {
		size_t len = strlen(r->s[i].path);

		if (len > sizeof(tail) && !strcmp(r->s[i].path + len - sizeof(tail) + 1, tail) &&
		    !strncmp(r->s[i].path, CONF4, sizeof(CONF4) - 1))
			sysctl_drop(r, r->s[i].path, restore);
	}
}

static void conf_path(char *buf, size_t len, const char *base, const char *ifname,
		      const char *key)
{
	snprintf(buf, len, "%s%s/%s", base, ifname, key);
}

/* The ARP settings of a VMAC's parent; held (its name in held) once. */
static void hold_parent(struct vrrp_vmacs *r, char held[VRRP_IFNAMSIZ], const char *parent)
{
	char path[96];

	if (held[0] || !parent[0])
		return;
	snprintf(held, VRRP_IFNAMSIZ, "%s", parent);
	/* only the VMAC answers ARP for the VIPs it holds */
	conf_path(path, sizeof(path), CONF4, held, "arp_ignore");
	sysctl_hold(r, path, 1, true);
	conf_path(path, sizeof(path), CONF4, held, "arp_filter");
	sysctl_hold(r, path, 1, true);
	/* replies from a VIP may leave through the parent (its subnet route
	 * comes first): their ARP requests must not tell the neighbours that
	 * the VIP is at the parent's MAC */
	conf_path(path, sizeof(path), CONF4, held, "arp_announce");
	sysctl_hold(r, path, 2, true);
}

static void drop_parent(struct vrrp_vmacs *r, char held[VRRP_IFNAMSIZ], bool restore)
{
	char path[96];

	if (!held[0])
		return;
	conf_path(path, sizeof(path), CONF4, held, "arp_ignore");
	sysctl_drop(r, path, restore);
	conf_path(path, sizeof(path), CONF4, held, "arp_filter");
	sysctl_drop(r, path, restore);
	conf_path(path, sizeof(path), CONF4, held, "arp_announce");
	sysctl_drop(r, path, restore);
	held[0] = '\0';
}

/* The parent's and the namespace's settings the VMAC relies on. */
static void hold_shared(struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	struct vrrp_vmac *vm = vi->vmac;

	hold_parent(vi->eng->vmacs, vm->held_parent, vi->ifname);
	/* a backup's VMAC joins the advert group too: its IGMP reports would
	 * carry the virtual MAC and steal it in the switches' tables */
	if (!vm->held_igmp && !vm->ipvlan && c->family == AF_INET && !c->vmac_xmit_base &&
	    !vi->npeers) {
		vm->held_igmp = true;
		sysctl_hold(vi->eng->vmacs, IGMP_LLM, 0, false);
	}
	if (!vm->held_rp) {
		vm->held_rp = true;
		rp_hold(vi->eng, vm->name);
	}
}

static void drop_shared(struct vrrp_inst *vi, bool restore)
{
	struct vrrp_vmac *vm = vi->vmac;
	struct vrrp_vmacs *r = vi->eng->vmacs;

	drop_parent(r, vm->held_parent, restore);
	if (vm->held_igmp)
		sysctl_drop(r, IGMP_LLM, restore);
	if (vm->held_rp)
		rp_drop(r, restore);
	vm->held_igmp = vm->held_rp = false;
}

/* Is ip one of the addresses of the VMAC of parent (NULL: the instance's own)? */
static bool on_vmac(const struct vrrp_instance_cfg *c, const struct vrrp_ipaddr *ip,
		    const char *parent)
{
	const char *p = vrrp_vmac_addr_parent(c, ip);

	if (parent)
		return p && !strcmp(p, parent);
	return !p && (!ip->dev || vrrp_vmac_takes(c, ip));
}

static bool has_v6_on(const struct vrrp_instance_cfg *c, const char *parent)
{
	cfg_list_for_each(const struct vrrp_ipaddr, ip, &c->vips)
		if (on_vmac(c, ip, parent) && ip->addr.family == AF_INET6)
			return true;
	cfg_list_for_each(const struct vrrp_ipaddr, ip, &c->evips)
		if (on_vmac(c, ip, parent) && ip->addr.family == AF_INET6)
			return true;
	return false;
}

/* The settings of the VMAC name (parent: of an address VMAC, NULL for the
 * instance's own); it is ours, so they are never restored. */
static void set_own(struct vrrp_inst *vi, const char *name, const char *parent)
{
	static const struct { const char *base, *key; int val; } own[] = {
		{ CONF4, "arp_ignore", 1 },          /* no answers for the parent's addresses */
		/* replies between local addresses can arrive here: not martians */
		{ CONF4, "accept_local", 1 },
		{ CONF4, "rp_filter", 0 },           /* adverts' sources route via the parent */
		{ CONF4, "promote_secondaries", 1 }, /* one VIP leaving keeps the others */
		{ CONF6, "accept_ra", 0 },           /* no SLAAC address from the virtual MAC */
		{ CONF6, "autoconf", 0 },
	};
	char path[96];

	for (size_t i = 0; i < ARRAY_SIZE(own); i++) {
		conf_path(path, sizeof(path), own[i].base, name, own[i].key);
		if (sysctl_write_int(path, own[i].val) < 0)
			log_debug("(%s) cannot set %s", vi->cfg->name, path);
	}
	/* IPv6 on an IPv4 VMAC would only send MLD and NS from the virtual MAC */
	if (vi->cfg->family == AF_INET && !has_v6_on(vi->cfg, parent)) {
		conf_path(path, sizeof(path), CONF6, name, "disable_ipv6");
		(void)sysctl_write_int(path, 1);
	}
}

/* ---- the firewall ------------------------------------------------------------------ */

/* The multicast reports of the macvlan at ifindex on parent (0: none any
 * more) leave through the parent: tell the firewall when that changes. */
static void nft_track(struct vrrp_inst *vi, struct nft_reg *reg, int ifindex, int parent)
{
	if (reg->ifindex == ifindex && reg->parent == parent)
		return;
	if (reg->ifindex)
		vrrp_nft_vmac(vi->eng->nft, vi->vmac, reg->family, reg->ifindex, reg->parent,
			      false);
	reg->ifindex = ifindex;
	reg->parent = parent;
	reg->family = vi->cfg->family;
	if (ifindex)
		vrrp_nft_vmac(vi->eng->nft, vi->vmac, reg->family, ifindex, parent, true);
}

/* ---- the interface ----------------------------------------------------------------- */

static const char *kind_str(const struct vrrp_vmac *vm)
{
	return vm->ipvlan ? "IPVLAN" : "VMAC";
}

static const char *mac_str(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
	return buf;
}

static bool ipvlan_of(const struct vrrp_instance_cfg *c)
{
	return c->use_ipvlan && !c->use_vmac;
}

static const char *explicit_name(const struct vrrp_instance_cfg *c)
{
	return ipvlan_of(c) ? c->ipvlan_ifname : c->vmac_ifname;
}

static bool name_taken(char (*taken)[VRRP_IFNAMSIZ], size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(taken[i], name))
			return true;
	return false;
}

static void first_free(const char *prefix, const struct vrrp_instance_cfg *c,
		       char (*taken)[VRRP_IFNAMSIZ], size_t n, char *out)
{
	for (unsigned k = 0; k < MAX_CANDIDATES; k++) {
		if (vrrp_vmac_name_candidate(out, VRRP_IFNAMSIZ, prefix, c->vrid, c->family,
					     k) < 0)
			break;
		if (!name_taken(taken, n, out))
			return;
	}
	out[0] = '\0';
}

/* Names of interfaces, growing. */
struct name_list {
	char (*v)[VRRP_IFNAMSIZ];
	size_t n;
};

static char *name_push(struct name_list *l)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n][0] = '\0';
	return l->v[l->n++];
}

/* The distinct parents of c's address VMACs, in the order of the lines;
 * *out is allocated (free it). */
static size_t addr_parents(const struct vrrp_instance_cfg *c, const char ***out)
{
	const struct cfg_list *lists[2] = { &c->vips, &c->evips };
	size_t n = 0;

	*out = xcalloc(c->vips.n + c->evips.n + 1, sizeof(**out));
	for (int l = 0; l < 2; l++) {
		cfg_list_for_each(const struct vrrp_ipaddr, ip, lists[l]) {
			const char *p = vrrp_vmac_addr_parent(c, ip);
			size_t i = 0;

			while (p && i < n && strcmp((*out)[i], p))
				i++;
			if (p && i == n)
				(*out)[n++] = p;
		}
	}
	return n;
}

/* Append the names c's interfaces get, given those in l: its own VMAC's
 * (when wanted), then one per address VMAC. A generated name can only
 * collide with another of the same VRID, or with one written. */
static void inst_names(const char *prefix, const struct vrrp_instance_cfg *c, bool same_vrid,
		       struct name_list *l)
{
	const char **parents;
	size_t np = addr_parents(c, &parents);
	char *s;

	if ((c->use_vmac || c->use_ipvlan) && (explicit_name(c) || same_vrid)) {
		s = name_push(l);
		if (explicit_name(c))
			snprintf(s, VRRP_IFNAMSIZ, "%s", explicit_name(c));
		else
			first_free(prefix, c, l->v, l->n - 1, s);
	}
	for (size_t i = 0; same_vrid && i < np; i++) {
		s = name_push(l);
		first_free(prefix, c, l->v, l->n - 1, s);
	}
	free(parents);
}

/* Generated names, as keepalived makes them: the first free one of
 * vrrp_vmac_name_candidate() in the order of the instances, each instance's
 * own VMAC before its address VMACs. out gets c's names (free out->v). */
static void pick_names(const struct vrrp_engine *eng, const struct vrrp_instance_cfg *c,
		       struct name_list *out)
{
	const char *prefix = eng->g->vmac_prefix ? eng->g->vmac_prefix : "vrrp";
	struct name_list all = { 0 };
	size_t first;

	cfg_list_for_each(const struct vrrp_instance_cfg, o, &eng->v->instances) {
		if (o == c)
			break;
		inst_names(prefix, o, o->vrid == c->vrid, &all);
	}
	out->n = 0;
	out->v = NULL;
	first = all.n;
	inst_names(prefix, c, true, &all);
	for (size_t i = first; i < all.n; i++)
		snprintf(name_push(out), VRRP_IFNAMSIZ, "%s", all.v[i]);
	free(all.v);
}

static void delete_link(struct vrrp_inst *vi, const char *kind, const char *name, int ifindex)
{
	char err[ERRLEN];
	int idx = vrrp_nl_ifindex(vi->eng->nl, name);

	/* only the interface we made: the name may belong to another by now */
	if (idx <= 0 || idx != ifindex)
		return;
	if (vrrp_nl_link_delete(vi->eng->nl, idx, err, sizeof(err)) < 0)
		log_warnx("(%s) %s", vi->cfg->name, err);
	else
		log_info("(%s) deleted %s %s", vi->cfg->name, kind, name);
}

static void delete_if(struct vrrp_inst *vi)
{
	delete_link(vi, kind_str(vi->vmac), vi->vmac->name, vi->vmac->ifindex);
	nft_track(vi, &vi->vmac->nft, 0, 0);
}

/* Delete the address VMACs (unless keep) and forget them. */
static void drop_addr_vmacs(struct vrrp_inst *vi, bool keep)
{
	struct vrrp_vmac *vm = vi->vmac;

	for (size_t i = 0; i < vm->nav; i++) {
		if (vm->av[i].made && !keep)
			delete_link(vi, "VMAC", vm->av[i].name, vm->av[i].ifindex);
		if (!keep)
			nft_track(vi, &vm->av[i].nft, 0, 0);
		drop_parent(vi->eng->vmacs, vm->av[i].held_parent, !keep);
	}
	free(vm->av);
	vm->av = NULL;
	vm->nav = 0;
}

/* Give up the current interface (reload changed or removed it): a master's
 * addresses leave it first and come back on the next one. */
static void retire(struct vrrp_inst *vi)
{
	struct vrrp_vmac *vm = vi->vmac;

	if (vi->vips_set && vi->state == VRRP_STATE_MASTER) {
		vrrp_vip_apply(vi, false);
		vm->readd = true;
	}
	if (vm->made)
		delete_if(vi);
	drop_addr_vmacs(vi, false);
	drop_shared(vi, true);
	vm->name[0] = '\0';
	vm->ifindex = 0;
	vm->made = false;
}

/* Are the address VMACs those of parents and names (from index own on)? */
static bool same_addr_vmacs(const struct vrrp_vmac *vm, const char **parents, size_t np,
			    const struct name_list *names, size_t own)
{
	if (vm->nav != np)
		return false;
	for (size_t i = 0; i < np; i++)
		if (strcmp(vm->av[i].parent, parents[i]) || strcmp(vm->av[i].name,
								   names->v[own + i]))
			return false;
	return true;
}

/* Take the wish from the configuration (at creation and after a reload). */
static void reconfigure(struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	struct vrrp_vmac *vm = vi->vmac;
	char name[VRRP_IFNAMSIZ] = "";
	uint8_t mac[6] = { 0 };
	struct ka_addr addr = { .family = AF_UNSPEC };
	unsigned flags = 0;
	bool ipvlan = ipvlan_of(c);
	struct name_list names;
	const char **parents;
	size_t np = addr_parents(c, &parents), own;

	vm->for_cfg = c;
	vm->want = c->use_vmac || c->use_ipvlan;
	pick_names(vi->eng, c, &names);
	own = vm->want ? 1 : 0;
	if (vm->want && names.n)
		snprintf(name, sizeof(name), "%s", names.v[0]);
	for (size_t i = 0; i < names.n; i++)
		if (!names.v[i][0])
			log_warnx("(%s) no interface name of at most 15 characters can be made "
				  "from the prefix", c->name);
	if (ipvlan) {
		flags = c->ipvlan_mode == VRRP_IPVLAN_PRIVATE ? IPVLAN_F_PRIVATE :
			c->ipvlan_mode == VRRP_IPVLAN_VEPA ? IPVLAN_F_VEPA : 0;
		addr = c->ipvlan_addr;
	} else if (vm->want) {
		vrrp_vmac_mac(c, mac);
	}
	if ((vm->name[0] || vm->nav) &&
	    (strcmp(name, vm->name) || ipvlan != vm->ipvlan ||
	     memcmp(mac, vm->mac, sizeof(mac)) || flags != vm->flags ||
	     memcmp(&addr, &vm->addr, sizeof(addr)) || !same_addr_vmacs(vm, parents, np, &names,
									  own)))
		retire(vi);
	if (!vm->nav && np) {
		vm->av = xcalloc(np, sizeof(*vm->av));
		vm->nav = np;
		for (size_t i = 0; i < np; i++) {
			snprintf(vm->av[i].parent, VRRP_IFNAMSIZ, "%s", parents[i]);
			snprintf(vm->av[i].name, VRRP_IFNAMSIZ, "%s", names.v[own + i]);
		}
	}
	free(parents);
	free(names.v);
	memcpy(vm->name, name, sizeof(name));
	memcpy(vm->mac, mac, sizeof(mac));
	vm->ipvlan = ipvlan;
	vm->flags = flags;
	vm->addr = addr;
}

static void add_ipvlan_addr(struct vrrp_inst *vi)
{
	struct vrrp_vmac *vm = vi->vmac;
	struct vrrp_ipaddr ip = { .scope = -1, .preferred_lft = VRRP_LFT_FOREVER };
	char err[ERRLEN];

	if (!vm->addr.family)
		return;
	ip.addr = vm->addr;
	if (vrrp_nl_addr(vi->eng->nl, &ip, vm->ifindex, true, err, sizeof(err)) < 0)
		log_warnx("(%s) %s", vi->cfg->name, err);
}

/* Create (or adopt) the interface on the parent vi->ifindex. */
static int make(struct vrrp_inst *vi)
{
	struct vrrp_vmac *vm = vi->vmac;
	const struct vrrp_instance_cfg *c = vi->cfg;
	bool existed = vrrp_nl_ifindex(vi->eng->nl, vm->name) > 0, again = vm->made;
	char err[ERRLEN], mac[18];
	int idx = 0, rc;

	if (vm->ipvlan)
		rc = vrrp_nl_ipvlan_create(vi->eng->nl, vi->ifindex, vm->name, vm->flags, &idx,
					   err, sizeof(err));
	else
		rc = vrrp_nl_vmac_create(vi->eng->nl, vi->ifindex, vm->name, vm->mac, &idx, err,
					 sizeof(err));
	vm->ifindex = rc < 0 ? 0 : idx;
	if (rc < 0) {
		log_rl_msg(&vm->rl, LOG_ERR, "(%s) %s", c->name, err);
		return rc;
	}
	vm->made = true;
	if (again)
		log_info("(%s) %s %s was removed, re-created it on %s", c->name, kind_str(vm),
			 vm->name, vi->ifname);
	else if (vm->ipvlan)
		log_info("(%s) %s IPVLAN %s on %s", c->name, existed ? "using existing" :
			 "created", vm->name, vi->ifname);
	else
		log_info("(%s) %s VMAC %s on %s with MAC %s", c->name,
			 existed ? "using existing" : "created", vm->name, vi->ifname,
			 mac_str(vm->mac, mac));
	if (!vm->ipvlan)
		nft_track(vi, &vm->nft, idx, vi->ifindex);
	/* shared first: moving all.rp_filter must not undo the VMAC's 0 */
	hold_shared(vi);
	set_own(vi, vm->name, NULL);
	if (vm->ipvlan)
		add_ipvlan_addr(vi);
	return 0;
}

/* Is the interface there, on the right parent? Set it up again if someone
 * set it down. */
static bool present(struct vrrp_inst *vi)
{
	struct vrrp_vmac *vm = vi->vmac;
	struct vrrp_nl *nl = vi->eng->nl;
	char err[ERRLEN];
	int idx = vrrp_nl_ifindex(nl, vm->name);

	if (idx <= 0 || idx != vm->ifindex || vrrp_nl_link_parent(nl, idx) != vi->ifindex)
		return false;
	if (!vrrp_nl_link_admin_up(nl, idx)) {
		log_rl_msg(&vm->rl, LOG_INFO, "(%s) %s %s is down, setting it up", vi->cfg->name,
			   kind_str(vm), vm->name);
		if (vrrp_nl_link_set_up(nl, idx, true, err, sizeof(err)) < 0)
			log_rl_msg(&vm->rl, LOG_ERR, "(%s) %s", vi->cfg->name, err);
	}
	return true;
}

bool vrrp_vmac_uses_addr_vmacs(const struct vrrp_instance_cfg *c)
{
	cfg_list_for_each(const struct vrrp_ipaddr, ip, &c->vips)
		if (vrrp_vmac_takes(c, ip))
			return true;
	cfg_list_for_each(const struct vrrp_ipaddr, ip, &c->evips)
		if (vrrp_vmac_takes(c, ip))
			return true;
	return false;
}

/* Make sure address VMAC a exists on its parent (created, re-created, set
 * up). Best effort: failures are logged. */
static void addr_vmac_relink(struct vrrp_inst *vi, struct addr_vmac *a)
{
	struct vrrp_vmac *vm = vi->vmac;
	struct vrrp_nl *nl = vi->eng->nl;
	int parent = a->name[0] ? vrrp_nl_ifindex(nl, a->parent) : 0;
	int idx = vrrp_nl_ifindex(nl, a->name);
	char err[ERRLEN], mac_s[18];
	uint8_t mac[6];
	bool existed = idx > 0;

	if (parent <= 0) {
		a->ifindex = 0;
		return;
	}
	if (idx > 0 && idx == a->ifindex && vrrp_nl_link_parent(nl, idx) == parent) {
		if (!vrrp_nl_link_admin_up(nl, idx) &&
		    vrrp_nl_link_set_up(nl, idx, true, err, sizeof(err)) < 0)
			log_rl_msg(&vm->rl, LOG_ERR, "(%s) %s", vi->cfg->name, err);
		return;
	}
	vrrp_vmac_mac(vi->cfg, mac);
	if (vrrp_nl_vmac_create(nl, parent, a->name, mac, &idx, err, sizeof(err)) < 0) {
		a->ifindex = 0;
		log_rl_msg(&vm->rl, LOG_ERR, "(%s) %s", vi->cfg->name, err);
		return;
	}
	log_info("(%s) %s VMAC %s on %s with MAC %s for its addresses there", vi->cfg->name,
		 a->made ? "re-created" : existed ? "using existing" : "created", a->name,
		 a->parent, mac_str(mac, mac_s));
	a->ifindex = idx;
	a->made = true;
	nft_track(vi, &a->nft, idx, parent);
	hold_parent(vi->eng->vmacs, a->held_parent, a->parent);
	if (!vm->held_rp) {
		vm->held_rp = true;
		rp_hold(vi->eng, a->name);
	}
	set_own(vi, a->name, a->parent);
	/* a master's addresses there went with the old interface */
	if (vi->state == VRRP_STATE_MASTER && vi->vips_set)
		vm->readd = true;
}

static bool extra_wanted(const struct vrrp_instance_cfg *c)
{
	return c->garp_extra_if && c->garp_extra_if != VRRP_UNSET_TIMER;
}

static struct vrrp_vmac *vmac_new(struct vrrp_inst *vi)
{
	struct vrrp_engine *eng = vi->eng;

	if (!eng->vmacs)
		eng->vmacs = xcalloc(1, sizeof(*eng->vmacs));
	eng->vmacs->users++;
	vi->vmac = xcalloc(1, sizeof(*vi->vmac));
	return vi->vmac;
}

unsigned vrrp_vmac_relink(struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	struct vrrp_vmac *vm = vi->vmac;
	unsigned fault = 0;

	if (!vm && !c->use_vmac && !c->use_ipvlan && !extra_wanted(c) &&
	    !vrrp_vmac_uses_addr_vmacs(c))
		return 0;
	if (!vm)
		vm = vmac_new(vi);
	if (vm->for_cfg != c) {
		reconfigure(vi);
		/* a reload may have changed garp_extra_if under a master */
		if (vi->state == VRRP_STATE_MASTER)
			vrrp_vmac_garp_start(vi);
	}
	if (vm->want && (!vm->name[0] || !vi->ifindex)) {
		vm->ifindex = 0;
		fault = VRRP_FAULT_NO_IF;
	} else if (vm->want && !present(vi) && make(vi) < 0) {
		fault = VRRP_FAULT_NO_IF;
	}
	for (size_t i = 0; i < vm->nav; i++)
		addr_vmac_relink(vi, &vm->av[i]);
	if (vm->readd && !fault) {
		vm->readd = false;
		if (vi->state == VRRP_STATE_MASTER) {
			vrrp_vip_apply(vi, true);
			vrrp_vip_announce(vi, c->garp_master_repeat, 0);
		}
	}
	return fault;
}

int vrrp_vmac_vip_ifindex(const struct vrrp_inst *vi)
{
	const struct vrrp_vmac *vm = vi->vmac;

	return vm && vm->want ? vm->ifindex : -1;
}

void vrrp_vmac_readd(struct vrrp_inst *vi)
{
	if (!vi->vmac)
		vmac_new(vi);
	vi->vmac->readd = true;
}

int vrrp_vmac_ip_ifindex(const struct vrrp_inst *vi, const struct vrrp_ipaddr *ip)
{
	const struct vrrp_vmac *vm = vi->vmac;
	const char *parent = vrrp_vmac_addr_parent(vi->cfg, ip);

	if (parent) {
		for (size_t i = 0; vm && i < vm->nav; i++)
			if (!strcmp(vm->av[i].parent, parent))
				return vm->av[i].ifindex;
		return 0;       /* not made (yet) */
	}
	return vrrp_vip_ifindex(vi, vrrp_vmac_takes(vi->cfg, ip) ? NULL : ip->dev);
}

bool vrrp_vmac_sock_if(const struct vrrp_inst *vi, int *ifindex, const char **ifname)
{
	const struct vrrp_vmac *vm = vi->vmac;

	if (!vm || !vm->want || vi->cfg->vmac_xmit_base)
		return false;
	*ifindex = vm->ifindex;
	*ifname = vm->name;
	return true;
}

void vrrp_vmac_free(struct vrrp_inst *vi)
{
	struct vrrp_vmac *vm = vi->vmac;
	struct vrrp_vmacs *r = vi->eng->vmacs;
	bool keep = vi->eng->stopping && vi->eng->keep_addrs;

	if (!vm)
		return;
	ev_cancel(&vm->garp_timer);
	/* -V leaves the addresses, so their interface and settings stay too */
	if (vm->made && !keep)
		delete_if(vi);
	drop_addr_vmacs(vi, keep);
	drop_shared(vi, !keep);
	free(vm);
	vi->vmac = NULL;
	if (--r->users == 0) {
		free(r->s);
		free(r);
		vi->eng->vmacs = NULL;
	}
}

/* ---- garp_extra_if ------------------------------------------------------------------- */

/* Is ifindex the VMAC/IPVLAN of some instance? */
static bool is_vmac_index(const struct vrrp_engine *eng, int ifindex)
{
	for (size_t i = 0; i < eng->ninst; i++) {
		const struct vrrp_vmac *vm = eng->inst[i] ? eng->inst[i]->vmac : NULL;

		if (vm && vm->want && vm->ifindex == ifindex)
			return true;
		for (size_t j = 0; vm && j < vm->nav; j++)
			if (vm->av[j].ifindex == ifindex)
				return true;
	}
	return false;
}

/* One GARP/NA per interface other than the advert one; without "all"
 * only VMACs, whose MAC no advert refreshes in the switches. */
static void extra_round(struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	const struct cfg_list *lists[2] = { &c->vips, &c->evips };
	int *done = xcalloc(c->vips.n + c->evips.n + 1, sizeof(*done));
	int xmit = vi->ifindex;
	const char *xname;
	size_t ndone = 0;

	vrrp_vmac_sock_if(vi, &xmit, &xname);
	for (int l = 0; l < 2; l++) {
		cfg_list_for_each(const struct vrrp_ipaddr, ip, lists[l]) {
			int idx = vrrp_vmac_ip_ifindex(vi, ip);
			bool seen = false;

			for (size_t i = 0; i < ndone && !seen; i++)
				seen = done[i] == idx;
			if (idx <= 0 || idx == xmit || seen ||
			    (!c->garp_extra_if_all && !is_vmac_index(vi->eng, idx)))
				continue;
			done[ndone++] = idx;
			vrrp_vip_announce_on(vi, ip, idx, &vi->vmac->rl);
		}
	}
	if (ndone)
		log_debug("(%s) extra GARP/NA on %zu interface%s", c->name, ndone,
			  ndone == 1 ? "" : "s");
	free(done);
}

static void extra_cb(struct ev_loop *loop, void *arg)
{
	struct vrrp_inst *vi = arg;

	if (vi->state != VRRP_STATE_MASTER || !vi->vmac)
		return;
	if (vi->vips_set)
		extra_round(vi);
	vrrp_vmac_garp_start(vi);
}

void vrrp_vmac_garp_start(struct vrrp_inst *vi)
{
	struct vrrp_vmac *vm = vi->vmac;

	if (!vm)
		return;
	if (!extra_wanted(vi->cfg)) {
		ev_cancel(&vm->garp_timer);
		return;
	}
	ev_timer_add(vi->eng->loop, extra_cb, vi, vi->cfg->garp_extra_if, &vm->garp_timer);
}

void vrrp_vmac_garp_stop(struct vrrp_inst *vi)
{
	if (vi->vmac)
		ev_cancel(&vi->vmac->garp_timer);
}

/* ---- reports ---------------------------------------------------------------------------- */

void vrrp_vmac_dump(const struct vrrp_inst *vi, FILE *out)
{
	const struct vrrp_vmac *vm = vi->vmac;
	const struct vrrp_instance_cfg *c = vi->cfg;
	char mac[18];

	if (!vm)
		return;
	if (vm->want && vm->ipvlan)
		fprintf(out, "   IPVLAN = %s (index %d), adverts on %s\n", vm->name, vm->ifindex,
			c->vmac_xmit_base ? "the parent interface" : "the IPVLAN");
	else if (vm->want)
		fprintf(out, "   VMAC = %s (index %d), MAC %s, adverts on %s\n", vm->name,
			vm->ifindex, mac_str(vm->mac, mac),
			c->vmac_xmit_base ? "the parent interface" : "the VMAC");
	for (size_t i = 0; i < vm->nav; i++)
		fprintf(out, "   Address VMAC = %s (index %d) on %s\n", vm->av[i].name,
			vm->av[i].ifindex, vm->av[i].parent);
	if (extra_wanted(c))
		fprintf(out, "   Extra GARP interval = %llu s, on %s\n",
			(unsigned long long)(c->garp_extra_if / SEC_US),
			c->garp_extra_if_all ? "all other interfaces" : "other VMACs");
}

void vrrp_vmac_json(const struct vrrp_inst *vi, FILE *out)
{
	const struct vrrp_vmac *vm = vi->vmac;
	bool on = vm && vm->want;

	/* names are checked interface names: no JSON escaping needed */
	fprintf(out, ",\"vmac_ifname\":\"%s\",\"vmac_ifindex\":%d,\"vmac_xmit_base\":%d",
		on ? vm->name : "", on ? vm->ifindex : 0, on && vi->cfg->vmac_xmit_base);
}
