// SPDX-License-Identifier: MIT
/*
 * Stage layers: attach each verified image to a read-only, autoclear loop device
 * and mount its filesystem (squashfs, or erofs as the manifest says) at
 * /run/layerboot/layers/NAME. Under verity the filesystem is mounted from a
 * read-only dm-verity device lb-NAME over the loop device, which checks every
 * block against the manifest's root hash when it is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "pure/fmt.h"
#include "pure/memguard.h"
#include "pure/paths.h"
#include "pure/verity.h"
#include "sys/dm.h"
#include "sys/file.h"
#include "sys/log.h"
#include "sys/loop.h"

/* The verity device lb-NAME over the loop device dev; its node replaces dev. */
static int verity_on(const struct boot *b, unsigned int i, char dev[DM_NODE_MAX])
{
	const struct layer_entry *l = &b->man.layer[i];
	char table[400], dm[LB_NAME_MAX + 4];
	unsigned long long sectors;
	const char *step;
	int rc;

	lb_snprintf(dm, sizeof(dm), "lb-%s", l->name); /* name <= 64 bytes */
	if (verity_table(&l->verity, dev, b->cfg.verity_corruption == VERITY_RESTART, table,
			 sizeof(table), &sectors))
		return set_error(-ENAMETOOLONG, "%s: verity table too long", l->name);
	rc = dm_create_ro(dm, "verity", sectors, table, dev, &step);
	if (rc)
		return set_error(rc, "%s: verity device %s: %s: %s", l->name, dm, step,
				 strerror(-rc));
	return 0;
}

static int mount_one(struct boot *b, unsigned int i)
{
	const char *name = b->man.layer[i].name, *fs = layer_fs_type(b->man.layer[i].fs);
	char dir[PATH_MAX], dev[DM_NODE_MAX];
	int lfd, rc;

	lb_snprintf(dir, sizeof(dir), "%s/%s", LAYERS_DIR, name); /* name <= 64 bytes */
	if (mkdir(dir, 0755) && errno != EEXIST)
		return set_error(-errno, "%s: mkdir %s: %s", name, dir, strerror(errno));
	lfd = loop_attach(b->image_fd[i], dev);
	if (lfd < 0)
		return set_error(lfd, "%s: loop device: %s", name, strerror(-lfd));
	rc = b->cfg.verify == VERIFY_VERITY ? verity_on(b, i, dev) : 0;
	/*
	 * nosuid, nodev: a setuid binary or a device node of a lower layer must
	 * not work from its inspection copy, or a layer above that fixes or drops
	 * it would be bypassed. The merged root has its own mount flags.
	 */
	if (!rc && mount(dev, dir, fs, MS_RDONLY | MS_NOSUID | MS_NODEV, NULL))
		rc = set_error(-errno, "%s: mount %s from %s: %s", name, fs, dev, strerror(errno));
	close(lfd);
	close(b->image_fd[i]);
	b->image_fd[i] = -1;
	if (rc)
		return rc;
	log_debug("layers", "%s: %s on %s", name, dev, dir);
	return 0;
}

/* MemAvailable now; 0 when /proc/meminfo cannot tell (the guard then stands down). */
static uint64_t mem_available_kb(void)
{
	char *text;
	uint64_t kb = 0;

	if (read_file("/proc/meminfo", &text, 1 << 16, NULL))
		return 0;
	if (meminfo_available_kb(text, &kb))
		kb = 0;
	free(text);
	return kb;
}

/*
 * Past the RAM, the kernel cannot OOM-kill PID 1 and panics: stop before that
 * with a message that says how many layers fit and what each one costs.
 */
static int check_memory(const struct boot *b, unsigned int mounted, uint64_t start_kb)
{
	uint64_t now_kb, per_kb;

	if (!start_kb)
		return 0;
	now_kb = mem_available_kb();
	if (!now_kb || !layer_memory_fits(start_kb, now_kb, mounted, &per_kb))
		return 0;
	return set_error(-ENOMEM,
			 "%s: out of memory after %u of %u layers: %llu KiB available, each layer "
			 "holds about %llu KiB of kernel memory (a smaller LB_SQUASHFS_BLOCK, "
			 "erofs or more RAM makes room)",
			 b->man.layer[mounted].name, mounted, b->man.count,
			 (unsigned long long)now_kb, (unsigned long long)per_kb);
}

int layers_mount(struct boot *b)
{
	uint64_t start_kb = mem_available_kb();
	unsigned int i;
	int rc = mkdir_p(RUN_DIR, 0755);

	/* Root only: what the layers hold is for inspection, not for use. */
	if (!rc && mkdir(LAYERS_DIR, 0700) && errno != EEXIST)
		rc = -errno;
	if (!rc && chmod(LAYERS_DIR, 0700))
		rc = -errno;
	if (rc)
		return set_error(rc, "%s: %s", LAYERS_DIR, strerror(-rc));
	for (i = 0; i < b->man.count; i++) {
		/* Before the first layer nothing is mounted: the guard cannot stop it. */
		rc = i ? check_memory(b, i, start_kb) : 0;
		if (!rc)
			rc = mount_one(b, i);
		if (rc)
			return rc;
	}
	return 0;
}
