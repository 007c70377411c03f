/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_SIZE_H
#define LB_PURE_SIZE_H

#include <stddef.h>

/* A tmpfs size: either an absolute byte count or a percentage of RAM. */
struct size_spec {
	unsigned long long bytes; /* when pct == 0 */
	unsigned int pct;	  /* 1..100, or 0 for an absolute size */
};

int size_parse(const char *s, struct size_spec *out);
int size_format(const struct size_spec *sz, char *buf, size_t len);

#endif
