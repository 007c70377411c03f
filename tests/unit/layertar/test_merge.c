// SPDX-License-Identifier: MIT
/*
 * The merge rules, a table of cases: each gives the streams (bottom first) in
 * ar_spec()'s notation and the merged archive as read back by the parser, one
 * "PATH TYPE ..." item per entry, or "!MESSAGE" for a refusal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "merge.h"

#define LIST_MAX 2048

static int put_ar(void *ctx, const void *p, size_t n)
{
	ar_raw(ctx, p, n);
	return 0;
}

static int has_opaque_xattr(const struct tar_entry *e)
{
	static const char rec[] = "SCHILY.xattr.trusted.overlay.opaque=y\n";
	size_t i, n = strlen(rec);

	for (i = 0; i + n <= e->paxlen; i++)
		if (!memcmp(e->pax + i, rec, n))
			return 1;
	return 0;
}

/* One entry as "PATH TYPE", then "opq", "MAJ:MIN", ">LINK" or "=DATA". */
static void describe(const struct tar_entry *e, char *out, size_t cap)
{
	char type = (char)e->hdr[156];
	uint64_t maj = 9, min = 9;
	size_t n = strlen(out);

	n += snprintf(out + n, cap - n, "%s%s %c", n ? ", " : "", e->path, type);
	if (has_opaque_xattr(e))
		n += snprintf(out + n, cap - n, " opq");
	if (type == '3' && !tar_number(e->hdr + 329, 8, &maj) && !tar_number(e->hdr + 337, 8, &min))
		n += snprintf(out + n, cap - n, " %llu:%llu", (unsigned long long)maj,
			      (unsigned long long)min);
	if (type == '1' || type == '2')
		n += snprintf(out + n, cap - n, ">%s", e->link);
	if (type == '0')
		snprintf(out + n, cap - n, "=%.*s", (int)e->size, (const char *)e->data);
}

/* The merged archive, read back: a list of entries, or "!" and the error. */
static int list(const struct ar *merged, char *out, size_t cap)
{
	struct tar_reader r;
	struct tar_entry e;
	struct lt_error err = { -1, "" };
	int rc;

	out[0] = '\0';
	tar_open(&r, merged->buf, merged->len);
	while ((rc = tar_next(&r, &e, &err)) == 1) {
		describe(&e, out, cap);
		tar_entry_free(&e);
	}
	if (rc)
		snprintf(out, cap, "!read back: %s", err.msg);
	return rc;
}

/* Merge n archives; the listing of the result, or "!" and the message. */
void merge_list(const struct ar *in, int n, char *out, size_t cap)
{
	struct ar merged = { 0 };
	struct lt_error err = { -1, "" };
	struct merge *m = merge_new();
	int s, rc = m ? 0 : -ENOMEM;

	for (s = 0; s < n && !rc; s++)
		rc = merge_stream(m, s, in[s].buf, in[s].len, &err);
	if (!rc)
		rc = merge_write(m, put_ar, &merged, &err);
	if (rc)
		snprintf(out, cap, "!%s", m ? err.msg : "out of memory");
	else
		list(&merged, out, cap);
	merge_free(m);
	ar_free(&merged);
}

static void merge_specs(const char *const *specs, char *out, size_t cap)
{
	struct ar in[3] = { 0 };
	int s, n;

	for (n = 0; n < 3 && specs[n]; n++)
		ar_spec(&in[n], specs[n]);
	merge_list(in, n, out, cap);
	for (s = 0; s < n; s++)
		ar_free(&in[s]);
}

struct merge_case {
	const char *name;
	const char *streams[3];
	const char *want; /* the listing, or "!" and a part of the message */
};

