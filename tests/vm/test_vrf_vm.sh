#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_vrf_vm.sh - make check entry: VRRP in a VRF (l3mdev), in qemu
#
# The build machines' kernel has no VRF support, so this boots Debian's
# cloud kernel in qemu with an initramfs holding our daemon, the kernel's
# vrf.ko and macvlan.ko and guest-vrf.sh, which runs two directors whose
# eth0 is enslaved to a VRF, in namespaces of the guest (see the guest
# script). Skips, exit status and the kernel cache: see vm-lib.sh.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/vm/vm-lib.sh"

daemon=$builddir/daemon/keepalived
vm_start "$daemon"

# the modules come from the cached kernel: a first build fills the cache
module_ko() { find "$cache"/kernel/lib/modules/*/kernel -name "$1.ko" 2>/dev/null | head -n1; }
rc=0
[ -n "$(module_ko vrf)" ] || vm_build "$daemon" || rc=$?
if [ "$rc" -eq 0 ]; then
	vrf=$(module_ko vrf)
	macvlan=$(module_ko macvlan)
	if [ -z "$vrf" ] || [ -z "$macvlan" ]; then
		echo "FAIL: no vrf.ko or macvlan.ko in the cached kernel"
		exit 1
	fi
	vm_build "$daemon" "$vrf" "$macvlan" "$srcdir/tests/vm/guest-vrf.sh" || rc=$?
fi
vm_built "$rc"
vm_run guest-vrf.sh 400
