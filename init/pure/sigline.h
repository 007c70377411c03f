/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_SIGLINE_H
#define LB_PURE_SIGLINE_H

#include <stddef.h>
#include <stdint.h>

/* An RSA-4096 signature is 512 bytes; room for a larger key, not for a huge line. */
#define SIG_MAX 1024

/*
 * A signed manifest ends with the line "signature=HEX" (init/INTERFACE.md):
 * the signature of every byte before it. Finds that last line, gives the
 * length of the signed part and the signature's bytes; 0, or -EINVAL with
 * *why set. Nothing may follow the line but one '\n'.
 */
int sig_split(const char *text, size_t len, size_t *signed_len, uint8_t sig[SIG_MAX],
	      size_t *sig_len, const char **why);

#endif
