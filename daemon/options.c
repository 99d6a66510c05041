/* SPDX-License-Identifier: GPL-2.0-or-later */
/* options.c - the keepalived(8) command line: same letters, long names and meanings */
#include <config.h> /* autoconf: PACKAGE_VERSION (angle brackets: not daemon/config.h) */

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/child.h"
#include "daemon/options.h"
#include "util.h"

/* The version scripts parse: keep the first line starting "Keepalived v". */
#define KA_COMPAT_VERSION "2.2.7"

/* Long-only options. */
enum {
	OPT_ALL = 256,
	OPT_FLUSH_LOG,
	OPT_SIGNUM,
	OPT_PERF,
	OPT_DEBUG,
	OPT_NO_MEM_CHECK,
	OPT_OPENSSL_MEM_CHECK,
	OPT_IGNORE_SIGINT,
	OPT_CONFIG_FD,
};

static const char short_opts[] = "f:PCBlDS:g::GXVIRndp:r:c:b:Tas:ei:xA:u:mM::t::Lvh";

static const struct option long_opts[] = {
	{ "use-file",           required_argument, NULL, 'f' },
	{ "vrrp",               no_argument,       NULL, 'P' },
	{ "check",              no_argument,       NULL, 'C' },
	{ "no_bfd",             no_argument,       NULL, 'B' },
	{ "all",                no_argument,       NULL, OPT_ALL },
	{ "log-console",        no_argument,       NULL, 'l' },
	{ "log-detail",         no_argument,       NULL, 'D' },
	{ "log-facility",       required_argument, NULL, 'S' },
	{ "log-file",           optional_argument, NULL, 'g' },
	{ "flush-log-file",     no_argument,       NULL, OPT_FLUSH_LOG },
	{ "no-syslog",          no_argument,       NULL, 'G' },
	{ "release-vips",       no_argument,       NULL, 'X' },
	{ "dont-release-vrrp",  no_argument,       NULL, 'V' },
	{ "dont-release-ipvs",  no_argument,       NULL, 'I' },
	{ "dont-respawn",       no_argument,       NULL, 'R' },
	{ "dont-fork",          no_argument,       NULL, 'n' },
	{ "dump-conf",          no_argument,       NULL, 'd' },
	{ "pid",                required_argument, NULL, 'p' },
	{ "vrrp_pid",           required_argument, NULL, 'r' },
	{ "checkers_pid",       required_argument, NULL, 'c' },
	{ "bfd_pid",            required_argument, NULL, 'b' },
	{ "genhash",            no_argument,       NULL, 'T' },
	{ "address-monitoring", no_argument,       NULL, 'a' },
	{ "namespace",          required_argument, NULL, 's' },
	{ "all-config",         no_argument,       NULL, 'e' },
	{ "config-id",          required_argument, NULL, 'i' },
	{ "snmp",               no_argument,       NULL, 'x' },
	{ "snmp-agent-socket",  required_argument, NULL, 'A' },
	{ "umask",              required_argument, NULL, 'u' },
	{ "core-dump",          no_argument,       NULL, 'm' },
	{ "core-dump-pattern",  optional_argument, NULL, 'M' },
	{ "signum",             required_argument, NULL, OPT_SIGNUM },
	{ "config-test",        optional_argument, NULL, 't' },
	{ "perf",               optional_argument, NULL, OPT_PERF },
	{ "debug",              optional_argument, NULL, OPT_DEBUG },
	{ "no-mem-check",       no_argument,       NULL, OPT_NO_MEM_CHECK },
	{ "mem-check-log",      no_argument,       NULL, 'L' },
	{ "openssl-mem-check",  no_argument,       NULL, OPT_OPENSSL_MEM_CHECK },
	{ "ignore-sigint",      no_argument,       NULL, OPT_IGNORE_SIGINT },
	{ "config-fd",          required_argument, NULL, OPT_CONFIG_FD },
	{ "version",            no_argument,       NULL, 'v' },
	{ "help",               no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
	"Usage: %s [OPTION...]\n"
	"  -f, --use-file=FILE          configuration file (default " KA_DEFAULT_CONF ")\n"
	"  -P, --vrrp                   run only the VRRP subsystem\n"
	"  -C, --check                  run only the health-checker subsystem\n"
	"  -B, --no_bfd                 do not run the BFD subsystem\n"
	"      --all                    run every subsystem, even without configuration\n"
	"  -l, --log-console            log to the console as well\n"
	"  -D, --log-detail             detailed logging\n"
	"  -S, --log-facility=FAC       syslog facility: 0-7, local0-7, user, daemon\n"
	"  -g, --log-file[=FILE]        log to FILE (default /tmp/keepalived.log),\n"
	"                               children to FILE with _vrrp/_healthcheckers\n"
	"      --flush-log-file         flush the log file after every line\n"
	"  -G, --no-syslog              do not log through syslog\n"
	"  -X, --release-vips           drop VIPs on transitions caused by a signal\n"
	"  -V, --dont-release-vrrp      keep VIPs, routes and rules on exit\n"
	"  -I, --dont-release-ipvs      keep the IPVS configuration on exit\n"
	"  -R, --dont-respawn           do not restart dead children; stop instead\n"
	"  -n, --dont-fork              stay in the foreground\n"
	"  -d, --dump-conf              dump the parsed configuration\n"
	"  -p, --pid=FILE               parent pid file (default " RUNSTATEDIR "/keepalived.pid)\n"
	"  -r, --vrrp_pid=FILE          VRRP child pid file (default " RUNSTATEDIR "/vrrp.pid)\n"
	"  -c, --checkers_pid=FILE      checker child pid file (default "
	RUNSTATEDIR "/checkers.pid)\n"
	"  -b, --bfd_pid=FILE           BFD child pid file\n"
	"  -T, --genhash ARGS...        run genhash with ARGS (must come first)\n"
	"  -a, --address-monitoring     log every address change seen through netlink\n"
	"  -s, --namespace=NAME         run in network namespace NAME\n"
	"  -e, --all-config             fail if any configuration file is missing\n"
	"  -i, --config-id=ID           id for @ID configuration lines (default: host name)\n"
	"  -x, --snmp                   enable the SNMP sub-agent\n"
	"  -A, --snmp-agent-socket=PATH AgentX master socket\n"
	"  -u, --umask=MASK             file creation mask\n"
	"  -m, --core-dump              allow core dumps of any size\n"
	"  -M, --core-dump-pattern[=PATTERN]\n"
	"                               also set the kernel core pattern (restored on exit)\n"
	"      --signum=NAME            print the signal number for STOP, RELOAD, DATA,\n"
	"                               STATS, STATS_CLEAR, JSON or TDUMP\n"
	"  -t, --config-test[=FILE]     check the configuration, messages to FILE or stderr\n"
	"      --perf[=all|run|end]     accepted for compatibility\n"
	"      --debug[=OPTS]           accepted for compatibility\n"
	"      --no-mem-check           accepted for compatibility\n"
	"  -L, --mem-check-log          accepted for compatibility\n"
	"      --openssl-mem-check      accepted for compatibility\n"
	"      --ignore-sigint          SIGINT does not stop the daemon\n"
	"      --config-fd=FD           internal use\n"
	"  -v, --version                print the version\n"
	"  -h, --help                   print this help\n"
	"\n"
	"Exit status: 0 success; 1 failure; 2 bad command line; 3 configuration errors\n"
	"(with -t: errors found) or cannot start (already running, namespace,\n"
	"pid file); 4 fatal error in a child process.\n";

static void usage(FILE *out, const char *prog)
{
	fprintf(out, usage_text, prog);
}

const char *ka_version(void)
{
	return "Keepalived v" KA_COMPAT_VERSION "-compatible (keepalived-ng " PACKAGE_VERSION ")";
}

/* Scripts run `keepalived -v 2>&1 | head -1`, as for keepalived itself. */
static void version(void)
{
	fprintf(stderr, "%s\n", ka_version());
	fprintf(stderr, "Built with libnl-3, libmnl and OpenSSL"
#ifdef HAVE_SNMP
		", SNMP"
#endif
		"\n");
}

int ka_signum(const char *name)
{
	if (!strcmp(name, "STOP"))
		return SIGTERM;
	if (!strcmp(name, "RELOAD"))
		return SIGHUP;
	if (!strcmp(name, "DATA"))
		return SIGUSR1;
	if (!strcmp(name, "STATS"))
		return SIGUSR2;
	if (!strcmp(name, "STATS_CLEAR"))
		return SIGRTMAX - 1;
	if (!strcmp(name, "JSON"))
		return SIGRTMIN + 2;
	if (!strcmp(name, "TDUMP"))
		return SIGRTMAX;
	return -1;
}

static int parse_umask(const char *s, mode_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);
	if (!*s || *end || v > 0777)
		return -1;
	*out = (mode_t)v;
	return 0;
}

static int parse_fd(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 65535)
		return -1;
	*out = (int)v;
	return 0;
}

