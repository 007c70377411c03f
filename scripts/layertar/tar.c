// SPDX-License-Identifier: MIT
/*
 * Reading a tar archive that an image author wrote: every length and offset in
 * it is untrusted. Each one is checked against what is left of the mapping
 * before it is used or rounded up to a block, so that no value (a base-256
 * size near 2^64, a pax length with a sign) can wrap a bound or step past the
 * end. Nothing here reads a byte outside map[0, len).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tar.h"

#define PAX_KEY_MAX 256

void lt_message(struct lt_error *err, const char *fmt, ...)
{
	va_list ap;

	/* A cut message still starts with the entry it is about. */
	va_start(ap, fmt);
	(void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

int tar_number(const unsigned char *f, size_t len, uint64_t *v)
{
	uint64_t n = 0;
	size_t i;

	/* GNU base-256: the high bit of the first byte set, big-endian. */
	if (f[0] & 0x80) {
		n = f[0] & 0x7f;
		for (i = 1; i < len; i++) {
			if (n >> 56)
				return -ERANGE;
			n = n << 8 | f[i];
		}
		*v = n;
		return 0;
	}
	/* Octal: 12 digits at most (36 bits), which cannot overflow. */
	for (i = 0; i < len && (f[i] == ' ' || f[i] == '\0'); i++)
		;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++)
		n = n * 8 + (f[i] - '0');
	*v = n;
	return 0;
}

static int checksum_ok(const unsigned char *h)
{
	uint64_t want, sum = 0;
	int i;

	if (tar_number(h + 148, 8, &want))
		return 0;
	for (i = 0; i < TAR_BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum == want;
}

static int zero_block(const unsigned char *h)
{
	int i;

	for (i = 0; i < TAR_BLOCK; i++)
		if (h[i])
			return 0;
	return 1;
}

static char *copy(const void *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* The extension headers read before an entry, for that entry only. */
struct pending {
	char *path, *link, *pax;
	size_t paxlen;
	int has_size;
	uint64_t size;
};

static void pending_free(struct pending *pd)
{
	free(pd->path);
	free(pd->link);
	free(pd->pax);
	memset(pd, 0, sizeof(*pd));
}

/* Where the messages about one header start: its name field and offset. */
struct where {
	const unsigned char *hdr;
	uint64_t off;
};

#define WHERE_FMT	"%.100s (byte %llu)"
#define WHERE_ARGS(w) (const char *)(w)->hdr, (unsigned long long)(w)->off

/* A decimal number of bytes, digits only: strtoull takes signs and spaces. */
static int decimal(const char *s, size_t len, uint64_t *v)
{
	uint64_t n = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned d = s[i] - '0';

		if (d > 9 || n > (UINT64_MAX - d) / 10)
			return -EINVAL;
		n = n * 10 + d;
	}
	*v = n;
	return 0;
}

static int keep_record(struct pending *pd, const char *rec, size_t len)
{
	char *p = realloc(pd->pax, pd->paxlen + len);

	if (!p)
		return -ENOMEM;
	memcpy(p + pd->paxlen, rec, len);
	pd->pax = p;
	pd->paxlen += len;
	return 0;
}

static int replace(char **field, const char *value, size_t vlen)
{
	free(*field);
	*field = copy(value, vlen);
	return *field ? 0 : -ENOMEM;
}

static int pax_record(struct pending *pd, const char *rec, size_t len, const char *key,
		      const char *value, size_t vlen, const struct where *w, struct lt_error *err)
{
	if (!strcmp(key, "path"))
		return replace(&pd->path, value, vlen);
	if (!strcmp(key, "linkpath"))
		return replace(&pd->link, value, vlen);
	if (!strncmp(key, "GNU.sparse.", 11))
		return lt_fail(err, -EINVAL, WHERE_FMT ": sparse files are not supported",
			       WHERE_ARGS(w));
	if (!strcmp(key, "size")) {
		/* Written again by the merge, as the entry's size may change. */
		pd->has_size = 1;
		if (decimal(value, vlen, &pd->size))
			return lt_fail(err, -EINVAL, WHERE_FMT ": pax size '%.*s' is not a number",
				       WHERE_ARGS(w), (int)(vlen < 40 ? vlen : 40), value);
		return 0;
	}
	return keep_record(pd, rec, len);
}

/*
 * The length at the start of a record, by hand: plain digits, then a space,
 * at least "K=\n" after it, and not past the header's data (avail bytes).
 */
static int record_length(const char *rec, uint64_t avail, uint64_t *len, size_t *digits)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < avail && rec[i] >= '0' && rec[i] <= '9'; i++) {
		n = n * 10 + (rec[i] - '0');
		if (n > avail)
			return -ERANGE;
	}
	if (i == 0 || i == avail || rec[i] != ' ')
		return -EINVAL;
	if (n < i + 4)
		return -EDOM; /* 0, or too short for a key, '=' and '\n' */
	*len = n;
	*digits = i;
	return 0;
}

