#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench_vrrp.sh - VRRP figures side by side with the reference keepalived: takeover
# time after kill -9 and SIGTERM of the master, CPU and memory of 1,000 instances
#
# Usage (as root, from a build directory, or with KA=path/to/daemon/keepalived):
#   tests/bench/bench_vrrp.sh            full run: 10 repetitions, 60 s of load
#   FAST=1 tests/bench/bench_vrrp.sh     quick look: 3 repetitions, 10 s of load
# REPS, LOAD_SECS, NINST and KA_REF (default /usr/sbin/keepalived) override.
#
# Not a test: it prints a table and exits 0. It uses the VRRP scenario harness
# (tests/vrrp/lib.sh): directors d1 and d2 and a client on a bridge, in network
# namespaces of their own, removed at the end.
#
# Takeover: both directors run the same implementation; d1 (priority 200, state
# MASTER) holds the VIP and d2 (priority 100) backs it up, with VRRPv2 at
# advert_int 1 and VRRPv3 at advert_int 0.1. The fault time is taken right before
# the signal goes to d1 (kill -9 of its VRRP process then its parent, or SIGTERM);
# the takeover ends with the first gratuitous ARP from d2 for the VIP seen by tcpdump
# in the client's namespace (kernel receive timestamps). Faults come at a random
# point of d1's advert period; after each repetition d1 restarts and takes the VIP
# back. The protocol bound is 3 x advert_int + skew
# after kill -9 (the backup waits the master-down interval from the last advert it
# got, so takeovers spread between the bound minus one interval and the bound) and
# the skew after SIGTERM (priority 0 advert), skew being (256 - 100) / 256 x
# advert_int.
#
# Load: NINST instances (VRRPv3, advert_int 1, one /32 VIP each) on d1's and d2's
# eth0, d1 master of all of them, d2 backup. VRIDs only go to 255 per interface and
# family, so the instances are unicast, in groups of 250 VRIDs each with its own pair
# of source addresses. Once d1 holds every VIP, CPU is utime + stime of all the
# daemon's processes over LOAD_SECS, RSS the sum of their VmRSS at the end.
# shellcheck disable=SC1091

here=$(cd "$(dirname "$0")" && pwd)
KA=${KA:-${top_builddir:-.}/daemon/keepalived}
. "$here/../vrrp/lib.sh"

[ -x "$KA_REF" ] || skip "no reference keepalived at $KA_REF"
command -v tcpdump >/dev/null || skip "needs tcpdump"
if [ -n "${FAST:-}" ]; then
	REPS=${REPS:-3}
	LOAD_SECS=${LOAD_SECS:-10}
else
	REPS=${REPS:-10}
	LOAD_SECS=${LOAD_SECS:-60}
fi
NINST=${NINST:-1000}
VIP=10.77.0.200
HZ=$(getconf CLK_TCK)
RESULTS=$TMP/results

start_impl() { # start_impl IMPL NODE
	if [ "$1" = ours ]; then
		ka_start "$2" -R
	else
		ref_start "$2" -R
	fi
}

conf_impl() { # conf_impl IMPL NODE < TEXT
	if [ "$1" = ours ]; then
		write_conf "$2"
	else
		write_ref_conf "$2"
	fi
}

# ---- takeover -------------------------------------------------------------------

pair_conf() { # pair_conf NODE PRIORITY STATE VERSION ADVERT_INT
	cat <<EOF
vrrp_instance VI_1 {
	state $3
	interface eth0
	version $4
	virtual_router_id 51
	priority $2
	advert_int $5
	garp_master_delay 0
	virtual_ipaddress {
		$VIP/24
	}
}
EOF
}

# first_garp_after T: seconds.micro of the first GARP of d2 in the capture after
# time T (date +%s.%N), or nothing
first_garp_after() {
	awk -v t="$1" -v vip="$VIP" '
		index($0, "tell " vip) {
			split($1, a, "."); split(t, b, ".")
			if (a[1] > b[1] || (a[1] == b[1] && a[2] * 1000 > substr(b[2], 1, 9) + 0)) {
				print $1; exit
			}
		}' "$TMP/cap.txt"
}

