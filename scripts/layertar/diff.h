/* SPDX-License-Identifier: MIT */
/*
 * The layer between two full root trees: given LOWER (what the layers below
 * show) and FULL (what the image must show), write the tar stream of the one
 * layer that, on top of LOWER, shows FULL: new and changed entries, and OCI
 * whiteouts for what FULL no longer has. diff.c gives the rules. Pure: the
 * archives come in as memory, the output goes out through a callback.
 */
#ifndef LAYERTAR_DIFF_H
#define LAYERTAR_DIFF_H

#include <stdint.h>

#include "tar.h"
#include "tarout.h"

/* err->stream for a message about an input archive. */
#define DIFF_LOWER 0
#define DIFF_FULL  1

/*
 * Write the layer that turns lower into full. The archives are only read,
 * and may be unmapped on return. 0, or -errno with err filled.
 */
int tar_diff(const unsigned char *lower, uint64_t lower_len, const unsigned char *full,
	     uint64_t full_len, lt_put_fn put, void *ctx, struct lt_error *err);

#endif
