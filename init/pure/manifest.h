/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_MANIFEST_H
#define LB_PURE_MANIFEST_H

#include <stdint.h>

/* overlayfs stacks at most 500 lower layers (OVL_MAX_STACK); INTERFACE.md agrees. */
#define LB_MAX_LAYERS 500
#define LB_NAME_MAX   64

struct layer_entry {
	char name[LB_NAME_MAX + 1];
	unsigned long long size;
	uint8_t sha256[32];
};

struct manifest {
	unsigned int count; /* bottom first */
	struct layer_entry layer[LB_MAX_LAYERS];
};

/* Why parsing stopped: line number (1-based, 0 for the whole file) and cause. */
struct manifest_err {
	unsigned int line;
	char msg[160];
};

int manifest_parse(const char *text, struct manifest *m, struct manifest_err *err);
/* 1 if name may name a layer (pure/name.h), else 0 with *why set. */
int layer_name_ok(const char *name, const char **why);

#endif
