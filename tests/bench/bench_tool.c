/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench_tool.c - helpers for bench_check.sh: real-server listener, IPVS table watcher, /proc stats */
/*
 * Built by bench_check.sh (gcc -O2 -o bench_tool bench_tool.c); needs no
 * project library, so it also runs in the test VM. Subcommands:
 *
 *   listen PORT tcp|http COUNTFILE
 *       accept on 0.0.0.0:PORT (any local address, e.g. a whole prefix
 *       routed "local" to lo) until SIGTERM; tcp closes each connection at
 *       once, http answers one request with "200 OK". SIGUSR1 writes the
 *       number of connections accepted so far to COUNTFILE.
 *   until TIMEOUT_S POLL_MS COND [ARG...] [-- CMD [ARG...]]
 *       start CMD (not waited for; its stdout goes to our stderr), then
 *       poll /proc/net/ip_vs until COND holds; print the milliseconds from
 *       just before CMD started, or "timeout" (exit 1). COND: gone A.B.C.D:PORT | present A.B.C.D:PORT |
 *       dests-ge N | dests-le N | weight-ge W N (N destinations of weight W).
 *   stat PID
 *       "CPU_SECONDS RSS_KB HWM_KB": utime+stime, VmRSS and VmHWM of PID.
 *   now
 *       CLOCK_MONOTONIC in seconds with 3 decimals.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- listen ---------------------------------------------------------------- */

static volatile sig_atomic_t got_usr1, got_term;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static void write_count(const char *file, unsigned long long n)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%llu\n", n);
	fclose(f);
	rename(tmp, file);
}

static const char http_reply[] =
	"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n";

/* One readable HTTP connection: answer once the request head is in. */
static void http_serve(int epfd, int fd)
{
	char buf[2048];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	if (n < 0 && errno == EAGAIN)
		return;
	if (n > 0) {
		buf[n] = '\0';
		if (!strstr(buf, "\r\n\r\n") && !strstr(buf, "\n\n"))
			return; /* a request head in two reads is rare enough: wait */
		if (write(fd, http_reply, sizeof(http_reply) - 1) < 0)
			(void)0;
	}
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
}

static int cmd_listen(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct epoll_event ev = { .events = EPOLLIN }, evs[256];
	unsigned long long count = 0;
	bool http;
	int one = 1, ls, epfd;

	if (argc != 5)
		return 2;
	http = !strcmp(argv[3], "http");
	sa.sin_port = htons((uint16_t)atoi(argv[2]));
	signal(SIGUSR1, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 65535) < 0) {
		perror("listen");
		return 1;
	}
	epfd = epoll_create1(0);
	ev.data.fd = ls;
	epoll_ctl(epfd, EPOLL_CTL_ADD, ls, &ev);
	write_count(argv[4], 0);
	while (!got_term) {
		int n = epoll_wait(epfd, evs, 256, -1);

		if (got_usr1) {
			got_usr1 = 0;
			write_count(argv[4], count);
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd, c;

			if (fd != ls) {
				http_serve(epfd, fd);
				continue;
			}
			while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
				count++;
				if (!http) {
					close(c);
					continue;
				}
				ev.data.fd = c;
				epoll_ctl(epfd, EPOLL_CTL_ADD, c, &ev);
			}
		}
	}
	write_count(argv[4], count);
	return 0;
}

/* ---- until ------------------------------------------------------------------ */

struct cond {
	const char *kind;
	unsigned addr, port;   /* host order, gone/present */
	long n, weight;
};

/* Read /proc/net/ip_vs once: is the condition true? */
static bool cond_holds(const struct cond *c)
{
	static char line[512];
	static char *big;
	long dests = 0, weighted = 0;
	bool seen = false;
	FILE *f = fopen("/proc/net/ip_vs", "r");

	if (!f)
		return false;
	/* The kernel walks its table from the start for each read(): large
	 * reads keep a poll of 40,000 destinations from being quadratic. */
	if (!big)
		big = malloc(8 << 20);
	if (big)
		setvbuf(f, big, _IOFBF, 8 << 20);
	while (fgets(line, sizeof(line), f)) {
		unsigned a, p;
		char fwd[16];
		long w;

		if (sscanf(line, "  -> %8X:%4X %15s %ld", &a, &p, fwd, &w) != 4)
			continue;
		dests++;
		if (w == c->weight)
			weighted++;
		if (a == c->addr && p == c->port)
			seen = true;
	}
	fclose(f);
	if (!strcmp(c->kind, "gone"))
		return !seen;
	if (!strcmp(c->kind, "present"))
		return seen;
	if (!strcmp(c->kind, "dests-ge"))
		return dests >= c->n;
	if (!strcmp(c->kind, "dests-le"))
		return dests <= c->n;
	return weighted >= c->n; /* weight-ge */
}

