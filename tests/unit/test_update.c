// SPDX-License-Identifier: MIT
/* The ustar header of an update bundle and the plan of an update. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pure/bundleplan.h"
#include "pure/hex.h"
#include "pure/tarhdr.h"

/* A ustar header as GNU tar writes one: name, octal size, type, checksum. */
static void make_header(uint8_t *blk, const char *name, const char *size, char type)
{
	unsigned int i, sum = 0;

	memset(blk, 0, TAR_BLOCK);
	memcpy(blk, name, strlen(name));
	memcpy(blk + 100, "0000644", 7);
	memcpy(blk + 124, size, strlen(size));
	blk[156] = (uint8_t)type;
	memcpy(blk + 257,
	       "ustar\0"
	       "00",
	       8);
	memset(blk + 148, ' ', 8);
	for (i = 0; i < TAR_BLOCK; i++)
		sum += blk[i];
	snprintf((char *)blk + 148, 8, "%06o", sum);
}

static void test_tarhdr(void)
{
	uint8_t blk[TAR_BLOCK];
	struct tar_member m;
	const char *why = "";
	struct group g;

	group_begin(&g, "tar header: a regular file");
	make_header(blk, "images/x.sqfs", "00000001750", '0');
	EXPECT(&g,
	       tar_header_parse(blk, &m, &why) == 0 && !strcmp(m.name, "images/x.sqfs") &&
		       m.size == 1000,
	       "%s", why);
	group_end(&g);
	group_begin(&g, "tar header: the zero block ends the archive");
	memset(blk, 0, sizeof(blk));
	EXPECT(&g, tar_header_parse(blk, &m, &why) == 1, "not the end");
	group_end(&g);
	group_begin(&g, "tar header: one flipped byte breaks the checksum");
	make_header(blk, "manifest", "00000000010", '0');
	blk[3] ^= 1;
	EXPECT(&g, tar_header_parse(blk, &m, &why) < 0 && strstr(why, "checksum"), "%s", why);
	group_end(&g);
	group_begin(&g, "tar header: a link is refused");
	make_header(blk, "manifest", "00000000000", '2');
	EXPECT(&g, tar_header_parse(blk, &m, &why) < 0 && strstr(why, "regular"), "%s", why);
	group_end(&g);
	group_begin(&g, "tar header: a size that is not octal");
	make_header(blk, "manifest", "0000000009x", '0');
	EXPECT(&g, tar_header_parse(blk, &m, &why) < 0 && strstr(why, "size"), "%s", why);
	group_end(&g);
	group_begin(&g, "tar header: not ustar");
	make_header(blk, "manifest", "1", '0');
	memcpy(blk + 257, "gnuxx", 5);
	EXPECT(&g, tar_header_parse(blk, &m, &why) < 0 && strstr(why, "ustar"), "%s", why);
	group_end(&g);
	group_begin(&g, "tar header: padding to a block");
	EXPECT(&g,
	       tar_padded(0) == 0 && tar_padded(1) == 512 && tar_padded(512) == 512 &&
		       tar_padded(513) == 1024,
	       "padding");
	group_end(&g);
}

/* A manifest of three layers; layer 2's image is layer 0's (the same digest). */
static void make_manifest(struct manifest *m)
{
	memset(m, 0, sizeof(*m));
	m->count = 3;
	strcpy(m->layer[0].name, "00-base");
	strcpy(m->layer[1].name, "10-app");
	strcpy(m->layer[2].name, "20-same");
	m->layer[0].size = m->layer[2].size = 4096;
	m->layer[1].size = 8192;
	memset(m->layer[0].sha256, 0xaa, 32);
	memset(m->layer[1].sha256, 0xbb, 32);
	memset(m->layer[2].sha256, 0xaa, 32);
}

static const struct {
	const char *name;
	const char *contents;
	bool have[3];
	int rc;
	unsigned int writes;
	unsigned long long bytes;
	const char *why;
} plans[] = {
	{ "a full bundle onto an empty store", "A 4096\nB 8192\n", { 0, 0, 0 }, 0, 2, 12288, NULL },
	{ "a full bundle: what the store has is not written",
	  "A 4096\nB 8192\n",
	  { 1, 0, 1 },
	  0,
	  1,
	  8192,
	  NULL },
	{ "a delta whose base is there", "B 8192\n", { 1, 0, 1 }, 0, 1, 8192, NULL },
	{ "a delta whose base is missing",
	  "B 8192\n",
	  { 0, 0, 0 },
	  -1,
	  0,
	  0,
	  "layer 00-base (aaaaaaaaaaaaaaaa...) is neither on this device nor in the bundle" },
	{ "an empty bundle on a store with everything", "", { 1, 1, 1 }, 0, 0, 0, NULL },
	{ "an image the manifest does not have",
	  "C 10\n",
	  { 1, 1, 1 },
	  -1,
	  0,
	  0,
	  "contents: line 1: an image that is not in the manifest" },
	{ "another size",
	  "B 8193\n",
	  { 1, 0, 1 },
	  -1,
	  0,
	  0,
	  "contents: line 1: not the size the manifest gives that image" },
	{ "the same image twice",
	  "B 8192\nB 8192\n",
	  { 1, 0, 1 },
	  -1,
	  0,
	  0,
	  "contents: line 2: the same image twice" },
	{ "no newline at the end",
	  "B 8192",
	  { 1, 0, 1 },
	  -1,
	  0,
	  0,
	  "contents: line 1: no newline at the end" },
	{ "a bad line", "B\n", { 1, 0, 1 }, -1, 0, 0, "contents: line 1: not 'SHA256 SIZE'" },
	{ "a negative size",
	  "B -1\n",
	  { 1, 0, 1 },
	  -1,
	  0,
	  0,
	  "contents: line 1: not 'SHA256 SIZE'" },
};

/* "A 4096" -> 64 hex digits of 0xaa, and so on for B and C. */
static void expand(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in && n + 65 < len; in++) {
		if (*in >= 'A' && *in <= 'C' && (in[1] == ' ' || in[1] == '\n' || !in[1])) {
			uint8_t d[32];

			memset(d, 0xaa + 0x11 * (*in - 'A'), 32);
			hex_encode(d, 32, out + n);
			n += 64;
		} else {
			out[n++] = *in;
		}
	}
	out[n] = '\0';
}

static void test_bundleplan(void)
{
	struct manifest *m = malloc(sizeof(*m));
	struct bundle_plan *p = malloc(sizeof(*p));
	char contents[1024], why[300];
	struct group g;
	size_t i;

	make_manifest(m);
	for (i = 0; i < ARRAY_SIZE(plans); i++) {
		int rc;

		why[0] = '\0';
		expand(plans[i].contents, contents, sizeof(contents));
		rc = bundle_plan_make(contents, m, plans[i].have, p, why, sizeof(why));
		group_begin(&g, "bundle plan: %s", plans[i].name);
		if (plans[i].rc == 0)
			EXPECT(&g,
			       rc == 0 && p->write_count == plans[i].writes &&
				       p->write_bytes == plans[i].bytes,
			       "rc %d, %u writes of %llu bytes: %s", rc, p->write_count,
			       p->write_bytes, why);
		else
			EXPECT(&g, rc < 0 && strstr(why, plans[i].why), "rc %d: '%s'", rc, why);
		group_end(&g);
	}
	free(m);
	free(p);
}

void test_update(void)
{
	test_tarhdr();
	test_bundleplan();
}
