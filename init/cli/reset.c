// SPDX-License-Identifier: MIT
/* layerboot reset: ask for a factory reset at the next boot. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pure/fmt.h"
#include "pure/paths.h"
#include "sys/print.h"
#include "sys/resetmark.h"

/* Durably, on the data partition's root dir: the marker (sys/resetmark.c). */
static int request(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	rc = dfd < 0 ? -errno : resetmark_write(dfd, RESETMARK_REQUESTED);
	if (dfd >= 0)
		close(dfd);
	if (rc)
		lb_dprintf(2, "layerboot: reset: %s/%s: %s\n", dir, RESET_REQUESTED, strerror(-rc));
	return rc;
}

/*
 * The boot fell back to a tmpfs from a data partition it could not use (a
 * reset that failed on it, for one): the request goes onto that partition,
 * mounted here for the moment, since the reset is the way out.
 */
static int request_on(const char *dev)
{
	static const char mnt[] = RUN_DIR "/reset-mnt";
	int rc;

	if ((mkdir(mnt, 0700) && errno != EEXIST) ||
	    mount(dev, mnt, "ext4", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		rc = -errno;
		lb_dprintf(2, "layerboot: reset: %s: mount on %s: %s\n", dev, mnt, strerror(-rc));
		return rc;
	}
	rc = request(mnt) ? -EIO : 0;
	if (umount(mnt))
		lb_dprintf(2, "layerboot: reset: %s: umount: %s\n", mnt, strerror(errno));
	rmdir(mnt);
	return rc;
}

/* What the boot could not use: "" when it asked for a tmpfs. */
static int fallback_device(char *dev, size_t len)
{
	struct strlist kv = { 0 };
	const char *d;

	if (status_load("reset", &kv))
		return -ENOENT;
	d = strlist_value(&kv, "fallback.device");
	lb_snprintf(dev, len, "%s", d ? d : "");
	strlist_free(&kv);
	return 0;
}

/*
 * Only the request is made here; the boot does the reset, before anything uses
 * the upper. The marker is on the data partition, outside upper/, and durable
 * (file and directory fsynced) before we say so.
 */
int cmd_reset(void)
{
	char dir[PATH_MAX], dev[PATH_MAX] = "";
	struct statfs sf;

	lb_snprintf(dir, sizeof(dir), "%s/upper", cli_run_dir);
	if (statfs(dir, &sf) || sf.f_type == TMPFS_MAGIC) {
		if (fallback_device(dev, sizeof(dev)) || !dev[0]) {
			lb_dprintf(2,
				   "layerboot: reset: the upper is a tmpfs: nothing persistent to "
				   "reset, a reboot starts from the layers anyway\n");
			return 1;
		}
		if (request_on(dev))
			return 1;
	} else if (request(dir)) {
		return 1;
	}
	lb_dprintf(1, "factory reset at the next boot\n");
	return 0;
}
