#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# build.sh - build every libFuzzer target (tests/fuzz/fuzz_*.c)
#
# Usage: tests/fuzz/build.sh [OUTPUT]     (default: /tmp/fuzz_cfg; CC defaults to clang)
#
# The configuration fuzzer is written to OUTPUT, and every other
# tests/fuzz/fuzz_NAME.c to fuzz_NAME in the same directory (so
# `build.sh build/fuzz/fuzz_cfg` fills build/fuzz with all of them).
#
# Each target is linked with every .c under lib/ vrrp/ check/ ipvs-glue/
# daemon/ except the programs' main() files (daemon/main.c, check/genhash.c),
# so the targets follow the tree as files are added; the library sources are
# compiled once, in parallel, and shared by all targets. Files of optional
# features that need extra libraries (*snmp*, *systemd*) are left out, as a
# default ./configure leaves them out. No configure run is needed: the few
# autoconf definitions the sources use are given here.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/fuzz_cfg}
outdir=$(dirname "$out")
gen=$(mktemp -d)
trap 'rm -rf "$gen"' EXIT
cc=${CC:-clang}

version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$top/configure.ac")
cat > "$gen/config.h" <<EOH
#define PACKAGE_VERSION "${version:-0}"
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
EOH

cd "$top"
mkdir -p "$outdir" "$gen/obj"
# shellcheck disable=SC2046 # word splitting of pkg-config output is wanted
set -- -g -O1 -std=gnu11 -fno-sanitize-recover=undefined \
	-DHAVE_CONFIG_H -I"$gen" -I lib -I . \
	-DSYSCONFDIR='"/etc"' -DRUNSTATEDIR='"/run"' \
	$(pkg-config --cflags libnl-3.0 libnl-route-3.0 libmnl openssl)
libs=$(pkg-config --libs libnl-3.0 libnl-route-3.0 libmnl openssl)

# The library objects: one per source, named after its path.
find lib vrrp check ipvs-glue daemon -name '*.c' ! -path daemon/main.c \
	! -path check/genhash.c ! -name '*snmp*' ! -name '*systemd*' | sort >"$gen/srcs"
# Compile in batches of as many jobs as there are CPUs.
jobs=$(nproc 2>/dev/null || echo 2)
pids=""
n=0
failed=0
while read -r src; do
	"$cc" -fsanitize=fuzzer-no-link,address,undefined "$@" -c "$src" \
		-o "$gen/obj/$(echo "$src" | tr / _).o" &
	pids="$pids $!"
	n=$((n + 1))
	if [ "$n" -ge "$jobs" ]; then
		for p in $pids; do wait "$p" || failed=1; done
		pids=""
		n=0
	fi
done <"$gen/srcs"
for p in $pids; do wait "$p" || failed=1; done
[ "$failed" = 0 ] || { echo "build.sh: compiling the library sources failed" >&2; exit 1; }

built=""
for target in tests/fuzz/fuzz_*.c; do
	name=$(basename "$target" .c)
	if [ "$name" = fuzz_cfg ]; then
		dest=$out
	else
		dest=$outdir/$name
	fi
	# shellcheck disable=SC2086 # word splitting of $libs is wanted
	"$cc" -fsanitize=fuzzer,address,undefined "$@" "$target" "$gen"/obj/*.o $libs -o "$dest"
	built="$built $dest"
done
echo "built$built"
