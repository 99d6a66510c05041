/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_track_proc_msg.c - vrrp_track_process without I/O: process matching, connector messages */
#include <stdlib.h>
#include <string.h>

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_track_proc.h"

#define CMD_UNKNOWN_ARGV0 4096 /* cmdline bytes allowed for argv[0] when only comm is known */

/* ---- matching (pure) ---------------------------------------------------------------- */

/* The next NUL-ended word of cmd from *pos (the buffer's end also ends a word). */
static bool next_word(const char *cmd, size_t len, size_t *pos, const char **w, size_t *wlen)
{
	if (!cmd || *pos >= len)
		return false;
	const char *s = cmd + *pos;
	const char *nul = memchr(s, '\0', len - *pos);
	*wlen = nul ? (size_t)(nul - s) : len - *pos;
	*w = s;
	*pos += *wlen + 1;
	return true;
}

static bool word_is(const char *w, size_t wlen, const char *s)
{
	return strlen(s) == wlen && !memcmp(w, s, wlen);
}

/* The kernel cuts names to VRRP_TPROC_COMM_MAX characters: so do we. */
static bool comm_is(const char *comm, const char *name)
{
	size_t n = strlen(name);
	if (n > VRRP_TPROC_COMM_MAX)
		n = VRRP_TPROC_COMM_MAX;
	return strlen(comm) == n && !strncmp(comm, name, n);
}

static bool params_match(const struct vrrp_track_process_cfg *c, const char *cmd, size_t len,
			 size_t pos)
{
	const char *w;
	size_t wl;

	for (unsigned i = 0; i < c->nparams; i++) {
		const char *want = c->paramv[i];
		if (!next_word(cmd, len, &pos, &w, &wl))
			return false;
		if (i + 1 == c->nparams && c->param_match == VRRP_PARAM_MATCH_INITIAL) {
			size_t n = strlen(want);
			if (wl < n || memcmp(w, want, n))
				return false;
		} else if (!word_is(w, wl, want)) {
			return false;
		}
	}
	return c->param_match != VRRP_PARAM_MATCH_EXACT || pos >= len;
}

bool vrrp_tproc_match(const struct vrrp_track_process_cfg *c, const char *comm, const char *cmd,
		      size_t cmd_len)
{
	size_t pos = 0, wl;
	const char *w;

	if (!c->process)
		return false;
	if (c->full_command) {
		if (!next_word(cmd, cmd_len, &pos, &w, &wl) || !word_is(w, wl, c->process))
			return false;
	} else {
		if (!comm || !comm_is(comm, c->process))
			return false;
		/* arguments without full_command: skip argv[0], whatever it is */
		if (c->param_match != VRRP_PARAM_MATCH_NONE &&
		    !next_word(cmd, cmd_len, &pos, &w, &wl))
			return false;
	}
	return c->param_match == VRRP_PARAM_MATCH_NONE || params_match(c, cmd, cmd_len, pos);
}

size_t vrrp_tproc_cmdline_need(const struct vrrp_track_process_cfg *c)
{
	size_t n;

	if (!c->full_command && c->param_match == VRRP_PARAM_MATCH_NONE)
		return 0;
	n = c->full_command && c->process ? strlen(c->process) + 1 : CMD_UNKNOWN_ARGV0;
	for (unsigned i = 0; i < c->nparams; i++)
		n += strlen(c->paramv[i]) + 1;
	return n + 1; /* one more byte tells "more follows" from "that was all" */
}

bool vrrp_tproc_quorum_ok(const struct vrrp_track_process_cfg *c, unsigned n)
{
	return n >= c->quorum && n <= c->quorum_max;
}

/* ---- connector messages (pure) ------------------------------------------------------ */

#define PEV_DATA offsetof(struct proc_event, event_data)
#define PEV_AT(field) (offsetof(struct proc_event, event_data.field) - PEV_DATA)

static pid_t pid_at(const unsigned char *p, size_t off)
{
	__kernel_pid_t v;
	memcpy(&v, p + off, sizeof(v)); /* no alignment is promised after a cn_msg */
	return (pid_t)v;
}

/* The event in one proc connector payload. Returns 1 (ev filled), 0 (not of
 * interest) or -1 (malformed). */
