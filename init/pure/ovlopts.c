// SPDX-License-Identifier: MIT
/*
 * Pure: the overlay mount options. The layers are named by their mount
 * points when those fit in the one page the kernel copies the options into
 * (they do for a few dozen layers): /proc/mounts then says which layer is
 * which. 500 full /run/layerboot/layers/NAME paths would not fit: then by
 * short relative names ("lowerdir=2:1:0", top first) from a directory of links.
 */
#include <errno.h>
#include <string.h>

#include "pure/fmt.h"
#include "pure/ovlopts.h"
#include "pure/manifest.h"

static int put_str(char *buf, size_t len, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos >= len || n >= len - *pos)
		return -E2BIG;
	memcpy(buf + *pos, s, n + 1);
	*pos += n;
	return 0;
}

static int put_num(char *buf, size_t len, size_t *pos, const char *sep, unsigned int v)
{
	char t[16];

	lb_snprintf(t, sizeof(t), "%s%u", sep, v);
	return put_str(buf, len, pos, t);
}

/* ",upperdir=U,workdir=W" after the lower layers. */
static int put_upper(char *buf, size_t len, size_t *pos, const char *upperdir, const char *workdir)
{
	int rc = put_str(buf, len, pos, ",upperdir=");

	if (!rc)
		rc = put_str(buf, len, pos, upperdir);
	if (!rc)
		rc = put_str(buf, len, pos, ",workdir=");
	if (!rc)
		rc = put_str(buf, len, pos, workdir);
	return rc;
}

/*
 * Returns 0, -EINVAL for no or too many layers, -E2BIG if the string would not
 * fit in len or in LB_MOUNT_OPTS_MAX (terminating NUL included).
 */
int overlay_options(char *buf, size_t len, unsigned int nlayers, const char *upperdir,
		    const char *workdir)
{
	size_t pos = 0;
	unsigned int i;
	int rc;

	if (nlayers == 0 || nlayers > LB_MAX_LAYERS)
		return -EINVAL;
	if (len > LB_MOUNT_OPTS_MAX)
		len = LB_MOUNT_OPTS_MAX;
	rc = put_num(buf, len, &pos, "lowerdir=", nlayers - 1);
	for (i = nlayers - 1; !rc && i-- > 0;)
		rc = put_num(buf, len, &pos, ":", i);
	return rc ? rc : put_upper(buf, len, &pos, upperdir, workdir);
}

/*
 * The layers of m as DIR/NAME, top first. Layer names hold no ':' or ','
 * (pure/name.c), so they need no escaping. Returns as overlay_options().
 */
int overlay_options_paths(char *buf, size_t len, const struct manifest *m, const char *dir,
			  const char *upperdir, const char *workdir)
{
	size_t pos = 0;
	unsigned int i;
	int rc = 0;

	if (m->count == 0 || m->count > LB_MAX_LAYERS)
		return -EINVAL;
	if (len > LB_MOUNT_OPTS_MAX)
		len = LB_MOUNT_OPTS_MAX;
	for (i = m->count; !rc && i-- > 0;) {
		rc = put_str(buf, len, &pos, i == m->count - 1 ? "lowerdir=" : ":");
		if (!rc)
			rc = put_str(buf, len, &pos, dir);
		if (!rc)
			rc = put_str(buf, len, &pos, "/");
		if (!rc)
			rc = put_str(buf, len, &pos, m->layer[i].name);
	}
	return rc ? rc : put_upper(buf, len, &pos, upperdir, workdir);
}
