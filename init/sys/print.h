/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_PRINT_H
#define LB_SYS_PRINT_H

#include <stddef.h>

#include "pure/fmt.h"

/* All of n bytes, again after EINTR and short writes; 0 or -1. */
int write_all(int fd, const char *p, size_t n);
/* Formats (pure/fmt.h), then one write(2): a line is never interleaved. -1 on error. */
int lb_dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Output that is written as it is made, in blocks: a long listing costs
 * neither memory nor a write(2) a line. The first failed write sticks in err
 * and drops the rest.
 */
struct outbuf {
	int fd, err;
	size_t n;
	char b[4096];
};
void out_put(struct outbuf *o, const char *p, size_t n);
/* Formats (pure/fmt.h) into the buffer; -1 once any write (or memory) failed. */
int out_printf(struct outbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes what is buffered; 0 or -1 if any write failed. */
int out_flush(struct outbuf *o);

#endif
