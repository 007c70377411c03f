// SPDX-License-Identifier: MIT
/*
 * layertar: merge the tar streams of one layer into the single tar stream that
 * tar2sqfs turns into the layer's squashfs image, translating OCI whiteouts
 * into overlayfs ones on the way. A host tool, built by scripts/mklayer.
 *
 * Usage: layertar TAR... > OUT.tar      (uncompressed archives, bottom first)
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
 * Why not GNU tar or mksquashfs: GNU tar writes a character device only from a
 * real node (root on the host), and mksquashfs 4.5 cannot add an xattr. A tar
 * stream can say both, and tar2sqfs keeps owners, modes, hard links, devices
 * and xattrs from it without root.
 *
 * Every entry is written again as a pax header (path, linkpath and the
 * archive's own records) plus a ustar header, so that long names, GNU long-name
 * entries and new xattrs all take one route.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK	     512
#define MAX_STREAMS  32
#define OPAQUE_XATTR "SCHILY.xattr.trusted.overlay.opaque"
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
	char *pax;  /* the archive's pax records, less path and linkpath */
	size_t paxlen;
	const unsigned char *hdr;
	const unsigned char *data;
	uint64_t size;
};

/* What each stream says about one path, one bit per stream. */
struct node {
	char *path;
	uint32_t nondir, dir, implied, wh, opq;
	uint32_t wh_done; /* whiteout already written (one per path) */
};

static struct entry *entries;
static size_t nentries, entries_cap;
static struct node *table;
static size_t table_cap, table_used;
static const char *current_file;

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "layertar: %s: ", current_file ? current_file : "output");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* --- the path table ------------------------------------------------------ */

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct node *slot(struct node *t, size_t cap, const char *path)
{
	size_t i = hash(path) & (cap - 1);

	while (t[i].path && strcmp(t[i].path, path) != 0)
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static void grow(void)
{
	size_t cap = table_cap ? table_cap * 2 : 4096, i;
	struct node *t = calloc(cap, sizeof(*t));

	if (!t)
		die("out of memory");
	for (i = 0; i < table_cap; i++)
		if (table[i].path)
			*slot(t, cap, table[i].path) = table[i];
	free(table);
	table = t;
	table_cap = cap;
}

static struct node *lookup(const char *path)
{
	return table_cap ? slot(table, table_cap, path) : NULL;
}

static struct node *node(const char *path)
{
	struct node *n;

	if ((table_used + 1) * 2 > table_cap)
		grow();
	n = slot(table, table_cap, path);
	if (!n->path) {
		n->path = strdup(path);
		if (!n->path)
			die("out of memory");
		table_used++;
	}
	return n;
}

static int has(const struct node *n)
{
	return n && n->path;
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

/*
 * "./a//b/" and "/a/b" are both "a/b". A ".." component is refused: an
 * archive must not write outside the layer.
 */
static char *normalise(const char *in)
{
	char *out = xmalloc(strlen(in) + 1), *o = out;
	const char *p = in;

	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t len = end - p;

		if (len == 2 && !strncmp(p, "..", 2))
			die("%s: a '..' in the path", in);
		if (len && !(len == 1 && *p == '.')) {
			if (o != out)
				*o++ = '/';
			memcpy(o, p, len);
			o += len;
		}
		p = *end ? end + 1 : end;
	}
	*o = '\0';
	return out;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The directory of path ("" for a top-level name), as a new string. */
static char *dir_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return xstrndup(path, slash ? (size_t)(slash - path) : 0);
}

static char *join(const char *dir, const char *name)
{
	char *p;

	if (asprintf(&p, "%s%s%s", dir, *dir ? "/" : "", name) < 0)
		die("out of memory");
	return p;
}

/*
 * Is path, as stream s has it, hidden by a higher stream: something that is
 * not a directory, or a whiteout, at one of its parents, or an opaque parent?
 */
static int hidden(const char *path, int s)
{
	char *p = xstrndup(path, strlen(path));
	int hide = 0;

	while (*p && !hide) {
		struct node *n;
		char *slash = strrchr(p, '/');

		if (slash)
			*slash = '\0';
		else
			*p = '\0';
		n = lookup(p);
		if (has(n) && above(n->nondir | n->wh | n->opq, s))
			hide = 1;
	}
	free(p);
	return hide;
}

/* --- reading --------------------------------------------------------------- */

static uint64_t number(const unsigned char *f, size_t len)
{
	uint64_t v = 0;
	size_t i;

	/* GNU base-256: the high bit of the first byte set, big-endian. */
	if (f[0] & 0x80) {
		v = f[0] & 0x7f;
		for (i = 1; i < len; i++)
			v = v << 8 | f[i];
		return v;
	}
	for (i = 0; i < len && (f[i] == ' ' || f[i] == '\0'); i++)
		;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++)
		v = v * 8 + (f[i] - '0');
	return v;
}

