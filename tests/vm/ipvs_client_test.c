/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipvs_client_test.c - drive the IPVS netlink client against a real kernel (run in the test VM) */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipvs-glue/ipvs_names.h"
#include "ipvs-glue/ipvs_nl.h"

/*
 * Usage: ipvs_client_test STEP   with STEP one of
 *   setup     flush, add the table below, edit a weight and a scheduler,
 *             read everything back and compare field by field
 *   dump      print the table as the client reads it, sorted
 *   errors    requests the kernel must refuse, with the expected errno
 *   stats     read the counters of the UDP datagrams setup sent, zero them
 *   daemon    start master and backup sync daemons on IFNAME (argv[2])
 *   nodaemon  stop them and check none is left
 *   timeouts  set and read back the protocol timeouts
 *   teardown  delete a destination and a service, flush, check empty
 * Prints what it does; exits 0 when every check held, 1 otherwise.
 */

struct want_dest {
	const char *addr;
	uint16_t port;
	uint32_t fwd;
	int32_t weight;
	uint32_t u_thresh, l_thresh;
	uint8_t tun_type;
	uint16_t tun_port, tun_flags;
};

struct want_svc {
	sa_family_t af;
	uint16_t protocol;
	const char *addr;
	uint16_t port;
	uint32_t fwmark;
	const char *sched;
	uint32_t flags;
	uint32_t timeout;
	uint8_t netmask;
	const char *pe;
	struct want_dest dests[3];
};

#define NAT IP_VS_CONN_F_MASQ
#define DR IP_VS_CONN_F_DROUTE
#define TUN IP_VS_CONN_F_TUNNEL

/* The table as the kernel must hold it after "setup" (edits applied). */
static const struct want_svc table[] = {
	{ AF_INET, IPPROTO_TCP, "10.0.0.100", 80, 0, "rr", 0, 0, 32, NULL, {
		{ "10.0.1.1", 80, NAT, 5, 0, 0, 0, 0, 0 },      /* weight edited 1 -> 5 */
		{ "10.0.1.2", 80, NAT, 2, 100, 10, 0, 0, 0 } } },
	{ AF_INET, IPPROTO_UDP, "10.0.0.100", 53, 0, "wlc", 0, 0, 32, NULL, {  /* was wrr */
		{ "10.0.1.3", 53, DR, 3, 0, 0, 0, 0, 0 },
		{ "10.0.1.4", 53, DR, 0, 0, 0, 0, 0, 0 } } },
	{ AF_INET, IPPROTO_SCTP, "10.0.0.101", 5060, 0, "lc", 0, 300, 24, NULL, {
		{ "10.0.1.5", 5060, TUN, 5, 0, 0, IP_VS_CONN_F_TUNNEL_TYPE_IPIP, 0, 0 } } },
	{ AF_INET6, IPPROTO_TCP, "2001:db8::100", 443, 0, "wlc", 0, 0, 128, NULL, {
		{ "2001:db8::1", 443, NAT, 1, 0, 0, 0, 0, 0 },
		{ "2001:db8::2", 443, TUN, 2, 0, 0, IP_VS_CONN_F_TUNNEL_TYPE_GUE, 6080,
		  IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM } } },
	{ AF_INET6, IPPROTO_UDP, "2001:db8::100", 53, 0, "sh",
	  IP_VS_SVC_F_SCHED_SH_FALLBACK | IP_VS_SVC_F_SCHED_SH_PORT, 0, 128, NULL, {
		{ "2001:db8::3", 53, DR, 1, 0, 0, 0, 0, 0 } } },
	{ AF_INET, 0, NULL, 0, 7, "mh", IP_VS_SVC_F_SCHED2, 600, 24, NULL, {
		{ "10.0.1.6", 0, DR, 1, 0, 0, 0, 0, 0 },
		{ "10.0.1.7", 0, TUN, 1, 0, 0, IP_VS_CONN_F_TUNNEL_TYPE_GRE, 0,
		  IP_VS_TUNNEL_ENCAP_FLAG_CSUM } } },
	{ AF_INET6, 0, NULL, 0, 8, "rr", 0, 0, 128, NULL, {
		{ "2001:db8::4", 0, DR, 1, 0, 0, 0, 0, 0 },
		{ "10.0.1.8", 0, TUN, 1, 0, 0, IP_VS_CONN_F_TUNNEL_TYPE_IPIP, 0, 0 } } },
	{ AF_INET, IPPROTO_UDP, "10.0.0.102", 5060, 0, "rr", 0, 60, 32, "sip", {
		{ "10.0.1.9", 5060, DR, 1, 0, 0, 0, 0, 0 } } },
	{ AF_INET, IPPROTO_UDP, "10.0.0.103", 514, 0, "rr", IP_VS_SVC_F_ONEPACKET, 0, 32, NULL, {
		{ "10.0.1.10", 514, NAT, 1, 0, 0, 0, 0, 0 } } },
	{ AF_INET6, IPPROTO_TCP, "2001:db8::101", 80, 0, "wrr", 0, 120, 64, NULL, {
		{ "2001:db8::5", 8080, NAT, 10, 0, 0, 0, 0, 0 } } },
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

static int failures;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!ok) {
		failures++;
		printf("FAIL: ");
		vprintf(fmt, ap);
		printf("\n");
	}
	va_end(ap);
}

