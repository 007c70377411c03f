/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_SLOTPLAN_H
#define LB_PURE_SLOTPLAN_H

#include <stdbool.h>

#include "pure/bootstate.h"

/* What the slot stage knows when it decides (init/INTERFACE.md "Slot choice"). */
struct slot_input {
	bool state_ok;		/* the boot state was read and is whole */
	struct bootstate state; /* when state_ok */
	char override;		/* layerboot.slot=: 'a', 'b', or 0 */
	bool valid[2];		/* a, b: not yet refused (the stage checks lazily) */
	const char *why[2];	/* why a slot was refused */
	bool cannot_write;	/* the boot state cannot be written at this boot */
};

struct slot_plan {
	char boot;	       /* the slot to boot; 0: none is bootable */
	bool write;	       /* next must be written before the boot goes on */
	struct bootstate next; /* the state after this boot's decision */
	bool rollback;	       /* the slot the state asked for is not the one booted */
	char reason[BOOTSTATE_REASON_MAX + 1];
};

void slot_plan(const struct slot_input *in, struct slot_plan *out);

#endif
