#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_sd_notify.sh - readiness protocol ($NOTIFY_SOCKET) and the systemd unit
#
# A small listener plays the service manager: it binds an AF_UNIX datagram
# socket, and for every message records the sender's pid (SCM_CREDENTIALS),
# which pid files existed when it arrived and the monotonic time. The daemon
# runs in a network namespace of its own (kasdn-PID). Needs root, iproute2
# and /usr/bin/python3; exits 77 (skipped) without them. Prints "ok - ..." /
# "not ok - ..." per check and exits 1 if any check failed.
# checks are written as eval '...' strings, expanded when they run
# shellcheck disable=SC2016,SC2034
set -euo pipefail

KA=${top_builddir:-.}/daemon/keepalived
SRC=${top_srcdir:-.}
PY=/usr/bin/python3
NS="kasdn-$$"
TMP=
STARTED=() # pids this script started
LISTENER=  # the pretend service manager
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
	local p f
	if [ -n "$LISTENER" ]; then
		kill "$LISTENER"
		wait "$LISTENER"
	fi 2>/dev/null
	if [ -n "$TMP" ]; then
		for f in "$TMP"/*.pid; do
			[ -f "$f" ] && STARTED+=("$(cat "$f" 2>/dev/null)")
		done
	fi
	for p in "${STARTED[@]}"; do
		[ -n "$p" ] && kill -0 "$p" 2>/dev/null && kill -KILL "$p"
	done
	ip netns del "$NS" 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add "$NS" 2>/dev/null || skip "cannot create network namespace"
ip -n "$NS" link add ka0 type veth peer name ka1
ip -n "$NS" link set ka0 up
ip -n "$NS" link set lo up
TMP=$(mktemp -d /tmp/kasdn.XXXXXX)
CONF=$TMP/keepalived.conf
LOG=$TMP/ka.log
PIDF=$TMP/keepalived.pid
VPID=$TMP/vrrp.pid
CPID=$TMP/checkers.pid
MSGS=$TMP/notify.log

ok() {
	COUNT=$((COUNT + 1))
	echo "ok $COUNT - $*"
}

not_ok() {
	COUNT=$((COUNT + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $COUNT - $*"
	[ -s "$MSGS" ] && tail -5 "$MSGS" | sed 's/^/#   /'
	return 0
}

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
		sleep 0.02
	done
}

pid_of() { cat "$1" 2>/dev/null || true; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# The service manager's side: one line per datagram,
#   pid=SENDER files=FLAGS now=MONO_USEC MSG
# with the message's newlines shown as '|'. FLAGS has a 1 per argument
# after the second that held when the message arrived: FILE exists, or
# FILE:TEXT (FILE contains TEXT).
cat >"$TMP/listener.py" <<'EOF'
import os, socket, struct, sys, time
addr, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]

def holds(spec):
    path, _, text = spec.partition(":")
    if not text:
        return os.path.exists(path)
    try:
        with open(path, errors="replace") as f:
            return text in f.read()
    except OSError:
        return False

s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
if addr.startswith("@"):
    addr = "\0" + addr[1:]
elif os.path.exists(addr):
    os.unlink(addr)
s.bind(addr)
with open(out, "a", buffering=1) as f:
    f.write("listening\n")
    while True:
        msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
        pid = 0
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid = struct.unpack("iII", data[:12])[0]
        present = "".join("1" if holds(p) else "0" for p in files)
        now = time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000
        text = msg.decode(errors="replace").replace("\n", "|")
        f.write("pid=%d files=%s now=%d %s\n" % (pid, present, now, text))
EOF

start_listener() { # start_listener ADDRESS
	if [ -n "$LISTENER" ]; then
		kill "$LISTENER" 2>/dev/null || true
		wait "$LISTENER" 2>/dev/null || true
	fi
	: >"$MSGS"
	"$PY" "$TMP/listener.py" "$1" "$MSGS" "$PIDF" "$VPID" "$CPID" \
		"$TMP/ka_vrrp.log:VRRP child started" \
		"$TMP/ka_healthcheckers.log:checker child started" &
	LISTENER=$!
	STARTED+=("$LISTENER")
	wait_for 3000 grep -q '^listening' "$MSGS"
}

# messages so far matching a pattern, and the numbers of their lines
msg_count() { local n; n=$(grep -c -- "$1" "$MSGS" 2>/dev/null) || true; echo "${n:-0}"; }
msg_count_ge() { [ "$(msg_count "$1")" -ge "$2" ]; }
msg_lines() { grep -n -- "$1" "$MSGS" | cut -d: -f1; }
nth_msg() { grep -- "$1" "$MSGS" | sed -n "${2}p"; }

write_conf() { # write_conf PRIORITY [broken]
	local vrid=51
	[ "${2:-}" = broken ] && vrid=300
	cat >"$CONF" <<EOF
child_wait_time 2
vrrp_instance VI_1 {
	state BACKUP
	interface ka0
	virtual_router_id $vrid
	priority $1
	advert_int 1
	virtual_ipaddress {
		192.0.2.10/24
	}
}
virtual_server 192.0.2.10 80 {
	delay_loop 5
	lb_algo rr
	lb_kind NAT
	protocol TCP
	real_server 192.0.2.20 80 {
		TCP_CHECK {
			connect_timeout 3
		}
	}
}
EOF
}

KA_ARGS=(--namespace "$NS" -f "$CONF" -p "$PIDF" -r "$VPID" -c "$CPID" --log-file="$LOG" -G)

# ---- foreground (-n), path socket: start, reload, respawn, stop -------------

write_conf 100
start_listener "$TMP/notify.sock"
NOTIFY_SOCKET=$TMP/notify.sock "$KA" -n "${KA_ARGS[@]}" >"$TMP/fg.out" 2>&1 &
P=$!
STARTED+=("$P")
check "READY=1 received" wait_for 5000 msg_count_ge 'READY=1' 1
ready=$(nth_msg 'READY=1' 1)
check "READY=1 comes from the main process (pid $P)" \
	eval '[[ $ready == "pid=$P "* ]]'
check "READY=1 only once both children wrote their pid files and logged their start" \
	eval '[[ $ready == *" files=11111 "* ]]'
check "READY=1 carries MAINPID=$P" eval '[[ $ready == *"|MAINPID=$P|"* ]]'
check "READY=1 carries STATUS=running: VRRP and checker children" \
	eval '[[ $ready == *"STATUS=running: VRRP and checker children" ]]'
check "nothing but READY=1 before it" eval '[ "$(msg_lines "^pid=" | head -1)" = 2 ]'

write_conf 120
kill -HUP "$P"
check "SIGHUP: RELOADING=1 then READY=1" \
	wait_for 3000 eval 'msg_count_ge "READY=1" 2 && msg_count_ge "RELOADING=1" 1'
rl=$(msg_lines 'RELOADING=1' | head -1)
rd=$(msg_lines 'READY=1' | sed -n 2p)
check "SIGHUP: READY=1 after RELOADING=1" eval '[ -n "$rl" ] && [ -n "$rd" ] && [ "$rl" -lt "$rd" ]'
reloading=$(nth_msg 'RELOADING=1' 1)
mono=$(sed -n 's/.*|MONOTONIC_USEC=\([0-9]*\).*/\1/p' <<<"$reloading")
seen=$(sed -n 's/.* now=\([0-9]*\) .*/\1/p' <<<"$reloading")
check "RELOADING=1 carries MONOTONIC_USEC on CLOCK_MONOTONIC ($mono, received at $seen)" \
	eval '[ -n "$mono" ] && [ "$mono" -le "$seen" ] && [ $((seen - mono)) -lt 2000000 ]'
