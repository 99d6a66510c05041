#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-lvs-sync.sh - in the test VM: IPVS connection sync follows VRRP on two directors
#
# Runs as the VM's test (dash, busybox, iproute2's ip, Debian's ipvsadm,
# our keepalived in /test). Topology, all on bridge br0 in the VM's own
# namespace (which is also the client, 10.20.0.1):
#   d1 10.20.0.11, d2 10.20.0.12: directors, each in its namespace running
#      our daemon (VRRP VI_1 with VIP 10.20.0.100, virtual_server
#      10.20.0.100:80 in DR mode, lvs_sync_daemon eth0 VI_1 id 7);
#   rs 10.20.0.50: busybox httpd, the VIP on lo (LVS-DR real server).
# Scenarios, in one boot:
#   1. d1 (150) MASTER runs only the master sync daemon, d2 (100) only the
#      backup one; a connection through d1 shows up in d2's table;
#   2. SIGTERM to d1: its daemons are stopped, d2 switches to master;
#      d1 started again with priority 50 runs the backup one: roles swapped,
#      and a connection through d2 shows up in d1's table;
#   3. reload of d2 with the same configuration leaves the daemons alone;
#      with "id 8" they are restarted with the new sync id;
#   4. d2 in FAULT (track_file) runs backup, d1 becomes master; and back;
#   5. no instance named: master and backup both; the deprecated
#      lvs_sync_daemon_interface follows its instance with its VRID as id;
#   6. SIGTERM to both: no sync daemon left, exit 0, no sanitizer report.
# Exit status: 0 when everything matched, 1 otherwise.

. /test/guest-lib.sh
VIP=10.20.0.100
RS=10.20.0.50

# daemons NODE: "backup eth0 7;master eth0 7;" from `ipvsadm -L --daemon`
daemons() {
	ip netns exec "$1" ipvsadm -L --daemon | awk '$2 == "sync" {
		m = $0; sub(/.*mcast=/, "", m); sub(/,.*/, "", m)
		id = $0; sub(/.*syncid=/, "", id); sub(/[,)].*/, "", id)
		print $1 " " m " " id }' | sort | tr '\n' ';'
}
daemons_are() { [ "$(daemons "$1")" = "$2" ]; }
show_daemons() { echo "  $1: '$(daemons "$1")'"; }

# conns NODE: "CLIENT:PORT VIP:PORT RS:PORT" lines of the connection table
conns() {
	ip netns exec "$1" ipvsadm -Lnc | awk '$1 == "TCP" { print $4, $5, $6 }' | sort
}
# has_conn NODE LINE
has_conn() { conns "$1" | grep -qxF "$2"; }

state_is() { # state_is NODE STATE: the last "Entering" line
	[ "$(grep -o '(VI_1) Entering [A-Z]* STATE' "$(vlog "$1")" 2>/dev/null | tail -n 1)" = \
		"(VI_1) Entering $2 STATE" ]
}
log_count() { grep -c -- "$2" "$(vlog "$1")" 2>/dev/null; }

finish() {
	kill "$HTTPD" 2>/dev/null
	if [ $fail != 0 ]; then
		show_logs d1 d2
	fi
	exit $fail
}

# ---- network ----

