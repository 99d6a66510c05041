/* SPDX-License-Identifier: GPL-2.0-or-later */
/* util.h - allocation wrappers and small helpers shared by every process */
#ifndef KA_UTIL_H
#define KA_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that cannot fail: on out-of-memory the process logs and exits
 * (a daemon with a half-allocated state is worse than a respawn). */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

/* Monotonic clock in microseconds. */
uint64_t mono_usec(void);

/* Write a whole buffer, retrying on EINTR/short writes. 0 or -1 (errno). */
int write_all(int fd, const void *buf, size_t len);

/* Value of a hexadecimal digit (either case), or -1 for any other character. */
int hex_digit_val(int c);

#endif
