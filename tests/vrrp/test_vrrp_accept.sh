#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_accept.sh - RFC 5798 Accept_Mode: no_accept / vrrp_strict drops traffic to a
# master's VIPs through nftables, accept and the address owner answer; failover, reload
# of the table settings, SIGTERM and kill -9 of the VRRP child
#
# d1 (priority 150) and d2 (100), global vrrp_strict:
#   VI_N  VRID 61, VRRPv2, VIP 10.77.0.200        no_accept (strict default); its
#         preempt_delay is ignored (strict)
#   VI_A  VRID 62, VRRPv3, VIP 10.77.0.210        accept written
#   VI_6  VRID 63, IPv6, VIPs fe80::77:63, fd77::200  no_accept; d2 has dont_track_primary
#         (link-local addresses then keyed by interface name)
#   VI_O  VRID 64, VIP 10.77.0.220                d1 is the owner (priority 255): accepts;
#                                                 d2 (100) does not
# Needs root, iproute2 and nft (skips without nft).
# shellcheck disable=SC1091,SC2317,SC2016,SC2034 # check / wait_for evaluate later
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

command -v nft >/dev/null || skip "needs nft (package nftables)"

CRAFT_PY=${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/craft.py
# craft ARGS...: a hand-made advert from the client's namespace
craft() { ip netns exec "$(ns_of c)" /usr/bin/python3 "$CRAFT_PY" "$@"; }

VN=10.77.0.200
VA=10.77.0.210
VO=10.77.0.220
VX=10.77.0.201
V6=fd77::200
LL=fe80::77:63

conf() { # conf NODE PRIORITY [extra global_defs lines [extra VI_N lines]]
	local owner=$2 dtp=""
	[ "$1" = d1 ] && owner=255
	[ "$1" = d2 ] && dtp=dont_track_primary
	write_conf "$1" <<EOF
global_defs {
	vrrp_strict
	${3:-}
}
vrrp_instance VI_N {
	interface eth0
	virtual_router_id 61
	priority $2
	advert_int 1
	preempt_delay 30
	virtual_ipaddress {
		$VN/24
	}
	${4:-}
}
vrrp_instance VI_A {
	interface eth0
	virtual_router_id 62
	version 3
	priority $2
	advert_int 1
	accept
	virtual_ipaddress {
		$VA/24
	}
}
vrrp_instance VI_6 {
	interface eth0
	$dtp
	virtual_router_id 63
	priority $2
	advert_int 1
	virtual_ipaddress {
		$LL/64
		$V6/64
	}
}
vrrp_instance VI_O {
	interface eth0
	virtual_router_id 64
	priority $owner
	advert_int 1
	virtual_ipaddress {
		$VO/24
	}
}
EOF
}

# ---- observations -------------------------------------------------------------

# echo_ok NODE ADDR: ADDR answers an ICMP (ICMPv6) echo from NODE's eth0 within a second
echo_ok() {
	ip netns exec "$(ns_of "$1")" /usr/bin/python3 - "$2" <<'PY'
import os, select, socket, struct, sys, time
addr = sys.argv[1]
v6 = ":" in addr
ident = os.getpid() & 0xffff
if v6:
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    dst = (addr, 0, 0, socket.if_nametoindex("eth0") if addr.startswith("fe80") else 0)
    pkt = struct.pack("!BBHHH", 128, 0, 0, ident, 1) + b"accept"  # kernel sums ICMPv6
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    dst = (addr, 0)
    body = struct.pack("!BBHHH", 8, 0, 0, ident, 1) + b"accept"
    c = sum(struct.unpack("!%dH" % (len(body) // 2), body))
    c = (c & 0xffff) + (c >> 16)
    c = ~((c & 0xffff) + (c >> 16)) & 0xffff
    pkt = body[:2] + struct.pack("!H", c) + body[4:]
s.sendto(pkt, dst)
end = time.time() + 1
while time.time() < end:
    if not select.select([s], [], [], max(0, end - time.time()))[0]:
        break
    data, src = s.recvfrom(2048)
    icmp = data if v6 else data[(data[0] & 15) * 4:]
    want = 129 if v6 else 0
    if len(icmp) >= 8 and icmp[0] == want and struct.unpack("!H", icmp[4:6])[0] == ident:
        sys.exit(0)
sys.exit(1)
PY
}

# dropped NODE ADDR: neither TCP nor an echo gets an answer
dropped() { ! reach "$1" "$2" && ! echo_ok "$1" "$2"; }
# answers NODE ADDR: TCP (reset) and echo both answered
answers() { reach "$1" "$2" && echo_ok "$1" "$2"; }

nft_in() { ip netns exec "$(ns_of "$1")" nft "${@:2}" 2>/dev/null; }

# elems NODE FAMILY TABLE SET: the set's elements, sorted, space separated
# ("fe80::1.eth0" for an address and interface)
elems() {
	nft_in "$1" -j list set "$2" "$3" "$4" | /usr/bin/python3 -c '
import json, sys
out = []
for o in json.load(sys.stdin)["nftables"]:
    for e in o.get("set", {}).get("elem", []):
        out.append(".".join(e["concat"]) if isinstance(e, dict) else str(e))
print(" ".join(sorted(out)))'
}
elems_are() { [ "$(elems "$1" "$2" "$3" "$4")" = "$5" ]; }
# no_table NODE TABLE: neither family has the table
# nft_has NODE REGEX NFT-ARGS...: the output of nft NFT-ARGS matches REGEX (read whole
# first: grep -q closing a pipe early would fail the pipeline under pipefail)
nft_has() { local out; out=$(nft_in "$1" "${@:3}"); grep -Eq -- "$2" <<<"$out"; }
no_table() { ! nft_has "$1" "^table ip6? $2 " list ruleset; }
# ruleset NODE: the whole ruleset, for comparisons
ruleset() { nft_in "$1" list ruleset; }

topo_create 2
conf d1 150
conf d2 100
ka_start d1
ka_start d2

# ---- d1 master ----------------------------------------------------------------------
check "d1 becomes MASTER of all four instances" \
	wait_for 10000 eval "only_on $VN d1 d2 && only_on $VA d1 d2 && only_on $V6 d1 d2 &&
		only_on $VO d1 d2"
check "d1's drop set holds the no_accept VIP, not the owner's nor accept's" \
	wait_for 2000 elems_are d1 ip keepalived vips "$VN"
check "d1's IPv6 set holds the global VIP" elems_are d1 ip6 keepalived vips "$V6"
check "d1's link-local set holds the link-local VIP with its interface" \
	elems_are d1 ip6 keepalived vips_link_local "$LL.eth0"
check "the chains hook input and output at priority -1 (filter - 1)" \
	nft_has d1 "hook input priority filter - 1" list chain ip keepalived in
check "neighbour solicitations and adverts pass" \
	nft_has d1 "icmpv6 type @neighbor-discovery accept" list chain ip6 keepalived in
check "d2 (BACKUP everywhere) has no table" no_table d2 keepalived
check "d1's real address answers" answers c "$(ip4_of d1)"
check "the no_accept VIP is dropped (TCP and echo)" dropped c $VN
check "but the client resolved it to d1's MAC (ARP passes)" neigh_is c $VN "$(mac_of d1)"
check "the accept VIP answers" answers c $VA
check "the owner's VIP answers (priority 255 always accepts)" answers c $VO
check "d1's real IPv6 address answers" answers c "$(ip6_of d1)"
check "the IPv6 no_accept VIP is dropped" dropped c $V6
check "neighbour discovery of the IPv6 VIP works (d1's MAC)" neigh_is c $V6 "$(mac_of d1)"
check "the link-local VIP is dropped too" eval '! echo_ok c $LL'
check "d1 logged the drops" log_has d1 "(VI_N) no_accept: dropping traffic to 1 address"
# strict: a master answers a lower priority advert with no gratuitous ARP
garps=$(log_count d1 "(VI_N) Sending gratuitous")
craft --vrid 61 --prio 50 --addr $VN --src "$NET4.100" >/dev/null 2>&1
check "d1 got the lower priority advert" \
	eval 'json_dump d1 && json_is d1 VI_N "s[\"advert_rcvd\"] > 0" True'
check "and sent no gratuitous ARP for it (strict)" holds 1000 eval \
	'[ "$(log_count d1 "(VI_N) Sending gratuitous")" = "$garps" ]'
check_not "no nftables error on d1" log_has d1 "nftables: .*(table "
RULES1=$(ruleset d1)
check "one table per family" eval '[ "$(grep -c "^table" <<<"$RULES1")" = 2 ]'

# ---- failover to d2 ---------------------------------------------------------------------
ka_stop d1
check "after SIGTERM d2 is MASTER" wait_for 6000 eval "only_on $VN d2 d1 && only_on $VO d2 d1"
check "d1's tables are gone" no_table d1 keepalived
check "d1 left no VIP" eval "none_of d1 $VN $VA $VO $V6"
check "d2 drops VI_N's and (non-owner) VI_O's VIPs" \
	wait_for 2000 elems_are d2 ip keepalived vips "$VN $VO"
check "d2 keys its link-local VIP by name (dont_track_primary)" \
	elems_are d2 ip6 keepalived vips_link_local_name "$LL.eth0"
check "the no_accept VIP is dropped on the new master" dropped c $VN
check "and resolves to d2's MAC" wait_for 3000 neigh_is c $VN "$(mac_of d2)"
check "the accept VIP answers from d2" answers c $VA
check "VI_O's VIP is dropped on d2 (priority 100)" dropped c $VO
check "the IPv6 VIP is dropped on d2" dropped c $V6

# ---- reload: another table name, priority and counters, one more address -----------------------
conf d2 100 "nftables kv_tab
	nftables_priority 5
	nftables_counters" "virtual_ipaddress_excluded {
		$VX/24
	}"
ka_signal d2 HUP
check "after the reload the table is kv_tab, with the new eVIP" \
	wait_for 3000 elems_are d2 ip kv_tab vips "$VN $VX $VO"
check "the new eVIP is on d2 and dropped" eval "wait_for 2000 has_addr d2 $VX && dropped c $VX"
check "the old table is gone" no_table d2 keepalived
check "kv_tab keeps the IPv6 VIPs" eval 'elems_are d2 ip6 kv_tab vips "$V6" &&
	elems_are d2 ip6 kv_tab vips_link_local_name "$LL.eth0"'
check "priority 5 and counters" eval 'nft_has d2 "priority filter \+ 5" list chain ip kv_tab in &&
	nft_has d2 "counter packets" list chain ip kv_tab in'
check "still MASTER, the VIP still dropped" eval "has_addr d2 $VN && dropped c $VN"
check "the drop counter counted the client's packets" \
	eval '[[ $(nft_in d2 list chain ip kv_tab in) =~ counter\ packets\ [1-9] ]]'

# ---- d1 back: d2 becomes BACKUP, its sets empty --------------------------------------------
ka_start d1
check "d1 preempts at once (strict ignores preempt_delay 30)" wait_for 10000 only_on $VN d1 d2
check "d2 removed the eVIP" no_addr d2 $VX
check "d2's sets are empty while BACKUP" \
	wait_for 2000 eval 'elems_are d2 ip kv_tab vips "" && elems_are d2 ip6 kv_tab vips ""'
check "d1 drops again" wait_for 2000 elems_are d1 ip keepalived vips "$VN"
check "the client is back on d1, VIP dropped" \
	eval 'wait_for 3000 neigh_is c $VN "$(mac_of d1)" && dropped c $VN && answers c $VO'

# ---- kill -9 of d1's VRRP child: the respawned one starts clean -------------------------------
old=$(vrrp_pid_of d1)
kill -KILL "$old"
check "the parent respawns the VRRP child" \
	wait_for 6000 eval '[ "$(vrrp_pid_of d1)" != "$old" ] && alive "$(vrrp_pid_of d1)"'
check "the new child deleted the killed one's drops before anything else" \
	wait_for 2000 eval '! nft_has d1 "$VN" list ruleset'
check "d1 becomes MASTER again" wait_for 10000 eval "state_is d1 VI_N MASTER && has_addr d1 $VN"
check "exactly one table per family, the same as before the kill" \
	wait_for 2000 eval '[ "$(ruleset d1)" = "$RULES1" ]'
check "the VIP is dropped, the owner's answers" eval "dropped c $VN && answers c $VO"

# ---- the ruleset flushed by hand on the backup: its next change rebuilds the table -----------
nft_in d2 flush ruleset
check "d2's table is gone (flushed by hand)" no_table d2 kv_tab
ka_stop d1
check "d1's table is gone after SIGTERM" no_table d1 keepalived
check "d2 takes over" wait_for 6000 only_on $VN d2 d1
check "d2 logged the kernel's refusal" \
	wait_for 2000 log_has d2 "nftables: add set elements (table kv_tab): No such file"
check "and rebuilt its table at once" log_has d2 "nftables: table kv_tab rebuilt"
check "d2 drops its VIPs again" wait_for 5000 eval 'elems_are d2 ip kv_tab vips "$VN $VX $VO" &&
	elems_are d2 ip6 kv_tab vips "$V6" && dropped c $VN && dropped c $V6'

# ---- stop: nothing left -------------------------------------------------------------------
ka_stop d2
check "d2's kv_tab is gone after SIGTERM" no_table d2 kv_tab
check "no ruleset left anywhere" eval '[ -z "$(ruleset d1)$(ruleset d2)" ]'

finish
