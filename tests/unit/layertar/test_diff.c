// SPDX-License-Identifier: MIT
/*
 * layertar --diff, a table of cases: LOWER and FULL in ar_spec()'s notation,
 * and the diff as read back by the parser ("PATH TYPE@ATTRS=DATA", the
 * attributes only where they are not hdr_make()'s defaults), or "!ARCHIVE:
 * MESSAGE" for a refusal.
 *
 * Each diff is also laid on LOWER by a small model of overlayfs, once as it is
 * (OCI whiteouts) and once after the merge (overlayfs whiteouts, as mklayer
 * packs it), and what that shows must be FULL: each name's type, mode,
 * owner, mtime, xattrs, content and which names share an inode.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "diff.h"
#include "merge.h"

#define LIST_MAX 2048
#define FS_MAX	 64
#define MTIME	 1700000000ULL /* hdr_make()'s */

static int put_ar(void *ctx, const void *p, size_t n)
{
	ar_raw(ctx, p, n);
	return 0;
}

/* --- the listing of an archive ---------------------------------------------- */

static size_t say(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static size_t say(char *out, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(out);
	va_list ap;

	va_start(ap, fmt);
	if (n < cap)
		vsnprintf(out + n, cap - n, fmt, ap);
	va_end(ap);
	return strlen(out);
}

static uint64_t field(const unsigned char *h, size_t off, size_t len)
{
	uint64_t v = 0;

	(void)tar_number(h + off, len, &v);
	return v;
}

/* The pax records, "@xKEY=VALUE" for an xattr, "@pKEY=VALUE" for others. */
static void say_pax(const struct tar_entry *e, char *out, size_t cap)
{
	size_t off = 0;

	while (off < e->paxlen) {
		const char *rec = e->pax + off, *sp = strchr(rec, ' ');
		size_t len = strtoul(rec, NULL, 10);
		int x = !strncmp(sp + 1, "SCHILY.xattr.", 13);

		say(out, cap, "@%c%.*s", x ? 'x' : 'p', (int)(rec + len - 1 - sp - 1 - (x ? 13 : 0)),
		    sp + 1 + (x ? 13 : 0));
		off += len;
	}
}

static void describe(const struct tar_entry *e, char *out, size_t cap)
{
	char type = (char)e->hdr[156];
	uint64_t mode = field(e->hdr, 100, 8), t = field(e->hdr, 136, 12);

	say(out, cap, "%s%s %c", *out ? ", " : "", e->path, type);
	if (mode != (type == '5' ? 0755u : 0644u))
		say(out, cap, "@m%llo", (unsigned long long)mode);
	if (field(e->hdr, 108, 8) || field(e->hdr, 116, 8))
		say(out, cap, "@u%llu@g%llu", (unsigned long long)field(e->hdr, 108, 8),
		    (unsigned long long)field(e->hdr, 116, 8));
	if (t != MTIME)
		say(out, cap, "@t%llu", (unsigned long long)t);
	say_pax(e, out, cap);
	if (type == '3')
		say(out, cap, " %llu:%llu", (unsigned long long)field(e->hdr, 329, 8),
		    (unsigned long long)field(e->hdr, 337, 8));
	if (type == '1' || type == '2')
		say(out, cap, ">%s", e->link);
	if (type == '0')
		say(out, cap, "=%.*s", (int)e->size, (const char *)e->data);
}

static void list(const struct ar *a, char *out, size_t cap)
{
	struct tar_reader r;
	struct tar_entry e;
	struct lt_error err = { -1, "" };
	int rc;

	out[0] = '\0';
	tar_open(&r, a->buf, a->len);
	while ((rc = tar_next(&r, &e, &err)) == 1) {
		describe(&e, out, cap);
		tar_entry_free(&e);
	}
	if (rc)
		snprintf(out, cap, "!read back: %s", err.msg);
}

/* --- a model of overlayfs ----------------------------------------------------- */

struct node {
	char path[128], body[128], xattr[256];
	char type;
	uint64_t mode, uid, gid, mtime;
	int ino, live, opaque, whiteout, oci; /* oci: 1 .wh.X, 2 .wh..wh..opq */
};

struct fs {
	struct node n[FS_MAX];
	int count, ino;
	char why[128]; /* what the model could not do */
};

static int fs_find(const struct fs *f, const char *path)
{
	int i;

	for (i = 0; i < f->count; i++)
		if (f->n[i].live && !strcmp(f->n[i].path, path))
			return i;
	return -1;
}

static int is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !n ? *path != '\0' : !strncmp(path, dir, n) && path[n] == '/';
}

