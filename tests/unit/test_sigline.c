// SPDX-License-Identifier: MIT
#include <string.h>

#include "harness.h"
#include "pure/sigline.h"

static const struct {
	const char *name;
	const char *text;
	int ok;
	size_t signed_len; /* when ok */
	size_t sig_len;
	const char *why; /* substring, when not ok */
} cases[] = {
	{ "signed, newline at the end", "a 1 x\nsignature=00ff10\n", 1, 6, 3, NULL },
	{ "signed, no newline at the end", "a 1 x\nsignature=abcd", 1, 6, 2, NULL },
	{ "only a signature line", "signature=ab\n", 1, 0, 1, NULL },
	{ "no signature line", "a 1 x\n", 0, 0, 0, "no signature line" },
	{ "empty file", "", 0, 0, 0, "no signature line" },
	{ "signature not last", "signature=ab\na 1 x\n", 0, 0, 0, "no signature line" },
	{ "two newlines after it", "a\nsignature=ab\n\n", 0, 0, 0, "no signature line" },
	{ "empty signature", "a\nsignature=\n", 0, 0, 0, "empty" },
	{ "odd number of digits", "a\nsignature=abc\n", 0, 0, 0, "even number" },
	{ "uppercase hex", "a\nsignature=ABCD\n", 0, 0, 0, "lowercase hex" },
	{ "space after it", "a\nsignature=abcd \n", 0, 0, 0, "even number" },
	{ "CR at the end", "a\nsignature=ab\r\n", 0, 0, 0, "even number" },
	{ "the key in mid-line", "a\nx signature=ab\n", 0, 0, 0, "no signature line" },
};

static void too_long(void)
{
	static char text[2 * SIG_MAX + 32];
	uint8_t sig[SIG_MAX];
	size_t sl, n;
	const char *why = "";
	struct group g;
	int rc;

	group_begin(&g, "sigline: %d bytes of signature is the limit", SIG_MAX);
	strcpy(text, "signature=");
	memset(text + 10, 'a', 2 * SIG_MAX);
	text[10 + 2 * SIG_MAX] = '\0';
	rc = sig_split(text, strlen(text), &sl, sig, &n, &why);
	EXPECT(&g, rc == 0 && n == SIG_MAX && sig[0] == 0xaa, "rc %d n %zu", rc, n);
	strcat(text, "aa");
	rc = sig_split(text, strlen(text), &sl, sig, &n, &why);
	EXPECT(&g, rc != 0 && strstr(why, "too long"), "one more byte: rc %d (%s)", rc, why);
	group_end(&g);
}

void test_sigline(void)
{
	uint8_t sig[SIG_MAX];
	struct group g;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t sl = 99, n = 99;
		const char *why = "";
		int rc = sig_split(cases[i].text, strlen(cases[i].text), &sl, sig, &n, &why);

		group_begin(&g, "sigline: %s", cases[i].name);
		if (cases[i].ok)
			EXPECT(&g, rc == 0 && sl == cases[i].signed_len && n == cases[i].sig_len,
			       "rc %d (%s), signed %zu, sig %zu", rc, why, sl, n);
		else
			EXPECT(&g, rc != 0 && strstr(why, cases[i].why), "rc %d, why '%s'", rc,
			       why);
		group_end(&g);
	}
	group_begin(&g, "sigline: the bytes of the signature");
	EXPECT(&g,
	       !sig_split("x\nsignature=00ff10\n", 19, &i, sig, &i, &(const char *){ "" }) &&
		       sig[0] == 0 && sig[1] == 0xff && sig[2] == 0x10,
	       "decoded %02x %02x %02x", sig[0], sig[1], sig[2]);
	group_end(&g);
	too_long();
}
