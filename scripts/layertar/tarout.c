// SPDX-License-Identifier: MIT
/*
 * Every entry is written again as a pax header (path, linkpath and the
 * archive's own records) plus a ustar header, so that long names, GNU
 * long-name entries and new xattrs all take one route, and tar2sqfs reads one
 * dialect whatever the input archives were.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tarout.h"

#define OPAQUE_XATTR "SCHILY.xattr.trusted.overlay.opaque"
#define PAX_SIZE_MIN 077777777777ULL /* from here on, the size is a pax record */

static int put(const struct tar_out *o, const void *p, size_t n)
{
	int rc = n ? o->put(o->ctx, p, n) : 0;

	if (rc) {
		o->err->stream = -1;
		return lt_fail(o->err, rc, "write: %s", strerror(-rc));
	}
	return 0;
}

static int pad(const struct tar_out *o, uint64_t size)
{
	static const unsigned char zero[TAR_BLOCK];

	return size % TAR_BLOCK ? put(o, zero, TAR_BLOCK - size % TAR_BLOCK) : 0;
}

void tar_octal(unsigned char *f, size_t len, uint64_t v)
{
	(void)snprintf((char *)f, len, "%0*llo", (int)len - 1, (unsigned long long)v);
}

static void finish_header(unsigned char *h)
{
	static const unsigned char magic[8] = { 'u', 's', 't', 'a', 'r', '\0', '0', '0' };
	unsigned sum = 0;
	int i;

	memcpy(h + 257, magic, sizeof(magic));
	memset(h + 148, ' ', 8);
	for (i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	(void)snprintf((char *)h + 148, 8, "%06o", sum);
}

/* Append "LEN KEY=VALUE\n", where LEN counts its own digits; -ENOMEM. */
static int add_record(char **buf, size_t *len, const char *key, const char *value)
{
	size_t body = strlen(key) + strlen(value) + 3, n = body + 1;
	char *p;

	while (n != body + (size_t)snprintf(NULL, 0, "%zu", n))
		n = body + snprintf(NULL, 0, "%zu", n);
	p = realloc(*buf, *len + n + 1);
	if (!p)
		return -ENOMEM;
	*buf = p;
	(void)snprintf(p + *len, n + 1, "%zu %s=%s\n", n, key, value);
	*len += n;
	return 0;
}

/* The pax records of an entry: the archive's, then path, link, xattr, size. */
static int pax_of(const struct tar_item *it, char **pax, size_t *len)
{
	char n[24];
	int rc;

	*len = it->paxlen;
	*pax = malloc(*len + 1);
	if (!*pax)
		return -ENOMEM;
	if (*len)
		memcpy(*pax, it->pax, *len);
	rc = add_record(pax, len, "path", *it->path ? it->path : "./");
	if (!rc && (it->type == '1' || it->type == '2'))
		rc = add_record(pax, len, "linkpath", it->link);
	if (!rc && it->opaque)
		rc = add_record(pax, len, OPAQUE_XATTR, "y");
	if (!rc && it->size >= PAX_SIZE_MIN) {
		(void)snprintf(n, sizeof(n), "%llu", (unsigned long long)it->size);
		rc = add_record(pax, len, "size", n);
	}
	return rc;
}

static int write_pax(const struct tar_out *o, const char *pax, size_t len)
{
	unsigned char x[TAR_BLOCK] = { 0 };
	int rc;

	memcpy(x, "././@PaxHeader", 15);
	tar_octal(x + 100, 8, 0644);
	tar_octal(x + 124, 12, len);
	x[156] = 'x';
	finish_header(x);
	rc = put(o, x, TAR_BLOCK);
	if (!rc)
		rc = put(o, pax, len);
	if (!rc)
		rc = pad(o, len);
	return rc;
}

static int write_header(const struct tar_out *o, const struct tar_item *it)
{
	const char *path = *it->path ? it->path : "./";
	unsigned char h[TAR_BLOCK];
	size_t len;
	char *pax = NULL;
	int rc = pax_of(it, &pax, &len);

	if (!rc)
		rc = write_pax(o, pax, len);
	free(pax);
	if (rc)
		return rc == -ENOMEM ? lt_fail(o->err, rc, "out of memory") : rc;

	memcpy(h, it->hdr, TAR_BLOCK);
	memset(h, 0, 100);
	memset(h + 157, 0, 100);
	memset(h + 345, 0, TAR_BLOCK - 345); /* prefix, and GNU's extra fields */
	memcpy(h, path, strnlen(path, 99)); /* cut; the pax path is the whole one */
	h[156] = it->type;
	tar_octal(h + 124, 12, it->size < PAX_SIZE_MIN ? it->size : 0);
	if (it->zero_dev) {
		tar_octal(h + 329, 8, 0); /* overlayfs: a whiteout is 0:0 */
		tar_octal(h + 337, 8, 0);
	}
	finish_header(h);
	return put(o, h, TAR_BLOCK);
}

int tar_write(const struct tar_out *o, const struct tar_item *it)
{
	int rc = write_header(o, it);

	if (!rc)
		rc = put(o, it->data, it->size);
	if (!rc)
		rc = pad(o, it->size);
	return rc;
}

int tar_write_end(const struct tar_out *o)
{
	static const unsigned char zero[2 * TAR_BLOCK];

	return put(o, zero, sizeof(zero));
}
