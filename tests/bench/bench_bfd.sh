#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench_bfd.sh - BFD figures side by side with the reference keepalived: detection
# time at 10 ms x 5, VRRP failover through track_bfd, CPU and memory of many sessions
#
# Usage (as root, from a build directory, or with KA=path/to/daemon/keepalived):
#   tests/bench/bench_bfd.sh            full run: 10 repetitions, 30 s of load (~5 min)
#   FAST=1 tests/bench/bench_bfd.sh     quick look: 3 repetitions, 10 s of load
# REPS, LOAD_SECS, NSESS (sessions under load, 100), PEER and KA_REF (default
# /usr/sbin/keepalived) override; PARTS (default "detect failover load") runs
# only some parts.
#
# Not a test: it prints tables and exits 0. Namespaces of the VRRP harness
# (tests/vrrp/lib.sh): directors d1 and d2, a client c and a router rt
# (10.77.0.30) on one bridge, removed at the end with every process started.
# The implementation under test runs on the directors; the peer on rt is fixed:
# the reference keepalived (PEER=ref, the default), or PEER=ours, or PEER=same
# (the implementation under test on both ends). Daemons run by hand with their
# own pid files, every child they have work for (no -P: BFD is wanted), and
# their console output stamped line by line on arrival (perl, microseconds):
# the reference's log lines only carry seconds, so the same stamp serves both.
#
# 1. Detection: one session d1 <-> rt, min_rx/min_tx 10 ms, multiplier 5 (50 ms
#    detection time). The cut is an nft rule in rt's namespace dropping rt's BFD
#    packets to d1 (its time taken right before nft runs). A capture in d1's
#    namespace gives the last packet d1 received (its detection timer runs from
#    it) and d1's first packet with State Down. Printed: cut -> Down logged,
#    last packet received -> Down logged against the 50 ms bound, and Down
#    logged -> the first Down packet on the wire.
# 2. Failover: d1 (priority 150) and d2 (100) share a VIP, VRRPv2 advert_int 1,
#    each with an unweighted track_bfd on its session to rt (same timers). The
#    cut (as above) takes d1's session Down, d1 to FAULT, and d2 takes the VIP:
#    time from the cut to d2's first gratuitous ARP in the client's capture,
#    against what VRRP alone would take (3 x advert_int + skew, 3609.4 ms) and
#    what BFD allows (50 ms + the skew d2 waits after d1's priority 0 advert,
#    609.4 ms), with the steps in between.
# 3. Cost: NSESS sessions at 10 ms x 5 between d1 and rt (address pairs of
#    their own); once all are Up, CPU (utime + stime, % of one core) of d1's
#    BFD process over LOAD_SECS, its VmRSS and wake-ups (voluntary context
#    switches), UDP datagrams per second in and out of d1's namespace, and
#    sessions that went Down during the window; the same for the peer's BFD
#    process, as a check on the machine's noise.
# shellcheck disable=SC1091,SC2016,SC2317 # (variables used in eval strings)

here=$(cd "$(dirname "$0")" && pwd)
KA=${KA:-${top_builddir:-.}/daemon/keepalived}
. "$here/../vrrp/lib.sh"
export LC_ALL=C # EPOCHREALTIME and awk with a decimal point

[ -x "$KA_REF" ] || skip "no reference keepalived at $KA_REF"
command -v tcpdump >/dev/null || skip "needs tcpdump"
command -v nft >/dev/null || skip "needs nft"
perl -MTime::HiRes -e 1 2>/dev/null || skip "needs perl with Time::HiRes"
if [ -n "${FAST:-}" ]; then
	REPS=${REPS:-3}
	LOAD_SECS=${LOAD_SECS:-10}
else
	REPS=${REPS:-10}
	LOAD_SECS=${LOAD_SECS:-30}
fi
NSESS=${NSESS:-100}
PARTS=${PARTS:-detect failover load}
PEER=${PEER:-ref}
case $PEER in ours | ref | same) ;; *) skip "PEER is ours, ref or same" ;; esac
VIP=10.77.0.250
RT=10.77.0.30
D1=$(ip4_of d1)
HZ=$(getconf CLK_TCK)
RESULTS=$TMP/results
TIMERS="min_rx 10
	min_tx 10
	multiplier 5"

peer_of() { if [ "$PEER" = same ]; then echo "$1"; else echo "$PEER"; fi; }

