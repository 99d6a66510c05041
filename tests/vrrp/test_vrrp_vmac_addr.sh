#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_vmac_addr.sh - address VMACs (use_vmac_addr, use_vmac on an address line) on a
# second interface, and no MLD report with the virtual MAC of an IPv6 VMAC
#
# d1 (priority 150) and d2 (100) have eth0 (10.77.0.0/24) and eth1 (10.78.0.0/24,
# bridge br1). V4 (VRID 51) has use_vmac and use_vmac_addr: 10.77.0.200 goes on vrrp.51,
# 10.78.0.200 dev eth1 on a VMAC of its own on eth1, vrrp1.51, with the same virtual MAC.
# W (VRID 53) has no VMAC, but 10.78.0.201 dev eth1 says use_vmac: it gets vrrp.53 on
# eth1; 10.78.0.202 dev eth1 stays on eth1. V6 (VRID 52, fd77::200) has use_vmac: its
# VMAC's MLD reports must not leave with the virtual MAC (nftables moves them to the
# parent). The client, on both bridges, watches with tcpdump. Nothing else leaves an
# address VMAC, so a backup answering the new master's first GARP (it still holds the
# address) can point the bridge at itself: garp_extra_if 1 refreshes it, as advised
# for keepalived. Needs root, iproute2, tcpdump and nft.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

TCPDUMP=$(command -v tcpdump) || skip "needs tcpdump"
NFT=$(command -v nft) || skip "needs nft"

VIP=10.77.0.200
VIP2=10.78.0.200
VIPW=10.78.0.201
VIPW_PLAIN=10.78.0.202
VIP6=fd77::200
MAC4=00:00:5e:00:01:33
MACW=00:00:5e:00:01:35
MAC6=00:00:5e:00:02:34

conf() { # conf NODE PRIORITY [EXTRA ADDRESS LINE OF V4]
	write_conf "$1" <<EOF
vrrp_instance V4 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 1
	use_vmac
	use_vmac_addr
	garp_extra_if 1
	virtual_ipaddress {
		$VIP/24
		$VIP2/24 dev eth1
		${3:-}
	}
}
vrrp_instance W {
	state BACKUP
	interface eth0
	virtual_router_id 53
	priority $2
	advert_int 1
	garp_extra_if 1
	virtual_ipaddress {
		$VIPW/24 dev eth1 use_vmac
		$VIPW_PLAIN/24 dev eth1
	}
}
vrrp_instance V6 {
	state BACKUP
	interface eth0
	virtual_router_id 52
	priority $2
	advert_int 1
	use_vmac
	virtual_ipaddress {
		$VIP6/64
	}
}
EOF
}

# eth1 on a second bridge for d1, d2 and the client
second_link() {
	local n br
	br=$(ns_of br)
	ip -n "$br" link add br1 type bridge mcast_snooping 0 forward_delay 0
	ip -n "$br" link set br1 up
	for n in d1 d2 c; do
		ip -n "$br" link add "q-$n" type veth peer name eth1 netns "$(ns_of "$n")"
		ip -n "$br" link set "q-$n" master br1 up
		ip -n "$(ns_of "$n")" link set eth1 up
	done
	ip -n "$(ns_of d1)" addr add 10.78.0.11/24 dev eth1
	ip -n "$(ns_of d2)" addr add 10.78.0.12/24 dev eth1
	ip -n "$(ns_of c)" addr add 10.78.0.100/24 dev eth1
}

# vmac_on NODE IF PARENT MAC: IF is a private-mode macvlan on PARENT with MAC, up
vmac_on() {
	local out
	out=$(ip -n "$(ns_of "$1")" -d link show "$2" 2>/dev/null) || return 1
	[[ $out == *"$2@$3:"* && $out == *"link/ether $4 "* &&
		$out == *"macvlan mode private"* && $out == *",UP,"* ]]
}
no_link() { ! ip -n "$(ns_of "$1")" link show "$2" >/dev/null 2>&1; }
sysctl_is() { [ "$(ip netns exec "$(ns_of "$1")" cat "/proc/sys/$2" 2>/dev/null)" = "$3" ]; }
neigh1_is() {
	[ "$(ip -n "$(ns_of c)" neigh show "$1" dev eth1 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')" = "$2" ]
}
# nft_has NODE FAMILY TEXT: NODE's table FAMILY keepalived lists TEXT
nft_has() {
	ip netns exec "$(ns_of "$1")" "$NFT" list table "$2" keepalived 2>/dev/null |
		grep -q -- "$3"
}
no_table() { ! ip netns exec "$(ns_of "$1")" "$NFT" list table "$2" keepalived >/dev/null 2>&1; }