static int checksum_ok(const unsigned char *h)
{
	uint64_t want = number(h + 148, 8), sum = 0;
	int i;

	for (i = 0; i < BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum == want;
}

static int zero_block(const unsigned char *h)
{
	int i;

	for (i = 0; i < BLOCK; i++)
		if (h[i])
			return 0;
	return 1;
}

/* The extension headers read before an entry, for that entry only. */
struct pending {
	char *path, *link, *pax;
	size_t paxlen;
	int has_size;
	uint64_t size;
};

static void pax_record(struct pending *pd, const char *rec, size_t len, const char *key,
		       const char *value, size_t vlen)
{
	if (!strcmp(key, "path")) {
		free(pd->path);
		pd->path = xstrndup(value, vlen);
		return;
	}
	if (!strcmp(key, "linkpath")) {
		free(pd->link);
		pd->link = xstrndup(value, vlen);
		return;
	}
	if (!strncmp(key, "GNU.sparse.", 11))
		die("sparse files are not supported");
	if (!strcmp(key, "size")) {
		/* Written again by write_entry(), as the entry's size may change. */
		pd->has_size = 1;
		pd->size = strtoull(value, NULL, 10);
		return;
	}
	pd->pax = realloc(pd->pax, pd->paxlen + len);
	if (!pd->pax)
		die("out of memory");
	memcpy(pd->pax + pd->paxlen, rec, len);
	pd->paxlen += len;
}

/* Records read "LEN KEY=VALUE\n", LEN counting the whole record. */
static void pax_records(struct pending *pd, const unsigned char *d, uint64_t size)
{
	uint64_t off = 0;

	while (off < size) {
		const char *rec = (const char *)d + off, *sp, *eq;
		char *end, key[256];
		unsigned long len = strtoul(rec, &end, 10);

		if (end == rec || *end != ' ' || len < 5 || len > size - off ||
		    rec[len - 1] != '\n')
			die("a bad pax header record");
		sp = end + 1;
		eq = memchr(sp, '=', rec + len - sp);
		if (!eq || (size_t)(eq - sp) >= sizeof(key))
			die("a bad pax header record");
		memcpy(key, sp, eq - sp);
		key[eq - sp] = '\0';
		pax_record(pd, rec, len, key, eq + 1, rec + len - 1 - (eq + 1));
		off += len;
	}
}

static char *header_name(const unsigned char *h)
{
	size_t plen = strnlen((const char *)h + 345, 155);
	char *name;

	/* The prefix field is a ustar one: GNU's old format keeps times there. */
	if (memcmp(h + 257, "ustar\0", 6) != 0 || plen == 0)
		return xstrndup((const char *)h, strnlen((const char *)h, 100));
	if (asprintf(&name, "%.*s/%.*s", (int)plen, h + 345, (int)strnlen((const char *)h, 100),
		     h) < 0)
		die("out of memory");
	return name;
}

static struct entry *new_entry(void)
{
	if (nentries == entries_cap) {
		entries_cap = entries_cap ? entries_cap * 2 : 1024;
		entries = realloc(entries, entries_cap * sizeof(*entries));
		if (!entries)
			die("out of memory");
	}
	memset(&entries[nentries], 0, sizeof(*entries));
	return &entries[nentries++];
}

/* Note in the table what stream s says about an entry's path and parents. */
static void record(struct entry *e, int s)
{
	struct node *n = node(e->path);
	uint32_t bit = 1u << s;
	char *p, *q;

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
			die("%s: a directory and a file of the same name", e->path);
		n->dir |= bit;
	} else {
		if ((n->nondir | n->dir) & bit)
			die("%s: in the archive twice", e->path);
		n->nondir |= bit;
	}
	/* Parents exist in this stream even when it has no entry for them
	 * (node() may move the table: n is not used below). */
	if (!*e->path)
		return;
	for (p = dir_name(e->path);; p = q) {
		node(p)->implied |= bit;
		if (!*p)
			break;
		q = dir_name(p);
		free(p);
	}
	free(p);
}

