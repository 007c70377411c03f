// SPDX-License-Identifier: MIT
/*
 * Pure: what the upper stage does to the persistent upper for the slot it
 * boots. The decision reads only the boot state's verdict (already written by
 * the slot stage) and which upper.saved-X exist, so a power cut anywhere
 * leaves a disk from which the next boot decides the same thing again:
 *
 *  - a trial slot whose primary P has no upper.saved-P yet is on its first
 *    boot: the primary's upper is saved (one rename); later tries keep the
 *    trial's own upper, and keep it at a cut after that rename;
 *  - a slot booted as non-trial that finds its own upper.saved-X gets it back
 *    (a rollback, a mark-bad, or layerboot.slot= picking the primary): the
 *    user's data is never lost because an update failed. This holds under
 *    either policy: a saved upper is restored even if the policy changed;
 *  - an upper.saved-X of the other slot is stale (that slot was the primary
 *    before a mark-good): the CLI drops it, the boot leaves it alone.
 */
#include <string.h>

#include "pure/upperplan.h"

void upper_plan(const struct upper_input *in, struct upper_plan *p)
{
	char other = in->slot == 'a' ? 'b' : 'a';

	memset(p, 0, sizeof(*p));
	if (in->slot != 'a' && in->slot != 'b')
		return;
	if (in->trial) {
		if (in->policy == UPPER_RESET && !in->saved[other - 'a']) {
			p->act = UA_SAVE;
			p->saved = other;
		}
		return;
	}
	if (in->saved[in->slot - 'a']) {
		p->act = UA_RESTORE;
		p->saved = in->slot;
	}
}