# mld_from NAME MAC: MLD reports (v1 or v2) sent by MAC in capture NAME
mld_from() { grep -ci "^[^ ]* $2 > .*multicast listener report" "$TMP/$1.txt" || true; }
# mld_seen NAME: MLD reports in capture NAME at all (the capture works)
mld_seen() { [ "$(grep -ci "multicast listener report" "$TMP/$1.txt")" -gt 0 ]; }

topo_create 2
second_link
conf d1 150
conf d2 100

# ---- d2 alone starts as backup, then becomes master ------------------------------------
capture mld0 eth0 "ip6" -v
capture garp eth1 "arp" -v
ka_start d2
check "d2 has its VMAC on eth0 and the address VMACs on eth1" \
	wait_for 3000 eval "vmac_on d2 vrrp.51 eth0 $MAC4 && vmac_on d2 vrrp1.51 eth1 $MAC4 &&
		vmac_on d2 vrrp.53 eth1 $MACW && vmac_on d2 vrrp.52 eth0 $MAC6"
check "the IPv6 VMAC's MLD reports go through nftables" \
	wait_for 2000 eval "nft_has d2 ip6 'mld2-listener-report' && nft_has d2 ip6 'vmac_map'"
check "the IPv4 VMACs' IGMP reports too" wait_for 2000 nft_has d2 ip "igmp"
check "d2 becomes MASTER of all three" \
	wait_for 8000 eval "state_is d2 V4 MASTER && state_is d2 W MASTER && state_is d2 V6 MASTER"
check "address VMAC: $VIP2 on vrrp1.51, $VIPW on vrrp.53, $VIPW_PLAIN on eth1" \
	wait_for 2000 eval "has_addr d2 $VIP vrrp.51 && has_addr d2 $VIP2 vrrp1.51 &&
		has_addr d2 $VIPW vrrp.53 && has_addr d2 $VIPW_PLAIN eth1"
sleep 2.5
capture_stop mld0
capture_stop garp
check "GARPs for $VIP2 carry the virtual MAC" \
	eval "grep -q '^[^ ]* $MAC4 > .*tell $VIP2' '$TMP/garp.txt'"
check "GARPs for $VIPW carry W's virtual MAC" eval "grep -q '^[^ ]* $MACW > ' '$TMP/garp.txt'"
check "garp_extra_if: a GARP for $VIP2 every second from its address VMAC" \
	eval "[ \$(frames garp '$MAC4 > .*tell $VIP2') -ge 6 ]"
check "MLD reports were captured" mld_seen mld0
check_not "no MLD report from the IPv6 virtual MAC (backup, then master)" \
	eval "[ \$(mld_from mld0 $MAC6) != 0 ]"
check "the client reaches $VIP2 through the virtual MAC" \
	wait_for 3000 eval "reach c $VIP2 && neigh1_is $VIP2 $MAC4"
check "and $VIPW through W's" wait_for 3000 eval "reach c $VIPW && neigh1_is $VIPW $MACW"
check "eth1 (parent of address VMACs): arp_ignore 1, arp_filter 1" \
	eval "sysctl_is d2 net/ipv4/conf/eth1/arp_ignore 1 &&
		sysctl_is d2 net/ipv4/conf/eth1/arp_filter 1"
