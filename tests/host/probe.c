// SPDX-License-Identifier: MIT
/*
 * Host-test probe: the init of the merged root (or /bin/sh of the initramfs for
 * the rescue test). It reports what the booted system sees as "probe: k=v"
 * lines on stdout, which the layerboot init handed over, then exits.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void cat_first_line(const char *key, const char *path)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("probe: %s=<%s>\n", key, strerror(errno));
		return;
	}
	if (fgets(buf, sizeof(buf), f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	printf("probe: %s=%s\n", key, buf);
}

static void exists(const char *key, const char *path)
{
	struct stat st;

	printf("probe: %s=%s\n", key, lstat(path, &st) ? "no" : "yes");
}

/* "fstype,ro|rw" of the last mount on dir, from mountinfo. */
static void mount_of(const char *key, const char *dir)
{
	char line[1024], found[128] = "none";
	FILE *f = fopen("/proc/self/mountinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char mp[512], opts[256], *dash = strstr(line, " - "), fstype[64];

		if (!dash || sscanf(line, "%*s %*s %*s %*s %511s %255s", mp, opts) != 2 ||
		    sscanf(dash + 3, "%63s", fstype) != 1 || strcmp(mp, dir))
			continue;
		snprintf(found, sizeof(found), "%s,%.2s", fstype, opts);
	}
	if (f)
		fclose(f);
	printf("probe: %s=%s\n", key, found);
}

static void write_file(const char *key, const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		printf("probe: %s=%s\n", key, errno == EROFS ? "EROFS" : strerror(errno));
	} else {
		printf("probe: %s=ok\n", key);
	}
	if (fd >= 0)
		close(fd);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_root(void)
{
	char *names[256];
	int n = 0, i;
	DIR *d = opendir("/");
	struct dirent *e;

	while (d && (e = readdir(d)) && n < 256)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof(char *), cmp);
	printf("probe: ls=");
	for (i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", names[i]);
	printf("\n");
}

static void run(const char *arg)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/run/layerboot/bin/layerboot", "layerboot", arg, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	printf("probe: cli-%s-exit=%d\n", arg, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void dump_status(void)
{
	char line[512];
	FILE *f = fopen("/run/layerboot/status", "r");

	while (f && fgets(line, sizeof(line), f))
		printf("status: %s", line);
	if (f)
		fclose(f);
}

/*
 * A deep tree (deeper than PATH_MAX), dot-files, a fifo, a symlink out of the
 * upper into the data partition's root, a whiteout: what a factory reset must
 * delete without following or missing anything.
 */
static void write_rich(void)
{
	int i, dfd = open("/", O_RDONLY | O_DIRECTORY), ok = 1;

	mkdir("/deep", 0755);
	for (i = 0; i < 600 && ok; i++) {
		int next;

		ok = (mkdirat(dfd, i ? "d0123456789" : "deep", 0755) == 0 || errno == EEXIST) &&
		     (next = openat(dfd, i ? "d0123456789" : "deep", O_RDONLY | O_DIRECTORY)) >= 0;
		if (ok) {
			close(dfd);
			dfd = next;
		}
	}
	ok = ok && mkfifoat(dfd, "fifo", 0600) == 0;
	close(dfd);
	printf("probe: deep=%s\n", ok ? "ok" : strerror(errno));
	write_file("dotfile", "/.hidden", "h\n");
	mkdir("/run/layerboot/upper/canary", 0755);
	write_file("canary", "/run/layerboot/upper/canary/file", "c\n");
	printf("probe: symlink=%s\n",
	       symlink("/run/layerboot/upper/canary", "/link-to-canary") ? strerror(errno) : "ok");
	printf("probe: unlink=%s\n", unlink("/etc/base-only") ? strerror(errno) : "ok");
}

/* LB_PROBE="WORD...": the persistent-upper scenarios of run.sh. */
/* Writes path until the filesystem has no block left (root: reserved ones too). */
static void fill(const char *path)
{
	static char buf[65536];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long long total = 0;
	ssize_t n = 0;

	while (fd >= 0 && (n = write(fd, buf, sizeof(buf))) > 0)
		total += n;
	/* the last partial block */
	while (fd >= 0 && n >= 0 && (n = write(fd, buf, 512)) > 0)
		total += n;
	printf("probe: fill=%s after %lld bytes\n", n < 0 ? strerror(errno) : "stopped", total);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	sync();
}

static int persist_mode(const char *words)
{
	cat_first_line("persist", "/persist");
	exists("canary", "/run/layerboot/upper/canary/file");
	if (strstr(words, "write")) {
		write_file("persist-write", "/persist", "kept\n");
		write_rich();
	}
	if (strstr(words, "fill"))
		fill("/fill");
	mount_of("upper", "/run/layerboot/upper");
	dump_status();
	if (strstr(words, "diff"))
		run("diff");
	if (strstr(words, "status"))
		run("status");
	if (strstr(words, "reset"))
		run("reset");
	printf("probe: done\n");
	fflush(stdout);
	sync();
	return 0;
}