static void defaults(struct ka_options *o)
{
	memset(o, 0, sizeof(*o));
	o->conf_file = KA_DEFAULT_CONF;
	o->log.facility = LOG_DAEMON;
	o->config_fd = -1;
	o->netns_home_fd = -1;
}

/* Options that stop the program or need their argument checked. Returns
 * KA_OPTS_RUN, an exit status, or -2 for "not handled here". */
static int opt_special(struct ka_options *o, int c, const char *prog)
{
	int sig;
	switch (c) {
	case 'v':
		version();
		return 0;
	case 'h':
		usage(stdout, prog);
		return 0;
	case 'T':
		/* main() handles -T as the first argument */
		fprintf(stderr, "%s: -T/--genhash must be the first argument\n", prog);
		return 2;
	case OPT_SIGNUM:
		sig = ka_signum(optarg);
		if (sig < 0) {
			fprintf(stderr, "%s: unknown signal function '%s'\n", prog, optarg);
			return 1;
		}
		printf("%d\n", sig);
		return 0;
	case 'S':
		o->log.facility = log_facility_parse(optarg);
		if (o->log.facility < 0) {
			fprintf(stderr, "%s: invalid log facility '%s'\n", prog, optarg);
			return KA_EXIT_USAGE;
		}
		return KA_OPTS_RUN;
	case 'u':
		o->umask_set = true;
		if (parse_umask(optarg, &o->umask) < 0) {
			fprintf(stderr, "%s: invalid umask '%s'\n", prog, optarg);
			return KA_EXIT_USAGE;
		}
		return KA_OPTS_RUN;
	case OPT_CONFIG_FD:
		if (parse_fd(optarg, &o->config_fd) < 0) {
			fprintf(stderr, "%s: invalid --config-fd '%s'\n", prog, optarg);
			return KA_EXIT_USAGE;
		}
		return KA_OPTS_RUN;
	}
	return -2;
}

