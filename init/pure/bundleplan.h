/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_BUNDLEPLAN_H
#define LB_PURE_BUNDLEPLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "pure/manifest.h"

/*
 * What an update bundle will write (init/INTERFACE.md "Update bundle"),
 * decided before a byte is written: its `contents` (the images it carries)
 * against its verified manifest and the images the store already holds.
 */
struct bundle_plan {
	unsigned int count;		   /* images the bundle carries, in their order */
	unsigned int layer[LB_MAX_LAYERS]; /* each one's first layer in the manifest */
	bool write[LB_MAX_LAYERS];	   /* the store lacks it: it is written */
	unsigned long long write_bytes;	   /* the sum of the sizes written */
	unsigned int write_count;
};

/*
 * contents: "SHA256 SIZE" lines, each an image of m (its digest and size), none
 * twice. have[i]: layer i's image is in the store. Every layer must be in the
 * store or the bundle (a delta's base). 0, or -EINVAL with why (len bytes) set.
 */
int bundle_plan_make(const char *contents, const struct manifest *m, const bool *have,
		     struct bundle_plan *p, char *why, size_t len);

#endif
