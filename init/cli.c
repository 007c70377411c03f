// SPDX-License-Identifier: MIT
/* The "layerboot" command of the booted system: status, diff, reset, version. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lb.h"

#define TMPFS_MAGIC 0x01021994

static const char *run_dir = RUN_DIR;

static char *xasprintf(const char *fmt, const char *a, const char *b)
{
	int n = lb_snprintf(NULL, 0, fmt, a, b);
	char *s = n < 0 ? NULL : malloc((size_t)n + 1);

	if (s)
		lb_snprintf(s, (size_t)n + 1, fmt, a, b);
	return s;
}

/* ---- status ---- */

static const char *get(const struct strlist *kv, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; i < kv->n; i++)
		if (!strncmp(kv->v[i], key, n) && kv->v[i][n] == '=')
			return kv->v[i] + n + 1;
	return NULL;
}

static const char *getf(const struct strlist *kv, const char *fmt, unsigned int i, const char *k)
{
	char key[64];

	lb_snprintf(key, sizeof(key), fmt, i, k);
	return get(kv, key);
}

#define OR(s) ((s) ? (s) : "?")

static void print_layers(const struct strlist *kv)
{
	const char *s = OR(get(kv, "layers"));
	unsigned int i, n = 0;

	/* strtoul would pull 2 KiB of musl's number scanner into PID 1 */
	for (; *s >= '0' && *s <= '9' && n < 100000; s++)
		n = n * 10 + (unsigned int)(*s - '0');

	lb_dprintf(1, "layers:    %u, bottom first\n", n);
	for (i = 0; i < n; i++)
		lb_dprintf(1, "  %-24s %12s  %.12s  %s\n", OR(getf(kv, "layer.%u.%s", i, "name")),
			   OR(getf(kv, "layer.%u.%s", i, "size")),
			   OR(getf(kv, "layer.%u.%s", i, "sha256")),
			   !strcmp(OR(getf(kv, "layer.%u.%s", i, "verified")), "yes")
				   ? "verified"
				   : "not verified");
}

static void print_times(const struct strlist *kv)
{
	const char *sep = "";
	size_t i;

	lb_dprintf(1, "times:     ");
	for (i = 0; i < kv->n; i++) {
		const char *k = kv->v[i], *eq = strchr(k, '=');

		if (strncmp(k, "time.", 5) != 0 || !eq || eq - k < 9 || strncmp(eq - 3, "_us", 3) != 0)
			continue;
		lb_dprintf(1, "%s%.*s %s us", sep, (int)(eq - k - 8), k + 5, eq + 1);
		sep = ", ";
	}
	lb_dprintf(1, "\n");
}

/* The upper's use now (the status file is from boot time): a full upper shows here. */
static void print_upper_use(void)
{
	unsigned long long total, used;
	char dir[PATH_MAX];
	struct statfs sf;

	lb_snprintf(dir, sizeof(dir), "%s/upper", run_dir);
	if (statfs(dir, &sf)) {
		lb_dprintf(1, "upper use: ? (%s: %s)\n", dir, strerror(errno));
		return;
	}
	total = (unsigned long long)sf.f_blocks * (unsigned long long)sf.f_bsize / 1024;
	used = (unsigned long long)(sf.f_blocks - sf.f_bfree) * (unsigned long long)sf.f_bsize /
	       1024;
	lb_dprintf(1, "upper use: %llu KiB of %llu KiB (%llu%%)\n", used, total,
		   total ? used * 100 / total : 0);
}

static int cmd_status(void)
{
	char path[PATH_MAX], *text, *line, *save = NULL;
	struct strlist kv = { 0 };
	int rc;

	lb_snprintf(path, sizeof(path), "%s/status", run_dir);
	rc = read_file(path, &text, 16 << 20, NULL);
	if (rc) {
		lb_dprintf(2, "layerboot: status: %s: %s\n", path, strerror(-rc));
		return 1;
	}
	for (line = strtok_r(text, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save))
		rc = strlist_add(&kv, strdup(line));
	free(text);
	if (rc) {
		lb_dprintf(2, "layerboot: status: %s: %s\n", path, strerror(-rc));
		strlist_free(&kv);
		return 1;
	}
	lb_dprintf(1, "layerboot %s\n", OR(get(&kv, "version")));
	lb_dprintf(1, "source:    %s%s%s (verify: %s)\n", OR(get(&kv, "source")),
		   *OR(get(&kv, "source.device")) ? " on " : "", OR(get(&kv, "source.device")),
		   OR(get(&kv, "verify")));
	print_layers(&kv);
	if (!strcmp(OR(get(&kv, "upper")), "persistent"))
		lb_dprintf(1, "upper:     persistent, %s on %s\n", OR(get(&kv, "upper.spec")),
			   OR(get(&kv, "upper.device")));
	else
		lb_dprintf(1, "upper:     %s (size %s)\n", OR(get(&kv, "upper")),
			   OR(get(&kv, "upper.size")));
	print_upper_use();
	lb_dprintf(1, "reset:     %s (trigger: %s)\nfallback:  %s\n", OR(get(&kv, "reset")),
		   OR(get(&kv, "reset.trigger")), OR(get(&kv, "fallback")));
	lb_dprintf(1, "initramfs: %s entries left\n", OR(get(&kv, "initramfs.left")));
	print_times(&kv);
	strlist_free(&kv);
	return 0;
}

