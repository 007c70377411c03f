/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_SHA256_H
#define LB_PURE_SHA256_H

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

/*
 * Which block function hashes: the portable C one (the default) or the CPU's
 * SHA instructions (x86 SHA-NI, Armv8 SHA2). Only select SHA256_ACCEL when the
 * CPU has them: sys/sha256fd.h asks the CPU and picks the fastest.
 */
void sha256_select(enum sha256_impl impl);
const char *sha256_impl_name(void);

#endif
