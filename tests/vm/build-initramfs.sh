#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# build-initramfs.sh - fetch Debian's cloud kernel and build a small initramfs for IPVS tests
#
# Usage: build-initramfs.sh CACHE_DIR OUT_IMAGE [FILE...]
#
# CACHE_DIR keeps what is slow to get and never changes for one kernel
# version: the downloaded .deb packages and CACHE_DIR/vmlinuz plus the
# modules (reused when present; the download runs only once). OUT_IMAGE is
# a gzip'ed newc cpio holding:
#   /init            boots, loads the modules, runs the test named by
#                    ka_test=NAME on the kernel command line (see run-vm.sh)
#   /bin/sh          the host's dash (busybox's shell prefers its applets)
#   /sbin/ip         iproute2's ip (busybox's has no netns)
#   /sbin/ipvsadm    Debian's ipvsadm
#   /bin/busybox     busybox-static and links for the basic tools
#   /modules/*.ko    libcrc32c, nf_defrag_*, nf_conntrack(_sip), ip_vs, the
#                    ip_vs_* schedulers, ip_vs_pe_sip, veth, dummy, bridge
#   /test/FILE       each FILE given, executables with their shared libraries
# Nothing here needs root: the archive is written from a list, so
# /dev/console is a node in the archive without mknod.
#
# Exit status: 0 on success, 77 when the kernel (or busybox) package cannot
# be downloaded (no network, no apt lists), 1 on any other failure.
set -u -o pipefail

die() {
	echo "build-initramfs: $*" >&2
	exit 1
}
skip() {
	echo "build-initramfs: $*" >&2
	exit 77
}

[ $# -ge 2 ] || die "usage: build-initramfs.sh CACHE_DIR OUT_IMAGE [FILE...]"
cache=$1
out=$2
shift 2
mkdir -p "$cache" || die "cannot create $cache"
cache=$(cd "$cache" && pwd)

# Insert order matters: each module after the ones it depends on.
MODULES="libcrc32c nf_defrag_ipv4 nf_defrag_ipv6 nf_conntrack nf_conntrack_sip ip_vs
ip_vs_rr ip_vs_wrr ip_vs_lc ip_vs_wlc ip_vs_lblc ip_vs_lblcr ip_vs_dh ip_vs_sh ip_vs_sed
ip_vs_nq ip_vs_fo ip_vs_ovf ip_vs_mh ip_vs_pe_sip veth dummy llc stp bridge"

APPLETS="awk cat cmp cp cut diff dmesg echo env grep head insmod ls lsmod mkdir mount mv poweroff ps
reboot rm sed seq sleep sort stty tail tr true false umount uname wc"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || die "python3 is needed to write the cpio archive"

# Download package $1 (an exact name) into the cache unless a .deb of it is
# there already. Prints the .deb path.
fetch_deb() {
	local name=$1 deb
	deb=$(ls "$cache/${name}"_*.deb 2>/dev/null | head -n1)
	if [ -z "$deb" ]; then
		(cd "$cache" && apt-get download "$name") >"$cache/apt-$name.log" 2>&1 || return 1
		deb=$(ls "$cache/${name}"_*.deb 2>/dev/null | head -n1)
		[ -n "$deb" ] || return 1
		# A download cut short must not poison the cache.
		if ! dpkg-deb --fsys-tarfile "$deb" >/dev/null 2>&1; then
			rm -f "$deb"
			return 1
		fi
	fi
	echo "$deb"
}

# The kernel: the exact package linux-image-cloud-amd64 depends on now;
# without apt lists, any cloud kernel already in the cache will do.
kernel_deb() {
	local name deb old
	name=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -n "$name" ]; then
		deb=$(fetch_deb "$name") || return 1
		# Keep one kernel: drop those an older package list pointed to.
		for old in "$cache"/linux-image-*-cloud-amd64_*.deb; do
			[ "$old" = "$deb" ] || rm -f "$old"
		done
		echo "$deb"
		return 0
	fi
	ls "$cache"/linux-image-*-cloud-amd64_*.deb 2>/dev/null | head -n1 | grep .
}

# Serialize downloads and extraction between concurrent runs.
exec 9>"$cache/.lock"
flock 9

deb=$(kernel_deb) || skip "cannot download the Debian cloud kernel package (no network?)"
bbdeb=$(fetch_deb busybox-static) || skip "cannot download busybox-static (no network?)"
stamp=$(basename "$deb")
if [ "$(cat "$cache/kernel.stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$cache/kernel" "$cache/kernel.tmp" "$cache/vmlinuz"
	mkdir -p "$cache/kernel.tmp"
	dpkg -x "$deb" "$cache/kernel.tmp" || { rm -f "$deb"; die "cannot extract $deb"; }
	cp "$cache"/kernel.tmp/boot/vmlinuz-* "$cache/vmlinuz" || die "no vmlinuz in $deb"
	mv "$cache/kernel.tmp" "$cache/kernel"
	echo "$stamp" >"$cache/kernel.stamp"
fi
if [ ! -x "$cache/busybox" ]; then
	rm -rf "$cache/bb.tmp"
	dpkg -x "$bbdeb" "$cache/bb.tmp" || { rm -f "$bbdeb"; die "cannot extract $bbdeb"; }
	cp "$cache/bb.tmp/bin/busybox" "$cache/busybox" || die "no busybox in $bbdeb"
	rm -rf "$cache/bb.tmp"
fi
flock -u 9

stage=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$stage"' EXIT
list=$stage/list

# Archive entries; the writer below adds missing parent directories.
entry() { printf '%s\n' "$*" >>"$list"; }
added=" "
add_file() { # archive path, source, mode
	case "$added" in *" $1 "*) return 0 ;; esac
	added="$added$1 "
	entry file "$1" "$2" "$3"
}

