// SPDX-License-Identifier: MIT
/* Pure: the GPT header and entries (UEFI spec, chapter 5), and the MBR signature. */
#include <errno.h>
#include <string.h>

#include "pure/fmt.h"
#include "pure/gpt.h"

#define HDR_MIN 92

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

uint32_t crc32_le(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = ~0u;
	int i;

	while (len--) {
		crc ^= *p++;
		for (i = 0; i < 8; i++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

/* The header CRC covers header_size bytes with its own field read as zero. */
int gpt_header_parse(const void *buf, size_t len, struct gpt_header *h)
{
	uint8_t tmp[512];
	const uint8_t *p = buf;
	uint32_t size;

	if (len < HDR_MIN || memcmp(p, "EFI PART", 8) != 0)
		return -EINVAL;
	size = le32(p + 12);
	if (size < HDR_MIN || size > sizeof(tmp) || size > len)
		return -EINVAL;
	memcpy(tmp, p, size);
	memset(tmp + 16, 0, 4);
	if (crc32_le(tmp, size) != le32(p + 16))
		return -EINVAL;
	h->entries_lba = le64(p + 72);
	h->count = le32(p + 80);
	h->entry_size = le32(p + 84);
	if (h->entry_size < 128 || h->entry_size % 8 || h->count > 65536 || h->entries_lba < 2)
		return -EINVAL;
	return 0;
}

void uuid_format(const uint8_t b[16], int guid, char out[37])
{
	/* A GUID's first three fields are little-endian, the rest is bytes in order. */
	static const uint8_t swap[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	int i, o = 0;

	for (i = 0; i < 16; i++) {
		uint8_t v = b[guid ? swap[i] : i];

		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = "0123456789abcdef"[v >> 4];
		out[o++] = "0123456789abcdef"[v & 15];
	}
	out[o] = '\0';
}

static size_t put_utf8(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | c >> 18);
	o[1] = (char)(0x80 | (c >> 12 & 0x3F));
	o[2] = (char)(0x80 | (c >> 6 & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* 36 UTF-16LE units, NUL-padded; a lone surrogate becomes U+FFFD. */
static void name_utf8(const uint8_t *p, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < 36; i++) {
		uint32_t c = p[2 * i] | (uint32_t)p[2 * i + 1] << 8, d;

		if (!c)
			break;
		if (c >= 0xD800 && c < 0xDC00 && i + 1 < 36) {
			d = p[2 * i + 2] | (uint32_t)p[2 * i + 3] << 8;
			if (d >= 0xDC00 && d < 0xE000) {
				c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
				i++;
			}
		}
		if (c >= 0xD800 && c < 0xE000)
			c = 0xFFFD;
		o += put_utf8(out + o, c);
	}
	out[o] = '\0';
}

int gpt_entry_parse(const void *buf, size_t len, struct gpt_entry *e)
{
	static const uint8_t zero[16];
	const uint8_t *p = buf;

	if (len < 128)
		return -EINVAL;
	if (!memcmp(p, zero, 16))
		return -ENOENT;
	uuid_format(p + 16, 1, e->uuid);
	name_utf8(p + 56, e->name);
	return 0;
}

int mbr_partuuid(const void *sector, size_t len, unsigned int partno, char out[12])
{
	const uint8_t *p = sector;

	if (len < 512 || p[510] != 0x55 || p[511] != 0xAA || partno < 1 || partno > 255)
		return -EINVAL;
	lb_snprintf(out, 12, "%08x-%02x", le32(p + 440), partno);
	return 0;
}
