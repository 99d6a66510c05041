#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-lib.sh - in the test VM: results, polling and our daemon in a namespace, for guest scripts
#
# Sourced (dash) by the guest scripts that run directors in namespaces;
# vm-lib.sh puts it in /test of every image. Each node NODE keeps its
# files in $T/NODE: keepalived.conf, the logs, the PID files, stderr and
# "parent" (the PID of the daemon's parent process). $fail is 1 once a
# check failed.

PATH=/test:/sbin:/bin
export PATH
T=/tmp/ka
fail=0

ok() { echo "ok: $*"; }
bad() {
	echo "FAIL: $*"
	fail=1
}
# tenths of a second since boot
now10() {
	read -r up rest </proc/uptime
	echo "$up" | awk '{ printf "%d\n", $1 * 10 }'
}

# wait_until SECONDS COMMAND...: poll every 0.2 s
wait_until() {
	limit=$(($(now10) + $1 * 10))
	shift
	while ! "$@"; do
		[ "$(now10)" -ge "$limit" ] && return 1
		sleep 0.2
	done
}

# expect NAME SECONDS COMMAND...: ok or bad, by whether COMMAND succeeds in time
expect() {
	name=$1
	shift
	if wait_until "$@"; then
		ok "$name"
	else
		bad "$name"
	fi
}

# guest_net N [VRF]: bridge br0 (10.N.0.1/24, fdN::1/64) with directors d1
# (.11) and d2 (.12), each in its namespace behind a veth named eth0; with
# VRF, each director's eth0 is enslaved to VRF device VRF (table 10). The
# addresses go on after enslaving: a VRF cycles eth0, which drops IPv6 ones.
guest_net() {
	local n ns
	ip link set lo up &&
		ip link add br0 type bridge mcast_snooping 0 forward_delay 0 &&
		ip addr add 10.$1.0.1/24 dev br0 && ip addr add fd$1::1/64 dev br0 nodad &&
		ip link set br0 up || return 1
	for n in d1:11 d2:12; do
		ns=${n%:*}
		ip netns add $ns &&
			ip link add p-$ns type veth peer name eth0 netns $ns &&
			ip link set p-$ns master br0 up &&
			ip -n $ns link set lo up || return 1
		if [ -n "${2:-}" ]; then
			ip -n $ns link add "$2" type vrf table 10 &&
				ip -n $ns link set "$2" up &&
				ip -n $ns link set eth0 master "$2" || return 1
		fi
		ip -n $ns link set eth0 up &&
			ip -n $ns addr add 10.$1.0.${n#*:}/24 dev eth0 &&
			ip -n $ns addr add fd$1::${n#*:}/64 dev eth0 nodad || return 1
	done
}

# vlog NODE: the path of NODE's VRRP log
vlog() { echo "$T/$1/ka_vrrp.log"; }

# start_ka NODE [OPTION...]: our daemon in the background in NODE's
# namespace with its files in $T/NODE, the VRRP log emptied first
start_ka() {
	local node=$1
	shift
	: >"$(vlog "$node")"
	ip netns exec "$node" keepalived -n -l "$@" -f $T/$node/keepalived.conf \
		--log-file=$T/$node/ka.log -p $T/$node/ka.pid -r $T/$node/vrrp.pid \
		-c $T/$node/check.pid >>$T/$node/stderr 2>&1 &
	echo $! >$T/$node/parent
}

# stop_ka NODE: SIGTERM to the parent, wait; returns its exit status
stop_ka() {
	p=$(cat $T/$1/parent)
	kill -TERM "$p"
	wait "$p"
}

# show_logs NODE...: the end of each node's VRRP log and its stderr
show_logs() {
	local node

	for node in "$@"; do
		echo "---- $node VRRP log (last 30 lines)"
		tail -n 30 "$(vlog "$node")"
		cat $T/$node/stderr
	done
}
# kill9_ka NODE: kill -9 the VRRP child first, then the parent, so that
# nothing cleans up
kill9_ka() {
	kill -KILL "$(cat $T/$1/vrrp.pid)" "$(cat $T/$1/parent)" 2>/dev/null
	wait "$(cat $T/$1/parent)" 2>/dev/null
	sleep 0.5
}
