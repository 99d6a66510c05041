/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_probe.c - the table of checker kinds, result names and the probes' environment */
#include <string.h>

#include "check/check_probe_int.h"
#include "check/check_tls.h"

const char *check_result_str(enum check_result r)
{
	static const char *const names[CHECK_RESULT_MAX] = {
		[CHECK_OK] = "OK",           [CHECK_L4TOUT] = "L4TOUT",
		[CHECK_L4CON] = "L4CON",     [CHECK_SOCKERR] = "SOCKERR",
		[CHECK_L6TOUT] = "L6TOUT",   [CHECK_L6RSP] = "L6RSP",
		[CHECK_L7TOUT] = "L7TOUT",   [CHECK_L7RSP] = "L7RSP",
		[CHECK_L7STS] = "L7STS",     [CHECK_L7DIGEST] = "L7DIGEST",
		[CHECK_L7REGEX] = "L7REGEX", [CHECK_PROCERR] = "PROCERR",
		[CHECK_PROCTOUT] = "PROCTOUT",
	};
	return (unsigned)r < CHECK_RESULT_MAX ? names[r] : "?";
}

/* BFD_CHECK is driven by BFD session events (check_bfd.c pushes them); its
 * attempts only restate the last known state. */
static const struct check_probe_ops *const kinds[CHECK_KIND_COUNT] = {
	[CHECK_TCP] = &check_tcp_ops,   [CHECK_HTTP] = &check_http_ops,
	[CHECK_SSL] = &check_ssl_ops,   [CHECK_SMTP] = &check_smtp_ops,
	[CHECK_DNS] = &check_dns_ops,   [CHECK_UDP] = &check_udp_ops,
	[CHECK_PING] = &check_ping_ops, [CHECK_MISC] = &check_misc_ops,
	[CHECK_FILE] = &check_file_ops, [CHECK_BFD] = &check_bfd_ops,
};

const struct check_probe_ops *check_probe_ops_for(enum check_kind kind)
{
	return (unsigned)kind < CHECK_KIND_COUNT ? kinds[kind] : NULL;
}

/* Process-wide by nature (one checker process, one configuration at a
 * time); written only by check_probe_set_env(). */
static struct check_probe_env probe_env;

void check_probe_set_env(const struct check_probe_env *env)
{
	const struct check_ssl *old = probe_env.ssl;
	if (env)
		probe_env = *env;
	else
		memset(&probe_env, 0, sizeof(probe_env));
	if (!env || old != probe_env.ssl)
		check_tls_reset(); /* NULL also releases it for a clean exit */
}

const struct check_probe_env *check_probe_env(void)
{
	return &probe_env;
}
