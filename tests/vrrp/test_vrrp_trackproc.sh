#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_trackproc.sh - vrrp_track_process: failover on a missing process, delays, reload
#
# d1 (150) tracks processes in four instances, d2 (100) tracks nothing:
#   VI_Z  p_z by name, weight 0: the process gone means FAULT
#   VI_W  p_w by full path and argument, weight -60: gone lowers d1 to 90
#   VI_D  p_d by name, weight 0, terminate_delay 3: a restart within the
#         delay goes unnoticed, a real loss takes 3 s
#   VI_F  p_f, quorum_max 1, fork_delay 2: a shell that keeps forking
#         children (which exec something else) must not count twice;
#         p_nf, the same without fork_delay, shows the forks are seen
#   sync group G (VI_G1, VI_G2) tracks p_z itself: both members go FAULT
# The tracked programs are copies of sleep and sh with unique names, so we
# only ever signal our own processes. The scenario runs twice: with the
# daemon entering its namespace itself (--namespace: process events through
# the proc connector, opened in the initial namespace), then started by
# "ip netns exec" (no connector there: /proc is scanned every second).
# Needs root and iproute2.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

VZ=10.77.0.230
VW=10.77.0.231
VD=10.77.0.232
VF=10.77.0.233
VG1=10.77.0.234
VG2=10.77.0.235
PZ="$TMP/kpz-$$"
PW="$TMP/kpw-$$"
PD="$TMP/kpd-$$"
PF="$TMP/kpf-$$"
cp /bin/sleep "$PZ"
cp /bin/sleep "$PW"
cp /bin/sleep "$PD"
cp /bin/sh "$PF"
PROCS=()     # pids of the tracked processes we run

# run_proc VAR PROGRAM ARGS...: start PROGRAM in the background, pid into VAR
run_proc() {
	local var=$1
	shift
	"$@" >/dev/null 2>&1 &
	local pid=$!
	disown "$pid"
	PROCS+=("$pid")
	STARTED+=("$pid")
	printf -v "$var" '%s' "$pid"
}
stop_proc() { kill -KILL "$1" 2>/dev/null; wait_for 2000 eval "! alive $1"; }

conf() { # conf NODE PRIORITY TRACKING(yes|no)
	local tz="" tw="" td="" tf="" tg=""
	if [ "$3" = yes ]; then
		tz="track_process { p_z }"
		tg="track_process { p_z }"
		tw="track_process { p_w }"
		td="track_process { p_d }"
		tf="track_process { p_f
		p_nf weight -1 }"
	fi
	write_conf "$1" <<EOF
vrrp_track_process p_z {
	process $(basename "$PZ")
}
vrrp_track_process p_w {
	process "$PW" 1000000
	weight -60
}
vrrp_track_process p_d {
	process $(basename "$PD")
	terminate_delay 3
}
vrrp_track_process p_f {
	process $(basename "$PF")
	quorum_max 1
	fork_delay 2
}
vrrp_track_process p_nf {
	process $(basename "$PF")
	quorum_max 1
}
vrrp_instance VI_Z {
	interface eth0
	virtual_router_id 81
	priority $2
	advert_int 1
	$tz
	virtual_ipaddress {
		$VZ/24
	}
}
vrrp_instance VI_W {
	interface eth0
	virtual_router_id 82
	priority $2
	advert_int 1
	$tw
	virtual_ipaddress {
		$VW/24
	}
}
vrrp_instance VI_D {
	interface eth0
	virtual_router_id 83
	priority $2
	advert_int 1
	$td
	virtual_ipaddress {
		$VD/24
	}
}
vrrp_instance VI_F {
	interface eth0
	virtual_router_id 84
	priority $2
	advert_int 1
	$tf
	virtual_ipaddress {
		$VF/24
	}
}
vrrp_sync_group G {
	group {
		VI_G1 VI_G2
	}
	$tg
}
vrrp_instance VI_G1 {
	interface eth0
	virtual_router_id 85
	priority $2
	advert_int 1
	virtual_ipaddress {
		$VG1/24
	}
}
vrrp_instance VI_G2 {
	interface eth0
	virtual_router_id 86
	priority $2
	advert_int 1
	virtual_ipaddress {
		$VG2/24
	}
}
EOF
}

# ka_start_inside NODE: like ka_start, but started inside the namespace by
# "ip netns exec" (no --namespace): the daemon never sees the initial one
ka_start_inside() {
	local node=$1 d="$TMP/$1"
	node_spawn "$node" "$d/console.log" \
		ip netns exec "$(ns_of "$node")" "$KA" -n -l -G -P -D --log-file="$d/ka.log" \
		-p "$d/ka.pid" -r "$d/vrrp.pid" -c "$d/check.pid" -f "$(conf_of "$node")"
}

all_on() {
	local a
	for a in $VZ $VW $VD $VF $VG1 $VG2; do only_on $a "$1" d1 d2 || return 1; done
}
group_fault() { state_is d1 VI_G1 FAULT && state_is d1 VI_G2 FAULT; }
lost_count() { log_count d1 "Track_Process($1) quorum lost"; }

