// SPDX-License-Identifier: MIT
/* Stage config: read /etc/layerboot.conf and the kernel command line. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "pure/paths.h"
#include "sys/file.h"
#include "sys/log.h"

#define CONF_MAX ((size_t)64 * 1024)

static void warn_cb(void *arg, const char *msg)
{
	(void)arg;
	log_error("config", "%s", msg);
}

static const char *cmdline_path(void)
{
#ifdef LB_TEST_BUILD
	/* Host tests cannot change the machine's command line; they write this. */
	if (access("/cmdline", F_OK) == 0)
		return "/cmdline";
#endif
	return "/proc/cmdline";
}

static int parse_file(struct config *c, const char *path, enum config_origin origin)
{
	char *text;
	size_t len;
	int rc = read_file(path, &text, CONF_MAX, &len);

	if (rc == -ENOENT && origin == CFG_FILE)
		return 0; /* no built-in defaults: fine */
	if (rc)
		return set_error(rc, "%s: %s", path, strerror(-rc));
	if (strlen(text) != len)
		log_error("config", "%s: NUL byte, reading up to it", path);
	config_parse(c, text, origin, warn_cb, NULL);
	free(text);
	return 0;
}

int config_load(struct boot *b)
{
	struct config *c = &b->cfg;
	int rc;

	config_defaults(c);
	rc = parse_file(c, CONF_FILE, CFG_FILE);
	if (!rc)
		rc = parse_file(c, cmdline_path(), CFG_CMDLINE);
	log_set_debug(c->debug);
	log_info("init", "layerboot %s", LB_VERSION);
	return rc;
}
