#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_basic.sh - two directors: election, stats and JSON, SIGTERM (priority 0),
# preemption, kill -9 of the VRRP child and of the whole daemon, leftovers at restart
#
# d1 (priority 150) and d2 (100) share VI_1 (VRID 51, VRRPv2, advert_int 1,
# VIP 10.77.0.200) on one bridge with a client. Needs root and iproute2.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

VIP=10.77.0.200

conf() { # conf NODE PRIORITY
	write_conf "$1" <<EOF
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 1
	virtual_ipaddress {
		$VIP/24
	}
}
EOF
}

topo_create 2
conf d1 150
conf d2 100
ka_start d1
ka_start d2

# ---- election ----------------------------------------------------------------
check "higher priority d1 becomes MASTER, the VIP is on d1 only" \
	wait_for 10000 only_on $VIP d1 d2
check "d2 stays BACKUP" wait_for 2000 state_is d2 VI_1 BACKUP
check "client reaches the VIP" wait_for 3000 reach c $VIP
check "client resolves the VIP to d1's MAC" neigh_is c $VIP "$(mac_of d1)"
check "the election is stable for 2.5 s (no flap)" holds 2500 only_on $VIP d1 d2
check_not "d2 never entered MASTER" log_has d2 "Entering MASTER STATE"

# ---- stats and JSON ------------------------------------------------------------
check "SIGUSR2 writes the stats file" stats_dump d1
check "stats: d1 has sent adverts" grep -Eq "Sent: [1-9]" "$TMP/d1/stats"
check "stats: d1 became master once" grep -q "Became master: 1" "$TMP/d1/stats"
check "SIGRTMAX-1 writes the stats and clears the counters" dump d1 stats RTMAX-1
check "the cleared stats file still has the counts" grep -Eq "Sent: [1-9]" "$TMP/d1/stats"
json_dump d1
check "counters start again from zero" json_is d1 VI_1 's["advert_sent"] <= 2' True
check "JSON dump on d2" json_dump d2
check "JSON: d2 is BACKUP (state 1) with d1 as master" \
	json_is d2 VI_1 'd["state"] == 1 and d["master_addr"] == "10.77.0.11"' True
check "JSON: d2 received adverts and dropped none" \
	json_is d2 VI_1 's["advert_rcvd"] > 0 and s["auth_failure"] == 0' True
check "SIGUSR1 data dump shows the runtime state" \
	eval 'data_dump d1 && grep -q "State = MASTER" "$TMP/d1/data"'

# ---- SIGTERM: priority 0, fast takeover ------------------------------------------
# Watch d2's frames on the bridge: its first advert as master and its first
# gratuitous ARP must leave back to back (the GARP is sent synchronously).
TCPDUMP=$(command -v tcpdump || true)
if [ -n "$TCPDUMP" ]; then
	ip netns exec "$(ns_of br)" "$TCPDUMP" -i br0 -nn -l -tt -e \
		"ether src $(mac_of d2) and (proto 112 or arp)" >"$TMP/cap.txt" 2>"$TMP/cap.err" &
	capture=$!
	disown "$capture"
	STARTED+=("$capture")
	wait_for 5000 grep -qs "listening on" "$TMP/cap.err"
fi
t=$(now_ms)
ka_stop d1 &
stopper=$!
check "after SIGTERM of the master, d2 takes over in < 1.5 s (priority 0 advert)" \
	wait_for 1500 only_on $VIP d2 d1
note "takeover after SIGTERM: $(elapsed_ms "$t") ms"
wait "$stopper"
if [ -n "$TCPDUMP" ]; then
	# first advert and first gratuitous ARP of the new master, in µs
	first_ts() { awk -v pat="$1" 'index($0, pat) { split($1, t, "."); print t[1] t[2]; exit }' \
		"$TMP/cap.txt"; }
	wait_for 3000 eval '[ -n "$(first_ts "tell $VIP")" ]'
	kill "$capture" 2>/dev/null
	adv=$(first_ts "VRRPv2, Advertisement")
	garp=$(first_ts "tell $VIP")
	check "new master's first GARP follows its first advert at once (< 50 ms)" \
		eval '[ -n "$adv" ] && [ -n "$garp" ] && [ $((garp - adv)) -ge 0 ] &&
			[ $((garp - adv)) -lt 50000 ]'
	note "first advert -> first GARP on the wire: $((${garp:-0} - ${adv:-0})) us"
fi
check "d1 removed its VIP when stopping" no_addr d1 $VIP
check "d1 logged its removal" log_has d1 "(VI_1) removing VIPs"
check "client's ARP cache moves to d2's MAC (gratuitous ARP)" \
	wait_for 3000 neigh_is c $VIP "$(mac_of d2)"
json_dump d2
check "d2 counted the priority 0 advert" json_is d2 VI_1 's["pri_zero_rcvd"] >= 1' True

# ---- preemption -----------------------------------------------------------------
ka_start d1 -R
check "d1 comes back and preempts d2" wait_for 10000 only_on $VIP d1 d2
check "d2 went back to BACKUP" wait_for 2000 state_is d2 VI_1 BACKUP
check "client's ARP cache moves back to d1" wait_for 3000 neigh_is c $VIP "$(mac_of d1)"

# ---- kill -9 of the master's VRRP child -----------------------------------------
t=$(now_ms)
kill -KILL "$(vrrp_pid_of d1)"
check "after kill -9 of d1's VRRP child, d2 takes over" wait_for 6000 has_addr d2 $VIP
note "takeover after kill -9: $(elapsed_ms "$t") ms"
check "client's ARP cache moves to d2's MAC" wait_for 3000 neigh_is c $VIP "$(mac_of d2)"
check "d1's parent (-R) exits when its child died" wait_for 5000 eval '! alive "$(parent_of d1)"'

# ---- leftovers after kill -9: cleaned at restart ------------------------------------
# d1 was killed while MASTER, so its VIP is still there; a restart at lower
# priority must remove it at once and stay BACKUP.
conf d1 50
ka_start d1
check "restarted d1 removes the leftover VIP" wait_for 2000 no_addr d1 $VIP
check "d2 stays the only holder (3 s)" holds 3000 only_on $VIP d2 d1
check "d1 is BACKUP" state_is d1 VI_1 BACKUP

# kill -9 of the whole daemon on the master, then restart it
ka_kill9 d2
check "VIP left behind on d2 after kill -9 of the whole daemon" has_addr d2 $VIP
check "d1 takes over" wait_for 6000 has_addr d1 $VIP
ka_start d2
check "restarted d2 removes the leftover before anything else" wait_for 2000 no_addr d2 $VIP
check "then d2 (priority 100) preempts d1 (50)" wait_for 10000 only_on $VIP d2 d1

# ---- stop everything: nothing left ---------------------------------------------------
ka_stop d1
ka_stop d2
check "no VIP left anywhere after SIGTERM of both" eval 'no_addr d1 $VIP && no_addr d2 $VIP'
check "d2 ran its shutdown (MASTER -> STOP)" log_has d2 "(VI_1) MASTER -> STOP (shutdown)"

finish
