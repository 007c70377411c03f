// SPDX-License-Identifier: MIT
/* The one clock of the init: monotonic, so a wall-clock step cannot stretch a wait. */
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sys/clock.h"

/* The kernel's timespec is {long, long}; a 32-bit target would need clock_gettime64. */
_Static_assert(sizeof(time_t) == sizeof(long), "now_us: a 64-bit time_t in a long");

uint64_t now_us(void)
{
	struct timespec ts;

	/*
	 * The system call, not clock_gettime(): musl's looks the vDSO up (about
	 * 1 KiB of ELF parsing in a static binary) to save a fraction of a
	 * microsecond on each of the few dozen readings a boot takes.
	 */
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}
