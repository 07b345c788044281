#!/usr/bin/env bash
# check-vm.sh - `make check-vm`: boot one Debian kernel in qemu (KVM when
# /dev/kvm is usable, else TCG), run two cases in it and check that the
# results came back as a local run's do.  Not part of `make check`: it
# fetches a kernel package (~70 MB, cached) and takes about a minute
# under TCG.
#   TCPCONFORM_VM_KERNEL=debian:6.1   the kernel (any SPEC `tcpconform vm` takes)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 3
spec=${TCPCONFORM_VM_KERNEL:-debian:6.1}
out=$(mktemp -d /tmp/tcpconform-check-vm.XXXXXX)
trap 'rm -rf "$out"' EXIT
passed=0 failed=0
# A qemu left behind by these runs has lost its tcpconform: it is init's
# now.  (Another tcpconform's qemu on the machine, a bench or a matrix,
# still has its parent and is not counted.)
left_qemu() {
	pgrep -P 1 -f "qemu-system-x86_64.*-initrd /proc/self/fd/" >/dev/null
}
check() {
	if eval "$2"; then
		echo "ok: $1"
		passed=$((passed + 1))
	else
		echo "FAILED: $1"
		failed=$((failed + 1))
	fi
}

# --panic-on-warn (what bench mutants passes): no warning on a good run
build/tcpconform vm --kernel "$spec" --panic-on-warn -o "$out/run" refused connect-close
rc=$?
check "tcpconform vm exits 0 on $spec (got $rc)" '[ "$rc" = 0 ]'
check "the guest ran with panic_on_warn=1 (--panic-on-warn; summary.json)" \
	'grep -q "\"panic_on_warn\": 1" "$out/run/summary.json"'
check "the guest ran with --slip-limit 100, the default for a guest (summary.json)" \
	'grep -q "\"slip_limit_ms\": 100" "$out/run/summary.json"'
check "summary.json, results.ktap, report.html and console.log came back" \
	'[ -s "$out/run/summary.json" ] && [ -s "$out/run/results.ktap" ] && [ -s "$out/run/report.html" ] && [ -s "$out/run/console.log" ]'
check "every variant's trace came back" \
	'[ "$(ls "$out"/run/*/*/trace.pcap 2>/dev/null | wc -l)" = 4 ]'
release=$(sed -n 's/.*"kernel_release": "\([^"]*\)".*/\1/p' "$out/run/summary.json" 2>/dev/null)
kernel=$(sed -n 's/^  "kernel": "\([^"]*\)".*/\1/p' "$out/run/summary.json" 2>/dev/null)
check "summary.json names the guest's kernel ($kernel), not the host's ($(uname -r))" \
	'[ -n "$kernel" ] && [ "$kernel" = "$release" ] && [ "$kernel" != "$(uname -r)" ]'
accel=$(sed -n 's/.*"accel": "\([a-z]*\)".*/\1/p' "$out/run/summary.json" 2>/dev/null)
check "summary.json names the accelerator ($accel) and, under TCG, why not KVM" \
	'[ "$accel" = kvm ] || { [ "$accel" = tcg ] && grep -q "\"why_not_kvm\": \"." "$out/run/summary.json"; }'
check "the console shows the guest's stages" 'grep -q "tcpconform-vm: sent 0" "$out/run/console.log"'
check "no qemu is left running" '! left_qemu'

# The other two SPEC forms, on the same kernel: the unpacked image with its
# modules directory, and the package file itself.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/tcpconform/kernels
root=$(ls -d "$cache"/linux-image-"$kernel"_*/root 2>/dev/null | head -1)
if [ -n "$root" ] && [ -f "$root/boot/vmlinuz-$kernel" ]; then
	build/tcpconform vm --kernel "$root/boot/vmlinuz-$kernel:$root/lib/modules/$kernel" \
		-o "$out/image" --family 4 refused >"$out/image.log" 2>&1
	rc=$?
	check "SPEC bzImage:MODDIR boots and runs (got $rc)" \
		'[ "$rc" = 0 ] && grep -q "\"kernel\": \"$kernel\"" "$out/image/summary.json"'
