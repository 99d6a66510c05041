#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# demo-scenario.sh - the live demo: two LVS-DR directors sharing a VIP, two web servers, a client
#
# Run by scripts/demo-run.sh, either on the host (its kernel has IPVS) or
# as the test of the qemu VM (tests/vm/build-initramfs.sh), so it is plain
# POSIX sh for dash and busybox. Everything it needs is found in PATH:
# keepalived, ka-rs-setup, demo-smtp-sink, ipvsadm, ip and busybox (httpd,
# wget, timeout, nsenter). The stage, all in network namespaces named DEMO_PREFIX-* (default
# "kd" and this shell's pid), on one bridge:
#
#   client 10.99.0.50 --+                      +-- rs1 10.99.0.21 busybox httpd
#   smtp   10.99.0.25 --+-- br0 (namespace --+-- rs2 10.99.0.22 busybox httpd
#   dir1   10.99.0.1  --+   PREFIX-lan)        (VIP on lo by ka-rs-setup)
#   dir2   10.99.0.2  --+
#
# VIP 10.99.0.100: VRRP instance VI_WEB (dir1 priority 150, dir2 100) and
# virtual_server 10.99.0.100:80, wrr, direct routing, HTTP_GET checks.
# Each step checks what it shows; the first that fails ends the demo.
# Exit status: 0 when every step did what it says, 1 otherwise. Whatever
# it created (namespaces, processes, a temporary directory) is removed on
# every exit path.
# shellcheck disable=SC3043 # local: dash and busybox sh have it
# shellcheck disable=SC2317 # functions called indirectly (wait_for, trap)

set -u
PFX=${DEMO_PREFIX:-kd$$}
NET=10.99.0
VIP=$NET.100
WORK=
STEP=setup
T0=
# "NAME PID" lines of the processes started here, for the cleanup
PIDS=

# ---- narration and timing ------------------------------------------------

# centiseconds since boot
now_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
stamp() {
	awk -v t0="$T0" '{ printf "%5.1fs", $1 - t0 / 100 }' /proc/uptime
}
say() { printf '\n==> [%s] %s\n' "$(stamp)" "$*"; }
info() { printf '    %s\n' "$*"; }
indent() { sed 's/^/    | /'; }
fail() {
	printf '\nDEMO FAILED in step "%s": %s\n' "$STEP" "$*"
	show_logs
	exit 1
}
secs_since() { # secs_since CS: seconds, one decimal, from CS until now
	echo "$1 $(now_cs)" | awk '{ printf "%.1f", ($2 - $1) / 100 }'
}

# wait_for TENTHS COMMAND...: retry every 0.1 s until it succeeds
wait_for() {
	local left=$1
	shift
	until "$@"; do
		left=$((left - 1))
		[ "$left" -le 0 ] && return 1
		sleep 0.1
	done
}

# ---- namespaces and processes ----------------------------------------------

ns() { echo "$PFX-$1"; }
# in_ns NODE COMMAND...: COMMAND in NODE's network namespace (nsenter is
# lighter than ip netns exec, which also makes a mount namespace)
in_ns() {
	local node=$1
	shift
	busybox nsenter --net="/run/netns/$(ns "$node")" "$@"
}
# nip NODE ARGS...: ip -n, cheaper than ip netns exec (no mount namespace)
nip() {
	local node=$1
	shift
	ip -n "$(ns "$node")" "$@"
}
started() { PIDS="$PIDS
$1 $2"; }
# spawn NAME NODE COMMAND...: run COMMAND in NODE's namespace in the
# background; nsenter execs it, so $! is the command's own pid
spawn() {
	local name=$1 node=$2
	shift 2
	busybox nsenter --net="/run/netns/$(ns "$node")" "$@" &
	started "$name" $!
}
pid_of() { echo "$PIDS" | awk -v n="$1" '$1 == n { p = $2 } END { print p }'; }
# running, and not a zombie (a daemon's orphans are reaped by init, if at all)
alive() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}
dead() { ! alive "$1"; }

# every pid the director's daemon wrote: parent, VRRP and checker children
ka_pids() {
	cat "$WORK/$1.pid" "$WORK/$1-vrrp.pid" "$WORK/$1-check.pid" 2>/dev/null |
		tr '\n' ' ' | sed 's/ *$//'
}

