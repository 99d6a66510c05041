#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vm-lib.sh - the qemu test entries' common part: paths, skip rules, initramfs, boot
#
# Sourced by tests/vm/test_*_vm.sh (bash). Sets srcdir, builddir and cache:
# downloads and the extracted kernel are kept in $KA_VM_CACHE (default
# ${TMPDIR:-/tmp}/ka-vm-cache). Every image also holds guest-lib.sh, the
# guest scripts' own helpers.
#
# Exit status of an entry: 0 pass, 1 fail, 77 (skip) only when
# qemu-system-x86_64 is not installed or the kernel package cannot be
# downloaded.
set -u -o pipefail

srcdir=${top_srcdir:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
builddir=${top_builddir:-$srcdir}
cache=${KA_VM_CACHE:-${TMPDIR:-/tmp}/ka-vm-cache}

# vm_start FILE [HINT]: skip without qemu, fail when FILE (what the guest
# runs) is not built; then $work is a directory removed at exit.
vm_start() {
	if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
		echo "SKIP: qemu-system-x86_64 is not installed (Debian: qemu-system-x86)"
		exit 77
	fi
	if [ ! -x "$1" ]; then
		echo "FAIL: $1 not built${2:+ ($2)}"
		exit 1
	fi
	work=$(mktemp -d) || exit 1
	trap 'rm -rf "$work"' EXIT
}

# vm_build FILE...: $work/initramfs.img with each FILE and guest-lib.sh in
# /test; returns build-initramfs.sh's code (77: no kernel package).
vm_build() {
	"$srcdir/tests/vm/build-initramfs.sh" "$cache" "$work/initramfs.img" \
		"$@" "$srcdir/tests/vm/guest-lib.sh"
}

# vm_built RC: go on when the image was built (RC 0), else skip or fail.
vm_built() {
	if [ "$1" -eq 77 ]; then
		echo "SKIP: the Debian cloud kernel package cannot be downloaded (no network?)"
		exit 77
	fi
	if [ "$1" -ne 0 ]; then
		echo "FAIL: building the initramfs (exit $1)"
		exit 1
	fi
}

# vm_run GUEST [TIMEOUT_SECONDS]: boot the image, run /test/GUEST and exit
# 0 when it passed, 1 otherwise (run-vm.sh prints its output).
vm_run() {
	local rc

	"$srcdir/tests/vm/run-vm.sh" "$cache/vmlinuz" "$work/initramfs.img" "$@"
	rc=$?
	[ "$rc" -eq 0 ] && exit 0
	echo "FAIL: guest test exit code $rc"
	exit 1
}

# vm_test FILE GUEST [TIMEOUT_SECONDS [HINT]]: a whole entry whose guest
# script GUEST (in tests/vm) needs FILE, the one thing built for it.
vm_test() {
	vm_start "$1" "${4:-}"
	vm_build "$1" "$srcdir/tests/vm/$2"
	vm_built $?
	vm_run "$2" "${3:-120}"
}
