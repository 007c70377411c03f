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
CHECK_NATIVE_BOARD := $(if $(filter $(HOST_ARCH),$(ARCH)),,qemu-$(HOST_ARCH))
CHECK_BOARDS_DONE := $(CHECK_DIR)/boards.done
# A board's build stamp: its suite may start (tests/lanes).
check-built = $(CHECK_DIR)/built-$(1)
CHECK_BOARDS_WAIT := 3600
# Every suite but the native board's build runs in tests/lanes, one per core
# by default: the host suites (lint, unit, fuzz, host, scripts), the QEMU
# suite of each board, the Debian layers and the example product. Their
# output folders are their own, none uses a host loop device with a
# PARTLABEL, and a TCG guest keeps about one core busy. A suite starts when
# a lane is free and its board is built; each prints its PASS:/FAIL: lines
# when it ends.
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
# The suites start longest first among those whose board is built, so that
# the lanes end close together (a long suite started last would run alone on
# one core). Each one's minutes in a make check on a 2-core machine, with
# another suite beside it: U-Boot 13.5, x86-64 10, Debian layers 4.5, host
# tests 4, the Debian boards 3.5 and 3, raspberrypi3 1.5, the example product
# 1.5, lint 2, fuzz 1, qemu-aarch64 (boot-path) 1, scripts 0.5, unit 0.5,
# raspberrypi4 (built only) 0.2. The unit and scripts suites come third: they
# fill the minute before the U-Boot board is built (lint, 4 minutes beside two
# other jobs, held it back by three), which then starts in the lane they free.
# A suite not named here starts after these.
CHECK_LONGEST_FIRST := boot-qemu-aarch64-uboot boot-qemu-x86_64 unit scripts debian host \
	boot-qemu-aarch64-debian boot-qemu-x86_64-debian lint boot-raspberrypi3 example fuzz \
	boot-qemu-aarch64 boot-raspberrypi4
# The other boards build one after another in the background (concurrent
# builds would fetch the same packages into dl/ at once), in the order their
# suites start. The host tests need this host's board at once: when it is not
# the configured one, it builds first, in the foreground.
CHECK_BG_BOARDS := $(filter $(CHECK_OTHER_BOARDS),$(patsubst boot-%,%,$(CHECK_LONGEST_FIRST))) \
	$(filter-out $(patsubst boot-%,%,$(CHECK_LONGEST_FIRST)),$(CHECK_OTHER_BOARDS))
CHECK_BG_BOARDS := $(filter-out $(CHECK_NATIVE_BOARD),$(CHECK_BG_BOARDS))
# Boards whose U-Boot variant runs the whole QEMU suite on the same kernel,
# machine and init (qemu-aarch64-uboot): their direct boot runs only what is
# its own, the boot from the initramfs (basic suite) and from the disk (the
# persistence round trip; tests/qemu/run boot-path). The rest once per
# architecture is enough, and keeps make check under 30 min.
CHECK_BOOT_PATH_ONLY := qemu-aarch64
SUBMAKE := $(MAKE) --no-print-directory -C $(TOPDIR)
# check-build-board BOARD (a shell word): configure and build it in
# $(CHECK_BOARDS_DIR)/BOARD, as the suite build-BOARD, then stamp it built
# (whether it built or not: its suite reports a failed build).
check-build-board = $(SUITE) build-$(1) sh -c '$(SUBMAKE) O=$(CHECK_BOARDS_DIR)/'$(1)' \
	'$(1)'_defconfig && $(SUBMAKE) O=$(CHECK_BOARDS_DIR)/'$(1)' all && \
	echo "PASS: '$(1)': the board builds"'; touch $(call check-built,$(1))
# The lines of tests/lanes' queue: "NAME NEEDS COMMAND...", sorted by
# CHECK_LONGEST_FIRST.
check-queue = { \
	echo "lint - $(SUBMAKE) O=$(O) lint"; \
	echo "unit - $(SUBMAKE) O=$(O) unit-test"; \
	echo "fuzz - $(SUBMAKE) O=$(O) fuzz-regress"; \
	echo "host - $(SUBMAKE) O=$(CHECK_NATIVE_OUT) host-test"; \
	echo "scripts - $(SUBMAKE) O=$(O) scripts-test"; \
	echo "boot-$(CHECK_BOARD) - $(TOPDIR)/tests/qemu/run $(O)"; \
	echo "debian - $(TOPDIR)/tests/debian/run $(CHECK_NATIVE_OUT)"; \
	echo "example - env IMAGE_TEST_JOBS=1 $(TOPDIR)/tests/example/run $(CHECK_DIR)/example"; \
	for b in $(CHECK_OTHER_BOARDS); do \
		only=$$(case " $(CHECK_BOOT_PATH_ONLY) " in *" $$b "*) echo " boot-path" ;; esac); \
		need=$(CHECK_DIR)/built-$$b; [ "$$b" != "$(CHECK_NATIVE_BOARD)" ] || need=-; \
		echo "boot-$$b $$need $(TOPDIR)/tests/qemu/run $(CHECK_BOARDS_DIR)/$$b$$only"; \
	done; } | awk -v order="$(CHECK_LONGEST_FIRST)" \
	'BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) rank[o[i]] = i } \
	{ print (($$1 in rank) ? rank[$$1] : n + NR) "\t" $$0 }' | sort -n -s | cut -f2-

check:
	$(Q)$(TOPDIR)/scripts/deps check
	$(Q)$(SUBMAKE) O=$(O) all
	$(Q)rm -rf $(CHECK_DIR)/*.log $(CHECK_BOARDS_DONE) $(CHECK_DIR)/built-* $(CHECK_DIR)/boards.out
	$(Q)mkdir -p $(CHECK_DIR)
	$(Q)for b in $(CHECK_NATIVE_BOARD); do $(call check-build-board,$$b); done
	@echo ">>> check: build the other boards in the background: $(CHECK_BG_BOARDS)"
	$(Q)(for b in $(CHECK_BG_BOARDS); do $(call check-build-board,$$b); done \
		>$(CHECK_DIR)/boards.out 2>&1; touch $(CHECK_BOARDS_DONE)) &
	@echo ">>> check: lint, unit, fuzz, host and scripts tests, the QEMU tests of every board, the Debian layers and the example product, $(CHECK_JOBS) suites at a time"
	$(Q)$(check-queue) >$(CHECK_DIR)/lanes.queue
	$(Q)$(TOPDIR)/tests/lanes $(CHECK_DIR) $(CHECK_JOBS) $(CHECK_DIR)/lanes.queue \
		$(CHECK_BOARDS_DONE) $(CHECK_BOARDS_WAIT)
	$(Q)for i in $$(seq 1 $(CHECK_BOARDS_WAIT)); do [ -f $(CHECK_BOARDS_DONE) ] && break; sleep 1; done; \
	if [ -f $(CHECK_BOARDS_DONE) ]; then cat $(CHECK_DIR)/boards.out; \
	else echo "FAIL: the other boards did not build in $(CHECK_BOARDS_WAIT) s" | tee $(CHECK_DIR)/build-wait.log; fi
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
