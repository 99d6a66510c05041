#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_hostile.sh - crafted and broken adverts from another host: every kind is
# dropped and counted, states hold, logs stay bounded, and valid adverts still work
#
# d1 runs four instances alone on the link with the client, which sends the adverts
# (tests/vrrp/craft.py, scapy):
#   VI_M  VRRPv2, PASS "secret", VRID 51, VIP 10.77.0.200: MASTER (no other router)
#   VI_3  VRRPv3, VRID 52, VIP 10.77.0.201: MASTER
#   VI_6  VRRPv3 over IPv6, VRID 53, VIP fd77::200: MASTER
#   VI_B  VRRPv2, PASS "secret", VRID 54, VIP 10.77.0.202: BACKUP, kept there by valid
#         priority 200 adverts the client sends every second
# The spoofs claim priority 254 against the masters (accepted, they would make them
# back off) and priority 0 against the backup (accepted, it would take over at once).
# For each kind: the matching counter of the SIGUSR1 data dump ("Dropped (reason)")
# and of the JSON dump (the SIGUSR2 stats names) grows by the number sent, the state
# is kept and the VRRP process is the same. Then floods of 1000 bad packets leave a
# bounded number of log lines, valid adverts do make each instance move, and a
# backup whose master fell silent takes over in spite of invalid higher-priority ones.
# Needs root, iproute2 and /usr/bin/python3 with scapy.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

CRAFT_PY=${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/craft.py
/usr/bin/python3 -c "import scapy.layers.inet6" 2>/dev/null ||
	skip "needs /usr/bin/python3 with scapy"

VM=10.77.0.200
V3=10.77.0.201
V6=fd77::200
VB=10.77.0.202
N=3 # packets sent per kind

# craft ARGS...: send from the client's namespace
craft() { ip netns exec "$(ns_of c)" /usr/bin/python3 "$CRAFT_PY" "$@"; }

topo_create 1
write_conf d1 <<EOF
vrrp_instance VI_M {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 100
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass secret
	}
	virtual_ipaddress {
		$VM/24
	}
}
vrrp_instance VI_3 {
	state BACKUP
	interface eth0
	version 3
	virtual_router_id 52
	priority 100
	advert_int 1
	virtual_ipaddress {
		$V3/24
	}
}
vrrp_instance VI_6 {
	state BACKUP
	interface eth0
	version 3
	virtual_router_id 53
	priority 100
	advert_int 1
	virtual_ipaddress {
		$V6/64
	}
}
vrrp_instance VI_B {
	state BACKUP
	interface eth0
	virtual_router_id 54
	priority 100
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass secret
	}
	virtual_ipaddress {
		$VB/24
	}
}
EOF

# the client plays VI_B's master (valid adverts, priority 200) for the whole test
BG_MASTER=(--vrid 54 --prio 200 --pass secret --addr "$VB")
ip netns exec "$(ns_of c)" /usr/bin/python3 "$CRAFT_PY" "${BG_MASTER[@]}" \
	--repeat 100000 --gap 1 &
bg=$! # python itself: ip netns exec execs it
STARTED+=("$bg")
sleep 0.5
ka_start d1
PARENT=$(parent_of d1)
VPID=$(vrrp_pid_of d1)

masters_hold() { # the three masters and the backup are as they started
	state_is d1 VI_M MASTER && state_is d1 VI_3 MASTER && state_is d1 VI_6 MASTER &&
		has_addr d1 $VM && has_addr d1 $V3 && has_addr d1 $V6 &&
		state_is d1 VI_B BACKUP && no_addr d1 $VB
}
check "VI_M, VI_3 and VI_6 become MASTER, VI_B stays BACKUP under the client's adverts" \
	wait_for 10000 masters_hold
[ "$FAILED" = 0 ] || finish # nothing below makes sense then
# shellcheck disable=SC2034 # read in an eval below
ENTER_BACKUP=$(log_count d1 "Entering BACKUP STATE")
# shellcheck disable=SC2034
ENTER_MASTER=$(log_count d1 "Entering MASTER STATE")
json_dump d1
check "VI_B receives the client's valid adverts" json_is d1 VI_B 's["advert_rcvd"] > 0' True

# ---- one kind of broken advert at a time ------------------------------------------

