/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_bfd.h - placeholder */
#ifndef KA_CHECK_BFD_H
#define KA_CHECK_BFD_H
#endif
