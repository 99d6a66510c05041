#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_interop.sh - mixed pairs with the reference keepalived (KA_REF, default
# /usr/sbin/keepalived): election, failover both ways (kill -9 and SIGTERM of either
# implementation) and preemption back, with exactly one master at all times
#
# Two rounds: ours on d1 and the reference on d2, then the reverse. Each daemon runs
# one instance of every kind in each direction of priority, so that every round has
# ours as MASTER and as BACKUP of every kind:
#   X2  VRRPv2, PASS authentication, multicast
#   X3  VRRPv3, multicast
#   XU  VRRPv3, unicast_peer
#   XW  VRRPv2, PASS authentication, unicast_peer
#   X6  VRRPv3 over IPv6, multicast
#   XH  VRRPv2, AH authentication, multicast (keepalived ignores AH adverts whose
#       sequence number is not above a counter of the numbers it has seen and sent,
#       so a restarted daemon must start above them: any delay shows as both
#       holding the VIP after a restart)
#   XV  VRRPv3 over IPv6, unicast_peer (keepalived sends these with hop limit 64)
# (X = A: d1 has priority 150, d2 100; X = B: the reverse). All at advert_int 1.
#
# A sampler reads the addresses of both directors every ~50 ms for the whole round.
# For each VIP, the time both hold it must stay under one advert interval, and the
# time neither holds it under the master-down interval (3 x 1 s + skew for priority
# 100) plus a margin after a kill -9, and under the skew plus the margin otherwise
# (a stopping master sends priority 0, a preempting one takes over). A daemon
# killed with -9 leaves its VIPs behind, as a crashed router would keep them: its
# node is left out of the sampling until the leftovers are removed and it restarts.
# Needs root, iproute2 and the reference keepalived.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

[ -x "$KA_REF" ] || skip "no reference keepalived at $KA_REF"
[[ $("$KA_REF" --version 2>&1) == "Keepalived v2."* ]] || skip "$KA_REF is not keepalived 2.x"

KINDS=(2 3 U W 6 H V)
# index -> name, VRID, VIP; the A half first
NAMES=()
VRIDS=()
VIPS=()
for half in A B; do
	for k in "${!KINDS[@]}"; do
		n=$((k + 1))
		[ "$half" = B ] && n=$((n + 10))
		NAMES+=("$half${KINDS[$k]}")
		VRIDS+=($((70 + n)))
		case ${KINDS[$k]} in
		6 | V) VIPS+=("fd77::$((200 + n))") ;;
		*) VIPS+=("10.77.0.$((200 + n))") ;;
		esac
	done
done
ADV_MS=1000
# what keepalived logs about adverts it does not like
REF_COMPLAINTS="invalid|bogus|mismatch|checksum|wrong|error"
# both may hold a VIP for at most one advert interval; none for at most the
# master-down interval of the priority 100 backup plus a margin; after a SIGTERM
# (priority 0 advert) the skew time plus the margin
BOTH_MAX_MS=$ADV_MS
SKEW_MS=$(((256 - 100) * ADV_MS / 256))
NONE_MAX_MS=$((3 * ADV_MS + SKEW_MS + 700))
TERM_NONE_MAX_MS=$((SKEW_MS + 700))

