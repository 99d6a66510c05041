#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_vmac.sh - use_vmac: VMAC interfaces, virtual MAC on the wire and in the
# client's neighbour table across failovers, sysctls, kill -9 and respawn, an
# operator deleting the VMAC, reload (vmac_xmit_base, garp_extra_if, use_vmac off),
# and a pair with the reference keepalived
#
# d1 (priority 150) and d2 (100) run V4 (VRID 51, VRRPv2, VIP 10.77.0.200) and V6
# (VRID 52, VRRPv3 over IPv6, VIP fd77::200), both with use_vmac: the VMACs are
# vrrp.51 (00:00:5e:00:01:33) and vrrp.52 (00:00:5e:00:02:34) on eth0. The client
# watches the wire with tcpdump. Needs root, iproute2 and tcpdump; the last part
# needs the reference keepalived (KA_REF) and is skipped without it.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

TCPDUMP=$(command -v tcpdump) || skip "needs tcpdump"

VIP4=10.77.0.200
VIP6=fd77::200
MAC4=00:00:5e:00:01:33
MAC6=00:00:5e:00:02:34

conf() { # conf NODE PRIORITY [V4 EXTRA LINES] [V6 EXTRA LINES]
	write_conf "$1" <<EOF
vrrp_instance V4 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 1
	use_vmac
	${3:-}
	virtual_ipaddress {
		$VIP4/24
	}
}
vrrp_instance V6 {
	state BACKUP
	interface eth0
	virtual_router_id 52
	priority $2
	advert_int 1
	${4:-use_vmac}
	virtual_ipaddress {
		$VIP6/64
	}
}
EOF
}

# ---- observations ----------------------------------------------------------------

# vmac_is NODE IF MAC: IF is a private-mode macvlan on eth0 with MAC
vmac_is() {
	local out
	out=$(ip -n "$(ns_of "$1")" -d link show "$2" 2>/dev/null) || return 1
	[[ $out == *"$2@eth0:"* && $out == *"link/ether $3 "* &&
		$out == *"macvlan mode private"* && $out == *",UP,"* ]]
}
no_link() { ! ip -n "$(ns_of "$1")" link show "$2" >/dev/null 2>&1; }
# link_count NODE IF: how many interfaces are called IF (0 or 1, never 2)
link_count() { ip -n "$(ns_of "$1")" -o link show | grep -c " $2@"; }
ifindex_of() { ip -n "$(ns_of "$1")" -o link show "$2" 2>/dev/null | cut -d: -f1; }
link_up() { [[ $(ip -n "$(ns_of "$1")" -o link show "$2" 2>/dev/null) == *"<"*",UP"* ]]; }

# sysctl_is NODE PATH VALUE: /proc/sys/PATH in NODE's namespace
sysctl_is() {
	[ "$(ip netns exec "$(ns_of "$1")" cat "/proc/sys/$2" 2>/dev/null)" = "$3" ]
}

neigh6_mac() {
	ip -n "$(ns_of "$1")" -6 neigh show "$2" dev eth0 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}
neigh6_is() { [ "$(neigh6_mac "$1" "$2")" = "$3" ]; }

# the client reaches the VIP, and its neighbour entry is the virtual MAC
client_ok4() { reach c $VIP4 && neigh_is c $VIP4 $MAC4; }
client_ok6() { reach c $VIP6 && neigh6_is c $VIP6 $MAC6; }


topo_create 2
conf d1 150
conf d2 100
# d2 starts second, as a backup: its VMAC must not announce the virtual MAC
capture igmp eth0 "igmp or (ip6 and icmp6)"
ka_start d1
check "d1 has its VMACs" wait_for 3000 eval "vmac_is d1 vrrp.51 $MAC4 && vmac_is d1 vrrp.52 $MAC6"
check "d1 becomes MASTER of both, the VIPs are on its VMACs" \
	wait_for 8000 eval "has_addr d1 $VIP4 vrrp.51 && has_addr d1 $VIP6 vrrp.52"
