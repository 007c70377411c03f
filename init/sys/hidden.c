// SPDX-License-Identifier: MIT
/*
 * Which upper paths hide a file the new slot changes. Each slot's layers are
 * loop-mounted read-only and stacked by a read-only overlayfs (no upper), so
 * the kernel itself resolves the lower layers' whiteouts and opaque folders:
 * a lookup in that stack is what the merged root would show without the
 * upper. Then the upper is walked:
 *
 *  - a file, link, device or whiteout at P hides the lower P: listed when the
 *    lower P differs between the two stacks, and the new stack has a P (what
 *    the new slot removed, the upper cannot hide);
 *  - an opaque folder hides the whole lower P: listed when the two lower
 *    trees at P differ anywhere;
 *  - a plain folder merges with a lower folder: its entries are looked at in
 *    turn; over a lower non-folder it hides it, and is listed if that differs.
 *
 * "Differs": existence, type and mode, owner, a device's number, a link's
 * target, a file's size and, when the sizes match, its sha256. The mtime is
 * not compared: reproducible builds stamp every file with one time, and an
 * identical file touched again does not change what the upper hides.
 *
 * It all runs in a child with a mount namespace of its own (private
 * propagation, a tmpfs over /run/layerboot for the mount points): every mount
 * goes away when the child exits, however it exits, and the loop devices are
 * autoclear. The parent only reads the list from a pipe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "pure/escape.h"
#include "pure/fmt.h"
#include "pure/hex.h"
#include "pure/paths.h"
#include "sys/hidden.h"
#include "sys/loop.h"
#include "sys/print.h"
#include "sys/sha256fd.h"
#include "sys/walk.h"

#define SCRATCH	  RUN_DIR
#define DEPTH_MAX 256

struct scan {
	int old, new; /* the two lower stacks' roots */
	int out;
	int count;
};

/* ---- comparing the two lower stacks at one path ---- */

static int tree_differs(int a, int b, const char *rel, int depth);

