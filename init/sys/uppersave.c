// SPDX-License-Identifier: MIT
/*
 * The two moves of LB_UPDATE_UPPER=reset, by rename on the data partition,
 * each followed by an fsync of its root, so every power cut leaves a state
 * that pure/upperplan.c decides on again:
 *
 *   save (a trial's first boot):  1. upper/ -> upper.saved-P
 *      then the upper stage makes a fresh upper/. A cut before 1: the next
 *      try saves it then; after 1: upper.saved-P exists, the try goes on with
 *      a fresh upper/ (the boot state's try was counted before, by slot.c).
 *   restore (a rollback):         2. upper/ -> trash/upper.N
 *                                 3. upper.saved-S -> upper/
 *      then the trash is emptied. A cut after 2: no upper/ (or the fresh one
 *      a resumed reset made), upper.saved-S still there: the next boot does
 *      2 and 3 again. After 3: the restore stands; trash/ is emptied by the
 *      next boot's reset stage (it says reset resumed).
 *
 * Never a delete of the user's data outside trash/: the saved upper is only
 * renamed; work/ stays (overlayfs empties its own work/work at the mount).
 * Test builds take layerboot.fault_upper=N: stop dead after step N.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys/log.h"
#include "sys/reset.h"
#include "sys/uppersave.h"

#ifdef LB_TEST_BUILD
static void fault(unsigned int fault_step, unsigned int step)
{
	if (fault_step != step)
		return;
	log_error("upper", "fault injection: stopped after step %u", step);
	for (;;)
		pause();
}
#else
#define fault(fault_step, step) ((void)(fault_step))
#endif

static void saved_name(char name[sizeof(UPPER_SAVED_NAME)], char slot)
{
	unsigned int i;

	for (i = 0; i < sizeof(UPPER_SAVED_NAME); i++)
		name[i] = UPPER_SAVED_NAME[i];
	name[UPPER_SAVED_SLOT] = slot;
}

bool upper_saved_exists(int dfd, char slot)
{
	char name[sizeof(UPPER_SAVED_NAME)];
	struct stat st;

	saved_name(name, slot);
	return !fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW);
}

/* The rename, then the root synced: the rename is what the next boot reads. */
static int move(int dfd, const char *from, const char *to)
{
	if (renameat(dfd, from, dfd, to) && errno != ENOENT)
		return -errno;
	return fsync(dfd) ? -errno : 0;
}

int upper_save(int dfd, char slot, unsigned int fault_step)
{
	char name[sizeof(UPPER_SAVED_NAME)];
	int rc;

	saved_name(name, slot);
	rc = move(dfd, "upper", name);
	fault(fault_step, 1);
	return rc;
}

int upper_restore(int dfd, char slot, unsigned int fault_step)
{
	char name[sizeof(UPPER_SAVED_NAME)];
	int rc = reset_discard(dfd, "upper");

	saved_name(name, slot);
	fault(fault_step, 2);
	/* A trash/ that cannot be emptied must not keep the user's data away. */
	if (rc && rc != -ENOENT)
		log_error("upper", "the failed trial's upper: %s", strerror(-rc));
	rc = move(dfd, name, "upper");
	fault(fault_step, 3);
	return rc;
}

int upper_policy_run(int dfd, struct upper_input *in, unsigned int fault_step, struct upper_plan *p,
		     char *saved_after)
{
	int rc = 0;

	in->saved[0] = upper_saved_exists(dfd, 'a');
	in->saved[1] = upper_saved_exists(dfd, 'b');
	upper_plan(in, p);
	if (p->act == UA_SAVE) {
		rc = upper_save(dfd, p->saved, fault_step);
		in->saved[p->saved - 'a'] = !rc;
	} else if (p->act == UA_RESTORE) {
		rc = upper_restore(dfd, p->saved, fault_step);
		in->saved[p->saved - 'a'] = rc != 0;
	}
	*saved_after = in->saved[0] ? 'a' : in->saved[1] ? 'b' : 0;
	return rc;
}

/*
 * Every upper.saved-X: stale once the booted slot is the primary (after a
 * mark-good, before an update sets a trial), and dangerous if kept: the slot
 * it names would take it back at its next non-trial boot. Into trash/ first,
 * so a cut half way never leaves a part of one under its name.
 */
int upper_drop_saved(int dfd)
{
	char name[sizeof(UPPER_SAVED_NAME)];
	int rc = 0;
	char s;

	for (s = 'a'; s <= 'b' && !rc; s++) {
		saved_name(name, s);
		if (upper_saved_exists(dfd, s))
			rc = reset_discard(dfd, name);
	}
	return rc;
}
