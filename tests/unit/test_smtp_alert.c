/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_smtp_alert.c - alert mails: which switches send what, subjects and bodies, state dedup */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "check/check_cfg.h"
#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "daemon/smtp_alert.h"
#include "ev.h"
#include "log.h"
#include "smtp.h"
#include "util.h"
#include "vrrp/vrrp_cfg.h"

static struct ka_config *load(const char *text)
{
	struct cfg_read_opts ro = { 0 };
	struct cfg_diag diag = { 0 };
	struct ka_config *c = ka_config_parse_buf("test.conf", text, strlen(text), &ro, &diag);

	assert_non_null(c);
	if (c->errors)
		fail_msg("configuration has %u errors", c->errors);
	return c;
}

#define MAIL_GLOBALS                                  \
	"\tnotification_email {\n\t\tops@example.org\n\t}\n" \
	"\tsmtp_server 192.0.2.25\n\trouter_id lb1\n"

static const char *const base_rest =
	"vrrp_instance VI_1 {\n\tinterface lo\n\tvirtual_router_id 51\n\tsmtp_alert\n"
	"\tvirtual_ipaddress {\n\t\t10.0.0.100\n\t}\n}\n"
	"vrrp_instance VI_2 {\n\tinterface lo\n\tvirtual_router_id 52\n"
	"\tvirtual_ipaddress {\n\t\t10.0.0.101\n\t}\n}\n"
	"vrrp_sync_group G1 {\n\tgroup {\n\t\tVI_1\n\t\tVI_2\n\t}\n}\n"
	"virtual_server 10.0.0.100 80 {\n"
	"\treal_server 10.0.0.2 80 {\n\t\tTCP_CHECK {\n\t\t}\n\t}\n"
	"\treal_server 10.0.0.3 80 {\n\t\tsmtp_alert off\n\t\tTCP_CHECK {\n\t\t}\n\t}\n}\n"
	"virtual_server 10.0.0.200 443 {\n\tsmtp_alert\n"
	"\treal_server 10.0.0.4 443 {\n\t\tTCP_CHECK {\n\t\t}\n\t}\n}\n"
	"virtual_server fd00::100 53 {\n\tprotocol UDP\n"
	"\treal_server fd00::2 53 {\n\t\tMISC_CHECK {\n\t\t\tmisc_path /bin/true\n\t\t}\n\t}\n}\n";

/* A configuration with extra global_defs lines. */
static struct ka_config *load_with(const char *globals)
{
	size_t n = strlen(globals) + strlen(base_rest) + 64;
	char *text = xmalloc(n);

	snprintf(text, n, "global_defs {\n%s}\n%s", globals, base_rest);
	struct ka_config *c = load(text);
	free(text);
	return c;
}

static const struct vrrp_instance_cfg *inst(const struct ka_config *c, const char *name)
{
	const struct vrrp_instance_cfg *vi = vrrp_cfg_find_instance(c->vrrp, name);
	assert_non_null(vi);
	return vi;
}

static const struct vrrp_sync_group_cfg *group1(const struct ka_config *c)
{
	cfg_list_for_each(const struct vrrp_sync_group_cfg, sg, &c->vrrp->sync_groups)
		return sg;
	fail_msg("no sync group");
	return NULL;
}

static const struct check_vs *vs_n(const struct ka_config *c, unsigned n)
{
	cfg_list_for_each(const struct check_vs, vs, &c->check->vs)
		if (!n--)
			return vs;
	fail_msg("no virtual server");
	return NULL;
}

static const struct check_rs *rs_n(const struct check_vs *vs, unsigned n)
{
	cfg_list_for_each(const struct check_rs, rs, &vs->rs)
		if (!n--)
			return rs;
	fail_msg("no real server");
	return NULL;
}

static void test_configured(void **state)
{
	struct ka_config *c = load_with(MAIL_GLOBALS);
	assert_true(smtp_alert_configured(c->global));
	ka_config_free(c);

	c = load_with("\tsmtp_server mail.example.org 2525\n"
		      "\tnotification_email {\n\t\tops@example.org\n\t}\n");
	assert_true(smtp_alert_configured(c->global));
	ka_config_free(c);

	c = load_with("\tnotification_email {\n\t\tops@example.org\n\t}\n");
	assert_false(smtp_alert_configured(c->global));
	ka_config_free(c);

	c = load_with("\tsmtp_server 192.0.2.25\n");
	assert_false(smtp_alert_configured(c->global));
	ka_config_free(c);
}

