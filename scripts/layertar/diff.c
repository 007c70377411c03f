// SPDX-License-Identifier: MIT
/*
 * layertar --diff: the layer that, laid by overlayfs on top of LOWER, shows
 * FULL. mklayer needs it for a Debian layer above another one: mmdebstrap
 * builds the whole tree of both package sets (FULL), and the layer must hold
 * only what the upper set adds to the lower's tree (LOWER). The output is a
 * tar stream of the OCI kind, read by layertar's merge as the bottom stream
 * (which turns the whiteouts into overlayfs ones) and by tar2sqfs.
 *
 * What a name shows in the image is its inode: type, mode with the setuid,
 * setgid and sticky bits, uid, gid, mtime in seconds (squashfs keeps no
 * more), the content bytes, a symbolic link's target, device numbers, and the
 * pax records the archive kept (the SCHILY.xattr.* ones above all). The
 * records of times and names the image does not keep (atime, ctime, uname,
 * gname, comment, charset, hdrcharset) are not compared, so that two tars of
 * one tree made a minute apart have no difference.
 *
 * The rules:
 *   - A path of FULL that LOWER lacks, or has with another inode, is written.
 *   - A path of LOWER that FULL lacks becomes DIR/.wh.NAME, for the topmost
 *     such path only: the whiteout of a directory hides all under it. Nothing
 *     when FULL has a file where LOWER has its parent directory: overlayfs
 *     shows an upper non-directory and nothing of the lower directory.
 *   - A directory of FULL where LOWER has a non-directory is written with
 *     DIR/.wh..wh..opq, so that it is opaque: overlayfs already stops its
 *     lookup at the lower non-directory, but an opaque directory says so in
 *     the image, as the merge does for a directory replacing a file.
 *   - Every written path's parent directories are written too, with FULL's
 *     owner, mode and mtime: overlayfs shows the upper directory's attributes,
 *     and without an entry tar2sqfs would make a 0755 root one. (A directory
 *     FULL implies without an entry has nothing to write: tar2sqfs makes it.)
 *   - Hard links: names that share an inode are a group. A group is unchanged
 *     when LOWER has exactly the same names, as one group, with an equal
 *     inode; otherwise all of its names are written, as one file (its first
 *     name in output order, with the inode's header, records and data) and
 *     hard links to it for the others. So a new name linked to an unchanged
 *     file writes the file too, a changed file writes its unchanged links
 *     too, and a group that is split or joined is written as FULL has it:
 *     overlayfs resolves names one by one, and an upper file for one name of
 *     a lower pair would split the pair.
 *   - The output is sorted by path, '/' before any other byte (the order of
 *     tar --sort=name), one entry per path: byte-identical across runs.
 *
 * Refused, naming the archive and the entry, as the merge does: a '..' in a
 * path or a hard link's target, a path twice (a directory twice: the first
 * is kept), an entry type the merge refuses, a root that is not a directory,
 * a truncated archive. Also refused, as they could not come out right: a .wh.
 * name (a full tree has no whiteouts; the merge would read one as such), a
 * file with entries under it, and a hard link to what is not a file before it
 * in its archive (tar extracts a link only to a name it has already made).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "merge.h"

#define NONE	     SIZE_MAX
#define WH_PREFIX    ".wh."
#define WH_OPAQUE    ".wh..wh..opq"

/* One entry of an archive: its header and data stay in the mapping. */
struct dent {
	char *path; /* normalised; "" is the root */
	size_t len;
	char *link; /* symbolic: as it is; hard: normalised */
	char *pax;  /* the records the parser kept */
	size_t paxlen;
	const unsigned char *hdr, *data;
	uint64_t size;
	size_t seq; /* place in the archive */
	char type;
	size_t target; /* hard link: its target's index */
	size_t root;   /* the index of the entry that holds this name's inode */
	size_t nlinks; /* on a root: the names that share its inode */
	/* What the diff decided, for FULL's entries. */
	size_t lower;  /* on a root: the lower root its group has, NONE if none yet */
	size_t leader; /* on a root: the name written as the file */
	unsigned char mismatch, write, up_done;
};

