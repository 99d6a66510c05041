/* SPDX-License-Identifier: GPL-2.0-or-later */
/* inet_csum.c - the Internet checksum, shared by VRRP adverts and neighbour adverts */
#include "inet_csum.h"

uint32_t inet_csum_add(uint32_t acc, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		acc += (uint32_t)b[len - 1] << 8;
	return acc;
}

uint16_t inet_csum_fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

uint32_t inet_csum_pseudo(const void *src, const void *dst, size_t alen, uint8_t proto,
			  uint32_t len)
{
	uint32_t acc = inet_csum_add(0, src, alen);

	acc = inet_csum_add(acc, dst, alen);
	return acc + proto + (len >> 16) + (len & 0xffff);
}
