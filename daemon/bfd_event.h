/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_event.h - BFD session states from the BFD child to the VRRP and checker children */
#ifndef KA_BFD_EVENT_H
#define KA_BFD_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The parent makes one SOCK_SEQPACKET socket pair per consumer (VRRP,
 * checker) before forking anything and keeps both ends open for its whole
 * life, so either side can be respawned without the other noticing. The
 * BFD child holds end 0 of each pair, the consumer end 1 (child_ctx.bfd_fd).
 *
 * Messages (one per datagram):
 *   STATE  BFD -> consumer: a session's name and whether it is Up. Sent on
 *          every change of Up-ness, and for every session after a SYNC.
 *   SYNC   consumer -> BFD: "send me every state" (a consumer that has just
 *          started knows nothing; until told, it holds every session Down).
 *   SYNCED BFD -> consumer: every session's STATE has been sent.
 * A message is never larger than BFD_EVENT_MAX; names longer than
 * BFD_EVENT_NAME_MAX are refused by the sender (the config limits them).
 */
#define BFD_EVENT_NAME_MAX 127
#define BFD_EVENT_MAX      (4 + BFD_EVENT_NAME_MAX + 1)

enum bfd_event_type {
	BFD_EVENT_NONE = 0,   /* nothing to read (EAGAIN) */
	BFD_EVENT_STATE = 1,
	BFD_EVENT_SYNC = 2,
	BFD_EVENT_SYNCED = 3,
	BFD_EVENT_CLOSED = -1, /* the other end is gone, or a read error */
	BFD_EVENT_BAD = -2,    /* a malformed message (dropped; counted by the caller) */
};

/* Send one message without blocking. Returns 0, or -1 with errno set
 * (EAGAIN: the consumer is not reading; the caller may resend later). */
int bfd_event_send_state(int fd, const char *name, bool up);
int bfd_event_send_sync(int fd);
int bfd_event_send_synced(int fd);

/* Read one message without blocking. For BFD_EVENT_STATE, name (size bytes,
 * >= BFD_EVENT_NAME_MAX + 1) and *up are filled. */
enum bfd_event_type bfd_event_recv(int fd, char *name, size_t size, bool *up);

/*
 * Consumer side (VRRP and checker children): the states the BFD child has
 * told, by session name. The table watches fd on loop (the fd stays the
 * caller's: it is never closed here) and sends SYNC at once. cb is called
 * from the loop when a session's Up-ness is first learnt or changes;
 * repeated STATEs (after a SYNC, or from a respawned BFD child) that change
 * nothing are not reported. Malformed messages are counted and dropped. If
 * the channel closes, the last states are kept and reading stops.
 */
struct ev_loop;
struct bfd_event_table;

typedef void (*bfd_event_changed_fn)(void *arg, const char *name, bool up);

/* Start reading fd (< 0: no BFD; the table stays empty). Never NULL. */
struct bfd_event_table *bfd_event_table_new(struct ev_loop *loop, int fd,
					    bfd_event_changed_fn cb, void *arg);

/* Stop watching, free. NULL is fine. */
void bfd_event_table_free(struct bfd_event_table *t);

/* 1 = Up, 0 = not Up, -1 = never told about name. t may be NULL. */
int bfd_event_table_state(const struct bfd_event_table *t, const char *name);

/* How many times name changed (first learning included); 0 if unknown. */
uint64_t bfd_event_table_changes(const struct bfd_event_table *t, const char *name);

struct bfd_event_table_info {
	bool connected;    /* a channel is being read */
	bool synced;       /* SYNCED received at least once */
	size_t sessions;   /* names known */
	uint64_t states;   /* STATE messages received */
	uint64_t bad;      /* malformed messages dropped */
};

/* For dumps. t may be NULL (all zero). */
void bfd_event_table_info(const struct bfd_event_table *t, struct bfd_event_table_info *info);

#endif
