################################################################################
# Tests: make check runs every suite and ends with "N passed, N failed".
# Each suite prints one PASS:/FAIL: line per check; tests/summary counts them.
################################################################################

CHECK_DIR := $(O)/check

# A suite that fails still lets the others run; its FAIL lines (or a line
# saying it broke) count in the summary.
define run-suite
	$(Q)( $(2) ) > $(CHECK_DIR)/$(1).log 2>&1 || \
		grep -q '^FAIL: ' $(CHECK_DIR)/$(1).log || \
		echo "FAIL: $(1): the suite stopped with an error (see $(CHECK_DIR)/$(1).log)" >> $(CHECK_DIR)/$(1).log
	$(Q)grep -E '^(PASS|FAIL): ' $(CHECK_DIR)/$(1).log || true
endef

check:
	$(Q)$(TOPDIR)/scripts/deps check
	$(Q)$(MAKE) --no-print-directory O=$(O) all
	$(Q)mkdir -p $(CHECK_DIR)
	$(Q)rm -f $(CHECK_DIR)/*.log
	@echo ">>> check: unit tests"
	$(call run-suite,unit,$(MAKE) --no-print-directory O=$(O) unit-test)
	@echo ">>> check: host tests"
	$(call run-suite,host,$(MAKE) --no-print-directory O=$(O) host-test)
	@echo ">>> check: QEMU tests"
	$(call run-suite,qemu,$(TOPDIR)/tests/qemu/run $(O))
	$(Q)$(TOPDIR)/tests/summary $(CHECK_DIR)/*.log

qemu-test:
	$(Q)$(MAKE) --no-print-directory O=$(O) all
	$(Q)$(TOPDIR)/tests/qemu/run $(O)

.PHONY: check qemu-test
