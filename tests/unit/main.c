// SPDX-License-Identifier: MIT
/* Runs every unit test group; exits 1 if any failed. */
#include <stdarg.h>
#include <stdio.h>

#include "harness.h"

int t_failures;

void group_begin(struct group *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g->name, sizeof(g->name), fmt, ap);
	va_end(ap);
	g->why[0] = '\0';
	g->bad = 0;
}

void group_fail(struct group *g, const char *fmt, ...)
{
	va_list ap;

	if (g->bad++)
		return;
	va_start(ap, fmt);
	vsnprintf(g->why, sizeof(g->why), fmt, ap);
	va_end(ap);
}

void group_end(struct group *g)
{
	if (g->bad) {
		printf("FAIL: %s: %s\n", g->name, g->why);
		t_failures++;
	} else {
		printf("PASS: %s\n", g->name);
	}
	fflush(stdout);
}

int main(void)
{
	test_size();
	test_devspec();
	test_config();
	test_manifest();
	test_lowerdir();
	test_sha256();
	test_fmt();
	test_gpt();
	test_devmatch();
	test_resetplan();
	test_alloc();
	test_memguard();
	test_escape();
	test_ovlmerge();
	test_strlist();
	test_verity();
	test_sigline();
	test_bootstate();
	test_slotplan();
	test_upperplan();
	test_update();
	return t_failures ? 1 : 0;
}
