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
 * Every boot with a persistent upper looks first (resetplan.c): a marker
 * restarts at step 2 (an upper/ already moved is fine; a fresh one moved again
 * is harmless), a trash/ alone resumes at step 6. User data is deleted only
 * inside trash/, after step 5: it is never half deleted and then used.
 *
 * Test builds take layerboot.fault=reset:N: after step N the init says so and
 * stops dead, syncing nothing more, for the tests to cut the power there.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lb.h"

#define MARKER	"reset-requested"
#define TRASH	"trash"
#define STARTED "started\n"

#ifdef LB_TEST_BUILD
static void fault(const struct config *c, unsigned int step)
{
	if (c->fault_reset != step)
		return;
	log_error("reset", "fault injection: stopped after step %u", step);
	for (;;)
		pause();
}
#else
#define fault(c, step) ((void)(c))
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

/* A marker written by step 1 (the CLI writes another text, or an empty one). */
static bool marker_started(int dfd)
{
	char buf[sizeof(STARTED)];
	int fd = openat(dfd, MARKER, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	return n == sizeof(STARTED) - 1 && !memcmp(buf, STARTED, (size_t)n);
}

static int write_marker(int dfd)
{
	int fd = openat(dfd, MARKER, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	int rc;

	if (fd < 0)
		return -errno;
	rc = write(fd, STARTED, sizeof(STARTED) - 1) == sizeof(STARTED) - 1 ? sync_fd(fd) : -EIO;
	close(fd);
	return rc ? rc : sync_fd(dfd);
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
		return write_marker(dfd);
	case 2:
		return to_trash(dfd, "upper");
	case 3:
		return to_trash(dfd, "work");
	case 4:
		return fresh_dirs(dfd);
	default:
		if (unlinkat(dfd, MARKER, 0) && errno != ENOENT)
			return -errno;
		return sync_fd(dfd);
	}
}

/* ---- step 6: deleting the trash ---- */

/* budget < 0: no limit; the fault injection of step 6 stops half way. */
static int spend(long *budget)
{
	if (*budget == 0)
		return -EINTR;
	if (*budget > 0)
		(*budget)--;
	return 0;
}

/*
 * Unlinks every non-directory in fd. Returns 1 with the name of a subdirectory
 * in *sub, 0 when fd holds nothing more, or -errno. A mount point is -EXDEV:
 * another filesystem is not ours to empty.
 */
static int sweep(int fd, dev_t dev, char **sub, long *budget)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
	struct dirent *e;
	struct stat st;

	if (!d) {
		rc = -errno;
		if (dfd >= 0)
			close(dfd);
		return rc;
	}
	while (!rc && (e = readdir(d))) {
		const char *n = e->d_name;

		if ((n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]))))
			continue;
		if (fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW))
			rc = errno == ENOENT ? 0 : -errno;
		else if (st.st_dev != dev)
			rc = -EXDEV;
		else if (S_ISDIR(st.st_mode))
			rc = (*sub = strdup(n)) ? 1 : -ENOMEM;
		else if (!(rc = spend(budget)) && unlinkat(fd, n, 0))
			rc = -errno;
	}
	closedir(d);
	return rc;
}