ka_start d2
check "d2 has the same VMACs" \
	wait_for 3000 eval "vmac_is d2 vrrp.51 $MAC4 && vmac_is d2 vrrp.52 $MAC6"
check "d2 stays BACKUP of both" holds 2500 eval "state_is d2 V4 BACKUP && state_is d2 V6 BACKUP"
check "the VIPs are on d1 only" eval "only_on $VIP4 d1 d2 && only_on $VIP6 d1 d2"
capture_stop igmp
check_not "no IGMP report from the virtual MAC (a backup joining the group)" \
	eval "grep -q '^[^ ]* $MAC4 .*igmp' '$TMP/igmp.txt'"

# ---- on the wire ---------------------------------------------------------------------
check "client reaches the IPv4 VIP through the virtual MAC" wait_for 3000 client_ok4
check "client reaches the IPv6 VIP through the virtual MAC" wait_for 3000 client_ok6
capture adv eth0 "ip proto 112 or ip6 proto 112"
sleep 2.5
capture_stop adv
check "IPv4 adverts leave with the virtual source MAC" frames_ge adv "$MAC4 > 01:00:5e:00:00:12" 2
check "IPv6 adverts leave with the virtual source MAC" frames_ge adv "$MAC6 > 33:33:00:00:00:12" 2
check "IPv6 adverts come from d1's link-local address" \
	eval "grep -q '$MAC6 .* fe80::77:ff:fe00:1 > ff02::12: VRRPv3' '$TMP/adv.txt'"
check "no advert from d1's own MAC" eval "[ \$(frames adv '$(mac_of d1) >') = 0 ]"

# ---- sysctls and dumps ------------------------------------------------------------------
check "parent eth0: arp_ignore 1, arp_filter 1, arp_announce 2" \
	eval "sysctl_is d1 net/ipv4/conf/eth0/arp_ignore 1 &&
		sysctl_is d1 net/ipv4/conf/eth0/arp_filter 1 &&
		sysctl_is d1 net/ipv4/conf/eth0/arp_announce 2"
check "VMAC: arp_ignore 1, accept_local 1, rp_filter 0" \
	eval "sysctl_is d1 net/ipv4/conf/vrrp.51/arp_ignore 1 &&
		sysctl_is d1 net/ipv4/conf/vrrp.51/accept_local 1 &&
		sysctl_is d1 net/ipv4/conf/vrrp.51/rp_filter 0"
check "IPv6 is off on the IPv4 VMAC, on on the IPv6 one" \
	eval "sysctl_is d1 net/ipv6/conf/vrrp.51/disable_ipv6 1 &&
		sysctl_is d1 net/ipv6/conf/vrrp.52/disable_ipv6 0"
check "link-local IGMP reports are off" sysctl_is d1 net/ipv4/igmp_link_local_mcast_reports 0
json_dump d1
check "JSON names the VMACs" eval "json_is d1 V4 'd[\"vmac_ifname\"]' vrrp.51 &&
	json_is d1 V6 'd[\"vmac_ifname\"]' vrrp.52"
check "SIGUSR1 data shows the VMAC" \
	eval "data_dump d1 && grep -q 'VMAC = vrrp.51 (index [0-9]*), MAC $MAC4' '$TMP/d1/data'"

# ---- SIGTERM of d1: VMACs gone, sysctls back --------------------------------------------
ka_stop d1
check "after SIGTERM of d1, d2 holds both VIPs" \
	wait_for 3000 eval "has_addr d2 $VIP4 vrrp.51 && has_addr d2 $VIP6 vrrp.52"
check "d1's VMACs were deleted" eval "no_link d1 vrrp.51 && no_link d1 vrrp.52"
check "d1's sysctls are restored" \
	eval "sysctl_is d1 net/ipv4/conf/eth0/arp_ignore 0 &&
		sysctl_is d1 net/ipv4/conf/eth0/arp_filter 0 &&
		sysctl_is d1 net/ipv4/conf/eth0/arp_announce 0 &&
		sysctl_is d1 net/ipv4/igmp_link_local_mcast_reports 1"
