/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vrrp_vmac.c - VMAC MAC addresses, generated interface names, which addresses go on VMACs */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_vmac.h"

static void mac_of(int family, int vrid, const char *cfg_mac, bool use_vrid, uint8_t out[6])
{
	struct vrrp_instance_cfg c;

	memset(&c, 0, sizeof(c));
	c.family = family;
	c.vrid = vrid;
	if (cfg_mac) {
		memcpy(c.vmac_mac, cfg_mac, 6);
		c.vmac_mac_set = true;
		c.vmac_mac_use_vrid = use_vrid;
	}
	vrrp_vmac_mac(&c, out);
}

/* RFC 5798 7.3: 00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6 */
static void test_default_macs(void **state)
{
	static const uint8_t v4[6] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33 };
	static const uint8_t v6[6] = { 0x00, 0x00, 0x5e, 0x00, 0x02, 0xff };
	uint8_t m[6];

	mac_of(AF_INET, 51, NULL, false, m);
	assert_memory_equal(m, v4, 6);
	mac_of(AF_INET6, 255, NULL, false, m);
	assert_memory_equal(m, v6, 6);
	mac_of(AF_INET, 1, NULL, false, m);
	assert_int_equal(m[4], 1);
	assert_int_equal(m[5], 1);
}

static void test_configured_macs(void **state)
{
	static const char six[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t vrid[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x07 };
	uint8_t m[6];

	/* six octets are used as written, whatever the VRID or family */
	mac_of(AF_INET6, 7, six, false, m);
	assert_memory_equal(m, six, 6);
	/* five octets: the VRID is the sixth */
	mac_of(AF_INET, 7, six, true, m);
	assert_memory_equal(m, vrid, 6);
}

static const char *cand(const char *prefix, int vrid, int family, unsigned attempt)
{
	static char buf[16];

	if (vrrp_vmac_name_candidate(buf, sizeof(buf), prefix, vrid, family, attempt) < 0)
		return NULL;
	return buf;
}

/* keepalived 2.2.7 named an IPv4 and an IPv6 instance with VRID 52 on one
 * interface and an IPv4 one with VRID 52 on another vrrp.52, vrrp6.52 and
 * vrrp1.52 */
static void test_name_candidates(void **state)
{
	assert_string_equal(cand("vrrp", 52, AF_INET, 0), "vrrp.52");
	assert_string_equal(cand("vrrp", 52, AF_INET6, 0), "vrrp.52");
	assert_string_equal(cand("vrrp", 52, AF_INET6, 1), "vrrp6.52");
	assert_string_equal(cand("vrrp", 52, AF_INET, 1), "vrrp1.52");
	assert_string_equal(cand("vrrp", 52, AF_INET, 6), "vrrp6.52");
	/* IPv6 keeps the other numbers in order, without 6 twice */
	assert_string_equal(cand("vrrp", 52, AF_INET6, 2), "vrrp1.52");
	assert_string_equal(cand("vrrp", 52, AF_INET6, 6), "vrrp5.52");
	assert_string_equal(cand("vrrp", 52, AF_INET6, 7), "vrrp7.52");
	assert_string_equal(cand("vm", 255, AF_INET, 0), "vm.255");
}

static void test_name_limits(void **state)
{
	char small[6];

	/* 15 characters at most (IFNAMSIZ - 1) */
	assert_string_equal(cand("abcdefghijk", 255, AF_INET, 0), "abcdefghijk.255");
	assert_null(cand("abcdefghijkl", 255, AF_INET, 0));
	assert_null(cand("abcdefghijk", 255, AF_INET, 1));
	assert_int_equal(vrrp_vmac_name_candidate(small, sizeof(small), "vrrp", 1, AF_INET, 0),
			 -1);
}

/* keepalived 2.2.7, instance on a0: "X dev a1" gets a VMAC on a1 with
 * use_vmac + use_vmac_addr, or with use_vmac on its line (with or without an
 * instance VMAC); "X dev a0 use_vmac" goes on the instance's VMAC. */
static void test_addr_vmacs(void **state)
{
	char a0[] = "a0", a1[] = "a1";
	struct vrrp_instance_cfg c;
	struct vrrp_ipaddr ip;

	memset(&c, 0, sizeof(c));
	memset(&ip, 0, sizeof(ip));
	c.interface = a0;
	ip.dev = a1;
	/* no VMAC wanted anywhere */
	assert_null(vrrp_vmac_addr_parent(&c, &ip));
	assert_false(vrrp_vmac_takes(&c, &ip));
	/* use_vmac alone: an address on another interface stays there */
	c.use_vmac = true;
	assert_null(vrrp_vmac_addr_parent(&c, &ip));
	assert_false(vrrp_vmac_takes(&c, &ip));
	c.use_vmac_addr = true;
	assert_string_equal(vrrp_vmac_addr_parent(&c, &ip), "a1");
	assert_true(vrrp_vmac_takes(&c, &ip));
	/* without dev, or with the instance's interface: the instance's VMAC */
	ip.dev = NULL;
	assert_null(vrrp_vmac_addr_parent(&c, &ip));
	assert_false(vrrp_vmac_takes(&c, &ip));
	ip.dev = a0;
	assert_null(vrrp_vmac_addr_parent(&c, &ip));
	assert_true(vrrp_vmac_takes(&c, &ip));
	/* use_vmac on the line, no instance VMAC: one of its own, even on a0 */
	c.use_vmac = c.use_vmac_addr = false;
	ip.use_vmac = true;
	assert_string_equal(vrrp_vmac_addr_parent(&c, &ip), "a0");
	ip.dev = a1;
	assert_string_equal(vrrp_vmac_addr_parent(&c, &ip), "a1");
	/* use_vmac_addr without use_vmac does nothing */
	ip.use_vmac = false;
	c.use_vmac_addr = true;
	assert_null(vrrp_vmac_addr_parent(&c, &ip));
	assert_false(vrrp_vmac_takes(&c, &ip));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_macs),
		cmocka_unit_test(test_configured_macs),
		cmocka_unit_test(test_name_candidates),
		cmocka_unit_test(test_name_limits),
		cmocka_unit_test(test_addr_vmacs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
