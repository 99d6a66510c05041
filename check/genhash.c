/* SPDX-License-Identifier: GPL-2.0-or-later */
/* genhash.c - fetch one URL as HTTP_GET/SSL_GET do and print the MD5 digest of its body */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ev.h"
#include "log.h"
#include "check/check_http.h"
#include "check/check_http_codec.h"
#include "check/check_probe_int.h"

#define GENHASH_VERSION "genhash (keepalived-ng) " PACKAGE_VERSION_STR
#ifdef PACKAGE_VERSION
#define PACKAGE_VERSION_STR PACKAGE_VERSION
#else
#define PACKAGE_VERSION_STR "0.1.0"
#endif

enum { EXIT_FETCH = 1, EXIT_USAGE = 2 };

struct genhash {
	struct ev_loop *loop;
	bool verbose, in_header, in_body;
	bool finished;
	enum check_result result;
	char detail[192];
};

static void usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s -s ADDRESS -u PATH [options]\n"
		"  -s, --server ADDRESS        server address (IPv4 or IPv6, numeric)\n"
		"  -p, --port PORT             TCP port (80, or 443 with -S)\n"
		"  -u, --url PATH              path of the request\n"
		"  -S, --use-ssl               connect with TLS, as SSL_GET\n"
		"  -I, --use-sni               send the -V host name in the TLS handshake\n"
		"  -V, --use-virtualhost HOST  Host header value\n"
		"  -P, --protocol 1.0|1.0c|1.1 HTTP version of the request (1.0)\n"
		"  -t, --timeout SECONDS       time allowed for the whole fetch (5)\n"
		"  -m, --fwmark MARK           firewall mark of the connection\n"
		"  -H, --hash md5              digest algorithm (only md5)\n"
		"  -v, --verbose               print the request, header and body too\n"
		"  -r, --release               print the version\n"
		"  -h, --help                  print this help\n",
		prog);
}

static void heading(const char *what)
{
	printf("-----------------------[ %s ]-----------------------\n", what);
}

static void on_header(void *arg, const char *line, size_t len)
{
	struct genhash *g = arg;
	if (!g->in_header) {
		heading("response header");
		g->in_header = true;
	}
	printf("%.*s\n", (int)len, line);
}

static void on_body(void *arg, const uint8_t *data, size_t len)
{
	struct genhash *g = arg;
	if (!g->in_body) {
		heading("body");
		g->in_body = true;
	}
	fwrite(data, 1, len, stdout);
}

static void fetch_done(void *arg, const struct check_outcome *o)
{
	struct genhash *g = arg;
	g->finished = true;
	g->result = o->result;
	snprintf(g->detail, sizeof(g->detail), "%s", o->detail);
	ev_break(g->loop);
}

struct genhash_args {
	struct check_conn conn;
	const char *url, *vhost;
	bool tls, sni, verbose;
	int proto;
	double timeout;
};

static int parse_proto(const char *s)
{
	if (!strcmp(s, "1.0"))
		return CHECK_HTTP_1_0;
	if (!strcasecmp(s, "1.0c"))
		return CHECK_HTTP_1_0C;
	if (!strcmp(s, "1.1"))
		return CHECK_HTTP_1_1;
	return -1;
}