# last_adv_before NODE T: seconds.micro of NODE's last VRRP packet in the capture
# before capture time T (same format). For d1: the advert the backup's timer ran
# from, or the priority 0 advert of a SIGTERM; for d2: its first advert as master
# (entering MASTER sends it, then the GARPs)
last_adv_before() {
	awk -v t="$2" -v src="IP $(ip4_of "$1") >" '
		/VRRP/ && index($0, src) { if ($1 + 0 < t + 0) last = $1; else exit }
		END { if (last != "") print last }' "$TMP/cap.txt"
}

# us_diff A B: milliseconds from capture time A to B, three decimals
us_diff() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }'; }

# ms_between T0 T1: milliseconds from T0 (s.ns) to T1 (s.us), three decimals
ms_between() {
	awk -v t0="$1" -v t1="$2" 'BEGIN {
		split(t0, a, "."); split(t1, b, ".")
		printf "%.3f\n", (b[1] - a[1]) * 1000 + b[2] / 1000 - substr(a[2], 1, 9) / 1e6 }'
}

d1_back() { only_on $VIP d1 d2 && state_is d2 VI_1 BACKUP; }

# takeover IMPL VERSION ADVERT_INT: REPS kill -9 and REPS SIGTERM of d1
takeover() {
	local impl=$1 ver=$2 adv=$3 fault rep t0 t1 settle stopper
	pair_conf d1 200 MASTER "$ver" "$adv" | conf_impl "$impl" d1
	pair_conf d2 100 BACKUP "$ver" "$adv" | conf_impl "$impl" d2
	start_impl "$impl" d2
	start_impl "$impl" d1
	wait_for 15000 d1_back || { note "$impl v$ver: d1 never became master"; return 1; }
	ip netns exec "$(ns_of c)" tcpdump -i eth0 -nn -l -tt --immediate-mode \
		"(arp and ether src $(mac_of d2)) or ip proto 112" \
		>"$TMP/cap.txt" 2>"$TMP/cap.err" &
	local cap=$!
	STARTED+=("$cap")
	wait_for 5000 grep -qs "listening on" "$TMP/cap.err"
	for fault in kill9 term; do
		for ((rep = 1; rep <= REPS; rep++)); do
			# let d2 hear a few adverts, and fault at a random point of d1's
			# advert period (kill -9 takeovers then spread over one interval)
			settle=$(awk -v a="$adv" -v r="$RANDOM" \
				'BEGIN { print (a * 2 > 1 ? a * 2 : 1) + a * (r % 1000) / 1000 }')
			sleep "$settle"
			stopper=
			t0=$(date +%s.%N)
			if [ "$fault" = kill9 ]; then
				ka_kill9 d1
			else
				ka_stop d1 &
				stopper=$!
			fi
			t1=
			wait_for 10000 eval 't1=$(first_garp_after $t0); [ -n "$t1" ]'
			[ -n "$stopper" ] && wait "$stopper"
			rm -f "$TMP/d1/parent"
			local ta= tm= from_adv=lost to_adv=lost garp=lost
			[ -n "$t1" ] && ta=$(last_adv_before d1 "$t1") && tm=$(last_adv_before d2 "$t1")
			if [ -n "$ta" ]; then
				from_adv=$(us_diff "$ta" "$t1")
				to_adv=$(ms_between "$t0" "$ta")
			fi
			[ -n "$tm" ] && garp=$(us_diff "$tm" "$t1")
			[ -n "$t1" ] && t1=$(ms_between "$t0" "$t1")
			echo "takeover $impl v$ver $fault ${t1:-lost} $from_adv $to_adv $garp" \
				>>"$RESULTS"
			# d1 back: leftovers of a kill -9 go first, as at a reboot
			ip -n "$(ns_of d1)" addr del "$VIP/24" dev eth0 2>/dev/null
			start_impl "$impl" d1
			wait_for 15000 d1_back || note "$impl v$ver: d1 did not take the VIP back"
		done
	done
	kill "$cap" 2>/dev/null
	ka_stop d1
	ka_stop d2
	note "takeover $impl v$ver advert_int $adv done"
}

# ---- load -----------------------------------------------------------------------

GROUP=250 # VRIDs per group

