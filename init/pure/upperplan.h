/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_UPPERPLAN_H
#define LB_PURE_UPPERPLAN_H

#include <stdbool.h>

/*
 * The persistent upper across an update (init/INTERFACE.md "The upper across
 * an update"): with LB_UPDATE_UPPER=reset, the first boot of a trial slot sets
 * the primary's upper aside as upper.saved-P; the primary's next boot (a
 * rollback) takes it back; mark-good's gc drops it.
 */
enum upper_policy { UPPER_KEEP, UPPER_RESET };

enum upper_act {
	UA_NONE,
	UA_SAVE,    /* upper/ -> upper.saved-SLOT, then a fresh upper/ */
	UA_RESTORE, /* upper/ (the failed trial's) discarded, upper.saved-SLOT -> upper/ */
};

/* What the upper stage knows: the slot booted and the saved uppers on the data partition. */
struct upper_input {
	unsigned int policy; /* enum upper_policy */
	char slot;	     /* the slot booted: 'a', 'b'; 0 without a slot store */
	bool trial;	     /* it is the boot state's trial slot */
	bool saved[2];	     /* upper.saved-a, upper.saved-b exist */
};

struct upper_plan {
	enum upper_act act;
	char saved; /* the slot of the upper.saved-X the act names */
};

void upper_plan(const struct upper_input *in, struct upper_plan *out);

#endif
