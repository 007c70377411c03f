// SPDX-License-Identifier: MIT
/* The reset marker's protocol (see resetmark.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/file.h"
#include "sys/resetmark.h"

#define MARKER_TMP RESET_MARKER ".tmp"

static const char *const texts[] = { "requested\n", "started\n" };

/*
 * Written beside the marker and renamed over it: the name is never opened for
 * writing, so a FIFO there cannot block (an open for writing waits for a
 * reader), a link there is replaced rather than followed, and a power cut
 * leaves the old state or the whole new marker. An empty directory in the
 * way is removed; anything else in the way is an error.
 */
int resetmark_write(int dfd, enum resetmark_text text)
{
	const char *t = texts[text];
	ssize_t n = (ssize_t)strlen(t);
	int fd, rc = 0;

	unlinkat(dfd, MARKER_TMP, 0);
	fd = openat(dfd, MARKER_TMP, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	errno = 0;
	if (write(fd, t, (size_t)n) != n)
		rc = errno ? -errno : -EIO;
	else if (fsync(fd))
		rc = -errno;
	close(fd);
	if (!rc && renameat(dfd, MARKER_TMP, dfd, RESET_MARKER)) {
		rc = -errno;
		if ((rc == -EISDIR || rc == -ENOTEMPTY || rc == -EEXIST) &&
		    !unlinkat(dfd, RESET_MARKER, AT_REMOVEDIR))
			rc = renameat(dfd, MARKER_TMP, dfd, RESET_MARKER) ? -errno : 0;
	}
	if (rc)
		unlinkat(dfd, MARKER_TMP, 0);
	else if (fsync(dfd))
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
	int fd = open_regular(dfd, RESET_MARKER); /* a FIFO of that name must not block */
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
