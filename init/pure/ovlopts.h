/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_OVLOPTS_H
#define LB_PURE_OVLOPTS_H

#include <stddef.h>

#include "pure/manifest.h"

/* The kernel copies mount options into one page; the whole string must fit. */
#define LB_MOUNT_OPTS_MAX 4096

int overlay_options(char *buf, size_t len, unsigned int nlayers, const char *upperdir,
		    const char *workdir);
int overlay_options_paths(char *buf, size_t len, const struct manifest *m, const char *dir,
			  const char *upperdir, const char *workdir);

#endif
