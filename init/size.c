// SPDX-License-Identifier: MIT
/* Pure: parse "64M", "1G", "512K", "4096" or "50%". */
#include <errno.h>
#include <limits.h>

#include "fmt.h"
#include "size.h"

static int parse_pct(const char *s, struct size_spec *out)
{
	unsigned int v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > 100)
			return -ERANGE;
	}
	if (s[0] != '%' || s[1] != '\0')
		return -EINVAL;
	if (v == 0)
		return -ERANGE;
	out->pct = v;
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
	unsigned long long v = 0;
	unsigned int shift;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (p == s)
		return -EINVAL;
	if (*p == '%')
		return parse_pct(s, out);
	if (suffix_shift(*p, &shift) || (*p && p[1]))
		return -EINVAL;
	for (; s < p; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (v > (ULLONG_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v > (ULLONG_MAX >> shift))
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
