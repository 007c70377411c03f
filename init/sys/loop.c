// SPDX-License-Identifier: MIT
/* Read-only, autoclear loop devices for the layer images. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "pure/devmatch.h"
#include "pure/fmt.h"
#include "sys/kapi.h"
#include "sys/loop.h"

#define LOOP_RETRIES 32

/*
 * loopN's device number as sysfs says: its minor is N only while
 * loop.max_part is 0 (each loop device then owns max_part + 1 minors).
 */
static dev_t loop_devnum(int n)
{
	unsigned int maj = LB_LOOP_MAJOR, min = (unsigned int)n;
	char path[64], buf[32];
	int fd;
	ssize_t len;

	lb_snprintf(path, sizeof(path), "/sys/block/loop%d/dev", n);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	len = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (len > 0) {
		buf[len] = '\0';
		if (devnum_parse(buf, &maj, &min))
			maj = LB_LOOP_MAJOR, min = (unsigned int)n;
	}
	return makedev(maj, min);
}

/* devtmpfs creates /dev/loopN asynchronously; do not wait for it, make it. */
static int open_loop(int n)
{
	char dev[32];
	int fd;

	lb_snprintf(dev, sizeof(dev), "/dev/loop%d", n);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (mknod(dev, S_IFBLK | 0600, loop_devnum(n)) && errno != EEXIST)
			return -errno;
		fd = open(dev, O_RDWR | O_CLOEXEC);
	}
	/* The device is attached read-only anyway; a read-only node is enough. */
	if (fd < 0 && (errno == EROFS || errno == EACCES))
		fd = open(dev, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Kernels before 5.8 have no LOOP_CONFIGURE: the two-step way. */
static int configure_old(int lfd, int ifd)
{
	struct lb_loop_info64 info;

	if (ioctl(lfd, LB_LOOP_SET_FD, ifd))
		return -errno;
	memset(&info, 0, sizeof(info));
	info.lo_flags = LB_LO_FLAGS_READ_ONLY | LB_LO_FLAGS_AUTOCLEAR;
	if (ioctl(lfd, LB_LOOP_SET_STATUS64, &info)) {
		int rc = -errno;

		ioctl(lfd, LB_LOOP_CLR_FD, 0);
		return rc;
	}
	return 0;
}

int loop_attach(int ifd, char dev[LOOP_DEV_MAX])
{
	struct lb_loop_config cfg;
	int ctl, n, lfd, rc = -EBUSY, tries;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -errno;
	/* Another process may grab the free device between GET_FREE and CONFIGURE. */
	for (tries = 0; tries < LOOP_RETRIES && rc == -EBUSY; tries++) {
		n = ioctl(ctl, LB_LOOP_CTL_GET_FREE);
		if (n < 0) {
			rc = -errno;
			break;
		}
		lfd = open_loop(n);
		if (lfd < 0) {
			rc = lfd;
			break;
		}
		memset(&cfg, 0, sizeof(cfg));
		cfg.fd = (uint32_t)ifd;
		cfg.info.lo_flags = LB_LO_FLAGS_READ_ONLY | LB_LO_FLAGS_AUTOCLEAR;
		rc = ioctl(lfd, LB_LOOP_CONFIGURE, &cfg) ? -errno : 0;
		if (rc == -EINVAL || rc == -ENOTTY)
			rc = configure_old(lfd, ifd);
		if (rc) {
			close(lfd);
			continue;
		}
		lb_snprintf(dev, LOOP_DEV_MAX, "/dev/loop%d", n);
		close(ctl);
		return lfd;
	}
	close(ctl);
	return rc;
}
