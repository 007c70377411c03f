// SPDX-License-Identifier: MIT
/* Pure: the identity of an ext2/3/4 filesystem from its superblock. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "pure/ext4sb.h"
#include "pure/gpt.h"

#define S_LOG_BLOCK_SIZE 0x18
#define S_MAGIC		 0x38
#define S_UUID		 0x68
#define S_VOLUME_NAME	 0x78

int ext4_sb_parse(const void *sb, size_t len, struct ext4_info *out)
{
	const uint8_t *p = sb;

	if (len < S_VOLUME_NAME + 16 || p[S_MAGIC] != 0x53 || p[S_MAGIC + 1] != 0xEF)
		return -EINVAL;
	/* Blocks are 1 KiB << n, at most 64 KiB: a stray 0xEF53 rarely passes both. */
	if (p[S_LOG_BLOCK_SIZE] > 6 || p[S_LOG_BLOCK_SIZE + 1] || p[S_LOG_BLOCK_SIZE + 2] ||
	    p[S_LOG_BLOCK_SIZE + 3])
		return -EINVAL;
	uuid_format(p + S_UUID, 0, out->uuid);
	memcpy(out->label, p + S_VOLUME_NAME, 16);
	out->label[16] = '\0';
	return 0;
}
