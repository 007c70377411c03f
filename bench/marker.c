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
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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

/* bench.read=PATH: the cost of reading a layer's file once, through its stack. */
static void report_read(void)
{
	static char buf[1 << 20];
	char cmdline[4096], path[256], line[128], *p;
	unsigned long long bytes = 0, t0;
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, cmdline, sizeof(cmdline) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return;
	cmdline[n] = '\0';
	p = strstr(cmdline, "bench.read=");
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
	report_status();
	report_read();
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
