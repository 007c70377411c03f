// SPDX-License-Identifier: MIT
/* layerboot diff: what the upper adds (A), changes (C) or deletes (D) over the layers. */
#include <dirent.h>
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
#include "pure/fmt.h"
#include "pure/strlist.h"
#include "sys/print.h"
#include "sys/walk.h"

static char *xasprintf(const char *fmt, const char *a, const char *b)
{
	int n = lb_snprintf(NULL, 0, fmt, a, b);
	char *s = n < 0 ? NULL : malloc((size_t)n + 1);

	if (s)
		lb_snprintf(s, (size_t)n + 1, fmt, a, b);
	return s;
}

/* The paths live here, one copy for the whole walk: PATH_MAX buffers are not for the stack. */
struct diff {
	struct strlist layers; /* /run/layerboot/layers/NAME */
	struct strlist out;    /* "X /path" */
	char upper[PATH_MAX];  /* the overlay's upper dir */
	char path[PATH_MAX];   /* scratch: upper + the entry's path */
	int err;
};

static int is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static int is_opaque(const char *path)
{
	static const char *const names[] = { "trusted.overlay.opaque", "user.overlay.opaque" };
	char v[4];
	int i;

	for (i = 0; i < 2; i++) {
		ssize_t n = lgetxattr(path, names[i], v, sizeof(v));

		if (n == 1 && v[0] == 'y')
			return 1;
	}
	return 0;
}

/* 0: in no layer; 1: a non-directory there; 2: a directory there. */
static int in_lower(struct diff *d, const char *rel)
{
	char p[PATH_MAX];
	struct stat st;
	size_t i;
	int found = 0;

	for (i = 0; i < d->layers.n; i++) {
		if (lb_snprintf(p, sizeof(p), "%s%s", d->layers.v[i], rel) >= (int)sizeof(p))
			continue;
		if (lstat(p, &st) || is_whiteout(&st))
			continue;
		if (S_ISDIR(st.st_mode))
			return 2;
		found = 1;
	}
	return found;
}

static void emit(struct diff *d, char what, const char *rel)
{
	char w[2] = { what, 0 };

	if (strlist_add(&d->out, xasprintf("%s %s", w, rel)))
		d->err = 1;
}

/* An opaque directory hides every lower entry it does not itself hold. */
static void hidden_by_opaque(struct diff *d, const char *rel, const char *upath)
{
	char p[PATH_MAX], q[PATH_MAX];
	struct dirent *e;
	struct stat st;
	size_t i;

	for (i = 0; i < d->layers.n; i++) {
		DIR *dir;

		if (lb_snprintf(p, sizeof(p), "%s%s", d->layers.v[i], rel) >= (int)sizeof(p))
			continue;
		dir = opendir(p);
		while (dir && (e = readdir(dir))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (lb_snprintf(q, sizeof(q), "%s/%s", upath, e->d_name) >= (int)sizeof(q))
				continue;
			if (lstat(q, &st) && errno == ENOENT &&
			    lb_snprintf(q, sizeof(q), "%s/%s", rel, e->d_name) < (int)sizeof(q))
				emit(d, 'D', q);
		}
		if (dir)
			closedir(dir);
	}
}

/* Each entry of the upper, from the shared walker: e->path is "/etc/hostname". */
static int diff_enter(void *arg, const struct walk_entry *e)
{
	struct diff *d = arg;
	const char *rel = e->path;
	int low;

	if (is_whiteout(e->st)) {
		emit(d, 'D', rel);
		return WALK_NEXT;
	}
	if (lb_snprintf(d->path, sizeof(d->path), "%s%s", d->upper, rel) >= (int)sizeof(d->path)) {
		lb_dprintf(2, "layerboot: diff: %s: path too long\n", rel);
		d->err = 1;
		return WALK_SKIP;
	}
	low = in_lower(d, rel);
	if (!S_ISDIR(e->st->st_mode) || low != 2)
		emit(d, low ? 'C' : 'A', rel);
	if (S_ISDIR(e->st->st_mode) && low == 2 && is_opaque(d->path))
		hidden_by_opaque(d, rel, d->path);
	return WALK_NEXT;
}

static int diff_error(void *arg, const struct walk_entry *e, int err)
{
	struct diff *d = arg;

	lb_dprintf(2, "layerboot: diff: %s%s: %s\n", d->upper, e->path, strerror(-err));
	d->err = 1;
	return 0;
}

static void walk_upper(struct diff *d)
{
	const struct walk_ops ops = { diff_enter, NULL, diff_error, d };
	int fd = open(d->upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	rc = fd < 0 ? -errno : walk_tree(fd, &ops);
	if (fd >= 0)
		close(fd);
	if (rc) {
		lb_dprintf(2, "layerboot: diff: %s: %s\n", d->upper, strerror(-rc));
		d->err = 1;
	}
}

/* "X /path" lines by path. A shell sort: musl's qsort costs PID 1 a KiB. */
static void sort_by_path(char **v, size_t n)
{
	size_t gap, i, j;

	for (gap = n / 2; gap; gap = gap == 2 ? 1 : gap * 5 / 11)
		for (i = gap; i < n; i++) {
			char *x = v[i];

			for (j = i; j >= gap && strcmp(v[j - gap] + 2, x + 2) > 0; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
}

static int list_layers(struct diff *d)
{
	char dir[PATH_MAX];
	struct dirent *e;
	DIR *dp;

	lb_snprintf(dir, sizeof(dir), "%s/layers", cli_run_dir);
	dp = opendir(dir);
	if (!dp) {
		lb_dprintf(2, "layerboot: diff: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(dp)))
		if (e->d_name[0] != '.' &&
		    strlist_add(&d->layers, xasprintf("%s/%s", dir, e->d_name)))
			d->err = 1;
	closedir(dp);
	return 0;
}

int cmd_diff(void)
{
	static struct diff d; /* PATH_MAX buffers: not on the stack */
	size_t i;

	lb_snprintf(d.upper, sizeof(d.upper), "%s/upper/upper", cli_run_dir);
	if (list_layers(&d))
		return 1;
	walk_upper(&d);
	sort_by_path(d.out.v, d.out.n);
	for (i = 0; i < d.out.n; i++)
		if (i == 0 || strcmp(d.out.v[i], d.out.v[i - 1]) != 0)
			lb_dprintf(1, "%s\n", d.out.v[i]);
	strlist_free(&d.out);
	strlist_free(&d.layers);
	return d.err;
}
