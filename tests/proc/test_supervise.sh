#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_supervise.sh - process model: pid files, respawn, reload, signals, shutdown
#
# Runs the real daemon in a network namespace of its own (kaproc-PID) with
# its files in a temporary directory. Needs root and iproute2; exits 77
# (skipped) without them. Prints "ok - ..." / "not ok - ..." per check and
# exits 1 if any check failed.
set -euo pipefail

KA=${top_builddir:-.}/daemon/keepalived
NS="kaproc-$$"
TMP=
STARTED=() # parent pids this script started
FAILED=0
COUNT=0

skip() {
	echo "# SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "needs iproute2"
[ -x "$KA" ] || { echo "not ok - $KA not built"; exit 1; }

# kill only what we started: pids we launched or found in our own pid files
cleanup() {
	set +e
	local p
	if [ -n "$TMP" ]; then
		for f in "$TMP"/*.pid; do
			[ -f "$f" ] && STARTED+=("$(cat "$f" 2>/dev/null)")
		done
	fi
	for p in "${STARTED[@]}"; do
		[ -n "$p" ] && kill -0 "$p" 2>/dev/null && kill -CONT "$p" && kill -KILL "$p"
	done
	ip netns del "$NS" 2>/dev/null
	for f in /tmp/keepalived_parent.data /tmp/keepalived_check.data; do
		grep -q "kaproc-test-$$" "$f" 2>/dev/null && rm -f "$f"
	done
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add "$NS" 2>/dev/null || skip "cannot create network namespace"
# a veth pair: dummy interfaces need a module containers may lack
ip -n "$NS" link add ka0 type veth peer name ka1
ip -n "$NS" link set ka0 up
ip -n "$NS" link set lo up
TMP=$(mktemp -d /tmp/kaproc.XXXXXX)
CONF=$TMP/keepalived.conf
LOG=$TMP/ka.log
VLOG=$TMP/ka_vrrp.log
CLOG=$TMP/ka_healthcheckers.log
PIDF=$TMP/keepalived.pid
VPID=$TMP/vrrp.pid
CPID=$TMP/checkers.pid

ok() {
	COUNT=$((COUNT + 1))
	echo "ok $COUNT - $*"
}

not_ok() {
	COUNT=$((COUNT + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $COUNT - $*"
}

# check DESCRIPTION COMMAND...: ok if the command succeeds
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# wait_for MS COMMAND...: poll every 20 ms until the command succeeds
wait_for() {
	local deadline=$(($(now_ms) + $1))
	shift
	while ! "$@"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.02
	done
}

pid_of() { cat "$1" 2>/dev/null || true; }
# a zombie is dead too (an orphan's may linger where init does not reap)
alive() {
	local st
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[[ $st != Z* ]]
}
dead() { ! alive "$1"; }
all_dead() { local p; for p in "$@"; do alive "$p" && return 1; done; return 0; }
pidfile_live() { alive "$(pid_of "$1")"; }
pidfile_changed() { local p; p=$(pid_of "$1"); [ -n "$p" ] && [ "$p" != "$2" ] && alive "$p"; }
in_ns() { [ "$(stat -L -c %i "/proc/$1/ns/net")" = "$(stat -L -c %i "/run/netns/$NS")" ]; }
log_has() { grep -q -- "$2" "$1" 2>/dev/null; }
log_count() { local n; n=$(grep -c -- "$2" "$1" 2>/dev/null) || true; echo "${n:-0}"; }
log_count_ge() { [ "$(log_count "$1" "$2")" -ge "$3" ]; }

write_conf() { # write_conf PRIORITY [with_vs] [extra instance]
	cat >"$CONF" <<EOF
# kaproc-test-$$
child_wait_time 2
global_defs {
	router_id kaproc-test-$$
	state_dump_file $TMP/ka.data
	stats_dump_file $TMP/ka.stats
	json_dump_file $TMP/ka.json
}
vrrp_instance VI_1 {
	state BACKUP
	interface ka0
	virtual_router_id 51
	priority $1
	advert_int 1
	virtual_ipaddress {
		192.0.2.10/24
	}
}
EOF
	if [ "${3:-}" = extra ]; then
		cat >>"$CONF" <<EOF
vrrp_instance VI_2 {
	interface ka0
	virtual_router_id 52
	priority 90
	virtual_ipaddress {
		192.0.2.11/24
	}
}
EOF
	fi
	if [ "${2:-vs}" = vs ]; then
		cat >>"$CONF" <<EOF
virtual_server 192.0.2.10 80 {
	delay_loop 5
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server 192.0.2.20 80 {
		weight 1
		TCP_CHECK {
			connect_timeout 3
		}
	}
}
EOF
	fi
}

# the daemon with this test's files; extra options first
KA_ARGS=(--namespace "$NS" -f "$CONF" -p "$PIDF" -r "$VPID" -c "$CPID" --log-file="$LOG" -G)
ka() { "$KA" "$@" "${KA_ARGS[@]}"; }

stop_daemon() { # stop_daemon PARENT: SIGTERM and wait for the pid files to go
	kill -TERM "$1" 2>/dev/null || true
	wait_for 4000 all_dead "$1" || true
	wait_for 1000 eval '[ ! -e "$PIDF" ] && [ ! -e "$VPID" ] && [ ! -e "$CPID" ]' || true
}

# ---- command line --------------------------------------------------------

write_conf 100
check "--version starts with 'Keepalived v'" \
	eval '"$KA" --version >"$TMP/version" 2>&1 && head -1 "$TMP/version" | grep -q "^Keepalived v"'
check "--signum=JSON prints SIGRTMIN+2" \
	eval '[ "$("$KA" --signum=JSON)" = "$(($(kill -l SIGRTMIN) + 2))" ]'
rc=0; "$KA" --no-such-option >/dev/null 2>&1 || rc=$?
check "unknown option exits 2" [ "$rc" = 2 ]
check "-t on a valid configuration exits 0" eval '"$KA" -t -f "$CONF" >/dev/null 2>&1'

# ---- start daemonized ------------------------------------------------------

rc=0; ka || rc=$?
check "daemon starts (exit 0)" [ "$rc" = 0 ]
P=$(pid_of "$PIDF")
[ -n "$P" ] && STARTED+=("$P")
check "parent pid file written and process alive" alive "$P"
check "VRRP child pid file and process" wait_for 3000 pidfile_live "$VPID"
check "checker child pid file and process" wait_for 3000 pidfile_live "$CPID"
V=$(pid_of "$VPID")
C=$(pid_of "$CPID")
ppid_of() { ps -o ppid= -p "$1" 2>/dev/null | tr -d " "; }
check "children are children of the parent" \
	eval 'alive "$V" && alive "$C" &&
		[ "$(ppid_of "$V")" = "$P" ] && [ "$(ppid_of "$C")" = "$P" ]'
check "all processes run in namespace $NS" eval 'in_ns "$P" && in_ns "$V" && in_ns "$C"'
check "VRRP child logs its start" wait_for 2000 log_has "$VLOG" "VRRP child started: 1 instance"
check "checker child logs its start" \
	wait_for 2000 log_has "$CLOG" "checker child started: 1 virtual server, 1 real server"

# ---- second instance refused ------------------------------------------------

rc=0; out=$(ka 2>&1) || rc=$?
check "second start refused with non-zero status" [ "$rc" != 0 ]
check "second start says 'daemon is already running'" \
	eval 'grep -q "daemon is already running" <<<"$out"'
check "first daemon untouched by the second start" \
	eval 'alive "$P" && [ "$(pid_of "$PIDF")" = "$P" ]'

# ---- respawn ---------------------------------------------------------------

respawn_test() { # respawn_test NAME PIDFILE
	local old t0 t1 new
	old=$(pid_of "$2")
	if ! alive "$old"; then
		not_ok "$1 child running before kill -9"
		return 0
	fi
	t0=$(now_ms)
	kill -KILL "$old"
	if wait_for 1000 pidfile_changed "$2" "$old"; then
		t1=$(now_ms)
		new=$(pid_of "$2")
		ok "$1 child respawned in $((t1 - t0)) ms (pid $old -> $new)"
	else
		not_ok "$1 child respawned within 1 s of kill -9"
		new=
	fi
	check "log names the signal that killed the $1 child" \
		wait_for 1000 log_has "$LOG" "$1 child (pid $old) killed by signal 9"
	check "respawned $1 child runs in namespace $NS" eval '[ -n "$new" ] && in_ns "$new"'
}
respawn_test VRRP "$VPID"
respawn_test checker "$CPID"
V=$(pid_of "$VPID")
C=$(pid_of "$CPID")
check "parent survived the child deaths" alive "$P"

# ---- dumps -----------------------------------------------------------------

rm -f "$TMP/ka.data" "$TMP/ka.stats" "$TMP/ka.json"
kill -USR1 "$P"
check "SIGUSR1: VRRP data file in state_dump_file" \
	wait_for 2000 log_has "$TMP/ka.data" "pid = $V"
check "SIGUSR1: VRRP data lists VI_1" log_has "$TMP/ka.data" "VRRP Instance = VI_1"
check "SIGUSR1: checker data file" \
	wait_for 2000 log_has /tmp/keepalived_check.data "pid = $C"
check "SIGUSR1: parent data file names both children" \
	wait_for 2000 eval 'log_has /tmp/keepalived_parent.data "VRRP child: pid $V" &&
		log_has /tmp/keepalived_parent.data "checker child: pid $C"'
# the parent keeps only a sealed copy and rebuilds the configuration for this
check "SIGUSR1: parent data file holds the configuration" \
	eval 'sed -n "/< Configuration >/,\$p" /tmp/keepalived_parent.data | grep -q "VI_1"'
kill -USR2 "$P"
check "SIGUSR2: stats file" wait_for 2000 log_has "$TMP/ka.stats" "VRRP Instance: VI_1"
kill -s "$("$KA" --signum=JSON)" "$P"
check "JSON signal: json file" wait_for 2000 log_has "$TMP/ka.json" '"iname":"VI_1"'

# ---- reload ----------------------------------------------------------------

nv=$(log_count "$VLOG" "configuration reloaded")
nc=$(log_count "$CLOG" "configuration reloaded")
write_conf 150 vs extra
kill -HUP "$P"
check "SIGHUP (valid): VRRP child reloaded" \
	wait_for 3000 log_count_ge "$VLOG" "configuration reloaded" $((nv + 1))
check "SIGHUP (valid): checker child reloaded" \
	wait_for 3000 log_count_ge "$CLOG" "configuration reloaded" $((nc + 1))
check "reload keeps the same children" \
	eval '[ "$(pid_of "$VPID")" = "$V" ] && [ "$(pid_of "$CPID")" = "$C" ]'
rm -f "$TMP/ka.data"
kill -USR1 "$P"
check "VRRP child runs the new configuration (VI_2 in its dump)" \
	wait_for 2000 log_has "$TMP/ka.data" "VRRP Instance = VI_2"

nv=$(log_count "$VLOG" "configuration reloaded")
sed -i 's/virtual_router_id 52/virtual_router_id 300/' "$CONF"
bad_line=$(grep -n 'virtual_router_id 300' "$CONF" | cut -d: -f1)
kill -HUP "$P"
check "SIGHUP (broken): error with file:line logged" \
	wait_for 3000 log_has "$LOG" "$CONF:$bad_line: error"
check "SIGHUP (broken): 'keeping the running configuration'" \
	wait_for 3000 log_has "$LOG" "keeping the running configuration"
sleep 0.3
check "SIGHUP (broken): children not reloaded" \
	eval '[ "$(log_count "$VLOG" "configuration reloaded")" = "$nv" ]'
check "SIGHUP (broken): all processes still alive" eval 'alive "$P" && alive "$V" && alive "$C"'

# ---- orderly stop ------------------------------------------------------------

t0=$(now_ms)
kill -TERM "$P"
if wait_for 2000 all_dead "$P" "$V" "$C"; then
	ok "SIGTERM: all processes gone in $(($(now_ms) - t0)) ms"
else
	not_ok "SIGTERM: all processes gone within child_wait_time (2 s)"
fi
check "SIGTERM: pid files removed" \
	wait_for 500 eval '[ ! -e "$PIDF" ] && [ ! -e "$VPID" ] && [ ! -e "$CPID" ]'

# ---- foreground (-n), a child that cannot stop ---------------------------------

write_conf 100
"$KA" -n "${KA_ARGS[@]}" >"$TMP/fg.out" 2>&1 &
P=$!
STARTED+=("$P")
check "-n: pid file names the foreground process" \
	wait_for 3000 eval '[ "$(pid_of "$PIDF")" = "$P" ]'
check "-n: both children up" wait_for 3000 eval 'pidfile_live "$VPID" && pidfile_live "$CPID"'
V=$(pid_of "$VPID")
C=$(pid_of "$CPID")
kill -STOP "$V"
t0=$(now_ms)
kill -TERM "$P"
rc=0; wait "$P" || rc=$?
t1=$(now_ms)
check "stopped child: parent exits 0 after SIGTERM" [ "$rc" = 0 ]
check "stopped child: SIGKILLed after child_wait_time ($((t1 - t0)) ms)" \
	eval '[ $((t1 - t0)) -ge 1800 ] && [ $((t1 - t0)) -le 4000 ] && dead "$V" && dead "$C"'
check "stopped child: log says it was killed" log_has "$LOG" "did not stop in time: killing"
check "stopped child: pid files removed" \
	eval '[ ! -e "$PIDF" ] && [ ! -e "$VPID" ] && [ ! -e "$CPID" ]'

# ---- which children run ---------------------------------------------------------

rc=0; ka -P || rc=$?
P=$(pid_of "$PIDF")
STARTED+=("$P")
check "-P: daemon starts" eval '[ "$rc" = 0 ] && alive "$P"'
check "-P: VRRP child runs" wait_for 3000 pidfile_live "$VPID"
sleep 0.3
check "-P: no checker child (no checkers pid file)" [ ! -e "$CPID" ]
check "-P: log says why" log_has "$LOG" "checker child not started (--vrrp)"
stop_daemon "$P"

write_conf 100 novs
: >"$LOG"
rc=0; ka || rc=$?
P=$(pid_of "$PIDF")
STARTED+=("$P")
check "no virtual_server: daemon starts" eval '[ "$rc" = 0 ] && alive "$P"'
check "no virtual_server: VRRP child runs" wait_for 3000 pidfile_live "$VPID"
sleep 0.3
check "no virtual_server: no checker child" [ ! -e "$CPID" ]
check "no virtual_server: logged" \
	log_has "$LOG" "no virtual_server configuration, checker child not started"
V=$(pid_of "$VPID")
write_conf 100 vs
kill -HUP "$P"
check "reload adding a virtual_server starts the checker child" wait_for 3000 pidfile_live "$CPID"
C=$(pid_of "$CPID")
write_conf 100 novs
kill -HUP "$P"
check "reload removing the virtual_server stops the checker child" \
	wait_for 3000 eval 'dead "$C" && [ ! -e "$CPID" ]'
check "VRRP child kept across these reloads" eval '[ "$(pid_of "$VPID")" = "$V" ] && alive "$V"'
stop_daemon "$P"
check "all processes of the last run gone" all_dead "$P"

# ---- refusals ----------------------------------------------------------------

write_conf 100
sed -i 's/virtual_router_id 51/virtual_router_id 300/' "$CONF"
rc=0; out=$(ka 2>&1) || rc=$?
check "broken configuration: start refused with status 3" [ "$rc" = 3 ]
check "broken configuration: no pid file" [ ! -e "$PIDF" ]
write_conf 100
rc=0; out=$("$KA" --namespace "kaproc-none-$$" -f "$CONF" -p "$PIDF" -G 2>&1) || rc=$?
check "unknown namespace: status 3 and a message" \
	eval '[ "$rc" = 3 ] && grep -q "kaproc-none-$$" <<<"$out"'

echo "1..$COUNT"
if [ "$FAILED" -ne 0 ]; then
	echo "# $FAILED of $COUNT checks failed"
	exit 1
fi
