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
# Skips, exit status and the kernel cache: see vm-lib.sh.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/vm/vm-lib.sh"

vm_test "$builddir/daemon/keepalived" guest-lvs-sync.sh 300
