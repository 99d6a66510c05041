#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_check_run.sh - the checker child on this host (no IPVS): probe timing, sharing, alpha, reload
#
# Runs the real daemon (-C) in a network namespace of its own (kachk-PID)
# with real servers served by small Python listeners inside it, and
# checks through its log, its SIGUSR1 dump and its event FIFO that:
#   - without IPVS in the kernel it says so once and keeps probing;
#   - a killed server goes DOWN after `retry` failed attempts spaced by
#     delay_before_retry, and comes back UP within delay_loop of its restart;
#   - a probe shared by two virtual servers runs once (connections counted
#     on the listener side), and its result reaches both;
#   - alpha servers start DOWN; the others start UP;
#   - notify_down scripts and lvs_notify_fifo lines follow transitions;
#   - a reload keeps unchanged probes (state and counters) and adds new ones.
# Needs root, iproute2 and /usr/bin/python3; exits 77 (skipped) without them.
# Prints "ok N - ..." / "not ok N - ..." and exits 1 if any check failed.
set -euo pipefail

KA=${top_builddir:-.}/daemon/keepalived
PY=/usr/bin/python3
NS="kachk-$$"
TMP=
PIDS=() # processes this script started (killed by pid at exit)
FAILED=0
COUNT=0

skip() {
	echo "# SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "needs iproute2"
[ -x "$PY" ] || skip "needs $PY"
[ -x "$KA" ] || { echo "not ok - $KA not built"; exit 1; }

cleanup() {
	set +e
	local p
	[ -n "$TMP" ] && [ -f "$TMP/keepalived.pid" ] && PIDS+=("$(cat "$TMP/keepalived.pid")")
	for p in "${PIDS[@]}"; do
		[ -n "$p" ] && kill -0 "$p" 2>/dev/null && kill -TERM "$p"
	done
	sleep 0.3
	for p in "${PIDS[@]}"; do
		[ -n "$p" ] && kill -0 "$p" 2>/dev/null && kill -KILL "$p"
	done
	ip netns del "$NS" 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add "$NS" 2>/dev/null || skip "cannot create network namespace"
ip -n "$NS" link set lo up
TMP=$(mktemp -d /tmp/kachk.XXXXXX)
CONF=$TMP/keepalived.conf
LOG=$TMP/ka.log
CLOG=$TMP/ka_healthcheckers.log
PIDF=$TMP/keepalived.pid
CPID=$TMP/checkers.pid
DATA=$TMP/keepalived_check.data
FIFO_OUT=$TMP/fifo.out

ok() { COUNT=$((COUNT + 1)); echo "ok $COUNT - $*"; }
not_ok() { COUNT=$((COUNT + 1)); FAILED=$((FAILED + 1)); echo "not ok $COUNT - $*"; }
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
wait_for() { # wait_for MS COMMAND...
	local deadline=$(($(now_ms) + $1))
	shift
	while ! "$@"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}
log_has() { grep -q -- "$2" "$1" 2>/dev/null; }
log_count() { local n; n=$(grep -c -- "$2" "$1" 2>/dev/null) || true; echo "${n:-0}"; }
# seconds (with decimals) of the Nth (1-based) log line matching a pattern
log_time() {
	grep -- "$2" "$1" | sed -n "${3}p" |
		awk '{ split($2, t, ":"); printf "%.3f\n", t[1] * 3600 + t[2] * 60 + t[3] }'
}
# a - b within [lo, hi] (seconds, decimals allowed)
between() { awk -v d="$(awk -v a="$1" -v b="$2" 'BEGIN { print a - b }')" -v lo="$3" -v hi="$4" \
	'BEGIN { exit !(d >= lo && d <= hi) }'; }
now_s() {
	date +%H:%M:%S.%N | awk '{ split($1, t, ":"); printf "%.3f\n", t[1] * 3600 + t[2] * 60 + t[3] }'
}

# ---- real servers: TCP listeners counting connections, one HTTP server ----

cat >"$TMP/listen.py" <<'EOF'
# listen.py ADDR PORT COUNTFILE: accept and close connections, count them
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(64)
n = 0
while True:
    c, _ = s.accept()
    c.close()
    n += 1
    with open(sys.argv[3], "w") as f:
        f.write("%d\n" % n)
EOF
mkdir -p "$TMP/www"
echo hello >"$TMP/www/index.html"

declare -A LPID
listen() { # listen NAME ADDR PORT
	ip netns exec "$NS" "$PY" "$TMP/listen.py" "$2" "$3" "$TMP/count.$1" &
	LPID[$1]=$!
	PIDS+=("$!")
}
http_server() {
	ip netns exec "$NS" "$PY" -m http.server --bind 127.0.0.3 8082 \
		--directory "$TMP/www" >/dev/null 2>&1 &
	LPID[http]=$!
	PIDS+=("$!")
}
stop_listener() { kill -TERM "${LPID[$1]}" 2>/dev/null; wait "${LPID[$1]}" 2>/dev/null || true; }
port_open() {
	ip netns exec "$NS" "$PY" -c "import socket; socket.create_connection(('$1', $2), 1)" \
		2>/dev/null
}
count_of() { cat "$TMP/count.$1" 2>/dev/null || echo 0; }

listen shared 127.0.0.2 8081
listen alpha 127.0.0.5 8085
http_server
wait_for 5000 port_open 127.0.0.2 8081 || not_ok "listener 127.0.0.2:8081 did not start"
wait_for 5000 port_open 127.0.0.5 8085 || not_ok "listener 127.0.0.5:8085 did not start"
wait_for 5000 port_open 127.0.0.3 8082 || not_ok "HTTP server did not start"
rm -f "$TMP/count.shared" "$TMP/count.alpha"

# ---- configuration ----------------------------------------------------------

write_conf() { # write_conf [reload]
	cat >"$CONF" <<EOF
# kachk-test-$$
global_defs {
	router_id kachk-test-$$
	state_dump_file $TMP/
	lvs_notify_fifo $TMP/lvs.fifo
}
virtual_server 10.77.0.100 80 {
	lb_algo rr
	delay_loop 2
	warmup 0
	real_server 127.0.0.2 8081 {
		notify_down "/usr/bin/touch $TMP/rs-down"
		notify_up "/usr/bin/touch $TMP/rs-up"
		TCP_CHECK {
			connect_timeout 1
			retry 2
			delay_before_retry 1
		}
	}
	real_server 127.0.0.3 8082 {
		HTTP_GET {
			url {
				path /index.html
				status_code 200
			}
			connect_timeout 1
			retry 1
			delay_before_retry 1
		}
	}
}
virtual_server 10.77.0.101 80 {
	delay_loop 2
	warmup 0
	real_server 127.0.0.2 8081 {
		TCP_CHECK {
			connect_timeout 1
			retry 2
			delay_before_retry 1
		}
	}
}
virtual_server 10.77.0.102 80 {
	alpha
	delay_loop 2
	warmup 0
	real_server 127.0.0.5 8085 {
		TCP_CHECK {
			connect_timeout 1
		}
	}
}
EOF
	if [ "${1:-}" = reload ]; then
		cat >>"$CONF" <<EOF
virtual_server 10.77.0.103 80 {
	delay_loop 2
	warmup 0
	real_server 127.0.0.9 8089 {
		TCP_CHECK {
			connect_timeout 1
			retry 0
		}
	}
}
EOF
	fi
}
write_conf

dump() { # refresh the SIGUSR1 dump of the checker child
	rm -f "$DATA"
	kill -USR1 "$(cat "$CPID")"
	wait_for 3000 test -s "$DATA"
}
# "Real server NAME: STATE" line of the dump (first match)
rs_state() { grep -m1 "Real server $1:" "$DATA" | sed 's/.*: \(UP\|DOWN\),.*/\1/'; }
probe_attempts() { grep -m1 "Probe $1" "$DATA" | sed 's/.*attempts \([0-9]*\),.*/\1/'; }

# ---- start --------------------------------------------------------------------

"$KA" -C -f "$CONF" --namespace "$NS" -n -l --log-file="$LOG" -G -p "$PIDF" \
	-c "$CPID" -r "$TMP/vrrp.pid" >"$TMP/stderr" 2>&1 &
KPID=$!
PIDS+=("$KPID")
T_START=$(now_s)
check "checker child starts" wait_for 5000 log_has "$CLOG" \
	"checker child started: 3 virtual servers, 4 real servers, 3 probes running"
check "IPVS absence is reported" log_has "$CLOG" "IPVS is not available"
cat "$TMP/lvs.fifo" >"$FIFO_OUT" 2>/dev/null &
PIDS+=("$!")

check "alpha server comes UP after its first success" \
	wait_for 4000 log_has "$CLOG" "real server \[127.0.0.5\]:tcp:8085 is UP"
check "non-alpha servers are UP from the start (no UP transition)" \
	eval '! log_has "$CLOG" "real server \[127.0.0.2\]:tcp:8081 is UP" &&
	      ! log_has "$CLOG" "\[127.0.0.2\]:tcp:8081 TCP_CHECK: .*is UP"'

# ---- sharing: one probe for two virtual servers ------------------------------

sleep 1
dump || true
c0=$(count_of shared)
a0=$(probe_attempts "\[127.0.0.2\]:tcp:8081")
sleep 4.2
dump || true
check "dump: 3 probes for 4 uses" log_has "$DATA" "Probes running: 3 for 4 probe uses"
check "dump: shared probe has 2 users" \
	log_has "$DATA" "Probe \[127.0.0.2\]:tcp:8081 TCP_CHECK: UP, .*users 2"
check "dump: servers UP" eval '[ "$(rs_state "\[127.0.0.2\]:tcp:8081")" = UP ] &&
	[ "$(rs_state "\[127.0.0.3\]:tcp:8082")" = UP ] &&
	[ "$(rs_state "\[127.0.0.5\]:tcp:8085")" = UP ]'
conns=$(($(count_of shared) - c0))
attempts=$(($(probe_attempts "\[127.0.0.2\]:tcp:8081") - a0))
# 4.2 s at delay_loop 2: 2 (or 3) attempts, each one connection for both
# virtual servers (twice as many connections if the probe were not shared)
check "shared probe connects once per delay_loop ($conns connections, $attempts attempts)" \
	eval '[ "$attempts" -ge 2 ] && [ "$attempts" -le 3 ] && [ "$conns" = "$attempts" ]'

# ---- a server dies: retries, then DOWN ------------------------------------------

T_KILL=$(now_s)
stop_listener shared
check "killed server goes DOWN" \
	wait_for 8000 log_has "$CLOG" "\[127.0.0.2\]:tcp:8081 TCP_CHECK: L4CON.*is DOWN"
r1=$(log_time "$CLOG" "\[127.0.0.2\]:tcp:8081 TCP_CHECK: L4CON.*retry 1/2" 1)
r2=$(log_time "$CLOG" "\[127.0.0.2\]:tcp:8081 TCP_CHECK: L4CON.*retry 2/2" 1)
down=$(log_time "$CLOG" "\[127.0.0.2\]:tcp:8081 TCP_CHECK: L4CON.*is DOWN" 1)
check "first failure within delay_loop of the kill" between "${r1:-0}" "$T_KILL" 0 2.6
check "retries spaced by delay_before_retry (1 s)" \
	eval 'between "${r2:-0}" "${r1:-0}" 0.8 1.6 && between "${down:-0}" "${r2:-0}" 0.8 1.6'
check "DOWN reaches both virtual servers" \
	eval 'log_has "$CLOG" "VS \[10.77.0.100\]:tcp:80: real server \[127.0.0.2\]:tcp:8081 is DOWN" &&
	      log_has "$CLOG" "VS \[10.77.0.101\]:tcp:80: real server \[127.0.0.2\]:tcp:8081 is DOWN"'
check "quorum of the single-server virtual server lost" \
	log_has "$CLOG" "VS \[10.77.0.101\]:tcp:80: quorum lost"
check "notify_down script ran" wait_for 3000 test -e "$TMP/rs-down"
check "FIFO: RS DOWN line" wait_for 2000 log_has "$FIFO_OUT" \
	"RS \[127.0.0.2\]:tcp:8081 \[10.77.0.100\]:tcp:80 DOWN"
check "FIFO: VS DOWN line" log_has "$FIFO_OUT" "VS \[10.77.0.101\]:tcp:80 DOWN"
dump || true
check "dump: server DOWN in both virtual servers" \
	eval '[ "$(grep -c "Real server \[127.0.0.2\]:tcp:8081: DOWN" "$DATA")" = 2 ]'

# ---- it comes back: UP within delay_loop -----------------------------------------

listen shared 127.0.0.2 8081
T_BACK=$(now_s)
check "restarted server comes back UP" \
	wait_for 5000 log_has "$CLOG" "\[127.0.0.2\]:tcp:8081 TCP_CHECK: OK.*is UP"
up=$(log_time "$CLOG" "\[127.0.0.2\]:tcp:8081 TCP_CHECK: OK.*is UP" 1)
check "UP within delay_loop of the restart" between "${up:-0}" "$T_BACK" 0 2.6
check "notify_up script ran" wait_for 3000 test -e "$TMP/rs-up"
check "FIFO: RS UP and VS UP lines" wait_for 2000 eval \
	'log_has "$FIFO_OUT" "RS \[127.0.0.2\]:tcp:8081 \[10.77.0.101\]:tcp:80 UP" &&
	 log_has "$FIFO_OUT" "VS \[10.77.0.101\]:tcp:80 UP"'

# ---- HTTP_GET -----------------------------------------------------------------------

stop_listener http
check "HTTP_GET server goes DOWN" \
	wait_for 8000 log_has "$CLOG" "\[127.0.0.3\]:tcp:8082 HTTP_GET: .*is DOWN"
http_server
check "HTTP_GET server comes back UP" \
	wait_for 6000 log_has "$CLOG" "\[127.0.0.3\]:tcp:8082 HTTP_GET: OK.*is UP"

# ---- reload -----------------------------------------------------------------------------

dump || true
before=$(probe_attempts "\[127.0.0.2\]:tcp:8081")
ups=$(log_count "$CLOG" "is UP")
write_conf reload
kill -HUP "$KPID"
check "reload applied" wait_for 5000 log_has "$CLOG" \
	"checker configuration reloaded: 4 virtual servers, 5 real servers, 4 probes running"
check "new server probed after reload" \
	wait_for 4000 log_has "$CLOG" "\[127.0.0.9\]:tcp:8089 TCP_CHECK: L4CON.*is DOWN"
dump || true
after=$(probe_attempts "\[127.0.0.2\]:tcp:8081")
check "unchanged probe kept its counters ($before -> $after attempts)" \
	eval '[ -n "$before" ] && [ -n "$after" ] && [ "$after" -ge "$before" ]'
check "unchanged servers kept their state (no new UP transition)" \
	eval '[ "$(log_count "$CLOG" "is UP")" = "$ups" ]'
check "dump after reload: kept servers UP" \
	eval '[ "$(rs_state "\[127.0.0.2\]:tcp:8081")" = UP ] &&
	      [ "$(rs_state "\[127.0.0.5\]:tcp:8085")" = UP ]'

# ---- IPVS retries stay quiet; stop --------------------------------------------------------

check "IPVS absence reported once" eval '[ "$(log_count "$CLOG" "IPVS is not available")" = 1 ]'
kill -TERM "$KPID"
rc=0
wait "$KPID" || rc=$?
check "daemon exits 0 on SIGTERM" [ "$rc" = 0 ]
check "checker child stopped cleanly" log_has "$CLOG" "checker child stopped"
check "no sanitizer or crash report" \
	eval '! grep -q "Sanitizer\|runtime error\|Segmentation" "$TMP/stderr" "$CLOG"'

echo "1..$COUNT"
if [ "$FAILED" -ne 0 ]; then
	echo "# $FAILED of $COUNT checks failed; checker log:"
	sed 's/^/#   /' "$CLOG" | tail -60
	exit 1
fi
exit 0
