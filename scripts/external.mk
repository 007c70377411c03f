################################################################################
#
# Product trees outside this one (LB_EXTERNAL), in the manner of Buildroot's
# BR2_EXTERNAL. Each tree is a folder with external.desc ("name: NAME") and
# any of board/BOARD/defconfig, layers/NN-name/, Config.in (symbols NAME_*),
# tests/ (image tests, scripts/image-test/). Included by the Makefile before
# it reads $(O)/.config.
#
# make LB_EXTERNAL=/path/one[:/path/two] BOARD_defconfig records the trees in
# $(O)/.config (LB_EXTERNAL=...), so later calls need not repeat them.
#
################################################################################

# Given on the command line or in the environment (even empty, which drops the
# trees at the next configuration), else the one $(O)/.config remembers.
ifneq ($(filter command environment,$(firstword $(origin LB_EXTERNAL))),)
EXTERNAL_GIVEN := y
EXTERNAL_SPEC := $(strip $(LB_EXTERNAL))
else
EXTERNAL_SPEC := $(shell sed -n 's/^LB_EXTERNAL="\(.*\)"$$/\1/p' $(CONFIG) 2>/dev/null)
endif
EXTERNAL_SAVED := $(shell sed -n 's/^LB_EXTERNAL="\(.*\)"$$/\1/p' $(CONFIG) 2>/dev/null)

# A relative tree path is taken from where make runs (the top of this tree,
# or the folder given to make -C); .config keeps absolute ones.
EXTERNAL_DIRS := $(foreach d,$(subst :, ,$(EXTERNAL_SPEC)),$(abspath $(d)))
EXTERNAL_VALUE := $(subst $(space),:,$(strip $(EXTERNAL_DIRS)))
$(foreach d,$(EXTERNAL_DIRS),$(if $(wildcard $(d)/external.desc),,\
	$(error LB_EXTERNAL: $(d) has no external.desc (a line "name: NAME"))))

# external-name DIR: the NAME of its external.desc, checked.
external-name = $(shell sed -n 's/^name:[[:space:]]*//p' $(1)/external.desc | head -n 1)
EXTERNAL_NAMES :=
define external-tree
EXTERNAL_NAME_$(1) := $(call external-name,$(1))
$$(if $$(shell echo '$$(EXTERNAL_NAME_$(1))' | grep -Ex '[A-Za-z0-9_]+'),,\
	$$(error LB_EXTERNAL: $(1)/external.desc: the name '$$(EXTERNAL_NAME_$(1))' \
	is not letters, digits and _))
$$(if $$(filter $$(EXTERNAL_NAME_$(1)),$$(EXTERNAL_NAMES)),\
	$$(error LB_EXTERNAL: two trees are named $$(EXTERNAL_NAME_$(1)): $(1) and \
	$$(EXTERNAL_DIR_$$(EXTERNAL_NAME_$(1)))))
EXTERNAL_NAMES += $$(EXTERNAL_NAME_$(1))
EXTERNAL_DIR_$$(EXTERNAL_NAME_$(1)) := $(1)
# Its folder for its own Config.in, build.sh scripts and defconfigs.
LB_EXTERNAL_$$(EXTERNAL_NAME_$(1))_PATH := $(1)
export LB_EXTERNAL_$$(EXTERNAL_NAME_$(1))_PATH
endef
$(foreach d,$(EXTERNAL_DIRS),$(eval $(call external-tree,$(d))))

# --- boards and layers: a name in two trees is refused by name ----------------

board-names = $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard $(1)/board/*/defconfig)))))
layer-names = $(sort $(notdir $(patsubst %/,%,$(wildcard $(1)/layers/*/))))
TREE_BOARDS := $(call board-names,$(TOPDIR))
EXTERNAL_BOARDS :=
SEEN_LAYERS := $(foreach l,$(call layer-names,$(TOPDIR)),$(l)=layerboot)
SEEN_BOARDS := $(foreach b,$(TREE_BOARDS),$(b)=layerboot)
# where-seen NAME, LIST: the tree a NAME=TREE entry of LIST names.
where-seen = $(patsubst $(1)=%,%,$(filter $(1)=%,$(2)))
define external-names
$(foreach b,$(call board-names,$(EXTERNAL_DIR_$(1))),\
	$(if $(call where-seen,$(b),$(SEEN_BOARDS)),$(error LB_EXTERNAL: board $(b) is in \
	both $(call where-seen,$(b),$(SEEN_BOARDS)) and $(1) ($(EXTERNAL_DIR_$(1))/board/$(b)))))
$(foreach l,$(call layer-names,$(EXTERNAL_DIR_$(1))),\
	$(if $(call where-seen,$(l),$(SEEN_LAYERS)),$(error LB_EXTERNAL: layer $(l) is in \
	both $(call where-seen,$(l),$(SEEN_LAYERS)) and $(1) ($(EXTERNAL_DIR_$(1))/layers/$(l)))))
EXTERNAL_BOARDS += $(call board-names,$(EXTERNAL_DIR_$(1)))
SEEN_BOARDS += $(foreach b,$(call board-names,$(EXTERNAL_DIR_$(1))),$(b)=$(1))
SEEN_LAYERS += $(foreach l,$(call layer-names,$(EXTERNAL_DIR_$(1))),$(l)=$(1))
endef
$(foreach n,$(EXTERNAL_NAMES),$(eval $(call external-names,$(n))))

# board-tree BOARD: the name of the tree that has it (layerboot for this one).
board-tree = $(call where-seen,$(1),$(SEEN_BOARDS))
# board-dir BOARD: its folder.
board-dir = $(if $(filter layerboot,$(call board-tree,$(1))),$(TOPDIR),$(EXTERNAL_DIR_$(call \
	board-tree,$(1))))/board/$(1)

# --- Kconfig ---------------------------------------------------------------------

# Every tree's Config.in under a menu of its own; its symbols start with NAME_
# so that two trees (and this one's LB_) never define the same symbol.
EXTERNAL_KCONFIG := $(O)/external.in
define write-external-kconfig
	$(Q)mkdir -p $(O)
	$(Q)$(TOPDIR)/scripts/external-kconfig $(EXTERNAL_KCONFIG) \
		$(foreach n,$(EXTERNAL_NAMES),$(n)=$(EXTERNAL_DIR_$(n)))
endef

# A configuration made while LB_EXTERNAL is given records it; an ordinary make
# with another value would build a .config made for other trees. Evaluated
# by the Makefile once it knows whether the goals need a configuration.
define external-check-saved
ifeq ($(EXTERNAL_GIVEN)$(SKIP_CONFIG),y)
ifneq ($(EXTERNAL_VALUE),$(EXTERNAL_SAVED))
ifneq ($(wildcard $(CONFIG)),)
$$(error LB_EXTERNAL=$(EXTERNAL_VALUE) differs from the '$(EXTERNAL_SAVED)' of \
	$(CONFIG): configure again (make LB_EXTERNAL=... BOARD_defconfig))
endif
endif
endif
endef
