// SPDX-License-Identifier: MIT
/*
 * /run/layerboot/status: the boot state as key=value lines for the booted
 * system. Written to a temporary file and renamed, so a reader never sees half
 * a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* rename */
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "pure/fmt.h"
#include "pure/hex.h"
#include "pure/upperplan.h"
#include "sys/print.h"

static const char *const stage_names[ST_COUNT] = STAGE_NAMES;

const char *stage_name(enum stage s)
{
	return (unsigned int)s < ST_COUNT ? stage_names[s] : "init";
}

/* Under verity: the root hash each layer is checked against and its device. */
static int write_verity(struct outbuf *o, const struct boot *b, unsigned int i)
{
	const struct layer_entry *l = &b->man.layer[i];
	char hex[65];

	if (b->cfg.verify != VERIFY_VERITY || !l->has_verity)
		return 0;
	hex_encode(l->verity.root, 32, hex);
	return out_printf(o, "layer.%u.roothash=%s\nlayer.%u.device=/dev/mapper/lb-%s\n", i, hex, i,
			  l->name) < 0
		       ? -EIO
		       : 0;
}

static int write_layers(struct outbuf *o, const struct boot *b)
{
	char hex[65];
	unsigned int i;

	if (out_printf(o, "layers=%u\n", b->man.count) < 0)
		return -EIO;
	for (i = 0; i < b->man.count; i++) {
		const struct layer_entry *l = &b->man.layer[i];

		hex_encode(l->sha256, 32, hex);
		if (out_printf(o,
			       "layer.%u.name=%s\nlayer.%u.size=%llu\nlayer.%u.sha256=%s\n"
			       "layer.%u.fs=%s\nlayer.%u.verified=%s\n",
			       i, l->name, i, l->size, i, hex, i, layer_fs_type(l->fs), i,
			       b->verified			? "yes"
			       : b->cfg.verify == VERIFY_VERITY ? "verity"
								: "no") < 0 ||
		    write_verity(o, b, i))
			return -EIO;
	}
	return 0;
}

static char slot_char(char s)
{
	return s ? s : '-';
}

static int write_upper(struct outbuf *o, const struct boot *b)
{
	const struct config *c = &b->cfg;
	char spec[LOCATION_STR_MAX], size[32];

	config_show(c, "size", size, sizeof(size));
	location_str(&c->upper, "", spec, sizeof(spec));
	if (out_printf(o,
		       "upper=%s\nupper.size=%s\nupper.spec=%s\nupper.device=%s\nreset=%s\n"
		       "reset.trigger=%s\nreset.trash=%s\nfallback=%s\nfallback.device=%s\n"
		       "upper.policy=%s\nupper.action=%s\nupper.saved=%c\n",
		       b->upper_persistent ? "persistent" : "tmpfs", size,
		       c->upper.is_device ? spec : "", b->upper_dev, b->reset_done ? "yes" : "no",
		       reset_trigger_name(b->reset_trigger),
		       b->reset_trash[0] ? b->reset_trash : "ok",
		       b->fallback[0] ? b->fallback : "no", b->fallback_dev,
		       c->update_upper == UPPER_RESET ? "reset" : "keep",
		       b->upper_act == UA_SAVE	    ? "saved"
		       : b->upper_act == UA_RESTORE ? "restored"
						    : "none",
		       slot_char(b->upper_saved)) < 0)
		return -EIO;
	if (b->slot && b->hidden >= 0)
		return out_printf(o, "hidden=%d\n", b->hidden) < 0 ? -EIO : 0;
	return out_printf(o, "hidden=-\n") < 0 ? -EIO : 0;
}

void boot_compatible(const struct boot *b, char *buf, size_t len)
{
	lb_snprintf(buf, len, "%s/%s", b->cfg.board, b->cfg.product);
}

/* The slot keys: where there is no store, slot=- and the manifest's own version. */
static int write_slot(struct outbuf *o, const struct boot *b)
{
	const struct bootstate *s = &b->state;

	return out_printf(o,
			  "signature=%s\nslot=%c\nslot.version=%llu\nslot.compatible=%s\n"
			  "slot.primary=%c\nslot.trial=%c\nslot.tries=%u\nslot.override=%s\n"
			  "rollback=%s\nrollback.reason=%s\nbootstate=%s\n",
			  b->signature ? "verified" : "none", slot_char(b->slot), b->man.version,
			  b->man.compatible, slot_char(b->slot ? s->primary : 0),
			  slot_char(b->slot ? s->trial : 0), b->slot ? s->tries : 0,
			  b->slot_override ? "yes" : "no", b->rollback ? "yes" : "no",
			  b->rollback_reason, b->slot ? b->state_note : "-") < 0
		       ? -EIO
		       : 0;
}

static int write_body(struct outbuf *o, const struct boot *b)
{
	const struct config *c = &b->cfg;
	char src[LOCATION_STR_MAX], verify[16];
	uint64_t total = 0;
	int i;

	config_show(c, "src", src, sizeof(src));
	config_show(c, "verify", verify, sizeof(verify));
	if (out_printf(o, "version=%s\nsource=%s\nsource.device=%s\nverify=%s\n", LB_VERSION, src,
		       b->src_dev, verify) < 0 ||
	    write_slot(o, b) || write_layers(o, b) || write_upper(o, b))
		return -EIO;
	for (i = 0; i < ST_COUNT; i++) {
		total += b->t_us[i];
		if (out_printf(o, "time.%s_us=%llu\n", stage_names[i],
			       (unsigned long long)b->t_us[i]) < 0)
			return -EIO;
	}
	if (out_printf(o, "time.signature_us=%llu\ntime.total_us=%llu\ninitramfs.left=%d\n",
		       (unsigned long long)b->t_sig_us, (unsigned long long)total,
		       b->initramfs_left) < 0)
		return -EIO;
	if (b->watchdog > 0)
		return out_printf(o, "watchdog=%d\n", b->watchdog) < 0 ? -EIO : 0;
	return out_printf(o, "watchdog=%s\n", b->watchdog ? "failed" : "off") < 0 ? -EIO : 0;
}

int status_write(const struct boot *b, const char *path)
{
	struct outbuf out;
	char tmp[PATH_MAX];
	int fd, rc, n = lb_snprintf(tmp, sizeof(tmp), "%s.tmp", path);

	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* Buffered: one write(2) per 4 KiB, not one a line, on the boot's path. */
	out.fd = fd;
	out.err = 0;
	out.n = 0;
	rc = write_body(&out, b);
	if (out_flush(&out) && !rc)
		rc = -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}
