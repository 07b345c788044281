# tcpconform - build, test, install.
#
#   make                 build build/tcpconform
#   make check           build and run every cmocka test
#   make check-vm        boot one Debian kernel in qemu and run two cases there
#                        (not part of make check; TCPCONFORM_VM_KERNEL=SPEC)
#   make check-kernel-src  build a kernel from source (linux-source-6.1), boot it,
#                        compare with the Debian kernel (by hand: ~10 minutes)
#   make install         PREFIX=/usr/local DESTDIR= honoured; make uninstall
#   make deb             build/deb/tcpconform_VERSION_ARCH.deb (dpkg-buildpackage)
#   make check-deb       install that package in a fresh Debian 12 chroot and run
#                        `tcpconform check` there (by hand, not in make check)
#   make check-envs      make check in a Debian 12 chroot, without CAP_NET_ADMIN and
#                        CAP_SYS_ADMIN, without tracefs, without /dev/kvm, with user
#                        namespaces disabled, on a busy host: no failure, skips with
#                        reasons (by hand, ENVS="chroot ..." for some; not in make check)
#   make static          build/tcpconform-static (for a VM initramfs)
#   make format          clang-format every C file in place
#   make clean
#
# No target installs a package: a missing one stops it (exit 3 from
# `./run.sh --need TARGET`, which names the packages and the command that
# installs them: `./run.sh --setup`).

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/tcpconform
# The static harness `tcpconform vm` puts in its guests, and the kselftest
# wrapper: programs for tcpconform and kselftest, not for PATH.
LIBEXECDIR ?= $(PREFIX)/libexec/tcpconform
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
CC      ?= cc
PKG_CONFIG ?= pkg-config

BUILD   := build
PKGS    := libnl-3.0 libnl-route-3.0 libnl-idiag-3.0 libpcap jansson
TESTPKG := cmocka

VERSION := 0.1.0
GIT     := $(shell git describe --always --dirty --abbrev=10 2>/dev/null || echo unknown)

CFLAGS  ?= -O2 -g
WARN    := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
DEFS    := -D_GNU_SOURCE -DTC_VERSION='"$(VERSION)"' -DTC_GIT='"$(GIT)"' \
           -DTC_DATADIR='"$(DATADIR)"' -DTC_LIBEXECDIR='"$(LIBEXECDIR)"'

# harness/LAYER/MODULE.c; docs/ARCHITECTURE.md gives the layers and their
# order, which `make check-layers` enforces.  Objects keep the layer folder.
LAYERS  := base model host wire out run vm bench cli
SRCS    := $(sort $(foreach l,$(LAYERS),$(wildcard harness/$(l)/*.c)))
LIBSRCS := $(filter-out harness/cli/main.c,$(SRCS))
OBJS    := $(patsubst harness/%.c,$(BUILD)/obj/%.o,$(SRCS))
LIBOBJS := $(patsubst harness/%.c,$(BUILD)/obj/%.o,$(LIBSRCS))
TESTSRC := $(sort $(wildcard tests/test_*.c))
TESTS   := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TESTSRC))

.PHONY: all check check-build check-layers check-vm check-matrix check-stress check-kernel-src install uninstall deb check-deb static \
	check-envs \
	format clean setup valgrind sanitize sanitize-build fuzz fuzz-build

# libclang (Debian's libclang-dev) tokenizes kernel C for `bench mutants`;
# it has no pkg-config file: take the newest LLVM's.
CLANG_H   := $(lastword $(sort $(wildcard /usr/lib/llvm-*/include/clang-c/Index.h)))
CLANG_DIR := $(patsubst %/include/clang-c/Index.h,%,$(CLANG_H))

DEPS_OK := $(shell $(PKG_CONFIG) --exists $(PKGS) 2>/dev/null && \
	test -n "$(CLANG_H)" && echo ok)
TEST_OK := $(shell $(PKG_CONFIG) --exists $(TESTPKG) 2>/dev/null && echo ok)

ifneq ($(DEPS_OK),ok)
# Build dependencies are missing: name them and the command that installs
# them (exit 3); never install them from here.
all check check-vm check-kernel-src install static deb check-deb check-envs:
	@./run.sh --need $@