static int same_content(int a, int b, const char *rel)
{
	int fa = openat(a, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int fb = openat(b, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	uint8_t da[32], db[32];
	int same = fa >= 0 && fb >= 0 && !sha256_fd(fa, da) && !sha256_fd(fb, db) &&
		   !memcmp(da, db, 32);

	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

static int same_link(int a, int b, const char *rel)
{
	char la[PATH_MAX], lb[PATH_MAX];
	ssize_t na = readlinkat(a, rel, la, sizeof(la)), nb = readlinkat(b, rel, lb, sizeof(lb));

	return na >= 0 && na == nb && !memcmp(la, lb, (size_t)na);
}

/* Two folders of the same mode: the same names, and each the same below. */
static int dir_differs(int a, int b, const char *rel, int depth)
{
	struct strlist na = { 0 }, nb = { 0 };
	int da = openat(a, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int db = openat(b, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int differs = da < 0 || db < 0 || walk_read_names(da, &na) || walk_read_names(db, &nb) ||
		      na.n != nb.n;
	size_t i;

	for (i = 0; !differs && i < na.n; i++)
		differs = strcmp(na.v[i], nb.v[i]) != 0 || tree_differs(da, db, na.v[i], depth + 1);
	strlist_free(&na);
	strlist_free(&nb);
	if (da >= 0)
		close(da);
	if (db >= 0)
		close(db);
	return differs;
}

/* 1: the lower REL is not the same in a and b; 0: it is (absent in both counts). */
static int tree_differs(int a, int b, const char *rel, int depth)
{
	struct stat sa, sb;
	int ea = fstatat(a, rel, &sa, AT_SYMLINK_NOFOLLOW),
	    eb = fstatat(b, rel, &sb, AT_SYMLINK_NOFOLLOW);

	if (ea || eb)
		return !ea || !eb;
	if (depth > DEPTH_MAX || sa.st_mode != sb.st_mode || sa.st_uid != sb.st_uid ||
	    sa.st_gid != sb.st_gid)
		return 1;
	if (S_ISREG(sa.st_mode))
		return sa.st_size != sb.st_size || !same_content(a, b, rel);
	if (S_ISLNK(sa.st_mode))
		return !same_link(a, b, rel);
	if (S_ISCHR(sa.st_mode) || S_ISBLK(sa.st_mode))
		return sa.st_rdev != sb.st_rdev;
	if (S_ISDIR(sa.st_mode))
		return dir_differs(a, b, rel, depth);
	return 0;
}

/* ---- walking the upper ---- */

static void list(struct scan *s, const char *path)
{
	char buf[PATH_MAX * 4 + 2];
	size_t n = esc_str(buf, sizeof(buf) - 1, path);

	if (n >= sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(s->out, buf, n) == (ssize_t)n)
		s->count++;
}

static int is_opaque(const struct walk_entry *e)
{
	char v[2] = "";
	int fd = openat(e->dirfd, e->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (fgetxattr(fd, "trusted.overlay.opaque", v, sizeof(v)) < 1)
		v[0] = '\0';
	close(fd);
	return v[0] == 'y';
}

/* Absent, or a folder: what a plain upper folder merges with. */
static int mergeable(int root, const char *rel)
{
	struct stat st;

	return fstatat(root, rel, &st, AT_SYMLINK_NOFOLLOW) || S_ISDIR(st.st_mode);
}

static int on_upper(void *arg, const struct walk_entry *e)
{
	struct scan *s = arg;
	const char *rel = e->path + 1; /* "/etc/x" -> "etc/x", relative to each root */
	struct stat st;

	/* Nothing of the new slot there: nothing hidden (a file the new slot
	 * removed and the upper still has is not shadowing anything). */
	if (e->other_fs || fstatat(s->new, rel, &st, AT_SYMLINK_NOFOLLOW))
		return WALK_SKIP;
	if (S_ISDIR(e->st->st_mode) && !is_opaque(e) && mergeable(s->old, rel) &&
	    mergeable(s->new, rel))
		return WALK_NEXT;
	if (tree_differs(s->old, s->new, rel, 0))
		list(s, e->path);
	return WALK_SKIP;
}

/* A name the walk could not read is not a reason to give up the others. */
static int on_error(void *arg, const struct walk_entry *e, int err)
{
	(void)arg;
	(void)e;
	(void)err;
	return 0;
}

/* ---- the two stacks, in the child's own mount namespace ---- */

/* Layer i of m at SCRATCH/NAME/i; the stack's root folder as an fd. */
static int mount_stack(const struct manifest *m, int images, const char *name, const char **why)
{
	char dir[64], opts[LB_MAX_LAYERS * 24 + 16], img[80], hex[65];
	size_t used;
	unsigned int i;
	int loopfd, fd;

	lb_snprintf(dir, sizeof(dir), SCRATCH "/%s", name);
	if (mkdir(dir, 0700) || !m->count)
		return *why = "mkdir", -EIO;
	used = (size_t)lb_snprintf(opts, sizeof(opts), "lowerdir=");
	for (i = m->count; i-- > 0;) {
		char dev[LOOP_DEV_MAX], mnt[80];

		hex_encode(m->layer[i].sha256, 32, hex);
		lb_snprintf(img, sizeof(img), "%s.sqfs", hex);
		lb_snprintf(mnt, sizeof(mnt), "%s/%u", dir, i);
		fd = openat(images, img, O_RDONLY | O_CLOEXEC);
		loopfd = fd < 0 ? -1 : loop_attach(fd, dev);
		if (fd >= 0)
			close(fd);
		if (loopfd < 0 || mkdir(mnt, 0700) ||
		    mount(dev, mnt, layer_fs_type(m->layer[i].fs), MS_RDONLY, NULL))
			return *why = "mounting a layer image", -EIO;
		close(loopfd);
		used += (size_t)lb_snprintf(opts + used, sizeof(opts) - used, "%s%s/%u",
					    i + 1 == m->count ? "" : ":", name, i);
	}
	if (m->count > 1) {
		lb_snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/m");
		/* Relative lowerdirs keep the options short: the mount runs in SCRATCH. */
		if (mkdir(dir, 0700) || chdir(SCRATCH) ||
		    mount("overlay", dir, "overlay", MS_RDONLY, opts))
			return *why = "mounting the layers as one overlay", -EIO;
	} else {
		lb_snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/0");
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? (*why = "opening a stack", -EIO) : fd;
}

static int child(const struct manifest *old, const struct manifest *new, int images, int upper,
		 int out)
{
	struct scan s = { -1, -1, out, 0 };
	const struct walk_ops ops = { on_upper, NULL, on_error, &s };
	const char *why = "";

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", SCRATCH, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700")) {
		lb_dprintf(2, "layerboot: update: hidden paths: a private mount namespace: %s\n",
			   strerror(errno));
		return 3;
	}
	s.old = mount_stack(old, images, "old", &why);
	if (s.old >= 0)
		s.new = mount_stack(new, images, "new", &why);
	if (s.old < 0 || s.new < 0) {
		lb_dprintf(2, "layerboot: update: hidden paths: %s: %s\n", why, strerror(errno));
		return 3;
	}
	return walk_tree(upper, &ops) ? 3 : 0;
}

int hidden_list(const struct manifest *old, const struct manifest *new, int images, int upper,
		int out, const char **why)
{
	int status, n = 0;
	char buf[4096];
	int p[2];
	pid_t pid;
	ssize_t r;

	if (pipe2(p, O_CLOEXEC))
		return *why = "pipe", -errno;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return *why = "fork", -errno;
	}
	if (pid == 0) {
		close(p[0]);
		_exit(child(old, new, images, upper, p[1]));
	}
	close(p[1]);
	while ((r = read(p[0], buf, sizeof(buf))) > 0 || (r < 0 && errno == EINTR)) {
		ssize_t i;

		for (i = 0; i < r; i++)
			n += buf[i] == '\n';
		if (r > 0 && write_all(out, buf, (size_t)r))
			n = -1;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return *why = "the scan failed (see above)", -EIO;
	return n < 0 ? (*why = "writing the list", -EIO) : n;
}
