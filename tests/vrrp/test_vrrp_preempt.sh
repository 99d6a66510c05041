#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrrp_preempt.sh - three directors: who takes over, preempt_delay, nopreempt
#
# d1 (150), d2 (120), d3 (100) share VI_1 (VRID 52, advert_int 1, VIP
# 10.77.0.201). Needs root and iproute2.
# shellcheck disable=SC1091
. "${top_srcdir:-$(dirname "$0")/../..}/tests/vrrp/lib.sh"

VIP=10.77.0.201

conf() { # conf NODE PRIORITY [extra instance keywords]
	write_conf "$1" <<EOF
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 52
	priority $2
	advert_int 1
	${3:-}
	virtual_ipaddress {
		$VIP/24
	}
}
EOF
}

topo_create 3
conf d1 150
conf d2 120
conf d3 100
ka_start d1
ka_start d2
ka_start d3

# ---- three directors ------------------------------------------------------------
check "d1 (highest of three) becomes MASTER" wait_for 10000 only_on $VIP d1 d2 d3
check "d2 and d3 are BACKUP" \
	wait_for 2000 eval 'state_is d2 VI_1 BACKUP && state_is d3 VI_1 BACKUP'
ka_stop d1
check "when d1 stops, d2 (next highest) takes over" wait_for 3000 only_on $VIP d2 d1 d3
check "d3 stays BACKUP while d2 is master (2 s)" holds 2000 only_on $VIP d2 d1 d3
check_not "d3 never became MASTER" log_has d3 "Entering MASTER STATE"

# ---- preempt_delay -------------------------------------------------------------------
# d1 comes back with preempt_delay 3: it first waits 3 s listening to d2,
# then the master-down interval (3.4 s), so d2 keeps the VIP for > 5 s.
conf d1 150 "preempt_delay 3"
t=$(now_ms)
ka_start d1
check "d1 with preempt_delay 3 comes up as BACKUP" wait_for 2000 state_is d1 VI_1 BACKUP
check "d2 keeps the VIP while the preempt delay runs (5 s)" holds 5000 only_on $VIP d2 d1 d3
check "d1 preempts once the delay has passed" wait_for 8000 only_on $VIP d1 d2 d3
note "preemption with preempt_delay took $(elapsed_ms "$t") ms"
check "d1 logged the expiry of its preempt delay" log_has d1 "(VI_1) preempt delay expired"

# ---- nopreempt ----------------------------------------------------------------------
ka_stop d1
ka_stop d2
ka_stop d3
for n in 1 2 3; do
	p=(0 150 120 100)
	conf "d$n" "${p[$n]}" nopreempt
done
ka_start d2
ka_start d3
check "with nopreempt, d2 becomes MASTER of d2/d3" wait_for 10000 only_on $VIP d2 d1 d3
ka_start d1
check "d1 (150, nopreempt) starts as BACKUP" wait_for 2000 state_is d1 VI_1 BACKUP
check "d1 does not preempt d2 (6 s, well past the master-down interval)" \
	holds 6000 only_on $VIP d2 d1 d3
t=$(now_ms)
ka_stop d2
check "when d2 stops, the highest backup (d1) takes over at once" \
	wait_for 2000 only_on $VIP d1 d2 d3
note "takeover: $(elapsed_ms "$t") ms"
check "d3 stays BACKUP" holds 1000 only_on $VIP d1 d2 d3

# ---- address owner ------------------------------------------------------------------
# priority 255 with state MASTER takes over at once, without waiting for
# the master-down interval
ka_stop d1
write_conf d1 <<EOF
vrrp_instance VI_1 {
	state MASTER
	interface eth0
	virtual_router_id 52
	priority 255
	advert_int 1
	virtual_ipaddress {
		$VIP/24
	}
}
EOF
check "d3 alone is MASTER" wait_for 6000 only_on $VIP d3 d1 d2
t=$(now_ms)
ka_start d1
check "the address owner (255, state MASTER) takes over within 1.5 s of starting" \
	wait_for 1500 only_on $VIP d1 d2 d3
note "owner takeover: $(elapsed_ms "$t") ms"
check "the owner went straight to MASTER" log_has d1 "(VI_1) INIT -> MASTER"
check "d3 went back to BACKUP" wait_for 2000 state_is d3 VI_1 BACKUP

ka_stop d1
ka_stop d3
check "no VIP left" eval 'no_addr d1 $VIP && no_addr d2 $VIP && no_addr d3 $VIP'
finish
