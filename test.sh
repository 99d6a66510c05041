#!/bin/bash
# test.sh - install dependencies, build and run every test (Debian 12, as root)
#
#   ./test.sh            everything: deps, -Werror build + make check,
#                        ASan/UBSan build + make check, fuzzers,
#                        make distcheck
#   ./test.sh --no-deps  do not install packages with apt-get
#   ./test.sh --quick    only the -Werror build and its make check
#
# Environment: FUZZ_SECONDS (default 60) bounds each fuzzer run;
# CHECK_TIMEOUT (default 1200) each make check; JOBS (default: nproc) the
# make parallelism.
# Exits non-zero on the first failure after printing "FAILED: <step>".
set -u -o pipefail

usage() {
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
}

opt_deps=1
opt_quick=0
for arg in "$@"; do
	case "$arg" in
	--no-deps) opt_deps=0 ;;
	--quick) opt_quick=1 ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		echo "test.sh: unknown option '$arg'" >&2
		usage >&2
		exit 2
		;;
	esac
done

TOP=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
cd "$TOP" || exit 1
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
CHECK_TIMEOUT=${CHECK_TIMEOUT:-1200}

tests_passed=0
tests_failed=0
steps_done=()

note() { printf '\n==> %s\n' "$*"; }

summary() {
	echo
	echo "== test.sh summary =="
	local s
	for s in "${steps_done[@]}"; do
		echo "  ok: $s"
	done
	echo "tests: $tests_passed passed, $tests_failed failed"
}

fail() {
	local step=$1
	summary
	echo "FAILED: $step"
	exit 1
}

