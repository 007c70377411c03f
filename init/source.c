// SPDX-License-Identifier: MIT
/*
 * Stage source: find the directory that holds the manifest and the images.
 * Today only the initramfs; a device source will wait for the device and mount
 * it read-only here, and hand the rest of the boot the same directory fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lb.h"

#define INITRAMFS_LAYERS "/layers"

static int open_dir(struct boot *b, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return set_error(-errno, "%s: %s", path, strerror(errno));
	b->src_dirfd = fd;
	strcpy(b->src_path, path);
	return 0;
}

int source_open(struct boot *b)
{
	char buf[300];

	if (!b->cfg.src.is_device)
		return open_dir(b, INITRAMFS_LAYERS);
	return set_error(-ENOTSUP, "layerboot.src=%s: device sources are not supported yet",
			 location_str(&b->cfg.src, "initramfs", buf, sizeof(buf)));
}
