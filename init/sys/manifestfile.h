/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_MANIFESTFILE_H
#define LB_SYS_MANIFESTFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "pure/manifest.h"

/*
 * Reads the manifest at path and, when the certificate cert exists, checks
 * its signature line (pure/sigline.h) with the kernel (sys/keyverify.h), its
 * version and that its compatible is the device's, before it is parsed into m.
 * No certificate: no check (*signed_ok false). *sig_us: the time of the check.
 * 0, or -errno with set_error("PATH: cause").
 */
int manifest_read(const char *path, const char *cert, const char *compatible, struct manifest *m,
		  bool *signed_ok, uint64_t *sig_us);

#endif
