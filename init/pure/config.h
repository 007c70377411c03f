/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_CONFIG_H
#define LB_PURE_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "pure/devspec.h"
#include "pure/size.h"

enum verify_mode { VERIFY_SHA256, VERIFY_NONE, VERIFY_VERITY };
enum verity_corruption { VERITY_EIO, VERITY_RESTART };
enum failure_policy { FAIL_RESCUE, FAIL_REBOOT, FAIL_HALT };

/* Where the layer images (src) or the upper (upper) live. */
struct location {
	bool is_device; /* false: initramfs (src) or tmpfs (upper) */
	struct devspec dev;
};

/* A location as text ("PARTLABEL=data"): the longest spec and its prefix. */
#define LOCATION_STR_MAX (DEVSPEC_VALUE_MAX + 16)

struct config {
	struct location src;
	struct location upper;
	struct size_spec size;
	bool reset;
	char init[PATH_MAX];
	unsigned int timeout;		/* seconds */
	unsigned int verify;		/* enum verify_mode */
	unsigned int verity_corruption; /* enum verity_corruption */
	bool verify_override;		/* the command line may change verify */
	bool rescue;
	bool debug;
	unsigned int failure;	    /* enum failure_policy */
	unsigned int failure_delay; /* seconds */
	char board[64];
	char product[64];	   /* with board, the compatible string: BOARD/PRODUCT */
	bool slots;		   /* the source device holds the A/B slot store */
	bool slot_override;	   /* the command line may pick the slot (layerboot.slot=) */
	unsigned int slot;	   /* layerboot.slot=: 0 none, 1 a, 2 b */
	unsigned int watchdog;	   /* seconds of the watchdog armed at the handoff, 0: off */
	unsigned int fault_reset;  /* test builds: stop after this reset step (1..6), 0: off */
	unsigned int update_upper; /* enum upper_policy (pure/upperplan.h) */
	unsigned int fault_upper;  /* test builds: stop after this upper-policy step, 0: off */
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