# ---- daemons ------------------------------------------------------------------------

# stamp: each input line with its arrival time in front
# (perl reads what the pipe holds at once: bash's read takes a byte per system
# call, a tenth of a millisecond per line)
stamp() { perl -MTime::HiRes=time -ne 'BEGIN { $| = 1 } printf "%.6f %s", time, $_'; }

con_of() { echo "$TMP/$1/console.txt"; }

# impl_start IMPL NODE [vrrp]: IMPL's daemon on NODE, its console stamped into
# NODE's console.txt; waits until the BFD child (and the VRRP child) run
impl_start() {
	local impl=$1 node=$2 d="$TMP/$2" pid
	rm -f "$d"/*.pid
	: >"$(con_of "$node")"
	if [ "$impl" = ours ]; then
		"$KA" --namespace "$(ns_of "$node")" -n -l -G -D --log-file="$d/ka.log" \
			-p "$d/ka.pid" -r "$d/vrrp.pid" -c "$d/check.pid" -b "$d/bfd.pid" \
			-f "$(conf_of "$node")" > >(stamp >>"$(con_of "$node")") 2>&1 &
	else
		ip netns exec "$(ns_of "$node")" "$KA_REF" -n -l -G -D -p "$d/ka.pid" \
			-r "$d/vrrp.pid" -c "$d/check.pid" -b "$d/bfd.pid" \
			-f "$(conf_of "$node")" > >(stamp >>"$(con_of "$node")") 2>&1 &
	fi
	pid=$!
	disown "$pid"
	STARTED+=("$pid")
	echo "$pid" >"$d/parent"
	wait_for 5000 eval "[ -s '$d/bfd.pid' ] && kill -0 \$(cat '$d/bfd.pid') 2>/dev/null" ||
		{ note "$impl on $node: no BFD child"; return 1; }
	[ "${3:-}" = vrrp ] || return 0
	wait_for 5000 eval "[ -s '$d/vrrp.pid' ] && kill -0 \$(cat '$d/vrrp.pid') 2>/dev/null"
}

impl_stop() { # impl_stop NODE: SIGTERM, wait until the parent and the BFD child are gone
	local b
	b=$(cat "$TMP/$1/bfd.pid" 2>/dev/null)
	ka_stop "$1"
	[ -n "$b" ] && wait_for 5000 eval "! alive $b"
	return 0
}

# con_count NODE TEXT: console lines of NODE holding TEXT
con_count() {
	local n
	n=$(grep -cF -- "$2" "$(con_of "$1")" 2>/dev/null) || true
	echo "${n:-0}"
}
con_count_ge() { [ "$(con_count "$1" "$2")" -ge "$3" ]; }
# con_stamp NODE TEXT N: arrival time of the Nth console line holding TEXT
con_stamp() { grep -F -- "$2" "$(con_of "$1")" | sed -n "${3}p" | cut -d' ' -f1; }
# file_stamp NODE TEXT N: our daemon's own time (log file, microseconds) of the
# Nth BFD log line holding TEXT, in seconds since the epoch
file_stamp() {
	local l
	l=$(grep -F -- "$2" "$TMP/$1/ka_bfd.log" 2>/dev/null | sed -n "${3}p")
	[ -n "$l" ] && date -d "$(cut -d' ' -f1,2 <<<"$l")" +%s.%6N
}
# vstate_is NODE STATE: the last "(VI_1) Entering X STATE" on NODE's console
vstate_is() {
	[ "$(grep -o "(VI_1) Entering [A-Z]* STATE" "$(con_of "$1")" | tail -n 1)" = \
		"(VI_1) Entering $2 STATE" ]
}

# ---- the cut: rt drops its BFD packets to d1 ------------------------------------------

cut_d1() { bfd_cut rt out "$D1"; }
restore_d1() { bfd_restore rt 2>/dev/null; }

# ---- captures -------------------------------------------------------------------------


# bfd_list NAME: "time src dst state" per BFD packet of capture NAME
bfd_list() {
	tcpdump -r "$TMP/$1.pcap" -tt -nn -v 2>/dev/null | awk '
		/^[0-9]+\.[0-9]+ IP / { t = $1; next }
		t != "" && / > / && /BFD/ {
			s = $1; d = $3; sub(/\.[0-9]+$/, "", s); sub(/\.[0-9]+:$/, "", d); next }
		t != "" && /Control, State/ {
			st = $3; sub(/,$/, "", st); print t, s, d, st; t = "" }'
}
# last_from LIST SRC T: time of SRC's last packet before T
last_from() { awk -v s="$2" -v t="$3" '$2 == s && $1 < t + 0 { l = $1 } END { print l }' "$1"; }
# first_down_from LIST SRC T: time of SRC's first State Down packet after T
first_down_from() {
	awk -v s="$2" -v t="$3" '$2 == s && $1 > t + 0 && $4 == "Down" { print $1; exit }' "$1"
}
ms() { # ms A B: milliseconds from A to B (seconds), three decimals; - if one is missing
	if [ -z "$1" ] || [ -z "$2" ]; then echo -; return; fi
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }'
}

# ---- 1. detection -----------------------------------------------------------------------

# sess_conf NAME NEIGHBOR SOURCE: one bfd_instance at 10 ms x 5
sess_conf() {
	printf 'bfd_instance %s {\n\tneighbor_ip %s\n\tsource_ip %s\n\t%s\n}\n' "$1" "$2" "$3" \
		"$TIMERS"
}

pause() { sleep "$(awk -v r="$RANDOM" "BEGIN { print $1 + r % 1000 / 1000 }")"; }

detect() { # detect IMPL
	local impl=$1 rep t0 t1 downs ups tl tdown tfile tpkt
	sess_conf b "$RT" "$D1" >"$(conf_of d1)"
	sess_conf b "$D1" "$RT" >"$(conf_of rt)"
	impl_start "$(peer_of "$impl")" rt || return 1
	impl_start "$impl" d1 || return 1
	wait_for 20000 con_count_ge d1 "(b) Entering Up state" 1 ||
		{ note "detect $impl: no session"; return 1; }
	for ((rep = 1; rep <= REPS; rep++)); do
		pause 1.5 # past the poll sequence to 10 ms, at a random point of rt's sending
		pcap_start det d1 "udp port 3784"
		downs=$(con_count d1 "(b) Entering Down state")
		t0=$EPOCHREALTIME
		cut_d1
		t1=$EPOCHREALTIME
		wait_for 5000 con_count_ge d1 "(b) Entering Down state" $((downs + 1))
		sleep 0.2 # the first Down packet is out
		pcap_stop det
		restore_d1
		bfd_list det >"$TMP/det.txt"
		tdown=$(con_stamp d1 "(b) Entering Down state" $((downs + 1)))
		tfile=
		[ "$impl" = ours ] && tfile=$(file_stamp d1 "(b) Entering Down state" $((downs + 1)))
		tl=$(last_from "$TMP/det.txt" "$RT" "${tdown:-$t1}")
		tpkt=$(first_down_from "$TMP/det.txt" "$D1" "${tl:-$t0}")
		echo "det $impl $(ms "$t0" "$tdown") $(ms "$tl" "$tdown") $(ms "$tdown" "$tpkt")" \
			"$(ms "$t0" "$t1") $(ms "$tfile" "$tdown") $(ms "$t0" "$tl")" >>"$RESULTS"
		ups=$(con_count d1 "(b) Entering Up state")
		wait_for 20000 con_count_ge d1 "(b) Entering Up state" $((rep + 1)) ||
			note "detect $impl: session not Up again ($ups Up lines)"
	done
	impl_stop d1
	impl_stop rt
	note "detection $impl done"
}

# ---- 2. failover through track_bfd ------------------------------------------------------

director_conf() { # director_conf NODE PRIORITY
	sess_conf to_rt "$RT" "$(ip4_of "$1")"
	cat <<EOF
vrrp_instance VI_1 {
	interface eth0
	virtual_router_id 61
	priority $2
	advert_int 1
	garp_master_delay 0
	track_bfd {
		to_rt
	}
	virtual_ipaddress {
		$VIP/24
	}
}
EOF
}

d1_holds() { only_on "$VIP" d1 d2 && vstate_is d1 MASTER && vstate_is d2 BACKUP; }

# first_garp_after T: time of d2's first GARP for the VIP after T in the client's capture
first_garp_after() {
	awk -v t="$1" -v vip="$VIP" 'index($0, "tell " vip) && $1 > t + 0 { print $1; exit }' \
		"$TMP/fo_cap.txt"
}
# prio0_after T: time of d1's first priority 0 advert after T in the client's capture
prio0_after() {
	awk -v t="$1" -v src="IP $D1 >" \
		'index($0, src) && /prio 0,/ && $1 > t + 0 { print $1; exit }' "$TMP/fo_cap.txt"
}

failover() { # failover IMPL
	local impl=$1 rep t0 tg tl tdown tp downs n
	director_conf d1 150 >"$(conf_of d1)"
	director_conf d2 100 >"$(conf_of d2)"
	{ sess_conf d1 "$D1" "$RT"; sess_conf d2 "$(ip4_of d2)" "$RT"; } >"$(conf_of rt)"
	impl_start "$(peer_of "$impl")" rt || return 1
	impl_start "$impl" d2 vrrp || return 1
	impl_start "$impl" d1 vrrp || return 1
	wait_for 30000 d1_holds || { note "failover $impl: d1 never became master"; return 1; }
	ip netns exec "$(ns_of c)" tcpdump -i eth0 -nn -l -tt --immediate-mode \
		"(arp and ether src $(mac_of d2)) or ip proto 112" \
		>"$TMP/fo_cap.txt" 2>"$TMP/fo_cap.err" &
	n=$!
	disown "$n"
	STARTED+=("$n")
	wait_for 5000 grep -qs "listening on" "$TMP/fo_cap.err"
	for ((rep = 1; rep <= REPS; rep++)); do
		pause 1
		pcap_start fo d1 "udp port 3784"
		downs=$(con_count d1 "(to_rt) Entering Down state")
		t0=$EPOCHREALTIME
		cut_d1
		tg=
		wait_for 10000 eval 'tg=$(first_garp_after $t0); [ -n "$tg" ]'
		sleep 0.1
		pcap_stop fo
		restore_d1
		bfd_list fo >"$TMP/fo.txt"
		tdown=$(con_stamp d1 "(to_rt) Entering Down state" $((downs + 1)))
		tl=$(last_from "$TMP/fo.txt" "$RT" "${tdown:-$t0}")
		tp=$(prio0_after "$t0")
		echo "fo $impl $(ms "$t0" "$tg") $(ms "$tl" "$tdown") $(ms "$tdown" "$tp")" \
			"$(ms "$tp" "$tg") $(ms "$tl" "$tg") $(prio0_count "$t0" "${tg:-$t0}")" \
			>>"$RESULTS"
		wait_for 30000 d1_holds || note "failover $impl: d1 did not take the VIP back"
	done
	kill "$n" 2>/dev/null
	impl_stop d1
	impl_stop d2
	impl_stop rt
	note "failover $impl done"
}

# prio0_count A B: d1's priority 0 adverts from A to B in the client's capture
prio0_count() {
	awk -v a="$1" -v b="$2" -v src="IP $D1 >" \
		'index($0, src) && /prio 0,/ && $1 > a + 0 && $1 <= b + 0 { n++ } END { print n + 0 }' \
		"$TMP/fo_cap.txt"
}

# ---- 3. cost of many sessions -----------------------------------------------------------

many_conf() { # many_conf NODE: NSESS sessions, d1 10.88.1.x <-> rt 10.88.2.x
	local i me=1 peer=2
	[ "$1" = rt ] && me=2 peer=1
	for ((i = 1; i <= NSESS; i++)); do
		sess_conf "s$i" "10.88.$peer.$i" "10.88.$me.$i"
	done
}

# up_sessions NODE: sessions whose last state line on NODE's console is Up
up_sessions() {
	grep -o "(s[0-9]*) Entering [A-Za-z]* state" "$(con_of "$1")" |
		awk '{ st[$1] = $3 } END { for (k in st) n += st[k] == "Up"; print n + 0 }'
}

ticks() { # ticks PID: utime + stime
	local f
	f=$(cut -d' ' -f14,15 "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
	echo $((${f% *} + ${f#* }))
}
rss() { awk '/^VmRSS:/ { n = $2 } END { print n + 0 }' "/proc/$1/status" 2>/dev/null; }
# csw PID: voluntary context switches (the process's wake-ups from a wait)
csw() {
	awk '/^voluntary_ctxt_switches:/ { n = $2 } END { print n + 0 }' "/proc/$1/status" 2>/dev/null
}
# udp_counters NODE: InDatagrams OutDatagrams RcvbufErrors of NODE's namespace
udp_counters() {
	ip netns exec "$(ns_of "$1")" awk '/^Udp:/ && $2 ~ /^[0-9]+$/ { print $2, $5, $6 }' \
		/proc/net/snmp
}

load() { # load IMPL
	local impl=$1 start settle b1 b2 c1 c2 p1 p2 w1 w2 q1 q2 u1 u2 downs1 downs2 pdowns1 pdowns2 up
	many_conf d1 >"$(conf_of d1)"
	many_conf rt >"$(conf_of rt)"
	impl_start "$(peer_of "$impl")" rt || return 1
	start=$(now_ms)
	impl_start "$impl" d1 || return 1
	settle=lost
	local deadline=$(($(now_ms) + 120000))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		[ "$(up_sessions d1)" = "$NSESS" ] && { settle=$(elapsed_ms "$start"); break; }
		sleep 0.2
	done
	[ "$settle" = lost ] && note "load $impl: $(up_sessions d1) of $NSESS sessions Up"
	sleep 5 # the poll sequences to 10 ms are over
	b1=$(cat "$TMP/d1/bfd.pid")
	b2=$(cat "$TMP/rt/bfd.pid")
	c1=$(ticks "$b1")
	p1=$(ticks "$b2")
	w1=$(csw "$b1")
	q1=$(csw "$b2")
	read -ra u1 <<<"$(udp_counters d1)"
	downs1=$(con_count d1 "Entering Down state")
	pdowns1=$(con_count rt "Entering Down state")
	sleep "$LOAD_SECS"
	c2=$(ticks "$b1")
	p2=$(ticks "$b2")
	w2=$(csw "$b1")
	q2=$(csw "$b2")
	read -ra u2 <<<"$(udp_counters d1)"
	downs2=$(con_count d1 "Entering Down state")
	pdowns2=$(con_count rt "Entering Down state")
	up=$(up_sessions d1)
	awk -v c1="$c1" -v c2="$c2" -v p1="$p1" -v p2="$p2" -v hz="$HZ" -v s="$LOAD_SECS" \
		-v i="$((u2[0] - u1[0]))" -v o="$((u2[1] - u1[1]))" -v e="$((u2[2] - u1[2]))" \
		-v impl="$impl" -v settle="$settle" -v rss="$(rss "$b1")" -v prss="$(rss "$b2")" \
		-v downs="$((downs2 - downs1))" -v up="$up" -v pdowns="$((pdowns2 - pdowns1))" \
		-v w="$((w2 - w1))" -v q="$((q2 - q1))" 'BEGIN {
		printf "load %s %s %.2f %s %.0f %.0f %d %d %d %.2f %s %d %.0f %.0f\n", impl,
			settle, (c2 - c1) * 100 / hz / s, rss, i / s, o / s, e, downs, up,
			(p2 - p1) * 100 / hz / s, prss, pdowns, w / s, q / s }' >>"$RESULTS"
	impl_stop d1
	impl_stop rt
	note "load $impl done"
}

# ---- report -----------------------------------------------------------------------------

report() {
	/usr/bin/python3 - "$RESULTS" "$REPS" "$LOAD_SECS" "$NSESS" "$PEER" <<'PY'
import statistics, sys
path, reps, secs, nsess, peer = sys.argv[1:6]
rows = {}
for line in open(path):
    f = line.split()
    rows.setdefault((f[0], f[1]), []).append(f[2:])
names = {"ours": "ours", "ref": "keepalived"}
peers = {"ref": "keepalived 2.2.7", "ours": "ours", "same": "the same implementation"}
hdr = (f"{'':38} {'impl':10} {'median':>9} {'max':>9} {'lost':>5} {'bound':>8} "
       f"{'over med':>9} {'over max':>9}")

def has(kind):
    return any(k[0] == kind for k in rows)

def col(kind, impl, i):
    return [float(r[i]) for r in rows.get((kind, impl), []) if r[i] != "-"]

def table(kind, lines):
    """lines: (label, column, bound or None); a row per implementation"""
    print(hdr)
    for what, i, bound in lines:
        for impl in ("ours", "ref"):
            v = col(kind, impl, i)
            lost = len(rows.get((kind, impl), [])) - len(v)
            out = f"{what:38} {names[impl]:10} "
            if not v:
                print(out + f"{'-':>9} {'-':>9} {lost:5}")
                continue
            med, mx = statistics.median(v), max(v)
            out += f"{med:9.2f} {mx:9.2f} {lost:5}"
            if bound is not None:
                out += f" {bound:8.1f} {med - bound:9.2f} {mx - bound:9.2f}"
            print(out)

print(f"Peer on rt: {peers[peer]}")
if has("det"):
    print()
    print(f"1. Detection, 10 ms x 5 (bound 50 ms), {reps} runs each (ms)")
    table("det", (("cut -> Down logged", 0, None),
                  ("last packet received -> Down logged", 1, 50.0),
                  ("Down logged -> first Down packet", 2, None),
                  ("cut -> last packet received", 5, None),
                  ("nft run (cut command)", 3, None)))
    v = col("det", "ours", 4)
    if v:
        print(f"ours: own log time -> line read from its console: median "
              f"{statistics.median(v):.3f} ms, max {max(v):.3f} ms")
if has("fo"):
    print()
    print(f"2. Failover through track_bfd (VRRPv2 advert_int 1), {reps} runs each (ms)")
    skew = (256 - 100) / 256 * 1000
    table("fo", (("cut -> GARP of d2 (VRRP alone)", 0, 3000 + skew),
                 ("cut -> GARP of d2 (BFD + skew)", 0, 50 + skew),
                 ("last BFD packet -> GARP of d2", 4, 50 + skew),
                 ("last BFD packet -> d1 Down logged", 1, 50.0),
                 ("d1 Down logged -> d1 priority 0", 2, None),
                 ("d1 priority 0 -> GARP of d2", 3, skew)))
    for impl in ("ours", "ref"):
        n = [r[5] for r in rows.get(("fo", impl), [])]
        if n:
            print(f"{names[impl]}: priority 0 adverts from d1 per failover: {' '.join(n)}")
if has("load"):
    print()
    print(f"3. {nsess} sessions at 10 ms x 5 on d1, over {secs} s "
          "(peer: the BFD process on rt)")
    print(f"{'impl':10} {'settle ms':>9} {'CPU %':>6} {'RSS MiB':>7} {'wakeups/s':>9} "
          f"{'UDP in/s':>8} {'out/s':>6} {'rcvbuf err':>10} {'Downs':>5} {'Up at end':>9} "
          f"{'peer CPU %':>10} {'peer RSS':>8} {'peer wakeups/s':>14} {'peer Downs':>10}")
    for impl in ("ours", "ref"):
        for r in rows.get(("load", impl), []):
            print(f"{names[impl]:10} {r[0]:>9} {r[1]:>6} {int(r[2]) / 1024:7.1f} {r[11]:>9} "
                  f"{r[3]:>8} {r[4]:>6} {r[5]:>10} {r[6]:>5} {r[7]:>9} {r[8]:>10} "
                  f"{int(r[9]) / 1024:8.1f} {r[12]:>14} {r[10]:>10}")
    lo, lr = rows.get(("load", "ours")), rows.get(("load", "ref"))
    if lo and lr and float(lr[0][1]) > 0 and int(lr[0][2]) > 0:
        print(f"ratios ours / keepalived: CPU {float(lo[0][1]) / float(lr[0][1]):.2f}, "
              f"RSS {int(lo[0][2]) / int(lr[0][2]):.2f}")
print()
print("runs (ms): detection cut -> Down logged, failover cut -> GARP")
for kind in ("det", "fo"):
    for impl in ("ours", "ref"):
        if (kind, impl) in rows:
            print(f"  {kind:3} {names[impl]:10} " + " ".join(r[0] for r in rows[(kind, impl)]))
PY
}

: >"$RESULTS"
topo_create 2
ns_add rt
node_link rt 02:77:00:00:00:1e
ip -n "$(ns_of rt)" addr add "$RT/24" dev eth0
mkdir -p "$TMP/rt"
for ((i = 1; i <= NSESS; i++)); do
	echo "address add 10.88.1.$i/16 dev eth0"
done | ip -n "$(ns_of d1)" -batch -
for ((i = 1; i <= NSESS; i++)); do
	echo "address add 10.88.2.$i/16 dev eth0"
done | ip -n "$(ns_of rt)" -batch -
note "ours: $KA; reference: $KA_REF ($("$KA_REF" --version 2>&1 | head -n 1)); peer: $PEER"
note "$REPS repetitions, $LOAD_SECS s of load, $NSESS sessions"
for part in $PARTS; do
	for impl in ours ref; do
		"$part" "$impl"
	done
done
echo
echo "ours = $KA, ref = $("$KA_REF" --version 2>&1 | head -n 1)"
report
