/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_RESETPLAN_H
#define LB_PURE_RESETPLAN_H

#include <stdbool.h>

enum reset_trigger { RT_NONE, RT_CMDLINE, RT_MARKER, RT_RESUMED };

/* What the data partition holds when the boot looks at it. */
struct reset_state {
	bool cmdline;	     /* layerboot.reset given */
	bool marker;	     /* a reset marker exists (reset-requested or reset-started) */
	bool marker_started; /* ... and says a boot already began the reset (step 1 ran) */
	bool upper;	     /* upper/ exists */
	bool trash;	     /* trash/ holds something (the folder itself stays) */
};

struct reset_plan {
	enum reset_trigger trigger;
	int first; /* first step to run (1..6, see sys/reset.c), 0: nothing to do */
};

void reset_plan(const struct reset_state *s, struct reset_plan *p);
const char *reset_trigger_name(enum reset_trigger t);

#endif
