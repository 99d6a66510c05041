/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bfd_event.c - the BFD state channel: message codec, and the consumers' table of states */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* POLLRDHUP */
#endif
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/bfd_event.h"
#include "ev.h"
#include "log.h"
#include "util.h"

/*
 * Wire format, one message per datagram:
 *   byte 0      type (enum bfd_event_type: 1 STATE, 2 SYNC, 3 SYNCED)
 * and for STATE only:
 *   byte 1      0 = not Up, 1 = Up
 *   byte 2      name length N, 1..BFD_EVENT_NAME_MAX
 *   bytes 3..   the name, N bytes, no terminating NUL
 * SYNC and SYNCED are exactly one byte. Anything else is BAD: a wrong
 * length, an unknown type, a state byte other than 0/1, a name holding
 * a NUL or a control character.
 */
#define EV_HDR_STATE 3

_Static_assert(EV_HDR_STATE + BFD_EVENT_NAME_MAX <= BFD_EVENT_MAX, "message size");
_Static_assert(BFD_EVENT_NAME_MAX <= UINT8_MAX, "name length fits a byte");

/* Names go to logs and dumps: no control characters (the config cannot
 * produce them anyway). */
static bool name_ok(const unsigned char *s, size_t len)
{
	if (!len || len > BFD_EVENT_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static int send_msg(int fd, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) { /* cannot happen on SOCK_SEQPACKET */
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

int bfd_event_send_state(int fd, const char *name, bool up)
{
	unsigned char buf[BFD_EVENT_MAX];
	size_t len = name ? strlen(name) : 0;

	if (!name_ok((const unsigned char *)name, len)) {
		errno = EINVAL;
		return -1;
	}
	buf[0] = BFD_EVENT_STATE;
	buf[1] = up ? 1 : 0;
	buf[2] = (unsigned char)len;
	memcpy(buf + EV_HDR_STATE, name, len);
	return send_msg(fd, buf, EV_HDR_STATE + len);
}

int bfd_event_send_sync(int fd)
{
	unsigned char t = BFD_EVENT_SYNC;
	return send_msg(fd, &t, 1);
}

int bfd_event_send_synced(int fd)
{
	unsigned char t = BFD_EVENT_SYNCED;
	return send_msg(fd, &t, 1);
}

/* recv() gave 0: an empty datagram, or the end of the stream? Only a
 * hang-up says the latter. */
static bool peer_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

static enum bfd_event_type decode(const unsigned char *buf, size_t n, char *name, size_t size,
				  bool *up)
{
	if (n == 1 && (buf[0] == BFD_EVENT_SYNC || buf[0] == BFD_EVENT_SYNCED))
		return (enum bfd_event_type)buf[0];
	if (n < EV_HDR_STATE || buf[0] != BFD_EVENT_STATE || buf[1] > 1 ||
	    n != EV_HDR_STATE + (size_t)buf[2] || !name_ok(buf + EV_HDR_STATE, buf[2]) ||
	    !name || size <= buf[2])
		return BFD_EVENT_BAD;
	memcpy(name, buf + EV_HDR_STATE, buf[2]);
	name[buf[2]] = '\0';
	if (up)
		*up = buf[1] == 1;
	return BFD_EVENT_STATE;
}

enum bfd_event_type bfd_event_recv(int fd, char *name, size_t size, bool *up)
{
	unsigned char buf[BFD_EVENT_MAX + 1];
	ssize_t n;

	do
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? BFD_EVENT_NONE : BFD_EVENT_CLOSED;
	if (n == 0)
		return peer_gone(fd) ? BFD_EVENT_CLOSED : BFD_EVENT_BAD;
	if ((size_t)n > BFD_EVENT_MAX) /* MSG_TRUNC: n is the datagram's real size */
		return BFD_EVENT_BAD;
	return decode(buf, (size_t)n, name, size, up);
}

/* ---- consumer side: the table of states ------------------------------------------ */

/* More sessions than any configuration has: a peer sending more names is
 * broken, and the table must not grow without bound. */
#define TABLE_MAX 4096
/* Messages read per wake-up, so a flood cannot starve the loop. */
#define READ_BURST 256
#define SYNC_RETRY_US 1000000ull

struct bfd_event_entry {
	char name[BFD_EVENT_NAME_MAX + 1];
	bool up;
	uint64_t changes;
};

struct bfd_event_table {
	struct ev_loop *loop;
	int fd;
	bfd_event_changed_fn cb;
	void *arg;
	struct bfd_event_entry *e;
	size_t n, cap;
	bool watching, closed, synced, sync_sent, full_logged;
	struct ev_timer *sync_timer;
	uint64_t states, bad;
	struct log_rl rl;
};

static struct bfd_event_entry *table_find(const struct bfd_event_table *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].name, name))
			return &t->e[i];
	return NULL;
}

