// SPDX-License-Identifier: MIT
/*
 * Stage upper: the writable layer. Today a tmpfs; a persistent device (with the
 * factory reset and the fall back to tmpfs) plugs in here.
 */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "lb.h"

static int upper_tmpfs(const struct config *c)
{
	char size[32], opts[64];
	int rc = mkdir_p(UPPER_MNT, 0755);

	if (rc)
		return set_error(rc, "%s: %s", UPPER_MNT, strerror(-rc));
	if (size_format(&c->size, size, sizeof(size)))
		return set_error(-EINVAL, "size: cannot format");
	lb_snprintf(opts, sizeof(opts), "size=%s,mode=0755", size);
	if (mount("tmpfs", UPPER_MNT, "tmpfs", MS_NOSUID | MS_NODEV, opts))
		return set_error(-errno, "%s: mount tmpfs %s: %s", UPPER_MNT, opts,
				 strerror(errno));
	if (mkdir(UPPER_DIR, 0755))
		return set_error(-errno, "%s: %s", UPPER_DIR, strerror(errno));
	if (mkdir(WORK_DIR, 0755))
		return set_error(-errno, "%s: %s", WORK_DIR, strerror(errno));
	return 0;
}

int upper_setup(struct boot *b)
{
	char buf[300];

	if (!b->cfg.upper.is_device)
		return upper_tmpfs(&b->cfg);
	/* Until persistent uppers land, boot volatile and say so everywhere. */
	lb_snprintf(b->fallback, sizeof(b->fallback), "persistent upper %s not supported yet",
		    location_str(&b->cfg.upper, "tmpfs", buf, sizeof(buf)));
	log_error("upper", "%s: falling back to tmpfs", b->fallback);
	return upper_tmpfs(&b->cfg);
}