check "client reaches both VIPs on d2, same MACs" wait_for 3000 eval "client_ok4 && client_ok6"
ka_start d1
check "d1 comes back and preempts, VIPs on d1 only" \
	wait_for 8000 eval "only_on $VIP4 d1 d2 && only_on $VIP6 d1 d2"
check "client's neighbour entries stay on the virtual MACs" \
	wait_for 3000 eval "client_ok4 && client_ok6"

# ---- kill -9 of the whole daemon on d1: VMAC left, reused at restart ---------------------
idx=$(ifindex_of d1 vrrp.51)
ka_kill9 d1
check "after kill -9 of d1, d2 takes both VIPs on its VMACs" \
	wait_for 6000 eval "has_addr d2 $VIP4 vrrp.51 && has_addr d2 $VIP6 vrrp.52"
check "client keeps the virtual MACs, VIPs reachable" wait_for 3000 eval "client_ok4 && client_ok6"
check "d1's VMAC stayed, with the leftover VIP" has_addr d1 $VIP4 vrrp.51
ka_start d1
check "restarted d1 removes the leftover VIP from the reused VMAC" \
	wait_for 2000 no_addr d1 $VIP4
check "the VMAC was reused: same index, one interface of each name" \
	eval "[ '$(ifindex_of d1 vrrp.51)' = '$idx' ] && [ \$(link_count d1 vrrp.51) = 1 ] &&
		[ \$(link_count d1 vrrp.52) = 1 ]"
check "the restarted daemon logged the reuse" log_has d1 "(V4) using existing VMAC vrrp.51"
check "d1 preempts back" wait_for 8000 eval "only_on $VIP4 d1 d2 && only_on $VIP6 d1 d2"
check "client still on the virtual MACs, VIPs reachable" \
	wait_for 3000 eval "client_ok4 && client_ok6"

# ---- kill -9 of d1's VRRP child only: the parent respawns it -------------------------------
old=$(vrrp_pid_of d1)
kill -KILL "$old"
check "the parent respawns the VRRP child" \
	wait_for 5000 eval "[ -n \"\$(vrrp_pid_of d1)\" ] && [ \"\$(vrrp_pid_of d1)\" != '$old' ]"
check "d1 is MASTER again, VIPs on d1 only, no duplicate VMAC" \
	wait_for 10000 eval "only_on $VIP4 d1 d2 && only_on $VIP6 d1 d2 &&
		[ \$(link_count d1 vrrp.51) = 1 ] && [ \$(link_count d1 vrrp.52) = 1 ]"
check "client on the virtual MACs" wait_for 3000 eval "client_ok4 && client_ok6"
ka_stop d1
check "SIGTERM of d1: d2 holds both VIPs" \
	wait_for 3000 eval "has_addr d2 $VIP4 vrrp.51 && has_addr d2 $VIP6 vrrp.52"

# ---- an operator deletes or downs the master's VMAC ------------------------------------------
ip -n "$(ns_of d2)" link set vrrp.51 down
check "a VMAC set down is set up again" wait_for 3000 link_up d2 vrrp.51
ip -n "$(ns_of d2)" link del vrrp.51
check "a deleted VMAC is re-created" wait_for 3000 vmac_is d2 vrrp.51 $MAC4
check "the re-creation is logged" log_has d2 "(V4) VMAC vrrp.51 was removed, re-created it"
check "d2 (alone) is MASTER again with the VIP on the new VMAC" \
	wait_for 8000 eval "has_addr d2 $VIP4 vrrp.51 && state_is d2 V4 MASTER"
check "client reaches the VIP again" wait_for 3000 client_ok4

# ---- reload: vmac_xmit_base + garp_extra_if for V4, V6 without VMAC --------------------------
conf d1 150 "vmac_xmit_base
	garp_extra_if 1" "# no VMAC"
