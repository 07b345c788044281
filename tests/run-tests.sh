#!/usr/bin/env bash
# run-tests.sh TEST... - run cmocka test programs, keep their own output, and
# close with one total line.  Exit 1 when any test failed or a program crashed.
set -uo pipefail

passed=0 failed=0 skipped=0 bad=0
for t in "$@"; do
	out=$(mktemp)
	"$t" 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	rm -f "$out"
	passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0})) skipped=$((skipped + ${s:-0}))
	if [ "$status" != 0 ] && [ -z "$f" ]; then
		echo "run-tests: $t exited with status $status" >&2
		bad=$((bad + 1))
	fi
done
failed=$((failed + bad))
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
