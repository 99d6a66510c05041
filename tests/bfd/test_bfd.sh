#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_bfd.sh - BFD sessions between two namespaces: ours <-> ours, ours <-> the
# reference keepalived, and hostile packets
#
# d1 (10.77.0.11, fd77::11) and d2 (10.77.0.12, fd77::12) on the usual bridge,
# also 10.77.1.11 and 10.77.1.12, each with three sessions to the other:
#   v4    IPv4 single hop, 100 ms, multiplier 5 (detection time 500 ms)
#   v6    IPv6 single hop, same timers (hop limit 64, the default)
#   slow  IPv4 single hop between the 10.77.1 addresses (sessions need their
#         own address pair), 1 s, multiplier 10 (detection time 10 s): a peer
#         going Down long before that was told so (AdminDown)
#
#   A. ours on both: sessions Up (dumps), packets at the negotiated rate with
#      TTL 255 / hop limit 64 from ports 49152-65535; dropping d1's packets
#      at d2 (nft) takes v4 Down on both within the detection time plus a
#      margin, and Up again after; SIGTERM of d2 sends AdminDown (captured)
#      and d1 goes Down at once; a BFD child killed with -9 is respawned and
#      its sessions come back; -B runs no BFD child; a reload adds and
#      removes a session and changes intervals without touching the others;
#      hostile packets (bad version, short, zero discriminator, A bit,
#      TTL 254, unknown discriminator) are dropped and counted, nothing else.
#   B. the reference keepalived (KA_REF) on d2: sessions Up both ways (its log
#      says so), Down on a cut, and our stop seen by it at once.
#
# Needs root, iproute2, nft, tcpdump and /usr/bin/python3 with scapy; part B
# also the reference keepalived (skipped without it).
# shellcheck disable=SC1091,SC2016,SC2034,SC2317 # (variables used in eval strings)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"
BFD_FILTER='udp and (port 3784 or port 4784)'

command -v nft >/dev/null || skip "needs nft"
command -v tcpdump >/dev/null || skip "needs tcpdump"
/usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "needs /usr/bin/python3 with scapy"

D1=$(ip4_of d1)
D2=$(ip4_of d2)
D2_6=$(ip6_of d2)

topo_create 2
slow_ip() { echo "10.77.1.$((10 + ${1#d}))"; }
ip -n "$(ns_of d1)" addr add "$(slow_ip d1)/24" dev eth0
ip -n "$(ns_of d2)" addr add "$(slow_ip d2)/24" dev eth0

# ---- configuration and daemons ------------------------------------------------------

# bfd_conf NODE [EXTRA]: NODE's sessions to the other director; EXTRA is
# appended (more blocks); BFD_V4_TX overrides v4's min_tx
bfd_conf() {
	local me=$1 peer=d2
	[ "$me" = d2 ] && peer=d1
	cat >"$(conf_of "$me")" <<EOF
global_defs {
	router_id $me
	state_dump_file $TMP/$me/
	stats_dump_file $TMP/$me/
}
bfd_instance v4 {
	neighbor_ip $(ip4_of $peer)
	source_ip $(ip4_of "$me")
	min_rx 100
	min_tx ${BFD_V4_TX:-100}
	multiplier 5
}
bfd_instance v6 {
	neighbor_ip $(ip6_of $peer)
	source_ip $(ip6_of "$me")
	min_rx 100
	min_tx 100
	multiplier 5
}
bfd_instance slow {
	neighbor_ip $(slow_ip $peer)
	source_ip $(slow_ip "$me")
	min_rx 1000
	min_tx 1000
	idle_tx 1000
	multiplier 10
	checker
}
${2:-}
EOF
}

# mh_block NODE: a multihop session to the other director (port 4784)
mh_block() {
	local peer=d2
	[ "$1" = d2 ] && peer=d1
	printf 'bfd_instance mh {\n\tneighbor_ip %s\n\tmultihop\n\tmax_hops 255\n}\n' \
		"$(ip4_of $peer)"
}

blog_of() { echo "$TMP/$1/ka_bfd.log"; }

