#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# guest-ipvs-client.sh - in the test VM: program IPVS through our client, check it with ipvsadm
#
# Runs as the VM's test (dash, busybox tools, iproute2's ip, Debian's
# ipvsadm). ipvs_client_test checks what it reads back itself; this script
# checks the same table through ipvsadm, an independent reader, and the
# other way round: a table written by ipvsadm read through our client.
# Exit status: 0 when everything matched, 1 otherwise.

fail=0

# Compare a command's output (trailing blanks dropped) with stdin.
expect() {
	name=$1
	shift
	cat >/tmp/want
	"$@" 2>&1 | sed 's/[[:space:]]*$//' >/tmp/got
	if diff -u /tmp/want /tmp/got >/tmp/diff; then
		echo "ok: $name"
	else
		echo "FAIL: $name differs from the expected output:"
		cat /tmp/diff
		fail=1
	fi
}

run() {
	echo "== $*"
	"$@" || {
		echo "FAIL: $* (exit $?)"
		fail=1
	}
}

# Addresses for the services (local traffic to a VIP needs a route) and
# a veth pair with multicast for the sync daemons.
ip link set lo up &&
	ip link add vip0 type dummy &&
	ip link set vip0 up &&
	ip addr add 10.0.0.1/16 dev vip0 &&
	ip -6 addr add 2001:db8::ffff/64 dev vip0 nodad &&
	ip link add sync0 type veth peer name sync1 &&
	ip link set sync1 up &&
	ip link set sync0 up &&
	ip addr add 192.168.77.1/24 dev sync0 || {
	echo "FAIL: guest network setup"
	exit 1
}

# setup also sends 3 datagrams to UDP 10.0.0.100:53: the one (inactive)
# connection on 10.0.1.3 below, the counters in the stats step.
run ipvs_client_test setup

expect "ipvsadm -Ln after setup" ipvsadm -Ln <<'EOF'
IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  10.0.0.100:80 rr
  -> 10.0.1.1:80                  Masq    5      0          0
  -> 10.0.1.2:80                  Masq    2      0          0
UDP  10.0.0.100:53 wlc
  -> 10.0.1.3:53                  Route   3      0          1
  -> 10.0.1.4:53                  Route   0      0          0
UDP  10.0.0.102:5060 rr persistent 60 pe sip
  -> 10.0.1.9:5060                Route   1      0          0
UDP  10.0.0.103:514 rr ops
  -> 10.0.1.10:514                Masq    1      0          0
SCTP 10.0.0.101:5060 lc persistent 300 mask 255.255.255.0
  -> 10.0.1.5:5060                Tunnel  5      0          0
TCP  [2001:db8::100]:443 wlc
  -> [2001:db8::1]:443            Masq    1      0          0
  -> [2001:db8::2]:443            Tunnel  2      0          0
TCP  [2001:db8::101]:80 wrr persistent 120 mask 64
  -> [2001:db8::5]:8080           Masq    10     0          0
UDP  [2001:db8::100]:53 sh (sh-fallback,sh-port)
  -> [2001:db8::3]:53             Route   1      0          0
FWM  7 mh (mh-port) persistent 600 mask 255.255.255.0
  -> 10.0.1.6:0                   Route   1      0          0
  -> 10.0.1.7:0                   Tunnel  1      0          0
FWM  8 IPv6 rr
  -> 10.0.1.8:0                   Tunnel  1      0          0
  -> [2001:db8::4]:0              Route   1      0          0
EOF

expect "ipvsadm -Ln --thresholds" ipvsadm -Ln --thresholds <<'EOF'
IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn
  -> RemoteAddress:Port
TCP  10.0.0.100:80 rr
  -> 10.0.1.1:80                  0          0          0          0
  -> 10.0.1.2:80                  100        10         0          0
UDP  10.0.0.100:53 wlc
  -> 10.0.1.3:53                  0          0          0          1
  -> 10.0.1.4:53                  0          0          0          0
UDP  10.0.0.102:5060 rr persistent 60 pe sip
  -> 10.0.1.9:5060                0          0          0          0
UDP  10.0.0.103:514 rr ops
  -> 10.0.1.10:514                0          0          0          0
SCTP 10.0.0.101:5060 lc persistent 300 mask 255.255.255.0
  -> 10.0.1.5:5060                0          0          0          0
TCP  [2001:db8::100]:443 wlc
  -> [2001:db8::1]:443            0          0          0          0
  -> [2001:db8::2]:443            0          0          0          0
TCP  [2001:db8::101]:80 wrr persistent 120 mask 64
  -> [2001:db8::5]:8080           0          0          0          0
UDP  [2001:db8::100]:53 sh (sh-fallback,sh-port)
  -> [2001:db8::3]:53             0          0          0          0
FWM  7 mh (mh-port) persistent 600 mask 255.255.255.0
  -> 10.0.1.6:0                   0          0          0          0
  -> 10.0.1.7:0                   0          0          0          0
FWM  8 IPv6 rr
  -> 10.0.1.8:0                   0          0          0          0
  -> [2001:db8::4]:0              0          0          0          0
EOF

