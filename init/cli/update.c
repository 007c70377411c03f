// SPDX-License-Identifier: MIT
/*
 * layerboot update FILE|-: install an update bundle (init/INTERFACE.md "Update
 * bundle") into the slot the system did not boot, and make it the trial of
 * the next boot. In the CLI's binary (layerboot-cli), so that none of it
 * weighs on PID 1.
 *
 * The power-cut argument: until step 3 the store only gains files the boot
 * never reads (images no slot's manifest names yet, *.tmp files); step 3
 * renames the new slot's manifest into place, still a slot the boot state
 * does not choose; step 4 renames the boot state that makes it the trial.
 * Each rename comes after the fsync of what it names, so a cut at any
 * moment boots the old slot as before, or the new one as a trial. Every
 * refusal that needs no image byte (signature, compatible, version, a delta's
 * base, free space) comes before the store is remounted read-write.
 */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h> /* renameat */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h> /* memfd_create */
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/update.h"
#include "pure/bundleplan.h"
#include "pure/fmt.h"
#include "pure/hex.h"
#include "pure/paths.h"
#include "pure/sha256.h"
#include "pure/tarhdr.h"
#include "sys/log.h"
#include "sys/manifestfile.h"
#include "sys/kapi.h"
#include "sys/print.h"
#include "sys/sha256fd.h"
#include "sys/hidden.h"
#include "sys/store.h"
#include "sys/uppersave.h"

#ifndef LB_UPDATE_TRIES
#define LB_UPDATE_TRIES 3
#endif

#define MANIFEST_MAX (1u << 20)
#define CONTENTS_MAX (64u << 10)
/* Room left beyond the images: the manifest, the boot state, ext4's own. */
#define SPACE_MARGIN (256ull << 10)

struct update {
	int in, store, images;
	bool allow_downgrade, progress;
	bool check; /* --check: every check and the hidden list, nothing written */
	struct manifest *man;
	char *man_text;
	size_t man_len;
	char *contents;
	bool have[LB_MAX_LAYERS];
	struct bundle_plan plan;
	char booted, target;
	struct bootstate state;
	unsigned long long written;
	bool reset_upper, persistent; /* status upper.policy=reset, upper=persistent */
	char *hidden;		      /* the list of sys/hidden.c; NULL: none was made */
	size_t hidden_len;
	int hidden_n;
};

static int refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int refuse(const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	lb_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lb_dprintf(2, "layerboot: update: %s\n", msg);
	return -1;
}

#ifdef LB_TEST_BUILD
/* LB_UPDATE_FAULT=N: stop dead after step N, as if the power went. */
static void fault_point(int step)
{
	const char *f = getenv("LB_UPDATE_FAULT");

	if (!f || atoi(f) != step)
		return;
	lb_dprintf(2, "layerboot: update: fault injection: stopped after step %d\n", step);
	for (;;)
		pause();
}
#else
static void fault_point(int step)
{
	(void)step;
}
#endif

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_header(struct update *u, struct tar_member *m, const char *what)
{
	uint8_t blk[TAR_BLOCK];
	const char *why;
	int rc = read_full(u->in, blk, sizeof(blk));

	if (rc)
		return refuse("bundle: %s: %s", what,
			      rc == -ENODATA ? "the bundle ends before it" : strerror(-rc));
	rc = tar_header_parse(blk, m, &why);
	if (rc == 1)
		return refuse("bundle: %s: the archive ends before it", what);
	return rc ? refuse("bundle: %s: %s", what, why) : 0;
}

/* The member name, whole, into a buffer of its own (NUL-terminated). */
static int read_small(struct update *u, const char *name, size_t max, char **out, size_t *len)
{
	struct tar_member m = { "", 0 };
	unsigned long long pad;
	char *buf;

	if (read_header(u, &m, name))
		return -1;
	if (strcmp(m.name, name) != 0)
		return refuse("bundle: '%s' where '%s' should be: not an update bundle", m.name,
			      name);
	if (m.size > max)
		return refuse("bundle: %s: larger than %zu bytes", name, max);
	pad = tar_padded(m.size);
	buf = malloc(pad + 1);
	if (!buf)
		return refuse("bundle: %s: out of memory", name);
	if (read_full(u->in, buf, pad)) {
		free(buf);
		return refuse("bundle: %s: the bundle ends inside it", name);
	}
	buf[m.size] = '\0';
	*out = buf;
	*len = m.size;
	return 0;
}

