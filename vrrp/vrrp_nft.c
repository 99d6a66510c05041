/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nft.c - RFC 5798 Accept_Mode off (no_accept): nftables drops traffic to a master's VIPs */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h> /* before the kernel's headers, which then skip their copies */
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "daemon/global_cfg.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_nft.h"
#include "vrrp/vrrp_nft_msg.h"
#include "vrrp/vrrp_vmac.h"

#define NFT_TIMEOUT_MS 1000     /* the kernel answers a batch while we send it */
#define NFT_RCVBUF 8192
#define NFT_KEYMAX 32           /* IPv6 address and interface name */
#define ND_SOLICIT 135
#define ND_ADVERT 136

/* The sets addresses go to: one per family, and for IPv6 link-local
 * addresses (which exist on every link) one keyed with the interface; the
 * maps of VMACs to their parents (key: the VMAC's index, then the parent's,
 * both in host order) whose multicast reports are moved. */
enum nft_kind { K_V4, K_V6, K_LL_INDEX, K_LL_NAME, K_VMAC4, K_VMAC6, K_MAX };

#define VMAC_MAP(id) { "vmac_map", id, VRRP_NFT_TYPE_IFINDEX, 4, NFT_SET_MAP, \
		       VRRP_NFT_HOST_ENDIAN, VRRP_NFT_TYPE_IFINDEX, 4 }

static const struct nft_kind_info {
	uint8_t family;
	struct vrrp_nft_set_spec set;
} kinds[K_MAX] = {
	[K_V4] = { NFPROTO_IPV4,
		   { "vips", 1, VRRP_NFT_TYPE_IPADDR, 4, 0, VRRP_NFT_BIG_ENDIAN, 0, 0 } },
	[K_V6] = { NFPROTO_IPV6,
		   { "vips", 1, VRRP_NFT_TYPE_IP6ADDR, 16, 0, VRRP_NFT_BIG_ENDIAN, 0, 0 } },
	[K_LL_INDEX] = { NFPROTO_IPV6,
			 { "vips_link_local", 3,
			   VRRP_NFT_CONCAT(VRRP_NFT_TYPE_IP6ADDR, VRRP_NFT_TYPE_IFINDEX), 20, 0,
			   VRRP_NFT_HOST_ENDIAN, 0, 0 } },
	[K_LL_NAME] = { NFPROTO_IPV6,
			{ "vips_link_local_name", 4,
			  VRRP_NFT_CONCAT(VRRP_NFT_TYPE_IP6ADDR, VRRP_NFT_TYPE_IFNAME), 32, 0,
			  VRRP_NFT_HOST_ENDIAN, 0, 0 } },
	[K_VMAC4] = { NFPROTO_IPV4, VMAC_MAP(5) },
	[K_VMAC6] = { NFPROTO_IPV6, VMAC_MAP(5) },
};

static const struct vrrp_nft_set_spec nd_set = {
	"neighbor-discovery", 2, VRRP_NFT_TYPE_ICMP6_TYPE, 1, NFT_SET_CONSTANT,
	VRRP_NFT_HOST_ENDIAN, 0, 0
};

/* IPv6 VMACs again, for the router solicitation drop */
static const struct vrrp_nft_set_spec vmac_set = {
	"vmac_set", 6, VRRP_NFT_TYPE_IFINDEX, 4, 0, VRRP_NFT_HOST_ENDIAN, 0, 0
};

struct nft_key {
	uint8_t kind;           /* enum nft_kind */
	uint8_t b[NFT_KEYMAX];  /* kinds[kind].set.key_len bytes used, rest zero */
};

/* One address an instance holds in a set. */
struct nft_entry {
	const void *owner;
	struct nft_key key;
};

/* What one change sends: keys new to the kernel and keys it must forget. */
struct nft_change {
	struct nft_key *add, *del;
	size_t nadd, ndel;
};

/* What global_defs says about the tables. */
struct nft_settings {
	char table[NFT_TABLE_MAXNAMELEN];
	int32_t prio;
	bool counters, ifindex;
};

struct vrrp_nft {
	struct mnl_socket *sock;
	uint32_t portid, seq;
	struct nft_settings set;
	bool built[2];          /* [0] ip, [1] ip6: table, chains, base sets, rules */
	bool dirty[2];          /* a transaction failed: rebuild at the next change */
	bool ll_built[2];       /* the link-local sets by index / by name, with rules */
	bool vm_built[2];       /* [family] the VMAC map (and set), with rules */
	struct nft_entry *e;
	size_t n, cap;
	struct log_rl rl;
	uint8_t rbuf[NFT_RCVBUF];
};

