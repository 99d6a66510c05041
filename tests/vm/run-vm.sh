#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-vm.sh - boot the IPVS test VM, run one guest test script, return its output and exit code
#
# Usage: run-vm.sh KERNEL INITRD TEST [TIMEOUT_SECONDS]
#
# Boots KERNEL with INITRD (from build-initramfs.sh) in qemu's software
# emulation (TCG: KVM hangs on nested virtualisation) and has the guest's
# /init run /test/TEST. The guest writes the script's output to its second
# serial port and the exit code to the third; both land in files here, so
# kernel console noise never mixes with them. Prints the output and exits
# with the guest script's code; 1 with the console log when the guest did
# not report one (crash, timeout). TIMEOUT_SECONDS defaults to 120.
# KA_VM_SMP and KA_VM_MEM (MB) size the VM (default 1 CPU, 512 MB).
set -u -o pipefail

if [ $# -lt 3 ]; then
	echo "usage: run-vm.sh KERNEL INITRD TEST [TIMEOUT_SECONDS]" >&2
	exit 2
fi
kernel=$1
initrd=$2
test=$3
limit=${4:-120}

qemu=$(command -v qemu-system-x86_64) || {
	echo "run-vm: qemu-system-x86_64 not found" >&2
	exit 1
}
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT

start=$(date +%s.%N)
timeout "$limit" "$qemu" -nodefaults -machine pc -accel tcg -cpu max \
	-smp "${KA_VM_SMP:-1}" -m "${KA_VM_MEM:-512}" -display none -monitor none -nic none -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 rdinit=/init quiet loglevel=1 ka_test=$test" \
	-serial "file:$dir/console" -serial "file:$dir/output" -serial "file:$dir/rc" \
	</dev/null >"$dir/qemu.log" 2>&1
qrc=$?
end=$(date +%s.%N)

cat "$dir/output" 2>/dev/null
rc=$(tr -dc '0-9' <"$dir/rc" 2>/dev/null)
printf 'run-vm: guest %s finished in %s s' "$test" \
	"$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
if [ -z "$rc" ]; then
	echo ", without an exit code (qemu exit $qrc$([ "$qrc" = 124 ] && echo ": timed out"))"
	echo "---- guest console ----"
	cat "$dir/console" "$dir/qemu.log" 2>/dev/null
	exit 1
fi
echo ", exit code $rc"
exit "$rc"
