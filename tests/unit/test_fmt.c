// SPDX-License-Identifier: MIT
/* The init's small printf against the C library's, for every form it uses. */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "pure/fmt.h"
#include "harness.h"

static struct group g;

static void same(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void same(const char *fmt, ...)
{
	char a[256], b[256];
	va_list ap;
	int na, nb;

	va_start(ap, fmt);
	na = vsnprintf(a, sizeof(a), fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	nb = lb_vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	EXPECT(&g, na == nb && !strcmp(a, b), "'%s': libc '%s' (%d), ours '%s' (%d)", fmt, a, na, b,
	       nb);
}

void test_fmt(void)
{
	char small[8];
	int n;

	group_begin(&g, "fmt: conversions match libc");
	same("plain");
	same("%s|%-8s|%8s|%.3s|%.*s|%-*s|", "abc", "ab", "ab", "abcdef", 2, "xyz", 5, "q");
	same("%d %i %d %d", 0, -1, 2147483647, (-2147483647 - 1));
	same("%u %x %lu %llu %lld %zu", 4000000000u, 0xbeefu, 123456789UL, 18446744073709551615ULL,
	     (-9223372036854775807LL - 1), (size_t)42);
	same("%5d|%-5d|%05d|%05d|%3u%%", 42, 42, 42, -42, 50u);
	same("%c%c%%", 'o', 'k');
	same("%12s  %.12s  %s", "1052672", "3fa1c2d4e5f60718293a", "x");
	same("layerboot: %s: %s: sha256 mismatch (expected %.16s..., got %.16s...)", "verify",
	     "10-app", "3fa1c2d4e5f60718293a4b5c6d7e8f9", "99c0");
	group_end(&g);

	group_begin(&g, "fmt: truncation like snprintf");
	n = lb_snprintf(small, sizeof(small), "%s", "0123456789");
	EXPECT(&g, n == 10 && !strcmp(small, "0123456"), "%d '%s'", n, small);
	n = lb_snprintf(NULL, 0, "%d-%s", 12, "ab");
	EXPECT(&g, n == 5, "size query %d", n);
	n = lb_snprintf(small, 1, "abc");
	EXPECT(&g, n == 3 && small[0] == '\0', "len 1: %d", n);
	group_end(&g);
}
