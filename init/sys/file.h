/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_FILE_H
#define LB_SYS_FILE_H

#include <stddef.h>

/* Whole file, NUL-terminated; -EFBIG past max so a huge file cannot eat the RAM. */
int read_file(const char *path, char **out, size_t max, size_t *len);
/* mkdir -p; 0 or -errno. */
int mkdir_p(const char *path, unsigned int mode);
/* A copy of from at to, with mode; 0 or -errno. */
int copy_file(const char *from, const char *to, unsigned int mode);

#endif
