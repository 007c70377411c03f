// SPDX-License-Identifier: MIT
/* Writing test archives in memory: ustar headers with a correct checksum. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "tar.h"

int t_failed;

void check(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("PASS: layertar: %s\n", name);
		return;
	}
	t_failed++;
	printf("FAIL: layertar: %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void hdr_make(unsigned char *h, const char *name, char type, const char *link, uint64_t size)
{
	memset(h, 0, TAR_BLOCK);
	memcpy(h, name, strnlen(name, 100));
	snprintf((char *)h + 100, 8, "%07o", type == '5' ? 0755 : 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
	snprintf((char *)h + 136, 12, "%011o", 1700000000);
	h[156] = type;
	if (link)
		memcpy(h + 157, link, strnlen(link, 100));
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
}

void hdr_sum(unsigned char *h)
{
	unsigned sum = 0;
	int i;

	memset(h + 148, ' ', 8);
	for (i = 0; i < TAR_BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

void ar_raw(struct ar *a, const void *p, size_t n)
{
	if (!n)
		return;
	if (a->len + n > a->cap) {
		a->cap = (a->len + n) * 2;
		a->buf = realloc(a->buf, a->cap);
		if (!a->buf)
			abort();
	}
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

void ar_entry(struct ar *a, unsigned char *h, const void *data, size_t n)
{
	static const unsigned char zero[TAR_BLOCK];

	hdr_sum(h);
	ar_raw(a, h, TAR_BLOCK);
	ar_raw(a, data, n);
	if (n % TAR_BLOCK)
		ar_raw(a, zero, TAR_BLOCK - n % TAR_BLOCK);
}

void ar_file(struct ar *a, const char *name, const char *content)
{
	unsigned char h[TAR_BLOCK];

	hdr_make(h, name, '0', NULL, strlen(content));
	ar_entry(a, h, content, strlen(content));
}

void ar_dir(struct ar *a, const char *name)
{
	unsigned char h[TAR_BLOCK];

	hdr_make(h, name, '5', NULL, 0);
	ar_entry(a, h, NULL, 0);
}

void ar_link(struct ar *a, const char *name, char type, const char *target)
{
	unsigned char h[TAR_BLOCK];

	hdr_make(h, name, type, target, 0);
	ar_entry(a, h, NULL, 0);
}

void ar_pax(struct ar *a, const char *records, size_t n)
{
	unsigned char h[TAR_BLOCK];

	hdr_make(h, "PaxHeaders/entry", 'x', NULL, n);
	ar_entry(a, h, records, n);
}

void ar_end(struct ar *a)
{
	static const unsigned char zero[2 * TAR_BLOCK];

	ar_raw(a, zero, sizeof(zero));
}

static void spec_entry(struct ar *a, char *tok)
{
	char kind = tok[0], *path = tok + 2, *arg;

	if (kind == 'd') {
		ar_dir(a, path);
		return;
	}
	arg = strchr(path, kind == 'f' ? '=' : '>');
	if (arg)
		*arg++ = '\0';
	if (kind == 'f')
		ar_file(a, path, arg ? arg : "x");
	else
		ar_link(a, path, kind == 'l' ? '1' : '2', arg ? arg : "");
}

void ar_spec(struct ar *a, const char *spec)
{
	char *copy = strdup(spec), *save = NULL, *tok;

	if (!copy)
		abort();
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		spec_entry(a, tok);
	free(copy);
	ar_end(a);
}

void ar_free(struct ar *a)
{
	free(a->buf);
	memset(a, 0, sizeof(*a));
}