static int parse_cond(char **argv, int argc, struct cond *c)
{
	c->kind = argv[0];
	if (!strcmp(c->kind, "gone") || !strcmp(c->kind, "present")) {
		struct in_addr in;
		char host[64];
		char *colon;

		if (argc < 2 || snprintf(host, sizeof(host), "%s", argv[1]) >= (int)sizeof(host))
			return -1;
		colon = strchr(host, ':');
		if (!colon)
			return -1;
		*colon = '\0';
		if (inet_pton(AF_INET, host, &in) != 1)
			return -1;
		c->addr = ntohl(in.s_addr);
		c->port = (unsigned)atoi(colon + 1);
		return 2;
	}
	if ((!strcmp(c->kind, "dests-ge") || !strcmp(c->kind, "dests-le")) && argc >= 2) {
		c->n = atol(argv[1]);
		c->weight = -1;
		return 2;
	}
	if (!strcmp(c->kind, "weight-ge") && argc >= 3) {
		c->weight = atol(argv[1]);
		c->n = atol(argv[2]);
		return 3;
	}
	return -1;
}

static int cmd_until(int argc, char **argv)
{
	struct cond c = { 0 };
	double timeout, poll_s, t0;
	int used, i;

	if (argc < 5)
		return 2;
	timeout = atof(argv[2]);
	poll_s = atof(argv[3]) / 1000.0;
	used = parse_cond(argv + 4, argc - 4, &c);
	if (used < 0) {
		fprintf(stderr, "bench_tool: bad condition\n");
		return 2;
	}
	i = 4 + used;
	t0 = now_s();
	if (i < argc && !strcmp(argv[i], "--") && i + 1 < argc) {
		pid_t pid = fork();

		if (pid == 0) {
			/* off our stdout: a daemon must not hold the caller's
			 * $(...) pipe open (its messages go to stderr) */
			int null = open("/dev/null", O_RDWR);

			dup2(null, 0);
			dup2(2, 1);
			setsid();
			execvp(argv[i + 1], argv + i + 1);
			_exit(127);
		}
	}
	for (;;) {
		double t = now_s(), pause;
		struct timespec ts;

		if (cond_holds(&c)) {
			printf("%.1f\n", (now_s() - t0) * 1000.0);
			return 0;
		}
		if (t - t0 > timeout) {
			printf("timeout\n");
			return 1;
		}
		/* never spend more than a third of the time reading the table */
		pause = 2 * (now_s() - t);
		if (pause < poll_s)
			pause = poll_s;
		ts.tv_sec = (time_t)pause;
		ts.tv_nsec = (long)((pause - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
}

/* ---- stat ------------------------------------------------------------------- */

static int cmd_stat(int argc, char **argv)
{
	char path[64], buf[4096], *p;
	unsigned long ut, st;
	long rss = -1, hwm = -1;
	FILE *f;
	size_t n;

	if (argc != 3)
		return 2;
	snprintf(path, sizeof(path), "/proc/%s/stat", argv[2]);
	f = fopen(path, "r");
	if (!f)
		return 1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the name may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			 &ut, &st) != 2)
		return 1;
	snprintf(path, sizeof(path), "/proc/%s/status", argv[2]);
	f = fopen(path, "r");
	if (!f)
		return 1;
	while (fgets(buf, sizeof(buf), f)) {
		sscanf(buf, "VmRSS: %ld", &rss);
		sscanf(buf, "VmHWM: %ld", &hwm);
	}
	fclose(f);
	printf("%.2f %ld %ld\n", (double)(ut + st) / (double)sysconf(_SC_CLK_TCK), rss, hwm);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "listen"))
		return cmd_listen(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "until"))
		return cmd_until(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "stat"))
		return cmd_stat(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "now")) {
		printf("%.3f\n", now_s());
		return 0;
	}
	fprintf(stderr, "usage: bench_tool listen|until|stat|now ...\n");
	return 2;
}
