/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_nl_tool.c - test tool: drive the VRRP netlink layer from a keepalived.conf */
#include <errno.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "ev.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_nl.h"

/*
 * vrrp_nl_tool -f CONF [-i IF] add|del instance NAME
 *     install / remove the VIPs, eVIPs, virtual routes and rules of NAME;
 *     addresses without dev go on IF (default: the instance's interface)
 * vrrp_nl_tool -f CONF [-i IF] add|del static
 *     the same for static_ipaddress/routes/rules (default IF:
 *     global_defs default_interface, else eth0 if it exists)
 * vrrp_nl_tool [-f CONF] monitor [-n COUNT] [-t SECONDS] [-b BYTES]
 *     print "ready", then one line per callback until COUNT lines were
 *     printed, SECONDS passed, or SIGTERM/SIGINT (-b: monitor socket
 *     buffer, forced, to provoke overflows):
 *       link IFINDEX NAME up|down / linkdel IFINDEX NAME /
 *       addr add|del ADDR/PREFIX IFINDEX / resynced /
 *       route del DST/LEN table T metric M[ matches FILE:LINE] /
 *       rule del pref P from A to B table T[ matches FILE:LINE]
 *     (the configuration line of CONF that installs the route or rule)
 * vrrp_nl_tool vmac PARENT NAME MAC      create a VMAC, print its ifindex
 * vrrp_nl_tool linkdel NAME              delete an interface (absent is ok)
 * vrrp_nl_tool info IF                   print what the lookups return
 * Exit status 0, or 1 with the error on stderr.
 */

struct tool {
	const char *conf;
	const char *ifname;
	long count;
	long seen;
	unsigned rcvbuf;
	struct ka_config *cfg; /* monitor -f: routes and rules to match */
	struct ev_loop *loop;
};

static void diag_emit(void *arg, enum cfg_level lvl, const char *msg)
{
	fprintf(stderr, "%s\n", msg);
}

static struct ka_config *load(const char *path)
{
	struct cfg_diag diag = { .emit = diag_emit };
	struct cfg_read_opts opts = { 0 };
	struct ka_config *c = ka_config_load(path, &opts, &diag);

	if (c && c->errors) {
		fprintf(stderr, "vrrp_nl_tool: %s: %u errors\n", path, c->errors);
		ka_config_free(c);
		c = NULL;
	}
	return c;
}

static int resolve_if(struct vrrp_nl *nl, const char *name)
{
	int idx = vrrp_nl_ifindex(nl, name);

	if (idx < 0)
		fprintf(stderr, "vrrp_nl_tool: %s: no such interface\n", name);
	return idx;
}

static int apply(struct tool *t, bool add, const char *what, const char *name)
{
	struct ka_config *c = t->conf ? load(t->conf) : NULL;
	struct vrrp_nl *nl = vrrp_nl_open(NULL, NULL, NULL);
	const struct vrrp_instance_cfg *inst = NULL;
	const char *ifname = t->ifname;
	char err[512] = "";
	int rc = -1, idx;

	if (!c || !nl)
		goto out;
	if (!strcmp(what, "instance")) {
		inst = name ? vrrp_cfg_find_instance(c->vrrp, name) : NULL;
		if (!inst) {
			fprintf(stderr, "vrrp_nl_tool: no instance %s\n", name ? name : "given");
			goto out;
		}
		if (!ifname)
			ifname = inst->interface;
	} else if (!ifname && c->global->default_interface) {
		ifname = c->global->default_interface;
	}
	/* Without -i or default_interface, "eth0" is used if it exists. */
	idx = ifname ? resolve_if(nl, ifname) : vrrp_nl_ifindex(nl, "eth0");
	if (idx < 0 && ifname)
		goto out;
	if (idx < 0)
		idx = 0;
	rc = inst ? vrrp_nl_apply_instance(nl, inst, idx, add, err, sizeof(err)) :
		    vrrp_nl_apply_static(nl, c->vrrp, idx, add, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "vrrp_nl_tool: %s\n", err);
out:
	vrrp_nl_close(nl);
	if (c)
		ka_config_free(c);
	return rc < 0 ? 1 : 0;
}

/* ---- monitor ------------------------------------------------------------------ */

static void seen(struct tool *t)
{
	fflush(stdout);
	if (t->count > 0 && ++t->seen >= t->count)
		ev_break(t->loop);
}

static void link_changed(int ifindex, const char *ifname, bool up, void *arg)
{
	printf("link %d %s %s\n", ifindex, ifname, up ? "up" : "down");
	seen(arg);
}

static void link_deleted(int ifindex, const char *ifname, void *arg)
{
	printf("linkdel %d %s\n", ifindex, ifname);
	seen(arg);
}

