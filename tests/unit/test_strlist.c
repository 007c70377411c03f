// SPDX-License-Identifier: MIT
/* The sort of directory names (the walker's order) and the key=value lookup. */
#include <stdlib.h>
#include <string.h>

#include "pure/strlist.h"
#include "harness.h"

static void fill(struct strlist *l, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		strlist_add(l, strdup(v[i]));
}

static void join(const struct strlist *l, char *out, size_t len)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < l->n; i++) {
		strncat(out, l->v[i], len - strlen(out) - 1);
		strncat(out, "|", len - strlen(out) - 1);
	}
}

void test_strlist(void)
{
	static const char *const names[] = { "b", "a-b", "\303\251", "a", "B", "a.b", "a",
					      "\n", "b", "ab", "" };
	static const char *const kv[] = { "layers=2", "layer.0.name=00-base", "layers.x=1",
					  "layer.1.name=" };
	struct strlist l = { 0 };
	struct group g;
	char got[128];

	group_begin(&g, "strlist: sorted by byte, repeats dropped");
	fill(&l, names, ARRAY_SIZE(names));
	strlist_sort_uniq(&l);
	join(&l, got, sizeof(got));
	EXPECT(&g, !strcmp(got, "|\n|B|a|a-b|a.b|ab|b|\303\251|"), "got \"%s\"", got);
	strlist_free(&l);
	strlist_sort_uniq(&l); /* empty */
	EXPECT(&g, l.n == 0, "empty: %zu", l.n);
	group_end(&g);

	group_begin(&g, "strlist: value of a key");
	fill(&l, kv, ARRAY_SIZE(kv));
	EXPECT(&g, !strcmp(strlist_value(&l, "layers"), "2"), "layers");
	EXPECT(&g, !strcmp(strlist_value(&l, "layer.0.name"), "00-base"), "layer.0.name");
	EXPECT(&g, !strcmp(strlist_value(&l, "layer.1.name"), ""), "empty value");
	EXPECT(&g, !strlist_value(&l, "layer") && !strlist_value(&l, "layer.2.name"),
	       "a prefix or a missing key is NULL");
	strlist_free(&l);
	group_end(&g);
}
