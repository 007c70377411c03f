################################################################################
#
# bench/bench.mk -- make bench: layerboot against the busybox shell-script
# /init a user would write instead, side by side in the same run.
#
# Included by the top Makefile, which defines first: O, TOPDIR, Q, BUILD,
# IMAGES, HOST_CC, TARGET_CC, DL_DIR, DEBIAN_ARCH and the LB_* settings.
#
# Writes $(O)/bench/report.md, $(O)/bench/scaling.png, size.png and fs.png;
# the raw results are in $(O)/bench/results/, the boot logs in $(O)/bench/work/logs/.
# BENCH_QUICK=1: 3 boots per case and 1, 8, 64 layers, for a fast look.
# The verify part (bench/prepare-verify) builds the benchmark again with
# LB_VERIFY_VERITY and boots it in each verify mode against bench/floor, then
# one layer of each of BENCH_SIZES MiB from a disk; its images are deleted
# after the boots (the largest disk is over 512 MiB).
# The Debian part (bench/debian/run) builds qemu-x86_64-debian with a benchmark
# layer in $(BENCH_WORK)/debian and times systemd's boot to multi-user.target
# on layerboot against the same tree on plain ext4; BENCH_DEBIAN=0 leaves it out.
# The filesystem part (bench/prepare-fs): an erofs build of the same layers
# against build A's squashfs, booted in turn: image sizes, handoff, a tar-like
# read and a random stat of every file, and the kernel memory each mounted
# layer holds (BENCH_FS_COUNT tiny layers at the board's memory).
# bench/debian/fs does the same for the Debian base (BENCH_DEBIAN=0: not).
# `make bench-fs` runs that part alone (and build A, when no bench made it)
# and writes $(O)/bench/report-fs.md and fs.png.
# BENCH_QRUN: a command each boot section runs under, e.g. a lock shared
# with other users of the machine (empty: none).
# Timing is never pass/fail here: medians of alternating boots, and ratios.
#
################################################################################

BENCH_OUT := $(O)/bench
BENCH_WORK := $(BENCH_OUT)/work
BENCH_RESULTS := $(BENCH_OUT)/results
# Clean build A of bench/buildcheck: the board's .config plus the benchmark
# layer; every boot uses its kernel, QEMU flags and layers.
BENCH_BUILD := $(BENCH_WORK)/build/a
BENCH_MARKER := $(BENCH_WORK)/bin/marker
BENCH_SHA256 := $(BENCH_WORK)/bin/sha256bench
BENCH_SIGTIME := $(BENCH_WORK)/bin/sigtime

ifneq ($(filter-out 0 n no,$(BENCH_QUICK)),)
BENCH_MODE := quick
BENCH_RUNS := 3
BENCH_FS_COUNT := 16
BENCH_SIZE_RUNS := 3
BENCH_COUNTS := 1 8 64
BENCH_HASH_ROUNDS := 3
# The first boot of each Debian disk, which makes the steady-state one, only.
BENCH_DEBIAN_FIRST_RUNS := 0
else
BENCH_MODE := full
BENCH_RUNS := 7
BENCH_FS_COUNT := 64
BENCH_SIZE_RUNS := 5
BENCH_COUNTS := 1 8 64 256 499
BENCH_HASH_ROUNDS := 5
BENCH_DEBIAN_FIRST_RUNS := $(shell echo $$(($(BENCH_RUNS) - 1)))
endif
BENCH_DEBIAN ?= 1
# The U-Boot part (bench/uboot): qemu-aarch64-uboot against qemu-aarch64, QEMU
# start to /init; BENCH_UBOOT=0 leaves it out.
BENCH_UBOOT ?= 1
# QEMU's memory in the scaling boots, for both systems: each mounted layer
# holds squashfs caches and a decompressor workspace in the kernel (about
# 1.4 MiB with zstd and 128K blocks), more than the board's RAM for 499.
BENCH_SCALE_MEM := 2G
# One layer of each size (MiB) in the size boots, and their memory: the page
# cache holds the image file and the squashfs file read through it.
BENCH_SIZES := 1 64 512
BENCH_SIZE_MEM := 2G
BENCH_V := $(BENCH_WORK)/build/v
BENCH_QRUN ?=

