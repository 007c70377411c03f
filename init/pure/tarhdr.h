/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_TARHDR_H
#define LB_PURE_TARHDR_H

#include <stdint.h>

/*
 * One 512-byte header of a ustar archive (POSIX.1-1988), as an update bundle
 * holds them (init/INTERFACE.md "Update bundle"): regular files only, names
 * in the 100-byte field (no prefix), sizes in octal.
 */
#define TAR_BLOCK 512

struct tar_member {
	char name[101];
	unsigned long long size;
};

/*
 * 0: *m is a regular file's header; 1: the end of the archive (a zero block);
 * -EINVAL with *why: not a ustar header, a bad checksum or size, a type other
 * than a regular file, a name with a prefix or a NUL-less field.
 */
int tar_header_parse(const uint8_t blk[TAR_BLOCK], struct tar_member *m, const char **why);
/* The bytes of data blocks after the header: size rounded up to a block. */
unsigned long long tar_padded(unsigned long long size);

#endif
