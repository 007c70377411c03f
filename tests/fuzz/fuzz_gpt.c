// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: what the init reads from a disk to find PARTLABEL= and
 * PARTUUID=: the GPT header (LBA 1), the entries, the MBR signature.
 * Input: one flags byte, a 512-byte header block, then entries of 128 bytes.
 * Flags bit 0 makes the header CRC right before parsing, so that mutations
 * get past the CRC to the fields it guards; bits 1-7 are an MBR partition number.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pure/gpt.h"

#define BLOCK 512

static void fix_crc(uint8_t *h, size_t n)
{
	uint32_t size, crc;

	if (n < 20)
		return;
	size = h[12] | (uint32_t)h[13] << 8 | (uint32_t)h[14] << 16 | (uint32_t)h[15] << 24;
	if (size < 20 || size > n)
		return;
	memset(h + 16, 0, 4);
	crc = crc32_le(h, size);
	for (int i = 0; i < 4; i++)
		h[16 + i] = (uint8_t)(crc >> (8 * i));
}

static void entries(const uint8_t *p, size_t n)
{
	struct gpt_entry e;

	for (size_t off = 0; off < n; off += 128) {
		if (gpt_entry_parse(p + off, n - off, &e) != 0)
			continue;
		if (strlen(e.uuid) != 36 || strlen(e.name) >= GPT_NAME_MAX)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gpt_header h;
	char part[12];
	size_t n;
	uint8_t *blk, flags;

	if (size < 1)
		return 0;
	flags = data[0];
	data++;
	size--;
	n = size < BLOCK ? size : BLOCK;
	/* An exact-size copy: ASan sees any read past what the disk gave. */
	blk = malloc(n ? n : 1);
	if (!blk)
		abort();
	memcpy(blk, data, n);
	if (flags & 1)
		fix_crc(blk, n);
	if (gpt_header_parse(blk, n, &h) == 0 &&
	    (h.entry_size < 128 || h.count > 65536 || h.entries_lba < 2))
		abort(); /* the bounds the device probe relies on */
	if (mbr_partuuid(blk, n, flags >> 1, part) == 0 && strlen(part) != 11)
		abort();
	entries(data + n, size - n);
	free(blk);
	return 0;
}
