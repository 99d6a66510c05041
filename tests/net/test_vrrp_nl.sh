#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_nl.sh - the VRRP netlink layer against the kernel, checked with iproute2
#
# One network namespace (kanl-PID) with a veth pair. tests/net/vrrp_nl_tool
# loads keepalived.conf files and installs/removes the addresses, routes and
# rules of an instance or the static blocks; `ip` must then show exactly
# those objects, and nothing once they are removed. Also: idempotence
# (add twice, delete twice), error messages, the monitor (link down/up, an
# external deletion of a VIP, route or rule, lost notifications), VMAC
# creation and lookups. Needs root and
# iproute2; exits 77 (skipped) otherwise. Prints "ok N - ..." / "not ok N -
# ..." per check and exits 1 if any check failed.
# shellcheck disable=SC2317 # functions run through check() and trap
set -euo pipefail

TOOL=${top_builddir:-.}/tests/net/vrrp_nl_tool
NS="kanl-$$"
TMP=
NETNS_DIR_MADE= # /etc/netns did not exist before
STARTED=() # pids this script started
FAILED=0
COUNT=0

skip() {
	echo "# SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "needs iproute2"
[ -x "$TOOL" ] || { echo "not ok - $TOOL not built"; exit 1; }

cleanup() {
	set +e
	local p
	for p in "${STARTED[@]}"; do
		kill -0 "$p" 2>/dev/null && kill "$p" && wait "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	rm -rf "/etc/netns/$NS"
	[ -n "$NETNS_DIR_MADE" ] && rmdir /etc/netns 2>/dev/null
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
		FAILED=1
	fi
}

in_ns() { ip netns exec "$NS" "$@"; }
tool() { in_ns "$TOOL" "$@"; }

TMP=$(mktemp -d /tmp/kanl.XXXXXX)

# ---- topology: veth0 <-> veth1 in one namespace ----
# A table name only this namespace knows: "ip netns exec" mounts
# /etc/netns/NS/iproute2 over /etc/iproute2.
[ -d /etc/netns ] || NETNS_DIR_MADE=1
mkdir -p "/etc/netns/$NS/iproute2"
{ cat /etc/iproute2/rt_tables 2>/dev/null || cat /usr/share/iproute2/rt_tables; } \
	>"/etc/netns/$NS/iproute2/rt_tables"
echo "100 vipt" >>"/etc/netns/$NS/iproute2/rt_tables"
ip netns add "$NS"
in_ns ip link set lo up
in_ns ip link add veth0 type veth peer name veth1
in_ns ip addr add 10.9.0.1/24 dev veth0
in_ns ip addr add fd00:9::1/64 dev veth0 nodad
in_ns ip link set veth0 up
in_ns ip link set veth1 up
# Link-local addresses stay "tentative" for a while after a link comes up:
# the snapshots below must not change by themselves.
settle() {
	for _ in $(seq 50); do
		[ -z "$(in_ns ip -6 addr show tentative)" ] && return 0
		sleep 0.1
	done
}
settle
IDX0=$(in_ns cat /sys/class/net/veth0/ifindex)
IDX1=$(in_ns cat /sys/class/net/veth1/ifindex)

# Everything the tool may change, one object per line, without what the
# kernel derives by itself (prefix, local and multicast routes); a finite
# preferred lifetime reads LFT as it counts down, and the priority the
# kernel picks for the rule written without one reads PRIO.
state() {
	{
		in_ns ip -o addr show | sed -E 's/\\ +/ /; s/[[:space:]]+/ /g'
		in_ns ip -4 route show table all
		in_ns ip -6 route show table all
		in_ns ip rule show
		in_ns ip -6 rule show
	} | sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//' |
		sed -E 's/preferred_lft [1-9][0-9]*sec/preferred_lft LFT/' |
		sed -E 's/^[0-9]+: (from 10\.1\.0\.0\/16 )/PRIO: \1/' |
		grep -vE 'proto kernel|^(local|broadcast|multicast|anycast) |^fe80::/64 ' |
		grep -vE '^ff00::/8 ' | sort
}

# same_lines FILE_A FILE_B: equal sets of lines, differences shown
same_lines() {
	if ! diff <(sort "$1") <(sort "$2") >"$TMP/diff"; then
		sed 's/^/# /' "$TMP/diff"
		return 1
	fi
}

# added_is BEFORE EXPECTED: the lines now present and not in BEFORE are
# exactly the EXPECTED ones
added_is() {
	state >"$TMP/now"
	comm -13 "$1" "$TMP/now" >"$TMP/added"
	same_lines "$TMP/added" "$2"
}

unchanged() { # unchanged SNAPSHOT
	state >"$TMP/now"
	same_lines "$1" "$TMP/now"
}

fails_with() { # fails_with TEXT COMMAND...: the command fails saying TEXT
	local text=$1
	shift
	if "$@" 2>"$TMP/err"; then
		echo "# unexpected success"
		return 1
	fi
	grep -qF -- "$text" "$TMP/err" || { echo "# stderr: $(cat "$TMP/err")"; return 1; }
}

state >"$TMP/before"

# ---- 1. an instance: VIPs, eVIPs, virtual routes and rules ----
cat >"$TMP/vi.conf" <<'EOF'
vrrp_instance VI_1 {
    interface veth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.8.0.100/24 brd + label veth0:vip scope site
        10.9.0.101
        10.9.1.5/32 dev veth1
    }
    virtual_ipaddress_excluded {
        fd00:9::100/64
        fd00:9::200/128
    }
    virtual_routes {
        10.20.0.0/16 via 10.9.0.254 table vipt
        blackhole 10.30.0.0/16
        10.40.0.0/16 dev veth0 metric 50 src 10.8.0.100
        10.50.0.0/16 nexthop via 10.9.0.2 weight 2 nexthop via 10.9.0.3 weight 3
        10.60.0.0/16 via 10.9.0.254 mtu lock 1400 advmss 1300 table 200
        inet6 fd00:60::/48 via fd00:9::254 metric 100
    }
    virtual_rules {
        from 10.9.0.100 table vipt priority 100
        to 10.77.0.0/16 table 200 priority 200 fwmark 0x10/0xff
        from 192.168.0.0/16 not table 100 priority 300
        inet6 from fd00:1::/64 table 100 priority 310
    }
}
EOF
cat >"$TMP/vi.expect" <<EOF
$IDX0: veth0 inet 10.8.0.100/24 brd 10.8.0.255 scope site veth0:vip valid_lft forever preferred_lft forever
$IDX0: veth0 inet 10.9.0.101/32 scope global veth0 valid_lft forever preferred_lft forever
$IDX1: veth1 inet 10.9.1.5/32 scope global veth1 valid_lft forever preferred_lft forever
$IDX0: veth0 inet6 fd00:9::100/64 scope global nodad valid_lft forever preferred_lft forever
$IDX0: veth0 inet6 fd00:9::200/128 scope global nodad deprecated valid_lft forever preferred_lft 0sec
10.20.0.0/16 via 10.9.0.254 dev veth0 table vipt proto keepalived
blackhole 10.30.0.0/16 proto keepalived
10.40.0.0/16 dev veth0 proto keepalived src 10.8.0.100 metric 50
10.50.0.0/16 proto keepalived
nexthop via 10.9.0.2 dev veth0 weight 2
nexthop via 10.9.0.3 dev veth0 weight 3
10.60.0.0/16 via 10.9.0.254 dev veth0 table 200 proto keepalived mtu lock 1400 advmss 1300
fd00:60::/48 via fd00:9::254 dev veth0 proto keepalived metric 100 pref medium
100: from 10.9.0.100 lookup vipt proto keepalived
200: from all to 10.77.0.0/16 fwmark 0x10/0xff lookup 200 proto keepalived
300: not from 192.168.0.0/16 lookup vipt proto keepalived
310: from fd00:1::/64 lookup vipt proto keepalived
EOF

