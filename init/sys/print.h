/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_PRINT_H
#define LB_SYS_PRINT_H

#include <stddef.h>

#include "pure/fmt.h"

/* All of n bytes, again after EINTR and short writes; 0 or -1. */
int write_all(int fd, const char *p, size_t n);
/* Formats (pure/fmt.h), then one write(2): a line is never interleaved. -1 on error. */
int lb_dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