# value SPEC: drop:INSTANCE:REASON (data dump; INSTANCE "-" for the engine's
# counters) or json:INSTANCE:FIELD (JSON dump)
value() {
	local kind inst what
	IFS=: read -r kind inst what <<<"$1"
	if [ "$kind" = drop ]; then
		drop_count d1 "$inst" "$what"
	else
		json_get d1 "$inst" "s[\"$what\"]"
	fi
}
dumps() { data_dump d1 && json_dump d1; }

# all_grew BY SPEC...: every counter is BY above the BEFORE array's value
declare -A BEFORE
all_grew() {
	local by=$1 s
	shift
	dumps || return 1
	for s in "$@"; do
		[ "$(value "$s")" -eq $((BEFORE[$s] + by)) ] || return 1
	done
}

daemon_same() { [ "$(parent_of d1)" = "$PARENT" ] && [ "$(vrrp_pid_of d1)" = "$VPID" ] &&
	alive "$PARENT" && alive "$VPID"; }

# bad DESCRIPTION "SPEC..." CRAFT_ARGS...: send N of them, the counters grow by N,
# the states hold and the daemon is the same process
bad() {
	local what=$1 specs=$2 s got=""
	shift 2
	dumps
	for s in $specs; do
		BEFORE[$s]=$(value "$s")
	done
	craft --repeat $N "$@"
	# shellcheck disable=SC2086 # one word per counter
	wait_for 3000 all_grew $N $specs
	for s in $specs; do
		got+=" ${s#*:}+$(($(value "$s") - BEFORE[$s]))"
	done
	# shellcheck disable=SC2086
	check "$what: dropped, counted ($got ), states kept" \
		eval 'all_grew $N $specs && masters_hold && daemon_same'
}

M=(--vrid 51 --prio 254 --pass secret --addr "$VM")
bad "VI_M TTL 254" "drop:VI_M:ttl json:VI_M:ip_ttl_err" "${M[@]}" --ttl 254
bad "VI_M bad checksum" "drop:VI_M:checksum" "${M[@]}" --bad-csum
bad "VI_M version 1" "drop:VI_M:version" "${M[@]}" --vfield 1
bad "VI_M version 4" "drop:VI_M:version" "${M[@]}" --vfield 4
bad "VI_M type 2" "drop:VI_M:type json:VI_M:invalid_type_rcvd" "${M[@]}" --type 2
for len in 0 1 4 7; do
	bad "VRRP message cut to $len bytes (before the VRID)" "drop:-:before-vrid" \
		"${M[@]}" --truncate $len
done
for len in 8 12 16 19; do
	bad "VI_M cut to $len of 20 bytes" "drop:VI_M:addr-count json:VI_M:packet_len_err" \
		"${M[@]}" --truncate $len
done
bad "VI_M PASS mismatch" "drop:VI_M:auth json:VI_M:auth_failure" \
	--vrid 51 --prio 254 --pass wrong --addr $VM
bad "VI_M no authentication" "drop:VI_M:auth-type json:VI_M:authtype_mismatch" \
	"${M[@]}" --auth-type 0
bad "VI_M auth type AH without an AH header" \
	"drop:VI_M:auth-type json:VI_M:authtype_mismatch" "${M[@]}" --auth-type 2
bad "VI_M auth type 7" "drop:VI_M:auth-type json:VI_M:invalid_authtype" \
	"${M[@]}" --auth-type 7
bad "unknown VRID 99" "drop:-:unknown-vrid" --vrid 99 --prio 254 --pass secret --addr $VM
bad "VI_M advert interval 2 s (ours 1 s)" \
	"drop:VI_M:interval json:VI_M:advert_interval_err" "${M[@]}" --interval 2
bad "VI_M two addresses (one configured)" "drop:VI_M:addr-list json:VI_M:addr_list_err" \
	"${M[@]}" --addr 10.77.0.250
bad "VI_M another address" "drop:VI_M:addr-list json:VI_M:addr_list_err" \
	--vrid 51 --prio 254 --pass secret --addr 10.77.0.250
bad "VI_M count 5, one address in the packet" \
	"drop:VI_M:addr-count json:VI_M:packet_len_err" "${M[@]}" --count 5
bad "VI_M count 0, one address in the packet" \
	"drop:VI_M:length json:VI_M:packet_len_err" "${M[@]}" --count 0
