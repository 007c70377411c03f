// SPDX-License-Identifier: MIT
/*
 * layerboot slots | mark-good | mark-bad: the slot store as the booted system
 * sees it (/run/layerboot/source), and the two answers a trial slot waits for.
 * The boot state is rewritten by the one atomic pattern of sys/store.c: a
 * power cut during mark-good leaves the trial pending with the tries it had.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pure/bootstate.h"
#include "pure/fmt.h"
#include "pure/paths.h"
#include "sys/log.h"
#include "sys/manifestfile.h"
#include "sys/print.h"
#include "sys/store.h"

struct view {
	char booted; /* status slot= */
	char compatible[LB_COMPAT_MAX + 1];
	int dirfd; /* the store */
	struct bootstate st;
	const char *why; /* the boot state is not readable: why */
};

static struct manifest man; /* large: not on the stack */

static int load(const char *cmd, struct view *v)
{
	struct strlist kv = { 0 };
	const char *s, *c;
	int rc;

	if (status_load(cmd, &kv))
		return -EIO;
	s = strlist_value(&kv, "slot");
	c = strlist_value(&kv, "slot.compatible");
	v->booted = s && (s[0] == 'a' || s[0] == 'b') && !s[1] ? s[0] : 0;
	lb_snprintf(v->compatible, sizeof(v->compatible), "%s", c ? c : "");
	strlist_free(&kv);
	if (!v->booted) {
		lb_dprintf(2, "layerboot: %s: this system did not boot from a slot store\n", cmd);
		return -ENOENT;
	}
	v->dirfd = open(SOURCE_MNT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (v->dirfd < 0) {
		lb_dprintf(2, "layerboot: %s: %s: %s\n", cmd, SOURCE_MNT, strerror(errno));
		return -errno;
	}
	rc = store_read_state(v->dirfd, &v->st, &v->why);
	if (!rc)
		v->why = NULL; /* the parser leaves its last check's text there */
	else if (rc != -EINVAL)
		v->why = strerror(-rc);
	if (rc)
		bootstate_factory(&v->st);
	return 0;
}

static void show_slot(const struct view *v, char s)
{
	char path[64];
	uint64_t us;
	bool sig;

	lb_snprintf(path, sizeof(path), SOURCE_MNT "/slot-%c/manifest", s);
	lb_dprintf(1, "slot %c: ", s);
	if (access(path, F_OK)) {
		lb_dprintf(1, "empty\n");
		return;
	}
	if (manifest_read(path, RUN_CERT, v->compatible, &man, &sig, &us)) {
		lb_dprintf(1, "refused: %s\n", last_error());
		return;
	}
	lb_dprintf(1, "version %llu%s%s%s", man.version, v->st.primary == s ? ", primary" : "",
		   v->booted == s ? ", booted" : "", v->st.failed == s ? ", failed last" : "");
	if (v->st.trial == s)
		lb_dprintf(1, ", trial (%u %s left)", v->st.tries,
			   v->st.tries == 1 ? "try" : "tries");
	lb_dprintf(1, "\n");
}

int cmd_slots(void)
{
	struct view v;

	if (load("slots", &v))
		return 1;
	if (v.why)
		lb_dprintf(1, "boot state: %s (the next boot takes slot a)\n", v.why);
	show_slot(&v, 'a');
	show_slot(&v, 'b');
	lb_dprintf(1, "last rollback: %s\n", v.st.reason[0] ? v.st.reason : "none");
	close(v.dirfd);
	return 0;
}

static int save(const char *cmd, struct view *v)
{
	int rc = store_write_state(v->dirfd, &v->st);

	close(v->dirfd);
	if (rc)
		lb_dprintf(2, "layerboot: %s: %s/%s: %s\n", cmd, SOURCE_MNT, STORE_STATE,
			   strerror(-rc));
	return rc ? 1 : 0;
}

/* The booted slot becomes the primary: a confirmed trial, or a slot picked by hand. */
int cmd_mark_good(void)
{
	struct view v;
	char s;

	if (load("mark-good", &v))
		return 1;
	s = v.booted;
	if (v.st.primary == s && !v.why) {
		close(v.dirfd);
		lb_dprintf(1, "slot %c is already the primary\n", s);
		return 0;
	}
	v.st.primary = s;
	v.st.trial = 0;
	v.st.tries = 0;
	if (save("mark-good", &v))
		return 1;
	lb_dprintf(1, "slot %c is now the primary\n", s);
	return 0;
}

/* The running trial is given up now: the primary boots next. */
int cmd_mark_bad(void)
{
	struct view v;
	char s;

	if (load("mark-bad", &v))
		return 1;
	s = v.booted;
	if (v.st.trial != s) {
		close(v.dirfd);
		lb_dprintf(
			2,
			"layerboot: mark-bad: slot %c is not on trial: nothing to fall back to\n",
			s);
		return 1;
	}
	v.st.trial = 0;
	v.st.tries = 0;
	v.st.failed = s;
	lb_snprintf(v.st.reason, sizeof(v.st.reason), "slot %c: marked bad", s);
	if (save("mark-bad", &v))
		return 1;
	lb_dprintf(1, "slot %c marked bad: slot %c boots next\n", s, v.st.primary);
	return 0;
}
