// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "pure/devspec.h"
#include "harness.h"

static char long_label[300];

static const struct {
	const char *in;
	int ok;
	enum devspec_kind kind;
	const char *value;
} cases[] = {
	{ "/dev/vda2", 1, DEV_PATH, "/dev/vda2" },
	{ "/dev/disk/by-label/x", 1, DEV_PATH, "/dev/disk/by-label/x" },
	{ "/dev/mmcblk0p1", 1, DEV_PATH, "/dev/mmcblk0p1" },
	{ "PARTLABEL=layers", 1, DEV_PARTLABEL, "layers" },
	{ "PARTLABEL=my data", 1, DEV_PARTLABEL, "my data" },
	{ "PARTUUID=0fc63daf-8483-4772-8e79-3d69d8477de4", 1, DEV_PARTUUID,
	  "0fc63daf-8483-4772-8e79-3d69d8477de4" },
	{ "PARTUUID=1234abcd-02", 1, DEV_PARTUUID, "1234abcd-02" },
	{ "LABEL=data", 1, DEV_LABEL, "data" },
	{ "UUID=ABCD-1234", 1, DEV_UUID, "ABCD-1234" },
	{ "UUID=3e6be9de-8139-11d1-9106-a43f08d823a6", 1, DEV_UUID,
	  "3e6be9de-8139-11d1-9106-a43f08d823a6" },
	{ "", 0, 0, NULL },
	{ "vda2", 0, 0, NULL },
	{ "/dev/", 0, 0, NULL },
	{ "/dev/../etc/passwd", 0, 0, NULL },
	{ "/dev//vda", 0, 0, NULL },
	{ "/dev/vda/", 0, 0, NULL },
	{ "/dev/./vda", 0, 0, NULL },
	{ "/devices/vda", 0, 0, NULL },
	{ "/dev/vd\x01", 0, 0, NULL },
	{ "PARTLABEL=", 0, 0, NULL },
	{ "PARTLABEL=a\tb", 0, 0, NULL },
	{ "LABEL=", 0, 0, NULL },
	{ "UUID=", 0, 0, NULL },
	{ "UUID=xyz", 0, 0, NULL },
	{ "UUID=-abcd", 0, 0, NULL },
	{ "UUID=ab--cd", 0, 0, NULL },
	{ "UUID=abcd-", 0, 0, NULL },
	{ "PARTUUID=12 34", 0, 0, NULL },
	{ "partlabel=x", 0, 0, NULL },
	{ long_label, 0, 0, NULL },
};

void test_devspec(void)
{
	struct group g;
	size_t i;

	memcpy(long_label, "LABEL=", 6);
	memset(long_label + 6, 'a', sizeof(long_label) - 7);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct devspec d;
		int rc = devspec_parse(cases[i].in, &d);

		group_begin(&g, "devspec: '%.40s'", cases[i].in);
		if (cases[i].ok) {
			EXPECT(&g, rc == 0, "refused (%d)", rc);
			EXPECT(&g,
			       rc || (d.kind == cases[i].kind && !strcmp(d.value, cases[i].value)),
			       "kind %d value '%s'", d.kind, d.value);
		} else {
			EXPECT(&g, rc < 0, "accepted");
		}
		group_end(&g);
	}
}
