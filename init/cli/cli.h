/* SPDX-License-Identifier: MIT */
#ifndef LB_CLI_CLI_H
#define LB_CLI_CLI_H

/*
 * The "layerboot" command of the booted system, one file a command. It reads
 * what the boot left under /run/layerboot and never includes a stage.
 */

/* /run/layerboot; test builds take LB_RUN_DIR from the environment. */
extern const char *cli_run_dir;

int cli_main(int argc, char **argv);
int cmd_status(void);
int cmd_diff(void);
int cmd_reset(void);

#endif
