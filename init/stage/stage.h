/* SPDX-License-Identifier: MIT */
#ifndef LB_STAGE_STAGE_H
#define LB_STAGE_STAGE_H

/*
 * The boot stages, one file each, in boot order. Each returns 0, or -errno
 * with "OBJECT: cause" recorded by set_error(); main.c adds the stage's name
 * and applies the failure policy. Only main.c includes this header.
 */
#include "boot.h"

int early_setup(struct boot *b);    /* stage/early.c */
int config_load(struct boot *b);    /* stage/config.c */
int modules_load(struct boot *b);   /* stage/modules.c */
int source_open(struct boot *b);    /* stage/source.c */
int slot_choose(struct boot *b);    /* stage/slot.c */
int manifest_load(struct boot *b);  /* stage/manifest.c */
int verify_images(struct boot *b);  /* stage/verify.c */
int layers_mount(struct boot *b);   /* stage/layers.c */
int upper_setup(struct boot *b);    /* stage/upper.c */
int overlay_mount(struct boot *b);  /* stage/overlay.c */
int handoff_switch(struct boot *b); /* stage/handoff.c: into the merged root */
/* The last step, after the handoff stage's time is recorded: status, exec. */
int handoff_exec(struct boot *b); /* only returns on failure */

#endif
