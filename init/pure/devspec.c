// SPDX-License-Identifier: MIT
/* Pure: parse a device spec as the kernel and util-linux spell them. */
#include <errno.h>
#include <string.h>

#include "pure/devspec.h"

static const struct {
	const char *prefix;
	enum devspec_kind kind;
} prefixes[] = {
	{ "PARTLABEL=", DEV_PARTLABEL },
	{ "PARTUUID=", DEV_PARTUUID },
	{ "LABEL=", DEV_LABEL },
	{ "UUID=", DEV_UUID },
};

const char *devspec_kind_name(enum devspec_kind k)
{
	static const char *const names[] = { "path", "PARTLABEL", "PARTUUID", "LABEL", "UUID" };

	return (unsigned int)k < 5 ? names[k] : "?";
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* UUIDs: hex digits and dashes, at least one digit, no leading or double dash. */
static int check_uuid(const char *v)
{
	int digits = 0;

	if (*v == '-')
		return -EINVAL;
	for (; *v; v++) {
		if (is_hex(*v))
			digits++;
		else if (*v != '-' || v[1] == '-' || v[1] == '\0')
			return -EINVAL;
	}
	return digits ? 0 : -EINVAL;
}

static int check_text(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return -EINVAL;
	return 0;
}

/* /dev/NAME: no empty components, no "." or "..", no trailing slash. */
static int check_path(const char *v)
{
	const char *c = v + 5;

	if (strncmp(v, "/dev/", 5) != 0 || !*c || check_text(v))
		return -EINVAL;
	while (*c) {
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return -EINVAL;
		c += n;
		if (*c == '/' && *++c == '\0')
			return -EINVAL;
	}
	return 0;
}

int devspec_parse(const char *s, struct devspec *out)
{
	const char *v = s;
	enum devspec_kind kind = DEV_PATH;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i].prefix);

		if (!strncmp(s, prefixes[i].prefix, n)) {
			kind = prefixes[i].kind;
			v = s + n;
			break;
		}
	}
	if (strlen(v) > DEVSPEC_VALUE_MAX)
		return -ENAMETOOLONG;
	if (!*v)
		return -EINVAL;
	if (kind == DEV_PATH)
		rc = check_path(v);
	else if (kind == DEV_PARTUUID || kind == DEV_UUID)
		rc = check_uuid(v);
	else
		rc = check_text(v);
	if (rc)
		return rc;
	out->kind = kind;
	strcpy(out->value, v);
	return 0;
}
