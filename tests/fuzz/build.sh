#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# build.sh - build the fuzz_cfg libFuzzer target (the whole configuration parser)
#
# Usage: tests/fuzz/build.sh [OUTPUT]     (default: /tmp/fuzz_cfg; CC defaults to clang)
#
# Compiles every .c under lib/ vrrp/ check/ ipvs-glue/ daemon/ except the
# programs' main() files (daemon/main.c, check/genhash.c), so the target
# follows the tree as files are added. Files of optional features that need
# extra libraries (*snmp*, *systemd*) are left out, as a default ./configure
# leaves them out. No configure run is needed: the few autoconf definitions
# the sources use are given here.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-/tmp/fuzz_cfg}
gen=$(mktemp -d)
trap 'rm -rf "$gen"' EXIT

version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$top/configure.ac")
cat > "$gen/config.h" <<EOH
#define PACKAGE_VERSION "${version:-0}"
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
EOH

cd "$top"
srcs=$(find lib vrrp check ipvs-glue daemon -name '*.c' ! -path daemon/main.c \
	! -path check/genhash.c \
	! -name '*snmp*' ! -name '*systemd*' | sort)
# shellcheck disable=SC2086 # word splitting of $srcs and pkg-config output is wanted
${CC:-clang} -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined \
	-DHAVE_CONFIG_H -I"$gen" -I lib -I . \
	-DSYSCONFDIR='"/etc"' -DRUNSTATEDIR='"/run"' \
	tests/fuzz/fuzz_cfg.c $srcs \
	$(pkg-config --cflags --libs libnl-3.0 libnl-route-3.0 libmnl openssl) \
	-o "$out"
echo "built $out"
