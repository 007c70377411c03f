// SPDX-License-Identifier: MIT
/* Pure: file names escaped for a terminal (see escape.h for the rule). */
#include "pure/escape.h"

size_t esc_byte(unsigned char c, char out[4])
{
	static const char hex[] = "0123456789abcdef";

	if (c >= 0x20 && c < 0x7f && c != '\\') {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	if (c == '\\') {
		out[1] = '\\';
		return 2;
	}
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	return 4;
}

size_t esc_str(char *buf, size_t len, const char *s)
{
	size_t n = 0, k, i;
	char e[4];

	for (; *s; s++) {
		k = esc_byte((unsigned char)*s, e);
		for (i = 0; i < k; i++, n++)
			if (n + 1 < len)
				buf[n] = e[i];
	}
	if (len)
		buf[n < len ? n : len - 1] = '\0';
	return n;
}
