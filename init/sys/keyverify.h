/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_KEYVERIFY_H
#define LB_SYS_KEYVERIFY_H

#include <stddef.h>
#include <stdint.h>

/*
 * Checks sig (RSA PKCS#1 v1.5, as `openssl dgst -sha256 -sign` writes it)
 * over a sha256 digest with the public key of the X.509 certificate (DER)
 * cert, by the kernel's own crypto: add_key("asymmetric") into the process
 * keyring, then keyctl(KEYCTL_PKEY_VERIFY). The key is added once per process.
 * 0: good; -EKEYREJECTED, -EBADMSG or -EINVAL: the signature does not verify; any
 * other -errno: the certificate or the kernel, with set_error("CERT: cause").
 */
int key_verify_sha256(const char *cert, const uint8_t digest[32], const uint8_t *sig,
		      size_t sig_len);

#endif
