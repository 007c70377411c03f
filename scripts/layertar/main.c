// SPDX-License-Identifier: MIT
/*
 * layertar: merge the tar streams of one layer into the one tar stream that
 * tar2sqfs packs (merge.c says how). This file is the I/O around it: map
 * each archive, write the merged one to stdout, print the one message.
 * A host program, built by make (scripts/layertar/layertar.mk) and run by
 * scripts/mklayer.
 *
 * Usage: layertar TAR... > OUT.tar      (uncompressed archives, bottom first)
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

int main(int argc, char **argv)
{
	struct lt_error err = { -1, "" };
	struct merge *m;
	int s;

	if (argc < 2 || argc - 1 > MERGE_MAX_STREAMS) {
		(void)fprintf(stderr, "usage: layertar TAR... > OUT.tar (at most %d, bottom first)\n",
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
	if (fflush(stdout) || ferror(stdout)) {
		err.stream = -1;
		lt_message(&err, "write: %s", strerror(errno));
		return report(argv + 1, &err);
	}
	/* The maps stay until exit: the merge points into them to the end. */
	merge_free(m);
	return 0;
}
