// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "pure/manifest.h"
#include "pure/verity.h"

#define H64 "3fa1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define S64 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static struct manifest m;

static const struct {
	const char *name;
	const char *field; /* after "verity=" */
	unsigned long long size;
	const char *why; /* NULL: accepted */
} fields[] = {
	{ "4k blocks, salt", "4096,4096,8192,8192," H64 "," S64, 12288, NULL },
	{ "no salt", "4096,4096,8192,8192," H64 ",-", 12288, NULL },
	{ "512 blocks, hash later", "512,1024,1536,2048," H64 ",ab", 4096, NULL },
	{ "empty", "", 12288, "bad verity number" },
	{ "letters", "4k,4096,8192,8192," H64 ",-", 12288, "bad verity number" },
	{ "block not a power of two", "4000,4096,8000,8192," H64 ",-", 12288, "power of two" },
	{ "block too small", "256,4096,8192,8192," H64 ",-", 12288, "power of two" },
	{ "data not whole blocks", "4096,4096,8000,8192," H64 ",-", 12288, "do not fit" },
	{ "zero data", "4096,4096,0,8192," H64 ",-", 12288, "do not fit" },
	{ "hash inside the data", "4096,4096,8192,4096," H64 ",-", 12288, "do not fit" },
	{ "hash past the file", "4096,4096,8192,16384," H64 ",-", 12288, "do not fit" },
	{ "one data block: no tree", "4096,4096,4096,4096," H64 ",-", 4096, NULL },
	{ "short root", "4096,4096,8192,8192,3fa1,-", 12288, "root hash" },
	{ "uppercase root",
	  "4096,4096,8192,8192,3FA1C2D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90,-",
	  12288, "root hash" },
	{ "no salt part", "4096,4096,8192,8192," H64, 12288, "salt" },
	{ "odd salt", "4096,4096,8192,8192," H64 ",abc", 12288, "salt" },
	{ "salt not hex", "4096,4096,8192,8192," H64 ",zz", 12288, "salt" },
	{ "salt too long", "4096,4096,8192,8192," H64 "," S64 S64 "00", 12288, "salt" },
	{ "one part too many", "4096,4096,8192,8192," H64 ",ab,cd", 12288, "salt" },
};

static void test_fields(void)
{
	struct verity_params v;
	const char *why = "";
	struct group g;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		int rc = verity_field_parse(fields[i].field, fields[i].size, &v, &why);

		group_begin(&g, "verity field: %s", fields[i].name);
		if (!fields[i].why)
			EXPECT(&g, rc == 0, "refused: %s", why);
		else
			EXPECT(&g, rc < 0 && strstr(why, fields[i].why),
			       "rc %d, why '%s', want '%s'", rc, rc ? why : "", fields[i].why);
		group_end(&g);
	}
}

static void test_table(void)
{
	struct verity_params v;
	unsigned long long sectors = 0;
	const char *why = "";
	char out[400];
	struct group g;

	group_begin(&g, "verity table: eio and restart");
	EXPECT(&g, !verity_field_parse("4096,4096,8192,12288," H64 "," S64, 20480, &v, &why),
	       "parse: %s", why);
	EXPECT(&g, !verity_table(&v, "/dev/loop3", false, out, sizeof(out), &sectors), "table");
	EXPECT(&g, !strcmp(out, "1 /dev/loop3 /dev/loop3 4096 4096 2 3 sha256 " H64 " " S64),
	       "got '%s'", out);
	EXPECT(&g, sectors == 16, "%llu sectors", sectors);
	EXPECT(&g, !verity_table(&v, "/dev/loop3", true, out, sizeof(out), &sectors), "table");
	EXPECT(&g,
	       !strcmp(out, "1 /dev/loop3 /dev/loop3 4096 4096 2 3 sha256 " H64 " " S64
			    " 1 restart_on_corruption"),
	       "got '%s'", out);
	EXPECT(&g, verity_table(&v, "/dev/loop3", true, out, 60, &sectors) == -ENAMETOOLONG,
	       "a short buffer is refused");
	EXPECT(&g, !verity_field_parse("512,512,512,512," H64 ",-", 1024, &v, &why), "no salt");
	EXPECT(&g, !verity_table(&v, "7:0", false, out, sizeof(out), &sectors), "table");
	EXPECT(&g, !strcmp(out, "1 7:0 7:0 512 512 1 1 sha256 " H64 " -"), "got '%s'", out);
	group_end(&g);
}

static void test_manifest_lines(void)
{
	struct manifest_err e = { 0, "" };
	struct group g;
	int rc;

	group_begin(&g, "manifest: verity and version 1 lines together");
	rc = manifest_parse("a 12288 " H64 " verity=4096,4096,8192,8192," H64 "," S64 "\nb 1 " H64
			    "\n",
			    &m, &e);
	EXPECT(&g, rc == 0 && m.count == 2, "rc %d: %s", rc, e.msg);
	EXPECT(&g, m.layer[0].has_verity && !m.layer[1].has_verity, "has_verity");
	EXPECT(&g, m.layer[0].verity.data_size == 8192 && m.layer[0].verity.salt_len == 32,
	       "data_size %llu", m.layer[0].verity.data_size);
	group_end(&g);

	group_begin(&g, "manifest: a bad verity field names the layer");
	rc = manifest_parse("a 12288 " H64 " verity=4096,4096,8192,8192,xx,-\n", &m, &e);
	EXPECT(&g, rc < 0 && e.line == 1 && strstr(e.msg, "a: bad verity root hash"), "rc %d: %s",
	       rc, e.msg);
	group_end(&g);

	group_begin(&g, "manifest: an unknown 4th field is one too many");
	rc = manifest_parse("a 12288 " H64 " fec=1\n", &m, &e);
	EXPECT(&g, rc < 0 && strstr(e.msg, "got 4 fields"), "rc %d: %s", rc, e.msg);
	rc = manifest_parse("a 12288 " H64 " verity=4096,4096,8192,8192," H64 ",- x\n", &m, &e);
	EXPECT(&g, rc < 0 && strstr(e.msg, "got 5 fields"), "rc %d: %s", rc, e.msg);
	group_end(&g);
}

void test_verity(void)
{
	test_fields();
	test_table();
	test_manifest_lines();
}
