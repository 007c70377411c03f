// SPDX-License-Identifier: MIT
/* Pure: a list of strings, for paths and lines whose count is not known. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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

void strlist_sort_uniq(struct strlist *l)
{
	char **v = l->v;
	size_t gap, i, j, n = l->n;

	for (gap = n / 2; gap; gap = gap == 2 ? 1 : gap * 5 / 11)
		for (i = gap; i < n; i++) {
			char *x = v[i];

			for (j = i; j >= gap && strcmp(v[j - gap], x) > 0; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	for (i = j = 0; i < n; i++) {
		if (j && !strcmp(v[j - 1], v[i]))
			free(v[i]);
		else
			v[j++] = v[i];
	}
	l->n = j;
}

const char *strlist_value(const struct strlist *l, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; i < l->n; i++)
		if (!strncmp(l->v[i], key, n) && l->v[i][n] == '=')
			return l->v[i] + n + 1;
	return NULL;
}