static struct ka_addr parse_addr(const char *s)
{
	struct ka_addr a = {0};

	if (ka_addr_parse(s, false, &a)) {
		fprintf(stderr, "bad address in test table: %s\n", s);
		exit(2);
	}
	return a;
}

static struct ipvs_service make_svc(const struct want_svc *w)
{
	struct ipvs_service s;

	ipvs_service_init(&s, w->af);
	s.protocol = w->protocol;
	if (w->addr)
		s.addr = parse_addr(w->addr);
	s.port = w->port;
	s.fwmark = w->fwmark;
	snprintf(s.sched_name, sizeof(s.sched_name), "%s", w->sched);
	snprintf(s.pe_name, sizeof(s.pe_name), "%s", w->pe ? w->pe : "");
	s.flags = w->flags;
	s.timeout = w->timeout;
	s.netmask = w->netmask;
	return s;
}

static struct ipvs_dest make_dest(const struct want_dest *w)
{
	struct ipvs_dest d = {
		.addr = parse_addr(w->addr), .port = w->port, .fwd = w->fwd, .weight = w->weight,
		.u_thresh = w->u_thresh, .l_thresh = w->l_thresh, .tun_type = w->tun_type,
		.tun_port = w->tun_port, .tun_flags = w->tun_flags,
	};
	return d;
}

/* Run one client call; on failure count it and print the client's text. */
#define MUST(h, call) do { \
	int must_err_ = (call); \
	if (must_err_) { \
		failures++; \
		printf("FAIL: %s -> %d: %s\n", #call, must_err_, ipvs_nl_errmsg(h)); \
	} \
} while (0)

static int cmp_svc(const void *a, const void *b)
{
	char x[IPVS_SVC_STRLEN], y[IPVS_SVC_STRLEN];

	return strcmp(ipvs_service_str(a, x, sizeof(x)), ipvs_service_str(b, y, sizeof(y)));
}

static int cmp_dest(const void *a, const void *b)
{
	char x[IPVS_DEST_STRLEN], y[IPVS_DEST_STRLEN];

	return strcmp(ipvs_dest_str(a, x, sizeof(x)), ipvs_dest_str(b, y, sizeof(y)));
}

/* The table through the client, sorted (kernel order depends on hashing). */
static void print_table(struct ipvs_nl *h)
{
	struct ipvs_service *svcs;
	size_t n;
	char sv[IPVS_SVC_STRLEN], dv[IPVS_DEST_STRLEN];

	MUST(h, ipvs_nl_list_services(h, &svcs, &n));
	if (n)
		qsort(svcs, n, sizeof(*svcs), cmp_svc);
	for (size_t i = 0; i < n; i++) {
		const struct ipvs_service *s = &svcs[i];
		printf("%s %s flags=0x%x timeout=%u netmask=%u pe=%s\n",
		       ipvs_service_str(s, sv, sizeof(sv)), s->sched_name, s->flags, s->timeout,
		       s->netmask, s->pe_name[0] ? s->pe_name : "-");
		struct ipvs_dest *d;
		size_t nd;
		MUST(h, ipvs_nl_list_dests(h, s, &d, &nd));
		if (nd)
			qsort(d, nd, sizeof(*d), cmp_dest);
		for (size_t j = 0; j < nd; j++) {
			printf("  -> %s %s weight=%d u=%u l=%u",
			       ipvs_dest_str(&d[j], dv, sizeof(dv)), ipvs_fwd_name((int)d[j].fwd),
			       d[j].weight, d[j].u_thresh, d[j].l_thresh);
			if (d[j].fwd == TUN)
				printf(" tunnel=%s port=%u %s", ipvs_tunnel_name(d[j].tun_type),
				       d[j].tun_port, ipvs_tunnel_csum_name(d[j].tun_flags));
			printf("\n");
		}
		free(d);
	}
	free(svcs);
}

