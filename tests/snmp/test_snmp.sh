#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_snmp.sh - the AgentX sub-agents against a real snmpd: MIB walks, live state, traps
#
# In a network namespace of its own (kasnmp-PID), with private config files
# and sockets under a temporary directory (never the system services):
#   snmpd      AgentX master (socket in the temp dir), v2c "public" on
#              127.0.0.1:16161, trap2sink to snmptrapd
#   snmptrapd  logs every notification, numeric OIDs, to a file
#   keepalived -x with snmp_socket on the temp socket, enable_traps, two VRRP
#              instances (v2 and v3) on a veth and one virtual server whose
#              real server is checked by a MISC_CHECK we can fail.
# Checks, with snmpget/snmpwalk on numeric OIDs:
#   - the KEEPALIVED-MIB global group (version, routerId) and instance,
#     address, virtual and real server tables show the configuration and the
#     live state (MASTER on a single director, real server alive);
#   - VRRP-MIB vrrpOperState / address table and VRRPv3-MIB operations table;
#   - traps: vrrpInstanceStateChange, vrrpTrapNewMaster, vrrpv3NewMaster;
#   - a failing track script puts VI_1 in FAULT: the walk shows it and a
#     vrrpInstanceStateChange with state fault(3) is logged;
#   - a failing real server: realServerStatus dead(2), realServerStateChange
#     and virtualServerQuorumStateChange logged;
#   - snmpd restarted: the sub-agents come back within the AgentX ping period.
# Needs root, iproute2, snmpd, snmpget/snmpwalk and a daemon built with
# --enable-snmp; exits 77 (skipped) otherwise. Without snmptrapd the trap
# checks are skipped (reported as "ok N - ... # SKIP").
# shellcheck disable=SC2317 # functions are called indirectly (trap, check, wait_for)
set -uo pipefail

KA=${top_builddir:-.}/daemon/keepalived
NS="kasnmp-$$"
TMP=
PIDS=()   # processes this script started, killed by pid at exit
FAILED=0
COUNT=0
PORT=16161
TRAP_PORT=16162

