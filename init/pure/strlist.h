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
/* Sorts by strcmp (byte order), dropping repeats: a shell sort, as musl's
 * qsort would cost the static init a KiB. */
void strlist_sort_uniq(struct strlist *l);
/* The value of "key=value" in a list of such lines; NULL if none. */
const char *strlist_value(const struct strlist *l, const char *key);

#endif
