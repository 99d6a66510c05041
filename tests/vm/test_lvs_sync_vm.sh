#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_lvs_sync_vm.sh - make check entry: IPVS connection sync following VRRP, in qemu
#
# The build machines' kernel has no IPVS, so this boots Debian's cloud
# kernel in qemu (software emulation) with an initramfs holding our
# daemon/keepalived and guest-lvs-sync.sh, which runs two directors in
# namespaces of the guest (VRRP + a virtual_server + lvs_sync_daemon) and
# checks with `ipvsadm -L --daemon` and `ipvsadm -Lnc` that the master
# and backup sync daemons follow the VRRP state and that connections made
# through the master reach the backup (see the guest script).
# Downloads and the extracted kernel are cached in $KA_VM_CACHE (default
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

"$srcdir/tests/vm/build-initramfs.sh" "$cache" "$work/initramfs.img" \
	"$daemon" "$srcdir/tests/vm/guest-lvs-sync.sh"
rc=$?
if [ "$rc" -eq 77 ]; then
	echo "SKIP: the Debian cloud kernel package cannot be downloaded (no network?)"
	exit 77
fi
if [ "$rc" -ne 0 ]; then
	echo "FAIL: building the initramfs (exit $rc)"
	exit 1
fi

"$srcdir/tests/vm/run-vm.sh" "$cache/vmlinuz" "$work/initramfs.img" guest-lvs-sync.sh 300
rc=$?
[ "$rc" -eq 0 ] && exit 0
echo "FAIL: guest test exit code $rc"
exit 1