# bfd_start NODE [OPTION...]: our daemon on NODE, every pid file in NODE's
# directory; waits until its BFD child runs (not with -B)
bfd_start() {
	local node=$1 d="$TMP/$1" pid
	shift
	rm -f "$d/bfd.pid"
	: >"$(blog_of "$node")"
	"$KA" --namespace "$(ns_of "$node")" -n -l -G -D --log-file="$d/ka.log" \
		-p "$d/ka.pid" -r "$d/vrrp.pid" -c "$d/check.pid" -b "$d/bfd.pid" \
		-f "$(conf_of "$node")" "$@" >>"$d/console.log" 2>&1 &
	pid=$!
	disown "$pid"
	STARTED+=("$pid")
	echo "$pid" >"$d/parent"
	[[ " $* " == *" -B "* ]] && return 0
	wait_for 5000 eval "[ -s '$d/bfd.pid' ] && kill -0 \$(cat '$d/bfd.pid') 2>/dev/null"
}

# ref_bfd_start NODE: the reference keepalived by hand (not -P: BFD is wanted;
# its own BFD pid file), its console output in NODE's ref.log
ref_bfd_start() {
	local d="$TMP/$1" pid
	rm -f "$d/bfd.pid"
	ip netns exec "$(ns_of "$1")" "$KA_REF" -n -l -G -D -p "$d/ka.pid" -r "$d/vrrp.pid" \
		-c "$d/check.pid" -b "$d/bfd.pid" -f "$(conf_of "$1")" >>"$d/ref.log" 2>&1 &
	pid=$!
	disown "$pid"
	STARTED+=("$pid")
	echo "$pid" >"$d/parent"
	wait_for 5000 eval "[ -s '$d/bfd.pid' ] && kill -0 \$(cat '$d/bfd.pid') 2>/dev/null"
}

bfd_pid_of() { cat "$TMP/$1/bfd.pid" 2>/dev/null; }

# ---- observations -------------------------------------------------------------------

# bfd_dump NODE: a fresh SIGUSR1 dump of NODE's BFD child
bfd_dump() {
	local f="$TMP/$1/keepalived_bfd.data"
	rm -f "$f"
	ka_signal "$1" USR1
	wait_for 3000 test -s "$f"
}

# field NODE SESSION NAME: "NAME = value" of SESSION in the last dump (SESSION
# "-" is the part for packets that matched no session)
field() {
	awk -v sess="$2" -v key="$3" '
		/^ BFD session = / { cur = $NF; next }
		/^ Packets matching no session/ { cur = "-"; next }
		/^ [^ ]/ { cur = "" }
		cur == sess && index($0, "   " key " = ") == 1 {
			sub(/^[^=]*= /, ""); print; exit
		}' "$TMP/$1/keepalived_bfd.data"
}
sess_state() { bfd_dump "$1" && field "$1" "$2" State | cut -d' ' -f1; }
sess_is() { [ "$(sess_state "$1" "$2")" = "$3" ]; }
# drops NODE SESSION KEY: "Dropped (KEY)" of the last dump
drops() { field "$1" "$2" "Dropped ($3)"; }
drops_ge() { [ "$(drops "$1" "$2" "$3")" -ge "$4" ] 2>/dev/null; }

blog_count() {
	local n
	n=$(grep -c -- "$2" "$(blog_of "$1")" 2>/dev/null) || true
	echo "${n:-0}"
}
blog_has() { grep -q -- "$2" "$(blog_of "$1")"; }
# all_up NODE SESSION...: every SESSION is Up in NODE's dump
all_up() {
	local node=$1 s
	shift
	bfd_dump "$node" || return 1
	for s in "$@"; do
		[ "$(field "$node" "$s" State | cut -d' ' -f1)" = Up ] || return 1
	done
}
# stable MS NODE...: no session of any NODE leaves Up for MS (a session that
# comes Up and falls back at once is no session)
stable() {
	local ms=$1 n before=()
	shift
	for n in "$@"; do
		before+=("$(blog_count "$n" "Entering Down state")")
	done
	sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
	local i=0
	for n in "$@"; do
		[ "$(blog_count "$n" "Entering Down state")" = "${before[$i]}" ] || return 1
		i=$((i + 1))
	done
}
# what our log says when the peer told a session it is going down
SIGNALLED="Entering Down state (local diagnostic: Neighbor Signaled Session Down"
ADMIN_DOWN="$SIGNALLED, remote state AdminDown"
blog_count_ge() { [ "$(blog_count "$1" "$2")" -ge "$3" ]; }
ref_log_count_ge() {
	local n
	n=$(grep -c -- "$2" "$TMP/$1/ref.log" 2>/dev/null) || true
	[ "${n:-0}" -ge "$3" ]
}


