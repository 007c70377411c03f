// SPDX-License-Identifier: MIT
/*
 * Writing to the slot store. The power-cut rule is the rename: a file is
 * written whole under NAME.tmp and fsync'd before it is renamed over NAME, and
 * the folder is fsync'd after, so NAME is the old file or the new one, never a
 * part of either. The layers partition has a journal in a store (scripts/mkdisk
 * --slots), which makes the rename itself survive a cut. It is read-only
 * except for the moment of a write: a steady-state boot never writes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "pure/fmt.h"
#include "pure/paths.h"
#include "sys/file.h"
#include "sys/store.h"

int store_remount(bool rw)
{
	unsigned long fl = MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC;

	if (!rw)
		sync(); /* what was written is on the medium before it goes read-only */
	return mount(NULL, SOURCE_MNT, NULL, rw ? fl : fl | MS_RDONLY, NULL) ? -errno : 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int store_write_atomic(int dirfd, const char *name, const void *buf, size_t len)
{
	char tmp[300];
	int fd, rc;

	if ((size_t)lb_snprintf(tmp, sizeof(tmp), "%s.tmp", name) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, buf, len);
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && renameat(dirfd, tmp, dirfd, name))
		rc = -errno;
	if (rc) {
		unlinkat(dirfd, tmp, 0);
		return rc;
	}
	return fsync(dirfd) ? -errno : 0;
}

int store_read_state(int dirfd, struct bootstate *s, const char **why)
{
	char buf[BOOTSTATE_FILE_MAX + 1];
	ssize_t n;
	int fd = open_regular(dirfd, STORE_STATE);

	if (fd < 0)
		return fd == -EINVAL ? (*why = "not a regular file", -EINVAL) : fd;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return -errno;
	if (n > BOOTSTATE_FILE_MAX) {
		*why = "larger than 512 bytes";
		return -EINVAL;
	}
	return bootstate_parse(buf, (size_t)n, s, why);
}

int store_write_state(int dirfd, const struct bootstate *s)
{
	char buf[BOOTSTATE_FILE_MAX];
	int n = bootstate_format(s, buf, sizeof(buf)), rc, rc2;

	if (n < 0)
		return n;
	rc = store_remount(true);
	if (rc)
		return rc;
	rc = store_write_atomic(dirfd, STORE_STATE, buf, (size_t)n);
	rc2 = store_remount(false);
	return rc ? rc : rc2;
}
