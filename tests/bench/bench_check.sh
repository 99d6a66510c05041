#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench_check.sh - checker benchmarks: probe cost, big configurations, reaction time; ours vs keepalived
#
# Not part of `make check`: it prints figures (see tests/bench/README.md).
# Run as root from the build directory (or set top_srcdir / top_builddir):
#
#   tests/bench/bench_check.sh            full run (about 30 minutes)
#   FAST=1 tests/bench/bench_check.sh     short windows, fewer repetitions
#   NO_VM=1 ...                           skip the parts that need the VM
#
# Host (a network namespace; this kernel may lack IPVS, our checker then
# runs its probes without a table):
#   1. CPU seconds (utime+stime of the checker child, from /proc) and RSS
#      over WINDOW s with 1,000 and 10,000 real servers under TCP_CHECK and
#      1,000 under HTTP_GET, all delay_loop 1. Real servers are real
#      listeners: 10.64.0.0/10 is routed "local" to lo in the namespace
#      and one bench_tool process accepts on 0.0.0.0:PORT for all of them.
#      Debian's keepalived is tried too; without IPVS its checker exits.
#   2. Parse time of 2,000 virtual servers with 40,000 real servers (each
#      with TCP_CHECK): `-t` of both daemons, REPS runs.
# VM (tests/vm: Debian's cloud kernel with IPVS, qemu without KVM, so
# absolute times are those of an emulated CPU; compare the two daemons):
#   3. reaction time from a real server's death (process killed: refused;
#      address removed: silent) to its destination leaving the IPVS table,
#      against the bound the configuration sets;
#   4. the big configuration: start until all 40,000 destinations are in
#      the table, reload with 1 % of the weights changed until they all
#      show, SIGTERM until the table is empty; checker memory;
#   5. the CPU/RSS measurement of 1. for both daemons.
# Medians and maxima of the repetitions, and ratios (ours / keepalived).
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
builddir=${top_builddir:-.}
KA=$(readlink -f "${KA:-$builddir/daemon/keepalived}")
REF=${KA_REF:-/usr/sbin/keepalived}
cache=${KA_VM_CACHE:-${TMPDIR:-/tmp}/ka-vm-cache}
FAST=${FAST:-0}
if [ "$FAST" = 1 ]; then
	WINDOW=10 WARMUP=3 REPS=3 VM_REPS=3 BIG_REPS=1 VM_SETS="tcp1k" VM_BIG_VS=500
else
	WINDOW=60 WARMUP=5 REPS=5 VM_REPS=5 BIG_REPS=2 VM_SETS="tcp1k http1k tcp10k" VM_BIG_VS=2000
fi
VM_BIG_RS=$((VM_BIG_VS * 20))
# reaction test settings (react.conf) and the bounds they imply
R_DELAY=1 R_CTO=1 R_RETRY=1 R_DBR=1
BOUND_REFUSED=$(((R_DELAY + R_RETRY * R_DBR) * 1000))
BOUND_SILENT=$(((R_DELAY + (R_RETRY + 1) * R_CTO + R_RETRY * R_DBR) * 1000))

[ "$(id -u)" = 0 ] || { echo "bench_check: needs root"; exit 1; }
[ -x "$KA" ] || { echo "bench_check: $KA not built"; exit 1; }
HAVE_REF=0
[ -x "$REF" ] && HAVE_REF=1

NS=kb$$
work=$(mktemp -d /tmp/kb.XXXXXX)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	[ -f "$work/check.pid" ] && kill -KILL "$(cat "$work/check.pid")" 2>/dev/null
	ip netns pids "$NS" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

tool=$work/bench_tool
gcc -O2 -Wall -o "$tool" "$srcdir/tests/bench/bench_tool.c" || exit 1

# ---- configurations --------------------------------------------------------------

