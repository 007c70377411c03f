// SPDX-License-Identifier: MIT
/* layerboot reset: ask for a factory reset at the next boot. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pure/fmt.h"
#include "pure/paths.h"
#include "sys/print.h"
#include "sys/resetmark.h"

/*
 * Only the request is made here; the boot does the reset, before anything uses
 * the upper. The marker is on the data partition, outside upper/, and durable
 * (file and directory fsynced) before we say so.
 */
int cmd_reset(void)
{
	char dir[PATH_MAX];
	struct statfs sf;
	int dfd, rc;

	lb_snprintf(dir, sizeof(dir), "%s/upper", cli_run_dir);
	errno = 0;
	if (statfs(dir, &sf) || sf.f_type == TMPFS_MAGIC) {
		lb_dprintf(2, "layerboot: reset: the upper is a tmpfs: nothing persistent to "
			      "reset, a reboot starts from the layers anyway\n");
		return 1;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = dfd < 0 ? -errno : resetmark_write(dfd, RESETMARK_REQUESTED);
	if (dfd >= 0)
		close(dfd);
	if (rc) {
		lb_dprintf(2, "layerboot: reset: %s/%s: %s\n", dir, RESET_MARKER, strerror(-rc));
		return 1;
	}
	lb_dprintf(1, "factory reset at the next boot\n");
	return 0;
}
