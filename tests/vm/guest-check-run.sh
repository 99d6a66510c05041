#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-check-run.sh - in the test VM: the checker keeps the real IPVS table in step with health
#
# Runs as the VM's test (dash, busybox, iproute2's ip, Debian's ipvsadm,
# our keepalived in /test). Real servers are busybox httpd processes in a
# network namespace behind a veth pair. Scenarios, in one boot:
#   1. start: every service, scheduler, method, weight as configured
#      (NAT/DR, fwmark, IPv6, a group with a range and a fwmark), lvs_timeouts,
#      an administrator's own service left alone;
#   2. servers killed: removed, kept at weight 0 (inhibit_on_failure), quorum
#      lost -> sorry server in, the others out, quorum_down run; then back;
#   3. reload with an edited configuration: exactly the edited entries change
#      (the log's IPVS operations are checked) and the connection counters
#      of unchanged destinations survive (not recreated);
#   4. kill -9 of the checker child: the table never changes while the
#      parent respawns it, and the new child adopts it without any operation;
#   5. SIGTERM: what the daemon created is removed, the rest stays;
#   6. -I leaves everything (and a new start adopts it), lvs_flush_on_stop
#      and lvs_flush flush the whole table.
# Exit status: 0 when everything matched, 1 otherwise.

PATH=/test:/sbin:/bin
export PATH
T=/tmp/ka
CONF=$T/keepalived.conf
CLOG=$T/ka_healthcheckers.log
CPID=$T/checkers.pid
fail=0

ok() { echo "ok: $*"; }
# seconds since boot (busybox has no date applet link here)
now() {
	read -r up rest </proc/uptime
	echo "${up%.*}"
}
bad() {
	echo "FAIL: $*"
	fail=1
}

# The table in a stable form: one line per service and per destination
# ("SERVICE -> DEST FORWARD WEIGHT"), blanks squeezed, sorted.
table() {
	ipvsadm -Ln | awk 'NR > 3 {
		if ($1 == "->") { print svc " -> " $2 " " $3 " " $4; next }
		svc = $1; for (i = 2; i <= NF; i++) svc = svc " " $i; print svc }' | sort
}

# expect_table NAME SECONDS < expected lines: poll until the table matches
expect_table() {
	name=$1
	sort >$T/want
	i=0
	while :; do
		table >$T/got
		if cmp -s $T/want $T/got; then
			ok "$name"
			return 0
		fi
		i=$((i + 1))
		[ $i -ge $(($2 * 10)) ] && break
		sleep 0.1
	done
	bad "$name: the table differs:"
	diff $T/want $T/got
	return 1
}

# ---- network: VIPs on a dummy interface, real servers in namespace rs ----

mkdir -p $T /tmp/www
echo hello >/tmp/www/index.html
ip link set lo up &&
	ip link add vip0 type dummy && ip link set vip0 up &&
	ip addr add 10.0.0.1/16 dev vip0 &&
	ip -6 addr add 2001:db8::1/64 dev vip0 nodad &&
	ip netns add rs &&
	ip link add rs0 type veth peer name rs1 &&
	ip link set rs1 netns rs &&
	ip addr add 10.10.0.1/24 dev rs0 &&
	ip -6 addr add 2001:db8:10::1/64 dev rs0 nodad &&
	ip link set rs0 up &&
	ip -n rs link set lo up && ip -n rs link set rs1 up &&
	ip -n rs route add default via 10.10.0.1 onlink dev rs1 2>/dev/null
for a in 2 3 4 5 6; do
	ip -n rs addr add 10.10.0.$a/24 dev rs1 || fail=1
done
ip -n rs -6 addr add 2001:db8:10::2/64 dev rs1 nodad || fail=1
if [ $fail != 0 ]; then
	echo "FAIL: guest network setup"
	exit 1
fi

start_rs() { # start_rs NAME ADDR
	busybox nsenter --net=/run/netns/rs busybox httpd -f -p "$2:80" -h /tmp/www &
	echo $! >$T/rs.$1
}
stop_rs() {
	kill "$(cat $T/rs.$1)"
	wait "$(cat $T/rs.$1)" 2>/dev/null
}
start_rs 2 10.10.0.2
start_rs 3 10.10.0.3
start_rs 4 10.10.0.4
start_rs 5 10.10.0.5
start_rs 6 10.10.0.6
start_rs v6 "[2001:db8:10::2]"

