// SPDX-License-Identifier: MIT
/*
 * Factory reset of the persistent upper, on the root of the data partition,
 * before the overlay uses it. It must survive a power cut at any moment:
 *
 *   1. write and fsync the marker reset-requested ("started"): from here on the
 *      request survives a cut, with or without layerboot.reset at the next boot;
 *   2. rename upper/ to trash/upper.N (the first free N), fsync both directories;
 *   3. the same for work/ -> trash/work.N;
 *   4. mkdir a fresh upper/ and work/, fsync;
 *   5. unlink the marker, fsync: the reset is done; the old data is only in
 *      trash/, which no boot ever uses;
 *   6. delete everything under trash/, never following a symlink, never leaving
 *      the filesystem;
 *   7. rmdir trash/, fsync.
 *
 * Every boot with a persistent upper looks first (pure/resetplan.c): a marker
 * restarts at step 2 (an upper/ already moved is fine; a fresh one moved again
 * is harmless), a trash/ alone resumes at step 6. User data is deleted only
 * inside trash/, after step 5: it is never half deleted and then used.
 *
 * The marker's protocol is sys/resetmark.c, shared with `layerboot reset`.
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

static int open_trash(int dfd)
{
	int fd;

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
	case 4:
		return fresh_dirs(dfd);
	default:
		return resetmark_clear(dfd);
	}
}

/* ---- step 6: deleting the trash, with the shared walker ---- */

/* budget < 0: no limit; the fault injection of step 6 stops half way. */
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
/* Entries below fd, for the fault injection "half way through step 6". */
static int count_enter(void *arg, const struct walk_entry *e)
{
	(void)e;
	(*(long *)arg)++;
	return WALK_NEXT;
}

static long count_tree(int fd)
{
	long n = 0;
	const struct walk_ops ops = { count_enter, NULL, NULL, &n };

	walk_tree(fd, &ops);
	return n;
}
#endif

/* Steps 6 and 7. */
static int drop_trash(unsigned int fault_step, int dfd)
{
	int tfd = openat(dfd, TRASH, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc = 0;
	long budget = -1;

	if (tfd < 0)
		return errno == ENOENT ? 0 : -errno;
#ifdef LB_TEST_BUILD
	if (fault_step == 6)
		budget = count_tree(tfd) / 2;
#endif
	rc = empty_tree(tfd, &budget);
	close(tfd);
	if (rc == -EINTR || !rc)
		fault(fault_step, 6);
	if (!rc && unlinkat(dfd, TRASH, AT_REMOVEDIR))
		rc = -errno;
	if (!rc)
		rc = sync_fd(dfd);
	if (!rc)
		fault(fault_step, 7);
	return rc;
}

static void read_state(bool cmdline, int dfd, struct reset_state *s)
{
	s->cmdline = cmdline;
	s->marker = resetmark_present(dfd);
	s->marker_started = s->marker && resetmark_started(dfd);
	s->upper = exists(dfd, "upper");
	s->trash = exists(dfd, TRASH);
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
	for (step = p.first; step <= 5 && !rc; step++) {
		rc = run_step(dfd, step);
		/* Without the marker (a full disk) the renames are still safe, only a
		 * cut before step 2 would forget the request. */
		if (rc && step == 1) {
			log_error("reset", "%s/%s: %s", UPPER_MNT, RESET_MARKER, strerror(-rc));
			rc = 0;
		}
		if (!rc)
			fault(fault_step, (unsigned int)step);
	}
	if (rc)
		return set_error(rc, "factory reset: step %d: %s", step - 1, strerror(-rc));
	rc = drop_trash(fault_step, dfd);
	if (rc)
		log_error("reset", "%s/%s: %s; deleted at the next boot", UPPER_MNT, TRASH,
			  strerror(-rc));
	out->done = true;
	log_info("reset", "factory reset done (trigger: %s)", why);
	return 0;
}
