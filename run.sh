#!/usr/bin/env bash
# run.sh - set up what is missing, build, and run the catalogue on this kernel.
#
#   ./run.sh [RUN-OPTIONS]   install missing build dependencies (root, Debian or
#                            Ubuntu), build, then `tcpconform run RUN-OPTIONS`
#   ./run.sh --setup         only the set-up step (used by `make` and `make check`)
#   ./run.sh --kernel SPEC [RUN-OPTIONS]     the catalogue on another kernel in qemu
#                            (SPEC src:PATH: the build tools are installed too)
#   ./run.sh --kernels A,B,... [RUN-OPTIONS] on each, then the matrix and diffs
#
# Exit status: that of tcpconform; 3 when the machine cannot be set up.
set -euo pipefail
cd "$(dirname "$0")"

# Debian package -> what it provides (a pkg-config module or a command).
DEPS=(
	"gcc:cmd:cc"
	"make:cmd:make"
	"pkg-config:cmd:pkg-config"
	"libnl-3-dev:pc:libnl-3.0"
	"libnl-route-3-dev:pc:libnl-route-3.0"
	"libnl-idiag-3-dev:pc:libnl-idiag-3.0"
	"libpcap-dev:pc:libpcap"
	"libjansson-dev:pc:jansson"
	"libcmocka-dev:pc:cmocka"
	"iproute2:cmd:ip"
	"util-linux:cmd:nsenter"
	"ethtool:cmd:ethtool"
	"tcpdump:cmd:tcpdump"
	"libxml2-utils:cmd:xmllint"
	"libclang-dev:glob:/usr/lib/llvm-*/include/clang-c/Index.h"
)

quiet=0
say() { [ "$quiet" = 1 ] || echo "run.sh: $*" >&2; }

have() {
	local kind=$1 what=$2
	case $kind in
	cmd) command -v "$what" >/dev/null 2>&1 ;;
	pc) command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$what" ;;
	glob) compgen -G "$what" >/dev/null ;;
	esac
}

setup() {
	local missing=() entry pkg kind what
	for entry in "${DEPS[@]}"; do
		IFS=: read -r pkg kind what <<<"$entry"
		have "$kind" "$what" || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0

	if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
		echo "run.sh: this is not a Debian or Ubuntu system; install the equivalents of:" >&2
		for entry in "${DEPS[@]}"; do
			IFS=: read -r pkg kind what <<<"$entry"
			have "$kind" "$what" || echo "  $pkg (provides $what)" >&2
		done
		echo "  (libnl 3 with route and idiag, libpcap, jansson, cmocka, iproute2, ethtool)" >&2
		exit 3
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "run.sh: missing Debian packages: ${missing[*]}" >&2
		echo "run.sh: as root, run: apt-get install -y ${missing[*]}" >&2
		exit 3
	fi
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/tcpconform-apt.$$ 2>&1; then
		apt-get update -q >/dev/null 2>&1 || true
		if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/tcpconform-apt.$$ 2>&1; then
			tail -20 /tmp/tcpconform-apt.$$ >&2
			rm -f /tmp/tcpconform-apt.$$
			echo "run.sh: apt-get install failed for: ${missing[*]}" >&2
			exit 3
		fi
	fi
	rm -f /tmp/tcpconform-apt.$$
}

# Other kernels in qemu (./run.sh --kernel SPEC | --kernels A,B): what the VM
# needs besides the build dependencies.
VM_DEPS=(
	"qemu-system-x86:cmd:qemu-system-x86_64"
	"busybox-static:file:/bin/busybox"
	"kmod:cmd:depmod"
	"xz-utils:cmd:xz"
	"zstd:cmd:zstd"
)

vm_setup() {
	local missing=() entry pkg kind what
	for entry in "${VM_DEPS[@]}"; do
		IFS=: read -r pkg kind what <<<"$entry"
		case $kind in
		cmd) command -v "$what" >/dev/null 2>&1 || missing+=("$pkg") ;;
		# busybox must be the static one: the initramfs has no libc.
		file) dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg") ;;
		esac
	done
	install_or_name "--kernel needs" "${missing[@]}"
}

# install_or_name WHAT PKG...: as root with apt-get, install the packages;
# otherwise name them and the command that installs them (exit 3).
install_or_name() {
	local what=$1
	shift
	[ $# -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		echo "run.sh: $what: $* (as root: apt-get install -y $*)" >&2
		exit 3
	fi
	say "installing $* ($what them)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1; } ||
		{ echo "run.sh: apt-get install failed for: $*" >&2; exit 3; }
}

# Kernels built from source (--kernel src:PATH): what a kernel build needs.
KBUILD_DEPS=(
	"bc:cmd:bc"
	"bison:cmd:bison"
	"flex:cmd:flex"
	"libelf-dev:pc:libelf"
	"libssl-dev:pc:openssl"
	"cpio:cmd:cpio"
)

kbuild_setup() {
	local missing=() entry pkg kind what
	for entry in "${KBUILD_DEPS[@]}"; do
		IFS=: read -r pkg kind what <<<"$entry"
		have "$kind" "$what" || missing+=("$pkg")
	done
	install_or_name "building a kernel needs" "${missing[@]}"
}

if [ "${1:-}" = "--setup-kbuild" ]; then
	[ "${2:-}" = "--quiet" ] && quiet=1
	setup
	vm_setup
	kbuild_setup
	exit 0
fi

if [ "${1:-}" = "--setup-vm" ]; then
	[ "${2:-}" = "--quiet" ] && quiet=1
	setup
	vm_setup
	exit 0
fi

if [ "${1:-}" = "--setup" ]; then
	[ "${2:-}" = "--quiet" ] && quiet=1
	setup
	exit 0
fi

setup
make --no-print-directory -s
if ! build/tcpconform help | grep -q '^  tcpconform run '; then
	echo "run.sh: build/tcpconform is built; the scenario runner is not there yet" >&2
	build/tcpconform --version
	exit 3
fi
for arg in "$@"; do
	case $arg in
	--kernel | --kernel=* | --kernels | --kernels=*)
		vm_setup
		case " $* " in *src:*) kbuild_setup ;; esac
		make --no-print-directory -s static
		exec build/tcpconform vm "$@"
		;;
	esac
done
exec build/tcpconform run "$@"
