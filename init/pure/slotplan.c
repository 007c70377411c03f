// SPDX-License-Identifier: MIT
/*
 * Pure: which slot boots, and what the boot state becomes first. The power-cut
 * argument: the only write is the new state, by one rename, before the chosen
 * slot is opened. Cut before the rename, the next boot decides again from the
 * old state (a trial gets its try back, never an extra one beyond what was
 * written); cut after it, the decision stands. A trial is counted before it
 * runs, so a trial that hangs or reboots still uses up its tries.
 */
#include <string.h>

#include "pure/fmt.h"
#include "pure/slotplan.h"

static bool ok(const struct slot_input *in, char slot)
{
	return slot && in->valid[slot - 'a'];
}

static void roll(struct slot_plan *p, const char *fmt, char slot, const char *why)
{
	p->rollback = true;
	lb_snprintf(p->reason, sizeof(p->reason), fmt, slot, why);
}

/* The trial ends: it failed, and the primary boots. */
static void end_trial(const struct slot_input *in, struct slot_plan *p, const char *why)
{
	char t = in->state.trial;

	p->next.trial = 0;
	p->next.tries = 0;
	p->next.failed = t;
	roll(p, "slot %c: %s", t, why);
	lb_snprintf(p->next.reason, sizeof(p->next.reason), "%s", p->reason);
	p->write = true;
	p->boot = in->state.primary;
}

static void choose_from_state(const struct slot_input *in, struct slot_plan *p)
{
	char t = in->state.trial;

	p->next = in->state;
	p->boot = in->state.primary;
	if (!t)
		return;
	if (!ok(in, t)) {
		end_trial(in, p, in->why[t - 'a'] ? in->why[t - 'a'] : "refused");
	} else if (in->state.tries == 0) {
		end_trial(in, p, "no tries left");
	} else if (in->cannot_write) {
		/* A try that cannot be counted is not taken: it could loop forever. */
		roll(p, "slot %c: %s", t, "the boot state cannot be written");
	} else {
		p->next.tries--;
		p->write = true;
		p->boot = t;
	}
}

void slot_plan(const struct slot_input *in, struct slot_plan *p)
{
	char want;

	memset(p, 0, sizeof(*p));
	if (ok(in, in->override)) {
		p->next = in->state;
		p->boot = in->override;
		return;
	}
	if (in->state_ok) {
		choose_from_state(in, p);
	} else {
		bootstate_factory(&p->next);
		p->boot = 'a';
	}
	if (in->cannot_write)
		p->write = false;
	want = p->boot;
	if (ok(in, want))
		return;
	/*
	 * The slot to boot is refused: the other one, if it can. With a whole
	 * state it becomes the primary, and the refused one is recorded as the
	 * failed slot with the reason (layerboot slots shows it), so that an
	 * update can go into the refused slot; a state that is missing or
	 * garbage is not rewritten on the word of this one boot.
	 */
	p->boot = ok(in, slot_other(want)) ? slot_other(want) : 0;
	p->write = false;
	if (!p->boot || !in->state_ok)
		return;
	roll(p, "slot %c: %s", want, in->why[want - 'a'] ? in->why[want - 'a'] : "refused");
	if (in->cannot_write)
		return;
	p->next.primary = p->boot;
	p->next.trial = 0;
	p->next.tries = 0;
	p->next.failed = want;
	lb_snprintf(p->next.reason, sizeof(p->next.reason), "%s", p->reason);
	p->write = true;
}
