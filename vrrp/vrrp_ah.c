/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_ah.c - HMAC-MD5-96 ICV for VRRPv2 "AH" authentication */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "vrrp/vrrp_ah.h"

bool vrrp_ah_hmac_md5(const uint8_t key[VRRP_AUTH_LEN], const uint8_t *msg, size_t len,
		      uint8_t icv[VRRP_AH_ICV_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	/* The key is the NUL padded 8-byte field: HMAC pads keys with zeros
	 * anyway, so this equals keying with the password text. */
	if (!HMAC(EVP_md5(), key, VRRP_AUTH_LEN, msg, len, md, &mdlen) || mdlen < VRRP_AH_ICV_LEN)
		return false;
	memcpy(icv, md, VRRP_AH_ICV_LEN);
	return true;
}
