/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_promote.c - promote_secondaries: the sysctl set on instance interfaces while we run */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_promote.h"

struct promote_ent {
	char ifname[VRRP_IFNAMSIZ];
	char old;            /* saved value, '0' or '1'; 0 = not set (interface absent) */
	bool wanted;         /* scratch for vrrp_promote_sync() */
};

struct vrrp_promote {
	struct promote_ent *e;
	size_t n;
};

static void sysctl_path(char *buf, size_t len, const char *ifname)
{
	snprintf(buf, len, "/proc/sys/net/ipv4/conf/%s/promote_secondaries", ifname);
}

/* Read the value ('0' or '1'). Returns 0 or -errno. */
static int sysctl_read(const char *ifname, char *val)
{
	char path[96], buf[8];
	ssize_t n;
	int fd;

	sysctl_path(path, sizeof(path), ifname);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	*val = buf[0] == '0' ? '0' : '1';
	return 0;
}

static int sysctl_write(const char *ifname, char val)
{
	char path[96], buf[2] = { val, '\n' };
	ssize_t n;
	int fd;

	sysctl_path(path, sizeof(path), ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, sizeof(buf));
	close(fd);
	return n == (ssize_t)sizeof(buf) ? 0 : -EIO;
}

/* Save and set; leaves e->old 0 when the interface is not there yet. */
static void ent_apply(struct promote_ent *e)
{
	char old = 0;
	int rc;

	if (e->old || sysctl_read(e->ifname, &old) < 0)
		return;
	rc = sysctl_write(e->ifname, '1');
	if (rc < 0) {
		log_warnx("promote_secondaries: cannot set it on %s: %s", e->ifname,
			  strerror(-rc));
		return;
	}
	e->old = old;
	log_info("promote_secondaries set on %s (was %c)", e->ifname, old);
}

static void ent_restore(struct promote_ent *e)
{
	int rc;

	if (!e->old || e->old == '1')
		return;
	rc = sysctl_write(e->ifname, e->old);
	if (rc < 0 && rc != -ENOENT)
		log_warnx("promote_secondaries: cannot restore %s: %s", e->ifname,
			  strerror(-rc));
	else if (rc == 0)
		log_info("promote_secondaries on %s restored to %c", e->ifname, e->old);
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
