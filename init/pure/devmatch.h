/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_DEVMATCH_H
#define LB_PURE_DEVMATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "pure/devspec.h"

/* What a probe learned about one block device; NULL: not known (not probed). */
struct devid {
	const char *name;      /* the sysfs name: "vda1" */
	const char *partuuid;  /* GPT unique GUID or MBR "xxxxxxxx-NN" */
	const char *partlabel; /* GPT partition name */
	const char *uuid;      /* filesystem UUID */
	const char *label;     /* filesystem label */
};

bool devid_match(const struct devspec *s, const struct devid *id);
/* UUIDs compare without regard to case: blkid prints lower, users type either. */
bool uuid_eq(const char *a, const char *b);
/* "N\n", as in /sys/class/block/X/partition. */
int sysfs_uint(const char *s, unsigned int *v);
/* "MAJ:MIN\n", as in /sys/class/block/X/dev. */
int devnum_parse(const char *s, unsigned int *maj, unsigned int *min);
/*
 * The parent disk of a partition from the target of /sys/class/block/PART,
 * "../../devices/.../block/vda/vda1": the component before the last.
 */
int sysfs_parent(const char *link, char *out, size_t len);

#endif
