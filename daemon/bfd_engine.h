/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_engine.h - placeholder */
#ifndef KA_BFD_ENGINE_H
#define KA_BFD_ENGINE_H
#endif
