/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_RESET_H
#define LB_SYS_RESET_H

#include <stdbool.h>

#include "pure/resetplan.h"

/* What a look at the data partition found and did. */
struct reset_result {
	enum reset_trigger trigger;
	bool done;	/* a factory reset ran, or was finished, at this boot */
	char trash[64]; /* why trash/ could not be emptied; "" when it was */
};

/*
 * Runs or resumes the factory reset on dfd, the root of the data partition,
 * before the overlay uses it (the algorithm is at the top of reset.c).
 * cmdline: layerboot.reset was given. fault_step: test builds stop dead after
 * that step (0: never). 0, or -errno with the message set.
 */
int reset_run(int dfd, bool cmdline, unsigned int fault_step, struct reset_result *out);

/* Moves NAME (on dfd, the data partition's root) into trash/ and empties it. 0 or -errno. */
int reset_discard(int dfd, const char *name);

#endif
