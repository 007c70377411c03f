// SPDX-License-Identifier: MIT
/*
 * Read one manifest and trust it only as far as its signature goes: the
 * signature is checked on the bytes as read, before a byte of them is parsed,
 * and the boot, `layerboot slots` and `layerboot update` all come through here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pure/sha256.h"
#include "pure/sigline.h"
#include "sys/clock.h"
#include "sys/file.h"
#include "sys/keyverify.h"
#include "sys/log.h"
#include "sys/manifestfile.h"

#define MANIFEST_MAX (1 << 20)

static int check_sig(const char *path, const char *cert, const char *text, size_t *len)
{
	uint8_t sig[SIG_MAX], digest[32];
	const char *why;
	size_t sig_len;
	int rc;

	if (sig_split(text, *len, len, sig, &sig_len, &why))
		return set_error(-EBADMSG, "%s: %s", path, why);
	sha256(text, *len, digest);
	rc = key_verify_sha256(cert, digest, sig, sig_len);
	if (rc == -EKEYREJECTED || rc == -EBADMSG || rc == -EINVAL)
		return set_error(rc, "%s: signature does not verify (%s)", path, strerror(-rc));
	return rc;
}

/* Without a certificate: the signature line, if any, is dropped unchecked. */
static void unsigned_part(const char *text, size_t *len)
{
	uint8_t sig[SIG_MAX];
	const char *why;
	size_t sig_len;

	sig_split(text, *len, len, sig, &sig_len, &why);
}

static int check_header(const char *path, const struct manifest *m, const char *compatible)
{
	if (!m->version)
		return set_error(-EINVAL, "%s: no version field", path);
	if (strcmp(m->compatible, compatible) != 0)
		return set_error(-EINVAL, "%s: compatible '%s' is not this device's '%s'", path,
				 m->compatible, compatible);
	return 0;
}

static int parse(const char *path, char *text, size_t len, struct manifest *m)
{
	struct manifest_err e = { 0, "" };

	text[len] = '\0'; /* the signed part only */
	if (strlen(text) != len)
		return set_error(-EINVAL, "%s: NUL byte in the file", path);
	if (!manifest_parse(text, m, &e))
		return 0;
	return e.line ? set_error(-EINVAL, "%s: line %u: %s", path, e.line, e.msg)
		      : set_error(-EINVAL, "%s: %s", path, e.msg);
}

int manifest_read(const char *path, const char *cert, const char *compatible, struct manifest *m,
		  bool *signed_ok, uint64_t *sig_us)
{
	bool want_sig = access(cert, F_OK) == 0;
	uint64_t t0;
	char *text;
	size_t len;
	int rc = read_file(path, &text, MANIFEST_MAX, &len);

	*signed_ok = false;
	if (rc)
		return set_error(rc, "%s: %s", path, strerror(-rc));
	t0 = now_us();
	if (want_sig)
		rc = check_sig(path, cert, text, &len);
	else
		unsigned_part(text, &len); /* not checked, but the line is no layer */
	*sig_us = now_us() - t0;
	if (!rc)
		rc = parse(path, text, len, m);
	if (!rc && want_sig)
		rc = check_header(path, m, compatible);
	free(text);
	*signed_ok = want_sig && !rc;
	return rc;
}
