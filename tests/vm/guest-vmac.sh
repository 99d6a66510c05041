#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-vmac.sh - in the test VM: use_ipvlan on two directors (the host kernel has no ipvlan)
#
# Runs as the VM's test (dash, busybox, iproute2's ip, our keepalived and
# ipvlan.ko in /test). The VM's own namespace is the client (10.20.0.1 on
# br0); d1 (10.20.0.11, priority 150) and d2 (10.20.0.12, 100) are
# namespaces on br0 running our daemon with
#   V4: VRID 51, use_ipvlan vrrp.51 10.20.0.2N/24, VIP 10.20.0.100
#   V6: VRID 52, use_ipvlan (generated name vrrp.52), VIP fd20::100
# Checks: L2 ipvlans on eth0 (bridge mode), the address on them, VIPs on
# the master's ipvlans, the client reaching the VIP, SIGTERM failover
# (ipvlans deleted), kill -9 and restart (ipvlan reused, one interface),
# "private" mode, nothing left after SIGTERM of both.
# Exit status: 0 when everything matched, 1 otherwise.

. /test/guest-lib.sh
VIP=10.20.0.100
VIP6=fd20::100

has_addr() { ip -n "$1" -o addr show dev "$3" 2>/dev/null | grep -q " $2/"; }
no_addr() { ! ip -n "$1" -o addr show 2>/dev/null | grep -q " $2/"; }
no_link() { ! ip -n "$1" link show "$2" >/dev/null 2>&1; }
link_count() { ip -n "$1" -o link show | grep -c " $2@"; }
# ipvlan_is NODE IF MODE: an L2 ipvlan on eth0 with eth0's MAC, up
ipvlan_is() {
	out=$(ip -n "$1" -d link show "$2" 2>/dev/null) || return 1
	mac=$(ip -n "$1" link show eth0 | awk '$1 == "link/ether" { print $2 }')
	echo "$out" | grep -q "$2@eth0:.*,UP" &&
		echo "$out" | grep -q "link/ether $mac " &&
		echo "$out" | grep -q "ipvlan  *mode l2 $3"
}
master_of() { # master_of NODE OTHER: both VIPs on NODE's ipvlans, none on OTHER
	has_addr "$1" $VIP vrrp.51 && has_addr "$1" $VIP6 vrrp.52 &&
		no_addr "$2" $VIP && no_addr "$2" $VIP6
}
client_ok() { # the client reaches both VIPs
	busybox ping -c 1 -W 1 $VIP >/dev/null 2>&1 &&
		busybox ping -6 -c 1 -W 1 $VIP6 >/dev/null 2>&1
}
sysctl_is() { [ "$(ip netns exec "$1" cat "/proc/sys/$2")" = "$3" ]; }

# conf NODE PRIORITY LAST_OCTET [MODE]
conf() {
	cat >$T/$1/keepalived.conf <<EOF
vrrp_instance V4 {
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 1
	use_ipvlan vrrp.51 10.20.0.2$3/24 ${4:-}
	virtual_ipaddress {
		$VIP/24
	}
}
vrrp_instance V6 {
	interface eth0
	virtual_router_id 52
	priority $2
	advert_int 1
	use_ipvlan ${4:-}
	virtual_ipaddress {
		$VIP6/64
	}
}
EOF
}
finish() {
	if [ $fail != 0 ]; then
		for n in d1 d2; do
			show_logs $n
			ip -n $n -d link
			ip -n $n addr
		done
	fi
	exit $fail
}

# ---- network ----

insmod /test/ipvlan.ko || { echo "FAIL: insmod ipvlan"; exit 1; }
mkdir -p $T/d1 $T/d2
if ! guest_net 20; then
	echo "FAIL: guest network setup"
	exit 1
fi
# link-local addresses (the IPv6 advert source) need their DAD
sleep 3

# ---- election ----
conf d1 150 1
conf d2 100 2
start_ka d1 -P
start_ka d2 -P
all_bridge() {
	ipvlan_is d1 vrrp.51 bridge && ipvlan_is d1 vrrp.52 bridge &&
		ipvlan_is d2 vrrp.51 bridge && ipvlan_is d2 vrrp.52 bridge
}
own_addrs() { has_addr d1 10.20.0.21 vrrp.51 && has_addr d2 10.20.0.22 vrrp.51; }
expect "ipvlans in L2 bridge mode on both" 10 all_bridge
expect "the configured address is on each V4 ipvlan" 2 own_addrs
expect "d1 is MASTER of both, VIPs on its ipvlans" 15 master_of d1 d2
expect "client reaches both VIPs" 5 client_ok
expect "parent arp_ignore 1" 1 sysctl_is d1 net/ipv4/conf/eth0/arp_ignore 1

# ---- SIGTERM failover ----
stop_ka d1
expect "after SIGTERM of d1, d2 holds both VIPs" 5 master_of d2 d1
gone_d1() { no_link d1 vrrp.51 && no_link d1 vrrp.52; }
expect "d1's ipvlans were deleted" 1 gone_d1
expect "client reaches both VIPs on d2" 5 client_ok

# ---- kill -9 and restart: reused ----
start_ka d1 -P
expect "d1 preempts back" 15 master_of d1 d2
idx=$(ip -n d1 -o link show vrrp.51 | cut -d: -f1)
kill9_ka d1
expect "after kill -9 of d1, d2 takes over" 10 has_addr d2 $VIP vrrp.51
start_ka d1 -P
reused() {
	[ "$(ip -n d1 -o link show vrrp.51 | cut -d: -f1)" = "$idx" ] &&
		[ "$(link_count d1 vrrp.51)" = 1 ] &&
		grep -q '(V4) using existing IPVLAN vrrp.51' "$(vlog d1)"
}
expect "restarted d1 reuses its ipvlan (same index, one interface)" 5 reused
expect "and preempts again" 15 master_of d1 d2
expect "client reaches both VIPs" 5 client_ok

# ---- private mode ----
stop_ka d1
stop_ka d2
none_left() { gone_d1 && no_link d2 vrrp.51 && no_link d2 vrrp.52; }
expect "no ipvlan left after SIGTERM of both" 1 none_left
conf d1 150 1 private
start_ka d1 -P
expect "use_ipvlan ... private makes a private ipvlan" 10 ipvlan_is d1 vrrp.51 private
expect "d1 alone is MASTER" 15 has_addr d1 $VIP vrrp.51
stop_ka d1
for n in d1 d2; do
	if grep -q "ERROR: .*Sanitizer\|runtime error:" $T/$n/stderr; then
		bad "sanitizer report from $n"
	fi
done
finish
