/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_OVLMERGE_H
#define LB_PURE_OVLMERGE_H

#include <stdbool.h>

/*
 * How overlayfs resolves one name in a merged directory of read-only layers,
 * fed one layer at a time, top layer first (only the layers whose directory
 * is part of the merged parent): the first layer that has the name decides
 * what it is; a whiteout there means no entry; a directory merges with the
 * same directory of the layers below it, down to the first opaque one (it
 * hides what is below it) or the first whiteout or non-directory (which end
 * the merge and are not part of it).
 */

enum ovl_kind { OVL_ABSENT, OVL_WHITEOUT, OVL_DIR, OVL_OPAQUE_DIR, OVL_OTHER };
enum ovl_result { OVL_NONE, OVL_FILE, OVL_MERGED_DIR };

struct ovl_merge {
	enum ovl_result result; /* what the name is so far */
	bool stop;		/* the layers below do not matter */
};

/* This layer's entry of the name; true if it is part of the merged directory. */
bool ovl_merge_layer(struct ovl_merge *m, enum ovl_kind k);

#endif
