/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_RMTREE_H
#define LB_SYS_RMTREE_H

/*
 * Deletes everything below the directory dfd without following a symlink or
 * entering another filesystem than dfd's (sys/rmtree.c). Returns the entries
 * that stay: each directory on another filesystem (not entered), each entry
 * that could not be removed or read.
 */
unsigned int rmtree_contents(int dfd);

#endif
