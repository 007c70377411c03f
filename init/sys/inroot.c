// SPDX-License-Identifier: MIT
/*
 * Checking a program inside another root without entering it: openat2 with
 * RESOLVE_IN_ROOT resolves the path as a chroot would, and PID 1 needs no
 * child to chroot for it (a fork of PID 1 costs milliseconds under emulation).
 */
#define _GNU_SOURCE /* O_PATH, for glibc builds of the tests */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pure/fmt.h"
#include "sys/inroot.h"
#include "sys/kapi.h"

int exec_check_in_root(const char *root, const char *path)
{
	struct lb_open_how how = { O_PATH | O_CLOEXEC, 0, LB_RESOLVE_IN_ROOT };
	char self[40];
	struct stat st;
	int dfd, fd, rc;

	dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	fd = (int)syscall(SYS_openat2, dfd, path, &how, sizeof(how));
	rc = fd < 0 ? -errno : 0;
	close(dfd);
	if (rc)
		return rc;
	if (fstat(fd, &st))
		rc = -errno;
	else if (!S_ISREG(st.st_mode))
		rc = -EISDIR;
	/* The fd's /proc link is the file itself: access(2) sees its mount's noexec too. */
	lb_snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if (!rc && access(self, X_OK))
		rc = -errno;
	close(fd);
	return rc;
}
