// SPDX-License-Identifier: MIT
/*
 * The signature check, done by the kernel: the init carries no public-key
 * code. The Debian kernels of the boards build ASYMMETRIC_KEY_TYPE,
 * X509_CERTIFICATE_PARSER and RSA in (checked in their configs), so no module
 * is needed. The key lives in the process keyring of the caller: PID 1's goes
 * away with the exec of the system's init, the CLI's with the command.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/file.h"
#include "sys/keyverify.h"
#include "sys/log.h"

/* <linux/keyctl.h>: stable ABI, not shipped with musl. */
#define LB_KEY_SPEC_PROCESS_KEYRING (-2)
#define LB_KEYCTL_PKEY_VERIFY	    28
#define CERT_MAX		    (64 << 10)

struct lb_keyctl_pkey_params {
	int32_t key_id;
	uint32_t in_len;
	uint32_t in2_len; /* a union with out_len in the kernel's header */
	uint32_t spare[7];
};

static long cert_key = -1;

static int load_cert(const char *cert)
{
	size_t len;
	char *der;
	int rc = read_file(cert, &der, CERT_MAX, &len);

	if (rc)
		return set_error(rc, "%s: %s", cert, strerror(-rc));
	cert_key = syscall(SYS_add_key, "asymmetric", "layerboot-cert", der, len,
			   LB_KEY_SPEC_PROCESS_KEYRING);
	rc = cert_key < 0 ? -errno : 0;
	free(der);
	if (rc)
		return set_error(rc, "%s: the kernel does not take the certificate: %s", cert,
				 strerror(-rc));
	return 0;
}

int key_verify_sha256(const char *cert, const uint8_t digest[32], const uint8_t *sig,
		      size_t sig_len)
{
	struct lb_keyctl_pkey_params p;
	int rc = cert_key < 0 ? load_cert(cert) : 0;

	if (rc)
		return rc;
	memset(&p, 0, sizeof(p));
	p.key_id = (int32_t)cert_key;
	p.in_len = 32;
	p.in2_len = (uint32_t)sig_len;
	if (!syscall(SYS_keyctl, LB_KEYCTL_PKEY_VERIFY, &p, "enc=pkcs1 hash=sha256", digest, sig))
		return 0;
	rc = -errno;
	/*
	 * A wrong signature: EKEYREJECTED or EBADMSG (bad padding), or EINVAL
	 * when, as a number, it is not below the key's modulus (another key's).
	 */
	if (rc == -EKEYREJECTED || rc == -EBADMSG || rc == -EINVAL)
		return rc;
	return set_error(rc, "%s: keyctl pkey_verify: %s", cert, strerror(-rc));
}