# gen NVS PER KIND DELAY PORT CONNECT_TIMEOUT [EVERY]: NVS virtual servers
# of PER real servers; KIND tcp | http; real servers 10.64.0.1 onwards, all
# distinct (no probe can be shared); with EVERY, every EVERY-th has weight 2
gen() {
	awk -v nvs="$1" -v per="$2" -v kind="$3" -v delay="$4" -v port="$5" \
		-v cto="$6" -v every="${7:-0}" '
	function rs_addr(r) {
		return sprintf("10.%d.%d.%d", 64 + int(r / 62500), int((r % 62500) / 250),
			       r % 250 + 1)
	}
	BEGIN {
		print "global_defs {\n\trouter_id bench\n}"
		r = 0
		for (v = 0; v < nvs; v++) {
			printf "virtual_server 10.1.%d.%d 80 {\n", int(v / 250), v % 250 + 1
			printf "\tlb_algo rr\n\tlb_kind NAT\n\tprotocol TCP\n"
			printf "\tdelay_loop %s\n", delay
			for (i = 0; i < per; i++) {
				w = (every > 0 && r % every == 0) ? 2 : 1
				printf "\treal_server %s %d {\n\t\tweight %d\n", rs_addr(r), port, w
				if (kind == "http")
					printf "\t\tHTTP_GET {\n\t\t\turl {\n\t\t\t\tpath /\n" \
					       "\t\t\t\tstatus_code 200\n\t\t\t}\n" \
					       "\t\t\tconnect_timeout %s\n\t\t}\n", cto
				else
					printf "\t\tTCP_CHECK {\n\t\t\tconnect_timeout %s\n\t\t}\n", cto
				print "\t}"
				r++
			}
			print "}"
		}
	}'
}

gen 10 100 tcp 1 8080 2 >"$work/tcp1k.conf"
gen 100 100 tcp 1 8080 2 >"$work/tcp10k.conf"
gen 10 100 http 1 8081 2 >"$work/http1k.conf"
gen 2000 20 tcp 300 8080 5 >"$work/big.conf"
# in the VM: the same, or a quarter of it with FAST (keepalived's reload
# of 40,000 real servers takes minutes there)
gen $VM_BIG_VS 20 tcp 300 8080 5 >"$work/vmbig.conf"
gen $VM_BIG_VS 20 tcp 300 8080 5 100 >"$work/vmbig-reload.conf"
cat >"$work/react.conf" <<EOF
virtual_server 10.0.0.100 80 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	delay_loop $R_DELAY
	real_server 10.10.0.3 80 {
		TCP_CHECK {
			connect_timeout $R_CTO
			retry $R_RETRY
			delay_before_retry $R_DBR
		}
	}
	real_server 10.10.0.2 8080 {
		TCP_CHECK {
			connect_timeout $R_CTO
		}
	}
}
EOF

# ---- helpers -----------------------------------------------------------------------

# stats: "MEDIAN MAX" of the numbers on stdin ("- -" if none)
stats() {
	sort -n | awk '{ a[NR] = $1 } END {
		if (NR == 0) { print "- -"; exit }
		m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.6g %.6g\n", m, a[NR] }'
}
# ratio A B: A / B with 2 decimals, "-" when either is missing
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"
	else printf "%.2f\n", a / b }'; }
now_ns() { date +%s%N; }

sysinfo() {
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); host: $(uname -r), $(nproc) CPU" \
		"($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo))," \
		"$(awk '/MemTotal/ { printf "%d GB", $2 / 1048576 }' /proc/meminfo)"
	echo "ours: $("$KA" --version 2>&1 | head -n 1)"
	[ $HAVE_REF = 1 ] && echo "reference: $("$REF" --version 2>&1 | head -n 1)"
	echo "mode: $([ "$FAST" = 1 ] && echo FAST || echo full)," \
		"window ${WINDOW} s, $REPS parse runs, $VM_REPS reaction runs, $BIG_REPS big runs"
}

# ---- host: namespace with real listeners ----------------------------------------------

host_setup() {
	ip netns add "$NS" && ip -n "$NS" link set lo up &&
		ip -n "$NS" route add local 10.64.0.0/10 dev lo table local || return 1
	ip netns exec "$NS" "$tool" listen 8080 tcp "$work/tcp.count" &
	LTCP=$!
	ip netns exec "$NS" "$tool" listen 8081 http "$work/http.count" &
	LHTTP=$!
	PIDS+=("$LTCP" "$LHTTP")
	disown "$LTCP" "$LHTTP"
	sleep 0.3
}

# count PID FILE: "TIME COUNT", the listener's accept count at TIME
count() {
	local t
	t=$("$tool" now)
	kill -USR1 "$1"
	sleep 0.2
	echo "$t $(cat "$2")"
}

