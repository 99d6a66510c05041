#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vmac_vm.sh - make check entry: use_ipvlan, in qemu
#
# The build machines' kernel has no ipvlan, so this boots Debian's cloud
# kernel in qemu with an initramfs holding our daemon/keepalived, the
# kernel's ipvlan.ko and guest-vmac.sh, which runs two directors with
# use_ipvlan in namespaces of the guest (see the guest script). Downloads
# and the extracted kernel are cached in $KA_VM_CACHE (default
# ${TMPDIR:-/tmp}/ka-vm-cache).
#
# Exit status: 0 pass, 1 fail, 77 (skip) only when qemu-system-x86_64 is
# not installed or the kernel package cannot be downloaded.
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
builddir=${top_builddir:-$srcdir}
cache=${KA_VM_CACHE:-${TMPDIR:-/tmp}/ka-vm-cache}
daemon=$builddir/daemon/keepalived

if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	echo "SKIP: qemu-system-x86_64 is not installed (Debian: qemu-system-x86)"
	exit 77
fi
if [ ! -x "$daemon" ]; then
	echo "FAIL: $daemon not built"
	exit 1
fi

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# ipvlan.ko comes from the cached kernel: a first build fills the cache
ipvlan_ko() { find "$cache"/kernel/lib/modules/*/kernel -name ipvlan.ko 2>/dev/null | head -n1; }
build() { "$srcdir/tests/vm/build-initramfs.sh" "$cache" "$work/initramfs.img" "$@"; }
rc=0
[ -n "$(ipvlan_ko)" ] || build "$daemon" || rc=$?
if [ "$rc" -eq 0 ]; then
	ko=$(ipvlan_ko)
	if [ -z "$ko" ]; then
		echo "FAIL: no ipvlan.ko in the cached kernel"
		exit 1
	fi
	build "$daemon" "$ko" "$srcdir/tests/vm/guest-vmac.sh" || rc=$?
fi
if [ "$rc" -eq 77 ]; then
	echo "SKIP: the Debian cloud kernel package cannot be downloaded (no network?)"
	exit 77
fi
if [ "$rc" -ne 0 ]; then
	echo "FAIL: building the initramfs (exit $rc)"
	exit 1
fi

"$srcdir/tests/vm/run-vm.sh" "$cache/vmlinuz" "$work/initramfs.img" guest-vmac.sh 300
rc=$?
[ "$rc" -eq 0 ] && exit 0
echo "FAIL: guest test exit code $rc"
exit 1
