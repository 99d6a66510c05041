#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_bfd_track.sh - VRRP failover on a tracked BFD session (track_bfd), and BFD_CHECK
#
# Two directors share a VIP: d1 (priority 150) and d2 (100). Each runs our
# daemon with a bfd_instance towards a third namespace, "rt" (10.77.0.30),
# whose daemon has a bfd_instance back to each director. d1's daemon also
# runs a checker with a real server that follows the same session
# (BFD_CHECK, alpha), its notify_up/notify_down scripts logging to a file
# (there is no IPVS on this host: the checker says so and goes on).
#
#   1. rt runs our daemon. d2 starts without BFD and is reloaded with it:
#      its running VRRP child hears of the session. Unweighted track_bfd: d1 is MASTER once its
#      session is Up; dropping d1's BFD packets at rt (nft, udp 3784 from
#      d1) puts d1 in FAULT and d2 takes the VIP; the real server goes
#      DOWN (notify_down); the SIGUSR1 and JSON dumps show the session
#      DOWN. Restoring the path brings the session Up, d1 back to MASTER
#      and the real server UP (notify_up).
#   2. rt runs Debian's keepalived (the reference, by hand) instead. d1 is
#      reloaded with `track_bfd { to_rt weight -60 }`: the sessions come Up
#      with the new peer, d1 is MASTER; cutting the path lowers d1 to 90 (not
#      FAULT), so d2 preempts; restoring it gives d1 its 150 back and the VIP.
#
# Needs root, iproute2, nft and /usr/bin/python3 (phase 2 also the reference
# keepalived at /usr/sbin/keepalived; without it phase 2 is skipped).
# shellcheck disable=SC1091,SC2016,SC2317
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

command -v nft >/dev/null || skip "needs nft"
[ -x /usr/bin/python3 ] || skip "needs /usr/bin/python3"

VIP=10.77.0.250
RT=10.77.0.30
D1=$(ip4_of d1)
BFD_TIMERS="min_rx 100
	min_tx 100
	multiplier 5"

# ---- topology: the usual bridge and directors, plus the router ----------------------

topo_create 2
ns_add rt
node_link rt 02:77:00:00:00:1e
ip -n "$(ns_of rt)" addr add "$RT/24" dev eth0
mkdir -p "$TMP/rt"

# ---- daemons -------------------------------------------------------------------------

# global_defs of every node: dumps of every child into the node's directory
globals() {
	cat <<EOF
global_defs {
	router_id $1
	state_dump_file $TMP/$1/
	json_dump_file $TMP/$1/
	stats_dump_file $TMP/$1/
}
EOF
}

# director_conf NODE PRIORITY TRACK_LINE [checker]: the director's configuration
director_conf() {
	local d="$TMP/$1" own
	own=$(ip4_of "$1")
	{
		globals "$1"
		cat <<EOF
bfd_instance to_rt {
	neighbor_ip $RT
	source_ip $own
	$BFD_TIMERS
}
vrrp_instance VI_1 {
	interface eth0
	virtual_router_id 61
	priority $2
	advert_int 1
	track_bfd {
		$3
	}
	virtual_ipaddress {
		$VIP/24
	}
}
EOF
		[ "${4:-}" = checker ] && cat <<EOF
virtual_server 10.77.0.251 80 {
	delay_loop 5
	real_server $RT 80 {
		alpha
		notify_up "$d/rs_notify.sh up"
		notify_down "$d/rs_notify.sh down"
		BFD_CHECK {
			name to_rt
		}
	}
}
EOF
	} >"$(conf_of "$1")"
	cat >"$d/rs_notify.sh" <<EOF
#!/bin/sh
echo "\$1" >>"$d/rs.log"
EOF
	chmod 755 "$d/rs_notify.sh"
}

# rt_conf: the router's sessions, one per director (keepalived's syntax: the
# reference daemon reads the same file)
rt_conf() {
	{
		[ "${1:-}" = ours ] && globals rt
		local n
		for n in d1 d2; do
			cat <<EOF
bfd_instance $n {
	neighbor_ip $(ip4_of $n)
	source_ip $RT
	$BFD_TIMERS
}
EOF
		done
	} >"$(conf_of rt)"
}

pid_opts() { # pid_opts NODE: every child's pid file in NODE's directory
	local d="$TMP/$1"
	echo "-p $d/ka.pid -r $d/vrrp.pid -c $d/check.pid -b $d/bfd.pid"
}

# director_start NODE: our daemon with every child it has work for
director_start() {
	local d="$TMP/$1"
	# shellcheck disable=SC2046
	node_spawn "$1" "$d/console.log" "$KA" --namespace "$(ns_of "$1")" -n -l -G -D \
		--log-file="$d/ka.log" $(pid_opts "$1") -f "$(conf_of "$1")"
}