static void test_vrrp_switches(void **state)
{
	struct ka_config *c = load_with(MAIL_GLOBALS);
	const struct global_cfg *g = c->global;

	assert_true(smtp_alert_vrrp_wanted(g, inst(c, "VI_1"), NULL, VRRP_NOTIFY_MASTER));
	assert_true(smtp_alert_vrrp_wanted(g, inst(c, "VI_1"), NULL, VRRP_NOTIFY_FAULT));
	/* off unless asked */
	assert_false(smtp_alert_vrrp_wanted(g, inst(c, "VI_2"), NULL, VRRP_NOTIFY_MASTER));
	assert_false(smtp_alert_vrrp_wanted(g, NULL, group1(c), VRRP_NOTIFY_MASTER));
	ka_config_free(c);

	/* the global default reaches instances and groups that say nothing */
	c = load_with(MAIL_GLOBALS "\tsmtp_alert_vrrp\n\tno_email_faults\n");
	g = c->global;
	assert_true(smtp_alert_vrrp_wanted(g, inst(c, "VI_2"), NULL, VRRP_NOTIFY_BACKUP));
	assert_true(smtp_alert_vrrp_wanted(g, NULL, group1(c), VRRP_NOTIFY_MASTER));
	assert_false(smtp_alert_vrrp_wanted(g, inst(c, "VI_2"), NULL, VRRP_NOTIFY_FAULT));
	assert_false(smtp_alert_vrrp_wanted(g, NULL, group1(c), VRRP_NOTIFY_FAULT));
	assert_true(smtp_alert_vrrp_wanted(g, inst(c, "VI_2"), NULL, VRRP_NOTIFY_STOP));
	ka_config_free(c);

	/* smtp_alert_vrrp off wins over smtp_alert on */
	c = load_with(MAIL_GLOBALS "\tsmtp_alert\n\tsmtp_alert_vrrp off\n");
	assert_false(smtp_alert_vrrp_wanted(c->global, inst(c, "VI_2"), NULL, VRRP_NOTIFY_MASTER));
	assert_true(smtp_alert_vrrp_wanted(c->global, inst(c, "VI_1"), NULL, VRRP_NOTIFY_MASTER));
	ka_config_free(c);
}

static void test_checker_switches(void **state)
{
	struct ka_config *c = load_with(MAIL_GLOBALS);
	const struct global_cfg *g = c->global;
	const struct check_vs *vs0 = vs_n(c, 0), *vs1 = vs_n(c, 1);

	/* real servers: on by default, their own switch wins */
	assert_true(smtp_alert_rs_wanted(g, rs_n(vs0, 0)));
	assert_false(smtp_alert_rs_wanted(g, rs_n(vs0, 1)));
	/* virtual servers: off by default */
	assert_false(smtp_alert_vs_wanted(g, vs0));
	assert_true(smtp_alert_vs_wanted(g, vs1));
	ka_config_free(c);

	c = load_with(MAIL_GLOBALS "\tsmtp_alert_checker off\n\tsmtp_alert\n");
	g = c->global;
	assert_false(smtp_alert_rs_wanted(g, rs_n(vs_n(c, 0), 0)));
	assert_false(smtp_alert_vs_wanted(g, vs_n(c, 0)));
	assert_true(smtp_alert_vs_wanted(g, vs_n(c, 1))); /* its own switch */
	ka_config_free(c);

	c = load_with(MAIL_GLOBALS "\tsmtp_alert\n");
	assert_true(smtp_alert_vs_wanted(c->global, vs_n(c, 0)));
	assert_false(smtp_alert_rs_wanted(c->global, rs_n(vs_n(c, 0), 1)));
	ka_config_free(c);
}

