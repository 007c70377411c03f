################################################################################
#
# init/init.mk -- the layerboot PID 1 program, its unit tests and host tests
#
# Included by the top Makefile, which defines first:
#   O (absolute output dir), Q (@ or empty), TARGET_CC, HOST_CC, LB_VERSION
#
# Products (real files):
#   $(INIT_BIN)       $(O)/build/init/layerboot       static, stripped, musl
#   $(INIT_TEST_BIN)  $(O)/build/init/layerboot-test  same with -DLB_TEST_BUILD
#   $(CLI_BIN)        $(O)/build/init/layerboot-cli   the `layerboot` command, static
#   $(CLI_TEST_BIN)   $(O)/build/init/layerboot-cli-test  same with -DLB_TEST_BUILD
#   $(INIT_ASAN_BIN), $(INIT_VG_BIN), $(CLI_ASAN_BIN), $(CLI_VG_BIN)
#                     the test builds with glibc (host tests only)
# Phony: unit-test, host-test
#
################################################################################

INIT_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
INIT_TOP := $(patsubst %/,%,$(dir $(INIT_DIR)))
INIT_OUT := $(O)/build/init

INIT_BIN = $(INIT_OUT)/layerboot
INIT_TEST_BIN = $(INIT_OUT)/layerboot-test

