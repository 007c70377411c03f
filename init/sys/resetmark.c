// SPDX-License-Identifier: MIT
/* The reset marker's protocol (see resetmark.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/resetmark.h"

static const char *const texts[] = { "requested\n", "started\n" };

int resetmark_write(int dfd, enum resetmark_text text)
{
	const char *t = texts[text];
	ssize_t n = (ssize_t)strlen(t);
	int fd = openat(dfd, RESET_MARKER, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
			0644);
	int rc = 0;

	if (fd < 0)
		return -errno;
	errno = 0;
	if (write(fd, t, (size_t)n) != n)
		rc = errno ? -errno : -EIO;
	else if (fsync(fd))
		rc = -errno;
	close(fd);
	if (!rc && fsync(dfd))
		rc = -errno;
	return rc;
}

bool resetmark_present(int dfd)
{
	struct stat st;

	return !fstatat(dfd, RESET_MARKER, &st, AT_SYMLINK_NOFOLLOW) && S_ISREG(st.st_mode);
}

bool resetmark_started(int dfd)
{
	const char *t = texts[RESETMARK_STARTED];
	size_t len = strlen(t);
	char buf[16];
	int fd = openat(dfd, RESET_MARKER, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)len && !memcmp(buf, t, len);
}

int resetmark_clear(int dfd)
{
	if (unlinkat(dfd, RESET_MARKER, 0) && errno != ENOENT)
		return -errno;
	return fsync(dfd) ? -errno : 0;
}
