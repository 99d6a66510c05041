/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_dns.c - libFuzzer target: DNS reply validator and query builder */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_dns_codec.h"

/*
 * Byte 0: RR type of the query; then a NUL-terminated name (cut at 300
 * bytes); the rest is the reply, whose first two bytes are replaced by the
 * query's id half the time (byte 0 bit 0) so that the deeper checks run.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t q[CHECK_DNS_MAX_QUERY], reply[65536];
	char name[301];
	if (size < 2)
		return 0;
	uint8_t type = data[0];
	size_t i = 1, n = 0;
	while (i < size && data[i] && n < sizeof(name) - 1)
		name[n++] = (char)data[i++];
	name[n] = '\0';
	i++;
	int qlen = check_dns_query(q, sizeof(q), 0x4b41, type, name);
	if (qlen < 0) {
		qlen = check_dns_query(q, sizeof(q), 0x4b41, type, ".");
		if (qlen < 0)
			abort();
	}
	if (qlen > CHECK_DNS_MAX_QUERY)
		abort();
	size_t rlen = i < size ? size - i : 0;
	if (rlen > sizeof(reply))
		rlen = sizeof(reply);
	memcpy(reply, data + i, rlen);
	if ((type & 1) && rlen >= 2)
		memcpy(reply, q, 2);
	int rcode = -1;
	const char *why = NULL;
	enum check_dns_verdict v = check_dns_reply(reply, rlen, q, (size_t)qlen, &rcode, &why);
	if (v == CHECK_DNS_OK && (rcode != 0 || why))
		abort();
	if (v != CHECK_DNS_OK && !why)
		abort();
	if (v == CHECK_DNS_RCODE && (rcode < 1 || rcode > 15))
		abort();
	/* the query answers itself never: QR is clear */
	if (check_dns_reply(q, (size_t)qlen, q, (size_t)qlen, &rcode, &why) != CHECK_DNS_IGNORE)
		abort();
	(void)check_dns_rcode_str(rcode);
	return 0;
}
