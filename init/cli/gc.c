// SPDX-License-Identifier: MIT
/*
 * The clean-up of `layerboot mark-good`, once the booted slot is confirmed:
 * the images no slot's manifest names any more are removed, and the .tmp
 * files a cut update left. Never before a mark-good: until then the
 * old slot is the way back and each of its images must stay. A manifest that
 * cannot be read stops it (its images may be the ones it would delete); one
 * that does not parse still keeps every digest its lines name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/update.h"
#include "pure/paths.h"
#include "pure/strlist.h"
#include "sys/file.h"
#include "sys/kapi.h"
#include "sys/print.h"
#include "sys/store.h"
#include "sys/uppersave.h"

static bool is_hex64(const char *s, size_t n)
{
	size_t i;

	if (n != 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Every third field of 64 hex digits: "NAME SIZE SHA256 ...". */
static int add_digests(const char *text, struct strlist *keep)
{
	const char *line = text, *f, *e;
	int rc = 0;

	for (; *line && !rc; line = *e ? e + 1 : e) {
		e = strchr(line, '\n');
		if (!e)
			e = line + strlen(line);
		f = memchr(line, ' ', (size_t)(e - line));
		f = f ? memchr(f + 1, ' ', (size_t)(e - f - 1)) : NULL;
		if (f && e - f > 64 && is_hex64(f + 1, 64) && (e - f == 65 || f[65] == ' '))
			rc = strlist_add(keep, strndup(f + 1, 64));
	}
	return rc;
}

static int read_slots(struct strlist *keep)
{
	static const char *const slots[] = { SOURCE_MNT "/slot-a/manifest",
					     SOURCE_MNT "/slot-b/manifest" };
	size_t i;

	for (i = 0; i < 2; i++) {
		char *text;
		int rc = read_file(slots[i], &text, 1 << 20, NULL);

		if (rc == -ENOENT)
			continue;
		if (!rc) {
			rc = add_digests(text, keep);
			free(text);
		}
		if (rc) {
			lb_dprintf(2, "layerboot: gc: %s: %s: no image removed\n", slots[i],
				   strerror(-rc));
			return rc;
		}
	}
	return 0;
}

/* NAME is SHA256.sqfs that no slot keeps, or a leftover .tmp. */
static bool unused(const char *name, const struct strlist *keep)
{
	size_t n = strlen(name), i;

	if (n > 4 && !strcmp(name + n - 4, ".tmp"))
		return true;
	if (n != 69 || strcmp(name + 64, ".sqfs") != 0 || !is_hex64(name, 64))
		return false;
	for (i = 0; i < keep->n; i++)
		if (!strncmp(keep->v[i], name, 64))
			return false;
	return true;
}

static unsigned int sweep(int images, const struct strlist *keep, unsigned long long *bytes)
{
	int fd = dup(images);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	unsigned int n = 0;
	struct dirent *e;
	struct stat st;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_type == DT_REG && unused(e->d_name, keep) &&
		    !fstatat(images, e->d_name, &st, AT_SYMLINK_NOFOLLOW) &&
		    !unlinkat(images, e->d_name, 0)) {
			n++;
			*bytes += (unsigned long long)st.st_size;
		}
	closedir(d);
	fsync(images);
	return n;
}

/*
 * LB_UPDATE_UPPER=reset: the old primary's upper, kept for a rollback, is not
 * needed once the trial is confirmed (sys/uppersave.c). No data partition
 * (a tmpfs upper): nothing to do.
 */
static void drop_saved_upper(void)
{
	int dfd = open(UPPER_MNT, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (dfd < 0)
		return;
	if (upper_saved_exists(dfd, 'a') || upper_saved_exists(dfd, 'b')) {
		rc = upper_drop_saved(dfd);
		if (rc)
			lb_dprintf(2, "layerboot: gc: %s: the saved upper stays: %s\n", UPPER_MNT,
				   strerror(-rc));
		else
			lb_dprintf(1, "removed the saved upper of the old primary\n");
	}
	close(dfd);
}

int cmd_gc(void)
{
	struct strlist keep = { 0 };
	unsigned long long bytes = 0;
	unsigned int n = 0;
	int store = open(SOURCE_MNT, O_RDONLY | O_DIRECTORY | O_CLOEXEC), images;

	/* An update running beside it must not lose its images before its manifest. */
	if (store < 0 || syscall(SYS_flock, store, LB_LOCK_EX))
		return 0;
	images = openat(store, "images", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (images >= 0 && !read_slots(&keep) && !store_remount(true)) {
		n = sweep(images, &keep, &bytes);
		store_remount(false);
	}
	if (n)
		lb_dprintf(1, "removed %u files no slot uses (%llu KiB)\n", n, bytes >> 10);
	drop_saved_upper();
	strlist_free(&keep);
	close(store);
	return 0;
}