/* Replaces *fd with the directory name inside it ("..": its parent). */
static int step(int *fd, const char *name)
{
	int next = openat(*fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (next < 0)
		return -errno;
	close(*fd);
	*fd = next;
	return 0;
}

/* Back up from an emptied directory and remove it. */
static int up(int *fd, struct strlist *path, long *budget)
{
	char *name = path->v[--path->n];
	int rc = step(fd, "..");

	if (!rc)
		rc = spend(budget);
	if (!rc && unlinkat(*fd, name, AT_REMOVEDIR))
		rc = -errno;
	free(name);
	return rc;
}

/*
 * Empties the tree below top without recursion and with three fds at most, so
 * no depth runs out of stack or descriptors: go down to a directory that holds
 * no subdirectory, empty it, go back up through "..", remove it, start over.
 * ".." is the directory we came from: nothing else runs while PID 1 does this,
 * and a mount point is never entered.
 */
static int empty_tree(int top, dev_t dev, long *budget)
{
	struct strlist path = { NULL, 0, 0 };
	int fd = fcntl(top, F_DUPFD_CLOEXEC, 0), rc;
	char *sub;

	if (fd < 0)
		return -errno;
	for (;;) {
		sub = NULL;
		rc = sweep(fd, dev, &sub, budget);
		if (rc == 1) {
			rc = strlist_add(&path, sub);
			if (!rc)
				rc = step(&fd, path.v[path.n - 1]);
		} else if (rc == 0 && path.n) {
			rc = up(&fd, &path, budget);
		} else {
			break; /* an error, or top is empty */
		}
		if (rc)
			break;
	}
	close(fd);
	strlist_free(&path);
	return rc;
}

#ifdef LB_TEST_BUILD
/* Entries below fd, for the fault injection "half way through step 6". */
static long count_tree(int fd, dev_t dev)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), cfd;
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
	struct dirent *e;
	struct stat st;
	long n = 0;

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n++;
		if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISDIR(st.st_mode) ||
		    st.st_dev != dev)
			continue;
		cfd = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cfd >= 0) {
			n += count_tree(cfd, dev);
			close(cfd);
		}
	}
	if (d)
		closedir(d);
	return n;
}
#endif

/* Steps 6 and 7. */
static int drop_trash(const struct config *c, int dfd)
{
	int tfd = openat(dfd, TRASH, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc;
	long budget = -1;
	struct stat st;

	if (tfd < 0)
		return errno == ENOENT ? 0 : -errno;
	rc = fstat(tfd, &st) ? -errno : 0;
#ifdef LB_TEST_BUILD
	if (!rc && c->fault_reset == 6)
		budget = count_tree(tfd, st.st_dev) / 2;
#endif
	if (!rc)
		rc = empty_tree(tfd, st.st_dev, &budget);
	close(tfd);
	if (rc == -EINTR || !rc)
		fault(c, 6);
	if (!rc && unlinkat(dfd, TRASH, AT_REMOVEDIR))
		rc = -errno;
	if (!rc)
		rc = sync_fd(dfd);
	if (!rc)
		fault(c, 7);
	return rc;
}

/* Only a regular file asks for a reset: a folder of that name is not ours. */
static bool marker_exists(int dfd)
{
	struct stat st;

	return !fstatat(dfd, MARKER, &st, AT_SYMLINK_NOFOLLOW) && S_ISREG(st.st_mode);
}

static void read_state(const struct config *c, int dfd, struct reset_state *s)
{
	s->cmdline = c->reset;
	s->marker = marker_exists(dfd);
	s->marker_started = s->marker && marker_started(dfd);
	s->upper = exists(dfd, "upper");
	s->trash = exists(dfd, TRASH);
}

int reset_run(struct boot *b, int dfd)
{
	const struct config *c = &b->cfg;
	struct reset_state s;
	struct reset_plan p;
	const char *why;
	int step, rc = 0;

	read_state(c, dfd, &s);
	reset_plan(&s, &p);
	b->reset_trigger = p.trigger;
	why = reset_trigger_name(p.trigger);
	if (!p.first)
		return 0;
	log_info("reset", "factory reset (trigger: %s) from step %d", why, p.first);
	for (step = p.first; step <= 5 && !rc; step++) {
		rc = run_step(dfd, step);
		/* Without the marker (a full disk) the renames are still safe, only a
		 * cut before step 2 would forget the request. */
		if (rc && step == 1) {
			log_error("reset", "%s/%s: %s", UPPER_MNT, MARKER, strerror(-rc));
			rc = 0;
		}
		if (!rc)
			fault(c, (unsigned int)step);
	}
	if (rc)
		return set_error(rc, "factory reset: step %d: %s", step - 1, strerror(-rc));
	rc = drop_trash(c, dfd);
	if (rc)
		log_error("reset", "%s/%s: %s; deleted at the next boot", UPPER_MNT, TRASH,
			  strerror(-rc));
	b->reset_done = true;
	log_info("reset", "factory reset done (trigger: %s)", why);
	return 0;
}
