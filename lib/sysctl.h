/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysctl.h - reading and writing integer sysctls through their /proc/sys files */
#ifndef KA_SYSCTL_H
#define KA_SYSCTL_H

/* Read the integer in path (a /proc/sys file) into *val. Returns 0, or
 * -errno (-EIO when nothing could be read). */
int sysctl_read_int(const char *path, int *val);

/* Write val and a newline to path. Returns 0, or -errno (-EIO on a short
 * write); on failure errno is what the failing call left. */
int sysctl_write_int(const char *path, int val);

#endif
