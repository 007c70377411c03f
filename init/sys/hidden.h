/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_HIDDEN_H
#define LB_SYS_HIDDEN_H

#include "pure/manifest.h"

/*
 * The classic overlay-update trap, found before the switch (LB_UPDATE_UPPER
 * =keep, init/INTERFACE.md "The upper across an update"): the upper's paths
 * that hide a file whose lower content differs between the booted slot (old)
 * and the new one. images: the store's images/ folder; upper: the upper
 * folder. Writes one path a line to out (escaped: pure/escape.h), and returns
 * how many, or -errno with *why naming the step that failed. Nothing stays
 * mounted or attached on any path: the work is done in a child process in a
 * mount namespace of its own, whose mounts die with it.
 */
int hidden_list(const struct manifest *old, const struct manifest *new, int images, int upper,
		int out, const char **why);

#endif
