// SPDX-License-Identifier: MIT
/* Pure: does a probed block device answer a device spec, and sysfs parsing. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "pure/devmatch.h"
#include "pure/num.h"

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool uuid_eq(const char *a, const char *b)
{
	for (; *a && lower(*a) == lower(*b); a++, b++)
		;
	return *a == *b;
}

static bool eq(const char *known, const char *want, bool uuid)
{
	if (!known)
		return false;
	return uuid ? uuid_eq(known, want) : !strcmp(known, want);
}

bool devid_match(const struct devspec *s, const struct devid *id)
{
	switch (s->kind) {
	case DEV_PATH:
		return id->name && !strncmp(s->value, "/dev/", 5) &&
		       !strcmp(s->value + 5, id->name);
	case DEV_PARTLABEL:
		return eq(id->partlabel, s->value, false);
	case DEV_PARTUUID:
		return eq(id->partuuid, s->value, true);
	case DEV_LABEL:
		return eq(id->label, s->value, false);
	case DEV_UUID:
		return eq(id->uuid, s->value, true);
	}
	return false;
}

int sysfs_uint(const char *s, unsigned int *v)
{
	const char *end;
	uint64_t n;

	if (num_prefix(s, UINT32_MAX, &n, &end) || (*end && strcmp(end, "\n") != 0))
		return -EINVAL;
	*v = (unsigned int)n;
	return 0;
}

int devnum_parse(const char *s, unsigned int *maj, unsigned int *min)
{
	const char *end;
	uint64_t n;

	if (num_prefix(s, UINT32_MAX, &n, &end) || *end != ':')
		return -EINVAL;
	*maj = (unsigned int)n;
	return sysfs_uint(end + 1, min);
}

int sysfs_parent(const char *link, char *out, size_t len)
{
	const char *end = strrchr(link, '/'), *start;
	size_t n;

	if (!end || end == link || !end[1])
		return -EINVAL;
	for (start = end; start > link && start[-1] != '/'; start--)
		;
	n = (size_t)(end - start);
	if (!n || n >= len || (n <= 2 && start[0] == '.' && start[n - 1] == '.'))
		return -EINVAL;
	memcpy(out, start, n);
	out[n] = '\0';
	return 0;
}
