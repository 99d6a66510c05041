#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_misc.sh - reload without VIP flap, instance removed by reload, external
# deletion of a VIP, virtual routes and rules, sync group
#
# d1 (150) and d2 (100) run:
#   G1 = { VI_A, VI_B }  sync group; d1's VI_A tracks a script (weight 0)
#   VI_R  VIP 10.77.0.240 with a virtual route and a virtual rule; the reload
#         adds 10.77.0.241 as an excluded VIP (not advertised, so d2 that is
#         not reloaded still agrees on the advertised list)
#   VI_X  removed from d1's configuration by a reload
# Needs root and iproute2.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

VA=10.77.0.230
VB=10.77.0.231
VR=10.77.0.240
VR2=10.77.0.241
VX=10.77.0.250
ROUTE=10.99.0.0/24
SADDR=10.77.1.1
SROUTE=10.98.0.0/24

conf() { # conf NODE PRIORITY [reloaded]
	local d="$TMP/$1" track="" extra_vip="" vix=yes static=""
	if [ "$1" = d1 ]; then
		track="track_script { chk_a }"
		static="static_ipaddress {
	$SADDR/24 dev eth0
}
static_routes {
	$SROUTE via 10.77.0.1 dev eth0
}"
	fi
	if [ "${3:-}" = reloaded ]; then
		extra_vip="$VR2/24"
		vix=
	fi
	write_conf "$1" <<EOF
$static
vrrp_script chk_a {
	script "/usr/bin/test ! -e $d/fail_a"
	interval 1
}
vrrp_sync_group G1 {
	group {
		VI_A
		VI_B
	}
	notify $d/notify.sh
}
vrrp_instance VI_A {
	interface eth0
	virtual_router_id 81
	priority $2
	advert_int 1
	$track
	virtual_ipaddress {
		$VA/24
	}
}
vrrp_instance VI_B {
	interface eth0
	virtual_router_id 82
	priority $2
	advert_int 1
	virtual_ipaddress {
		$VB/24
	}
}
vrrp_instance VI_R {
	interface eth0
	virtual_router_id 83
	priority $2
	advert_int 1
	notify $d/notify.sh
	virtual_ipaddress {
		$VR/24
	}
	virtual_ipaddress_excluded {
		$extra_vip
	}
	virtual_routes {
		$ROUTE via 10.77.0.1 dev eth0
	}
	virtual_rules {
		from $VR table 100 priority 1000
	}
}
EOF
	if [ -n "$vix" ]; then
		cat >>"$d/keepalived.conf" <<EOF
vrrp_instance VI_X {
	interface eth0
	virtual_router_id 84
	priority $2
	advert_int 1
	notify $d/notify.sh
	notify_deleted
	virtual_ipaddress {
		$VX/24
	}
}
EOF
	fi
	printf '#!/bin/sh\necho "$*" >> %s/notify.log\n' "$d" >"$d/notify.sh"
	chmod 755 "$d/notify.sh"
}

has_route() { [ -n "$(ip -n "$(ns_of "$1")" route show $ROUTE 2>/dev/null)" ]; }
has_rule() { [[ $(ip -n "$(ns_of "$1")" rule show 2>/dev/null) == *"from $VR lookup 100"* ]]; }
no_route() { ! has_route "$1"; }
no_rule() { ! has_rule "$1"; }

topo_create 2
conf d1 150
conf d2 100
ka_start d1
ka_start d2

has_sroute() { [ -n "$(ip -n "$(ns_of "$1")" route show $SROUTE 2>/dev/null)" ]; }
check "static address and route are installed at start" \
	wait_for 2000 eval 'has_addr d1 $SADDR && has_sroute d1'

all_on() { local a; for a in $VA $VB $VR $VX; do only_on $a "$1" d1 d2 || return 1; done; }
check "d1 is MASTER of every instance" wait_for 10000 all_on d1
check "virtual route installed on the master only" \
	wait_for 2000 eval 'has_route d1 && no_route d2'
check "virtual rule installed on the master only" eval 'has_rule d1 && no_rule d2'
check "sync group notify: GROUP G1 MASTER 0 on d1" \
	wait_for 3000 grep -qx "GROUP G1 MASTER 0" "$TMP/d1/notify.log"