/* Verified as the boot verifies a slot: signature first, then the fields. */
static int check_manifest(struct update *u, const struct strlist *kv)
{
	const char *compat = strlist_value(kv, "slot.compatible");
	char path[PATH_MAX], cert[PATH_MAX];
	uint64_t us;
	bool signed_ok = false;
	int fd, rc;

	lb_snprintf(cert, sizeof(cert), "%s/cert.der", cli_run_dir);
	if (access(cert, R_OK))
		return refuse("%s: %s: the bundle's signature cannot be checked", cert,
			      strerror(errno));
	lb_snprintf(path, sizeof(path), "%s/update-manifest", cli_run_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, u->man_text, u->man_len)) {
		if (fd >= 0)
			close(fd);
		return refuse("%s: %s", path, strerror(errno));
	}
	close(fd);
	rc = manifest_read(path, cert, compat ? compat : "", u->man, &signed_ok, &us);
	unlink(path);
	if (rc)
		return refuse("bundle: %s", last_error());
	return signed_ok ? 0 : refuse("bundle: manifest: not signed");
}

static int check_version(struct update *u, const struct strlist *kv)
{
	const char *v = strlist_value(kv, "slot.version");
	unsigned long long installed = v ? strtoull(v, NULL, 10) : 0;

	if (u->man->version > installed || u->allow_downgrade)
		return 0;
	return refuse("bundle: version %llu is not newer than the installed %llu "
		      "(--allow-downgrade installs it anyway)",
		      u->man->version, installed);
}

/* The slot the system runs must be the primary: a trial is decided first. */
static int pick_slot(struct update *u, const struct strlist *kv)
{
	const char *slot = strlist_value(kv, "slot"), *why = "";
	int rc;

	if (!slot || (strcmp(slot, "a") != 0 && strcmp(slot, "b") != 0))
		return refuse("this system was not booted from a slot store (status slot=%s)",
			      slot ? slot : "");
	u->booted = slot[0];
	rc = store_read_state(u->store, &u->state, &why);
	if (rc == -ENOENT)
		bootstate_factory(&u->state);
	else if (rc)
		return refuse("%s/%s: %s", SOURCE_MNT, STORE_STATE,
			      rc == -EINVAL ? why : strerror(-rc));
	if (u->state.primary != u->booted)
		return refuse("slot %c is on trial: layerboot mark-good or mark-bad first",
			      u->booted);
	u->target = slot_other(u->booted);
	return 0;
}

static void image_name(const uint8_t sha[32], const char *suffix, char out[80])
{
	char hex[65];

	hex_encode(sha, 32, hex);
	lb_snprintf(out, 80, "%s.sqfs%s", hex, suffix);
}

/* What the store holds: an image by its digest, of the manifest's size. */
static void find_have(struct update *u)
{
	char name[80];
	struct stat st;
	unsigned int i;

	for (i = 0; i < u->man->count; i++) {
		image_name(u->man->layer[i].sha256, "", name);
		u->have[i] = !fstatat(u->images, name, &st, AT_SYMLINK_NOFOLLOW) &&
			     S_ISREG(st.st_mode) &&
			     (unsigned long long)st.st_size == u->man->layer[i].size;
	}
}

static int check_space(struct update *u)
{
	struct statvfs sv;
	unsigned long long avail;

	if (fstatvfs(u->store, &sv))
		return refuse("%s: statvfs: %s", SOURCE_MNT, strerror(errno));
	avail = (unsigned long long)sv.f_bavail * sv.f_frsize;
	if (u->plan.write_bytes + SPACE_MARGIN <= avail)
		return 0;
	return refuse("bundle: needs %llu KiB on %s, which has %llu KiB free",
		      (u->plan.write_bytes + SPACE_MARGIN) >> 10, SOURCE_MNT, avail >> 10);
}