else

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS)) -I$(CLANG_DIR)/include
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS)) -L$(CLANG_DIR)/lib -lclang \
              -Wl,-rpath,$(CLANG_DIR)/lib
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(TESTPKG) 2>/dev/null)
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs $(TESTPKG) 2>/dev/null)
ALL_CFLAGS := $(WARN) $(DEFS) $(PKG_CFLAGS) $(CFLAGS)

all: $(BUILD)/tcpconform

$(BUILD)/obj/%.o: harness/%.c | $(BUILD)/obj
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iharness -MMD -MP -c -o $@ $<

# The version string follows git; rebuild it when HEAD moves.
$(BUILD)/obj/base/version.o: $(wildcard .git/HEAD .git/index)

$(BUILD)/libtcpconform.a: $(LIBOBJS)
	$(AR) rcs $@ $^

$(BUILD)/tcpconform: $(BUILD)/obj/cli/main.o $(BUILD)/libtcpconform.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/tests/%: tests/%.c tests/testlib.h $(BUILD)/tests/testlib.o $(BUILD)/libtcpconform.a | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Iharness -o $@ $< $(BUILD)/tests/testlib.o \
		$(BUILD)/libtcpconform.a $(PKG_LIBS) $(TEST_LIBS) -lm

$(BUILD)/tests/testlib.o: tests/testlib.c tests/testlib.h | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Iharness -c -o $@ $<

# Fuzz targets (tests/fuzz/fuzz_NAME.c) and the inputs each starts from;
# adding a target is one line here and one file there.
FUZZ_SEEDS_case    := cases
FUZZ_SEEDS_table   := fixtures
FUZZ_SEEDS_profile := fixtures/profiles
FUZZ_SEEDS_frame   := tests/fuzz/corpus/frame
# The results readers (what `diff` and `report` read from a results
# directory another machine made), seeded with files of a real run.
FUZZ_SEEDS_summary  := tests/fuzz/corpus/summary
FUZZ_SEEDS_observed := tests/fuzz/corpus/observed
FUZZ_SEEDS_events   := tests/fuzz/corpus/events
# `tcpconform coverage`: its two files, then a variant's files through its rules.
FUZZ_SEEDS_coverage := fixtures/coverage
FUZZ_NAMES := case table profile frame summary observed events coverage
# For `make check`: each target built with the ordinary compiler around
# tests/fuzz/replay.c, replaying its seeds and its regression inputs
# (tests/fuzz/regress/NAME/: crashers fuzzing found, kept).
REPLAYS := $(patsubst %,$(BUILD)/tests/replay_%,$(FUZZ_NAMES))

$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
		$(BUILD)/libtcpconform.a | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Iharness -Itests/fuzz \
		-DFUZZ_INPUTS='"$(FUZZ_SEEDS_$*)", "tests/fuzz/regress/$*"' -o $@ \
		tests/fuzz/replay.c $< $(BUILD)/libtcpconform.a $(PKG_LIBS) -lm

# The one-way rule between the layers (docs/ARCHITECTURE.md); test_layers
# runs it in make check too.
check-layers: $(OBJS)
	@BUILD=$(BUILD) tests/check-layers.sh $(LAYERS)

# What make check needs besides the build (cmocka, the tests' independent
# observers) is checked before anything is built for it.
CHECK_NEED := $(if $(filter check check-build,$(MAKECMDGOALS)),$(shell ./run.sh --need check >/dev/null 2>&1 || echo missing))
ifeq ($(TEST_OK)$(CHECK_NEED),ok)
# The static harness too: tests/test_install.c installs it.  check-build:
# what make check runs, built and not run (.ci/run builds first, then
# starts the ASan and libFuzzer builds beside the tests).
check-build: $(BUILD)/tcpconform $(BUILD)/tcpconform-static $(TESTS) $(REPLAYS)
check: check-build
	@BUILD=$(BUILD) tests/run-tests.sh $(TESTS) $(REPLAYS)
else
check check-build:
	@./run.sh --need check
endif

# make check in the environments tests/check-envs.sh makes (ENVS: some of
# host chroot nocaps notracefs nokvm nouserns busy; default all), one at a time
# under flock /tmp/tcpconform-vm.lock.  By hand, as root (~12 minutes).
ENVS ?=
check-envs:
	@./run.sh --need check-envs
	@$(MAKE) --no-print-directory $(BUILD)/tcpconform $(BUILD)/tcpconform-static $(TESTS) $(REPLAYS)
	@BUILD=$(BUILD) tests/check-envs.sh $(ENVS)

