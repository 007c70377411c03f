// SPDX-License-Identifier: MIT
/*
 * Device-mapper devices through the ioctls of /dev/mapper/control
 * (<linux/dm-ioctl.h>): no dmsetup, no libdevmapper, no udev. The three steps
 * of dmsetup create: DM_DEV_CREATE (a device with no table), DM_TABLE_LOAD
 * (the inactive table), DM_DEV_SUSPEND without the suspend flag (the resume
 * that makes the table live).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "pure/fmt.h"
#include "sys/dm.h"
#include "sys/kapi.h"

#define DM_BUF 1024 /* the header, one target spec and a verity line (about 250 bytes) */

union dm_buf {
	struct lb_dm_ioctl io;
	uint64_t align;
	char raw[DM_BUF];
};

/* devtmpfs makes mapper/control when dm-mod registers it; a /dev without it gets one. */
static int open_control(void)
{
	int fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT) {
		if (mkdir("/dev/mapper", 0755) && errno != EEXIST)
			return -errno;
		if (mknod("/dev/mapper/control", S_IFCHR | 0600,
			  makedev(10, LB_DM_CONTROL_MINOR)) &&
		    errno != EEXIST)
			return -errno;
		fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	}
	return fd < 0 ? -errno : fd;
}

static void dm_header(union dm_buf *b, const char *name, uint32_t size)
{
	memset(b, 0, sizeof(*b));
	b->io.version[0] = LB_DM_VERSION_MAJOR;
	b->io.data_size = size;
	b->io.data_start = sizeof(b->io);
	strncpy(b->io.name, name, LB_DM_NAME_LEN - 1);
}

static int dm_cmd(int ctl, unsigned long cmd, union dm_buf *b)
{
	return ioctl(ctl, cmd, b) ? -errno : 0;
}

static int load_table(int ctl, union dm_buf *b, const char *name, const char *type,
		      unsigned long long sectors, const char *table)
{
	struct lb_dm_target_spec *t = (struct lb_dm_target_spec *)(b->raw + sizeof(b->io));
	size_t len = strlen(table) + 1;

	if (sizeof(b->io) + sizeof(*t) + len > sizeof(b->raw))
		return -E2BIG;
	dm_header(b, name, (uint32_t)(sizeof(b->io) + sizeof(*t) + len));
	/* A read-only table makes the device read-only when it is resumed. */
	b->io.flags = LB_DM_READONLY_FLAG;
	b->io.target_count = 1;
	t->length = sectors;
	strncpy(t->target_type, type, sizeof(t->target_type) - 1);
	memcpy(t + 1, table, len);
	return dm_cmd(ctl, LB_DM_TABLE_LOAD, b);
}

int dm_create_ro(const char *name, const char *type, unsigned long long sectors, const char *table,
		 char node[DM_NODE_MAX], const char **step)
{
	union dm_buf b;
	dev_t dev;
	int ctl, rc;

	*step = "/dev/mapper/control";
	ctl = open_control();
	if (ctl < 0)
		return ctl;
	*step = "DM_DEV_CREATE";
	dm_header(&b, name, sizeof(b.io));
	rc = dm_cmd(ctl, LB_DM_DEV_CREATE, &b);
	if (rc)
		goto out;
	dev = (dev_t)b.io.dev;
	*step = "DM_TABLE_LOAD";
	rc = load_table(ctl, &b, name, type, sectors, table);
	if (!rc) {
		*step = "DM_DEV_SUSPEND (resume)";
		dm_header(&b, name, sizeof(b.io));
		rc = dm_cmd(ctl, LB_DM_DEV_SUSPEND, &b);
	}
	/* No udev: the node under /dev/mapper is ours to make. */
	if (!rc) {
		*step = "mknod";
		lb_snprintf(node, DM_NODE_MAX, "/dev/mapper/%s", name);
		if (mknod(node, S_IFBLK | 0600, dev) && errno != EEXIST)
			rc = -errno;
	}
	if (rc) {
		dm_header(&b, name, sizeof(b.io));
		dm_cmd(ctl, LB_DM_DEV_REMOVE, &b);
	}
out:
	close(ctl);
	return rc;
}
