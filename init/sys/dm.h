/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_DM_H
#define LB_SYS_DM_H

#define DM_NODE_MAX 96 /* "/dev/mapper/" and a name of up to 80 bytes */

/*
 * Creates the read-only device-mapper device NAME with one target of type
 * over sectors, whose table line is table, resumes it (it is live), and
 * makes its node /dev/mapper/NAME. 0, or -errno with *step set to the ioctl
 * or the call that failed; a half-made device is removed again.
 */
int dm_create_ro(const char *name, const char *type, unsigned long long sectors, const char *table,
		 char node[DM_NODE_MAX], const char **step);

#endif
