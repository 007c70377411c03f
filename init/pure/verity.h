/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_VERITY_H
#define LB_PURE_VERITY_H

#include <stdbool.h>
#include <stddef.h>

#include "pure/manifest.h"

/*
 * The manifest's verity field without its "verity=" prefix:
 * DATA_BLOCK,HASH_BLOCK,DATA_SIZE,HASH_OFFSET,ROOT,SALT (SALT "-" when none).
 * size is the image file's size. 0, or -EINVAL with *why.
 */
int verity_field_parse(const char *s, unsigned long long size, struct verity_params *v,
		       const char **why);

/*
 * The device-mapper table line of a verity target over dev (data and hash
 * tree on one device), as DM_TABLE_LOAD takes it; *sectors is its length.
 * restart: the kernel restarts on a corrupted block instead of failing the
 * read with EIO. 0, or -ENAMETOOLONG when it does not fit len.
 */
int verity_table(const struct verity_params *v, const char *dev, bool restart, char *out,
		 size_t len, unsigned long long *sectors);

#endif
