// SPDX-License-Identifier: MIT
/*
 * layerboot-update: the second binary of the CLI. `layerboot update` execs it
 * with its arguments; the heavy command lives here, out of the init.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/update.h"
#include "pure/paths.h"
#include "sys/print.h"

const char *cli_run_dir = RUN_DIR;

static int usage(void)
{
	lb_dprintf(2, "usage: layerboot update FILE|- [--allow-downgrade] [--check]\n"
		      "  install an update bundle (make bundle) into the other slot;\n"
		      "  - reads it from standard input (wget -O- URL | layerboot update -);\n"
		      "  --check: only check it and list the upper paths it would hide\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *file = NULL;
	bool downgrade = false, check = false;
	int i;

#ifdef LB_TEST_BUILD
	if (getenv("LB_RUN_DIR"))
		cli_run_dir = getenv("LB_RUN_DIR");
#endif
	if (argc == 2 && !strcmp(argv[1], "gc"))
		return cmd_gc();
	/* argv[1] is "update": the front end passes its own arguments on. */
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--allow-downgrade"))
			downgrade = true;
		else if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!file && (argv[i][0] != '-' || !argv[i][1]))
			file = argv[i];
		else
			return usage();
	}
	return file ? cmd_update(file, downgrade, check) : usage();
}
