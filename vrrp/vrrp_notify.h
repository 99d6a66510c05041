/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_notify.h - state-change notifications: notify scripts in order, event FIFOs, mail hook */
#ifndef KA_VRRP_NOTIFY_H
#define KA_VRRP_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

struct ev_loop;
struct global_cfg;
struct vrrp_instance_cfg;
struct vrrp_sync_group_cfg;
struct vrrp_notify;

/*
 * What an instance or sync group reports. Scripts get the keyword
 * notify_master/backup/fault/stop (notify_deleted for DELETED), then the
 * generic `notify` gets "INSTANCE|GROUP name STATE priority" appended
 * (priority 0 for groups). FIFOs get one line per event:
 *   INSTANCE "VI_1" MASTER 100
 *   GROUP "G1" BACKUP 0
 *
 * Unlike keepalived, the scripts of one instance (or group) never overlap:
 * each instance has a queue and its next script starts only when the
 * previous one has ended or was killed after VRRP_NOTIFY_TIMEOUT_US, so a
 * MASTER script and the BACKUP script that follows it always run in that
 * order. Different instances still run side by side.
 */
enum vrrp_notify_state {
	VRRP_NOTIFY_MASTER,
	VRRP_NOTIFY_BACKUP,
	VRRP_NOTIFY_FAULT,
	VRRP_NOTIFY_STOP,
	VRRP_NOTIFY_DELETED,
};

/* A notify script running longer than this is killed (SIGTERM, then
 * SIGKILL) and the instance's next script starts. */
#define VRRP_NOTIFY_TIMEOUT_US (30 * 1000000ull)
/* How long vrrp_notify_stop() waits for queued scripts (notify_stop). */
#define VRRP_NOTIFY_STOP_WAIT_US (1000000ull)

/* "MASTER", "BACKUP", "FAULT", "STOP", "DELETED". */
const char *vrrp_notify_state_str(enum vrrp_notify_state st);

/*
 * Called on every instance or group transition (exactly one of vi and sg is
 * set; priority is 0 for groups). The mail module decides whether to send.
 */
typedef void (*vrrp_notify_smtp_fn)(void *arg, const struct vrrp_instance_cfg *vi,
				    const struct vrrp_sync_group_cfg *sg,
				    enum vrrp_notify_state st, int priority);

/*
 * Open notify_fifo and vrrp_notify_fifo if configured (created with mkfifo
 * if absent; opened read-write and non-blocking so a missing reader never
 * blocks us) and start their *_fifo_script with the FIFO path as last
 * argument. g must stay valid until the next reload or stop. Never NULL.
 */
struct vrrp_notify *vrrp_notify_start(struct ev_loop *loop, const struct global_cfg *g);

/* New global settings: FIFOs whose path, owner or script changed are
 * reopened and their scripts restarted; queued scripts are kept. */
void vrrp_notify_reload(struct vrrp_notify *n, const struct global_cfg *g);

/*
 * Shutdown: wait (blocking, the loop has ended) up to
 * VRRP_NOTIFY_STOP_WAIT_US for queued scripts such as notify_stop, then
 * SIGTERM what still runs and the FIFO scripts, close the FIFOs (removing
 * the ones we created) and free n. NULL is fine.
 */
void vrrp_notify_stop(struct vrrp_notify *n);

/* An instance entered st with the given (effective) priority. vi is only
 * read during the call: what the scripts need is copied. */
void vrrp_notify_instance(struct vrrp_notify *n, const struct vrrp_instance_cfg *vi,
			  enum vrrp_notify_state st, int priority);

/* A sync group entered st. */
void vrrp_notify_group(struct vrrp_notify *n, const struct vrrp_sync_group_cfg *sg,
		       enum vrrp_notify_state st);

/* A master heard an advert of lower priority: notify_master_rx_lower_pri
 * (no arguments) and the FIFO line "... MASTER_RX_LOWER_PRI prio". */
void vrrp_notify_rx_lower_pri(struct vrrp_notify *n, const struct vrrp_instance_cfg *vi,
			      int priority);

/* The effective priority changed while MASTER or BACKUP: FIFO line
 * MASTER_PRIORITY / BACKUP_PRIORITY, when the instance has
 * notify_priority_changes. */
void vrrp_notify_priority(struct vrrp_notify *n, const struct vrrp_instance_cfg *vi,
			  bool master, int priority);

void vrrp_notify_set_smtp_hook(struct vrrp_notify *n, vrrp_notify_smtp_fn fn, void *arg);

/* Change the per-script timeout (tests). */
void vrrp_notify_set_timeout(struct vrrp_notify *n, uint64_t usec);

#endif
