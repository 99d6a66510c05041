/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_dns_codec.h - DNS query builder and reply validator for DNS_CHECK */
#ifndef KA_CHECK_DNS_CODEC_H
#define KA_CHECK_DNS_CODEC_H

#include <stddef.h>
#include <stdint.h>

/*
 * Pure code, no I/O. The query asks one question (class IN, recursion
 * desired). A reply is judged on its header and structure, as keepalived
 * does (the answer's content is not compared): same id, QR set, opcode
 * QUERY, the same single question, every record inside the datagram, and
 * then RCODE 0. Names may use compression pointers; a pointer must point
 * before the name it is part of, so loops are impossible.
 */

#define CHECK_DNS_HDR_LEN 12
#define CHECK_DNS_MAX_NAME 255  /* wire length */
#define CHECK_DNS_MAX_QUERY (CHECK_DNS_HDR_LEN + CHECK_DNS_MAX_NAME + 4)

enum check_dns_verdict {
	CHECK_DNS_OK,     /* our reply, RCODE 0 */
	CHECK_DNS_IGNORE, /* not a reply to our query (other id, not a reply): keep waiting */
	CHECK_DNS_BAD,    /* meant as our reply but malformed or truncated */
	CHECK_DNS_RCODE,  /* well-formed reply with a non-zero RCODE */
};

/*
 * Build a query for name ("." or "" = the root; a trailing dot is optional)
 * and RR type into buf. Returns its length, or -1 when the name is not
 * valid (empty label, label over 63 bytes, name over 255) or buf is too
 * small.
 */
int check_dns_query(uint8_t *buf, size_t size, uint16_t id, uint16_t type, const char *name);

/*
 * Judge reply[0..len) as the answer to query[0..qlen) (as built above).
 * *rcode is set for CHECK_DNS_RCODE (and 0 for OK); *why to a short static
 * reason for anything but OK.
 */
enum check_dns_verdict check_dns_reply(const uint8_t *reply, size_t len, const uint8_t *query,
				       size_t qlen, int *rcode, const char **why);

/* "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", or "RCODE" */
const char *check_dns_rcode_str(int rcode);

#endif