check "instance VI_1 is installed" tool -f "$TMP/vi.conf" add instance VI_1
check "exactly its addresses, routes and rules appeared" added_is "$TMP/before" "$TMP/vi.expect"
state >"$TMP/installed"
check "installing it again succeeds" tool -f "$TMP/vi.conf" add instance VI_1
check "and changes nothing" unchanged "$TMP/installed"
check "IPv6 VIPs are usable at once (not tentative)" \
	test -z "$(in_ns ip -6 addr show dev veth0 tentative)"
check "instance VI_1 is removed" tool -f "$TMP/vi.conf" del instance VI_1
check "everything it installed is gone" unchanged "$TMP/before"
check "removing it again succeeds" tool -f "$TMP/vi.conf" del instance VI_1
check "and changes nothing" unchanged "$TMP/before"

# ---- 2. static_ipaddress, static_routes, static_rules ----
cat >"$TMP/static.conf" <<'EOF'
global_defs {
    default_interface veth1
}
static_ipaddress {
    10.7.0.1/24
    fd00:7::1/64 dev veth1 noprefixroute preferred_lft 100
    10.6.0.1 peer 10.6.0.2/32 dev veth1
}
static_routes {
    10.70.0.0/16 via 10.9.0.254 dev veth0 onlink congctl lock cubic rtt 100ms rttvar lock 40ms
    10.71.0.0/16 via 10.9.0.254 tos 8 proto 99
    unreachable 10.72.0.0/16 table 300
    10.74.0.0/16 via 10.9.0.254 append metric 7
    10.74.0.0/16 via 10.9.0.253 append metric 7
    inet6 fd00:70::/48 via fd00:9::254 metric 100 pref high
}
static_rules {
    from 10.1.0.0/16 table 300
    from 10.2.0.0/16 uidrange 1000-2000 sport 1000-2000 dport 80 ipproto tcp table 300 priority 400
    iif veth0 oif veth1 table 300 priority 401
    to 10.3.0.0/16 suppress_prefixlength 0 table main priority 402
    from 10.4.0.0/16 goto 500 priority 403
    from 10.5.0.0/16 blackhole priority 500
    tunnel-id 55 table 300 priority 405
    fwmark 7 nop priority 406
    from 10.8.0.0/16 realms 3/4 table 300 priority 408 no_track
}
EOF
cat >"$TMP/static.expect" <<EOF
$IDX1: veth1 inet 10.7.0.1/24 scope global veth1 valid_lft forever preferred_lft forever
$IDX1: veth1 inet 10.6.0.1 peer 10.6.0.2/32 scope global veth1 valid_lft forever preferred_lft forever
$IDX1: veth1 inet6 fd00:7::1/64 scope global nodad noprefixroute valid_lft forever preferred_lft LFT
10.70.0.0/16 via 10.9.0.254 dev veth0 proto keepalived onlink rtt 100ms rttvar lock 40ms congctl lock cubic
10.71.0.0/16 tos 0x08 via 10.9.0.254 dev veth0 proto 99
unreachable 10.72.0.0/16 table 300 proto keepalived
10.74.0.0/16 via 10.9.0.254 dev veth0 proto keepalived metric 7
10.74.0.0/16 via 10.9.0.253 dev veth0 proto keepalived metric 7
fd00:70::/48 via fd00:9::254 dev veth0 proto keepalived metric 100 pref high
PRIO: from 10.1.0.0/16 lookup 300 proto keepalived
400: from 10.2.0.0/16 uidrange 1000-2000 ipproto tcp sport 1000-2000 dport 80 lookup 300 proto keepalived
401: from all iif veth0 oif veth1 lookup 300 proto keepalived
402: from all to 10.3.0.0/16 lookup main suppress_prefixlength 0 proto keepalived
403: from 10.4.0.0/16 goto 500 proto keepalived
405: from all tun_id 55 lookup 300 proto keepalived
406: from all fwmark 0x7 nop proto keepalived
408: from 10.8.0.0/16 lookup 300 realms 3/4
500: from 10.5.0.0/16 blackhole proto keepalived
EOF
check "static blocks are installed (default_interface for addresses without dev)" \
	tool -f "$TMP/static.conf" add static
