/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_bfd.h - placeholder */
#ifndef KA_VRRP_BFD_H
#define KA_VRRP_BFD_H
#endif
