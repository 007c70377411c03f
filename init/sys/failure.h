/* SPDX-License-Identifier: MIT */
#ifndef LB_SYS_FAILURE_H
#define LB_SYS_FAILURE_H

#include "pure/config.h"
#include "sys/log.h"

/*
 * Never returns: "layerboot: STAGE: message", then the configured policy
 * (rescue shell where built in, halt, or reboot after the delay).
 */
void fail(const struct config *c, const char *stage, const char *fmt, ...) LB_PRINTF(3, 4)
	__attribute__((noreturn));
/* layerboot.rescue: a shell before the handoff, where one is built in. */
void rescue_shell(const char *why);
/* After the switch the initramfs (and its shell) is gone. */
void failure_no_shell(void);

#endif
