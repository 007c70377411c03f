// SPDX-License-Identifier: MIT
/* proc_fork: a process of the init's own, by the raw system call (sys/proc.h). */
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/proc.h"

pid_t proc_fork(void)
{
	/*
	 * clone with SIGCHLD and nothing shared is fork, on every architecture
	 * (aarch64 has no fork system call). The zero arguments (child stack,
	 * tid pointers, TLS) are zero whatever order an architecture takes them in.
	 */
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}
