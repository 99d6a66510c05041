# shellcheck shell=bash
# scripts/deps.sh - install build and test dependencies on Debian 12 (sourced by test.sh and demo.sh)
#
# Usage: . scripts/deps.sh && deps_install
# Needs root. Services shipped by the packages (keepalived, snmpd) are
# installed but never started: a policy-rc.d that refuses every start is in
# place for the duration of the install, and any service process that was
# started anyway is stopped afterwards (by its pid file, never by name).

DEPS_PACKAGES=(
	autoconf automake libtool pkg-config make gcc clang
	libfuzzer-14-dev libclang-rt-14-dev
	libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libmnl-dev libssl-dev
	libsnmp-dev libsystemd-dev libcmocka-dev
	iproute2 procps psmisc python3 python3-scapy tcpdump tshark nftables
	keepalived ipvsadm snmpd snmptrapd snmp python3-aiosmtpd qemu-system-x86 groff-base
)

deps_log() { printf '==> %s\n' "$*"; }

# All packages already installed? Then apt is not needed at all (fast and
# works offline on a prepared machine).
deps_missing() {
	local p missing=()
	for p in "${DEPS_PACKAGES[@]}"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
			missing+=("$p")
		fi
	done
	printf '%s\n' "${missing[@]}"
}

# Stop a packaged daemon that an install may have started: only the process
# named in its pid file, and only if that process runs the packaged binary.
deps_stop_service() {
	local name=$1 binary=$2 pidfile pid exe
	for pidfile in "/run/$name.pid" "/var/run/$name.pid" "/run/$name/$name.pid"; do
		[ -r "$pidfile" ] || continue
		pid=$(head -n1 "$pidfile" 2>/dev/null | tr -dc '0-9')
		[ -n "$pid" ] || continue
		exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
		if [ "$exe" = "$binary" ]; then
			deps_log "stopping packaged $name service (pid $pid)"
			kill -TERM "$pid" 2>/dev/null || true
			local _
			for _ in 1 2 3 4 5 6 7 8 9 10; do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.5
			done
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
}

deps_install() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: must run as root to install packages (or use --no-deps)" >&2
		return 1
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "deps: apt-get not found: this script targets Debian 12" >&2
		return 1
	fi

	local missing
	missing=$(deps_missing)
	if [ -z "$missing" ]; then
		deps_log "all build and test dependencies are installed"
		deps_stop_service keepalived /usr/sbin/keepalived
		deps_stop_service snmpd /usr/sbin/snmpd
		deps_stop_service snmptrapd /usr/sbin/snmptrapd
		return 0
	fi
	deps_log "installing: $(echo "$missing" | tr '\n' ' ')"

	# Refuse service starts during the install. Keep an existing policy
	# file (some images ship one) and only remove the one we created.
	local policy=/usr/sbin/policy-rc.d created_policy=0 rc=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\n# installed by scripts/deps.sh for the duration of an install\nexit 101\n' \
			>"$policy"
		chmod 755 "$policy"
		created_policy=1
	fi

	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q || rc=$?
	if [ "$rc" -eq 0 ]; then
		# shellcheck disable=SC2086 # one package name per line
		apt-get install -y -q --no-install-recommends $missing || rc=$?
	fi

	if [ "$created_policy" -eq 1 ]; then
		rm -f "$policy"
	fi
	deps_stop_service keepalived /usr/sbin/keepalived
	deps_stop_service snmpd /usr/sbin/snmpd
	deps_stop_service snmptrapd /usr/sbin/snmptrapd
	if [ "$rc" -ne 0 ]; then
		echo "deps: apt-get failed (exit $rc)" >&2
		return "$rc"
	fi
	deps_log "dependencies installed"
}