/* ---- diff ---- */

/*
 * The walk recurses once per directory level, and a user can nest directories
 * until the path reaches PATH_MAX, 2048 levels of "/a": the paths live here,
 * one copy for the whole walk, not in each level's stack frame.
 */
struct diff {
	struct strlist layers;  /* /run/layerboot/layers/NAME */
	struct strlist out;     /* "X /path" */
	char upper[PATH_MAX]; /* the overlay's upper dir */
	char rel[PATH_MAX];   /* the entry at hand, "/etc/hostname"; "" at the top */
	char path[PATH_MAX];  /* scratch: upper + rel */
	int err;
};

static int is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

static int is_opaque(const char *path)
{
	static const char *const names[] = { "trusted.overlay.opaque", "user.overlay.opaque" };
	char v[4];
	int i;

	for (i = 0; i < 2; i++) {
		ssize_t n = lgetxattr(path, names[i], v, sizeof(v));

		if (n == 1 && v[0] == 'y')
			return 1;
	}
	return 0;
}

/* 0: in no layer; 1: a non-directory there; 2: a directory there. */
static int in_lower(struct diff *d, const char *rel)
{
	char p[PATH_MAX];
	struct stat st;
	size_t i;
	int found = 0;

	for (i = 0; i < d->layers.n; i++) {
		if (lb_snprintf(p, sizeof(p), "%s%s", d->layers.v[i], rel) >= (int)sizeof(p))
			continue;
		if (lstat(p, &st) || is_whiteout(&st))
			continue;
		if (S_ISDIR(st.st_mode))
			return 2;
		found = 1;
	}
	return found;
}

static void emit(struct diff *d, char what, const char *rel)
{
	char w[2] = { what, 0 };

	if (strlist_add(&d->out, xasprintf("%s %s", w, rel)))
		d->err = 1;
}

/* An opaque directory hides every lower entry it does not itself hold. */
static void hidden_by_opaque(struct diff *d, const char *rel, const char *upath)
{
	char p[PATH_MAX], q[PATH_MAX];
	struct dirent *e;
	struct stat st;
	size_t i;

	for (i = 0; i < d->layers.n; i++) {
		DIR *dir;

		if (lb_snprintf(p, sizeof(p), "%s%s", d->layers.v[i], rel) >= (int)sizeof(p))
			continue;
		dir = opendir(p);
		while (dir && (e = readdir(dir))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (lb_snprintf(q, sizeof(q), "%s/%s", upath, e->d_name) >= (int)sizeof(q))
				continue;
			if (lstat(q, &st) && errno == ENOENT &&
			    lb_snprintf(q, sizeof(q), "%s/%s", rel, e->d_name) < (int)sizeof(q))
				emit(d, 'D', q);
		}
		if (dir)
			closedir(dir);
	}
}

static void walk(struct diff *d);

static void walk_entry(struct diff *d)
{
	const char *rel = d->rel, *upath = d->path;
	struct stat st;
	int low;

	if (lb_snprintf(d->path, sizeof(d->path), "%s%s", d->upper, rel) >= (int)sizeof(d->path)) {
		lb_dprintf(2, "layerboot: diff: %s: path too long\n", rel);
		d->err = 1;
		return;
	}
	if (lstat(upath, &st)) {
		lb_dprintf(2, "layerboot: diff: %s: %s\n", upath, strerror(errno));
		d->err = 1;
		return;
	}
	if (is_whiteout(&st)) {
		emit(d, 'D', rel);
		return;
	}
	low = in_lower(d, rel);
	if (!S_ISDIR(st.st_mode) || low != 2)
		emit(d, low ? 'C' : 'A', rel);
	if (S_ISDIR(st.st_mode)) {
		if (low == 2 && is_opaque(upath))
			hidden_by_opaque(d, rel, upath);
		walk(d);
	}
}

