#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_demo.sh - make check entry: the scenario of ./demo.sh, end to end, as a smoke test
#
# Runs scripts/demo-run.sh on the daemon just built (no package
# installation, no rebuild): on this kernel if it has IPVS, otherwise in
# the qemu VM like tests/vm/. Every step of the demo checks what it shows
# (election, traffic through LVS-DR to both real servers, failover with its
# mail, a real server pulled out and put back, clean shutdown), so the
# demo's exit code is the verdict. Downloads for the VM are cached in
# $KA_VM_CACHE (default ${TMPDIR:-/tmp}/ka-vm-cache, shared with tests/vm/).
#
# Exit status: 0 pass, 1 fail, 77 (skip) when not root, or when the kernel
# has no IPVS and qemu-system-x86_64 is missing or the kernel package cannot
# be downloaded.
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
builddir=${top_builddir:-$srcdir}
export KA_VM_CACHE=${KA_VM_CACHE:-${TMPDIR:-/tmp}/ka-vm-cache}

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root (network namespaces)"
	exit 77
fi
if [ ! -x "$builddir/daemon/keepalived" ]; then
	echo "FAIL: $builddir/daemon/keepalived not built"
	exit 1
fi
if [ ! -e /proc/net/ip_vs ] && ! command -v qemu-system-x86_64 >/dev/null 2>&1 &&
	! { command -v modprobe >/dev/null && modprobe -q ip_vs 2>/dev/null; }; then
	echo "SKIP: no IPVS in this kernel and no qemu-system-x86_64 to boot one"
	exit 77
fi

start=$(date +%s)
"$srcdir/scripts/demo-run.sh" "$builddir"
rc=$?
echo "# demo-run.sh: exit code $rc after $(($(date +%s) - start)) s"
case $rc in
0) exit 0 ;;
77)
	echo "SKIP: the VM's kernel cannot be downloaded (no network?)"
	exit 77
	;;
*)
	echo "FAIL: the demo scenario failed (exit code $rc)"
	exit 1
	;;
esac
