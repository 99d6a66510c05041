/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addr.c - IPv4/IPv6 address values */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int ka_addr_parse(const char *s, bool allow_prefix, struct ka_addr *out)
{
	char buf[INET6_ADDRSTRLEN + 8];
	size_t len = strlen(s);
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len + 1);
	char *slash = strchr(buf, '/');
	if (slash) {
		if (!allow_prefix)
			return -1;
		*slash++ = '\0';
	}
	struct ka_addr a = {0};
	if (inet_pton(AF_INET, buf, &a.u.v4) == 1) {
		a.family = AF_INET;
		a.prefix = 32;
	} else if (inet_pton(AF_INET6, buf, &a.u.v6) == 1) {
		a.family = AF_INET6;
		a.prefix = 128;
	} else {
		return -1;
	}
	if (slash) {
		char *end;
		if (*slash < '0' || *slash > '9')
			return -1;
		errno = 0;
		unsigned long n = strtoul(slash, &end, 10);
		if (errno || *end || n > a.prefix)
			return -1;
		a.prefix = (uint8_t)n;
		a.has_prefix = true;
	}
	*out = a;
	return 0;
}

const char *ka_addr_str(const struct ka_addr *a, char *buf)
{
	if (a->family != AF_INET && a->family != AF_INET6) {
		strcpy(buf, "(none)");
		return buf;
	}
	inet_ntop(a->family, &a->u, buf, INET6_ADDRSTRLEN);
	if (a->has_prefix)
		sprintf(buf + strlen(buf), "/%u", a->prefix);
	return buf;
}

bool ka_addr_equal(const struct ka_addr *a, const struct ka_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	if (a->family == AF_INET6)
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
	return true;
}

int ka_port_parse(const char *s, uint16_t *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long n = strtoul(s, &end, 10);
	if (errno || *end || n > 65535)
		return -1;
	*out = (uint16_t)n;
	return 0;
}
