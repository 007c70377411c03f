/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_INROOT_H
#define LB_SYS_INROOT_H

/*
 * Whether path, looked up inside the directory root as if it were / (its
 * symlinks and ".." stay inside, as under chroot), is a regular file this
 * process may execute. 0, -EISDIR (not a regular file), -errno, or -ENOSYS
 * on a kernel without openat2 (before 5.6): the caller then needs a chroot.
 */
int exec_check_in_root(const char *root, const char *path);

#endif
