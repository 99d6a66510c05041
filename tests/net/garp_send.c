/* SPDX-License-Identifier: GPL-2.0-or-later */
/* garp_send.c - test tool: announce addresses once through the VRRP announcer */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrrp/vrrp_arp.h"

/*
 * garp_send [-m MAC] IFNAME ADDR...
 * Sends one gratuitous ARP per IPv4 address and one unsolicited neighbour
 * advert per IPv6 address on IFNAME; -m replaces the interface MAC in the
 * frames (as a VMAC would). Exit status 0, or 1 with a message on stderr.
 */

static int parse_mac(const char *s, uint8_t mac[VRRP_ETH_ALEN])
{
	unsigned b[VRRP_ETH_ALEN];
	char end;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &end) != VRRP_ETH_ALEN)
		return -1;
	for (i = 0; i < VRRP_ETH_ALEN; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

static int send_one(struct vrrp_announcer *an, const char *addr)
{
	struct in6_addr a6;
	struct in_addr a4;
	int err;

	if (inet_pton(AF_INET, addr, &a4) == 1)
		err = vrrp_announcer_send_garp(an, a4);
	else if (inet_pton(AF_INET6, addr, &a6) == 1)
		err = vrrp_announcer_send_na(an, &a6);
	else {
		fprintf(stderr, "garp_send: %s: not an IP address\n", addr);
		return -1;
	}
	if (err) {
		fprintf(stderr, "garp_send: %s: %s\n", addr, strerror(-err));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct vrrp_announcer an;
	uint8_t mac[VRRP_ETH_ALEN];
	bool set_mac = false;
	unsigned ifindex;
	int opt, err, i, ret = 0;

	while ((opt = getopt(argc, argv, "m:")) != -1) {
		if (opt != 'm' || parse_mac(optarg, mac) < 0)
			goto usage;
		set_mac = true;
	}
	if (argc - optind < 2)
		goto usage;
	ifindex = if_nametoindex(argv[optind]);
	if (!ifindex) {
		fprintf(stderr, "garp_send: %s: no such interface\n", argv[optind]);
		return 1;
	}
	err = vrrp_announcer_open(&an, (int)ifindex, VRRP_ANNOUNCE_V4 | VRRP_ANNOUNCE_V6);
	if (err) {
		fprintf(stderr, "garp_send: open %s: %s\n", argv[optind], strerror(-err));
		return 1;
	}
	if (set_mac)
		memcpy(an.mac, mac, sizeof(mac));
	for (i = optind + 1; i < argc; i++)
		if (send_one(&an, argv[i]) < 0)
			ret = 1;
	vrrp_announcer_close(&an);
	return ret;
usage:
	fprintf(stderr, "usage: garp_send [-m MAC] IFNAME ADDR...\n");
	return 1;
}
