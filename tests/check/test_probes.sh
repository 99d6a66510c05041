#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_probes.sh - every checker kind against real servers in a network namespace, and genhash
#
# One namespace (kaprobe-PID) with loopback and a veth pair d0/d1
# (10.77.0.1/24 on d0: 10.77.0.99 is routed into d0, has a static
# neighbour entry and never answers). Servers:
# python's http.server (IPv4 and IPv6), an HTTPS server with a self-signed
# certificate, SMTP (aiosmtpd when installed, else a small responder), DNS
# responders answering RCODE 0 and 2, UDP echo and sink, a TCP server that
# accepts and never answers. tests/check/probe_tool runs one attempt of
# each checker of a real server from a generated keepalived.conf and prints
# "KIND RESULT weight=W ms=T detail=..."; each line is compared with the
# expected result, timeouts with generous bounds. Needs root, iproute2,
# /usr/bin/python3 and openssl; exits 77 (skipped) otherwise. Prints
# "ok N - ..." / "not ok N - ..." and exits 1 if any check failed.
set -euo pipefail

BUILD=${top_builddir:-.}
SRC=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
TOOL=$BUILD/tests/check/probe_tool
GENHASH=$BUILD/genhash
PY=/usr/bin/python3
SERVERS=$SRC/tests/check/probe_servers.py
NS="kaprobe-$$"
TMP=
PIDS=() # servers this script started
FAILED=0
COUNT=0

