// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "pure/ext4sb.h"
#include "pure/gpt.h"
#include "harness.h"

/* LBA 1 and the first entry of a disk written by sfdisk (scripts/mkdisk). */
static const uint8_t real_hdr[92] = {
	0x45, 0x46, 0x49, 0x20, 0x50, 0x41, 0x52, 0x54, 0x00, 0x00, 0x01, 0x00, 0x5c, 0x00,
	0x00, 0x00, 0xb1, 0xea, 0xdd, 0xc4, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xff, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xde, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x33, 0x90, 0xb6, 0xec, 0x8e, 0x5e, 0xbc, 0x44, 0x88, 0x87, 0x7f, 0x0e, 0xd8, 0x6d,
	0x08, 0xaa, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00,
	0x80, 0x00, 0x00, 0x00, 0x60, 0x2c, 0xe4, 0x6d,
};

static const uint8_t real_entry[128] = {
	0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47, 0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47,
	0x7d, 0xe4, 0xbd, 0x6e, 0x6f, 0x9d, 0x21, 0xff, 0x64, 0x46, 0x89, 0xca, 0xf7, 0x88,
	0x48, 0xba, 0x92, 0x6b, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x37,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x6c, 0x00, 0x61, 0x00, 0x79, 0x00, 0x65, 0x00, 0x72, 0x00, 0x73, 0x00,
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A header edited at off, with its CRC made right again (or not). */
static void edit(uint8_t *h, size_t off, uint32_t v, int fix_crc)
{
	memcpy(h, real_hdr, sizeof(real_hdr));
	put32(h + off, v);
	if (fix_crc) {
		put32(h + 16, 0);
		put32(h + 16, crc32_le(h, 92));
	}
}

static void test_header(void)
{
	static const struct {
		const char *name;
		size_t off, len;
		uint32_t v;
		int fix, ok;
	} cases[] = {
		{ "sfdisk header", 0, 92, 0x20494645, 0, 1 }, /* rewrites "EFI " as it is */
		{ "in a 512-byte block", 0, 512, 0x20494645, 0, 1 },
		{ "one byte changed: CRC", 40, 92, 0x900, 0, 0 },
		{ "truncated", 0, 91, 0x20494645, 0, 0 },
		{ "empty", 0, 0, 0x20494645, 0, 0 },
		{ "no signature", 0, 92, 0x20494646, 1, 0 },
		{ "header size 91", 12, 92, 91, 1, 0 },
		{ "header size past the block", 12, 92, 600, 1, 0 },
		{ "header size past len", 12, 92, 100, 1, 0 },
		{ "entry size 64", 84, 92, 64, 1, 0 },
		{ "entry size 130", 84, 92, 130, 1, 0 },
		{ "entry size 256", 84, 92, 256, 1, 1 },
		{ "a million entries", 80, 92, 1000000, 1, 0 },
		{ "entries at LBA 1", 72, 92, 1, 1, 0 },
	};
	uint8_t h[512];
	struct gpt_header gh;
	struct group g;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int rc;

		memset(h, 0, sizeof(h));
		edit(h, cases[i].off, cases[i].v, cases[i].fix);
		rc = gpt_header_parse(h, cases[i].len, &gh);
		group_begin(&g, "gpt header: %s", cases[i].name);
		EXPECT(&g, cases[i].ok ? rc == 0 : rc == -EINVAL, "rc %d", rc);
		if (cases[i].ok && !rc && cases[i].off == 0)
			EXPECT(&g, gh.entries_lba == 2 && gh.count == 128 && gh.entry_size == 128,
			       "lba %llu count %u size %u", (unsigned long long)gh.entries_lba,
			       gh.count, gh.entry_size);
		group_end(&g);
	}
	memset(h, 0xff, sizeof(h));
	group_begin(&g, "gpt header: garbage");
	EXPECT(&g, gpt_header_parse(h, sizeof(h), &gh) == -EINVAL, "accepted 0xff");
	memset(h, 0, sizeof(h));
	EXPECT(&g, gpt_header_parse(h, sizeof(h), &gh) == -EINVAL, "accepted zeros");
	group_end(&g);
}

/* name: UTF-16LE code units, 0-terminated unless all 36 are used */
static void entry_with(uint8_t *e, const uint16_t *name, size_t n)
{
	size_t i;

	memcpy(e, real_entry, 128);
	memset(e + 56, 0, 72);
	for (i = 0; i < n; i++) {
		e[56 + 2 * i] = (uint8_t)name[i];
		e[57 + 2 * i] = (uint8_t)(name[i] >> 8);
	}
}

