#!/usr/bin/env bash
# run.sh - set up what is missing, build, and run the catalogue on this kernel.
# The one place that installs packages: make and make check never do.
#
#   ./run.sh [RUN-OPTIONS]   install what is missing for the build and for
#                            `make check` (root, Debian or Ubuntu; it says what
#                            first), build, then `tcpconform run RUN-OPTIONS`
#   ./run.sh --setup         only that set-up step
#   ./run.sh --setup-vm | --setup-kbuild | --setup-deb | --setup-envs
#                            the same, plus what the VM (make check-vm), a kernel
#                            build (make check-kernel-src), the Debian package
#                            (make deb, make check-deb) or make check-envs need
#   ./run.sh --need TARGET   check only (what `make TARGET` runs first): name
#                            what is missing and the command that installs it
#   ./run.sh --kernel SPEC [RUN-OPTIONS]     the catalogue on another kernel in qemu
#                            (SPEC src:PATH: the build tools are installed too)
#   ./run.sh --kernels A,B,... [RUN-OPTIONS] on each, then the matrix and diffs
#
# Exit status: that of tcpconform; 3 when the machine cannot be set up (or,
# with --need, lacks a package).
set -euo pipefail
cd "$(dirname "$0")"

# Debian package -> what it provides (a pkg-config module, a command, a file
# or a glob).  Each list is one set of needs; `./run.sh --need TARGET`
# checks the sets a make target needs, `./run.sh --setup*` installs them.
BUILD_DEPS=(
	"gcc:cmd:cc"
	"make:cmd:make"
	"pkg-config:cmd:pkg-config"
	"libnl-3-dev:pc:libnl-3.0"
	"libnl-route-3-dev:pc:libnl-route-3.0"
	"libnl-idiag-3-dev:pc:libnl-idiag-3.0"
	"libpcap-dev:pc:libpcap"
	"libjansson-dev:pc:jansson"
	"libclang-dev:glob:/usr/lib/llvm-*/include/clang-c/Index.h"
)
# What `make check` needs besides: cmocka, and the independent observers
# the tests compare the harness with.
CHECK_DEPS=(
	"libcmocka-dev:pc:cmocka"
	"iproute2:cmd:ip"
	"util-linux:cmd:nsenter"
	"ethtool:cmd:ethtool"
	"tcpdump:cmd:tcpdump"
	"libxml2-utils:cmd:xmllint"
	"procps:cmd:pkill"
)
# Other kernels in qemu (./run.sh --kernel SPEC | --kernels A,B, make check-vm).
VM_DEPS=(
	"qemu-system-x86:cmd:qemu-system-x86_64"
	# busybox must be the static one: the initramfs has no libc.
	"busybox-static:dpkg:busybox-static"
	"kmod:cmd:depmod"
	"xz-utils:cmd:xz"
	"zstd:cmd:zstd"
	# Release files of Debian's suites are checked with it (debian: specs).
	"debian-archive-keyring:glob:/usr/share/keyrings/debian-archive-keyring.gpg"
)
# Kernels built from source (--kernel src:PATH, make check-kernel-src).
KBUILD_DEPS=(
	"bc:cmd:bc"
	"bison:cmd:bison"
	"flex:cmd:flex"
	"libelf-dev:pc:libelf"
	"libssl-dev:pc:openssl"
	"cpio:cmd:cpio"
)
# The Debian package (make deb) and its install test (make check-deb).
DEB_DEPS=(
	"dpkg-dev:cmd:dpkg-buildpackage"
	"debhelper:cmd:dh"
)
CHECKDEB_DEPS=(
	"debootstrap:cmd:debootstrap"
)
# make check in other environments (make check-envs): a Debian 12 chroot,
# without capabilities, on a busy host.
ENVS_DEPS=(
	"debootstrap:cmd:debootstrap"
	"libcap2-bin:cmd:capsh"
	"stress-ng:cmd:stress-ng"
)

quiet=0
say() { [ "$quiet" = 1 ] || echo "run.sh: $*" >&2; }

have() {
	local kind=$1 what=$2
	case $kind in
	cmd) command -v "$what" >/dev/null 2>&1 ;;
	pc) command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$what" ;;
	glob) compgen -G "$what" >/dev/null ;;
	dpkg) dpkg-query -W -f='${Status}' "$what" 2>/dev/null | grep -q 'ok installed' ;;
	esac
}

# missing_in LIST...: the packages of the named lists that are missing, in
# the global array `missing`.
missing_in() {
	local list entry pkg kind what
	missing=()
	for list in "$@"; do
		local -n deps=$list
		for entry in "${deps[@]}"; do
			IFS=: read -r pkg kind what <<<"$entry"
			have "$kind" "$what" || missing+=("$pkg")
		done
		unset -n deps
	done
}

debian() { command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; }

