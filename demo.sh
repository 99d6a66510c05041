#!/bin/bash
# demo.sh - install, build, then show two LVS directors running keepalived-ng in namespaces
#
#   ./demo.sh              install dependencies (Debian 12, root), build,
#                          run the demo
#   ./demo.sh --no-deps    skip the package installation
#
# Everything the demo creates lives in network namespaces of its own
# (director1-N, director2-N and a bridge namespace lan-N, N = this script's
# pid) and in a temporary directory; all of it is removed on exit. No
# interface or address of the host is touched.
set -u -o pipefail

opt_deps=1
for arg in "$@"; do
	case "$arg" in
	--no-deps) opt_deps=0 ;;
	-h | --help)
		sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "demo.sh: unknown option '$arg'" >&2
		exit 2
		;;
	esac
done

TOP=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
cd "$TOP" || exit 1
BUILD=$TOP/build/demo
KA=$BUILD/daemon/keepalived

say() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() {
	printf '\ndemo.sh: %s\n' "$*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root (network namespaces need it)"

# ---- install and build -------------------------------------------------------

if [ "$opt_deps" -eq 1 ]; then
	say "Installing build dependencies (apt-get)"
	# shellcheck source=scripts/deps.sh
	. "$TOP/scripts/deps.sh" || die "cannot read scripts/deps.sh"
	deps_install || die "dependency installation failed"
fi

say "Building keepalived-ng in build/demo"
if [ -f "$TOP/config.status" ]; then
	die "the source tree is configured in place; run 'make distclean' there first"
fi
if [ ! -x "$TOP/configure" ]; then
	./bootstrap || die "bootstrap failed"
fi
mkdir -p "$BUILD" || die "cannot create $BUILD"
if [ ! -f "$BUILD/Makefile" ]; then
	(cd "$BUILD" && "$TOP/configure" >configure.out 2>&1) ||
		{ cat "$BUILD/configure.out"; die "configure failed"; }
fi
make -C "$BUILD" -j"$(nproc 2>/dev/null || echo 2)" >"$BUILD/make.out" 2>&1 ||
	{ tail -n 40 "$BUILD/make.out"; die "build failed (full log: build/demo/make.out)"; }
info "built $KA"
info "$("$KA" --version 2>&1 | head -n1)"

# ---- the stage ---------------------------------------------------------------

command -v ip >/dev/null || die "iproute2 is needed"

SFX=$$
NS1=director1-$SFX
NS2=director2-$SFX
NSLAN=lan-$SFX
WORK=$(mktemp -d /tmp/keepalived-demo.XXXXXX) || die "mktemp failed"
STARTED=() # pids of daemons this script started
NAMESPACES=()

# Everything created above is undone here, whatever happens.
cleanup() {
	set +e
	local p f ns
	for f in "$WORK"/*.pid; do
		[ -f "$f" ] && STARTED+=("$(cat "$f" 2>/dev/null)")
	done
	for p in "${STARTED[@]}"; do
		[ -n "$p" ] && kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null
	done
	sleep 0.5
	for p in "${STARTED[@]}"; do
		[ -n "$p" ] && kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
	for ns in "${NAMESPACES[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_for MS COMMAND...: retry the command every 50 ms until it succeeds
wait_for() {
	local deadline=$(($(now_ms) + $1))
	shift
	until "$@"; do
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}
pid_of() { cat "$1" 2>/dev/null || true; }
alive() {
	local st
	[ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[[ $st != Z* ]]
}
pid_changed() { local p; p=$(pid_of "$1"); [ -n "$p" ] && [ "$p" != "$2" ] && alive "$p"; }
gone() { local p; for p in "$@"; do alive "$p" && return 1; done; return 0; }

say "Creating the network: two directors joined by a bridge, all in namespaces"
for ns in "$NSLAN" "$NS1" "$NS2"; do
	ip netns add "$ns" || die "cannot create namespace $ns"
	NAMESPACES+=("$ns")
	ip -n "$ns" link set lo up
done
ip -n "$NSLAN" link add br0 type bridge || die "cannot create a bridge"
ip -n "$NSLAN" link set br0 up
n=1
for ns in "$NS1" "$NS2"; do
	# The veth is created in the bridge namespace and its peer moved
	# straight into the director's: the host's namespace never sees it.
	ip -n "$NSLAN" link add "d$n" type veth peer name eth0 netns "$ns" ||
		die "cannot create a veth pair"
	ip -n "$NSLAN" link set "d$n" master br0 up
	ip -n "$ns" addr add "10.99.0.$n/24" dev eth0
	ip -n "$ns" link set eth0 up
	n=$((n + 1))
done
info "$NS1: eth0 10.99.0.1/24      $NS2: eth0 10.99.0.2/24"
info "bridge br0 in $NSLAN; virtual address 10.99.0.100; real servers 10.99.0.21-23"

# The two directors' configurations are the LVS-DR pair of conf-examples/,
# moved onto the demo's addresses.
make_conf() { # make_conf SRC DST
	sed -e 's/203\.0\.113\.10\b/10.99.0.100/g' -e 's/203\.0\.113\./10.99.0./g' \
		-e '/^ *notify /d' "$1" >"$2"
}
make_conf conf-examples/lvs-dr-master.conf "$WORK/director1.conf"
make_conf conf-examples/lvs-dr-backup.conf "$WORK/director2.conf"
say "Configurations: conf-examples/lvs-dr-{master,backup}.conf on the demo addresses"
info "director1: $(grep -E '^ *(state|priority) ' "$WORK/director1.conf" | xargs)"
info "director2: $(grep -E '^ *(state|priority) ' "$WORK/director2.conf" | xargs)"

say "Checking them with 'keepalived -t' (exit status 0 = usable)"
for d in director1 director2; do
	rc=0
	out=$("$KA" -t -f "$WORK/$d.conf" 2>&1) || rc=$?
	info "$d.conf: exit $rc: $out"
	[ "$rc" -eq 0 ] || die "the demo configuration $d.conf is refused"
done

say "A deliberately broken copy: every mistake is reported as file:line, and it would not start"
sed -e 's/priority 150/priority 300/' -e 's/lvs_sched wrr/lvs_sched fastest/' \
	-e 's/virtual_router_id 51/virtual_router_id 51\n    advert_intervall 1/' \
	-e 's|10\.99\.0\.100/24 dev eth0|10.99.0.100/33 dev eth0|' \
	"$WORK/director1.conf" >"$WORK/broken.conf"
rc=0
out=$(cd "$WORK" && "$KA" -t -f broken.conf 2>&1) || rc=$?
while IFS= read -r line; do info "$line"; done <<<"$out"
info "exit status $rc (3 = configuration errors)"
[ "$rc" -eq 3 ] || die "the broken configuration was not refused as expected"

# One daemon per director: its own namespace, pid files and logs.
start_director() { # start_director NAME NAMESPACE
	local d=$1
	"$KA" --namespace "$2" -f "$WORK/$d.conf" -p "$WORK/$d.pid" -r "$WORK/$d-vrrp.pid" \
		-c "$WORK/$d-checkers.pid" --log-file="$WORK/$d.log" -G ||
		die "$d did not start (log: $(tail -n 5 "$WORK/$d.log" 2>/dev/null))"
	STARTED+=("$(pid_of "$WORK/$d.pid")")
}
say "Starting keepalived in each director's namespace (keepalived --namespace ...)"
start_director director1 "$NS1"
start_director director2 "$NS2"
for d in director1 director2; do
	wait_for 3000 alive "$(pid_of "$WORK/$d-vrrp.pid")" ||
		die "$d: VRRP child missing"
	wait_for 3000 alive "$(pid_of "$WORK/$d-checkers.pid")" ||
		die "$d: checker child missing"
done

role_of() { # role_of NAME PID
	case "$2" in
	"$(pid_of "$WORK/$1.pid")") echo "parent" ;;
	"$(pid_of "$WORK/$1-vrrp.pid")") echo "VRRP child" ;;
	"$(pid_of "$WORK/$1-checkers.pid")") echo "checker child" ;;
	*) echo "?" ;;
	esac
}
show_tree() { # show_tree NAME
	local d=$1 p pid ppid comm
	p=$(pid_of "$WORK/$1.pid")
	ps -o pid=,ppid=,comm= -p "$p" --ppid "$p" |
		while read -r pid ppid comm; do
			printf '    %-10s %7s %7s  %-14s %s\n' "$d" "$pid" "$ppid" "$comm" \
				"$(role_of "$d" "$pid")"
		done
}
say "Process tree: a parent and its two children (VRRP and health checker) per director"
printf '    %-10s %7s %7s  %-14s %s\n' DIRECTOR PID PPID COMMAND ROLE
show_tree director1
show_tree director2
info "(the parent only supervises and relays signals; each child does one job)"

# Who holds the virtual address, if anyone.
vip_holder() {
	local ns
	for ns in "$NS1" "$NS2"; do
		if ip -n "$ns" -br addr show dev eth0 2>/dev/null | grep -q ' 10\.99\.0\.100/'; then
			echo "$ns"
			return 0
		fi
	done
	return 1
}
vip_on() { [ "$(vip_holder)" = "$1" ]; }
say "VRRP: which director holds the virtual address 10.99.0.100?"
ENGINE=0
if wait_for 6000 vip_holder >/dev/null; then
	ENGINE=1
	info "$(vip_holder) holds it: that director is the VRRP master"
else
	info "neither yet: VRRP elections (moving 10.99.0.100 to the master) and health"
	info "checks of the real servers arrive with the VRRP and checker engines;"
	info "the demo grows with them. Today: configuration, processes, signals."
fi
for ns in "$NS1" "$NS2"; do
	info "$ns: $(ip -n "$ns" -br addr show dev eth0 | awk '{$1=""; print}')"
done

say "Crash test: kill -9 the VRRP child of director1; the parent starts a new one"
old=$(pid_of "$WORK/director1-vrrp.pid")
t0=$(now_ms)
kill -KILL "$old"
wait_for 3000 pid_changed "$WORK/director1-vrrp.pid" "$old" ||
	die "the VRRP child was not restarted"
new=$(pid_of "$WORK/director1-vrrp.pid")
info "VRRP child pid $old -> $new, restarted in $(($(now_ms) - t0)) ms"
info "log: $(grep -F "pid $old" "$WORK/director1.log" | tail -n 1)"

say "Reload (SIGHUP): director2 gets priority 110 instead of 100"
sed -i 's/^    priority 100$/    priority 110/' "$WORK/director2.conf"
reloads() { grep -c "configuration reloaded" "$1" 2>/dev/null || true; }
more_reloads() { [ "$(reloads "$1")" -gt "$2" ]; }
before=$(reloads "$WORK/director2_vrrp.log")
kill -HUP "$(pid_of "$WORK/director2.pid")"
if wait_for 3000 more_reloads "$WORK/director2_vrrp.log" "${before:-0}"; then
	info "log: $(grep "configuration reloaded" "$WORK/director2_vrrp.log" | tail -n 1)"
else
	info "(no reload line in the VRRP child's log yet)"
fi
info "same children, same pids: $(pid_of "$WORK/director2-vrrp.pid") and $(pid_of "$WORK/director2-checkers.pid")"

say "Reload with a broken file: refused, the running configuration stays"
cp "$WORK/director2.conf" "$WORK/director2.good"
sed -i 's/^    priority 110$/    priority 0/' "$WORK/director2.conf"
kill -HUP "$(pid_of "$WORK/director2.pid")"
if wait_for 3000 grep -q "keeping the running configuration" "$WORK/director2.log"; then
	grep -E "error|keeping the running" "$WORK/director2.log" | tail -n 2 |
		while IFS= read -r line; do info "log: $line"; done
else
	info "(no refusal logged)"
fi
cp "$WORK/director2.good" "$WORK/director2.conf"

say "Clean shutdown: SIGTERM to each parent, director1 first"
for d in director1 director2; do
	p=$(pid_of "$WORK/$d.pid")
	v=$(pid_of "$WORK/$d-vrrp.pid")
	c=$(pid_of "$WORK/$d-checkers.pid")
	t0=$(now_ms)
	kill -TERM "$p"
	if wait_for 8000 gone "$p" "$v" "$c"; then
		info "$d: parent $p and children $v, $c gone in $(($(now_ms) - t0)) ms"
	else
		info "$d: still running after 8 s"
	fi
	if [ ! -e "$WORK/$d.pid" ] && [ ! -e "$WORK/$d-vrrp.pid" ]; then
		info "$d: pid files removed"
	fi
	if [ "$d" = director1 ] && [ "$ENGINE" -eq 1 ]; then
		if wait_for 5000 vip_on "$NS2"; then
			info "failover: $NS2 took over 10.99.0.100 in $(($(now_ms) - t0)) ms"
		else
			info "failover: 10.99.0.100 is on '$(vip_holder || echo nobody)' after 5 s"
		fi
	fi
done

say "Done. Namespaces, veths and temporary files are being removed."
info "Next: ./test.sh runs every test (unit, configuration, process, sanitizers, fuzzer)."
