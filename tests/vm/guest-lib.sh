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
