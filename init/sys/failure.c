// SPDX-License-Identifier: MIT
/*
 * Failure: say what broke, then the configured policy. PID 1 must never
 * exit: the kernel would panic and the message would scroll away with it.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "pure/fmt.h"
#include "pure/paths.h"
#include "sys/failure.h"
#include "sys/proc.h"

static bool shell_gone;

void failure_no_shell(void)
{
	shell_gone = true;
}

static bool have_shell(void)
{
	return !shell_gone && access(RESCUE_SHELL, X_OK) == 0;
}

static void sleep_s(unsigned int s)
{
	struct timespec ts = { (time_t)s, 0 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Runs the shell on the console and reaps everything until it is gone. */
static void run_shell(void)
{
	pid_t pid = proc_fork(), p;
	int st;

	if (pid == 0) {
		setsid();
		ioctl(STDIN_FILENO, TIOCSCTTY, 0); /* job control wants a controlling tty */
		execv(RESCUE_SHELL, (char *[]){ "sh", NULL });
		_exit(127);
	}
	if (pid < 0) {
		log_error("failure", "%s: fork: %s", RESCUE_SHELL, strerror(errno));
		return;
	}
	while ((p = waitpid(-1, &st, 0)) != pid)
		if (p < 0 && errno != EINTR)
			break;
}

void rescue_shell(const char *why)
{
	if (!have_shell()) {
		log_error("handoff",
			  "layerboot.rescue: no rescue shell in this initramfs, ignored");
		return;
	}
	log_info("handoff", "%s: starting %s; exit it to continue the boot", why, RESCUE_SHELL);
	run_shell();
}

static __attribute__((noreturn)) void stop(enum failure_policy p)
{
	sync();
	/* Only PID 1 may do this: a stray run of the binary must not reboot the host. */
	if (getpid() == 1)
		reboot(p == FAIL_HALT ? RB_HALT_SYSTEM : RB_AUTOBOOT);
	log_error("failure", "reboot: %s; stopping here", strerror(errno));
	for (;;)
		pause();
}

void fail(const struct config *c, const char *stage, const char *fmt, ...)
{
	enum failure_policy p = c->failure;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	lb_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error(stage, "%s", msg);
	if (p == FAIL_RESCUE && have_shell()) {
		log_error("failure", "starting %s; exit it to reboot", RESCUE_SHELL);
		/* Again, right above the prompt, where the user will look. */
		log_error(stage, "%s", msg);
		run_shell();
		stop(FAIL_REBOOT);
	}
	if (p == FAIL_HALT) {
		log_error("failure", "halting");
		stop(FAIL_HALT);
	}
	if (p == FAIL_RESCUE)
		log_error("failure", "no rescue shell in this initramfs");
	log_error("failure", "rebooting in %u seconds", c->failure_delay);
	sleep_s(c->failure_delay);
	stop(FAIL_REBOOT);
}
