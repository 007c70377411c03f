// SPDX-License-Identifier: MIT
/*
 * layerboot diff: what the upper adds (A), changes (C) or deletes (D) over the
 * layers. The upper is walked with the shared walker (depth first, names in
 * byte order) and each line written as it is found: memory does not grow
 * with the upper. Each path is looked up in the layers as overlayfs resolves
 * it (pure/ovlmerge.h): top layer first, one component at a time through
 * directory descriptors, never following a symlink. A lookup by path string
 * would follow a link that a layer has in place of a directory, and would
 * not see a higher layer's whiteout or opaque directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pure/escape.h"
#include "pure/manifest.h"
#include "pure/num.h"
#include "pure/ovlmerge.h"
#include "pure/strlist.h"
#include "sys/print.h"
#include "sys/walk.h"

struct diff {
	size_t n;	 /* layers */
	int *root;	 /* each layer's top directory, top layer first */
	int *cur, *next; /* the merged lower directory at dir, per layer; -1: not there */
	char *dir;	 /* the path cur stands for, when dir_ok */
	size_t dirlen, dircap;
	int dir_ok;
	char *hide;	/* an opaque upper directory being walked: the lower */
	size_t hidelen; /* contents of everything in it are hidden */
	int raw, err;
	struct outbuf out; /* stdout */
};

static void close_all(int *fd, size_t n)
{
	while (n--)
		if (fd[n] >= 0) {
			close(fd[n]);
			fd[n] = -1;
		}
}

/* A path as the user sees it: escaped (pure/escape.h), or raw for -0. */
static void put_path(struct outbuf *o, const char *s, int raw)
{
	char e[4];

	if (raw)
		out_put(o, s, strlen(s));
	else
		for (; *s; s++)
			out_put(o, e, esc_byte((unsigned char)*s, e));
}

/* "X path[/name]" and its end: a newline, or a NUL for -0. */
static void emit(struct diff *d, char what, const char *path, const char *name)
{
	char head[2] = { what, ' ' };

	out_put(&d->out, head, 2);
	put_path(&d->out, path, d->raw);
	if (name) {
		out_put(&d->out, "/", 1);
		put_path(&d->out, name, d->raw);
	}
	out_put(&d->out, d->raw ? "" : "\n", 1);
}

/* "layerboot: diff: PATH: cause" on stderr, the path escaped, after what is listed so far. */
static void warn(struct diff *d, const char *path, int err)
{
	const char *cause = strerror(-err);
	int out_err = out_flush(&d->out);

	d->out.fd = 2;
	d->out.err = 0;
	out_put(&d->out, "layerboot: diff: ", 17);
	put_path(&d->out, path, 0);
	out_put(&d->out, ": ", 2);
	out_put(&d->out, cause, strlen(cause));
	out_put(&d->out, "\n", 1);
	out_flush(&d->out);
	d->out.fd = 1;
	d->out.err = out_err;
	d->err = 1;
}

static int is_opaque(int fd)
{
	static const char *const names[] = { "trusted.overlay.opaque", "user.overlay.opaque" };
	char v[2];
	int i;

	for (i = 0; i < 2; i++)
		if (fgetxattr(fd, names[i], v, sizeof(v)) == 1 && v[0] == 'y')
			return 1;
	return 0;
}

/* What name is in dfd (enum ovl_kind) or -errno; a directory is opened into *sub. */
static int kind_of(int dfd, const char *name, int *sub)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? OVL_ABSENT : -errno;
	if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0))
		return OVL_WHITEOUT;
	if (!S_ISDIR(st.st_mode))
		return OVL_OTHER;
	*sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*sub < 0)
		return -errno;
	return is_opaque(*sub) ? OVL_OPAQUE_DIR : OVL_DIR;
}

/* name in the merged lower directory from: enum ovl_result or -errno; to
 * gets the merged directory it is (all -1 if it is none). */
