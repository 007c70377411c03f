/* SPDX-License-Identifier: MIT */
#ifndef LB_CONFIG_H
#define LB_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "devspec.h"
#include "size.h"

enum verify_mode { VERIFY_SHA256, VERIFY_NONE };
enum failure_policy { FAIL_RESCUE, FAIL_REBOOT, FAIL_HALT };

/* Where the layer images (src) or the upper (upper) live. */
struct location {
	bool is_device; /* false: initramfs (src) or tmpfs (upper) */
	struct devspec dev;
};

struct config {
	struct location src;
	struct location upper;
	struct size_spec size;
	bool reset;
	char init[PATH_MAX];
	unsigned int timeout; /* seconds */
	enum verify_mode verify;
	bool rescue;
	bool debug;
	enum failure_policy failure;
	unsigned int failure_delay; /* seconds */
	char board[64];
	unsigned int fault_reset; /* test builds: stop after this reset step (1..7), 0: off */
};

/* Where a token comes from: config-only keys are refused on the command line. */
enum config_origin { CFG_FILE, CFG_CMDLINE };

/* Called once per rejected token with "layerboot.KEY=VALUE: why, using X". */
typedef void (*config_warn_fn)(void *arg, const char *msg);

void config_defaults(struct config *c);
int config_parse(struct config *c, const char *text, enum config_origin origin, config_warn_fn warn,
		 void *arg);
int config_show(const struct config *c, const char *key, char *buf, size_t len);
const char *location_str(const struct location *l, const char *local, char *buf, size_t len);

#endif
