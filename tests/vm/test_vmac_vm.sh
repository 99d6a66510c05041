#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vmac_vm.sh - make check entry: use_ipvlan, in qemu
#
# The build machines' kernel has no ipvlan, so this boots Debian's cloud
# kernel in qemu with an initramfs holding our daemon/keepalived, the
# kernel's ipvlan.ko and guest-vmac.sh, which runs two directors with
# use_ipvlan in namespaces of the guest (see the guest script).
# Skips, exit status and the kernel cache: see vm-lib.sh.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/vm/vm-lib.sh"

daemon=$builddir/daemon/keepalived
vm_start "$daemon"

# ipvlan.ko comes from the cached kernel: a first build fills the cache
ipvlan_ko() { find "$cache"/kernel/lib/modules/*/kernel -name ipvlan.ko 2>/dev/null | head -n1; }
rc=0
[ -n "$(ipvlan_ko)" ] || vm_build "$daemon" || rc=$?
if [ "$rc" -eq 0 ]; then
	ko=$(ipvlan_ko)
	if [ -z "$ko" ]; then
		echo "FAIL: no ipvlan.ko in the cached kernel"
		exit 1
	fi
	vm_build "$daemon" "$ko" "$srcdir/tests/vm/guest-vmac.sh" || rc=$?
fi
vm_built "$rc"
vm_run guest-vmac.sh 300