struct tree {
	struct dent *e;
	size_t n, cap;
	int stream;
};

enum has { ABSENT, NONDIR, DIR_ENTRY, DIR_IMPLIED };

enum ikind { I_ENTRY, I_LINK, I_MARK };

/* One output entry. */
struct item {
	const char *path;
	size_t len;
	char *owned; /* the path of a whiteout or opaque marker, made here */
	enum ikind kind;
	const struct dent *src; /* the inode written, or a marker's directory */
	const char *link;	/* I_LINK: the name written as the file */
};

struct diff {
	struct tree lower, full;
	struct item *items;
	size_t nitems, cap;
	struct lt_error *err;
};

/* --- paths ----------------------------------------------------------------- */

static int rank(const char *p, size_t len, size_t i)
{
	if (i == len)
		return 0;
	return p[i] == '/' ? 1 : (unsigned char)p[i] + 1;
}

/* Order of paths: a directory's entries right after it, before its siblings. */
static int cmp_path(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0;

	while (i < an && i < bn && a[i] == b[i])
		i++;
	return rank(a, an, i) - rank(b, bn, i);
}

static size_t parent_len(const char *path, size_t len)
{
	while (len && path[len - 1] != '/')
		len--;
	return len ? len - 1 : 0;
}

static int under(const struct dent *e, const char *p, size_t len)
{
	return e->len > len && !memcmp(e->path, p, len) && (len == 0 || e->path[len] == '/');
}

/* The first entry not before p[0, len). */
static size_t lower_bound(const struct tree *t, const char *p, size_t len)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_path(t->e[mid].path, t->e[mid].len, p, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* What t has at p[0, len); *at its entry, or NULL. The root is a directory. */
static enum has has(const struct tree *t, const char *p, size_t len, struct dent **at)
{
	size_t i = lower_bound(t, p, len);

	*at = NULL;
	if (i < t->n && t->e[i].len == len && !memcmp(t->e[i].path, p, len)) {
		*at = &t->e[i];
		return t->e[i].type == '5' ? DIR_ENTRY : NONDIR;
	}
	/* Entries under p come right after where p would be. */
	if (len == 0 || (i < t->n && under(&t->e[i], p, len)))
		return DIR_IMPLIED;
	return ABSENT;
}

static int is_dir(enum has h)
{
	return h == DIR_ENTRY || h == DIR_IMPLIED;
}

/* --- reading --------------------------------------------------------------- */

static void tree_free(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->e[i].path);
		free(t->e[i].link);
		free(t->e[i].pax);
	}
	free(t->e);
	memset(t, 0, sizeof(*t));
}

static struct dent *new_dent(struct tree *t)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct dent *e = realloc(t->e, cap * sizeof(*e));

		if (!e)
			return NULL;
		t->e = e;
		t->cap = cap;
	}
	memset(&t->e[t->n], 0, sizeof(*t->e));
	t->e[t->n].seq = t->n;
	return &t->e[t->n++];
}

static int whiteout_name(const char *path)
{
	const char *name = strrchr(path, '/');

	return !strncmp(name ? name + 1 : path, WH_PREFIX, strlen(WH_PREFIX));
}

/* The names of t, normalised into e (lt_take_names); t->link is used up. */
static int take_names(struct dent *e, struct tar_entry *t, struct lt_error *err)
{
	int rc = lt_take_names(e->type, t, &e->path, &e->link, err);

	if (!rc)
		e->len = strlen(e->path);
	return rc;
}

static int add_dent(struct tree *tr, struct tar_entry *t, struct lt_error *err)
{
	char type = tar_type(t->hdr);
	struct dent *e;
	int rc;

	if (!strchr("0123456", type))
		return lt_fail(err, -EINVAL, "%s: unsupported entry type '%c'", t->path, type);
	e = new_dent(tr);
	if (!e)
		return -ENOMEM;
	e->type = type;
	e->hdr = t->hdr;
	e->data = t->data;
	e->size = t->size;
	e->pax = t->pax;
	e->paxlen = t->paxlen;
	t->pax = NULL;
	rc = take_names(e, t, err);
	if (rc)
		return rc;
	if (!*e->path && type != '5')
		return lt_fail(err, -EINVAL, "%s: the root is not a directory", t->path);
	if (whiteout_name(e->path))
		return lt_fail(err, -EINVAL, "%s: a whiteout name in a full tree", e->path);
	return 0;
}