static int parse_event(const unsigned char *d, size_t len, struct vrrp_tproc_event *ev)
{
	uint32_t what;
	size_t need;

	if (len < PEV_DATA)
		return -1;
	memcpy(&what, d + offsetof(struct proc_event, what), sizeof(what));
	switch (what) {
	case PROC_EVENT_FORK: need = PEV_AT(fork.child_tgid) + sizeof(__kernel_pid_t); break;
	case PROC_EVENT_EXEC: need = PEV_AT(exec.process_tgid) + sizeof(__kernel_pid_t); break;
	case PROC_EVENT_COMM: need = PEV_AT(comm.comm) + VRRP_TPROC_COMM_MAX + 1; break;
	case PROC_EVENT_EXIT: need = PEV_AT(exit.process_tgid) + sizeof(__kernel_pid_t); break;
	default: return 0; /* acks and the events we do not follow */
	}
	if (len - PEV_DATA < need)
		return -1;
	d += PEV_DATA;
	memset(ev, 0, sizeof(*ev));
	switch (what) {
	case PROC_EVENT_FORK:
		ev->kind = VRRP_TPROC_EV_FORK;
		ev->ppid = pid_at(d, PEV_AT(fork.parent_pid));
		ev->ptgid = pid_at(d, PEV_AT(fork.parent_tgid));
		ev->pid = pid_at(d, PEV_AT(fork.child_pid));
		ev->tgid = pid_at(d, PEV_AT(fork.child_tgid));
		break;
	case PROC_EVENT_EXEC:
		ev->kind = VRRP_TPROC_EV_EXEC;
		ev->pid = pid_at(d, PEV_AT(exec.process_pid));
		ev->tgid = pid_at(d, PEV_AT(exec.process_tgid));
		break;
	case PROC_EVENT_COMM:
		ev->kind = VRRP_TPROC_EV_COMM;
		ev->pid = pid_at(d, PEV_AT(comm.process_pid));
		ev->tgid = pid_at(d, PEV_AT(comm.process_tgid));
		memcpy(ev->comm, d + PEV_AT(comm.comm), VRRP_TPROC_COMM_MAX);
		break;
	default:
		ev->kind = VRRP_TPROC_EV_EXIT;
		ev->pid = pid_at(d, PEV_AT(exit.process_pid));
		ev->tgid = pid_at(d, PEV_AT(exit.process_tgid));
		break;
	}
	if (ev->pid <= 0 || ev->tgid <= 0 ||
	    (ev->kind == VRRP_TPROC_EV_FORK && (ev->ppid <= 0 || ev->ptgid <= 0)))
		return -1;
	return 1;
}

/* One netlink message's payload (after the header). Same returns. */
static int parse_msg(const struct nlmsghdr *h, const unsigned char *body, size_t blen,
		     struct vrrp_tproc_event *ev)
{
	struct cn_msg cn;

	if (h->nlmsg_type != NLMSG_DONE) /* the connector sends nothing else */
		return h->nlmsg_type == NLMSG_NOOP ? 0 : -1;
	if (blen < sizeof(cn))
		return -1;
	memcpy(&cn, body, sizeof(cn));
	if (cn.id.idx != CN_IDX_PROC || cn.id.val != CN_VAL_PROC)
		return 0;
	if (cn.len > blen - sizeof(cn))
		return -1;
	return parse_event(body + sizeof(cn), cn.len, ev);
}

size_t vrrp_tproc_parse(const void *buf, size_t len, uint32_t sender,
			struct vrrp_tproc_event *ev, size_t max,
			struct vrrp_tproc_parse_stats *st)
{
	const unsigned char *p = buf;
	size_t off = 0, n = 0;

	memset(st, 0, sizeof(*st));
	if (sender != 0) { /* only the kernel speaks for the connector */
		st->bad++;
		return 0;
	}
	while (off < len) {
		struct nlmsghdr h;
		struct vrrp_tproc_event one;

		if (len - off < sizeof(h)) {
			st->bad++;
			break;
		}
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off) {
			st->bad++; /* the rest cannot be delimited */
			break;
		}
		int r = parse_msg(&h, p + off + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN, &one);
		if (r < 0)
			st->bad++;
		else if (r == 0)
			st->ignored++;
		else if (n < max)
			ev[n++] = one;
		else
			st->lost++;
		size_t step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len - off)
			break;
		off += step;
	}
	return n;
}
