/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_WALK_H
#define LB_SYS_WALK_H

#include <stdbool.h>
#include <sys/stat.h>

#include "pure/strlist.h"

/*
 * The tree walker of the init and the CLI (the reset's delete of trash/,
 * layerboot diff; the handoff's delete of the initramfs, shallow and on the
 * boot's path, has its own, sys/rmtree.c). It never follows
 * a symlink, never enters another filesystem than the top's, and holds two
 * file descriptors at any depth: a directory's names are read whole when it
 * is entered, and the walk climbs back through "..", checking that it reached
 * the directory it came from (same device and inode) or stopping with
 * -ESTALE. So a tree 2000 levels deep costs neither stack nor descriptors,
 * and a directory swapped for a link under the walk is not followed.
 * Each directory's entries come in byte order of their names (strcmp), so
 * every walk, and what layerboot diff prints, is the same on every run.
 */

struct walk_entry {
	int dirfd;	       /* the directory that holds the entry */
	const char *name;      /* the entry's name in dirfd */
	const char *path;      /* from the top: "/etc/hostname" */
	const struct stat *st; /* its lstat; NULL in on_error when that failed */
	bool other_fs;	       /* on another filesystem: never entered */
};

enum { WALK_NEXT = 0, WALK_SKIP = 1 };

struct walk_ops {
	/* Each entry, a directory before its contents: WALK_NEXT, WALK_SKIP
	 * (do not enter this directory), or -errno to stop the walk. */
	int (*enter)(void *arg, const struct walk_entry *e);
	/* Each directory entered, after its contents (it may be removed now). */
	int (*leave)(void *arg, const struct walk_entry *e);
	/* An entry that could not be read or entered: 0 goes on without it,
	 * -errno stops. NULL: every such error stops the walk. */
	int (*on_error)(void *arg, const struct walk_entry *e, int err);
	void *arg;
};

#ifdef LB_TEST_BUILD
/* Directory listings made so far: the tests check that each folder is read once. */
extern unsigned long walk_listings;
#endif

/* The names in dfd but "." and "..", sorted (the walker's own reading). 0 or -errno. */
int walk_read_names(int dfd, struct strlist *out);

/* Walks everything below top (top itself is not reported). 0 or -errno. */
int walk_tree(int top, const struct walk_ops *ops);

#endif
