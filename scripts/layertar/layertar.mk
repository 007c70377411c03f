################################################################################
#
# scripts/layertar/layertar.mk -- layertar, the host program that merges the
# tar streams of a layer for tar2sqfs (scripts/mklayer runs it)
#
# Included by the top Makefile after tests/fuzz/fuzz.mk and tests/lint.mk,
# since it adds to their FUZZ_TARGETS and LINT_C. Needs O, Q, HOST_CC, TOPDIR.
#
# Products (real files):
#   $(LAYERTAR_BIN)       $(O)/build/host/layertar
#
################################################################################

LAYERTAR_DIR := $(TOPDIR)/scripts/layertar
LAYERTAR_OUT := $(O)/build/host
LAYERTAR_BIN := $(LAYERTAR_OUT)/layertar
# Pure sources: tar parsing and the merge rules, no I/O, so that the unit
# tests and the fuzzer link them as they are.
LAYERTAR_PURE_SRCS := $(LAYERTAR_DIR)/tar.c $(LAYERTAR_DIR)/merge.c
LAYERTAR_SRCS := $(LAYERTAR_PURE_SRCS) $(LAYERTAR_DIR)/main.c
LAYERTAR_HDRS := $(LAYERTAR_DIR)/tar.h $(LAYERTAR_DIR)/merge.h
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

LINT_C += $(LAYERTAR_SRCS)