static bool same_key(const struct ipvs_service *a, const struct ipvs_service *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	return a->fwmark || (a->protocol == b->protocol && a->port == b->port &&
			     ka_addr_equal(&a->addr, &b->addr));
}

static void compare_dests(struct ipvs_nl *h, const struct want_svc *w, const struct ipvs_service *s)
{
	char sv[IPVS_SVC_STRLEN], dv[IPVS_DEST_STRLEN];
	struct ipvs_dest *got;
	size_t n, want_n = 0;

	ipvs_service_str(s, sv, sizeof(sv));
	MUST(h, ipvs_nl_list_dests(h, s, &got, &n));
	for (; want_n < 3 && w->dests[want_n].addr; want_n++) {
		struct ipvs_dest e = make_dest(&w->dests[want_n]);
		const struct ipvs_dest *g = NULL;
		for (size_t i = 0; i < n; i++)
			if (ka_addr_equal(&got[i].addr, &e.addr) && got[i].port == e.port)
				g = &got[i];
		ipvs_dest_str(&e, dv, sizeof(dv));
		check(g != NULL, "%s: destination %s missing", sv, dv);
		if (!g)
			continue;
		check(g->fwd == e.fwd, "%s %s: method %u, want %u", sv, dv, g->fwd, e.fwd);
		check(g->weight == e.weight, "%s %s: weight %d, want %d", sv, dv, g->weight,
		      e.weight);
		check(g->u_thresh == e.u_thresh && g->l_thresh == e.l_thresh,
		      "%s %s: thresholds %u/%u, want %u/%u", sv, dv, g->u_thresh, g->l_thresh,
		      e.u_thresh, e.l_thresh);
		if (e.fwd == TUN)
			check(g->tun_type == e.tun_type && g->tun_port == e.tun_port &&
			      g->tun_flags == e.tun_flags, "%s %s: tunnel %u/%u/%u, want %u/%u/%u",
			      sv, dv, g->tun_type, g->tun_port, g->tun_flags, e.tun_type,
			      e.tun_port, e.tun_flags);
		check(g->has_stats, "%s %s: no counters in the dump", sv, dv);
	}
	check(n == want_n, "%s: %zu destinations, want %zu", sv, n, want_n);
	free(got);
}

/* The kernel's table must be exactly `table`. */
static void compare_table(struct ipvs_nl *h)
{
	struct ipvs_service *svcs;
	size_t n;
	char sv[IPVS_SVC_STRLEN];

	MUST(h, ipvs_nl_list_services(h, &svcs, &n));
	check(n == NTABLE, "%zu services listed, want %zu", n, NTABLE);
	for (size_t i = 0; i < NTABLE; i++) {
		struct ipvs_service e = make_svc(&table[i]);
		const struct ipvs_service *g = NULL;
		for (size_t j = 0; j < n; j++)
			if (same_key(&svcs[j], &e))
				g = &svcs[j];
		ipvs_service_str(&e, sv, sizeof(sv));
		check(g != NULL, "service %s missing", sv);
		if (!g)
			continue;
		uint32_t flags = e.flags | (e.timeout ? IP_VS_SVC_F_PERSISTENT : 0);
		check(!strcmp(g->sched_name, e.sched_name), "%s: scheduler %s, want %s", sv,
		      g->sched_name, e.sched_name);
		check((g->flags & ~(uint32_t)IP_VS_SVC_F_HASHED) == flags,
		      "%s: flags 0x%x, want 0x%x", sv, g->flags, flags);
		check(g->timeout == e.timeout, "%s: timeout %u, want %u", sv, g->timeout,
		      e.timeout);
		check(g->netmask == e.netmask, "%s: netmask %u, want %u", sv, g->netmask,
		      e.netmask);
		check(!strcmp(g->pe_name, e.pe_name), "%s: pe '%s', want '%s'", sv, g->pe_name,
		      e.pe_name);
		check(g->has_stats, "%s: no counters in the dump", sv);

		/* The single-service request gives the same definition. */
		struct ipvs_service one;
		MUST(h, ipvs_nl_get_service(h, &e, &one));
		check(!strcmp(one.sched_name, g->sched_name) && one.flags == g->flags,
		      "%s: get_service disagrees with the dump", sv);
		compare_dests(h, &table[i], g);
	}
	free(svcs);
}

