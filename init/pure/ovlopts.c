// SPDX-License-Identifier: MIT
/*
 * Pure: the overlay mount options. Layers are passed by short relative names
 * ("lowerdir=2:1:0", top first) from a directory of links, because 500 full
 * /run/layerboot/layers/NAME paths would not fit in the one page the kernel
 * copies the options into.
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
	if (!rc)
		rc = put_str(buf, len, &pos, ",upperdir=");
	if (!rc)
		rc = put_str(buf, len, &pos, upperdir);
	if (!rc)
		rc = put_str(buf, len, &pos, ",workdir=");
	if (!rc)
		rc = put_str(buf, len, &pos, workdir);
	return rc;
}
