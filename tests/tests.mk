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
# The other boards build while the suites that need none of them run: their
# Debian trees take minutes (an arm64 one runs its maintainer scripts under
# qemu-user), mostly on one core. The QEMU tests wait for them.
# The host tests need this host's board at once: when it is not the
# configured one, it builds first, in the foreground.
CHECK_NATIVE_BOARD := $(if $(filter $(HOST_ARCH),$(ARCH)),,qemu-$(HOST_ARCH))
CHECK_BG_BOARDS := $(filter-out $(CHECK_NATIVE_BOARD),$(CHECK_OTHER_BOARDS))
CHECK_BOARDS_DONE := $(CHECK_DIR)/boards.done
CHECK_BOARDS_WAIT := 3600
# The QEMU suites and the Debian suite are independent of each other (own
# output folders, no host loop device with a PARTLABEL) and a TCG guest keeps
# about one core busy: they run side by side, one per core by default, each
# printing its PASS:/FAIL: lines when it ends.
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
# The suites start longest first, so that the lanes end close together (a
# long suite started last would run alone on one core). Each one's minutes in
# a make check on a quiet 2-core machine, with another suite beside it:
# U-Boot about 11 (the aarch64 suite's 68 boots, each some 2.5 s longer
# through U-Boot with no countdown, then its own checks: estimated from one
# boot's times, not yet timed in a make check), x86-64 and aarch64 busybox
# boards 6-7, raspberrypi3 5.5, Debian layers 3.5, Debian boards 2.5, the
# example product 1, raspberrypi4 (built only) 0.5. A suite not named here
# starts after these.
CHECK_LONGEST_FIRST := boot-qemu-aarch64-uboot boot-qemu-x86_64 boot-qemu-aarch64 \
	boot-raspberrypi3 debian boot-qemu-x86_64-debian boot-qemu-aarch64-debian example \
	boot-raspberrypi4
# Boards whose U-Boot variant runs the whole QEMU suite on the same kernel,
# machine and init (qemu-aarch64-uboot): their direct boot runs only the suites
# of how they boot (basic, persistent, hardening; tests/qemu/run boot-path).
# The rest once per architecture is enough, and keeps make check under 30 min.
CHECK_BOOT_PATH_ONLY := qemu-aarch64
SUBMAKE := $(MAKE) --no-print-directory -C $(TOPDIR)
# check-build-board BOARD (a shell word): configure and build it in
# $(CHECK_BOARDS_DIR)/BOARD, as the suite build-BOARD.
check-build-board = $(SUITE) build-$(1) sh -c '$(SUBMAKE) O=$(CHECK_BOARDS_DIR)/'$(1)' \
	'$(1)'_defconfig && $(SUBMAKE) O=$(CHECK_BOARDS_DIR)/'$(1)' all && \
	echo "PASS: '$(1)': the board builds"'

check:
	$(Q)$(TOPDIR)/scripts/deps check
	$(Q)$(SUBMAKE) O=$(O) all
	$(Q)rm -rf $(CHECK_DIR)/*.log $(CHECK_BOARDS_DONE)
	$(Q)mkdir -p $(CHECK_DIR)
	$(Q)for b in $(CHECK_NATIVE_BOARD); do $(call check-build-board,$$b); done
	@echo ">>> check: build the other boards in the background: $(CHECK_BG_BOARDS)"
	$(Q)(for b in $(CHECK_BG_BOARDS); do $(call check-build-board,$$b); done \
		>$(CHECK_DIR)/boards.out 2>&1; touch $(CHECK_BOARDS_DONE)) &
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
	@echo ">>> check: wait for the other boards"
	$(Q)for i in $$(seq 1 $(CHECK_BOARDS_WAIT)); do [ -f $(CHECK_BOARDS_DONE) ] && break; sleep 1; done; \
	if [ -f $(CHECK_BOARDS_DONE) ]; then cat $(CHECK_DIR)/boards.out; \
	else echo "FAIL: the other boards did not build in $(CHECK_BOARDS_WAIT) s" | tee $(CHECK_DIR)/build-wait.log; fi
	@echo ">>> check: the QEMU tests of every board, the Debian layers and the example product, $(CHECK_JOBS) suites at a time"
	$(Q){ echo "boot-$(CHECK_BOARD) $(TOPDIR)/tests/qemu/run $(O)"; \
		echo "debian $(TOPDIR)/tests/debian/run $(CHECK_NATIVE_OUT)"; \
		echo "example env IMAGE_TEST_JOBS=1 $(TOPDIR)/tests/example/run $(CHECK_DIR)/example"; \
		for b in $(CHECK_OTHER_BOARDS); do \
			only=$$(case " $(CHECK_BOOT_PATH_ONLY) " in *" $$b "*) echo " boot-path" ;; esac); \
			echo "boot-$$b $(TOPDIR)/tests/qemu/run $(CHECK_BOARDS_DIR)/$$b$$only"; \
		done; } | awk -v order="$(CHECK_LONGEST_FIRST)" \
		'BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) rank[o[i]] = i } \
		{ print (($$1 in rank) ? rank[$$1] : n + NR) "\t" $$0 }' | sort -n -s | cut -f2- | \
		xargs -P $(CHECK_JOBS) -L 1 $(TOPDIR)/tests/run-suite $(CHECK_DIR)
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
