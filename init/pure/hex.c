// SPDX-License-Identifier: MIT
/* Pure: lowercase hex, as the manifest and the status file write digests. */
#include <errno.h>
#include <string.h>

#include "pure/hex.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1; /* the manifest writes lowercase only */
}

int hex_decode(const char *hex, size_t bytes, uint8_t *out)
{
	size_t i;

	for (i = 0; i < bytes; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int hex_decode32(const char *hex, uint8_t out[32])
{
	return strlen(hex) == 64 ? hex_decode(hex, 32, out) : -EINVAL;
}

void hex_encode(const uint8_t *in, unsigned int n, char *out)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * (size_t)n] = '\0';
}