/* The kernel's state once a batch succeeds: starts as a copy of the
 * current one, the builders change it, a success makes it current. */
struct nft_plan {
	bool touched[2];        /* families the batch changes (dirty if it fails) */
	bool built[2], ll[2], vm[2];
};

static int fam_index(uint8_t family)
{
	return family == NFPROTO_IPV6;
}

/* ---- settings and entries ----------------------------------------------- */

static void take_settings(struct nft_settings *set, const struct global_cfg *g)
{
	snprintf(set->table, sizeof(set->table), "%s", g->nftables ? g->nftables : "keepalived");
	set->prio = g->nftables_priority;
	set->counters = g->nftables_counters;
	set->ifindex = g->nftables_ifindex;
}

struct vrrp_nft *vrrp_nft_new(const struct global_cfg *g)
{
	struct vrrp_nft *nft = xcalloc(1, sizeof(*nft));

	take_settings(&nft->set, g);
	return nft;
}

bool vrrp_nft_wanted(const struct vrrp_instance_cfg *c)
{
	return c && c->accept == 0 && c->priority != 255;
}

bool vrrp_nft_needed(const struct global_cfg *g, const struct vrrp_cfg *v)
{
	if (g->nftables)
		return true;
	cfg_list_for_each(const struct vrrp_instance_cfg, c, &v->instances)
		if (vrrp_nft_wanted(c) || c->use_vmac || vrrp_vmac_uses_addr_vmacs(c))
			return true;
	return false;
}

static bool key_eq(const struct nft_key *a, const struct nft_key *b)
{
	return a->kind == b->kind && !memcmp(a->b, b->b, kinds[a->kind].set.key_len);
}

static bool key_in(const struct nft_key *k, const struct nft_key *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (key_eq(k, &list[i]))
			return true;
	return false;
}

static bool has_kind(const struct nft_key *list, size_t n, int k)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].kind == k)
			return true;
	return false;
}

/* Is k held by owner (by anyone when owner is NULL)? */
static bool held(const struct vrrp_nft *nft, const void *owner, const struct nft_key *k)
{
	for (size_t i = 0; i < nft->n; i++)
		if ((!owner || nft->e[i].owner == owner) && key_eq(k, &nft->e[i].key))
			return true;
	return false;
}

static void entry_add(struct vrrp_nft *nft, const void *owner, const struct nft_key *k)
{
	if (nft->n == nft->cap) {
		nft->cap = nft->cap ? 2 * nft->cap : 16;
		nft->e = xrealloc(nft->e, nft->cap * sizeof(*nft->e));
	}
	nft->e[nft->n].owner = owner;
	nft->e[nft->n++].key = *k;
}

static void push(struct nft_key **list, size_t *n, const struct nft_key *k)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = *k;
}

/* ---- keys of an instance ------------------------------------------------- */

/* The interface a link-local address lives on, by name. */
static const char *addr_ifname(const struct vrrp_inst *vi, const struct vrrp_ipaddr *ip)
{
	const struct global_cfg *g = vi->eng->g;

	if (ip->dev)
		return ip->dev;
	if (vi->ifname[0])
		return vi->ifname;
	return g && g->default_interface ? g->default_interface : "eth0";
}

/* The set key of ip, or false when it cannot have one (interface unknown). */
static bool addr_key(const struct vrrp_nft *nft, const struct vrrp_inst *vi,
		     const struct vrrp_instance_cfg *c, const struct vrrp_ipaddr *ip,
		     struct nft_key *k)
{
	memset(k, 0, sizeof(*k));
	if (ip->addr.family == AF_INET) {
		k->kind = K_V4;
		memcpy(k->b, &ip->addr.u.v4, 4);
		return true;
	}
	memcpy(k->b, &ip->addr.u.v6, 16);
	if (!IN6_IS_ADDR_LINKLOCAL(&ip->addr.u.v6)) {
		k->kind = K_V6;
		return true;
	}
	/* keyed by name when the interface may come and go (dont_track_primary):
	 * an index would not match the interface created again */
	if (c->dont_track_primary && !nft->set.ifindex) {
		k->kind = K_LL_NAME;
		snprintf((char *)k->b + 16, 16, "%s", addr_ifname(vi, ip));
		return true;
	}
	uint32_t idx = (uint32_t)vrrp_vmac_ip_ifindex(vi, ip);
	if (!idx)
		return false;
	k->kind = K_LL_INDEX;
	memcpy(k->b + 16, &idx, sizeof(idx)); /* meta iif is in host order */
	return true;
}

