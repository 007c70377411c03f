// SPDX-License-Identifier: MIT
/*
 * bench/marker: the merged root's init in benchmark boots (and /init itself in
 * the "floor" boot). Its first act is a line in the kernel log, whose printk
 * timestamp ends the handoff being measured; everything after that is free.
 *
 * It then prints, on the console, lines the host parses (bench/boot):
 *   BENCH t_init_us=N         kernel timestamp of "Run /init as init process"
 *   BENCH t_marker_us=N       kernel timestamp of our own marker line
 *   BENCH rusage self_user_us=N self_sys_us=N child_user_us=N child_sys_us=N
 *   BENCH status KEY=VALUE    the time.* lines of /run/layerboot/status, if any
 *   BENCH kernel RELEASE      uname -r
 *   BENCH read bytes=N us=N   with bench.read=PATH on the kernel command line:
 *                             the time to read PATH once, whole, after the boot
 *   BENCH mem avail_kb=N      MemAvailable when the marker starts (the kernel
 *                             memory the mounted layers hold, between cases)
 *   BENCH walk files=N dirs=N bytes=N tar_us=N stat_us=N
 *                             with bench.walk: see report_walk() below
 *   BENCH done
 * and powers off. The console is quiet during the boot (loglevel 4), so that
 * the serial port's speed under emulation is not part of what is measured;
 * the timestamps come from the kernel's ring buffer instead.
 *
 * rusage survives execve: PID 1's user time is the user-space work of every
 * program PID 1 has been (the init, then us), and its children's is that of
 * the processes it waited for (a shell's insmod and mount). PID 1's system
 * time also holds the kernel's own boot work, done in that task before /init.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MARKER "bench-marker: merged root init running"

static int out = STDOUT_FILENO;

static void say(const char *s)
{
	size_t n = strlen(s);

	while (n) {
		ssize_t w = write(out, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* /dev/kmsg, made here when nothing mounted a devtmpfs (the floor boot). */
static int open_kmsg(int flags)
{
	int fd = open("/dev/kmsg", flags | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && mknod("/dev/kmsg", S_IFCHR | 0600, makedev(1, 11)) == 0)
		fd = open("/dev/kmsg", flags | O_CLOEXEC);
	return fd;
}

/* One /dev/kmsg record is "PRIO,SEQ,TS_US,FLAGS;TEXT\n". */
static void scan_record(char *rec, unsigned long long *t_init, unsigned long long *t_marker)
{
	unsigned long long prio, seq, ts;
	char *text = strchr(rec, ';');

	if (!text || sscanf(rec, "%llu,%llu,%llu", &prio, &seq, &ts) != 3)
		return;
	text++;
	if (strstr(text, "Run /init as init process") && !*t_init)
		*t_init = ts;
	if (strstr(text, MARKER))
		*t_marker = ts;
}

static void report_times(void)
{
	unsigned long long t_init = 0, t_marker = 0;
	char rec[8192], line[128];
	int fd = open_kmsg(O_RDONLY | O_NONBLOCK);
	ssize_t n;

	if (fd < 0) {
		say("BENCH error cannot read /dev/kmsg\n");
		return;
	}
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue; /* EPIPE: records overwritten while we read */
		if (n <= 0)
			break;
		rec[n] = '\0';
		scan_record(rec, &t_init, &t_marker);
	}
	close(fd);
	snprintf(line, sizeof(line), "BENCH t_init_us=%llu\nBENCH t_marker_us=%llu\n", t_init,
		 t_marker);
	say(line);
}

static unsigned long long tv_us(struct timeval tv)
{
	return (unsigned long long)tv.tv_sec * 1000000 + (unsigned long long)tv.tv_usec;
}

static void report_rusage(void)
{
	struct rusage self, child;
	char line[200];

	if (getrusage(RUSAGE_SELF, &self) || getrusage(RUSAGE_CHILDREN, &child))
		return;
	snprintf(line, sizeof(line),
		 "BENCH rusage self_user_us=%llu self_sys_us=%llu child_user_us=%llu "
		 "child_sys_us=%llu\n",
		 tv_us(self.ru_utime), tv_us(self.ru_stime), tv_us(child.ru_utime),
		 tv_us(child.ru_stime));
	say(line);
}

/* The time.* lines of layerboot's status file, when layerboot booted us. */
static void report_status(void)
{
	char line[256];
	FILE *f = fopen("/run/layerboot/status", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "time.", 5)) {
			say("BENCH status ");
			say(line);
		}
	fclose(f);
}

static unsigned long long mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000 + (unsigned long long)ts.tv_nsec / 1000;
}

/* The command line, once: bench.read= and bench.walk are read from it. */
static const char *cmdline(void)
{
	static char buf[4096];
	static int done;
	int fd;
	ssize_t n;

	if (done)
		return buf;
	done = 1;
	fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/*
 * MemAvailable now: the cases differ only in what they mounted. As /init
 * (the memory cases' "bare" boots) nothing has mounted /proc yet.
 */
static void report_mem(void)
{
	char line[128];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f && errno == ENOENT) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		f = fopen("/proc/meminfo", "re");
	}
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	fclose(f);
	snprintf(line, sizeof(line), "BENCH mem avail_kb=%llu\n", kb);
	say(line);
}