check "after the reload: STATUS=running, no failure noted" \
	eval '[[ $(nth_msg "READY=1" 2) == *"STATUS=running: VRRP and checker children" ]]'

write_conf 120 broken
kill -HUP "$P"
check "SIGHUP with a broken file: RELOADING=1 and READY=1 again" \
	wait_for 3000 eval 'msg_count_ge "READY=1" 3 && msg_count_ge "RELOADING=1" 2'
check "SIGHUP with a broken file: STATUS says the reload failed" \
	eval '[[ $(nth_msg "READY=1" 3) == *"last reload failed"* ]]'
check "daemon still running after the failed reload" alive "$P"

write_conf 120
V=$(pid_of "$VPID")
nready=$(msg_count 'READY=1')
kill -KILL "$V"
check "VRRP child killed: STATUS says it is restarting" \
	wait_for 3000 msg_count_ge "STATUS=VRRP child killed by signal 9.*restarting" 1
check "respawned child: STATUS=running again" \
	wait_for 3000 eval 'tail -1 "$MSGS" |
		grep -q "[ |]STATUS=running: VRRP and checker children; last reload failed"'
check "respawn: no second READY=1 outside a reload" [ "$(msg_count 'READY=1')" = "$nready" ]

kill -TERM "$P"
rc=0; wait "$P" || rc=$?
check "SIGTERM: STOPPING=1 received" wait_for 2000 msg_count_ge 'STOPPING=1' 1
check "SIGTERM: STOPPING=1 from the main process" \
	eval '[[ $(nth_msg "STOPPING=1" 1) == "pid=$P "* ]]'
