// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "pure/devmatch.h"
#include "harness.h"

#define U "0fc63daf-8483-4772-8e79-3d69d8477de4"

static const struct devid vda1 = { "vda1", U, "layers", "3e6be9de-8139-11d1-9106-a43f08d823a6",
				   "data" };
static const struct devid bare = { "vda10", NULL, NULL, NULL, NULL };

static const struct {
	const char *spec;
	const struct devid *id;
	int match;
} cases[] = {
	{ "/dev/vda1", &vda1, 1 },
	{ "/dev/vda", &vda1, 0 },
	{ "/dev/vda1", &bare, 0 }, /* vda10 is not vda1 */
	{ "/dev/vda10", &bare, 1 },
	{ "PARTLABEL=layers", &vda1, 1 },
	{ "PARTLABEL=Layers", &vda1, 0 }, /* labels are case-sensitive */
	{ "PARTLABEL=layer", &vda1, 0 },
	{ "PARTLABEL=layers2", &vda1, 0 },
	{ "PARTLABEL=layers", &bare, 0 },
	{ "PARTUUID=" U, &vda1, 1 },
	{ "PARTUUID=0FC63DAF-8483-4772-8E79-3D69D8477DE4", &vda1, 1 },
	{ "PARTUUID=0fc63daf-8483-4772-8e79-3d69d8477de", &vda1, 0 },
	{ "PARTUUID=" U, &bare, 0 },
	{ "LABEL=data", &vda1, 1 },
	{ "LABEL=DATA", &vda1, 0 },
	{ "LABEL=layers", &vda1, 0 }, /* a partition label is not a filesystem label */
	{ "UUID=3E6BE9DE-8139-11D1-9106-A43F08D823A6", &vda1, 1 },
	{ "UUID=" U, &vda1, 0 }, /* nor a partition UUID a filesystem UUID */
	{ "UUID=3e6be9de-8139-11d1-9106-a43f08d823a6", &bare, 0 },
};

static void test_match(void)
{
	struct devspec s;
	struct group g;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		group_begin(&g, "devmatch: %s vs %s", cases[i].spec, cases[i].id->name);
		EXPECT(&g, devspec_parse(cases[i].spec, &s) == 0, "spec refused");
		EXPECT(&g, devid_match(&s, cases[i].id) == !!cases[i].match, "got %d, want %d",
		       !cases[i].match, cases[i].match);
		group_end(&g);
	}
}

static void test_numbers(void)
{
	static const struct {
		const char *in;
		int ok;
		unsigned int maj, min;
	} dn[] = {
		{ "254:1\n", 1, 254, 1 },
		{ "8:0", 1, 8, 0 },
		{ "259:12\n", 1, 259, 12 },
		{ "", 0, 0, 0 },
		{ ":1", 0, 0, 0 },
		{ "1:", 0, 0, 0 },
		{ "a:b", 0, 0, 0 },
		{ "1:2x", 0, 0, 0 },
		{ "1:2\n\n", 0, 0, 0 },
		{ "1 2", 0, 0, 0 },
		{ "99999999999:1", 0, 0, 0 },
	};
	unsigned int a, b;
	struct group g;
	size_t i;

	group_begin(&g, "devmatch: sysfs dev and partition numbers");
	for (i = 0; i < ARRAY_SIZE(dn); i++) {
		int rc = devnum_parse(dn[i].in, &a, &b);

		EXPECT(&g, dn[i].ok ? (!rc && a == dn[i].maj && b == dn[i].min) : rc == -EINVAL,
		       "'%s': rc %d %u:%u", dn[i].in, rc, a, b);
	}
	EXPECT(&g, !sysfs_uint("3\n", &a) && a == 3, "3: %u", a);
	EXPECT(&g, sysfs_uint("", &a) == -EINVAL, "empty accepted");
	EXPECT(&g, sysfs_uint("x", &a) == -EINVAL, "x accepted");
	EXPECT(&g, sysfs_uint("-1", &a) == -EINVAL, "-1 accepted");
	group_end(&g);
}

static void test_parent(void)
{
	static const struct {
		const char *link, *parent;
	} cases[] = {
		{ "../../devices/virtual/block/loop0/loop0p1", "loop0" },
		{ "../../devices/pci0000:00/0000:00:04.0/virtio1/block/vda/vda2", "vda" },
		{ "../../devices/platform/x/mmc_host/mmc0/mmc0:0001/block/mmcblk0/mmcblk0p1",
		  "mmcblk0" },
		{ "vda1", NULL },
		{ "/vda1", NULL },
		{ "vda/", NULL },
		{ "../vda1", NULL },
		{ "./vda1", NULL },
		{ "a//vda1", NULL },
		{ "x/0123456789012345678901234567890123456789/p1", NULL }, /* too long */
		{ "", NULL },
	};
	char out[40];
	struct group g;
	size_t i;

	group_begin(&g, "devmatch: parent disk from the sysfs link");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int rc = sysfs_parent(cases[i].link, out, sizeof(out));

		if (cases[i].parent)
			EXPECT(&g, !rc && !strcmp(out, cases[i].parent), "'%s': rc %d '%s'",
			       cases[i].link, rc, rc ? "" : out);
		else
			EXPECT(&g, rc == -EINVAL, "'%s' accepted: '%s'", cases[i].link, out);
	}
	group_end(&g);
}

void test_devmatch(void)
{
	test_match();
	test_numbers();
	test_parent();
}