# scenario MODE: MODE is "events" (--namespace) or "scan" (ip netns exec)
scenario() {
	local mode=$1 pz pw pd pf t lost
	note "---- $mode ----"
	run_proc pz "$PZ" 1000000
	run_proc pw "$PW" 1000000
	run_proc pd "$PD" 1000000
	# a shell forking a child every 0.3 s; the child runs sleep
	run_proc pf "$PF" -c 'while :; do sleep 0.3; done'
	if [ "$mode" = events ]; then
		ka_start d1
		ka_start d2
		check "$mode: process events come through the connector of the start namespace" \
			wait_for 3000 log_has d1 "proc connector, opened in the network namespace"
	else
		ka_start_inside d1
		ka_start_inside d2
		check "$mode: no connector in the namespace: /proc is scanned (logged)" \
			wait_for 3000 log_has d1 "scanning /proc every second instead"
	fi
	check "$mode: d1 is MASTER of all six instances" wait_for 10000 all_on d1
	check "$mode: the initial scan found p_w by full path and argument" \
		log_has d1 "Track_Process(p_w) quorum gained (1 running)"

	# ---- a process dies: FAULT (weight 0) and priority drop (weight -60)
	t=$(now_ms)
	stop_proc "$pz"
	check "$mode: p_z gone: d1 enters FAULT in VI_Z" wait_for 4000 state_is d1 VI_Z FAULT
	check "$mode: ... and d2 takes VI_Z over" wait_for 3000 only_on $VZ d2 d1
	note "$mode: process exit to takeover: $(elapsed_ms "$t") ms"
	check "$mode: sync group G tracking p_z: both members in FAULT" wait_for 3000 group_fault
	check "$mode: ... and d2 holds the group's addresses" \
		wait_for 3000 eval "only_on $VG1 d2 d1 && only_on $VG2 d2 d1"
	stop_proc "$pw"
	check "$mode: p_w gone: d1's priority in VI_W drops to 90" \
		wait_for 4000 log_has d1 "(VI_W) Changing effective priority from 150 to 90"
	check "$mode: d2 (100) preempts d1 for VI_W" wait_for 6000 only_on $VW d2 d1
	check "$mode: a weighted loss is no FAULT: d1 is BACKUP in VI_W" state_is d1 VI_W BACKUP

	# ---- they come back: d1 preempts again
	run_proc pz "$PZ" 1000000
	run_proc pw "$PW" 1000000
	check "$mode: p_z back: VI_Z returns to d1" wait_for 8000 only_on $VZ d1 d2
	check "$mode: ... and so does sync group G" \
		wait_for 8000 eval "only_on $VG1 d1 d2 && only_on $VG2 d1 d2"
	check "$mode: p_w back: VI_W returns to d1" wait_for 8000 only_on $VW d1 d2
	check "$mode: d1's priority in VI_W is 150 again" \
		log_has d1 "(VI_W) Changing effective priority from 90 to 150"

	# ---- a restart within terminate_delay goes unnoticed
	stop_proc "$pd"
	run_proc pd "$PD" 1000000
	check "$mode: p_d restarted within terminate_delay: d1 stays MASTER of VI_D" \
		holds 4000 only_on $VD d1 d2
	check_not "$mode: ... and p_d never lost its quorum" \
		log_has d1 "Track_Process(p_d) quorum lost"
	if [ "$mode" = events ]; then
		check "$mode: ... because the exit was seen and the delay ran" \
			log_has d1 "Track_Process(p_d) back to 1 running within the delay"
	fi
	# ---- a real loss is acted on once the delay is over
	t=$(now_ms)
	stop_proc "$pd"
	check "$mode: p_d gone for good: FAULT in VI_D" wait_for 7000 state_is d1 VI_D FAULT
	lost=$(elapsed_ms "$t")
	note "$mode: p_d exit to FAULT: $lost ms"
	check "$mode: ... not before terminate_delay (3 s): $lost ms" [ "$lost" -ge 2900 ]
	run_proc pd "$PD" 1000000
	check "$mode: p_d back: VI_D returns to d1" wait_for 8000 only_on $VD d1 d2

	# ---- forks of a tracked shell, with and without fork_delay
	if [ "$mode" = events ]; then
		check "$mode: forks are seen: p_nf (no fork_delay, quorum_max 1) loses its quorum" \
			wait_for 3000 log_has d1 "Track_Process(p_nf) quorum lost"
	fi
	check "$mode: p_f (fork_delay 2) never loses its quorum to a fork" \
		eval '[ "$(lost_count p_f)" = 0 ]'
	check "$mode: d1 stays MASTER of VI_F" holds 2000 only_on $VF d1 d2

	# ---- dumps
	check "$mode: SIGUSR1 data dump lists the tracked processes" \
		eval 'data_dump d1 && grep -q "Track process = p_z" "$TMP/d1/data"'
	if [ "$mode" = events ]; then
		check "$mode: the data dump names the monitor" \
			grep -q "Process monitor = proc connector (start namespace)" "$TMP/d1/data"
	else
		check "$mode: the data dump names the monitor" \
			grep -q "Process monitor = scanning /proc" "$TMP/d1/data"
	fi
	check "$mode: JSON dump: p_z is GOOD in VI_Z" \
		eval 'json_dump d1 && json_is d1 VI_Z "d[\"track_process\"][0][\"status\"]" GOOD'
	check "$mode: JSON dump: with one process running" \
		json_is d1 VI_Z 'd["track_process"][0]["running"]' 1

	# ---- reload: trackers keep their state
	lost=$(lost_count p_z)
	ka_signal d1 HUP
	check "$mode: reload done" wait_for 5000 log_has d1 "VRRP reloading"
	check "$mode: after the reload d1 is still MASTER of everything" holds 2000 all_on d1
	check "$mode: the reload did not flap p_z" eval '[ "$(lost_count p_z)" = "$lost" ]'

	ka_stop d1
	ka_stop d2
	for t in "${PROCS[@]}"; do
		kill -KILL "$t" 2>/dev/null
	done
	PROCS=()
	# the next run starts a fresh log: show this one now if something failed
	if [ "$FAILED" != 0 ]; then
		echo "# ---- d1's log of the $mode run (last 60 lines)"
		tail -n 60 "$(vlog_of d1)" | sed 's/^/# /'
	fi
}

topo_create 2
conf d1 150 yes
conf d2 100 no
scenario events
scenario scan
finish
