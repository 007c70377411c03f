/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_MANIFEST_H
#define LB_PURE_MANIFEST_H

#include <stdint.h>

/* overlayfs stacks at most 500 lower layers (OVL_MAX_STACK); INTERFACE.md agrees. */
#define LB_MAX_LAYERS 500
#define LB_NAME_MAX   64

#define LB_SALT_MAX 64

/*
 * What dm-verity needs for one image (kernel verity.rst): the image file is
 * the data (data_size bytes) followed by its hash tree at hash_offset.
 */
struct verity_params {
	unsigned int data_block, hash_block; /* bytes, powers of two */
	unsigned long long data_size;	     /* bytes, a multiple of data_block */
	unsigned long long hash_offset;	     /* bytes, a multiple of hash_block */
	uint8_t root[32];		     /* sha256 root hash */
	uint8_t salt[LB_SALT_MAX];
	unsigned int salt_len;
};

struct layer_entry {
	char name[LB_NAME_MAX + 1];
	unsigned long long size;
	uint8_t sha256[32];
	int has_verity; /* the line has a verity= field */
	struct verity_params verity;
};

/* The compatible string: BOARD/PRODUCT (printable ASCII, no space). */
#define LB_COMPAT_MAX 129

struct manifest {
	/* Header fields of a signed manifest; "" and 0 when the file has none. */
	char compatible[LB_COMPAT_MAX + 1];
	unsigned long long version;
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
