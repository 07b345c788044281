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
	# per kernel: the largest timer slip, the variants run again after
	# failing under one (--rerun-slipped), and how many passed then
	find "$out/run$i" -name summary.json -exec python3 -c '
import json, sys
for f in sorted(sys.argv[1:]):
    s = json.load(open(f))
    again = [v for v in s.get("variants", []) if v.get("earlier_runs")]
    ok = [v for v in again if v.get("verdict") not in ("fail", "error")]
    print("  %s: largest timer slip %.0f ms, %d run again, %d as expected then%s" % (
        s.get("kernel"), s.get("timer_slip_ms") or 0, len(again), len(ok),
        "".join("\n    %s %s: %s" % (v["case"], v["variant"],
                "; ".join("%s %s under %.0f ms" % (r.get("check") or "", r.get("reason"), r.get("timer_slip_ms") or 0)
                          for r in v["earlier_runs"])) for v in again)))' {} +
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
