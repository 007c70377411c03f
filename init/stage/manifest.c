// SPDX-License-Identifier: MIT
/*
 * Stage manifest: read, verify and validate the manifest. Without a slot store
 * it is the one in the initramfs, which comes with the kernel: a source device
 * is only trusted for the bytes that match it. With a store, the slot stage has
 * already read and verified the chosen slot's manifest. Either way the
 * signature is checked before any image is opened.
 */
#include "boot.h"
#include "pure/paths.h"
#include "sys/log.h"
#include "sys/manifestfile.h"

#define MANIFEST INITRAMFS_LAYERS "/manifest"

int manifest_load(struct boot *b)
{
	char compat[LB_COMPAT_MAX + 2];
	int rc;

	if (b->slot)
		return 0;
	boot_compatible(b, compat, sizeof(compat));
	rc = manifest_read(MANIFEST, CERT_FILE, compat, &b->man, &b->signature, &b->t_sig_us);
	if (!rc)
		log_debug("manifest", "%u layers, signature %s", b->man.count,
			  b->signature ? "verified" : "not checked (no certificate)");
	return rc;
}