static void send_udp(const char *dst, uint16_t port, int count)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, dst, &sa.sin_addr);
	for (int i = 0; i < count; i++)
		if (sendto(fd, "ping", 4, 0, (struct sockaddr *)&sa, sizeof(sa)) != 4)
			check(0, "sendto %s:%u: %s", dst, port, strerror(errno));
	close(fd);
}

static void step_setup(struct ipvs_nl *h)
{
	struct ipvs_info info;

	MUST(h, ipvs_nl_get_info(h, &info));
	printf("IPVS version %u.%u.%u, connection table size %u\n", info.version >> 16,
	       (info.version >> 8) & 0xff, info.version & 0xff, info.conn_tab_size);
	MUST(h, ipvs_nl_flush(h));
	for (size_t i = 0; i < NTABLE; i++) {
		struct ipvs_service s = make_svc(&table[i]);
		/* Added with the values before the edits below. */
		if (i == 1)
			strcpy(s.sched_name, "wrr");
		MUST(h, ipvs_nl_add_service(h, &s));
		for (size_t j = 0; j < 3 && table[i].dests[j].addr; j++) {
			struct ipvs_dest d = make_dest(&table[i].dests[j]);
			if (i == 0 && j == 0)
				d.weight = 1;
			MUST(h, ipvs_nl_add_dest(h, &s, &d));
		}
	}
	struct ipvs_service s = make_svc(&table[0]);
	struct ipvs_dest d = make_dest(&table[0].dests[0]);
	MUST(h, ipvs_nl_edit_dest(h, &s, &d));
	s = make_svc(&table[1]);
	MUST(h, ipvs_nl_edit_service(h, &s));
	print_table(h);
	compare_table(h);
	send_udp("10.0.0.100", 53, 3);  /* for "stats" */
}

/* A request the kernel must refuse with err; prints the client's text. */
static void expect_err(struct ipvs_nl *h, int got, int want, const char *text)
{
	printf("refused as expected? %d (want %d): %s\n", got, want, ipvs_nl_errmsg(h));
	check(got == want, "got %d, want %d (%s)", got, want, ipvs_nl_errmsg(h));
	if (text)
		check(!strcmp(ipvs_nl_errmsg(h), text), "message '%s', want '%s'",
		      ipvs_nl_errmsg(h), text);
}

static void step_errors(struct ipvs_nl *h)
{
	struct ipvs_service s = make_svc(&table[0]);
	expect_err(h, ipvs_nl_add_service(h, &s), -EEXIST,
		   "add service TCP 10.0.0.100:80: File exists");

	struct ipvs_service missing = s;
	missing.addr = parse_addr("10.9.9.9");
	struct ipvs_dest d = make_dest(&table[0].dests[0]);
	d.addr = parse_addr("10.0.0.2");
	expect_err(h, ipvs_nl_add_dest(h, &missing, &d), -ESRCH,
		   "add destination 10.0.0.2:80 to TCP 10.9.9.9:80: No such process");
	expect_err(h, ipvs_nl_del_dest(h, &s, &d), -ENOENT,
		   "delete destination 10.0.0.2:80 from TCP 10.0.0.100:80: "
		   "No such file or directory");
	struct ipvs_service got;
	expect_err(h, ipvs_nl_get_service(h, &missing, &got), -ESRCH, NULL);

	missing.port = 81;
	strcpy(missing.sched_name, "nosuch");
	expect_err(h, ipvs_nl_add_service(h, &missing), -ENOENT,
		   "add service TCP 10.9.9.9:81: No such file or directory");

	/* GUE without a port makes no sense to the kernel. */
	d.fwd = TUN;
	d.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	d.tun_port = 0;
	expect_err(h, ipvs_nl_add_dest(h, &s, &d), -EINVAL, NULL);

	/* Refused before it reaches the kernel. */
	struct ipvs_service bad = s;
	bad.sched_name[0] = '\0';
	expect_err(h, ipvs_nl_add_service(h, &bad), -EINVAL,
		   "add service TCP 10.0.0.100:80: cannot build request: Invalid argument");
	/* The kernel's sync protocol cannot carry mixed-family destinations
	 * (fwmark 8 has one): no sync daemon while they exist. */
	struct ipvs_daemon dm = { .state = IP_VS_STATE_MASTER, .ifname = "lo", .sync_id = 1 };
	expect_err(h, ipvs_nl_start_daemon(h, &dm), -EINVAL,
		   "start master sync daemon on lo (id 1): Invalid argument");
	compare_table(h);       /* none of this changed anything */
}