static size_t inst_keys(const struct vrrp_nft *nft, const struct vrrp_inst *vi,
			const struct vrrp_instance_cfg *c, struct nft_key **out)
{
	const struct cfg_list *lists[] = { &c->vips, &c->evips };
	char buf[KA_ADDR_STRLEN];
	size_t n = 0;

	*out = xcalloc(c->vips.n + c->evips.n + 1, sizeof(**out));
	for (size_t l = 0; l < 2; l++) {
		cfg_list_for_each(const struct vrrp_ipaddr, ip, lists[l]) {
			if (addr_key(nft, vi, c, ip, &(*out)[n]))
				n++;
			else
				log_warnx("(%s) no_accept: interface of %s unknown, not filtered",
					  c->name, ka_addr_str(&ip->addr, buf));
		}
	}
	return n;
}

/* ---- batches ------------------------------------------------------------------ */

static void add_link_local(const struct vrrp_nft *nft, struct vrrp_nft_batch *b, int k)
{
	bool by_name = k == K_LL_NAME;

	vrrp_nft_msg_set(b, NFPROTO_IPV6, nft->set.table, &kinds[k].set);
	vrrp_nft_msg_rule_ll_drop(b, nft->set.table, "in_link_local", VRRP_NFT_DST, by_name,
				  kinds[k].set.name, nft->set.counters);
	vrrp_nft_msg_rule_ll_drop(b, nft->set.table, "out_link_local", VRRP_NFT_SRC, by_name,
				  kinds[k].set.name, nft->set.counters);
}

/* The VMAC map (and set) of family f, with the rules that use them. */
static void add_vmac(const struct vrrp_nft *nft, struct vrrp_nft_batch *b, uint8_t f)
{
	const char *t = nft->set.table;
	bool v6 = f == NFPROTO_IPV6;

	vrrp_nft_msg_set(b, f, t, &kinds[v6 ? K_VMAC6 : K_VMAC4].set);
	vrrp_nft_msg_rule_vmac_report(b, f, t, "out", "vmac_map", nft->set.counters);
	if (v6) {
		vrrp_nft_msg_set(b, f, t, &vmac_set);
		vrrp_nft_msg_rule_vmac_rs_drop(b, t, "out", vmac_set.name, nft->set.counters);
	}
}

/* Table, chains, sets and rules of family f (NFPROTO_*). */
static void add_skeleton(const struct vrrp_nft *nft, struct vrrp_nft_batch *b, uint8_t f)
{
	static const uint8_t nd[] = { ND_SOLICIT, ND_ADVERT };
	const char *t = nft->set.table;
	bool cnt = nft->set.counters;
	bool v6 = f == NFPROTO_IPV6;

	vrrp_nft_msg_table(b, f, t, true);
	vrrp_nft_msg_chain(b, f, t, "in", NF_INET_LOCAL_IN, nft->set.prio);
	vrrp_nft_msg_chain(b, f, t, "out", NF_INET_LOCAL_OUT, nft->set.prio);
	vrrp_nft_msg_set(b, f, t, &kinds[v6 ? K_V6 : K_V4].set);
	if (v6) {
		vrrp_nft_msg_chain(b, f, t, "in_link_local", -1, 0);
		vrrp_nft_msg_chain(b, f, t, "out_link_local", -1, 0);
		/* a constant set gets its elements before a rule binds it */
		vrrp_nft_msg_set(b, f, t, &nd_set);
		vrrp_nft_msg_elems(b, f, t, nd_set.name, nd, 1, sizeof(nd), true);
		/* address resolution of a VIP must keep working */
		vrrp_nft_msg_rule_icmp6_accept(b, t, "in", nd_set.name, cnt);
		vrrp_nft_msg_rule_icmp6_accept(b, t, "out", nd_set.name, cnt);
		vrrp_nft_msg_rule_ll_goto(b, t, "in", VRRP_NFT_DST, "in_link_local", cnt);
		vrrp_nft_msg_rule_ll_goto(b, t, "out", VRRP_NFT_SRC, "out_link_local", cnt);
	}
	vrrp_nft_msg_rule_addr_drop(b, f, t, "in", VRRP_NFT_DST, "vips", cnt);
	vrrp_nft_msg_rule_addr_drop(b, f, t, "out", VRRP_NFT_SRC, "vips", cnt);
}

