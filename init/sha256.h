/* SPDX-License-Identifier: MIT */
#ifndef LB_SHA256_H
#define LB_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	uint8_t buf[64];
	unsigned int nbuf;
};

enum sha256_impl { SHA256_PORTABLE, SHA256_ACCEL };

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[32]);
void sha256(const void *data, size_t len, uint8_t out[32]);
/* Hash what is left to read on fd, in 1 MiB reads; 0 or -errno. */
int sha256_fd(int fd, uint8_t out[32]);

/* The CPU's SHA-256 instructions (x86 SHA-NI, Armv8 SHA2), if it has them. */
int sha256_accel_available(void);
/* Force one path (tests); returns -ENOTSUP if the CPU lacks it. */
int sha256_use(enum sha256_impl impl);
const char *sha256_impl_name(void);

#endif
