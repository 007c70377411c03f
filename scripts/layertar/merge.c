// SPDX-License-Identifier: MIT
/*
 * layertar's merge: the tar streams of one layer become the single tar stream
 * that tar2sqfs turns into the layer's squashfs image, with OCI whiteouts
 * translated into overlayfs ones on the way.
 *
 * Each input is a "stream"; a higher one lies on top of the lower ones, the
 * way an OCI layer lies on top of its parent:
 *   - NAME in a higher stream replaces NAME in a lower one (two directories
 *     merge: the lowest one's owner, mode and xattrs are kept);
 *   - DIR/.wh.NAME removes NAME from the lower streams and becomes an overlayfs
 *     whiteout (character device 0:0), which hides NAME in the lower layers;
 *   - DIR/.wh..wh..opq removes DIR's entries of the lower streams and makes DIR
 *     opaque (xattr trusted.overlay.opaque=y), which hides the lower layers'.
 * As in the OCI image spec, a whiteout applies only below its own stream: an
 * entry of the same stream wins over it.
 *
 * A hard link must point at a file of its own stream that is written too: a
 * link to a file that a higher stream replaces or deletes, or to a file its
 * stream does not have, is refused, since tar2sqfs could only link it to the
 * wrong file or to none.
 *
 * Every entry is written again by tarout.c, as a pax header plus a ustar one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"

#define WH_PREFIX    ".wh."
#define WH_META	     ".wh..wh."
#define WH_OPAQUE    ".wh..wh..opq"

enum kind { REAL, WHITEOUT, OPAQUE, SKIP };

struct entry {
	enum kind kind;
	int stream;
	char type;  /* ustar typeflag of a REAL entry */
	char *path; /* normalised: no leading "/" or "./", "" is the root */
	char *link; /* hard link: normalised; symbolic link: as it is */
	char *pax;  /* the archive's pax records, less path, linkpath, size */
	size_t paxlen;
	const unsigned char *hdr;
	const unsigned char *data;
	uint64_t size;
};

/* What each stream says about one path, one bit per stream. */
struct node {
	char *path;
	size_t len;
	uint32_t nondir, dir, implied, wh, opq;
	uint32_t wh_done; /* whiteout already written (one per path) */
};

struct merge {
	struct entry *entries;
	size_t nentries, entries_cap;
	struct node *table;
	size_t table_cap, table_used;
};

struct merge *merge_new(void)
{
	return calloc(1, sizeof(struct merge));
}

void merge_free(struct merge *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nentries; i++) {
		free(m->entries[i].path);
		free(m->entries[i].link);
		free(m->entries[i].pax);
	}
	for (i = 0; i < m->table_cap; i++)
		free(m->table[i].path);
	free(m->entries);
	free(m->table);
	free(m);
}

