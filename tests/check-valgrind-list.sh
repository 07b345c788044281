#!/usr/bin/env bash
# check-valgrind-list.sh TEST... - the tests `make valgrind` leaves out
# (the Makefile's VALGRIND_CHILD_ONLY) must run the code under test only in
# child processes: every harness function linked into one of them must be
# linked into a test memcheck does run, so that leaving it out checks
# nothing less.  Exit 1 naming the test and the functions when not.
set -euo pipefail
b=${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Functions and data the harness library defines.
nm -g --defined-only "$b/libtcpconform.a" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/lib"
# What a test binary links of it.
linked() { nm --defined-only "$1" | awk 'NF == 3 { print $3 }' | sort -u | comm -12 "$tmp/lib" -; }

: >"$tmp/covered"
for t in "$b"/tests/test_*; do
	[ -x "$t" ] && [ "${t%.valgrind}" = "$t" ] || continue
	skip=0
	for n in "$@"; do [ "${t##*/}" = "$n" ] && skip=1; done
	[ $skip = 1 ] || linked "$t" >>"$tmp/covered"
done
sort -u -o "$tmp/covered" "$tmp/covered"

bad=0
for n in "$@"; do
	t="$b/tests/$n"
	if [ ! -x "$t" ]; then
		echo "check-valgrind-list: $n is not a test program ($t)" >&2
		bad=1
		continue
	fi
	only=$(linked "$t" | comm -23 - "$tmp/covered" | sed -n 1,5p | tr '\n' ' ')
	if [ -n "$only" ]; then
		echo "check-valgrind-list: $n links harness code no test under memcheck links: $only" >&2
		echo "  (run it under valgrind: take it out of VALGRIND_CHILD_ONLY)" >&2
		bad=1
	fi
done
exit $bad
