/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_track_prio.c - effective priority and FAULT from tracker states (pure, no I/O) */
#include <limits.h>
#include <stdbool.h>

#include "cfg.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_track.h"

#define TRACK_FAULT_BELOW (-253) /* a track_file result below this is FAULT */
#define TRACK_MAX_ADD 253

static void add_boolean(struct vrrp_track_sum *sum, const struct vrrp_track_ref *ref,
			enum vrrp_track_status st)
{
	if (st == VRRP_TRACK_DISABLED)
		return;
	if (st == VRRP_TRACK_UNKNOWN) {
		if (!ref->weight)
			sum->pending++;
		return;
	}
	bool up = st == VRRP_TRACK_UP;
	if (!ref->weight) {
		if (up == ref->reverse)
			sum->fault = true;
		return;
	}
	int c = up ? (ref->weight > 0 ? ref->weight : 0) : (ref->weight < 0 ? ref->weight : 0);
	sum->delta += ref->reverse ? -c : c;
}

static void add_file(struct vrrp_track_sum *sum, const struct vrrp_track_ref *ref,
		     long long value)
{
	if (!ref->weight) {
		if ((value != 0) != ref->reverse)
			sum->fault = true;
		return;
	}
	long long w = ref->reverse ? -(long long)ref->weight : ref->weight;
	long long v;
	if (__builtin_mul_overflow(value, w, &v))
		v = (value < 0) != (w < 0) ? LLONG_MIN : LLONG_MAX;
	if (v < TRACK_FAULT_BELOW)
		sum->fault = true;
	else
		sum->delta += v > TRACK_MAX_ADD ? TRACK_MAX_ADD : v;
}

typedef enum vrrp_track_status (*status_fn)(const struct vrrp_track_lookup *,
					    const struct vrrp_track_ref *);

static void add_list(struct vrrp_track_sum *sum, const struct cfg_list *l, status_fn fn,
		     const struct vrrp_track_lookup *lk)
{
	cfg_list_for_each(const struct vrrp_track_ref, ref, l)
		add_boolean(sum, ref, fn ? fn(lk, ref) : VRRP_TRACK_UNKNOWN);
}

void vrrp_track_sum_add(struct vrrp_track_sum *sum, const struct vrrp_tracks *t,
			const struct vrrp_track_lookup *lk)
{
	add_list(sum, &t->ifs, lk->iface, lk);
	add_list(sum, &t->scripts, lk->script, lk);
	add_list(sum, &t->procs, lk->process, lk);
	add_list(sum, &t->bfds, lk->bfd, lk);
	cfg_list_for_each(const struct vrrp_track_ref, ref, &t->files) {
		long long value;
		if (lk->file && lk->file(lk, ref, &value))
			add_file(sum, ref, value);
	}
}

int vrrp_track_effective(int base, const struct vrrp_track_sum *sum)
{
	if (base >= 255)
		return 255;
	long long p = base + sum->delta;
	return p < 1 ? 1 : p > 254 ? 254 : (int)p;
}

int vrrp_track_priority(const struct vrrp_tracks *t, int base, bool *fault,
			const struct vrrp_track_lookup *lk)
{
	struct vrrp_track_sum sum = { 0 };
	vrrp_track_sum_add(&sum, t, lk);
	if (fault)
		*fault = sum.fault;
	return vrrp_track_effective(base, &sum);
}