static void show_progress(struct update *u, const char *name, unsigned long long done,
			  unsigned long long size)
{
	if (!u->progress)
		return;
	lb_dprintf(2, "\r%.16s...: %llu of %llu KiB (%llu%%)%s", name, done >> 10, size >> 10,
		   size ? done * 100 / size : 100, done == size ? "\n" : "");
}

/* Data of one member into fd (-1: read and dropped), hashed as it goes. */
static int copy_data(struct update *u, int fd, const char *name, unsigned long long size,
		     uint8_t digest[32])
{
	static char buf[64 << 10];
	unsigned long long left = tar_padded(size), done = 0;
	struct sha256 h;

	sha256_init(&h);
	while (left) {
		size_t n = left < sizeof(buf) ? (size_t)left : sizeof(buf);
		size_t data = size - done < n ? (size_t)(size - done) : n;

		if (read_full(u->in, buf, n))
			return refuse("bundle: images/%s: the bundle ends inside it", name);
		sha256_update(&h, buf, data);
		if (fd >= 0 && write_all(fd, buf, data))
			return refuse("%s/images/%s: %s", SOURCE_MNT, name, strerror(errno));
		left -= n;
		done += data;
		if (fd >= 0 && (done == size || !(done & ((1 << 20) - 1))))
			show_progress(u, name, done, size);
	}
	sha256_final(&h, digest);
	return 0;
}

