// SPDX-License-Identifier: MIT
/*
 * Pure: split a signed manifest into what was signed and the signature. The
 * signature is a line of the file rather than a file of its own, so that a
 * slot's manifest and its signature are written by one rename and a power cut
 * can never pair a manifest with another one's signature.
 */
#include <errno.h>
#include <string.h>

#include "pure/hex.h"
#include "pure/sigline.h"

#define SIG_KEY "signature="

static int decode(const char *hex, size_t n, uint8_t *out, const char **why)
{
	if (n == 0 || n % 2 || n / 2 > SIG_MAX) {
		*why = n ? "signature: not an even number of hex digits, or too long"
			 : "signature: empty";
		return -EINVAL;
	}
	if (hex_decode(hex, n / 2, out)) {
		*why = "signature: not lowercase hex";
		return -EINVAL;
	}
	return 0;
}

int sig_split(const char *text, size_t len, size_t *signed_len, uint8_t sig[SIG_MAX],
	      size_t *sig_len, const char **why)
{
	size_t end = len, start;

	if (end && text[end - 1] == '\n')
		end--;
	start = end;
	while (start && text[start - 1] != '\n')
		start--;
	if (end - start < sizeof(SIG_KEY) - 1 ||
	    memcmp(text + start, SIG_KEY, sizeof(SIG_KEY) - 1) != 0) {
		*why = "no signature line at the end";
		return -EINVAL;
	}
	start += sizeof(SIG_KEY) - 1;
	if (decode(text + start, end - start, sig, why))
		return -EINVAL;
	*sig_len = (end - start) / 2;
	*signed_len = start - (sizeof(SIG_KEY) - 1);
	return 0;
}
