// SPDX-License-Identifier: MIT
/*
 * Stage manifest: read and validate the manifest. It is always the one in the
 * initramfs, which comes with the kernel: a source device is only trusted for
 * the bytes that match it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "pure/paths.h"
#include "sys/file.h"
#include "sys/log.h"

#define MANIFEST_MAX (1 << 20)
#define MANIFEST     INITRAMFS_LAYERS "/manifest"

int manifest_load(struct boot *b)
{
	struct manifest_err e = { 0, "" };
	char *text;
	size_t len;
	int rc = read_file(MANIFEST, &text, MANIFEST_MAX, &len);

	if (rc)
		return set_error(rc, "%s: %s", MANIFEST, strerror(-rc));
	if (strlen(text) != len)
		rc = set_error(-EINVAL, "%s: NUL byte in the file", MANIFEST);
	else if (manifest_parse(text, &b->man, &e))
		rc = e.line ? set_error(-EINVAL, "%s: line %u: %s", MANIFEST, e.line, e.msg)
			    : set_error(-EINVAL, "%s: %s", MANIFEST, e.msg);
	free(text);
	if (!rc)
		log_debug("manifest", "%u layers", b->man.count);
	return rc;
}
