// SPDX-License-Identifier: MIT
/* Console and /dev/kmsg logging; the kmsg copy survives a console nobody reads. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "pure/num.h"
#include "sys/log.h"
#include "sys/print.h"

/* syslog's levels, as the "<L>" of a kmsg record says them. */
#define LOG_LEVEL_WARNING 4

static int kmsg_fd = -1;
static int console_loglevel; /* 0: unknown, write every line to the console */
static int debug_on;
static char errbuf[1024];

/*
 * The kernel echoes a kmsg record to the console itself when its level is
 * below the console loglevel; writing it to the console as well would show
 * every line twice. Of the lines the kernel keeps off the console (quiet,
 * loglevel=), we write the warnings and errors only: info stays in the kernel
 * log, as the user asked, and costs no UART time inside the handoff (some
 * 87 us a character at 115200 baud).
 */
static void read_console_loglevel(void)
{
	char buf[32] = "";
	int fd = open("/proc/sys/kernel/printk", O_RDONLY | O_CLOEXEC);
	uint64_t v;
	ssize_t n;

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		if (!num_prefix(buf, 99, &v, NULL))
			console_loglevel = (int)v;
	}
}

void log_open_kmsg(void)
{
#ifdef LB_TEST_BUILD
	/* Host tests run on a real machine: keep their noise out of its kernel log. */
	if (access("/cmdline", F_OK) == 0)
		return;
#endif
	if (kmsg_fd < 0)
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
}

/*
 * Whether the kernel echoes a record of this level to the console. The
 * loglevel is read at the first warning or error, not at the open: a boot
 * that has none never reads the sysctl (whose code, run once, costs some
 * milliseconds of translation under emulation).
 */
static int console_shows(int level)
{
	static int read_done;

	if (!read_done) {
		read_done = 1;
		read_console_loglevel();
	}
	return level < console_loglevel;
}

void log_set_debug(int on)
{
	debug_on = on;
}

/*
 * The kernel drops kmsg writes past a burst of 10 per 5 s on one open file
 * (printk.devkmsg=ratelimit, the default), and the console copy of this
 * line is the kernel's: reopen before the burst runs out, since each open
 * file gets a fresh allowance.
 */
static void write_kmsg(const char *line, size_t n)
{
	static unsigned int written;

	if (++written % 8 == 0) {
		close(kmsg_fd);
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (kmsg_fd < 0)
			return;
	}
	write_all(kmsg_fd, line, n);
}

static void vlog(int level, const char *stage, const char *fmt, va_list ap)
{
	/* One record: "<L>layerboot: STAGE: msg\n", console gets it without "<L>". */
	char line[1100];
	int n = lb_snprintf(line, sizeof(line), "<%d>layerboot: %s: ", level, stage);

	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	lb_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	n = (int)strlen(line);
	if ((size_t)n == sizeof(line) - 1) /* truncated: say so */
		line[n - 3] = line[n - 2] = line[n - 1] = '.';
	line[n++] = '\n';
	if (kmsg_fd < 0 || (level <= LOG_LEVEL_WARNING && !console_shows(level)))
		write_all(STDERR_FILENO, line + 3, (size_t)n - 3);
	if (kmsg_fd >= 0)
		write_kmsg(line, (size_t)n);
}

void log_verror(const char *stage, const char *fmt, va_list ap)
{
	vlog(3, stage, fmt, ap);
}

void log_info(const char *stage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(6, stage, fmt, ap);
	va_end(ap);
}

void log_error(const char *stage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(3, stage, fmt, ap);
	va_end(ap);
}

void log_debug(const char *stage, const char *fmt, ...)
{
	va_list ap;

	if (!debug_on)
		return;
	va_start(ap, fmt);
	vlog(7, stage, fmt, ap);
	va_end(ap);
}

int set_error(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lb_vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return err < 0 ? err : -err;
}

const char *last_error(void)
{
	return errbuf[0] ? errbuf : "unknown error";
}
