// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: layertar's tar parser, merge and diff. The input is one
 * or two archives one after the other (the first ends after its two zero
 * blocks), merged as a lower and a higher stream; what the merge writes must
 * read back as an archive the merge accepts, a multiple of 512 bytes. The
 * same two are diffed as LOWER and FULL: the diff must be such an archive
 * too, the same bytes twice, and an archive diffed with itself must give
 * nothing but the end of an archive.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "merge.h"

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static int put_buf(void *ctx, const void *p, size_t n)
{
	struct buf *b = ctx;

	if (b->len + n > b->cap) {
		unsigned char *q = realloc(b->p, (b->len + n) * 2);

		if (!q)
			return -12; /* ENOMEM */
		b->p = q;
		b->cap = (b->len + n) * 2;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

/* Where the second archive starts: after the first two zero blocks. */
static size_t split(const uint8_t *data, size_t size)
{
	static const uint8_t zero[2 * TAR_BLOCK];
	size_t off;

	for (off = 0; off + sizeof(zero) <= size; off += TAR_BLOCK)
		if (!memcmp(data + off, zero, sizeof(zero)))
			return off + sizeof(zero);
	return size;
}

/* Merge the streams into out; 0 or -errno. */
static int merge(const uint8_t *const *maps, const size_t *lens, int n, struct buf *out)
{
	struct lt_error err = { -1, "" };
	struct merge *m = merge_new();
	int s, rc = m ? 0 : -12;

	for (s = 0; s < n && !rc; s++)
		rc = merge_stream(m, s, maps[s], lens[s], &err);
	if (!rc)
		rc = merge_write(m, put_buf, out, &err);
	merge_free(m);
	return rc;
}

/* Diff lower and full into out; 0 or -errno. */
static int diff(const uint8_t *lower, size_t llen, const uint8_t *full, size_t flen,
		struct buf *out)
{
	struct lt_error err = { -1, "" };

	return tar_diff(lower, llen, full, flen, put_buf, out, &err);
}

static void check_diff(const uint8_t *const *maps, const size_t *lens)
{
	struct buf out = { 0 }, again = { 0 }, same = { 0 }, merged = { 0 };
	const uint8_t *back[1];
	size_t backlen[1];

	if (diff(maps[0], lens[0], maps[1], lens[1], &out) == 0) {
		back[0] = out.p;
		backlen[0] = out.len;
		if (out.len % TAR_BLOCK || merge(back, backlen, 1, &merged) != 0)
			abort(); /* the diff wrote what the merge cannot read */
		if (diff(maps[0], lens[0], maps[1], lens[1], &again) != 0 || again.len != out.len ||
		    memcmp(again.p, out.p, out.len) != 0)
			abort(); /* not the same bytes twice */
	}
	if (diff(maps[1], lens[1], maps[1], lens[1], &same) == 0 && same.len != 2 * TAR_BLOCK)
		abort(); /* a tree differs from itself */
	free(out.p);
	free(again.p);
	free(same.p);
	free(merged.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cut = split(data, size);
	const uint8_t *maps[2] = { data, data + cut };
	size_t lens[2] = { cut, size - cut };
	struct buf out = { 0 }, again = { 0 };
	const uint8_t *back[1];
	size_t backlen[1];

	if (merge(maps, lens, lens[1] ? 2 : 1, &out) == 0) {
		back[0] = out.p;
		backlen[0] = out.len;
		if (out.len % TAR_BLOCK || merge(back, backlen, 1, &again) != 0)
			abort(); /* the merge wrote what it cannot read */
	}
	free(out.p);
	free(again.p);
	check_diff(maps, lens);
	return 0;
}