/* One element message for the keys of kind k among list (n keys). */
static void add_elems(const struct vrrp_nft *nft, struct vrrp_nft_batch *b, int k,
		      const struct nft_key *list, size_t n, bool add)
{
	size_t len = kinds[k].set.key_len, m = 0;
	uint8_t *keys = xmalloc(n * NFT_KEYMAX + 1);

	uint8_t *data = xmalloc(n * 4 + 1);
	bool vmac = k == K_VMAC4 || k == K_VMAC6;

	for (size_t i = 0; i < n; i++) {
		if (list[i].kind != k || key_in(&list[i], list, i))
			continue;
		if (vmac)
			memcpy(data + m * 4, list[i].b + 4, 4); /* the parent */
		memcpy(keys + m++ * len, list[i].b, len);
	}
	if (m)
		vrrp_nft_msg_map_elems(b, kinds[k].family, nft->set.table, kinds[k].set.name, keys,
				       len, data, vmac ? 4 : 0, m, add);
	if (m && k == K_VMAC6)
		vrrp_nft_msg_elems(b, NFPROTO_IPV6, nft->set.table, vmac_set.name, keys, len, m,
				   add);
	free(keys);
	free(data);
}

/* The whole family f from the entries: the old table (if any) goes and
 * a new one comes in the same transaction, so drops never lapse. */
static void add_family(const struct vrrp_nft *nft, struct vrrp_nft_batch *b, int f,
		       struct nft_plan *p)
{
	uint8_t fam = f ? NFPROTO_IPV6 : NFPROTO_IPV4;
	struct nft_key *keys = xcalloc(nft->n + 1, sizeof(*keys));
	bool has = false;

	for (size_t i = 0; i < nft->n; i++) {
		keys[i] = nft->e[i].key;
		has |= fam_index(kinds[keys[i].kind].family) == f;
	}
	if (nft->built[f] || nft->dirty[f]) {
		/* "add" first: deleting a table that is not there would fail */
		vrrp_nft_msg_table(b, fam, nft->set.table, true);
		vrrp_nft_msg_table(b, fam, nft->set.table, false);
	}
	p->touched[f] = true;
	p->built[f] = has;
	p->vm[f] = false;
	if (f)
		p->ll[0] = p->ll[1] = false;
	if (has) {
		add_skeleton(nft, b, fam);
		for (int k = 0; k < K_MAX; k++) {
			if (fam_index(kinds[k].family) != f)
				continue;
			if ((k == K_LL_INDEX || k == K_LL_NAME) && has_kind(keys, nft->n, k)) {
				add_link_local(nft, b, k);
				p->ll[k - K_LL_INDEX] = true;
			}
			if ((k == K_VMAC4 || k == K_VMAC6) && has_kind(keys, nft->n, k)) {
				add_vmac(nft, b, fam);
				p->vm[f] = true;
			}
			add_elems(nft, b, k, keys, nft->n, true);
		}
	}
	free(keys);
}

/* Only what changed, on a family whose table is in place. */
static void add_delta(const struct vrrp_nft *nft, struct vrrp_nft_batch *b, int f,
		      const struct nft_change *ch, struct nft_plan *p)
{
	p->touched[f] = true;
	for (int k = 0; k < K_MAX; k++) {
		if (fam_index(kinds[k].family) != f)
			continue;
		if ((k == K_LL_INDEX || k == K_LL_NAME) && !p->ll[k - K_LL_INDEX] &&
		    has_kind(ch->add, ch->nadd, k)) {
			add_link_local(nft, b, k);
			p->ll[k - K_LL_INDEX] = true;
		}
		if ((k == K_VMAC4 || k == K_VMAC6) && !p->vm[f] && has_kind(ch->add, ch->nadd, k)) {
			add_vmac(nft, b, kinds[k].family);
			p->vm[f] = true;
		}
		add_elems(nft, b, k, ch->add, ch->nadd, true);
		add_elems(nft, b, k, ch->del, ch->ndel, false);
	}
}