check "exactly the static objects appeared" added_is "$TMP/before" "$TMP/static.expect"
state >"$TMP/installed"
check "installing them again succeeds" tool -f "$TMP/static.conf" add static
check "and adds no second copy (not even of the rule without preference)" \
	unchanged "$TMP/installed"
check "static blocks are removed" tool -f "$TMP/static.conf" del static
check "everything is gone" unchanged "$TMP/before"
check "removing them again succeeds" tool -f "$TMP/static.conf" del static

# ---- 3. errors name the operation, the object and the kernel's reason ----
cat >"$TMP/bad.conf" <<'EOF'
static_ipaddress {
    10.66.0.1/24 dev nosuch0
}
static_routes {
    10.99.0.0/16 via 192.0.2.1
    10.98.0.0/16 via 10.9.0.254 table nosuchtable
}
EOF
check "a missing interface is reported" fails_with \
	"add address 10.66.0.1/24 dev nosuch0: No such device" tool -f "$TMP/bad.conf" add static
check "the kernel's extended ack text is reported" fails_with \
	"add route 10.99.0.0/16 via 192.0.2.1: Network is unreachable (Nexthop has invalid gateway)" \
	tool -f "$TMP/bad.conf" add static
check "an unknown table name is reported" fails_with \
	"table nosuchtable: unknown table name 'nosuchtable'" tool -f "$TMP/bad.conf" add static
