// SPDX-License-Identifier: MIT
/* The reset markers' protocol (see resetmark.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/file.h"
#include "sys/resetmark.h"

#define MARKER_TMP "reset-marker.tmp"

static const char *const names[] = { RESET_REQUESTED, RESET_STARTED };

/* A folder in the way is removed when empty: it is not ours, but it is nothing. */
static int rename_over(int dfd, const char *name)
{
	int rc = renameat(dfd, MARKER_TMP, dfd, name) ? -errno : 0;

	if ((rc == -EISDIR || rc == -ENOTEMPTY || rc == -EEXIST) &&
	    !unlinkat(dfd, name, AT_REMOVEDIR))
		rc = renameat(dfd, MARKER_TMP, dfd, name) ? -errno : 0;
	return rc;
}

/*
 * The name is never opened: a FIFO there cannot block us (an open for writing
 * waits for a reader), a link there is replaced rather than followed, and a
 * power cut leaves the old state or the new marker.
 */
int resetmark_write(int dfd, enum resetmark m)
{
	int fd, rc = 0;

	unlinkat(dfd, MARKER_TMP, 0);
	fd = openat(dfd, MARKER_TMP, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		rc = -errno;
	close(fd);
	if (!rc)
		rc = rename_over(dfd, names[m]);
	if (rc)
		unlinkat(dfd, MARKER_TMP, 0);
	else if (fsync(dfd))
		rc = -errno;
	return rc;
}

static bool is_file(int dfd, const char *name)
{
	struct stat st;

	return !fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) && S_ISREG(st.st_mode);
}

bool resetmark_present(int dfd)
{
	return is_file(dfd, RESET_REQUESTED) || is_file(dfd, RESET_STARTED);
}

/* The old format: one name, "started" written into it. */
static bool old_started(int dfd)
{
	static const char t[] = "started\n";
	char buf[16];
	int fd = open_regular(dfd, RESET_REQUESTED); /* a FIFO of that name must not block */
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)sizeof(t) - 1 && !memcmp(buf, t, sizeof(t) - 1);
}

bool resetmark_started(int dfd)
{
	return is_file(dfd, RESET_STARTED) || old_started(dfd);
}

int resetmark_clear(int dfd)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (is_file(dfd, names[i]) && unlinkat(dfd, names[i], 0) && errno != ENOENT)
			return -errno;
	return fsync(dfd) ? -errno : 0;
}