static void plan_init(const struct vrrp_nft *nft, struct nft_plan *p)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->built, nft->built, sizeof(p->built));
	memcpy(p->ll, nft->ll_built, sizeof(p->ll));
	memcpy(p->vm, nft->vm_built, sizeof(p->vm));
}

static void plan_apply(struct vrrp_nft *nft, const struct nft_plan *p, bool ok)
{
	for (int f = 0; f < 2; f++) {
		if (!p->touched[f])
			continue;
		nft->dirty[f] = !ok;
		if (ok) {
			nft->built[f] = p->built[f];
			nft->vm_built[f] = p->vm[f];
		}
	}
	if (ok && p->touched[1])
		memcpy(nft->ll_built, p->ll, sizeof(p->ll));
}

/* Batch buffer for the current entries plus n more keys. */
static size_t batch_cap(const struct vrrp_nft *nft, size_t n)
{
	return 16384 + (nft->n + n) * (NFT_KEYMAX + 32);
}

/* ---- the socket ----------------------------------------------------------------- */

static void log_failure(const struct vrrp_nft *nft, const char *what, int err,
			const char *detail)
{
	log_warnx("nftables: %s (table %s): %s%s%s%s", what ? what : "transaction", nft->set.table,
		  strerror(-err), detail && *detail ? " (" : "", detail ? detail : "",
		  detail && *detail ? ")" : "");
}

/* Log a failure of what; returns err. */
static int fail(const struct vrrp_nft *nft, const char *what, int err, const char *detail)
{
	log_failure(nft, what, err, detail);
	return err;
}

/* Wait until the socket has data. Returns 0 or a negative errno. */
static int wait_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n;

	do
		n = poll(&pfd, 1, NFT_TIMEOUT_MS);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

/* Collect the answers to batch b. Returns 0 or the first error (logged). */
static int read_answers(struct vrrp_nft *nft, const struct vrrp_nft_batch *b)
{
	struct vrrp_nft_reply r[VRRP_NFT_BATCH_MAX];
	int fd = mnl_socket_get_fd(nft->sock), first = 0, rc;
	unsigned got = 0;

	while (got < b->nmsg) {
		const char *why = NULL;
		ssize_t len = recv(fd, nft->rbuf, sizeof(nft->rbuf), MSG_DONTWAIT);

		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0 && errno == EAGAIN) {
			rc = wait_readable(fd);
			if (rc)
				return fail(nft, "waiting for the kernel", rc, NULL);
			continue;
		}
		if (len < 0)
			return fail(nft, "receive", -errno, NULL);
		rc = vrrp_nft_msg_replies(nft->rbuf, (size_t)len, r, VRRP_NFT_BATCH_MAX, NULL,
					  &why);
		if (rc < 0)
			return fail(nft, "reading the kernel's answer", rc, why);
		for (int i = 0; i < rc; i++) {
			const char *what = vrrp_nft_batch_what(b, r[i].seq);

			/* the batch as a whole was refused: nothing else comes */
			if (r[i].seq == b->seq0 && r[i].error)
				return fail(nft, "batch", r[i].error, r[i].msg);
			if (!what)
				continue;       /* a late answer to an earlier batch */
			got++;
			if (r[i].error && !first)
				first = fail(nft, what, r[i].error, r[i].msg);
		}
	}
	return first;
}

/* Close batch b, send it, wait for every answer. Returns 0 or an errno. */
static int transact(struct vrrp_nft *nft, struct vrrp_nft_batch *b)
{
	int rc = vrrp_nft_batch_end(b);

	nft->seq = b->seq;
	if (rc)
		return fail(nft, "building the batch", rc, NULL);
	if (!b->nmsg)
		return 0;
	if (mnl_socket_sendto(nft->sock, b->buf, b->len) < 0) {
		rc = -errno;
		log_failure(nft, "send", rc, NULL);
		return rc;
	}
	return read_answers(nft, b);
}

/* Delete the tables of our name in both families (an earlier run's, or
 * ours at the end). */
