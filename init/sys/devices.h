/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_DEVICES_H
#define LB_SYS_DEVICES_H

#include <stddef.h>

#include "pure/config.h"

#define DEV_PATH_MAX (DEVSPEC_VALUE_MAX + 1) /* a /dev/NAME spec, or "/dev/" + sysfs name */

/*
 * Waits up to timeout seconds for the one block device that answers l->dev and
 * writes its node ("/dev/vda1") to path. When several answer, the one on the
 * same disk as near (a device node, or NULL) is taken if exactly one is.
 * -ENODEV, -ENOTBLK, or -EEXIST when several answer and none is nearer, with
 * the message set ("SPEC: no such device after 10 s").
 */
int device_wait(const struct location *l, unsigned int timeout, const char *near,
		char path[DEV_PATH_MAX]);
/* 0 if the device holds an ext2/3/4 superblock; -EINVAL if not, or -errno. */
int device_is_ext4(const char *path);

#endif
