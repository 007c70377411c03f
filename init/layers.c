// SPDX-License-Identifier: MIT
/*
 * Stage layers: attach each verified image to a read-only, autoclear loop device
 * and mount its squashfs at /run/layerboot/layers/NAME.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kapi.h"
#include "lb.h"
#include "memguard.h"

#define LOOP_RETRIES 32

/* devtmpfs creates /dev/loopN asynchronously; do not wait for it, make it. */
static int open_loop(int n)
{
	char dev[32];
	int fd;

	lb_snprintf(dev, sizeof(dev), "/dev/loop%d", n);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (mknod(dev, S_IFBLK | 0600, makedev(LB_LOOP_MAJOR, n)) && errno != EEXIST)
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

/* Returns the open loop fd (keep it until mounted: autoclear fires on last close). */
static int loop_attach(int ifd, int *num)
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
		*num = n;
		close(ctl);
		return lfd;
	}
	close(ctl);
	return rc;
}

static int mount_one(struct boot *b, unsigned int i)
{
	const char *name = b->man.layer[i].name;
	char dir[PATH_MAX], dev[32];
	int lfd, n = -1, rc;

	lb_snprintf(dir, sizeof(dir), "%s/%s", LAYERS_DIR, name); /* name <= 64 bytes */
	if (mkdir(dir, 0755) && errno != EEXIST)
		return set_error(-errno, "%s: mkdir %s: %s", name, dir, strerror(errno));
	lfd = loop_attach(b->image_fd[i], &n);
	if (lfd < 0)
		return set_error(lfd, "%s: loop device: %s", name, strerror(-lfd));
	lb_snprintf(dev, sizeof(dev), "/dev/loop%d", n);
	rc = mount(dev, dir, "squashfs", MS_RDONLY, NULL) ? -errno : 0;
	close(lfd);
	close(b->image_fd[i]);
	b->image_fd[i] = -1;
	if (rc)
		return set_error(rc, "%s: mount squashfs from %s: %s", name, dev, strerror(-rc));
	log_debug("layers", "%s: %s on %s", name, dev, dir);
	return 0;
}

/* MemAvailable now; 0 when /proc/meminfo cannot tell (the guard then stands down). */
static uint64_t mem_available_kb(void)
{
	char *text;
	uint64_t kb = 0;

	if (read_file("/proc/meminfo", &text, 1 << 16, NULL))
		return 0;
	if (meminfo_available_kb(text, &kb))
		kb = 0;
	free(text);
	return kb;
}

/*
 * Past the RAM, the kernel cannot OOM-kill PID 1 and panics: stop before that
 * with a message that says how many layers fit and what each one costs.
 */
static int check_memory(const struct boot *b, unsigned int mounted, uint64_t start_kb)
{
	uint64_t now_kb, per_kb;

	if (!start_kb)
		return 0;
	now_kb = mem_available_kb();
	if (!now_kb || !layer_memory_fits(start_kb, now_kb, mounted, &per_kb))
		return 0;
	return set_error(-ENOMEM,
			 "%s: out of memory after %u of %u layers: %llu KiB available, each layer "
			 "holds about %llu KiB of kernel memory (a smaller LB_SQUASHFS_BLOCK or "
			 "more RAM makes room)",
			 b->man.layer[mounted].name, mounted, b->man.count,
			 (unsigned long long)now_kb, (unsigned long long)per_kb);
}

int layers_mount(struct boot *b)
{
	uint64_t start_kb = mem_available_kb();
	unsigned int i;
	int rc = mkdir_p(LAYERS_DIR, 0755);

	if (rc)
		return set_error(rc, "%s: %s", LAYERS_DIR, strerror(-rc));
	for (i = 0; i < b->man.count; i++) {
		rc = check_memory(b, i, start_kb);
		if (!rc)
			rc = mount_one(b, i);
		if (rc)
			return rc;
	}
	return 0;
}
