#!/bin/bash
# demo.sh - install, build, then show keepalived-ng running an LVS-DR pair with failover
#
#   ./demo.sh              install dependencies (Debian 12, root), build,
#                          run the demo
#   ./demo.sh --no-deps    skip the package installation
#   ./demo.sh --vm         run the demo in a qemu VM even if this kernel has IPVS
#
# The demo (scripts/demo-run.sh, scripts/demo-scenario.sh): two directors
# sharing a VIP by VRRP in front of two web servers, a client and an SMTP
# server, each in a network namespace of its own; configuration check,
# election, traffic, a director crash, a web server failure, mails. It
# needs IPVS: without it in this kernel it runs inside qemu. Everything it
# creates is removed at the end; no interface of the host is touched.
set -u -o pipefail

opt_deps=1
run_opts=()
for arg in "$@"; do
	case "$arg" in
	--no-deps) opt_deps=0 ;;
	--vm) run_opts+=(--vm) ;;
	-h | --help)
		sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
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

# ---- the demo ----------------------------------------------------------------

# scripts/demo-run.sh runs the scenario here when this kernel has IPVS,
# otherwise in qemu with Debian's cloud kernel, and says which and why.
# Every step checks what it shows, so a failure ends the demo with a
# message and a non-zero exit code.
say "The demo"
t0=$(date +%s)
"$TOP/scripts/demo-run.sh" "${run_opts[@]}" "$BUILD"
rc=$?
[ "$rc" -eq 0 ] || die "the demo failed (exit code $rc)"
info "demo finished in $(($(date +%s) - t0)) s"
info "Next: ./test.sh runs every test (unit, configuration, process, sanitizers, fuzzer)."
