/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_CLOCK_H
#define LB_SYS_CLOCK_H

#include <stdint.h>

/* Microseconds of CLOCK_MONOTONIC: the stage times, timeouts. */
uint64_t now_us(void);

#endif
