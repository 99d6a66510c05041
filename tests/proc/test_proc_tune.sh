#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_proc_tune.sh - vrrp_rt_priority, vrrp_priority, vrrp_no_swap and
# vrrp_cpu_affinity really apply to the VRRP child, and not to its scripts
#
# Runs the daemon (VRRP only) in a network namespace of its own; needs root,
# iproute2 and util-linux (chrt, taskset); exits 77 without them.
set -uo pipefail

KA=${top_builddir:-.}/daemon/keepalived
NS="katune-$$"
TMP=
PARENT=
FAILED=0
COUNT=0

skip() { echo "# SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "needs iproute2"
command -v chrt >/dev/null && command -v taskset >/dev/null || skip "needs chrt and taskset"
[ -x "$KA" ] || { echo "not ok - $KA not built"; exit 1; }

cleanup() {
	set +e
	local p
	for p in "$PARENT" $(cat "$TMP"/*.pid 2>/dev/null); do
		[ -n "$p" ] && kill -KILL "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT

ok() { COUNT=$((COUNT + 1)); echo "ok $COUNT - $1"; }
not_ok() { COUNT=$((COUNT + 1)); FAILED=1; echo "not ok $COUNT - $1"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
wait_for() { # wait_for TENTHS COMMAND...
	local n=$1
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ "$n" -le 0 ] && return 1
		sleep 0.1
	done
}

ip netns add "$NS" 2>/dev/null || skip "cannot create network namespace"
ip -n "$NS" link add ka0 type veth peer name ka1
ip -n "$NS" link set ka0 up
ip -n "$NS" link set ka1 up
ip -n "$NS" addr add 192.0.2.1/24 dev ka0
TMP=$(mktemp -d /tmp/katune.XXXXXX)
# the first CPU we may run on
cpu=$(taskset -cp $$ | awk -F': ' '{ split($2, a, "[,-]"); print a[1] }')
printf '#!/bin/sh\n{ chrt -p $$; ps -o ni= -p $$; } >"%s/script.out"\n' "$TMP" >"$TMP/notify.sh"
chmod 755 "$TMP/notify.sh"
cat >"$TMP/keepalived.conf" <<EOF
global_defs {
	vrrp_rt_priority 30
	vrrp_priority -5
	vrrp_no_swap
	vrrp_cpu_affinity $cpu
}
vrrp_instance VI_1 {
	interface ka0
	virtual_router_id 51
	priority 100
	notify_backup "$TMP/notify.sh"
	virtual_ipaddress {
		192.0.2.10/24
	}
}
EOF
"$KA" --namespace "$NS" -f "$TMP/keepalived.conf" -n -P -p "$TMP/ka.pid" -r "$TMP/vrrp.pid" \
	-c "$TMP/check.pid" --log-file="$TMP/ka.log" &
PARENT=$!
wait_for 50 test -s "$TMP/vrrp.pid"
V=$(cat "$TMP/vrrp.pid" 2>/dev/null)
wait_for 50 test -s "$TMP/script.out"

check "VRRP child runs SCHED_RR at priority 30" \
	eval 'chrt -p "$V" | grep -q "SCHED_RR|SCHED_RESET_ON_FORK" &&
		chrt -p "$V" | grep -q "priority: 30"'
# ps shows no nice value for a realtime task; the kernel keeps it (field 19)
check "VRRP child has nice -5" [ "$(sed 's/.*) //' "/proc/$V/stat" | cut -d' ' -f17)" = -5 ]
check "VRRP child is bound to CPU $cpu" \
	[ "$(taskset -cp "$V" | awk -F': ' '{ print $2 }')" = "$cpu" ]
# AddressSanitizer turns mlockall() into a no-op (its shadow memory could
# never be locked): nothing to see there
if ldd "$KA" 2>/dev/null | grep -q libasan; then
	ok "VRRP child's memory is locked # SKIP AddressSanitizer ignores mlockall"
else
	check "VRRP child's memory is locked" \
		[ "$(awk '/^VmLck:/ { print $2 }' "/proc/$V/status")" -gt 0 ]
fi
check "realtime limit set (RLIMIT_RTTIME 10000 us)" \
	grep -Eq "^Max realtime timeout +10000 +10000" "/proc/$V/limits"
check "the parent stays an ordinary process" \
	eval 'chrt -p "$PARENT" | grep -q "SCHED_OTHER"'
check "its notify script runs SCHED_OTHER" grep -q "SCHED_OTHER" "$TMP/script.out"
check "its notify script is not niced below 0" \
	[ "$(sed -n 3p "$TMP/script.out" | tr -d ' ')" -ge 0 ]
kill -TERM "$PARENT"
wait "$PARENT"
check "daemon exits 0" [ $? = 0 ]
PARENT=

# ---- max_auto_priority: a child left unscheduled climbs one realtime step
# per late wake-up, up to the limit
run_late() { # run_late GLOBAL_DEFS_LINES: start, stop the VRRP child 1 s, resume
	rm -f "$TMP"/*.pid "$TMP"/ka*.log
	cat >"$TMP/keepalived.conf" <<EOF
global_defs {
$1
}
vrrp_instance VI_1 {
	interface ka0
	virtual_router_id 51
	priority 100
	advert_int 0.2
	version 3
	virtual_ipaddress {
		192.0.2.10/24
	}
}
EOF
	"$KA" --namespace "$NS" -f "$TMP/keepalived.conf" -n -P -p "$TMP/ka.pid" \
		-r "$TMP/vrrp.pid" -c "$TMP/check.pid" --log-file="$TMP/ka.log" &
	PARENT=$!
	wait_for 50 test -s "$TMP/vrrp.pid"
	V=$(cat "$TMP/vrrp.pid" 2>/dev/null)
	sleep 0.5
	stall
}
# (it must run between stalls, or two stalls make one late wake-up)
stall() { kill -STOP "$V"; sleep 1; kill -CONT "$V"; sleep 0.3; }
stop_late() { kill -TERM "$PARENT"; wait "$PARENT"; PARENT=; }

run_late "	max_auto_priority 2
	min_auto_priority_delay 300000"
check "max_auto_priority: realtime priority 1 after a stall" \
	wait_for 30 eval 'chrt -p "$V" | grep -q "priority: 1"'
check "max_auto_priority: the log says why" \
	wait_for 20 grep -q "ms late: realtime priority raised to 1" "$TMP/ka_vrrp.log"
stall
stall
check "max_auto_priority: never above the limit (2)" \
	wait_for 30 eval 'chrt -p "$V" | grep -q "priority: 2" &&
		grep -q "realtime priority raised to 2" "$TMP/ka_vrrp.log" &&
		! grep -q "raised to 3" "$TMP/ka_vrrp.log"'
check "max_auto_priority: past the limit only a warning" \
	wait_for 20 grep -q "ms late (not scheduled in time)" "$TMP/ka_vrrp.log"
stop_late

run_late "	min_auto_priority_delay 300000"
check "without max_auto_priority: a warning, no realtime" \
	wait_for 30 eval 'grep -q "max_auto_priority would raise" "$TMP/ka_vrrp.log" &&
		chrt -p "$V" | grep -q SCHED_OTHER'
stop_late

run_late "	max_auto_priority -1
	min_auto_priority_delay 300000"
sleep 0.5
check "max_auto_priority -1: quiet, no realtime" \
	eval '! grep -q "late" "$TMP/ka_vrrp.log" && chrt -p "$V" | grep -q SCHED_OTHER'
stop_late
echo "1..$COUNT"
exit "$FAILED"