# pcap_list NAME: one line per BFD packet: time src sport dst dport ttl state
# diag flags my your
pcap_list() {
	/usr/bin/python3 - "$TMP/$1.pcap" <<'PY' 2>/dev/null
import sys
from scapy.all import rdpcap, IP, IPv6, UDP
for p in rdpcap(sys.argv[1]):
    if UDP not in p:
        continue
    b = bytes(p[UDP].payload)
    if len(b) < 24:
        continue
    ip = p[IP] if IP in p else p[IPv6]
    ttl = ip.ttl if IP in p else ip.hlim
    st = ["AdminDown", "Down", "Init", "Up"][b[1] >> 6]
    fl = ("P" if b[1] & 0x20 else "") + ("F" if b[1] & 0x10 else "") or "-"
    print("%.6f %s %d %s %d %d %s %d %s %08x %08x" % (float(p.time), ip.src,
          p[UDP].sport, ip.dst, p[UDP].dport, ttl, st, b[0] & 31, fl,
          int.from_bytes(b[4:8], "big"), int.from_bytes(b[8:12], "big")))
PY
}

# all_ttl LIST REGEX VALUE: there are packets from sources matching REGEX, all
# with TTL / hop limit VALUE
all_ttl() {
	awk -v re="$2" -v v="$3" '$2 ~ re { n++; if ($6 != v) bad++ }
		END { exit !(n > 0 && !bad) }' "$1"
}
# admin_downs_from LIST ADDR...: an AdminDown packet (diag 7) from each ADDR
admin_downs_from() {
	local list=$1 a
	shift
	for a in "$@"; do
		awk -v a="$a" '$2 == a && $7 == "AdminDown" && $8 == 7 { n++ } END { exit !n }' \
			"$list" || return 1
	done
}
# ports_ok LIST: there are packets, all from ports 49152-65535
ports_ok() { awk '$3 < 49152 || $3 > 65535 { bad++ } END { exit !(NR > 0 && !bad) }' "$1"; }

# ---- A. ours on both sides ------------------------------------------------------------

bfd_conf d1
bfd_conf d2
check "d1: BFD child starts" bfd_start d1
check "d2: BFD child starts" bfd_start d2
check "d1: parent says it started the BFD child" grep -q "BFD child started (pid" "$TMP/d1/ka.log"
for s in v4 v6 slow; do
	check "d1 dump: $s Up" wait_for 15000 sess_is d1 $s Up
	check "d2 dump: $s Up" wait_for 15000 sess_is d2 $s Up
done
check "the sessions stay Up (3 s)" stable 3000 d1 d2
check "d1 dump: v4 remote state Up, timers negotiated" \
	wait_for 5000 eval 'bfd_dump d1 && [ "$(field d1 v4 "Remote state")" = Up ] &&
	      [ "$(field d1 v4 "Detection time")" = "500000 us" ] &&
	      [ "$(field d1 v4 "Transmit interval")" = "100000 us" ]'
check "d1 dump: discriminators known both ways" \
	eval 'bfd_dump d2 && [ "$(field d1 v4 "Remote discriminator")" = \
		"$(field d2 v4 "Local discriminator")" ]'
check "d1 dump: slow is for the checker only" [ "$(field d1 slow Consumers)" = checker ]

note "capturing 3 s of Up traffic on d1"
pcap_start up d1 "$BFD_FILTER"
sleep 3
pcap_stop up
pcap_list up >"$TMP/up.txt"
n_v4=$(awk -v s="$D2" '$2 == s && $7 == "Up" && $5 == 3784' "$TMP/up.txt" | wc -l)
note "v4 packets from d2 in 3 s: $n_v4"
check "v4 from d2 at the negotiated rate (100 ms less up to 25 %: 18..45 in 3 s)" \
	[ "$n_v4" -ge 18 ] && [ "$n_v4" -le 45 ]
