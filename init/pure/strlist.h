/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_STRLIST_H
#define LB_PURE_STRLIST_H

#include <stddef.h>

/* A growing array of malloc'ed strings; the list owns what it holds. */
struct strlist {
	char **v;
	size_t n, cap;
};

/* Takes s (NULL: -ENOMEM, for a failed strdup); frees it if it cannot grow. */
int strlist_add(struct strlist *l, char *s);
void strlist_free(struct strlist *l);

#endif