skip() {
	echo "# SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "needs iproute2"
for t in snmpd snmpget snmpwalk; do
	command -v "$t" >/dev/null || skip "needs $t (Debian: snmpd snmp)"
done
TRAPD=yes
command -v snmptrapd >/dev/null || TRAPD=
[ -x "$KA" ] || { echo "not ok - $KA not built"; exit 1; }
"$KA" -v 2>&1 | grep -q SNMP || skip "keepalived built without --enable-snmp"
KA=$(readlink -f "$KA")

cleanup() {
	set +e
	local p
	for f in "$TMP"/*.pid; do
		[ -f "$f" ] && PIDS+=("$(cat "$f")")
	done
	for p in "${PIDS[@]}"; do
		[ -n "$p" ] && kill -0 "$p" 2>/dev/null && kill -TERM "$p"
	done
	sleep 0.3
	for p in "${PIDS[@]}"; do
		[ -n "$p" ] && kill -0 "$p" 2>/dev/null && kill -KILL "$p"
	done
	# anything still running in our namespace was started by us
	ip netns pids "$NS" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	if [ "$FAILED" != 0 ] && [ -n "$TMP" ]; then
		for f in ka.log snmpd.log traps.log; do
			echo "# ---- $f (last 30 lines)"
			tail -n 30 "$TMP/$f" 2>/dev/null | sed 's/^/# /'
		done
	fi
	[ -n "$TMP" ] && [ -z "${SNMP_TEST_KEEP:-}" ] && rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

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

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# wait_for MS COMMAND...: poll every 100 ms until COMMAND succeeds
wait_for() {
	local deadline=$(($(now_ms) + $1))
	shift
	while ! "$@"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

in_ns() { ip netns exec "$NS" "$@"; }

# Net-snmp tools without MIB files: numeric OIDs in and out.
export MIBS="" SNMP_PERSISTENT_DIR
snmp_val() { # OID: the bare value, "" when absent
	in_ns snmpget -v2c -c public -On -Oqv -t 1 -r 1 "127.0.0.1:$PORT" "$1" 2>/dev/null |
		grep -v "^No Such"
}
snmp_walk() { # OID: "OID value" lines
	in_ns snmpwalk -v2c -c public -On -Oq -t 1 -r 1 "127.0.0.1:$PORT" "$1" 2>/dev/null
}
val_is() { [ "$(snmp_val "$1")" = "$2" ]; }
val_starts() { [[ $(snmp_val "$1") == "$2"* ]]; }
no_value() { [ -z "$(snmp_val "$1")" ]; }
walk_count() { [ "$(snmp_walk "$1" | wc -l)" = "$2" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }
# snmptrapd logs a header line, then the varbinds: one line per notification
trap_records() {
	tr -d '\r' <"$TMP/traps.log" |
		awk '/^[0-9]{4}-/ { if (r) print r; r = $0; next } { r = r " " $0 } END { print r }'
}
# check_trap DESCRIPTION COMMAND...: a check on the trap log, skipped without snmptrapd
check_trap() {
	if [ -n "$TRAPD" ]; then
		check "$@"
	else
		COUNT=$((COUNT + 1))
		echo "ok $COUNT - $1 # SKIP no snmptrapd"
	fi
}
# trap_seen TEXT...: the trap log has a notification holding every TEXT
trap_seen() {
	local line t
	while IFS= read -r line; do
		for t in "$@"; do
			[[ $line == *"$t"* ]] || continue 2
		done
		return 0
	done < <(trap_records)
	return 1
}

ip netns add "$NS" 2>/dev/null || skip "cannot create network namespace"
in_ns ip link set lo up
in_ns ip link add eth0 type veth peer name eth0p
in_ns ip link set eth0 up
in_ns ip link set eth0p up
in_ns ip addr add 10.88.0.1/24 dev eth0
TMP=$(mktemp -d /tmp/kasnmp.XXXXXX)
SNMP_PERSISTENT_DIR=$TMP/persist
mkdir -p "$SNMP_PERSISTENT_DIR"
IFX=$(in_ns cat /sys/class/net/eth0/ifindex)

# OIDs
KMIB=.1.3.6.1.4.1.9586.100.5
INST=$KMIB.2.3.1       # vrrpInstanceEntry
ADDR=$KMIB.2.6.1       # vrrpAddressEntry
VS=$KMIB.3.3.1         # virtualServerEntry
RS=$KMIB.3.4.1         # realServerEntry
RFC2=.1.3.6.1.2.1.68
RFC3=.1.3.6.1.2.1.207

cat >"$TMP/snmpd.conf" <<EOF
master agentx
agentXSocket $TMP/agentx.sock
agentXPerms 0600 0700
agentaddress udp:127.0.0.1:$PORT
rocommunity public 127.0.0.1
trap2sink 127.0.0.1:$TRAP_PORT public
EOF
cat >"$TMP/snmptrapd.conf" <<EOF
authCommunity log public
EOF
# conf ROUTER_ID [EXTRA]: the configuration, EXTRA appended (a reload adds an instance)
conf() {
	cat >"$TMP/keepalived.conf" <<EOF
global_defs {
	router_id $1
	snmp_socket unix:$TMP/agentx.sock
	enable_snmp_vrrp
	enable_snmp_checker
	enable_snmp_rfcv2
	enable_snmp_rfcv3
	enable_traps
	state_dump_file $TMP/data
}
vrrp_script chk_fail {
	script "/usr/bin/test ! -e $TMP/vrrp_fail"
	interval 1
}
vrrp_instance VI_1 {
	interface eth0
	virtual_router_id 51
	priority 100
	advert_int 1
	track_script {
		chk_fail
	}
	virtual_ipaddress {
		10.88.0.100/24
	}
	virtual_ipaddress_excluded {
		10.88.0.101/24
	}
}
vrrp_instance VI_3 {
	interface eth0
	version 3
	virtual_router_id 53
	priority 150
	advert_int 0.5
	virtual_ipaddress {
		10.88.0.103/24
	}
}
virtual_server 10.88.0.200 80 {
	delay_loop 1
	lb_algo rr
	lb_kind DR
	protocol TCP
	quorum 1
	real_server 10.88.0.50 80 {
		weight 3
		MISC_CHECK {
			misc_path "/usr/bin/test ! -e $TMP/rs_fail"
			misc_timeout 2
		}
	}
}
${2:-}
EOF
}
conf snmp-test

SNMPD=
start_snmpd() {
	rm -f "$TMP/agentx.sock"
	# not through a function: ip netns exec execs snmpd, so $! is snmpd
	ip netns exec "$NS" snmpd -f -Lf "$TMP/snmpd.log" -C -c "$TMP/snmpd.conf" &
	SNMPD=$!
	PIDS+=("$SNMPD")
	wait_for 5000 test -S "$TMP/agentx.sock"
}

check "snmpd (AgentX master) starts" start_snmpd
if [ -n "$TRAPD" ]; then
	ip netns exec "$NS" snmptrapd -f -On -Lf "$TMP/traps.log" -C -c "$TMP/snmptrapd.conf" \
		"udp:127.0.0.1:$TRAP_PORT" &
	PIDS+=($!)
fi
check_trap "snmptrapd starts" wait_for 5000 test -s "$TMP/traps.log"

"$KA" --namespace "$NS" -n -l -G -D -x -f "$TMP/keepalived.conf" -p "$TMP/ka.pid" \
	-r "$TMP/vrrp.pid" -c "$TMP/check.pid" >"$TMP/ka.log" 2>&1 &
KAPID=$!
PIDS+=("$KAPID")

# ---- KEEPALIVED-MIB --------------------------------------------------------
check "vrrpInstanceName.1 is VI_1" wait_for 10000 val_is "$INST.2.1" '"VI_1"'
check "vrrpInstanceState.1 becomes master(2)" wait_for 8000 val_is "$INST.4.1" 2
check "version names keepalived" val_starts "$KMIB.1.1.0" '"Keepalived'
check "routerId is snmp-test" val_is "$KMIB.1.2.0" '"snmp-test"'
check "vrrpInstanceVirtualRouterId.1 = 51" val_is "$INST.3.1" 51
check "vrrpInstanceBasePriority.2 = 150" val_is "$INST.7.2" 150
check "vrrpInstancePrimaryInterface.1 = eth0" val_is "$INST.10.1" '"eth0"'
check "vrrpInstanceVrrpVersion.2 = vrrpv3(3)" val_is "$INST.30.2" 3
check "vrrpInstanceVipsStatus.1 = allSet(1)" wait_for 3000 val_is "$INST.9.1" 1
check "vrrpAddressValue.1.1 is 10.88.0.100" val_is "$ADDR.3.1.1" '"0A 58 00 64 "'
check "vrrpAddressStatus.1.1 = set(1)" val_is "$ADDR.10.1.1" 1
check "vrrpAddressAdvertising.1.2 = notAdvertised(2) (excluded)" val_is "$ADDR.11.1.2" 2
check "the instance table walks both instances" walk_count "$INST.2" 2

# ---- RFC MIBs --------------------------------------------------------------
check "VRRP-MIB vrrpOperState.$IFX.51 = master(3)" val_is "$RFC2.1.3.1.3.$IFX.51" 3
check "VRRP-MIB vrrpOperIpAddrCount = 1" val_is "$RFC2.1.3.1.6.$IFX.51" 1
check "VRRP-MIB vrrpAssoIpAddrRowStatus of 10.88.0.100" \
	val_is "$RFC2.1.4.1.2.$IFX.51.10.88.0.100" 1
check "VRRP-MIB lists only the v2 instance" walk_count "$RFC2.1.3.1.3" 1
check "VRRP-MIB vrrpStatsBecomeMaster = 1" val_is "$RFC2.2.4.1.1.$IFX.51" 1
check "VRRPv3-MIB vrrpv3OperationsStatus.$IFX.53.1 = master(3)" \
	val_is "$RFC3.1.1.1.1.6.$IFX.53.1" 3
check "VRRPv3-MIB vrrpv3OperationsAdvInterval = 50 cs" val_is "$RFC3.1.1.1.1.9.$IFX.53.1" 50
check "VRRPv3-MIB vrrpv3StatisticsNewMasterReason = masterNoResponse(3)" \
	val_is "$RFC3.1.2.5.1.2.$IFX.53.1" 3

# ---- check subtree ----------------------------------------------------------
check "virtualServerAddress.1 is 10.88.0.200" wait_for 5000 val_is "$VS.6.1" '"0A 58 00 C8 "'
check "virtualServerLoadBalancingAlgo.1 = rr(1)" val_is "$VS.9.1" 1
check "virtualServerLoadBalancingKind.1 = dr(2)" val_is "$VS.10.1" 2
check "realServerPort.1.1 = 80" val_is "$RS.5.1.1" 80
check "realServerStatus.1.1 = alive(1)" wait_for 5000 val_is "$RS.6.1.1" 1
check "virtualServerQuorumStatus.1 = met(1)" val_is "$VS.23.1" 1

# ---- traps of the start -----------------------------------------------------
check_trap "trap vrrpInstanceStateChange VI_1 master" wait_for 5000 trap_seen \
	"$KMIB.2.10.0.2" '"VI_1"' "$INST.4.1 = INTEGER: 2"
check_trap "trap vrrpTrapNewMaster" trap_seen "$RFC2.0.1" "$RFC2.1.3.1.7.$IFX.51"
check_trap "trap vrrpv3NewMaster" trap_seen "$RFC3.0.1" "$RFC3.1.2.5.1.2.$IFX.53.1 = INTEGER: 3"
check_trap "traps carry routerId" trap_seen "$KMIB.2.10.0.2" "$KMIB.1.2.0 = STRING: \"snmp-test\""

# ---- a track script fails: VI_1 goes to FAULT ---------------------------------
touch "$TMP/vrrp_fail"
check "vrrpInstanceState.1 becomes fault(3)" wait_for 8000 val_is "$INST.4.1" 3
check "vrrpOperState becomes initialize(1)" val_is "$RFC2.1.3.1.3.$IFX.51" 1
check_trap "trap vrrpInstanceStateChange VI_1 fault" wait_for 5000 trap_seen \
	"$KMIB.2.10.0.2" '"VI_1"' "$INST.4.1 = INTEGER: 3"
rm -f "$TMP/vrrp_fail"
check "VI_1 master again after the script recovers" wait_for 10000 val_is "$INST.4.1" 2

# ---- a real server fails ------------------------------------------------------
touch "$TMP/rs_fail"
check "realServerStatus.1.1 becomes dead(2)" wait_for 10000 val_is "$RS.6.1.1" 2
check "virtualServerQuorumStatus.1 becomes notMet(2)" wait_for 3000 val_is "$VS.23.1" 2
check_trap "trap realServerStateChange dead" wait_for 5000 trap_seen \
	"$KMIB.3.5.0.1" "$RS.6.1.1 = INTEGER: 2" "$VS.6.1"
check_trap "trap virtualServerQuorumStateChange notMet" wait_for 5000 trap_seen \
	"$KMIB.3.5.0.2" "$VS.23.1 = INTEGER: 2"
rm -f "$TMP/rs_fail"
check "realServerStatus.1.1 alive again" wait_for 10000 val_is "$RS.6.1.1" 1

# ---- reload: a new instance and router_id; VI_3 removed ------------------------
conf snmp-reloaded "vrrp_instance VI_2 {
	interface eth0
	virtual_router_id 52
	priority 120
	advert_int 1
	virtual_ipaddress {
		10.88.0.102/24
	}
}"
sed -i '/^vrrp_instance VI_3/,/^}/d' "$TMP/keepalived.conf"
kill -HUP "$KAPID"
check "reload: routerId follows" wait_for 8000 val_is "$KMIB.1.2.0" '"snmp-reloaded"'
check "reload: the new instance is listed second" wait_for 5000 val_is "$INST.2.2" '"VI_2"'
check "reload: two instances left" walk_count "$INST.2" 2
check "reload: VI_1 kept its state" val_is "$INST.4.1" 2
check "reload: VI_2 becomes master(2)" wait_for 8000 val_is "$INST.4.2" 2
check_trap "trap: VI_3 removed, state deleted(6)" wait_for 5000 trap_seen \
	"$KMIB.2.10.0.2" '"VI_3"' "= INTEGER: 6"

# ---- the master restarts --------------------------------------------------------
kill -TERM "$SNMPD"
check "snmpd stops" wait_for 5000 gone "$SNMPD"
check "the walk fails without the master" no_value "$INST.2.1"
check "snmpd restarts" start_snmpd
check "the sub-agents register again (AgentX ping period)" \
	wait_for 25000 val_is "$INST.2.1" '"VI_1"'
check "the check subtree is served again" wait_for 5000 val_is "$RS.6.1.1" 1

# ---- stop -----------------------------------------------------------------------
kill -TERM "$KAPID"
check "keepalived stops" wait_for 8000 gone "$KAPID"
no_sanitizer_report() {
	! grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$TMP/ka.log"
}
check "no sanitizer report" no_sanitizer_report
echo "1..$COUNT"
exit "$FAILED"
