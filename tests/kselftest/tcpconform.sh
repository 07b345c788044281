#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# tcpconform.sh - kselftest-style entry: run the tcpconform catalogue on the
# running kernel and print its results as KTAP on standard output.
#
# Use as a TEST_PROGS item (tools/testing/selftests/net/Makefile style):
#     TEST_PROGS += tcpconform.sh
#     TEST_FILES += tcpconform cases fixtures   # or TCPCONFORM=/path/to/tcpconform
# or run it directly:  tests/kselftest/tcpconform.sh [-o DIR] [CASE...]
# `make install` puts it in PREFIX/libexec/tcpconform/kselftest/, where
# kselftest keeps its installed programs (INSTALL_PATH, e.g.
# /usr/libexec/kselftest/TARGET/): it finds PREFIX/bin/tcpconform from there.
#
# Exit status follows kselftest: 0 pass, 1 fail, 4 skip (KSFT_SKIP: not root,
# no tcpconform binary).  The KTAP document is tcpconform's results.ktap:
# cases as subtests, variants below them, every check with its source.
ksft_skip=4
here=$(cd "$(dirname "$0")" && pwd)

out=
while [ $# -gt 0 ]; do
	case $1 in
	-o) out=$2; shift 2 ;;
	*) break ;;
	esac
done

bin=${TCPCONFORM:-}
# TCPCONFORM, beside the script, the tree's build, the install's
# (PREFIX/libexec/tcpconform/kselftest -> PREFIX/bin), PATH.
for c in "$bin" "$here/tcpconform" "$here/../../build/tcpconform" "$here/../../../bin/tcpconform" \
	"$(command -v tcpconform 2>/dev/null)"; do
	[ -n "$c" ] && [ -x "$c" ] && { bin=$c; break; }
done
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
	echo "KTAP version 1"
	echo "1..0 # SKIP tcpconform binary not found (set TCPCONFORM)"
	exit $ksft_skip
fi
if [ "$(id -u)" != 0 ]; then
	echo "KTAP version 1"
	echo "1..0 # SKIP tcpconform needs root (network namespaces)"
	exit $ksft_skip
fi
# Cases and fixtures: beside the script (installed selftest), else the tree.
for d in "$here" "$here/../.."; do
	if [ -d "$d/cases" ]; then
		: "${TCPCONFORM_CASES:=$d/cases}"
		: "${TCPCONFORM_FIXTURES:=$d/fixtures}"
		break
	fi
done
export TCPCONFORM_CASES TCPCONFORM_FIXTURES

tmp=
if [ -z "$out" ]; then
	tmp=$(mktemp -d /tmp/tcpconform-ksft.XXXXXX)
	out=$tmp/run
	trap 'rm -rf "$tmp"' EXIT INT TERM
fi
# The runner's progress goes to stderr; KTAP alone on stdout.
"$bin" run -o "$out" "$@" >&2
rc=$?
if [ ! -f "$out/results.ktap" ]; then
	echo "KTAP version 1"
	echo "1..0 # SKIP tcpconform could not run (exit $rc)"
	[ "$rc" = 3 ] && exit $ksft_skip
	exit 1
fi
cat "$out/results.ktap"
case $rc in
0) exit 0 ;;
3) exit $ksft_skip ;;
*) exit 1 ;;
esac
