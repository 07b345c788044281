# tcpconform - build, test, install.
#
#   make                 build build/tcpconform
#   make check           build and run every cmocka test (installs missing
#                        Debian packages first when run as root)
#   make check-vm        boot one Debian kernel in qemu and run two cases there
#                        (not part of make check; TCPCONFORM_VM_KERNEL=SPEC)
#   make install         PREFIX=/usr/local DESTDIR= honoured
#   make static          build/tcpconform-static (for a VM initramfs)
#   make format          clang-format every C file in place
#   make clean

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/tcpconform
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
           -DTC_DATADIR='"$(DATADIR)"'

SRCS    := $(sort $(wildcard harness/*.c))
LIBSRCS := $(filter-out harness/main.c,$(SRCS))
OBJS    := $(patsubst harness/%.c,$(BUILD)/obj/%.o,$(SRCS))
LIBOBJS := $(patsubst harness/%.c,$(BUILD)/obj/%.o,$(LIBSRCS))
TESTSRC := $(sort $(wildcard tests/test_*.c))
TESTS   := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TESTSRC))

.PHONY: all check check-vm install static format clean setup valgrind

DEPS_OK := $(shell $(PKG_CONFIG) --exists $(PKGS) $(TESTPKG) 2>/dev/null && echo ok)

ifneq ($(DEPS_OK),ok)
# Build dependencies are missing: set the machine up (or say what to
# install), then run the same target again with the flags now known.
all check check-vm install static:
	@./run.sh --setup
	@$(MAKE) --no-print-directory $@
else

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS))
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(TESTPKG))
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs $(TESTPKG))
ALL_CFLAGS := $(WARN) $(DEFS) $(PKG_CFLAGS) $(CFLAGS)

all: $(BUILD)/tcpconform

$(BUILD)/obj/%.o: harness/%.c | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The version string follows git; rebuild it when HEAD moves.
$(BUILD)/obj/version.o: $(wildcard .git/HEAD .git/index)

$(BUILD)/libtcpconform.a: $(LIBOBJS)
	$(AR) rcs $@ $^

$(BUILD)/tcpconform: $(BUILD)/obj/main.o $(BUILD)/libtcpconform.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/tests/%: tests/%.c tests/testlib.h $(BUILD)/tests/testlib.o $(BUILD)/libtcpconform.a | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Iharness -o $@ $< $(BUILD)/tests/testlib.o \
		$(BUILD)/libtcpconform.a $(PKG_LIBS) $(TEST_LIBS) -lm

$(BUILD)/tests/testlib.o: tests/testlib.c tests/testlib.h | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Iharness -c -o $@ $<

check: $(BUILD)/tcpconform $(TESTS)
	@./run.sh --setup --quiet
	@BUILD=$(BUILD) tests/run-tests.sh $(TESTS)

# One Debian kernel in qemu, two cases (fetches ~70 MB once; see README).
check-vm: $(BUILD)/tcpconform $(BUILD)/tcpconform-static
	@./run.sh --setup-vm --quiet
	@tests/check-vm.sh

# Fully static binary for a VM initramfs (libnl, libpcap, jansson are
# shipped as .a files by their Debian -dev packages).
# libpcap.a drags in libdbus-1.a, which wants two libsystemd helpers that
# Debian has no static library for: harness/static/sd_stubs.c explains.
static: $(BUILD)/tcpconform-static
$(BUILD)/obj/sd_stubs.o: harness/static/sd_stubs.c | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(BUILD)/tcpconform-static: $(OBJS) $(BUILD)/obj/sd_stubs.o
	$(CC) $(CFLAGS) -static -o $@ $^ \
		$(filter-out -lsystemd,$(shell $(PKG_CONFIG) --static --libs $(PKGS))) -lm \
		2> $(BUILD)/static-link.log || { cat $(BUILD)/static-link.log; exit 1; }

# Every test under valgrind memcheck: no invalid access, no definite or
# indirect leak (libnl's own start-up allocations are "possibly lost").
valgrind: $(BUILD)/tcpconform $(TESTS)
	@command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 3; }
	@for t in $(TESTS); do \
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--show-leak-kinds=definite,indirect --error-exitcode=9 $$t > $$t.valgrind 2>&1 \
			&& echo "valgrind: $$t clean" \
			|| { cat $$t.valgrind; echo "valgrind: $$t FAILED"; exit 1; }; \
	done

install: $(BUILD)/tcpconform
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)
	install -m 0755 $(BUILD)/tcpconform $(DESTDIR)$(BINDIR)/tcpconform
	cp -R cases fixtures $(DESTDIR)$(DATADIR)/

format:
	clang-format -i harness/*.c harness/*.h tests/*.c tests/*.h

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

-include $(wildcard $(BUILD)/obj/*.d)

endif

setup:
	@./run.sh --setup

clean:
	rm -rf $(BUILD)
