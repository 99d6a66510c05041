#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_vrf.sh - `vrf` of an instance and of a virtual route when the VRF is missing
#
# Runs on any kernel, with or without VRF support (the VRF scenarios
# themselves are in tests/vm/test_vrf_vm.sh). d1 runs
#   U  unicast, no interface, `vrf blue`: while blue does not exist, or is
#      no VRF (a veth), U is in FAULT with a log line saying why; when the
#      kernel has VRFs, creating blue as one brings U out of FAULT
#   R  on eth0, master alone, a virtual route `vrf blue`: the failed route is
#      logged, the VIP is still set
# and must neither crash nor leave sanitizer reports.
# Needs root and iproute2.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

topo_create 2
NS=$(ns_of d1)

write_conf d1 <<EOF
vrrp_instance U {
	vrf blue
	virtual_router_id 91
	priority 150
	advert_int 1
	unicast_src_ip 10.77.0.11
	unicast_peer {
		10.77.0.12
	}
	virtual_ipaddress {
		10.77.0.91/24 dev eth0
	}
}
vrrp_instance R {
	interface eth0
	virtual_router_id 92
	priority 150
	advert_int 1
	virtual_ipaddress {
		10.77.0.92/24
	}
	virtual_routes {
		10.92.0.0/24 via 10.77.0.1 dev eth0 vrf blue
	}
}
EOF

in_log() { grep -q -- "$1" "$(vlog_of d1)"; }
state_is() { json_dump d1 && json_is d1 "$1" "d['state_name']" "$2"; }

check "configuration with vrf is accepted" "$KA" -t -f "$(conf_of d1)"
ka_start d1
check "missing VRF: log line names it" wait_for 5000 in_log "(U) vrf blue does not exist"
check "missing VRF: U is in FAULT" wait_for 3000 state_is U FAULT
check "R becomes MASTER" wait_for 6000 state_is R MASTER
check "R's VIP is set" has_addr d1 10.77.0.92
check "R's route in a missing VRF is logged" wait_for 3000 in_log "vrf blue: blue does not exist"

ip -n "$NS" link add blue type veth peer name blue-p
ip -n "$NS" link set blue up
check "a veth named blue: log line says it is no VRF" \
	wait_for 5000 in_log "(U) vrf blue is not a VRF device"
check "and U stays in FAULT" state_is U FAULT
ip -n "$NS" link del blue

if ip -n "$NS" link add blue type vrf table 10 2>/dev/null; then
	ip -n "$NS" link set blue up
	check "with the VRF created, U leaves FAULT" wait_for 5000 eval \
		"state_is U BACKUP || state_is U MASTER"
	check "and says so" in_log "(U) vrf blue is back"
else
	note "this kernel has no VRF support: FAULT recovery is checked in the VM test"
fi
check "the daemon is still running" alive "$(vrrp_pid_of d1)"
finish