cleanup() {
	set +e
	trap - EXIT INT TERM
	[ -n "$WORK" ] || return
	for d in dir1 dir2; do
		for p in $(ka_pids $d); do
			alive "$p" && kill -KILL "$p"
		done
	done
	echo "$PIDS" | while read -r name p; do
		[ -n "$p" ] && alive "$p" && kill -KILL "$p"
	done
	# a safety net: anything else still running in our namespaces
	for n in lan dir1 dir2 rs1 rs2 client smtp; do
		for p in $(ip netns pids "$(ns $n)" 2>/dev/null); do
			kill -KILL "$p"
		done
		ip netns del "$(ns $n)" 2>/dev/null
	done
	rm -rf "$WORK"
}

show_logs() {
	[ -n "$WORK" ] || return
	for f in "$WORK"/dir*.log; do
		[ -f "$f" ] || continue
		echo "---- ${f##*/} (last 15 lines)"
		tail -n 15 "$f"
	done
}

# ---- checks ----------------------------------------------------------------

has_vip() { nip "$1" -br addr show dev eth0 | grep -q " $VIP/"; }
vip_only_on() { has_vip "$1" && ! has_vip "$2"; }
addr_line() { nip "$1" -br addr show dev eth0 | awk '{ $2 = ""; print }'; }

# http_get SECONDS URL: from the client, time-limited (busybox's wget may
# lack -T)
http_get() { in_ns client busybox timeout "$1" busybox wget -q -O - "$2" 2>/dev/null; }
# shellcheck disable=SC2120 # the client loop passes SECONDS
# fetch [SECONDS]: one request from the client to the VIP (2 s at most):
# the answering server's name, or "-"
fetch() {
	http_get "${1:-2}" "http://$VIP/" |
		awk '{ print $3; f = 1 } END { if (!f) print "-" }'
}

# requests N: N requests in a row; prints the answers on one line
requests() {
	local i=0 out=
	while [ $i -lt "$1" ]; do
		out="$out $(fetch)"
		i=$((i + 1))
	done
	echo "$out"
}
count_of() { echo "$2" | tr ' ' '\n' | grep -cx "$1"; }

# the IPVS table of a director, as ipvsadm shows it
ipvs_table() { in_ns "$1" ipvsadm -Ln; }
# the destination lines "ADDR:PORT FORWARD WEIGHT"
ipvs_dests() {
	in_ns "$1" ipvsadm -Ln 2>/dev/null |
		awk '$1 == "->" && $2 ~ /^[0-9]/ { print $2, $3, $4 }'
}
ipvs_has() { ipvs_dests "$1" | grep -q "^$2 "; }
ipvs_lacks() { ! ipvs_has "$@"; }

# log_last LOG REGEX: the last line of WORK/LOG.log matching, without the date
log_last() {
	grep -E -- "$2" "$WORK/$1.log" | tail -n 1 |
		sed 's/^[0-9-]* \([0-9:]*\.[0-9][0-9]\)[0-9]*/\1/'
}
mail_count() { [ -f "$WORK/mail/subjects" ] && wc -l <"$WORK/mail/subjects" || echo 0; }
has_mail() { grep -qF "$1" "$WORK/mail/subjects" 2>/dev/null; }
# has_mail_n N SUBJECT: at least N mails with that subject
has_mail_n() { [ "$(grep -cF "$2" "$WORK/mail/subjects" 2>/dev/null)" -ge "$1" ]; }
MAILS_SHOWN=0
show_new_mails() {
	local total
	total=$(mail_count)
	if [ "$total" -gt "$MAILS_SHOWN" ]; then
		info "mails received by the SMTP server ($WORK/mail/subjects):"
		sed -n "$((MAILS_SHOWN + 1)),\$p" "$WORK/mail/subjects" | sed 's/^/      Subject: /'
	fi
	MAILS_SHOWN=$total
}

# ---- the stage -------------------------------------------------------------

setup_net() {
	local n node
	# one ip process per namespace (ip -batch): each start of a process
	# costs in the emulated VM
	for n in lan dir1 dir2 rs1 rs2 client smtp; do
		echo "netns add $(ns $n)"
	done | ip -batch - || return 1
	# the bridge: no multicast snooping (VRRP adverts go to every port),
	# no STP delay; each veth is created in the bridge's namespace with its
	# other end moved straight into the node's: the host never sees them
	{
		echo "link add br0 type bridge mcast_snooping 0 forward_delay 0"
		echo "link set br0 up"
		for n in dir1 dir2 rs1 rs2 client smtp; do
			echo "link add $n type veth peer name eth0 netns $(ns $n)"
			echo "link set $n master br0 up"
		done
	} | nip lan -batch - || return 1
	for n in dir1:1 dir2:2 rs1:21 rs2:22 client:50 smtp:25; do
		node=${n%:*}
		printf 'link set lo up\naddr add %s/24 dev eth0\nlink set eth0 up\n' \
			"$NET.${n#*:}" | nip "$node" -batch - || return 1
	done
}

