// SPDX-License-Identifier: MIT
/* Pure: the character set of layer and board names (see name.h). */
#include <errno.h>
#include <string.h>

#include "pure/name.h"

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static const char *bad_char(unsigned char c, size_t i)
{
	if (c == '/')
		return "'/' in name";
	if (c < 0x20 || c == 0x7f)
		return "control character in name";
	if (i == 0)
		return "name must start with a letter or digit";
	return "bad character in name";
}

int name_ok(const char *name, size_t max, const char **why)
{
	size_t i, n = strlen(name);

	if (n == 0) {
		*why = "empty name";
		return -EINVAL;
	}
	if (n > max) {
		*why = "name too long";
		return -ENAMETOOLONG;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (is_alnum(c) || (i > 0 && (c == '.' || c == '_' || c == '-')))
			continue;
		*why = bad_char(c, i);
		return -EINVAL;
	}
	return 0;
}
