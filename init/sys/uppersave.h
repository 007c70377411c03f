/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_UPPERSAVE_H
#define LB_SYS_UPPERSAVE_H

#include <stdbool.h>

#include "pure/upperplan.h"

/*
 * The saved upper of LB_UPDATE_UPPER=reset on the data partition's root
 * (init/INTERFACE.md "The upper across an update"): upper.saved-X is slot X's
 * upper, set aside while the other slot is on trial.
 */
#define UPPER_SAVED_NAME "upper.saved-a" /* [12] is the slot */
#define UPPER_SAVED_SLOT 12

/* Does upper.saved-SLOT exist on dfd (whatever it is: a stranger is not overwritten)? */
bool upper_saved_exists(int dfd, char slot);
/* upper/ -> upper.saved-SLOT, fsync'd; a missing upper/ saves nothing. 0 or -errno. */
int upper_save(int dfd, char slot, unsigned int fault_step);
/* upper/ discarded (trash/), upper.saved-SLOT -> upper/, fsync'd. 0 or -errno. */
int upper_restore(int dfd, char slot, unsigned int fault_step);

/* Every upper.saved-X discarded (the CLI: after a mark-good, before an update). 0 or -errno. */
int upper_drop_saved(int dfd);
/*
 * The upper stage's one call, before upper/ is made when missing: reads which
 * upper.saved-X exist into in->saved, decides (pure/upperplan.c), moves.
 * *saved_after: the slot whose saved upper is on the partition now, or 0.
 */
int upper_policy_run(int dfd, struct upper_input *in, unsigned int fault_step, struct upper_plan *p,
		     char *saved_after);

#endif