# start_web NODE: busybox httpd serving a page that names the server
start_web() {
	mkdir -p "$WORK/www-$1"
	echo "served by $1" >"$WORK/www-$1/index.html"
	echo ok >"$WORK/www-$1/health.html"
	spawn "web-$1" "$1" busybox httpd -f -p 80 -h "$WORK/www-$1"
}
web_up() { # web_up HOST: the page answers at $NET.HOST
	http_get 2 "http://$NET.$1/health.html" >/dev/null
}
stop_web() {
	local p
	p=$(pid_of "web-$1")
	kill -TERM "$p"
	wait "$p" 2>/dev/null
}

# rs_setup ARGS...: ka-rs-setup ARGS on both real servers at once, each
# with its own state file; the output in WORK/rsN.rs-out
rs_setup() {
	local p1 p2
	in_ns rs1 ka-rs-setup -s "$WORK/rs1.rs-state" "$@" >"$WORK/rs1.rs-out" 2>&1 &
	p1=$!
	in_ns rs2 ka-rs-setup -s "$WORK/rs2.rs-state" "$@" >"$WORK/rs2.rs-out" 2>&1 &
	p2=$!
	wait $p1 || fail "ka-rs-setup $1 failed on rs1: $(cat "$WORK/rs1.rs-out")"
	wait $p2 || fail "ka-rs-setup $1 failed on rs2: $(cat "$WORK/rs2.rs-out")"
}