skip() {
	echo "# SKIP: $*"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null || skip "needs iproute2"
[ -x "$PY" ] || skip "needs $PY"
command -v openssl >/dev/null || skip "needs openssl"
[ -x "$TOOL" ] || { echo "not ok - $TOOL not built"; exit 1; }
[ -x "$GENHASH" ] || { echo "not ok - $GENHASH not built"; exit 1; }

cleanup() {
	set +e
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	# anything else still running in our namespace (a server's children)
	for p in $(ip netns pids "$NS" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
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

TMP=$(mktemp -d /tmp/kaprobe.XXXXXX)
chmod 755 "$TMP"

# ---- namespace ----
ip netns add "$NS"
in_ns ip link set lo up
in_ns ip link add d0 type veth peer name d1
in_ns ip addr add 10.77.0.1/24 dev d0
in_ns ip link set d0 up
in_ns ip link set d1 up
# The silent address gets a permanent neighbour entry (a MAC nobody has):
# its packets leave and vanish, so every probe to it really times out.
# Left to ARP, a FAILED entry from an earlier probe would make the next one
# fail at once with "No route to host".
in_ns ip neigh replace 10.77.0.99 lladdr 02:00:00:00:00:99 dev d0 nud permanent

# ---- content, certificate, scripts ----
mkdir -p "$TMP/www"
printf '<html><body>Hello probe</body></html>\n' >"$TMP/www/index.html"
head -c 100000 /dev/urandom | base64 >"$TMP/www/known.txt"
MD5=$(md5sum "$TMP/www/known.txt" | cut -d' ' -f1)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=probe.test \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
for s in 0 1 5; do
	printf '#!/bin/sh\nexit %s\n' "$s" >"$TMP/exit$s.sh"
done
printf '#!/bin/sh\nsleep 30\n' >"$TMP/sleep.sh"
chmod 755 "$TMP"/*.sh
echo 3 >"$TMP/weight3"
echo 1 >"$TMP/one"

# ---- servers ----
start() { # start READY_NAME COMMAND...: run in the namespace, wait for READY
	local name=$1
	shift
	# not through in_ns: $! must be the server itself (ip execs it), not
	# a subshell running the function
	ip netns exec "$NS" "$@" >"$TMP/$name.log" 2>&1 &
	PIDS+=($!)
}
wait_ready() { # wait_ready FILE...
	local f
	for f in "$@"; do
		for _ in $(seq 100); do
			[ -e "$TMP/$f" ] && break
			sleep 0.1
		done
		[ -e "$TMP/$f" ] || { echo "# server $f did not start"; cat "$TMP"/*.log; exit 1; }
	done
}
wait_tcp() { # wait_tcp HOST PORT: until it accepts
	for _ in $(seq 100); do
		in_ns bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "# nothing listens on $1 port $2"
	exit 1
}

start http $PY -m http.server 8080 --bind 127.0.0.1 --directory "$TMP/www"
start http6 $PY -m http.server 8086 --bind ::1 --directory "$TMP/www"
start https $PY "$SERVERS" https 8443 "$TMP/r.https" "$TMP/www" "$TMP/cert.pem" \
	"$TMP/key.pem" "$TMP/sni"
if $PY -c 'import aiosmtpd' 2>/dev/null; then
	start smtp $PY -m aiosmtpd -n -l 127.0.0.1:2525
else
	start smtp $PY "$SERVERS" smtp 2525 "$TMP/r.smtp"
	touch "$TMP/r.smtp.wanted"
fi
start smtpbad $PY "$SERVERS" smtpbad 2526 "$TMP/r.smtpbad"
start dns0 $PY "$SERVERS" dns 5353 "$TMP/r.dns0" 0
start dns2 $PY "$SERVERS" dns 5354 "$TMP/r.dns2" 2
start echo $PY "$SERVERS" udpecho 7777 "$TMP/r.echo"
start sink $PY "$SERVERS" udpsink 7779 "$TMP/r.sink"
start silent $PY "$SERVERS" silent 8099 "$TMP/r.silent"
wait_ready r.https r.smtpbad r.dns0 r.dns2 r.echo r.sink r.silent
wait_tcp 127.0.0.1 8080
wait_tcp ::1 8086
wait_tcp 127.0.0.1 2525

# ---- configuration ----
cat >"$TMP/keepalived.conf" <<EOF
track_file tf_w3 {
    file $TMP/weight3
    weight 2
}
track_file tf_one {
    file $TMP/one
    weight 0
}
virtual_server 10.77.0.100 80 {
    real_server 192.0.2.1 80 {
        HTTP_GET {
            connect_ip 127.0.0.1
            connect_port 8080
            connect_timeout 3
            url {
                path /known.txt
                digest $MD5
            }
        }
        HTTP_GET {
            connect_ip 127.0.0.1
            connect_port 8080
            url {
                path /missing.txt
            }
        }
        HTTP_GET {
            connect_ip 127.0.0.1
            connect_port 8080
            url {
                path /missing.txt
                status_code 404
            }
        }
        HTTP_GET {
            connect_ip 127.0.0.1
            connect_port 8080
            url {
                path /known.txt
                digest 00000000000000000000000000000000
            }
        }
        HTTP_GET {
            connect_ip 127.0.0.1
            connect_port 8080
            url {
                path /index.html
                regex "Hello (probe|world)"
            }
        }
        HTTP_GET {
            connect_ip 127.0.0.1
            connect_port 8080
            url {
                path /index.html
                regex "Goodbye"
            }
        }
        HTTP_GET {
            connect_ip 127.0.0.1
            connect_port 8080
            url {
                path /known.txt
            }
            url {
                path /missing.txt
            }
        }
        HTTP_GET {
            connect_ip 127.0.0.1
            connect_port 8080
            http_protocol 1.1
            virtualhost www.probe.test
            url {
                path /known.txt
                digest $MD5
            }
        }
        HTTP_GET {
            connect_ip 127.0.0.1
            connect_port 8081
            url {
                path /
            }
        }
        HTTP_GET {
            connect_ip ::1
            connect_port 8086
            url {
                path /known.txt
                digest $MD5
            }
        }
    }
    real_server 192.0.2.2 443 {
        SSL_GET {
            connect_ip 127.0.0.1
            connect_port 8443
            url {
                path /known.txt
                digest $MD5
            }
        }
        SSL_GET {
            connect_ip 127.0.0.1
            connect_port 8443
            enable_sni
            virtualhost sni.probe.test
            tls_compliant
            url {
                path /index.html
            }
        }
        SSL_GET {
            connect_ip 127.0.0.1
            connect_port 8080
            url {
                path /
            }
        }
    }
    real_server 192.0.2.3 25 {
        SMTP_CHECK {
            connect_ip 127.0.0.1
            connect_port 2525
            helo_name checker.probe.test
        }
        SMTP_CHECK {
            connect_ip 127.0.0.1
            connect_port 2526
        }
    }
    real_server 192.0.2.4 53 {
        DNS_CHECK {
            connect_ip 127.0.0.1
            connect_port 5353
            type A
            name www.probe.test
        }
        DNS_CHECK {
            connect_ip 127.0.0.1
            connect_port 5354
        }
        DNS_CHECK {
            connect_ip 127.0.0.1
            connect_port 5355
        }
    }
    real_server 192.0.2.5 7 {
        UDP_CHECK {
            connect_ip 127.0.0.1
            connect_port 7777
            payload 68656c6c6f
            require_reply 68656cxx6f
        }
        UDP_CHECK {
            connect_ip 127.0.0.1
            connect_port 7777
            payload 68656c6c6f
            require_reply 7a7a
        }
        UDP_CHECK {
            connect_ip 127.0.0.1
            connect_port 7778
            payload 00
        }
        UDP_CHECK {
            connect_ip 127.0.0.1
            connect_port 7779
            connect_timeout 1
            payload 00
        }
    }
    real_server 192.0.2.6 80 {
        PING_CHECK {
            connect_ip 10.77.0.1
        }
        PING_CHECK {
            connect_ip ::1
        }
        PING_CHECK {
            connect_ip 10.77.0.99
            connect_timeout 1
        }
    }
    real_server 192.0.2.7 80 {
        weight 7
        MISC_CHECK {
            misc_path $TMP/exit0.sh
        }
        MISC_CHECK {
            misc_path $TMP/exit1.sh
        }
        MISC_CHECK {
            misc_path $TMP/exit5.sh
            misc_dynamic
        }
        MISC_CHECK {
            misc_path $TMP/exit0.sh
            misc_dynamic
        }
        MISC_CHECK {
            misc_path $TMP/exit5.sh
        }
        MISC_CHECK {
            misc_path $TMP/sleep.sh
            misc_timeout 1
        }
    }
    real_server 192.0.2.8 80 {
        weight 10
        FILE_CHECK {
            track_file tf_w3
        }
        FILE_CHECK {
            track_file tf_w3
            weight -1
        }
        FILE_CHECK {
            track_file tf_one
        }
        FILE_CHECK {
            track_file tf_one
            weight 0 reverse
        }
    }
    real_server 192.0.2.9 80 {
        TCP_CHECK {
            connect_ip 127.0.0.1
            connect_port 8080
        }
        TCP_CHECK {
            connect_ip 127.0.0.1
            connect_port 8081
        }
        TCP_CHECK {
            connect_ip 127.0.0.1
            connect_port 8080
            bindto 127.0.0.1
            bind_port 39999
            bind_if lo
            fwmark 7
        }
        TCP_CHECK {
            connect_ip 10.77.0.99
            connect_port 80
            connect_timeout 1
        }
        HTTP_GET {
            connect_ip 127.0.0.1
            connect_port 8099
            connect_timeout 2
            url {
                path /
            }
        }
        SSL_GET {
            connect_ip 127.0.0.1
            connect_port 8099
            connect_timeout 2
            url {
                path /
            }
        }
        SMTP_CHECK {
            connect_ip 127.0.0.1
            connect_port 8099
            connect_timeout 2
        }
    }
}
EOF

# ---- running the probes ----
run() { # run RS_ADDRESS [tool options]: output in $TMP/out.RS
	local rs=$1
	shift
	in_ns "$TOOL" "$@" "$TMP/keepalived.conf" "$rs" >"$TMP/out.$rs" 2>"$TMP/err.$rs" ||
		{ sed 's/^/# /' "$TMP/err.$rs" | head -n 40; return 1; }
}

# expect RS N KIND RESULT [WEIGHT]: line N of the output for RS
expect() {
	local line
	line=$(sed -n "${2}p" "$TMP/out.$1")
	case "$line" in
	"$3 $4 "*) ;;
	*) echo "# line $2 of $1: '$line', wanted $3 $4"; return 1 ;;
	esac
	if [ $# -ge 5 ]; then
		case "$line" in
		*" weight=$5 "*) ;;
		*) echo "# line $2 of $1: '$line', wanted weight $5"; return 1 ;;
		esac
	fi
}

# took RS N MIN_MS MAX_MS: elapsed time of line N within bounds
took() {
	local ms
	ms=$(sed -n "${2}p" "$TMP/out.$1" | sed -E 's/.* ms=([0-9]+) .*/\1/')
	if [ "$ms" -lt "$3" ] || [ "$ms" -gt "$4" ]; then
		echo "# line $2 of $1 took $ms ms, wanted $3..$4"
		return 1
	fi
}

detail_has() { # detail_has RS N TEXT
	sed -n "${2}p" "$TMP/out.$1" | grep -qF -- "$3" ||
		{ echo "# line $2 of $1: $(sed -n "${2}p" "$TMP/out.$1")"; return 1; }
}

check "probe_tool runs the HTTP probes" run 192.0.2.1
check "HTTP_GET: digest of a known file" expect 192.0.2.1 1 HTTP_GET OK -1
check "HTTP_GET: 404 is not in 200-299" expect 192.0.2.1 2 HTTP_GET L7STS
check "HTTP_GET: L7STS names the status" detail_has 192.0.2.1 2 "HTTP status 404"
check "HTTP_GET: status_code 404 accepts 404" expect 192.0.2.1 3 HTTP_GET OK
check "HTTP_GET: wrong digest" expect 192.0.2.1 4 HTTP_GET L7DIGEST
check "HTTP_GET: L7DIGEST shows the real digest" detail_has 192.0.2.1 4 "$MD5"
check "HTTP_GET: regex matches" expect 192.0.2.1 5 HTTP_GET OK
check "HTTP_GET: regex does not match" expect 192.0.2.1 6 HTTP_GET L7REGEX
check "HTTP_GET: second url fails the attempt" expect 192.0.2.1 7 HTTP_GET L7STS
check "HTTP_GET: the failing url is named" detail_has 192.0.2.1 7 "/missing.txt"
check "HTTP_GET: HTTP/1.1 with virtualhost" expect 192.0.2.1 8 HTTP_GET OK
check "HTTP_GET: closed port is L4CON" expect 192.0.2.1 9 HTTP_GET L4CON
check "HTTP_GET: over IPv6" expect 192.0.2.1 10 HTTP_GET OK

check "probe_tool runs the SSL probes" run 192.0.2.2
check "SSL_GET: digest over TLS" expect 192.0.2.2 1 SSL_GET OK
check "SSL_GET: SNI and tls_compliant" expect 192.0.2.2 2 SSL_GET OK
check "SSL_GET: the server saw the SNI name" grep -qx sni.probe.test "$TMP/sni"
check "SSL_GET: TLS to a plain HTTP port is L6RSP" expect 192.0.2.2 3 SSL_GET L6RSP

check "probe_tool runs the SMTP probes" run 192.0.2.3
check "SMTP_CHECK: banner, HELO, QUIT" expect 192.0.2.3 1 SMTP_CHECK OK
check "SMTP_CHECK: 554 banner is L7STS" expect 192.0.2.3 2 SMTP_CHECK L7STS

check "probe_tool runs the DNS probes" run 192.0.2.4
check "DNS_CHECK: RCODE 0" expect 192.0.2.4 1 DNS_CHECK OK
check "DNS_CHECK: RCODE 2 is L7STS" expect 192.0.2.4 2 DNS_CHECK L7STS
check "DNS_CHECK: SERVFAIL named" detail_has 192.0.2.4 2 SERVFAIL
check "DNS_CHECK: closed port is L4CON" expect 192.0.2.4 3 DNS_CHECK L4CON

check "probe_tool runs the UDP probes" run 192.0.2.5
check "UDP_CHECK: reply matches the pattern" expect 192.0.2.5 1 UDP_CHECK OK
check "UDP_CHECK: reply differs from the pattern" expect 192.0.2.5 2 UDP_CHECK L7RSP
check "UDP_CHECK: port unreachable is L4CON" expect 192.0.2.5 3 UDP_CHECK L4CON
check "UDP_CHECK: silence until the timeout passes" expect 192.0.2.5 4 UDP_CHECK OK
check "UDP_CHECK: ... after connect_timeout" took 192.0.2.5 4 900 2500

check "probe_tool runs the PING probes (raw sockets)" run 192.0.2.6
check "PING_CHECK: own address answers" expect 192.0.2.6 1 PING_CHECK OK
check "PING_CHECK: ::1 answers" expect 192.0.2.6 2 PING_CHECK OK
check "PING_CHECK: silent address times out" expect 192.0.2.6 3 PING_CHECK L4TOUT
check "PING_CHECK: ... after connect_timeout" took 192.0.2.6 3 900 2500
in_ns sysctl -qw net.ipv4.ping_group_range="0 0"
check "probe_tool runs the PING probes (ping sockets)" run 192.0.2.6
check "PING_CHECK: ping socket, own address" expect 192.0.2.6 1 PING_CHECK OK
check "PING_CHECK: ping socket, ::1" expect 192.0.2.6 2 PING_CHECK OK
check "PING_CHECK: ping socket, silent address" expect 192.0.2.6 3 PING_CHECK L4TOUT

check "probe_tool runs the MISC probes" run 192.0.2.7
check "MISC_CHECK: exit 0" expect 192.0.2.7 1 MISC_CHECK OK -1
check "MISC_CHECK: exit 1" expect 192.0.2.7 2 MISC_CHECK PROCERR
check "MISC_CHECK: misc_dynamic exit 5 sets weight 3" expect 192.0.2.7 3 MISC_CHECK OK 3
check "MISC_CHECK: misc_dynamic exit 0 restores weight 7" expect 192.0.2.7 4 MISC_CHECK OK 7
check "MISC_CHECK: exit 5 without misc_dynamic fails" expect 192.0.2.7 5 MISC_CHECK PROCERR
check "MISC_CHECK: misc_timeout" expect 192.0.2.7 6 MISC_CHECK PROCTOUT
check "MISC_CHECK: ... within timeout + kill grace" took 192.0.2.7 6 900 7000

check "probe_tool runs the FILE probes" run 192.0.2.8
check "FILE_CHECK: 10 + 3 x 2" expect 192.0.2.8 1 FILE_CHECK OK 16
check "FILE_CHECK: 10 + 3 x -1" expect 192.0.2.8 2 FILE_CHECK OK 7
check "FILE_CHECK: weight 0 and value 1 fails" expect 192.0.2.8 3 FILE_CHECK L7STS
check "FILE_CHECK: weight 0 reverse and value 1 passes" expect 192.0.2.8 4 FILE_CHECK OK

check "probe_tool runs the TCP and timeout probes" run 192.0.2.9
check "TCP_CHECK: connects" expect 192.0.2.9 1 TCP_CHECK OK
check "TCP_CHECK: refused" expect 192.0.2.9 2 TCP_CHECK L4CON
check "TCP_CHECK: bindto, bind_port, bind_if, fwmark" expect 192.0.2.9 3 TCP_CHECK OK
check "TCP_CHECK: unanswered SYN times out" expect 192.0.2.9 4 TCP_CHECK L4TOUT
check "TCP_CHECK: ... after connect_timeout" took 192.0.2.9 4 900 2500
check "HTTP_GET: server that never answers" expect 192.0.2.9 5 HTTP_GET L7TOUT
check "HTTP_GET: ... L7TOUT after connect_timeout" took 192.0.2.9 5 1900 4500
check "SSL_GET: server that never answers" expect 192.0.2.9 6 SSL_GET L6TOUT
check "SSL_GET: ... L6TOUT after connect_timeout" took 192.0.2.9 6 1900 4500
check "SMTP_CHECK: server that never answers" expect 192.0.2.9 7 SMTP_CHECK L7TOUT
check "SMTP_CHECK: ... L7TOUT after connect_timeout" took 192.0.2.9 7 1900 4500

cancelled_only() { # every attempt of RS was cancelled, none reported
	local n
	n=$(grep -c ' CANCELLED$' "$TMP/out.$1")
	[ "$n" -eq "$2" ] && ! grep -qv ' CANCELLED$' "$TMP/out.$1"
}
check "cancelling attempts in flight" run 192.0.2.9 -C 100 -i 5
check "... reports nothing afterwards" cancelled_only 192.0.2.9 1
check "cancelling a script in flight" run 192.0.2.7 -C 100 -i 6
check "... reports nothing afterwards" cancelled_only 192.0.2.7 1
check "cancelling a TLS attempt in flight" run 192.0.2.9 -C 100 -i 6
check "... reports nothing afterwards" cancelled_only 192.0.2.9 1

# ---- genhash ----
gh() { in_ns "$GENHASH" "$@"; }
check "genhash: digest equals md5sum" \
	bash -c "[ \"\$(ip netns exec $NS $GENHASH -s 127.0.0.1 -p 8080 -u /known.txt)\" = 'MD5SUM = $MD5' ]"
check "genhash: over TLS with SNI, HTTP/1.1" \
	bash -c "ip netns exec $NS $GENHASH -S -I -V gh.probe.test -P 1.1 -s 127.0.0.1 -p 8443 \
		-u /known.txt | grep -qx 'MD5SUM = $MD5'"
check "genhash: the server saw the -V name as SNI" grep -qx gh.probe.test "$TMP/sni"
check "genhash: over IPv6" \
	bash -c "ip netns exec $NS $GENHASH -s ::1 -p 8086 -u /known.txt | grep -qx 'MD5SUM = $MD5'"
gh -v -s 127.0.0.1 -p 8080 -u /index.html >"$TMP/gh.v" 2>&1 || true
check "genhash -v: shows the request" grep -q '^GET /index.html HTTP/1.0' "$TMP/gh.v"
check "genhash -v: shows the response header" grep -q '^HTTP/1.0 200' "$TMP/gh.v"
check "genhash -v: shows the body" grep -q 'Hello probe' "$TMP/gh.v"
check "genhash: a 404 still gives a digest" \
	bash -c "ip netns exec $NS $GENHASH -s 127.0.0.1 -p 8080 -u /nope 2>/dev/null | grep -q '^MD5SUM = '"
fails() { # fails STATUS COMMAND...
	local want=$1 st=0
	shift
	"$@" >/dev/null 2>&1 || st=$?
	[ "$st" -eq "$want" ] || { echo "# exit status $st, wanted $want"; return 1; }
}
check "genhash: refused connection exits 1" fails 1 gh -s 127.0.0.1 -p 8081 -u /
check "genhash: timeout exits 1" fails 1 gh -s 127.0.0.1 -p 8099 -u / -t 1
check "genhash: name instead of address exits 2" fails 2 gh -s localhost -u /
check "genhash: missing -u exits 2" fails 2 gh -s 127.0.0.1
check "genhash: bad protocol exits 2" fails 2 gh -s 127.0.0.1 -u / -P 2.0

echo "1..$COUNT"
exit $FAILED
