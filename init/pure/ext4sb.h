/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_EXT4SB_H
#define LB_PURE_EXT4SB_H

#include <stddef.h>

#define EXT4_SB_OFFSET 1024
#define EXT4_SB_SIZE   1024

struct ext4_info {
	char uuid[37];	/* lowercase, dashed */
	char label[17]; /* s_volume_name, up to its NUL */
};

/* sb: the bytes at EXT4_SB_OFFSET. 0, or -EINVAL when it is not ext2/3/4. */
int ext4_sb_parse(const void *sb, size_t len, struct ext4_info *out);

#endif
