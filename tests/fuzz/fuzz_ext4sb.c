// SPDX-License-Identifier: MIT
/* libFuzzer target: the ext2/3/4 superblock reader behind LABEL= and UUID=. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pure/ext4sb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ext4_info fs;

	/* data is exactly size bytes: ASan sees any read past the superblock given. */
	if (ext4_sb_parse(data, size, &fs) == 0 &&
	    (strlen(fs.uuid) != 36 || strlen(fs.label) >= sizeof(fs.label)))
		abort();
	return 0;
}
