// SPDX-License-Identifier: MIT
/*
 * Finding a block device by name, partition label or UUID, filesystem label or
 * UUID, without blkid or udev: walk /sys/class/block and read the identifiers
 * from the devices themselves (the GPT of the parent disk, the ext4 superblock),
 * so a kernel without the EFI partition parser, or one that does not put
 * PARTNAME= in the uevent, still matches. Every candidate is read: two devices
 * that answer the same spec are refused rather than picked at random.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "pure/devmatch.h"
#include "pure/ext4sb.h"
#include "pure/fmt.h"
#include "pure/gpt.h"
#include "pure/num.h"
#include "sys/clock.h"
#include "sys/devices.h"
#include "sys/file.h"
#include "sys/kmod.h"
#include "sys/log.h"

#define SYS_BLOCK "/sys/class/block"
#define POLL_NS	  (50L * 1000 * 1000)

static uint8_t blk[EXT4_SB_SIZE];

/* A small sysfs attribute, NUL-terminated. */
static int read_attr(const char *name, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];
	int fd, n;

	lb_snprintf(path, sizeof(path), "%s/%s/%s", SYS_BLOCK, name, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = (int)read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* /dev/NAME, made from sysfs when devtmpfs has not made it (yet). */
static int node_open(const char *name, char path[DEV_PATH_MAX])
{
	unsigned int maj, min;
	char num[32];
	int fd;

	if (lb_snprintf(path, DEV_PATH_MAX, "/dev/%s", name) >= DEV_PATH_MAX)
		return -ENAMETOOLONG;
	fd = open_blockdev(path);
	if (fd != -ENOENT)
		return fd;
	if (read_attr(name, "dev", num, sizeof(num)) || devnum_parse(num, &maj, &min))
		return -ENOENT;
	if (mknod(path, S_IFBLK | 0600, makedev(maj, min)) && errno != EEXIST)
		return -errno;
	return open_blockdev(path);
}

static int read_at(int fd, size_t len, uint64_t off)
{
	ssize_t n = pread(fd, blk, len, (off_t)off);

	return n == (ssize_t)len ? 0 : -EIO;
}

/*
 * The GPT header is at LBA 1: byte 512, or 4096 on 4Kn disks. A torn or
 * overwritten primary (its CRC fails) falls back to the backup header in the
 * disk's last logical block, which points to the backup entry array.
 */
static int gpt_find(int fd, const char *disk, struct gpt_header *h, unsigned int *lbs)
{
	uint64_t sectors;
	char num[32];

	for (*lbs = 512; *lbs <= 4096; *lbs *= 8)
		if (!read_at(fd, 512, *lbs) && !gpt_header_parse(blk, 512, h))
			return 0;
	/* sysfs counts the disk's size in 512-byte sectors, whatever its block size */
	if (read_attr(disk, "size", num, sizeof(num)) ||
	    num_prefix(num, UINT64_MAX >> 9, &sectors, NULL))
		return -ENOENT;
	for (*lbs = 512; *lbs <= 4096; *lbs *= 8)
		if (sectors * 512 >= 2 * (uint64_t)*lbs &&
		    !read_at(fd, 512, sectors * 512 - *lbs) && !gpt_header_parse(blk, 512, h))
			return 0;
	return -ENOENT;
}

/* The whole disk a block device is on: its parent for a partition, else itself. */
static int disk_of(const char *name, char *out, size_t len)
{
	char sys[PATH_MAX], link[PATH_MAX], num[16];
	ssize_t n;

	if (read_attr(name, "partition", num, sizeof(num)))
		return lb_snprintf(out, len, "%s", name) < (int)len ? 0 : -ENAMETOOLONG;
	lb_snprintf(sys, sizeof(sys), "%s/%s", SYS_BLOCK, name);
	n = readlink(sys, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = '\0';
	return sysfs_parent(link, out, len);
}

/* The partition's GPT entry (PARTUUID, PARTLABEL), or its MBR PARTUUID. */
static int probe_part(const char *name, struct gpt_entry *e)
{
	char parent[40], num[16], path[DEV_PATH_MAX];
	unsigned int no, lbs;
	struct gpt_header h;
	int fd, rc = -ENOENT;

	if (read_attr(name, "partition", num, sizeof(num)) || sysfs_uint(num, &no) ||
	    disk_of(name, parent, sizeof(parent)))
		return -ENOENT;
	fd = node_open(parent, path);
	if (fd < 0)
		return fd;
	e->name[0] = '\0';
	if (!gpt_find(fd, parent, &h, &lbs)) {
		if (no >= 1 && no <= h.count &&
		    !read_at(fd, 128, h.entries_lba * lbs + (no - 1) * (uint64_t)h.entry_size))
			rc = gpt_entry_parse(blk, 128, e);
	} else if (!read_at(fd, 512, 0)) {
		rc = mbr_partuuid(blk, 512, no, e->uuid);
	}
	close(fd);
	return rc;
}

static int probe_fs(int fd, struct ext4_info *fs)
{
	if (read_at(fd, EXT4_SB_SIZE, EXT4_SB_OFFSET))
		return -EIO;
	return ext4_sb_parse(blk, EXT4_SB_SIZE, fs);
}

int device_is_ext4(const char *path)
{
	struct ext4_info fs;
	int fd = open_blockdev(path), rc;

	if (fd < 0)
		return fd;
	rc = probe_fs(fd, &fs);
	close(fd);
	return rc;
}

/* Reads only what the spec asks about: a label match needs no GPT. */
static bool probe(const struct devspec *s, const char *name, char path[DEV_PATH_MAX])
{
	struct devid id = { name, NULL, NULL, NULL, NULL };
	struct ext4_info fs;
	struct gpt_entry e;
	int fd = node_open(name, path);

	if (fd < 0)
		return false;
	if ((s->kind == DEV_PARTUUID || s->kind == DEV_PARTLABEL) && !probe_part(name, &e)) {
		id.partuuid = e.uuid;
		id.partlabel = e.name[0] ? e.name : NULL;
	}
	if ((s->kind == DEV_UUID || s->kind == DEV_LABEL) && !probe_fs(fd, &fs)) {
		id.uuid = fs.uuid;
		id.label = fs.label;
	}
	close(fd);
	return devid_match(s, &id);
}

#define MATCH_MAX 8

/* What one pass over sysfs found: the devices that answer, and their disks. */
struct matches {
	unsigned int n; /* may exceed MATCH_MAX: only the first ones are kept */
	char path[MATCH_MAX][DEV_PATH_MAX];
	char disk[MATCH_MAX][40];
};

/* Stops at the deadline: a dying disk must not stretch the wait past it. */
static void scan(const struct devspec *s, uint64_t end, struct matches *m)
{
	char p[DEV_PATH_MAX];
	DIR *d = opendir(SYS_BLOCK);
	struct dirent *e;

	m->n = 0;
	while (d && (e = readdir(d)) && now_us() < end) {
		if (e->d_name[0] == '.' || !probe(s, e->d_name, p))
			continue;
		if (m->n < MATCH_MAX) {
			strcpy(m->path[m->n], p);
			if (disk_of(e->d_name, m->disk[m->n], sizeof(m->disk[0])))
				m->disk[m->n][0] = '\0';
		}
		m->n++;
	}
	if (d)
		closedir(d);
}

/*
 * Two devices answer (a USB stick with a partition labelled "data", a second
 * copy of the image): the one on the same disk as near wins, when exactly one
 * is; otherwise nothing is picked by chance. Returns its index or -1.
 */
static int pick_near(const struct matches *m, const char *near)
{
	char disk[40];
	unsigned int i;
	int found = -1;

	if (!near || strncmp(near, "/dev/", 5) != 0 || m->n > MATCH_MAX ||
	    disk_of(near + 5, disk, sizeof(disk)))
		return -1;
	for (i = 0; i < m->n; i++) {
		if (strcmp(m->disk[i], disk) != 0)
			continue;
		if (found >= 0)
			return -1;
		found = (int)i;
	}
	return found;
}

/*
 * /dev/NAME as given: a node made by hand, or one to make from sysfs. 1 when
 * found, 0 when not (yet), -ENOTBLK for a node that is not a block device (a
 * tty named on the command line must not be opened as a disk).
 */
static int find_path(const struct devspec *s, char path[DEV_PATH_MAX])
{
	struct stat st;
	int fd;

	if (!stat(s->value, &st)) {
		if (!S_ISBLK(st.st_mode))
			return -ENOTBLK;
		strcpy(path, s->value); /* DEV_PATH_MAX > DEVSPEC_VALUE_MAX */
		return 1;
	}
	if (strchr(s->value + 5, '/'))
		return 0;
	fd = node_open(s->value + 5, path);
	if (fd == -ENOTBLK)
		return fd;
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static int pick_one(const struct matches *m, const char *near, const char *spec,
		    char path[DEV_PATH_MAX])
{
	int i = pick_near(m, near);

	if (i < 0)
		return set_error(-EEXIST, "%s: more than one device: %s and %s", spec, m->path[0],
				 m->path[1]);
	strcpy(path, m->path[i]);
	log_info("devices", "%s: %u devices answer; taking %s, on the disk of %s", spec, m->n, path,
		 near);
	return 0;
}

int device_wait(const struct location *l, unsigned int timeout, const char *near,
		char path[DEV_PATH_MAX])
{
	const struct timespec poll = { 0, POLL_NS };
	uint64_t end = now_us() + (uint64_t)timeout * 1000000;
	char spec[LOCATION_STR_MAX];
	static struct matches m;
	int n;

	kmod_load_storage();
	location_str(l, "", spec, sizeof(spec));
	for (;;) {
		if (l->dev.kind == DEV_PATH) {
			n = find_path(&l->dev, path);
		} else {
			scan(&l->dev, end, &m);
			n = (int)m.n;
			if (n)
				strcpy(path, m.path[0]);
		}
		if (n == -ENOTBLK)
			return set_error(n, "%s: not a block device", spec);
		if (n > 1)
			return pick_one(&m, near, spec, path);
		if (n == 1)
			return 0;
		if (now_us() >= end)
			return set_error(-ENODEV, "%s: no such device after %u s", spec, timeout);
		nanosleep(&poll, NULL);
	}
}
