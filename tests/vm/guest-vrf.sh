#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-vrf.sh - in the test VM: two directors whose eth0 is in a VRF (the host kernel has none)
#
# Runs as the VM's test (dash, busybox, iproute2's ip, our keepalived,
# vrf.ko and macvlan.ko in /test). The VM's own namespace is the client
# (10.30.0.1 on br0); d1 (10.30.0.11, priority 150) and d2 (10.30.0.12,
# 100) are namespaces on br0 whose eth0 is enslaved to VRF "blue" (table
# 10): the connected routes live in table 10, the main table has no route
# to 10.30.0.0/24. Multicast phase:
#   M4: VRID 61, VIP 10.30.0.100, virtual routes 10.31.0.0/24 `vrf blue`
#       and 10.32.0.0/24 `table 10`
#   M6: VRID 62, VIP fd30::100
#   MV: VRID 63, use_vmac vrrp.63, VIP 10.30.0.101 (the VMAC joins blue)
# checks election, the VIPs' local routes in table 10 (not in the main
# local table), the virtual routes in the VRF, the client reaching the
# VIPs, failover on kill -9 (and preemption back) and on SIGTERM (VIPs and
# routes removed). Unicast phase:
#   U1: VRID 71, interface eth0, unicast_peer the other director
#   U2: VRID 72, no interface, `vrf blue`, unicast_src_ip, VIP dev eth0
#   U6: VRID 73, interface eth0, IPv6 unicast_src_ip and peer, VIP fd30::110
# checks that their sockets are bound to blue (state dump), that the backup
# hears the master (it would not if the adverts were routed with the main
# table), and SIGTERM failover.
# Exit status: 0 when everything matched, 1 otherwise.

. /test/guest-lib.sh
VIP=10.30.0.100
VIP6=fd30::100
VIPM=10.30.0.101
VU1=10.30.0.110
VU2=10.30.0.111
VU6=fd30::110
RT_VRF=10.31.0.0/24
RT_TBL=10.32.0.0/24

