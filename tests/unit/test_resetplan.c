// SPDX-License-Identifier: MIT
#include <string.h>

#include "harness.h"
#include "pure/resetplan.h"

/* cmdline marker started upper trash -> trigger, first step */
static const struct {
	const char *name;
	struct reset_state s;
	enum reset_trigger trigger;
	int first;
} cases[] = {
	{ "nothing", { 0, 0, 0, 1, 0 }, RT_NONE, 0 },
	{ "nothing, upper/ missing (made later, no reset)", { 0, 0, 0, 0, 0 }, RT_NONE, 0 },
	{ "layerboot.reset", { 1, 0, 0, 1, 0 }, RT_CMDLINE, 1 },
	{ "marker from the CLI", { 0, 1, 0, 1, 0 }, RT_MARKER, 1 },
	{ "both", { 1, 1, 0, 1, 0 }, RT_CMDLINE, 1 },
	{ "cut after step 1", { 0, 1, 1, 1, 0 }, RT_RESUMED, 2 },
	{ "cut after step 1, layerboot.reset again", { 1, 1, 1, 1, 0 }, RT_RESUMED, 2 },
	{ "cut after step 2", { 0, 1, 1, 0, 1 }, RT_RESUMED, 2 },
	{ "cut after step 3 or in step 4", { 0, 1, 1, 0, 1 }, RT_RESUMED, 2 },
	{ "cut after step 4 (trash emptied, no upper)", { 0, 1, 1, 0, 0 }, RT_RESUMED, 2 },
	{ "cut after step 5 (fresh upper moved again)", { 0, 1, 1, 1, 0 }, RT_RESUMED, 2 },
	{ "cut in step 1 of a CLI request (marker truncated)", { 0, 1, 0, 1, 0 }, RT_MARKER, 1 },
	{ "trash left by a failed delete or an old version", { 0, 0, 0, 1, 1 }, RT_RESUMED, 4 },
	{ "trash left, layerboot.reset again", { 1, 0, 0, 1, 1 }, RT_RESUMED, 1 },
	{ "marker, upper/ gone", { 0, 1, 0, 0, 0 }, RT_RESUMED, 1 },
};

void test_resetplan(void)
{
	struct reset_plan p;
	struct group g;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		reset_plan(&cases[i].s, &p);
		group_begin(&g, "reset plan: %s", cases[i].name);
		EXPECT(&g, p.trigger == cases[i].trigger && p.first == cases[i].first,
		       "trigger %s from step %d, want %s from step %d",
		       reset_trigger_name(p.trigger), p.first, reset_trigger_name(cases[i].trigger),
		       cases[i].first);
		group_end(&g);
	}
	group_begin(&g, "reset plan: trigger names");
	EXPECT(&g, !strcmp(reset_trigger_name(RT_RESUMED), "resumed"), "resumed");
	EXPECT(&g, !strcmp(reset_trigger_name((enum reset_trigger)9), "?"), "out of range");
	group_end(&g);
}