# host_cpu SET: ours on the host; prints "cpu_s pct rss_kb hwm_kb probes_per_s"
host_cpu() {
	local set=$1 l=$LTCP cf=$work/tcp.count kp c s0 s1 t0 t1 n0 n1
	case $set in http*) l=$LHTTP cf=$work/http.count ;; esac
	rm -f "$work/check.pid"
	ip netns exec "$NS" "$KA" -n -l -C -f "$work/$set.conf" -p "$work/ka.pid" \
		-r "$work/vrrp.pid" -c "$work/check.pid" --log-file="$work/host.log" \
		>>"$work/host.console" 2>&1 &
	kp=$!
	PIDS+=($kp)
	for _ in $(seq 50); do
		[ -s "$work/check.pid" ] && break
		sleep 0.1
	done
	c=$(cat "$work/check.pid")
	sleep "$WARMUP"
	n0=$(count "$l" "$cf")
	s0=$("$tool" stat "$c")
	t0=$("$tool" now)
	sleep "$WINDOW"
	s1=$("$tool" stat "$c")
	t1=$("$tool" now)
	n1=$(count "$l" "$cf")
	kill -TERM "$kp"
	wait "$kp" 2>/dev/null
	rm -f "$work/check.pid"
	echo "$t0 $t1 $s0 $s1 $n0 $n1" | awk '{
		dt = $2 - $1; cpu = $6 - $3
		printf "%.2f %.1f %d %d %.0f\n", cpu, 100 * cpu / dt, $7, $8,
			($12 - $10) / ($11 - $9) }'
}

# Does the reference keepalived run its checker here (no IPVS)?
ref_on_host() {
	local out
	[ $HAVE_REF = 1 ] || { echo "not installed"; return; }
	timeout 5 ip netns exec "$NS" "$REF" -n -l -C -D -f "$work/tcp1k.conf" \
		-p "$work/ref.pid" -r "$work/ref-vrrp.pid" -c "$work/ref-check.pid" \
		>"$work/ref.console" 2>&1
	if [ $? = 124 ]; then
		echo "runs"
		return
	fi
	out=$(grep -m1 -o "IPVS: Can't initialize ipvs.*" "$work/ref.console")
	echo "keepalived cannot run its checker without IPVS here (${out:-it exited})"
}

parse_times() { # parse_times BINARY: REPS wall times of -t in ms, one a line
	local i t
	for ((i = 0; i < REPS; i++)); do
		t=$(now_ns)
		"$1" -t -f "$work/big.conf" >/dev/null 2>&1
		echo $((($(now_ns) - t) / 1000000))
	done
}

# ---- run ----------------------------------------------------------------------------

echo "## Checker benchmark"
echo
sysinfo | sed 's/^/    /'
echo

if [ "${NO_HOST:-0}" != 1 ]; then
	host_setup || { echo "bench_check: cannot set up namespace $NS"; exit 1; }
	echo "### Host: probe cost, ours (delay_loop 1, ${WINDOW} s window)"
	echo
	echo "Reference on this host: $(ref_on_host)"
	echo
	echo "| real servers | check | CPU s | CPU % | RSS kB | peak RSS kB | probes/s |"
	echo "|---|---|---|---|---|---|---|"
	for set in tcp1k tcp10k http1k; do
		read -r cpu pct rss hwm pps < <(host_cpu $set)
		case $set in
		tcp1k) n="1,000" k=TCP_CHECK ;;
		tcp10k) n="10,000" k=TCP_CHECK ;;
		http1k) n="1,000" k=HTTP_GET ;;
		esac
		echo "| $n | $k | $cpu | $pct | $rss | $hwm | $pps |"
	done
	echo
	echo "### Parse only (-t): 2,000 virtual servers, 40,000 real servers with TCP_CHECK"
	echo
	read -r om ox < <(parse_times "$KA" | stats)
	line="| ours | $om | $ox |"
	if [ $HAVE_REF = 1 ]; then
		read -r rm rx < <(parse_times "$REF" | stats)
		echo "| daemon | median ms | max ms |"
		echo "|---|---|---|"
		echo "$line"
		echo "| keepalived | $rm | $rx |"
		echo
		echo "ratio ours/keepalived (median): $(ratio "$om" "$rm")"
	else
		echo "| daemon | median ms | max ms |"
		echo "|---|---|---|"
		echo "$line"
	fi
	echo
fi

[ "${NO_VM:-0}" = 1 ] && exit 0
if ! command -v qemu-system-x86_64 >/dev/null || [ $HAVE_REF = 0 ]; then
	echo "VM part skipped: needs qemu-system-x86_64 and $REF"
	exit 0
fi

