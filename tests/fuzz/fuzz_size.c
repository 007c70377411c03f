// SPDX-License-Identifier: MIT
/* libFuzzer target: tmpfs sizes (64M, 1G, 50%) and their formatting back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pure/size.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct size_spec spec;
	char shown[64];
	char *text = malloc(size + 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (size_parse(text, &spec) == 0)
		size_format(&spec, shown, sizeof(shown));
	free(text);
	return 0;
}
