// SPDX-License-Identifier: MIT
/*
 * The init's allocator (init/sys/alloc.c), built here under other names so
 * that it runs beside the C library's: every block keeps what was written
 * into it, blocks never overlap, realloc keeps the contents, sizes from 0 to
 * past the small-block limit, and freed blocks are used again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALLOC(name) lb_test_##name
#include "sys/alloc.c"

#include "harness.h"

#define SLOTS 256

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char fill;
};

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static size_t pick_size(uint32_t *s)
{
	switch (rnd(s) % 4) {
	case 0:
		return rnd(s) % 17;
	case 1:
		return rnd(s) % 300;
	case 2:
		return rnd(s) % 5000;
	default:
		return rnd(s) % 150000; /* past 64 KiB: a mapping of its own */
	}
}

static int intact(const struct slot *sl)
{
	size_t i;

	for (i = 0; i < sl->n; i++)
		if (sl->p[i] != sl->fill)
			return 0;
	return 1;
}

/* One step on a random slot: allocate, grow or shrink, or free it. */
static const char *step(struct slot *sl, uint32_t *s)
{
	size_t n = pick_size(s);

	if (sl->p && !intact(sl))
		return "a block lost what was written into it";
	if (!sl->p) {
		sl->p = rnd(s) % 2 ? lb_test_malloc(n) : lb_test_calloc(1, n);
	} else if (rnd(s) % 3) {
		unsigned char *q = lb_test_realloc(sl->p, n);

		if (!q)
			return "realloc failed";
		sl->p = q;
		if (!intact(&(struct slot){ q, n < sl->n ? n : sl->n, sl->fill }))
			return "realloc did not keep the contents";
	} else {
		lb_test_free(sl->p);
		sl->p = NULL;
		return NULL;
	}
	if (!sl->p)
		return "allocation failed";
	if (((uintptr_t)sl->p & 15) != 0)
		return "a block is not 16-byte aligned";
	sl->n = n;
	sl->fill = (unsigned char)rnd(s);
	memset(sl->p, sl->fill, n);
	return NULL;
}

void test_alloc(void)
{
	static struct slot slots[SLOTS];
	uint32_t seed = 42;
	const char *why = NULL;
	struct group g;
	void *a, *b;
	int i;

	group_begin(&g, "alloc: 20000 random malloc/calloc/realloc/free keep every block intact");
	for (i = 0; i < 20000 && !why; i++)
		why = step(&slots[rnd(&seed) % SLOTS], &seed);
	for (i = 0; i < SLOTS && !why; i++)
		if (slots[i].p && !intact(&slots[i]))
			why = "a block was overwritten by another";
	EXPECT(&g, !why, "step %d: %s", i, why ? why : "");
	for (i = 0; i < SLOTS; i++)
		lb_test_free(slots[i].p);
	group_end(&g);

	group_begin(&g, "alloc: a freed block of the same size is used again");
	a = lb_test_malloc(100);
	lb_test_free(a);
	b = lb_test_malloc(90);
	EXPECT(&g, a == b, "%p then %p", a, b);
	lb_test_free(b);
	group_end(&g);

	group_begin(&g, "alloc: a size that cannot be had is ENOMEM, not a wrap");
	EXPECT(&g, !lb_test_malloc(SIZE_MAX - 8), "SIZE_MAX - 8 allocated");
	EXPECT(&g, !lb_test_calloc(SIZE_MAX / 2, 4), "calloc overflow allocated");
	group_end(&g);
}
