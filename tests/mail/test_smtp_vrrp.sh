#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_smtp_vrrp.sh - failover mails end to end: two directors and an SMTP server in namespaces
#
# d1 (priority 150) and d2 (100) run keepalived with VI_1 and smtp_alert;
# the client namespace runs tests/mail/smtp_sink.py (aiosmtpd) as the
# relay. Expected mails: both start in BACKUP, then d1 enters MASTER; after
# SIGTERM of d1, d1's "Stopping" (sent while it shuts down) and d2's
# "Entering MASTER state" with d2's router_id and priority. Needs root,
# iproute2 and python3-aiosmtpd.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

PY=/usr/bin/python3
SINK=$(readlink -f "${top_srcdir:-$(dirname "$0")/../..}/tests/mail/smtp_sink.py")
"$PY" -c 'import aiosmtpd' 2>/dev/null || skip "needs python3-aiosmtpd"
VIP=10.77.0.200
RELAY=$NET4.100
MAILS="$TMP/mails"

conf() { # conf NODE PRIORITY
	write_conf "$1" <<EOF2
global_defs {
	router_id $1
	notification_email {
		noc@example.org
	}
	notification_email_from "keepalived $1 <ka-$1@example.org>"
	smtp_server $RELAY 2525
	smtp_connect_timeout 5
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 1
	smtp_alert
	virtual_ipaddress {
		$VIP/24
	}
}
EOF2
}

# mail_is SUBJECT KEY=VALUE...: the relay got exactly one such mail, as described
mail_is() { "$PY" "$SINK" check "$MAILS" "$@" >"$TMP/mailcheck.out" 2>&1; }
mail_ok() { # like mail_is, showing why not
	mail_is "$@" && return 0
	sed 's/^/# /' "$TMP/mailcheck.out"
	return 1
}

topo_create 2
mkdir -p "$MAILS"
ip netns exec "$(ns_of c)" "$PY" "$SINK" serve "$RELAY" 2525 "$MAILS" >"$TMP/sink.log" 2>&1 &
STARTED+=("$!")
wait_for 10000 test -e "$MAILS/ready" || { echo "not ok - the SMTP relay did not start"; exit 1; }
conf d1 150
conf d2 100
ka_start d1
ka_start d2

check "d1 becomes MASTER" wait_for 10000 only_on $VIP d1 d2
check "mail: d1 entering MASTER" \
	wait_for 10000 mail_is "[d1] VRRP Instance VI_1 - Entering MASTER state"
check "mail: d2 entering BACKUP" \
	wait_for 10000 mail_is "[d2] VRRP Instance VI_1 - Entering BACKUP state"
check "d1's mail: envelope and headers" mail_ok "[d1] VRRP Instance VI_1 - Entering MASTER state" \
	"from=keepalived d1 <ka-d1@example.org>" "to=noc@example.org" \
	"mail_from=ka-d1@example.org" "rcpts=noc@example.org" "helo=$(hostname)" \
	"body_line=Router: d1" "body=is now MASTER, priority 150."

t=$(now_ms)
ka_stop d1
check "after SIGTERM of d1, d2 takes over" wait_for 5000 only_on $VIP d2 d1
check "mail: d2 entering MASTER, from the new master" \
	wait_for 10000 mail_is "[d2] VRRP Instance VI_1 - Entering MASTER state"
note "failover mail after $(elapsed_ms "$t") ms"
check "d2's MASTER mail names d2 and its priority" \
	mail_ok "[d2] VRRP Instance VI_1 - Entering MASTER state" \
	"from=keepalived d2 <ka-d2@example.org>" "body_line=Router: d2" \
	"body=VRRP instance VI_1 (virtual router 51) is now MASTER, priority 100." \
	"body==> This router now owns the instance's virtual addresses <="
check "mail: d1 said it was stopping before it exited" \
	mail_ok "[d1] VRRP Instance VI_1 - Stopping" "body=is now STOP"
check "d1 also mailed its start in BACKUP" mail_ok "[d1] VRRP Instance VI_1 - Entering BACKUP state"
check "exactly five mails, no duplicate" [ "$(find "$MAILS" -name 'mail-*.json' | wc -l)" = 5 ]
check "d2 logged the delivery" \
	log_has d2 'mail "\[d2\] VRRP Instance VI_1 - Entering MASTER state" sent'

ka_stop d2
finish
