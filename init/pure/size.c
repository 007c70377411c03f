// SPDX-License-Identifier: MIT
/* Pure: parse "64M", "1G", "512K", "4096" or "50%". */
#include <errno.h>
#include <stdint.h>

#include "pure/fmt.h"
#include "pure/num.h"
#include "pure/size.h"

static int parse_pct(const char *s, struct size_spec *out)
{
	const char *end;
	uint64_t v;
	int rc = num_prefix(s, 100, &v, &end);

	if (rc == -EINVAL || end[0] != '%' || end[1] != '\0')
		return -EINVAL;
	if (rc || v == 0)
		return -ERANGE;
	out->pct = (unsigned int)v;
	out->bytes = 0;
	return 0;
}

static int suffix_shift(char c, unsigned int *shift)
{
	switch (c) {
	case '\0':
		*shift = 0;
		return 0;
	case 'k':
	case 'K':
		*shift = 10;
		return 0;
	case 'm':
	case 'M':
		*shift = 20;
		return 0;
	case 'g':
	case 'G':
		*shift = 30;
		return 0;
	}
	return -EINVAL;
}

int size_parse(const char *s, struct size_spec *out)
{
	unsigned int shift;
	const char *end;
	uint64_t v;
	int rc = num_prefix(s, UINT64_MAX, &v, &end);

	if (rc == -EINVAL)
		return -EINVAL;
	if (*end == '%')
		return parse_pct(s, out);
	if (suffix_shift(*end, &shift) || (*end && end[1]))
		return -EINVAL;
	if (rc || v > (UINT64_MAX >> shift))
		return -ERANGE;
	v <<= shift;
	if (v == 0)
		return -ERANGE;
	out->bytes = v;
	out->pct = 0;
	return 0;
}

/* Canonical form, also what tmpfs's size= option accepts. */
int size_format(const struct size_spec *sz, char *buf, size_t len)
{
	int n;

	static const char sfx[] = "GMK";
	unsigned int shift = 30, i;

	if (sz->pct) {
		n = lb_snprintf(buf, len, "%u%%", sz->pct);
		return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
	}
	for (i = 0; i < 3; i++, shift -= 10)
		if ((sz->bytes & ((1ULL << shift) - 1)) == 0)
			break;
	if (i < 3)
		n = lb_snprintf(buf, len, "%llu%c", sz->bytes >> shift, sfx[i]);
	else
		n = lb_snprintf(buf, len, "%llu", sz->bytes);
	return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}