# The filesystem part: the erofs build, then both filesystems' boots on
# build A's kernel and QEMU flags.
define bench-fs-part
	@echo ">>> bench: erofs against squashfs: the erofs build, $(BENCH_FS_COUNT) tiny layers of each"
	$(Q)$(TOPDIR)/bench/prepare-fs $(BENCH_BUILD) $(BENCH_WORK) $(BENCH_RESULTS) \
		$(call qstrip,$(LB_INITRAMFS_COMP)) $(call qstrip,$(LB_SQUASHFS_COMP)) \
		$(call qstrip,$(LB_SQUASHFS_BLOCK)) $(BENCH_MARKER) $(BENCH_FS_COUNT)
	@echo ">>> bench: erofs against squashfs: $(BENCH_RUNS) alternating boots of each"
	$(Q)t0=$$(date +%s) && $(BENCH_QRUN) $(TOPDIR)/bench/handoff $(BENCH_RUNS) $(BENCH_WORK)/cases-fs \
		$(BENCH_RESULTS)/fs.tsv $(BENCH_BUILD)/images/start-qemu.sh $(BENCH_WORK)/logs && \
		printf 'boots_s\t%s\nruns\t%s\n' $$(($$(date +%s) - t0)) $(BENCH_RUNS) >>$(BENCH_RESULTS)/fs-meta.tsv
	@echo ">>> bench: kernel memory per layer: 1 and $(BENCH_FS_COUNT) layers, mounted and not, twice each"
	$(Q)$(BENCH_QRUN) $(TOPDIR)/bench/handoff 2 $(BENCH_WORK)/cases-fs-memory \
		$(BENCH_RESULTS)/fs-memory.tsv $(BENCH_BUILD)/images/start-qemu.sh $(BENCH_WORK)/logs/fs-memory
endef

# The merged root's init of the scaling boots (the build's benchmark layer
# compiles the same file for the others).
$(BENCH_MARKER): bench/marker.c
	@echo ">>> bench: cc marker.c"
	$(Q)mkdir -p $(@D)
	$(Q)$(TARGET_CC) -static -Os -std=gnu11 -Wall -Wextra -Werror -s -o $@ $<

# layerboot's sha256 built for the host, with the init's optimisation level.
BENCH_SHA256_SRCS := init/pure/sha256.c init/sys/sha256fd.c

$(BENCH_SHA256): bench/sha256bench.c $(BENCH_SHA256_SRCS) init/pure/sha256.h init/sys/sha256fd.h
	@echo ">>> bench: cc sha256bench.c (host)"
	$(Q)mkdir -p $(@D)
	$(Q)$(HOST_CC) -Os -std=gnu11 -Wall -Wextra -Werror -Iinit -o $@ \
		bench/sha256bench.c $(BENCH_SHA256_SRCS)

# The signature check's steps, timed in the booted system (bench/update).
BENCH_SIGTIME_SRCS := init/pure/sha256.c init/pure/sigline.c init/pure/hex.c

$(BENCH_SIGTIME): bench/sigtime.c $(BENCH_SIGTIME_SRCS) init/pure/sha256.h init/pure/sigline.h
	@echo ">>> bench: cc sigtime.c"
	$(Q)mkdir -p $(@D)
	$(Q)$(TARGET_CC) -static -Os -std=gnu11 -Wall -Wextra -Werror -s -Iinit -o $@ \
		bench/sigtime.c $(BENCH_SIGTIME_SRCS)

# The update part alone (make bench runs it too): a one-layer update's bytes
# written against a whole-slot image, its install time, the signature check's
# boot time. Writes $(BENCH_OUT)/update.md.
bench-update: all $(BENCH_SIGTIME)
	@echo ">>> bench: update: a one-layer update, then $(BENCH_RUNS) boots for the signature check"
	$(Q)$(TOPDIR)/bench/update $(O) $(BENCH_WORK)/update $(BENCH_RESULTS) $(BENCH_RUNS) $(BENCH_SIGTIME)
	$(Q)mkdir -p $(BENCH_OUT) && cp $(BENCH_WORK)/update/update.md $(BENCH_OUT)/update.md

