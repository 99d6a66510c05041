/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_timer_late.c - timer_expired_backup: did our timer fire so late that another took over? */
#include "vrrp/vrrp_timer_late.h"

bool vrrp_timer_late(bool master, uint64_t now, uint64_t armed_at, uint64_t our_down_us,
		     uint64_t other_down_us)
{
	uint64_t elapsed = now > armed_at ? now - armed_at : 0;

	if (elapsed < other_down_us)
		return false;
	return master || our_down_us < other_down_us;
}
