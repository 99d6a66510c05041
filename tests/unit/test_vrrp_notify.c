/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vrrp_notify.c - notify script arguments and order, FIFO lines and scripts, shutdown wait */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf */
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cfg.h"
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_notify.h"

struct smtp_call {
	const struct vrrp_instance_cfg *vi;
	const struct vrrp_sync_group_cfg *sg;
	enum vrrp_notify_state st;
	int priority;
};

struct fx {
	struct ev_loop *loop;
	char dir[64];
	struct ka_config *cfg;
	struct vrrp_notify *n;
	char log[32768];
	size_t loglen;
	struct smtp_call smtp[8];
	int nsmtp;
};

static void sink(int prio, const char *line, void *arg)
{
	struct fx *f = arg;
	int n = snprintf(f->log + f->loglen, sizeof(f->log) - f->loglen, "%s\n", line);
	if (n > 0 && (size_t)n < sizeof(f->log) - f->loglen)
		f->loglen += (size_t)n;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static char *path_in(struct fx *f, const char *name)
{
	static char buf[4][256];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", f->dir, name);
	return buf[i];
}

static void put(struct fx *f, const char *name, const char *text, mode_t mode)
{
	char *p = path_in(f, name);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	chmod(p, mode);
}

static char *slurp(struct fx *f, const char *name)
{
	static char buf[8192];
	FILE *fp = fopen(path_in(f, name), "r");
	buf[0] = '\0';
	if (!fp)
		return buf;
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	f->loop = ev_loop_new();
	snprintf(f->dir, sizeof(f->dir), "/tmp/ka-test-notify-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	chmod(f->dir, 0755);
	/* rec.sh TAG ARGS...: appends "TAG ARGS..." to out */
	put(f, "rec.sh", "echo \"$*\" >> \"$(dirname \"$0\")/out\"\n", 0755);
	log_set_sink(sink, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	vrrp_notify_stop(f->n);
	log_set_sink(NULL, NULL);
	ev_run(f->loop); /* reap what a cancel left to the loop */
	ev_loop_free(f->loop);
	ka_config_free(f->cfg);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static void diag_emit(void *arg, enum cfg_level lvl, const char *msg)
{
	if (lvl == CFG_LVL_ERROR)
		fprintf(stderr, "config: %s\n", msg);
}

/* Parse text with every "@D" replaced by the scratch directory. */
static struct ka_config *parse_only(struct fx *f, const char *text)
{
	char buf[8192], *o = buf;
	for (const char *p = text; *p; p++) {
		if (p[0] == '@' && p[1] == 'D') {
			o += sprintf(o, "%s", f->dir);
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	struct cfg_diag d = { .emit = diag_emit };
	struct ka_config *c = ka_config_parse_buf("t.conf", buf, strlen(buf), NULL, &d);
	assert_non_null(c);
	assert_int_equal(c->errors, 0);
	return c;
}

/* Parse and start the notifier on it. */
static void parse(struct fx *f, const char *text)
{
	f->cfg = parse_only(f, text);
	f->n = vrrp_notify_start(f->loop, f->cfg->global);
}

static const struct vrrp_instance_cfg *inst(struct fx *f, const char *name)
{
	const struct vrrp_instance_cfg *vi = vrrp_cfg_find_instance(f->cfg->vrrp, name);
	assert_non_null(vi);
	return vi;
}

static const struct vrrp_sync_group_cfg *group(struct fx *f)
{
	assert_non_null(f->cfg->vrrp->sync_groups.head);
	return (const struct vrrp_sync_group_cfg *)(void *)f->cfg->vrrp->sync_groups.head;
}

static void slice_cb(struct ev_loop *loop, void *arg)
{
	ev_break(loop);
}

/* Run the loop until file name has n lines (true) or max_us passed. */
static bool wait_lines(struct fx *f, const char *name, int n, uint64_t max_us)
{
	uint64_t end = mono_usec() + max_us;
	while (count_lines(slurp(f, name)) < n) {
		if (mono_usec() > end)
			return false;
		struct ev_timer *t = NULL;
		ev_timer_add(f->loop, slice_cb, NULL, 10000, &t);
		ev_run(f->loop);
		ev_cancel(&t);
	}
	return true;
}

static void run_for(struct fx *f, uint64_t us)
{
	uint64_t end = mono_usec() + us;
	while (mono_usec() < end) {
		struct ev_timer *t = NULL;
		ev_timer_add(f->loop, slice_cb, NULL, 10000, &t);
		ev_run(f->loop);
		ev_cancel(&t);
	}
}

#define VI(name, vrid, extra) \
	"vrrp_instance " name " { interface lo\n virtual_router_id " vrid "\n priority 100\n" \
	" virtual_ipaddress { 192.0.2." vrid " }\n " extra "\n}\n"

static const char *const full_instance =
	VI("VI_1", "1", "notify_master \"@D/rec.sh master\"\n notify_backup \"@D/rec.sh backup\"\n"
	   " notify_fault \"@D/rec.sh fault\"\n notify_stop \"@D/rec.sh stop\"\n"
	   " notify_deleted \"@D/rec.sh deleted\"\n notify \"@D/rec.sh generic 'two words'\"\n"
	   " notify_master_rx_lower_pri \"@D/rec.sh rxlower\"");

static void test_instance_args(void **state)
{
	struct fx *f = *state;
	parse(f, full_instance);
	const struct vrrp_instance_cfg *vi = inst(f, "VI_1");

	vrrp_notify_instance(f->n, vi, VRRP_NOTIFY_MASTER, 100);
	vrrp_notify_instance(f->n, vi, VRRP_NOTIFY_BACKUP, 90);
	vrrp_notify_instance(f->n, vi, VRRP_NOTIFY_FAULT, 0);
	vrrp_notify_rx_lower_pri(f->n, vi, 100);
	vrrp_notify_instance(f->n, vi, VRRP_NOTIFY_STOP, 100);
	vrrp_notify_instance(f->n, vi, VRRP_NOTIFY_DELETED, 100);
	assert_true(wait_lines(f, "out", 11, 10 * 1000000ull));
	assert_string_equal(slurp(f, "out"),
			    "master\n"
			    "generic two words INSTANCE VI_1 MASTER 100\n"
			    "backup\n"
			    "generic two words INSTANCE VI_1 BACKUP 90\n"
			    "fault\n"
			    "generic two words INSTANCE VI_1 FAULT 0\n"
			    "rxlower\n"
			    "stop\n"
			    "generic two words INSTANCE VI_1 STOP 100\n"
			    "deleted\n"
			    "generic two words INSTANCE VI_1 DELETED 100\n");
}

static void smtp_cb(void *arg, const struct vrrp_instance_cfg *vi,
		    const struct vrrp_sync_group_cfg *sg, enum vrrp_notify_state st, int priority)
{
	struct fx *f = arg;
	f->smtp[f->nsmtp++] = (struct smtp_call){ vi, sg, st, priority };
}

static void test_group_and_smtp(void **state)
{
	struct fx *f = *state;
	parse(f, VI("VI_1", "1", "") VI("VI_2", "2", "notify_deleted")
		 "vrrp_sync_group G1 { group { VI_1 VI_2 }\n notify_master \"@D/rec.sh gmaster\"\n"
		 " notify \"@D/rec.sh ggeneric\" }\n");
	vrrp_notify_set_smtp_hook(f->n, smtp_cb, f);
	const struct vrrp_sync_group_cfg *sg = group(f);
	vrrp_notify_group(f->n, sg, VRRP_NOTIFY_MASTER);
	vrrp_notify_group(f->n, sg, VRRP_NOTIFY_BACKUP);
	vrrp_notify_instance(f->n, inst(f, "VI_2"), VRRP_NOTIFY_DELETED, 100);
	assert_true(wait_lines(f, "out", 3, 10 * 1000000ull));
	run_for(f, 100000);
	assert_string_equal(slurp(f, "out"), "gmaster\nggeneric GROUP G1 MASTER 0\n"
			    "ggeneric GROUP G1 BACKUP 0\n");
	assert_int_equal(f->nsmtp, 3);
	assert_ptr_equal(f->smtp[0].sg, sg);
	assert_null(f->smtp[0].vi);
	assert_int_equal(f->smtp[0].st, VRRP_NOTIFY_MASTER);
	assert_int_equal(f->smtp[1].st, VRRP_NOTIFY_BACKUP);
	assert_int_equal(f->smtp[1].priority, 0);
	assert_ptr_equal(f->smtp[2].vi, inst(f, "VI_2"));
	assert_int_equal(f->smtp[2].st, VRRP_NOTIFY_DELETED);
	assert_int_equal(f->smtp[2].priority, 100);
	assert_string_equal(vrrp_notify_state_str(VRRP_NOTIFY_FAULT), "FAULT");
}

/* A slow MASTER script still finishes before the BACKUP script starts,
 * while another instance is not held up. */
static void test_order(void **state)
{
	struct fx *f = *state;
	put(f, "slow.sh", "sleep 0.4\necho \"$*\" >> \"$(dirname \"$0\")/out\"\n", 0755);
	parse(f, VI("VI_1", "1", "notify_master \"@D/slow.sh master\"\n"
		    " notify_backup \"@D/rec.sh backup\"\n notify \"@D/rec.sh generic\"")
		 VI("VI_2", "2", "notify_master \"@D/rec.sh other\""));
	const struct vrrp_instance_cfg *vi = inst(f, "VI_1");
	vrrp_notify_instance(f->n, vi, VRRP_NOTIFY_MASTER, 100);
	vrrp_notify_instance(f->n, vi, VRRP_NOTIFY_BACKUP, 100);
	vrrp_notify_instance(f->n, inst(f, "VI_2"), VRRP_NOTIFY_MASTER, 100);
	assert_true(wait_lines(f, "out", 5, 10 * 1000000ull));
	assert_string_equal(slurp(f, "out"),
			    "other\n"
			    "master\n"
			    "generic INSTANCE VI_1 MASTER 100\n"
			    "backup\n"
			    "generic INSTANCE VI_1 BACKUP 100\n");
}

static void test_timeout(void **state)
{
	struct fx *f = *state;
	parse(f, VI("VI_1", "1", "notify_master \"/bin/sleep 10\"\n"
		    " notify_backup \"@D/rec.sh backup\""));
	vrrp_notify_set_timeout(f->n, 200000);
	uint64_t t0 = mono_usec();
	vrrp_notify_instance(f->n, inst(f, "VI_1"), VRRP_NOTIFY_MASTER, 100);
	vrrp_notify_instance(f->n, inst(f, "VI_1"), VRRP_NOTIFY_BACKUP, 100);
	assert_true(wait_lines(f, "out", 1, 5 * 1000000ull));
	uint64_t took = mono_usec() - t0;
	assert_true(took >= 200000);
	assert_true(took < 2000000);
	assert_string_equal(slurp(f, "out"), "backup\n");
	assert_non_null(strstr(f->log, "(VI_1) notify_master: timed out after 0.2 s"));
}

/* Read whatever is in the FIFO now. */
static char *fifo_read(struct fx *f, const char *name)
{
	static char buf[4096];
	int fd = open(path_in(f, name), O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_fifo(void **state)
{
	struct fx *f = *state;
	assert_int_equal(mkfifo(path_in(f, "mine"), 0600), 0); /* exists already */
	parse(f, "global_defs { notify_fifo @D/fifo\n vrrp_notify_fifo @D/mine }\n"
		 VI("VI_1", "1", "notify_priority_changes") VI("VI_2", "2", "")
		 "vrrp_sync_group G1 { group { VI_1 VI_2 } }\n");
	struct stat st;
	assert_int_equal(stat(path_in(f, "fifo"), &st), 0);
	assert_true(S_ISFIFO(st.st_mode));

	const struct vrrp_instance_cfg *vi = inst(f, "VI_1");
	vrrp_notify_instance(f->n, vi, VRRP_NOTIFY_MASTER, 100);
	vrrp_notify_group(f->n, group(f), VRRP_NOTIFY_BACKUP);
	vrrp_notify_rx_lower_pri(f->n, vi, 100);
	vrrp_notify_priority(f->n, vi, true, 95);
	vrrp_notify_priority(f->n, inst(f, "VI_2"), false, 80); /* no notify_priority_changes */
	vrrp_notify_instance(f->n, vi, VRRP_NOTIFY_FAULT, 0);
	static const char want[] = "INSTANCE \"VI_1\" MASTER 100\n"
				   "GROUP \"G1\" BACKUP 0\n"
				   "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 100\n"
				   "INSTANCE \"VI_1\" MASTER_PRIORITY 95\n"
				   "INSTANCE \"VI_1\" FAULT 0\n";
	assert_string_equal(fifo_read(f, "fifo"), want);
	assert_string_equal(fifo_read(f, "mine"), want);

	/* nobody reads: the pipe fills, lines are dropped, we never block */
	for (int i = 0; i < 5000; i++)
		vrrp_notify_instance(f->n, vi, VRRP_NOTIFY_BACKUP, 100);
	const char *w = strstr(f->log, "event dropped (FIFO full");
	assert_non_null(w);
	int warnings = 0;
	for (const char *p = f->log; (p = strstr(p, "event dropped")); p++)
		warnings++;
	assert_true(warnings <= 2 * 10); /* rate limited, per FIFO */

	/* at stop, the FIFO we made goes away, the operator's stays */
	vrrp_notify_stop(f->n);
	f->n = NULL;
	assert_int_equal(access(path_in(f, "fifo"), F_OK), -1);
	assert_int_equal(access(path_in(f, "mine"), F_OK), 0);
}

static void test_fifo_script(void **state)
{
	struct fx *f = *state;
	put(f, "reader.sh", "d=$(dirname \"$0\")\necho $$ > \"$d/reader.pid\"\n"
	    "echo \"$*\" > \"$d/reader.args\"\n"
	    "for a; do fifo=$a; done\n"
	    "while read -r line; do echo \"$line\" >> \"$d/reader.out\"; done < \"$fifo\"\n",
	    0755);
	parse(f, "global_defs { vrrp_notify_fifo @D/fifo\n"
		 " vrrp_notify_fifo_script \"@D/reader.sh first\" }\n" VI("VI_1", "1", ""));
	vrrp_notify_instance(f->n, inst(f, "VI_1"), VRRP_NOTIFY_MASTER, 100);
	vrrp_notify_instance(f->n, inst(f, "VI_1"), VRRP_NOTIFY_BACKUP, 100);
	assert_true(wait_lines(f, "reader.out", 2, 5 * 1000000ull));
	assert_string_equal(slurp(f, "reader.out"),
			    "INSTANCE \"VI_1\" MASTER 100\nINSTANCE \"VI_1\" BACKUP 100\n");
	char want[256];
	snprintf(want, sizeof(want), "first %s\n", path_in(f, "fifo"));
	assert_string_equal(slurp(f, "reader.args"), want);
	int pid = atoi(slurp(f, "reader.pid"));
	assert_true(pid > 0);
	assert_int_equal(kill(pid, 0), 0);

	/* a reload with other FIFO settings restarts it */
	struct ka_config *old = f->cfg;
	f->cfg = parse_only(f, "global_defs { vrrp_notify_fifo @D/fifo2 }\n" VI("VI_1", "1", ""));
	vrrp_notify_reload(f->n, f->cfg->global);
	ka_config_free(old);
	assert_int_equal(access(path_in(f, "fifo"), F_OK), -1);
	assert_int_equal(access(path_in(f, "fifo2"), F_OK), 0);
	for (int i = 0; i < 200 && kill(pid, 0) == 0; i++)
		run_for(f, 10000);
	assert_int_equal(kill(pid, 0), -1); /* SIGTERMed and reaped */
	vrrp_notify_instance(f->n, inst(f, "VI_1"), VRRP_NOTIFY_FAULT, 0);
	assert_string_equal(fifo_read(f, "fifo2"), "INSTANCE \"VI_1\" FAULT 0\n");
}

static void test_stop_waits(void **state)
{
	struct fx *f = *state;
	put(f, "slow.sh", "sleep 0.3\necho \"$*\" >> \"$(dirname \"$0\")/out\"\n", 0755);
	parse(f, VI("VI_1", "1", "notify_backup \"@D/slow.sh backup\"\n"
		    " notify_stop \"@D/slow.sh stop\"")
		 VI("VI_2", "2", "notify_stop \"/bin/sleep 5\""));
	vrrp_notify_instance(f->n, inst(f, "VI_1"), VRRP_NOTIFY_BACKUP, 100);
	vrrp_notify_instance(f->n, inst(f, "VI_1"), VRRP_NOTIFY_STOP, 100);
	uint64_t t0 = mono_usec();
	vrrp_notify_stop(f->n); /* the loop does not run: stop waits itself */
	f->n = NULL;
	uint64_t took = mono_usec() - t0;
	assert_string_equal(slurp(f, "out"), "backup\nstop\n");
	assert_true(took < 3000000);

	/* a notify_stop that hangs is given up after the bound */
	ka_config_free(f->cfg);
	parse(f, VI("VI_2", "2", "notify_stop \"/bin/sleep 5\""));
	vrrp_notify_instance(f->n, inst(f, "VI_2"), VRRP_NOTIFY_STOP, 100);
	t0 = mono_usec();
	vrrp_notify_stop(f->n);
	f->n = NULL;
	took = mono_usec() - t0;
	assert_true(took >= VRRP_NOTIFY_STOP_WAIT_US);
	assert_true(took < VRRP_NOTIFY_STOP_WAIT_US + 1500000);
	assert_non_null(strstr(f->log, "(VI_2) notify_stop: still running at shutdown"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_instance_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_and_smtp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_script, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_waits, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
