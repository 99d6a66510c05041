#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_smtp.sh - alert mails delivered to a real SMTP server (aiosmtpd) in a network namespace
#
# In namespace kamail-PID (loopback only) run tests/mail/smtp_sink.py, an
# aiosmtpd server that stores every message it accepts, and drive
# tests/mail/smtp_send, which loads a keepalived.conf and mails the alerts
# of the events it is given through the daemon's mail code. Checks: the
# envelope, the From/To/Subject headers exactly, the body text, lines
# starting with a dot coming back intact, a refused recipient, IPv6 and a
# host name as smtp_server, the switches (smtp_alert, no_email_faults),
# a server that is down (fails fast, exits cleanly, one retry when asked),
# a server that never answers (smtp_connect_timeout), and keepalived's
# checker process mailing a real server's DOWN/UP and its quorum. Needs root,
# iproute2 and python3-aiosmtpd; exits 77 (skipped) without them. Prints
# TAP lines and exits 1 if any check failed.
# shellcheck disable=SC2317 # functions run through check() and trap
set -uo pipefail

SEND=${top_builddir:-.}/tests/mail/smtp_send
SINK=${top_srcdir:-.}/tests/mail/smtp_sink.py
PY=/usr/bin/python3
NS="kamail-$$"
TMP=
STARTED=() # pids this script started
FAILED=0
COUNT=0

