/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check_file.c - FILE_CHECK: the number in a track_file fails the server or adjusts its weight */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrp/vrrp_cfg.h"
#include "check/check_probe_int.h"

#define FILE_WEIGHT_MAX 65535
#define FILE_WEIGHT_FAULT (-FILE_WEIGHT_MAX - 1)

struct check_outcome check_file_outcome(long long value, int weight, bool reverse, int base)
{
	struct check_outcome o = { .result = CHECK_OK, .weight = -1, .detail = "" };
	if (!weight) {
		bool down = reverse ? value == 0 : value != 0;
		o.result = down ? CHECK_L7STS : CHECK_OK;
		return o;
	}
	long long delta = value * weight * (reverse ? -1 : 1);
	if (delta <= FILE_WEIGHT_FAULT) {
		o.result = CHECK_L7STS;
		return o;
	}
	long long w = base + delta;
	o.weight = w < 0 ? 0 : w > FILE_WEIGHT_MAX ? FILE_WEIGHT_MAX : (int)w;
	return o;
}

/*
 * The value as the VRRP side reads it: strtoll base 0 of the first line; a
 * missing file holds its init_file value (else 0), an empty one 0. Returns
 * 0, or -1 with why when the file cannot be read or is not a 32-bit number.
 */
static int file_value(const struct vrrp_track_file_cfg *t, long long *v, char *why, size_t wlen)
{
	char buf[128];
	int fd = open(t->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT) {
		*v = t->init_file ? t->init_value : 0;
		return 0;
	}
	if (fd < 0) {
		snprintf(why, wlen, "cannot open %s: %s", t->path, strerror(errno));
		return -1;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int e = errno;
	close(fd);
	if (n < 0) {
		snprintf(why, wlen, "cannot read %s: %s", t->path, strerror(e));
		return -1;
	}
	buf[n] = '\0';
	char *p = buf, *end;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '\n') {
		*v = 0;
		return 0;
	}
	errno = 0;
	long long x = strtoll(p, &end, 0);
	while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
		end++;
	if (errno || end == p || *end || x < INT_MIN || x > INT_MAX) {
		snprintf(why, wlen, "%s does not hold a 32-bit number", t->path);
		return -1;
	}
	*v = x;
	return 0;
}

/*
 * Each attempt reads the file afresh, so a change is seen within one
 * delay_loop (keepalived watches the file with inotify instead). The
 * track_file block comes from the VRRP part of the configuration, through
 * the probes' environment (check_probe_set_env()).
 */
static struct check_attempt *file_start(struct ev_loop *loop, const struct check_probe *p,
					check_attempt_done_fn done, void *arg)
{
	struct check_attempt *a = check_attempt_new(sizeof(*a), loop, p, done, arg);
	const struct check_file *f = &p->u.file;
	const struct vrrp_cfg *v = check_probe_env()->vrrp;
	const struct vrrp_track_file_cfg *t = v ? vrrp_cfg_find_track_file(v, f->track_file) : NULL;
	char why[256];
	long long value;
	if (!t || !t->path) {
		check_attempt_finish(a, CHECK_PROCERR, -1, "no track_file named '%s'", f->track_file);
		return a;
	}
	if (file_value(t, &value, why, sizeof(why)) < 0) {
		check_attempt_finish(a, CHECK_L7RSP, -1, "%s", why);
		return a;
	}
	int weight = f->has_weight ? f->weight : t->weight;
	bool reverse = f->has_weight ? f->reverse : t->reverse;
	struct check_outcome o = check_file_outcome(value, weight, reverse, (int)p->rs->weight);
	if (o.result != CHECK_OK)
		check_attempt_finish(a, o.result, -1, "track_file %s value %lld", t->name, value);
	else
		check_attempt_finish(a, CHECK_OK, o.weight, "track_file %s value %lld", t->name,
				     value);
	return a;
}

const struct check_probe_ops check_file_ops = {
	.kind = CHECK_FILE,
	.name = "FILE_CHECK",
	.start = file_start,
	.cancel = check_attempt_cancel,
};
