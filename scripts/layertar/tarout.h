/* SPDX-License-Identifier: MIT */
/*
 * Writing tar entries the one way layertar writes them: a pax header (path,
 * linkpath, the records kept from the archive, a size past 8 GiB) and then a
 * ustar header taken from the archive with the fields the entry changes. The
 * merge and the diff both write through here, so that their outputs read the
 * same to tar2sqfs and to the merge. No I/O: bytes go out through a callback.
 */
#ifndef LAYERTAR_TAROUT_H
#define LAYERTAR_TAROUT_H

#include <stddef.h>
#include <stdint.h>

#include "tar.h"

/* Writes n bytes of the output; 0 or -errno. */
typedef int (*lt_put_fn)(void *ctx, const void *p, size_t n);

struct tar_out {
	lt_put_fn put;
	void *ctx;
	struct lt_error *err; /* a failed write says "write: ..." for stream -1 */
};

/* One entry to write. The header's other fields (mode, owner, mtime,
 * devices) are kept as hdr has them. */
struct tar_item {
	const unsigned char *hdr; /* TAR_BLOCK bytes to start from */
	const char *path;	  /* normalised, "" for the root */
	char type;		  /* ustar typeflag */
	const char *link;	  /* hard or symbolic link target, for '1' and '2' */
	const char *pax;	  /* records written as they are, before path */
	size_t paxlen;
	int opaque;		  /* add the overlayfs opaque xattr (a directory) */
	int zero_dev;		  /* device 0:0: an overlayfs whiteout */
	const unsigned char *data;
	uint64_t size; /* bytes of data */
};

/* The entry, its data and padding. 0, or -errno with o->err filled. */
int tar_write(const struct tar_out *o, const struct tar_item *it);
/* The two zero blocks that end an archive. */
int tar_write_end(const struct tar_out *o);
/* A ustar numeric field: octal, len - 1 digits and a NUL. */
void tar_octal(unsigned char *f, size_t len, uint64_t v);

#endif
