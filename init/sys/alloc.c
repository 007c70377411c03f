// SPDX-License-Identifier: MIT
/*
 * The init's malloc, in place of musl's: mallocng is 7.5 KiB of the 64 KiB
 * budget and built for long-running, many-threaded programs; PID 1 runs for a
 * fraction of a second in one thread, and the CLI for one command. Blocks come
 * in power-of-two sizes from 16 bytes to 64 KiB, each size with a free list,
 * carved from 256 KiB mappings; larger blocks are mappings of their own and go
 * back to the kernel when freed. Every block starts with a 16-byte header
 * saying its size, so free and realloc need no lookup, and the payload keeps
 * malloc's 16-byte alignment.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

/* The unit test builds this file under other names, beside the C library's. */
#ifndef ALLOC
#define ALLOC(name) name
#endif

#define MIN_SHIFT   4		/* 16 bytes, header included */
#define MAX_SHIFT   16		/* 64 KiB: above it, a mapping of its own */
#define ARENA_BYTES (256 << 10) /* carved into the small blocks */
#define HEADER	    16

struct header {
	size_t size;   /* the block's whole size, header included */
	size_t unused; /* keeps the payload 16-byte aligned */
};

static void *free_list[MAX_SHIFT + 1];
static char *arena_next, *arena_end;

static unsigned int class_of(size_t total)
{
	unsigned int shift = MIN_SHIFT;

	while (((size_t)1 << shift) < total)
		shift++;
	return shift;
}

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static struct header *carve(size_t size)
{
	char *p;

	if ((size_t)(arena_end - arena_next) < size) {
		/* The rest of the old arena is left unused: small, and simple. */
		arena_next = map(ARENA_BYTES);
		if (!arena_next)
			return NULL;
		arena_end = arena_next + ARENA_BYTES;
	}
	p = arena_next;
	arena_next += size;
	return (struct header *)p;
}

void *ALLOC(malloc)(size_t n)
{
	struct header *h;
	unsigned int shift;
	size_t total;

	if (n > SIZE_MAX - HEADER - 4095) {
		errno = ENOMEM;
		return NULL;
	}
	total = n + HEADER;
	if (total > ((size_t)1 << MAX_SHIFT)) {
		total = (total + 4095) & ~(size_t)4095;
		h = map(total);
	} else {
		shift = class_of(total);
		total = (size_t)1 << shift;
		h = free_list[shift];
		if (h)
			free_list[shift] = *(void **)h;
		else
			h = carve(total);
	}
	if (!h) {
		errno = ENOMEM;
		return NULL;
	}
	h->size = total;
	return (char *)h + HEADER;
}

void ALLOC(free)(void *p)
{
	struct header *h;
	unsigned int shift;

	if (!p)
		return;
	h = (struct header *)((char *)p - HEADER);
	if (h->size > ((size_t)1 << MAX_SHIFT)) {
		munmap(h, h->size);
		return;
	}
	shift = class_of(h->size);
	*(void **)h = free_list[shift]; /* the link takes the size's place */
	free_list[shift] = h;
}

void *ALLOC(calloc)(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	n *= size;
	p = ALLOC(malloc)(n ? n : 1);
	if (p)
		memset(p, 0, n);
	return p;
}

void *ALLOC(realloc)(void *p, size_t n)
{
	struct header *h;
	void *q;

	if (!p)
		return ALLOC(malloc)(n);
	h = (struct header *)((char *)p - HEADER);
	if (n + HEADER <= h->size && n <= SIZE_MAX - HEADER)
		return p;
	q = ALLOC(malloc)(n);
	if (q) {
		memcpy(q, p, h->size - HEADER);
		ALLOC(free)(p);
	}
	return q;
}