static int cmp_dent(const void *a, const void *b)
{
	const struct dent *x = a, *y = b;
	int c = cmp_path(x->path, x->len, y->path, y->len);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void drop(struct dent *e)
{
	free(e->path);
	free(e->link);
	free(e->pax);
}

/* Is e, right after k in order, a second entry of k's path or one under a file? */
static int clash(const struct dent *k, const struct dent *e, struct lt_error *err)
{
	if (k->len == e->len && !memcmp(k->path, e->path, e->len)) {
		if (k->type == '5' && e->type == '5')
			return 1; /* the same directory twice: the first is kept */
		return lt_fail(err, -EINVAL, "%s: %s", e->path,
			       k->type == '5' || e->type == '5' ?
				       "a directory and a file of the same name" :
				       "in the archive twice");
	}
	if (k->type != '5' && under(e, k->path, k->len))
		return lt_fail(err, -EINVAL, "%s: under %s, which is not a directory", e->path,
			       k->path);
	return 0;
}

/* After sorting: one entry a path, and a tree. */
static int one_each(struct tree *t, struct lt_error *err)
{
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < t->n; i++) {
		rc = n ? clash(&t->e[n - 1], &t->e[i], err) : 0;
		if (rc < 0)
			break;
		if (rc)
			drop(&t->e[i]);
		else
			t->e[n++] = t->e[i];
	}
	/* On a refusal, the entries not looked at yet follow the kept ones,
	 * so that tree_free() frees each once. */
	if (i < t->n)
		memmove(&t->e[n], &t->e[i], (t->n - i) * sizeof(*t->e));
	t->n = n + (t->n - i);
	return rc < 0 ? rc : 0;
}

/* Each name's inode: the entry at the end of its chain of hard links. */
static int resolve_links(struct tree *t, struct lt_error *err)
{
	size_t i, j, r;

	for (i = 0; i < t->n; i++) {
		struct dent *e = &t->e[i], *to;

		e->root = e->type == '1' ? NONE : i;
		if (e->type != '1')
			continue;
		if (has(t, e->link, strlen(e->link), &to) != NONDIR || to->seq >= e->seq)
			return lt_fail(err, -EINVAL,
				       "%s: a hard link to %s, which is not a file before it in its archive",
				       e->path, e->link);
		e->target = (size_t)(to - t->e);
	}
	/* A target comes earlier in the archive: the chains end, no loops. */
	for (i = 0; i < t->n; i++) {
		for (j = i; t->e[j].root == NONE; j = t->e[j].target)
			;
		r = t->e[j].root;
		for (j = i; t->e[j].root == NONE; j = t->e[j].target)
			t->e[j].root = r;
		t->e[r].nlinks++;
	}
	return 0;
}

static int read_tree(struct tree *t, int s, const unsigned char *map, uint64_t len,
		     struct lt_error *err)
{
	struct tar_reader r;
	struct tar_entry te;
	int rc;

	t->stream = s;
	err->stream = s;
	tar_open(&r, map, len);
	while ((rc = tar_next(&r, &te, err)) == 1) {
		rc = add_dent(t, &te, err);
		tar_entry_free(&te);
		if (rc)
			break;
	}
	if (!rc) {
		if (t->n)
			qsort(t->e, t->n, sizeof(*t->e), cmp_dent);
		rc = one_each(t, err);
	}
	if (!rc)
		rc = resolve_links(t, err);
	return rc == -ENOMEM ? lt_fail(err, rc, "out of memory") : rc;
}

/* --- comparing ------------------------------------------------------------- */

/* A number from a header field or a pax record; one that does not read as a
 * number (tar2sqfs will say so) is compared as the bytes it is. */
struct num {
	int ok, neg;
	uint64_t v;
	const void *raw;
	size_t rawlen;
};

