/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_daemon.h - placeholder */
#ifndef KA_BFD_DAEMON_H
#define KA_BFD_DAEMON_H
#endif
