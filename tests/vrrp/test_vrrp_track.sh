#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_track.sh - tracking scripts, files and interfaces; notify scripts
#
# d1 (150) tracks something in each of four instances, d2 (100) tracks nothing:
#   VI_S  vrrp_script, weight 0: failure means FAULT
#   VI_W  vrrp_script, weight -60: failure lowers d1 to 90, d2 preempts
#   VI_I  track_interface trk0 (a veth inside d1, unweighted): down means FAULT
#   VI_F  track_file, weight -1: the value 70 lowers d1 to 80
# All four fail at once, then recover at once. Notify scripts log their
# arguments. Needs root and iproute2.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

VS=10.77.0.220
VW=10.77.0.221
VI=10.77.0.222
VF=10.77.0.223

conf() { # conf NODE PRIORITY TRACKING(yes|no)
	local d="$TMP/$1" ts="" tw="" ti="" tf=""
	if [ "$3" = yes ]; then
		ts="track_script { chk_s }"
		tw="track_script { chk_w }"
		ti="track_interface { trk0 }"
		tf="track_file { tf_f weight -1 }"
	fi
	write_conf "$1" <<EOF
vrrp_script chk_s {
	script "/usr/bin/test ! -e $d/fail_s"
	interval 1
}
vrrp_script chk_w {
	script "/usr/bin/test ! -e $d/fail_w"
	interval 1
	weight -60
}
track_file tf_f {
	file $d/tf
	weight 1
}
vrrp_instance VI_S {
	interface eth0
	virtual_router_id 71
	priority $2
	advert_int 1
	$ts
	notify $d/notify.sh
	notify_master "$d/notify.sh master-script"
	virtual_ipaddress {
		$VS/24
	}
}
vrrp_instance VI_W {
	interface eth0
	virtual_router_id 72
	priority $2
	advert_int 1
	$tw
	virtual_ipaddress {
		$VW/24
	}
}
vrrp_instance VI_I {
	interface eth0
	virtual_router_id 73
	priority $2
	advert_int 1
	$ti
	virtual_ipaddress {
		$VI/24
	}
}
vrrp_instance VI_F {
	interface eth0
	virtual_router_id 74
	priority $2
	advert_int 1
	$tf
	virtual_ipaddress {
		$VF/24
	}
}
EOF
	printf '#!/bin/sh\necho "$*" >> %s/notify.log\n' "$d" >"$d/notify.sh"
	chmod 755 "$d/notify.sh"
	echo 0 >"$d/tf"
}

# the arguments of the notify calls NODE saw for INSTANCE, one line
notified() { grep " $2 " "$TMP/$1/notify.log" 2>/dev/null | awk '{ print $3 }' | tr '\n' ' '; }

topo_create 2
ip -n "$(ns_of d1)" link add trk0 type veth peer name trk1
ip -n "$(ns_of d1)" link set trk1 up
ip -n "$(ns_of d1)" link set trk0 up
conf d1 150 yes
conf d2 100 no
ka_start d1
ka_start d2

all_on() { local a; for a in $VS $VW $VI $VF; do only_on $a "$1" d1 d2 || return 1; done; }
check "d1 is MASTER of all four instances" wait_for 10000 all_on d1
check "notify script called with INSTANCE VI_S MASTER 150" \
	wait_for 3000 grep -q "^INSTANCE VI_S MASTER 150$" "$TMP/d1/notify.log"
check "notify_master script called" wait_for 3000 grep -qx "master-script" "$TMP/d1/notify.log"

# ---- everything fails ---------------------------------------------------------
t=$(now_ms)
touch "$TMP/d1/fail_s" "$TMP/d1/fail_w"
echo 70 >"$TMP/d1/tf"
ip -n "$(ns_of d1)" link set trk0 down
check "script failure (weight 0): d1 enters FAULT" wait_for 4000 state_is d1 VI_S FAULT
check "... and d2 takes over" wait_for 3000 only_on $VS d2 d1
note "script fault takeover: $(elapsed_ms "$t") ms"
check "track_interface down: d1 enters FAULT" wait_for 2000 state_is d1 VI_I FAULT
check "... and d2 takes over" wait_for 3000 only_on $VI d2 d1
check "script failure (weight -60): d1's priority drops to 90" \
	wait_for 4000 log_has d1 "(VI_W) Changing effective priority from 150 to 90"
check "track_file 70 x -1: d1's priority drops to 80" \
	wait_for 4000 log_has d1 "(VI_F) Changing effective priority from 150 to 80"
check "d2 (100) preempts the weakened d1 for VI_W" wait_for 8000 only_on $VW d2 d1
check "d2 preempts d1 for VI_F" wait_for 8000 only_on $VF d2 d1
check "weighted failures do not mean FAULT: d1 is BACKUP in VI_W" state_is d1 VI_W BACKUP
check "notify script called with INSTANCE VI_S FAULT" \
	wait_for 3000 grep -q "^INSTANCE VI_S FAULT " "$TMP/d1/notify.log"
check "d2's notify script says MASTER 100" \
	wait_for 3000 grep -q "^INSTANCE VI_S MASTER 100$" "$TMP/d2/notify.log"

# ---- everything recovers --------------------------------------------------------
rm -f "$TMP/d1/fail_s" "$TMP/d1/fail_w"
echo 0 >"$TMP/d1/tf"
ip -n "$(ns_of d1)" link set trk0 up
check "all four instances come back to d1" wait_for 12000 all_on d1
check "d1's priority in VI_W is back to 150" \
	log_has d1 "(VI_W) Changing effective priority from 90 to 150"
check "VI_S notify order on d1: BACKUP MASTER FAULT BACKUP MASTER" \
	wait_for 3000 eval '[ "$(notified d1 VI_S)" = "BACKUP MASTER FAULT BACKUP MASTER " ]'

ka_stop d1
check "notify script called with STOP at shutdown" \
	wait_for 2000 grep -q "^INSTANCE VI_S STOP " "$TMP/d1/notify.log"
ka_stop d2
finish