skip() {
	echo "# SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "needs iproute2"
"$PY" -c 'import aiosmtpd' 2>/dev/null || skip "needs python3-aiosmtpd"
[ -x "$SEND" ] || { echo "not ok - $SEND not built"; exit 1; }
SEND=$(readlink -f "$SEND")
SINK=$(readlink -f "$SINK")

cleanup() {
	set +e
	local p
	for p in "${STARTED[@]}"; do
		kill -0 "$p" 2>/dev/null && kill "$p" && wait "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	COUNT=$((COUNT + 1))
	if "$@"; then
		echo "ok $COUNT - $what"
	else
		echo "not ok $COUNT - $what"
		FAILED=$((FAILED + 1))
	fi
}

TMP=$(mktemp -d /tmp/kamail.XXXXXX)
ip netns add "$NS" || { echo "not ok - cannot create namespace $NS"; exit 1; }
ip -n "$NS" link set lo up

# sink NAME ADDR PORT [mute]: start a server storing into $TMP/NAME
sink() {
	local name=$1 addr=$2 port=$3 mode=${4:-} _
	mkdir -p "$TMP/$name"
	ip netns exec "$NS" "$PY" "$SINK" serve "$addr" "$port" "$TMP/$name" ${mode:+"$mode"} \
		>"$TMP/$name.log" 2>&1 &
	STARTED+=($!)
	for _ in $(seq 100); do
		[ -e "$TMP/$name/ready" ] && return 0
		sleep 0.1
	done
	echo "# sink $name did not start:"
	sed 's/^/# /' "$TMP/$name.log"
	return 1
}

# conf NAME SERVER-LINE [EXTRA global_defs lines]: write $TMP/NAME.conf
conf() {
	local name=$1 server=$2 extra=${3:-}
	cat >"$TMP/$name.conf" <<EOF
global_defs {
	router_id lb1
	notification_email {
		ops@example.org
		"Pager Duty <pager@example.org>"
		bad@example.org
	}
	notification_email_from "Director A <ka@example.org>"
	$server
	smtp_helo_name lb1.example.org
	smtp_connect_timeout 2
	$extra
}
vrrp_instance VI_1 {
	interface lo
	virtual_router_id 51
	priority 150
	smtp_alert
	virtual_ipaddress {
		10.0.0.100
	}
}
vrrp_instance VI_2 {
	interface lo
	virtual_router_id 52
	virtual_ipaddress {
		10.0.0.101
	}
}
vrrp_sync_group G1 {
	group {
		VI_1
		VI_2
	}
	smtp_alert
}
virtual_server 10.0.0.100 80 {
	smtp_alert
	quorum 1
	real_server 10.0.0.2 80 {
		TCP_CHECK {
		}
	}
}
virtual_server 10.0.0.101 443 {
	real_server 10.0.0.3 443 {
		smtp_alert off
		TCP_CHECK {
		}
	}
}
EOF
}

# run NAME ARGS...: smtp_send in the namespace; stdout+stderr in $TMP/NAME.out,
# exit status in RC, wall time (ms) in MS
run() {
	local name=$1 t0
	shift
	t0=$(date +%s%N)
	ip netns exec "$NS" "$SEND" "$@" >"$TMP/$name.out" 2>&1
	RC=$?
	MS=$((($(date +%s%N) - t0) / 1000000))
	sed 's/^/# /' "$TMP/$name.out"
}

mailcheck() { # mailcheck DIR SUBJECT KEY=VALUE...
	local out
	out=$("$PY" "$SINK" check "$@") && return 0
	printf '# %s\n' "${out//$'\n'/$'\n'# }"
	return 1
}

has() { grep -qF -- "$2" "$TMP/$1.out"; }
count_mails() { find "$TMP/$1" -name 'mail-*.json' | wc -l; }

FROM="Director A <ka@example.org>"
TO="ops@example.org, Pager Duty <pager@example.org>, bad@example.org"
RCPTS="ops@example.org,pager@example.org"
DETAIL=$'TCP_CHECK: L4CON (connection refused)\n.dotted line\n..two dots\n.'

# ---- 1. delivery to a real server --------------------------------------------
sink main 127.0.0.1 2525 || exit 1
conf main "smtp_server 127.0.0.1 2525"
run main -r 0 "$TMP/main.conf" \
	vrrp VI_1 MASTER 150 \
	group G1 MASTER \
	rs 10.0.0.2 80 down "$DETAIL" \
	rs 10.0.0.2 80 up "every probe is UP" \
	vs 10.0.0.100 80 down "alive weight 0, quorum 1, hysteresis 0"
check "smtp_send exits 0 when every mail is sent" [ "$RC" = 0 ]
check "five mails queued, five sent" \
	[ "$(grep -c ': queued' "$TMP/main.out")" = 5 -a \
	  "$(grep -c '^result: sent' "$TMP/main.out")" = 5 ]
check "five messages arrived" [ "$(count_mails main)" = 5 ]
check "instance MASTER mail: envelope, headers, body" mailcheck "$TMP/main" \
	"[lb1] VRRP Instance VI_1 - Entering MASTER state" \
	"from=$FROM" "to=$TO" "mail_from=ka@example.org" "rcpts=$RCPTS" \
	"body_line=Router: lb1" \
	"body=VRRP instance VI_1 (virtual router 51) is now MASTER, priority 150." \
	"body==> This router now owns the instance's virtual addresses <="
check "sync group mail" mailcheck "$TMP/main" "[lb1] VRRP Group G1 - Entering MASTER state" \
	"from=$FROM" "rcpts=$RCPTS" "body=VRRP sync group G1 is now MASTER."
check "real server DOWN mail names the virtual server and the reason" mailcheck "$TMP/main" \
	"[lb1] Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - DOWN" "rcpts=$RCPTS" \
	"body=Real server [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 is DOWN" \
	"body=Health check of this service failed: TCP_CHECK: L4CON (connection refused)"
check "lines starting with dots come back intact" mailcheck "$TMP/main" \
	"[lb1] Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - DOWN" \
	"body_line=.dotted line" "body_line=..two dots" "body_line=. <="
check "real server UP mail" mailcheck "$TMP/main" "[lb1] Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - UP" \
	"body=is UP: back in the pool" "body=every probe is UP"
check "virtual server quorum mail" mailcheck "$TMP/main" \
	"[lb1] Virtualserver [10.0.0.100]:tcp:80 - DOWN" \
	"body=Virtual server [10.0.0.100]:tcp:80 has lost its quorum" \
	"body=(alive weight 0, quorum 1, hysteresis 0)."
check "the refused recipient is logged with the server's reply" \
	has main "recipient <bad@example.org> rejected: 550 5.1.1 <bad@example.org>: no such user"
check "the client said EHLO with smtp_helo_name" mailcheck "$TMP/main" \
	"[lb1] VRRP Group G1 - Entering MASTER state" "helo=lb1.example.org"

# ---- 2. the switches -------------------------------------------------------------
before=$(count_mails main)
run switches -r 0 "$TMP/main.conf" \
	vrrp VI_2 MASTER 100 \
	rs 10.0.0.3 443 down x \
	vs 10.0.0.101 443 down x \
	vrrp VI_1 FAULT 0 \
	vrrp VI_1 FAULT 0
check "instance without smtp_alert: no mail" has switches "vrrp: not wanted"
check "real server with smtp_alert off: no mail; virtual server default: no mail" \
	[ "$(grep -c '^[rv]s: not wanted' "$TMP/switches.out")" = 2 ]
check "FAULT is mailed once, a repeated state is not" \
	[ "$(grep -c '^vrrp: queued' "$TMP/switches.out")" = 1 ]
check "exactly one more message arrived" [ "$(count_mails main)" = $((before + 1)) ]
check "FAULT mail" mailcheck "$TMP/main" "[lb1] VRRP Instance VI_1 - Entering FAULT state" \
	"body=is now FAULT"

conf nofault "smtp_server 127.0.0.1 2525" "no_email_faults"
run nofault -r 0 "$TMP/nofault.conf" vrrp VI_1 FAULT 0 vrrp VI_1 STOP 0
check "no_email_faults: FAULT not mailed, STOP still is" \
	[ "$(grep '^vrrp:' "$TMP/nofault.out" | tr '\n' ' ')" = "vrrp: not wanted vrrp: queued " ]
check "STOP mail subject" mailcheck "$TMP/main" "[lb1] VRRP Instance VI_1 - Stopping" \
	"body==> The instance is stopping"

# ---- 3. IPv6 and a host name ----------------------------------------------------
sink v6 ::1 2527 || exit 1
conf v6 "smtp_server ::1 2527"
run v6 -r 0 "$TMP/v6.conf" vrrp VI_1 BACKUP 150
check "IPv6 smtp_server" mailcheck "$TMP/v6" "[lb1] VRRP Instance VI_1 - Entering BACKUP state" \
	"rcpts=$RCPTS"
conf byname "smtp_server localhost 2525"
run byname -r 0 "$TMP/byname.conf" vrrp VI_1 MASTER 150 group G1 BACKUP
check "host name as smtp_server (resolved without blocking)" [ "$RC" = 0 ]
check "its mail arrived" mailcheck "$TMP/main" "[lb1] VRRP Group G1 - Entering BACKUP state"

# ---- 4. a server that is down -------------------------------------------------------
conf down "smtp_server 127.0.0.1 2599"
run down -r 0 "$TMP/down.conf" vrrp VI_1 MASTER 150 rs 10.0.0.2 80 down x
check "server down: exit status 2" [ "$RC" = 2 ]
check "server down: failure logged with the server and the reason" \
	has down 'SMTP 127.0.0.1:2599: mail "[lb1] VRRP Instance VI_1 - Entering MASTER state" '\
'not sent: cannot connect to 127.0.0.1:2599: Connection refused'
check "server down: both mails reported failed" \
	[ "$(grep -c '^result: failed' "$TMP/down.out")" = 2 ]
check "server down: over quickly (${MS} ms)" [ "$MS" -lt 2000 ]
run retry -r 500 "$TMP/down.conf" vrrp VI_1 MASTER 150
check "server down with retry: one retry logged" has retry "; retrying in 0.5 s"
check "server down with retry: only one, then failure" \
	[ "$(grep -c retrying "$TMP/retry.out")" = 1 -a "$RC" = 2 ]
check "server down with retry: took the retry delay (${MS} ms)" [ "$MS" -ge 500 -a "$MS" -lt 3000 ]

# ---- 5. a server that never answers ----------------------------------------------
sink mute 127.0.0.1 2526 mute || exit 1
conf mute "smtp_server 127.0.0.1 2526"
run mute -r 0 "$TMP/mute.conf" vrrp VI_1 MASTER 150
check "silent server: timeout after smtp_connect_timeout" \
	has mute "timed out after 2000 ms waiting for the greeting"
check "silent server: exit status 2" [ "$RC" = 2 ]
check "silent server: bounded by the timeout (${MS} ms)" [ "$MS" -ge 2000 -a "$MS" -lt 6000 ]

# ---- 6. the checker process end to end ----------------------------------------------
# keepalived -C in the namespace: a real server nobody listens on goes DOWN
# (its mail and the quorum mail), then a listener appears and it comes back UP.
KA=${top_builddir:-.}/daemon/keepalived
wait_mail() { # wait_mail SUBJECT: up to 10 s
	local _
	for _ in $(seq 100); do
		"$PY" "$SINK" check "$TMP/main" "$1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
if [ -x "$KA" ]; then
	cat >"$TMP/check.conf" <<EOF
global_defs {
	router_id lbc
	notification_email {
		noc@example.org
	}
	smtp_server 127.0.0.1 2525
}
virtual_server 127.0.0.1 8080 {
	delay_loop 1
	quorum 1
	smtp_alert
	real_server 127.0.0.1 8081 {
		TCP_CHECK {
			connect_timeout 1
		}
	}
}
EOF
	ip netns exec "$NS" "$KA" -n -l -G -C -f "$TMP/check.conf" -p "$TMP/ka.pid" \
		-r "$TMP/vrrp.pid" -c "$TMP/check.pid" >"$TMP/ka.out" 2>&1 &
	KAPID=$!
	STARTED+=("$KAPID")
	check "checker: real server DOWN mail" \
		wait_mail "[lbc] Realserver [127.0.0.1]:tcp:8081 of virtual server [127.0.0.1]:tcp:8080 - DOWN"
	check "checker: its body gives the checker's reason" mailcheck "$TMP/main" \
		"[lbc] Realserver [127.0.0.1]:tcp:8081 of virtual server [127.0.0.1]:tcp:8080 - DOWN" "rcpts=noc@example.org" \
		"body=Real server [127.0.0.1]:tcp:8081 of virtual server [127.0.0.1]:tcp:8080" \
		"body=TCP_CHECK: L4CON"
	check "checker: quorum lost mail" \
		wait_mail "[lbc] Virtualserver [127.0.0.1]:tcp:8080 - DOWN"
	ip netns exec "$NS" "$PY" -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 8081))
s.listen(16)
while True:
    c, _ = s.accept()
    c.close()' >/dev/null 2>&1 &
	STARTED+=($!)
	check "checker: real server UP mail" wait_mail "[lbc] Realserver [127.0.0.1]:tcp:8081 of virtual server [127.0.0.1]:tcp:8080 - UP"
	check "checker: quorum regained mail" \
		wait_mail "[lbc] Virtualserver [127.0.0.1]:tcp:8080 - UP"
	kill -TERM "$KAPID"
	wait "$KAPID"
	check "checker: keepalived stopped cleanly" [ $? = 0 ]
	grep -E "SMTP|ERROR|Sanitizer" "$TMP/ka.out" | sed 's/^/# /'
else
	echo "# $KA not built: checker scenario skipped"
fi

echo "1..$COUNT"
[ "$FAILED" = 0 ] || { echo "# $FAILED check(s) failed"; exit 1; }
exit 0
