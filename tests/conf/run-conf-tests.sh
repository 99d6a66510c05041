#!/bin/bash
# run-conf-tests.sh - check `keepalived -t` on the sample and test configurations
#
# Run by `make check` with top_srcdir and top_builddir in the environment
# (defaults: this script's tree and the same directory).
#
#   conf-examples/*.conf, tests/conf/good/*.conf   must pass: exit 0
#   tests/conf/bad/*.conf    must be refused: exit 3, and stderr must hold
#                            "FILE:LINE: error: ..." with the fragment
#   tests/conf/warn/*.conf   must pass with a warning: exit 0, and stderr
#                            must hold "FILE:LINE: warning: ..." with it
#
# A bad or warn file declares what it expects on its first line:
#     # expect: LINE: fragment           (location in the file itself)
#     # expect: FILE:LINE: fragment      (location in an included FILE)
# Any file may add "# args: OPTIONS" in its first lines for extra command
# line options (e.g. "-i lb1" for conditional configurations).
# A good file may add "# dump-has: TEXT" lines: the configuration dumped by
# `keepalived -t -d` must then contain each TEXT (proof that includes,
# conditionals, parameters and quoting were understood, not just accepted).
#
# Usage: run-conf-tests.sh [FILE...]   (default: every file listed above)
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
KEEPALIVED=${KEEPALIVED:-$top_builddir/daemon/keepalived}
EXIT_BAD=3

if [ ! -x "$KEEPALIVED" ]; then
	echo "run-conf-tests: $KEEPALIVED not built" >&2
	exit 99 # hard error for the automake harness
fi

# Run from an empty scratch directory so that relative includes can only
# work through the including file's directory, as documented.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/conf-tests.XXXXXX") || exit 99
trap 'rm -rf "$scratch"' EXIT

passed=0
failed=0
out=$scratch/stdout
err=$scratch/stderr

ok() {
	passed=$((passed + 1))
	echo "ok - $1"
}

not_ok() {
	failed=$((failed + 1))
	echo "not ok - $1: $2"
	echo "  command: $KEEPALIVED ${extra_args[*]} -t -f $3"
	echo "  exit status: $4"
	sed 's/^/  stdout: /' "$out"
	sed 's/^/  stderr: /' "$err"
}

# A sanitizer report means the run is broken whatever the exit status.
sanitizer_report() {
	grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:|Sanitizer:DEADLYSIGNAL' "$err"
}

# Read the "# args:" line of a file into extra_args.
read_args() {
	local line
	extra_args=()
	line=$(head -n 10 "$1" | sed -n 's/^[#!][[:space:]]*args:[[:space:]]*//p' | head -n1)
	if [ -n "$line" ]; then
		read -r -a extra_args <<<"$line"
	fi
}

# Run the config test of one file (more options may follow the file name);
# sets rc, fills $out and $err.
run_test() {
	local file=$1
	shift
	read_args "$file"
	(cd "$scratch" && "$KEEPALIVED" "${extra_args[@]}" "$@" -t -f "$file" >"$out" 2>"$err")
	rc=$?
}

# Every "# dump-has:" text of a file must be in its -d dump; prints the
# first one missing.
dump_missing() {
	local file=$1 want
	grep -q '^[#!][[:space:]]*dump-has:' "$file" || return 1
	run_test "$file" -d
	while IFS= read -r want; do
		if ! grep -qF -- "$want" "$out"; then
			echo "$want"
			return 0
		fi
	done < <(sed -n 's/^[#!][[:space:]]*dump-has:[[:space:]]*//p' "$file")
	return 1
}

check_good() {
	local file=$1 name=$2 missing
	run_test "$file"
	if sanitizer_report; then
		not_ok "$name" "sanitizer report" "$file" "$rc"
	elif [ "$rc" -ne 0 ]; then
		not_ok "$name" "expected exit 0" "$file" "$rc"
	elif grep -q ': error:' "$err"; then
		not_ok "$name" "exit 0 but an error was printed" "$file" "$rc"
	elif missing=$(dump_missing "$file"); then
		if sanitizer_report || [ "$rc" -ne 0 ]; then
			not_ok "$name" "-d run failed" "$file" "$rc"
		else
			not_ok "$name" "the -d dump lacks '$missing'" "$file" "$rc"
		fi
	else
		ok "$name"
	fi
}

# check_expect FILE NAME LEVEL WANT_RC
check_expect() {
	local file=$1 name=$2 level=$3 want_rc=$4 spec loc frag where lines
	spec=$(head -n1 "$file" | sed -n 's/^[#!][[:space:]]*expect:[[:space:]]*//p')
	if [ -z "$spec" ]; then
		failed=$((failed + 1))
		echo "not ok - $name: first line must be '# expect: [FILE:]LINE: fragment'"
		return
	fi
	loc=${spec%%: *}
	frag=${spec#*: }
	if [[ $loc == *:* ]]; then
		where="${loc%:*}:${loc##*:}:" # FILE:LINE: in an included file
	else
		where="$(basename "$file"):$loc:"
	fi
	run_test "$file"
	# The expected location and the fragment must be on the same line,
	# and that line must be of the expected level.
	lines=$(grep -F -- "$where" "$err" | grep -F -- " $level: " | grep -F -- "$frag")
	if sanitizer_report; then
		not_ok "$name" "sanitizer report" "$file" "$rc"
	elif [ "$rc" -ne "$want_rc" ]; then
		not_ok "$name" "expected exit $want_rc" "$file" "$rc"
	elif [ -z "$lines" ]; then
		not_ok "$name" "no '$where ... $level: ...$frag...' line on stderr" "$file" "$rc"
	else
		ok "$name"
	fi
}

classify() {
	local file=$1 rel
	rel=${file#"$top_srcdir"/}
	case "$rel" in
	tests/conf/bad/*) check_expect "$file" "$rel" error "$EXIT_BAD" ;;
	tests/conf/warn/*) check_expect "$file" "$rel" warning 0 ;;
	*) check_good "$file" "$rel" ;;
	esac
}

files=()
if [ $# -gt 0 ]; then
	for f in "$@"; do
		files+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")")
	done
else
	shopt -s nullglob
	files=("$top_srcdir"/conf-examples/*.conf "$top_srcdir"/tests/conf/good/*.conf
		"$top_srcdir"/tests/conf/bad/*.conf "$top_srcdir"/tests/conf/warn/*.conf)
	shopt -u nullglob
fi

for f in "${files[@]}"; do
	classify "$f"
done

echo "conf: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