/* Whether the last mount on dir has nosuid and nodev, from mountinfo. */
static void mount_flags(const char *key, const char *dir)
{
	char line[1024], found[64] = "none";
	FILE *f = fopen("/proc/self/mountinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char mp[512], opts[256];

		if (sscanf(line, "%*s %*s %*s %*s %511s %255s", mp, opts) != 2 || strcmp(mp, dir))
			continue;
		snprintf(found, sizeof(found), "%s,%s", strstr(opts, "nosuid") ? "nosuid" : "suid",
			 strstr(opts, "nodev") ? "nodev" : "dev");
	}
	if (f)
		fclose(f);
	printf("probe: %s=%s\n", key, found);
}

/* Runs path (a setuid-root copy of this probe) as nobody; it prints its euid. */
static void as_nobody(const char *key, const char *path)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(111);
		execl(path, "suid-euid", key, (char *)NULL);
		printf("probe: %s=%s\n", key, strerror(errno));
		fflush(stdout);
		_exit(0);
	}
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* Setuid in the merged root works; the layer's inspection copy never elevates. */
static int privs_mode(void)
{
	struct stat st;

	mount_flags("layer-flags", "/run/layerboot/layers/00-base");
	if (!stat("/run/layerboot/layers", &st))
		printf("probe: layers-mode=%o\n", (unsigned int)(st.st_mode & 07777));
	as_nobody("suid-merged", "/bin/suid-euid");
	as_nobody("suid-layer-closed", "/run/layerboot/layers/00-base/bin/suid-euid");
	/* Opened up for the test: nosuid alone must still keep nobody nobody. */
	chmod("/run/layerboot/layers", 0755);
	as_nobody("suid-layer-open", "/run/layerboot/layers/00-base/bin/suid-euid");
	chmod("/run/layerboot/layers", 0700);
	printf("probe: done\n");
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	base = base ? base + 1 : argv[0];
	if (!strcmp(base, "suid-euid")) {
		printf("probe: %s=euid=%d\n", argc > 1 ? argv[1] : "euid", (int)geteuid());
		return 0;
	}
	if (argc > 1) { /* the kernel's extra init arguments, passed on by layerboot */
		int i;

		printf("probe: args=");
		for (i = 1; i < argc; i++)
			printf("%s%s", i > 1 ? " " : "", argv[i]);
		printf("\n");
	}
	if (getenv("LB_PROBE") && !strcmp(getenv("LB_PROBE"), "privs"))
		return privs_mode();
	if (!strcmp(base, "sh")) {
		printf("probe: rescue shell ran\n");
		return 0;
	}
	if (getenv("LB_PROBE"))
		return persist_mode(getenv("LB_PROBE"));
	printf("probe: pid=%d\n", (int)getpid());
	mount_of("root", "/");
	mount_of("layer.00-base", "/run/layerboot/layers/00-base");
	mount_of("layer.10-app", "/run/layerboot/layers/10-app");
	cat_first_line("shadowed", "/etc/shadowed");
	exists("base-only", "/etc/base-only");
	exists("app-only", "/etc/app-only");
	exists("gone-in-app", "/etc/gone-in-app");
	/* The overlay's links of many layers are removed once it is mounted. */
	exists("links-dir", "/run/layerboot/.l");
	write_file("write", "/etc/shadowed", "changed\n");
	cat_first_line("after-write", "/etc/shadowed");
	cat_first_line("layer-after-write", "/run/layerboot/layers/10-app/etc/shadowed");
	write_file("layer-write", "/run/layerboot/layers/10-app/etc/shadowed", "x\n");
	printf("probe: unlink=%s\n", unlink("/etc/base-only") ? strerror(errno) : "ok");
	write_file("newfile", "/newfile", "new\n");
	/* Delete a lower directory and make it again: the upper's copy is opaque. */
	unlink("/etc/conf.d/a");
	unlink("/etc/conf.d/b");
	printf("probe: rmdir=%s\n", rmdir("/etc/conf.d") ? strerror(errno) : "ok");
	mkdir("/etc/conf.d", 0755);
	write_file("opaque-file", "/etc/conf.d/c", "c\n");
	mkdir("/newdir", 0755);
	write_file("newdir-file", "/newdir/f", "f\n");
	list_root();
	dump_status();
	run("status");
	run("diff");
	run("reset");
	printf("probe: done\n");
	fflush(stdout);
	return 0;
}
