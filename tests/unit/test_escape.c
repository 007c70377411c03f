// SPDX-License-Identifier: MIT
/* The escaping of file names that layerboot diff prints (pure/escape.h). */
#include <string.h>

#include "pure/escape.h"
#include "harness.h"

static const struct {
	const char *in, *out;
} cases[] = {
	{ "", "" },
	{ "/etc/hostname", "/etc/hostname" },
	{ " !~", " !~" },		     /* the ends of the printable range */
	{ "a\nb", "a\\x0ab" },		     /* a newline cannot forge a line */
	{ "\033[2J", "\\x1b[2J" },	     /* nor an escape sequence reach the terminal */
	{ "\001\t\r\037", "\\x01\\x09\\x0d\\x1f" },
	{ "\\", "\\\\" },		     /* the backslash, so the escapes read back */
	{ "a\\x41", "a\\\\x41" },	     /* a name that looks escaped is not taken as one */
	{ "\177", "\\x7f" },		     /* DEL */
	{ "\200\377", "\\x80\\xff" },	     /* bytes >= 0x80, lowercase hex */
	{ "\303\251t\303\251", "\\xc3\\xa9t\\xc3\\xa9" }, /* UTF-8 too: one rule, no locale */
};

void test_escape(void)
{
	struct group g;
	char buf[64], small[4];
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		group_begin(&g, "escape: case %zu (\"%s\")", i, cases[i].out);
		n = esc_str(buf, sizeof(buf), cases[i].in);
		EXPECT(&g, n == strlen(cases[i].out) && !strcmp(buf, cases[i].out),
		       "got \"%s\" (%zu)", buf, n);
		group_end(&g);
	}
	group_begin(&g, "escape: every byte is 1, 2 or 4 characters, none a control one");
	for (i = 1; i < 256; i++) {
		char e[4];
		size_t k = esc_byte((unsigned char)i, e), j;

		EXPECT(&g, k == (i >= 0x20 && i < 0x7f ? (i == '\\' ? 2u : 1u) : 4u),
		       "byte 0x%02zx: length %zu", i, k);
		for (j = 0; j < k; j++)
			EXPECT(&g, e[j] >= 0x20 && e[j] < 0x7f, "byte 0x%02zx: 0x%02x out",
			       i, (unsigned char)e[j]);
	}
	group_end(&g);
	group_begin(&g, "escape: truncated like snprintf");
	n = esc_str(small, sizeof(small), "\n\n");
	EXPECT(&g, n == 8 && !strcmp(small, "\\x0"), "%zu \"%s\"", n, small);
	n = esc_str(NULL, 0, "ab\\");
	EXPECT(&g, n == 4, "size query %zu", n);
	group_end(&g);
}
