#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lib.sh - harness for VRRP scenarios: namespaces, daemons, waiting, assertions
#
# Source it from a scenario script. Topology made by topo_create N:
#
#   client ns "PFX-c" (eth0 10.77.0.100)       bridge ns "PFX-br" (br0)
#   director ns "PFX-d1".."PFX-dN" (eth0 10.77.0.1N, fd77::1N, MAC 02:77:00:00:00:0N)
#
# every eth0 is a veth whose peer is a port of br0. PFX is "kv<pid>", so
# parallel runs never meet. keepalived runs in a director namespace with
# --namespace, in the foreground (-n), VRRP only (-P), with its own pid
# files and log file under a per-run temporary directory. The EXIT trap
# kills what we started (by pid) and deletes the namespaces, on success and
# on failure alike (KV_KEEP=DIR copies the run's files to DIR first).
# Assertions print TAP lines "ok N - ..." / "not ok N - ...".
# shellcheck disable=SC2317 # functions are called indirectly (check, wait_for)

set -uo pipefail

KA=${KA:-${top_builddir:-.}/daemon/keepalived}
PFX="kv$$"
TMP=
STARTED=()   # pids of processes we started
NSES=()      # namespaces we created
FAILED=0
COUNT=0
NET4=10.77.0
NET6=fd77:
T0=$(date +%s%N)