static int step(struct diff *d, const int *from, int *to, const char *name)
{
	struct ovl_merge m = { OVL_NONE, 0 };
	size_t i;
	int k = 0;

	for (i = 0; i < d->n; i++) {
		int fd = -1;

		to[i] = -1;
		if (from[i] < 0 || m.stop || k < 0)
			continue;
		k = kind_of(from[i], name, &fd);
		if (k >= 0 && ovl_merge_layer(&m, (enum ovl_kind)k))
			to[i] = fd;
		else if (fd >= 0)
			close(fd);
	}
	if (k < 0)
		close_all(to, d->n);
	return k < 0 ? k : (int)m.result;
}

/* What name in d->cur is, without keeping its directories. */
static int lookup(struct diff *d, const char *name)
{
	int rc = step(d, d->cur, d->next, name);

	close_all(d->next, d->n);
	return rc;
}

/* Makes d->cur the merged lower directory at path[0..len): one step from the
 * last one when the walk went down one level, else from the layers' tops. */
static int lower_at(struct diff *d, const char *path, size_t len)
{
	char name[NAME_MAX + 1];
	size_t at = 0, i, k;
	int rc, *t;

	if (d->dir_ok && len == d->dirlen && !memcmp(path, d->dir, len))
		return 0;
	if (d->dir_ok && len > d->dirlen && path[d->dirlen] == '/' &&
	    !memcmp(path, d->dir, d->dirlen) &&
	    !memchr(path + d->dirlen + 1, '/', len - d->dirlen - 1)) {
		at = d->dirlen;
	} else {
		close_all(d->cur, d->n);
		for (i = 0; i < d->n; i++)
			if ((d->cur[i] = fcntl(d->root[i], F_DUPFD_CLOEXEC, 0)) < 0)
				return -errno;
	}
	d->dir_ok = 0;
	while (at < len) {
		const char *s = path + at + 1, *e = memchr(s, '/', len - at - 1);

		k = e ? (size_t)(e - s) : len - at - 1;
		if (k > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(name, s, k);
		name[k] = '\0';
		rc = step(d, d->cur, d->next, name);
		close_all(d->cur, d->n);
		t = d->cur, d->cur = d->next, d->next = t;
		if (rc < 0)
			return rc;
		at += k + 1;
	}
	if (len + 1 > d->dircap) {
		char *p = realloc(d->dir, len * 2 + 1);

		if (!p)
			return -ENOMEM;
		d->dir = p;
		d->dircap = len * 2 + 1;
	}
	memcpy(d->dir, path, len);
	d->dirlen = len;
	d->dir_ok = 1;
	return 0;
}

/* The lower entries that the upper directory e (fd up) hides: D each. */
static int list_hidden(struct diff *d, const struct walk_entry *e, int up)
{
	struct strlist names = { 0 };
	struct stat st;
	size_t i;
	int rc = lower_at(d, e->path, strlen(e->path));

	for (i = 0; !rc && i < d->n; i++)
		if (d->cur[i] >= 0)
			rc = walk_read_names(d->cur[i], &names);
	strlist_sort_uniq(&names);
	for (i = 0; !rc && i < names.n; i++) {
		if (!fstatat(up, names.v[i], &st, AT_SYMLINK_NOFOLLOW))
			continue; /* the upper has its own: listed when the walk gets there */
		rc = errno == ENOENT ? lookup(d, names.v[i]) : -errno;
		if (rc > 0)
			emit(d, 'D', e->path, names.v[i]);
		rc = rc < 0 ? rc : 0;
	}
	strlist_free(&names);
	return rc;
}

/* A directory of both the upper and the layers: listed only for what it hides. */
static int merged_dir(struct diff *d, const struct walk_entry *e, size_t plen)
{
	int up = openat(e->dirfd, e->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc = 0;
	int hiding = d->hide && d->hidelen <= plen && !memcmp(e->path, d->hide, d->hidelen) &&
		     e->path[d->hidelen] == '/';

	if (up < 0)
		return -errno;
	if (!hiding && is_opaque(up)) {
		free(d->hide);
		d->hide = strdup(e->path);
		d->hidelen = strlen(e->path);
		hiding = !!d->hide;
		rc = hiding ? 0 : -ENOMEM;
	}
	if (hiding && !rc)
		rc = list_hidden(d, e, up);
	close(up);
	return rc;
}

/* Each entry of the upper, from the shared walker: e->path is "/etc/hostname". */
static int diff_enter(void *arg, const struct walk_entry *e)
{
	struct diff *d = arg;
	size_t plen = strlen(e->path) - strlen(e->name) - 1;
	int low = lower_at(d, e->path, plen);

	if (!low)
		low = lookup(d, e->name);
	if (low >= 0 && S_ISCHR(e->st->st_mode) && e->st->st_rdev == makedev(0, 0)) {
		if (low != OVL_NONE)
			emit(d, 'D', e->path, NULL);
		return WALK_NEXT;
	}
	if (low >= 0 && (!S_ISDIR(e->st->st_mode) || low != OVL_MERGED_DIR))
		emit(d, low ? 'C' : 'A', e->path, NULL);
	else if (low >= 0)
		low = merged_dir(d, e, plen);
	if (low < 0) {
		warn(d, e->path, low);
		return WALK_SKIP;
	}
	return WALK_NEXT;
}

static int diff_leave(void *arg, const struct walk_entry *e)
{
	struct diff *d = arg;

	if (d->hide && !strcmp(d->hide, e->path)) {
		free(d->hide);
		d->hide = NULL;
	}
	return 0;
}

static int diff_error(void *arg, const struct walk_entry *e, int err)
{
	warn(arg, e->path, err);
	return 0;
}

/* Each layer's directory, top first, in the order of the status file (bottom first). */
static int open_layers(struct diff *d, const struct strlist *kv)
{
	char obj[PATH_MAX] = "layers";
	const char *name = strlist_value(kv, obj), *why = "not in the status file";
	unsigned int n = 0, i = 0;
	int dfd = -1, fd;

	if (!name || num_parse_uint(name, LB_MAX_LAYERS, &n))
		goto out;
	d->root = malloc(sizeof(int) * 3 * (n + 1));
	lb_snprintf(obj, sizeof(obj), "%s/layers", cli_run_dir);
	dfd = d->root ? open(obj, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	why = strerror(errno);
	if (dfd < 0)
		goto out;
	d->cur = d->root + n;
	d->next = d->cur + n;
	for (d->n = n; i < 3 * n; i++)
		d->root[i] = -1;
	for (i = 0; i < n; i++) {
		lb_snprintf(obj, sizeof(obj), "layer.%u.name", i);
		name = strlist_value(kv, obj);
		why = "not in the status file";
		if (!name || !layer_name_ok(name, &why))
			break;
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		why = strerror(errno);
		if (fd < 0) {
			lb_snprintf(obj, sizeof(obj), "%s/layers/%s", cli_run_dir, name);
			break;
		}
		d->root[n - 1 - i] = fd;
	}
	close(dfd);
	if (i == n)
		return 0;
out:
	lb_dprintf(2, "layerboot: diff: %s: %s\n", obj, why);
	return -1;
}

int cmd_diff(int raw)
{
	static struct diff d; /* one for the run */
	const struct walk_ops ops = { diff_enter, diff_leave, diff_error, &d };
	struct strlist kv = { 0 };
	char upper[PATH_MAX];
	int fd, rc;

	d.raw = raw;
	d.out.fd = 1;
	if (status_load("diff", &kv))
		return 1;
	rc = open_layers(&d, &kv);
	strlist_free(&kv);
	if (rc)
		return 1;
	lb_snprintf(upper, sizeof(upper), "%s/upper/upper", cli_run_dir);
	fd = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = fd < 0 ? -errno : walk_tree(fd, &ops);
	if (fd >= 0)
		close(fd);
	if (rc)
		warn(&d, upper, rc);
	if (out_flush(&d.out))
		warn(&d, "stdout", -errno);
	close_all(d.root, 3 * d.n);
	free(d.root);
	free(d.dir);
	free(d.hide);
	return d.err;
}