# An administrator's own service: never ours to touch.
ipvsadm -A -t 10.0.0.200:80 -s rr && ipvsadm -a -t 10.0.0.200:80 -r 10.10.0.2:80 -m -w 7 ||
	bad "ipvsadm could not add the foreign service"

# ---- configuration ----

TCP='TCP_CHECK {
			connect_timeout 1
			retry 0
		}'
write_conf() { # write_conf [edited]
	w2=2 s101=wlc
	[ "${1:-}" = edited ] && w2=5 s101=wrr
	cat >$CONF <<EOF
global_defs {
	router_id vm
	lvs_timeouts tcp 901 tcpfin 31 udp 61
	${GLOBAL_EXTRA:-}
}
virtual_server 10.0.0.100 80 {
	lb_algo rr
	lb_kind NAT
	delay_loop 1
	warmup 0
	real_server 10.10.0.2 80 {
		weight $w2
		$TCP
	}
	real_server 10.10.0.3 80 {
		HTTP_GET {
			url {
				path /index.html
			}
			connect_timeout 1
			retry 0
		}
	}
}
virtual_server 10.0.0.101 80 {
	lb_algo $s101
	lb_kind DR
	inhibit_on_failure
	delay_loop 1
	warmup 0
	real_server 10.10.0.4 80 {
		weight 3
		$TCP
	}
}
virtual_server 10.0.0.102 80 {
	lb_algo rr
	quorum 2
	sorry_server 10.10.0.9 80
	quorum_down "/bin/busybox touch $T/quorum-down"
	quorum_up "/bin/busybox touch $T/quorum-up"
	delay_loop 1
	warmup 0
	real_server 10.10.0.5 80 {
		$TCP
	}
	real_server 10.10.0.6 80 {
		$TCP
	}
}
virtual_server fwmark 7 {
	lb_algo sh
	sh-port
	lb_kind DR
	persistence_timeout 60
	delay_loop 1
	warmup 0
	real_server 10.10.0.2 80 {
		$TCP
	}
}
virtual_server_group G {
	10.0.0.110-111 80
	fwmark 8
}
virtual_server group G {
	lb_algo wrr
	delay_loop 1
	warmup 0
	real_server 10.10.0.3 80 {
		$TCP
	}
}
EOF
	if [ "${1:-}" = edited ]; then
		cat >>$CONF <<EOF
virtual_server 10.0.0.104 80 {
	delay_loop 1
	warmup 0
	real_server 10.10.0.6 80 {
		$TCP
	}
}
EOF
	else
		cat >>$CONF <<EOF
virtual_server 2001:db8::100 443 {
	lb_algo lc
	delay_loop 1
	warmup 0
	real_server 2001:db8:10::2 80 {
		$TCP
	}
}
EOF
	fi
}

FOREIGN='TCP 10.0.0.200:80 rr
TCP 10.0.0.200:80 rr -> 10.10.0.2:80 Masq 7'
COMMON='FWM 7 sh (sh-port) persistent 60
FWM 7 sh (sh-port) persistent 60 -> 10.10.0.2:80 Route 1
FWM 8 wrr
TCP 10.0.0.102:80 rr
TCP 10.0.0.110:80 wrr
TCP 10.0.0.111:80 wrr'
HEALTHY="$FOREIGN
$COMMON
FWM 8 wrr -> 10.10.0.3:80 Masq 1
TCP 10.0.0.110:80 wrr -> 10.10.0.3:80 Masq 1
TCP 10.0.0.111:80 wrr -> 10.10.0.3:80 Masq 1
TCP 10.0.0.100:80 rr
TCP 10.0.0.100:80 rr -> 10.10.0.3:80 Masq 1
TCP 10.0.0.102:80 rr -> 10.10.0.5:80 Masq 1
TCP 10.0.0.102:80 rr -> 10.10.0.6:80 Masq 1"
START="$HEALTHY
TCP 10.0.0.100:80 rr -> 10.10.0.2:80 Masq 2
TCP 10.0.0.101:80 wlc
TCP 10.0.0.101:80 wlc -> 10.10.0.4:80 Route 3
TCP [2001:db8::100]:443 lc
TCP [2001:db8::100]:443 lc -> [2001:db8:10::2]:80 Masq 1"
EDITED="$HEALTHY
TCP 10.0.0.100:80 rr -> 10.10.0.2:80 Masq 5
TCP 10.0.0.101:80 wrr
TCP 10.0.0.101:80 wrr -> 10.10.0.4:80 Route 3
TCP 10.0.0.104:80 wlc
TCP 10.0.0.104:80 wlc -> 10.10.0.6:80 Masq 1"

