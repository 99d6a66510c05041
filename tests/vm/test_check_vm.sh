#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_check_vm.sh - make check entry: the checker child driving a real IPVS kernel in qemu
#
# The build machines' kernel has no IPVS, so this boots Debian's cloud
# kernel in qemu (software emulation) with an initramfs holding our
# daemon/keepalived and guest-check-run.sh, which runs the checker against
# busybox httpd real servers and compares `ipvsadm -Ln` with what the
# configuration and the servers' health call for (see the guest script).
# Skips, exit status and the kernel cache: see vm-lib.sh.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/vm/vm-lib.sh"

vm_test "$builddir/daemon/keepalived" guest-check-run.sh 300
