#!/usr/bin/env bash
# run-tests.sh TEST... - run cmocka test programs, keep their own output, and
# close with the five slowest programs and one total line, then every
# skip's reason, deduplicated:
#
#   slowest: build/tests/test_mutant 61.2 s, build/tests/test_vm 40.3 s, ...
#   tests: 312 passed, 0 failed, 4 skipped
#   skipped (3): tracefs cannot be mounted here
#   skipped (1) WITHOUT A REASON: build/tests/test_x test_y
#
# A skip's reason is the last "skipped: REASON" line the test printed
# between its "[ RUN      ]" and "[  SKIPPED ]" lines (testlib.h's
# REQUIRE_NETNS() and every other skip print one).  Exit 1 when any test
# failed or a program crashed.
set -uo pipefail

passed=0 failed=0 skipped=0 bad=0
skips=$(mktemp)
times=$(mktemp)
trap 'rm -f "$skips" "$times"' EXIT
for t in "$@"; do
	out=$(mktemp)
	t0=$(date +%s.%N)
	"$t" 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	awk -v t="$t" -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%s\t%.1f\n", t, b - a }' >>"$times"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	# One line per skipped test: its reason, or none.
	awk -v prog="$t" '
		/^\[ RUN      \] / { cur = $4; why = ""; next }
		/^skipped: / { if (cur != "") { why = $0; sub(/^skipped: /, "", why) } next }
		/^\[  SKIPPED \] / {
			if (cur != "" && $4 == cur) {
				if (why == "") print "-\t" prog " " cur; else print "+\t" why
				cur = ""
			}
		}
		/^\[       OK \] |^\[  FAILED  \] / { cur = "" }
	' "$out" >>"$skips"
	rm -f "$out"
	passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0})) skipped=$((skipped + ${s:-0}))
	if [ "$status" != 0 ] && [ -z "$f" ]; then
		echo "run-tests: $t exited with status $status" >&2
		bad=$((bad + 1))
	fi
done
failed=$((failed + bad))
# The slowest programs: where make check's time goes.
echo "slowest: $(sort -t"$(printf '\t')" -k2 -g -r "$times" | head -5 | awk -F'\t' '{ printf "%s%s %s s", (NR > 1 ? ", " : ""), $1, $2 }')"
echo "tests: $passed passed, $failed failed, $skipped skipped"
awk -F'\t' '$1 == "+" { n[$2]++ } $1 == "-" { print "skipped (1) WITHOUT A REASON: " $2 }
	END { for (w in n) print "skipped (" n[w] "): " w }' "$skips" | sort
[ "$failed" = 0 ]