check "deleting what cannot exist succeeds" tool -f "$TMP/bad.conf" del static
check "nothing was left behind" unchanged "$TMP/before"

# ---- 4. the monitor ----
MON_OUT="$TMP/monitor"
# "ip netns exec" execs the tool: $! is the tool itself
ip netns exec "$NS" "$TOOL" -f "$TMP/vi.conf" monitor -t 30 >"$MON_OUT" 2>&1 &
MON_PID=$!
STARTED+=("$MON_PID")
for _ in $(seq 50); do
	grep -qs '^ready$' "$MON_OUT" && break
	sleep 0.1
done
check "monitor starts" grep -q '^ready$' "$MON_OUT"

wait_line() { # wait_line LINE: the monitor printed exactly this line
	for _ in $(seq 50); do
		grep -qsxF -- "$1" "$MON_OUT" && return 0
		sleep 0.1
	done
	echo "# monitor output:"
	sed 's/^/#   /' "$MON_OUT"
	return 1
}

in_ns ip link set veth1 down
check "link down is reported (veth1 down, veth0 loses its carrier)" \
	wait_line "link $IDX1 veth1 down"
check "carrier loss of the peer is reported as down" wait_line "link $IDX0 veth0 down"
in_ns ip link set veth1 up
check "link up is reported" wait_line "link $IDX1 veth1 up"
check "carrier back is reported as up" wait_line "link $IDX0 veth0 up"
settle
tool -f "$TMP/vi.conf" add instance VI_1
check "a VIP added is reported" wait_line "addr add 10.9.0.101/32 $IDX0"
check "an IPv6 VIP added is reported" wait_line "addr add fd00:9::100/64 $IDX0"
in_ns ip addr del 10.9.0.101/32 dev veth0
check "an external deletion of a VIP is reported" wait_line "addr del 10.9.0.101/32 $IDX0"
# routes and rules: deletions of "proto keepalived" ones, matched to their line
in_ns ip route add 10.88.0.0/16 via 10.9.0.254
in_ns ip route del 10.88.0.0/16 via 10.9.0.254
in_ns ip route del 10.20.0.0/16 table vipt
check "an external deletion of a virtual route is reported and matched" \
	wait_line "route del 10.20.0.0/16 table 100 metric 0 matches $TMP/vi.conf:15"
in_ns ip -6 route del fd00:60::/48
check "the same for IPv6" \
	wait_line "route del fd00:60::/48 table 254 metric 100 matches $TMP/vi.conf:20"
in_ns ip rule del pref 100
check "an external deletion of a virtual rule is reported and matched" \
	wait_line "rule del pref 100 from 10.9.0.100/32 to all table 100 matches $TMP/vi.conf:23"
check "routes of others are not reported" bash -c "! grep -q 10.88.0.0 '$MON_OUT'"
in_ns ip link add kanl0 type veth peer name kanl1
IDXK=$(in_ns cat /sys/class/net/kanl0/ifindex)
check "a new link is reported" wait_line "link $IDXK kanl0 down"
in_ns ip link del kanl0
check "a deleted link is reported" wait_line "linkdel $IDXK kanl0"
check "removing a partly deleted instance succeeds" tool -f "$TMP/vi.conf" del instance VI_1
check "an address removal by the tool is reported too" wait_line "addr del fd00:9::100/64 $IDX0"
kill "$MON_PID"
check "monitor stops on SIGTERM" wait "$MON_PID"
check "instance removed completely" unchanged "$TMP/before"

# ---- 5. lost notifications: both caches are re-read, the changes reported ----
# A tiny buffer and a stopped monitor: the kernel drops notifications.
MON_OUT="$TMP/monitor2"
ip netns exec "$NS" "$TOOL" monitor -t 30 -b 1 >"$MON_OUT" 2>&1 &
MON_PID=$!
STARTED+=("$MON_PID")
for _ in $(seq 50); do
	grep -qs '^ready$' "$MON_OUT" && break
	sleep 0.1
