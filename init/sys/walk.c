// SPDX-License-Identifier: MIT
/* The fd-based tree walker (see walk.h for its rules and why). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pure/strlist.h"
#include "sys/walk.h"

struct frame {
	struct strlist names; /* the directory's entries, read when entered */
	size_t next;	      /* the next one to visit */
	struct stat st;	      /* the directory itself */
	size_t pathlen;	      /* its path's length in the walk's path */
};

struct walk {
	const struct walk_ops *ops;
	struct frame *f;
	size_t depth, cap;
	char *path;
	size_t pathcap;
	dev_t dev;
	int top; /* the walk's top directory */
	int cur; /* the directory of the top frame */
};

#ifdef LB_TEST_BUILD
unsigned long walk_listings;
#endif

/* Every name in dfd but "." and "..", through a descriptor of its own. */
int walk_read_names(int dfd, struct strlist *out)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (!d) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		return rc;
	}
#ifdef LB_TEST_BUILD
	walk_listings++;
#endif
	errno = 0;
	while (!rc && (e = readdir(d))) {
		const char *n = e->d_name;

		if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
			continue;
		rc = strlist_add(out, strdup(n));
	}
	if (!rc && errno)
		rc = -errno;
	closedir(d);
	strlist_sort_uniq(out);
	return rc;
}

/* path = the top frame's path + "/" + name */
static int set_path(struct walk *w, const char *name)
{
	size_t base = w->depth ? w->f[w->depth - 1].pathlen : 0, n = strlen(name);

	if (!w->path || base + n + 2 > w->pathcap) {
		size_t cap = (base + n + 2) * 2;
		char *p = realloc(w->path, cap);

		if (!p)
			return -ENOMEM;
		w->path = p;
		w->pathcap = cap;
	}
	w->path[base] = '/';
	memcpy(w->path + base + 1, name, n + 1);
	return 0;
}

static int push(struct walk *w, int fd, const struct stat *st)
{
	struct frame *f;
	int rc;

	if (w->depth == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;

		f = realloc(w->f, cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		w->f = f;
		w->cap = cap;
	}
	f = &w->f[w->depth];
	memset(f, 0, sizeof(*f));
	f->st = *st;
	f->pathlen = w->depth ? strlen(w->path) : 0;
	rc = walk_read_names(fd, &f->names);
	if (rc) {
		strlist_free(&f->names);
		return rc;
	}
	w->depth++;
	return 0;
}

static int report(struct walk *w, const char *name, const struct stat *st, int err)
{
	struct walk_entry e = { w->cur, name, w->path, st, false };

	if (!w->ops->on_error)
		return err;
	return w->ops->on_error(w->ops->arg, &e, err);
}

/* Into the directory name of the top frame, if it is still the one lstat saw. */
static int descend(struct walk *w, const char *name, const struct stat *st)
{
	int fd = openat(w->cur, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc;
	struct stat now;

	if (fd < 0)
		return report(w, name, st, -errno);
	if (fstat(fd, &now) || now.st_dev != st->st_dev || now.st_ino != st->st_ino)
		rc = report(w, name, st, -ESTALE);
	else if ((rc = push(w, fd, st)) == 0) {
		close(w->cur);
		w->cur = fd;
		return 0;
	} else {
		rc = report(w, name, st, rc);
	}
	close(fd);
	return rc;
}

/*
 * Back to the parent through "..", which must be the directory we came from.
 * The top is the one directory that may have a mount on it (the handoff walks
 * the initramfs under the new root), and ".." would step into that mount: the
 * top is reached through its own descriptor instead.
 */
static int climb(struct walk *w)
{
	const struct stat *want = &w->f[w->depth - 1].st;
	int fd = w->depth == 1
			 ? fcntl(w->top, F_DUPFD_CLOEXEC, 0)
			 : openat(w->cur, "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_dev != want->st_dev || st.st_ino != want->st_ino) {
		close(fd);
		return -ESTALE;
	}
	close(w->cur);
	w->cur = fd;
	return 0;
}

/* The top frame is done: climb out of it and tell the caller. */
static int finish_dir(struct walk *w)
{
	struct frame *done = &w->f[--w->depth];
	struct walk_entry e = { -1, NULL, w->path, &done->st, false };
	struct stat st = done->st;
	int rc;

	strlist_free(&done->names);
	if (!w->depth)
		return 0;
	rc = climb(w);
	if (rc)
		return rc;
	w->path[done->pathlen] = '\0';
	e.dirfd = w->cur;
	e.name = w->f[w->depth - 1].names.v[w->f[w->depth - 1].next - 1];
	e.st = &st;
	rc = w->ops->leave ? w->ops->leave(w->ops->arg, &e) : 0;
	w->path[w->f[w->depth - 1].pathlen] = '\0';
	return rc;
}

static int visit(struct walk *w, const char *name)
{
	struct walk_entry e = { w->cur, name, NULL, NULL, false };
	struct stat st;
	int rc = set_path(w, name);

	if (rc)
		return rc;
	e.path = w->path; /* set_path may have moved it */
	if (fstatat(w->cur, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : report(w, name, NULL, -errno);
	e.st = &st;
	e.other_fs = st.st_dev != w->dev;
	rc = w->ops->enter ? w->ops->enter(w->ops->arg, &e) : WALK_NEXT;
	if (rc < 0 || rc == WALK_SKIP || !S_ISDIR(st.st_mode) || e.other_fs)
		return rc < 0 ? rc : 0;
	return descend(w, name, &st);
}

int walk_tree(int top, const struct walk_ops *ops)
{
	struct walk w = { ops, NULL, 0, 0, NULL, 0, 0, top, -1 };
	struct stat st = { 0 };
	int rc;

	w.cur = openat(top, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.cur < 0 || fstat(w.cur, &st))
		rc = errno ? -errno : -EIO;
	else
		rc = set_path(&w, "");
	if (!rc) {
		w.dev = st.st_dev;
		rc = push(&w, w.cur, &st);
	}
	while (!rc && w.depth) {
		struct frame *f = &w.f[w.depth - 1];

		if (f->next == f->names.n)
			rc = finish_dir(&w);
		else
			rc = visit(&w, f->names.v[f->next++]);
	}
	while (w.depth)
		strlist_free(&w.f[--w.depth].names);
	free(w.f);
	free(w.path);
	if (w.cur >= 0)
		close(w.cur);
	return rc;
}
