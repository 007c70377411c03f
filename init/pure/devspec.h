/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_DEVSPEC_H
#define LB_PURE_DEVSPEC_H

#include <stddef.h>

enum devspec_kind {
	DEV_PATH,      /* /dev/NAME */
	DEV_PARTLABEL, /* PARTLABEL=... (GPT partition name) */
	DEV_PARTUUID,  /* PARTUUID=... (GPT uuid or MBR xxxxxxxx-NN) */
	DEV_LABEL,     /* LABEL=... (filesystem label) */
	DEV_UUID,      /* UUID=... (filesystem uuid) */
};

#define DEVSPEC_VALUE_MAX 255

struct devspec {
	enum devspec_kind kind;
	char value[DEVSPEC_VALUE_MAX + 1]; /* path for DEV_PATH, else the part after '=' */
};

int devspec_parse(const char *s, struct devspec *out);
const char *devspec_kind_name(enum devspec_kind k);

#endif