check "SIGTERM: exit status 0" [ "$rc" = 0 ]
check "children's messages never reach the service manager" \
	eval '! grep -v -e "^listening" -e "^pid=$P " "$MSGS"'
check "no sanitizer report from the foreground run (built with sanitizers or not)" \
	eval '! grep -E "Sanitizer|runtime error" "$TMP/fg.out"'

# ---- start failure: ERRNO= ----------------------------------------------------

write_conf 100 broken
start_listener "$TMP/notify.sock"
rc=0; NOTIFY_SOCKET=$TMP/notify.sock "$KA" -n "${KA_ARGS[@]}" >/dev/null 2>&1 || rc=$?
check "broken configuration: start refused (status 3)" [ "$rc" = 3 ]
check "broken configuration: STATUS= names the file and ERRNO=22 (EINVAL)" \
	wait_for 2000 eval 'grep -q "STATUS=$CONF: [0-9]* errors.*|ERRNO=22$" "$MSGS"'
check "broken configuration: no READY=1" [ "$(msg_count 'READY=1')" = 0 ]

# ---- abstract socket name, daemonized -------------------------------------------

write_conf 100
start_listener "@kasdn-$$"
rc=0; NOTIFY_SOCKET="@kasdn-$$" "$KA" "${KA_ARGS[@]}" >/dev/null 2>&1 || rc=$?
P=$(pid_of "$PIDF")
[ -n "$P" ] && STARTED+=("$P")
check "daemonized start: exit 0" [ "$rc" = 0 ]
check "abstract socket, from inside namespace $NS: READY=1 received" \
	wait_for 5000 msg_count_ge 'READY=1' 1
check "daemonized: READY=1 sent by the daemon with MAINPID=$P (its pid file)" \
	eval '[ -n "$P" ] && [[ $(nth_msg "READY=1" 1) == "pid=$P "*"|MAINPID=$P|"* ]]'
kill -TERM "$P" 2>/dev/null || true
check "daemonized: STOPPING=1 on SIGTERM" wait_for 3000 msg_count_ge 'STOPPING=1' 1
wait_for 3000 eval '! alive "$P"' || true

# ---- no NOTIFY_SOCKET, bad NOTIFY_SOCKET --------------------------------------

rc=0; env -u NOTIFY_SOCKET "$KA" "${KA_ARGS[@]}" >/dev/null 2>&1 || rc=$?
P=$(pid_of "$PIDF")
[ -n "$P" ] && STARTED+=("$P")
check "without NOTIFY_SOCKET: starts normally" eval '[ "$rc" = 0 ] && alive "$P"'
kill -TERM "$P" 2>/dev/null || true
wait_for 3000 eval '! alive "$P"' || true
: >"$LOG"
rc=0; NOTIFY_SOCKET=relative/name "$KA" "${KA_ARGS[@]}" >/dev/null 2>&1 || rc=$?
P=$(pid_of "$PIDF")
[ -n "$P" ] && STARTED+=("$P")
check "unusable NOTIFY_SOCKET: starts anyway and says why" \
	eval '[ "$rc" = 0 ] && alive "$P" && grep -q "NOTIFY_SOCKET=relative/name" "$LOG"'
