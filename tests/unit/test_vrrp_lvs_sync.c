/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vrrp_lvs_sync.c - which IPVS sync daemon a configuration asks the VRRP child for */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "daemon/config.h"
#include "daemon/global_cfg.h"
#include "vrrp/vrrp_lvs_sync.h"

static struct ka_config *cfg;

static void quiet(void *arg, enum cfg_level lvl, const char *msg)
{
}

/* Parse text (an instance VI_1 with VRID 51 and VI_2 with 52 are added). */
static void resolve(const char *globals, const char *vi1_extra, bool want_set,
		    struct vrrp_lvs_sync_want *w)
{
	char text[1024];
	struct cfg_diag diag = { .emit = quiet };

	snprintf(text, sizeof(text),
		 "global_defs {\n%s\n}\n"
		 "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
		 " virtual_ipaddress {\n  10.0.0.1\n }\n %s\n}\n"
		 "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 52\n"
		 " lvs_sync_daemon_interface eth9\n virtual_ipaddress {\n  10.0.0.2\n }\n}\n",
		 globals, vi1_extra);
	cfg = ka_config_parse_buf("test.conf", text, strlen(text), NULL, &diag);
	assert_non_null(cfg);
	assert_int_equal(cfg->errors, 0);
	assert_int_equal(vrrp_lvs_sync_resolve(cfg->global, cfg->vrrp, w), want_set);
}

static int teardown(void **state)
{
	ka_config_free(cfg);
	cfg = NULL;
	return 0;
}

/* Every parameter given: passed through as written. */
static void test_global_full(void **state)
{
	struct vrrp_lvs_sync_want w;
	char buf[INET6_ADDRSTRLEN];

	resolve("lvs_sync_daemon eth1 VI_1 id 12 maxlen 1400 port 8849 ttl 2 group 239.1.1.1",
		"", true, &w);
	assert_string_equal(w.d.ifname, "eth1");
	assert_string_equal(w.inst, "VI_1");
	assert_int_equal(w.d.sync_id, 12);
	assert_int_equal(w.d.sync_maxlen, 1400);
	assert_int_equal(w.d.port, 8849);
	assert_int_equal(w.d.ttl, 2);
	assert_int_equal(w.d.group.family, AF_INET);
	assert_string_equal(inet_ntop(AF_INET, &w.d.group.u.v4, buf, sizeof(buf)), "239.1.1.1");
}

/* No "id": the followed instance's VRID, as keepalived does. */
static void test_global_id_defaults_to_vrid(void **state)
{
	struct vrrp_lvs_sync_want w;

	resolve("lvs_sync_daemon eth1 inst VI_2", "", true, &w);
	assert_string_equal(w.inst, "VI_2");
	assert_int_equal(w.d.sync_id, 52);
	assert_int_equal(w.d.port, 8848);
	assert_int_equal(w.d.sync_maxlen, 0);
	assert_int_equal(w.d.ttl, 0);
	assert_int_equal(w.d.group.family, AF_UNSPEC);
}

/* "id 0" given explicitly is not replaced by the VRID. */
static void test_global_explicit_id_zero(void **state)
{
	struct vrrp_lvs_sync_want w;

	resolve("lvs_sync_daemon eth1 VI_1 id 0", "", true, &w);
	assert_int_equal(w.d.sync_id, 0);
}

/* No instance: both daemons, id 0. */
static void test_global_no_instance(void **state)
{
	struct vrrp_lvs_sync_want w;

	resolve("lvs_sync_daemon eth1", "", true, &w);
	assert_null(w.inst);
	assert_int_equal(w.d.sync_id, 0);
}

/* Deprecated keyword: the first instance that has it is followed, with its
 * VRID as sync id; the global keyword wins over it. */
static void test_deprecated(void **state)
{
	struct vrrp_lvs_sync_want w;

	resolve("", "lvs_sync_daemon_interface eth7", true, &w);
	assert_string_equal(w.d.ifname, "eth7");
	assert_string_equal(w.inst, "VI_1");
	assert_int_equal(w.d.sync_id, 51);
	teardown(state);
	resolve("", "", true, &w);
	assert_string_equal(w.d.ifname, "eth9");
	assert_string_equal(w.inst, "VI_2");
	assert_int_equal(w.d.sync_id, 52);
	teardown(state);
	resolve("lvs_sync_daemon eth1 VI_1 id 3", "", true, &w);
	assert_string_equal(w.d.ifname, "eth1");
	assert_string_equal(w.inst, "VI_1");
	assert_int_equal(w.d.sync_id, 3);
}

static void test_none(void **state)
{
	struct vrrp_lvs_sync_want w;
	struct cfg_diag diag = { .emit = quiet };
	const char *text = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n}\n";

	cfg = ka_config_parse_buf("test.conf", text, strlen(text), NULL, &diag);
	assert_non_null(cfg);
	assert_false(vrrp_lvs_sync_resolve(cfg->global, cfg->vrrp, &w));
}

/* Only a change of interface, id or multicast settings restarts daemons. */
static void test_same(void **state)
{
	struct vrrp_lvs_sync_want a, b;

	resolve("lvs_sync_daemon eth1 VI_1 id 5 group 239.1.1.1", "", true, &a);
	teardown(state);
	resolve("lvs_sync_daemon eth1 VI_2 id 5 group 239.1.1.1", "", true, &b);
	assert_true(vrrp_lvs_sync_same(&a.d, &b.d));
	b.d.group.u.v4.s_addr ^= htonl(1);
	assert_false(vrrp_lvs_sync_same(&a.d, &b.d));
	b = a;
	b.d.sync_id = 6;
	assert_false(vrrp_lvs_sync_same(&a.d, &b.d));
	b = a;
	b.d.ttl = 3;
	assert_false(vrrp_lvs_sync_same(&a.d, &b.d));
	b = a;
	strcpy(b.d.ifname, "eth2");
	assert_false(vrrp_lvs_sync_same(&a.d, &b.d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_global_full, teardown),
		cmocka_unit_test_teardown(test_global_id_defaults_to_vrid, teardown),
		cmocka_unit_test_teardown(test_global_explicit_id_zero, teardown),
		cmocka_unit_test_teardown(test_global_no_instance, teardown),
		cmocka_unit_test_teardown(test_deprecated, teardown),
		cmocka_unit_test_teardown(test_none, teardown),
		cmocka_unit_test_teardown(test_same, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
