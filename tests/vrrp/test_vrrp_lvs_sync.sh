#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_lvs_sync.sh - lvs_sync_daemon on a kernel without IPVS: one clear error, VRRP unaffected
#
# d1 (150) and d2 (100) follow VI_1 with lvs_sync_daemon. This kernel has
# no IPVS, so each VRRP child must say so once and go on electing, failing
# over and reloading as usual. (tests/vm/test_lvs_sync_vm.sh checks the
# daemons themselves against a real IPVS kernel.) Needs root and iproute2.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

[ -e /proc/net/ip_vs ] && skip "this kernel has IPVS: see tests/vm/test_lvs_sync_vm.sh"

VIP=10.77.0.200
ERR="lvs_sync_daemon: the kernel has no IPVS"

conf() { # conf NODE PRIORITY ID
	write_conf "$1" <<EOF2
global_defs {
	lvs_sync_daemon eth0 VI_1 id $3
}
vrrp_instance VI_1 {
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 1
	virtual_ipaddress {
		$VIP/24
	}
}
EOF2
}

topo_create 2
conf d1 150 5
conf d2 100 5
ka_start d1
ka_start d2
check "d1 becomes MASTER" wait_for 6000 state_is d1 VI_1 MASTER
check "d2 stays BACKUP" state_is d2 VI_1 BACKUP
check "d1 holds the VIP" only_on $VIP d1 d2
check "d1 logged the missing IPVS once" eval '[ "$(log_count d1 "$ERR")" = 1 ]'
check "d2 logged the missing IPVS once" eval '[ "$(log_count d2 "$ERR")" = 1 ]'

ka_stop d1
check "d2 takes over when d1 stops" wait_for 6000 state_is d2 VI_1 MASTER
check "d2 holds the VIP" wait_for 2000 has_addr d2 $VIP
check "still one error on d2 after its state changes" \
	eval '[ "$(log_count d2 "$ERR")" = 1 ]'

conf d2 100 6
ka_signal d2 HUP
check "d2 reloaded" wait_for 3000 log_has d2 "configuration reloaded"
check "the reload did not repeat the error" eval '[ "$(log_count d2 "$ERR")" = 1 ]'
check "d2 still MASTER after the reload" holds 1500 state_is d2 VI_1 MASTER
check "d2's VRRP child survived" alive "$(vrrp_pid_of d2)"
finish
