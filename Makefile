################################################################################
#
# layerboot: build boot images from read-only squashfs layers stacked under a
# writable overlayfs upper, and boot them in QEMU.
#
# make help lists the targets. Configuration lives in $(O)/.config
# (LB_NAME=value lines), made from board/NAME/defconfig.
#
################################################################################

TOPDIR := $(CURDIR)
O ?= $(TOPDIR)/output
override O := $(abspath $(O))
CONFIG := $(O)/.config
DEFAULT_BOARD := qemu-x86_64
LB_VERSION := 0.1.0

ifeq ($(V),1)
Q :=
else
Q := @
endif

# kconfig-frontends prefixes every symbol with $CONFIG_; empty, our LB_ names
# stay as they are (the way Buildroot writes BR2_ lines).
KCONFIG := CONFIG_= KCONFIG_CONFIG=$(CONFIG) LB_EXTERNAL_KCONFIG=$(O)/external.in

empty :=
space := $(empty) $(empty)
# LB_EXTERNAL: product trees outside this one, their boards and layers.
include scripts/external.mk
BOARDS := $(sort $(TREE_BOARDS) $(EXTERNAL_BOARDS))

# Targets that need no configuration (and must not make one).
NOCONFIG_GOALS := help list-defconfigs clean distclean menuconfig olddefconfig \
	savedefconfig $(addsuffix _defconfig,$(BOARDS)) lint-scripts
ifneq ($(MAKECMDGOALS),)
ifeq ($(filter-out $(NOCONFIG_GOALS),$(MAKECMDGOALS)),)
SKIP_CONFIG := y
endif
endif

# `make olddefconfig all`: this make read .config before olddefconfig wrote
# it, so `all` would build with the old values (a symbol newer than the
# .config empty, not its default). A goal that writes .config, given with
# others, makes each goal run in a make of its own, in order, as the
# kernel's Makefile does.
CONFIG_WRITING_GOALS := menuconfig olddefconfig $(addsuffix _defconfig,$(BOARDS))
ifneq ($(filter $(CONFIG_WRITING_GOALS),$(MAKECMDGOALS)),)
ifneq ($(filter-out $(CONFIG_WRITING_GOALS),$(MAKECMDGOALS)),)
GOALS_ONE_BY_ONE := y
endif
endif

ifeq ($(GOALS_ONE_BY_ONE),y)
$(MAKECMDGOALS): goals-one-by-one
	@:
goals-one-by-one:
	$(Q)set -e; for g in $(MAKECMDGOALS); do $(MAKE) --no-print-directory $$g; done
.PHONY: $(MAKECMDGOALS) goals-one-by-one
else

ifneq ($(SKIP_CONFIG),y)
-include $(CONFIG)
endif
$(eval $(external-check-saved))