bad "VI_M padded to a 1500-byte packet" "drop:VI_M:length json:VI_M:packet_len_err" \
	"${M[@]}" --size 1500

V=(--vrid 52 --version 3 --prio 254 --addr "$V3")
bad "VI_3 (v3) TTL 254" "drop:VI_3:ttl json:VI_3:ip_ttl_err" "${V[@]}" --ttl 254
bad "VI_3 bad checksum" "drop:VI_3:checksum" "${V[@]}" --bad-csum
bad "VI_3 checksum without the pseudo header" "drop:VI_3:checksum" "${V[@]}" --v3-as-v2
bad "VI_3 sent a VRRPv2 advert" "drop:VI_3:version" --vrid 52 --prio 254 --addr $V3
bad "VI_3 type 3" "drop:VI_3:type json:VI_3:invalid_type_rcvd" "${V[@]}" --type 3
bad "VI_3 cut to 10 of 12 bytes" "drop:VI_3:addr-count json:VI_3:packet_len_err" \
	"${V[@]}" --truncate 10
bad "VI_3 another address" "drop:VI_3:addr-list json:VI_3:addr_list_err" \
	--vrid 52 --version 3 --prio 254 --addr 10.77.0.250

S=(-6 --vrid 53 --prio 254 --addr "$V6")
bad "VI_6 hop limit 254" "drop:VI_6:ttl json:VI_6:ip_ttl_err" "${S[@]}" --hlim 254
bad "VI_6 bad checksum" "drop:VI_6:checksum" "${S[@]}" --bad-csum
bad "IPv6 message cut to 4 bytes (before the VRID)" "drop:-:before-vrid" \
	"${S[@]}" --truncate 4
bad "VI_6 cut to 20 of 24 bytes" "drop:VI_6:addr-count json:VI_6:packet_len_err" \
	"${S[@]}" --truncate 20
bad "VI_6 sent a VRRPv2 advert over IPv6" "drop:VI_6:version" "${S[@]}" --version 2
bad "VI_6 version 4" "drop:VI_6:version" "${S[@]}" --vfield 4
bad "VI_6 count 2, one address in the packet" \
	"drop:VI_6:addr-count json:VI_6:packet_len_err" "${S[@]}" --count 2

B=(--vrid 54 --prio 0 --pass secret --addr "$VB")
bad "VI_B priority 0 with TTL 254" "drop:VI_B:ttl json:VI_B:ip_ttl_err" "${B[@]}" --ttl 254
bad "VI_B priority 0 with a wrong password" "drop:VI_B:auth json:VI_B:auth_failure" \
	--vrid 54 --prio 0 --pass wrong --addr $VB
bad "VI_B priority 0 with a bad checksum" "drop:VI_B:checksum" "${B[@]}" --bad-csum
bad "VI_B priority 0 with interval 3 s" \
	"drop:VI_B:interval json:VI_B:advert_interval_err" "${B[@]}" --interval 3
bad "VI_B priority 0 with another address" \
	"drop:VI_B:addr-list json:VI_B:addr_list_err" --vrid 54 --prio 0 --pass secret \
	--addr 10.77.0.250

check "states hold afterwards too (2 s: a backup accepting priority 0 would move)" \
	holds 2000 masters_hold
check "no instance changed state during the spoofs" \
	eval '[ "$(log_count d1 "Entering BACKUP STATE")" = "$ENTER_BACKUP" ] &&
		[ "$(log_count d1 "Entering MASTER STATE")" = "$ENTER_MASTER" ]'
json_dump d1
check "JSON: the backup counted no priority 0 advert" json_is d1 VI_B 's["pri_zero_rcvd"]' 0
# stats_length INSTANCE: the "Length:" packet errors in the SIGUSR2 stats file
stats_length() {
	awk -v i="$1" '$0 == "VRRP Instance: " i { f = 1 } f && /Length:/ { print $2; exit }' \
		"$TMP/d1/stats"
}
stats_match() {
	stats_dump d1 && [ "$(stats_length VI_M)" = "$(json_get d1 VI_M 's["packet_len_err"]')" ]
}
check "SIGUSR2 stats file has the same length errors as the JSON dump" stats_match

# ---- floods: bounded logging --------------------------------------------------------

