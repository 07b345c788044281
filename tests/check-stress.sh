#!/usr/bin/env bash
# check-stress.sh - `make check-stress`: timing rows under load (issue 17
# item 3).  STRESS_RUNS (default 10) runs of the catalogue on a guest and
# on the host at once (`vm --kernels STRESS_KERNELS`, default
# debian:6.1,host) while `stress-ng --cpu N` keeps every CPU busy.  Passes
# when every run exits 0: no check differs from its table, a timing check
# being widened only by the slip its own run measured.  Prints each run's
# exit, wall time and largest timer slip (summary.json timer_slip_ms), then
# the largest slip of all.  Not part of `make check`: 6 to 7.5 min a run on 2 cores under TCG.
# Each run takes /tmp/tcpconform-vm.lock (as the other VM targets do), and
# the load runs only while it is held.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 3
kernels=${STRESS_KERNELS:-debian:6.1,host}
runs=${STRESS_RUNS:-10}
cpus=$(nproc)
out=results/check-stress-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out" || exit 3
failed=0
maxslip=0
for i in $(seq 1 "$runs"); do
	exec 9>/tmp/tcpconform-vm.lock && flock 9
	stress-ng --cpu "$cpus" --timeout 0 >"$out/stress$i.log" 2>&1 &
	sp=$!
	t0=$(date +%s.%N)
	build/tcpconform vm --kernels "$kernels" -o "$out/run$i" >"$out/run$i.log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	kill "$sp" 2>/dev/null
	wait "$sp" 2>/dev/null
	exec 9>&-
	slip=$(find "$out/run$i" -name summary.json -exec python3 -c '
import json, sys
print(max([json.load(open(f)).get("timer_slip_ms") or 0 for f in sys.argv[1:]] + [0]))' {} + | sort -g | tail -1)
	slip=${slip:-0}
	# variants run again after failing under a slip (--rerun-slipped), and
	# how many of those passed then
	again=$(find "$out/run$i" -name summary.json -exec python3 -c '
import json, sys
n = ok = 0
for f in sys.argv[1:]:
    for v in json.load(open(f)).get("variants", []):
        if v.get("earlier_runs"):
            n += 1
            ok += v.get("verdict") not in ("fail", "error")
print("%d run again, %d as expected then" % (n, ok))' {} +)
	printf 'stress run %d: exit %d, %.1f s, largest timer slip %s ms, %s (%s)\n' "$i" "$rc" \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$slip" "$again" "$out/run$i"
	[ "$rc" = 0 ] || {
		failed=$((failed + 1))
		grep -E 'fail|error' "$out/run$i.log" | head -5 | sed 's/^/  /'
	}
	maxslip=$(printf '%s\n%s\n' "$maxslip" "$slip" | sort -g | tail -1)
done
echo "check-stress: $runs run(s) of $kernels under stress-ng --cpu $cpus, $failed with a difference; largest timer slip $maxslip ms (results: $out)"
[ "$failed" = 0 ]