# An executable and the libraries ldd says it loads, at the same paths.
add_exec() { # archive path, source
	local lib
	[ -f "$2" ] || die "missing executable $2"
	add_file "$1" "$2" 755
	ldd "$2" >"$stage/ldd" 2>&1 || return 0       # static: no libraries
	grep -q 'not found' "$stage/ldd" && die "$2: $(grep 'not found' "$stage/ldd" | head -n1)"
	for lib in $(awk '/=> \// { print $3 } /^\t\// { print $1 }' "$stage/ldd"); do
		add_file "$lib" "$(readlink -f "$lib")" 755
	done
}

entry dir /dev 755
entry nod /dev/console 600 5 1
for d in /proc /sys /tmp /run /etc /modules /test; do
	entry dir "$d" 755
done

add_exec /bin/sh "$(readlink -f /bin/sh)"
ipbin=$(command -v ip) || die "iproute2's ip not found"
add_exec /sbin/ip "$ipbin"
ipvsadm=$(command -v ipvsadm) || die "ipvsadm not found (apt-get install ipvsadm)"
add_exec /sbin/ipvsadm "$ipvsadm"
add_file /bin/busybox "$cache/busybox" 755
for a in $APPLETS; do
	entry slink "/bin/$a" busybox
done

kdir=$(ls -d "$cache"/kernel/lib/modules/* | head -n1)
: >"$stage/order"
for m in $MODULES; do
	ko=$(find "$kdir/kernel" -name "$m.ko" | head -n1)
	[ -n "$ko" ] || die "module $m not in $(basename "$deb")"
	add_file "/modules/$m.ko" "$ko" 644
	echo "$m" >>"$stage/order"
done
add_file /modules/order "$stage/order" 644

for f in "$@"; do
	[ -f "$f" ] || die "no such file: $f"
	if [ -x "$f" ] && head -c4 "$f" | grep -q ELF; then
		add_exec "/test/$(basename "$f")" "$f"
	else
		add_file "/test/$(basename "$f")" "$f" 755
	fi
done

cat >"$stage/init" <<'EOF'
#!/bin/sh
# /init of the IPVS test VM: modules, then the test, then power off.
PATH=/test:/sbin:/bin
export PATH
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
while read -r m; do
	insmod "/modules/$m.ko" || echo "init: insmod $m failed"
done </modules/order
# ttyS1 carries the test's output, ttyS2 its exit code; no \r added.
stty 115200 -onlcr </dev/ttyS1
stty 115200 -onlcr </dev/ttyS2
test=$(sed -n 's/.*ka_test=\([^ ]*\).*/\1/p' /proc/cmdline)
cd /tmp
if [ -f "/test/$test" ]; then
	/bin/sh "/test/$test" >/dev/ttyS1 2>&1
	rc=$?
else
	echo "init: no test '$test' in /test" >/dev/ttyS1
	rc=125
fi
echo "$rc" >/dev/ttyS2
# Let the serial lines drain before the power goes.
stty -onlcr </dev/ttyS1
stty -onlcr </dev/ttyS2
echo 0 >/proc/sys/kernel/printk
reboot -f
EOF
add_file /init "$stage/init" 755

tmp_out=$out.tmp.$$
"$PY" - "$list" <<'EOF' | gzip -6 >"$tmp_out" || die "cannot write $out"
# Write a newc cpio archive from the entry list to stdout.
import os, stat, sys

out = sys.stdout.buffer
ino = [100]
seen = set()

def header(name, mode, size=0, nlink=1, rmaj=0, rmin=0):
    ino[0] += 1
    name_b = name.lstrip('/').encode() + b'\0' if name != 'TRAILER!!!' else b'TRAILER!!!\0'
    fields = [ino[0], mode, 0, 0, nlink, 0, size, 0, 0, rmaj, rmin, len(name_b), 0]
    h = b'070701' + b''.join(b'%08X' % f for f in fields) + name_b
    out.write(h + b'\0' * (-len(h) % 4))

def data(b):
    out.write(b + b'\0' * (-len(b) % 4))

def parents(path):
    parts = path.strip('/').split('/')[:-1]
    for i in range(len(parts)):
        d = '/' + '/'.join(parts[:i + 1])
        if d not in seen:
            seen.add(d)
            header(d, stat.S_IFDIR | 0o755, nlink=2)

for line in open(sys.argv[1]):
    kind, path, *rest = line.split()
    parents(path)
    if path in seen:
        continue
    seen.add(path)
    if kind == 'dir':
        header(path, stat.S_IFDIR | int(rest[0], 8), nlink=2)
    elif kind == 'nod':
        header(path, stat.S_IFCHR | int(rest[0], 8), rmaj=int(rest[1]), rmin=int(rest[2]))
    elif kind == 'slink':
        target = rest[0].encode()
        header(path, stat.S_IFLNK | 0o777, size=len(target))
        data(target)
    elif kind == 'file':
        with open(rest[0], 'rb') as f:
            content = f.read()
        header(path, stat.S_IFREG | int(rest[1], 8), size=len(content))
        data(content)
header('TRAILER!!!', 0)
EOF
mv "$tmp_out" "$out" || die "cannot write $out"