conf d2 100 "vmac_xmit_base
	garp_extra_if 1" "# no VMAC"
ka_signal d2 HUP
check "reload: V6 gives up its VMAC, its VIP moves to eth0" \
	wait_for 3000 eval "no_link d2 vrrp.52 && has_addr d2 $VIP6 eth0"
check "reload: V4 keeps its VMAC and its VIP" has_addr d2 $VIP4 vrrp.51
capture xb eth0 "ip proto 112 or (arp and ether src $MAC4)"
sleep 3.5
capture_stop xb
check "vmac_xmit_base: adverts leave with the parent's MAC" \
	frames_ge xb "$(mac_of d2) > 01:00:5e:00:00:12" 2
check "vmac_xmit_base: no advert with the virtual MAC" \
	eval "[ \$(frames xb '$MAC4 > 01:00:5e:00:00:12') = 0 ]"
check "garp_extra_if 1: a GARP from the virtual MAC every second" \
	frames_ge xb "tell $VIP4" 3
check "client reaches the IPv4 VIP through the virtual MAC" wait_for 3000 client_ok4
ka_start d1
check "d1 (xmit base) preempts d2, VIP on its VMAC" \
	wait_for 8000 eval "has_addr d1 $VIP4 vrrp.51 && only_on $VIP4 d1 d2"
check "d1's V6 runs without VMAC, VIP on eth0" wait_for 3000 has_addr d1 $VIP6 eth0
check "client follows, same virtual MAC" wait_for 3000 client_ok4
ka_stop d1
ka_stop d2
check "no VMAC left after SIGTERM of both" \
	eval "no_link d1 vrrp.51 && no_link d2 vrrp.51 && no_link d2 vrrp.52"

# ---- interop: ours (d1) and the reference keepalived (d2), both with use_vmac ------------------
if [ -x "$KA_REF" ] && [[ $("$KA_REF" --version 2>&1) == "Keepalived v2."* ]]; then
	conf d1 150
	write_ref_conf d2 <"$(conf_of d1)"
	sed -i 's/priority 150/priority 100/; /_dump_file/d' "$(conf_of d2)"
	ref_start d2
	check "reference d2 alone becomes MASTER, VIPs on its VMACs" \
		wait_for 8000 eval "has_addr d2 $VIP4 vrrp.51 && has_addr d2 $VIP6 vrrp.52"
	ka_start d1
	check "ours (150) preempts the reference" \
		wait_for 8000 eval "only_on $VIP4 d1 d2 && only_on $VIP6 d1 d2"
	check "the reference is BACKUP of both" \
		wait_for 3000 eval "state_is d2 V4 BACKUP && state_is d2 V6 BACKUP"
	check "client on the virtual MACs (ours master)" wait_for 3000 eval "client_ok4 && client_ok6"
	ka_stop d1
	check "after SIGTERM of ours, the reference takes over" \
		wait_for 3000 eval "has_addr d2 $VIP4 vrrp.51 && has_addr d2 $VIP6 vrrp.52"
	check "client on the same virtual MACs (reference master)" \
		wait_for 3000 eval "client_ok4 && client_ok6"
	ka_start d1
	check "ours preempts back" wait_for 8000 eval "only_on $VIP4 d1 d2 && only_on $VIP6 d1 d2"
	ka_kill9 d1
	check "after kill -9 of ours, the reference takes over" \
		wait_for 6000 eval "has_addr d2 $VIP4 vrrp.51 && has_addr d2 $VIP6 vrrp.52"
	ka_start d1
	check "ours, restarted, preempts back, no duplicate VMAC" \
		wait_for 10000 eval "only_on $VIP4 d1 d2 && only_on $VIP6 d1 d2 &&
			[ \$(link_count d1 vrrp.51) = 1 ]"
	check "client on the virtual MACs" wait_for 3000 eval "client_ok4 && client_ok6"
	ka_stop d2
	ka_stop d1
else
	note "no reference keepalived at $KA_REF: interop part skipped"
fi

finish