# The folders are the layers of the code (README "Layout"; make lint checks
# the include rule): main.c and boot.c, stage/, sys/, pure/, cli/.
# PID 1 carries only the boot path: the `layerboot` command of the booted
# system (cli/) is a second static binary, layerboot-cli, that the handoff
# copies to /run/layerboot/bin/layerboot. Both link the system helpers and the
# pure logic they use (--gc-sections drops the rest).
INIT_CLI_SRCS := $(sort $(wildcard $(INIT_DIR)/cli/*.c))
INIT_SRCS := $(filter-out $(INIT_CLI_SRCS),$(sort $(wildcard $(INIT_DIR)/*.c $(INIT_DIR)/*/*.c)))
INIT_HDRS := $(sort $(wildcard $(INIT_DIR)/*.h $(INIT_DIR)/*/*.h))
# Pure sources: no syscalls beyond malloc, so unit tests run them unprivileged.
INIT_PURE_SRCS := $(sort $(wildcard $(INIT_DIR)/pure/*.c))

INIT_OBJS := $(patsubst $(INIT_DIR)/%.c,$(INIT_OUT)/obj/%.o,$(INIT_SRCS))
INIT_TEST_OBJS := $(patsubst $(INIT_DIR)/%.c,$(INIT_OUT)/obj-test/%.o,$(INIT_SRCS))
# The CLI's sources: cli/, and sys/ and pure/ (those objects are shared with PID 1).
CLI_SRCS := $(INIT_CLI_SRCS) $(sort $(wildcard $(INIT_DIR)/sys/*.c $(INIT_DIR)/pure/*.c))
# $(call cli-objs,obj|obj-test)
cli-objs = $(patsubst $(INIT_DIR)/%.c,$(INIT_OUT)/$(1)/%.o,$(CLI_SRCS))
CLI_OBJS = $(call cli-objs,obj) $(call cli-objs,obj-test)
CLI_BIN = $(INIT_OUT)/layerboot-cli
CLI_TEST_BIN = $(INIT_OUT)/layerboot-cli-test

INIT_WARN := -Wall -Wextra -Werror
# The version and LB_UPDATE_TRIES (for layerboot update) come in as -D, not
# as headers of $(O): a compile that names no file of $(O) is the same for
# every build of an architecture, so the compiler cache (CCACHE, in the top
# Makefile) serves every board and test image from one compile. Each value
# has a stamp in $(O) (below), rewritten only when it changes: what is built
# with the value depends on its stamp.
INIT_VERSION_DEF := -DLB_VERSION='"$(LB_VERSION)"'
INIT_UPDATE_TRIES := $(if $(LB_UPDATE_TRIES),$(LB_UPDATE_TRIES),3)
INIT_UPDATE_DEF := -DLB_UPDATE_TRIES=$(INIT_UPDATE_TRIES)
INIT_CFLAGS := -static -Os -std=gnu11 $(INIT_WARN) -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-stack-protector -fno-ident -MMD -MP \
	-I$(INIT_DIR) $(INIT_VERSION_DEF)
# One RX and one RW segment, no padding between: every KiB counts in an initramfs.
# ld would start the RW segment on a fresh page of the file, to save a page of
# RAM at run time; a small common page size makes it follow the code directly.
INIT_LDFLAGS := -static -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro \
	-Wl,-z,common-page-size=64 -Wl,--build-id=none -s

# The stamps of the -D values: a no-op make compiles nothing.
INIT_HASH := \#
INIT_VERSION_LINE := $(INIT_HASH)define LB_VERSION "$(LB_VERSION)"
ifneq ($(shell cat $(INIT_OUT)/version.h 2>/dev/null),$(INIT_VERSION_LINE))
$(shell mkdir -p $(INIT_OUT) && printf '%s\n' '$(INIT_VERSION_LINE)' > $(INIT_OUT)/version.h)
endif

$(INIT_OUT)/obj-test $(INIT_OUT)/unit:
	$(Q)mkdir -p $@

$(INIT_OUT)/obj/%.o: $(INIT_DIR)/%.c $(INIT_OUT)/version.h
	@echo ">>> init: cc $*.c"
	$(Q)mkdir -p $(@D)
	$(Q)$(TARGET_CC_CACHED) $(INIT_CFLAGS) -c -o $@ $<

$(INIT_OUT)/obj-test/%.o: $(INIT_DIR)/%.c $(INIT_OUT)/version.h
	@echo ">>> init: cc $*.c (test build)"
	$(Q)mkdir -p $(@D)
	$(Q)$(TARGET_CC_CACHED) $(INIT_CFLAGS) -DLB_TEST_BUILD -c -o $@ $<

$(INIT_BIN): $(INIT_OBJS)
	@echo ">>> init: link layerboot"
	$(Q)$(TARGET_CC) $(INIT_LDFLAGS) -o $@ $^

$(INIT_TEST_BIN): $(INIT_TEST_OBJS)
	@echo ">>> init: link layerboot-test"
	$(Q)$(TARGET_CC) $(INIT_LDFLAGS) -o $@ $^

INIT_UPDATE_LINE := $(INIT_HASH)define LB_UPDATE_TRIES $(INIT_UPDATE_TRIES)
ifneq ($(shell cat $(INIT_OUT)/update-config.h 2>/dev/null),$(INIT_UPDATE_LINE))
$(shell mkdir -p $(INIT_OUT) && printf '%s\n' '$(INIT_UPDATE_LINE)' > $(INIT_OUT)/update-config.h)
endif
$(INIT_OUT)/obj/cli/update.o $(INIT_OUT)/obj-test/cli/update.o: \
	INIT_CFLAGS += $(INIT_UPDATE_DEF)
$(INIT_OUT)/obj/cli/update.o $(INIT_OUT)/obj-test/cli/update.o: $(INIT_OUT)/update-config.h

$(CLI_BIN): $(call cli-objs,obj)
	@echo ">>> init: link layerboot-cli"
	$(Q)$(TARGET_CC) $(INIT_LDFLAGS) -o $@ $^

$(CLI_TEST_BIN): $(call cli-objs,obj-test)
	@echo ">>> init: link layerboot-cli-test"
	$(Q)$(TARGET_CC) $(INIT_LDFLAGS) -o $@ $^

-include $(INIT_OBJS:.o=.d) $(INIT_TEST_OBJS:.o=.d) $(CLI_OBJS:.o=.d)

#
# Unit tests: the pure sources with the host compiler and the sanitizers, and
# the one system helper they need to pick a sha256 path (sys/sha256fd.c).
#
INIT_UNIT_BIN = $(INIT_OUT)/unit/unit-tests
INIT_UNIT_SRCS := $(sort $(wildcard $(INIT_TOP)/tests/unit/*.c)) $(INIT_DIR)/sys/sha256fd.c
INIT_UNIT_CFLAGS := -std=gnu11 $(INIT_WARN) -fsanitize=address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=undefined -g -O1 -I$(INIT_DIR) -MMD -MP

$(INIT_UNIT_BIN): $(INIT_UNIT_SRCS) $(INIT_PURE_SRCS) | $(INIT_OUT)/unit
	@echo ">>> init: build unit tests"
	$(Q)$(HOST_CC) $(INIT_UNIT_CFLAGS) -MF $@.d -o $@ $(INIT_UNIT_SRCS) $(INIT_PURE_SRCS)

-include $(INIT_UNIT_BIN).d

.PHONY: unit-test
unit-test: $(INIT_UNIT_BIN)
	@echo ">>> init: unit tests"
	$(Q)$(INIT_UNIT_BIN)

#
# Host tests: the real test binary as PID 1 of a private pid+mount namespace.
# The merged root's init is a small static probe that reports what it sees.
#
INIT_PROBE_BIN = $(INIT_OUT)/probe

$(INIT_PROBE_BIN): $(INIT_TOP)/tests/host/probe.c | $(INIT_OUT)/obj-test
	@echo ">>> init: cc host-test probe"
	$(Q)$(TARGET_CC) -static -Os -std=gnu11 $(INIT_WARN) -s -o $@ $<

# The same test builds linked with glibc, for the host tests to run again:
# with ASan and UBSan (which need glibc), and plain, under valgrind (the init
# as PID 1, the CLI as a command).
INIT_ASAN_BIN = $(INIT_OUT)/layerboot-asan
INIT_VG_BIN = $(INIT_OUT)/layerboot-vg
CLI_ASAN_BIN = $(INIT_OUT)/layerboot-cli-asan
CLI_VG_BIN = $(INIT_OUT)/layerboot-cli-vg
INIT_GLIBC_CFLAGS := -std=gnu11 $(INIT_WARN) -g -O1 -fno-omit-frame-pointer -DLB_TEST_BUILD \
	-I$(INIT_DIR) $(INIT_VERSION_DEF)

# With glibc's malloc, not ours (sys/alloc.c): that is what ASan and
# valgrind watch. Our allocator has its own unit test (tests/unit/test_alloc.c).
INIT_GLIBC_SRCS := $(filter-out $(INIT_DIR)/sys/alloc.c,$(INIT_SRCS))
CLI_GLIBC_SRCS := $(filter-out $(INIT_DIR)/sys/alloc.c,$(CLI_SRCS))
CLI_GLIBC_CFLAGS = $(INIT_GLIBC_CFLAGS) $(INIT_UPDATE_DEF)

$(INIT_ASAN_BIN): $(INIT_SRCS) $(INIT_HDRS) $(INIT_OUT)/version.h | $(INIT_OUT)/obj-test
	@echo ">>> init: link layerboot-asan (glibc, ASan + UBSan)"
	$(Q)$(HOST_CC) $(INIT_GLIBC_CFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=undefined -o $@ $(INIT_GLIBC_SRCS)

$(INIT_VG_BIN): $(INIT_SRCS) $(INIT_HDRS) $(INIT_OUT)/version.h | $(INIT_OUT)/obj-test
	@echo ">>> init: link layerboot-vg (glibc, for valgrind)"
	$(Q)$(HOST_CC) $(INIT_GLIBC_CFLAGS) -o $@ $(INIT_GLIBC_SRCS)

$(CLI_ASAN_BIN): $(CLI_SRCS) $(INIT_HDRS) $(INIT_OUT)/version.h $(INIT_OUT)/update-config.h | $(INIT_OUT)/obj-test
	@echo ">>> init: link layerboot-cli-asan (glibc, ASan + UBSan)"
	$(Q)$(HOST_CC) $(CLI_GLIBC_CFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=undefined -o $@ $(CLI_GLIBC_SRCS)

$(CLI_VG_BIN): $(CLI_SRCS) $(INIT_HDRS) $(INIT_OUT)/version.h $(INIT_OUT)/update-config.h | $(INIT_OUT)/obj-test
	@echo ">>> init: link layerboot-cli-vg (glibc, for valgrind)"
	$(Q)$(HOST_CC) $(CLI_GLIBC_CFLAGS) -o $@ $(CLI_GLIBC_SRCS)

# Each build of the init goes with the same build of the CLI (INIT CLI pairs).
.PHONY: host-test
host-test: $(INIT_TEST_BIN) $(CLI_TEST_BIN) $(INIT_PROBE_BIN) $(INIT_ASAN_BIN) $(CLI_ASAN_BIN) \
		$(INIT_VG_BIN) $(CLI_VG_BIN)
	@echo ">>> init: host tests"
	$(Q)$(INIT_TOP)/tests/host/run.sh $(INIT_TEST_BIN) $(CLI_TEST_BIN) $(INIT_PROBE_BIN) \
		$(INIT_ASAN_BIN) $(CLI_ASAN_BIN) $(INIT_VG_BIN) $(CLI_VG_BIN)
