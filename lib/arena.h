/* SPDX-License-Identifier: GPL-2.0-or-later */
/* arena.h - bump allocator that owns every object of one parsed configuration */
#ifndef KA_ARENA_H
#define KA_ARENA_H

#include <stddef.h>

/*
 * A configuration is built once and then only read, so all its objects live
 * in one arena and die together: no per-object free functions, no leaks on
 * error paths, and a reload simply frees the old arena.
 */
struct arena;

/* Create an empty arena. Aborts on out-of-memory (a config cannot be half built). */
struct arena *arena_new(void);

/* Free the arena and everything allocated from it. NULL is accepted. */
void arena_free(struct arena *a);

/* Zeroed, max-aligned memory owned by the arena. Never returns NULL. */
void *arena_alloc(struct arena *a, size_t size);

/* Copy of s (or of its first n bytes) owned by the arena. NULL gives NULL. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* Total bytes handed out (for -d and benchmarks). */
size_t arena_used(const struct arena *a);

#endif
