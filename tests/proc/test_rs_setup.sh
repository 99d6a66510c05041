#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_rs_setup.sh - ka-rs-setup: VIPs on lo and ARP sysctls set up and undone exactly
#
# Runs the tool in a network namespace of its own (kars-PID), where lo and
# the net.ipv4.conf sysctls are private, with its state file in a temporary
# directory. Needs root and iproute2; exits 77 (skipped) without them.
# Prints "ok - ..." / "not ok - ..." per check and exits 1 if any failed.
# checks are written as eval '...' strings, expanded when they run
# shellcheck disable=SC2016,SC2034
set -euo pipefail

RS=${top_srcdir:-.}/daemon/ka-rs-setup
NS="kars-$$"
TMP=
FAILED=0
COUNT=0

skip() {
	echo "# SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "needs iproute2"
[ -f "$RS" ] || { echo "not ok - $RS missing"; exit 1; }

cleanup() {
	set +e
	ip netns del "$NS" 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add "$NS" 2>/dev/null || skip "cannot create network namespace"
ip -n "$NS" link set lo up
ip -n "$NS" link add ka0 type veth peer name ka1
TMP=$(mktemp -d /tmp/kars.XXXXXX)
STATE=$TMP/rs.state
OUT=$TMP/out
ERR=$TMP/err

ok() {
	COUNT=$((COUNT + 1))
	echo "ok $COUNT - $*"
}

not_ok() {
	COUNT=$((COUNT + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $COUNT - $*"
	sed 's/^/#   /' "$OUT" "$ERR" 2>/dev/null || true
	return 0
}

check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# rs ARGS...: run the tool (as /bin/sh runs it) in the namespace; status in RC
rs() {
	RC=0
	ip netns exec "$NS" sh "$RS" -s "$STATE" "$@" >"$OUT" 2>"$ERR" || RC=$?
}

sc() { ip netns exec "$NS" cat "/proc/sys/net/ipv4/conf/$1/$2"; }
sc_set() { ip netns exec "$NS" sh -c "echo $3 >/proc/sys/net/ipv4/conf/$1/$2"; }
sysctls() { # all/lo arp_ignore, all/lo arp_announce
	echo "$(sc all arp_ignore) $(sc lo arp_ignore) $(sc all arp_announce) $(sc lo arp_announce)"
}
sysctls_are() { [ "$(sysctls)" = "$*" ]; }
lo_addrs() { ip -n "$NS" -o addr show dev lo | awk '{ print $4, $(NF - 2) }' | sort; }
on_lo() { [[ $(ip -n "$NS" -o addr show dev lo) == *" $1 "* ]]; }
label_of() { # the label is the word after "scope SCOPE"
	ip -n "$NS" -o -4 addr show dev lo to "$1" |
		awk '{ for (i = 1; i < NF - 1; i++) if ($i == "scope") print $(i + 2) }' |
		sed 's/\\$//'
}
out_has() { grep -q -- "$1" "$OUT"; }
err_has() { grep -q -- "$1" "$ERR"; }
state_has() { grep -qx -- "$1" "$STATE"; }

# Originals that differ from what the tool sets, and a VIP already in place.
sc_set all arp_ignore 0
sc_set lo arp_ignore 0
sc_set all arp_announce 1
sc_set lo arp_announce 0
ip -n "$NS" addr add 192.0.2.2/32 dev lo
ORIG_SYSCTLS=$(sysctls)
ORIG_ADDRS=$(lo_addrs)

# ---- start --------------------------------------------------------------------

rs start 192.0.2.1 192.0.2.2 2001:DB8:0::1
check "start: exit 0" [ "$RC" = 0 ]
check "start: 192.0.2.1/32 on lo" on_lo 192.0.2.1/32
check "start: IPv4 VIP labelled lo:ka" eval '[ "$(label_of 192.0.2.1/32)" = lo:ka ]'
check "start: 2001:db8::1/128 on lo (given as 2001:DB8:0::1)" on_lo 2001:db8::1/128
check "start: arp_ignore 1 (all, lo), arp_announce 2 (all, lo)" sysctls_are 1 1 2 2
check "state: 192.0.2.1 added, 192.0.2.2 was present, 2001:db8::1 added" \
	eval 'state_has "vip 192.0.2.1 added" && state_has "vip 192.0.2.2 present" &&
		state_has "vip 2001:db8::1 added"'
check "state: each sysctl with its old value" \
	eval 'state_has "sysctl net.ipv4.conf.all.arp_ignore 0 1" &&
		state_has "sysctl net.ipv4.conf.all.arp_announce 1 2" &&
		state_has "sysctl net.ipv4.conf.lo.arp_announce 0 2"'
check "start: 192.0.2.2 (already there) not reported as added" \
	eval '! out_has "added 192.0.2.2"'

cp "$STATE" "$TMP/state.1"
addrs1=$(lo_addrs)
rs start 192.0.2.1 192.0.2.2 2001:db8::1
check "start again: exit 0" [ "$RC" = 0 ]
check "start again: same state file" cmp -s "$STATE" "$TMP/state.1"
check "start again: same addresses, no duplicate" eval '[ "$(lo_addrs)" = "$addrs1" ]'
check "start again: same sysctls" sysctls_are 1 1 2 2
check "start again: nothing reported as changed" eval '[ ! -s "$OUT" ]'

# ---- status -------------------------------------------------------------------

rs status
check "status: exit 0 when complete" [ "$RC" = 0 ]
check "status: lists the VIPs and who added them" \
	eval 'out_has "192.0.2.1/32 on lo: present (added by" &&
		out_has "192.0.2.2/32 on lo: present (was there before" &&
		out_has "2001:db8::1/128 on lo: present"'
check "status: shows the sysctls and their old values" \
	eval 'out_has "net.ipv4.conf.all.arp_announce = 2 (ok, was 1 before start)"'

ip -n "$NS" addr del 192.0.2.1/32 dev lo
rs status
check "status: exit 3 when a VIP is missing" [ "$RC" = 3 ]
check "status: names the missing VIP" out_has "192.0.2.1/32 on lo: MISSING"
rs status 2001:db8::1
check "status VIP: only that VIP (IPv6: no sysctls) -> exit 0" \
	eval '[ "$RC" = 0 ] && ! out_has arp_ignore'
rs start 192.0.2.1
check "start repairs a removed VIP" eval '[ "$RC" = 0 ] && on_lo 192.0.2.1/32'
check "start after repair: state unchanged" cmp -s "$STATE" "$TMP/state.1"
sc_set lo arp_ignore 0
rs status
check "status: exit 3 when a sysctl is wrong" \
	eval '[ "$RC" = 3 ] && out_has "net.ipv4.conf.lo.arp_ignore = 0 (WRONG"'
rs start 192.0.2.1
check "start puts the sysctl back, keeping the recorded original" \
	eval 'sysctls_are 1 1 2 2 && cmp -s "$STATE" "$TMP/state.1"'

# ---- stop ---------------------------------------------------------------------

rs stop 2001:db8::1
check "stop VIP: exit 0, IPv6 VIP removed" eval '[ "$RC" = 0 ] && ! on_lo 2001:db8::1/128'
check "stop VIP: IPv4 VIPs stay, sysctls unchanged while IPv4 VIPs remain" \
	eval 'on_lo 192.0.2.1/32 && on_lo 192.0.2.2/32 && sysctls_are 1 1 2 2'
rs stop
check "stop: exit 0" [ "$RC" = 0 ]
check "stop: the VIP it added is gone" eval '! on_lo 192.0.2.1/32'
check "stop: the VIP that was there before stays" on_lo 192.0.2.2/32
check "stop: addresses exactly as before start" eval '[ "$(lo_addrs)" = "$ORIG_ADDRS" ]'
check "stop: sysctls back to their original values ($ORIG_SYSCTLS)" \
	sysctls_are "$ORIG_SYSCTLS"
check "stop: state file removed" [ ! -e "$STATE" ]
rs status
check "status after stop: exit 3" [ "$RC" = 3 ]
rs stop
check "stop with nothing set up: exit 0, nothing touched" \
	eval '[ "$RC" = 0 ] && [ "$(lo_addrs)" = "$ORIG_ADDRS" ] && sysctls_are "$ORIG_SYSCTLS"'

# ---- values that already do the job, values changed behind its back -------------

sc_set all arp_ignore 2
rs start 192.0.2.1
check "arp_ignore=2 already (stricter): left alone and not recorded" \
	eval '[ "$(sc all arp_ignore)" = 2 ] && ! grep -q "all.arp_ignore" "$STATE"'
sc_set all arp_announce 0
rs stop
check "stop: arp_announce changed since start is left alone, with a warning" \
	eval '[ "$(sc all arp_announce)" = 0 ] && err_has "all.arp_announce is 0"'
check "stop: the untouched arp_ignore=2 stays" eval '[ "$(sc all arp_ignore)" = 2 ]'
check "stop: the others restored" \
	eval '[ "$(sc lo arp_ignore)" = 0 ] && [ "$(sc lo arp_announce)" = 0 ]'
sc_set all arp_ignore 0
sc_set all arp_announce 1

# ---- options --------------------------------------------------------------------

RC=0
ip netns exec "$NS" env KA_RS_SETUP_STATE="$TMP/env.state" sh "$RS" -l lo:web start 192.0.2.7 \
	>"$OUT" 2>"$ERR" || RC=$?
check "KA_RS_SETUP_STATE and -l: state there, label lo:web" \
	eval '[ "$RC" = 0 ] && grep -q "vip 192.0.2.7 added" "$TMP/env.state" &&
		[ "$(label_of 192.0.2.7/32)" = lo:web ]'
ip netns exec "$NS" env KA_RS_SETUP_STATE="$TMP/env.state" sh "$RS" stop >/dev/null 2>&1
check "... and stop with the same state file undoes it" \
	eval '! on_lo 192.0.2.7/32 && sysctls_are "$ORIG_SYSCTLS" && [ ! -e "$TMP/env.state" ]'

# ---- bad input --------------------------------------------------------------------

for bad in not-an-ip 300.1.1.1 192.0.2.1/24 192.0.2 2001:db8::1::2 2001:db8::1/64 \
	127.0.0.1 224.0.0.5 ff02::1 ::; do
	rs start 192.0.2.9 "$bad"
	if [ "$RC" = 2 ] && err_has "$bad: not an IPv4 or IPv6 unicast address"; then
		ok "start 192.0.2.9 $bad: exit 2, names the bad argument"
	else
		not_ok "start 192.0.2.9 $bad: exit 2, names the bad argument (got $RC)"
	fi
done
check "bad input: nothing changed (no address, sysctls, state file)" \
	eval '! on_lo 192.0.2.9/32 && sysctls_are "$ORIG_SYSCTLS" && [ ! -e "$STATE" ]'
rs start
check "start without VIP: exit 2 with usage" eval '[ "$RC" = 2 ] && err_has usage'
rs frobnicate
check "unknown command: exit 2" eval '[ "$RC" = 2 ] && err_has "unknown command"'
rs -l eth0:x start 192.0.2.9
check "label not on lo: exit 2" eval '[ "$RC" = 2 ] && ! on_lo 192.0.2.9/32'
rs status not-an-ip
check "status with a bad VIP: exit 2" [ "$RC" = 2 ]

echo "1..$COUNT"
if [ "$FAILED" -ne 0 ]; then
	echo "# $FAILED of $COUNT checks failed"
	exit 1
fi