bench: all $(BENCH_MARKER) $(BENCH_SHA256) $(BENCH_SIGTIME)
	$(Q)$(TOPDIR)/scripts/deps bench
	$(Q)rm -rf $(BENCH_RESULTS) $(BENCH_WORK)/logs $(BENCH_WORK)/initrd
	$(Q)mkdir -p $(BENCH_RESULTS)
	@echo ">>> bench: build checks: no-op make, two clean builds, one touched layer"
	$(Q)$(TOPDIR)/bench/buildcheck $(O) $(BENCH_WORK)/build $(firstword $(LAYER_DIRS)) \
		$(TOPDIR)/bench/layer/90-bench $(BENCH_RESULTS)/build.tsv
	@echo ">>> bench: initramfs images for the boots ($(BENCH_MODE): $(BENCH_COUNTS) layers)"
	$(Q)$(TOPDIR)/bench/prepare $(BENCH_BUILD) $(BENCH_WORK) \
		$(call qstrip,$(LB_INITRAMFS_COMP)) $(call qstrip,$(LB_SQUASHFS_COMP)) \
		$(call qstrip,$(LB_SQUASHFS_BLOCK)) $(BENCH_MARKER) \
		"$$($(TOPDIR)/scripts/fetch-deb busybox-static $(DEBIAN_ARCH) $(DL_DIR))" \
		$(BENCH_SCALE_MEM) $(BENCH_COUNTS)
	$(Q)$(TOPDIR)/bench/meta $(BENCH_RESULTS)/meta.tsv $(BENCH_MODE) $(BENCH_RUNS) \
		"$(BENCH_COUNTS)" $(BENCH_SCALE_MEM) $(call qstrip,$(LB_INITRAMFS_COMP)) $(call qstrip,$(LB_QEMU_SYSTEM)) \
		"$(call qstrip,$(LB_QEMU_MACHINE)) -m $(call qstrip,$(LB_QEMU_MEMORY)) -nographic -no-reboot" \
		$(BENCH_BUILD) $(BENCH_WORK)
	@echo ">>> bench: handoff: $(BENCH_RUNS) alternating boots of each system"
	$(Q)$(BENCH_QRUN) $(TOPDIR)/bench/handoff $(BENCH_RUNS) $(BENCH_WORK)/cases-main \
		$(BENCH_RESULTS)/handoff.tsv $(BENCH_BUILD)/images/start-qemu.sh $(BENCH_WORK)/logs
	@echo ">>> bench: layer scaling: $(BENCH_COUNTS) layers, $(BENCH_RUNS) boots each, -m $(BENCH_SCALE_MEM)"
	$(Q)$(BENCH_QRUN) $(TOPDIR)/bench/handoff $(BENCH_RUNS) $(BENCH_WORK)/cases-scale \
		$(BENCH_RESULTS)/scaling.tsv $(BENCH_BUILD)/images/start-qemu.sh $(BENCH_WORK)/logs
	@echo ">>> bench: the most layers at the board's memory, once each"
	$(Q)$(BENCH_QRUN) $(TOPDIR)/bench/handoff 1 $(BENCH_WORK)/cases-memory \
		$(BENCH_RESULTS)/memory.tsv $(BENCH_BUILD)/images/start-qemu.sh $(BENCH_WORK)/logs/memory
	@echo ">>> bench: verify modes against bench/floor, and one layer of $(BENCH_SIZES) MiB"
	$(Q)t0=$$(date +%s) && $(TOPDIR)/bench/prepare-verify $(BENCH_BUILD) $(BENCH_WORK) $(TARGET_CC) \
		$(call qstrip,$(LB_INITRAMFS_COMP)) $(call qstrip,$(LB_SQUASHFS_COMP)) \
		$(call qstrip,$(LB_SQUASHFS_BLOCK)) $(BENCH_MARKER) $(BENCH_SIZE_MEM) $(BENCH_SIZES) && \
		printf 'size_prepare_s\t%s\nsize_runs\t%s\nsize_mem\t%s\n' $$(($$(date +%s) - t0)) \
		$(BENCH_SIZE_RUNS) $(BENCH_SIZE_MEM) >>$(BENCH_RESULTS)/meta.tsv
	@echo ">>> bench: floor and verify modes: $(BENCH_RUNS) alternating boots of each"
	$(Q)$(BENCH_QRUN) $(TOPDIR)/bench/handoff $(BENCH_RUNS) $(BENCH_WORK)/cases-verify \
		$(BENCH_RESULTS)/verify.tsv $(BENCH_V)/images/start-qemu.sh $(BENCH_WORK)/logs
	@echo ">>> bench: layer size: $(BENCH_SIZES) MiB, $(BENCH_SIZE_RUNS) boots each per verify mode"
	$(Q)t0=$$(date +%s) && $(BENCH_QRUN) $(TOPDIR)/bench/handoff $(BENCH_SIZE_RUNS) $(BENCH_WORK)/cases-size \
		$(BENCH_RESULTS)/size.tsv $(BENCH_V)/images/start-qemu.sh $(BENCH_WORK)/logs && \
		printf 'size_boots_s\t%s\n' $$(($$(date +%s) - t0)) >>$(BENCH_RESULTS)/meta.tsv; \
		rc=$$?; rm -rf $(BENCH_WORK)/size $(BENCH_WORK)/initrd/size-*.cpio.gz; exit $$rc
	$(bench-fs-part)
	@echo ">>> bench: sha256 speed, $(BENCH_HASH_ROUNDS) rounds"
	$(Q)$(TOPDIR)/bench/hash $(BENCH_HASH_ROUNDS) $(BENCH_WORK) $(BENCH_SHA256) \
		$(BENCH_RESULTS)/hash.tsv
