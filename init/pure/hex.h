/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_HEX_H
#define LB_PURE_HEX_H

#include <stddef.h>
#include <stdint.h>

/* 2 * bytes lowercase hex digits into bytes bytes; 0 or -EINVAL (no length check). */
int hex_decode(const char *hex, size_t bytes, uint8_t *out);
/* 64 lowercase hex digits (what the manifest writes) into 32 bytes; 0 or -EINVAL. */
int hex_decode32(const char *hex, uint8_t out[32]);
/* n bytes as 2n lowercase hex digits and a NUL. */
void hex_encode(const uint8_t *in, unsigned int n, char *out);

#endif