/* Every entry below d->rel, which it leaves as it found it. */
static void walk(struct diff *d)
{
	size_t n = strlen(d->rel), left = sizeof(d->rel) - n;
	struct dirent *e;
	DIR *dir;

	lb_snprintf(d->path, sizeof(d->path), "%s%s", d->upper, d->rel);
	dir = opendir(d->path);
	if (!dir) {
		lb_dprintf(2, "layerboot: diff: %s: %s\n", d->path, strerror(errno));
		d->err = 1;
		return;
	}
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (lb_snprintf(d->rel + n, left, "/%s", e->d_name) >= (int)left) {
			d->rel[n] = '\0';
			lb_dprintf(2, "layerboot: diff: %s/%s: path too long\n", d->rel, e->d_name);
			d->err = 1;
			continue;
		}
		walk_entry(d);
		d->rel[n] = '\0';
	}
	closedir(dir);
}

/* "X /path" lines by path. A shell sort: musl's qsort costs PID 1 a KiB. */
static void sort_by_path(char **v, size_t n)
{
	size_t gap, i, j;

	for (gap = n / 2; gap; gap = gap == 2 ? 1 : gap * 5 / 11)
		for (i = gap; i < n; i++) {
			char *x = v[i];

			for (j = i; j >= gap && strcmp(v[j - gap] + 2, x + 2) > 0; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
}

static int list_layers(struct diff *d)
{
	char dir[PATH_MAX];
	struct dirent *e;
	DIR *dp;

	lb_snprintf(dir, sizeof(dir), "%s/layers", run_dir);
	dp = opendir(dir);
	if (!dp) {
		lb_dprintf(2, "layerboot: diff: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(dp)))
		if (e->d_name[0] != '.' &&
		    strlist_add(&d->layers, xasprintf("%s/%s", dir, e->d_name)))
			d->err = 1;
	closedir(dp);
	return 0;
}

static int cmd_diff(void)
{
	static struct diff d; /* PATH_MAX buffers: not on the stack */
	size_t i;

	lb_snprintf(d.upper, sizeof(d.upper), "%s/upper/upper", run_dir);
	if (list_layers(&d))
		return 1;
	walk(&d);
	sort_by_path(d.out.v, d.out.n);
	for (i = 0; i < d.out.n; i++)
		if (i == 0 || strcmp(d.out.v[i], d.out.v[i - 1]) != 0)
			lb_dprintf(1, "%s\n", d.out.v[i]);
	strlist_free(&d.out);
	strlist_free(&d.layers);
	return d.err;
}

/* ---- reset ---- */

/*
 * Only the request is made here; the boot does the reset, before anything uses
 * the upper. The marker is on the data partition, outside upper/, and durable
 * (file and directory fsynced) before we say so.
 */
static int cmd_reset(void)
{
	char dir[PATH_MAX];
	struct statfs sf;
	int dfd, fd, rc = 0;

	lb_snprintf(dir, sizeof(dir), "%s/upper", run_dir);
	errno = 0;
	if (statfs(dir, &sf) || sf.f_type == TMPFS_MAGIC) {
		lb_dprintf(2, "layerboot: reset: the upper is a tmpfs: nothing persistent to "
			      "reset, a reboot starts from the layers anyway\n");
		return 1;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fd = dfd < 0 ? -1
		     : openat(dfd, "reset-requested",
			      O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, "requested\n", 10) != 10 || fsync(fd) || fsync(dfd))
		rc = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (rc) {
		lb_dprintf(2, "layerboot: reset: %s/reset-requested: %s\n", dir, strerror(rc));
		return 1;
	}
	lb_dprintf(1, "factory reset at the next boot\n");
	return 0;
}

/* ---- front end ---- */

static void usage(int fd)
{
	lb_dprintf(
		fd, "%s",
		"usage: layerboot COMMAND\n"
		"  status    how this system was booted: source, layers, upper, stage times\n"
		"  diff      paths the upper adds (A), changes (C) or deletes (D) over the layers\n"
		"  reset     factory reset at the next boot (drops the persistent upper)\n"
		"  version   print the version\n"
		"  --help    this text\n");
}

int cli_main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

#ifdef LB_TEST_BUILD
	if (getenv("LB_RUN_DIR"))
		run_dir = getenv("LB_RUN_DIR");
#endif
	if (!cmd || argc > 2) {
		usage(2);
		return 2;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(1);
		return 0;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		lb_dprintf(1, "layerboot %s\n", LB_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "status"))
		return cmd_status();
	if (!strcmp(cmd, "diff"))
		return cmd_diff();
	if (!strcmp(cmd, "reset"))
		return cmd_reset();
	lb_dprintf(2, "layerboot: unknown command '%s'\n", cmd);
	usage(2);
	return 2;
}
