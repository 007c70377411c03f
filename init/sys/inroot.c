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

/*
 * access(X_OK) on the file behind fd, its mount's noexec included: faccessat2
 * on the fd itself (Linux 5.8), else through the fd's /proc link (a walk of
 * procfs, on the boot's path).
 */
static int exec_access(int fd)
{
	char self[40];

#ifdef SYS_faccessat2
	if (!syscall(SYS_faccessat2, fd, "", X_OK, LB_AT_EMPTY_PATH))
		return 0;
	if (errno != ENOSYS)
		return -errno;
#endif
	lb_snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	return access(self, X_OK) ? -errno : 0;
}

int exec_check_in_root(const char *root, const char *path)
{
	struct lb_open_how how = { O_PATH | O_CLOEXEC, 0, LB_RESOLVE_IN_ROOT };
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
	if (!rc)
		rc = exec_access(fd);
	close(fd);
	return rc;
}
