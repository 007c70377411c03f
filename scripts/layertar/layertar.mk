################################################################################
#
# scripts/layertar/layertar.mk -- layertar, the host program that merges the
# tar streams of a layer for tar2sqfs (scripts/mklayer runs it), with its unit
# tests and its fuzz target
#
# Included by the top Makefile after tests/fuzz/fuzz.mk and tests/lint.mk,
# since it adds to their FUZZ_TARGETS and LINT_C. Needs O, Q, HOST_CC, TOPDIR.
#
# Products (real files):
#   $(LAYERTAR_BIN)       $(O)/build/host/layertar
#   $(LAYERTAR_TEST_BIN)  $(O)/build/host/layertar-test  unit tests, ASan + UBSan
#   $(FUZZ_OUT)/fuzz-layertar                            libFuzzer target
# Phony: layertar-test (run by unit-test too)
#
################################################################################

LAYERTAR_DIR := $(TOPDIR)/scripts/layertar
LAYERTAR_OUT := $(O)/build/host
LAYERTAR_BIN := $(LAYERTAR_OUT)/layertar
# Pure sources: tar parsing and the merge rules, no I/O, so that the unit
# tests and the fuzzer link them as they are.
LAYERTAR_PURE_SRCS := $(LAYERTAR_DIR)/tar.c $(LAYERTAR_DIR)/tarout.c $(LAYERTAR_DIR)/merge.c \
	$(LAYERTAR_DIR)/diff.c
LAYERTAR_SRCS := $(LAYERTAR_PURE_SRCS) $(LAYERTAR_DIR)/main.c
LAYERTAR_HDRS := $(LAYERTAR_DIR)/tar.h $(LAYERTAR_DIR)/tarout.h $(LAYERTAR_DIR)/merge.h \
	$(LAYERTAR_DIR)/diff.h
LAYERTAR_OBJS := $(patsubst $(LAYERTAR_DIR)/%.c,$(LAYERTAR_OUT)/layertar-obj/%.o,$(LAYERTAR_SRCS))
LAYERTAR_WARN := -std=gnu11 -Wall -Wextra -Werror
LAYERTAR_CFLAGS := -O2 $(LAYERTAR_WARN) -MMD -MP

$(LAYERTAR_OUT)/layertar-obj/%.o: $(LAYERTAR_DIR)/%.c
	@echo ">>> layertar: cc $*.c"
	$(Q)mkdir -p $(@D)
	$(Q)$(HOST_CC) $(LAYERTAR_CFLAGS) -c -o $@ $<

$(LAYERTAR_BIN): $(LAYERTAR_OBJS)
	@echo ">>> layertar: link"
	$(Q)$(HOST_CC) -o $@ $^

-include $(LAYERTAR_OBJS:.o=.d)

#
# Unit tests: the pure sources with the sanitizers, and the program itself for
# what a user sees when an archive is refused.
#
LAYERTAR_TEST_BIN := $(LAYERTAR_OUT)/layertar-test
LAYERTAR_TEST_SRCS := $(sort $(wildcard $(TOPDIR)/tests/unit/layertar/*.c))
LAYERTAR_TEST_CFLAGS := $(LAYERTAR_WARN) -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1 -I$(LAYERTAR_DIR) -MMD -MP

$(LAYERTAR_TEST_BIN): $(LAYERTAR_TEST_SRCS) $(LAYERTAR_PURE_SRCS)
	@echo ">>> layertar: build unit tests"
	$(Q)mkdir -p $(@D)
	$(Q)$(HOST_CC) $(LAYERTAR_TEST_CFLAGS) -MF $@.d -o $@ $(LAYERTAR_TEST_SRCS) \
		$(LAYERTAR_PURE_SRCS)

-include $(LAYERTAR_TEST_BIN).d

layertar-test: $(LAYERTAR_TEST_BIN) $(LAYERTAR_BIN)
	@echo ">>> layertar: unit tests"
	$(Q)$(LAYERTAR_TEST_BIN) $(LAYERTAR_BIN)

unit-test: layertar-test

#
# Fuzzing: the parser, the merge of two streams and their diff, linked with
# the layertar sources instead of the init's (this explicit rule wins over
# fuzz.mk's pattern rule).
#
FUZZ_TARGETS += layertar

$(FUZZ_OUT)/fuzz-layertar: $(FUZZ_DIR)/fuzz_layertar.c $(LAYERTAR_PURE_SRCS) $(LAYERTAR_HDRS)
	@echo ">>> fuzz: build layertar"
	$(Q)mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) -I$(LAYERTAR_DIR) -o $@ $< $(LAYERTAR_PURE_SRCS)

fuzz fuzz-regress: $(FUZZ_OUT)/fuzz-layertar

LINT_C += $(LAYERTAR_SRCS)

.PHONY: layertar-test
