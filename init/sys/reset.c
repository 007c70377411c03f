// SPDX-License-Identifier: MIT
/*
 * Factory reset of the persistent upper, on the root of the data partition,
 * before the overlay uses it. It must survive a power cut at any moment, and
 * work on a partition that is 100 % full (the reset is the way out of a
 * broken upper), so no step needs a new block before space is freed:
 *
 *   1. make the empty marker reset-started, fsync: from here on the reset
 *      survives a cut, with or without layerboot.reset at the next boot;
 *   2. rename upper/ to trash/upper.N (the first free N), fsync both directories;
 *   3. the same for work/ -> trash/work.N;
 *   4. delete everything under trash/, never following a symlink, never leaving
 *      the filesystem: this frees the space the next step may need;
 *   5. mkdir a fresh upper/ and work/, fsync;
 *   6. remove the markers, fsync: the reset is done.
 *
 * trash/ itself stays (scripts/mkdisk makes it, the upper stage keeps it), so a
 * full disk never needs a block for it. Every boot with a persistent upper
 * looks first (pure/resetplan.c): a marker restarts at step 2 (an upper/
 * already moved is fine; a fresh one moved again is harmless), a trash/ with
 * something in it resumes at step 4. User data is only ever deleted inside
 * trash/, after the marker made the reset irrevocable: it is never half
 * deleted and then used. Whatever is named trash, upper or work (a file, a
 * link) is moved or replaced, never followed.
 *
 * The markers' protocol is sys/resetmark.c, shared with `layerboot reset`.
 * Test builds take layerboot.fault=reset:N: after step N the init says so and
 * stops dead, syncing nothing more, for the tests to cut the power there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pure/fmt.h"
#include "pure/paths.h"
#include "sys/log.h"
#include "sys/reset.h"
#include "sys/resetmark.h"
#include "sys/walk.h"

#define TRASH "trash"

#ifdef LB_TEST_BUILD
static void fault(unsigned int fault_step, unsigned int step)
{
	if (fault_step != step)
		return;
	log_error("reset", "fault injection: stopped after step %u", step);
	for (;;)
		pause();
}
#else
#define fault(fault_step, step) ((void)(fault_step))
#endif

static bool exists(int dfd, const char *name)
{
	struct stat st;

	return !fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW);
}

static int sync_fd(int fd)
{
	return fsync(fd) ? -errno : 0;
}

/* trash/ as a folder: anything else of that name (a file, a link) is not ours. */
static int open_trash(int dfd)
{
	struct stat st;
	int fd;

	if (!fstatat(dfd, TRASH, &st, AT_SYMLINK_NOFOLLOW) && !S_ISDIR(st.st_mode) &&
	    unlinkat(dfd, TRASH, 0))
		return -errno;
	if (mkdirat(dfd, TRASH, 0700) == 0) {
		if (fsync(dfd))
			return -errno;
	} else if (errno != EEXIST) {
		return -errno;
	}
	fd = openat(dfd, TRASH, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Steps 2 and 3: NAME -> trash/NAME.N; a NAME already moved is fine. */
static int to_trash(int dfd, const char *name)
{
	char dst[32];
	unsigned int n = 1;
	int tfd, rc = 0;

	if (!exists(dfd, name))
		return 0;
	tfd = open_trash(dfd);
	if (tfd < 0)
		return tfd;
	do
		lb_snprintf(dst, sizeof(dst), "%s.%u", name, n++);
	while (exists(tfd, dst));
	if (renameat(dfd, name, tfd, dst))
		rc = -errno;
	if (!rc)
		rc = sync_fd(tfd);
	if (!rc)
		rc = sync_fd(dfd);
	close(tfd);
	return rc;
}

static int fresh_dirs(int dfd)
{
	if ((mkdirat(dfd, "upper", 0755) && errno != EEXIST) ||
	    (mkdirat(dfd, "work", 0755) && errno != EEXIST))
		return -errno;
	return sync_fd(dfd);
}

static int run_step(int dfd, int step)
{
	switch (step) {
	case 1:
		return resetmark_write(dfd, RESETMARK_STARTED);
	case 2:
		return to_trash(dfd, "upper");
	case 3:
		return to_trash(dfd, "work");
	case 5:
		return fresh_dirs(dfd);
	default:
		return resetmark_clear(dfd);
	}
}

/* ---- step 4: emptying the trash, with the shared walker ---- */

/* budget < 0: no limit; the fault injection of step 4 stops half way. */
static int spend(long *budget)
{
	if (*budget == 0)
		return -EINTR;
	if (*budget > 0)
		(*budget)--;
	return 0;
}

/* A mount point is -EXDEV: another filesystem is not ours to empty. */
static int trash_enter(void *arg, const struct walk_entry *e)
{
	int rc;

	if (e->other_fs)
		return -EXDEV;
	if (S_ISDIR(e->st->st_mode))
		return WALK_NEXT;
	rc = spend(arg);
	if (!rc && unlinkat(e->dirfd, e->name, 0))
		rc = errno == ENOENT ? 0 : -errno;
	return rc;
}

static int trash_leave(void *arg, const struct walk_entry *e)
{
	int rc = spend(arg);

	if (!rc && unlinkat(e->dirfd, e->name, AT_REMOVEDIR))
		rc = -errno;
	return rc;
}

static int empty_tree(int top, long *budget)
{
	const struct walk_ops ops = { trash_enter, trash_leave, NULL, budget };

	return walk_tree(top, &ops);
}

#ifdef LB_TEST_BUILD
/* Entries and folders below fd: the fault injection of step 4 stops half way,
 * and the tests check that emptying the trash lists each folder once. */
struct census {
	long entries, folders;
};

static int count_enter(void *arg, const struct walk_entry *e)
{
	struct census *c = arg;

	c->entries++;
	c->folders += S_ISDIR(e->st->st_mode) && !e->other_fs;
	return WALK_NEXT;
}

static struct census count_tree(int fd)
{
	struct census c = { 0, 1 }; /* trash/ itself */
	const struct walk_ops ops = { count_enter, NULL, NULL, &c };

	walk_tree(fd, &ops);
	return c;
}
#endif

static int any_entry(void *arg, const struct walk_entry *e)
{
	(void)arg;
	(void)e;
	return -EEXIST;
}

/* Does trash/ hold anything? (It stays as a folder: only its contents count.) */
static bool trash_used(int dfd)
{
	const struct walk_ops ops = { any_entry, NULL, NULL, NULL };
	int fd = openat(dfd, TRASH, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool used;

	/* Missing, or a file or link of that name: nothing of a reset (step 2
	 * replaces a stranger when it needs the folder). */
	if (fd < 0)
		return false;
	used = walk_tree(fd, &ops) != 0; /* an error counts as "something there" */
	close(fd);
	return used;
}

/* Step 4. -EINTR when the fault injection stopped it half way. */
static int empty_trash(unsigned int fault_step, int dfd)
{
	int tfd = open_trash(dfd), rc;
	long budget = -1;

	if (tfd < 0)
		return tfd;
#ifdef LB_TEST_BUILD
	struct census c = count_tree(tfd);
	unsigned long listed = walk_listings;

	if (fault_step == 4)
		budget = c.entries / 2;
	rc = empty_tree(tfd, &budget);
	if (c.entries)
		log_info("reset", "trash: %ld entries in %ld folders, %lu listings", c.entries,
			 c.folders, walk_listings - listed);
#else
	(void)fault_step;
	rc = empty_tree(tfd, &budget);
#endif
	if (!rc)
		rc = sync_fd(tfd);
	close(tfd);
	return rc;
}

/*
 * NAME into trash/ and the trash emptied now (sys/uppersave.c drops a failed
 * trial's upper): a cut half way leaves a trash/ that the next boot empties
 * as a resumed reset (step 4), which deletes only what was already trash.
 */
int reset_discard(int dfd, const char *name)
{
	int rc = to_trash(dfd, name);

	return rc ? rc : empty_trash(0, dfd);
}

static void read_state(bool cmdline, int dfd, struct reset_state *s)
{
	s->cmdline = cmdline;
	s->marker = resetmark_present(dfd);
	s->marker_started = s->marker && resetmark_started(dfd);
	s->upper = exists(dfd, "upper");
	s->trash = trash_used(dfd);
}

/*
 * A trash/ that cannot be emptied (an immutable file, a bad block) must not
 * stop the reset: the upper is fresh without it. It is said, and kept in the
 * result, so that a boot that only found such a trash does not claim a reset.
 */
static int trash_step(unsigned int fault_step, int dfd, struct reset_result *out)
{
	int rc = empty_trash(fault_step, dfd);

	if (rc == -EINTR || !rc)
		fault(fault_step, 4);
	if (rc)
		lb_snprintf(out->trash, sizeof(out->trash), "%s", strerror(-rc));
	return 0;
}

int reset_run(int dfd, bool cmdline, unsigned int fault_step, struct reset_result *out)
{
	struct reset_state s;
	struct reset_plan p;
	const char *why;
	int step, rc = 0;

	read_state(cmdline, dfd, &s);
	reset_plan(&s, &p);
	out->trigger = p.trigger;
	why = reset_trigger_name(p.trigger);
	if (!p.first)
		return 0;
	log_info("reset", "factory reset (trigger: %s) from step %d", why, p.first);
	for (step = p.first; step <= 6 && !rc; step++) {
		rc = step == 4 ? trash_step(fault_step, dfd, out) : run_step(dfd, step);
		/* Without the marker (no inode left) the renames are still safe, only
		 * a cut before step 2 would forget the request. */
		if (rc && step == 1) {
			log_error("reset", "%s/%s: %s", UPPER_MNT, RESET_STARTED, strerror(-rc));
			rc = 0;
		}
		if (!rc && step != 4)
			fault(fault_step, (unsigned int)step);
	}
	if (rc)
		return set_error(rc, "factory reset: step %d: %s", step - 1, strerror(-rc));
	if (out->trash[0])
		log_error("reset", "%s/%s: cannot be emptied: %s; the old data stays there",
			  UPPER_MNT, TRASH, out->trash);
	/* Only emptying an old trash/ was due, and it failed: no reset happened. */
	if (p.first == 4 && out->trash[0])
		return 0;
	out->done = true;
	log_info("reset", "factory reset done (trigger: %s)", why);
	return 0;
}
