/* SPDX-License-Identifier: MIT */
/*
 * Merging the tar streams of one layer into one, OCI whiteouts turned into
 * overlayfs ones. Pure: the archives come in as memory, the output goes out
 * through a callback, so unit tests and the fuzzer run it as it is.
 */
#ifndef LAYERTAR_MERGE_H
#define LAYERTAR_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "tar.h"
#include "tarout.h"

/* One bit per stream in the path table. */
#define MERGE_MAX_STREAMS 32

struct merge;

/* Writes n bytes of the output; 0 or -errno. */
typedef lt_put_fn merge_put_fn;

struct merge *merge_new(void);
void merge_free(struct merge *m);

/*
 * Read stream s (0 the bottom; streams are added bottom first). The merge
 * keeps pointers into map until merge_free. 0, or -errno with err filled.
 */
int merge_stream(struct merge *m, int s, const unsigned char *map, uint64_t len,
		 struct lt_error *err);

/* Write the merged archive. 0, or -errno with err filled. */
int merge_write(struct merge *m, merge_put_fn put, void *ctx, struct lt_error *err);

/*
 * "./a//b/" and "/a/b" are both "a/b", "/" and "." are "" (the root).
 * -EINVAL for a ".." component, -ENOMEM; *out is the caller's to free.
 */
int lt_normalise(const char *in, char **out);

/*
 * The path of t, and its link, normalised into *path and *link (a symbolic
 * link's target is kept as it is, a hard link's is normalised); t->link is
 * used up. 0, or -errno with err filled (a '..' is refused by name).
 */
int lt_take_names(char type, struct tar_entry *t, char **path, char **link, struct lt_error *err);

#endif
