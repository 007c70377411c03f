// SPDX-License-Identifier: MIT
#include "harness.h"
#include "pure/upperplan.h"

static const struct {
	const char *name;
	unsigned int policy;
	char slot;
	bool trial, saved_a, saved_b;
	enum upper_act act;
	char saved;
} cases[] = {
	{ "no slot store: nothing", UPPER_RESET, 0, 0, 0, 0, UA_NONE, 0 },
	{ "reset, first trial boot of b: a's upper saved", UPPER_RESET, 'b', 1, 0, 0, UA_SAVE,
	  'a' },
	{ "reset, first trial boot of a: b's upper saved", UPPER_RESET, 'a', 1, 0, 0, UA_SAVE,
	  'b' },
	{ "reset, second try of b: its own upper kept", UPPER_RESET, 'b', 1, 1, 0, UA_NONE, 0 },
	{ "reset, trial b beside a stale saved-b: a's saved", UPPER_RESET, 'b', 1, 0, 1, UA_SAVE,
	  'a' },
	{ "keep, trial boot: the upper stays", UPPER_KEEP, 'b', 1, 0, 0, UA_NONE, 0 },
	{ "rollback to a: a's upper back", UPPER_RESET, 'a', 0, 1, 0, UA_RESTORE, 'a' },
	{ "rollback to b: b's upper back", UPPER_RESET, 'b', 0, 0, 1, UA_RESTORE, 'b' },
	{ "policy changed to keep: a saved upper still comes back", UPPER_KEEP, 'a', 0, 1, 0,
	  UA_RESTORE, 'a' },
	{ "after mark-good of b: stale saved-a left to the gc", UPPER_RESET, 'b', 0, 1, 0, UA_NONE,
	  0 },
	{ "steady state: nothing", UPPER_RESET, 'a', 0, 0, 0, UA_NONE, 0 },
	{ "both saved, primary a: a's comes back", UPPER_RESET, 'a', 0, 1, 1, UA_RESTORE, 'a' },
	{ "bad slot letter: nothing", UPPER_RESET, 'c', 1, 0, 0, UA_NONE, 0 },
};

void test_upperplan(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct upper_input in = { cases[i].policy,
					  cases[i].slot,
					  cases[i].trial,
					  { cases[i].saved_a, cases[i].saved_b } };
		struct upper_plan p;
		struct group g;

		group_begin(&g, "upperplan: %s", cases[i].name);
		upper_plan(&in, &p);
		EXPECT(&g, p.act == cases[i].act, "act %d, want %d", p.act, cases[i].act);
		EXPECT(&g, p.saved == cases[i].saved, "saved '%c', want '%c'",
		       p.saved ? p.saved : '-', cases[i].saved ? cases[i].saved : '-');
		group_end(&g);
	}
}
