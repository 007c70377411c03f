/* SPDX-License-Identifier: MIT */
/*
 * Unit test harness: one "PASS: name" or "FAIL: name: why" line per group of
 * assertions; the first failed assertion of a group gives the why.
 */
#ifndef LB_TEST_HARNESS_H
#define LB_TEST_HARNESS_H

#include <stdio.h>

struct group {
	char name[160];
	char why[512];
	int bad;
};

extern int t_failures;

void group_begin(struct group *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void group_fail(struct group *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void group_end(struct group *g);

#define EXPECT(g, cond, ...)                          \
	do {                                          \
		if (!(cond))                          \
			group_fail((g), __VA_ARGS__); \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void test_config(void);
void test_size(void);
void test_devspec(void);
void test_manifest(void);
void test_lowerdir(void);
void test_sha256(void);
void test_fmt(void);
void test_gpt(void);
void test_devmatch(void);
void test_resetplan(void);
void test_alloc(void);
void test_memguard(void);
void test_escape(void);
void test_ovlmerge(void);
void test_strlist(void);
void test_verity(void);
void test_sigline(void);
void test_bootstate(void);
void test_slotplan(void);
void test_upperplan(void);
void test_update(void);

#endif
