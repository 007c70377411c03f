/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_HEX_H
#define LB_PURE_HEX_H

#include <stdint.h>

/* 64 lowercase hex digits (what the manifest writes) into 32 bytes; 0 or -EINVAL. */
int hex_decode32(const char *hex, uint8_t out[32]);
/* n bytes as 2n lowercase hex digits and a NUL. */
void hex_encode(const uint8_t *in, unsigned int n, char *out);

#endif