static void addr_changed(int family, const struct ka_addr *addr, int ifindex, bool added,
			 void *arg)
{
	char buf[KA_ADDR_STRLEN];

	printf("addr %s %s %d\n", added ? "add" : "del", ka_addr_str(addr, buf), ifindex);
	seen(arg);
}

/* " matches FILE:LINE" of the first configuration line installing the
 * route (rule), or "". */
static const char *route_line(struct tool *t, const struct vrrp_nl_route_key *k, char *buf,
			      size_t len)
{
	const struct vrrp_cfg *v = t->cfg ? t->cfg->vrrp : NULL;

	buf[0] = '\0';
	if (!v)
		return buf;
	cfg_list_for_each(const struct vrrp_instance_cfg, inst, &v->instances)
		cfg_list_for_each(const struct vrrp_route, r, &inst->vroutes)
			if (!buf[0] && vrrp_nl_route_match(r, k))
				snprintf(buf, len, " matches %s:%u", r->loc.file, r->loc.line);
	cfg_list_for_each(const struct vrrp_route, r, &v->static_routes)
		if (!buf[0] && vrrp_nl_route_match(r, k))
			snprintf(buf, len, " matches %s:%u", r->loc.file, r->loc.line);
	return buf;
}

static const char *rule_line(struct tool *t, const struct vrrp_nl_rule_key *k, char *buf,
			     size_t len)
{
	const struct vrrp_cfg *v = t->cfg ? t->cfg->vrrp : NULL;

	buf[0] = '\0';
	if (!v)
		return buf;
	cfg_list_for_each(const struct vrrp_instance_cfg, inst, &v->instances)
		cfg_list_for_each(const struct vrrp_rule, r, &inst->vrules)
			if (!buf[0] && vrrp_nl_rule_match(r, k))
				snprintf(buf, len, " matches %s:%u", r->loc.file, r->loc.line);
	cfg_list_for_each(const struct vrrp_rule, r, &v->static_rules)
		if (!buf[0] && vrrp_nl_rule_match(r, k))
			snprintf(buf, len, " matches %s:%u", r->loc.file, r->loc.line);
	return buf;
}

static void route_deleted(const struct vrrp_nl_route_key *k, void *arg)
{
	char d[KA_ADDR_STRLEN], m[300];

	printf("route del %s table %u metric %u%s\n", ka_addr_str(&k->dst, d), k->table,
	       k->metric, route_line(arg, k, m, sizeof(m)));
	seen(arg);
}

static void rule_deleted(const struct vrrp_nl_rule_key *k, void *arg)
{
	char f[KA_ADDR_STRLEN] = "all", to[KA_ADDR_STRLEN] = "all", m[300];

	if (k->from.family)
		ka_addr_str(&k->from, f);
	if (k->to.family)
		ka_addr_str(&k->to, to);
	printf("rule del pref %u from %s to %s table %u%s\n", k->priority, f, to, k->table,
	       rule_line(arg, k, m, sizeof(m)));
	seen(arg);
}

static void resynced(void *arg)
{
	printf("resynced\n");
	seen(arg);
}

static void stop_cb(struct ev_loop *loop, void *arg)
{
	ev_break(loop);
}

static void signal_cb(struct ev_loop *loop, int signo, void *arg)
{
	ev_break(loop);
}

static int monitor(struct tool *t, long seconds)
{
	static const struct vrrp_nl_cbs cbs = {
		.link_changed = link_changed, .link_deleted = link_deleted,
		.addr_changed = addr_changed, .route_deleted = route_deleted,
		.rule_deleted = rule_deleted, .resynced = resynced,
	};
	struct vrrp_nl *nl;

	if (t->conf && !(t->cfg = load(t->conf)))
		return 1;
	t->loop = ev_loop_new();
	if (!t->loop)
		return 1;
	nl = vrrp_nl_open(t->loop, &cbs, t);
	if (!nl) {
		fprintf(stderr, "vrrp_nl_tool: open: %s\n", strerror(errno));
		ev_loop_free(t->loop);
		return 1;
	}
	if (t->rcvbuf && vrrp_nl_set_rcvbuf(nl, true, t->rcvbuf, true) < 0)
		fprintf(stderr, "vrrp_nl_tool: cannot set the buffer size\n");
	ev_signal_add(t->loop, SIGTERM, signal_cb, NULL);
	ev_signal_add(t->loop, SIGINT, signal_cb, NULL);
	if (seconds > 0)
		ev_timer_add(t->loop, stop_cb, NULL, (uint64_t)seconds * 1000000, NULL);
	printf("ready\n");
	fflush(stdout);
	ev_run(t->loop);
	vrrp_nl_close(nl);
	ev_loop_free(t->loop);
	if (t->cfg)
		ka_config_free(t->cfg);
	return 0;
}

