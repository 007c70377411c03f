// SPDX-License-Identifier: MIT
/* Stage manifest: read and validate the source's manifest. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lb.h"

#define MANIFEST_MAX (1 << 20)

int manifest_load(struct boot *b)
{
	struct manifest_err e = { 0, "" };
	char path[PATH_MAX], *text;
	size_t len;
	int rc, n = lb_snprintf(path, sizeof(path), "%s/manifest", b->src_path);

	if (n < 0 || (size_t)n >= sizeof(path))
		return set_error(-ENAMETOOLONG, "%s/manifest: path too long", b->src_path);
	rc = read_file(path, &text, MANIFEST_MAX, &len);
	if (rc)
		return set_error(rc, "%s: %s", path, strerror(-rc));
	if (strlen(text) != len)
		rc = set_error(-EINVAL, "%s: NUL byte in the file", path);
	else if (manifest_parse(text, &b->man, &e))
		rc = e.line ? set_error(-EINVAL, "%s: line %u: %s", path, e.line, e.msg)
			    : set_error(-EINVAL, "%s: %s", path, e.msg);
	free(text);
	if (!rc)
		log_debug("manifest", "%u layers", b->man.count);
	return rc;
}