has_addr() { ip -n "$1" -o addr show dev "$3" 2>/dev/null | grep -q " $2/"; }
no_addr() { ! ip -n "$1" -o addr show 2>/dev/null | grep -q " $2/"; }
# in_table NODE TABLE TEXT: a route of TABLE shows TEXT
in_table() { ip -n "$1" route show table "$2" 2>/dev/null | grep -q "$3"; }
in_table6() { ip -n "$1" -6 route show table "$2" 2>/dev/null | grep -q "$3"; }
master_of() { # master_of NODE OTHER: every VIP on NODE, none on OTHER
	has_addr "$1" $VIP eth0 && has_addr "$1" $VIP6 eth0 && has_addr "$1" $VIPM vrrp.63 &&
		no_addr "$2" $VIP && no_addr "$2" $VIP6 && no_addr "$2" $VIPM
}
routes_on() { # NODE: both virtual routes in the VRF's table, none in main
	ip -n "$1" route show vrf blue | grep -q "^$RT_VRF via 10.30.0.1 dev eth0" &&
		in_table "$1" 10 "^$RT_TBL via 10.30.0.1 dev eth0" &&
		! in_table "$1" main "$RT_VRF" && ! in_table "$1" main "$RT_TBL"
}
routes_off() { ! in_table "$1" all "$RT_VRF" && ! in_table "$1" all "$RT_TBL"; }
vip_local_in_vrf() { # NODE: the VIPs' local routes in table 10, not in table local
	in_table "$1" 10 "^local $VIP dev eth0" && in_table "$1" 10 "^local $VIPM dev vrrp.63" &&
		in_table6 "$1" 10 "^local $VIP6 dev eth0" && ! in_table "$1" local "$VIP"
}
vmac_in_vrf() { ip -n "$1" -d link show vrrp.63 2>/dev/null | grep -q "master blue"; }
client_ok() {
	busybox ping -c 1 -W 1 $VIP >/dev/null 2>&1 &&
		busybox ping -c 1 -W 1 $VIPM >/dev/null 2>&1 &&
		busybox ping -6 -c 1 -W 1 $VIP6 >/dev/null 2>&1
}
# data_has NODE TEXT...: a state dump of NODE shows every TEXT (one line each)
data_has() {
	node=$1
	shift
	rm -f $T/$node/data
	kill -USR1 "$(cat $T/$node/parent)"
	# not wait_until: expect's wait_until runs this, and they share $limit
	i=0
	while [ ! -s $T/$node/data ] && [ $i -lt 15 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	for t in "$@"; do
		grep -qF -- "$t" $T/$node/data || return 1
	done
}
bound_to_blue() { [ "$(grep -c 'Socket bound to = blue$' $T/$1/data)" = 3 ]; }
send_errors() { grep -q "sending advert" "$(vlog "$1")"; }

head_conf() { # head_conf NODE
	cat >$T/$1/keepalived.conf <<EOF
global_defs {
	state_dump_file $T/$1/data
}
EOF
}
# conf_mcast NODE PRIORITY
conf_mcast() {
	head_conf "$1"
	cat >>$T/$1/keepalived.conf <<EOF
vrrp_instance M4 {
	interface eth0
	virtual_router_id 61
	priority $2
	advert_int 1
	virtual_ipaddress {
		$VIP/24
	}
	virtual_routes {
		$RT_VRF via 10.30.0.1 dev eth0 vrf blue
		$RT_TBL via 10.30.0.1 dev eth0 table 10
	}
}
vrrp_instance M6 {
	interface eth0
	virtual_router_id 62
	priority $2
	advert_int 1
	virtual_ipaddress {
		$VIP6/64
	}
}
vrrp_instance MV {
	interface eth0
	use_vmac vrrp.63
	virtual_router_id 63
	priority $2
	advert_int 1
	virtual_ipaddress {
		$VIPM/24
	}
}
EOF
}
# conf_ucast NODE PRIORITY OWN_OCTET PEER_OCTET
conf_ucast() {
	head_conf "$1"
	cat >>$T/$1/keepalived.conf <<EOF
vrrp_instance U1 {
	interface eth0
	virtual_router_id 71
	priority $2
	advert_int 1
	unicast_peer {
		10.30.0.$4
	}
	virtual_ipaddress {
		$VU1/24
	}
}
vrrp_instance U2 {
	vrf blue
	virtual_router_id 72
	priority $2
	advert_int 1
	unicast_src_ip 10.30.0.$3
	unicast_peer {
		10.30.0.$4
	}
	virtual_ipaddress {
		$VU2/24 dev eth0
	}
}
vrrp_instance U6 {
	interface eth0
	virtual_router_id 73
	priority $2
	advert_int 1
	unicast_src_ip fd30::$3
	unicast_peer {
		fd30::$4
	}
	virtual_ipaddress {
		$VU6/64
	}
}
EOF
}
finish() {
	for n in d1 d2; do
		if grep -q "ERROR: .*Sanitizer\|runtime error:" $T/$n/stderr; then
			bad "sanitizer report from $n"
		fi
	done
	if [ $fail != 0 ]; then
		for n in d1 d2; do
			show_logs $n
			ip -n $n -d link
			ip -n $n addr
			ip -n $n route show table all
		done
	fi
	exit $fail
}

# ---- network ----

for m in vrf macvlan; do
	insmod /test/$m.ko || { echo "FAIL: insmod $m"; exit 1; }
done
mkdir -p $T/d1 $T/d2
if ! guest_net 30 blue; then
	echo "FAIL: guest network setup"
	exit 1
fi
no_main_route() { ! in_table d1 main 10.30.0.0/24 && in_table d1 10 "^10.30.0.0/24 dev eth0"; }
expect "the directors' connected route is in the VRF's table only" 1 no_main_route
# link-local addresses (the IPv6 advert source) need their DAD
sleep 3

# ---- multicast: election ----
conf_mcast d1 150
conf_mcast d2 100
start_ka d1 -P
start_ka d2 -P
expect "d1 is MASTER of M4, M6, MV: VIPs on it only" 20 master_of d1 d2
expect "the VMAC vrrp.63 was put in VRF blue" 1 vmac_in_vrf d1
expect "the VIPs' local routes are in table 10, not in table local" 2 vip_local_in_vrf d1
expect "virtual routes (vrf blue, table 10) are in the VRF's table, not main" 2 routes_on d1
expect "and not on the backup" 1 routes_off d2
expect "client reaches every VIP" 5 client_ok
expect "the state dump names the VRF and the interface socket" 1 data_has d1 \
	"VRF = blue (index" "Socket bound to = eth0" "Socket bound to = vrrp.63"

# ---- kill -9 and restart ----
kill9_ka d1
expect "after kill -9 of d1, d2 takes every VIP" 10 eval \
	"has_addr d2 $VIP eth0 && has_addr d2 $VIP6 eth0 && has_addr d2 $VIPM vrrp.63"
expect "and installs the virtual routes in the VRF" 2 routes_on d2
start_ka d1 -P
expect "restarted d1 preempts back" 20 master_of d1 d2
expect "d2 removed its virtual routes" 2 routes_off d2
expect "client reaches every VIP" 5 client_ok

# ---- SIGTERM failover ----
stop_ka d1
expect "after SIGTERM of d1, d2 holds every VIP" 10 master_of d2 d1
expect "d1 removed its virtual routes" 1 routes_off d1
expect "d2 installed them" 2 routes_on d2
expect "client reaches every VIP on d2" 5 client_ok
stop_ka d2
expect "no VIP left after SIGTERM of both" 1 eval "no_addr d1 $VIP && no_addr d2 $VIP"

# ---- unicast in the VRF ----
conf_ucast d1 150 11 12
conf_ucast d2 100 12 11
start_ka d1 -P
start_ka d2 -P
u_master() { # NODE OTHER
	has_addr "$1" $VU1 eth0 && has_addr "$1" $VU2 eth0 && has_addr "$1" $VU6 eth0 &&
		no_addr "$2" $VU1 && no_addr "$2" $VU2 && no_addr "$2" $VU6
}
expect "unicast: d1 is MASTER of U1, U2 and U6" 20 u_master d1 d2
expect "the unicast instances use sockets bound to blue" 1 eval \
	"data_has d1 'VRF = blue (index' && bound_to_blue d1"
sleep 4
if u_master d1 d2 && ! send_errors d1; then
	ok "d2 stays BACKUP: the adverts reach it through the VRF"
else
	bad "d2 stays BACKUP: the adverts reach it through the VRF"
fi
expect "d2's state dump shows BACKUP for U2" 1 data_has d2 "State = BACKUP"
stop_ka d1
expect "unicast: after SIGTERM of d1, d2 is MASTER" 10 u_master d2 d1
stop_ka d2
finish
