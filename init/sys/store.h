/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_STORE_H
#define LB_SYS_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "pure/bootstate.h"

/*
 * The slot store on the layers partition (init/INTERFACE.md "Slot store"),
 * mounted read-only at /run/layerboot/source. Written only between
 * store_remount(true) and store_remount(false).
 */
#define STORE_STATE "bootstate"

/* Remounts the source read-write (rw) or read-only again; 0 or -errno. */
int store_remount(bool rw);
/* name.tmp in dirfd, written, fsync'd, renamed over name, the folder fsync'd. */
int store_write_atomic(int dirfd, const char *name, const void *buf, size_t len);
/*
 * Reads the boot state at dirfd. 0: *s is it; -ENOENT: there is none;
 * -EINVAL: garbage, *why says what; other -errno: it cannot be read.
 */
int store_read_state(int dirfd, struct bootstate *s, const char **why);
/* Formats s and writes it with store_write_atomic, remounting around it. */
int store_write_state(int dirfd, const struct bootstate *s);

#endif