# libFuzzer (clang) with ASan+UBSan, FUZZ_TIME seconds per target.  New
# inputs go to build-fuzz/corpus/NAME, crashers to build-fuzz/crash/NAME/;
# a crasher fixed is copied to tests/fuzz/regress/NAME/.
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all
fuzz-build:
	@command -v $(FUZZ_CC) >/dev/null || { echo "fuzz: $(FUZZ_CC) is missing (apt-get install clang)"; exit 3; }
	@$(MAKE) -s --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) \
		CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" build-fuzz/libtcpconform.a
	@set -e; for n in $(FUZZ_NAMES); do \
		$(FUZZ_CC) $(WARN) $(DEFS) $(PKG_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer \
			-Iharness -Itests/fuzz -o build-fuzz/fuzz_$$n tests/fuzz/fuzz_$$n.c \
			build-fuzz/libtcpconform.a $(PKG_LIBS) -lm; \
	done
# The targets run FUZZ_JOBS at a time (one process each; default the
# number of CPUs), each its output kept and shown whole when it ends.
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
fuzz: fuzz-build
	@for n in $(FUZZ_NAMES); do \
		case $$n in case) seeds="$(FUZZ_SEEDS_case)";; table) seeds="$(FUZZ_SEEDS_table)";; \
		profile) seeds="$(FUZZ_SEEDS_profile)";; frame) seeds="$(FUZZ_SEEDS_frame)";; \
		summary) seeds="$(FUZZ_SEEDS_summary)";; observed) seeds="$(FUZZ_SEEDS_observed)";; \
		events) seeds="$(FUZZ_SEEDS_events)";; coverage) seeds="$(FUZZ_SEEDS_coverage)";; esac; \
		echo "$$n $$seeds"; \
	done | xargs -P $(FUZZ_JOBS) -n 2 sh -c ' \
		mkdir -p build-fuzz/corpus/$$0 build-fuzz/crash/$$0; \
		out=$$(ASAN_OPTIONS=detect_leaks=1 build-fuzz/fuzz_$$0 -max_total_time=$(FUZZ_TIME) \
			-timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
			-artifact_prefix=build-fuzz/crash/$$0/ build-fuzz/corpus/$$0 $$1 \
			tests/fuzz/regress/$$0 2>&1); rc=$$?; \
		printf "== fuzz %s for %s s\n%s\n" $$0 $(FUZZ_TIME) \
			"$$(printf "%s\n" "$$out" | grep -E "^(stat::number_of_executed_units|stat::peak_rss|==|SUMMARY|Done)")"; \
		test -z "$$(ls build-fuzz/crash/$$0)" || { echo "fuzz: $$0 found crashers in build-fuzz/crash/$$0"; exit 1; }; \
		test $$rc = 0 || { printf "%s\n" "$$out" | tail -20; echo "fuzz: $$0 exited $$rc"; exit 1; }'

# One Debian kernel in qemu, two cases (fetches ~70 MB once; see README).
check-vm: $(BUILD)/tcpconform $(BUILD)/tcpconform-static
	@./run.sh --need check-vm
	@tests/check-vm.sh

# The four-kernel matrix (Debian 5.10, 6.1, 6.12 and the host), three
# times, against one kernel's time.  By hand: ~10 minutes under TCG.
check-matrix: $(BUILD)/tcpconform $(BUILD)/tcpconform-static
	@./run.sh --need check-matrix
	@tests/check-matrix.sh

# Timing rows under load: the catalogue on a guest and the host while
# stress-ng loads every CPU, ten times.  By hand: ~3 minutes a run.
check-stress: $(BUILD)/tcpconform $(BUILD)/tcpconform-static
	@./run.sh --need check-stress
	@tests/check-stress.sh

# A kernel built from source (Debian's linux-source-6.1 unless
# TCPCONFORM_KERNEL_SRC names a tree) against the Debian kernel, and the
# developer's loop timed.  By hand: the first build takes ~9 minutes.
check-kernel-src: $(BUILD)/tcpconform $(BUILD)/tcpconform-static
	@./run.sh --need check-kernel-src
	@tests/check-kernel-src.sh

