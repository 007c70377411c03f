/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_BOOTSTATE_H
#define LB_PURE_BOOTSTATE_H

#include <stddef.h>

/*
 * The boot state of the slot store (init/INTERFACE.md "Boot state"): which
 * slot is confirmed, which one is on trial and how many boots it has left,
 * and why the last rollback happened. Slots are 'a' and 'b'; 0 is none.
 */
#define BOOTSTATE_REASON_MAX 200
#define BOOTSTATE_TRIES_MAX  255
#define BOOTSTATE_FILE_MAX   512

struct bootstate {
	char primary; /* 'a' or 'b' */
	char trial;   /* 0, or the other slot */
	unsigned int tries;
	char failed; /* 0, or the slot that failed last */
	char reason[BOOTSTATE_REASON_MAX + 1];
};

/* 0, or -EINVAL with *why set (a missing line, a bad value, a bad check). */
int bootstate_parse(const char *text, size_t len, struct bootstate *s, const char **why);
/* The file's text into buf (NUL-terminated); its length, or -ENOSPC / -EINVAL. */
int bootstate_format(const struct bootstate *s, char *buf, size_t size);
/* The factory state: slot a primary, nothing pending. */
void bootstate_factory(struct bootstate *s);
/* The other slot: 'a' <-> 'b'. */
char slot_other(char slot);

#endif