/* ---- one-shot link commands ------------------------------------------------------ */

static int vmac(const char *parent, const char *name, const char *mac_s)
{
	struct vrrp_nl *nl = vrrp_nl_open(NULL, NULL, NULL);
	unsigned m[6];
	uint8_t mac[6];
	char err[512];
	int pidx, idx, rc = 1;

	if (!nl || sscanf(mac_s, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
			  &m[5]) != 6) {
		fprintf(stderr, "vrrp_nl_tool: bad MAC %s\n", mac_s);
		goto out;
	}
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
	pidx = resolve_if(nl, parent);
	if (pidx < 0)
		goto out;
	if (vrrp_nl_vmac_create(nl, pidx, name, mac, &idx, err, sizeof(err)) < 0) {
		fprintf(stderr, "vrrp_nl_tool: %s\n", err);
		goto out;
	}
	printf("%d\n", idx);
	rc = 0;
out:
	vrrp_nl_close(nl);
	return rc;
}

static int linkdel(const char *name)
{
	struct vrrp_nl *nl = vrrp_nl_open(NULL, NULL, NULL);
	char err[512];
	int idx, rc = 1;

	if (!nl)
		return 1;
	idx = vrrp_nl_ifindex(nl, name);
	if (idx < 0 || vrrp_nl_link_delete(nl, idx, err, sizeof(err)) == 0)
		rc = 0;
	else
		fprintf(stderr, "vrrp_nl_tool: %s\n", err);
	vrrp_nl_close(nl);
	return rc;
}

static int info(const char *name)
{
	struct vrrp_nl *nl = vrrp_nl_open(NULL, NULL, NULL);
	char buf[64] = "", a4[INET_ADDRSTRLEN] = "-", a6[INET6_ADDRSTRLEN] = "-";
	struct in_addr in4;
	struct in6_addr in6;
	uint8_t mac[6] = { 0 };
	int idx = nl ? resolve_if(nl, name) : -1;

	if (idx < 0) {
		vrrp_nl_close(nl);
		return 1;
	}
	vrrp_nl_ifname(nl, idx, buf, sizeof(buf));
	vrrp_nl_link_mac(nl, idx, mac);
	if (vrrp_nl_primary_ipv4(nl, idx, &in4) == 0)
		inet_ntop(AF_INET, &in4, a4, sizeof(a4));
	if (vrrp_nl_ipv6_linklocal(nl, idx, &in6) == 0)
		inet_ntop(AF_INET6, &in6, a6, sizeof(a6));
	printf("ifindex %d name %s up %d mtu %d parent %d "
	       "mac %02x:%02x:%02x:%02x:%02x:%02x ipv4 %s ll6 %s\n",
	       idx, buf, vrrp_nl_link_is_up(nl, idx), vrrp_nl_link_mtu(nl, idx),
	       vrrp_nl_link_parent(nl, idx), mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
	       a4, a6);
	vrrp_nl_close(nl);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: vrrp_nl_tool -f CONF [-i IF] add|del instance NAME|static\n"
		"       vrrp_nl_tool [-f CONF] monitor [-n COUNT] [-t SECONDS] [-b BYTES]\n"
		"       vrrp_nl_tool vmac PARENT NAME MAC | linkdel NAME | info IF\n");
	return 1;
}

int main(int argc, char **argv)
{
	struct tool t = { 0 };
	long seconds = 0;
	int opt;

	while ((opt = getopt(argc, argv, "b:f:i:n:t:")) != -1) {
		switch (opt) {
		case 'b': t.rcvbuf = (unsigned)atol(optarg); break;
		case 'f': t.conf = optarg; break;
		case 'i': t.ifname = optarg; break;
		case 'n': t.count = atol(optarg); break;
		case 't': seconds = atol(optarg); break;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc >= 2 && (!strcmp(argv[0], "add") || !strcmp(argv[0], "del")))
		return apply(&t, argv[0][0] == 'a', argv[1], argc > 2 ? argv[2] : NULL);
	if (argc == 1 && !strcmp(argv[0], "monitor"))
		return monitor(&t, seconds);
	if (argc == 4 && !strcmp(argv[0], "vmac"))
		return vmac(argv[1], argv[2], argv[3]);
	if (argc == 2 && !strcmp(argv[0], "linkdel"))
		return linkdel(argv[1]);
	if (argc == 2 && !strcmp(argv[0], "info"))
		return info(argv[1]);
	return usage();
}
