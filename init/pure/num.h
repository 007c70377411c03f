/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_NUM_H
#define LB_PURE_NUM_H

#include <stdint.h>

/*
 * The one decimal parser of the init: digits only (no sign, no space, no
 * base prefix), at least one, and a value above max is -ERANGE however many
 * digits follow, so no caller has an overflow rule of its own.
 */

/* The digits at the start of s; *end points past them. 0, -EINVAL (no digit), -ERANGE. */
int num_prefix(const char *s, uint64_t max, uint64_t *out, const char **end);
/* All of s is the number. 0, -EINVAL, -ERANGE. */
int num_parse(const char *s, uint64_t max, uint64_t *out);
/* The same for an unsigned int. */
int num_parse_uint(const char *s, unsigned int max, unsigned int *out);

#endif