check "address VMAC: arp_ignore 1, rp_filter 0, IPv6 off" \
	eval "sysctl_is d2 net/ipv4/conf/vrrp1.51/arp_ignore 1 &&
		sysctl_is d2 net/ipv4/conf/vrrp1.51/rp_filter 0 &&
		sysctl_is d2 net/ipv6/conf/vrrp1.51/disable_ipv6 1"
check "SIGUSR1 data shows the address VMAC" \
	eval "data_dump d2 &&
		grep -q 'Address VMAC = vrrp1.51 (index [0-9]*) on eth1' '$TMP/d2/data'"

# ---- d1 starts as backup and preempts --------------------------------------------------
capture mld1 eth0 "ip6" -v
ka_start d1
check "d1 has the same interfaces" \
	wait_for 3000 eval "vmac_on d1 vrrp1.51 eth1 $MAC4 && vmac_on d1 vrrp.53 eth1 $MACW"
check "d1 preempts, the second-interface VIPs move to its address VMACs" \
	wait_for 8000 eval "only_on $VIP2 d1 d2 && only_on $VIPW d1 d2 &&
		has_addr d1 $VIP2 vrrp1.51 && only_on $VIP6 d1 d2"
sleep 1.5
capture_stop mld1
check_not "no MLD report from the virtual MAC while d1 joins as backup and preempts" \
	eval "[ \$(mld_from mld1 $MAC6) != 0 ]"
check "the client still reaches $VIP2 through the virtual MAC" \
	wait_for 3000 eval "reach c $VIP2 && neigh1_is $VIP2 $MAC4"

# ---- an operator deletes an address VMAC -------------------------------------------------
ip -n "$(ns_of d1)" link del vrrp1.51
check "a deleted address VMAC is re-created" wait_for 3000 vmac_on d1 vrrp1.51 eth1 $MAC4
check "its address was removed: V4 left MASTER, preempts again, VIP on the new VMAC" \
	wait_for 10000 eval "state_is d1 V4 MASTER && has_addr d1 $VIP2 vrrp1.51"

# ---- reload: one more address on eth1 ---------------------------------------------------
conf d1 150 "10.78.0.203/24 dev eth1"
ka_signal d1 HUP
check "reload: the new address goes on the address VMAC, the old one stays there" \
	wait_for 5000 eval "has_addr d1 10.78.0.203 vrrp1.51 && has_addr d1 $VIP2 vrrp1.51 &&
		no_addr d1 10.78.0.203 eth1 && [ \$(ip -n $(ns_of d1) -o link show | grep -c vrrp1.51) = 1 ]"
check "reload: still MASTER, the client reaches the new address through the virtual MAC" \
	wait_for 4000 eval "state_is d1 V4 MASTER && reach c 10.78.0.203 && neigh1_is 10.78.0.203 $MAC4"

# ---- stop: the address VMACs and the rules go ---------------------------------------------
ka_stop d1
check "after SIGTERM of d1, d2 holds the VIPs on its address VMACs" \
	wait_for 3000 eval "has_addr d2 $VIP2 vrrp1.51 && has_addr d2 $VIPW vrrp.53"
check "d1's VMACs were deleted" \
	eval "no_link d1 vrrp.51 && no_link d1 vrrp1.51 && no_link d1 vrrp.53 && no_link d1 vrrp.52"
check "d1's nftables tables are gone" eval "no_table d1 ip && no_table d1 ip6"
check "d1's eth1 sysctls are restored" \
	eval "sysctl_is d1 net/ipv4/conf/eth1/arp_ignore 0 &&
		sysctl_is d1 net/ipv4/conf/eth1/arp_filter 0"
check "the client reaches $VIP2 on d2, same MAC" \
	wait_for 3000 eval "reach c $VIP2 && neigh1_is $VIP2 $MAC4"
ka_stop d2
check "no VMAC nor table left on d2" \
	eval "no_link d2 vrrp1.51 && no_link d2 vrrp.53 && no_table d2 ip6 && no_table d2 ip"
check "no address left" eval "none_of d2 $VIP2 $VIPW $VIPW_PLAIN $VIP6 &&
	none_of d1 $VIP2 $VIPW $VIPW_PLAIN $VIP6 10.78.0.203"

finish