static const char *length_problem(int rc)
{
	if (rc == -ERANGE)
		return "its length runs past the header data";
	if (rc == -EDOM)
		return "its length is 0 or too short for KEY=VALUE";
	return "its length is not a decimal number";
}

/* Records read "LEN KEY=VALUE\n", LEN counting the whole record. */
static int pax_records(struct pending *pd, const unsigned char *d, uint64_t size,
		       const struct where *w, struct lt_error *err)
{
	uint64_t off = 0, len;

	while (off < size) {
		const char *rec = (const char *)d + off, *sp, *eq;
		char key[PAX_KEY_MAX];
		size_t digits;
		int rc = record_length(rec, size - off, &len, &digits);

		if (rc)
			return lt_fail(err, -EINVAL, WHERE_FMT ": pax record at byte %llu: %s",
				       WHERE_ARGS(w), (unsigned long long)off, length_problem(rc));
		sp = rec + digits + 1;
		eq = memchr(sp, '=', rec + len - 1 - sp);
		if (rec[len - 1] != '\n' || !eq || eq == sp || (size_t)(eq - sp) >= sizeof(key))
			return lt_fail(err, -EINVAL, WHERE_FMT ": pax record at byte %llu is not KEY=VALUE",
				       WHERE_ARGS(w), (unsigned long long)off);
		memcpy(key, sp, eq - sp);
		key[eq - sp] = '\0';
		rc = pax_record(pd, rec, len, key, eq + 1, rec + len - 1 - (eq + 1), w, err);
		if (rc)
			return rc == -ENOMEM ? lt_fail(err, rc, "out of memory") : rc;
		off += len;
	}
	return 0;
}

static char *header_name(const unsigned char *h)
{
	size_t plen = strnlen((const char *)h + 345, 155), nlen = strnlen((const char *)h, 100);
	char *name;

	/* The prefix field is a ustar one: GNU's old format keeps times there. */
	if (memcmp(h + 257, "ustar\0", 6) != 0 || plen == 0)
		return copy(h, nlen);
	name = malloc(plen + 1 + nlen + 1);
	if (name) {
		memcpy(name, h + 345, plen);
		name[plen] = '/';
		memcpy(name + plen + 1, h, nlen);
		name[plen + 1 + nlen] = '\0';
	}
	return name;
}

void tar_open(struct tar_reader *r, const unsigned char *map, uint64_t len)
{
	r->map = map;
	r->len = len;
	r->off = 0;
	r->done = 0;
}

void tar_entry_free(struct tar_entry *e)
{
	free(e->path);
	free(e->link);
	free(e->pax);
	memset(e, 0, sizeof(*e));
}

/* Hand the pending headers to the entry at h; they are its now. */
static int make_entry(struct tar_entry *e, struct pending *pd, const unsigned char *h,
		      uint64_t off, uint64_t size)
{
	e->hdr = h;
	e->offset = off;
	e->data = h + TAR_BLOCK;
	e->size = h[156] == '5' || h[156] == '1' ? 0 : size;
	e->path = pd->path ? pd->path : header_name(h);
	e->link = pd->link ? pd->link : copy(h + 157, strnlen((const char *)h + 157, 100));
	e->pax = pd->pax;
	e->paxlen = pd->paxlen;
	memset(pd, 0, sizeof(*pd));
	if (!e->path || !e->link) {
		tar_entry_free(e);
		return -ENOMEM;
	}
	return 0;
}

