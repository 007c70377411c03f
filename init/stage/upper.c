// SPDX-License-Identifier: MIT
/*
 * Stage upper: the writable layer. A tmpfs, or the persistent device: ext4,
 * mounted read-write at /run/layerboot/upper, holding upper/ and work/, with the
 * factory reset done here, before the overlay uses them. A device that cannot
 * be used gives a tmpfs upper, said on the console and in the status; nothing
 * is written to it before its mount succeeded, and it is never formatted or
 * checked: that is the owner's decision, not the boot's.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "boot.h"
#include "pure/fmt.h"
#include "pure/paths.h"
#include "sys/devices.h"
#include "sys/file.h"
#include "sys/log.h"
#include "sys/reset.h"
#include "sys/uppersave.h"

static int upper_tmpfs(const struct config *c)
{
	char size[32], opts[64];
	int rc = mkdir_p(UPPER_MNT, 0755);

	if (rc)
		return set_error(rc, "%s: %s", UPPER_MNT, strerror(-rc));
	if (size_format(&c->size, size, sizeof(size)))
		return set_error(-EINVAL, "size: cannot format");
	lb_snprintf(opts, sizeof(opts), "size=%s,mode=0755", size);
	if (mount("tmpfs", UPPER_MNT, "tmpfs", MS_NOSUID | MS_NODEV, opts))
		return set_error(-errno, "%s: mount tmpfs %s: %s", UPPER_MNT, opts,
				 strerror(errno));
	if (mkdir(UPPER_DIR, 0755))
		return set_error(-errno, "%s: %s", UPPER_DIR, strerror(errno));
	if (mkdir(WORK_DIR, 0755))
		return set_error(-errno, "%s: %s", WORK_DIR, strerror(errno));
	return 0;
}

/* upper/ and work/ are made when missing: a directory is not a format. */
static int need_dir(int dfd, const char *name)
{
	struct stat st;

	if (mkdirat(dfd, name, 0755) && errno != EEXIST)
		return set_error(-errno, "%s: %s", name, strerror(errno));
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISDIR(st.st_mode))
		return set_error(-ENOTDIR, "%s: not a directory", name);
	return 0;
}

/*
 * LB_UPDATE_UPPER (sys/uppersave.c): after the factory reset, before upper/
 * is made, so a trial's first boot finds no upper/ and gets a fresh one. The
 * boot state it reads was written by the slot stage before this one.
 */
static int upper_policy(struct boot *b, int dfd)
{
	struct upper_input in = {
		b->cfg.update_upper, b->slot, b->slot && b->state.trial == b->slot, { false, false }
	};
	struct upper_plan p;
	int rc = upper_policy_run(dfd, &in, b->cfg.fault_upper, &p, &b->upper_saved);

	b->upper_act = (unsigned char)p.act;
	if (rc)
		return set_error(rc, "upper.saved-%c: %s", p.saved, strerror(-rc));
	if (p.act)
		log_info("upper", "upper.saved-%c: %s", p.saved,
			 p.act == UA_SAVE ? "saved" : "restored");
	return 0;
}

/* The device is mounted: check it can be written, reset it if asked, prepare it. */
static int use_mounted(struct boot *b)
{
	struct reset_result reset = { RT_NONE, false, "" };
	struct statvfs sv;
	int dfd, rc;

	if (statvfs(UPPER_MNT, &sv))
		return set_error(-errno, "statvfs: %s", strerror(errno));
	if (sv.f_flag & ST_RDONLY)
		return set_error(-EROFS, "mounted read-only");
	dfd = open(UPPER_MNT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return set_error(-errno, "%s", strerror(errno));
	rc = reset_run(dfd, b->cfg.reset, b->cfg.fault_reset, &reset);
	b->reset_trigger = reset.trigger;
	b->reset_done = reset.done;
	lb_snprintf(b->reset_trash, sizeof(b->reset_trash), "%s", reset.trash);
	if (!rc)
		rc = upper_policy(b, dfd);
	if (!rc)
		rc = need_dir(dfd, "upper");
	if (!rc)
		rc = need_dir(dfd, "work");
	/* Kept for the next reset, which may find the disk full (sys/reset.c). */
	if (!rc && mkdirat(dfd, "trash", 0700) == 0)
		fsync(dfd);
	close(dfd);
	return rc;
}

static int mount_device(struct boot *b)
{
	const char *dev = b->upper_dev;
	int rc = device_is_ext4(dev);

	if (rc)
		return set_error(rc, "%s",
				 rc == -EINVAL ? "not an ext4 filesystem" : strerror(-rc));
	rc = mkdir_p(UPPER_MNT, 0755);
	if (!rc && mount(dev, UPPER_MNT, "ext4", MS_NOSUID | MS_NODEV, NULL))
		rc = -errno;
	if (rc)
		return set_error(rc, "mount ext4: %s", strerror(-rc));
	rc = use_mounted(b);
	if (rc)
		umount2(UPPER_MNT, MNT_DETACH);
	return rc;
}

/* Every reason names the spec and the device: "PARTLABEL=data (/dev/vda2): ..." */
static int upper_device(struct boot *b)
{
	char spec[LOCATION_STR_MAX], why[sizeof(b->fallback)];
	/* The data partition on the disk the layers came from wins over a stranger. */
	int rc = device_wait(&b->cfg.upper, b->cfg.timeout, b->src_dev[0] ? b->src_dev : NULL,
			     b->upper_dev);

	if (rc)
		return rc;
	rc = mount_device(b);
	if (rc) {
		location_str(&b->cfg.upper, "", spec, sizeof(spec));
		lb_snprintf(why, sizeof(why), "%s (%s): %s", spec, b->upper_dev, last_error());
		set_error(rc, "%s", why);
	}
	return rc;
}

int upper_setup(struct boot *b)
{
	if (!b->cfg.upper.is_device) {
		if (b->cfg.reset)
			log_info("reset",
				 "layerboot.reset: the upper is a tmpfs, nothing to reset");
		return upper_tmpfs(&b->cfg);
	}
	if (!upper_device(b)) {
		b->upper_persistent = true;
		return 0;
	}
	/* Kept apart: `layerboot reset` can still ask the device for a reset. */
	lb_snprintf(b->fallback_dev, sizeof(b->fallback_dev), "%s", b->upper_dev);
	b->upper_dev[0] = '\0';
	lb_snprintf(b->fallback, sizeof(b->fallback), "%s", last_error());
	log_error("upper", "%s: falling back to tmpfs", b->fallback);
	return upper_tmpfs(&b->cfg);
}
