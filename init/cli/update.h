/* SPDX-License-Identifier: MIT */
#ifndef LB_CLI_UPDATE_H
#define LB_CLI_UPDATE_H

#include <stdbool.h>

/* layerboot update FILE|- [--allow-downgrade] (cli/update.c). Exit status: 0, 1. */
int cmd_update(const char *file, bool allow_downgrade);
/* After a mark-good (cli/gc.c): the images no slot uses go. Exit 0. */
int cmd_gc(void);

#endif