/* images/SHA.sqfs.tmp, checked against its digest, fsync'd, renamed into place. */
static int write_image(struct update *u, const struct layer_entry *l, const char *name)
{
	char tmp[80];
	uint8_t digest[32];
	int fd, rc;

	image_name(l->sha256, ".tmp", tmp);
	fd = openat(u->images, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return refuse("%s/images/%s: %s", SOURCE_MNT, tmp, strerror(errno));
	rc = copy_data(u, fd, name, l->size, digest);
	if (!rc && memcmp(digest, l->sha256, 32) != 0)
		rc = refuse("bundle: images/%s: sha256 mismatch: a corrupted bundle", name);
	if (!rc && fsync(fd))
		rc = refuse("%s/images/%s: fsync: %s", SOURCE_MNT, tmp, strerror(errno));
	close(fd);
	if (!rc && renameat(u->images, tmp, u->images, name))
		rc = refuse("%s/images/%s: rename: %s", SOURCE_MNT, name, strerror(errno));
	if (rc)
		unlinkat(u->images, tmp, 0);
	else
		u->written += l->size;
	return rc;
}

/* Step 1 and 2: every image of the contents, in order; then the folder synced. */
static int write_images(struct update *u)
{
	struct tar_member m = { "", 0 };
	char want[80];
	unsigned int i;

	for (i = 0; i < u->plan.count; i++) {
		const struct layer_entry *l = &u->man->layer[u->plan.layer[i]];
		uint8_t digest[32];

		image_name(l->sha256, "", want);
		if (read_header(u, &m, want))
			return -1;
		if (strncmp(m.name, "images/", 7) != 0 || strcmp(m.name + 7, want) != 0 ||
		    m.size != l->size)
			return refuse("bundle: '%s' where images/%s should be", m.name, want);
		if (!u->plan.write[i]) {
			if (copy_data(u, -1, want, l->size, digest))
				return -1;
			continue;
		}
		if (write_image(u, l, want))
			return -1;
		fault_point(1);
	}
	if (fsync(u->images))
		return refuse("%s/images: fsync: %s", SOURCE_MNT, strerror(errno));
	fault_point(2);
	return 0;
}

/*
 * LB_UPDATE_UPPER=keep: the upper's paths that will hide a file the new slot
 * changes (sys/hidden.c), once every image of the new slot is in the store
 * (after step 2, before the manifest). An advisory list: a scan that fails
 * is said, and the update goes on without one.
 */
static void find_hidden(struct update *u)
{
	static struct manifest old;
	char path[64], upper[PATH_MAX];
	const char *why = "";
	bool sig;
	uint64_t us;
	int fd = -1, up, n = -1;
	off_t len;

	lb_snprintf(path, sizeof(path), SOURCE_MNT "/slot-%c/manifest", u->booted);
	lb_snprintf(upper, sizeof(upper), "%s/upper/upper", cli_run_dir);
	up = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (up < 0 || manifest_read(path, RUN_CERT, u->man->compatible, &old, &sig, &us))
		why = up < 0 ? "the upper cannot be opened" : last_error();
	else if ((fd = memfd_create("hidden", MFD_CLOEXEC)) < 0)
		why = "memfd";
	else
		n = hidden_list(&old, u->man, u->images, up, fd, &why);
	if (n >= 0 && (len = lseek(fd, 0, SEEK_CUR)) >= 0 &&
	    (u->hidden = malloc((size_t)len + 1)) && pread(fd, u->hidden, (size_t)len, 0) == len) {
		u->hidden[len] = '\0';
		u->hidden_len = (size_t)len;
		u->hidden_n = n;
	} else {
		free(u->hidden);
		u->hidden = NULL;
		lb_dprintf(2, "layerboot: update: the upper's hidden paths are not listed: %s\n",
			   why);
	}
	if (fd >= 0)
		close(fd);
	if (up >= 0)
		close(up);
}

/*
 * The persistent upper, after every refusal and before the store is written:
 * a stale upper.saved-X goes (sys/uppersave.c). A tmpfs upper has none.
 */
static int upper_prepare(struct update *u)
{
	char root[PATH_MAX];
	int dfd, rc;

	if (!u->persistent)
		return 0;
	lb_snprintf(root, sizeof(root), "%s/upper", cli_run_dir);
	dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = dfd < 0 ? -errno : u->check ? 0 : upper_drop_saved(dfd);
	if (dfd >= 0)
		close(dfd);
	if (rc)
		return refuse("%s: a stale saved upper cannot be removed: %s", root, strerror(-rc));
	if (u->reset_upper)
		u->hidden = strdup(""); /* the trial starts from a fresh upper: nothing hides */
	return 0;
}

/* Step 3: slot-X/manifest, the bytes as signed. */
static int write_manifest(struct update *u)
{
	char dir[8] = "slot-a";
	int dfd, rc;

	dir[5] = u->target;
	if (mkdirat(u->store, dir, 0755) && errno != EEXIST)
		return refuse("%s/%s: %s", SOURCE_MNT, dir, strerror(errno));
	dfd = openat(u->store, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0 || fsync(u->store))
		return refuse("%s/%s: %s", SOURCE_MNT, dir, strerror(errno));
	/* Beside the manifest, before it: a slot's list is never an older slot's. */
	if (u->hidden)
		rc = store_write_atomic(dfd, "hidden", u->hidden, u->hidden_len);
	else
		rc = unlinkat(dfd, "hidden", 0) && errno != ENOENT ? -errno : 0;
	if (!rc)
		rc = store_write_atomic(dfd, "manifest", u->man_text, u->man_len);
	close(dfd);
	if (rc)
		return refuse("%s/%s/manifest: %s", SOURCE_MNT, dir, strerror(-rc));
	fault_point(3);
	return 0;
}

/* Step 4: the boot state that makes it the next boot's trial. */
static int write_trial(struct update *u)
{
	int rc;

	u->state.trial = u->target;
	u->state.tries = LB_UPDATE_TRIES;
	rc = store_write_state(u->store, &u->state);
	if (rc)
		return refuse("%s/%s: %s", SOURCE_MNT, STORE_STATE, strerror(-rc));
	fault_point(4);
	return 0;
}

static int install(struct update *u)
{
	int rc;

	rc = store_remount(true);
	if (rc)
		return refuse("%s: remount read-write: %s", SOURCE_MNT, strerror(-rc));
	if (mkdirat(u->store, "images", 0755) && errno != EEXIST)
		rc = refuse("%s/images: %s", SOURCE_MNT, strerror(errno));
	if (!rc && u->images < 0)
		u->images = openat(u->store, "images", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!rc && u->images < 0)
		rc = refuse("%s/images: %s", SOURCE_MNT, strerror(errno));
	if (!rc)
		rc = write_images(u);
	if (!rc && u->persistent && !u->reset_upper)
		find_hidden(u);
	if (!rc)
		rc = write_manifest(u);
	if (!rc)
		rc = write_trial(u);
	if (store_remount(false) && !rc)
		rc = refuse("%s: remount read-only: %s", SOURCE_MNT, strerror(errno));
	return rc;
}

static int prepare(struct update *u)
{
	struct strlist kv = { 0 };
	char why[300];
	int rc;

	if (status_load("update", &kv))
		return -1;
	rc = pick_slot(u, &kv);
	u->reset_upper = !strcmp(strlist_value(&kv, "upper.policy") ?: "", "reset");
	u->persistent = !strcmp(strlist_value(&kv, "upper") ?: "", "persistent");
	if (!rc)
		rc = read_small(u, "manifest", MANIFEST_MAX, &u->man_text, &u->man_len);
	if (!rc)
		rc = check_manifest(u, &kv);
	if (!rc)
		rc = check_version(u, &kv);
	strlist_free(&kv);
	if (!rc)
		rc = read_small(u, "contents", CONTENTS_MAX, &u->contents, &(size_t){ 0 });
	if (rc)
		return rc;
	find_have(u);
	if (bundle_plan_make(u->contents, u->man, u->have, &u->plan, why, sizeof(why)))
		return refuse("bundle: %s", why);
	if (check_space(u) || upper_prepare(u))
		return -1;
	return 0;
}

static int open_input(const char *file)
{
	int fd;

	if (!strcmp(file, "-"))
		return 0;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		refuse("%s: %s", file, strerror(errno));
	return fd;
}

static void print_hidden(const struct update *u)
{
	if (u->hidden && u->hidden_n)
		lb_dprintf(1,
			   "upper: %d %s a file slot %c changes (LB_UPDATE_UPPER=keep; "
			   "list in %s/slot-%c/hidden):\n%s",
			   u->hidden_n, u->hidden_n == 1 ? "path hides" : "paths hide", u->target,
			   SOURCE_MNT, u->target, u->hidden);
}

int cmd_update(const char *file, bool allow_downgrade, bool check)
{
	static struct update u;
	int rc;

	sha256_use_fastest();
	u.allow_downgrade = allow_downgrade;
	u.check = check;
	u.progress = isatty(2);
	u.in = open_input(file);
	u.store = open(SOURCE_MNT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	u.images = u.store < 0 ? -1 : openat(u.store, "images", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	u.man = malloc(sizeof(*u.man));
	if (u.in < 0 || !u.man)
		return 1;
	/* The lock of cli/gc.c: its sweep must not see our images before our manifest. */
	if (u.store < 0 || syscall(SYS_flock, u.store, LB_LOCK_EX)) {
		refuse("%s: %s", SOURCE_MNT, strerror(errno));
		return 1;
	}
	rc = prepare(&u);
	if (!rc && check) {
		lb_dprintf(1, "slot %c: version %llu can be installed (%u of %u images to write)\n",
			   u.target, u.man->version, u.plan.write_count, u.plan.count);
		/* The scan mounts the new slot's images: those in the bundle are not here yet. */
		if (u.plan.write_count && u.persistent && !u.reset_upper)
			lb_dprintf(1,
				   "upper: the hidden paths are listed at install: %u %s of the "
				   "bundle not on this device yet\n",
				   u.plan.write_count,
				   u.plan.write_count == 1 ? "image" : "images");
		else if (u.persistent && !u.reset_upper)
			find_hidden(&u);
		print_hidden(&u);
		return 0;
	}
	if (!rc)
		rc = install(&u);
	if (rc)
		return 1;
	lb_dprintf(1,
		   "slot %c: version %llu installed (%u of %u images written, %llu bytes); "
		   "the next boot tries it %d times\n",
		   u.target, u.man->version, u.plan.write_count, u.plan.count, u.written,
		   LB_UPDATE_TRIES);
	print_hidden(&u);
	return 0;
}
