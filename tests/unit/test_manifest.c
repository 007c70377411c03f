// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pure/hex.h"
#include "pure/manifest.h"

#define H64 "3fa1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"

static struct manifest m;

static const struct {
	const char *name;
	const char *text;
	int ok;
	unsigned int count; /* when ok */
	unsigned int line;  /* when not ok */
	const char *msg;    /* substring of the error */
} cases[] = {
	{ "two layers", "00-base 1052672 " H64 "\n10-app 4096 " H64 "\n", 1, 2, 0, NULL },
	{ "comments, blanks, tabs, CRLF", "# layers\n\n00-base\t1 " H64 "\r\n  \n10-app  2  " H64,
	  1, 2, 0, NULL },
	{ "empty file", "", 0, 0, 0, "no layers" },
	{ "only comments", "# nothing\n\n", 0, 0, 0, "no layers" },
	{ "bad hash: short", "a 1 3fa1\n", 0, 0, 1, "bad sha256" },
	{ "bad hash: uppercase",
	  "a 1 3FA1C2D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90\n", 0, 0, 1,
	  "bad sha256" },
	{ "bad hash: not hex",
	  "a 1 zfa1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90\n", 0, 0, 1,
	  "bad sha256" },
	{ "bad hash: 65 digits", "a 1 " H64 "0\n", 0, 0, 1, "bad sha256" },
	{ "bad size: letters", "# c\na 12k " H64 "\n", 0, 0, 2, "bad size" },
	{ "bad size: negative", "a -1 " H64 "\n", 0, 0, 1, "bad size" },
	{ "bad size: zero", "a 0 " H64 "\n", 0, 0, 1, "bad size" },
	{ "bad size: overflow", "a 18446744073709551616 " H64 "\n", 0, 0, 1, "bad size" },
	{ "name with /", "ok 1 " H64 "\na/b 1 " H64 "\n", 0, 0, 2, "'/' in name" },
	{ "name ..", "../x 1 " H64 "\n", 0, 0, 1, "a letter or digit" },
	{ "name .hidden", ".x 1 " H64 "\n", 0, 0, 1, "a letter or digit" },
	{ "name with space (too many fields)", "my app 1 " H64 "\n", 0, 0, 1, "got 4 fields" },
	{ "name with control char", "a\x01 1 " H64 "\n", 0, 0, 1, "control character" },
	{ "name with DEL", "a\x7f 1 " H64 "\n", 0, 0, 1, "control character" },
	{ "name with high byte", "caf\xc3\xa9 1 " H64 "\n", 0, 0, 1, "bad character" },
	{ "name 65 bytes",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1 " H64, 0, 0, 1,
	  "longer than 64" },
	{ "name 64 bytes",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1 " H64, 1, 1, 0,
	  NULL },
	{ "duplicate", "a 1 " H64 "\nb 1 " H64 "\na 2 " H64 "\n", 0, 0, 3, "duplicate" },
	{ "two fields", "a 1\n", 0, 0, 1, "got 2 fields" },
	{ "one field", "\n\na\n", 0, 0, 3, "got 1 field" },
	{ "header fields", "compatible=qemu-x86_64/layerboot\nversion=3\na 1 " H64 "\n", 1, 1, 0,
	  NULL },
	{ "unknown header field", "# c\nfoo=1\na 1 " H64 "\n", 0, 0, 2, "unknown field 'foo'" },
	{ "version 0", "version=0\na 1 " H64 "\n", 0, 0, 1, "version: '0'" },
	{ "version not a number", "version=2a\na 1 " H64 "\n", 0, 0, 1, "version: '2a'" },
	{ "version past 2^63-1", "version=9223372036854775808\na 1 " H64 "\n", 0, 0, 1,
	  "version:" },
	{ "header after a layer", "a 1 " H64 "\nversion=2\n", 0, 0, 2, "after the first layer" },
	{ "compatible empty", "compatible=\na 1 " H64 "\n", 0, 0, 1, "compatible:" },
	{ "compatible with a control char", "compatible=a\x01b\na 1 " H64 "\n", 0, 0, 1,
	  "compatible:" },
};

static void run_case(size_t i)
{
	struct manifest_err e = { 0, "" };
	struct group g;
	int rc = manifest_parse(cases[i].text, &m, &e);

	group_begin(&g, "manifest: %s", cases[i].name);
	if (cases[i].ok) {
		EXPECT(&g, rc == 0, "refused: line %u: %s", e.line, e.msg);
		EXPECT(&g, rc || m.count == cases[i].count, "%u layers", m.count);
	} else {
		EXPECT(&g, rc < 0, "accepted");
		EXPECT(&g, e.line == cases[i].line, "line %u, want %u (%s)", e.line, cases[i].line,
		       e.msg);
		EXPECT(&g, strstr(e.msg, cases[i].msg), "message '%s' lacks '%s'", e.msg,
		       cases[i].msg);
	}
	group_end(&g);
}

static char *many(unsigned int n)
{
	char *t = malloc((size_t)n * 90 + 1), *p = t;
	unsigned int i;

	for (i = 0; i < n; i++)
		p += sprintf(p, "%03u-layer %u %s\n", i, i + 1, H64);
	*p = '\0';
	return t;
}

static void test_sizes(void)
{
	struct manifest_err e = { 0, "" };
	struct group g;
	char *t = many(500);
	int rc = manifest_parse(t, &m, &e);

	group_begin(&g, "manifest: 500 layers");
	EXPECT(&g, rc == 0 && m.count == 500, "rc %d count %u: %s", rc, m.count, e.msg);
	EXPECT(&g, !strcmp(m.layer[499].name, "499-layer") && m.layer[499].size == 500,
	       "last layer %s %llu", m.layer[499].name, m.layer[499].size);
	EXPECT(&g, m.layer[0].sha256[0] == 0x3f && m.layer[0].sha256[31] == 0x90, "hash decode");
	group_end(&g);
	free(t);

	t = many(1000);
	rc = manifest_parse(t, &m, &e);
	group_begin(&g, "manifest: 1000 lines refused at 501");
	EXPECT(&g, rc < 0 && e.line == 501 && strstr(e.msg, "more than 500"), "rc %d line %u: %s",
	       rc, e.line, e.msg);
	group_end(&g);
	free(t);
}

static void test_hex(void)
{
	uint8_t b[32];
	char out[65];
	struct group g;

	group_begin(&g, "manifest: hex round trip");
	EXPECT(&g, hex_decode32(H64, b) == 0, "decode failed");
	hex_encode(b, 32, out);
	EXPECT(&g, !strcmp(out, H64), "got %s", out);
	group_end(&g);
}

void test_manifest(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(i);
	test_sizes();
	test_hex();
}
