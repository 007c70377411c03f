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

/* Append the pax record "LEN KEY=VALUE\n" to rec (cap bytes). */
static void pax_add(char *rec, size_t cap, const char *key, const char *value)
{
	size_t body = strlen(key) + strlen(value) + 3, n = body + 1, used = strlen(rec);

	while (n != body + (size_t)snprintf(NULL, 0, "%zu", n))
		n = body + snprintf(NULL, 0, "%zu", n);
	snprintf(rec + used, cap - used, "%zu %s=%s\n", n, key, value);
}

static void spec_dev(unsigned char *h, const char *majmin)
{
	char *colon;
	unsigned long maj = strtoul(majmin, &colon, 10);

	snprintf((char *)h + 329, 8, "%07lo", maj);
	snprintf((char *)h + 337, 8, "%07lo", strtoul(colon + 1, NULL, 10));
}

/* "@m4755" mode, "@u5" uid, "@g5" gid, "@t123" mtime, "@d1:3" device,
 * "@xKEY=VALUE" the pax record SCHILY.xattr.KEY=VALUE, "@pKEY=VALUE" any. */
static void spec_attrs(unsigned char *h, char *attrs, char *pax, size_t cap)
{
	char *save = NULL, *at, *eq;

	for (at = strtok_r(attrs, "@", &save); at; at = strtok_r(NULL, "@", &save)) {
		char key[128];

		if (strchr("mug", at[0]))
			snprintf((char *)h + (at[0] == 'm' ? 100 : at[0] == 'u' ? 108 : 116), 8,
				 "%07lo", strtoul(at + 1, NULL, at[0] == 'm' ? 8 : 10));
		else if (at[0] == 't')
			snprintf((char *)h + 136, 12, "%011lo", strtoul(at + 1, NULL, 10));
		else if (at[0] == 'd')
			spec_dev(h, at + 1);
		eq = strchr(at, '=');
		if ((at[0] == 'x' || at[0] == 'p') && eq) {
			*eq = '\0';
			snprintf(key, sizeof(key), "%s%s", at[0] == 'x' ? "SCHILY.xattr." : "", at + 1);
			pax_add(pax, cap, key, eq + 1);
		}
	}
}

static char spec_type(char kind)
{
	static const char kinds[] = "dcls", types[] = "5312";
	const char *k = strchr(kinds, kind);

	return k && kind ? types[k - kinds] : '0';
}

static void spec_entry(struct ar *a, char *tok)
{
	char kind = tok[0], *path = tok + 2, *arg, *attrs = strchr(tok, '@'), pax[512] = "";
	unsigned char h[TAR_BLOCK];

	if (attrs)
		*attrs++ = '\0';
	arg = kind == 'd' || kind == 'c' ? NULL : strchr(path, kind == 'f' ? '=' : '>');
	if (arg)
		*arg++ = '\0';
	if (kind == 'f' && !arg)
		arg = "x";
	hdr_make(h, path, spec_type(kind), kind == 'l' || kind == 's' ? (arg ? arg : "") : NULL,
		 kind == 'f' ? strlen(arg) : 0);
	if (attrs)
		spec_attrs(h, attrs, pax, sizeof(pax));
	if (pax[0])
		ar_pax(a, pax, strlen(pax));
	ar_entry(a, h, kind == 'f' ? arg : NULL, kind == 'f' ? strlen(arg) : 0);
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