mkdir -p $T/d1 $T/d2 /tmp/www
echo hello >/tmp/www/index.html
net() {
	ip link set lo up &&
		ip link add br0 type bridge mcast_snooping 0 forward_delay 0 &&
		ip addr add 10.20.0.1/24 dev br0 && ip link set br0 up || return 1
	for n in d1:11 d2:12 rs:50; do
		ns=${n%:*}
		ip netns add $ns &&
			ip link add p-$ns type veth peer name eth0 netns $ns &&
			ip link set p-$ns master br0 up &&
			ip -n $ns link set lo up && ip -n $ns link set eth0 up &&
			ip -n $ns addr add 10.20.0.${n#*:}/24 dev eth0 || return 1
	done
	# LVS-DR real server: the VIP on lo, never answered for in ARP
	ip -n rs addr add $VIP/32 dev lo &&
		ip netns exec rs sh -c 'echo 1 >/proc/sys/net/ipv4/conf/all/arp_ignore &&
			echo 2 >/proc/sys/net/ipv4/conf/all/arp_announce'
}
if ! net; then
	echo "FAIL: guest network setup"
	exit 1
fi
ip netns exec rs busybox httpd -f -p 80 -h /tmp/www &
HTTPD=$!

# ---- configurations ----

# conf NODE PRIORITY [GLOBAL_LINE [INSTANCE_LINE]]
conf() {
	glob=${3-lvs_sync_daemon eth0 VI_1 id 7}
	cat >$T/$1/keepalived.conf <<EOF
global_defs {
	router_id $1
	$glob
}
track_file tf {
	file $T/$1/fault
	weight 0
}
vrrp_instance VI_1 {
	interface eth0
	virtual_router_id 51
	priority $2
	advert_int 1
	track_file {
		tf
	}
	${4:-}
	virtual_ipaddress {
		$VIP/24
	}
}
virtual_server $VIP 80 {
	lb_algo rr
	lb_kind DR
	delay_loop 2
	real_server $RS 80 {
		TCP_CHECK {
			connect_timeout 1
		}
	}
}
EOF
}

start_dir() { # start_dir NODE: the daemon, out of FAULT
	echo 0 >$T/$1/fault
	start_ka "$1"
}

# client NODE_SERVING: a connection to the VIP kept open ~15 s with a few
# header lines (the master syncs a connection after its 3rd packet); prints
# the new connection's line as the serving director sees it (entries of
# earlier connections, ours or synced, are still in the tables)
client() {
	{ echo "-"; conns "$1"; } >$T/conns.before
	(
		for i in 1 2 3 4 5; do
			printf 'X-Line: %s\r\n' "$i"
			sleep 0.3
		done
		sleep 15
	) | busybox nc $VIP 80 >/dev/null 2>&1 &
	i=0
	while [ $i -lt 50 ]; do
		line=$(conns "$1" | grep -vxF -f $T/conns.before |
			grep "^10\.20\.0\.1:[0-9]* $VIP:80 $RS:80\$" | tail -n 1)
		[ -n "$line" ] && break
		sleep 0.2
		i=$((i + 1))
	done
	echo "$line"
}

# ---- 1. d1 master, d2 backup ----

conf d1 150
conf d2 100
start_dir d1
start_dir d2
expect "d1 becomes MASTER" 20 state_is d1 MASTER
expect "d2 is BACKUP" 5 state_is d2 BACKUP
[ $fail = 0 ] || finish
expect "d1 runs the master sync daemon only (id 7)" 10 daemons_are d1 "master eth0 7;" ||
	show_daemons d1
expect "d2 runs the backup sync daemon only" 10 daemons_are d2 "backup eth0 7;" ||
	show_daemons d2
# both checkers have put the real server in
expect "the real server is in d1's table" 20 eval \
	"ip netns exec d1 ipvsadm -Ln | grep -q '$RS:80'"

line=$(client d1)
if [ -n "$line" ]; then
	ok "a connection through d1: $line"
	expect "the connection is synced to d2" 10 has_conn d2 "$line" ||
		{ echo "  d2 has:"; conns d2; }
else
	bad "no connection through d1 in its table"
	conns d1
fi

# ---- 2. failover: roles swap ----

stop_ka d1
rc=$?
[ $rc = 0 ] && ok "d1 exited 0 on SIGTERM" || bad "d1 exit status $rc"
expect "d1's sync daemons stopped with it" 5 daemons_are d1 "" || show_daemons d1
expect "d2 becomes MASTER" 10 state_is d2 MASTER
expect "d2 switched to the master sync daemon" 5 daemons_are d2 "master eth0 7;" ||
	show_daemons d2
conf d1 50
start_dir d1
expect "d1 comes back as BACKUP" 20 state_is d1 BACKUP
expect "d1 runs the backup sync daemon" 10 daemons_are d1 "backup eth0 7;" || show_daemons d1
line=$(client d2)
if [ -n "$line" ]; then
	ok "a connection through d2: $line"
	expect "the connection is synced to d1" 10 has_conn d1 "$line" ||
		{ echo "  d1 has:"; conns d1; }
else
	bad "no connection through d2 in its table"
	conns d2
fi

# ---- 3. reload: untouched when unchanged, restarted when changed ----

starts=$(log_count d2 'sync daemon st')
reloads=$(log_count d2 "configuration reloaded")
kill -HUP "$(cat $T/d2/parent)"
expect "d2 reloaded (same configuration)" 10 eval \
	"[ \$(log_count d2 'configuration reloaded') -gt $reloads ]"
sleep 1
[ "$(log_count d2 'sync daemon st')" = "$starts" ] &&
	ok "the unchanged sync daemon was left alone" ||
	bad "the sync daemon was touched by a reload without changes"
conf d2 100 "lvs_sync_daemon eth0 VI_1 id 8"
kill -HUP "$(cat $T/d2/parent)"
expect "reload with id 8: d2's master daemon restarted with syncid 8" 10 \
	daemons_are d2 "master eth0 8;" || show_daemons d2
state_is d2 MASTER && ok "d2 still MASTER" || bad "d2 left MASTER over the reload"
conf d1 50 "lvs_sync_daemon eth0 VI_1 id 8"
kill -HUP "$(cat $T/d1/parent)"
expect "d1's backup daemon follows to syncid 8" 10 daemons_are d1 "backup eth0 8;" ||
	show_daemons d1

# ---- 4. FAULT runs backup ----

echo 1 >$T/d2/fault
expect "d2 enters FAULT" 10 state_is d2 FAULT
expect "d2 in FAULT runs the backup sync daemon" 5 daemons_are d2 "backup eth0 8;" ||
	show_daemons d2
expect "d1 becomes MASTER" 10 state_is d1 MASTER
expect "d1 switched to master" 5 daemons_are d1 "master eth0 8;" || show_daemons d1
echo 0 >$T/d2/fault
expect "d2 leaves FAULT and preempts d1 again" 15 state_is d2 MASTER
expect "d2 master, d1 backup again" 5 eval \
	'daemons_are d2 "master eth0 8;" && daemons_are d1 "backup eth0 8;"' ||
	{ show_daemons d1; show_daemons d2; }

# ---- 5. no instance: both; the deprecated instance keyword ----

conf d2 100 "lvs_sync_daemon eth0 id 9"
kill -HUP "$(cat $T/d2/parent)"
expect "no instance named: d2 runs master and backup" 10 \
	daemons_are d2 "backup eth0 9;master eth0 9;" || show_daemons d2
conf d2 100 "" "lvs_sync_daemon_interface eth0"
kill -HUP "$(cat $T/d2/parent)"
expect "lvs_sync_daemon_interface: d2 (MASTER) runs master only, the VRID as sync id" 10 \
	daemons_are d2 "master eth0 51;" || show_daemons d2

# ---- 6. stop ----

stop_ka d2
rc=$?
[ $rc = 0 ] && ok "d2 exited 0 on SIGTERM" || bad "d2 exit status $rc"
stop_ka d1
rc=$?
[ $rc = 0 ] && ok "d1 exited 0 on SIGTERM" || bad "d1 exit status $rc"
daemons_are d1 "" && daemons_are d2 "" && ok "no sync daemon left in either namespace" ||
	bad "sync daemons left: d1 '$(daemons d1)' d2 '$(daemons d2)'"
if grep -q "Sanitizer\|runtime error\|Segmentation" $T/*/stderr $T/*/ka*.log; then
	bad "crash or sanitizer report"
fi
finish
