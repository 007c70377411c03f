// SPDX-License-Identifier: MIT
/*
 * Stage overlay: mount the merged root on /newroot. The layers are named by
 * their mount points when those fit in the one page of mount options; past
 * that (some 50 layers) by short relative links in /run/layerboot/.l, so that
 * 500 of them fit (see pure/ovlopts.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "pure/fmt.h"
#include "pure/ovlopts.h"
#include "pure/paths.h"
#include "sys/log.h"

static int make_links(const struct boot *b, int dfd)
{
	char target[PATH_MAX], name[16];
	unsigned int i;

	for (i = 0; i < b->man.count; i++) {
		lb_snprintf(target, sizeof(target), "../layers/%s", b->man.layer[i].name);
		lb_snprintf(name, sizeof(name), "%u", i);
		if (symlinkat(target, dfd, name))
			return set_error(-errno, "%s/%s: symlink: %s", LINKS_DIR, name,
					 strerror(errno));
	}
	return 0;
}

/* The overlay holds its own references: the links are only needed to mount. */
static void remove_links(const struct boot *b, int dfd)
{
	char name[16];
	unsigned int i;

	for (i = 0; i < b->man.count; i++) {
		lb_snprintf(name, sizeof(name), "%u", i);
		unlinkat(dfd, name, 0);
	}
	rmdir(LINKS_DIR);
}

static int do_mount(const char *opts)
{
	log_debug("overlay", "%s", opts);
	if (mount("overlay", NEWROOT, "overlay", 0, opts))
		return set_error(-errno, "%s: mount overlay: %s", NEWROOT, strerror(errno));
	return 0;
}

/* Many layers: by the links' names, resolved in the links' directory. */
static int mount_by_links(const struct boot *b, char *opts)
{
	int dfd, rc = overlay_options(opts, LB_MOUNT_OPTS_MAX, b->man.count, UPPER_DIR, WORK_DIR);

	if (rc)
		return set_error(rc, "%u layers: the overlay options do not fit in %d bytes",
				 b->man.count, LB_MOUNT_OPTS_MAX);
	if (mkdir(LINKS_DIR, 0700) && errno != EEXIST)
		return set_error(-errno, "%s: %s", LINKS_DIR, strerror(errno));
	dfd = open(LINKS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return set_error(-errno, "%s: %s", LINKS_DIR, strerror(errno));
	rc = make_links(b, dfd);
	if (!rc && fchdir(dfd))
		rc = set_error(-errno, "%s: chdir: %s", LINKS_DIR, strerror(errno));
	if (!rc) {
		rc = do_mount(opts);
		if (chdir("/") && !rc)
			rc = set_error(-errno, "/: chdir: %s", strerror(errno));
	}
	remove_links(b, dfd);
	close(dfd);
	return rc;
}

int overlay_mount(struct boot *b)
{
	static char opts[LB_MOUNT_OPTS_MAX];
	int rc;

	if (mkdir(NEWROOT, 0755) && errno != EEXIST)
		return set_error(-errno, "%s: %s", NEWROOT, strerror(errno));
	rc = overlay_options_paths(opts, sizeof(opts), &b->man, LAYERS_DIR, UPPER_DIR, WORK_DIR);
	if (rc == -E2BIG)
		return mount_by_links(b, opts);
	if (rc)
		return set_error(rc, "%u layers: no overlay options", b->man.count);
	return do_mount(opts);
}
