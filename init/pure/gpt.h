/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_GPT_H
#define LB_PURE_GPT_H

#include <stddef.h>
#include <stdint.h>

/* 36 UTF-16 code units, 3 UTF-8 bytes each at worst (a pair: 4 for 2), + NUL */
#define GPT_NAME_MAX 109

struct gpt_header {
	uint64_t entries_lba; /* where the entry array starts, in logical blocks */
	uint32_t count;	      /* entries in the array */
	uint32_t entry_size;  /* bytes per entry, >= 128 */
};

struct gpt_entry {
	char uuid[37];		 /* unique partition GUID, lowercase */
	char name[GPT_NAME_MAX]; /* partition name as UTF-8 */
};

/* buf: the header's logical block (LBA 1). 0, or -EINVAL for anything else. */
int gpt_header_parse(const void *buf, size_t len, struct gpt_header *h);
/* One entry; -ENOENT for an unused one (type GUID all zero). */
int gpt_entry_parse(const void *buf, size_t len, struct gpt_entry *e);
/* MBR: "xxxxxxxx-NN" from the disk signature of sector 0; -EINVAL if no MBR. */
int mbr_partuuid(const void *sector, size_t len, unsigned int partno, char out[12]);
/* 16 bytes as a dashed lowercase UUID; guid: the GUID's mixed-endian layout. */
void uuid_format(const uint8_t b[16], int guid, char out[37]);
uint32_t crc32_le(const void *buf, size_t len);

#endif
