/* SPDX-License-Identifier: MIT */
#ifndef LB_CLI_UPDATE_H
#define LB_CLI_UPDATE_H

#include <stdbool.h>

/*
 * layerboot update FILE|- [--allow-downgrade] [--check]: in the
 * layerboot-update binary (cli/updatemain.c), which `layerboot update` execs.
 * check: every check and the upper's hidden paths, nothing written. Exit 0, 1.
 */
int cmd_update(const char *file, bool allow_downgrade, bool check);
/* layerboot-update gc (cli/gc.c), after a mark-good: the images no slot uses go. Exit 0. */
int cmd_gc(void);

/* Where `layerboot update` finds it: copied there from the initramfs at every boot. */
#define UPDATE_BIN "layerboot-update"

#endif