# instance NODE INDEX PEER_OF_NODE: one instance block as NODE sees it
instance() {
	local node=$1 i=$2 peer=$3 name=${NAMES[$2]} prio=100 hi
	hi=$([ "${name:0:1}" = A ] && echo d1 || echo d2)
	[ "$node" = "$hi" ] && prio=150
	echo "vrrp_instance VI_$name {"
	echo "	state BACKUP"
	echo "	interface eth0"
	echo "	virtual_router_id ${VRIDS[$i]}"
	echo "	priority $prio"
	echo "	advert_int 1"
	case ${name:1} in
	2 | W | H)
		echo "	version 2"
		echo "	authentication {"
		echo "		auth_type $([ "${name:1}" = H ] && echo AH || echo PASS)"
		echo "		auth_pass s3cr${name:1}t"
		echo "	}"
		;;
	*) echo "	version 3" ;;
	esac
	case ${name:1} in
	U | W)
		echo "	unicast_src_ip $(ip4_of "$node")"
		echo "	unicast_peer {"
		echo "		$(ip4_of "$peer")"
		echo "	}"
		;;
	V)
		echo "	unicast_src_ip $(ip6_of "$node")"
		echo "	unicast_peer {"
		echo "		$(ip6_of "$peer")"
		echo "	}"
		;;
	esac
	echo "	virtual_ipaddress {"
	case ${name:1} in
	6 | V) echo "		${VIPS[$i]}/64" ;;
	*) echo "		${VIPS[$i]}/24" ;;
	esac
	echo "	}"
	echo "}"
}

all_instances() { # all_instances NODE PEER
	local i
	for i in "${!NAMES[@]}"; do
		instance "$1" "$i" "$2"
	done
}

# shellcheck disable=SC2034 # read through impl_of
IMPL_d1=
# shellcheck disable=SC2034
IMPL_d2=
impl_of() { local v="IMPL_$1"; echo "${!v}"; }

# start NODE: whichever implementation NODE runs this round
start() {
	if [ "$(impl_of "$1")" = ours ]; then
		ka_start "$1"
	else
		ref_start "$1"
	fi
}

# the A VIPs on d1 only and the B VIPs on d2 only
converged() {
	local i
	for i in "${!NAMES[@]}"; do
		if [ "${NAMES[$i]:0:1}" = A ]; then
			only_on "${VIPS[$i]}" d1 d2 || return 1
		else
			only_on "${VIPS[$i]}" d2 d1 || return 1
		fi
	done
}

# holds_all NODE: every VIP is on NODE (the other daemon is stopped)
holds_all() {
	local v
	for v in "${VIPS[@]}"; do
		has_addr "$1" "$v" || return 1
	done
}

# remove_leftovers NODE: what a daemon killed with -9 left behind
remove_leftovers() {
	local i
	for i in "${!VIPS[@]}"; do
		case ${NAMES[$i]:1} in
		6 | V) ip -n "$(ns_of "$1")" addr del "${VIPS[$i]}/64" dev eth0 2>/dev/null ;;
		*) ip -n "$(ns_of "$1")" addr del "${VIPS[$i]}/24" dev eth0 2>/dev/null ;;
		esac
	done
	return 0
}

# ---- the sampler ---------------------------------------------------------------
# One line per sample: "MS PHASE d1:HELD d2:HELD", HELD being the indexes of the
# VIPs the node holds ("." none, "-" node left out, "?" no reading).
sampler() {
	local t n out held i line
	while [ ! -e "$TMP/sampler.stop" ]; do
		t=$(now_ms)
		line="$t $(cat "$TMP/phase")"
		for n in d1 d2; do
			if [ -e "$TMP/$n/down" ]; then
				line+=" $n:-"
				continue
			fi
			if ! out=$(ip -n "$(ns_of "$n")" -o addr show dev eth0 2>/dev/null); then
				line+=" $n:?" # no reading: the analysis keeps the previous one
				continue
			fi
			held=
			for i in "${!VIPS[@]}"; do
				[[ $out == *" ${VIPS[$i]}/"* ]] && held+="$i,"
			done
			line+=" $n:${held:-.}"
		done
		echo "$line"
		sleep 0.04
	done >>"$TMP/samples"
}

phase() {
	echo "$1" >"$TMP/phase"
	note "phase: $1"
}

sampler_start() {
	rm -f "$TMP/sampler.stop" "$TMP/samples"
	phase steady
	sampler &
	SAMPLER=$!
	STARTED+=("$SAMPLER")
}

sampler_stop() {
	touch "$TMP/sampler.stop"
	wait "$SAMPLER"
}

