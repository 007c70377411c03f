// SPDX-License-Identifier: MIT
/* Pure: decimal numbers, with one overflow rule (see num.h). */
#include <errno.h>

#include "pure/num.h"

int num_prefix(const char *s, uint64_t max, uint64_t *out, const char **end)
{
	const char *p = s;
	uint64_t v = 0;
	int range = 0;

	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		/* Keep consuming digits after an overflow, so *end is past the number. */
		if (range || d > max || v > (max - d) / 10)
			range = 1;
		else
			v = v * 10 + d;
	}
	if (end)
		*end = p;
	if (p == s)
		return -EINVAL;
	if (range)
		return -ERANGE;
	*out = v;
	return 0;
}

int num_parse(const char *s, uint64_t max, uint64_t *out)
{
	const char *end;
	uint64_t v;
	int rc = num_prefix(s, max, &v, &end);

	if (rc == -ERANGE && !*end)
		return rc;
	if (rc || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

int num_parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	uint64_t v;
	int rc = num_parse(s, max, &v);

	if (!rc)
		*out = (unsigned int)v;
	return rc;
}
