// SPDX-License-Identifier: MIT
/*
 * Stage handoff: leave the initramfs for the merged root. Before anything is
 * destroyed, everything that can fail is checked, so a failure still finds the
 * rescue shell; after the switch the initramfs contents are freed (the rootfs
 * keeps its RAM until its files are deleted) and the real init runs as PID 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boot.h"
#include "pure/fmt.h"
#include "pure/paths.h"
#include "sys/clock.h"
#include "sys/failure.h"
#include "sys/file.h"
#include "sys/inroot.h"
#include "sys/log.h"
#include "sys/proc.h"
#include "sys/rmtree.h"
#include "sys/watchdog.h"

static const char *const moved[] = { "/dev", "/proc", "/sys", "/run" };

/*
 * The init is looked up inside the new root, where its symlinks point. Before
 * Linux 5.6 (no openat2) a child chroots there and answers with an errno, PID
 * 1 stays where it is.
 */
static int check_init(const char *init)
{
	struct stat st;
	int ws, rc = exec_check_in_root(NEWROOT, init);
	pid_t pid;

	if (rc != -ENOSYS)
		return rc;
	pid = proc_fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (chroot(NEWROOT) || chdir("/") || stat(init, &st))
			_exit(errno);
		if (!S_ISREG(st.st_mode))
			_exit(EISDIR);
		_exit(access(init, X_OK) ? errno : 0);
	}
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(ws))
		return -ECHILD;
	return -WEXITSTATUS(ws);
}

static int prepare(struct boot *b)
{
	const char *cli = BIN_DIR "/layerboot";
	int rc = mkdir_p(BIN_DIR, 0755);

	/*
	 * The booted system gets the CLI whatever its base layer holds. An
	 * initramfs made without it still boots (it says so); one that has it
	 * and cannot hand it over fails here, before anything is destroyed.
	 */
	if (!rc && access(CLI_FILE, F_OK))
		log_error("handoff", "%s: %s: no layerboot command", CLI_FILE, strerror(errno));
	else if (!rc)
		rc = copy_file(CLI_FILE, cli, 0755);
	if (rc)
		return set_error(rc, "%s: %s", cli, strerror(-rc));
	/* The initramfs goes now: layerboot slots and update check with this copy. */
	if (!access(CERT_FILE, F_OK) && copy_file(CERT_FILE, RUN_CERT, 0444))
		log_error("handoff", "%s: cannot be copied: the CLI will not check signatures",
			  RUN_CERT);
	rc = check_init(b->cfg.init);
	if (rc == -EISDIR)
		return set_error(rc, "%s: not a regular file in the merged root", b->cfg.init);
	if (rc)
		return set_error(rc, "%s: not executable in the merged root: %s", b->cfg.init,
				 strerror(-rc));
	rc = status_write(b, STATUS_FILE);
	if (rc)
		return set_error(rc, "%s: %s", STATUS_FILE, strerror(-rc));
	return 0;
}

static int move_mounts(void)
{
	char dst[64];
	size_t i;

	for (i = 0; i < sizeof(moved) / sizeof(moved[0]); i++) {
		lb_snprintf(dst, sizeof(dst), "%s%s", NEWROOT, moved[i]);
		if (mkdir(dst, 0755) && errno != EEXIST)
			return set_error(-errno, "%s: mkdir: %s", dst, strerror(errno));
		if (mount(moved[i], dst, NULL, MS_MOVE, NULL))
			return set_error(-errno, "%s: move to %s: %s", moved[i], dst,
					 strerror(errno));
	}
	return 0;
}

/*
 * Empty the old root only if it is the initramfs (ramfs or tmpfs): started
 * by mistake as PID 1 of a disk root, the init must not wipe that disk.
 * Returns the entries left, or -1 when it was not ours to delete.
 */
static int delete_initramfs(int old)
{
	struct statfs sf;
	unsigned int left;

	if (fstatfs(old, &sf) || (sf.f_type != RAMFS_MAGIC && sf.f_type != TMPFS_MAGIC)) {
		close(old);
		log_error("handoff",
			  "initramfs: the old root is not a ramfs or tmpfs: not deleted");
		return -1;
	}
	left = rmtree_contents(old);
	close(old);
	return (int)left;
}

/* From here on there is no way back: only the exec can fail, and not for want of a file. */
static int switch_root(struct boot *b)
{
	int old, rc;

	old = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (old < 0)
		return set_error(-errno, "/: %s", strerror(errno));
	rc = move_mounts();
	if (!rc &&
	    (chdir(NEWROOT) || mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") || chdir("/")))
		rc = set_error(-errno, "%s: switch root: %s", NEWROOT, strerror(errno));
	if (rc) {
		close(old);
		return rc;
	}
	failure_no_shell();
	/* The old root is still reachable through its fd: empty it to free its RAM. */
	b->initramfs_left = delete_initramfs(old);
	if (b->initramfs_left > 0)
		log_error("handoff", "initramfs: %d entries could not be deleted",
			  b->initramfs_left);
	return 0;
}

/*
 * Armed last, after the rescue shell (a developer's session must not be
 * reset), so that it times the booted system and not the initramfs. A
 * watchdog that does not arm is reported and the boot goes on: refusing
 * to boot would not make the device safer.
 */
static void arm_watchdog(struct boot *b)
{
	unsigned int secs = b->cfg.watchdog;
	const char *step;
	int rc = watchdog_arm(&secs, &step);

	b->watchdog = rc ? -1 : (int)secs;
	if (rc)
		log_error("handoff", "%s: %s: %s: not armed", WATCHDOG_DEV, step, strerror(-rc));
	else
		log_info("handoff", "%s: armed, %u s", WATCHDOG_DEV, secs);
}

int handoff_switch(struct boot *b)
{
	int rc = prepare(b);

	if (rc)
		return rc;
	if (b->cfg.rescue)
		rescue_shell("layerboot.rescue");
	if (b->cfg.watchdog)
		arm_watchdog(b);
	return switch_root(b);
}

/* The kernel passes init at most MAX_INIT_ARGS (32) arguments. */
#define INIT_ARGS_MAX 32

int handoff_exec(struct boot *b)
{
	char *argv[INIT_ARGS_MAX + 2] = { b->cfg.init };
	int i, n = b->init_argc < INIT_ARGS_MAX ? b->init_argc : INIT_ARGS_MAX;
	int rc = status_write(b, STATUS_FILE);

	/* What the kernel did not understand is the next init's: "single", "3". */
	for (i = 0; i < n; i++)
		argv[i + 1] = b->init_argv[i];
	if (b->init_argc > n)
		log_error("handoff", "%d arguments for init: passing the first %d", b->init_argc,
			  n);

	if (rc)
		log_error("handoff", "%s: %s", STATUS_FILE, strerror(-rc));
	log_info("handoff", "%u layers, %llu us in the initramfs, exec %s", b->man.count,
		 (unsigned long long)(now_us() - b->t_start), b->cfg.init);
	execv(b->cfg.init, argv);
	return set_error(-errno, "%s: exec: %s", b->cfg.init, strerror(errno));
}