cp "$REF" "$work/keepalived-ref"
cat >"$work/bench.env" <<EOF
WINDOW=$WINDOW
WARMUP=$WARMUP
REPS=$VM_REPS
BIG_REPS=$BIG_REPS
CPU_SETS="$VM_SETS"
BIG_RS=$VM_BIG_RS
STAGES="${VM_STAGES:-react big cpu}"
EOF
"$srcdir/tests/vm/build-initramfs.sh" "$cache" "$work/initramfs.img" "$KA" \
	"$work/keepalived-ref" "$tool" "$srcdir/tests/bench/guest-bench-check.sh" \
	"$work/bench.env" "$work/react.conf" "$work/vmbig.conf" "$work/vmbig-reload.conf" \
	"$work/tcp1k.conf" "$work/tcp10k.conf" "$work/http1k.conf" ||
	{ echo "VM part skipped: cannot build the initramfs"; exit 0; }
KA_VM_SMP=${KA_VM_SMP:-2} KA_VM_MEM=${KA_VM_MEM:-2048} "$srcdir/tests/vm/run-vm.sh" \
	"$cache/vmlinuz" "$work/initramfs.img" guest-bench-check.sh 7200 >"$work/vm.out" 2>&1
rc=$?
[ $rc = 0 ] || { echo "VM run failed (exit $rc):"; tail -n 40 "$work/vm.out"; }
grep '^# ' "$work/vm.out" | sed 's/^# /    guest: /'
R() { awk -v k="$*" 'index($0, "R " k " ") == 1 { print $NF }' "$work/vm.out"; }

echo "### VM (emulated CPU, real IPVS): reaction time, ms from death to removal"
echo
echo "| death | bound | ours median | ours max | keepalived median | keepalived max |"
echo "|---|---|---|---|---|---|"
for kind in refused silent; do
	b=$BOUND_REFUSED
	[ $kind = silent ] && b=$BOUND_SILENT
	read -r om ox < <(R react ours $kind | grep -v timeout | stats)
	read -r rm rx < <(R react ref $kind | grep -v timeout | stats)
	echo "| $kind | $b | $om | $ox | $rm | $rx |"
done
echo
echo "Settings: delay_loop $R_DELAY, connect_timeout $R_CTO, retry $R_RETRY," \
	"delay_before_retry $R_DBR; $VM_REPS runs each, started at different phases."
echo
echo "### VM: $VM_BIG_VS virtual servers / $VM_BIG_RS real servers (TCP_CHECK, delay_loop 300)"
echo
echo "| step | ours median ms | ours max | keepalived median ms | keepalived max | ratio |"
echo "|---|---|---|---|---|---|"
for step in start reload stop; do
	read -r om ox < <(R big-$step ours | grep -v timeout | stats)
	read -r rm rx < <(R big-$step ref | grep -v timeout | stats)
	echo "| $step | $om | $ox | $rm | $rx | $(ratio "$om" "$rm") |"
done
om=$(awk '/^R big-mem ours / { print $5 }' "$work/vm.out" | stats | cut -d' ' -f2)
rm=$(awk '/^R big-mem ref / { print $5 }' "$work/vm.out" | stats | cut -d' ' -f2)
echo
echo "Checker RSS with the big table loaded: ours $om kB, keepalived $rm kB" \
	"(ratio $(ratio "$om" "$rm"))."
echo "start: until all $VM_BIG_RS destinations are in the table; reload:" \
	"$((VM_BIG_RS / 100)) weights changed (1 %), until all show; stop: SIGTERM until the" \
	"table is empty."
echo
echo "### VM: probe cost (delay_loop 1, ${WINDOW} s window)"
echo
echo "| set | daemon | CPU s | CPU % | RSS kB | probes/s |"
echo "|---|---|---|---|---|---|"
for set in $VM_SETS; do
	for w in ours ref; do
		awk -v w=$w -v s=$set '$1 == "R" && $2 == "cpu" && $3 == w && $4 == s {
			dt = $6 - $5; cpu = $10 - $7
			printf "| %s | %s | %.2f | %.1f | %d | %.0f |\n", s,
				w == "ours" ? "ours" : "keepalived", cpu, 100 * cpu / dt, $11,
				($16 - $14) / ($15 - $13) }' "$work/vm.out"
	done
done
echo
[ -n "${KEEP_VM_OUT:-}" ] && cp "$work/vm.out" "$KEEP_VM_OUT"
exit 0
