################################################################################
# make lint: the layering rule of init/ (tests/layering, and proof that it
# catches a planted violation), cppcheck and clang-tidy on the init
# (configuration in .clang-tidy), shellcheck on every shell script. Part of
# make check.
# clang-tidy runs once per file: given several files in one run, the clang 14
# analyzer carries state from one file into the next and reports va_list
# "uninitialized" errors in fmt.c that a run on fmt.c alone does not have.
################################################################################

LINT_C := $(sort $(wildcard $(TOPDIR)/init/*.c $(TOPDIR)/init/*/*.c))
LINT_DEFS := -DLB_VERSION='"lint"' -D_GNU_SOURCE -I$(TOPDIR)/init
LINT_SHELL := $(sort $(wildcard $(TOPDIR)/scripts/*)) $(TOPDIR)/tests/summary \
	$(TOPDIR)/tests/run-suite $(TOPDIR)/tests/lanes $(TOPDIR)/tests/layering $(TOPDIR)/tests/layering-selftest \
	$(TOPDIR)/tests/qemu/run $(TOPDIR)/tests/debian/run $(wildcard $(TOPDIR)/tests/host/*.sh) \
	$(wildcard $(TOPDIR)/tests/scripts/*.sh) \
	$(wildcard $(TOPDIR)/tests/lib/*.sh) \
	$(wildcard $(TOPDIR)/layers/*/build.sh) $(wildcard $(TOPDIR)/tests/qemu/layers/*/build.sh) \
	$(TOPDIR)/tests/qemu/systemd/90-systemd-checks/files/usr/lib/layerboot-checks/run \
	$(wildcard $(TOPDIR)/bench/*.sh) \
	$(addprefix $(TOPDIR)/bench/debian/,run fs prepare boot ext4-init) $(TOPDIR)/bench/handoff \
	$(TOPDIR)/bench/uboot $(TOPDIR)/bench/update $(TOPDIR)/bench/signtree \
	$(addprefix $(TOPDIR)/bench/,boot mkfloorplan prepare-verify report prepare-fs report-fs \
		buildcheck mklayers prepare mkinitrd) \
	$(TOPDIR)/bench/debian/layer/90-bench-systemd/files/usr/lib/layerboot-bench/run \
	$(wildcard $(TOPDIR)/bench/debian/layer/*/build.sh)
LINT_SHELL += $(addprefix $(TOPDIR)/scripts/image-test/,prepare prepare-update boot report tap.sh console.sh \
	guest/init guest/run guest/lib.sh) $(TOPDIR)/tests/example/run \
	$(wildcard $(TOPDIR)/examples/*/layers/*/build.sh $(TOPDIR)/examples/*/tests/*)
LINT_SHELL := $(filter-out %.c %.mk $(patsubst %/,%,$(wildcard $(TOPDIR)/scripts/*/)),$(LINT_SHELL))

lint:
	$(Q)$(TOPDIR)/scripts/deps lint
	$(Q)rc=0; \
	if $(TOPDIR)/tests/layering $(TOPDIR)/init >$(O)/lint-layering.log 2>&1; then \
		echo "PASS: lint: init/ keeps its layering rule (includes, no syscalls in pure/)"; \
	else cat $(O)/lint-layering.log; echo "FAIL: lint: init/ layering rule"; rc=1; fi; \
	$(TOPDIR)/tests/layering-selftest $(TOPDIR)/init || rc=1; \
	if cppcheck --quiet --std=c11 --enable=warning,performance,portability --inline-suppr \
		--error-exitcode=1 $(LINT_DEFS) $(LINT_C) 2>$(O)/lint-cppcheck.log; then \
		echo "PASS: lint: cppcheck on init/"; \
	else cat $(O)/lint-cppcheck.log; echo "FAIL: lint: cppcheck on init/"; rc=1; fi; \
	: >$(O)/lint-clang-tidy.log; bad=0; \
	for f in $(LINT_C); do \
		clang-tidy --quiet $$f -- -std=gnu11 $(LINT_DEFS) >>$(O)/lint-clang-tidy.log 2>&1 || bad=1; \
	done; \
	if [ $$bad = 0 ]; then \
		echo "PASS: lint: clang-tidy on init/"; \
	else grep -E 'warning:|error:' $(O)/lint-clang-tidy.log | head -n 40; \
		echo "FAIL: lint: clang-tidy on init/"; rc=1; fi; \
	if (cd $(TOPDIR) && shellcheck -x $(LINT_SHELL)) >$(O)/lint-shellcheck.log 2>&1; then \
		echo "PASS: lint: shellcheck on $(words $(LINT_SHELL)) scripts"; \
	else cat $(O)/lint-shellcheck.log; echo "FAIL: lint: shellcheck"; rc=1; fi; \
	exit $$rc

.PHONY: lint
