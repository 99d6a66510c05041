/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_timer_late.h - timer_expired_backup: did our timer fire so late that another took over? */
#ifndef KA_VRRP_TIMER_LATE_H
#define KA_VRRP_TIMER_LATE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Pure. When the VRRP process is not scheduled for a while (a loaded or
 * frozen host), its timers fire late. Another router of priority
 * other_prio, hearing nothing from us, declares itself master once its
 * master-down interval has passed since it last heard us, and its adverts
 * may be waiting unread in our socket. With nopreempt, acting on the late
 * timer would take the role back from it; timer_expired_backup makes us
 * yield instead.
 *
 * armed_at is when the timer was started (µs, the same clock as now):
 * when a MASTER last sent an advert, or a BACKUP last heard the master.
 * our_down_us is our own master-down interval (a BACKUP's timer length),
 * other_down_us the other router's, vrrp_master_down_us() with other_prio.
 *
 *  - MASTER (advert timer): late when now - armed_at >= other_down_us.
 *  - BACKUP (master-down timer): late when now - armed_at >= other_down_us
 *    and our_down_us < other_down_us, i.e. on time we would have won the
 *    race; when the other router's interval is the shorter anyway, its
 *    advert normally reaches us first and nothing changes. (The caller
 *    lets a backup wait only once in a row.)
 */
bool vrrp_timer_late(bool master, uint64_t now, uint64_t armed_at, uint64_t our_down_us,
		     uint64_t other_down_us);

#endif
