#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-bench-check.sh - in the benchmark VM: checker timings against real IPVS, ours and keepalived
#
# Run by bench_check.sh through tests/vm/run-vm.sh. /test holds our daemon
# (keepalived), Debian's (keepalived-ref), bench_tool, the configurations
# bench_check.sh generated and bench.env (WINDOW, WARMUP, REPS, BIG_REPS,
# CPU_SETS, BIG_RS, STAGES). The VM is the director; real servers live in namespace rs
# behind a veth pair: 10.10.0.2 and 10.10.0.3, plus the whole 10.64.0.0/10
# routed "local" there, so one listener serves thousands of addresses.
# Prints "R <name> <values...>" result lines for bench_check.sh; anything
# else is commentary. Exit status 0 unless the setup failed.

PATH=/test:/sbin:/bin
export PATH
T=/tmp/b
. /test/bench.env

say() { echo "# $*"; }
# want STAGE: STAGES (bench.env; default all) includes STAGE
want() { case " ${STAGES:-react big cpu} " in *" $1 "*) return 0 ;; esac; return 1; }

setup() {
	mkdir -p $T &&
		ip link set lo up &&
		ip netns add rs &&
		ip link add rs0 type veth peer name rs1 &&
		ip link set rs1 netns rs &&
		ip addr add 10.10.0.1/24 dev rs0 && ip link set rs0 up &&
		ip -n rs link set lo up && ip -n rs link set rs1 up &&
		ip -n rs addr add 10.10.0.2/24 dev rs1 &&
		ip -n rs addr add 10.10.0.3/24 dev rs1 &&
		ip -n rs route add default via 10.10.0.1 &&
		ip -n rs route add local 10.64.0.0/10 dev lo table local &&
		ip route add 10.64.0.0/10 via 10.10.0.2 || return 1
	# the silent-death test removes 10.10.0.3: keep its MAC known, so
	# probes time out instead of failing on ARP
	mac=$(ip -n rs link show rs1 | awk '/link\/ether/ { print $2 }')
	ip neigh replace 10.10.0.3 lladdr "$mac" nud permanent dev rs0
}

listener() { # listener NAME PORT MODE: start, pid in $T/NAME.pid
	ip netns exec rs bench_tool listen "$2" "$3" $T/"$1".count &
	echo $! >$T/"$1".pid
}

