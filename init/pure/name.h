/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_NAME_H
#define LB_PURE_NAME_H

#include <stddef.h>

/*
 * The one character set for names that become paths or mount options: layer
 * names (NAME.sqfs, /run/layerboot/layers/NAME) and the board name:
 * [A-Za-z0-9][A-Za-z0-9._-]*, at most max bytes. No '/', no "..", no space.
 * Returns 0 if name is one, else -ENAMETOOLONG or -EINVAL with *why set
 * ("'/' in name", ...).
 */
int name_ok(const char *name, size_t max, const char **why);

#endif