# what the daemon logs about dropped packets (and about holding such lines back)
DROP_LINES="dropped|suppressed|unknown VRID"

# flood DESCRIPTION SPEC CRAFT_ARGS...: 1000 at once; the counter takes (nearly) all
# of them, the log grows by a bounded number of lines
flood() {
	local what=$1 spec=$2 lines0 n
	shift 2
	dumps
	BEFORE[$spec]=$(value "$spec")
	lines0=$(grep -cE "$DROP_LINES" "$(vlog_of d1)")
	craft --repeat 1000 "$@"
	sleep 1
	dumps
	n=$(($(value "$spec") - BEFORE[$spec]))
	FLOOD_LINES=$(($(grep -cE "$DROP_LINES" "$(vlog_of d1)") - lines0))
	note "flood '$what': $n of 1000 counted, $FLOOD_LINES log lines"
	check "flood of 1000 ($what): counted ($n >= 900)" [ "$n" -ge 900 ]
	check "flood of 1000 ($what): at most 25 log lines ($FLOOD_LINES)" \
		[ "$FLOOD_LINES" -le 25 ]
	check "flood of 1000 ($what): states kept, same daemon" eval 'masters_hold && daemon_same'
}

flood "VI_M bad checksum, priority 254" "drop:VI_M:checksum" "${M[@]}" --bad-csum
flood "VI_B wrong password, priority 0" "drop:VI_B:auth" --vrid 54 --prio 0 --pass wrong \
	--addr $VB
flood "cut to 4 bytes" "drop:-:before-vrid" "${M[@]}" --truncate 4
flood "IPv6 hop limit 254" "drop:VI_6:ttl" "${S[@]}" --hlim 254
# once the rate limiter's window is over, the next message says how many it held back
sleep 5.2
craft "${M[@]}" --bad-csum
check "the log reports the suppressed messages" \
	wait_for 3000 log_has d1 "similar messages suppressed"

# ---- valid adverts still work ----------------------------------------------------------

backed_off() { state_is d1 "$1" BACKUP && no_addr d1 "$2"; }
craft "${M[@]}"
check "a valid priority 254 VRRPv2 PASS advert makes VI_M back off" \
	wait_for 1500 backed_off VI_M $VM
craft "${V[@]}"
check "a valid priority 254 VRRPv3 advert makes VI_3 back off" \
	wait_for 1500 backed_off VI_3 $V3
craft "${S[@]}"
check "a valid priority 254 IPv6 advert makes VI_6 back off" \
	wait_for 1500 backed_off VI_6 $V6
check "with the spoofer silent they take over again after the master-down interval" \
	wait_for 6000 eval 'state_is d1 VI_M MASTER && state_is d1 VI_3 MASTER &&
		state_is d1 VI_6 MASTER && has_addr d1 $VM && has_addr d1 $V3 && has_addr d1 $V6'
kill "$bg"
t=$(now_ms)
craft "${B[@]}"
check "a valid priority 0 advert makes VI_B take over at once (skew, not master-down)" \
	wait_for 1500 eval 'state_is d1 VI_B MASTER && has_addr d1 $VB'
note "VI_B took over $(elapsed_ms "$t") ms after the priority 0 advert was sent"
json_dump d1
check "the priority 0 advert was counted" json_is d1 VI_B 's["pri_zero_rcvd"]' 1

# A backup whose master went silent must not be held back by invalid adverts of
# higher priority: they would reset its master-down timer if they were taken.
craft --vrid 54 --prio 254 --pass secret --addr $VB
check "a valid priority 254 advert makes VI_B back off again" wait_for 1500 backed_off VI_B $VB
ip netns exec "$(ns_of c)" /usr/bin/python3 "$CRAFT_PY" --vrid 54 --prio 254 --pass wrong \
	--addr $VB --repeat 24 --gap 0.25 &
spoofer=$!
STARTED+=("$spoofer")
t=$(now_ms)
check "VI_B takes over after the master-down interval under invalid priority 254 adverts" \
	wait_for 5000 eval 'state_is d1 VI_B MASTER && has_addr d1 $VB'
note "VI_B took over after $(elapsed_ms "$t") ms"
check "... while they were still being sent" alive "$spoofer"
kill "$spoofer" 2>/dev/null
check "the VRRP process survived everything (same pid)" daemon_same
finish