# ka_start WHICH CONF [bench_tool until args...]: start a daemon's checker
# (WHICH = ours | ref); with until args, print the time until they hold
ka_start() {
	which=$1 conf=$2
	shift 2
	bin=keepalived
	[ "$which" = ref ] && bin=keepalived-ref
	rm -f $T/ka.pid $T/check.pid
	set -- "$@" -- $bin -n -l -C -f "$conf" -p $T/ka.pid -r $T/vrrp.pid -c $T/check.pid
	if [ "$which" = ours ]; then
		set -- "$@" --log-file=$T/ours.log
	else
		set -- "$@" -D
	fi
	if [ "$1" = -- ]; then
		shift
		"$@" >>$T/$which.console 2>&1 &
		res=
	else
		res=$(bench_tool until "$@" 2>>$T/$which.console)
	fi
	i=0
	while [ ! -s $T/check.pid ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$res" ] && echo "$res"
	return 0
}

# alive PID: running and not a zombie (orphans are not reaped here)
alive() {
	[ -r /proc/"$1"/status ] && ! grep -q '^State:.*Z' /proc/"$1"/status 2>/dev/null
}

# ka_stop [until args...]: SIGTERM; wait for the exit (up to 10 min)
ka_stop() {
	p=$(cat $T/ka.pid 2>/dev/null)
	[ -n "$p" ] || return 0
	if [ $# -gt 0 ]; then
		bench_tool until "$@" -- sh -c "kill -TERM $p"
	else
		kill -TERM "$p"
	fi
	i=0
	while alive "$p" && [ $i -lt 6000 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# The VM's default is 1,024 open files; keepalived raises its own limit,
# our checker does not (yet): give both room for the probes in flight.
ulimit -n 65536
if ! setup; then
	echo "setup failed"
	exit 1
fi
# keepalived skips an executable configuration file: copy them as 0644
for f in react tcp1k tcp10k http1k vmbig vmbig-reload; do
	cat /test/$f.conf >$T/$f.conf
done
listener main 8080 tcp
listener http 8081 http
listener a 80 tcp
sleep 0.5

# ---- 1. reaction time: a real server dies, its destination goes ----

react() { # react WHICH KIND
	ka_start "$1" $T/react.conf
	bench_tool until 60 50 present 10.10.0.3:80 >/dev/null &&
		bench_tool until 60 50 present 10.10.0.2:8080 >/dev/null ||
		{ say "$1: the real servers never showed up"; tail -n 5 $T/$1.console; }
	i=1
	while [ $i -le "$REPS" ]; do
		bench_tool until 30 20 present 10.10.0.3:80 >/dev/null
		# start at a different phase of delay_loop each time
		sleep "1.$(((i * 37) % 10))"
		if [ "$2" = refused ]; then
			ms=$(bench_tool until 30 10 gone 10.10.0.3:80 -- \
				sh -c "kill -9 $(cat $T/a.pid)")
			listener a 80 tcp
		else
			ms=$(bench_tool until 30 10 gone 10.10.0.3:80 -- \
				ip -n rs addr del 10.10.0.3/24 dev rs1)
			ip -n rs addr add 10.10.0.3/24 dev rs1
		fi
		echo "R react $1 $2 $ms"
		i=$((i + 1))
	done
	ka_stop
}

for w in ours ref; do
	want react || break
	react $w refused
	react $w silent
done

# ---- 2. BIG_RS real servers, 20 a virtual server: start, reload 1 %, stop ----

big() { # big WHICH
	r=1
	while [ $r -le "$BIG_REPS" ]; do
		say "big $1 run $r at $(bench_tool now) s"
		cat $T/vmbig.conf >$T/big.conf
		ms=$(ka_start "$1" $T/big.conf 1800 200 dests-ge "$BIG_RS")
		echo "R big-start $1 $ms"
		sleep 2
		echo "R big-mem $1 $(bench_tool stat "$(cat $T/check.pid)")"
		cat $T/vmbig-reload.conf >$T/big.conf
		ms=$(bench_tool until 1800 200 weight-ge 2 $((BIG_RS / 100)) -- \
			sh -c "kill -HUP $(cat $T/ka.pid)")
		echo "R big-reload $1 $ms"
		sleep 2
		ms=$(ka_stop 1800 200 dests-le 0)
		echo "R big-stop $1 $ms"
		r=$((r + 1))
	done
}

for w in ours ref; do
	want big || break
	big $w
done

# ---- 3. checker CPU and memory with every probe at delay_loop 1 ----

# count LISTENER: "TIME COUNT", its accept count at TIME
count() {
	t=$(bench_tool now)
	kill -USR1 "$(cat $T/"$1".pid)"
	sleep 0.3
	echo "$t $(cat $T/"$1".count)"
}

cpu() { # cpu WHICH SET LISTENER
	ka_start "$1" $T/"$2".conf
	c=$(cat $T/check.pid)
	sleep "$WARMUP"
	n0=$(count "$3")
	s0=$(bench_tool stat "$c")
	t0=$(bench_tool now)
	sleep "$WINDOW"
	s1=$(bench_tool stat "$c")
	t1=$(bench_tool now)
	n1=$(count "$3")
	echo "R cpu $1 $2 $t0 $t1 $s0 $s1 $n0 $n1"
	ka_stop
}

for set in $CPU_SETS; do
	want cpu || break
	lst=main
	case $set in http*) lst=http ;; esac
	for w in ours ref; do
		cpu $w "$set" $lst
	done
done

grep -h "Sanitizer\|runtime error\|Segmentation" $T/*.console $T/ours.log 2>/dev/null |
	head -n 5 | sed 's/^/# /'
exit 0