static const struct merge_case cases[] = {
	{ "merge: .wh.NAME removes NAME of a lower stream, becomes a char 0:0 whiteout",
	  { "d:etc f:etc/a f:etc/b", "f:etc/.wh.a" },
	  "etc 5, etc/b 0=x, etc/a 3 0:0" },
	{ "merge: .wh.NAME of a directory removes what is under it too",
	  { "d:opt d:opt/d f:opt/d/x f:opt/y", "f:opt/.wh.d" },
	  "opt 5, opt/y 0=x, opt/d 3 0:0" },
	{ "merge: .wh..wh..opq drops the lower entries of its dir, sets the opaque xattr",
	  { "d:opt f:opt/x d:opt/sub f:opt/sub/y", "f:opt/.wh..wh..opq f:opt/z" },
	  "opt 5 opq, opt/z 0=x" },
	{ "merge: .wh..wh..opq of a dir no stream has an entry for",
	  { "f:top", "f:new/.wh..wh..opq f:new/z" },
	  "top 0=x, new 5 opq, new/z 0=x" },
	{ "merge: a whiteout does not remove its own stream's entry",
	  { "f:a=old", "f:.wh.a f:a=new" },
	  "a 0=new" },
	{ "merge: a whiteout and the entry in one stream: the entry, no whiteout",
	  { "f:.wh.a f:a=own" },
	  "a 0=own" },
	{ "merge: a file of a higher stream replaces the lower one",
	  { "f:a=low", "f:a=high" },
	  "a 0=high" },
	{ "merge: two directories merge, the lowest one is written",
	  { "d:etc f:etc/a", "d:etc f:etc/b" },
	  "etc 5, etc/a 0=x, etc/b 0=x" },
	{ "merge: a file replaces a lower directory and what is under it",
	  { "d:a f:a/x", "f:a" },
	  "a 0=x" },
	{ "merge: a directory replacing a lower file is opaque",
	  { "f:a", "d:a f:a/x" },
	  "a 5 opq, a/x 0=x" },
	{ "merge: AUFS .wh..wh.* bookkeeping is dropped",
	  { "f:.wh..wh.plnk f:b" },
	  "b 0=x" },
	{ "merge: a hard link in its own stream is kept",
	  { "f:a l:b>a" },
	  "a 0=x, b 1>a" },
	{ "merge: a hard link replaced by a higher stream goes, its target stays",
	  { "f:a l:b>a", "f:b=new" },
	  "a 0=x, b 0=new" },
	{ "merge: a hard link to a file a higher stream replaces is refused",
	  { "f:a l:b>a", "f:a=new" },
	  "!b: a hard link to a, which a higher part of the layer replaces or deletes" },
	{ "merge: a hard link to a file a higher stream whites out is refused",
	  { "f:a l:b>a", "f:.wh.a" },
	  "!b: a hard link to a, which a higher part of the layer replaces or deletes" },
	{ "merge: a hard link to a file of another stream is refused",
	  { "f:a", "l:b>a" },
	  "!b: a hard link to a, which is not a file of its archive" },
	{ "merge: a '..' in a path is refused",
	  { "f:a/../../etc/shadow" },
	  "!a/../../etc/shadow: a '..' in the path" },
	{ "merge: a '..' as the whole path is refused",
	  { "f:.." },
	  "!..: a '..' in the path" },
	{ "merge: a '..' in a hard link's target is refused",
	  { "f:a l:b>../a" },
	  "!b: a hard link to ../a: a '..' in its target" },
	{ "merge: a symbolic link's target is kept as it is, '..' too",
	  { "s:b>../a" },
	  "b 2>../a" },
	{ "merge: absolute and ./ paths are normalised",
	  { "d:/ d:/etc/ f:/etc//a f:./etc/./b l:/etc/c>/etc/a" },
	  "./ 5, etc 5, etc/a 0=x, etc/b 0=x, etc/c 1>etc/a" },
	{ "merge: a file twice in one stream is refused",
	  { "f:a f:./a" },
	  "!a: in the archive twice" },
	{ "merge: a directory and a file of one name in one stream is refused",
	  { "f:a d:a" },
	  "!a: a directory and a file of the same name" },
	{ "merge: a whiteout without a name is refused",
	  { "f:etc/.wh." },
	  "!etc/.wh.: a whiteout without a name" },
	{ "merge: a root that is not a directory is refused",
	  { "f:./" },
	  "!./: the root is not a directory" },
};

void test_merge(void)
{
	char got[LIST_MAX];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct merge_case *c = &cases[i];
		int ok;

		merge_specs(c->streams, got, sizeof(got));
		if (c->want[0] == '!')
			ok = got[0] == '!' && strstr(got, c->want + 1);
		else
			ok = !strcmp(got, c->want);
		check(ok, c->name, "want \"%s\", got \"%s\"", c->want, got);
	}
}