/* The header at r->off: is there a whole one, and is it the end? 1: a header. */
static int header_at(struct tar_reader *r, const struct pending *pd, struct lt_error *err)
{
	unsigned long long off = r->off;
	const unsigned char *h;

	if (r->len == 0)
		return 0; /* an empty file is an empty archive, as for GNU tar */
	if (r->len - r->off < TAR_BLOCK)
		return lt_fail(err, -EINVAL, "byte %llu: %s: truncated?", off,
			       r->off == r->len ? "no end-of-archive block" : "ends inside a header");
	h = r->map + r->off;
	if (zero_block(h)) {
		if (pd->path || pd->link || pd->pax || pd->has_size)
			return lt_fail(err, -EINVAL, "byte %llu: ends inside an entry", off);
		return 0;
	}
	if (!checksum_ok(h))
		return lt_fail(err, -EINVAL, "bad header checksum at byte %llu: not a tar archive?",
			       off);
	return 1;
}

/* The size of the header at r->off, and where the next one starts. */
static int data_bounds(const struct tar_reader *r, const struct pending *pd, uint64_t *size,
		       uint64_t *next, struct lt_error *err)
{
	const unsigned char *h = r->map + r->off;
	struct where w = { h, r->off };
	uint64_t avail = r->len - r->off - TAR_BLOCK, padded;

	if (tar_number(h + 124, 12, size))
		return lt_fail(err, -EINVAL, WHERE_FMT ": the size does not fit in 64 bits",
			       WHERE_ARGS(&w));
	if (pd->has_size && h[156] != 'x' && h[156] != 'g')
		*size = pd->size;
	/* Bound first: only a size below avail can be rounded up safely. */
	if (*size > avail)
		return lt_fail(err, -EINVAL, WHERE_FMT ": truncated: %llu bytes of data, %llu left",
			       WHERE_ARGS(&w), (unsigned long long)*size,
			       (unsigned long long)avail);
	padded = (*size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	if (padded > avail)
		return lt_fail(err, -EINVAL, WHERE_FMT ": truncated inside its last block",
			       WHERE_ARGS(&w));
	*next = r->off + TAR_BLOCK + padded;
	return 0;
}

/* One header of any kind: 1 with *e filled for an entry, 0 for an extension. */
static int step(struct tar_reader *r, struct pending *pd, struct tar_entry *e,
		struct lt_error *err)
{
	const unsigned char *h = r->map + r->off;
	struct where w = { h, r->off };
	uint64_t size = 0, next = 0;
	int rc = data_bounds(r, pd, &size, &next, err);

	if (rc)
		return rc;
	switch (h[156]) {
	case 'x':
		rc = pax_records(pd, h + TAR_BLOCK, size, &w, err);
		break;
	case 'g':
		break; /* global comments (git archive): nothing for us */
	case 'L':
		rc = replace(&pd->path, (const char *)h + TAR_BLOCK,
			     strnlen((const char *)h + TAR_BLOCK, size));
		break;
	case 'K':
		rc = replace(&pd->link, (const char *)h + TAR_BLOCK,
			     strnlen((const char *)h + TAR_BLOCK, size));
		break;
	default:
		rc = make_entry(e, pd, h, r->off, size);
		if (!rc)
			rc = 1;
	}
	if (rc == -ENOMEM)
		return lt_fail(err, rc, "out of memory");
	if (rc >= 0)
		r->off = next;
	return rc;
}

int tar_next(struct tar_reader *r, struct tar_entry *e, struct lt_error *err)
{
	struct pending pd = { 0 };
	int rc;

	memset(e, 0, sizeof(*e));
	if (r->done)
		return 0;
	do {
		rc = header_at(r, &pd, err);
		if (rc == 1)
			rc = step(r, &pd, e, err);
		else
			r->done = 1;
	} while (rc == 0 && !r->done);
	pending_free(&pd);
	if (rc < 0)
		r->done = 1;
	return rc;
}

char tar_type(const unsigned char *hdr)
{
	if (!hdr[156] || hdr[156] == '7')
		return '0'; /* contiguous file: a regular file everywhere */
	return (char)hdr[156];
}
