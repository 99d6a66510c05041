/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_linkbeat.c - link state of chosen interfaces polled with MII, ethtool or ioctl */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/mii.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_ifdelay.h"
#include "vrrp/vrrp_linkbeat.h"
#include "vrrp/vrrp_nl.h"

struct lb_ent {
	char ifname[IFNAMSIZ];
	int type;           /* enum vrrp_linkbeat_type as configured */
	int used;           /* the method that answered, VRRP_LB_DEFAULT = none yet */
	bool known, up;
};

struct vrrp_linkbeat {
	struct vrrp_engine *eng;
	struct lb_ent *e;
	size_t n, cap;
	int fd;             /* any socket will do for the interface ioctls */
	struct ev_timer *timer;
};

static const char *const lb_names[] = {
	[VRRP_LB_DEFAULT] = "auto", [VRRP_LB_MII] = "MII",
	[VRRP_LB_ETHTOOL] = "ETHTOOL", [VRRP_LB_IOCTL] = "IOCTL",
};

/* ---- one poll ------------------------------------------------------------------ */

static void ifr_init(struct ifreq *ifr, const char *name)
{
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", name);
}

/* Returns 1 up, 0 down, -1 when the driver does not answer this way. */
static int poll_mii(int fd, const char *name)
{
	struct ifreq ifr;
	struct mii_ioctl_data *mii = (struct mii_ioctl_data *)&ifr.ifr_data;

	ifr_init(&ifr, name);
	if (ioctl(fd, SIOCGMIIPHY, &ifr) < 0)
		return -1;
	mii->reg_num = MII_BMSR;
	if (ioctl(fd, SIOCGMIIREG, &ifr) < 0)
		return -1;
	return (mii->val_out & BMSR_LSTATUS) ? 1 : 0;
}

static int poll_ethtool(int fd, const char *name)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_GLINK };
	struct ifreq ifr;

	ifr_init(&ifr, name);
	ifr.ifr_data = (char *)&ev;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return -1;
	return ev.data ? 1 : 0;
}

