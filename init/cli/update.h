/* SPDX-License-Identifier: MIT */
#ifndef LB_CLI_UPDATE_H
#define LB_CLI_UPDATE_H

#include <stdbool.h>

/*
 * layerboot update FILE|- [--allow-downgrade] [--check] (cli/update.c).
 * check: every check and the upper's hidden paths, nothing written. Exit 0, 1.
 */
int cmd_update(const char *file, bool allow_downgrade, bool check);
/* After a mark-good (cli/gc.c): the images no slot uses go. Exit 0. */
int cmd_gc(void);

#endif
