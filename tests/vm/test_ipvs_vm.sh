#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test_ipvs_vm.sh - make check entry: the IPVS netlink client against a real kernel in qemu
#
# The build machines' kernel has no IPVS, so this boots Debian's cloud
# kernel in qemu (software emulation) with an initramfs holding
# ipvs_client_test and guest-ipvs-client.sh, and passes or fails on the
# guest's result. Skips, exit status and the kernel cache: see vm-lib.sh.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/vm/vm-lib.sh"

vm_test "$builddir/tests/vm/ipvs_client_test" guest-ipvs-client.sh 120 "make check builds it"