# write_conf NODE STATE PRIORITY
write_conf() {
	cat >"$WORK/$1.conf" <<EOF
! $1: one of two LVS-DR directors sharing $VIP
global_defs {
    router_id $1
    notification_email {
        ops@example.org
    }
    notification_email_from keepalived-$1@example.org
    smtp_server $NET.25 25
    smtp_connect_timeout 5
    smtp_alert
}

vrrp_instance VI_WEB {
    state $2
    interface eth0
    virtual_router_id 51
    priority $3
    advert_int 1
    virtual_ipaddress {
        $VIP/24 dev eth0
    }
}

virtual_server $VIP 80 {
    delay_loop 1
    lvs_sched wrr
    lvs_method DR
    protocol TCP

    real_server $NET.21 80 {
        weight 2
        HTTP_GET {
            url {
                path /health.html
                status_code 200
            }
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
    real_server $NET.22 80 {
        weight 1
        HTTP_GET {
            url {
                path /health.html
                status_code 200
            }
            connect_timeout 1
            retry 1
            delay_before_retry 1
        }
    }
}
EOF
}

# start_director NODE: keepalived in the node's namespace, daemonized; -l
# keeps its stderr (WORK/NODE.stderr), where a sanitizer build reports
start_director() {
	rm -f "$WORK/$1.pid" "$WORK/$1-vrrp.pid" "$WORK/$1-check.pid"
	keepalived --namespace "$(ns "$1")" -f "$WORK/$1.conf" --log-file="$WORK/$1.log" \
		-p "$WORK/$1.pid" -r "$WORK/$1-vrrp.pid" -c "$WORK/$1-check.pid" -G -l \
		>>"$WORK/$1.stderr" 2>&1 || fail "keepalived did not start on $1"
	wait_for 50 test -s "$WORK/$1-vrrp.pid" || fail "$1: no VRRP child"
	wait_for 50 test -s "$WORK/$1-check.pid" || fail "$1: no checker child"
}

# ---- the steps -------------------------------------------------------------

step_config() {
	STEP="1. configuration check"
	say "1. Configuration check: keepalived -t"
	write_conf dir1 MASTER 150
	write_conf dir2 BACKUP 100
	info "dir1.conf: VRRP VI_WEB, VIP $VIP, priority 150; virtual_server $VIP:80,"
	info "           wrr, direct routing, real servers .21 (weight 2) and .22 (weight 1),"
	info "           HTTP_GET /health.html every second; mails to $NET.25"
	info "dir2.conf: the same with state BACKUP and priority 100"
	for d in dir1 dir2; do
		out=$(cd "$WORK" && keepalived -t -f $d.conf 2>&1)
		rc=$?
		info "\$ keepalived -t -f $d.conf    -> exit $rc: $(echo "$out" | tail -n 1)"
		[ $rc -eq 0 ] || fail "$d.conf refused: $out"
	done
	sed -e 's/priority 150/priority 300/' -e 's/lvs_sched wrr/lvs_sched fastest/' \
		-e 's/^    advert_int 1/    advert_intervall 1/' \
		-e "s|$VIP/24 dev eth0|$VIP/33 dev eth0|" "$WORK/dir1.conf" >"$WORK/broken.conf"
	info "a broken copy (priority 300, a misspelt keyword, a /33 prefix, an unknown scheduler):"
	out=$(cd "$WORK" && keepalived -t -f broken.conf 2>&1)
	rc=$?
	info "\$ keepalived -t -f broken.conf    -> exit $rc"
	echo "$out" | indent
	[ $rc -eq 3 ] || fail "the broken configuration was not refused with exit 3"
	echo "$out" | grep -q '^broken.conf:[0-9]*:' || fail "no file:line in the error report"
}

step_stage() {
	STEP="stage"
	say "The stage: 7 network namespaces on one bridge (prefix $PFX-)"
	setup_net || fail "cannot create the namespaces and links"
	info "client $NET.50, SMTP server $NET.25, directors dir1 $NET.1 and dir2 $NET.2,"
	info "real servers rs1 $NET.21 and rs2 $NET.22 (busybox httpd), VIP $VIP"
	mkdir -p "$WORK/mail"
	spawn smtp smtp demo-smtp-sink "$NET.25" 25 "$WORK/mail" >"$WORK/smtp.log" 2>&1
	info "on each real server: \$ ka-rs-setup start $VIP   (VIP on lo, no ARP for it)"
	rs_setup start "$VIP"
	indent <"$WORK/rs1.rs-out"
	start_web rs1
	start_web rs2
	wait_for 50 test -e "$WORK/mail/ready" || fail "the SMTP server did not start"
	wait_for 50 web_up 21 || fail "web server rs1 does not answer"
	wait_for 50 web_up 22 || fail "web server rs2 does not answer"
	info "both web servers answer on their own addresses; the SMTP server listens"
}

step_election() {
	STEP="2. election"
	say "2. Starting keepalived on both directors: the VRRP election"
	t=$(now_cs)
	start_director dir1
	start_director dir2
	for d in dir1 dir2; do
		info "$d: keepalived parent $(cat "$WORK/$d.pid"), VRRP child" \
			"$(cat "$WORK/$d-vrrp.pid"), checker child $(cat "$WORK/$d-check.pid")"
	done
	wait_for 150 vip_only_on dir1 dir2 || fail "dir1 did not become the only VIP holder"
	info "both start as BACKUP; dir1 (priority 150) hears no better advert and takes"
	info "over when its master-down timer expires: dir1 is MASTER after $(secs_since "$t") s"
	for d in dir1 dir2; do
		info "  $d \$ ip -br addr show dev eth0:  $(addr_line $d)"
	done
	info "dir1 log: $(log_last dir1_vrrp 'Entering MASTER STATE')"
	info "dir2 log: $(log_last dir2_vrrp 'Entering BACKUP STATE')"
}

step_traffic() {
	STEP="3. traffic"
	say "3. Client traffic to http://$VIP/ through the master (LVS-DR)"
	wait_for 100 ipvs_has dir1 "$NET.22:80" || fail "dir1's IPVS table never got rs2"
	wait_for 100 ipvs_has dir1 "$NET.21:80" || fail "dir1's IPVS table never got rs1"
	answers=$(requests 9)
	info "9 requests, answered by:$answers"
	n1=$(count_of rs1 "$answers")
	n2=$(count_of rs2 "$answers")
	info "rs1 $n1, rs2 $n2 (weights 2:1; real servers answer the client directly)"
	{ [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ]; } || fail "traffic did not reach both real servers"
	[ $((n1 + n2)) -eq 9 ] || fail "some requests went unanswered"
	info "dir1 \$ ipvsadm -Ln"
	ipvs_table dir1 | indent
	show_new_mails
}

# client_loop FILE: a request (given up after 1 s) every 0.2 s until
# FILE.stop appears; one line "CENTISECONDS ANSWER" per request
client_loop() {
	while [ ! -e "$1.stop" ]; do
		echo "$(now_cs) $(fetch 1)" >>"$1"
		sleep 0.2
	done
}
# answered_after FILE CS: a request started after CS got an answer
answered_after() { awk -v t="$2" '$1 > t && $2 != "-" { f = 1 } END { exit !f }' "$1"; }
# the client's log as runs: "FROM-TO s: answer xN"
client_summary() {
	awk -v t0="$2" '
	function flush() { if (n) printf "t = %5.1f .. %5.1f s  %-9s x%d\n", a, b, last, n }
	{ t = ($1 - t0) / 100; if (t > -0.05 && t < 0.05) t = 0; k = ($2 == "-") ? "no answer" : "answered"
	  if (k != last) { flush(); last = k; a = t; n = 0 } b = t; n++ }
	END { flush() }' "$1"
}

step_failover() {
	STEP="4. master failure"
	say "4. Director 1 fails: kill -9 of its three processes, its link down"
	: >"$WORK/client.log"
	client_loop "$WORK/client.log" &
	started client-loop $!
	sleep 1
	t=$(now_cs)
	# children first, all in one kill: a parent killed alone lets its
	# children notice and stop gracefully, which is not a crash
	# shellcheck disable=SC2046
	kill -KILL $(cat "$WORK/dir1-vrrp.pid" "$WORK/dir1-check.pid" "$WORK/dir1.pid")
	nip lan link set dir1 down
	info "t=0: dir1 gone (while the client sends a request every 0.2 s)"
	wait_for 150 has_vip dir2 || fail "dir2 did not take the VIP over"
	info "dir2 holds the VIP after $(secs_since "$t") s (3 missed adverts + skew):"
	info "  dir2 \$ ip -br addr show dev eth0:  $(addr_line dir2)"
	info "dir2 log: $(log_last dir2_vrrp 'Entering MASTER STATE')"
	t2=$(now_cs)
	wait_for 100 has_mail "[dir2] VRRP Instance VI_WEB - Entering MASTER state" ||
		fail "no mail about dir2 entering MASTER"
	wait_for 100 answered_after "$WORK/client.log" "$t2" ||
		fail "the client gets no answer after the takeover"
	sleep 1
	: >"$WORK/client.log.stop"
	wait "$(pid_of client-loop)"
	info "the client meanwhile (seconds from the failure):"
	client_summary "$WORK/client.log" "$t" | indent
	answers=$(requests 6)
	info "6 more requests, answered by:$answers"
	[ "$(count_of - "$answers")" -eq 0 ] || fail "requests unanswered through dir2"
	show_new_mails

	say "   Director 1 comes back (link up, keepalived started): priority 150 preempts"
	t=$(now_cs)
	nip lan link set dir1 up
	start_director dir1
	info "dir1 restarted, in BACKUP first: $(addr_line dir1)"
	wait_for 150 vip_only_on dir1 dir2 || fail "dir1 did not take the VIP back"
	info "VIP back on dir1 after $(secs_since "$t") s; dir2: $(addr_line dir2)"
	wait_for 100 ipvs_has dir1 "$NET.22:80" || fail "dir1's IPVS table lacks rs2"
	answers=$(requests 6)
	info "6 requests, answered by:$answers"
	[ "$(count_of - "$answers")" -eq 0 ] || fail "requests unanswered after the failback"
	wait_for 100 has_mail_n 2 "[dir1] VRRP Instance VI_WEB - Entering MASTER state" ||
		fail "no mail about dir1 entering MASTER again"
	wait_for 100 has_mail_n 2 "[dir2] VRRP Instance VI_WEB - Entering BACKUP state" ||
		fail "no mail about dir2 going back to BACKUP"
	show_new_mails
}

# the Subject of a director's mails about rs2, after "[ROUTER_ID] "
RS2_MAIL="Realserver [$NET.22]:tcp:80 of virtual server [$VIP]:tcp:80"

step_realserver() {
	STEP="5. real server failure"
	say "5. Web server rs2 stops: the health check pulls it out"
	t=$(now_cs)
	stop_web rs2
	wait_for 150 ipvs_lacks dir1 "$NET.22:80" || fail "rs2 stayed in dir1's IPVS table"
	info "removed from dir1's IPVS table after $(secs_since "$t") s:"
	ipvs_table dir1 | indent
	info "dir1 log: $(log_last dir1_healthcheckers 'HTTP_GET: .*is DOWN')"
	info "dir1 log: $(log_last dir1_healthcheckers 'IPVS: delete destination')"
	answers=$(requests 4)
	info "4 requests, answered by:$answers"
	[ "$(count_of rs1 "$answers")" -eq 4 ] || fail "requests did not all go to rs1"
	for d in dir1 dir2; do
		wait_for 100 has_mail "[$d] $RS2_MAIL - DOWN" ||
			fail "no mail from $d about rs2 going down"
	done
	show_new_mails

	say "   rs2's web server is back: the health check puts it in again"
	t=$(now_cs)
	start_web rs2
	wait_for 150 ipvs_has dir1 "$NET.22:80" || fail "rs2 did not come back in dir1's table"
	info "back in dir1's IPVS table after $(secs_since "$t") s:"
	info "dir1 log: $(log_last dir1_healthcheckers 'HTTP_GET: OK.*is UP')"
	ipvs_table dir1 | indent
	answers=$(requests 6)
	info "6 requests, answered by:$answers"
	[ "$(count_of rs2 "$answers")" -gt 0 ] || fail "rs2 gets no traffic again"
	for d in dir1 dir2; do
		wait_for 100 has_mail "[$d] $RS2_MAIL - UP" ||
			fail "no mail from $d about rs2 coming back"
	done
	show_new_mails
}

step_shutdown() {
	STEP="6. shutdown"
	say "6. Clean shutdown: SIGTERM to each keepalived, then the stage is removed"
	for d in dir2 dir1; do
		pids=$(ka_pids $d)
		t=$(now_cs)
		kill -TERM "$(cat "$WORK/$d.pid")"
		for p in $pids; do
			wait_for 100 dead "$p" || fail "$d: process $p still running after 10 s"
		done
		info "$d: processes $pids ended in $(secs_since "$t") s;" \
			"IPVS services left: $(ipvs_table $d | grep -c '^TCP')"
		[ "$(ipvs_table $d | grep -c '^TCP')" -eq 0 ] || fail "$d left its IPVS table behind"
	done
	has_vip dir1 && fail "dir1 kept the VIP after stopping"
	if grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$WORK"/dir*.stderr; then
		fail "sanitizer report from a daemon (above)"
	fi
	for d in dir1 dir2; do
		wait_for 100 has_mail "[$d] VRRP Instance VI_WEB - Stopping" ||
			fail "no mail from $d about stopping"
	done
	show_new_mails
	info "on each real server: \$ ka-rs-setup stop   (what start changed, undone)"
	rs_setup stop
	indent <"$WORK/rs1.rs-out"
	echo "$PIDS" | while read -r name p; do
		[ -n "$p" ] && alive "$p" && kill -TERM "$p"
	done
	echo "$PIDS" | while read -r name p; do
		[ -n "$p" ] && wait_for 50 dead "$p"
	done
	left=$(echo "$PIDS" | while read -r name p; do alive "$p" && echo "$name"; done)
	[ -z "$left" ] || fail "still running: $left"
	info "web servers, SMTP server and client ended (by pid)"
	for n in lan dir1 dir2 rs1 rs2 client smtp; do
		ip netns del "$(ns $n)" || fail "cannot delete namespace $(ns $n)"
	done
	ip netns list | grep -q "^$PFX-" && fail "namespaces left: $(ip netns list | grep "^$PFX-")"
	info "7 namespaces deleted (with them every veth, the bridge and the IPVS tables)"
	rm -rf "$WORK"
	[ -e "$WORK" ] && fail "cannot remove $WORK"
	info "temporary directory $WORK removed"
	WORK=
}

# ---- main ------------------------------------------------------------------

T0=$(now_cs)
# the VM's busybox has no mktemp link
command -v mktemp >/dev/null 2>&1 || mktemp() { busybox mktemp "$@"; }
# keepalived --namespace looks in /var/run/netns, which the VM lacks
[ -e /var/run ] || { mkdir -p /var && busybox ln -s /run /var/run; } ||
	fail "cannot link /var/run to /run"
trap cleanup EXIT
trap 'exit 130' INT TERM
for tool in keepalived ka-rs-setup demo-smtp-sink ipvsadm ip busybox; do
	command -v $tool >/dev/null 2>&1 || fail "$tool not found in PATH"
done
WORK=$(mktemp -d /tmp/keepalived-demo.XXXXXX) || fail "mktemp failed"
ip netns list | grep -q "^$PFX-" && fail "namespaces $PFX-* exist already"

step_config
step_stage
step_election
step_traffic
step_failover
step_realserver
step_shutdown
say "Demo complete: every step behaved as described"
exit 0