else
	check "the unpacked kernel of $spec is in the cache ($cache)" false
fi
pkg=$(sed -n 's/.*"origin": "\(linux-image-[^ ]*\) \([^"]*\)".*/\1=\2/p' "$out/run/summary.json" | head -1)
# tcpconform's own apt (its lists hold every suite), never the host's.
aptconf=${cache%/kernels}/apt/apt.conf
if [ -n "$pkg" ] && [ -f "$aptconf" ] &&
	(cd "$out" && APT_CONFIG=$aptconf apt-get download "$pkg" >/dev/null 2>&1); then
	deb=$(ls "$out"/linux-image-*.deb | head -1)
	build/tcpconform vm --kernel "$deb" -o "$out/deb" --family 4 refused >"$out/deb.log" 2>&1
	rc=$?
	check "SPEC FILE.deb boots and runs (got $rc)" \
		'[ "$rc" = 0 ] && grep -q "\"kernel\": \"$kernel\"" "$out/deb/summary.json"'
else
	echo "skip: SPEC FILE.deb (apt-get download $pkg failed: no Debian mirror?)"
fi

# A matrix: the guest and the host at once, each its own directory and log
# below -o, then the matrix page and the diff.
build/tcpconform vm --kernels "$spec",host --vms 2 -o "$out/matrix" --family 4 refused \
	>"$out/matrix.log" 2>&1
rc=$?
check "vm --kernels $spec,host --vms 2 exits 0 (got $rc)" '[ "$rc" = 0 ]'
check "each kernel's results and log below -o, the matrix page and the diff" \
	'[ "$(ls "$out"/matrix/*/summary.json | wc -l)" = 2 ] && [ "$(ls "$out"/matrix/*.log | wc -l)" = 2 ] && [ -s "$out/matrix/matrix.html" ] && ls "$out"/matrix/diff-*.txt >/dev/null'
check "both ran at once" 'grep -q "2 at once" "$out/matrix.log"'
check "the guest's run has the default --slip-limit, the host's none" \
	'grep -q "\"slip_limit_ms\": 0" "$out/matrix/host/summary.json" && [ "$(grep -l "\"slip_limit_ms\": 100" "$out"/matrix/*/summary.json | wc -l)" = 1 ]'
check "no qemu is left after it" '! left_qemu'

# Failures name their cause within their limits and leave no qemu.
# A boot that cannot reach /init in time (1 s: even the kernel needs more).
t0=$(date +%s)
build/tcpconform vm --kernel "$spec" --accel tcg --boot-timeout 1 -o "$out/hang" refused \
	>"$out/hang.log" 2>&1
rc=$?
check "a boot over its limit is exit 3 naming the stage (got $rc, $(($(date +%s) - t0)) s)" \
	'[ "$rc" = 3 ] && grep -q "did not reach /init (a boot that hangs) within" "$out/hang.log" && [ $(($(date +%s) - t0)) -lt 30 ]'
check "no qemu is left after it" '! left_qemu'
# A module the guest cannot load: the same modules, veth.ko not a module.
if [ -n "$root" ]; then
	mods=$(mktemp -d "${cache%/kernels}/check-vm-mods.XXXXXX")
	trap 'rm -rf "$out" "$mods"' EXIT
	cp -al "$root/lib/modules/$kernel" "$mods/" 2>/dev/null || cp -a "$root/lib/modules/$kernel" "$mods/"
	rm -f "$mods/$kernel/kernel/drivers/net/veth.ko"*
	echo "not a module" >"$mods/$kernel/kernel/drivers/net/veth.ko"
	build/tcpconform vm --kernel "$root/boot/vmlinuz-$kernel:$mods/$kernel" -o "$out/badmod" \
		--family 4 refused >"$out/badmod.log" 2>&1
	rc=$?
	check "a module the guest cannot load is exit 3 naming it (got $rc)" \
		'[ "$rc" = 3 ] && grep -q "module the run needs did not load: .*veth" "$out/badmod.log"'
	check "no qemu is left after it" '! left_qemu'
fi
echo "check-vm: $passed passed, $failed failed"
[ "$failed" = 0 ]