ifneq ($(filter-out 0 n no,$(BENCH_DEBIAN)),)
	$(Q)BENCH_QRUN="$(BENCH_QRUN)" $(TOPDIR)/bench/debian/run $(BENCH_WORK)/debian $(BENCH_RESULTS) $(BENCH_RUNS) \
		$(BENCH_DEBIAN_FIRST_RUNS) "$$($(TOPDIR)/scripts/fetch-deb busybox-static amd64 $(DL_DIR))"
	@echo ">>> bench: the Debian base in erofs against squashfs: $(BENCH_RUNS) alternating boots of each"
	$(Q)BENCH_QRUN="$(BENCH_QRUN)" $(TOPDIR)/bench/debian/fs $(BENCH_WORK)/debian $(BENCH_RESULTS) $(BENCH_RUNS)
endif
	$(Q)$(TOPDIR)/bench/sizes $(INIT) $(BUILD)/initramfs $(BENCH_WORK)/baseline-tree \
		$(call qstrip,$(LB_INITRAMFS_COMP)) $(BENCH_WORK)/sizes $(BENCH_RESULTS)/sizes.tsv
ifneq ($(filter-out 0 n no,$(BENCH_UBOOT)),)
	@echo ">>> bench: U-Boot against direct boot: $(BENCH_RUNS) alternating boots of each"
	$(Q)$(BENCH_QRUN) $(TOPDIR)/bench/uboot $(BENCH_WORK)/uboot $(BENCH_RESULTS) $(BENCH_RUNS)
endif
	@echo ">>> bench: update: a one-layer update, then $(BENCH_RUNS) boots for the signature check"
	$(Q)$(TOPDIR)/bench/update $(O) $(BENCH_WORK)/update $(BENCH_RESULTS) $(BENCH_RUNS) $(BENCH_SIGTIME)
	$(Q)$(TOPDIR)/bench/report $(BENCH_RESULTS) $(BENCH_OUT)
	$(Q){ echo; cat $(BENCH_WORK)/update/update.md; } >>$(BENCH_OUT)/report.md
ifneq ($(filter-out 0 n no,$(BENCH_UBOOT)),)
	$(Q){ echo; cat $(BENCH_WORK)/uboot/uboot.md; } >>$(BENCH_OUT)/report.md
endif
	@echo ">>> bench: wrote $(BENCH_OUT)/report.md, $(BENCH_OUT)/scaling.png, size.png and fs.png"

# The filesystem part alone: build A (as bench/buildcheck makes it) when no
# earlier bench left it, then erofs against squashfs; its own report.
bench-fs: all $(BENCH_MARKER)
	$(Q)$(TOPDIR)/scripts/deps bench
	$(Q)rm -f $(BENCH_RESULTS)/fs.tsv $(BENCH_RESULTS)/fs-memory.tsv $(BENCH_RESULTS)/fs-meta.tsv
	$(Q)rm -rf $(BENCH_WORK)/logs/fs-*
	$(Q)mkdir -p $(BENCH_RESULTS)
	$(Q)$(TOPDIR)/bench/buildcheck $(O) $(BENCH_WORK)/build $(firstword $(LAYER_DIRS)) \
		$(TOPDIR)/bench/layer/90-bench -
	$(bench-fs-part)
ifneq ($(filter-out 0 n no,$(BENCH_DEBIAN)),)
	@echo ">>> bench: the Debian base in erofs against squashfs: $(BENCH_RUNS) alternating boots of each"
	$(Q)BENCH_QRUN="$(BENCH_QRUN)" $(TOPDIR)/bench/debian/fs $(BENCH_WORK)/debian $(BENCH_RESULTS) $(BENCH_RUNS)
endif
	$(Q)$(TOPDIR)/bench/report-fs $(BENCH_RESULTS) $(BENCH_OUT) >$(BENCH_OUT)/report-fs.md
	@echo ">>> bench: wrote $(BENCH_OUT)/report-fs.md and $(BENCH_OUT)/fs.png"

.PHONY: bench bench-update bench-fs
