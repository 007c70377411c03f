// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: matching a device spec against what a probe read from a
 * device, and the sysfs text the probe parses (partition numbers, MAJ:MIN,
 * the parent disk from a /sys/class/block link).
 * Input: NUL-separated fields: spec, name, partuuid, partlabel, uuid, label.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pure/devmatch.h"

#define FIELDS 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *f[FIELDS] = { NULL };
	char *text = malloc(size + 1), *out;
	unsigned int a, b, n = 0;
	struct devspec spec;
	size_t off = 0, len;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	while (n < FIELDS && off <= size) {
		f[n++] = text + off;
		off += strlen(text + off) + 1;
	}
	sysfs_uint(f[0], &a);
	devnum_parse(f[0], &a, &b);
	/* An exact-size output buffer, as small as the first byte says. */
	len = size ? (size_t)data[0] % 48 + 1 : 1;
	out = malloc(len);
	if (!out)
		abort();
	if (sysfs_parent(f[0], out, len) == 0 && (strlen(out) >= len || strchr(out, '/')))
		abort();
	free(out);
	if (n > 1)
		uuid_eq(f[0], f[1]);
	if (devspec_parse(f[0], &spec) == 0) {
		struct devid id = { n > 1 ? f[1] : NULL, n > 2 ? f[2] : NULL, n > 3 ? f[3] : NULL,
				    n > 4 ? f[4] : NULL, n > 5 ? f[5] : NULL };

		devid_match(&spec, &id);
		id.name = NULL; /* a probe that learned nothing */
		devid_match(&spec, &id);
	}
	free(text);
	return 0;
}
