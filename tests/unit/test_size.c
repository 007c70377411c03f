// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "pure/size.h"

static const struct {
	const char *in;
	int rc;
	unsigned long long bytes;
	unsigned int pct;
	const char *canon;
} cases[] = {
	{ "64M", 0, 64ULL << 20, 0, "64M" },
	{ "1G", 0, 1ULL << 30, 0, "1G" },
	{ "512K", 0, 512ULL << 10, 0, "512K" },
	{ "512k", 0, 512ULL << 10, 0, "512K" },
	{ "4096", 0, 4096, 0, "4K" },
	{ "1000", 0, 1000, 0, "1000" },
	{ "1536M", 0, 1536ULL << 20, 0, "1536M" },
	{ "50%", 0, 0, 50, "50%" },
	{ "1%", 0, 0, 1, "1%" },
	{ "100%", 0, 0, 100, "100%" },
	{ "0%", -ERANGE, 0, 0, NULL },
	{ "101%", -ERANGE, 0, 0, NULL },
	{ "200%", -ERANGE, 0, 0, NULL },
	{ "0", -ERANGE, 0, 0, NULL },
	{ "0M", -ERANGE, 0, 0, NULL },
	{ "", -EINVAL, 0, 0, NULL },
	{ "abc", -EINVAL, 0, 0, NULL },
	{ "M", -EINVAL, 0, 0, NULL },
	{ "-1", -EINVAL, 0, 0, NULL },
	{ "12MB", -EINVAL, 0, 0, NULL },
	{ "1T", -EINVAL, 0, 0, NULL },
	{ "5%%", -EINVAL, 0, 0, NULL },
	{ "%", -EINVAL, 0, 0, NULL },
	{ " 5M", -EINVAL, 0, 0, NULL },
	{ "18446744073709551616", -ERANGE, 0, 0, NULL },
	{ "17179869184G", -ERANGE, 0, 0, NULL },
};

void test_size(void)
{
	struct group g;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct size_spec s = { 7, 7 };
		char buf[32];
		int rc = size_parse(cases[i].in, &s);

		group_begin(&g, "size: '%s'", cases[i].in);
		EXPECT(&g, rc == cases[i].rc, "rc %d, want %d", rc, cases[i].rc);
		if (!cases[i].rc && !rc) {
			EXPECT(&g, s.bytes == cases[i].bytes && s.pct == cases[i].pct,
			       "got %llu bytes %u%%", s.bytes, s.pct);
			EXPECT(&g,
			       !size_format(&s, buf, sizeof(buf)) && !strcmp(buf, cases[i].canon),
			       "formatted '%s', want '%s'", buf, cases[i].canon);
		}
		if (rc)
			EXPECT(&g, s.bytes == 7 && s.pct == 7, "output changed on error");
		group_end(&g);
	}
}