static void classify(struct entry *e, const char *raw)
{
	const char *name;
	char *dir;

	e->path = normalise(raw);
	name = base_name(e->path);
	if (strncmp(name, WH_PREFIX, strlen(WH_PREFIX)) != 0)
		return;
	dir = dir_name(e->path);
	if (!strcmp(name, WH_OPAQUE)) {
		e->kind = OPAQUE;
		free(e->path);
		e->path = dir;
		return;
	}
	if (!strncmp(name, WH_META, strlen(WH_META)))
		e->kind = SKIP; /* AUFS bookkeeping (.wh..wh.plnk ...) */
	else if (!name[strlen(WH_PREFIX)])
		die("%s: a whiteout without a name", e->path);
	else
		e->kind = WHITEOUT;
	if (e->kind == WHITEOUT) {
		char *target = join(dir, name + strlen(WH_PREFIX));

		free(e->path);
		e->path = target;
	}
	free(dir);
}

static void add_entry(int s, const unsigned char *h, const unsigned char *data, uint64_t size,
		      struct pending *pd)
{
	struct entry *e = new_entry();
	char *raw = pd->path ? pd->path : header_name(h);

	e->stream = s;
	e->type = h[156] ? (char)h[156] : '0';
	if (e->type == '7')
		e->type = '0'; /* contiguous file: a regular file everywhere */
	if (!strchr("0123456", e->type))
		die("%s: unsupported entry type '%c'", raw, e->type);
	e->hdr = h;
	e->data = data;
	e->size = size;
	e->pax = pd->pax;
	e->paxlen = pd->paxlen;
	classify(e, raw);
	e->link = pd->link ? pd->link
			   : xstrndup((const char *)h + 157, strnlen((const char *)h + 157, 100));
	if (e->type == '1')
		e->link = normalise(e->link);
	if (e->kind == REAL && !*e->path && e->type != '5')
		die("the root is not a directory");
	if (e->kind != SKIP)
		record(e, s);
	memset(pd, 0, sizeof(*pd));
}

static void read_stream(int s, const unsigned char *map, uint64_t len)
{
	struct pending pd = { 0 };
	uint64_t off = 0;

	while (off + BLOCK <= len) {
		const unsigned char *h = map + off;
		uint64_t size, next;

		if (zero_block(h))
			return;
		if (!checksum_ok(h))
			die("bad header checksum at byte %llu: not a tar archive?",
			    (unsigned long long)off);
		size = number(h + 124, 12);
		if (pd.has_size && h[156] != 'x' && h[156] != 'g')
			size = pd.size;
		next = off + BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
		if (next > len || next < off)
			die("truncated at byte %llu", (unsigned long long)off);
		switch (h[156]) {
		case 'x':
			pax_records(&pd, h + BLOCK, size);
			break;
		case 'g':
			break; /* global comments (git archive): nothing for us */
		case 'L':
			free(pd.path);
			pd.path = xstrndup((const char *)h + BLOCK,
					   strnlen((const char *)h + BLOCK, size));
			break;
		case 'K':
			free(pd.link);
			pd.link = xstrndup((const char *)h + BLOCK,
					   strnlen((const char *)h + BLOCK, size));
			break;
		default:
			add_entry(s, h, h + BLOCK, h[156] == '5' || h[156] == '1' ? 0 : size, &pd);
		}
		off = next;
	}
	if (pd.path || pd.link || pd.pax)
		die("ends inside an entry");
}

