// SPDX-License-Identifier: MIT
/*
 * The handoff's delete of the initramfs, as util-linux's switch_root does it:
 * each directory is read with getdents64 and each entry unlinked as it comes,
 * files by the type the directory listing gives, directories entered through
 * a descriptor opened with O_NOFOLLOW and left alone when that descriptor is
 * on another filesystem (a mount inside the initramfs is not ours to empty).
 * The shared walker (sys/walk.c) would do the same with three times the
 * system calls, a sorted copy of each listing and the code to make it: on
 * the boot's path, under emulation, that was a tenth of the handoff.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/rmtree.h"

/* Deeper than any initramfs: below it, a directory is counted and kept. */
#define RMTREE_DEPTH 32

/* <linux/dirent.h>: struct linux_dirent64, what getdents64 fills in. */
struct lb_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define LB_DT_UNKNOWN 0
#define LB_DT_DIR     4

static unsigned int rm_contents(int dfd, dev_t dev, unsigned int depth);

static int is_dot(const char *n)
{
	return n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]));
}

/* The type the listing gave, or lstat's when the filesystem gives none. */
static int is_dir(int dfd, const struct lb_dirent64 *e)
{
	struct stat st;

	if (e->d_type != LB_DT_UNKNOWN)
		return e->d_type == LB_DT_DIR;
	return !fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) && S_ISDIR(st.st_mode);
}

/* A directory: emptied and removed if it is on dev; the entries kept, counted. */
static unsigned int rm_dir(int dfd, const char *name, dev_t dev, unsigned int depth)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	unsigned int left;
	struct stat st;

	if (fd < 0)
		return 1;
	if (fstat(fd, &st) || st.st_dev != dev || depth >= RMTREE_DEPTH) {
		close(fd);
		return 1;
	}
	left = rm_contents(fd, dev, depth + 1);
	close(fd);
	return left + (unlinkat(dfd, name, AT_REMOVEDIR) ? 1 : 0);
}

static unsigned int rm_contents(int dfd, dev_t dev, unsigned int depth)
{
	/* long-aligned, as the kernel writes struct linux_dirent64 records */
	long buf[2048 / sizeof(long)];
	unsigned int left = 0;
	long n, off;

	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n;) {
			const struct lb_dirent64 *e = (const void *)((char *)buf + off);

			off += e->d_reclen;
			if (is_dot(e->d_name))
				continue;
			if (is_dir(dfd, e))
				left += rm_dir(dfd, e->d_name, dev, depth);
			else if (unlinkat(dfd, e->d_name, 0))
				left++;
		}
	return left + (n < 0 ? 1 : 0);
}

unsigned int rmtree_contents(int dfd)
{
	struct stat st;

	if (fstat(dfd, &st))
		return 1;
	return rm_contents(dfd, st.st_dev, 0);
}
