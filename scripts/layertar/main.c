// SPDX-License-Identifier: MIT
/*
 * layertar: merge the tar streams of one layer into the one tar stream that
 * tar2sqfs packs (merge.c says how), or write the layer between two full
 * root trees (diff.c says how). This file is the I/O around them: map each
 * archive, write the result to stdout, print the one message.
 * A host program, built by make (scripts/layertar/layertar.mk) and run by
 * scripts/mklayer.
 *
 * Usage: layertar TAR... > OUT.tar      (uncompressed archives, bottom first)
 *        layertar --diff LOWER.tar FULL.tar > DIFF.tar
 *                 (what FULL adds to LOWER, whiteouts for what it removes;
 *                 DIFF.tar is an input of the merge like any layer tar)
 *
 * Why not GNU tar or mksquashfs: GNU tar writes a character device only from a
 * real node (root on the host), and mksquashfs 4.5 cannot add an xattr. A tar
 * stream can say both, and tar2sqfs keeps owners, modes, hard links, devices
 * and xattrs from it without root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff.h"
#include "merge.h"

static int put_stdout(void *ctx, const void *p, size_t n)
{
	if (fwrite(p, 1, n, ctx) != n)
		return errno ? -errno : -EIO;
	return 0;
}

/* The archive at path, mapped whole (NULL and 0 for an empty one). */
static int map_file(const char *path, const unsigned char **map, uint64_t *len,
		    struct lt_error *err)
{
	struct stat st;
	void *p;
	int rc, fd = open(path, O_RDONLY | O_CLOEXEC);

	*map = NULL;
	*len = 0;
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		if (fd >= 0)
			(void)close(fd);
		return lt_fail(err, rc, "%s", strerror(-rc));
	}
	/* A pipe would map as an empty archive: refuse it rather. */
	if (!S_ISREG(st.st_mode)) {
		(void)close(fd);
		return lt_fail(err, -EINVAL, "not a regular file");
	}
	*len = st.st_size;
	p = *len ? mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	rc = -errno;
	(void)close(fd);
	if (p == MAP_FAILED)
		return lt_fail(err, rc, "mmap: %s", strerror(-rc));
	*map = p;
	return 0;
}

static int report(char **files, const struct lt_error *err)
{
	(void)fprintf(stderr, "layertar: %s: %s\n", err->stream >= 0 ? files[err->stream] : "output",
		      err->msg);
	return 1;
}

static int flush(char **files, struct lt_error *err)
{
	if (fflush(stdout) || ferror(stdout)) {
		err->stream = -1;
		lt_message(err, "write: %s", strerror(errno));
		return report(files, err);
	}
	return 0;
}

/* layertar --diff LOWER FULL: files[DIFF_LOWER] and files[DIFF_FULL]. */
static int diff(char **files)
{
	struct lt_error err = { -1, "" };
	const unsigned char *map[2];
	uint64_t len[2];
	int s;

	for (s = DIFF_LOWER; s <= DIFF_FULL; s++) {
		err.stream = s;
		if (map_file(files[s], &map[s], &len[s], &err))
			return report(files, &err);
	}
	if (tar_diff(map[DIFF_LOWER], len[DIFF_LOWER], map[DIFF_FULL], len[DIFF_FULL],
		     put_stdout, stdout, &err))
		return report(files, &err);
	/* The maps go at exit. */
	return flush(files, &err);
}

int main(int argc, char **argv)
{
	struct lt_error err = { -1, "" };
	struct merge *m;
	int s;

	if (argc > 1 && !strcmp(argv[1], "--diff") && argc == 4)
		return diff(argv + 2);
	if (argc < 2 || argc - 1 > MERGE_MAX_STREAMS || !strncmp(argv[1], "--", 2)) {
		(void)fprintf(stderr,
			      "usage: layertar TAR... > OUT.tar (at most %d, bottom first)\n"
			      "       layertar --diff LOWER.tar FULL.tar > DIFF.tar\n",
			      MERGE_MAX_STREAMS);
		return 2;
	}
	m = merge_new();
	if (!m) {
		lt_message(&err, "out of memory");
		return report(argv + 1, &err);
	}
	for (s = 0; s < argc - 1; s++) {
		const unsigned char *map;
		uint64_t len;

		err.stream = s;
		if (map_file(argv[s + 1], &map, &len, &err) ||
		    merge_stream(m, s, map, len, &err))
			return report(argv + 1, &err);
	}
	if (merge_write(m, put_stdout, stdout, &err))
		return report(argv + 1, &err);
	if (flush(argv + 1, &err))
		return 1;
	/* The maps stay until exit: the merge points into them to the end. */
	merge_free(m);
	return 0;
}
