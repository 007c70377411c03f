// SPDX-License-Identifier: MIT
/*
 * Loading kernel modules from a list, in order. A failure is reported and the
 * boot goes on: if the feature really is missing, the mount that needs it fails
 * later with a clearer message than any guess made here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pure/paths.h"
#include "sys/file.h"
#include "sys/kmod.h"
#include "sys/log.h"

/* What finit_module's answer means for the one who built the initramfs. */
static const char *hint(int err)
{
	if (err == ENOEXEC)
		return " (not a module for this kernel and architecture)";
	if (err == EKEYREJECTED || err == ENOKEY || err == EBADMSG)
		return " (its signature is not one this kernel accepts)";
	return "";
}

static void load_one(const char *path)
{
	int fd = open_regular(AT_FDCWD, path), err;

	if (fd < 0) {
		log_error("modules", "%s: %s", path,
			  fd == -EINVAL ? "not a regular file" : strerror(-fd));
		return;
	}
	err = syscall(SYS_finit_module, fd, "", 0) ? errno : 0;
	close(fd);
	if (!err)
		log_debug("modules", "%s: loaded", path);
	else if (err == EEXIST)
		log_debug("modules", "%s: already loaded", path);
	else if (err == ENODEV)
		/* An optional driver whose CPU feature or device is absent. */
		log_info("modules", "%s: nothing here for it to drive, not loaded", path);
	else
		log_error("modules", "%s: %s%s", path, strerror(err), hint(err));
}

int kmod_load_list(const char *list)
{
	char *text, *line, *save = NULL;
	int rc = read_file(list, &text, 1 << 20, NULL);

	if (rc == -ENOENT)
		return 0;
	if (rc) {
		log_error("modules", "%s: %s", list, strerror(-rc));
		return 0;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end;

		line += strspn(line, " \t");
		end = line + strcspn(line, "#");
		while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		*end = '\0';
		if (*line)
			load_one(line);
	}
	free(text);
	return 0;
}

/*
 * The storage drivers are needed only to find a device: a boot from the
 * initramfs onto a tmpfs upper never pays for them. Loaded at the first wait.
 */
void kmod_load_storage(void)
{
	static int loaded;

	if (loaded)
		return;
	loaded = 1;
	kmod_load_list(MODULES_STORAGE_FILE);
}