static void test_texts(void **state)
{
	struct ka_config *c = load_with(MAIL_GLOBALS);
	const struct global_cfg *g = c->global;
	struct smtp_alert_text t;
	static const struct {
		enum vrrp_notify_state st;
		const char *subject;
	} states[] = {
		{ VRRP_NOTIFY_MASTER, "[lb1] VRRP Instance VI_1 - Entering MASTER state" },
		{ VRRP_NOTIFY_BACKUP, "[lb1] VRRP Instance VI_1 - Entering BACKUP state" },
		{ VRRP_NOTIFY_FAULT, "[lb1] VRRP Instance VI_1 - Entering FAULT state" },
		{ VRRP_NOTIFY_STOP, "[lb1] VRRP Instance VI_1 - Stopping" },
		{ VRRP_NOTIFY_DELETED, "[lb1] VRRP Instance VI_1 - Deleted" },
	};

	setenv("TZ", "UTC0", 1);
	tzset();
	for (size_t i = 0; i < ARRAY_SIZE(states); i++) {
		smtp_alert_vrrp_text(g, inst(c, "VI_1"), NULL, states[i].st, 100, 1709632800, &t);
		assert_string_equal(t.subject, states[i].subject);
		static const char head[] = "Date:   Tue, 05 Mar 2024 10:00:00 +0000\n"
					   "Router: lb1\n\n";
		assert_int_equal(strncmp(t.body, head, strlen(head)), 0);
	}
	smtp_alert_vrrp_text(g, inst(c, "VI_1"), NULL, VRRP_NOTIFY_MASTER, 150, 1709632800, &t);
	assert_non_null(strstr(t.body, "VRRP instance VI_1 (virtual router 51) is now MASTER, "
				       "priority 150.\n"));
	smtp_alert_vrrp_text(g, NULL, group1(c), VRRP_NOTIFY_BACKUP, 0, 1709632800, &t);
	assert_string_equal(t.subject, "[lb1] VRRP Group G1 - Entering BACKUP state");
	assert_non_null(strstr(t.body, "VRRP sync group G1 is now BACKUP.\n"));

	const struct check_vs *vs0 = vs_n(c, 0);
	smtp_alert_rs_text(g, rs_n(vs0, 0), false, "TCP_CHECK: L4CON (connection refused)",
			   1709632800, &t);
	assert_string_equal(t.subject, "[lb1] Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - DOWN");
	assert_non_null(strstr(t.body, "Real server [10.0.0.2]:tcp:80 of virtual server "
				       "[10.0.0.100]:tcp:80 is DOWN"));
	assert_non_null(strstr(t.body, "=> Health check of this service failed: TCP_CHECK: L4CON "
				       "(connection refused) <=\n"));
	smtp_alert_rs_text(g, rs_n(vs0, 0), true, NULL, 1709632800, &t);
	assert_string_equal(t.subject, "[lb1] Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - UP");
	assert_non_null(strstr(t.body, "=> Health checks of this service succeed again <=\n"));

	const struct check_vs *v6 = vs_n(c, 2);
	smtp_alert_rs_text(g, rs_n(v6, 0), false, "", 1709632800, &t);
	assert_string_equal(t.subject, "[lb1] Realserver [fd00::2]:udp:53 of virtual server [fd00::100]:udp:53 - DOWN");
	smtp_alert_vs_text(g, v6, false, "alive weight 0, quorum 1, hysteresis 0", 1709632800, &t);
	assert_string_equal(t.subject, "[lb1] Virtualserver [fd00::100]:udp:53 - DOWN");
	assert_non_null(strstr(t.body, "Virtual server [fd00::100]:udp:53 has lost its quorum "
				       "(alive weight 0, quorum 1, hysteresis 0).\n"));
	smtp_alert_vs_text(g, vs0, true, "", 1709632800, &t);
	assert_string_equal(t.subject, "[lb1] Virtualserver [10.0.0.100]:tcp:80 - UP");
	assert_non_null(strstr(t.body, "has regained its quorum.\n"));
	ka_config_free(c);
}

static void test_send_and_dedup(void **state)
{
	struct log_opts lo = { .no_syslog = true };
	struct ka_config *c = load_with(MAIL_GLOBALS);
	struct ev_loop *loop = ev_loop_new();
	struct smtp_alert *sa = smtp_alert_new(loop, c->global);
	const struct vrrp_instance_cfg *vi = inst(c, "VI_1");

	log_init("test", &lo);
	assert_int_equal(smtp_alert_vrrp(sa, vi, NULL, VRRP_NOTIFY_MASTER, 100), 1);
	assert_int_equal(smtp_alert_vrrp(sa, vi, NULL, VRRP_NOTIFY_MASTER, 100), 0);
	assert_int_equal(smtp_alert_vrrp(sa, vi, NULL, VRRP_NOTIFY_BACKUP, 100), 1);
	assert_int_equal(smtp_alert_vrrp(sa, vi, NULL, VRRP_NOTIFY_MASTER, 100), 1);
	/* the group's own last state is separate, and it does not want mail */
	assert_int_equal(smtp_alert_vrrp(sa, NULL, group1(c), VRRP_NOTIFY_MASTER, 0), 0);
	assert_int_equal(smtp_alert_vrrp(sa, inst(c, "VI_2"), NULL, VRRP_NOTIFY_MASTER, 0), 0);
	assert_int_equal(smtp_alert_rs(sa, rs_n(vs_n(c, 0), 0), false, "x"), 1);
	assert_int_equal(smtp_alert_rs(sa, rs_n(vs_n(c, 0), 1), false, "x"), 0);
	assert_int_equal(smtp_alert_vs(sa, vs_n(c, 0), false, "x"), 0);
	assert_int_equal(smtp_alert_vs(sa, vs_n(c, 1), false, "x"), 1);
	assert_int_equal(smtp_client_pending(smtp_alert_client(sa)), 5);

	/* a reload without a server: nothing more is queued, the dedup
	 * memory survives (names, not objects) */
	struct ka_config *c2 = load_with("\trouter_id lb1\n");
	smtp_alert_reload(sa, c2->global);
	assert_int_equal(smtp_alert_vrrp(sa, inst(c2, "VI_1"), NULL, VRRP_NOTIFY_FAULT, 0), 0);
	smtp_alert_reload(sa, c->global);
	assert_int_equal(smtp_alert_vrrp(sa, vi, NULL, VRRP_NOTIFY_MASTER, 100), 0);
	smtp_alert_free(sa);
	ev_loop_free(loop);
	ka_config_free(c2);
	ka_config_free(c);
	log_close();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_configured),
		cmocka_unit_test(test_vrrp_switches),
		cmocka_unit_test(test_checker_switches),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_send_and_dedup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