# analyse ROUND: per VIP, the longest stretch with both holders and with none;
# prints "ok"/"bad" lines the checks below read
analyse() {
	/usr/bin/python3 - "$TMP/samples" "$BOTH_MAX_MS" "$NONE_MAX_MS" "$TERM_NONE_MAX_MS" \
		"${NAMES[@]}" <<'PY'
import sys
path, names = sys.argv[1], sys.argv[5:]
both_max, none_max, term_none_max = (int(x) for x in sys.argv[2:5])
samples, last, unread = [], {}, 0
for line in open(path):
    f = line.split()
    held = {}
    for part in f[2:]:
        node, h = part.split(":")
        if h == "?":
            unread += 1
            held[node] = last.get(node)
        else:
            held[node] = None if h == "-" else {int(x) for x in h.split(",") if x not in ("", ".")}
    last = held
    samples.append((int(f[0]), f[1], held))
if len(samples) < 20:
    print(f"bad too few samples ({len(samples)})")
    sys.exit()
gaps = [b[0] - a[0] for a, b in zip(samples, samples[1:])]
period = sorted(gaps)[len(gaps) // 2]
print(f"info {len(samples)} samples, period median {period} ms, max {max(gaps)} ms, "
      f"{sum(1 for g in gaps if g > 1000)} stalls over 1 s, {unread} readings failed")
t0 = samples[0][0]
for i, name in enumerate(names):
    # worst stretch of each kind: both holders, none after a kill -9, none otherwise
    worst = {"both": (0, ""), "none": (0, ""), "none-kill9": (0, "")}
    run_kind, run_start, run_last, run_phase = None, 0, 0, ""
    for t, ph, held in samples + [(samples[-1][0], "end", None)]:
        if held is None:
            kind = "end"
        else:
            n = sum(1 for h in held.values() if h is not None and i in h)
            kind = "both" if n >= 2 else "none" if n == 0 else "one"
            if kind == "none" and ph.startswith("kill9"):
                kind = "none-kill9"
        if kind != run_kind:
            # a stretch lasts from its first to its last sample, plus one sampling
            # period: a sampler stalled by the machine's load does not stretch it
            ms = run_last - run_start + period
            if run_kind in worst and ms > worst[run_kind][0]:
                worst[run_kind] = (ms, f"{run_phase} at {run_start - t0} ms")
            run_kind, run_start, run_phase = kind, t, ph
        run_last = t
    for kind, limit in (("both", both_max), ("none-kill9", none_max), ("none", term_none_max)):
        ms, ph = worst[kind]
        verdict = "ok" if ms <= limit else "bad"
        print(f"{verdict} {name} {kind} {ms} ms (limit {limit}) {('in ' + ph) if ph else ''}")
PY
}

# ---- one round ---------------------------------------------------------------------

# fault VICTIM KIND: kill -9 or SIGTERM the daemon on VICTIM, the other one takes
# every VIP, then VICTIM restarts and preempts its A or B half back
fault() {
	local v=$1 kind=$2 o t what
	o=$([ "$v" = d1 ] && echo d2 || echo d1)
	what="$(impl_of "$v") on $v"
	phase "$kind-$(impl_of "$v")"
	t=$(now_ms)
	if [ "$kind" = kill9 ]; then
		touch "$TMP/$v/down"
		ka_kill9 "$v"
		check "kill -9 of $what: $(impl_of "$o") on $o takes over everything" \
			wait_for $((NONE_MAX_MS + 2000)) holds_all "$o"
		note "takeover after kill -9 of $what: $(elapsed_ms "$t") ms"
		remove_leftovers "$v"
		rm -f "$TMP/$v/down"
	else
		ka_stop "$v" &
		local stopper=$!
		check "SIGTERM of $what: $(impl_of "$o") on $o takes over everything at once" \
			wait_for $TERM_NONE_MAX_MS holds_all "$o"
		note "takeover after SIGTERM of $what: $(elapsed_ms "$t") ms"
		wait "$stopper"
		rm -f "$TMP/$v/parent"
		check "$what removed its VIPs when stopping" none_of "$v" "${VIPS[@]}"
	fi
	phase "restart-$(impl_of "$v")"
	t=$(now_ms)
	start "$v"
	check "restarted $what preempts its half back" wait_for 10000 converged
	note "preempted back in $(elapsed_ms "$t") ms"
	check "... and the pair is stable (1.5 s)" holds 1500 converged
}

# roles_ok NODE: the last state logged for each instance is MASTER for NODE's half
# (A on d1, B on d2), BACKUP for the other
roles_ok() {
	local n want
	for n in "${NAMES[@]}"; do
		want=BACKUP
		[ "${n:0:1}$1" = Ad1 ] || [ "${n:0:1}$1" = Bd2 ] && want=MASTER
		state_is "$1" "VI_$n" $want || { note "$1: VI_$n is not $want"; return 1; }
	done
}

# backups_hearing NODE: how many of ours' BACKUP instances received adverts
backups_hearing() {
	/usr/bin/python3 -c 'import json, sys
print(sum(1 for o in json.load(open(sys.argv[1]))
          if o["data"]["state"] == 1 and o["stats"]["advert_rcvd"] > 0))' "$TMP/$1/json"
}

# ours_clean NODE: ours on NODE dropped no advert of the reference daemon
ours_clean() {
	data_dump "$1" || return 1
	! grep -q "Dropped (" "$TMP/$1/data"
}

round() { # round OURS_NODE REF_NODE
	local ours=$1 ref=$2 line
	printf -v "IMPL_$ours" ours
	printf -v "IMPL_$ref" ref
	note "==== round: ours on $ours, reference keepalived on $ref"
	write_conf "$ours" < <(all_instances "$ours" "$ref")
	write_ref_conf "$ref" < <(all_instances "$ref" "$ours")
	start "$ours"
	start "$ref"
	check "ours on $ours and keepalived on $ref elect by priority" wait_for 12000 converged
	check "ours is MASTER of its half and BACKUP of the other" roles_ok "$ours"
	check "keepalived's log says the same of its instances" roles_ok "$ref"
	sampler_start
	check "the election is stable (3 s)" holds 3000 converged
	json_dump "$ours"
	check "ours receives keepalived's adverts on every instance it backs up" \
		eval '[ "$(backups_hearing "$ours")" = ${#KINDS[@]} ]'
	check "ours dropped none of keepalived's adverts (v2/v3, PASS, unicast, IPv6)" \
		ours_clean "$ours"

	fault "$ours" kill9
	fault "$ref" kill9
	fault "$ours" term
	fault "$ref" term
	check "ours still dropped nothing after the restarts" ours_clean "$ours"
	phase end
	sampler_stop
	analyse >"$TMP/analysis"
	while read -r line; do
		case $line in
		info*) note "sampler: ${line#info }" ;;
		ok*) note "${line#ok }" ;;
		esac
	done <"$TMP/analysis"
	line="both <= $BOTH_MAX_MS ms, none <= $NONE_MAX_MS ms after kill -9,"
	line+=" else $TERM_NONE_MAX_MS ms"
	check "exactly one master of every VIP at all times ($line)" \
		eval '! grep -q "^bad" "$TMP/analysis"'
	grep "^bad" "$TMP/analysis" | sed 's/^/# /'
	ka_stop "$ours"
	ka_stop "$ref"
	check "no VIP left on either director" \
		eval 'none_of d1 "${VIPS[@]}" && none_of d2 "${VIPS[@]}"'
	check "keepalived on $ref logged no complaint about our adverts" \
		eval '! grep -Eqi "$REF_COMPLAINTS" "$(vlog_of $ref)"'
	grep -Ei "$REF_COMPLAINTS" "$(vlog_of "$ref")" | head -n 5 | sed 's/^/# /'
}

topo_create 2
round d1 d2
round d2 d1
finish
