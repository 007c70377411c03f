// SPDX-License-Identifier: MIT
/* Pure: a list of strings, for paths and lines whose count is not known. */
#include <errno.h>
#include <stdlib.h>

#include "pure/strlist.h"

int strlist_add(struct strlist *l, char *s)
{
	if (!s)
		return -ENOMEM;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			free(s);
			return -ENOMEM;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	return 0;
}

void strlist_free(struct strlist *l)
{
	while (l->n)
		free(l->v[--l->n]);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}
