/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_LOOP_H
#define LB_SYS_LOOP_H

#define LOOP_DEV_MAX 32 /* "/dev/loopN" */

/*
 * Attaches image_fd to a free loop device, read-only and autoclear, and
 * writes its node to dev. Returns the loop device's fd (keep it open until
 * the mount holds the device: autoclear fires on the last close), or -errno.
 */
int loop_attach(int image_fd, char dev[LOOP_DEV_MAX]);

#endif
