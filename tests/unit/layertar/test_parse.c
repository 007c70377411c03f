// SPDX-License-Identifier: MIT
/*
 * The parser against hostile archives: sizes near 2^64 (base-256 and pax),
 * pax record lengths that are not plain digits, truncation. Each case builds
 * one archive and gives what the merge of it lists ("=" and the listing) or
 * a part of the refusal, which must name the entry and where it is.
 */
#include <stdio.h>
#include <string.h>

#include "archive.h"
#include "tar.h"

/* A file header whose size field is the 12 bytes given (base-256). */
static void b256_file(struct ar *a, const char *name, const unsigned char *size, const char *data)
{
	unsigned char h[TAR_BLOCK];

	hdr_make(h, name, '0', NULL, 0);
	memcpy(h + 124, size, 12);
	ar_entry(a, h, data, strlen(data));
	ar_end(a);
}

static void b256_wraps(struct ar *a)
{
	/* 2^64 - 511: rounded up to a block, it wrapped to 0. */
	static const unsigned char s[12] = { 0x80, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x01 };

	b256_file(a, "big", s, "abc");
}

static void b256_max(struct ar *a)
{
	static const unsigned char s[12] = { 0x80, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	b256_file(a, "big", s, "abc");
}

static void b256_past_64_bits(struct ar *a)
{
	/* 2^64 + 3: the old reader kept the low 64 bits, 3. */
	static const unsigned char s[12] = { 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3 };

	b256_file(a, "big", s, "abc");
}

static void b256_negative(struct ar *a)
{
	static const unsigned char s[12] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					     0xff, 0xff, 0xff, 0xff, 0xff, 0xfd };

	b256_file(a, "neg", s, "abc");
}

static void b256_three(struct ar *a)
{
	static const unsigned char s[12] = { 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3 };

	b256_file(a, "small", s, "abc");
}

/* A pax header with these records, then file "f" holding "abc". */
static void pax_then_file(struct ar *a, const char *records)
{
	ar_pax(a, records, strlen(records));
	ar_file(a, "f", "abc");
	ar_end(a);
}

#define PAX_CASE(fn, records)             \
	static void fn(struct ar *a)      \
	{                                 \
		pax_then_file(a, records); \
	}

PAX_CASE(pax_size_wraps, "29 size=18446744073709551105\n")
PAX_CASE(pax_size_max, "29 size=18446744073709551615\n")
PAX_CASE(pax_size_2_64, "29 size=18446744073709551616\n")
PAX_CASE(pax_size_sign, "11 size=-1\n")
PAX_CASE(pax_size_space, "11 size= 3\n")
PAX_CASE(pax_size_ok, "10 size=3\n")
PAX_CASE(pax_len_space, " 13 path=abc\n")
PAX_CASE(pax_len_plus, "+13 path=abc\n")
PAX_CASE(pax_len_minus, "-13 path=abc\n")
PAX_CASE(pax_len_zero, "0 path=abc\n")
PAX_CASE(pax_len_short, "3 path=abc\n")
PAX_CASE(pax_len_past_end, "99 path=abc\n")
PAX_CASE(pax_len_huge, "99999999999999999999999999 path=abc\n")
PAX_CASE(pax_len_inside, "10 path=abc\n")
PAX_CASE(pax_no_equals, "12 pathabcd\n")
PAX_CASE(pax_zeros_ok, "0013 path=ab\n")
PAX_CASE(pax_path_ok, "29 path=a/long/name/from/pax\n")
PAX_CASE(pax_sparse, "22 GNU.sparse.major=1\n")

static void data_past_end(struct ar *a)
{
	unsigned char h[TAR_BLOCK];

	hdr_make(h, "cut", '0', NULL, 2000);
	ar_entry(a, h, "abc", 3); /* one block of the four */
}

static void cut_in_last_block(struct ar *a)
{
	static const char data[600];
	unsigned char h[TAR_BLOCK];

	hdr_make(h, "cut", '0', NULL, sizeof(data));
	hdr_sum(h);
	ar_raw(a, h, TAR_BLOCK);
	ar_raw(a, data, sizeof(data));
}

static void cut_in_header(struct ar *a)
{
	ar_file(a, "f", "abc");
	ar_end(a);
	a->len = TAR_BLOCK * 2 + 100;
}

static void no_end_block(struct ar *a)
{
	ar_file(a, "f", "abc");
}

static void pax_then_end(struct ar *a)
{
	ar_pax(a, "12 path=abc\n", 12);
	ar_end(a);
}

static void bad_checksum(struct ar *a)
{
	ar_file(a, "f", "abc");
	ar_end(a);
	a->buf[0] = 'g';
}

static void empty(struct ar *a)
{
	(void)a;
}

static void gnu_long_name(struct ar *a)
{
	static const char name[] = "a/very/long/name/that/does/not/fit/in/the/hundred/bytes/"
				   "of/a/ustar/header/name/field/so/gnu/tar/writes/an/L/entry";
	unsigned char h[TAR_BLOCK];

	hdr_make(h, "././@LongLink", 'L', NULL, sizeof(name));
	ar_entry(a, h, name, sizeof(name));
	ar_file(a, "a/very/long/name/that/does", "abc");
	ar_end(a);
}