# Print the automake test logs of a build directory (the summary log names
# every failing test and includes its output).
show_test_logs() {
	local dir=$1 f
	for f in "$dir/test-suite.log" "$dir"/tests/*/test-suite.log; do
		[ -f "$f" ] || continue
		echo "----- $f -----"
		cat "$f"
	done
}

# After a timeout: the tests that had started but not finished (a .log
# without its .trs) and what they printed so far.
show_running_tests() {
	local dir=$1 log
	while IFS= read -r log; do
		[ -f "${log%.log}.trs" ] && continue
		echo "----- still running: ${log#"$dir"/} -----"
		tail -n 30 "$log"
	done < <(find "$dir/tests" -name '*.log' 2>/dev/null)
}

# Add the PASS/FAIL counts of a make check run to the totals.
count_tests() {
	local log=$1/test-suite.log p f
	[ -f "$log" ] || return 0
	p=$(sed -n 's/^# PASS: *\([0-9]*\)$/\1/p' "$log" | head -n1)
	f=$(sed -n 's/^# FAIL: *\([0-9]*\)$/\1/p' "$log" | head -n1)
	tests_passed=$((tests_passed + ${p:-0}))
	tests_failed=$((tests_failed + ${f:-0}))
}

# configure, make and make check in an out-of-tree directory.
# Usage: build_and_check NAME DIR [configure args and VAR=value...]
build_and_check() {
	local name=$1 dir=$2
	shift 2
	mkdir -p "$dir" || fail "$name: mkdir $dir"
	note "$name: configure in $dir"
	(cd "$dir" && "$TOP/configure" "$@") || fail "$name: configure"
	note "$name: make -j$JOBS"
	make -C "$dir" -j"$JOBS" || fail "$name: make"
	note "$name: make check (at most $CHECK_TIMEOUT s)"
	local rc=0
	timeout -k 30 "$CHECK_TIMEOUT" make -C "$dir" -j"$JOBS" check || rc=$?
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		show_running_tests "$dir"
		fail "$name: make check did not finish in $CHECK_TIMEOUT s"
	elif [ "$rc" -ne 0 ]; then
		show_test_logs "$dir"
		count_tests "$dir"
		fail "$name: make check"
	fi
	count_tests "$dir"
	steps_done+=("$name: build and make check")
}

if [ -f "$TOP/config.status" ]; then
	echo "test.sh: the source tree is configured in place; run 'make distclean' there first" >&2
	fail "source tree is configured in place"
fi

# ---- 1. dependencies -------------------------------------------------------
if [ "$opt_deps" -eq 1 ]; then
	note "installing build and test dependencies"
	# shellcheck source=scripts/deps.sh
	. "$TOP/scripts/deps.sh" || fail "deps: cannot read scripts/deps.sh"
	deps_install || fail "deps: apt-get install"
	steps_done+=("dependencies")
fi

# ---- 2. bootstrap ------------------------------------------------------------
note "bootstrap (autoreconf)"
./bootstrap || fail "bootstrap"
steps_done+=("bootstrap")

# ---- 3. manual pages ---------------------------------------------------------
note "man pages: groff -ww (every warning is a failure)"
if command -v groff >/dev/null 2>&1; then
	for page in doc/*.[1-8]; do
		msgs=$(groff -ww -man -t -z "$page" 2>&1)
		if [ -n "$msgs" ]; then
			echo "$msgs"
			fail "man page $page"
		fi
	done
	steps_done+=("man pages")
else
	echo "groff not installed: man pages not checked"
fi

# ---- 4. warnings-as-errors build ------------------------------------------
WERROR_DIR=$TOP/build/werror
build_and_check "werror" "$WERROR_DIR" --enable-werror --enable-snmp

if [ "$opt_quick" -eq 1 ]; then
	summary
	echo "test.sh: quick run passed (ASan, fuzzers and distcheck skipped)"
	exit 0
fi

# ---- 5. sanitizer build ------------------------------------------------------
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build_and_check "asan" "$TOP/build/asan" CC=gcc --enable-snmp \
	CFLAGS="-g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	LDFLAGS="-fsanitize=address,undefined"

# ---- 6. fuzzers ------------------------------------------------------------------
# tests/fuzz/build.sh OUTPUT builds the configuration fuzzer (libFuzzer) as
# OUTPUT. Every fuzz_NAME target in build/fuzz runs for FUZZ_SECONDS on the
# seeds of tests/fuzz/corpus/NAME/; new inputs go to a scratch corpus so the
# committed seeds stay as they are.
FUZZ_DIR=$TOP/build/fuzz
note "fuzz: build the configuration fuzzer"
mkdir -p "$FUZZ_DIR" || fail "fuzz: mkdir $FUZZ_DIR"
[ -x "$TOP/tests/fuzz/build.sh" ] || fail "fuzz: tests/fuzz/build.sh is missing"
rm -f "$FUZZ_DIR"/fuzz_*
"$TOP/tests/fuzz/build.sh" "$FUZZ_DIR/fuzz_cfg" || fail "fuzz: build"
fuzzers=()
for f in "$FUZZ_DIR"/fuzz_*; do
	[ -f "$f" ] && [ -x "$f" ] && fuzzers+=("$f")
done
[ "${#fuzzers[@]}" -gt 0 ] || fail "fuzz: build.sh built no fuzz_* target in $FUZZ_DIR"
for fuzzer in "${fuzzers[@]}"; do
	name=${fuzzer##*/fuzz_}
	seeds=$TOP/tests/fuzz/corpus/$name
	[ -d "$seeds" ] || seeds=$TOP/tests/fuzz/corpus
	work=$FUZZ_DIR/run-$name
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/artifacts"
	note "fuzz: fuzz_$name for $FUZZ_SECONDS s (seeds: ${seeds#"$TOP"/})"
	if ! (cd "$work" && "$fuzzer" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
		"$work/corpus" "$seeds"); then
		ls -l "$work/artifacts" 2>/dev/null
		fail "fuzz: fuzz_$name found a crash, leak or timeout (input in ${work#"$TOP"/}/artifacts)"
	fi
	tests_passed=$((tests_passed + 1))
	steps_done+=("fuzz: fuzz_$name ran $FUZZ_SECONDS s without a finding")
done

# ---- 7. distcheck --------------------------------------------------------------
# The two passes above ran every test; distcheck proves that the tarball
# builds, installs and uninstalls, and runs the fast tests from it.
DISTCHECK_TESTS="tests/unit/test_cfg_lex tests/unit/test_vrrp_packet tests/conf/run-conf-tests.sh"
note "distcheck in $WERROR_DIR"
if ! timeout -k 30 $((CHECK_TIMEOUT * 2)) \
	make -C "$WERROR_DIR" -j"$JOBS" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror \
	TESTS="$DISTCHECK_TESTS"; then
	for f in "$WERROR_DIR"/keepalived-ng-*/_build/sub/test-suite.log; do
		[ -f "$f" ] && { echo "----- $f -----"; cat "$f"; }
	done
	fail "distcheck"
fi
tests_passed=$((tests_passed + 1))
steps_done+=("distcheck")

summary
echo "test.sh: all steps passed"
