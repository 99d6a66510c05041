#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_extras.sh - promote_secondaries, -X, track_src_ip, interface_up_down_delays,
# linkbeat polling, track_group, garp_group and timer_expired_backup
#
# d1 (150, or 200 in VI_T/VI_U) and d2 (100) run one instance per feature:
#   VI_P  promote_secondaries on eth0; a weight -100 script hands it to d2
#   VI_S  mcast_src_ip 10.77.2.11 with track_src_ip
#   VI_D  tracks dl0 (a veth in d1) with interface_up_down_delays { dl0 2 }
#   VI_L  tracks lb0 (a veth in d1), polled: linkbeat_interfaces { lb0 ETHTOOL }
#   VI_G  member of track_group TG, named by d1's static address 10.77.3.11
#   VI_X  d1 started with -X; a reload lowers d1 to 50
#   VI_T  nopreempt on both, d1 with timer_expired_backup 100; VI_U the same
#         without it (control): d1's VRRP process is frozen until d2 is master
# d3 alone runs VI_A and VI_B with garp_group { garp_interval 0.5 interface eth0 };
# the client counts their gratuitous ARPs. Needs root, iproute2 and tcpdump.
# shellcheck disable=SC1091,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"
command -v tcpdump >/dev/null || skip "needs tcpdump"

VP=10.78.0.1
VP_SEC=10.78.0.50
SRC=10.77.2.11
VS=10.77.0.192
VD=10.77.0.193
VL=10.77.0.194
VG=10.77.0.195
SG=10.77.3.11
VT=10.77.0.196
VU=10.77.0.197
VX=10.77.0.199
VA=10.77.0.210
VB=10.77.0.211

inst() { # inst NAME VRID PRIORITY VIP EXTRA...
	local name=$1 vrid=$2 prio=$3 vip=$4
	shift 4
	cat <<EOF
vrrp_instance $name {
	interface eth0
	virtual_router_id $vrid
	priority $prio
	advert_int 1
	$*
	virtual_ipaddress {
		$vip
	}
}
EOF
}

conf() { # conf NODE [reloaded]
	local d="$TMP/$1" p=100 pt=100 px=100 tp="" ts="" td="" tl="" teb="" head=""
	if [ "$1" = d1 ]; then
		p=150
		pt=200
		px=150
		[ "${2:-}" = reloaded ] && px=50
		tp="promote_secondaries
	track_script { chk_p }"
		ts="mcast_src_ip $SRC
	track_src_ip"
		td="track_interface { dl0 }"
		tl="track_interface { lb0 }"
		teb="timer_expired_backup 100"
		head="interface_up_down_delays {
	dl0 2
}
linkbeat_interfaces {
	lb0 ETHTOOL
}
track_group TG {
	group {
		VI_G
	}
}
static_ipaddress {
	$SG/24 dev eth0 track_group TG
}"
	fi
	{
		echo "$head"
		cat <<EOF
vrrp_script chk_p {
	script "/usr/bin/test ! -e $d/fail_p"
	interval 1
	weight -100
}
EOF
		inst VI_P 91 $p "$VP/24" "$tp"
		inst VI_S 92 $p "$VS/24" "$ts"
		inst VI_D 93 $p "$VD/24" "$td"
		inst VI_L 94 $p "$VL/24" "$tl"
		inst VI_G 95 $p "$VG/24"
		inst VI_T 96 $pt "$VT/24" "nopreempt
	$teb"
		inst VI_U 97 $pt "$VU/24" nopreempt
		inst VI_X 98 $px "$VX/24"
	} | write_conf "$1"
}

conf_d3() {
	{
		cat <<EOF
garp_group {
	garp_interval 0.5
	interface eth0
}
EOF
		inst VI_A 101 100 "$VA/24" "garp_master_repeat 3
	garp_master_delay 0"
		inst VI_B 102 100 "$VB/24" "garp_master_repeat 3
	garp_master_delay 0"
	} | write_conf d3
}

sysctl_promote() {
	ip netns exec "$(ns_of "$1")" cat /proc/sys/net/ipv4/conf/eth0/promote_secondaries
}
promote_is() { [ "$(sysctl_promote "$1")" = "$2" ]; }
d1_ip() { ip -n "$(ns_of d1)" "$@"; }

topo_create 3
# d3 takes part only later
ip -n "$(ns_of d3)" link set eth0 down