skip() {
	echo "# SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "needs iproute2"
[ -x "$KA" ] || { echo "not ok - $KA not built"; exit 1; }
KA=$(readlink -f "$KA")

now_ms() { echo $(($(date +%s%N) / 1000000)); }
note() { echo "# [$(( ($(date +%s%N) - T0) / 1000000 )) ms] $*"; }

lib_cleanup() {
	set +e
	local p ns
	for p in "${STARTED[@]}"; do
		kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
	# children of the daemons (VRRP processes), found through their pid files
	for p in "$TMP"/*/vrrp.pid; do
		[ -f "$p" ] && kill -KILL "$(cat "$p")" 2>/dev/null
	done
	for ns in "${NSES[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	if { [ "$FAILED" != 0 ] || [ -n "${KV_SHOW_LOGS:-}" ]; } && [ -n "$TMP" ]; then
		for p in "$TMP"/*/ka_vrrp.log; do
			[ -f "$p" ] || continue
			echo "# ---- $p (last 40 lines)"
			tail -n 40 "$p" | sed 's/^/# /'
		done
	fi
	# KV_KEEP=DIR keeps the run's files (configs, logs, captures) for a look
	[ -n "${KV_KEEP:-}" ] && [ -n "$TMP" ] && cp -a "$TMP" "$KV_KEEP"
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap lib_cleanup EXIT
trap 'exit 1' INT TERM

TMP=$(mktemp -d /tmp/kv.XXXXXX)

# ---- assertions -------------------------------------------------------------

# check DESCRIPTION COMMAND...: run COMMAND, print a TAP line
check() {
	local what=$1
	shift
	COUNT=$((COUNT + 1))
	if "$@"; then
		echo "ok $COUNT - $what"
	else
		echo "not ok $COUNT - $what"
		FAILED=1
	fi
}

# check_not DESCRIPTION COMMAND...: COMMAND must fail
check_not() {
	local what=$1
	shift
	COUNT=$((COUNT + 1))
	if "$@"; then
		echo "not ok $COUNT - $what"
		FAILED=1
	else
		echo "ok $COUNT - $what"
	fi
}

# wait_for MS COMMAND...: poll every 25 ms until COMMAND succeeds or MS pass
wait_for() {
	local deadline=$(($(now_ms) + $1))
	shift
	while ! "$@"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.025
	done
}

# holds MS COMMAND...: COMMAND stays true for MS (checked every 50 ms)
holds() {
	local deadline=$(($(now_ms) + $1))
	shift
	while [ "$(now_ms)" -lt "$deadline" ]; do
		if ! "$@"; then
			note "holds: '$*' stopped being true"
			return 1
		fi
		sleep 0.05
	done
}

# sanitizer builds report on stderr, which is each node's console.log
no_sanitizer_report() {
	! grep -lE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$TMP"/*/console.log 2>/dev/null
}

finish() {
	local n
	for n in "$TMP"/*/parent; do
		[ -f "$n" ] && ka_stop "$(basename "$(dirname "$n")")"
	done
	check "no sanitizer report from any daemon" no_sanitizer_report
	echo "1..$COUNT"
	exit "$FAILED"
}

# ---- topology ---------------------------------------------------------------

ns_of() { echo "$PFX-$1"; }   # node name (d1, c, br) -> namespace
mac_of() { printf '02:77:00:00:00:%02x' "${1#d}"; }
ip4_of() { echo "$NET4.$((10 + ${1#d}))"; }
ip6_of() { echo "${NET6}:$((10 + ${1#d}))"; }

ns_add() {
	local ns
	ns=$(ns_of "$1")
	ip netns add "$ns" || return 1
	NSES+=("$ns")
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 \
		net.ipv4.conf.all.arp_ignore=0 >/dev/null
	ip -n "$ns" link set lo up
}

# node_link NODE MAC: a veth eth0 in NODE's namespace, its peer on br0
node_link() {
	local ns br port
	ns=$(ns_of "$1")
	br=$(ns_of br)
	port="p-$1"
	ip -n "$br" link add "$port" type veth peer name eth0 netns "$ns" || return 1
	ip -n "$ns" link set eth0 address "$2"
	ip -n "$br" link set "$port" master br0 up
	ip -n "$ns" link set eth0 up
}

# topo_create N: bridge, N directors, one client
topo_create() {
	local i
	ns_add br || skip "cannot create network namespaces"
	ip -n "$(ns_of br)" link add br0 type bridge mcast_snooping 0 forward_delay 0
	ip -n "$(ns_of br)" link set br0 up
	for ((i = 1; i <= $1; i++)); do
		ns_add "d$i"
		node_link "d$i" "$(mac_of "d$i")"
		ip -n "$(ns_of "d$i")" addr add "$(ip4_of "d$i")/24" dev eth0
		ip -n "$(ns_of "d$i")" addr add "$(ip6_of "d$i")/64" dev eth0 nodad
		mkdir -p "$TMP/d$i"
	done
	ns_add c
	node_link c 02:77:00:00:00:64
	ip -n "$(ns_of c)" addr add "$NET4.100/24" dev eth0
	ip -n "$(ns_of c)" addr add "${NET6}:100/64" dev eth0 nodad
	# link-local addresses come without DAD, but give the kernel a moment
	wait_for 3000 eval "[[ \$(ip -n $(ns_of d1) -6 addr show dev eth0 scope link) == *fe80* ]]"
}

# ---- daemons -----------------------------------------------------------------

# write_conf NODE < TEXT: NODE's keepalived.conf, with the dump files placed
# in NODE's directory (data, stats, json)
write_conf() {
	local d="$TMP/$1"
	{
		echo "global_defs {"
		echo "	state_dump_file $d/data"
		echo "	stats_dump_file $d/stats"
		echo "	json_dump_file $d/json"
		echo "}"
		cat
	} >"$d/keepalived.conf"
}

# dump NODE KIND SIGNAL: ask for a dump and wait for the file to be rewritten
dump() {
	local f="$TMP/$1/$2"
	rm -f "$f"
	ka_signal "$1" "$3"
	wait_for 3000 test -s "$f"
}
json_dump() { dump "$1" json RTMIN+2; }
stats_dump() { dump "$1" stats USR2; }
data_dump() { dump "$1" data USR1; }

# json_get NODE INSTANCE EXPR: a value from NODE's JSON dump (python expression
# on d = the instance's "data" and s = its "stats")
json_get() {
	/usr/bin/python3 - "$TMP/$1/json" "$2" "$3" <<'PY'
import json, sys
for o in json.load(open(sys.argv[1])):
    if o["data"]["iname"] == sys.argv[2]:
        d, s = o["data"], o["stats"]
        print(eval(sys.argv[3]))
PY
}
# json_is NODE INSTANCE EXPR VALUE: json_get prints VALUE
json_is() { [ "$(json_get "$1" "$2" "$3")" = "$4" ]; }
# json_count NODE: number of objects in NODE's JSON dump
json_count() {
	/usr/bin/python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' \
		"$TMP/$1/json"
}

conf_of() { echo "$TMP/$1/keepalived.conf"; }
vlog_of() { echo "$TMP/$1/ka_vrrp.log"; }

# ka_start NODE [extra options]: start keepalived on NODE with its config
ka_start() {
	local node=$1 d="$TMP/$1"
	shift
	node_spawn "$node" "$d/console.log" \
		"$KA" --namespace "$(ns_of "$node")" -n -l -G -P -D --log-file="$d/ka.log" \
		-p "$d/ka.pid" -r "$d/vrrp.pid" -c "$d/check.pid" -f "$(conf_of "$node")" "$@"
}

# node_spawn NODE OUT COMMAND...: run COMMAND (a daemon) in the background as
# NODE's daemon, its output appended to OUT: NODE's VRRP log emptied first,
# the PID in NODE's parent file for ka_stop and the cleanup; waits (5 s at
# most) until the daemon's VRRP child runs
node_spawn() {
	local node=$1 out=$2 d="$TMP/$1"
	shift 2
	: >"$d/ka_vrrp.log"
	"$@" >>"$out" 2>&1 &
	local pid=$!
	disown "$pid" # no "Killed" job message when a test kills it on purpose
	STARTED+=("$pid")
	echo "$pid" >"$d/parent"
	wait_for 5000 eval "[ -s '$d/vrrp.pid' ] && kill -0 \$(cat '$d/vrrp.pid') 2>/dev/null"
}

parent_of() { cat "$TMP/$1/parent" 2>/dev/null; }
vrrp_pid_of() { cat "$TMP/$1/vrrp.pid" 2>/dev/null; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && [[ $(ps -o stat= -p "$1") != Z* ]]; }

# ka_stop NODE: SIGTERM and wait until the daemon has exited
ka_stop() {
	local p
	p=$(parent_of "$1")
	kill -TERM "$p" 2>/dev/null
	wait_for 8000 eval "! alive $p"
	rm -f "$TMP/$1/parent"
	return 0
}

# ka_kill9 NODE: SIGKILL parent and VRRP child, nothing gets cleaned up
ka_kill9() {
	local p v
	p=$(parent_of "$1")
	v=$(vrrp_pid_of "$1")
	# the child first: a child outliving its parent stops cleanly (death
	# signal, closed control socket) and would remove what we want left over
	kill -KILL "$v" 2>/dev/null
	kill -KILL "$p" 2>/dev/null
	wait_for 3000 eval "! alive $p && ! alive $v"
	rm -f "$TMP/$1/parent" "$TMP/$1/vrrp.pid" "$TMP/$1/ka.pid"
	return 0
}

# ka_signal NODE SIGNAL: to the parent, which relays to the VRRP child
ka_signal() { kill -s "$2" "$(parent_of "$1")"; }

# ---- observations -------------------------------------------------------------

# has_addr NODE ADDR [DEV]: the address is configured in NODE's namespace
has_addr() {
	local out
	out=$(ip -n "$(ns_of "$1")" -o addr show ${3:+dev "$3"} 2>/dev/null)
	[[ $out == *" $2/"* ]]
}
no_addr() { ! has_addr "$@"; }
# none_of NODE ADDR...: NODE holds none of the addresses
none_of() {
	local n=$1 a
	shift
	for a in "$@"; do
		has_addr "$n" "$a" && return 1
	done
	return 0
}

# holders ADDR NODE...: the nodes holding ADDR, space separated
holders() {
	local a=$1 n out=""
	shift
	for n in "$@"; do
		has_addr "$n" "$a" && out="$out $n"
	done
	echo "${out# }"
}

# only_on ADDR NODE OTHERS...: ADDR is on NODE and on none of the others
only_on() {
	local a=$1 n=$2
	shift 2
	has_addr "$n" "$a" || return 1
	local o
	for o in "$@"; do
		[ "$o" = "$n" ] && continue
		has_addr "$o" "$a" && return 1
	done
	return 0
}

# state_is NODE INSTANCE STATE: the last "Entering X STATE" line says so
state_is() {
	local last
	last=$(grep -o "($2) Entering [A-Z]* STATE" "$(vlog_of "$1")" 2>/dev/null | tail -n 1)
	[ "$last" = "($2) Entering $3 STATE" ]
}

log_has() { grep -q -- "$2" "$(vlog_of "$1")" 2>/dev/null; }
log_count() { local n; n=$(grep -c -- "$2" "$(vlog_of "$1")" 2>/dev/null) || true; echo "${n:-0}"; }
log_count_ge() { [ "$(log_count "$1" "$2")" -ge "$3" ]; }

# neigh_mac NODE ADDR: the MAC NODE's neighbour table has for ADDR
neigh_mac() {
	ip -n "$(ns_of "$1")" neigh show "$2" dev eth0 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}
neigh_is() { [ "$(neigh_mac "$1" "$2")" = "$3" ]; }

# capture NAME IF FILTER [TCPDUMP-OPTION...]: tcpdump (link headers shown) on
# the client's IF into $TMP/NAME.txt, until capture_stop NAME
capture() {
	local name=$1 dev=$2 filter=$3
	shift 3
	ip netns exec "$(ns_of c)" "${TCPDUMP:-tcpdump}" -i "$dev" -nn -l -e "$@" "$filter" \
		>"$TMP/$name.txt" 2>"$TMP/$name.err" &
	local pid=$!
	disown "$pid"
	STARTED+=("$pid")
	echo "$pid" >"$TMP/$name.pid"
	wait_for 5000 grep -qs "listening on" "$TMP/$name.err"
}
capture_stop() { kill "$(cat "$TMP/$1.pid")" 2>/dev/null; sleep 0.2; }
# bfd_cut NODE in|out ADDR / bfd_restore NODE: an nft table in NODE's
# namespace drops BFD control packets (UDP 3784) coming from ADDR (in) or
# going to ADDR (out), until bfd_restore deletes it
bfd_cut() {
	local hook=input dir=saddr
	[ "$2" = out ] && hook=output dir=daddr
	ip netns exec "$(ns_of "$1")" nft -f - <<EOF
table inet kvbfdcut {
	chain c {
		type filter hook $hook priority 0; policy accept;
		ip $dir $3 udp dport 3784 drop
	}
}
EOF
}
bfd_restore() { ip netns exec "$(ns_of "$1")" nft delete table inet kvbfdcut; }

# pcap_start NAME NODE FILTER / pcap_stop NAME: a binary capture (tcpdump -w,
# packet by packet) on NODE's eth0 into $TMP/NAME.pcap, for scapy or tcpdump -r
pcap_start() {
	ip netns exec "$(ns_of "$2")" tcpdump -i eth0 -nn --immediate-mode -U -w "$TMP/$1.pcap" \
		"$3" 2>"$TMP/$1.err" &
	local pid=$!
	disown "$pid"
	STARTED+=("$pid")
	echo "$pid" >"$TMP/$1.pid"
	wait_for 5000 grep -qs "listening on" "$TMP/$1.err"
}
pcap_stop() {
	local pid
	pid=$(cat "$TMP/$1.pid")
	sleep 0.3 # what was just sent is written
	kill -INT "$pid" 2>/dev/null
	wait_for 3000 eval "! alive $pid"
}
# frames NAME PATTERN: lines of capture NAME matching PATTERN (grep)
frames() { grep -c -- "$2" "$TMP/$1.txt" 2>/dev/null || true; }
frames_ge() { [ "$(frames "$1" "$2")" -ge "$3" ]; }

# reach NODE ADDR: ADDR answers a TCP connection attempt (accept or reset)
# within a second; this also makes NODE resolve ADDR's MAC. (No ping needed.)
reach() {
	local out
	out=$(ip netns exec "$(ns_of "$1")" timeout 1 bash -c "exec 3<>/dev/tcp/$2/9" 2>&1)
	[ $? = 0 ] || [[ $out == *refused* ]]
}

# elapsed_ms START_MS: milliseconds since START_MS
elapsed_ms() { echo $(($(now_ms) - $1)); }

# ---- the reference keepalived (interoperability tests, benchmarks) ------------------

KA_REF=${KA_REF:-/usr/sbin/keepalived}

# write_ref_conf NODE < TEXT: NODE's configuration as is (the reference daemon may
# not know the dump file keywords write_conf adds)
write_ref_conf() { cat >"$TMP/$1/keepalived.conf"; }

# ref_start NODE [extra options]: start the reference keepalived on NODE by hand in
# NODE's namespace, like ka_start (foreground, VRRP only, its own pid files); its
# console log goes to NODE's ka_vrrp.log, so state_is and log_has work on it, and
# ka_stop, ka_kill9, ka_signal and the cleanup handle it as they handle ours.
ref_start() {
	local node=$1 d="$TMP/$1"
	shift
	node_spawn "$node" "$d/ka_vrrp.log" \
		ip netns exec "$(ns_of "$node")" "$KA_REF" -n -l -G -P -D \
		-p "$d/ka.pid" -r "$d/vrrp.pid" -c "$d/check.pid" -f "$(conf_of "$node")" "$@"
}

# drop_count NODE INSTANCE REASON: the instance's "Dropped (REASON)" counter in
# NODE's last SIGUSR1 data dump (0 when absent); INSTANCE "-" reads the engine's
# "Adverts for unknown VRIDs" (REASON unknown-vrid) or "Packets dropped before VRID"
# (REASON before-vrid) instead
drop_count() {
	awk -v inst="$2" -v why="$3" '
		/^ *VRRP Instance = / { cur = $NF }
		inst != "-" && cur == inst && index($0, "Dropped (" why ") = ") { n = $NF }
		inst == "-" && why == "unknown-vrid" && /Adverts for unknown VRIDs/ { n = $NF }
		inst == "-" && why == "before-vrid" && /Packets dropped before VRID/ { n = $NF }
		END { print n + 0 }' "$TMP/$1/data"
}