done
kill -STOP "$MON_PID"
for i in $(seq 1 40); do
	in_ns ip addr add "10.10.0.$i/32" dev veth1
done
in_ns ip addr del 10.10.0.40/32 dev veth1
in_ns ip link add kanl2 type veth peer name kanl3
IDXK=$(in_ns cat /sys/class/net/kanl2/ifindex)
kill -CONT "$MON_PID"
check "the overflow is noticed" wait_line \
	"Keepalived[$MON_PID]: netlink: notifications lost, links and addresses re-read"
check "the loss is reported" wait_line "resynced"
check "addresses added meanwhile are reported" wait_line "addr add 10.10.0.39/32 $IDX1"
check "a link created meanwhile is reported" wait_line "link $IDXK kanl2 down"
in_ns ip link del kanl2
for i in $(seq 1 39); do
	in_ns ip addr del "10.10.0.$i/32" dev veth1
done
check "the monitor works on afterwards" wait_line "linkdel $IDXK kanl2"
reported_once() { # each of 10.10.0.1-39 reported added exactly once
	local i n
	for i in $(seq 1 39); do
		n=$(grep -cxF "addr add 10.10.0.$i/32 $IDX1" "$MON_OUT")
		[ "$n" = 1 ] || { echo "# 10.10.0.$i reported $n times"; return 1; }
	done
}
check "every address added meanwhile was reported exactly once" reported_once
gone_too() { # one added and deleted meanwhile: not reported, or both ways
	! grep -qxF "addr add 10.10.0.40/32 $IDX1" "$MON_OUT" ||
		grep -qxF "addr del 10.10.0.40/32 $IDX1" "$MON_OUT"
}
check "an address added and deleted meanwhile is not left reported as present" gone_too
kill "$MON_PID"
check "monitor stops on SIGTERM" wait "$MON_PID"
check "the namespace is as it was" unchanged "$TMP/before"

# ---- 6. VMAC ----
vmac_is() { # vmac_is NAME MAC: a private macvlan on veth0, up, no addrgen
	local d
	d=$(in_ns ip -d link show "$1")
	[[ $d == *"$1@veth0:"* && $d == *"link/ether $2 "* && $d == *"macvlan mode private"* &&
		$d == *"addrgenmode none"* && $d == *",UP,"* ]] && return 0
	printf '# %s\n' "${d//$'\n'/$'\n'# }"
	return 1
}
V1=$(tool vmac veth0 vrrp.51 00:00:5e:00:01:33)
check "VMAC created" vmac_is vrrp.51 00:00:5e:00:01:33
check "it has no link-local address from the virtual MAC" \
	test -z "$(in_ns ip -6 addr show dev vrrp.51)"
check "the VMAC's ifindex is returned" test "$V1" = "$(in_ns cat /sys/class/net/vrrp.51/ifindex)"
check "an existing identical VMAC is reused" \
	test "$(tool vmac veth0 vrrp.51 00:00:5e:00:01:33)" = "$V1"
V2=$(tool vmac veth0 vrrp.51 00:00:5e:00:02:33)
check "one with another MAC is recreated" vmac_is vrrp.51 00:00:5e:00:02:33
check "under a new ifindex" test "$V2" != "$V1"
check "an interface of another kind is not replaced" \
	fails_with "an interface of another kind has that name" \
	tool vmac veth0 veth1 00:00:5e:00:01:34
info_is() { # info_is IF REGEX: what the lookups say about IF
	local out
	out=$(tool info "$1")
	[[ $out =~ $2 ]] || { echo "# $out"; return 1; }
}
check "info reads the lookups" info_is vrrp.51 \
	"^ifindex $V2 name vrrp.51 up 1 mtu 1500 parent $IDX0 mac 00:00:5e:00:02:33 ipv4 - ll6 -\$"
check "info finds the primary IPv4 and a link-local address" info_is veth0 \
	" ipv4 10\.9\.0\.1 ll6 fe80::"
check "VMAC deleted" tool linkdel vrrp.51
no_link() { [ -z "$(in_ns ip -o link show "$1" 2>/dev/null)" ]; }
check "it is gone" no_link vrrp.51
check "deleting it again succeeds" tool linkdel vrrp.51
check "the namespace is as it was" unchanged "$TMP/before"

echo "1..$COUNT"
exit "$FAILED"