check "every IPv4 BFD packet has TTL 255" all_ttl "$TMP/up.txt" '^10[.]' 255
check "every IPv6 BFD packet has hop limit 64 (hoplimit default)" all_ttl "$TMP/up.txt" : 64
check "every source port in 49152-65535" ports_ok "$TMP/up.txt"
n_slow=$(awk -v s="$(slow_ip d2)" '$2 == s' "$TMP/up.txt" | wc -l)
check "the slow session sends about once a second ($n_slow in 3 s)" \
	[ "$n_slow" -ge 1 ] && [ "$n_slow" -le 6 ]

note "dropping d1's BFD packets at d2"
EXPIRED="(v4) Entering Down state (local diagnostic: Control Detection Time Expired"
downs1=$(blog_count d1 "(v4) Entering Down state")
downs2=$(blog_count d2 "$EXPIRED")
t0=$(now_ms)
bfd_cut d2 in "$D1"
check "d2: v4 Down (detection time expired)" \
	wait_for 10000 blog_count_ge d2 "$EXPIRED" $((downs2 + 1))
t2=$(elapsed_ms "$t0")
check "d1: v4 Down (told by d2)" \
	wait_for 10000 blog_count_ge d1 "(v4) Entering Down state" $((downs1 + 1))
t1=$(elapsed_ms "$t0")
note "v4 Down after $t2 ms at d2, $t1 ms at d1 (detection time 500 ms)"
check "both Down within the detection time plus 2 s" [ "$t2" -le 2500 ] && [ "$t1" -le 2500 ]
check "d1's Down says the neighbour signalled it" blog_has d1 "(v4) $SIGNALLED"
check "v6 stays Up meanwhile" sess_is d1 v6 Up
bfd_restore d2
check "v4 Up again on both after the path is restored" \
	wait_for 15000 eval 'sess_is d1 v4 Up && sess_is d2 v4 Up'

note "SIGTERM to d2"
pcap_start stop d1 "$BFD_FILTER"
downs1=$(blog_count d1 "(slow) Entering Down state")
t0=$(now_ms)
ka_stop d2
check "d1: slow Down at once (remote AdminDown), long before its 10 s detection time" \
	wait_for 3000 blog_count_ge d1 "(slow) $ADMIN_DOWN" $((downs1 + 1))
note "slow Down at d1 after $(elapsed_ms "$t0") ms"
check "d1: v4 and v6 Down too" eval 'sess_is d1 v4 Down && sess_is d1 v6 Down'
pcap_stop stop
pcap_list stop >"$TMP/stop.txt"
check "d2 sent AdminDown (diag 7) on every session: v4, slow and v6" \
	admin_downs_from "$TMP/stop.txt" "$D2" "$(slow_ip d2)" "$D2_6"
check "d2: the BFD child removed its pid file" [ ! -e "$TMP/d2/bfd.pid" ]

check "d2 restarted" bfd_start d2
check "sessions Up again" wait_for 15000 eval 'all_up d1 v4 v6 slow && all_up d2 v4 v6 slow'
check "and they stay Up (3 s)" stable 3000 d1 d2

note "kill -9 of d2's BFD child"
old=$(bfd_pid_of d2)
ups=$(blog_count d1 "(v4) Entering Up state")
kill -KILL "$old"
respawned() { local p; p=$(bfd_pid_of d2); [ -n "$p" ] && [ "$p" != "$old" ] && alive "$p"; }
check "d2: the parent respawns the BFD child" wait_for 10000 respawned
check "d2: the parent logged the death" \
	wait_for 3000 grep -q "BFD child (pid $old) killed by signal 9" "$TMP/d2/ka.log"
check "d1: v4 came back Up with the new process" \
	wait_for 15000 blog_count_ge d1 "(v4) Entering Up state" $((ups + 1))
check "d2: new child's sessions Up" wait_for 15000 eval 'sess_is d2 v4 Up && sess_is d2 v6 Up'
check "and they stay Up (2 s)" stable 2000 d1 d2

note "d2 with -B"
ka_stop d2
check "d2 -B: parent runs" bfd_start d2 -B
check "d2 -B: no BFD child (log)" \
	wait_for 5000 grep -q "BFD child not started (--no_bfd)" "$TMP/d2/ka.log"
