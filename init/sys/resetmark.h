/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_RESETMARK_H
#define LB_SYS_RESETMARK_H

#include <stdbool.h>

/*
 * The factory-reset marker on the root of the data partition, shared by the
 * CLI (which asks for a reset) and the boot (which does it): one name, one
 * protocol. The file says "requested" when `layerboot reset` wrote it and
 * "started" once a boot began the reset (step 1 of sys/reset.c). Only a
 * regular file asks for a reset: a folder of that name is not ours.
 */
#define RESET_MARKER "reset-requested"

enum resetmark_text { RESETMARK_REQUESTED, RESETMARK_STARTED };

/* Writes the marker and makes it durable (file and directory fsynced); 0 or -errno. */
int resetmark_write(int dfd, enum resetmark_text text);
/* A regular file of that name exists. */
bool resetmark_present(int dfd);
/* ... and says "started". */
bool resetmark_started(int dfd);
/* Removes it, durably; a missing marker is fine. 0 or -errno. */
int resetmark_clear(int dfd);

#endif
