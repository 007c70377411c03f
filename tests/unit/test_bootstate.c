// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "pure/bootstate.h"

/* What scripts/mkdisk writes for the factory state (its check from sha256sum). */
static const char factory[] = "primary=a\ntrial=-\ntries=0\nfailed=-\nreason=\ncheck=";

static void round_trip(void)
{
	struct bootstate s, r;
	char buf[BOOTSTATE_FILE_MAX];
	const char *why = "";
	struct group g;
	int n;

	group_begin(&g, "bootstate: format then parse gives the same state");
	memset(&s, 0, sizeof(s));
	s.primary = 'b';
	s.trial = 'a';
	s.tries = 255;
	s.failed = 'a';
	strcpy(s.reason, "slot a: no tries left");
	n = bootstate_format(&s, buf, sizeof(buf));
	EXPECT(&g, n > 0 && (size_t)n == strlen(buf), "format: %d", n);
	EXPECT(&g, n > 0 && !bootstate_parse(buf, (size_t)n, &r, &why), "parse: %s", why);
	EXPECT(&g,
	       r.primary == 'b' && r.trial == 'a' && r.tries == 255 && r.failed == 'a' &&
		       !strcmp(r.reason, s.reason),
	       "fields differ");
	group_end(&g);

	group_begin(&g, "bootstate: the factory state is what scripts/mkdisk writes");
	bootstate_factory(&s);
	n = bootstate_format(&s, buf, sizeof(buf));
	EXPECT(&g, n > 0 && !strncmp(buf, factory, sizeof(factory) - 1), "got '%s'", buf);
	group_end(&g);

	group_begin(&g, "bootstate: format refuses an impossible state and a small buffer");
	s.trial = 'a'; /* the primary itself */
	EXPECT(&g, bootstate_format(&s, buf, sizeof(buf)) < 0, "trial = primary formatted");
	bootstate_factory(&s);
	s.tries = 256;
	EXPECT(&g, bootstate_format(&s, buf, sizeof(buf)) < 0, "tries 256 formatted");
	bootstate_factory(&s);
	EXPECT(&g, bootstate_format(&s, buf, 40) < 0, "fit in 40 bytes");
	group_end(&g);
}

/* Each case: the good file with one change; every one must be refused. */
static void garbage(void)
{
	static const struct {
		const char *name, *from, *to, *why;
	} cases[] = {
		{ "a flipped digit in tries (check catches it)", "tries=2", "tries=9", "check" },
		{ "another primary (check catches it)", "primary=b", "primary=a",
		  "trial: the primary" },
		{ "a missing line", "failed=-\n", "", "failed" },
		{ "primary c", "primary=b", "primary=c", "primary" },
		{ "tries 256", "tries=2", "tries=256", "tries" },
		{ "tries not a number", "tries=2", "tries=x", "tries" },
		{ "trial q", "trial=a", "trial=q", "trial" },
		{ "no check line", "check=", "chock=", "check" },
		{ "text after the check line", "\ncheck=", "\ncheck=", "text after" },
	};
	struct bootstate s;
	char good[BOOTSTATE_FILE_MAX], bad[BOOTSTATE_FILE_MAX + 16];
	struct group g;
	size_t i;

	memset(&s, 0, sizeof(s));
	s.primary = 'b';
	s.trial = 'a';
	s.tries = 2;
	bootstate_format(&s, good, sizeof(good));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *at = strstr(good, cases[i].from), *why = "";
		size_t pre = (size_t)(at - good);

		snprintf(bad, sizeof(bad), "%.*s%s%s", (int)pre, good, cases[i].to,
			 at + strlen(cases[i].from));
		if (i == ARRAY_SIZE(cases) - 1)
			strcat(bad, "x\n");
		group_begin(&g, "bootstate: garbage: %s", cases[i].name);
		EXPECT(&g,
		       bootstate_parse(bad, strlen(bad), &s, &why) != 0 &&
			       strstr(why, cases[i].why),
		       "accepted, or why '%s'", why);
		group_end(&g);
	}
	group_begin(&g, "bootstate: garbage: empty, and a file cut in the middle");
	EXPECT(&g, bootstate_parse("", 0, &s, &(const char *){ "" }) != 0, "empty accepted");
	EXPECT(&g, bootstate_parse(good, strlen(good) - 5, &s, &(const char *){ "" }) != 0,
	       "cut accepted");
	group_end(&g);
}

void test_bootstate(void)
{
	struct group g;

	round_trip();
	garbage();
	group_begin(&g, "bootstate: slot_other");
	EXPECT(&g, slot_other('a') == 'b' && slot_other('b') == 'a', "a <-> b");
	group_end(&g);
}
