#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# demo-run.sh - run the demo scenario on this kernel when it has IPVS, else in a qemu VM
#
# Usage: scripts/demo-run.sh [--host | --vm] BUILD_DIR
#
# BUILD_DIR is a configured and built tree (BUILD_DIR/daemon/keepalived).
# The scenario itself is scripts/demo-scenario.sh. It needs IPVS in the
# kernel: when /proc/net/ip_vs exists or `modprobe ip_vs` works it runs
# here, in network namespaces; otherwise it runs inside qemu (software
# emulation) booting Debian's cloud kernel with an initramfs made by
# tests/vm/build-initramfs.sh, and the guest's narration is streamed here
# as it is written. --host or --vm forces the choice.
# KA_VM_CACHE: where the kernel and busybox downloads are kept (default
# BUILD_DIR/vm-cache); KA_VM_SMP: CPUs of the VM (default 2).
#
# Exit status: the scenario's (0 success, 1 a step failed), 1 when the
# demo cannot be run at all, 77 when the VM's kernel cannot be downloaded.
set -u -o pipefail

SRC=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
mode=auto
while [ $# -gt 0 ]; do
	case "$1" in
	--host) mode=host ;;
	--vm) mode=vm ;;
	-*)
		echo "demo-run: unknown option '$1'" >&2
		exit 2
		;;
	*) break ;;
	esac
	shift
done
[ $# -eq 1 ] || {
	echo "usage: demo-run.sh [--host | --vm] BUILD_DIR" >&2
	exit 2
}
BUILD=$(cd "$1" && pwd) || exit 1
KA=$BUILD/daemon/keepalived
CACHE=${KA_VM_CACHE:-$BUILD/vm-cache}
WORK=
QPID=

die() {
	printf 'demo-run: %s\n' "$*" >&2
	exit 1
}

cleanup() {
	[ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null && kill -TERM "$QPID" 2>/dev/null
	[ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || die "run as root (network namespaces and IPVS need it)"
[ -x "$KA" ] || die "$KA is not built"
command -v ip >/dev/null || die "iproute2's ip is needed"
command -v ipvsadm >/dev/null || die "ipvsadm is needed (apt-get install ipvsadm)"

# Why the scenario runs where it runs, in one sentence.
reason=
if [ "$mode" = auto ]; then
	if [ -e /proc/net/ip_vs ]; then
		mode=host reason="this kernel has IPVS (/proc/net/ip_vs exists)"
	elif command -v modprobe >/dev/null && modprobe -q ip_vs 2>/dev/null &&
		[ -e /proc/net/ip_vs ]; then
		mode=host reason="this kernel has IPVS (module ip_vs loaded with modprobe)"
	else
		mode=vm reason="this kernel has no IPVS (no /proc/net/ip_vs, modprobe ip_vs fails)"
	fi
else
	reason="chosen with --$mode"
fi

WORK=$(mktemp -d /tmp/keepalived-demo-run.XXXXXX) || die "mktemp failed"
"${CC:-cc}" -std=gnu11 -O2 -Wall -o "$WORK/demo-smtp-sink" "$SRC/scripts/demo-smtp-sink.c" ||
	die "cannot compile scripts/demo-smtp-sink.c"

# busybox (httpd, wget, timeout, nsenter) for the host: the system's if it
# has all four, else busybox-static's binary kept in the cache (the VM
# image takes it from there as well).
host_busybox() {
	local deb a
	if command -v busybox >/dev/null; then
		for a in httpd wget timeout nsenter; do
			busybox "$a" --help >/dev/null 2>&1 || break
		done
		if busybox nsenter --help >/dev/null 2>&1 && [ "$a" = nsenter ]; then
			command -v busybox
			return 0
		fi
	fi
	if [ ! -x "$CACHE/busybox" ]; then
		mkdir -p "$CACHE/bb.tmp" || return 1
		(cd "$CACHE/bb.tmp" && apt-get download busybox-static) >/dev/null 2>&1 || return 1
		deb=$(find "$CACHE/bb.tmp" -maxdepth 1 -name 'busybox-static_*.deb' | head -n1)
		[ -n "$deb" ] && dpkg -x "$deb" "$CACHE/bb.tmp/x" && cp "$CACHE/bb.tmp/x/bin/busybox" \
			"$CACHE/busybox" || return 1
		rm -rf "$CACHE/bb.tmp"
	fi
	echo "$CACHE/busybox"
}

run_host() {
	local bb
	bb=$(host_busybox) || die "busybox is needed (apt-get install busybox-static)"
	mkdir -p "$WORK/bin"
	ln -s "$KA" "$WORK/bin/keepalived"
	ln -s "$SRC/daemon/ka-rs-setup" "$WORK/bin/ka-rs-setup"
	ln -s "$WORK/demo-smtp-sink" "$WORK/bin/demo-smtp-sink"
	ln -s "$bb" "$WORK/bin/busybox"
	PATH="$WORK/bin:$PATH" /bin/sh "$SRC/scripts/demo-scenario.sh"
}

# The VM: its /init (from build-initramfs.sh) runs /test/demo-scenario.sh
# with the output on the second serial port and the exit code on the
# third; the output file is followed while the guest writes it.
run_vm() {
	local qemu rc t0
	qemu=$(command -v qemu-system-x86_64) ||
		die "qemu-system-x86_64 is needed to run the demo here (apt-get install qemu-system-x86)"
	echo "    preparing the VM image (kernel download on the first run, cached in $CACHE)"
	"$SRC/tests/vm/build-initramfs.sh" "$CACHE" "$WORK/initramfs.img" "$KA" \
		"$SRC/daemon/ka-rs-setup" "$WORK/demo-smtp-sink" "$SRC/scripts/demo-scenario.sh"
	rc=$?
	[ $rc -eq 77 ] && {
		echo "demo-run: cannot download Debian's cloud kernel (no network?)" >&2
		exit 77
	}
	[ $rc -eq 0 ] || die "building the VM image failed"
	echo "    booting $(cat "$CACHE/kernel.stamp" 2>/dev/null || echo the kernel) in qemu" \
		"(software emulation); the narration below comes from inside the VM"
	: >"$WORK/output"
	t0=$(date +%s)
	timeout 600 "$qemu" -nodefaults -machine pc -accel tcg -cpu max \
		-smp "${KA_VM_SMP:-2}" -m 512 -display none -monitor none -nic none -no-reboot \
		-kernel "$CACHE/vmlinuz" -initrd "$WORK/initramfs.img" \
		-append "console=ttyS0 panic=-1 rdinit=/init quiet loglevel=1 ka_test=demo-scenario.sh" \
		-serial "file:$WORK/console" -serial "file:$WORK/output" -serial "file:$WORK/rc" \
		</dev/null >"$WORK/qemu.log" 2>&1 &
	QPID=$!
	tail -n +1 -f --pid="$QPID" "$WORK/output"
	wait "$QPID"
	rc=$?
	QPID=
	local grc
	grc=$(tr -dc '0-9' <"$WORK/rc" 2>/dev/null)
	if [ -z "$grc" ]; then
		[ $rc -eq 124 ] && rc="$rc, timed out"
		echo "demo-run: the VM stopped without an exit code (qemu exit $rc); its console:" >&2
		tail -n 30 "$WORK/console" "$WORK/qemu.log" >&2
		return 1
	fi
	echo "    (VM: $(($(date +%s) - t0)) s from boot to power-off, scenario exit code $grc)"
	return "$grc"
}

echo "==> Mode: $mode: $reason"
if [ "$mode" = host ]; then
	run_host
else
	run_vm
fi
