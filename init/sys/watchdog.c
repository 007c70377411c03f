// SPDX-License-Identifier: MIT
/*
 * Arming the watchdog before the handoff. Opening /dev/watchdog starts it; a
 * close without the magic 'V' leaves it running ("watchdog did not stop!"
 * in the kernel log is the kernel saying so), so no fd needs to cross the
 * exec. From then on the booted system must open it again and feed it
 * within the timeout, or the driver resets the machine. The software
 * watchdog (softdog) runs on a kernel timer: it resets a hung user space,
 * not a hung kernel; a hardware driver catches both.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "pure/paths.h"
#include "sys/kapi.h"
#include "sys/kmod.h"
#include "sys/watchdog.h"

int watchdog_arm(unsigned int *secs, const char **step)
{
	int timeout = (int)*secs, fd, rc = 0;

	kmod_load_list(MODULES_WATCHDOG_FILE);
	*step = "open";
	fd = open(WATCHDOG_DEV, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*step = "WDIOC_SETTIMEOUT";
	if (ioctl(fd, LB_WDIOC_SETTIMEOUT, &timeout)) {
		rc = -errno;
		/* On the driver's own timeout it could reset a system that feeds
		 * it for the one asked for: stop it, where nowayout allows. */
		(void)!write(fd, "V", 1);
	} else {
		*secs = (unsigned int)timeout;
	}
	close(fd);
	return rc;
}