# Tunnel type, port and checksum flags as ipvsadm's save format shows them.
expect "ipvsadm -Sn after setup" ipvsadm -Sn <<'EOF'
-A -t 10.0.0.100:80 -s rr
-a -t 10.0.0.100:80 -r 10.0.1.1:80 -m -w 5
-a -t 10.0.0.100:80 -r 10.0.1.2:80 -m -w 2
-A -u 10.0.0.100:53 -s wlc
-a -u 10.0.0.100:53 -r 10.0.1.3:53 -g -w 3
-a -u 10.0.0.100:53 -r 10.0.1.4:53 -g -w 0
-A -u 10.0.0.102:5060 -s rr -p 60 --pe sip
-a -u 10.0.0.102:5060 -r 10.0.1.9:5060 -g -w 1
-A -u 10.0.0.103:514 -s rr -o
-a -u 10.0.0.103:514 -r 10.0.1.10:514 -m -w 1
-A --sctp-service 10.0.0.101:5060 -s lc -p 300 -M 255.255.255.0
-a --sctp-service 10.0.0.101:5060 -r 10.0.1.5:5060 -i -w 5 --tun-type ipip
-A -t [2001:db8::100]:443 -s wlc
-a -t [2001:db8::100]:443 -r [2001:db8::1]:443 -m -w 1
-a -t [2001:db8::100]:443 -r [2001:db8::2]:443 -i -w 2 --tun-type gue --tun-port 6080 --tun-remcsum
-A -t [2001:db8::101]:80 -s wrr -p 120 -M 64
-a -t [2001:db8::101]:80 -r [2001:db8::5]:8080 -m -w 10
-A -u [2001:db8::100]:53 -s sh -b sh-fallback,sh-port
-a -u [2001:db8::100]:53 -r [2001:db8::3]:53 -g -w 1
-A -f 7 -s mh -p 600 -M 255.255.255.0 -b mh-port
-a -f 7 -r 10.0.1.6:0 -g -w 1
-a -f 7 -r 10.0.1.7:0 -i -w 1 --tun-type gre --tun-csum
-A -f 8 -6 -s rr
-a -f 8 -6 -r 10.0.1.8:0 -i -w 1 --tun-type ipip
-a -f 8 -6 -r [2001:db8::4]:0 -g -w 1
EOF

run ipvs_client_test errors
run ipvs_client_test stats
run ipvs_client_test timeouts
expect "ipvsadm -L --timeout" ipvsadm -L --timeout <<'EOF'
Timeout (tcp tcpfin udp): 900 120 300
EOF

run ipvs_client_test teardown
expect "ipvsadm -Ln after teardown" ipvsadm -Ln <<'EOF'
IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
EOF

# Sync daemons need a table without mixed-family destinations: after teardown.
run ipvs_client_test daemon sync0
expect "ipvsadm -L --daemon" ipvsadm -L --daemon <<'EOF'
master sync daemon (mcast=sync0, syncid=5, maxlen=1400, group=239.1.2.3, port=8850, ttl=2)
backup sync daemon (mcast=sync0, syncid=6, maxlen=1400, group=239.1.2.3, port=8850, ttl=2)
EOF
# The port attribute is in host order (unlike service ports): the backup's
# kernel socket must listen on 239.1.2.3:8850 (0x2292), the master's send
# to it (states 07 and 01 in /proc/net/udp).
sync_sockets() {
	awk '$2 == "030201EF:2292" || $3 == "030201EF:2292" { print $4 }' /proc/net/udp | sort
}
expect "sync sockets on port 8850" sync_sockets <<'EOF'
01
07
EOF
run ipvs_client_test nodaemon
expect "ipvsadm -L --daemon after stop" ipvsadm -L --daemon </dev/null

# The other way round: what ipvsadm writes, our client reads.
run ipvsadm -A -t 10.0.0.200:22 -s wlc -p 100 -M 255.255.0.0
run ipvsadm -a -t 10.0.0.200:22 -r 10.0.2.1:2222 -m -w 7 -x 50 -y 5
run ipvsadm -a -t 10.0.0.200:22 -r 10.0.2.2:22 -g -w 0
run ipvsadm -A -f 9 -6 -s dh
run ipvsadm -a -f 9 -6 -r '[2001:db8::9]:0' -i -w 2 --tun-type gue --tun-port 5555 --tun-nocsum
run ipvsadm -A -u '[2001:db8::200]:53' -s lblcr -o
expect "client dump of an ipvsadm-made table" ipvs_client_test dump <<'EOF'
TCP 10.0.0.200:22 wlc flags=0x3 timeout=100 netmask=16 pe=-
  -> 10.0.2.1:2222 NAT weight=7 u=50 l=5
  -> 10.0.2.2:22 DR weight=0 u=0 l=0
UDP [2001:db8::200]:53 lblcr flags=0x6 timeout=0 netmask=128 pe=-
fwmark 9 (IPv6) dh flags=0x2 timeout=0 netmask=128 pe=-
  -> [2001:db8::9]:0 TUN weight=2 u=0 l=0 tunnel=gue port=5555 nocsum
dump: ok
EOF
run ipvsadm -C

echo "guest-ipvs-client: $([ $fail = 0 ] && echo PASS || echo FAIL)"
exit $fail