/*
 * Counters. "setup" ends by sending 3 datagrams to UDP 10.0.0.100:53 (so
 * that the wait below overlaps the other checks): some kernels (6.1)
 * publish the per-CPU counters only when the rate estimator runs, every
 * 2 s, hence the polling.
 */
static void step_stats(struct ipvs_nl *h)
{
	struct ipvs_service key = make_svc(&table[1]), s;

	for (int i = 0; i < 50; i++) {
		MUST(h, ipvs_nl_get_service(h, &key, &s));
		if (s.stats.inpkts >= 3)
			break;
		usleep(100000);
	}
	printf("UDP 10.0.0.100:53 after 3 datagrams: conns=%llu inpkts=%llu inbytes=%llu\n",
	       (unsigned long long)s.stats.conns, (unsigned long long)s.stats.inpkts,
	       (unsigned long long)s.stats.inbytes);
	check(s.has_stats && s.stats.conns == 1 && s.stats.inpkts == 3,
	      "service counters conns=%llu inpkts=%llu, want 1 and 3",
	      (unsigned long long)s.stats.conns, (unsigned long long)s.stats.inpkts);
	/* 3 x (20 IP + 8 UDP + 4 payload) */
	check(s.stats.inbytes == 96, "inbytes %llu, want 96", (unsigned long long)s.stats.inbytes);

	struct ipvs_dest *d;
	size_t n;
	MUST(h, ipvs_nl_list_dests(h, &key, &d, &n));
	for (size_t i = 0; i < n; i++) {
		char dv[IPVS_DEST_STRLEN];
		ipvs_dest_str(&d[i], dv, sizeof(dv));
		printf("  -> %s conns=%llu inpkts=%llu inactive=%u\n", dv,
		       (unsigned long long)d[i].stats.conns, (unsigned long long)d[i].stats.inpkts,
		       d[i].inact_conns);
		/* weight 0 takes no new connections */
		uint64_t want = d[i].weight ? 3 : 0;
		check(d[i].stats.inpkts == want, "%s: inpkts %llu, want %llu", dv,
		      (unsigned long long)d[i].stats.inpkts, (unsigned long long)want);
	}
	free(d);

	/* Zeroing a service zeroes its destinations too. */
	MUST(h, ipvs_nl_zero(h, &key));
	MUST(h, ipvs_nl_get_service(h, &key, &s));
	check(s.stats.conns == 0 && s.stats.inpkts == 0 && s.stats.inbytes == 0,
	      "counters not zeroed: conns=%llu", (unsigned long long)s.stats.conns);
	MUST(h, ipvs_nl_list_dests(h, &key, &d, &n));
	for (size_t i = 0; i < n; i++)
		check(d[i].stats.inpkts == 0, "destination counters not zeroed");
	free(d);
	MUST(h, ipvs_nl_zero(h, NULL));
}

