// SPDX-License-Identifier: MIT
/* Pure: from what the data partition holds, where a factory reset (re)starts. */
#include "pure/resetplan.h"

const char *reset_trigger_name(enum reset_trigger t)
{
	static const char *const n[] = { "none", "cmdline", "marker", "resumed" };

	return (unsigned int)t < 4 ? n[t] : "?";
}

/*
 * Any trace of an earlier boot's reset means that one was cut short: it is
 * finished first, and called "resumed" even when layerboot.reset is given again.
 * Step 1 only writes the marker, so once a boot wrote it, the next skips it; a
 * trash/ with something in it and no marker is finished from step 4 (emptying).
 */
void reset_plan(const struct reset_state *s, struct reset_plan *p)
{
	bool requested = s->cmdline || s->marker;
	bool interrupted = s->trash || (s->marker && (s->marker_started || !s->upper));

	p->trigger = interrupted  ? RT_RESUMED
		     : s->cmdline ? RT_CMDLINE
		     : s->marker  ? RT_MARKER
				  : RT_NONE;
	if (requested)
		p->first = s->marker_started ? 2 : 1;
	else
		p->first = s->trash ? 4 : 0;
}