/* Remove path and, with self 0, only what is under it. */
static void fs_remove(struct fs *f, const char *path, int self)
{
	int i;

	for (i = 0; i < f->count; i++)
		if (is_under(f->n[i].path, path) || (self && !strcmp(f->n[i].path, path)))
			f->n[i].live = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The pax records the image keeps: uid, gid, mtime (seconds), xattrs. */
static void node_pax(struct node *n, const struct tar_entry *e)
{
	char *x[16];
	size_t off = 0, k = 0, i;

	while (off < e->paxlen && k < 16) {
		char *rec = e->pax + off, *sp = strchr(rec, ' ') + 1;
		size_t len = strtoul(rec, NULL, 10);

		rec[len - 1] = '\0'; /* the '\n' */
		if (!strncmp(sp, "uid=", 4))
			n->uid = strtoull(sp + 4, NULL, 10);
		else if (!strncmp(sp, "gid=", 4))
			n->gid = strtoull(sp + 4, NULL, 10);
		else if (!strncmp(sp, "mtime=", 6))
			n->mtime = strtoull(sp + 6, NULL, 10);
		else if (!strcmp(sp, "SCHILY.xattr.trusted.overlay.opaque=y"))
			n->opaque = 1;
		else if (!strncmp(sp, "SCHILY.xattr.", 13))
			x[k++] = sp + 13;
		off += len;
	}
	qsort(x, k, sizeof(*x), cmp_str);
	for (i = 0; i < k; i++)
		say(n->xattr, sizeof(n->xattr), "%s%s", i ? "," : "", x[i]);
}

static void node_of(struct node *n, const struct tar_entry *e, int ino)
{
	const char *name;
	char *path = NULL;

	memset(n, 0, sizeof(*n));
	(void)lt_normalise(e->path, &path);
	snprintf(n->path, sizeof(n->path), "%s", path ? path : "?");
	free(path);
	n->type = (char)e->hdr[156];
	n->mode = field(e->hdr, 100, 8);
	n->uid = field(e->hdr, 108, 8);
	n->gid = field(e->hdr, 116, 8);
	n->mtime = field(e->hdr, 136, 12);
	node_pax(n, e);
	if (n->type == '0')
		snprintf(n->body, sizeof(n->body), "%.*s", (int)e->size, (const char *)e->data);
	else if (n->type == '2')
		snprintf(n->body, sizeof(n->body), "%s", e->link);
	else if (n->type == '3')
		snprintf(n->body, sizeof(n->body), "%llu:%llu",
			 (unsigned long long)field(e->hdr, 329, 8),
			 (unsigned long long)field(e->hdr, 337, 8));
	n->whiteout = n->type == '3' && !strcmp(n->body, "0:0");
	name = strrchr(n->path, '/');
	name = name ? name + 1 : n->path;
	n->oci = !strcmp(name, ".wh..wh..opq") ? 2 : !strncmp(name, ".wh.", 4);
	n->ino = ino;
	n->live = 1;
}

/* tar2sqfs makes the directories an archive implies: 0755, root's, time 0. */
static void fill_parents(struct fs *f)
{
	int i, count = f->count;

	for (i = 0; i < count; i++) {
		char dir[sizeof(f->n[i].path)], *slash;

		memcpy(dir, f->n[i].path, sizeof(dir));
		while ((slash = strrchr(dir, '/')) && f->count < FS_MAX) {
			struct node *n = &f->n[f->count];

			*slash = '\0';
			if (fs_find(f, dir) >= 0)
				continue;
			memset(n, 0, sizeof(*n));
			memcpy(n->path, dir, sizeof(n->path));
			n->type = '5';
			n->mode = 0755;
			n->ino = ++f->ino;
			n->live = 1;
			f->count++;
		}
	}
}

/* Read an archive into the model; a hard link shares its target's inode. */
static void fs_read(struct fs *f, const struct ar *a)
{
	struct tar_reader r;
	struct tar_entry e;
	struct lt_error err = { -1, "" };

	tar_open(&r, a->buf, a->len);
	while (tar_next(&r, &e, &err) == 1 && f->count < FS_MAX) {
		struct node *n = &f->n[f->count];
		char *to = NULL, path[sizeof(n->path)];
		int t;

		node_of(n, &e, ++f->ino);
		memcpy(path, n->path, sizeof(path));
		if (n->type == '5' && fs_find(f, n->path) >= 0) {
			tar_entry_free(&e);
			continue; /* a directory twice: the first, as in layertar */
		}
		if (n->type == '1') {
			(void)lt_normalise(e.link, &to);
			t = to ? fs_find(f, to) : -1;
			if (t < 0)
				snprintf(f->why, sizeof(f->why), "%s: a link to %s, not in its archive",
					 n->path, e.link);
			else
				*n = f->n[t];
			memcpy(n->path, path, sizeof(path));
			free(to);
		}
		f->count++;
		tar_entry_free(&e);
	}
	fill_parents(f);
}

/* What the upper layer removes of the lower one: whiteouts, opaque dirs. */
static void remove_lower(struct fs *low, const struct node *u)
{
	char dir[128];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", u->path);
	slash = strrchr(dir, '/');
	if (u->oci == 1)
		snprintf(slash ? slash + 1 : dir, sizeof(dir) - (slash ? slash + 1 - dir : 0), "%s",
			 strrchr(u->path, '/') ? strrchr(u->path, '/') + 5 : u->path + 4);
	else if (u->oci == 2)
		*(slash ? slash : dir) = '\0';
	if (u->oci == 1 || u->whiteout)
		fs_remove(low, dir, 1);
	else if (u->oci == 2 || (u->type == '5' && u->opaque))
		fs_remove(low, dir, 0);
}

/* Lay upper on low: what overlayfs would show, name by name. */
static void overlay(struct fs *low, const struct ar *upper)
{
	struct fs *up = calloc(1, sizeof(*up));
	int i, at;

	up->ino = 1000;
	fs_read(up, upper);
	if (up->why[0])
		snprintf(low->why, sizeof(low->why), "%s", up->why);
	for (i = 0; i < up->count; i++)
		remove_lower(low, &up->n[i]);
	for (i = 0; i < up->count && low->count < FS_MAX; i++) {
		const struct node *u = &up->n[i];

		if (u->oci || u->whiteout)
			continue;
		at = fs_find(low, u->path);
		if (at >= 0 && (low->n[at].type != '5' || u->type != '5'))
			fs_remove(low, u->path, 1);
		if (at >= 0 && low->n[at].live)
			low->n[at] = *u; /* a directory: the upper one's attributes */
		else
			low->n[low->count++] = *u;
	}
	free(up);
}

/* The model's tree: "PATH TYPE MODE UID GID MTIME XATTRS BODY ino=FIRST". */
static void fs_list(const struct fs *f, char *out, size_t cap)
{
	const char *lines[FS_MAX];
	char buf[FS_MAX][512];
	int i, j, k = 0;

	for (i = 0; i < f->count; i++) {
		const struct node *n = &f->n[i];
		const char *first = n->path;

		if (!n->live)
			continue;
		for (j = 0; j < f->count; j++)
			if (f->n[j].live && f->n[j].ino == n->ino && strcmp(f->n[j].path, first) < 0)
				first = f->n[j].path;
		snprintf(buf[k], sizeof(buf[k]), "%s %c %llo %llu %llu %llu [%s] %s ino=%s", n->path,
			 n->type, (unsigned long long)n->mode, (unsigned long long)n->uid,
			 (unsigned long long)n->gid, (unsigned long long)n->mtime, n->xattr, n->body,
			 n->type == '5' ? "-" : first);
		lines[k] = buf[k];
		k++;
	}
	qsort(lines, k, sizeof(*lines), cmp_str);
	out[0] = '\0';
	for (i = 0; i < k; i++)
		say(out, cap, "%s%s", i ? "; " : "", lines[i]);
}

/* --- running a case ---------------------------------------------------------- */

static int run_diff(const struct ar *low, const struct ar *full, struct ar *out, char *msg,
		    size_t cap)
{
	static const char *const names[] = { "LOWER", "FULL" };
	struct lt_error err = { -1, "" };
	int rc = tar_diff(low->buf, low->len, full->buf, full->len, put_ar, out, &err);

	if (rc)
		snprintf(msg, cap, "!%s: %s", err.stream >= 0 ? names[err.stream] : "output",
			 err.msg);
	return rc;
}

/* The merge of n streams (the diff alone is how mklayer packs it). */
static int merged(const struct ar *in, int n, struct ar *out, char *msg, size_t cap)
{
	struct lt_error err = { -1, "" };
	struct merge *m = merge_new();
	int s, rc = 0;

	for (s = 0; s < n && !rc; s++)
		rc = merge_stream(m, s, in[s].buf, in[s].len, &err);
	if (!rc)
		rc = merge_write(m, put_ar, out, &err);
	if (rc)
		snprintf(msg, cap, "merge refused the diff: %s", err.msg);
	merge_free(m);
	return rc;
}

/* FULL as the model shows it, and LOWER with the upper layer on top. */
static void shows(const struct ar *low, const struct ar *full, const struct ar *upper,
		  char *want, char *got, size_t cap)
{
	struct fs *f = calloc(1, sizeof(*f)), *l = calloc(1, sizeof(*l));

	fs_read(f, full);
	fs_list(f, want, cap);
	fs_read(l, low);
	overlay(l, upper);
	if (l->why[0])
		snprintf(got, cap, "!%s", l->why);
	else
		fs_list(l, got, cap);
	free(f);
	free(l);
}

static void check_overlay(const char *name, const struct ar *low, const struct ar *full,
			  const struct ar *diff)
{
	static char want[LIST_MAX * 2], got[LIST_MAX * 2];
	char label[256], msg[512];
	struct ar m = { 0 };

	shows(low, full, diff, want, got, sizeof(want));
	snprintf(label, sizeof(label), "%s: on LOWER it shows FULL", name);
	check(!strcmp(want, got), label, "want \"%s\", got \"%s\"", want, got);
	snprintf(label, sizeof(label), "%s: merged, on LOWER it shows FULL", name);
	if (merged(diff, 1, &m, msg, sizeof(msg))) {
		check(0, label, "%s", msg);
	} else {
		shows(low, full, &m, want, got, sizeof(want));
		check(!strcmp(want, got), label, "want \"%s\", got \"%s\"", want, got);
	}
	ar_free(&m);
}

struct diff_case {
	const char *name;
	const char *lower, *full;
	const char *want; /* the listing, or "!" and a part of the message */
};

static const struct diff_case cases[] = {
	{ "diff: an unchanged tree gives an empty diff",
	  "d:./ d:etc@m0700 f:etc/a@xuser.k=v l:etc/b>etc/a s:etc/s>a c:null@d1:3",
	  "d:./ d:etc@m0700 f:etc/a@xuser.k=v l:etc/b>etc/a s:etc/s>a c:null@d1:3", "" },
	{ "diff: an added file comes with its parents, as FULL has them",
	  "d:./@t1 d:usr@m0700@u3 d:usr/bin f:usr/bin/a d:var",
	  "d:./@t1 d:usr@m0700@u3 d:usr/bin f:usr/bin/a f:usr/bin/b=new d:var",
	  "./ 5@t1, usr 5@m700@u3@g0, usr/bin 5, usr/bin/b 0=new" },
	{ "diff: changed content", "d:etc f:etc/a=1 f:etc/b", "d:etc f:etc/a=2 f:etc/b",
	  "etc 5, etc/a 0=2" },
	{ "diff: changed content of the same size is compared byte for byte",
	  "f:a=abcdef", "f:a=abcdeg", "a 0=abcdeg" },
	{ "diff: a changed mode (setuid)", "d:bin f:bin/su@m0755", "d:bin f:bin/su@m4755",
	  "bin 5, bin/su 0@m4755=x" },
	{ "diff: a changed owner", "f:a@u5@g5", "f:a@u5@g6", "a 0@u5@g6=x" },
	{ "diff: a changed pax uid", "f:a", "f:a@puid=70000", "a 0@puid=70000=x" },
	{ "diff: a changed mtime", "f:a", "f:a@t5", "a 0@t5=x" },
	{ "diff: a changed mode of a directory writes it alone", "d:a f:a/x", "d:a@m0700 f:a/x",
	  "a 5@m700" },
	{ "diff: a changed xattr", "f:a@xuser.k=1", "f:a@xuser.k=2", "a 0@xuser.k=2=x" },
	{ "diff: an added xattr", "f:a", "f:a@xsecurity.capability=c", "a 0@xsecurity.capability=c=x" },
	{ "diff: xattrs in another order are the same", "f:a@xuser.a=1@xuser.b=2",
	  "f:a@xuser.b=2@xuser.a=1", "" },
	{ "diff: atime, ctime and a fraction of the mtime are not kept, not compared",
	  "f:a@patime=1@pctime=1", "f:a@patime=2@pctime=3@pmtime=1700000000.25", "" },
	{ "diff: a removed file becomes a whiteout", "d:etc f:etc/a f:etc/b", "d:etc f:etc/b",
	  "etc 5, etc/.wh.a 0@m0=" },
	{ "diff: a removed directory is one whiteout",
	  "d:opt@t9 d:opt/d f:opt/d/x d:opt/d/e f:opt/d/e/y f:opt/k", "d:opt@t9 f:opt/k",
	  "opt 5@t9, opt/.wh.d 0@m0@t9=" },
	{ "diff: a removed directory that has no entry is one whiteout",
	  "f:opt/d/x f:opt/d/y", "f:opt/z", "opt/.wh.d 0@m0@t0=, opt/z 0=x" },
	{ "diff: a file becomes a directory, made opaque", "d:a f:a/f",
	  "d:a d:a/f f:a/f/x", "a 5, a/f 5, a/f/.wh..wh..opq 0@m0=, a/f/x 0=x" },
	{ "diff: a directory becomes a file, no whiteouts under it", "d:a d:a/d f:a/d/x s:a/d/s>x",
	  "d:a f:a/d=file", "a 5, a/d 0=file" },
	{ "diff: a directory becomes a symbolic link", "d:lib d:lib/x f:lib/x/y", "s:lib>usr/lib",
	  "lib 2>usr/lib" },
	{ "diff: a file becomes a symbolic link", "f:a", "s:a>b", "a 2>b" },
	{ "diff: a changed symbolic link target", "s:a>x", "s:a>y", "a 2>y" },
	{ "diff: a changed device number", "d:dev c:dev/c@d1:3", "d:dev c:dev/c@d1:5",
	  "dev 5, dev/c 3 1:5" },
	{ "diff: a changed root is written", "d:./@t1 f:a", "d:./@t2 f:a", "./ 5@t2" },
	{ "diff: a new hard link to an unchanged file writes the file too", "f:a f:c",
	  "f:a l:b>a f:c", "a 0=x, b 1>a" },
	{ "diff: a changed file writes its unchanged hard link too", "f:a=1 l:b>a f:c",
	  "f:a=2 l:b>a f:c", "a 0=2, b 1>a" },
	{ "diff: a group is written as its first name and links to it", "f:z=1 l:a>z",
	  "f:z=2 l:a>z", "a 0=2, z 1>a" },
	{ "diff: an unchanged group stays out", "f:a l:b>a f:c=1", "f:a l:b>a f:c=2", "c 0=2" },
	{ "diff: a pair split into two files writes both", "f:a l:b>a", "f:a f:b=x",
	  "a 0=x, b 0=x" },
	{ "diff: two files joined into a pair writes both", "f:a f:b", "f:a l:b>a",
	  "a 0=x, b 1>a" },
	{ "diff: a name that moves to another group", "f:a=1 f:b=2 l:c>a", "f:a=1 f:b=2 l:c>b",
	  "a 0=1, b 0=2, c 1>b" },
	{ "diff: a removed name of a pair writes the other", "f:a l:b>a", "f:a",
	  ".wh.b 0@m0@t0=, a 0=x" },
	{ "diff: a hard link to a symbolic link", "s:s>t", "s:s>t l:h>s", "h 2>t, s 1>h" },
	{ "diff: a directory twice: the first is kept, as in the merge", "d:a",
	  "d:a d:a@m0700", "" },
	{ "diff: a '..' in FULL is refused", "f:a", "f:a/../../x",
	  "!FULL: a/../../x: a '..' in the path" },
	{ "diff: a '..' in LOWER is refused", "f:../x", "f:a", "!LOWER: ../x: a '..' in the path" },
	{ "diff: a '..' in a hard link's target is refused", "f:a", "f:a l:b>../a",
	  "!FULL: b: a hard link to ../a: a '..' in its target" },
	{ "diff: a file twice is refused", "f:a", "f:a f:./a", "!FULL: a: in the archive twice" },
	{ "diff: a directory and a file of one name are refused", "d:a f:a", "f:a",
	  "!LOWER: a: a directory and a file of the same name" },
	{ "diff: a directory twice, then a file of its name, is refused (each entry freed once)",
	  "f:x", "d:a d:a f:b f:a", "!FULL: a: a directory and a file of the same name" },
	{ "diff: a whiteout name in a full tree is refused", "f:a", "f:.wh.a",
	  "!FULL: .wh.a: a whiteout name in a full tree" },
	{ "diff: an entry under a file is refused", "f:a", "f:a f:a/b",
	  "!FULL: a/b: under a, which is not a directory" },
	{ "diff: a hard link to a later name is refused", "f:a", "l:b>a f:a",
	  "!FULL: b: a hard link to a, which is not a file before it in its archive" },
	{ "diff: a hard link to a directory is refused", "f:a", "d:d l:b>d",
	  "!FULL: b: a hard link to d, which is not a file before it in its archive" },
	{ "diff: a root that is not a directory is refused", "f:./", "f:a",
	  "!LOWER: ./: the root is not a directory" },
};

static void one_case(const struct diff_case *c)
{
	struct ar low = { 0 }, full = { 0 }, out = { 0 }, again = { 0 };
	char got[LIST_MAX] = "", label[256];
	int ok, rc;

	ar_spec(&low, c->lower);
	ar_spec(&full, c->full);
	rc = run_diff(&low, &full, &out, got, sizeof(got));
	if (!rc)
		list(&out, got, sizeof(got));
	if (c->want[0] == '!')
		ok = got[0] == '!' && strstr(got, c->want + 1);
	else
		ok = !strcmp(got, c->want);
	check(ok, c->name, "want \"%s\", got \"%s\"", c->want, got);
	if (!rc && c->want[0] != '!') {
		check_overlay(c->name, &low, &full, &out);
		rc = run_diff(&low, &full, &again, got, sizeof(got));
		snprintf(label, sizeof(label), "%s: the same bytes twice", c->name);
		check(!rc && again.len == out.len && !memcmp(again.buf, out.buf, out.len), label,
		      "%zu and %zu bytes", out.len, again.len);
	}
	ar_free(&low);
	ar_free(&full);
	ar_free(&out);
	ar_free(&again);
}

/* An unchanged tree: the diff is the end of an archive and nothing else. */
static void empty_is_end(void)
{
	static const unsigned char zero[2 * TAR_BLOCK];
	struct ar a = { 0 }, out = { 0 };
	char msg[512] = "";

	ar_spec(&a, "d:./ d:etc f:etc/a l:etc/b>etc/a");
	(void)run_diff(&a, &a, &out, msg, sizeof(msg));
	check(out.len == sizeof(zero) && !memcmp(out.buf, zero, sizeof(zero)),
	      "diff: an unchanged tree is two zero blocks", "%zu bytes %s", out.len, msg);
	ar_free(&a);
	ar_free(&out);
}

static void truncated(void)
{
	struct ar low = { 0 }, full = { 0 }, out = { 0 };
	char msg[512] = "";

	ar_spec(&low, "f:a");
	ar_spec(&full, "f:a=abc f:b");
	full.len = TAR_BLOCK + 100; /* inside a's data */
	(void)run_diff(&low, &full, &out, msg, sizeof(msg));
	check(!strncmp(msg, "!FULL: ", 7) && strstr(msg, "a (byte 0): truncated"),
	      "diff: a truncated archive is refused by name", "got \"%s\"", msg);
	ar_free(&low);
	ar_free(&full);
	ar_free(&out);
}

/* Whiteouts go, and what a directory is but a name. */
static void names_and_files(struct fs *f)
{
	int i;

	for (i = 0; i < f->count; i++) {
		struct node *n = &f->n[i];

		if (n->whiteout)
			n->live = 0;
		if (n->type == '5') {
			n->mode = n->uid = n->gid = n->mtime = 0;
			n->xattr[0] = '\0';
		}
	}
}

/*
 * LOWER and DIFF merged as two streams show FULL's names and files. The
 * merge keeps the lowest stream's directory attributes and writes whiteouts
 * again for the layers below: neither is compared here.
 */
static void merge_over_lower(void)
{
	static const char lower[] = "d:./ d:etc f:etc/a=1 f:etc/gone d:usr d:usr/bin "
				    "f:usr/bin/x=x l:usr/bin/y>usr/bin/x s:usr/lib>lib d:old f:old/o";
	static const char fullspec[] = "d:./ d:etc f:etc/a=2 d:etc/new f:etc/new/n d:usr "
				       "d:usr/bin f:usr/bin/x=x@m4755 l:usr/bin/y>usr/bin/x "
				       "d:usr/lib f:usr/lib/l f:old";
	struct ar in[2] = { { 0 } }, full = { 0 }, m = { 0 };
	struct fs *want = calloc(1, sizeof(*want)), *got = calloc(1, sizeof(*got));
	static char w[LIST_MAX * 2], g[LIST_MAX * 2];

	ar_spec(&in[0], lower);
	ar_spec(&full, fullspec);
	if (run_diff(&in[0], &full, &in[1], g, sizeof(g)) || merged(in, 2, &m, g, sizeof(g))) {
		check(0, "diff: LOWER and the diff, merged, have FULL's names and files", "%s", g);
	} else {
		fs_read(want, &full);
		fs_read(got, &m);
		names_and_files(want);
		names_and_files(got);
		fs_list(want, w, sizeof(w));
		fs_list(got, g, sizeof(g));
		check(!strcmp(w, g) && strstr(g, "usr/bin/x 0 4755"),
		      "diff: LOWER and the diff, merged, have FULL's names and files",
		      "want \"%s\", got \"%s\"", w, g);
	}
	free(want);
	free(got);
	ar_free(&in[0]);
	ar_free(&in[1]);
	ar_free(&full);
	ar_free(&m);
}

void test_diff(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		one_case(&cases[i]);
	empty_is_end();
	truncated();
	merge_over_lower();
}
