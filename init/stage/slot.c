// SPDX-License-Identifier: MIT
/*
 * Stage slot: with a slot store on the source device, pick the slot to boot
 * (pure/slotplan.c decides), write the boot state first when the decision
 * changes it (a trial's try is counted before the trial runs), and read and
 * verify the chosen slot's manifest. A slot whose manifest is refused is
 * named, and the other one is tried. Without a store this stage does nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "pure/fmt.h"
#include "pure/paths.h"
#include "pure/slotplan.h"
#include "sys/file.h"
#include "sys/log.h"
#include "sys/manifestfile.h"
#include "sys/store.h"

#define SLOT_MANIFEST SOURCE_MNT "/slot-%c/manifest"

static char why_buf[2][sizeof(((struct boot *)0)->rollback_reason)];

/* fstatat, not faccessat: the init links it already, and every byte counts. */
static int has_store(int dirfd)
{
	struct stat st;

	return !fstatat(dirfd, "slot-a/manifest", &st, AT_SYMLINK_NOFOLLOW) ||
	       !fstatat(dirfd, "slot-b/manifest", &st, AT_SYMLINK_NOFOLLOW);
}

static void read_state(struct boot *b, struct slot_input *in)
{
	const char *why = "";
	int rc = store_read_state(b->src_dirfd, &in->state, &why);

	in->state_ok = !rc;
	if (rc == -ENOENT)
		lb_snprintf(b->state_note, sizeof(b->state_note), "missing");
	else if (rc == -EINVAL)
		lb_snprintf(b->state_note, sizeof(b->state_note), "garbage: %s", why);
	else if (rc)
		lb_snprintf(b->state_note, sizeof(b->state_note), "unreadable: %s", strerror(-rc));
	else
		lb_snprintf(b->state_note, sizeof(b->state_note), "ok");
	if (rc)
		log_error("slot", "%s/%s: %s: booting slot a", b->src_path, STORE_STATE,
			  b->state_note);
}

/* The manifest of slot s into b->man; a refusal is kept in in->why for the plan. */
static int load(struct boot *b, struct slot_input *in, char s)
{
	char path[64], compat[LB_COMPAT_MAX + 2];
	uint64_t us = 0;
	int rc;

	boot_compatible(b, compat, sizeof(compat));
	lb_snprintf(path, sizeof(path), SLOT_MANIFEST, s);
	rc = manifest_read(path, CERT_FILE, compat, &b->man, &b->signature, &us);
	b->t_sig_us += us;
	if (!rc)
		return 0;
	in->valid[s - 'a'] = false;
	lb_snprintf(why_buf[s - 'a'], sizeof(why_buf[0]), "%s", last_error());
	in->why[s - 'a'] = why_buf[s - 'a'];
	log_error("slot", "slot %c: %s", s, last_error());
	return rc;
}

/*
 * The lines of slot-X/hidden: the upper's paths that hid a file this slot
 * changed when `layerboot update` installed it (cli/hidden.c); -1: no list.
 */
static int count_hidden(int dirfd, char s)
{
	char path[16] = "slot-a/hidden", buf[512];
	int fd, n = 0;
	ssize_t len, i;

	path[5] = s;
	fd = open_regular(dirfd, path);
	if (fd < 0)
		return -1;
	while ((len = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < len; i++)
			n += buf[i] == '\n';
	close(fd);
	return n;
}

/* Decide, verify, and write; a refused slot or a failed write decides again. */
static int decide(struct boot *b, struct slot_input *in, struct slot_plan *p)
{
	int rc;

	for (;;) {
		slot_plan(in, p);
		if (!p->boot)
			return set_error(-ENOENT, "no slot to boot: slot a: %s; slot b: %s",
					 in->why[0] ? in->why[0] : "-",
					 in->why[1] ? in->why[1] : "-");
		if (load(b, in, p->boot))
			continue;
		if (!p->write)
			return 0;
		rc = store_write_state(b->src_dirfd, &p->next);
		if (!rc)
			return 0;
		log_error("slot", "%s/%s: cannot be written: %s", b->src_path, STORE_STATE,
			  strerror(-rc));
		lb_snprintf(b->state_note, sizeof(b->state_note), "unwritable: %s", strerror(-rc));
		in->cannot_write = true;
	}
}

int slot_choose(struct boot *b)
{
	struct slot_input in;
	struct slot_plan p;
	int rc;

	if (!b->cfg.slots || !b->cfg.src.is_device)
		return 0;
	if (!has_store(b->src_dirfd))
		return set_error(-ENOENT,
				 "%s (%s): no slot store (no slot-a/manifest nor "
				 "slot-b/manifest)",
				 b->src_path, b->src_dev);
	memset(&in, 0, sizeof(in));
	in.valid[0] = in.valid[1] = true;
	in.override = b->cfg.slot ? (char)('a' + b->cfg.slot - 1) : 0;
	read_state(b, &in);
	rc = decide(b, &in, &p);
	if (rc)
		return rc;
	if (in.override && p.boot != in.override)
		log_error("slot", "layerboot.slot=%c: refused, booting slot %c", in.override,
			  p.boot);
	b->slot = p.boot;
	b->slot_override = in.override == p.boot;
	b->state = p.next;
	b->rollback = p.rollback;
	b->hidden = count_hidden(b->src_dirfd, p.boot);
	lb_snprintf(b->rollback_reason, sizeof(b->rollback_reason), "%s", p.reason);
	if (p.rollback)
		log_error("slot", "rollback to slot %c: %s", p.boot, p.reason);
	log_debug("slot", "slot %c, version %llu", b->slot, b->man.version);
	return 0;
}
