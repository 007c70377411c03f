/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_RESETMARK_H
#define LB_SYS_RESETMARK_H

#include <stdbool.h>

/*
 * The factory-reset markers on the root of the data partition, shared by the
 * CLI (which asks for a reset) and the boot (which does it): one protocol.
 *   reset-requested  `layerboot reset` asks for a reset at the next boot
 *   reset-started    a boot began the reset (step 1 of sys/reset.c)
 * Both are empty files: making one needs an inode but no data block, so a
 * reset can be asked for and started on a data partition that is 100 % full.
 * Only a regular file counts: a folder, a FIFO or a link of that name is not a
 * request. (A reset-requested holding "started", as written before 0.2.0,
 * counts as reset-started.)
 */
#define RESET_REQUESTED "reset-requested"
#define RESET_STARTED	"reset-started"

enum resetmark { RESETMARK_REQUESTED, RESETMARK_STARTED };

/* Makes the marker, durably (written beside its name, renamed over it, fsynced). */
int resetmark_write(int dfd, enum resetmark m);
/* Either marker is there. */
bool resetmark_present(int dfd);
/* A boot already began the reset. */
bool resetmark_started(int dfd);
/* Removes both (reset-requested first: a cut between leaves "started"). 0 or -errno. */
int resetmark_clear(int dfd);

#endif
