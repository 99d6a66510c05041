/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipvs_names.c - word <-> number tables for IPVS services and destinations */
#include <netinet/in.h>
#include <stddef.h>
#include <strings.h>

#include <linux/ip_vs.h>

#include "ipvs_names.h"

/* Schedulers shipped with the Linux kernel (net/netfilter/ipvs/ip_vs_*.c). */
const char *const ipvs_sched_names[] = {
	"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh",
	"sed", "nq", "fo", "ovf", "mh", "twos", NULL,
};

static const struct ipvs_name fwd_methods[] = {
	{ "NAT", IP_VS_CONN_F_MASQ },
	{ "DR", IP_VS_CONN_F_DROUTE },
	{ "TUN", IP_VS_CONN_F_TUNNEL },
	{ NULL, 0 },
};

static const struct ipvs_name tunnel_types[] = {
	{ "ipip", IP_VS_CONN_F_TUNNEL_TYPE_IPIP },
	{ "gue", IP_VS_CONN_F_TUNNEL_TYPE_GUE },
	{ "gre", IP_VS_CONN_F_TUNNEL_TYPE_GRE },
	{ NULL, 0 },
};

static const struct ipvs_name tunnel_csums[] = {
	{ "nocsum", IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM },
	{ "csum", IP_VS_TUNNEL_ENCAP_FLAG_CSUM },
	{ "remcsum", IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM },
	{ NULL, 0 },
};

static const struct ipvs_name protocols[] = {
	{ "TCP", IPPROTO_TCP },
	{ "UDP", IPPROTO_UDP },
	{ "SCTP", IPPROTO_SCTP },
	{ NULL, 0 },
};

/* sh and mh give two of the generic flag bits a meaning of their own. */
const struct ipvs_name ipvs_sched_flags[] = {
	{ "flag-1", IP_VS_SVC_F_SCHED1 },
	{ "flag-2", IP_VS_SVC_F_SCHED2 },
	{ "flag-3", IP_VS_SVC_F_SCHED3 },
	{ "sh-fallback", IP_VS_SVC_F_SCHED_SH_FALLBACK },
	{ "sh-port", IP_VS_SVC_F_SCHED_SH_PORT },
	{ "mh-fallback", IP_VS_SVC_F_SCHED1 },
	{ "mh-port", IP_VS_SVC_F_SCHED2 },
	{ NULL, 0 },
};

static int lookup(const struct ipvs_name *t, const char *name, int *value)
{
	for (; t->name; t++) {
		if (!strcasecmp(t->name, name)) {
			*value = t->value;
			return 0;
		}
	}
	return -1;
}

static const char *name_of(const struct ipvs_name *t, int value)
{
	for (; t->name; t++)
		if (t->value == value)
			return t->name;
	return "?";
}

const char *ipvs_sched_lookup(const char *name)
{
	for (const char *const *s = ipvs_sched_names; *s; s++)
		if (!strcasecmp(*s, name))
			return *s;
	return NULL;
}

int ipvs_fwd_lookup(const char *name, int *value)
{
	return lookup(fwd_methods, name, value);
}

const char *ipvs_fwd_name(int value)
{
	return name_of(fwd_methods, value);
}

int ipvs_tunnel_lookup(const char *name, int *value)
{
	return lookup(tunnel_types, name, value);
}

const char *ipvs_tunnel_name(int value)
{
	return name_of(tunnel_types, value);
}

int ipvs_tunnel_csum_lookup(const char *name, int *value)
{
	return lookup(tunnel_csums, name, value);
}

const char *ipvs_tunnel_csum_name(int value)
{
	return name_of(tunnel_csums, value);
}

int ipvs_proto_lookup(const char *name, int *value)
{
	return lookup(protocols, name, value);
}

const char *ipvs_proto_name(int value)
{
	return name_of(protocols, value);
}

int ipvs_sched_flag_lookup(const char *name, unsigned *flag, const char **sched)
{
	int v;
	if (lookup(ipvs_sched_flags, name, &v) < 0)
		return -1;
	*flag = (unsigned)v;
	if (sched) {
		if (!strncasecmp(name, "sh-", 3))
			*sched = "sh";
		else if (!strncasecmp(name, "mh-", 3))
			*sched = "mh";
		else
			*sched = NULL;
	}
	return 0;
}