/* --- the path table ------------------------------------------------------ */

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static struct node *slot(struct node *t, size_t cap, const char *path, size_t len)
{
	size_t i = hash(path, len) & (cap - 1);

	while (t[i].path && !(t[i].len == len && !memcmp(t[i].path, path, len)))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static int grow(struct merge *m)
{
	size_t cap = m->table_cap ? m->table_cap * 2 : 4096, i;
	struct node *t = calloc(cap, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (i = 0; i < m->table_cap; i++)
		if (m->table[i].path)
			*slot(t, cap, m->table[i].path, m->table[i].len) = m->table[i];
	free(m->table);
	m->table = t;
	m->table_cap = cap;
	return 0;
}

/* The node of the first len bytes of path, or NULL when there is none. */
static const struct node *lookup(const struct merge *m, const char *path, size_t len)
{
	const struct node *n;

	if (!m->table_cap)
		return NULL;
	n = slot(m->table, m->table_cap, path, len);
	return n->path ? n : NULL;
}

static const struct node *find(const struct merge *m, const char *path)
{
	return lookup(m, path, strlen(path));
}

/* The node of path[0, len), made when new; NULL when out of memory. */
static struct node *node(struct merge *m, const char *path, size_t len)
{
	struct node *n;

	if ((m->table_used + 1) * 2 > m->table_cap && grow(m))
		return NULL;
	n = slot(m->table, m->table_cap, path, len);
	if (!n->path) {
		n->path = malloc(len + 1);
		if (!n->path)
			return NULL;
		memcpy(n->path, path, len);
		n->path[len] = '\0';
		n->len = len;
		m->table_used++;
	}
	return n;
}

/* Bits of the streams above stream s, and of s and those above it. */
static uint32_t above(uint32_t bits, int s)
{
	return bits & ~((2u << s) - 1);
}

static uint32_t from(uint32_t bits, int s)
{
	return bits & ~((1u << s) - 1);
}

/* --- paths ----------------------------------------------------------------- */

int lt_take_names(char type, struct tar_entry *t, char **path, char **link, struct lt_error *err)
{
	int rc = lt_normalise(t->path, path);

	if (rc == -EINVAL)
		return lt_fail(err, rc, "%s: a '..' in the path", t->path);
	if (rc)
		return rc;
	if (type != '1') {
		*link = t->link;
		t->link = NULL;
		return 0;
	}
	rc = lt_normalise(t->link, link);
	if (rc == -EINVAL)
		return lt_fail(err, rc, "%s: a hard link to %s: a '..' in its target", *path,
			       t->link);
	return rc;
}

int lt_normalise(const char *in, char **out)
{
	char *o = malloc(strlen(in) + 1);
	const char *p = in;

	*out = o;
	if (!o)
		return -ENOMEM;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		/* An archive must not write outside the layer. */
		if (len == 2 && !strncmp(p, "..", 2)) {
			free(*out);
			*out = NULL;
			return -EINVAL;
		}
		if (len && !(len == 1 && *p == '.')) {
			if (o != *out)
				*o++ = '/';
			memcpy(o, p, len);
			o += len;
		}
		p += end ? len + 1 : len;
	}
	*o = '\0';
	return 0;
}

/* The length of the parent of path[0, len) ("" for a top-level name). */
static size_t parent_len(const char *path, size_t len)
{
	while (len && path[len - 1] != '/')
		len--;
	return len ? len - 1 : 0;
}

/*
 * Is path, as stream s has it, hidden by a higher stream: something that is
 * not a directory, or a whiteout, at one of its parents, or an opaque parent?
 */
static int hidden(const struct merge *m, const char *path, int s)
{
	size_t len = strlen(path);

	while (len) {
		const struct node *n;

		len = parent_len(path, len);
		n = lookup(m, path, len);
		if (n && above(n->nondir | n->wh | n->opq, s))
			return 1;
	}
	return 0;
}

/* --- reading --------------------------------------------------------------- */

static struct entry *new_entry(struct merge *m)
{
	if (m->nentries == m->entries_cap) {
		size_t cap = m->entries_cap ? m->entries_cap * 2 : 1024;
		struct entry *e = realloc(m->entries, cap * sizeof(*e));

		if (!e)
			return NULL;
		m->entries = e;
		m->entries_cap = cap;
	}
	memset(&m->entries[m->nentries], 0, sizeof(*m->entries));
	return &m->entries[m->nentries++];
}

static int mark_parents(struct merge *m, const char *path, uint32_t bit)
{
	size_t len = strlen(path);
	struct node *n;

	while (len) {
		len = parent_len(path, len);
		n = node(m, path, len);
		if (!n)
			return -ENOMEM;
		n->implied |= bit;
	}
	return 0;
}

/* Note in the table what stream s says about an entry's path and parents. */
static int record(struct merge *m, struct entry *e, struct lt_error *err)
{
	struct node *n = node(m, e->path, strlen(e->path));
	uint32_t bit = 1u << e->stream;

	if (!n)
		return -ENOMEM;
	if (e->kind == WHITEOUT) {
		n->wh |= bit;
	} else if (e->kind == OPAQUE) {
		if (n->opq & bit)
			e->kind = SKIP;
		n->opq |= bit;
	} else if (e->type == '5') {
		if (n->dir & bit)
			e->kind = SKIP; /* the same directory twice */
		else if (n->nondir & bit)
			return lt_fail(err, -EINVAL, "%s: a directory and a file of the same name",
				       e->path);
		n->dir |= bit;
	} else {
		if ((n->nondir | n->dir) & bit)
			return lt_fail(err, -EINVAL, "%s: in the archive twice", e->path);
		n->nondir |= bit;
	}
	/* Parents exist in this stream even when it has no entry for them
	 * (node() may move the table: n is not used below). */
	return mark_parents(m, e->path, bit);
}

/* Whiteouts name what they delete: e->path becomes that path, in place. */
static int classify(struct entry *e, struct lt_error *err)
{
	char *name = strrchr(e->path, '/');

	name = name ? name + 1 : e->path;
	if (strncmp(name, WH_PREFIX, strlen(WH_PREFIX)) != 0)
		return 0;
	if (!strcmp(name, WH_OPAQUE)) {
		e->kind = OPAQUE;
		name[name == e->path ? 0 : -1] = '\0'; /* the directory */
		return 0;
	}
	if (!strncmp(name, WH_META, strlen(WH_META))) {
		e->kind = SKIP; /* AUFS bookkeeping (.wh..wh.plnk ...) */
		return 0;
	}
	if (strlen(name) == strlen(WH_PREFIX))
		return lt_fail(err, -EINVAL, "%s: a whiteout without a name", e->path);
	e->kind = WHITEOUT;
	memmove(name, name + strlen(WH_PREFIX), strlen(name + strlen(WH_PREFIX)) + 1);
	return 0;
}

static int take_names(struct entry *e, struct tar_entry *t, struct lt_error *err)
{
	return lt_take_names(e->type, t, &e->path, &e->link, err);
}

static int add_entry(struct merge *m, int s, struct tar_entry *t, struct lt_error *err)
{
	struct entry *e;
	char type = tar_type(t->hdr);
	int rc;

	if (!strchr("0123456", type))
		return lt_fail(err, -EINVAL, "%s: unsupported entry type '%c'", t->path, type);
	e = new_entry(m);
	if (!e)
		return -ENOMEM;
	e->stream = s;
	e->type = type;
	e->hdr = t->hdr;
	e->data = t->data;
	e->size = t->size;
	e->pax = t->pax;
	e->paxlen = t->paxlen;
	t->pax = NULL;
	rc = take_names(e, t, err);
	if (!rc)
		rc = classify(e, err);
	if (!rc && e->kind == REAL && !*e->path && e->type != '5')
		rc = lt_fail(err, -EINVAL, "%s: the root is not a directory", t->path);
	if (!rc && e->kind != SKIP)
		rc = record(m, e, err);
	return rc;
}

int merge_stream(struct merge *m, int s, const unsigned char *map, uint64_t len,
		 struct lt_error *err)
{
	struct tar_reader r;
	struct tar_entry t;
	int rc;

	err->stream = s;
	if (s < 0 || s >= MERGE_MAX_STREAMS || (m->nentries && m->entries[m->nentries - 1].stream > s))
		return lt_fail(err, -EINVAL, "stream %d: out of order or past %d", s,
			       MERGE_MAX_STREAMS);
	tar_open(&r, map, len);
	while ((rc = tar_next(&r, &t, err)) == 1) {
		rc = add_entry(m, s, &t, err);
		tar_entry_free(&t);
		if (rc)
			break;
	}
	if (rc == -ENOMEM)
		return lt_fail(err, rc, "out of memory");
	return rc;
}

/* --- deciding ------------------------------------------------------------- */

/* Does stream s write the directory at path (as a real entry or an opaque one)? */
static int dir_written(const struct merge *m, const char *path, int s)
{
	const struct node *n = find(m, path);
	int k;

	if (!n || !((n->dir | n->opq) & (1u << s)))
		return 0;
	if (above(n->nondir | n->wh, s) || hidden(m, path, s))
		return 0;
	for (k = 0; k < s; k++)
		if (dir_written(m, path, k))
			return 0;
	return 1;
}

static int nondir_written(const struct merge *m, const char *path, int s)
{
	const struct node *n = find(m, path);

	if (!n || !(n->nondir & (1u << s)))
		return 0;
	return !above(n->nondir | n->dir | n->implied | n->wh | n->opq, s) && !hidden(m, path, s);
}

/*
 * The directory that stream s writes at path is opaque when it replaces what
 * the lower layers have there: an opaque marker in its stream or above, or a
 * whiteout or a file of that name in its stream or below (deleted, then made
 * again as a new directory).
 */
static int opaque(const struct merge *m, const char *path, int s)
{
	const struct node *n = find(m, path);

	return n && (from(n->opq, s) || ((n->wh | n->nondir) & ((2u << s) - 1)));
}

static int whiteout_written(struct merge *m, const struct entry *e)
{
	/* Recorded by record(): the node is there. */
	struct node *n = (struct node *)find(m, e->path);
	uint32_t bit = 1u << e->stream;

	if ((n->nondir | n->dir | n->opq | n->wh_done) & bit)
		return 0;
	if (above(n->nondir | n->dir | n->implied | n->wh | n->opq, e->stream) ||
	    hidden(m, e->path, e->stream))
		return 0;
	n->wh_done |= bit;
	return 1;
}

/* --- writing --------------------------------------------------------------- */

/* Write e as type, its data too unless it is a directory or a whiteout. */
static int write_as(const struct tar_out *o, const struct entry *e, char type, int opaque_dir)
{
	struct tar_item it = { 0 };

	it.hdr = e->hdr;
	it.path = e->path;
	it.type = type;
	it.link = e->link;
	it.pax = e->pax;
	it.paxlen = e->paxlen;
	it.opaque = opaque_dir;
	it.zero_dev = e->kind == WHITEOUT;
	if (type != '5' && e->kind == REAL) {
		it.data = e->data;
		it.size = e->size;
	}
	return tar_write(o, &it);
}

static int bad_link(const struct merge *m, const struct entry *e, struct lt_error *err)
{
	const struct node *n = find(m, e->link);

	err->stream = e->stream;
	if (!n || !(n->nondir & (1u << e->stream)))
		return lt_fail(err, -EINVAL, "%s: a hard link to %s, which is not a file of its archive",
			       e->path, e->link);
	return lt_fail(err, -EINVAL,
		       "%s: a hard link to %s, which a higher part of the layer replaces or deletes",
		       e->path, e->link);
}

static int write_real(const struct merge *m, const struct tar_out *o, const struct entry *e)
{
	if (e->type == '5') {
		if (!dir_written(m, e->path, e->stream))
			return 0;
		return write_as(o, e, '5', opaque(m, e->path, e->stream));
	}
	if (!nondir_written(m, e->path, e->stream))
		return 0;
	if (e->type == '1' && !nondir_written(m, e->link, e->stream))
		return bad_link(m, e, o->err);
	return write_as(o, e, e->type, 0);
}

/* An opaque marker in a directory that has no entry of its own. */
static int write_opaque(const struct merge *m, const struct tar_out *o, const struct entry *e)
{
	const struct node *n = find(m, e->path);
	struct entry d = *e;
	unsigned char h[TAR_BLOCK];

	if ((n->dir & (1u << e->stream)) || !dir_written(m, e->path, e->stream))
		return 0;
	memcpy(h, e->hdr, TAR_BLOCK);
	tar_octal(h + 100, 8, 0755);
	d.hdr = h;
	return write_as(o, &d, '5', 1);
}

int merge_write(struct merge *m, lt_put_fn fn, void *ctx, struct lt_error *err)
{
	struct tar_out o = { fn, ctx, err };
	size_t i;
	int rc = 0;

	for (i = 0; i < m->nentries && !rc; i++) {
		const struct entry *e = &m->entries[i];

		err->stream = e->stream;
		if (e->kind == REAL)
			rc = write_real(m, &o, e);
		else if (e->kind == OPAQUE)
			rc = write_opaque(m, &o, e);
		else if (e->kind == WHITEOUT && whiteout_written(m, e))
			rc = write_as(&o, e, '3', 0);
	}
	return rc ? rc : tar_write_end(&o);
}