/* 0, 1 when done (help, version), -1 on a usage error (reported). */
static int parse_args(int argc, char **argv, struct genhash_args *a)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "use-ssl", no_argument, NULL, 'S' },
		{ "use-sni", no_argument, NULL, 'I' },
		{ "use-virtualhost", required_argument, NULL, 'V' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' },
		{ "fwmark", required_argument, NULL, 'm' },
		{ "hash", required_argument, NULL, 'H' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "release", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;
	long port = 0;
	while ((c = getopt_long(argc, argv, "s:p:u:SIV:P:t:m:H:vrh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (ka_addr_parse(optarg, false, &a->conn.connect_ip) < 0) {
				fprintf(stderr, "genhash: server must be an IP address, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end || port <= 0 || port > 65535) {
				fprintf(stderr, "genhash: invalid port '%s'\n", optarg);
				return -1;
			}
			break;
		case 'u': a->url = optarg; break;
		case 'S': a->tls = true; break;
		case 'I': a->sni = true; break;
		case 'V': a->vhost = optarg; break;
		case 'v': a->verbose = true; break;
		case 'P':
			if ((a->proto = parse_proto(optarg)) < 0) {
				fprintf(stderr, "genhash: protocol must be 1.0, 1.0c or 1.1\n");
				return -1;
			}
			break;
		case 't':
			a->timeout = strtod(optarg, &end);
			if (*end || !(a->timeout > 0) || a->timeout > 86400) {
				fprintf(stderr, "genhash: invalid timeout '%s'\n", optarg);
				return -1;
			}
			break;
		case 'm':
			a->conn.fwmark = (unsigned)strtoul(optarg, &end, 0);
			if (*end || *optarg == '-' || !*optarg) {
				fprintf(stderr, "genhash: invalid fwmark '%s'\n", optarg);
				return -1;
			}
			break;
		case 'H':
			if (strcasecmp(optarg, "md5")) {
				fprintf(stderr, "genhash: only the md5 hash is supported\n");
				return -1;
			}
			break;
		case 'r': printf("%s\n", GENHASH_VERSION); return 1;
		case 'h': usage(stdout, argv[0]); return 1;
		default: usage(stderr, argv[0]); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "genhash: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (a->conn.connect_ip.family == AF_UNSPEC || !a->url) {
		fprintf(stderr, "genhash: -s ADDRESS and -u PATH are required (-h for help)\n");
		return -1;
	}
	a->conn.connect_port = port ? (unsigned)port : a->tls ? 443 : 80;
	return 0;
}

static int fetch(const struct genhash_args *a, struct check_http_parser *hp, struct genhash *g)
{
	char host[512];
	check_http_host(host, sizeof(host), a->vhost, &a->conn.connect_ip, a->conn.connect_port,
			a->tls);
	int n = check_http_request(NULL, 0, a->url, host, a->proto);
	char *req = malloc((size_t)n + 1);
	if (!req)
		return -1;
	check_http_request(req, (size_t)n + 1, a->url, host, a->proto);
	if (a->verbose) {
		heading("request");
		fwrite(req, 1, (size_t)n, stdout);
	}
	struct check_http_fetch_params fp = {
		.conn = &a->conn,
		.timeout = (uint64_t)(a->timeout * 1e6),
		.tls = a->tls,
		.sni = a->sni ? a->vhost : NULL,
		.request = req,
		.request_len = (size_t)n,
		.hp = hp,
	};
	check_http_fetch(g->loop, &fp, fetch_done, g);
	free(req);
	ev_run(g->loop);
	return g->finished ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct genhash_args a = { .timeout = 5, .proto = CHECK_HTTP_1_0 };
	int r = parse_args(argc, argv, &a);
	if (r)
		return r > 0 ? 0 : EXIT_USAGE;
	struct log_opts lo = { .facility = LOG_USER, .console = true, .no_syslog = true };
	log_init("genhash", &lo);
	signal(SIGPIPE, SIG_IGN);

	struct genhash g = { .verbose = a.verbose };
	struct check_http_parser hp;
	g.loop = ev_loop_new();
	if (!g.loop || check_http_parser_init(&hp, 0) < 0) {
		fprintf(stderr, "genhash: cannot initialise\n");
		return EXIT_FETCH;
	}
	if (a.verbose) {
		hp.on_header = on_header;
		hp.on_body = on_body;
		hp.cb_arg = &g;
	}
	int rc = EXIT_FETCH;
	if (fetch(&a, &hp, &g) < 0 || g.result != CHECK_OK) {
		fprintf(stderr, "genhash: %s: %s\n", check_result_str(g.result), g.detail);
	} else {
		uint8_t md[16];
		char hex[33];
		check_http_md5(&hp, md);
		if (a.verbose) {
			if (g.in_body)
				printf("\n");
			heading("end");
			printf("HTTP status: %u\n", hp.status);
		}
		if (hp.status < 200 || hp.status > 299)
			fprintf(stderr, "genhash: HTTP status %u\n", hp.status);
		printf("MD5SUM = %s\n", check_hex(md, 16, hex));
		rc = 0;
	}
	check_http_parser_free(&hp);
	check_probe_set_env(NULL);
	ev_loop_free(g.loop);
	log_close();
	return rc;
}