kill -TERM "$P" 2>/dev/null || true
wait_for 3000 eval '! alive "$P"' || true

# ---- the systemd unit -----------------------------------------------------------

unit_variant() { # unit_variant notify|forking DIR: the unit as configure would write it
	local other=forking
	[ "$1" = forking ] && other=notify
	mkdir -p "$2"
	sed -e "s|^@$1@||" -e "/^@$other@/d" -e '/^##/d' \
		-e "s|@sbindir@|$(cd "$(dirname "$KA")" && pwd)|g" -e "s|@sysconfdir@|$TMP|g" \
		-e 's|@runstatedir@|/run|g' "$SRC/daemon/keepalived.service.in" \
		>"$2/keepalived.service"
}
unit_variant notify "$TMP/notify"
unit_variant forking "$TMP/forking"
u=$TMP/notify/keepalived.service
check "notify unit: Type=notify, NotifyAccess=main, --dont-fork" \
	eval 'grep -qx "Type=notify" "$u" && grep -qx "NotifyAccess=main" "$u" &&
		grep -q "^ExecStart=.*/keepalived --dont-fork \$KEEPALIVED_OPTIONS$" "$u"'
check "notify unit: no PIDFile, no template markers" \
	eval '! grep -q -e "^PIDFile" -e "@" -e "^##" "$u"'
u=$TMP/forking/keepalived.service
check "forking unit: Type=forking with PIDFile, no --dont-fork" \
	eval 'grep -qx "Type=forking" "$u" && grep -qx "PIDFile=/run/keepalived.pid" "$u" &&
		! grep -q -e "dont-fork" -e "NotifyAccess" -e "@" "$u"'
for u in "$TMP/notify" "$TMP/forking"; do
	check "$(basename "$u") unit: reload by SIGHUP to the main process, KillMode=process" \
		eval 'grep -qx "ExecReload=/bin/kill -HUP \$MAINPID" "$u/keepalived.service" &&
			grep -qx "KillMode=process" "$u/keepalived.service" &&
			grep -qx "EnvironmentFile=-$TMP/default/keepalived" "$u/keepalived.service"'
done
check "keepalived.default sets KEEPALIVED_OPTIONS" \
	eval '(. "$SRC/daemon/keepalived.default" && [ "$KEEPALIVED_OPTIONS" = -D ])'
if command -v systemd-analyze >/dev/null; then
	for u in "$TMP/notify" "$TMP/forking"; do
		if out=$(cd "$u" && systemd-analyze verify --man=no ./keepalived.service 2>&1); then
			ok "systemd-analyze verify: $(basename "$u") unit"
		else
			not_ok "systemd-analyze verify: $(basename "$u") unit: $out"
		fi
	done
	built=${top_builddir:-.}/daemon/keepalived.service
	if [ -f "$built" ]; then
		mkdir -p "$TMP/built"
		sed "s|^ExecStart=[^ ]*|ExecStart=$(cd "$(dirname "$KA")" && pwd)/keepalived|" \
			"$built" >"$TMP/built/keepalived.service"
		if out=$(cd "$TMP/built" && systemd-analyze verify --man=no \
				./keepalived.service 2>&1); then
			ok "systemd-analyze verify: the built unit ($(grep ^Type= "$built"))"
		else
			not_ok "systemd-analyze verify: the built unit: $out"
		fi
	fi
else
	echo "# systemd-analyze not found: unit verification skipped"
fi

echo "1..$COUNT"
if [ "$FAILED" -ne 0 ]; then
	echo "# $FAILED of $COUNT checks failed"
	exit 1
fi
