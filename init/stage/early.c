// SPDX-License-Identifier: MIT
/* Stage early: the kernel filesystems and a console before anything can be said. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "sys/log.h"

static const struct {
	const char *src, *dir, *type, *opts;
	unsigned long flags;
} mounts[] = {
	{ "devtmpfs", "/dev", "devtmpfs", "mode=0755", MS_NOSUID },
	{ "proc", "/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "sysfs", "/sys", "sysfs", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "tmpfs", "/run", "tmpfs", "mode=0755", MS_NOSUID | MS_NODEV },
};

/*
 * The kernel opens /dev/console for us only if the initramfs holds the node;
 * without it fds 0-2 are closed and every message would be lost.
 */
static void console_setup(void)
{
	int fd, i;

	for (i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			break;
	if (i == 3)
		return;
	/* No O_CLOEXEC: these become the next init's stdin, stdout and stderr. */
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	for (i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

int early_setup(struct boot *b)
{
	size_t i;

	(void)b;
	umask(022);
	for (i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		if (mkdir(mounts[i].dir, 0755) && errno != EEXIST)
			return set_error(-errno, "%s: mkdir: %s", mounts[i].dir, strerror(errno));
		/* EBUSY: the kernel (devtmpfs.mount) got there first. */
		if (mount(mounts[i].src, mounts[i].dir, mounts[i].type, mounts[i].flags,
			  mounts[i].opts) &&
		    errno != EBUSY)
			return set_error(-errno, "%s: mount %s: %s", mounts[i].dir, mounts[i].type,
					 strerror(errno));
		if (i == 0)
			console_setup();
	}
	log_open_kmsg();
	return 0;
}