static void bad_type(struct ar *a)
{
	ar_link(a, "vol", 'V', NULL);
	ar_end(a);
}

struct parse_case {
	const char *name;
	void (*build)(struct ar *a);
	const char *want; /* "=" and the listing, or a part of the refusal */
};

static const struct parse_case cases[] = {
	{ "parse: base-256 size 2^64-511 (wrapped the bound) is refused", b256_wraps,
	  "big (byte 0): truncated: 18446744073709551105 bytes of data, 1536 left" },
	{ "parse: base-256 size 2^64-1 is refused", b256_max, "big (byte 0): truncated" },
	{ "parse: base-256 size past 64 bits is refused", b256_past_64_bits,
	  "big (byte 0): the size does not fit in 64 bits" },
	{ "parse: negative base-256 size is refused", b256_negative,
	  "neg (byte 0): the size does not fit in 64 bits" },
	{ "parse: base-256 size 3 is read", b256_three, "=small 0=abc" },
	{ "parse: pax size 2^64-511 is refused", pax_size_wraps,
	  "f (byte 1024): truncated: 18446744073709551105 bytes" },
	{ "parse: pax size 2^64-1 is refused", pax_size_max, "f (byte 1024): truncated" },
	{ "parse: pax size 2^64 is refused", pax_size_2_64,
	  "PaxHeaders/entry (byte 0): pax size '18446744073709551616' is not a number" },
	{ "parse: pax size with a sign is refused", pax_size_sign,
	  "PaxHeaders/entry (byte 0): pax size '-1' is not a number" },
	{ "parse: pax size with a space is refused", pax_size_space,
	  "pax size ' 3' is not a number" },
	{ "parse: pax size 3 is read", pax_size_ok, "=f 0=abc" },
	{ "parse: pax length with a leading space is refused", pax_len_space,
	  "PaxHeaders/entry (byte 0): pax record at byte 0: its length is not a decimal number" },
	{ "parse: pax length with a + sign is refused", pax_len_plus,
	  "its length is not a decimal number" },
	{ "parse: pax length with a - sign is refused", pax_len_minus,
	  "its length is not a decimal number" },
	{ "parse: pax length 0 is refused", pax_len_zero, "its length is 0 or too short" },
	{ "parse: pax length too short for its key is refused", pax_len_short,
	  "its length is 0 or too short" },
	{ "parse: pax length past the header data is refused", pax_len_past_end,
	  "PaxHeaders/entry (byte 0): pax record at byte 0: its length runs past the header data" },
	{ "parse: pax length of 26 digits is refused", pax_len_huge,
	  "its length runs past the header data" },
	{ "parse: pax length ending inside the record is refused", pax_len_inside,
	  "pax record at byte 0 is not KEY=VALUE" },
	{ "parse: pax record without '=' is refused", pax_no_equals, "is not KEY=VALUE" },
	{ "parse: pax length with leading zeros is read", pax_zeros_ok, "=ab 0=abc" },
	{ "parse: pax path is read", pax_path_ok, "=a/long/name/from/pax 0=abc" },
	{ "parse: GNU sparse files are refused", pax_sparse, "sparse files are not supported" },
	{ "parse: data past the end (truncated) is refused", data_past_end,
	  "cut (byte 0): truncated: 2000 bytes of data, 512 left" },
	{ "parse: an archive cut inside the last data block is refused", cut_in_last_block,
	  "cut (byte 0): truncated inside its last block" },
	{ "parse: an archive cut inside a header is refused", cut_in_header,
	  "byte 1024: ends inside a header: truncated?" },
	{ "parse: an archive without an end-of-archive block is refused", no_end_block,
	  "byte 1024: no end-of-archive block: truncated?" },
	{ "parse: an archive ending after a pax header is refused", pax_then_end,
	  "byte 1024: ends inside an entry" },
	{ "parse: a bad header checksum is refused", bad_checksum,
	  "bad header checksum at byte 0" },
	{ "parse: an empty file is an empty archive", empty, "=" },
	{ "parse: a GNU long name is read", gnu_long_name,
	  "=a/very/long/name/that/does/not/fit/in/the/hundred/bytes/of/a/ustar/header/name/"
	  "field/so/gnu/tar/writes/an/L/entry 0=abc" },
	{ "parse: an unsupported entry type is refused", bad_type,
	  "vol: unsupported entry type 'V'" },
};

void test_parse(void)
{
	char got[2048];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct parse_case *c = &cases[i];
		struct ar a = { 0 };
		int ok;

		c->build(&a);
		merge_list(&a, 1, got, sizeof(got));
		if (c->want[0] == '=')
			ok = !strcmp(got, c->want + 1);
		else
			ok = got[0] == '!' && strstr(got, c->want);
		check(ok, c->name, "want \"%s\", got \"%s\"", c->want, got);
		ar_free(&a);
	}
}
