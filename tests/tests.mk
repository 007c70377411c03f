################################################################################
# Tests: make check runs every suite and ends with "N passed, N failed".
# Each suite prints one PASS:/FAIL: line per check; tests/summary counts them.
# The unit and host tests run once (host tests need the host's architecture);
# the QEMU suite runs on every board in board/: the configured one in $(O),
# each other one in $(O)/check/boards/NAME.
################################################################################

CHECK_DIR := $(O)/check
CHECK_BOARD := $(call qstrip,$(LB_BOARD))
CHECK_OTHER_BOARDS := $(filter-out $(CHECK_BOARD),$(BOARDS))
CHECK_BOARDS_DIR := $(CHECK_DIR)/boards
# The host tests run the init itself, so they need a build for this machine.
CHECK_NATIVE_OUT := $(if $(filter $(HOST_ARCH),$(ARCH)),$(O),$(CHECK_BOARDS_DIR)/qemu-$(HOST_ARCH))
SUITE := $(TOPDIR)/tests/run-suite $(CHECK_DIR)
SUBMAKE := $(MAKE) --no-print-directory -C $(TOPDIR)

check:
	$(Q)$(TOPDIR)/scripts/deps check
	$(Q)$(SUBMAKE) O=$(O) all
	$(Q)rm -rf $(CHECK_DIR)/*.log
	$(Q)for b in $(CHECK_OTHER_BOARDS); do \
		echo ">>> check: build board $$b"; \
		$(SUITE) build-$$b sh -c '$(SUBMAKE) O=$(CHECK_BOARDS_DIR)/'$$b' '$$b'_defconfig && \
			$(SUBMAKE) O=$(CHECK_BOARDS_DIR)/'$$b' all && \
			echo "PASS: '$$b': the board builds"'; \
	done
	@echo ">>> check: lint"
	$(Q)$(SUITE) lint $(SUBMAKE) O=$(O) lint
	@echo ">>> check: unit tests"
	$(Q)$(SUITE) unit $(SUBMAKE) O=$(O) unit-test
	@echo ">>> check: fuzz corpora"
	$(Q)$(SUITE) fuzz $(SUBMAKE) O=$(O) fuzz-regress
	@echo ">>> check: host tests"
	$(Q)$(SUITE) host $(SUBMAKE) O=$(CHECK_NATIVE_OUT) host-test
	@echo ">>> check: scripts tests"
	$(Q)$(SUITE) scripts $(SUBMAKE) O=$(O) scripts-test
	@echo ">>> check: Debian layers"
	$(Q)$(SUITE) debian $(TOPDIR)/tests/debian/run $(CHECK_NATIVE_OUT)
	@echo ">>> check: QEMU tests on $(CHECK_BOARD)"
	$(Q)$(SUITE) boot-$(CHECK_BOARD) $(TOPDIR)/tests/qemu/run $(O)
	$(Q)for b in $(CHECK_OTHER_BOARDS); do \
		echo ">>> check: QEMU tests on $$b"; \
		$(SUITE) boot-$$b $(TOPDIR)/tests/qemu/run $(CHECK_BOARDS_DIR)/$$b; \
	done
	$(Q)$(TOPDIR)/tests/summary $(CHECK_DIR)/*.log

# Packages layers built with mmdebstrap (tests/debian/run), for this host.
debian-test:
	$(Q)$(SUBMAKE) O=$(O) $(LAYERTAR_BIN)
	$(Q)$(TOPDIR)/tests/debian/run $(O)

# The host scripts on hostile input (tests/scripts/): no build, no loop
# devices, no mounts.
scripts-test:
	$(Q)$(TOPDIR)/tests/scripts/run.sh

qemu-test:
	$(Q)$(SUBMAKE) O=$(O) all
	$(Q)$(TOPDIR)/tests/qemu/run $(O)

.PHONY: check scripts-test qemu-test debian-test
