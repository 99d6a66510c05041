/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_ah.h - HMAC-MD5-96 ICV for VRRPv2 "AH" authentication */
#ifndef KA_VRRP_AH_H
#define KA_VRRP_AH_H

#include "vrrp/vrrp_packet.h"

/*
 * HMAC-MD5 of msg keyed with the 8-byte, NUL padded auth_pass, truncated to
 * 96 bits: the ICV keepalived puts in its AH header. Returns false if
 * libcrypto fails. Matches vrrp_ah_hmac_fn, so it can be given to
 * vrrp_pkt_build_ip4() and vrrp_pkt_check_instance(). Pure (one-shot HMAC).
 */
vrrp_ah_hmac_fn vrrp_ah_hmac_md5;

#endif
