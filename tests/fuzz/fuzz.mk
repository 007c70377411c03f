################################################################################
# Fuzzing the parsers that read untrusted input: the command line, the
# manifest, device specs and sizes (text), and what the device probe reads
# from a disk: the GPT header and entries, the MBR signature, the ext4
# superblock, and the sysfs text it matches against a spec (devmatch).
# libFuzzer with ASan and UBSan (clang).
#   make fuzz           each target for FUZZ_SECONDS (60), growing its corpus
#                       in tests/fuzz/corpus/NAME/, then minimised to the
#                       inputs that add coverage (commit what it finds)
#   make fuzz-regress   each target over its corpus once (part of make check),
#                       so that a crash once found stays a regression test
################################################################################

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := cmdline manifest devspec size gpt ext4sb devmatch bootstate
FUZZ_DIR := $(TOPDIR)/tests/fuzz
FUZZ_OUT := $(O)/build/fuzz
FUZZ_CFLAGS := -g -O1 -std=gnu11 -Wall -Wextra -Werror -I$(TOPDIR)/init \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_BINS := $(addprefix $(FUZZ_OUT)/fuzz-,$(FUZZ_TARGETS))

$(FUZZ_OUT)/fuzz-%: $(FUZZ_DIR)/fuzz_%.c $(INIT_PURE_SRCS) $(INIT_HDRS)
	@echo ">>> fuzz: build $*"
	$(Q)mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $< $(INIT_PURE_SRCS)

fuzz: $(FUZZ_BINS)
	$(Q)for t in $(FUZZ_TARGETS); do \
		echo ">>> fuzz: $$t for $(FUZZ_SECONDS) s"; \
		mkdir -p $(FUZZ_DIR)/corpus/$$t $(FUZZ_OUT)/crashes; \
		$(FUZZ_OUT)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_OUT)/crashes/$$t- $(FUZZ_DIR)/corpus/$$t \
			2>$(FUZZ_OUT)/$$t.log || { tail -n 30 $(FUZZ_OUT)/$$t.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units' $(FUZZ_OUT)/$$t.log; \
		rm -rf $(FUZZ_OUT)/min-$$t && mkdir -p $(FUZZ_OUT)/min-$$t; \
		$(FUZZ_OUT)/fuzz-$$t -merge=1 $(FUZZ_OUT)/min-$$t $(FUZZ_DIR)/corpus/$$t \
			>$(FUZZ_OUT)/$$t-merge.log 2>&1 || { tail -n 30 $(FUZZ_OUT)/$$t-merge.log; exit 1; }; \
		rm -rf $(FUZZ_DIR)/corpus/$$t && mv $(FUZZ_OUT)/min-$$t $(FUZZ_DIR)/corpus/$$t; \
		echo "    corpus kept: $$(ls $(FUZZ_DIR)/corpus/$$t | wc -l) inputs (minimised)"; \
	done

fuzz-regress: $(FUZZ_BINS)
	$(Q)rc=0; for t in $(FUZZ_TARGETS); do \
		n=$$(ls $(FUZZ_DIR)/corpus/$$t | wc -l); \
		if $(FUZZ_OUT)/fuzz-$$t -runs=0 $(FUZZ_DIR)/corpus/$$t >$(FUZZ_OUT)/$$t-regress.log 2>&1; then \
			echo "PASS: fuzz: $$t: $$n corpus inputs run clean"; \
		else \
			echo "FAIL: fuzz: $$t: a corpus input fails (see $(FUZZ_OUT)/$$t-regress.log)"; rc=1; \
		fi; \
	done; exit $$rc

.PHONY: fuzz fuzz-regress