# ---- the kernel behaviour promote_secondaries is about ------------------------------
C=$(ns_of c)
ip netns exec "$C" sysctl -qw net.ipv4.conf.eth0.promote_secondaries=0
ip -n "$C" addr add 10.79.0.1/24 dev eth0
ip -n "$C" addr add 10.79.0.2/24 dev eth0
ip -n "$C" addr del 10.79.0.1/24 dev eth0
check "premise: without promote_secondaries, deleting a primary deletes its secondaries" \
	no_addr c 10.79.0.2

d1_ip link add dl0 type veth peer name dl1
d1_ip link add lb0 type veth peer name lb1
for l in dl0 dl1 lb0 lb1; do d1_ip link set "$l" up; done
d1_ip addr add $SRC/24 dev eth0
ip netns exec "$(ns_of d1)" sysctl -qw net.ipv4.conf.eth0.promote_secondaries=0

conf d1
conf d2
ka_start d1 -X
ka_start d2

all_d1() {
	local a
	for a in $VP $VS $VD $VL $VG $VT $VU $VX; do
		only_on "$a" d1 d2 || return 1
	done
}
check "d1 is MASTER of all instances" wait_for 12000 all_d1
check "linkbeat: lb0 polled with ETHTOOL" log_has d1 "linkbeat: polling lb0 with ETHTOOL"
check "static address with track_group installed" has_addr d1 $SG eth0

# ---- promote_secondaries ----------------------------------------------------------------
check "promote_secondaries: sysctl is 1 on d1's eth0 while running" promote_is d1 1
check "promote_secondaries: d2's eth0 untouched (0)" promote_is d2 0
d1_ip addr add $VP_SEC/24 dev eth0
touch "$TMP/d1/fail_p"
check "promote_secondaries: d2 takes VI_P over" wait_for 10000 only_on $VP d2 d1
check "promote_secondaries: the secondary address survived the VIP removal" \
	has_addr d1 $VP_SEC eth0

# ---- track_src_ip ----------------------------------------------------------------------------
d1_ip addr del $SRC/24 dev eth0
check "track_src_ip: source address removed, d1 enters FAULT" wait_for 3000 state_is d1 VI_S FAULT
check "track_src_ip: the reason is logged" log_has d1 "(VI_S) source address removed (track_src_ip)"
check "track_src_ip: d2 takes over" wait_for 5000 only_on $VS d2 d1
check "track_src_ip: other instances unaffected" state_is d1 VI_D MASTER
d1_ip addr add $SRC/24 dev eth0
check "track_src_ip: address back, d1 leaves FAULT" wait_for 3000 eval '! state_is d1 VI_S FAULT'
check "track_src_ip: d1 preempts again" wait_for 8000 only_on $VS d1 d2

# ---- interface_up_down_delays ---------------------------------------------------------------
d1_ip link set dl1 down
sleep 0.5 # the outage itself: much shorter than the 2 s delay
d1_ip link set dl1 up
check "up_down_delays: a 0.5 s outage is noticed" \
	wait_for 2000 log_has d1 "interface dl0: down, waiting 2.0 s"
check "up_down_delays: ... and forgiven" \
	wait_for 2000 log_has d1 "interface dl0: back up within its delay"
check "up_down_delays: VI_D stays MASTER" holds 2500 state_is d1 VI_D MASTER
t=$(now_ms)
d1_ip link set dl1 down
check "up_down_delays: a lasting outage gives FAULT" wait_for 6000 state_is d1 VI_D FAULT
el=$(elapsed_ms "$t")
note "FAULT after $el ms"
check "up_down_delays: ... not before the 2 s delay ($el ms)" test "$el" -ge 1900
d1_ip link set dl1 up
check "up_down_delays: link up (no up delay), d1 leaves FAULT" \
	wait_for 2000 eval '! state_is d1 VI_D FAULT'
check "up_down_delays: d1 is MASTER of VI_D again" wait_for 8000 only_on $VD d1 d2

# ---- linkbeat --------------------------------------------------------------------------------
d1_ip link set lb1 down
check "linkbeat: lb0 seen down by polling" \
	wait_for 4000 log_has d1 "linkbeat: lb0 link down (ETHTOOL)"
