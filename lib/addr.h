/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addr.h - IPv4/IPv6 address values: parse, compare, format */
#ifndef KA_ADDR_H
#define KA_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct ka_addr {
	sa_family_t family; /* AF_INET, AF_INET6, or AF_UNSPEC when unset */
	uint8_t prefix;     /* prefix length; 32/128 when not written */
	bool has_prefix;    /* "/N" was written */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* Longest text ka_addr_str() produces, with "/128" and NUL. */
#define KA_ADDR_STRLEN (INET6_ADDRSTRLEN + 5)

/* Parse "1.2.3.4", "fe80::1", optionally with "/N" when allow_prefix.
 * Returns 0, or -1 on anything else (bad syntax, prefix out of range). */
int ka_addr_parse(const char *s, bool allow_prefix, struct ka_addr *out);

/* Format into buf (KA_ADDR_STRLEN bytes); adds "/N" if has_prefix. */
const char *ka_addr_str(const struct ka_addr *a, char *buf);

/* Same family and bytes (prefix ignored). */
bool ka_addr_equal(const struct ka_addr *a, const struct ka_addr *b);

/* Parse a port 0..65535. Returns 0 or -1. */
int ka_port_parse(const char *s, uint16_t *out);

#endif
