// SPDX-License-Identifier: MIT
/* The overlayfs lookup rule over the layers (pure/ovlmerge.h), top layer first. */
#include <string.h>

#include "pure/ovlmerge.h"
#include "harness.h"

/* One letter a layer, top first: - absent, w whiteout, d directory, o opaque
 * directory, f anything else; the result, and which layers merge ('1'). */
static const struct {
	const char *layers;
	enum ovl_result want;
	const char *merged;
} cases[] = {
	{ "", OVL_NONE, "" },
	{ "---", OVL_NONE, "000" },
	{ "--f", OVL_FILE, "000" },
	{ "f-d", OVL_FILE, "000" },   /* the top one decides: the directory below is hidden */
	{ "w-f", OVL_NONE, "000" },   /* deleted in a higher layer */
	{ "-wf", OVL_NONE, "000" },
	{ "d-d", OVL_MERGED_DIR, "101" },
	{ "ddd", OVL_MERGED_DIR, "111" },
	{ "odd", OVL_MERGED_DIR, "100" }, /* opaque: what is below is not in it */
	{ "dod", OVL_MERGED_DIR, "110" },
	{ "dfd", OVL_MERGED_DIR, "100" }, /* a file under a directory ends the merge */
	{ "dwd", OVL_MERGED_DIR, "100" }, /* so does a whiteout */
	{ "-d-o-d", OVL_MERGED_DIR, "010100" },
};

static enum ovl_kind kind(char c)
{
	switch (c) {
	case 'w': return OVL_WHITEOUT;
	case 'd': return OVL_DIR;
	case 'o': return OVL_OPAQUE_DIR;
	case 'f': return OVL_OTHER;
	default: return OVL_ABSENT;
	}
}

void test_ovlmerge(void)
{
	struct group g;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ovl_merge m = { OVL_NONE, false };
		char got[16] = "";

		group_begin(&g, "ovlmerge: layers \"%s\"", cases[i].layers);
		for (j = 0; cases[i].layers[j]; j++)
			got[j] = ovl_merge_layer(&m, kind(cases[i].layers[j])) ? '1' : '0';
		EXPECT(&g, m.result == cases[i].want, "result %d, wanted %d", m.result,
		       cases[i].want);
		EXPECT(&g, !strcmp(got, cases[i].merged), "merged \"%s\", wanted \"%s\"", got,
		       cases[i].merged);
		group_end(&g);
	}
}
