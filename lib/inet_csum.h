/* SPDX-License-Identifier: GPL-2.0-or-later */
/* inet_csum.h - the Internet checksum (RFC 1071) and IPv4/IPv6 pseudo-header sums */
#ifndef KA_INET_CSUM_H
#define KA_INET_CSUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Add len bytes at p to the running sum acc as big-endian 16-bit words, an
 * odd last byte padded with zero. Byte access: any alignment, any host byte
 * order. Returns the new, not yet folded sum. Pure.
 */
uint32_t inet_csum_add(uint32_t acc, const void *p, size_t len);

/* Fold the carries and complement: the checksum to store, or 0 when the
 * sum covered a message whose stored checksum is valid. Pure. */
uint16_t inet_csum_fold(uint32_t acc);

/*
 * Sum of a pseudo header: source and destination addresses (alen bytes
 * each, 4 or 16), the upper-layer protocol and its length. The IPv4 and
 * IPv6 layouts differ but sum to the same words, so one function serves
 * both. Add the message itself with inet_csum_add(). Pure.
 */
uint32_t inet_csum_pseudo(const void *src, const void *dst, size_t alen, uint8_t proto,
			  uint32_t len);

#endif