static int delete_tables(struct vrrp_nft *nft)
{
	uint8_t buf[1024];
	struct vrrp_nft_batch b;

	vrrp_nft_batch_init(&b, buf, sizeof(buf), nft->seq + 1);
	for (int f = 0; f < 2; f++) {
		vrrp_nft_msg_table(&b, f ? NFPROTO_IPV6 : NFPROTO_IPV4, nft->set.table, true);
		vrrp_nft_msg_table(&b, f ? NFPROTO_IPV6 : NFPROTO_IPV4, nft->set.table, false);
	}
	return transact(nft, &b);
}

static int nft_open(struct vrrp_nft *nft)
{
	int one = 1, rc;

	if (nft->sock)
		return 0;
	nft->sock = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!nft->sock || mnl_socket_bind(nft->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		log_failure(nft, "open netlink socket", rc, NULL);
		if (nft->sock)
			mnl_socket_close(nft->sock);
		nft->sock = NULL;
		return rc;
	}
	nft->portid = mnl_socket_get_portid(nft->sock);
	nft->seq = (uint32_t)mono_usec();
	/* older kernels lack these: errors then come without their text */
	mnl_socket_setsockopt(nft->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nft->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	memset(nft->built, 0, sizeof(nft->built));
	memset(nft->ll_built, 0, sizeof(nft->ll_built));
	memset(nft->vm_built, 0, sizeof(nft->vm_built));
	rc = delete_tables(nft);
	nft->dirty[0] = nft->dirty[1] = rc != 0;
	if (!rc)
		log_debug("nftables: table %s of an earlier run (if any) deleted", nft->set.table);
	return rc;
}

int vrrp_nft_prepare(struct vrrp_nft *nft)
{
	if (nft->sock)
		return 0;
	log_info("nftables: table %s (no_accept addresses, VMAC multicast reports)",
		 nft->set.table);
	return nft_open(nft);
}

/* ---- changes -------------------------------------------------------------------- */

/* One batch for ch: families whose table is in place get the difference,
 * the others are built from the entries. Returns 0, 1 when it failed on a
 * table in place (worth rebuilding), -1 when a rebuild failed. */
static int send_change(struct vrrp_nft *nft, const struct nft_change *ch, const bool touch[2])
{
	size_t cap = batch_cap(nft, ch->nadd + ch->ndel);
	uint8_t *buf = xmalloc(cap);
	struct vrrp_nft_batch b;
	bool delta = false;
	struct nft_plan p;
	int rc;

	vrrp_nft_batch_init(&b, buf, cap, nft->seq + 1);
	plan_init(nft, &p);
	for (int f = 0; f < 2; f++) {
		if (!touch[f])
			continue;
		if (!nft->built[f] || nft->dirty[f]) {
			add_family(nft, &b, f, &p);
		} else {
			add_delta(nft, &b, f, ch, &p);
			delta = true;
		}
	}
	rc = transact(nft, &b);
	plan_apply(nft, &p, rc == 0);
	free(buf);
	if (!rc)
		return 0;
	return delta ? 1 : -1;
}

/* Send ch (the entries already say what should be). A difference the
 * kernel refuses (someone deleted the table or an element) is followed by
 * a rebuild from the entries at once. */
static void commit(struct vrrp_nft *nft, const struct nft_change *ch)
{
	bool touch[2] = { false, false };

	for (size_t i = 0; i < ch->nadd; i++)
		touch[fam_index(kinds[ch->add[i].kind].family)] = true;
	for (size_t i = 0; i < ch->ndel; i++)
		touch[fam_index(kinds[ch->del[i].kind].family)] = true;
	if (!nft->sock)
		nft_open(nft);
	if (!nft->sock) {
		nft->dirty[0] |= touch[0];
		nft->dirty[1] |= touch[1];
		return;
	}
	if (send_change(nft, ch, touch) > 0 && send_change(nft, ch, touch) == 0)
		log_info("nftables: table %s rebuilt", nft->set.table);
}

void vrrp_nft_inst_set(struct vrrp_nft *nft, const struct vrrp_inst *vi,
		       const struct vrrp_instance_cfg *c, bool keep)
{
	struct nft_change ch = { 0 };
	struct nft_key *want = NULL;
	size_t nwant = 0, added = 0, removed = 0;
	const char *name = c ? c->name : vi->cfg->name;

	if (!nft)
		return;
	if (vrrp_nft_wanted(c))
		nwant = inst_keys(nft, vi, c, &want);
	for (size_t i = 0; i < nwant; i++) {
		if (held(nft, vi, &want[i]) || key_in(&want[i], want, i))
			continue;
		if (!held(nft, NULL, &want[i]))
			push(&ch.add, &ch.nadd, &want[i]);
		entry_add(nft, vi, &want[i]);
		added++;
	}
	for (size_t i = nft->n; !keep && i-- > 0;) {
		struct nft_key k = nft->e[i].key;

		if (nft->e[i].owner != vi || key_in(&k, want, nwant))
			continue;
		nft->e[i] = nft->e[--nft->n];
		removed++;
		if (!held(nft, NULL, &k))
			push(&ch.del, &ch.ndel, &k);
	}
	if (ch.nadd || ch.ndel)
		commit(nft, &ch);
	if (added)
		log_info("(%s) no_accept: dropping traffic to %zu address%s (nftables table %s)",
			 name, added, added == 1 ? "" : "es", nft->set.table);
	if (removed)
		log_info("(%s) no_accept: %zu address%s no longer dropped", name, removed,
			 removed == 1 ? "" : "es");
	free(want);
	free(ch.add);
	free(ch.del);
}

void vrrp_nft_vmac(struct vrrp_nft *nft, const void *owner, int family, int ifindex,
		   int parent, bool add)
{
	struct nft_change ch = { 0 };
	struct nft_key k = { .kind = family == AF_INET6 ? K_VMAC6 : K_VMAC4 };
	uint32_t idx = (uint32_t)ifindex, par = (uint32_t)parent;
	size_t i;

	if (!nft || ifindex <= 0)
		return;
	memcpy(k.b, &idx, 4);  /* meta oif is in host order */
	memcpy(k.b + 4, &par, 4);
	for (i = 0; i < nft->n; i++)
		if (nft->e[i].owner == owner && key_eq(&k, &nft->e[i].key))
			break;
	if (add == (i < nft->n))
		return;
	if (add) {
		if (!held(nft, NULL, &k))
			push(&ch.add, &ch.nadd, &k);
		entry_add(nft, owner, &k);
	} else {
		nft->e[i] = nft->e[--nft->n];
		if (!held(nft, NULL, &k))
			push(&ch.del, &ch.ndel, &k);
	}
	if (ch.nadd || ch.ndel)
		commit(nft, &ch);
	free(ch.add);
	free(ch.del);
}

void vrrp_nft_reload(struct vrrp_nft *nft, const struct global_cfg *g)
{
	struct nft_settings nw;
	struct vrrp_nft_batch b;
	struct nft_plan p;
	uint8_t *buf;

	take_settings(&nw, g);
	if (!strcmp(nw.table, nft->set.table) && nw.prio == nft->set.prio &&
	    nw.counters == nft->set.counters) {
		nft->set.ifindex = nw.ifindex;
		return;
	}
	if (!nft->sock) {
		nft->set = nw;
		return;
	}
	log_info("nftables: table %s replaced by %s (priority %d%s)", nft->set.table, nw.table,
		 nw.prio, nw.counters ? ", counters" : "");
	buf = xmalloc(batch_cap(nft, 0));
	vrrp_nft_batch_init(&b, buf, batch_cap(nft, 0), nft->seq + 1);
	for (int f = 0; f < 2; f++) {
		/* the old name goes whatever state it is in */
		vrrp_nft_msg_table(&b, f ? NFPROTO_IPV6 : NFPROTO_IPV4, nft->set.table, true);
		vrrp_nft_msg_table(&b, f ? NFPROTO_IPV6 : NFPROTO_IPV4, nft->set.table, false);
	}
	nft->set = nw;
	memset(nft->built, 0, sizeof(nft->built));
	memset(nft->dirty, 0, sizeof(nft->dirty));
	memset(nft->ll_built, 0, sizeof(nft->ll_built));
	memset(nft->vm_built, 0, sizeof(nft->vm_built));
	plan_init(nft, &p);
	add_family(nft, &b, 0, &p);
	add_family(nft, &b, 1, &p);
	plan_apply(nft, &p, transact(nft, &b) == 0);
	free(buf);
}

void vrrp_nft_free(struct vrrp_nft *nft, bool keep)
{
	if (!nft)
		return;
	if (nft->sock && !keep && delete_tables(nft) == 0 && (nft->built[0] || nft->built[1]))
		log_info("nftables: table %s deleted", nft->set.table);
	if (nft->sock)
		mnl_socket_close(nft->sock);
	free(nft->e);
	free(nft);
}