static void test_entry(void)
{
	static const uint16_t de[] = { 'd', 0xe4, 't', 0x20ac };
	static const uint16_t pair[] = { 'a', 0xd83d, 0xde00, 'b' };
	static const uint16_t lone[] = { 0xdc00, 'x', 0xd800 };
	static uint16_t full[36], wide[36];
	uint8_t e[128], zero[128] = { 0 };
	struct gpt_entry ge;
	struct group g;
	size_t i;

	group_begin(&g, "gpt entry: sfdisk entry: PARTUUID and PARTLABEL");
	EXPECT(&g, gpt_entry_parse(real_entry, 128, &ge) == 0, "refused");
	EXPECT(&g, !strcmp(ge.uuid, "9d6f6ebd-ff21-4664-89ca-f78848ba926b"), "uuid %s", ge.uuid);
	EXPECT(&g, !strcmp(ge.name, "layers"), "name %s", ge.name);
	group_end(&g);

	group_begin(&g, "gpt entry: unused, truncated");
	EXPECT(&g, gpt_entry_parse(zero, 128, &ge) == -ENOENT, "unused entry accepted");
	EXPECT(&g, gpt_entry_parse(real_entry, 127, &ge) == -EINVAL, "127 bytes accepted");
	EXPECT(&g, gpt_entry_parse(real_entry, 0, &ge) == -EINVAL, "0 bytes accepted");
	group_end(&g);

	group_begin(&g, "gpt entry: names in UTF-16");
	entry_with(e, de, 4);
	EXPECT(&g, !gpt_entry_parse(e, 128, &ge) && !strcmp(ge.name, "d\xc3\xa4t\xe2\x82\xac"),
	       "latin/euro: '%s'", ge.name);
	entry_with(e, pair, 4);
	EXPECT(&g,
	       !gpt_entry_parse(e, 128, &ge) && !strcmp(ge.name, "a\xf0\x9f\x98\x80"
								 "b"),
	       "surrogate pair: '%s'", ge.name);
	entry_with(e, lone, 3);
	EXPECT(&g, !gpt_entry_parse(e, 128, &ge) && !strcmp(ge.name, "\xef\xbf\xbdx\xef\xbf\xbd"),
	       "lone surrogates: '%s'", ge.name);
	for (i = 0; i < 36; i++) {
		full[i] = 'a';
		wide[i] = 0xffff;
	}
	entry_with(e, full, 36);
	EXPECT(&g, !gpt_entry_parse(e, 128, &ge) && strlen(ge.name) == 36,
	       "36 units, no NUL: %zu bytes", strlen(ge.name));
	entry_with(e, wide, 36);
	EXPECT(&g, !gpt_entry_parse(e, 128, &ge) && strlen(ge.name) == 108,
	       "36 3-byte units: %zu bytes", strlen(ge.name));
	group_end(&g);
}

static void test_mbr(void)
{
	uint8_t s[512] = { 0 };
	char out[12];
	struct group g;

	s[440] = 0xcd;
	s[441] = 0xab;
	s[442] = 0x34;
	s[443] = 0x12;
	group_begin(&g, "mbr PARTUUID");
	EXPECT(&g, mbr_partuuid(s, 512, 2, out) == -EINVAL, "no 55aa accepted");
	s[510] = 0x55;
	s[511] = 0xaa;
	EXPECT(&g, !mbr_partuuid(s, 512, 2, out) && !strcmp(out, "1234abcd-02"), "got %s", out);
	EXPECT(&g, !mbr_partuuid(s, 512, 15, out) && !strcmp(out, "1234abcd-0f"), "got %s", out);
	EXPECT(&g, mbr_partuuid(s, 511, 2, out) == -EINVAL, "511 bytes accepted");
	EXPECT(&g, mbr_partuuid(s, 512, 0, out) == -EINVAL, "partition 0 accepted");
	group_end(&g);
}

static void test_crc(void)
{
	struct group g;

	group_begin(&g, "crc32: check value");
	EXPECT(&g, crc32_le("123456789", 9) == 0xCBF43926u, "%08x", crc32_le("123456789", 9));
	EXPECT(&g, crc32_le("", 0) == 0, "empty %08x", crc32_le("", 0));
	group_end(&g);
}

static void test_ext4(void)
{
	static const uint8_t uuid[16] = { 0xf9, 0x1f, 0x93, 0xbb, 0x9b, 0xd9, 0x49, 0xf0,
					  0x8a, 0x8d, 0x4b, 0x33, 0x4d, 0xe0, 0x9d, 0x52 };
	uint8_t sb[EXT4_SB_SIZE];
	struct ext4_info fs;
	struct group g;

	memset(sb, 0, sizeof(sb));
	sb[0x18] = 2; /* 4 KiB blocks */
	sb[0x38] = 0x53;
	sb[0x39] = 0xef;
	memcpy(sb + 0x68, uuid, 16);
	memcpy(sb + 0x78, "layers", 6);
	group_begin(&g, "ext4 superblock: label and uuid (as mke2fs wrote them)");
	EXPECT(&g, ext4_sb_parse(sb, sizeof(sb), &fs) == 0, "refused");
	EXPECT(&g, !strcmp(fs.uuid, "f91f93bb-9bd9-49f0-8a8d-4b334de09d52"), "uuid %s", fs.uuid);
	EXPECT(&g, !strcmp(fs.label, "layers"), "label %s", fs.label);
	memcpy(sb + 0x78, "0123456789abcdefXX", 18); /* 16 bytes, no NUL, then other fields */
	EXPECT(&g, !ext4_sb_parse(sb, sizeof(sb), &fs) && !strcmp(fs.label, "0123456789abcdef"),
	       "full label %s", fs.label);
	group_end(&g);

	group_begin(&g, "ext4 superblock: refused");
	EXPECT(&g, ext4_sb_parse(sb, 0x87, &fs) == -EINVAL, "truncated accepted");
	EXPECT(&g, ext4_sb_parse(sb, 0, &fs) == -EINVAL, "empty accepted");
	sb[0x18] = 7;
	EXPECT(&g, ext4_sb_parse(sb, sizeof(sb), &fs) == -EINVAL, "256 KiB blocks accepted");
	sb[0x18] = 2;
	sb[0x39] = 0xee;
	EXPECT(&g, ext4_sb_parse(sb, sizeof(sb), &fs) == -EINVAL, "bad magic accepted");
	memset(sb, 0xff, sizeof(sb));
	EXPECT(&g, ext4_sb_parse(sb, sizeof(sb), &fs) == -EINVAL, "0xff accepted");
	memset(sb, 0, sizeof(sb));
	EXPECT(&g, ext4_sb_parse(sb, sizeof(sb), &fs) == -EINVAL, "zeros accepted");
	group_end(&g);
}

void test_gpt(void)
{
	test_crc();
	test_header();
	test_entry();
	test_mbr();
	test_ext4();
}
