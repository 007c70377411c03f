// SPDX-License-Identifier: MIT
/*
 * bench/debian/report: the end of a Debian benchmark boot. bench-report.service
 * starts it once systemd has reached multi-user.target, with two of systemd's
 * CLOCK_MONOTONIC times (µs) as arguments:
 *   report USERSPACE_US MULTI_USER_US poweroff|stay
 * USERSPACE_US is systemd's UserspaceTimestampMonotonic, taken as the first
 * act of its main(): the handoff's end. MULTI_USER_US is multi-user.target's
 * ActiveEnterTimestampMonotonic.
 *
 * The start, "Run /init as init process", is a printk timestamp, which is
 * local_clock() and not CLOCK_MONOTONIC: on x86 the two start from different
 * clocks and differ by a constant of the boot (milliseconds under TCG). So we
 * measure that constant: read CLOCK_MONOTONIC, write a /dev/kmsg record, read
 * back the record's timestamp. The record is stamped after the reading, so each
 * try overestimates the offset by its syscall's latency; the smallest of a
 * few tries is the estimate.
 *
 * Lines for the host (bench/debian/boot), on the console:
 *   BENCH t_init_us=N          printk time of "Run /init as init process"
 *   BENCH t_sdlog_us=N         printk time of systemd's first kernel log line
 *   BENCH clock_offset_us=N    printk time minus CLOCK_MONOTONIC
 *   BENCH userspace_us=N multi_user_us=N   the arguments, CLOCK_MONOTONIC
 *   BENCH status KEY=VALUE     the time.* lines of /run/layerboot/status, if any
 *   BENCH kernel RELEASE
 *   BENCH done
 * Then, with "poweroff", sync and power off at once (the boot is measured; a
 * clean shutdown would only cost time). With "stay" it returns, and the
 * service asks systemd for a clean poweroff: the boot that makes a disk for
 * the steady-state cases.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CLOCK_TAG "bench-clock "
#define CLOCK_TRIES 8

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

struct times {
	unsigned long long init, sdlog;
	long long offset;
	int have_offset;
};

static unsigned long long mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000 + (unsigned long long)ts.tv_nsec / 1000;
}

/* One /dev/kmsg record is "PRIO,SEQ,TS_US,FLAGS;TEXT\n". */
static void scan_record(char *rec, struct times *t)
{
	unsigned long long prio, seq, ts, mono;
	char *text = strchr(rec, ';');

	if (!text || sscanf(rec, "%llu,%llu,%llu", &prio, &seq, &ts) != 3)
		return;
	text++;
	if (strstr(text, "Run /init as init process") && !t->init)
		t->init = ts;
	if (!strncmp(text, "systemd[1]: ", 12) && !t->sdlog)
		t->sdlog = ts;
	if (!strncmp(text, CLOCK_TAG, strlen(CLOCK_TAG)) &&
	    sscanf(text + strlen(CLOCK_TAG), "%llu", &mono) == 1) {
		long long d = (long long)ts - (long long)mono;

		if (!t->have_offset || d < t->offset)
			t->offset = d;
		t->have_offset = 1;
	}
}

static void stamp_clock(void)
{
	char line[64];
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	int i;

	if (fd < 0)
		return;
	for (i = 0; i < CLOCK_TRIES; i++) {
		int n = snprintf(line, sizeof(line), "<5>" CLOCK_TAG "%llu\n", mono_us());

		(void)!write(fd, line, (size_t)n);
	}
	close(fd);
}

static int read_kmsg(struct times *t)
{
	char rec[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && (errno == EINTR || errno == EPIPE))
			continue; /* EPIPE: records overwritten while we read */
		if (n <= 0)
			break;
		rec[n] = '\0';
		scan_record(rec, t);
	}
	close(fd);
	return 0;
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

int main(int argc, char **argv)
{
	struct times t = { 0 };
	struct utsname u;
	char line[256];
	int fd;

	if (argc != 4 || (strcmp(argv[3], "poweroff") && strcmp(argv[3], "stay"))) {
		fprintf(stderr, "usage: report USERSPACE_US MULTI_USER_US poweroff|stay\n");
		return 2;
	}
	stamp_clock();
	fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0)
		out = fd;
	say("\n"); /* a getty's output may be on this line */
	if (read_kmsg(&t) < 0 || !t.have_offset) {
		say("BENCH error cannot read or write /dev/kmsg\n");
	} else {
		snprintf(line, sizeof(line),
			 "BENCH t_init_us=%llu\nBENCH t_sdlog_us=%llu\nBENCH clock_offset_us=%lld\n",
			 t.init, t.sdlog, t.offset);
		say(line);
	}
	snprintf(line, sizeof(line), "BENCH userspace_us=%llu multi_user_us=%llu\n",
		 strtoull(argv[1], NULL, 10), strtoull(argv[2], NULL, 10));
	say(line);
	report_status();
	if (uname(&u) == 0) {
		say("BENCH kernel ");
		say(u.release);
		say("\n");
	}
	say("BENCH done\n");
	/* The UART drains slowly under emulation; power off only once it is empty. */
	tcdrain(out);
	if (!strcmp(argv[3], "stay"))
		return 0;
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}
