/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_SHA256FD_H
#define LB_SYS_SHA256FD_H

#include <stdint.h>

#include "pure/sha256.h"

/* The CPU's SHA-256 instructions (x86 SHA-NI, Armv8 SHA2), if it has them. */
int sha256_accel_available(void);
/* Force one path (tests); returns -ENOTSUP if the CPU lacks it. */
int sha256_use(enum sha256_impl impl);
/* The fastest path this CPU has. */
void sha256_use_fastest(void);
/* Hash what is left to read on fd, in 1 MiB reads, on the fastest path; 0 or -errno. */
int sha256_fd(int fd, uint8_t out[32]);

#endif
