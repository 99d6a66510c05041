/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_promote.c - promote_secondaries: the sysctl set on instance interfaces while we run */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sysctl.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_promote.h"

struct promote_ent {
	char ifname[VRRP_IFNAMSIZ];
	int old;             /* saved value, 0 or 1; -1 = not set (interface absent) */
	bool wanted;         /* scratch for vrrp_promote_sync() */
};

struct vrrp_promote {
	struct promote_ent *e;
	size_t n;
};

static void promote_path(char *buf, size_t len, const char *ifname)
{
	snprintf(buf, len, "/proc/sys/net/ipv4/conf/%s/promote_secondaries", ifname);
}

/* Save and set; leaves e->old -1 when the interface is not there yet. */
static void ent_apply(struct promote_ent *e)
{
	char path[96];
	int old, rc;

	promote_path(path, sizeof(path), e->ifname);
	if (e->old >= 0 || sysctl_read_int(path, &old) < 0)
		return;
	old = old != 0;
	rc = sysctl_write_int(path, 1);
	if (rc < 0) {
		log_warnx("promote_secondaries: cannot set it on %s: %s", e->ifname,
			  strerror(-rc));
		return;
	}
	e->old = old;
	log_info("promote_secondaries set on %s (was %d)", e->ifname, old);
}

static void ent_restore(struct promote_ent *e)
{
	char path[96];
	int rc;

	/* only a 0 we turned into 1 needs writing back */
	if (e->old != 0)
		return;
	promote_path(path, sizeof(path), e->ifname);
	rc = sysctl_write_int(path, e->old);
	if (rc < 0 && rc != -ENOENT)
		log_warnx("promote_secondaries: cannot restore %s: %s", e->ifname,
			  strerror(-rc));
	else if (rc == 0)
		log_info("promote_secondaries on %s restored to %d", e->ifname, e->old);
}

static struct promote_ent *find(struct vrrp_promote *p, const char *ifname)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->e[i].ifname, ifname))
			return &p->e[i];
	return NULL;
}

struct vrrp_promote *vrrp_promote_sync(struct vrrp_promote *p, const struct vrrp_cfg *v)
{
	size_t keep = 0;

	if (!p)
		p = xcalloc(1, sizeof(*p));
	for (size_t i = 0; i < p->n; i++)
		p->e[i].wanted = false;
	cfg_list_for_each(const struct vrrp_instance_cfg, c, &v->instances) {
		struct promote_ent *e;

		if (!c->promote_secondaries || !c->interface)
			continue;
		e = find(p, c->interface);
		if (!e) {
			p->e = xrealloc(p->e, (p->n + 1) * sizeof(*p->e));
			e = &p->e[p->n++];
			memset(e, 0, sizeof(*e));
			snprintf(e->ifname, sizeof(e->ifname), "%s", c->interface);
			e->old = -1;
		}
		e->wanted = true;
	}
	for (size_t i = 0; i < p->n; i++) {
		if (!p->e[i].wanted) {
			ent_restore(&p->e[i]);
			continue;
		}
		ent_apply(&p->e[i]);
		p->e[keep++] = p->e[i];
	}
	p->n = keep;
	if (!p->n) {
		vrrp_promote_restore(p);
		return NULL;
	}
	return p;
}

void vrrp_promote_restore(struct vrrp_promote *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		ent_restore(&p->e[i]);
	free(p->e);
	free(p);
}