# ---- 1. start ----

write_conf
keepalived -C -f $CONF -n -l --log-file=$T/ka.log -p $T/ka.pid -c $CPID -r $T/vrrp.pid \
	>$T/stderr 2>&1 &
KPID=$!
echo "$START" | expect_table "start: services, schedulers, methods, weights" 20
timeouts=$(ipvsadm -L --timeout)
[ "$timeouts" = "Timeout (tcp tcpfin udp): 901 31 61" ] && ok "lvs_timeouts applied" ||
	bad "lvs_timeouts: $timeouts"

# ---- 2. failures and recovery ----

stop_rs 3
stop_rs 4
stop_rs 5
echo "$FOREIGN
$COMMON
TCP 10.0.0.100:80 rr
TCP 10.0.0.100:80 rr -> 10.10.0.2:80 Masq 2
TCP 10.0.0.101:80 wlc
TCP 10.0.0.101:80 wlc -> 10.10.0.4:80 Route 0
TCP 10.0.0.102:80 rr -> 10.10.0.9:80 Masq 1
TCP [2001:db8::100]:443 lc
TCP [2001:db8::100]:443 lc -> [2001:db8:10::2]:80 Masq 1" |
	expect_table "failed servers removed, inhibited at weight 0, sorry server on quorum loss" 15
i=0
while [ ! -e $T/quorum-down ] && [ $i -lt 30 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -e $T/quorum-down ] && ok "quorum_down script ran" || bad "quorum_down script did not run"
start_rs 3 10.10.0.3
start_rs 4 10.10.0.4
start_rs 5 10.10.0.5
echo "$START" | expect_table "servers back: the start table again" 15
[ -e $T/quorum-up ] && ok "quorum_up script ran" || bad "quorum_up script did not run"

# ---- 3. reload: only the edited entries change ----

# Some connections through 10.0.0.100:80, so destinations have counters.
for i in 1 2 3 4; do
	printf 'GET /index.html HTTP/1.0\r\n\r\n' | busybox nc -w 2 10.0.0.100 80 >/dev/null
done
conns() {
	ipvsadm -Ln --stats -t 10.0.0.100:80 | awk '$1 == "->" && $2 ~ /:[0-9]+$/ { print $2, $3 }' |
		sort
}
# The kernel publishes counters every 2 s (its rate estimator).
i=0
while :; do
	conns >$T/conns.before
	awk '$2 > 0 { n++ } END { exit !(n == 2) }' $T/conns.before && break
	i=$((i + 1))
	[ $i -ge 50 ] && break
	sleep 0.1
done
if awk '$2 > 0 { n++ } END { exit !(n == 2) }' $T/conns.before; then
	ok "both destinations of 10.0.0.100:80 have connections"
else
	bad "no connection counted on 10.0.0.100:80:"
	cat $T/conns.before
fi
lines=$(wc -l <$CLOG)
write_conf edited
kill -HUP $KPID
echo "$EDITED" | expect_table "reload: edited weight, scheduler, removed and added services" 15
sleep 1
tail -n +$((lines + 1)) $CLOG | sed -n 's/.*\]: \(IPVS: .*\)/\1/p' | sort >$T/ops.got
sort >$T/ops.want <<'EOF'
IPVS: add destination 10.10.0.6:80 to TCP 10.0.0.104:80 (NAT, weight 1)
IPVS: add service TCP 10.0.0.104:80 (scheduler wlc, persistence 0 s)
IPVS: delete service TCP [2001:db8::100]:443
IPVS: edit destination 10.10.0.2:80 of TCP 10.0.0.100:80 (NAT, weight 5)
IPVS: edit service TCP 10.0.0.101:80 (scheduler wrr, persistence 0 s)
EOF
if cmp -s $T/ops.want $T/ops.got; then
	ok "reload applied exactly the five expected IPVS operations"
else
	bad "reload IPVS operations differ:"
	diff $T/ops.want $T/ops.got
