/* SPDX-License-Identifier: MIT */
#ifndef LB_CLI_CLI_H
#define LB_CLI_CLI_H

#include "pure/strlist.h"

/*
 * The "layerboot" command of the booted system (the layerboot-cli binary,
 * cli/main.c), one file a command. It reads what the boot left under
 * /run/layerboot and never includes a stage.
 */

/* /run/layerboot; test builds take LB_RUN_DIR from the environment. */
extern const char *cli_run_dir;

/* The status file as key=value lines; on failure says why, as "layerboot: CMD: ...". */
int status_load(const char *cmd, struct strlist *kv);

int cmd_status(void);
/* raw: names as they are, each record NUL-terminated (layerboot diff -0). */
int cmd_diff(int raw);
int cmd_reset(void);
/* Reads every layer again; 0 when each is good (layerboot verify). */
int cmd_verify(void);
int cmd_slots(void); /* cli/slots.c */
int cmd_mark_good(void);
int cmd_mark_bad(void);

#endif