qstrip = $(strip $(subst ",,$(1)))

# Times inside every image come from the last commit, so the same tree gives
# the same bytes on any machine.
SOURCE_DATE_EPOCH ?= $(shell git -C $(TOPDIR) log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

DL_DIR := $(call qstrip,$(LB_DL_DIR))
ifeq ($(DL_DIR),)
DL_DIR := dl
endif
DL_DIR := $(abspath $(if $(filter /%,$(DL_DIR)),$(DL_DIR),$(TOPDIR)/$(DL_DIR)))

ARCH := $(call qstrip,$(LB_ARCH))
DEBIAN_ARCH := $(call qstrip,$(LB_DEBIAN_ARCH))
HOST_CC := gcc
HOST_ARCH := $(shell uname -m)
# The native build uses Debian's musl-gcc; another architecture gets a musl
# cross compiler made from Debian packages (scripts/toolchain), kept in
# $(DL_DIR) for every build of that architecture, as the downloads are.
ifeq ($(ARCH),$(HOST_ARCH))
TARGET_CC := musl-gcc
TARGET_CC_DEP :=
else
TARGET_CC := $(DL_DIR)/toolchain/$(ARCH)/$(ARCH)-linux-musl-gcc
TARGET_CC_DEP := $(TARGET_CC)
endif
# The init's compiles go through ccache when the host has it (scripts/deps
# installs it), in $(DL_DIR)/ccache: the init is the same C for every board
# and test image of an architecture, and make check builds it some twenty
# times, half a minute each. The compiler is known by what `CC -v` says (a
# new gcc or specs file is a new compiler; ccache hashes the headers), not by
# the wrapper's file time; asked once per make at the first compile, since
# ccache would ask at every one (17 ms a compile).
# (Looked up once: `?=` would run the shell at every compile.)
ifeq ($(origin CCACHE),undefined)
CCACHE := $(shell command -v ccache 2>/dev/null)
endif
TARGET_CC_ID = $(eval TARGET_CC_ID := $$(shell $(TARGET_CC) -v 2>&1 | sha256sum | cut -c 1-32))$(TARGET_CC_ID)
TARGET_CC_CACHED = $(if $(CCACHE),CCACHE_COMPILERCHECK=string:$(TARGET_CC_ID) $(CCACHE) )$(TARGET_CC)
export CCACHE_DIR ?= $(DL_DIR)/ccache

BUILD := $(O)/build
IMAGES := $(O)/images

all:

# Write $(2) into file $(1) only when it differs, so that a file standing for a
# group of settings changes (and rebuilds what depends on it) only when they do.
define write-if-changed
	$(Q)mkdir -p $(dir $(1))
	$(Q)printf '%s\n' $(2) > $(1).tmp
	$(Q)if cmp -s $(1).tmp $(1); then rm -f $(1).tmp; else mv $(1).tmp $(1); fi
endef

include init/init.mk
include tests/tests.mk
include scripts/image-test/image-test.mk
include tests/fuzz/fuzz.mk
include tests/lint.mk
# After fuzz.mk and lint.mk: it adds to FUZZ_TARGETS and LINT_C.
include scripts/layertar/layertar.mk
include bench/bench.mk

ifneq ($(SKIP_CONFIG),y)

################################################################################
# Products
################################################################################

INIT := $(BUILD)/init/layerboot
VERIFY_MODE := $(if $(LB_VERIFY_VERITY),verity,$(if $(LB_VERIFY_NONE),none,sha256))
VERITY_CORRUPTION := $(if $(LB_VERITY_ON_CORRUPTION_RESTART),restart,eio)
# Locked only when the .config says so: a .config older than the symbol keeps
# today's behaviour (the command line may change it).
VERIFY_OVERRIDE := $(if $(LB_VERIFY_ALLOW_OVERRIDE),yes,$(if $(shell grep -sx \
	'\# LB_VERIFY_ALLOW_OVERRIDE is not set' $(CONFIG)),no,yes))
# The layers' filesystem and the suffix of their image files (init/INTERFACE.md).
LAYER_FS := $(if $(LB_LAYER_FS_EROFS),erofs,squashfs)
LAYER_SUFFIX := $(if $(LB_LAYER_FS_EROFS),erofs,sqfs)
KERNEL_MODULES := $(call qstrip,$(LB_KERNEL_MODULES))
# The board's list names the layers' filesystem as squashfs: under erofs its
# module takes that place in the load order (or comes first when it is absent).
ifeq ($(LAYER_FS),erofs)
KERNEL_MODULES := $(if $(filter squashfs,$(KERNEL_MODULES)),$(patsubst squashfs,erofs,$(KERNEL_MODULES)),erofs $(KERNEL_MODULES))
endif
# dm-verity brings dm-mod and dm-bufio (resolved by scripts/kernel); only a
# verity build carries them, and the init loads them only under verity. The
# CPU's sha256 goes first, so that dm-verity finds it when a device is made.
KERNEL_VERITY_MODULES := $(if $(LB_VERIFY_VERITY),$(call qstrip,$(LB_VERITY_HASH_MODULES)) dm-verity)
KERNEL_STORAGE_MODULES := $(call qstrip,$(LB_KERNEL_STORAGE_MODULES))
KERNEL_DTBS := $(call qstrip,$(LB_SDCARD_DTBS))
# In the initramfs whenever the board names one, so that layerboot.watchdog=
# can arm it for a boot of a build that has LB_WATCHDOG at 0.
KERNEL_WATCHDOG_MODULES := $(call qstrip,$(LB_WATCHDOG_MODULE))
REBUILT := $(BUILD)/.rebuilt

# Say what a step makes, and note it for the summary line of `make all`.
step = @echo ">>> $(1)"; mkdir -p $(BUILD); echo "$(1)" >> $(REBUILT)

# A Raspberry Pi board's disk is its SD card (sdcard.img), with a boot partition.
DISK_IMAGE := $(if $(LB_SDCARD),sdcard.img,disk.img)

all: $(IMAGES)/kernel $(IMAGES)/initramfs.cpio.gz $(IMAGES)/start-qemu.sh \
		$(if $(LB_DISK),$(IMAGES)/$(DISK_IMAGE)) \
		$(if $(LB_BOOTLOADER_UBOOT),$(IMAGES)/layerboot.itb $(IMAGES)/u-boot.bin)
	@if [ -f $(REBUILT) ]; then \
		echo ">>> built $$(wc -l < $(REBUILT)) products in $(IMAGES)"; rm -f $(REBUILT); \
	else echo ">>> nothing to do: $(IMAGES) is up to date"; fi

FORCE:

# --- toolchain -----------------------------------------------------------------

ifneq ($(TARGET_CC_DEP),)
$(TARGET_CC_DEP): scripts/toolchain scripts/fetch-deb
	$(call step,toolchain: $(ARCH) musl cross compiler)
	$(Q)scripts/toolchain $(dir $(TARGET_CC_DEP)) $(ARCH) $(DEBIAN_ARCH) $(DL_DIR)
$(INIT_OBJS) $(INIT_TEST_OBJS) $(INIT_PROBE_BIN) $(CLI_OBJS): | $(TARGET_CC_DEP)
endif

# Objects built for one architecture must not survive a change to another.
$(BUILD)/settings/toolchain: FORCE
	$(call write-if-changed,$@,"$(ARCH)" "$(TARGET_CC)")
$(INIT_OBJS) $(INIT_TEST_OBJS) $(INIT_PROBE_BIN) $(CLI_OBJS): $(BUILD)/settings/toolchain

# --- settings: files that change only when the values they hold change -------

$(BUILD)/settings/kernel: FORCE
	$(call write-if-changed,$@,"$(LB_KERNEL_DEBIAN)" "$(LB_KERNEL_DEBIAN_PACKAGE)" \
		"$(LB_KERNEL_IMAGE)" "$(LB_KERNEL_MODULES_DIR)" "$(KERNEL_MODULES)" \
		"$(KERNEL_STORAGE_MODULES)" "$(DEBIAN_ARCH)" "$(KERNEL_VERITY_MODULES)" "$(KERNEL_DTBS)" \
		"$(KERNEL_WATCHDOG_MODULES)")

# The external trees' own symbols (NAME_*), which a layer's build.sh may read
# from $(CONFIG) (LB_CONFIG): a change rebuilds the layers.
EXTERNAL_SYMBOLS := $(sort $(filter $(addsuffix _%,$(EXTERNAL_NAMES)),$(.VARIABLES)))
$(BUILD)/settings/layers: FORCE
	$(call write-if-changed,$@,"$(LAYER_FS)" "$(LB_SQUASHFS_COMP)" "$(LB_SQUASHFS_BLOCK)" \
		"$(DEBIAN_ARCH)" "$(SOURCE_DATE_EPOCH)" "$(LB_DEBIAN_SUITE)" "$(LB_DEBIAN_VARIANT)" \
		"$(DEBIAN_EPOCH)" "$(VERIFY_MODE)" \
		$(foreach v,$(EXTERNAL_SYMBOLS),'$(v)=$(subst ','\'',$($(v)))'))

$(BUILD)/settings/initramfs: FORCE
	$(call write-if-changed,$@,"$(LB_INITRAMFS_COMP)" "$(LB_LAYERS_EMBED)" \
		"$(LB_RESCUE_SHELL)" "$(SOURCE_DATE_EPOCH)")

$(BUILD)/settings/qemu: FORCE
	$(call write-if-changed,$@,"$(LB_QEMU_SYSTEM)" "$(LB_QEMU_MACHINE)" \
		"$(LB_QEMU_MEMORY)" "$(LB_QEMU_CONSOLE)" "$(LB_QEMU_APPEND)" "$(LB_LAYERS_EMBED)" \
		"$(LB_BOOTLOADER)" "$(LB_SDCARD)" "$(LB_QEMU_DTB)")

# LB_UPDATE_UPPER: keep (also when LB_SLOTS is off and it is unset) or reset.
UPDATE_UPPER := $(or $(call qstrip,$(LB_UPDATE_UPPER)),keep)
ifeq ($(filter keep reset,$(UPDATE_UPPER)),)
$(error LB_UPDATE_UPPER is '$(UPDATE_UPPER)': it is keep or reset)
endif

# Built-in defaults of the init, in the syntax of the kernel command line.
$(BUILD)/layerboot.conf: FORCE
	$(call write-if-changed,$@,"layerboot.board=$(call qstrip,$(LB_BOARD))" \
		"layerboot.src=$(call qstrip,$(LB_SOURCE))" \
		"layerboot.init=$(call qstrip,$(LB_INIT))" \
		"layerboot.upper=$(call qstrip,$(LB_UPPER))" \
		"layerboot.size=$(call qstrip,$(LB_UPPER_SIZE))" \
		"layerboot.timeout=$(LB_TIMEOUT)" \
		"layerboot.verify=$(VERIFY_MODE)" \
		"layerboot.verify_override=$(VERIFY_OVERRIDE)" \
		$(if $(LB_VERIFY_VERITY),"layerboot.verity_corruption=$(VERITY_CORRUPTION)") \
		"layerboot.failure=$(call qstrip,$(LB_FAILURE))" \
		"layerboot.failure_delay=$(LB_FAILURE_DELAY)" \
		"layerboot.watchdog=$(if $(LB_WATCHDOG),$(LB_WATCHDOG),0)" \
		"layerboot.product=$(call qstrip,$(LB_PRODUCT))" \
		"layerboot.slots=$(if $(LB_SLOTS),yes,no)" \
		"layerboot.slot_override=$(if $(LB_SLOT_OVERRIDE),yes,no)" \
		"layerboot.update_upper=$(UPDATE_UPPER)")

# A path from the configuration: absolute, or relative to the top of the tree.
abspath-from-top = $(abspath $(if $(filter /%,$(1)),$(1),$(TOPDIR)/$(1)))

# --- signing key ---------------------------------------------------------------

# The vendor key signs what the device checks before it trusts it (the
# manifest of an update, the FIT image). With none configured, a development
# pair is made once in $(O)/keys/; a signing step then calls signing-warning.
# A rule that signs depends on $(SIGNING_CERT) and reads $(SIGNING_KEY).
SIGNING_KEY := $(call qstrip,$(LB_SIGNING_KEY))
SIGNING_CERT := $(call qstrip,$(LB_SIGNING_CERT))
ifeq ($(SIGNING_KEY)$(SIGNING_CERT),)
SIGNING_DEV := y
SIGNING_KEY := $(O)/keys/dev.key
SIGNING_CERT := $(O)/keys/dev.crt
# No prerequisites: the pair is made once and kept, or every image signed
# before would stop verifying.
$(SIGNING_CERT):
	$(call step,signing: a development key pair in $(O)/keys)
	$(Q)scripts/devkey $(O)/keys
else
ifeq ($(SIGNING_KEY),)
$(error LB_SIGNING_CERT is set but LB_SIGNING_KEY is not: set both, or neither for a development key)
endif
ifeq ($(SIGNING_CERT),)
$(error LB_SIGNING_KEY is set but LB_SIGNING_CERT is not: set both, or neither for a development key)
endif
SIGNING_KEY := $(call abspath-from-top,$(SIGNING_KEY))
SIGNING_CERT := $(call abspath-from-top,$(SIGNING_CERT))
$(if $(wildcard $(SIGNING_KEY)),,$(error LB_SIGNING_KEY: no file $(SIGNING_KEY)))
$(if $(wildcard $(SIGNING_CERT)),,$(error LB_SIGNING_CERT: no file $(SIGNING_CERT)))
endif
# $(call signing-warning,WHAT): one loud line when WHAT is signed with the
# development key.
signing-warning = $(if $(SIGNING_DEV),@echo ">>> WARNING: $(1) signed with the \
	DEVELOPMENT key $(SIGNING_KEY): not for production (set LB_SIGNING_KEY)")

# The key pair that signs (made when it is the development one).
keys: $(SIGNING_CERT)
	@echo ">>> signing with $(SIGNING_KEY) (certificate $(SIGNING_CERT))$(if $(SIGNING_DEV), - DEVELOPMENT key)"
.PHONY: keys

# --- kernel --------------------------------------------------------------------

ifeq ($(LB_KERNEL_PATH),y)
KERNEL_SOURCE := path "$(call qstrip,$(LB_KERNEL_IMAGE))" "$(call qstrip,$(LB_KERNEL_MODULES_DIR))"
else
KERNEL_SOURCE := debian "$(call qstrip,$(LB_KERNEL_DEBIAN_PACKAGE))" "$(DEBIAN_ARCH)" "$(DL_DIR)"
endif

# scripts/kernel writes modules.order last: it stands for the whole folder.
$(BUILD)/kernel/modules.order: $(BUILD)/settings/kernel scripts/kernel scripts/fetch-deb
	$(call step,kernel: $(call qstrip,$(LB_KERNEL_DEBIAN_PACKAGE)$(LB_KERNEL_IMAGE)) and modules)
	$(Q)VERITY_MODULES="$(KERNEL_VERITY_MODULES)" DTBS="$(KERNEL_DTBS)" \
		WATCHDOG_MODULES="$(KERNEL_WATCHDOG_MODULES)" \
		scripts/kernel $(BUILD)/kernel "$(KERNEL_MODULES)" "$(KERNEL_STORAGE_MODULES)" -- \
		$(KERNEL_SOURCE)

$(IMAGES)/kernel: $(BUILD)/kernel/modules.order
	$(Q)mkdir -p $(@D)
	$(Q)cp $(BUILD)/kernel/kernel $@

# --- layers --------------------------------------------------------------------

# The board's layers (LB_LAYERS, from layers/), then the product's
# (LB_EXTERNAL_LAYERS), bottom first.
BOARD_LAYER_DIRS := $(foreach d,$(call qstrip,$(LB_LAYERS)),$(call abspath-from-top,$(d)))
EXTERNAL_LAYER_DIRS := $(foreach d,$(call qstrip,$(LB_EXTERNAL_LAYERS)),$(call abspath-from-top,$(d)))
LAYER_DIRS := $(BOARD_LAYER_DIRS) $(EXTERNAL_LAYER_DIRS)
LAYER_NAMES := $(notdir $(LAYER_DIRS))
LAYER_IMAGES := $(foreach n,$(LAYER_NAMES),$(IMAGES)/layers/$(n).$(LAYER_SUFFIX))
ifneq ($(words $(LAYER_NAMES)),$(words $(sort $(LAYER_NAMES))))
$(error two layers share a name: $(LAYER_NAMES))
endif
$(foreach d,$(BOARD_LAYER_DIRS),$(if $(wildcard $(d)/),,$(error LB_LAYERS: no folder $(d))))
$(foreach d,$(EXTERNAL_LAYER_DIRS),$(if $(wildcard $(d)/),,$(error LB_EXTERNAL_LAYERS: no folder $(d))))

# Debian layers (a packages file in the folder) share one time for every file
# of their trees, so that an upper one's difference to the one below holds
# what changed and not every time stamp: the last commit of those folders,
# which keeps their cached trees valid across commits that do not touch them.
PACKAGES_LAYER_DIRS := $(patsubst %/packages,%,$(wildcard $(addsuffix /packages,$(LAYER_DIRS))))
DEBIAN_EPOCH := $(if $(PACKAGES_LAYER_DIRS),$(shell git -C $(TOPDIR) log -1 --format=%ct -- \
	$(PACKAGES_LAYER_DIRS) 2>/dev/null))
DEBIAN_EPOCH := $(if $(DEBIAN_EPOCH),$(DEBIAN_EPOCH),$(SOURCE_DATE_EPOCH))

# A layer's inputs are not make prerequisites file by file: make cannot name
# a file with a colon (every Debian tree has /var/lib/dpkg/info/*:amd64.list),
# a space, a '%' or a newline. Instead scripts/layer-inputs writes a digest of
# the folder's tree (names, types, modes, sizes, times, link targets) into
# $(BUILD)/layers/NAME.inputs on every make, and rewrites it only when it
# changes: the image depends on that stamp.
# $(1): the layer folder; $(2): the packages files of the packages layers
# below it, on whose trees a packages layer is built: it comes after their
# images, which put those trees into the cache.
layer-stamp = $(BUILD)/layers/$(notdir $(1)).inputs
define layer-rule
$(call layer-stamp,$(1)): FORCE
	$(Q)scripts/layer-inputs $(1) $$@

$(IMAGES)/layers/$(notdir $(1)).$(LAYER_SUFFIX): $(call layer-stamp,$(1)) \
		$(BUILD)/settings/layers scripts/mklayer scripts/fetch-deb $(if $(LB_VERIFY_VERITY),scripts/mkverity) \
		$(if $(wildcard $(1)/rootfs.tar* $(1)/opaque $(1)/packages),$(LAYERTAR_BIN)) \
		$(if $(wildcard $(1)/packages),scripts/debian-tree \
			$(foreach p,$(2),$(IMAGES)/layers/$(notdir $(patsubst %/packages,%,$(p))).$(LAYER_SUFFIX))) \
		| $(TARGET_CC_DEP)
	$$(call step,layer $(notdir $(1)): $(LAYER_FS))
	$(Q)LB_LAYER_FS=$(LAYER_FS) LB_SQUASHFS_COMP=$(LB_SQUASHFS_COMP) LB_SQUASHFS_BLOCK=$(LB_SQUASHFS_BLOCK) \
		LB_ARCH=$(ARCH) LB_TARGET_CC=$(TARGET_CC) LB_DEBIAN_ARCH=$(DEBIAN_ARCH) LB_DL_DIR=$(DL_DIR) \
		LB_TOPDIR=$(TOPDIR) LB_LAYERTAR=$(LAYERTAR_BIN) LB_CONFIG=$(CONFIG) \
		LB_DEBIAN_SUITE=$(call qstrip,$(LB_DEBIAN_SUITE)) \
		LB_DEBIAN_VARIANT=$(call qstrip,$(LB_DEBIAN_VARIANT)) \
		LB_DEBIAN_EPOCH=$(DEBIAN_EPOCH) LB_LOWER_PACKAGES="$(strip $(2))" \
		scripts/mklayer $(1) $$@ $(BUILD)/layers/$(notdir $(1))
	$(if $(LB_VERIFY_VERITY),$(Q)scripts/mkverity $$@ $(BUILD)/layers/$(notdir $(1)).verity)
endef
LOWER_PACKAGES :=
$(foreach d,$(LAYER_DIRS),$(eval $(call layer-rule,$(d),$(LOWER_PACKAGES)))\
	$(eval LOWER_PACKAGES += $(wildcard $(d)/packages)))

COMPATIBLE := $(call qstrip,$(LB_BOARD))/$(call qstrip,$(LB_PRODUCT))
RELEASE := $(if $(LB_RELEASE),$(LB_RELEASE),1)

$(BUILD)/settings/manifest: FORCE
	$(call write-if-changed,$@,"$(COMPATIBLE)" "$(RELEASE)" "$(SIGNING_KEY)")

# The manifest is signed by the vendor key; the init checks it with the
# certificate in the initramfs before it opens any image.
$(IMAGES)/layers/manifest: $(LAYER_IMAGES) scripts/mkmanifest scripts/signmanifest \
		$(BUILD)/settings/manifest $(SIGNING_CERT)
	$(call step,manifest: $(words $(LAYER_IMAGES)) layers$(if $(LB_VERIFY_VERITY), with verity) and signed)
	$(call signing-warning,the manifest)
	$(Q)scripts/mkmanifest $(if $(LB_VERIFY_VERITY),--verity $(BUILD)/layers) \
		--compatible "$(COMPATIBLE)" --version $(RELEASE) $(BUILD)/manifest.unsigned $(LAYER_IMAGES)
	$(Q)scripts/signmanifest $(SIGNING_KEY) $(BUILD)/manifest.unsigned $@

# The kernel's add_key takes the certificate in DER.
$(BUILD)/cert.der: $(SIGNING_CERT)
	$(Q)mkdir -p $(@D)
	$(Q)openssl x509 -in $< -outform DER -out $@.tmp
	$(Q)mv $@.tmp $@

# --- initramfs -----------------------------------------------------------------

RESCUE_BUSYBOX := $(BUILD)/busybox/bin/busybox

$(RESCUE_BUSYBOX): $(BUILD)/settings/layers scripts/fetch-deb
	$(Q)rm -rf $(BUILD)/busybox
	$(Q)dpkg-deb -x "$$(scripts/fetch-deb busybox-static $(DEBIAN_ARCH) $(DL_DIR))" $(BUILD)/busybox
	$(Q)touch $@

# The tree stays in $(INITRAMFS_ROOT): the QEMU tests and the benchmark start from it.
INITRAMFS_ROOT := $(BUILD)/initramfs

$(IMAGES)/initramfs.cpio.gz: $(INIT) $(CLI_BIN) $(BUILD)/layerboot.conf $(BUILD)/kernel/modules.order \
		$(IMAGES)/layers/manifest $(BUILD)/cert.der $(if $(LB_LAYERS_EMBED),$(LAYER_IMAGES)) \
		$(if $(LB_RESCUE_SHELL),$(RESCUE_BUSYBOX)) $(BUILD)/settings/initramfs \
		scripts/mkinitramfs
	$(call step,initramfs: $(call qstrip,$(LB_INITRAMFS_COMP))$(if $(LB_LAYERS_EMBED), with layers))
	$(Q)rm -rf $(INITRAMFS_ROOT)
	$(Q)scripts/mkinitramfs --stage $(INITRAMFS_ROOT) --init $(INIT) \
		--conf $(BUILD)/layerboot.conf --modules-dir $(BUILD)/kernel/modules \
		--modules-order $(BUILD)/kernel/modules.order \
		--storage-order $(BUILD)/kernel/modules-storage.order \
		--verity-order $(BUILD)/kernel/modules-verity.order \
		--watchdog-order $(BUILD)/kernel/modules-watchdog.order \
		--manifest $(IMAGES)/layers/manifest --cert $(BUILD)/cert.der --cli $(CLI_BIN) \
		$(if $(LB_LAYERS_EMBED),$(addprefix --layer ,$(LAYER_IMAGES))) \
		$(if $(LB_RESCUE_SHELL),--shell $(RESCUE_BUSYBOX)) \
		$@ $(call qstrip,$(LB_INITRAMFS_COMP))

# --- U-Boot: the signed FIT image and the boot partition -----------------------

ifeq ($(LB_BOOTLOADER_UBOOT),y)
UBOOT := $(BUILD)/uboot
UBOOT_BIOS := $(call qstrip,$(LB_UBOOT_BIOS))
# The kernel command line, signed in the FIT's device tree: what start-qemu.sh
# gives a direct boot, with the board's parameters.
UBOOT_BOOTARGS := $(strip console=$(call qstrip,$(LB_QEMU_CONSOLE)) panic=-1 $(call qstrip,$(LB_QEMU_APPEND)))
# mkimage -k wants a folder holding NAME.key and NAME.crt: the development
# pair is such a folder already; a configured pair gets one of links.
ifeq ($(SIGNING_DEV),y)
UBOOT_KEYDIR := $(O)/keys
UBOOT_KEYNAME := dev
else
UBOOT_KEYDIR := $(UBOOT)/keys
UBOOT_KEYNAME := vendor
endif

$(BUILD)/settings/uboot: FORCE
	$(call write-if-changed,$@,"$(UBOOT_BIOS)" "$(UBOOT_BOOTARGS)" "$(LB_UBOOT_FIT_ADDR)" "$(UBOOT_BOOT_CMD)" \
		"$(SIGNING_KEY)" "$(SIGNING_CERT)" "$(SOURCE_DATE_EPOCH)")

# QEMU writes the device tree of the machine it would run (the same options
# as start-qemu.sh's) and exits: the kernel's device tree in the FIT, and the
# base of U-Boot's control device tree, which then carries the public key.
$(UBOOT)/machine.dtb: $(BUILD)/settings/qemu $(BUILD)/settings/uboot
	$(call step,U-Boot: the device tree of QEMU's $(call qstrip,$(LB_QEMU_MACHINE)))
	$(Q)mkdir -p $(@D)
	$(Q)$(call qstrip,$(LB_QEMU_SYSTEM)) $(call qstrip,$(LB_QEMU_MACHINE)) -m $(call qstrip,$(LB_QEMU_MEMORY)) \
		-nographic -bios $(UBOOT_BIOS) -machine dumpdtb=$@.tmp >/dev/null
	$(Q)mv $@.tmp $@

$(IMAGES)/layerboot.itb $(IMAGES)/u-boot.dtb &: $(IMAGES)/kernel $(IMAGES)/initramfs.cpio.gz \
		$(UBOOT)/machine.dtb $(BUILD)/settings/uboot $(SIGNING_CERT) scripts/mkfit
	$(call step,layerboot.itb: kernel and initramfs and device tree signed by $(notdir $(SIGNING_KEY)))
	$(call signing-warning,layerboot.itb)
	$(if $(SIGNING_DEV),,$(Q)mkdir -p $(UBOOT_KEYDIR) && \
		ln -sf $(SIGNING_KEY) $(UBOOT_KEYDIR)/vendor.key && \
		ln -sf $(SIGNING_CERT) $(UBOOT_KEYDIR)/vendor.crt)
	$(Q)scripts/mkfit --control $(IMAGES)/u-boot.dtb $(IMAGES)/layerboot.itb $(IMAGES)/kernel \
		$(IMAGES)/initramfs.cpio.gz $(UBOOT)/machine.dtb "$(UBOOT_BOOTARGS)" \
		$(UBOOT_KEYDIR) $(UBOOT_KEYNAME)

$(IMAGES)/u-boot.bin: $(BUILD)/settings/uboot
	$(Q)$(if $(wildcard $(UBOOT_BIOS)),,echo "LB_UBOOT_BIOS: no file $(UBOOT_BIOS) (Debian's u-boot-qemu: make deps)" >&2; exit 1)
	$(Q)mkdir -p $(@D)
	$(Q)cp $(UBOOT_BIOS) $@

$(if $(call qstrip,$(LB_UBOOT_BOOT_CMD)),,$(error LB_UBOOT_BOOT_CMD is empty (a .config older than it: make olddefconfig)))
UBOOT_BOOT_CMD := $(call abspath-from-top,$(call qstrip,$(LB_UBOOT_BOOT_CMD)))
$(if $(wildcard $(UBOOT_BOOT_CMD)),,$(error LB_UBOOT_BOOT_CMD: no file $(UBOOT_BOOT_CMD)))

$(UBOOT)/boot/boot.scr: $(UBOOT_BOOT_CMD) $(BUILD)/settings/uboot
	$(Q)mkdir -p $(@D)
	$(Q)sed 's|@FIT_ADDR@|$(LB_UBOOT_FIT_ADDR)|g' $< >$(UBOOT)/boot.cmd
	$(Q)mkimage -A arm64 -O linux -T script -C none -n "layerboot boot script" \
		-d $(UBOOT)/boot.cmd $@ >/dev/null

$(UBOOT)/boot.vfat: $(IMAGES)/layerboot.itb $(UBOOT)/boot/boot.scr scripts/mkbootpart
	$(call step,boot partition: boot.scr and layerboot.itb)
	$(Q)cp $(IMAGES)/layerboot.itb $(UBOOT)/boot/layerboot.itb
	$(Q)scripts/mkbootpart --label LBBOOT $@ $(UBOOT)/boot
endif

# --- disk image ----------------------------------------------------------------

$(BUILD)/settings/disk: FORCE
	$(call write-if-changed,$@,"$(LB_DATA_SIZE)" "$(LB_DISK_ID)" "$(SOURCE_DATE_EPOCH)" "$(LB_SLOTS)")

DISK_BOOT := $(if $(LB_BOOTLOADER_UBOOT),$(UBOOT)/boot.vfat)

$(IMAGES)/disk.img: $(IMAGES)/layers/manifest $(LAYER_IMAGES) $(BUILD)/settings/disk scripts/mkdisk \
		$(DISK_BOOT)
	$(call step,disk.img: $(if $(DISK_BOOT),boot partition and )layers and a $(LB_DATA_SIZE) MiB data partition)
	$(Q)scripts/mkdisk $(if $(LB_SLOTS),--slots) $@ $(IMAGES)/layers $(LB_DATA_SIZE) \
		"$(call qstrip,$(LB_DISK_ID))" $(DISK_BOOT)

# --- SD card (Raspberry Pi) ---------------------------------------------------

ifeq ($(LB_SDCARD),y)
SDCARD_CONFIG := $(call abspath-from-top,$(call qstrip,$(LB_SDCARD_CONFIG)))
SDCARD_BOOT := $(BUILD)/sdcard/boot
$(if $(wildcard $(SDCARD_CONFIG)),,$(error LB_SDCARD_CONFIG: no file $(SDCARD_CONFIG)))

$(BUILD)/settings/sdcard: FORCE
	$(call write-if-changed,$@,"$(LB_SDCARD_FIRMWARE_PACKAGE)" "$(LB_SDCARD_FIRMWARE_FILES)" \
		"$(LB_SDCARD_CMDLINE)" "$(LB_SDCARD_BOOT_SIZE)" "$(DEBIAN_ARCH)")

# The boot partition's files; the folder's config.txt stands for all of them.
$(SDCARD_BOOT)/config.txt: $(IMAGES)/kernel $(IMAGES)/initramfs.cpio.gz $(SDCARD_CONFIG) \
		$(BUILD)/settings/sdcard scripts/sdcard-bootfiles scripts/fetch-deb
	$(Q)scripts/sdcard-bootfiles $(SDCARD_BOOT) \
		"$$(scripts/fetch-deb $(call qstrip,$(LB_SDCARD_FIRMWARE_PACKAGE)) $(DEBIAN_ARCH) $(DL_DIR))" \
		"$(call qstrip,$(LB_SDCARD_FIRMWARE_FILES))" $(SDCARD_CONFIG) \
		"$(call qstrip,$(LB_SDCARD_CMDLINE))" $(IMAGES)/kernel $(IMAGES)/initramfs.cpio.gz \
		$(addprefix $(BUILD)/kernel/dtbs/,$(notdir $(KERNEL_DTBS)))

$(IMAGES)/sdcard.img: $(SDCARD_BOOT)/config.txt $(IMAGES)/layers/manifest $(LAYER_IMAGES) \
		$(BUILD)/settings/disk scripts/mksdcard scripts/mkbootpart scripts/mkdisk
	$(call step,sdcard.img: boot partition + layers + a $(LB_DATA_SIZE) MiB data partition)
	$(Q)scripts/mksdcard $@ $(SDCARD_BOOT) $(LB_SDCARD_BOOT_SIZE) $(IMAGES)/layers \
		$(LB_DATA_SIZE) "$(call qstrip,$(LB_DISK_ID))"
endif

# --- update bundle -------------------------------------------------------------

# make bundle: the signed manifest and the images (init/INTERFACE.md "Update
# bundle"); BASE=MANIFEST leaves out the images that installed manifest has.
BUNDLE_BASE := $(if $(BASE),$(abspath $(BASE)))
bundle: $(IMAGES)/layers/manifest $(LAYER_IMAGES) scripts/mkbundle
	$(call step,bundle: $(IMAGES)/update.lbu$(if $(BASE), (delta against $(BASE))))
	$(call signing-warning,the bundle)
	$(Q)scripts/mkbundle $(if $(BUNDLE_BASE),--base $(BUNDLE_BASE)) $(IMAGES)/update.lbu \
		$(IMAGES)/layers/manifest $(IMAGES)/layers
.PHONY: bundle

# --- QEMU launcher -------------------------------------------------------------

sed-value = $(subst |,\|,$(subst &,\&,$(call qstrip,$(1))))

$(IMAGES)/start-qemu.sh: scripts/start-qemu $(BUILD)/settings/qemu
	$(call step,start-qemu.sh)
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's|@QEMU_SYSTEM@|$(call sed-value,$(LB_QEMU_SYSTEM))|' \
		-e 's|@QEMU_MACHINE@|$(call sed-value,$(LB_QEMU_MACHINE))|' \
		-e 's|@QEMU_MEMORY@|$(call sed-value,$(LB_QEMU_MEMORY))|' \
		-e 's|@CONSOLE@|$(call sed-value,$(LB_QEMU_CONSOLE))|' \
		-e 's|@APPEND@|$(call sed-value,$(LB_QEMU_APPEND))|' \
		-e 's|@DISK_ALWAYS@|$(if $(LB_LAYERS_EMBED),no,yes)|' \
		-e 's|@BOOTLOADER@|$(call sed-value,$(LB_BOOTLOADER))|' \
		-e 's|@DISK_IMAGE@|$(DISK_IMAGE)|' -e 's|@SDCARD@|$(if $(LB_SDCARD),yes,no)|' \
		-e 's|@DTB@|$(call sed-value,$(LB_QEMU_DTB))|' $< > $@.tmp
	$(Q)chmod +x $@.tmp
	$(Q)mv $@.tmp $@

endif # SKIP_CONFIG

################################################################################
# Configuration
################################################################################

# defconfig BOARD: configure $(O) from the board's defconfig, with the
# LB_EXTERNAL trees recorded and an external board's paths made absolute.
define defconfig
	$(write-external-kconfig)
	$(Q)$(TOPDIR)/scripts/external-defconfig $(call board-dir,$(1))/defconfig \
		$(patsubst %/board/$(1),%,$(call board-dir,$(1))) $(TOPDIR) \
		"$(EXTERNAL_VALUE)" $(O)/.defconfig
	$(Q)$(KCONFIG) kconfig-conf --defconfig=$(O)/.defconfig Kconfig >/dev/null
endef

# Before a menu or olddefconfig: the LB_EXTERNAL given now goes into .config.
define set-external
	$(write-external-kconfig)
	$(if $(EXTERNAL_GIVEN),$(Q){ grep -v '^LB_EXTERNAL=' $(CONFIG) 2>/dev/null; \
		echo 'LB_EXTERNAL="$(EXTERNAL_VALUE)"'; } >$(CONFIG).tmp && mv $(CONFIG).tmp $(CONFIG))
endef

$(CONFIG):
	$(Q)$(TOPDIR)/scripts/deps build $(HOST_ARCH)
	@echo ">>> no $(CONFIG): using board $(DEFAULT_BOARD)"
	$(call defconfig,$(DEFAULT_BOARD))

%_defconfig: board/%/defconfig
	$(call defconfig,$*)
	@echo ">>> configured $(O) for board $*"

# An external tree's board: its rule names its folder.
define external-board-rule
$(1)_defconfig: $(call board-dir,$(1))/defconfig
	$$(call defconfig,$(1))
	@echo ">>> configured $(O) for board $(1) of $(call board-tree,$(1))"
endef
$(foreach b,$(EXTERNAL_BOARDS),$(eval $(call external-board-rule,$(b))))

menuconfig:
	$(set-external)
	$(Q)$(KCONFIG) kconfig-mconf Kconfig

olddefconfig:
	$(set-external)
	$(Q)$(KCONFIG) kconfig-conf --olddefconfig Kconfig >/dev/null

savedefconfig:
	$(Q)test -f $(CONFIG) || { echo "no $(CONFIG) to save" >&2; exit 1; }
	$(write-external-kconfig)
	$(Q)$(KCONFIG) kconfig-conf --savedefconfig=$(O)/defconfig Kconfig
	@echo ">>> wrote $(O)/defconfig (copy it to board/NAME/defconfig)"

# External boards are marked with their tree's name.
list-defconfigs:
	@$(foreach b,$(BOARDS),printf '  %-28s - %s%s\n' "$(b)_defconfig" \
		"$$(sed -n '1s/^# *//p' $(call board-dir,$(b))/readme.md 2>/dev/null)" \
		"$(if $(filter-out layerboot,$(call board-tree,$(b))), [$(call board-tree,$(b))])";)

################################################################################
# Running and housekeeping
################################################################################

run:
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(MAKE) --no-print-directory all
	$(IMAGES)/start-qemu.sh

# What this configuration needs from Debian, installed when missing.
deps:
	$(Q)$(TOPDIR)/scripts/deps build $(ARCH)

clean:
	rm -rf $(BUILD) $(IMAGES) $(O)/image-test $(O)/test-results

distclean:
	rm -rf $(O)

help:
	@echo 'Configuration:'
	@echo '  NAME_defconfig         - configure for board/NAME (make list-defconfigs)'
	@echo '  list-defconfigs        - list the boards'
	@echo '  menuconfig             - change the configuration in a menu'
	@echo '  olddefconfig           - fill new symbols of .config with defaults'
	@echo '  savedefconfig          - write the minimal defconfig to $$(O)/defconfig'
	@echo 'Build:'
	@echo '  all (default)          - kernel, init, layers, manifest, initramfs, disk.img, start-qemu.sh'
	@echo '  run                    - build if needed and boot in QEMU (poweroff ends it)'
	@echo '  deps                   - install what this configuration needs'
	@echo '  keys                   - show the signing key (make the development pair if none is set)'
	@echo '  bundle                 - update bundle $$(O)/images/update.lbu; BASE=MANIFEST: a delta'
	@echo 'Test:'
	@echo '  check                  - every test; last line "N passed, N failed"'
	@echo '  unit-test host-test scripts-test debian-test qemu-test lint fuzz-regress - one suite each'
	@echo '  image-test             - the image tests (tests/ of LB_EXTERNAL trees, LB_IMAGE_TESTS)'
	@echo '                           booted in QEMU; results in $$(O)/test-results/ (-jN: N boots)'
	@echo '  fuzz                   - run the fuzz targets for FUZZ_SECONDS (60)'
	@echo '  bench                  - the benchmark (BENCH_QUICK=1: a fast look)'
	@echo '  bench-fs               - its erofs-against-squashfs part alone (BENCH_DEBIAN=0: no Debian base)'
	@echo 'Cleaning:'
	@echo '  clean                  - remove built files, keep .config and downloads'
	@echo '  distclean              - remove all of $$(O)'
	@echo 'Variables: O=dir (default output/), V=1 (show commands),'
	@echo '  LB_EXTERNAL=dir[:dir] (product trees outside this one, kept in $$(O)/.config)'

.PHONY: all run deps clean distclean help menuconfig olddefconfig savedefconfig \
	list-defconfigs

endif # GOALS_ONE_BY_ONE
