/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_dns_codec.c - DNS query builder and reply validator for DNS_CHECK */
#include <stdbool.h>
#include <string.h>

#include "check/check_dns_codec.h"

#define FLAG_QR 0x80     /* byte 2 */
#define FLAG_RD 0x01     /* byte 2 */
#define OPCODE_MASK 0x78 /* byte 2 */
#define RCODE_MASK 0x0f  /* byte 3 */
#define CLASS_IN 1

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int check_dns_query(uint8_t *buf, size_t size, uint16_t id, uint16_t type, const char *name)
{
	uint8_t q[CHECK_DNS_MAX_QUERY];
	size_t n = CHECK_DNS_HDR_LEN;
	memset(q, 0, n);
	put16(q, id);
	q[2] = FLAG_RD;
	put16(q + 4, 1); /* one question */
	const char *s = strcmp(name, ".") ? name : "";
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t l = dot ? (size_t)(dot - s) : strlen(s);
		if (!l || l > 63 || n - CHECK_DNS_HDR_LEN + l + 2 > CHECK_DNS_MAX_NAME)
			return -1;
		q[n++] = (uint8_t)l;
		memcpy(q + n, s, l);
		n += l;
		s += l;
		if (*s)
			s++; /* the dot; a trailing one ends the loop */
	}
	q[n++] = 0;
	put16(q + n, type);
	put16(q + n + 2, CLASS_IN);
	n += 4;
	if (n > size)
		return -1;
	memcpy(buf, q, n);
	return (int)n;
}

/*
 * Read the name at *pos into out (uncompressed wire form, lower case) and
 * move *pos past it. A pointer must point before the start of the label
 * sequence that holds it, so every jump goes strictly backwards and the
 * walk ends. Returns the wire length or -1.
 */
static int name_read(const uint8_t *m, size_t len, size_t *pos, uint8_t *out)
{
	size_t p = *pos, start = *pos, n = 0;
	bool jumped = false;
	for (;;) {
		if (p >= len)
			return -1;
		uint8_t l = m[p];
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= len)
				return -1;
			size_t to = (size_t)(l & 0x3f) << 8 | m[p + 1];
			if (to >= start)
				return -1;
			if (!jumped)
				*pos = p + 2;
			jumped = true;
			p = start = to;
			continue;
		}
		if (l & 0xc0)
			return -1; /* extended label types are not used */
		if (n + l + 1 > CHECK_DNS_MAX_NAME || p + 1 + l > len)
			return -1;
		out[n++] = l;
		for (size_t i = 0; i < l; i++) {
			uint8_t c = m[p + 1 + i];
			out[n++] = c >= 'A' && c <= 'Z' ? (uint8_t)(c | 0x20) : c;
		}
		p += 1 + (size_t)l;
		if (!l)
			break;
	}
	if (!jumped)
		*pos = p;
	return (int)n;
}

static enum check_dns_verdict bad(const char **why, const char *w)
{
	*why = w;
	return CHECK_DNS_BAD;
}

/* The question of the reply must be the query's, byte for byte but case. */
static enum check_dns_verdict same_question(const uint8_t *r, size_t len, size_t *pos,
					    const uint8_t *q, size_t qlen, const char **why)
{
	uint8_t a[CHECK_DNS_MAX_NAME], b[CHECK_DNS_MAX_NAME];
	size_t qpos = CHECK_DNS_HDR_LEN;
	int an = name_read(r, len, pos, a);
	if (an < 0 || *pos + 4 > len)
		return bad(why, "malformed question");
	int bn = name_read(q, qlen, &qpos, b);
	if (bn < 0 || qpos + 4 > qlen || an != bn || memcmp(a, b, (size_t)an) ||
	    memcmp(r + *pos, q + qpos, 4))
		return bad(why, "reply is for another question");
	*pos += 4;
	return CHECK_DNS_OK;
}

enum check_dns_verdict check_dns_reply(const uint8_t *r, size_t len, const uint8_t *q,
				       size_t qlen, int *rcode, const char **why)
{
	uint8_t name[CHECK_DNS_MAX_NAME];
	*rcode = 0;
	*why = NULL;
	if (len < CHECK_DNS_HDR_LEN || qlen < CHECK_DNS_HDR_LEN) {
		*why = "reply shorter than a DNS header";
		return len >= 2 && qlen >= 2 && get16(r) == get16(q) ? CHECK_DNS_BAD
								     : CHECK_DNS_IGNORE;
	}
	if (get16(r) != get16(q) || !(r[2] & FLAG_QR)) {
		*why = get16(r) != get16(q) ? "reply id does not match" : "not a reply";
		return CHECK_DNS_IGNORE;
	}
	if (r[2] & OPCODE_MASK)
		return bad(why, "reply opcode is not QUERY");
	if (get16(r + 4) != 1)
		return bad(why, "reply does not hold one question");
	size_t pos = CHECK_DNS_HDR_LEN;
	if (same_question(r, len, &pos, q, qlen, why) != CHECK_DNS_OK)
		return CHECK_DNS_BAD;
	unsigned records = (unsigned)get16(r + 6) + get16(r + 8) + get16(r + 10);
	for (unsigned i = 0; i < records; i++) {
		if (name_read(r, len, &pos, name) < 0 || pos + 10 > len)
			return bad(why, "truncated or malformed record");
		size_t rdlen = get16(r + pos + 8);
		pos += 10;
		if (rdlen > len - pos)
			return bad(why, "record data beyond the end of the reply");
		pos += rdlen;
	}
	*rcode = r[3] & RCODE_MASK;
	if (*rcode) {
		*why = "reply has a non-zero RCODE";
		return CHECK_DNS_RCODE;
	}
	return CHECK_DNS_OK;
}

const char *check_dns_rcode_str(int rcode)
{
	static const char *const names[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
					     "NOTIMP", "REFUSED" };
	return rcode >= 0 && rcode < 6 ? names[rcode] : "RCODE";
}
