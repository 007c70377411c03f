// SPDX-License-Identifier: MIT
/* libFuzzer target: the manifest parser and its validation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pure/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest *m = malloc(sizeof(*m));
	struct manifest_err err;
	char *text = malloc(size + 1);

	if (!m || !text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (manifest_parse(text, m, &err) == 0 && m->count > LB_MAX_LAYERS)
		abort(); /* a parsed manifest never holds more than the kernel stacks */
	free(text);
	free(m);
	return 0;
}
