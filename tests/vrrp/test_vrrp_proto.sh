#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_proto.sh - VRRPv3 at 100 ms (and learning the master's interval), IPv6,
# unicast peers, PASS authentication mismatch
#
# Two directors run four instances side by side:
#   VI_3  VRRPv3 IPv4, d1 advert_int 0.1, d2 advert_int 1 (d2 must learn 0.1)
#   VI_6  IPv6 (VRRPv3), VIP fd77::210
#   VI_U  VRRPv2 unicast between 10.77.0.11 and 10.77.0.12
#   VI_U2 the same VRID, unicast to an absent peer: both are MASTER, and
#         adverts are told apart by their sender
#   VI_P  PASS authentication with different passwords: both become MASTER
# Needs root and iproute2.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

V3=10.77.0.210
V6=fd77::210
VU=10.77.0.211
VU2=10.77.0.213
VP=10.77.0.212

conf() { # conf NODE PRIORITY V3_INTERVAL SELF PEER PASSWORD
	write_conf "$1" <<EOF
vrrp_instance VI_3 {
	interface eth0
	version 3
	virtual_router_id 61
	priority $2
	advert_int $3
	virtual_ipaddress {
		$V3/24
	}
}
vrrp_instance VI_6 {
	interface eth0
	virtual_router_id 62
	priority $2
	advert_int 1
	virtual_ipaddress {
		$V6/64
	}
}
vrrp_instance VI_U {
	interface eth0
	virtual_router_id 63
	priority $2
	advert_int 1
	unicast_src_ip $4
	unicast_peer {
		$5
	}
	virtual_ipaddress {
		$VU/24
	}
}
vrrp_instance VI_U2 {
	interface eth0
	virtual_router_id 63
	priority $2
	advert_int 1
	unicast_src_ip $4
	unicast_peer {
		10.77.0.99
	}
	virtual_ipaddress {
		$VU2/24
	}
}
vrrp_instance VI_P {
	interface eth0
	virtual_router_id 64
	priority $2
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass $6
	}
	virtual_ipaddress {
		$VP/24
	}
}
EOF
}

topo_create 2
conf d1 150 0.1 10.77.0.11 10.77.0.12 secret1
conf d2 100 1 10.77.0.12 10.77.0.11 secret2
ka_start d1
ka_start d2

check "VRRPv3 (100 ms): d1 is MASTER" wait_for 10000 only_on $V3 d1 d2
check "IPv6: d1 is MASTER" wait_for 10000 only_on $V6 d1 d2
check "unicast: d1 is MASTER" wait_for 10000 only_on $VU d1 d2
check "PASS mismatch: each ignores the other, both are MASTER" \
	wait_for 10000 eval 'has_addr d1 $VP && has_addr d2 $VP'
check "the v3/IPv6/unicast elections are stable (2 s)" \
	holds 2000 eval 'only_on $V3 d1 d2 && only_on $V6 d1 d2 && only_on $VU d1 d2'
check "client reaches the IPv6 VIP" wait_for 3000 reach c $V6
check "client resolves the IPv6 VIP to d1's MAC" neigh_is c $V6 "$(mac_of d1)"
check "client reaches the v3 VIP" wait_for 3000 reach c $V3

json_dump d2
check "v3: d2 learned the master's 100 ms interval" \
	json_is d2 VI_3 'd["master_adver_int"]' 0.1
check "IPv6: d2 knows d1's link-local address as master" \
	json_is d2 VI_6 'd["master_addr"].startswith("fe80::")' True
check "unicast: d2 receives d1's unicast adverts" \
	json_is d2 VI_U 's["advert_rcvd"] > 0 and d["master_addr"] == "10.77.0.11"' True
check "PASS mismatch is counted as an authentication failure" \
	json_is d2 VI_P 's["auth_failure"] > 0 and s["advert_rcvd"] == 0' True
check "JSON dump is valid JSON with one object per instance" \
	eval '[ "$(json_count d2)" = 5 ]'
check "unicast instances sharing a VRID with other peers both run (VI_U2 MASTER)" \
	eval 'has_addr d1 $VU2 && has_addr d2 $VU2'

# kill -9 of d1: v3 takes over after 3 x 100 ms + skew, the others after ~3.6 s
t=$(now_ms)
ka_kill9 d1
check "v3: d2 takes over within 1.5 s of d1 dying (learned interval)" \
	wait_for 1500 has_addr d2 $V3
note "v3 takeover: $(elapsed_ms "$t") ms"
check "IPv6: d2 takes over" wait_for 6000 has_addr d2 $V6
check "unicast: d2 takes over" wait_for 6000 has_addr d2 $VU
check "client's neighbour entry for the IPv6 VIP moves to d2 (unsolicited NA)" \
	wait_for 3000 neigh_is c $V6 "$(mac_of d2)"

# d1 restarts: it cleans its leftovers and preempts everything back
conf d1 150 0.1 10.77.0.11 10.77.0.12 secret1
ka_start d1
check "after restart d1 is MASTER again of v3, IPv6 and unicast" \
	wait_for 10000 eval 'only_on $V3 d1 d2 && only_on $V6 d1 d2 && only_on $VU d1 d2'
json_dump d1
check "the shared unicast VRID: d2's adverts reached VI_U, not VI_U2" \
	json_is d1 VI_U 's["advert_rcvd"] > 0' True
check "... and VI_U2 received none" json_is d1 VI_U2 's["advert_rcvd"]' 0
ka_stop d1
ka_stop d2
check "no VIP left on either director" \
	eval 'none_of d1 $V3 $V6 $VU $VU2 $VP && none_of d2 $V3 $V6 $VU $VU2 $VP'
finish
