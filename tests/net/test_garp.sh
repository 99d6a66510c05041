#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_garp.sh - gratuitous ARP and unsolicited NA on the wire and in the neighbour table
#
# Two network namespaces (kagarp-PID-s, kagarp-PID-r) joined by a veth pair.
# tests/net/garp_send announces addresses from the "s" side through the VRRP
# announcer; the "r" side captures with tcpdump and its neighbour table must
# learn or update the MAC. Needs root, iproute2 and tcpdump; exits 77
# (skipped) without them. Prints "ok - ..." / "not ok - ..." per check and
# exits 1 if any check failed.
# shellcheck disable=SC2317 # functions run through check() and trap
set -euo pipefail

SEND=${top_builddir:-.}/tests/net/garp_send
NS_S="kagarp-$$-s"
NS_R="kagarp-$$-r"
TMP=
STARTED=() # pids this script started
FAILED=0
COUNT=0

MAC_S=02:6b:61:00:00:01
MAC_R=02:6b:61:00:00:02
MAC_OLD=02:6b:61:00:00:99
MAC_VMAC=00:00:5e:00:01:33
VIP4=10.213.0.100
VIP4_NEW=10.213.0.101
VIP6=fd00:213::100
VIP6_NEW=fd00:213::101

skip() {
	echo "# SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "needs iproute2"
TCPDUMP=$(command -v tcpdump) || skip "needs tcpdump"
[ -x "$SEND" ] || { echo "not ok - $SEND not built"; exit 1; }

cleanup() {
	set +e
	local p
	for p in "${STARTED[@]}"; do
		kill -0 "$p" 2>/dev/null && kill "$p" && wait "$p" 2>/dev/null
	done
	ip netns del "$NS_S" 2>/dev/null
	ip netns del "$NS_R" 2>/dev/null
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

in_s() { ip netns exec "$NS_S" "$@"; }
in_r() { ip netns exec "$NS_R" "$@"; }

TMP=$(mktemp -d /tmp/kagarp.XXXXXX)

# ---- topology: s:veth0 <-> r:veth1, no DAD so the link is quiet at once ----
ip netns add "$NS_S"
ip netns add "$NS_R"
for ns in "$NS_S" "$NS_R"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.router_solicitations=0
	ip -n "$ns" link set lo up
done
ip -n "$NS_S" link add veth0 address "$MAC_S" type veth \
	peer name veth1 address "$MAC_R" netns "$NS_R"
ip -n "$NS_S" addr add 10.213.0.1/24 dev veth0
ip -n "$NS_S" addr add "$VIP4/24" dev veth0
ip -n "$NS_S" addr add fd00:213::1/64 dev veth0 nodad
ip -n "$NS_S" addr add "$VIP6/64" dev veth0 nodad
ip -n "$NS_R" addr add 10.213.0.2/24 dev veth1
ip -n "$NS_R" addr add fd00:213::2/64 dev veth1 nodad
ip -n "$NS_S" link set veth0 up
ip -n "$NS_R" link set veth1 up
# IPv6 drops multicast until addrconf has seen the carrier (linkwatch may
# take up to a second) and added the ff00::/8 route: wait for it.
link_ready() {
	[ -n "$(ip -n "$NS_S" -6 route show table local type multicast dev veth0)" ] &&
		[ -n "$(ip -n "$NS_R" -6 route show table local type multicast dev veth1)" ]
}
for _ in $(seq 50); do
	link_ready && break
	sleep 0.1
done
check "veth pair is up for IPv6" link_ready
in_s sysctl -qw net.ipv6.conf.veth0.forwarding=0
# r knows the VIPs at an old MAC (the previous master), and only updates
# existing entries: arp_accept and accept_untracked_na are off for now.
in_r sysctl -qw net.ipv4.conf.all.arp_accept=0 net.ipv4.conf.veth1.arp_accept=0
ip -n "$NS_R" neigh replace "$VIP4" lladdr "$MAC_OLD" dev veth1 nud stale
ip -n "$NS_R" neigh replace "$VIP6" lladdr "$MAC_OLD" dev veth1 nud stale

# capture COUNT PCAP FILTER: start tcpdump on r and wait until it listens
CAP_PID=
capture() {
	local count=$1 out=$2 filter=$3
	ip netns exec "$NS_R" timeout 10 "$TCPDUMP" -i veth1 -n -e -U -c "$count" \
		-w "$out" "$filter" 2>"$out.log" &
	CAP_PID=$!
	STARTED+=("$CAP_PID")
	for _ in $(seq 50); do
		grep -q "listening on" "$out.log" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "# tcpdump did not start: $(cat "$out.log")"
	return 1
}

# wait for the capture; 0 if tcpdump saw all packets before its timeout.
# tcpdump sees a frame just before the stack does: give r a moment.
capture_done() {
	wait "$CAP_PID" || return 1
	sleep 0.2
}

# GARP frame expected on the wire: SRC_MAC IP_HEX
garp_hex() {
	local mac=${1//:/}
	echo "ffffffffffff${mac}08060001080006040001${mac}${2}ffffffffffff${2}"
}

# NA frame expected on the wire, as a pattern with the checksum left open
# (tcpdump checks it): ETH_SRC OPTION_MAC VIP_HEX FLAGS_HEX
na_pattern() {
	local src=${1//:/} opt=${2//:/}
	echo "333300000001${src}86dd6000000000203aff${3}ff020000000000000000000000000001"`
		`"8800????${4}000000${3}0201${opt}"
}

# hex bytes of packet N (1-based) of a capture, no spaces
frame_hex() {
	"$TCPDUMP" -r "$1" -n -xx 2>/dev/null | awk -v n="$2" '
		/^[0-9]/ { pkt++; next }
		pkt == n { for (i = 2; i <= NF; i++) printf "%s", $i }'
}

# tcpdump -vv text of an NA from VIP for VIP: VIP FLAGS
na_text() {
	echo "$1 > ff02::1: \[icmp6 sum ok\] ICMP6, neighbor advertisement, length 32," \
		"tgt is $1, Flags \[$2\]"
}
NA_HDR_TEXT="$MAC_S > 33:33:00:00:00:01, ethertype IPv6 (0x86dd), length 86: "
NA_HDR_TEXT+="(hlim 255, next-header ICMPv6 (58) payload length: 32) "

# decoded text of a capture
decoded() {
	"$TCPDUMP" -r "$1" -n -e -vv 2>/dev/null
}

neigh_mac_is() { # neigh_mac_is ADDR MAC [FLAG]
	local line
	line=$(ip -n "$NS_R" neigh show "$1" dev veth1)
	echo "# r: $line"
	[[ " $line " == *" lladdr $2 "* ]] || return 1
	[ -z "${3:-}" ] || [[ " $line " == *" $3 "* ]]
}

matches() { # matches STRING GLOB
	# shellcheck disable=SC2053 # a pattern on purpose
	[[ $1 == $2 ]] || { echo "# got  $1"; echo "# want $2"; return 1; }
}

no_neigh() {
	[ -z "$(ip -n "$NS_R" neigh show "$1" dev veth1)" ]
}

# ---- 1. one GARP and two NAs (one for an address s does not own) ----
# r itself sends neither: ARP requests with sender = target IP, NAs from these
GARP_FILTER="(arp and arp[6:2] = 1 and arp[14:4] = arp[24:4]) or "
GARP_FILTER+="(icmp6 and ip6[40] = 136 and (src $VIP6 or src $VIP6_NEW))"
capture 3 "$TMP/a.pcap" "$GARP_FILTER"
check "garp_send sends GARP and NAs" in_s "$SEND" veth0 "$VIP4" "$VIP6" "$VIP6_NEW"
check "all three frames arrive" capture_done
decoded "$TMP/a.pcap" | sed 's/^/# /'

# whole GARP frame, byte for byte: broadcast, ARP request, sender = target = VIP
VIP4_HEX=0ad50064 # 10.213.0.100
check "GARP frame is exact" [ "$(frame_hex "$TMP/a.pcap" 1)" = "$(garp_hex $MAC_S $VIP4_HEX)" ]
check "NA: to 33:33:00:00:00:01 from the VIP, hop limit 255, checksum ok, override only" \
	grep -q "$NA_HDR_TEXT$(na_text "$VIP6" override)" <(decoded "$TMP/a.pcap")
VIP6_HEX=fd000213000000000000000000000100 # fd00:213::100
check "NA frame is exact (traffic class and flow label 0)" \
	matches "$(frame_hex "$TMP/a.pcap" 2)" "$(na_pattern $MAC_S $MAC_S $VIP6_HEX 20)"
check "NA carries the target link-layer option" \
	grep -q "destination link-address option (2), length 8 (1): $MAC_S" <(decoded "$TMP/a.pcap")
check "NA for an address not (yet) usable as source still goes out from it" \
	grep -q "$(na_text "$VIP6_NEW" override)" <(decoded "$TMP/a.pcap")

# ---- 2. existing neighbour entries move to the new MAC ----
check "r's ARP entry for $VIP4 now points at s" neigh_mac_is "$VIP4" "$MAC_S"
check "r's ND entry for $VIP6 now points at s" neigh_mac_is "$VIP6" "$MAC_S"
check "unknown addresses are not learnt (accept_untracked_na=0)" no_neigh "$VIP6_NEW"

# ---- 3. with arp_accept / accept_untracked_na, new entries are learnt ----
in_r sysctl -qw net.ipv4.conf.all.arp_accept=1 net.ipv4.conf.veth1.arp_accept=1
check "GARP for a new address" in_s "$SEND" veth0 "$VIP4_NEW"
if [ -e "/proc/sys/net/ipv6/conf/all/accept_untracked_na" ]; then
	# RFC 9131: only a router creates entries from unsolicited NAs
	in_r sysctl -qw net.ipv6.conf.veth1.accept_untracked_na=1 \
		net.ipv6.conf.veth1.forwarding=1
	check "NA for a new address" in_s "$SEND" veth0 "$VIP6_NEW"
	sleep 0.3
	check "r learnt $VIP6_NEW (accept_untracked_na=1)" neigh_mac_is "$VIP6_NEW" "$MAC_S"
	in_r sysctl -qw net.ipv6.conf.veth1.forwarding=0
else
	echo "# accept_untracked_na not in this kernel: IPv6 learning not checked"
fi
sleep 0.2
check "r learnt $VIP4_NEW (arp_accept=1)" neigh_mac_is "$VIP4_NEW" "$MAC_S"

# ---- 4. a forwarding interface sets the router flag ----
in_s sysctl -qw net.ipv6.conf.veth0.forwarding=1
capture 1 "$TMP/b.pcap" "ether src $MAC_S and icmp6 and ip6[40] = 136 and src $VIP6"
check "NA sent from a forwarding interface" in_s "$SEND" veth0 "$VIP6"
check "it arrives" capture_done
decoded "$TMP/b.pcap" | sed 's/^/# /'
check "NA has router and override flags" \
	grep -q "$(na_text "$VIP6" "router, override")" <(decoded "$TMP/b.pcap")
check "r marks $VIP6 as a router" neigh_mac_is "$VIP6" "$MAC_S" router
in_s sysctl -qw net.ipv6.conf.veth0.forwarding=0

# ---- 5. a replaced MAC (VMAC) is what goes out and what r learns ----
capture 2 "$TMP/c.pcap" "$GARP_FILTER"
check "GARP and NA with MAC $MAC_VMAC" in_s "$SEND" -m "$MAC_VMAC" veth0 "$VIP4" "$VIP6"
check "both arrive" capture_done
decoded "$TMP/c.pcap" | sed 's/^/# /'
check "GARP comes from the VMAC (Ethernet and ARP sender)" \
	[ "$(frame_hex "$TMP/c.pcap" 1)" = "$(garp_hex $MAC_VMAC $VIP4_HEX)" ]
check "NA link-layer option is the VMAC" \
	grep -q "destination link-address option (2), length 8 (1): $MAC_VMAC" \
	<(decoded "$TMP/c.pcap")
check "r's ARP entry follows the VMAC" neigh_mac_is "$VIP4" "$MAC_VMAC"
check "r's ND entry follows the VMAC" neigh_mac_is "$VIP6" "$MAC_VMAC"

echo "1..$COUNT"
exit "$FAILED"
