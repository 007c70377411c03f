// SPDX-License-Identifier: MIT
/* Whole-file helpers shared by the stages and the CLI. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/file.h"

/*
 * The open is non-blocking; the reads that follow must not be. Of the flags
 * F_SETFL changes (O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, O_NONBLOCK) the
 * opens here set only O_NONBLOCK: 0 clears it without an F_GETFL first.
 */
static int checked(int fd, mode_t type, int wrong)
{
	struct stat st;
	int rc;

	if (fd < 0)
		return -errno;
	rc = fstat(fd, &st) ? -errno : (st.st_mode & S_IFMT) != type ? wrong : 0;
	if (!rc) {
		if (!fcntl(fd, F_SETFL, 0))
			return fd;
		rc = -errno;
	}
	close(fd);
	return rc;
}

int open_regular(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);

	return checked(fd, S_IFREG, -EINVAL);
}

int open_blockdev(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	return checked(fd, S_IFBLK, -ENOTBLK);
}

/* Whole file, NUL-terminated; -EFBIG past max so a huge file cannot eat the RAM. */
int read_file(const char *path, char **out, size_t max, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap + 1);
	int fd = open_regular(AT_FDCWD, path), rc = 0;

	if (fd < 0 || !buf) {
		rc = fd < 0 ? fd : -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb = cap >= max ? NULL : realloc(buf, (cap *= 2) + 1);

			if (!nb) {
				rc = len >= max ? -EFBIG : -ENOMEM;
				break;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : 0;
			break;
		}
		len += (size_t)n;
	}
out:
	if (fd >= 0)
		close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*out = buf;
	if (lenp)
		*lenp = len;
	return 0;
}

int mkdir_p(const char *path, unsigned int mode)
{
	char tmp[PATH_MAX];
	size_t n = strlen(path), i;

	if (n >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, mode) && errno != EEXIST)
			return -errno;
		tmp[i] = path[i];
	}
	return 0;
}

static int copy_fd(int in, int out)
{
	static char buf[65536];

	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf)), w, off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		while (off < n) {
			w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			off += w;
		}
	}
}

int copy_file(const char *from, const char *to, unsigned int mode)
{
	/* openat: musl's open() adds an fcntl(F_SETFD) for old kernels' O_CLOEXEC. */
	int in = openat(AT_FDCWD, from, O_RDONLY | O_CLOEXEC), out, rc;

	if (in < 0)
		return -errno;
	out = openat(AT_FDCWD, to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		rc = -errno;
		close(in);
		return rc;
	}
	rc = copy_fd(in, out);
	if (!rc && fchmod(out, mode))
		rc = -errno;
	close(in);
	if (close(out) && !rc)
		rc = -errno;
	return rc;
}