/* Record a STATE; tell the consumer when it is news. */
static void table_state(struct bfd_event_table *t, const char *name, bool up)
{
	struct bfd_event_entry *e = table_find(t, name);

	t->states++;
	if (e && e->up == up)
		return;
	if (!e) {
		if (t->n >= TABLE_MAX) {
			if (!t->full_logged)
				log_warnx("BFD: more than %d sessions announced, '%s' ignored",
					  TABLE_MAX, name);
			t->full_logged = true;
			return;
		}
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 16;
			t->e = xrealloc(t->e, t->cap * sizeof(*t->e));
		}
		e = &t->e[t->n++];
		memset(e, 0, sizeof(*e));
		snprintf(e->name, sizeof(e->name), "%s", name);
	}
	e->up = up;
	e->changes++;
	if (t->cb)
		t->cb(t->arg, e->name, up);
}

static void table_stop_watching(struct bfd_event_table *t)
{
	if (t->watching)
		ev_fd_del(t->loop, t->fd);
	t->watching = false;
}

static void read_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct bfd_event_table *t = arg;
	char name[BFD_EVENT_NAME_MAX + 1];
	bool up;

	for (int i = 0; i < READ_BURST; i++) {
		switch (bfd_event_recv(fd, name, sizeof(name), &up)) {
		case BFD_EVENT_NONE:
			return;
		case BFD_EVENT_STATE:
			table_state(t, name, up);
			break;
		case BFD_EVENT_SYNCED:
			if (!t->synced)
				log_info("BFD: session states received (%zu session%s)", t->n,
					 t->n == 1 ? "" : "s");
			t->synced = true;
			break;
		case BFD_EVENT_CLOSED:
			/* The parent holds the other end: only its death gets here. */
			log_warnx("BFD: event channel closed, keeping the last session states");
			t->closed = true;
			table_stop_watching(t);
			return;
		default: /* BAD, or a SYNC that only the BFD side should get */
			t->bad++;
			log_rl_msg(&t->rl, LOG_WARNING,
				   "BFD: malformed event dropped (%llu so far)",
				   (unsigned long long)t->bad);
			break;
		}
	}
}

/* Ask for every state. The parent holds the BFD end even while the BFD
 * child is (re)starting, so the request waits there; only a full queue
 * makes it fail, and then it is tried again. */
static void sync_cb(struct ev_loop *loop, void *arg)
{
	struct bfd_event_table *t = arg;

	if (t->closed)
		return;
	if (bfd_event_send_sync(t->fd) == 0) {
		t->sync_sent = true;
		return;
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOBUFS) {
		log_warn("BFD: cannot ask for the session states");
		return;
	}
	ev_timer_add(t->loop, sync_cb, t, SYNC_RETRY_US, &t->sync_timer);
}

struct bfd_event_table *bfd_event_table_new(struct ev_loop *loop, int fd,
					    bfd_event_changed_fn cb, void *arg)
{
	struct bfd_event_table *t = xcalloc(1, sizeof(*t));

	t->loop = loop;
	t->fd = fd;
	t->cb = cb;
	t->arg = arg;
	if (fd < 0)
		return t;
	if (ev_fd_add(loop, fd, EV_READ, read_cb, t) < 0) {
		log_warn("BFD: cannot watch the event channel");
		t->closed = true;
		return t;
	}
	t->watching = true;
	sync_cb(loop, t);
	return t;
}

void bfd_event_table_free(struct bfd_event_table *t)
{
	if (!t)
		return;
	table_stop_watching(t);
	ev_cancel(&t->sync_timer);
	free(t->e);
	free(t);
}

int bfd_event_table_state(const struct bfd_event_table *t, const char *name)
{
	const struct bfd_event_entry *e = t && name ? table_find(t, name) : NULL;

	return e ? e->up : -1;
}

void bfd_event_table_info(const struct bfd_event_table *t, struct bfd_event_table_info *info)
{
	memset(info, 0, sizeof(*info));
	if (!t)
		return;
	info->connected = t->fd >= 0 && !t->closed;
	info->synced = t->synced;
	info->sessions = t->n;
	info->states = t->states;
	info->bad = t->bad;
}

uint64_t bfd_event_table_changes(const struct bfd_event_table *t, const char *name)
{
	const struct bfd_event_entry *e = t && name ? table_find(t, name) : NULL;

	return e ? e->changes : 0;
}