check "d2 -B: no BFD pid file" holds 1500 test ! -e "$TMP/d2/bfd.pid"
check_not "d2 -B: nothing in its BFD log" test -s "$(blog_of d2)"
check "d1: v4 stays Down" holds 1500 sess_is d1 v4 Down
ka_stop d2
check "d2 restarted without -B" bfd_start d2
check "sessions Up again after -B" \
	wait_for 15000 eval 'all_up d1 v4 v6 slow && all_up d2 v4 v6 slow'

note "reload: add a multihop session, change v4's min_tx on d1"
disc=$(bfd_dump d1 && field d1 v4 "Local discriminator")
downs1=$(blog_count d1 "(v4) Entering Down state")
bfd_conf d2 "$(mh_block d2)"
BFD_V4_TX=200 bfd_conf d1 "$(mh_block d1)"
ka_signal d2 HUP
ka_signal d1 HUP
check "d1: reload applied" wait_for 5000 grep -q "BFD reloaded: 4 sessions" "$(blog_of d1)"
check "mh Up on both" wait_for 15000 eval 'sess_is d1 mh Up && sess_is d2 mh Up'
check "mh runs on port 4784" [ "$(field d1 mh Neighbor)" = "$D2 port 4784 (multihop)" ]
check "d1: v4 kept its discriminator" \
	eval 'bfd_dump d1 && [ "$(field d1 v4 "Local discriminator")" = "$disc" ]'
check "d1: v4 advertises 200 ms, and d2 heard it" \
	wait_for 5000 eval 'bfd_dump d1 && bfd_dump d2 &&
		[ "$(field d1 v4 "Desired min TX")" = "200000 us (advertised 200000 us)" ] &&
		[ "$(field d2 v4 "Remote desired min TX")" = "200000 us" ]'
check "d1: v4 never went Down over the reload" \
	eval '[ "$(blog_count d1 "(v4) Entering Down state")" = "$downs1" ] && sess_is d1 v4 Up'

note "reload: d2 drops mh"
bfd_conf d2
ka_signal d2 HUP
check "d1: mh Down at once, told AdminDown by d2" wait_for 5000 blog_has d1 "(mh) $ADMIN_DOWN"
check "d2: mh gone from its dump" \
	eval 'bfd_dump d2 && ! grep -q "BFD session = mh" "$TMP/d2/keepalived_bfd.data"'
check "d2: v4 still Up" sess_is d2 v4 Up

note "reload: d2 without any bfd_instance, then with them again"
old=$(bfd_pid_of d2)
downs1=$(blog_count d1 "(v4) $ADMIN_DOWN")
printf 'global_defs {\n\trouter_id d2\n}\n' >"$(conf_of d2)"
ka_signal d2 HUP
check "d2: the parent stops the BFD child" wait_for 5000 \
	grep -q "no bfd_instance configuration any more: stopping the BFD child" "$TMP/d2/ka.log"
check "d1: v4 Down at once, told AdminDown by the stopping child" \
	wait_for 5000 blog_count_ge d1 "(v4) $ADMIN_DOWN" $((downs1 + 1))
check "d2: the BFD child is gone" wait_for 5000 eval '! alive "$old"'
bfd_conf d2
ka_signal d2 HUP
check "d2: a BFD child runs again" wait_for 5000 respawned
check "sessions Up again after the reloads" \
	wait_for 15000 eval 'all_up d1 v4 v6 slow && all_up d2 v4 v6 slow'

note "hostile packets from d2's namespace to d1"
bfd_dump d1
base_ttl=$(drops d1 v4 ttl)
downs1=$(blog_count d1 "(v4) Entering Down state")
p1=$(parent_of d1)
b1=$(bfd_pid_of d1)
ip netns exec "$(ns_of d2)" /usr/bin/python3 - "$D2" "$D1" <<'PY'
import struct, sys
from scapy.all import IP, UDP, Raw, send
src, dst = sys.argv[1], sys.argv[2]
def bfd(vers=1, state=1, flags=0, mult=3, length=24, my=0x1234, your=0, extra=b""):
    return struct.pack("!BBBBIIIII", vers << 5, state << 6 | flags, mult, length,
                       my, your, 1000000, 1000000, 0) + extra
pkts = [
    bfd(vers=2),                                   # bad version
    bfd()[:10],                                    # short
    bfd(my=0),                                     # zero My Discriminator
    bfd(state=3, your=0),                          # Up with Your Discriminator 0
    bfd(flags=0x04, length=26, extra=b"\x01\x02"), # A bit: no authentication here
]
for p in pkts:
    for _ in range(2):
        send(IP(src=src, dst=dst, ttl=255) / UDP(sport=49999, dport=3784) / Raw(p), verbose=0)
