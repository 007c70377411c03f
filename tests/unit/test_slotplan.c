// SPDX-License-Identifier: MIT
#include <string.h>

#include "harness.h"
#include "pure/slotplan.h"

/* The boot state as "P T N" (primary, trial or '-', tries); "" for none/garbage. */
static const struct {
	const char *name;
	const char *state; /* "" = missing or garbage */
	char override;
	bool va, vb, cannot_write;
	char boot;	  /* 0: nothing bootable */
	bool write;	  /* the new state is written first */
	const char *next; /* "P T N F" after the decision (F: failed or '-') */
	bool rollback;
	const char *reason; /* substring */
} cases[] = {
	{ "steady state", "a - 0", 0, 1, 1, 0, 'a', 0, "a - 0 -", 0, "" },
	{ "steady state on b", "b - 0", 0, 1, 1, 0, 'b', 0, "b - 0 -", 0, "" },
	{ "trial with 3 tries: counted, then booted", "a b 3", 0, 1, 1, 0, 'b', 1, "a b 2 -", 0,
	  "" },
	{ "trial with 1 try: the last one", "a b 1", 0, 1, 1, 0, 'b', 1, "a b 0 -", 0, "" },
	{ "trial with no tries left: rollback", "a b 0", 0, 1, 1, 0, 'a', 1, "a - 0 b", 1,
	  "slot b: no tries left" },
	{ "trial a from primary b, none left", "b a 0", 0, 1, 1, 0, 'b', 1, "b - 0 a", 1,
	  "slot a: no tries left" },
	{ "trial refused (signature): given up", "a b 3", 0, 1, 0, 0, 'a', 1, "a - 0 b", 1,
	  "slot b: bad sig" },
	{ "trial, state cannot be written: not tried", "a b 2", 0, 1, 1, 1, 'a', 0, "a b 2 -", 1,
	  "cannot be written" },
	{ "primary refused, no trial: the other boots, recorded as the primary", "a - 0", 0, 0, 1,
	  0, 'b', 1, "b - 0 a", 1, "slot a: bad sig" },
	{ "primary refused, state unwritable: the other boots, nothing written", "a - 0", 0, 0, 1,
	  1, 'b', 0, "a - 0 -", 1, "slot a: bad sig" },
	{ "both refused", "a - 0", 0, 0, 0, 0, 0, 0, NULL, 0, "" },
	{ "trial and primary refused", "a b 2", 0, 0, 0, 0, 0, 0, NULL, 0, "" },
	{ "missing state: slot a", "", 0, 1, 1, 0, 'a', 0, "a - 0 -", 0, "" },
	{ "missing state, a refused: slot b", "", 0, 0, 1, 0, 'b', 0, "a - 0 -", 0, "" },
	{ "override b: booted, state untouched", "a b 2", 'b', 1, 1, 0, 'b', 0, "a b 2 -", 0, "" },
	{ "override a during a trial: no try used", "a b 2", 'a', 1, 1, 0, 'a', 0, "a b 2 -", 0,
	  "" },
	{ "override of a refused slot: the normal choice", "a - 0", 'b', 1, 0, 0, 'a', 0, "a - 0 -",
	  0, "" },
	{ "override with a missing state", "", 'b', 1, 1, 0, 'b', 0, NULL, 0, "" },
};

static void parse_state(const char *t, struct slot_input *in)
{
	in->state_ok = t[0] != '\0';
	if (!in->state_ok)
		return;
	in->state.primary = t[0];
	in->state.trial = t[2] == '-' ? 0 : t[2];
	in->state.tries = (unsigned int)(t[4] - '0');
}

static void show(const struct bootstate *s, char *buf)
{
	buf[0] = s->primary;
	buf[1] = ' ';
	buf[2] = s->trial ? s->trial : '-';
	buf[3] = ' ';
	buf[4] = (char)('0' + s->tries);
	buf[5] = ' ';
	buf[6] = s->failed ? s->failed : '-';
	buf[7] = '\0';
}

void test_slotplan(void)
{
	struct slot_input in;
	struct slot_plan p;
	struct group g;
	char next[8];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(&in, 0, sizeof(in));
		parse_state(cases[i].state, &in);
		in.override = cases[i].override;
		in.valid[0] = cases[i].va;
		in.valid[1] = cases[i].vb;
		in.why[0] = cases[i].va ? NULL : "bad sig";
		in.why[1] = cases[i].vb ? NULL : "bad sig";
		in.cannot_write = cases[i].cannot_write;
		slot_plan(&in, &p);
		show(&p.next, next);
		group_begin(&g, "slot plan: %s", cases[i].name);
		EXPECT(&g, p.boot == cases[i].boot, "boots '%c', want '%c'", p.boot ? p.boot : '0',
		       cases[i].boot ? cases[i].boot : '0');
		if (cases[i].boot) {
			EXPECT(&g, p.write == cases[i].write, "write %d", p.write);
			EXPECT(&g,
			       p.rollback == cases[i].rollback && strstr(p.reason, cases[i].reason),
			       "rollback %d, reason '%s'", p.rollback, p.reason);
		} else {
			EXPECT(&g, !p.write, "writes with nothing to boot");
		}
		if (cases[i].next)
			EXPECT(&g, !strcmp(next, cases[i].next), "next state '%s', want '%s'", next,
			       cases[i].next);
		group_end(&g);
	}
	group_begin(&g, "slot plan: a given-up trial's reason goes into the boot state");
	memset(&in, 0, sizeof(in));
	parse_state("a b 0", &in);
	in.valid[0] = in.valid[1] = true;
	slot_plan(&in, &p);
	EXPECT(&g, !strcmp(p.next.reason, "slot b: no tries left"), "reason '%s'", p.next.reason);
	group_end(&g);
}
