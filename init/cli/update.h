/* SPDX-License-Identifier: MIT */
#ifndef LB_CLI_UPDATE_H
#define LB_CLI_UPDATE_H

#include <stdbool.h>

/*
 * layerboot update FILE|- [--allow-downgrade]: in the layerboot-update binary
 * (cli/updatemain.c), which `layerboot update` execs. Exit status: 0, 1.
 */
int cmd_update(const char *file, bool allow_downgrade);
/* layerboot-update gc (cli/gc.c), after a mark-good: the images no slot uses go. Exit 0. */
int cmd_gc(void);

/* Where `layerboot update` finds it: copied there from the initramfs at every boot. */
#define UPDATE_BIN "layerboot-update"

#endif