# rt_start ours|ref: the router's daemon (BFD child only: nothing else configured)
rt_start() {
	local d="$TMP/rt" pid
	rm -f "$d/bfd.pid"
	if [ "$1" = ours ]; then
		# shellcheck disable=SC2046
		"$KA" --namespace "$(ns_of rt)" -n -l -G -D --log-file="$d/ka.log" \
			$(pid_opts rt) -f "$(conf_of rt)" >>"$d/console.log" 2>&1 &
	else
		# shellcheck disable=SC2046
		ip netns exec "$(ns_of rt)" "$KA_REF" -n -l -G -D $(pid_opts rt) \
			-f "$(conf_of rt)" >>"$d/ref.log" 2>&1 &
	fi
	pid=$!
	disown "$pid"
	STARTED+=("$pid")
	echo "$pid" >"$d/parent"
	wait_for 5000 eval "[ -s '$d/bfd.pid' ] && kill -0 \$(cat '$d/bfd.pid') 2>/dev/null"
}

# ---- the cut: rt drops d1's BFD control packets ------------------------------------

cut_d1() { bfd_cut rt in "$D1"; }
restore_d1() { bfd_restore rt; }

# ---- observations ----------------------------------------------------------------------

clog_of() { echo "$TMP/$1/ka_healthcheckers.log"; }
rs_events() { tr '\n' ' ' 2>/dev/null <"$TMP/$1/rs.log"; }
rs_events_are() { [ "$(rs_events "$1")" = "$2" ]; }
vip_only_on() { only_on "$VIP" "$1" d1 d2; }
# tracked_bfd NODE: "STATUS" of to_rt in NODE's SIGUSR1 dump of the VRRP child
tracked_bfd() {
	local f="$TMP/$1/keepalived.data"
	rm -f "$f"
	ka_signal "$1" USR1
	wait_for 3000 test -s "$f" || return 1
	awk '/Tracked BFD = to_rt/ { getline; print $NF; exit }' "$f"
}
tracked_bfd_is() { [ "$(tracked_bfd "$1")" = "$2" ]; }
# json_bfd NODE: "status weight" of the instance's track_bfd entry (JSON dump)
json_bfd() {
	local f="$TMP/$1/keepalived.json"
	rm -f "$f"
	ka_signal "$1" RTMIN+2
	wait_for 3000 test -s "$f" || return 1
	/usr/bin/python3 - "$f" <<'PY'
import json, sys
for o in json.load(open(sys.argv[1])):
    for t in o["data"].get("track_bfd", []):
        if t["name"] == "to_rt":
            print(t["status"], t["weight"])
PY
}
json_bfd_is() { [ "$(json_bfd "$1")" = "$2" ]; }
# json_fault_is NODE "STATE FAULTBITS": state and fault reasons (8 = a tracker)
json_fault_is() {
	[ "$(/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))[0]["data"]
print(d["state_name"], d["fault"])' "$TMP/$1/keepalived.json")" = "$2" ]
}
eff_prio_is() { # eff_prio_is NODE PRIO: effective priority in the JSON dump
	local f="$TMP/$1/keepalived.json"
	rm -f "$f"
	ka_signal "$1" RTMIN+2
	wait_for 3000 test -s "$f" || return 1
	[ "$(/usr/bin/python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))[0]["data"]["effective_priority"])' "$f")" = "$2" ]
}

# ---- phase 1: our daemon on the router, unweighted track_bfd, BFD_CHECK -------------

director_conf d1 150 to_rt checker
rt_conf ours
check "router: our BFD child starts" rt_start ours
director_start d1
# d2 starts without BFD; a reload adds its bfd_instance and track_bfd, and
# its running VRRP child must hear of the session without a restart
{
	globals d2
	printf 'vrrp_instance VI_1 {\n\tinterface eth0\n\tvirtual_router_id 61\n'
	printf '\tpriority 100\n\tadvert_int 1\n\tvirtual_ipaddress {\n\t\t%s/24\n\t}\n}\n' "$VIP"
} >"$(conf_of d2)"
director_start d2
check "d2 without BFD: VRRP runs" wait_for 10000 log_has d2 "Entering"
vrrp2=$(vrrp_pid_of d2)
director_conf d2 100 to_rt
ka_signal d2 HUP

check "d1: tracked session comes Up" wait_for 15000 log_has d1 "Tracked BFD to_rt is now UP"
check "d2: tracked session comes Up after the reload that configured BFD" \
	wait_for 15000 log_has d2 "Tracked BFD to_rt is now UP"
check "d2: the same VRRP child heard it (no restart)" [ "$(vrrp_pid_of d2)" = "$vrrp2" ]
check "d1 (150) is MASTER and holds the VIP" \
	wait_for 15000 eval 'state_is d1 VI_1 MASTER && vip_only_on d1'
check "d2 is BACKUP" state_is d2 VI_1 BACKUP
check "d1 dump: tracked BFD UP" tracked_bfd_is d1 UP
check "d1 JSON: track_bfd UP, weight 0" json_bfd_is d1 "UP 0"
check "checker: real server comes UP with the session (notify_up)" \
	wait_for 10000 rs_events_are d1 "up "
check "checker: log names the BFD session" \
	grep -q "BFD_CHECK(to_rt): OK (BFD session to_rt is Up), is UP" "$(clog_of d1)"
check "checker: no IPVS here, said once" \
	grep -q "IPVS is not available" "$(clog_of d1)"

note "cutting d1's path to the router"
cut_d1
check "d1: session goes Down" wait_for 10000 log_has d1 "Tracked BFD to_rt is now DOWN"
check "d1 enters FAULT" wait_for 10000 state_is d1 VI_1 FAULT
check "d2 takes the VIP" wait_for 15000 eval 'state_is d2 VI_1 MASTER && vip_only_on d2'
check "d1 dump: tracked BFD DOWN" tracked_bfd_is d1 DOWN
check "d1 JSON: track_bfd DOWN" json_bfd_is d1 "DOWN 0"
check "d1 JSON: FAULT, for a tracker only" json_fault_is d1 "FAULT 8"
check "checker: real server DOWN (notify_down)" wait_for 10000 rs_events_are d1 "up down "
check "d2 keeps its session: still MASTER, session Up" \
	eval 'state_is d2 VI_1 MASTER && ! log_has d2 "Tracked BFD to_rt is now DOWN"'

note "restoring d1's path"
restore_d1
check "d1: session Up again" \
	wait_for 15000 log_count_ge d1 "Tracked BFD to_rt is now UP" 2
check "d1 preempts back: MASTER with the VIP" \
	wait_for 15000 eval 'state_is d1 VI_1 MASTER && vip_only_on d1'
check "d2 back to BACKUP" wait_for 5000 state_is d2 VI_1 BACKUP
check "checker: real server UP again (notify_up)" \
	wait_for 10000 rs_events_are d1 "up down up "
check "d1 dump: tracked BFD UP again" tracked_bfd_is d1 UP

# ---- phase 2: Debian's keepalived on the router, weighted track_bfd (reload) ---------

if [ ! -x "$KA_REF" ]; then
	note "no reference keepalived at $KA_REF: phase 2 skipped"
	finish
fi
ka_stop rt
rt_conf ref
check "router: the reference keepalived's BFD child starts" rt_start ref
director_conf d1 150 "to_rt weight -60" checker
ka_signal d1 HUP
check "d1: reload applied" wait_for 10000 log_has d1 "VRRP reloading"
check "d1: session Up with the reference peer" wait_for 20000 tracked_bfd_is d1 UP
check "d2: session Up with the reference peer" wait_for 20000 tracked_bfd_is d2 UP
check "d1 JSON: weighted tracker (-60), UP" wait_for 5000 json_bfd_is d1 "UP -60"
check "d1 is MASTER at 150" \
	wait_for 20000 eval 'state_is d1 VI_1 MASTER && vip_only_on d1 && eff_prio_is d1 150'

note "cutting d1's path to the reference router"
n_down=$(log_count d1 "Tracked BFD to_rt is now DOWN")
cut_d1
check "d1: session goes Down" \
	wait_for 10000 log_count_ge d1 "Tracked BFD to_rt is now DOWN" $((n_down + 1))
check "d1: priority lowered by the weight (150 - 60 = 90)" wait_for 5000 eff_prio_is d1 90
check "d2 (100) preempts and takes the VIP" \
	wait_for 15000 eval 'state_is d2 VI_1 MASTER && vip_only_on d2'
check "d1 is BACKUP, not FAULT" state_is d1 VI_1 BACKUP
check "d1 JSON: track_bfd DOWN -60" json_bfd_is d1 "DOWN -60"

note "restoring d1's path"
restore_d1
check "d1: session Up again" wait_for 15000 tracked_bfd_is d1 UP
check "d1: priority back to 150" wait_for 5000 eff_prio_is d1 150
check "d1 preempts back: MASTER with the VIP" \
	wait_for 15000 eval 'state_is d1 VI_1 MASTER && vip_only_on d1'
check "d2 back to BACKUP" wait_for 5000 state_is d2 VI_1 BACKUP
check "checker followed the session with the reference peer too" \
	wait_for 10000 eval '[[ "$(rs_events d1)" == "up down up "*"down up " ]]'

ka_stop rt
finish