/*
 * bench.walk: what `tar c / >/dev/null` costs on the merged root, then a
 * random stat of every path, each from cold caches (drop_caches first: the
 * layers' page cache, their filesystem's caches, dentries and inodes; not
 * the initramfs, which holds the images). The tar pass lists each directory,
 * lstat()s each entry and reads each regular file whole, as tar does; it
 * stays on the root's filesystem (/proc, /sys, /dev, /run are other mounts)
 * and records the paths the stat pass then visits in a fixed random order.
 */
struct walk {
	char *paths; /* NUL-separated */
	size_t len, cap;
	size_t *off; /* where each path starts */
	size_t n, ncap;
	unsigned long long bytes, dirs;
	int error;
};

static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	sync();
	if (fd >= 0) {
		(void)!write(fd, "3\n", 2);
		close(fd);
	}
}

static int walk_add(struct walk *w, const char *path)
{
	size_t l = strlen(path) + 1;

	if (w->len + l > w->cap) {
		char *p = realloc(w->paths, w->cap = (w->len + l) * 2);

		if (!p)
			return -1;
		w->paths = p;
	}
	if (w->n == w->ncap) {
		size_t *o = realloc(w->off, (w->ncap = w->ncap * 2 + 1024) * sizeof(*o));

		if (!o)
			return -1;
		w->off = o;
	}
	w->off[w->n++] = w->len;
	memcpy(w->paths + w->len, path, l);
	w->len += l;
	return 0;
}

static void read_whole(struct walk *w, const char *path)
{
	static char buf[1 << 16];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		w->error = 1;
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		w->bytes += (unsigned long long)n;
	if (n < 0)
		w->error = 1;
	close(fd);
}

static void walk_dir(struct walk *w, const char *dir, dev_t dev)
{
	char path[4096];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d) {
		w->error = 1;
		return;
	}
	w->dirs++;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "",
				     e->d_name) >= sizeof(path) ||
		    lstat(path, &st) || walk_add(w, path)) {
			w->error = 1;
			continue;
		}
		if (S_ISREG(st.st_mode))
			read_whole(w, path);
		else if (S_ISDIR(st.st_mode) && st.st_dev == dev)
			walk_dir(w, path, dev);
	}
	closedir(d);
}

static void report_walk(void)
{
	struct walk w = { 0 };
	struct stat st;
	unsigned long long t0, tar_us, seed = 0x9e3779b97f4a7c15ULL;
	char line[200];
	size_t i;

	if (!strstr(cmdline(), "bench.walk") || stat("/", &st))
		return;
	drop_caches();
	t0 = mono_us();
	walk_dir(&w, "/", st.st_dev);
	tar_us = mono_us() - t0;
	/* Fisher-Yates with a fixed xorshift seed: the same order every boot. */
	for (i = w.n; i > 1; i--) {
		size_t j, o;

		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		j = (size_t)(seed % i);
		o = w.off[i - 1], w.off[i - 1] = w.off[j], w.off[j] = o;
	}
	drop_caches();
	t0 = mono_us();
	for (i = 0; i < w.n; i++)
		if (lstat(w.paths + w.off[i], &st))
			w.error = 1;
	snprintf(line, sizeof(line),
		 "BENCH walk files=%zu dirs=%llu bytes=%llu tar_us=%llu stat_us=%llu%s\n", w.n,
		 w.dirs, w.bytes, tar_us, mono_us() - t0, w.error ? " error=1" : "");
	say(line);
	free(w.paths);
	free(w.off);
}

/* bench.read=PATH: the cost of reading a layer's file once, through its stack. */
static void report_read(void)
{
	static char buf[1 << 20];
	char path[256], line[128];
	const char *p = strstr(cmdline(), "bench.read=");
	unsigned long long bytes = 0, t0;
	ssize_t n;
	int fd;

	if (!p || sscanf(p, "bench.read=%255s", path) != 1)
		return;
	t0 = mono_us();
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say("BENCH error cannot open the bench.read= file\n");
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		bytes += (unsigned long long)n;
	close(fd);
	snprintf(line, sizeof(line), "BENCH read bytes=%llu us=%llu%s\n", bytes, mono_us() - t0,
		 n < 0 ? " error=1" : "");
	say(line);
}

int main(void)
{
	struct utsname u;
	int fd = open_kmsg(O_WRONLY);

	if (fd >= 0) {
		(void)!write(fd, "<5>" MARKER "\n", sizeof("<5>" MARKER "\n") - 1);
		close(fd);
	}
	fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0)
		out = fd;
	say("\n"); /* the firmware's escape sequences may be on this line */
	/* First: the scan of the kernel log below is user time of our own. */
	report_rusage();
	report_times();
	report_mem();
	report_status();
	report_read();
	report_walk();
	if (uname(&u) == 0) {
		say("BENCH kernel ");
		say(u.release);
		say("\n");
	}
	say("BENCH done\n");
	/* The UART drains slowly under emulation; power off only once it is empty. */
	tcdrain(out);
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}
