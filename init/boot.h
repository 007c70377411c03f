/* SPDX-License-Identifier: MIT */
#ifndef LB_BOOT_H
#define LB_BOOT_H

/*
 * The boot state: what the stages learn, for the next stage and for the
 * status file. Stages (stage/) include this, pure/ and sys/; nothing in pure/,
 * sys/ or cli/ does.
 */
#include <stdbool.h>
#include <stdint.h>

#include "pure/bootstate.h"
#include "pure/config.h"
#include "pure/manifest.h"
#include "pure/resetplan.h"
#include "sys/devices.h"

#ifndef LB_VERSION
#define LB_VERSION "0.0.0"
#endif

/* The boot stages in order; their names are the status file's time.NAME_us keys. */
enum stage {
	ST_EARLY,
	ST_CONFIG,
	ST_MODULES,
	ST_SOURCE,
	ST_SLOT,
	ST_MANIFEST,
	ST_VERIFY,
	ST_LAYERS,
	ST_UPPER,
	ST_OVERLAY,
	ST_HANDOFF,
	ST_COUNT
};

#define STAGE_NAMES                                                                             \
	{                                                                                       \
		"early", "config", "modules", "source", "slot", "manifest", "verify", "layers", \
			"upper", "overlay", "handoff"                                           \
	}

struct boot {
	struct config cfg;
	char src_path[64]; /* where the images are: /layers or /run/layerboot/source */
	int src_dirfd;
	char src_dev[DEV_PATH_MAX]; /* the source device's node, "" for the initramfs */
	struct manifest man;
	bool signature;		/* the manifest's signature was verified */
	uint64_t t_sig_us;	/* the time of that check (time.signature_us) */
	char slot;		/* the slot booted, 'a' or 'b'; 0 without a slot store */
	bool slot_override;	/* layerboot.slot= picked it */
	struct bootstate state; /* after this boot's decision */
	char state_note[96];	/* ok, missing, garbage: WHY, unwritable: CAUSE */
	bool rollback;		/* the slot asked for was not booted */
	char rollback_reason[BOOTSTATE_REASON_MAX + 1];
	int image_fd[LB_MAX_LAYERS]; /* opened by verify, consumed by layers */
	bool verified;
	bool upper_persistent;
	char upper_dev[DEV_PATH_MAX]; /* the persistent upper's node, "" for a tmpfs */
	bool reset_done;	      /* a factory reset ran or was finished at this boot */
	enum reset_trigger reset_trigger;
	unsigned char upper_act; /* enum upper_act: what LB_UPDATE_UPPER did at this boot */
	char upper_saved;	 /* the slot whose upper.saved-X is kept, 0: none */
	int hidden;		 /* lines of slot-X/hidden (LB_UPDATE_UPPER=keep), -1: none */
	char reset_trash[64];	 /* why trash/ could not be emptied; "" when it was */
	char fallback[400];	 /* why a persistent upper fell back to tmpfs; "" = no */
	char fallback_dev[DEV_PATH_MAX]; /* the device it could not use, "" if none */
	uint64_t t_start;
	uint64_t t_us[ST_COUNT];
	int initramfs_left; /* -1 until the delete ran */
	int watchdog;	    /* the timeout armed at the handoff; 0: off, -1: failed */
	/* The kernel's arguments for init ("single", a runlevel), passed on. */
	int init_argc;
	char **init_argv;
};

/* The stage's name ("verify"), as in the messages and the time.NAME_us keys. */
const char *stage_name(enum stage s);

/* "BOARD/PRODUCT": what a manifest's compatible field must say. */
void boot_compatible(const struct boot *b, char *buf, size_t len);

/* Writes the status file (init/INTERFACE.md) atomically: temporary file, rename. */
int status_write(const struct boot *b, const char *path);

#endif