# install_or_name WHAT SETUP PKG...: as root on Debian, say what is
# installed and install it; otherwise name the packages and the command
# that installs them (exit 3).
install_or_name() {
	local what=$1 how=$2
	shift 2
	[ $# -eq 0 ] && return 0
	if ! debian; then
		echo "run.sh: $what: this is not a Debian or Ubuntu system; install the equivalents of: $*" >&2
		exit 3
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "run.sh: $what the Debian packages $*" >&2
		echo "run.sh: as root, run: $how (or: apt-get install -y $*)" >&2
		exit 3
	fi
	echo "run.sh: installing $* ($what them): apt-get install -y --no-install-recommends" >&2
	export DEBIAN_FRONTEND=noninteractive
	local log
	log=$(mktemp /tmp/tcpconform-apt.XXXXXX)
	if ! apt-get install -y -q --no-install-recommends "$@" >"$log" 2>&1; then
		apt-get update -q >/dev/null 2>&1 || true
		if ! apt-get install -y -q --no-install-recommends "$@" >"$log" 2>&1; then
			tail -20 "$log" >&2
			rm -f "$log"
			echo "run.sh: apt-get install failed for: $*" >&2
			exit 3
		fi
	fi
	rm -f "$log"
}

# need TARGET: what a make target needs, checked only (make never installs):
# exit 3 naming the missing packages and the command that installs them.
need() {
	local target=$1 lists how
	case $target in
	all | install | static | build) lists=(BUILD_DEPS) how="./run.sh --setup" ;;
	check) lists=(BUILD_DEPS CHECK_DEPS) how="./run.sh --setup" ;;
	check-vm | check-matrix) lists=(BUILD_DEPS VM_DEPS) how="./run.sh --setup-vm" ;;
	check-kernel-src) lists=(BUILD_DEPS VM_DEPS KBUILD_DEPS) how="./run.sh --setup-kbuild" ;;
	deb) lists=(BUILD_DEPS DEB_DEPS) how="./run.sh --setup-deb" ;;
	check-deb) lists=(BUILD_DEPS DEB_DEPS CHECKDEB_DEPS) how="./run.sh --setup-deb" ;;
	check-envs) lists=(BUILD_DEPS CHECK_DEPS ENVS_DEPS) how="./run.sh --setup-envs" ;;
	check-stress) lists=(BUILD_DEPS VM_DEPS ENVS_DEPS) how="./run.sh --setup-vm and ./run.sh --setup-envs" ;;
	*)
		echo "run.sh: --need: unknown target '$target'" >&2
		exit 2
		;;
	esac
	missing_in "${lists[@]}"
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "make $target: missing Debian packages: ${missing[*]}" >&2
	if ! debian; then
		echo "make $target: this is not a Debian or Ubuntu system; install their equivalents" >&2
	elif [ "$(id -u)" = 0 ]; then
		echo "make $target: install them with: $how (or: apt-get install -y ${missing[*]})" >&2
	else
		echo "make $target: install them as root with: $how (or: apt-get install -y ${missing[*]})" >&2
	fi
	echo "make $target: (make installs no package by itself)" >&2
	exit 3
}

# setup HOW WHAT LIST...: install what the named lists need.
setup() {
	local how=$1 what=$2
	shift 2
	missing_in "$@"
	install_or_name "$what" "$how" "${missing[@]}"
}

case ${1:-} in
--need)
	need "${2:-}"
	exit 0
	;;
--setup | --setup-vm | --setup-kbuild | --setup-deb | --setup-envs)
	[ "${2:-}" = "--quiet" ] && quiet=1
	case $1 in
	--setup) setup "./run.sh --setup" "make check needs" BUILD_DEPS CHECK_DEPS ;;
	--setup-vm) setup "./run.sh --setup-vm" "make check and the VM need" BUILD_DEPS CHECK_DEPS VM_DEPS ;;
	--setup-kbuild)
		setup "./run.sh --setup-kbuild" "make check, the VM and a kernel build need" \
			BUILD_DEPS CHECK_DEPS VM_DEPS KBUILD_DEPS
		;;
	--setup-deb) setup "./run.sh --setup-deb" "make deb and make check-deb need" BUILD_DEPS DEB_DEPS CHECKDEB_DEPS ;;
	--setup-envs) setup "./run.sh --setup-envs" "make check-envs needs" BUILD_DEPS CHECK_DEPS ENVS_DEPS ;;
	esac
	say "set up: nothing is missing for ${1#--}"
	exit 0
	;;
esac

# ./run.sh [RUN-OPTIONS]: everything `make check` needs as well, so that
# `./run.sh` then `make check` set up a fresh machine.
vm=0
for arg in "$@"; do
	case $arg in --kernel | --kernel=* | --kernels | --kernels=*) vm=1 ;; esac
done
if [ $vm = 1 ]; then
	lists=(BUILD_DEPS CHECK_DEPS VM_DEPS)
	case " $* " in *src:*) lists+=(KBUILD_DEPS) ;; esac
	setup "./run.sh --setup-vm" "./run.sh --kernel needs" "${lists[@]}"
else
	setup "./run.sh --setup" "./run.sh and make check need" BUILD_DEPS CHECK_DEPS
fi
make --no-print-directory -s
if ! build/tcpconform help | grep -q '^  tcpconform run '; then
	echo "run.sh: build/tcpconform is built; the scenario runner is not there yet" >&2
	build/tcpconform --version
	exit 3
fi
if [ $vm = 1 ]; then
	make --no-print-directory -s static
	exec build/tcpconform vm "$@"
fi
exec build/tcpconform run "$@"
