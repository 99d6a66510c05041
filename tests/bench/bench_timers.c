/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench_timers.c - cost of adding, cancelling and firing 100,000 event-loop timers */
/*
 * Prints figures only (not a pass/fail test, not part of `make check`).
 * Build and run from the source tree:
 *   gcc -O2 -Wall -Wextra -Wno-unused-parameter -Ilib -o /tmp/bench_timers \
 *       tests/bench/bench_timers.c lib/ev.c lib/util.c
 *   /tmp/bench_timers [timers] [runs]
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ev.h"
#include "util.h"

static uint32_t rnd_state = 0x9e3779b9u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void fire_cb(struct ev_loop *loop, void *arg)
{
	(*(size_t *)arg)++;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

/* One run: add n timers with random delays up to 10 s and cancel them all in
 * random order; then add n timers due within 2 ms, let them become due, and
 * fire them. */
static void run_once(size_t n, uint64_t *add_us, uint64_t *cancel_us, uint64_t *fire_us)
{
	struct ev_loop *loop = ev_loop_new();
	struct ev_timer **refs = calloc(n, sizeof(*refs));
	size_t *order = calloc(n, sizeof(*order));
	size_t fired = 0;
	if (!loop || !refs || !order) {
		perror("setup");
		exit(1);
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rnd() % (i + 1), tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}

	uint64_t t = mono_usec();
	for (size_t i = 0; i < n; i++)
		ev_timer_add(loop, fire_cb, &fired, rnd() % 10000000u, &refs[i]);
	*add_us = mono_usec() - t;

	t = mono_usec();
	for (size_t i = 0; i < n; i++)
		ev_cancel(&refs[order[i]]);
	*cancel_us = mono_usec() - t;

	for (size_t i = 0; i < n; i++)
		ev_timer_add(loop, fire_cb, &fired, rnd() % 2000u, &refs[i]);
	usleep(3000); /* all due: ev_run() below measures firing only */
	t = mono_usec();
	ev_run(loop);
	*fire_us = mono_usec() - t;
	if (fired != n || ev_timer_count(loop) != 0) {
		fprintf(stderr, "fired %zu of %zu timers\n", fired, n);
		exit(1);
	}
	free(order);
	free(refs);
	ev_loop_free(loop);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	size_t runs = argc > 2 ? strtoul(argv[2], NULL, 10) : 7;
	if (n == 0 || runs == 0 || runs > 100) {
		fprintf(stderr, "usage: %s [timers] [runs<=100]\n", argv[0]);
		return 2;
	}
	uint64_t add[100], cancel[100], fire[100];
	for (size_t r = 0; r < runs; r++)
		run_once(n, &add[r], &cancel[r], &fire[r]);

	const char *what[] = { "add", "cancel", "fire" };
	uint64_t med[] = { median(add, runs), median(cancel, runs), median(fire, runs) };
	printf("%zu timers, median of %zu runs\n", n, runs);
	for (size_t i = 0; i < 3; i++)
		printf("  %-6s %8.2f ms total %8.1f ns/timer\n", what[i], med[i] / 1000.0,
		       med[i] * 1000.0 / (double)n);
	return 0;
}
