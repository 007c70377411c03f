/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_PROC_H
#define LB_SYS_PROC_H

#include <sys/types.h>

/*
 * fork(2) for the init, whose children only chroot, stat, exec or _exit: the
 * raw system call, without the C library's fork(). musl's fork() runs the
 * atfork handlers and takes its internal locks for the threads a program may
 * have, and that machinery (locks, rwlocks, timed waits: about 2 KiB) is all
 * that a single-threaded PID 1 would gain. Returns as fork() does.
 */
pid_t proc_fork(void);

#endif
