// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the boot state parser, and the signature line split it
 * shares the store with. A state that parses must format back to the same bytes
 * (the file has one form), and a split never points past the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pure/bootstate.h"
#include "pure/sigline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[BOOTSTATE_FILE_MAX];
	uint8_t sig[SIG_MAX];
	struct bootstate s;
	size_t signed_len, sig_len;
	const char *why;
	int n;

	if (!bootstate_parse((const char *)data, size, &s, &why)) {
		n = bootstate_format(&s, buf, sizeof(buf));
		if (n < 0 || (size_t)n != size || memcmp(buf, data, size) != 0)
			abort();
	}
	if (!sig_split((const char *)data, size, &signed_len, sig, &sig_len, &why) &&
	    (signed_len > size || sig_len > SIG_MAX))
		abort();
	return 0;
}
