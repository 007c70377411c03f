// SPDX-License-Identifier: MIT
/*
 * bench/floor: the physical floor of the handoff. /init of a benchmark boot
 * that makes only the system calls a handoff cannot do without, with the
 * same modules in the same order and the same layers as layerboot's
 * initramfs: the kernel filesystems, finit_module, a read-only loop device
 * per image, the squashfs mounts (from a dm-verity device each when
 * FLOOR_VERITY is 1), a tmpfs upper, the overlay, the moves, chroot, exec.
 * No configuration, no checks, no status file, no messages, no cleanup:
 * what it does not do is what layerboot's time above it pays for.
 *
 * Everything else is fixed at build time by bench/mkfloorplan in the header
 * FLOOR_PLAN (the module paths, the layers' filesystem, the images bottom
 * first, their verity tables with %s for the device, and the init to exec).
 * A failure powers off: the host sees no marker and reports the boot as
 * failed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sys/dm.h"
#include "sys/kapi.h"

#include FLOOR_PLAN

struct floor_layer {
	const char *image;
	unsigned long long sectors; /* the data's 512-byte sectors (verity only) */
	const char *table;	    /* the verity line, %s twice for the device */
};

static const char *const modules[] = { FLOOR_MODULES };
static const char *const verity_modules[] = { FLOOR_VERITY_MODULES };
static const struct floor_layer layers[] = { FLOOR_LAYERS };
#define NLAYERS (sizeof(layers) / sizeof(layers[0]))

static void die(void)
{
	reboot(RB_POWER_OFF);
	_exit(1);
}

static void need(int ok)
{
	if (!ok)
		die();
}

static void load(const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int fd = open(list[i], O_RDONLY | O_CLOEXEC);

		need(fd >= 0 && syscall(SYS_finit_module, fd, "", 0) == 0);
		close(fd);
	}
}

/*
 * A read-only loop device over the image; its node is made when devtmpfs has
 * not yet. Returns its fd: autoclear detaches it at the last close, so the fd
 * stays open until the mount holds the device.
 */
static int loop_attach(const char *image, char *dev, size_t len)
{
	struct lb_loop_config cfg;
	int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	int n = ioctl(ctl, LB_LOOP_CTL_GET_FREE), lfd;

	need(n >= 0);
	snprintf(dev, len, "/dev/loop%d", n);
	lfd = open(dev, O_RDWR | O_CLOEXEC);
	if (lfd < 0) {
		mknod(dev, S_IFBLK | 0600, makedev(LB_LOOP_MAJOR, (unsigned int)n));
		lfd = open(dev, O_RDWR | O_CLOEXEC);
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.fd = (uint32_t)open(image, O_RDONLY | O_CLOEXEC);
	cfg.info.lo_flags = LB_LO_FLAGS_READ_ONLY | LB_LO_FLAGS_AUTOCLEAR;
	need(ioctl(lfd, LB_LOOP_CONFIGURE, &cfg) == 0);
	close((int)cfg.fd);
	close(ctl);
	return lfd;
}

static void mount_layer(unsigned int i)
{
	char dev[DM_NODE_MAX], dir[32], table[400], name[16];
	const char *step;
	int lfd = loop_attach(layers[i].image, dev, sizeof(dev));

	if (FLOOR_VERITY) {
		snprintf(table, sizeof(table), layers[i].table, dev, dev);
		snprintf(name, sizeof(name), "f%u", i);
		need(dm_create_ro(name, "verity", layers[i].sectors, table, dev, &step) == 0);
	}
	snprintf(dir, sizeof(dir), "/run/l/%u", i);
	mkdir(dir, 0755);
	need(mount(dev, dir, FLOOR_FS, MS_RDONLY, NULL) == 0);
	close(lfd);
}

int main(void)
{
	static const char *const moved[] = { "/dev", "/proc", "/sys", "/run" };
	static char opts[4096];
	char dst[32];
	size_t i, n;

	mkdir("/dev", 0755);
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/run", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	need(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0);
	need(mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0);
	need(mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") == 0);
	load(modules, sizeof(modules) / sizeof(modules[0]));
	if (FLOOR_VERITY)
		load(verity_modules, sizeof(verity_modules) / sizeof(verity_modules[0]));
	mkdir("/run/l", 0700);
	for (i = 0; i < NLAYERS; i++)
		mount_layer((unsigned int)i);
	/* lowerdir lists the top layer first. */
	n = (size_t)snprintf(opts, sizeof(opts), "lowerdir=");
	for (i = NLAYERS; i-- > 0;)
		n += (size_t)snprintf(opts + n, sizeof(opts) - n, "/run/l/%zu%s", i, i ? ":" : "");
	snprintf(opts + n, sizeof(opts) - n, ",upperdir=/run/u/upper,workdir=/run/u/work");
	mkdir("/run/u", 0755);
	need(mount("tmpfs", "/run/u", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") == 0);
	mkdir("/run/u/upper", 0755);
	mkdir("/run/u/work", 0755);
	mkdir("/newroot", 0755);
	need(mount("overlay", "/newroot", "overlay", 0, opts) == 0);
	for (i = 0; i < sizeof(moved) / sizeof(moved[0]); i++) {
		snprintf(dst, sizeof(dst), "/newroot%s", moved[i]);
		mkdir(dst, 0755);
		need(mount(moved[i], dst, NULL, MS_MOVE, NULL) == 0);
	}
	need(chdir("/newroot") == 0 && mount(".", "/", NULL, MS_MOVE, NULL) == 0 &&
	     chroot(".") == 0 && chdir("/") == 0);
	execl(FLOOR_INIT, FLOOR_INIT, (char *)NULL);
	die();
}