check "linkbeat: VI_L enters FAULT" wait_for 2000 state_is d1 VI_L FAULT
check "linkbeat: d2 takes VI_L over" wait_for 5000 only_on $VL d2 d1
d1_ip link set lb1 up
check "linkbeat: lb0 seen up by polling" wait_for 4000 log_has d1 "linkbeat: lb0 link up (ETHTOOL)"
check "linkbeat: d1 is MASTER of VI_L again" wait_for 8000 only_on $VL d1 d2

# ---- track_group -----------------------------------------------------------------------------
d1_ip addr del $SG/24 dev eth0
check "track_group: static address deleted, VI_G enters FAULT" wait_for 3000 state_is d1 VI_G FAULT
check "track_group: d2 takes VI_G over" wait_for 5000 only_on $VG d2 d1
check "track_group: instances outside the group unaffected" state_is d1 VI_S MASTER
d1_ip addr add $SG/24 dev eth0
check "track_group: address restored by the operator, VI_G leaves FAULT" \
	wait_for 3000 eval '! state_is d1 VI_G FAULT'
check "track_group: d1 is MASTER of VI_G again" wait_for 8000 only_on $VG d1 d2
d1_ip addr del $SG/24 dev eth0
check "track_group: deleted again, FAULT again" wait_for 3000 state_is d1 VI_G FAULT

# ---- reload: track_group statics reinstalled; -X and a lowered priority ---------------------
conf d1 reloaded
ka_signal d1 HUP
check "reload reinstalls the tracked static address" wait_for 3000 has_addr d1 $SG eth0
check "track_group: ... and VI_G leaves FAULT" wait_for 3000 eval '! state_is d1 VI_G FAULT'
check "-X: d2 preempts d1 lowered to 50 by the reload" wait_for 8000 only_on $VX d2 d1
check "-X: d1 removed the VIP on leaving MASTER" no_addr d1 $VX

# ---- garp_group --------------------------------------------------------------------------------
conf_d3
ip -n "$(ns_of d3)" link set eth0 up
ip netns exec "$C" tcpdump -i eth0 -n -tt -l -U "arp and ether src $(mac_of d3)" \
	>"$TMP/garp.txt" 2>"$TMP/tcpdump.err" &
TD=$!
STARTED+=("$TD")
wait_for 5000 grep -q "listening on" "$TMP/tcpdump.err"
ka_start d3
garps() { grep -cE "who-has ($VA|$VB) .*tell ($VA|$VB)" "$TMP/garp.txt" 2>/dev/null; }
six_garps() { [ "$(garps)" -ge 6 ]; }
check "garp_group: 6 gratuitous ARPs from d3's two instances" wait_for 15000 six_garps
min_gap() {
	grep -E "who-has ($VA|$VB) .*tell ($VA|$VB)" "$TMP/garp.txt" | awk '
		{ if (NR > 1 && (m == "" || $1 - p < m)) m = $1 - p; p = $1 }
		END { printf "%d\n", m * 1000 }'
}
gap=$(min_gap)
note "smallest gap between d3's GARPs: $gap ms"
check "garp_group: GARPs of both instances at least 0.5 s apart ($gap ms)" test "$gap" -ge 450
kill "$TD" 2>/dev/null
ka_stop d3

# ---- timer_expired_backup ----------------------------------------------------------------------
check "VI_T and VI_U on d1 before the freeze" eval "only_on $VT d1 d2 && only_on $VU d1 d2"
V1=$(vrrp_pid_of d1)
kill -STOP "$V1"
check "d1 frozen: d2 becomes MASTER of VI_T" wait_for 8000 state_is d2 VI_T MASTER
check "... and of VI_U" wait_for 3000 state_is d2 VI_U MASTER
kill -CONT "$V1"
check "timer_expired_backup: d1 reverts to BACKUP in VI_T" \
	wait_for 3000 log_has d1 "(VI_T) .* ms since its timer was set: .*, reverting to BACKUP"
check "timer_expired_backup: d2 stays MASTER of VI_T" holds 3000 only_on $VT d2 d1
check "control (VI_U, no timer_expired_backup): d1 takes the VIP back" \
	wait_for 5000 only_on $VU d1 d2

# ---- stop: the sysctl is restored ----------------------------------------------------------------
ka_stop d1
check "promote_secondaries: sysctl restored to 0 at exit" promote_is d1 0
ka_stop d2
finish