/* Options that only record something. Returns false for an unknown one. */
static bool opt_simple(struct ka_options *o, int c)
{
	switch (c) {
	case 'f': o->conf_file = optarg; break;
	case 'P': o->vrrp_only = true; break;
	case 'C': o->check_only = true; break;
	case 'B': o->no_bfd = true; break;
	case OPT_ALL: o->all = true; break;
	case 'l': o->log.console = true; break;
	case 'D': o->log.detail = true; break;
	case 'g': o->log.file = optarg ? optarg : "/tmp/keepalived.log"; break;
	case OPT_FLUSH_LOG: o->flush_log = true; break;
	case 'G': o->log.no_syslog = true; break;
	case 'X': o->release_vips = true; break;
	case 'V': o->dont_release_vrrp = true; break;
	case 'I': o->dont_release_ipvs = true; break;
	case 'R': o->dont_respawn = true; break;
	case 'n': o->dont_fork = true; break;
	case 'd': o->dump_conf = true; break;
	case 'p': o->pid_file = optarg; break;
	case 'r': o->vrrp_pid_file = optarg; break;
	case 'c': o->check_pid_file = optarg; break;
	case 'b': o->bfd_pid_file = optarg; break;
	case 'a': o->address_monitoring = true; break;
	case 's': o->namespace = optarg; break;
	case 'e': o->all_config = true; break;
	case 'i': o->config_id = optarg; break;
	case 'x': o->snmp = true; break;
	case 'A': o->snmp_socket = optarg; break;
	case 'm': o->core_dump = true; break;
	case 'M': o->core_dump = true; o->core_pattern = optarg ? optarg : "core"; break;
	case 't': o->config_test = true; o->config_test_file = optarg; break;
	case OPT_PERF: o->perf = optarg ? optarg : "run"; break;
	case OPT_DEBUG: o->debug = optarg ? optarg : ""; break;
	case OPT_NO_MEM_CHECK: o->no_mem_check = true; break;
	case 'L': o->mem_check_log = true; break;
	case OPT_OPENSSL_MEM_CHECK: o->openssl_mem_check = true; break;
	case OPT_IGNORE_SIGINT: o->ignore_sigint = true; break;
	default: return false;
	}
	return true;
}

int ka_options_parse(struct ka_options *o, int argc, char *argv[])
{
	const char *prog = argc > 0 ? argv[0] : "keepalived";
	int c;

	defaults(o);
	optind = 1;
	opterr = 1; /* getopt names the bad option on stderr */
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		int rc = opt_special(o, c, prog);
		if (rc == -2 && opt_simple(o, c))
			continue;
		if (rc == -2) { /* '?' or ':' from getopt */
			usage(stderr, prog);
			return KA_EXIT_USAGE;
		}
		if (rc != KA_OPTS_RUN)
			return rc;
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		usage(stderr, prog);
		return KA_EXIT_USAGE;
	}
	if (o->vrrp_only && o->check_only) {
		/* keepalived runs both then; say so rather than guess silently. */
		fprintf(stderr, "%s: -P and -C together run both subsystems\n", prog);
		o->vrrp_only = o->check_only = false;
	}
	return KA_OPTS_RUN;
}