static void step_daemon(struct ipvs_nl *h, const char *ifname)
{
	struct ipvs_daemon m = {
		.state = IP_VS_STATE_MASTER, .sync_id = 5, .sync_maxlen = 1400,
		.group = parse_addr("239.1.2.3"), .port = 8850, .ttl = 2,
	};
	snprintf(m.ifname, sizeof(m.ifname), "%s", ifname);
	struct ipvs_daemon b = m;
	b.state = IP_VS_STATE_BACKUP;
	b.sync_id = 6;

	MUST(h, ipvs_nl_start_daemon(h, &m));
	MUST(h, ipvs_nl_start_daemon(h, &b));
	struct ipvs_daemon got[2];
	size_t n;
	MUST(h, ipvs_nl_list_daemons(h, got, &n));
	check(n == 2, "%zu sync daemons, want 2", n);
	for (size_t i = 0; i < n; i++) {
		char g[KA_ADDR_STRLEN];
		printf("sync daemon state=%u if=%s id=%u maxlen=%u group=%s port=%u ttl=%u\n",
		       got[i].state, got[i].ifname, got[i].sync_id, got[i].sync_maxlen,
		       ka_addr_str(&got[i].group, g), got[i].port, got[i].ttl);
		const struct ipvs_daemon *w = got[i].state == IP_VS_STATE_MASTER ? &m : &b;
		check(!strcmp(got[i].ifname, w->ifname) && got[i].sync_id == w->sync_id &&
		      got[i].sync_maxlen == w->sync_maxlen && got[i].port == w->port &&
		      got[i].ttl == w->ttl && ka_addr_equal(&got[i].group, &w->group),
		      "sync daemon %u differs from what was started", got[i].state);
	}
	expect_err(h, ipvs_nl_start_daemon(h, &m), -EEXIST, NULL);
}

static void step_nodaemon(struct ipvs_nl *h)
{
	struct ipvs_daemon got[2];
	size_t n;

	MUST(h, ipvs_nl_stop_daemon(h, IP_VS_STATE_MASTER));
	MUST(h, ipvs_nl_stop_daemon(h, IP_VS_STATE_BACKUP));
	MUST(h, ipvs_nl_list_daemons(h, got, &n));
	check(n == 0, "%zu sync daemons left", n);
}

static void step_timeouts(struct ipvs_nl *h)
{
	struct ipvs_timeouts t = { 900, 120, 300 }, got;

	MUST(h, ipvs_nl_set_timeouts(h, &t));
	MUST(h, ipvs_nl_get_timeouts(h, &got));
	printf("timeouts tcp=%u tcpfin=%u udp=%u\n", got.tcp, got.tcp_fin, got.udp);
	check(got.tcp == 900 && got.tcp_fin == 120 && got.udp == 300, "timeouts not applied");
}

static void step_teardown(struct ipvs_nl *h)
{
	struct ipvs_service s = make_svc(&table[0]);
	struct ipvs_dest d = make_dest(&table[0].dests[1]);
	struct ipvs_dest *dl;
	struct ipvs_service *sl;
	size_t n;

	MUST(h, ipvs_nl_del_dest(h, &s, &d));
	MUST(h, ipvs_nl_list_dests(h, &s, &dl, &n));
	check(n == 1, "%zu destinations after delete, want 1", n);
	free(dl);
	s = make_svc(&table[NTABLE - 1]);
	MUST(h, ipvs_nl_del_service(h, &s));
	MUST(h, ipvs_nl_list_services(h, &sl, &n));
	check(n == NTABLE - 1, "%zu services after delete, want %zu", n, NTABLE - 1);
	free(sl);
	MUST(h, ipvs_nl_flush(h));
	MUST(h, ipvs_nl_list_services(h, &sl, &n));
	check(n == 0 && sl == NULL, "%zu services after flush", n);
	free(sl);
}

int main(int argc, char **argv)
{
	struct ipvs_nl h;
	const char *step = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ipvs_nl_open(&h)) {
		printf("FAIL: %s\n", ipvs_nl_errmsg(&h));
		ipvs_nl_close(&h);
		return 1;
	}
	if (!strcmp(step, "setup"))
		step_setup(&h);
	else if (!strcmp(step, "dump"))
		print_table(&h);
	else if (!strcmp(step, "errors"))
		step_errors(&h);
	else if (!strcmp(step, "stats"))
		step_stats(&h);
	else if (!strcmp(step, "daemon") && argc > 2)
		step_daemon(&h, argv[2]);
	else if (!strcmp(step, "nodaemon"))
		step_nodaemon(&h);
	else if (!strcmp(step, "timeouts"))
		step_timeouts(&h);
	else if (!strcmp(step, "teardown"))
		step_teardown(&h);
	else {
		fprintf(stderr, "usage: %s setup|dump|errors|stats|daemon IF|nodaemon|timeouts|"
			"teardown\n", argv[0]);
		failures++;
	}
	ipvs_nl_close(&h);
	printf("%s: %s\n", step, failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