# ---- reload: no flap, instance removed -------------------------------------------
ip -n "$(ns_of d1)" monitor address >"$TMP/d1/monitor.log" 2>&1 &
mon=$!
STARTED+=("$mon")
sleep 0.3 # let the monitor subscribe before the reload (not an assertion)
masters_before=$(log_count d1 "Entering MASTER STATE")
reloads=$(log_count d1 "configuration reloaded")
conf d1 150 reloaded
ka_signal d1 HUP
check "d1 reloads its configuration" \
	wait_for 5000 log_count_ge d1 "configuration reloaded" $((reloads + 1))
check "the new VIP of VI_R appears on d1" wait_for 3000 has_addr d1 $VR2
check "the removed instance's VIP leaves d1" wait_for 3000 no_addr d1 $VX
check "d2 takes the removed instance's VIP over" wait_for 6000 has_addr d2 $VX
check "notify DELETED for the removed instance" \
	wait_for 3000 grep -q "^INSTANCE VI_X DELETED" "$TMP/d1/notify.log"
sleep 0.3 # let late netlink events reach the monitor (not an assertion)
kill "$mon"
wait "$mon" 2>/dev/null
check "no address of a kept instance was deleted during the reload (ip monitor)" \
	eval '! grep -E "Deleted.*($VA|$VB|$VR)/" "$TMP/d1/monitor.log"'
check "the monitor saw the new VIP being added" grep -q "$VR2/" "$TMP/d1/monitor.log"
check "no state change on d1 during the reload" \
	eval '[ "$(log_count d1 "Entering MASTER STATE")" = "$masters_before" ] &&
		! grep -q "Entering BACKUP STATE" <(sed -n "/VRRP reloading/,\$p" "$(vlog_of d1)")'
check "route and rule untouched" eval 'has_route d1 && has_rule d1'
check "static address and route kept across the reload" \
	eval 'has_addr d1 $SADDR && has_sroute d1 && ! grep -q "Deleted.*$SADDR/" "$TMP/d1/monitor.log"'

# ---- external deletion of a VIP ---------------------------------------------------
ip -n "$(ns_of d1)" addr del $VR/24 dev eth0
check "external deletion of a VIP makes d1 leave MASTER" \
	wait_for 3000 log_has d1 "(VI_R) virtual address $VR/24 was removed, leaving MASTER"
check "the election gives VI_R back to d1 with both VIPs" \
	wait_for 10000 eval 'only_on $VR d1 d2 && only_on $VR2 d1 d2 && state_is d1 VI_R MASTER'
check "route and rule are back on d1 only" \
	wait_for 2000 eval 'has_route d1 && has_rule d1 && no_route d2 && no_rule d2'

# ---- sync group ------------------------------------------------------------------
syncs=$(log_count d1 "VRRP_Group(G1) Syncing instances to MASTER state")
touch "$TMP/d1/fail_a"
check "VI_A's script fails: VI_A enters FAULT on d1" wait_for 4000 state_is d1 VI_A FAULT
check "its sync group partner VI_B follows into FAULT" wait_for 2000 state_is d1 VI_B FAULT
check "d2 takes over both members" \
	wait_for 4000 eval 'only_on $VA d2 d1 && only_on $VB d2 d1'
check "group notify: FAULT on d1, MASTER on d2" \
	wait_for 3000 eval 'grep -qx "GROUP G1 FAULT 0" "$TMP/d1/notify.log" &&
		grep -qx "GROUP G1 MASTER 0" "$TMP/d2/notify.log"'
check "VI_R is not in the group and stays on d1" only_on $VR d1 d2
rm -f "$TMP/d1/fail_a"
check "fault cleared: both members come back to d1" \
	wait_for 10000 eval 'only_on $VA d1 d2 && only_on $VB d1 d2'
check "they came back as a group" \
	wait_for 2000 log_count_ge d1 "VRRP_Group(G1) Syncing instances to MASTER state" \
	$((syncs + 1))

# ---- routes and rules move with the master -----------------------------------------
ka_stop d1
check "after d1 stops, route and rule move to d2" \
	wait_for 3000 eval 'has_route d2 && has_rule d2 && no_route d1 && no_rule d1'
check "d1 removed its static address and route at stop" \
	eval '! has_addr d1 $SADDR && ! has_sroute d1'
check "d1 left no VIP behind" \
	none_of d1 $VA $VB $VR $VR2 $VX
ka_stop d2
check "d2 removed everything at stop" \
	eval 'no_route d2 && no_rule d2 && no_addr d2 $VA && no_addr d2 $VR'
finish