static int num_eq(struct num a, struct num b)
{
	if (!a.ok || !b.ok)
		return !a.ok && !b.ok && a.rawlen == b.rawlen && !memcmp(a.raw, b.raw, a.rawlen);
	return a.v == b.v && (a.neg == b.neg || a.v == 0);
}

static struct num hdr_num(const unsigned char *h, size_t off, size_t len)
{
	struct num n = { 1, 0, 0, h + off, len };

	n.ok = !tar_number(h + off, len, &n.v);
	return n;
}

/* Decimal digits, a '-' before them if sign, a fraction after them if frac. */
static struct num pax_num(const char *s, size_t len, int sign, int frac)
{
	struct num n = { 0, 0, 0, s, len };
	size_t i = 0, digits;

	if (sign && len && s[0] == '-') {
		n.neg = 1;
		i++;
	}
	for (digits = i; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (n.v > (UINT64_MAX - 9) / 10)
			return n;
		n.v = n.v * 10 + (s[i] - '0');
	}
	if (i == digits)
		return n;
	if (frac && i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			;
	n.ok = i == len;
	return n;
}

struct rec {
	const char *key, *val;
	size_t klen, vlen, seq;
};

/* The record at p, of the parser's making ("LEN KEY=VALUE\n"); 0 or -1. */
static int next_record(const char *p, size_t left, struct rec *r, size_t *used)
{
	size_t i, n = 0;
	const char *eq;

	for (i = 0; i < left && p[i] >= '0' && p[i] <= '9' && n <= left; i++)
		n = n * 10 + (p[i] - '0');
	if (!i || i >= left || p[i] != ' ' || n > left || n < i + 3)
		return -1;
	r->key = p + i + 1;
	eq = memchr(r->key, '=', p + n - 1 - r->key);
	if (!eq)
		return -1;
	r->klen = eq - r->key;
	r->val = eq + 1;
	r->vlen = p + n - 1 - r->val;
	*used = n;
	return 0;
}

static int key_is(const struct rec *r, const char *key)
{
	return r->klen == strlen(key) && !memcmp(r->key, key, r->klen);
}

/* What the image keeps of an entry's inode, but its type and content. */
struct meta {
	struct num mode, uid, gid, mtime;
	struct rec *recs; /* the other records, by key, the last of each key */
	size_t nrecs;
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A record the image has no place for, or one compared as a number. */
static int not_kept(struct meta *m, const struct rec *r)
{
	static const char *const ignored[] = { "atime", "ctime",   "uname",	 "gname",
					       "comment", "charset", "hdrcharset" };
	struct num *num = NULL;
	size_t i;

	if (key_is(r, "uid"))
		num = &m->uid;
	else if (key_is(r, "gid"))
		num = &m->gid;
	else if (key_is(r, "mtime"))
		num = &m->mtime;
	if (num) {
		/* A pax number wins over the header's; a time may be negative
		 * or have a fraction, of which squashfs keeps the seconds. */
		*num = pax_num(r->val, r->vlen, num == &m->mtime, num == &m->mtime);
		return 1;
	}
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (key_is(r, ignored[i]))
			return 1;
	return 0;
}

/* The records m keeps, sorted, the last of each key (as pax reads them). */
static int kept_records(struct meta *m, const struct dent *e)
{
	size_t off = 0, used, i, n = 0;
	struct rec r;

	m->recs = malloc((e->paxlen / 5 + 1) * sizeof(*m->recs)); /* "5 K=\n" the least */
	if (!m->recs)
		return -ENOMEM;
	while (off < e->paxlen && !next_record(e->pax + off, e->paxlen - off, &r, &used)) {
		off += used;
		r.seq = n;
		if (!not_kept(m, &r))
			m->recs[n++] = r;
	}
	if (n)
		qsort(m->recs, n, sizeof(*m->recs), cmp_rec);
	for (i = 0, m->nrecs = 0; i < n; i++)
		if (i + 1 == n || m->recs[i + 1].klen != m->recs[i].klen ||
		    memcmp(m->recs[i + 1].key, m->recs[i].key, m->recs[i].klen) != 0)
			m->recs[m->nrecs++] = m->recs[i];
	return 0;
}

static int meta_of(struct meta *m, const struct dent *e)
{
	m->mode = hdr_num(e->hdr, 100, 8);
	m->mode.v &= 07777; /* some tars add the S_IF* type bits */
	m->uid = hdr_num(e->hdr, 108, 8);
	m->gid = hdr_num(e->hdr, 116, 8);
	m->mtime = hdr_num(e->hdr, 136, 12);
	return kept_records(m, e);
}

static int records_eq(const struct meta *a, const struct meta *b)
{
	size_t i;

	if (a->nrecs != b->nrecs)
		return 0;
	for (i = 0; i < a->nrecs; i++) {
		const struct rec *x = &a->recs[i], *y = &b->recs[i];

		if (x->klen != y->klen || x->vlen != y->vlen || memcmp(x->key, y->key, x->klen) != 0 ||
		    memcmp(x->val, y->val, x->vlen) != 0)
			return 0;
	}
	return 1;
}

/* 1: the same attributes, 0: not, -ENOMEM. */
static int same_meta(const struct dent *a, const struct dent *b)
{
	struct meta x = { 0 }, y = { 0 };
	int rc = meta_of(&x, a);

	if (!rc)
		rc = meta_of(&y, b);
	if (!rc)
		rc = num_eq(x.mode, y.mode) && num_eq(x.uid, y.uid) && num_eq(x.gid, y.gid) &&
		     num_eq(x.mtime, y.mtime) && records_eq(&x, &y);
	free(x.recs);
	free(y.recs);
	return rc;
}

/* Two inodes (roots): 1 the same, 0 not, -ENOMEM. Content on the mappings. */
static int same_inode(const struct dent *a, const struct dent *b)
{
	if (a->type != b->type || a->size != b->size)
		return 0;
	if (a->type == '2' && strcmp(a->link, b->link) != 0)
		return 0;
	if ((a->type == '3' || a->type == '4') &&
	    (!num_eq(hdr_num(a->hdr, 329, 8), hdr_num(b->hdr, 329, 8)) ||
	     !num_eq(hdr_num(a->hdr, 337, 8), hdr_num(b->hdr, 337, 8))))
		return 0;
	if (a->size && memcmp(a->data, b->data, a->size) != 0)
		return 0;
	return same_meta(a, b);
}

/* --- deciding -------------------------------------------------------------- */

/* Which lower inode the names of each full group have: one, or a mismatch. */
static void match_groups(struct diff *d)
{
	size_t i;

	for (i = 0; i < d->full.n; i++)
		d->full.e[i].lower = d->full.e[i].leader = NONE;
	for (i = 0; i < d->full.n; i++) {
		const struct dent *e = &d->full.e[i];
		struct dent *r = &d->full.e[e->root], *l;

		if (e->type == '5')
			continue;
		/* A name LOWER lacks, or has in another group: a mismatch. */
		if (has(&d->lower, e->path, e->len, &l) == NONDIR && r->lower == NONE)
			r->lower = l->root;
		else if (!l || l->type == '5' || r->lower != l->root)
			r->mismatch = 1;
	}
}

/* Is the group of root r written (not the same names on an equal inode)?
 * 1, 0, or -ENOMEM; the same for directories below. */
static int group_changed(const struct diff *d, const struct dent *r)
{
	const struct dent *l;
	int rc;

	if (r->mismatch || r->lower == NONE)
		return 1;
	l = &d->lower.e[r->lower];
	if (l->nlinks != r->nlinks)
		return 1;
	rc = same_inode(r, l);
	return rc < 0 ? rc : !rc;
}

static int dir_changed(const struct diff *d, const struct dent *e)
{
	struct dent *l;
	int rc;

	if (has(&d->lower, e->path, e->len, &l) != DIR_ENTRY)
		return 1;
	rc = same_meta(e, l);
	return rc < 0 ? rc : !rc;
}

/* Mark what FULL writes for itself: changed directories and groups. */
static int mark_changed(struct diff *d)
{
	size_t i;
	int rc;

	match_groups(d);
	for (i = 0; i < d->full.n; i++) {
		struct dent *e = &d->full.e[i];

		if (e->type == '5')
			rc = dir_changed(d, e);
		else if (e->root == i)
			rc = group_changed(d, e);
		else
			continue;
		if (rc < 0)
			return rc;
		e->write = (unsigned char)rc;
	}
	/* A hard link is written when its group is. */
	for (i = 0; i < d->full.n; i++)
		if (d->full.e[i].type != '5')
			d->full.e[i].write = d->full.e[d->full.e[i].root].write;
	return 0;
}

/* p[0, len) is written: so are its parent directories that FULL has. */
static void mark_parents(struct diff *d, const char *p, size_t len)
{
	struct dent *e;

	while (len) {
		len = parent_len(p, len);
		if (has(&d->full, p, len, &e) != DIR_ENTRY)
			continue;
		if (e->up_done)
			return; /* and its parents with it */
		e->write = e->up_done = 1;
	}
}

/* --- output ---------------------------------------------------------------- */

static struct item *new_item(struct diff *d)
{
	if (d->nitems == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 1024;
		struct item *it = realloc(d->items, cap * sizeof(*it));

		if (!it)
			return NULL;
		d->items = it;
		d->cap = cap;
	}
	memset(&d->items[d->nitems], 0, sizeof(*d->items));
	return &d->items[d->nitems++];
}

/* A marker DIR/NAME (whiteout .wh.X or opaque), dir the directory's entry. */
static int add_marker(struct diff *d, const char *dir, size_t dlen, const char *name,
		      size_t nlen, const struct dent *dir_entry)
{
	struct item *it = new_item(d);
	char *p = malloc(dlen + 1 + nlen + 1);

	if (!it || !p) {
		free(p);
		return -ENOMEM;
	}
	memcpy(p, dir, dlen);
	p[dlen] = '/';
	memcpy(p + dlen + 1, name, nlen);
	p[dlen + 1 + nlen] = '\0';
	it->owned = p;
	it->path = dlen ? p : p + 1; /* in the root: no leading '/' */
	it->len = strlen(it->path);
	it->kind = I_MARK;
	it->src = dir_entry;
	mark_parents(d, it->path, it->len);
	return 0;
}

static int add_whiteout(struct diff *d, const char *p, size_t len)
{
	size_t plen = parent_len(p, len), start = plen ? plen + 1 : 0;
	struct dent *dir;
	char *wh;
	int rc;

	(void)has(&d->full, p, plen, &dir);
	wh = malloc(strlen(WH_PREFIX) + len - start + 1);
	if (!wh)
		return -ENOMEM;
	memcpy(wh, WH_PREFIX, strlen(WH_PREFIX));
	memcpy(wh + strlen(WH_PREFIX), p + start, len - start);
	rc = add_marker(d, p, plen, wh, strlen(WH_PREFIX) + len - start, dir);
	free(wh);
	return rc;
}

/*
 * A lower entry that FULL lacks: the whiteout of its topmost ancestor FULL
 * lacks, once (*last: the one written), unless FULL has a file above it.
 */
static int removed(struct diff *d, const struct dent *e, const char **last, size_t *last_len)
{
	size_t top = e->len, plen;
	struct dent *at;

	while ((plen = parent_len(e->path, top)) && has(&d->full, e->path, plen, &at) == ABSENT)
		top = plen;
	if (plen && !is_dir(has(&d->full, e->path, plen, &at)))
		return 0; /* a file of FULL hides the whole lower directory */
	if (*last && !cmp_path(*last, *last_len, e->path, top))
		return 0;
	*last = e->path;
	*last_len = top;
	return add_whiteout(d, e->path, top);
}

/* Whiteouts for what LOWER has and FULL not, opaque markers for new dirs. */
static int lower_side(struct diff *d)
{
	const char *last = NULL;
	size_t i, last_len = 0;
	int rc = 0;

	for (i = 0; i < d->lower.n && !rc; i++) {
		const struct dent *e = &d->lower.e[i];
		struct dent *f;
		enum has h = has(&d->full, e->path, e->len, &f);

		if (h == ABSENT)
			rc = removed(d, e, &last, &last_len);
		else if (e->type != '5' && is_dir(h))
			rc = add_marker(d, e->path, e->len, WH_OPAQUE, strlen(WH_OPAQUE), f);
	}
	return rc;
}

/* FULL's written entries: a group as its first name and links to it. */
static int full_side(struct diff *d)
{
	size_t i;

	for (i = 0; i < d->full.n; i++)
		if (d->full.e[i].write)
			mark_parents(d, d->full.e[i].path, d->full.e[i].len);
	for (i = 0; i < d->full.n; i++) {
		struct dent *e = &d->full.e[i], *r = &d->full.e[e->root];
		struct item *it;

		if (!e->write)
			continue;
		it = new_item(d);
		if (!it)
			return -ENOMEM;
		it->path = e->path;
		it->len = e->len;
		it->kind = I_ENTRY;
		it->src = e->type == '5' ? e : r;
		if (e->type == '5')
			continue;
		if (r->leader == NONE) {
			r->leader = i; /* the first name in output order */
		} else {
			it->kind = I_LINK;
			it->link = d->full.e[r->leader].path;
		}
	}
	return 0;
}

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return cmp_path(x->path, x->len, y->path, y->len);
}

static int write_item(const struct tar_out *o, const struct item *i)
{
	struct tar_item it = { 0 };
	unsigned char h[TAR_BLOCK] = { 0 };

	it.path = i->path;
	if (i->kind == I_MARK) {
		/* An empty file, root's, mode 0 (as overlayfs makes whiteouts),
		 * with its directory's mtime, so that the output is reproducible. */
		tar_octal(h + 100, 8, 0);
		tar_octal(h + 108, 8, 0);
		tar_octal(h + 116, 8, 0);
		if (i->src)
			memcpy(h + 136, i->src->hdr + 136, 12);
		else
			tar_octal(h + 136, 12, 0);
		it.hdr = h;
		it.type = '0';
	} else if (i->kind == I_LINK) {
		it.hdr = i->src->hdr;
		it.type = '1';
		it.link = i->link;
	} else {
		it.hdr = i->src->hdr;
		it.type = i->src->type;
		it.link = i->src->link;
		it.pax = i->src->pax;
		it.paxlen = i->src->paxlen;
		it.data = i->src->data;
		it.size = i->src->type == '5' ? 0 : i->src->size;
	}
	return tar_write(o, &it);
}

static int write_all(struct diff *d, lt_put_fn put, void *ctx)
{
	struct tar_out o = { put, ctx, d->err };
	size_t i;
	int rc = 0;

	if (d->nitems)
		qsort(d->items, d->nitems, sizeof(*d->items), cmp_item);
	for (i = 0; i < d->nitems && !rc; i++)
		rc = write_item(&o, &d->items[i]);
	return rc ? rc : tar_write_end(&o);
}

static void diff_free(struct diff *d)
{
	size_t i;

	for (i = 0; i < d->nitems; i++)
		free(d->items[i].owned);
	free(d->items);
	tree_free(&d->lower);
	tree_free(&d->full);
}

int tar_diff(const unsigned char *lower, uint64_t lower_len, const unsigned char *full,
	     uint64_t full_len, lt_put_fn put, void *ctx, struct lt_error *err)
{
	struct diff d = { 0 };
	int rc;

	d.err = err;
	rc = read_tree(&d.lower, DIFF_LOWER, lower, lower_len, err);
	if (!rc)
		rc = read_tree(&d.full, DIFF_FULL, full, full_len, err);
	if (!rc) {
		err->stream = -1;
		rc = mark_changed(&d);
		if (!rc)
			rc = lower_side(&d);
		if (!rc)
			rc = full_side(&d);
		if (rc == -ENOMEM)
			rc = lt_fail(err, rc, "out of memory");
		if (!rc)
			rc = write_all(&d, put, ctx);
	}
	diff_free(&d);
	return rc;
}
