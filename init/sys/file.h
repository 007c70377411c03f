/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_FILE_H
#define LB_SYS_FILE_H

#include <stddef.h>

/*
 * Opens path (relative to dirfd, or AT_FDCWD) for reading only if it is a
 * regular file, and never blocks doing so: a FIFO or a tty named like an image
 * or a marker must reach an error message, not hang PID 1. O_NOFOLLOW (a link
 * is refused), O_NOCTTY, checked with fstat before any read. fd or -errno
 * (-EINVAL: not a regular file).
 */
int open_regular(int dirfd, const char *path);
/* The same for a block device node (links to it are fine: /dev/disk/...): -ENOTBLK. */
int open_blockdev(const char *path);

/* Whole file, NUL-terminated; -EFBIG past max so a huge file cannot eat the RAM. */
int read_file(const char *path, char **out, size_t max, size_t *len);
/* mkdir -p; 0 or -errno. */
int mkdir_p(const char *path, unsigned int mode);
/* A copy of from at to, with mode; 0 or -errno. */
int copy_file(const char *from, const char *to, unsigned int mode);

#endif
