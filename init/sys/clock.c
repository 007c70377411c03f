// SPDX-License-Identifier: MIT
/* The one clock of the init: monotonic, so a wall-clock step cannot stretch a wait. */
#include <time.h>

#include "sys/clock.h"

uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}
