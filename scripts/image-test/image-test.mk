################################################################################
#
# make image-test: the product's own checks, run inside its booted image in
# QEMU (README "Testing your image in QEMU"). The checks are the executable
# files of each external tree's tests/ and of the folders in LB_IMAGE_TESTS;
# they reach the guest in a test layer stacked above the shipped layers in
# this run only. Scenarios boot in parallel up to make's -j. after-update
# installs IMAGE_TEST_BUNDLE (make bundle's update.lbu by default) and waits
# up to IMAGE_TEST_MARK_GOOD_WAIT seconds for the product to confirm it.
#
################################################################################

IMAGE_TEST_WORK := $(O)/image-test
IMAGE_TEST_RESULTS := $(O)/test-results
IMAGE_TEST_DIRS = $(wildcard $(addsuffix /tests,$(EXTERNAL_DIRS))) \
	$(foreach d,$(call qstrip,$(LB_IMAGE_TESTS)),$(call abspath-from-top,$(d)))
IMAGE_TEST_BUNDLE ?= $(IMAGES)/update.lbu
IMAGE_TEST_MARK_GOOD_WAIT ?= 120

image-test:
	$(Q)$(SUBMAKE) O=$(O) all
	$(Q)rm -rf $(IMAGE_TEST_RESULTS)
	$(Q)LB_TOPDIR=$(TOPDIR) LB_SQUASHFS_COMP=$(LB_SQUASHFS_COMP) LB_SQUASHFS_BLOCK=$(LB_SQUASHFS_BLOCK) \
		IT_SIGNING_KEY=$(SIGNING_KEY) IT_EMBED=$(LB_LAYERS_EMBED) IT_DISK=$(LB_DISK) IT_SLOTS=$(LB_SLOTS) IT_VERITY=$(LB_VERIFY_VERITY) \
		IT_DATA_SIZE=$(LB_DATA_SIZE) IT_DISK_ID=$(LB_DISK_ID) IT_SCENARIOS="$(IMAGE_TEST_SCENARIOS)" \
		IT_BUNDLE=$(call abspath-from-top,$(IMAGE_TEST_BUNDLE)) \
		$(TOPDIR)/scripts/image-test/prepare $(O) $(IMAGE_TEST_WORK) $(IMAGE_TEST_DIRS)
	+$(Q)$(SUBMAKE) O=$(O) image-test-boots \
		IMAGE_TEST_BOOTS="$$(cat $(IMAGE_TEST_WORK)/scenarios)"
	$(Q)$(TOPDIR)/scripts/image-test/report $(IMAGE_TEST_RESULTS) $$(cat $(IMAGE_TEST_WORK)/scenarios)

# One target a scenario, so that make -jN boots N of them at once.
image-test-boots: $(addprefix image-test-boot-,$(IMAGE_TEST_BOOTS))
image-test-boot-%:
	@echo ">>> image-test: boot scenario $*"
	$(Q)IT_TIMEOUT=$(LB_IMAGE_TEST_TIMEOUT) IT_MARK_GOOD_WAIT=$(IMAGE_TEST_MARK_GOOD_WAIT) IT_INIT=$(call qstrip,$(LB_INIT)) \
		$(TOPDIR)/scripts/image-test/boot $(O) $(IMAGE_TEST_WORK) $(IMAGE_TEST_RESULTS) $*

.PHONY: image-test image-test-boots