# valid but from afar: TTL 254 on a single hop session (would take v4 Down)
for _ in range(2):
    send(IP(src=src, dst=dst, ttl=254) / UDP(sport=49999, dport=3784) / Raw(bfd()), verbose=0)
# a discriminator nobody has
send(IP(src=src, dst=dst, ttl=255) / UDP(sport=49999, dport=3784) /
     Raw(bfd(state=3, your=0x5a5a5a5a)), verbose=0)
PY
sleep 0.5
check "d1: dump after the hostile packets" bfd_dump d1
for k in version short my-discriminator your-discriminator auth; do
	check "d1: v4 counted the $k drops" drops_ge d1 v4 "$k" 2
done
check "d1: v4 counted the TTL 254 drops" drops_ge d1 v4 ttl $((base_ttl + 2))
check "d1: the unknown discriminator counted with no session" drops_ge d1 - no-session 1
check "d1: dropped packets logged" \
	blog_has d1 "(v4) dropped a packet from $D2 port 49999: bad version"
check "d1: v4 stayed Up (the TTL 254 Down was not taken)" \
	eval '[ "$(blog_count d1 "(v4) Entering Down state")" = "$downs1" ] && sess_is d1 v4 Up'
check "d1: daemon and BFD child still the same processes" \
	eval '[ "$(parent_of d1)" = "$p1" ] && alive "$p1" &&
	      [ "$(bfd_pid_of d1)" = "$b1" ] && alive "$b1"'
check "d1: SIGUSR2 writes the counters" \
	eval 'rm -f "$TMP/d1/keepalived_bfd.stats"; ka_signal d1 USR2;
	      wait_for 3000 grep -q "Dropped (version) = 2" "$TMP/d1/keepalived_bfd.stats"'

# ---- B. ours <-> the reference keepalived --------------------------------------------------

if [ ! -x "$KA_REF" ] || [[ $("$KA_REF" --version 2>&1) != "Keepalived v2."* ]]; then
	note "no reference keepalived at $KA_REF: part B skipped"
	finish
fi
ka_stop d2
# the reference reads the same syntax; its dumps are not needed
grep -v "_dump_file" "$(conf_of d2)" >"$TMP/d2/ref.conf" && mv "$TMP/d2/ref.conf" "$(conf_of d2)"
check "d2: the reference keepalived's BFD child starts" ref_bfd_start d2
for s in v4 v6 slow; do
	check "ref: $s Up (its log)" wait_for 20000 ref_log_count_ge d2 "($s) Entering Up state" 1
	check "ours: $s Up" wait_for 20000 sess_is d1 $s Up
done

note "dropping the reference's packets at d1"
ref_downs=$(grep -c "(v4) Entering Down state" "$TMP/d2/ref.log")
downs1=$(blog_count d1 "$EXPIRED")
t0=$(now_ms)
bfd_cut d1 in "$D2"
check "ours: v4 Down (detection time expired)" \
	wait_for 10000 blog_count_ge d1 "$EXPIRED" $((downs1 + 1))
note "ours Down after $(elapsed_ms "$t0") ms"
check "ours: within the detection time plus 2 s" [ "$(elapsed_ms "$t0")" -le 3000 ]
check "ref: v4 Down (its log)" \
	wait_for 10000 ref_log_count_ge d2 "(v4) Entering Down state" $((ref_downs + 1))
bfd_restore d1
check "v4 Up again: ours" wait_for 20000 sess_is d1 v4 Up
check "v4 Up again: ref" wait_for 20000 ref_log_count_ge d2 "(v4) Entering Up state" 2

note "stopping ours"
t0=$(now_ms)
ka_stop d1
check "ref: slow Down at once, told by ours (its detection time is 10 s)" \
	wait_for 3000 ref_log_count_ge d2 \
		"(slow) Entering Down state (Local diagnostic - Neighbor Signaled Session Down" 1
note "ref saw slow Down after $(elapsed_ms "$t0") ms"
check "ref: v6 Down too" wait_for 3000 grep -q "(v6) Entering Down state" "$TMP/d2/ref.log"

finish