# many_conf NODE PRIORITY STATE: NINST unicast VRRPv3 instances
many_conf() {
	local i g vrid me peer
	for ((i = 0; i < NINST; i++)); do
		g=$((i / GROUP))
		vrid=$((i % GROUP + 1))
		if [ "$1" = d1 ]; then me=1 peer=2; else me=2 peer=1; fi
		cat <<EOF
vrrp_instance I$i {
	state $3
	interface eth0
	version 3
	virtual_router_id $vrid
	priority $2
	advert_int 1
	garp_master_delay 0
	unicast_src_ip 10.78.$g.$me
	unicast_peer {
		10.78.$g.$peer
	}
	virtual_ipaddress {
		10.79.$g.$vrid/32
	}
}
EOF
	done
}

vip_count() { ip -n "$(ns_of "$1")" -o addr show dev eth0 | grep -c " 10\.79\."; }

# pids NODE: the daemon's processes (parent and children)
pids_of() {
	local p
	p=$(parent_of "$1")
	echo "$p $(pgrep -P "$p" | tr '\n' ' ')"
}

cpu_ticks() { # cpu_ticks PID...: utime + stime of them all
	local p sum=0 f
	for p in "$@"; do
		f=$(cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null) || continue
		sum=$((sum + ${f% *} + ${f#* }))
	done
	echo "$sum"
}

rss_kb() { # rss_kb PID...: sum of VmRSS
	local p sum=0 v
	for p in "$@"; do
		v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		sum=$((sum + ${v:-0}))
	done
	echo "$sum"
}

load() { # load IMPL
	local impl=$1 t start c1 c2 p1 p2 n
	many_conf d1 200 MASTER | conf_impl "$impl" d1
	many_conf d2 100 BACKUP | conf_impl "$impl" d2
	start=$(now_ms)
	start_impl "$impl" d2
	start_impl "$impl" d1
	if ! wait_for 120000 eval '[ "$(vip_count d1)" = "$NINST" ] && [ "$(vip_count d2)" = 0 ]'
	then
		note "$impl: $NINST instances did not settle" \
			"(d1 $(vip_count d1), d2 $(vip_count d2))"
		echo "load $impl settle lost" >>"$RESULTS"
	else
		t=$(elapsed_ms "$start")
		echo "load $impl settle $t" >>"$RESULTS"
	fi
	sleep 2
	read -ra p1 <<<"$(pids_of d1)"
	read -ra p2 <<<"$(pids_of d2)"
	c1=$(cpu_ticks "${p1[@]}")
	c2=$(cpu_ticks "${p2[@]}")
	sleep "$LOAD_SECS"
	n=$(vip_count d1)
	echo "load $impl master-cpu $(awk -v a="$c1" -v b="$(cpu_ticks "${p1[@]}")" \
		-v hz="$HZ" -v s="$LOAD_SECS" 'BEGIN { printf "%.2f", (b - a) * 100 / hz / s }')" \
		>>"$RESULTS"
	echo "load $impl backup-cpu $(awk -v a="$c2" -v b="$(cpu_ticks "${p2[@]}")" \
		-v hz="$HZ" -v s="$LOAD_SECS" 'BEGIN { printf "%.2f", (b - a) * 100 / hz / s }')" \
		>>"$RESULTS"
	echo "load $impl master-rss $(rss_kb "${p1[@]}")" >>"$RESULTS"
	echo "load $impl backup-rss $(rss_kb "${p2[@]}")" >>"$RESULTS"
	echo "load $impl still-master $n" >>"$RESULTS"
	ka_stop d1
	ka_stop d2
	note "load $impl done"
}

# ---- report -----------------------------------------------------------------------

report() {
	/usr/bin/python3 - "$RESULTS" "$REPS" "$LOAD_SECS" "$NINST" <<'PY'
import statistics, sys
path, reps, secs, ninst = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
take, wire, sig, garp, load = {}, {}, {}, {}, {}
for line in open(path):
    f = line.split()
    if f[0] == "takeover":
        take.setdefault((f[2], f[3], f[1]), []).append(f[4])
        wire.setdefault((f[2], f[3], f[1]), []).append(f[5] if len(f) > 5 else "lost")
        if f[3] == "term" and len(f) > 6:
            sig.setdefault((f[2], f[1]), []).append(f[6])
        if len(f) > 7:
            garp.setdefault(f[1], []).append(f[7])
    else:
        load[(f[1], f[2])] = f[3]
adv = {"v2": 1.0, "v3": 0.1}
skew = lambda a: (256 - 100) / 256 * a
print(f"Takeover, fault -> first GARP of the new master at the client (ms), {reps} runs each")
print(f"{'proto':14} {'fault':8} {'impl':5} {'median':>8} {'max':>8} {'lost':>5} {'bound':>8}")
for ver in ("v2", "v3"):
    for fault in ("kill9", "term"):
        bound = (3 * adv[ver] + skew(adv[ver])) if fault == "kill9" else skew(adv[ver])
        for impl in ("ours", "ref"):
            v = take.get((ver, fault, impl), [])
            ok = [float(x) for x in v if x != "lost"]
            med = f"{statistics.median(ok):8.1f}" if ok else f"{'-':>8}"
            mx = f"{max(ok):8.1f}" if ok else f"{'-':>8}"
            name = f"{ver} adv {adv[ver]:g}s"
            print(f"{name:14} {fault:8} {impl:5} {med} {mx} {len(v) - len(ok):5} "
                  f"{bound * 1000:8.1f}")
print()
print("On the wire: the old master's last advert (its priority 0 advert after SIGTERM)")
print("-> first GARP of the new master, both in the client's capture (ms); the bound is")
print("what the protocol makes the backup wait, so 'over' is the implementation's own cost")
print(f"{'proto':14} {'fault':8} {'impl':5} {'median':>8} {'max':>8} {'bound':>8} "
      f"{'over med':>9} {'over max':>9}")
for ver in ("v2", "v3"):
    for fault in ("kill9", "term"):
        bound = (3 * adv[ver] + skew(adv[ver])) if fault == "kill9" else skew(adv[ver])
        for impl in ("ours", "ref"):
            ok = [float(x) for x in wire.get((ver, fault, impl), []) if x != "lost"]
            if not ok:
                continue
            med, mx = statistics.median(ok), max(ok)
            name = f"{ver} adv {adv[ver]:g}s"
            print(f"{name:14} {fault:8} {impl:5} {med:8.1f} {mx:8.1f} {bound * 1000:8.1f} "
                  f"{med - bound * 1000:9.2f} {mx - bound * 1000:9.2f}")
print()
print("SIGTERM -> priority 0 advert on the wire (ms; includes the shell's kill):")
for (ver, impl), v in sorted(sig.items()):
    ok = [float(x) for x in v if x != "lost"]
    if ok:
        print(f"  {ver} {impl:4} median {statistics.median(ok):6.2f} max {max(ok):6.2f}")
print()
print("Entering MASTER (the new master's first advert) -> its first GARP (ms), all runs:")
for impl, v in sorted(garp.items()):
    ok = [float(x) for x in v if x != "lost"]
    if ok:
        print(f"  {impl:4} median {statistics.median(ok):6.3f} max {max(ok):6.3f}")
print()
print("runs (ms):")
for (ver, fault, impl), v in sorted(take.items()):
    print(f"  {ver} {fault:5} {impl:4} " + " ".join(v))
print()
print(f"Load: {ninst} VRRPv3 instances, advert_int 1, one VIP each, over {secs} s")
print(f"{'impl':5} {'settle ms':>10} {'master CPU%':>12} {'backup CPU%':>12} "
      f"{'master RSS MiB':>15} {'backup RSS MiB':>15} {'VIPs kept':>10}")
for impl in ("ours", "ref"):
    g = lambda k: load.get((impl, k), "-")
    mib = lambda k: f"{int(g(k)) / 1024:.1f}" if g(k) != "-" else "-"
    print(f"{impl:5} {g('settle'):>10} {g('master-cpu'):>12} {g('backup-cpu'):>12} "
          f"{mib('master-rss'):>15} {mib('backup-rss'):>15} {g('still-master'):>10}")
PY
}

: >"$RESULTS"
topo_create 2
for g in 0 1 2 3; do
	ip -n "$(ns_of d1)" addr add "10.78.$g.1/24" dev eth0
	ip -n "$(ns_of d2)" addr add "10.78.$g.2/24" dev eth0
done
note "ours: $KA; reference: $KA_REF ($("$KA_REF" --version 2>&1 | head -n 1))"
note "$REPS repetitions, $LOAD_SECS s of load, $NINST instances"
for impl in ours ref; do
	takeover "$impl" 2 1
	takeover "$impl" 3 0.1
done
for impl in ours ref; do
	load "$impl"
done
echo
echo "ours = $KA, ref = $("$KA_REF" --version 2>&1 | head -n 1)"
report