# Fully static binary for a VM initramfs (libnl, libpcap, jansson are
# shipped as .a files by their Debian -dev packages).
# libpcap.a drags in libdbus-1.a, which wants two libsystemd helpers that
# Debian has no static library for: harness/static/sd_stubs.c explains.
static: $(BUILD)/tcpconform-static
$(BUILD)/obj/static/sd_stubs.o: harness/static/sd_stubs.c | $(BUILD)/obj
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
# No libclang.a in Debian: the static (guest) harness has no `bench mutants`.
$(BUILD)/obj/static/ctoken_stub.o: harness/static/ctoken_stub.c | $(BUILD)/obj
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iharness -c -o $@ $<
# Relinked whenever build/tcpconform is, so that `tcpconform vm` (which
# refuses a static harness older than itself) never boots a stale one.
$(BUILD)/tcpconform-static: $(filter-out $(BUILD)/obj/bench/ctoken.o,$(OBJS)) \
		$(BUILD)/obj/static/sd_stubs.o $(BUILD)/obj/static/ctoken_stub.o $(BUILD)/tcpconform
	$(CC) $(CFLAGS) -static -o $@ $(filter %.o,$^) \
		$(filter-out -lsystemd,$(shell $(PKG_CONFIG) --static --libs $(PKGS))) -lm \
		2> $(BUILD)/static-link.log || { cat $(BUILD)/static-link.log; exit 1; }

# The tests under valgrind memcheck: no invalid access, no definite or
# indirect leak (libnl's own start-up allocations are "possibly lost").
# memcheck does not follow exec (--trace-children=no): in the tests below
# the code under test runs only in child processes (build/tcpconform,
# make, apt-get), so memcheck would check their scaffolding alone.  What
# they link of the harness, a test under memcheck links too
# (tests/check-valgrind-list.sh checks the linked symbols), and they run
# under ASan in `make sanitize`, their children instrumented too.
VALGRIND_CHILD_ONLY := test_cli test_env test_fdlimit test_host test_install test_layers \
                       test_leakcheck test_rootless test_runner test_setup
VALGRIND_TESTS := $(filter-out $(addprefix $(BUILD)/tests/,$(VALGRIND_CHILD_ONLY)),$(TESTS))
valgrind: $(BUILD)/tcpconform $(TESTS)
	@command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 3; }
	@BUILD=$(BUILD) tests/check-valgrind-list.sh $(VALGRIND_CHILD_ONLY)
	@for t in $(VALGRIND_TESTS); do \
		TCPCONFORM_TEST_SMALL=1 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--show-leak-kinds=definite,indirect --error-exitcode=9 $$t > $$t.valgrind 2>&1 \
			&& echo "valgrind: $$t clean" \
			|| { cat $$t.valgrind; echo "valgrind: $$t FAILED"; exit 1; }; \
	done

# AddressSanitizer + UndefinedBehaviorSanitizer: a separate build in
# build-san/, then every test and the whole catalogue with it.  The tests
# call build/tcpconform from the top directory, so they run in
# build-san/root/, where build/ is build-san/ and the rest are links back.
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
# handle_segv=0: test_leakcheck kills a variant child with SIGSEGV and
# expects it to die of it, as it does without ASan.
SAN_ENV   := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:handle_segv=0 \
             UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
sanitize-build:
	@$(MAKE) --no-print-directory BUILD=build-san CFLAGS="$(SAN_FLAGS)" \
		LDFLAGS="-fsanitize=address,undefined" build-san/tcpconform \
		$(patsubst $(BUILD)/%,build-san/%,$(TESTS))
