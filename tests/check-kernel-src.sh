#!/usr/bin/env bash
# check-kernel-src.sh - `make check-kernel-src` (by hand, not CI): a kernel
# built from source the way kernel developers build it, through
# `--kernel src:PATH`, must pass the catalogue with the verdicts of the
# Debian kernel built from the same source, and the developer's loop is
# timed.  A first run builds the whole kernel (about 9 minutes on 2 cores).
#   TCPCONFORM_KERNEL_SRC=PATH   the tree (default: Debian's linux-source-6.1,
#                                installed and unpacked into the cache)
#   TCPCONFORM_KERNEL_REF=SPEC   the kernel to compare with (default debian:6.1)
set -uo pipefail
cd "$(dirname "$0")/.."
cache=${XDG_CACHE_HOME:-$HOME/.cache}/tcpconform
src=${TCPCONFORM_KERNEL_SRC:-}
ref=${TCPCONFORM_KERNEL_REF:-debian:6.1}
if [ -z "$src" ]; then
	src=$cache/src/linux-source-6.1
	if [ ! -f "$src/Makefile" ]; then
		if [ ! -f /usr/src/linux-source-6.1.tar.xz ]; then
			echo "check-kernel-src: installing linux-source-6.1" >&2
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
				linux-source-6.1 >/dev/null || exit 3
		fi
		mkdir -p "$cache/src"
		echo "check-kernel-src: unpacking /usr/src/linux-source-6.1.tar.xz into $cache/src" >&2
		tar xJf /usr/src/linux-source-6.1.tar.xz -C "$cache/src" || exit 3
	fi
fi
out=$(mktemp -d /tmp/tcpconform-check-ksrc.XXXXXX)
trap 'rm -rf "$out"' EXIT
passed=0 failed=0
check() {
	if eval "$2"; then
		echo "ok: $1"
		passed=$((passed + 1))
	else
		echo "FAILED: $1"
		failed=$((failed + 1))
	fi
}

build/tcpconform vm --kernel "src:$src" -o "$out/src"
rc=$?
check "the catalogue passes on the kernel built from $src (exit $rc)" '[ "$rc" = 0 ]'
build/tcpconform vm --kernel "$ref" -o "$out/ref"
rc=$?
check "the catalogue passes on $ref (exit $rc)" '[ "$rc" = 0 ]'
build/tcpconform diff "$out/ref" "$out/src" > "$out/diff.txt"
rc=$?
cat "$out/diff.txt"
check "the same verdicts on both (tcpconform diff exit $rc)" '[ "$rc" = 0 ]'
build/tcpconform bench kernel-loop "src:$src" -o "$out/loop" | tee "$out/loop.txt"
check "the developer's loop ran" 'grep -q "^full_build_s=" "$out/loop.txt"'
check "no qemu is left running" '! pgrep -f "qemu-system-x86_64.*-initrd /proc/self/fd/" >/dev/null'
echo "check-kernel-src: $passed passed, $failed failed"
[ "$failed" = 0 ]
