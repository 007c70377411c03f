/* SPDX-License-Identifier: MIT */
#ifndef LB_CLI_CLI_H
#define LB_CLI_CLI_H

/*
 * The "layerboot" command of the booted system, one file a command. It reads
 * what the boot left under /run/layerboot and never includes a stage.
 */

/* /run/layerboot; test builds take LB_RUN_DIR from the environment. */
extern const char *cli_run_dir;

struct strlist;

int cli_main(int argc, char **argv);
/* The status file's key=value lines into kv; -1 after saying why ("layerboot: CMD: ..."). */
int cli_read_status(struct strlist *kv, const char *cmd);
int cmd_status(void);
/* raw: names as they are, each record NUL-terminated (layerboot diff -0). */
int cmd_diff(int raw);
int cmd_reset(void);

#endif