/* --- deciding ------------------------------------------------------------- */

/* Does stream s write the directory at path (as a real entry or an opaque one)? */
static int dir_written(const char *path, int s)
{
	struct node *n = lookup(path);
	int k;

	if (!has(n) || !((n->dir | n->opq) & (1u << s)))
		return 0;
	if (above(n->nondir | n->wh, s) || hidden(path, s))
		return 0;
	for (k = 0; k < s; k++)
		if (dir_written(path, k))
			return 0;
	return 1;
}

static int nondir_written(const char *path, int s)
{
	struct node *n = lookup(path);

	if (!has(n) || !(n->nondir & (1u << s)))
		return 0;
	return !above(n->nondir | n->dir | n->implied | n->wh | n->opq, s) && !hidden(path, s);
}

/*
 * The directory that stream s writes at path is opaque when it replaces what
 * the lower layers have there: an opaque marker in its stream or above, or a
 * whiteout or a file of that name in its stream or below (deleted, then made
 * again as a new directory).
 */
static int opaque(const char *path, int s)
{
	struct node *n = lookup(path);

	return has(n) && (from(n->opq, s) || ((n->wh | n->nondir) & ((2u << s) - 1)));
}

static int whiteout_written(struct entry *e)
{
	struct node *n = lookup(e->path);
	uint32_t bit = 1u << e->stream;

	if ((n->nondir | n->dir | n->opq | n->wh_done) & bit)
		return 0;
	if (above(n->nondir | n->dir | n->implied | n->wh | n->opq, e->stream) ||
	    hidden(e->path, e->stream))
		return 0;
	n->wh_done |= bit;
	return 1;
}

/* --- writing --------------------------------------------------------------- */

static void put(const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, stdout) != n)
		die("write: %s", strerror(errno));
}

static void pad(uint64_t size)
{
	static const unsigned char zero[BLOCK];

	if (size % BLOCK)
		put(zero, BLOCK - size % BLOCK);
}

static void octal(unsigned char *f, size_t len, uint64_t v)
{
	snprintf((char *)f, len, "%0*llo", (int)len - 1, (unsigned long long)v);
}