static int poll_ioctl(int fd, const char *name)
{
	struct ifreq ifr;

	ifr_init(&ifr, name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	return (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
}

static int poll_with(int type, int fd, const char *name)
{
	switch (type) {
	case VRRP_LB_MII:
		return poll_mii(fd, name);
	case VRRP_LB_ETHTOOL:
		return poll_ethtool(fd, name);
	default:
		return poll_ioctl(fd, name);
	}
}

/* State of one interface now; logs a method that stops answering once. */
static bool poll_one(struct vrrp_linkbeat *lb, struct lb_ent *e)
{
	static const int order[] = { VRRP_LB_MII, VRRP_LB_ETHTOOL, VRRP_LB_IOCTL };
	int r;

	if (vrrp_nl_ifindex(lb->eng->nl, e->ifname) <= 0)
		return false;
	if (e->used != VRRP_LB_DEFAULT) {
		r = poll_with(e->used, lb->fd, e->ifname);
		if (r >= 0)
			return r;
		log_warnx("linkbeat: %s no longer answers %s polls", e->ifname,
			  lb_names[e->used]);
		e->used = VRRP_LB_DEFAULT;
	}
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (e->type != VRRP_LB_DEFAULT && e->type != order[i])
			continue;
		r = poll_with(order[i], lb->fd, e->ifname);
		if (r < 0)
			continue;
		e->used = order[i];
		log_info("linkbeat: polling %s with %s", e->ifname, lb_names[e->used]);
		return r;
	}
	return false; /* nothing answers: treated as down */
}

static void poll_cb(struct ev_loop *loop, void *arg)
{
	struct vrrp_linkbeat *lb = arg;
	bool changed = false;

	for (size_t i = 0; i < lb->n; i++) {
		struct lb_ent *e = &lb->e[i];
		bool up = poll_one(lb, e);

		if (e->known && up == e->up)
			continue;
		if (e->known)
			log_info("linkbeat: %s link %s (%s)", e->ifname, up ? "up" : "down",
				 lb_names[e->used]);
		changed |= e->known;
		e->known = true;
		e->up = up;
	}
	ev_timer_add(loop, poll_cb, lb, VRRP_LINKBEAT_POLL_US, &lb->timer);
	if (changed)
		vrrp_link_changed_all(lb->eng);
}

/* ---- the list ------------------------------------------------------------------ */

static void lb_add(struct vrrp_linkbeat *lb, const char *name, int type)
{
	struct lb_ent *e;

	if (!name)
		return;
	for (size_t i = 0; i < lb->n; i++)
		if (!strcmp(lb->e[i].ifname, name)) {
			if (type != VRRP_LB_DEFAULT)
				lb->e[i].type = type;
			return;
		}
	if (lb->n == lb->cap) {
		lb->cap = lb->cap ? 2 * lb->cap : 8;
		lb->e = xrealloc(lb->e, lb->cap * sizeof(*lb->e));
	}
	e = &lb->e[lb->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->ifname, sizeof(e->ifname), "%s", name);
	e->type = type;
}

static void lb_add_tracks(struct vrrp_linkbeat *lb, const struct vrrp_tracks *t)
{
	cfg_list_for_each(const struct vrrp_track_ref, r, &t->ifs)
		lb_add(lb, r->name, VRRP_LB_DEFAULT);
}

static void lb_collect(struct vrrp_linkbeat *lb, const struct vrrp_cfg *v, bool all)
{
	cfg_list_for_each(const struct vrrp_linkbeat_cfg, c, &v->linkbeat_ifs)
		lb_add(lb, c->ifname, c->type);
	cfg_list_for_each(const struct vrrp_instance_cfg, c, &v->instances) {
		if (all || c->linkbeat_use_polling)
			lb_add(lb, c->interface, VRRP_LB_DEFAULT);
		if (all)
			lb_add_tracks(lb, &c->tracks);
	}
	cfg_list_for_each(const struct vrrp_sync_group_cfg, sg, &v->sync_groups)
		if (all)
			lb_add_tracks(lb, &sg->tracks);
}

struct vrrp_linkbeat *vrrp_linkbeat_start(struct vrrp_engine *eng)
{
	struct vrrp_linkbeat *lb = xcalloc(1, sizeof(*lb));

	lb->eng = eng;
	lb_collect(lb, eng->v, eng->g->linkbeat_use_polling);
	if (!lb->n) {
		free(lb);
		return NULL;
	}
	lb->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (lb->fd < 0) {
		log_warn("linkbeat: cannot open a socket, link states come from netlink");
		free(lb->e);
		free(lb);
		return NULL;
	}
	/* the first poll now, so instances start with the polled states */
	poll_cb(eng->loop, lb);
	return lb;
}

struct vrrp_linkbeat *vrrp_linkbeat_reload(struct vrrp_linkbeat *old, struct vrrp_engine *eng)
{
	struct vrrp_linkbeat *lb = vrrp_linkbeat_start(eng);

	vrrp_linkbeat_free(old);
	return lb;
}

void vrrp_linkbeat_free(struct vrrp_linkbeat *lb)
{
	if (!lb)
		return;
	ev_cancel(&lb->timer);
	if (lb->fd >= 0)
		close(lb->fd);
	free(lb->e);
	free(lb);
}

bool vrrp_linkbeat_up(const struct vrrp_linkbeat *lb, struct vrrp_nl *nl, int ifindex)
{
	char name[IFNAMSIZ];

	if (lb && vrrp_nl_ifname(nl, ifindex, name, sizeof(name)) == 0)
		for (size_t i = 0; i < lb->n; i++)
			if (lb->e[i].known && !strcmp(lb->e[i].ifname, name))
				return lb->e[i].up;
	return vrrp_nl_link_is_up(nl, ifindex);
}
