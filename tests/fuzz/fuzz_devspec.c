// SPDX-License-Identifier: MIT
/* libFuzzer target: device specs (/dev/NAME, PARTLABEL=, PARTUUID=, LABEL=, UUID=). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pure/devspec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct devspec spec;
	char *text = malloc(size + 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (devspec_parse(text, &spec) == 0)
		devspec_kind_name(spec.kind);
	free(text);
	return 0;
}