static void finish_header(unsigned char *h)
{
	unsigned sum = 0;
	int i;

	memcpy(h + 257,
	       "ustar\0"
	       "00",
	       8);
	memset(h + 148, ' ', 8);
	for (i = 0; i < BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

/* "LEN KEY=VALUE\n", where LEN counts its own digits. */
static size_t add_record(char **buf, size_t len, const char *key, const char *value)
{
	size_t body = strlen(key) + strlen(value) + 3, n = body + 1;
	char *p;

	while (n != body + (size_t)snprintf(NULL, 0, "%zu", n))
		n = body + snprintf(NULL, 0, "%zu", n);
	*buf = realloc(*buf, len + n + 1);
	if (!*buf)
		die("out of memory");
	p = *buf + len;
	snprintf(p, n + 1, "%zu %s=%s\n", n, key, value);
	return len + n;
}

/*
 * Write one entry: a pax header with the path, link and records, then the
 * ustar header taken from the archive with the fields this entry changes.
 */
static void write_entry(const struct entry *e, char type, uint64_t size, int opaque_dir)
{
	unsigned char h[BLOCK], x[BLOCK] = { 0 };
	size_t len = e->paxlen;
	char *pax = xmalloc(len + 1);

	if (len)
		memcpy(pax, e->pax, len);
	len = add_record(&pax, len, "path", *e->path ? e->path : "./");
	if (type == '1' || type == '2')
		len = add_record(&pax, len, "linkpath", e->link);
	if (opaque_dir)
		len = add_record(&pax, len, OPAQUE_XATTR, "y");
	if (size >= 077777777777ULL) {
		char n[24];

		snprintf(n, sizeof(n), "%llu", (unsigned long long)size);
		len = add_record(&pax, len, "size", n);
	}

	memcpy(x, "././@PaxHeader", 15);
	octal(x + 100, 8, 0644);
	octal(x + 124, 12, len);
	x[156] = 'x';
	finish_header(x);
	put(x, BLOCK);
	put(pax, len);
	pad(len);
	free(pax);

	memcpy(h, e->hdr, BLOCK);
	memset(h, 0, 100);
	memset(h + 157, 0, 100);
	memset(h + 345, 0, BLOCK - 345); /* prefix, and GNU's extra fields */
	snprintf((char *)h, 100, "%s", *e->path ? e->path : "./");
	h[156] = type;
	octal(h + 124, 12, size < 077777777777ULL ? size : 0);
	if (e->kind == WHITEOUT) {
		octal(h + 329, 8, 0); /* overlayfs: a whiteout is 0:0 */
		octal(h + 337, 8, 0);
	}
	finish_header(h);
	put(h, BLOCK);
}

static void write_real(const struct entry *e)
{
	if (e->type == '5') {
		if (dir_written(e->path, e->stream))
			write_entry(e, '5', 0, opaque(e->path, e->stream));
		return;
	}
	if (!nondir_written(e->path, e->stream))
		return;
	if (e->type == '1' && !nondir_written(e->link, e->stream))
		die("%s: a hard link to %s, which a higher part of the layer replaces", e->path,
		    e->link);
	write_entry(e, e->type, e->size, 0);
	put(e->data, e->size);
	pad(e->size);
}

/* An opaque marker in a directory that has no entry of its own. */
static void write_opaque(const struct entry *e)
{
	struct node *n = lookup(e->path);
	struct entry d = *e;
	unsigned char h[BLOCK];

	if ((n->dir & (1u << e->stream)) || !dir_written(e->path, e->stream))
		return;
	memcpy(h, e->hdr, BLOCK);
	octal(h + 100, 8, 0755);
	d.hdr = h;
	write_entry(&d, '5', 0, 1);
}

static void write_all(void)
{
	static const unsigned char zero[2 * BLOCK];
	size_t i;

	for (i = 0; i < nentries; i++) {
		const struct entry *e = &entries[i];

		current_file = NULL;
		if (e->kind == REAL)
			write_real(e);
		else if (e->kind == OPAQUE)
			write_opaque(e);
		else if (e->kind == WHITEOUT && whiteout_written(&entries[i]))
			write_entry(e, '3', 0, 0);
	}
	put(zero, sizeof(zero));
	if (fflush(stdout) || ferror(stdout))
		die("write: %s", strerror(errno));
}

static const unsigned char *map_file(const char *path, uint64_t *len)
{
	struct stat st;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st))
		die("%s", strerror(errno));
	*len = st.st_size;
	if (!*len) {
		close(fd);
		return NULL;
	}
	map = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	close(fd);
	return map;
}

int main(int argc, char **argv)
{
	int s;

	if (argc < 2 || argc - 1 > MAX_STREAMS) {
		fprintf(stderr, "usage: layertar TAR... > OUT.tar (at most %d, bottom first)\n",
			MAX_STREAMS);
		return 2;
	}
	for (s = 0; s < argc - 1; s++) {
		uint64_t len;
		const unsigned char *map;

		current_file = argv[s + 1];
		map = map_file(argv[s + 1], &len);
		if (map)
			read_stream(s, map, len);
	}
	write_all();
	return 0;
}