fi
sleep 2.5
conns >$T/conns.after
if cmp -s $T/conns.before $T/conns.after; then
	ok "unchanged destinations kept their connection counters"
else
	bad "destination counters changed over the reload:"
	diff $T/conns.before $T/conns.after
fi

# ---- 4. kill -9 of the checker child: adopted, never emptied ----

old=$(cat $CPID)
lines=$(wc -l <$CLOG)
echo "$EDITED" | sort >$T/want
kill -KILL "$old"
# Poll the table as fast as we can from the kill until 2 s after the new
# child has started.
changed=0 polls=0 started=0 t0=$(now)
while [ $(($(now) - t0)) -lt 20 ]; do
	table >$T/got
	cmp -s $T/want $T/got || changed=$((changed + 1))
	polls=$((polls + 1))
	new=$(cat $CPID 2>/dev/null)
	if [ $started = 0 ] && [ -n "$new" ] && [ "$new" != "$old" ] &&
		grep -q "\[$new\]: checker child started" $CLOG; then
		started=$(now)
	fi
	[ $started != 0 ] && [ $(($(now) - started)) -ge 2 ] && break
done
if [ $started != 0 ] && kill -0 "$new" 2>/dev/null; then
	ok "checker child respawned ($old -> $new)"
else
	bad "checker child not respawned"
fi
[ $changed = 0 ] && [ $polls -ge 5 ] &&
	ok "the table never changed while the checker was down and restarting ($polls polls)" ||
	bad "the table differed in $changed of $polls polls"
ops=$(tail -n +$((lines + 1)) $CLOG | grep "\[$new\]: IPVS: " | grep -v "timeouts set")
[ -z "$ops" ] && ok "the respawned checker adopted the table without any operation" || {
	bad "the respawned checker changed the table:"
	echo "$ops"
}
echo "$EDITED" | expect_table "table intact after the respawn" 2

# ---- 5. stop: ours removed, the administrator's kept ----

kill -TERM $KPID
wait $KPID
rc=$?
[ $rc = 0 ] && ok "daemon exited 0 on SIGTERM" || bad "daemon exit status $rc"
echo "$FOREIGN" | expect_table "after stop only the foreign service remains" 2
if grep -q "Sanitizer\|runtime error\|Segmentation" $T/stderr $CLOG; then
	bad "crash or sanitizer report"
fi

# ---- 6. -I keeps everything; lvs_flush_on_stop and lvs_flush flush all ----

start_ka() { # start_ka [OPTION]
	keepalived -C -f $CONF -n -l --log-file=$T/ka.log -p $T/ka.pid -c $CPID -r $T/vrrp.pid \
		"$@" >>$T/stderr 2>&1 &
	KPID=$!
}
stop_ka() {
	kill -TERM $KPID
	wait $KPID
}
start_ka -I
echo "$EDITED" | expect_table "-I: started again, same table" 15
stop_ka
echo "$EDITED" | expect_table "-I: everything left in place at stop" 2
GLOBAL_EXTRA=lvs_flush_on_stop write_conf edited
lines=$(wc -l <$CLOG)
start_ka
i=0
while ! tail -n +$((lines + 1)) $CLOG | grep -q "checker child started" && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 1
n=$(tail -n +$((lines + 1)) $CLOG | grep "IPVS: " | grep -vc "timeouts set")
[ "$n" = 0 ] && ok "entries left by -I adopted without any operation" ||
	bad "$n IPVS operations when adopting the entries left by -I"
stop_ka
: | expect_table "lvs_flush_on_stop: the whole table flushed at stop" 2
ipvsadm -A -t 10.0.0.200:80 -s rr && ipvsadm -a -t 10.0.0.200:80 -r 10.10.0.2:80 -m -w 7
GLOBAL_EXTRA=lvs_flush write_conf edited
start_ka
echo "$EDITED" | grep -v 10.0.0.200 | expect_table "lvs_flush: the table flushed at start" 15
stop_ka
: | expect_table "stop after lvs_flush: empty table" 2

for n in 2 3 4 5 6 v6; do
	kill "$(cat $T/rs.$n)" 2>/dev/null
done
if [ $fail != 0 ]; then
	echo "---- checker log ----"
	tail -80 $CLOG
	echo "---- stderr ----"
	tail -20 $T/stderr
fi
exit $fail
