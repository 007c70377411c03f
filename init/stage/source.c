// SPDX-License-Identifier: MIT
/*
 * Stage source: find the directory that holds the layer images. The initramfs,
 * or a device mounted read-only at /run/layerboot/source, which moves with /run
 * into the new root (the loop devices of the layers keep it busy). Images read
 * from a device are verified against the initramfs manifest: the copy of the
 * manifest on the device is never trusted.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "boot.h"
#include "pure/paths.h"
#include "sys/devices.h"
#include "sys/file.h"
#include "sys/log.h"

static int open_dir(struct boot *b, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return set_error(-errno, "%s: %s", path, strerror(errno));
	b->src_dirfd = fd;
	strcpy(b->src_path, path);
	return 0;
}

/* ext4 is what scripts/mkdisk writes; the others are for hand-made media. */
static int mount_ro(const char *dev)
{
	static const char *const types[] = { "ext4", "squashfs", "iso9660", "vfat" };
	unsigned long fl = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	int rc = 0;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (!mount(dev, SOURCE_MNT, types[i], fl, NULL))
			return 0;
		if (!rc)
			rc = -errno; /* ext4's answer is the one worth showing */
	}
	return rc;
}

int source_open(struct boot *b)
{
	char spec[LOCATION_STR_MAX];
	int rc;

	if (!b->cfg.src.is_device)
		return open_dir(b, INITRAMFS_LAYERS);
	rc = device_wait(&b->cfg.src, b->cfg.timeout, NULL, b->src_dev);
	if (rc)
		return rc;
	location_str(&b->cfg.src, "", spec, sizeof(spec));
	rc = mkdir_p(SOURCE_MNT, 0755);
	if (!rc)
		rc = mount_ro(b->src_dev);
	if (rc)
		return set_error(rc, "%s (%s): mount read-only on %s: %s", spec, b->src_dev,
				 SOURCE_MNT, strerror(-rc));
	log_debug("source", "%s: %s on %s", spec, b->src_dev, SOURCE_MNT);
	return open_dir(b, SOURCE_MNT);
}
