#!/usr/bin/env bash
# check-matrix.sh - `make check-matrix`: the catalogue on the four kernels
# kernel CI cares about most (Debian's newest 5.10, 6.1 and 6.12, and the
# host), as one parallel matrix (`vm --kernels`), MATRIX_RUNS times
# (default 3), then one kernel alone for the time ratio.  Passes when every
# kernel of every run exits 0: every check as its table expects on that
# kernel, so every difference between kernels is a row with its source.
# Not part of `make check`: it fetches three kernels and takes ~10 min.
#   MATRIX_KERNELS=debian:5.10@bullseye-security,...   the kernels
#   MATRIX_RUNS=3                                      the repetitions
#   MATRIX_VMS=N                                       vm --vms (default: its own)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 3
kernels=${MATRIX_KERNELS:-debian:5.10@bullseye-security,debian:6.1,debian:6.12,host}
runs=${MATRIX_RUNS:-3}
vms=${MATRIX_VMS:+--vms $MATRIX_VMS}
out=results/check-matrix-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out" || exit 3
failed=0
for i in $(seq 1 "$runs"); do
	t0=$(date +%s.%N)
	# shellcheck disable=SC2086
	build/tcpconform vm --kernels "$kernels" $vms -o "$out/run$i" >"$out/run$i.log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	printf 'matrix run %d: exit %d, %.1f s (%s)\n' "$i" "$rc" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$out/run$i"
	grep -E 'exit [0-9]+, ' "$out/run$i.log" | sed 's/^/  /'
	[ "$rc" = 0 ] || failed=$((failed + 1))
done
t0=$(date +%s.%N)
build/tcpconform vm --kernel debian:6.1 -o "$out/one" >"$out/one.log" 2>&1
rc=$?
t1=$(date +%s.%N)
printf 'one kernel (debian:6.1): exit %d, %.1f s\n' "$rc" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
[ "$rc" = 0 ] || failed=$((failed + 1))
echo "check-matrix: $runs matrix run(s) of $kernels, $failed failed (results: $out)"
[ "$failed" = 0 ]