sanitize: sanitize-build
	@rm -rf build-san/results && mkdir -p build-san/root
	@for f in cases fixtures tests run.sh harness Makefile README.md .ci dist docs debian; do ln -sfn ../../$$f build-san/root/$$f; done
	@ln -sfn .. build-san/root/build
	@cd build-san/root && $(SAN_ENV) BUILD=build tests/run-tests.sh \
		$(patsubst $(BUILD)/tests/%,build/tests/%,$(TESTS))
	@# -j 12, not the default 24: instrumented code is slower, and
	@# paws-stale-segment needs its bulk transfer to outrun the ISN clock
	@# (15.6 MB/s) through the wire.  (At -j 12 a listener's timeline once took
	@# the previous holder's transitions of its address block: mended in
	@# play.c and addrblock.c; then 3 runs of 471 clean, 66 s each.)
	@cd build-san/root && $(SAN_ENV) build/tcpconform run -j 12 -o ../results > ../catalogue.log 2>&1 \
		|| { tail -30 ../catalogue.log; echo "sanitize: the catalogue run failed"; exit 1; }
	@grep -E "^(totals|run [0-9])" build-san/catalogue.log
	@! grep -l "runtime error\|AddressSanitizer\|LeakSanitizer" -r build-san/results \
		build-san/catalogue.log 2>/dev/null
	@echo "sanitize: tests and catalogue clean under ASan+UBSan"

# The installed paths are compiled in (catalogue.c: cases and fixtures,
# vm.c: the static harness): a changed PREFIX rebuilds those two objects.
PATHS := $(DATADIR) $(LIBEXECDIR)
PATHS_OLD := $(shell cat $(BUILD)/paths 2>/dev/null)
ifneq ($(PATHS),$(PATHS_OLD))
$(shell mkdir -p $(BUILD) && echo '$(PATHS)' > $(BUILD)/paths)
endif
$(BUILD)/obj/run/catalogue.o $(BUILD)/obj/vm/vm.o: $(BUILD)/paths

install: $(BUILD)/tcpconform $(BUILD)/tcpconform-static
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(LIBEXECDIR)/kselftest \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(BUILD)/tcpconform $(DESTDIR)$(BINDIR)/tcpconform
	install -m 0755 $(BUILD)/tcpconform-static $(DESTDIR)$(LIBEXECDIR)/tcpconform-static
	install -m 0755 tests/kselftest/tcpconform.sh $(DESTDIR)$(LIBEXECDIR)/kselftest/tcpconform.sh
	install -m 0644 dist/tcpconform.1 $(DESTDIR)$(MANDIR)/man1/tcpconform.1
	install -m 0644 dist/tcpconform.bash $(DESTDIR)$(BASHCOMPDIR)/tcpconform
	cp -R cases fixtures $(DESTDIR)$(DATADIR)/

# A Debian package, built by dpkg-buildpackage from a copy of the tree in
# build/deb/ (debian/ says how; its paths are make install's with
# PREFIX=/usr).  The .deb lands in build/deb/.
DEB_SRC := $(BUILD)/deb/tcpconform-$(VERSION)
deb:
	@./run.sh --need deb
	rm -rf $(BUILD)/deb && mkdir -p $(DEB_SRC)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
			xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
			tar --null -T - -cf - | tar -C $(DEB_SRC) -xf -; \
	else \
		tar --exclude=./$(BUILD) --exclude=./results -cf - . | tar -C $(DEB_SRC) -xf -; \
	fi
	cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc -j2 > ../build.log 2>&1 || \
		{ tail -40 ../build.log; echo "make deb: dpkg-buildpackage failed ($(BUILD)/deb/build.log)"; exit 1; }
	@ls $(BUILD)/deb/*.deb

# The package installed with apt-get in a fresh Debian 12 chroot (made once
# with debootstrap and kept as a tarball), then `tcpconform check` there.
check-deb: deb
	@./run.sh --need check-deb
	@tests/check-deb.sh $(BUILD)/deb/tcpconform_*.deb

format:
	clang-format -i harness/*/*.c harness/*/*.h tests/*.c tests/*.h tests/fuzz/*.c tests/fuzz/*.h

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

-include $(wildcard $(BUILD)/obj/*/*.d)

endif

setup:
	@./run.sh --setup

# Every file install puts is one uninstall removes: the binary, the man
# page, the completion, and the two directories that are tcpconform's own.
INSTALLED_FILES := $(BINDIR)/tcpconform $(MANDIR)/man1/tcpconform.1 $(BASHCOMPDIR)/tcpconform
# (outside the build rules: it needs no build dependency)
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED_FILES))
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(LIBEXECDIR)

clean:
	rm -rf $(BUILD) build-san build-fuzz build-clang
