// SPDX-License-Identifier: MIT
/*
 * layerboot-cli: the "layerboot" command of the booted system, a static binary
 * of its own so that PID 1 carries only the boot path. The handoff copies it
 * from the initramfs to /run/layerboot/bin/layerboot at every boot.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/update.h"
#include "pure/paths.h"
#include "sys/print.h"

#ifndef LB_VERSION
#define LB_VERSION "0.0.0"
#endif

const char *cli_run_dir = RUN_DIR;

static void usage(int fd)
{
	lb_dprintf(fd, "%s",
		   "usage: layerboot COMMAND\n"
		   "  status    how this system was booted: source, layers, upper, stage times\n"
		   "  diff      paths the upper adds (A), changes (C) or deletes (D) over the "
		   "layers,\n"
		   "            escaped (\\\\, \\xHH); diff -0: raw, each record NUL-terminated\n"
		   "  reset     factory reset at the next boot (drops the persistent upper)\n"
		   "  verify    read every layer again; name the first bad block of each\n"
		   "  slots     the A/B slots: versions, primary, trial and tries, last rollback\n"
		   "  mark-good the booted slot becomes the primary (confirms a trial)\n"
		   "  mark-bad  give up the booted trial slot: the primary boots next\n"
		   "  update FILE|- [--allow-downgrade] [--check]\n"
		   "            install a bundle in the other slot, tried at the next boot\n"
		   "  version   print the version\n"
		   "  --help    this text\n");
}

static int update_usage(void)
{
	lb_dprintf(2, "usage: layerboot update FILE|- [--allow-downgrade] [--check]\n"
		      "  install an update bundle (make bundle) into the other slot;\n"
		      "  - reads it from standard input (wget -O- URL | layerboot update -);\n"
		      "  --check: only check it and list the upper paths it would hide\n");
	return 2;
}

/* layerboot update FILE|- [--allow-downgrade] [--check], in any order. */
static int update_main(int argc, char **argv)
{
	const char *file = NULL;
	bool downgrade = false, check = false;
	int i;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--allow-downgrade"))
			downgrade = true;
		else if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!file && (argv[i][0] != '-' || !argv[i][1]))
			file = argv[i];
		else
			return update_usage();
	}
	return file ? cmd_update(file, downgrade, check) : update_usage();
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	int raw = argc == 3 && cmd && !strcmp(cmd, "diff") && !strcmp(argv[2], "-0");

#ifdef LB_TEST_BUILD
	if (getenv("LB_RUN_DIR"))
		cli_run_dir = getenv("LB_RUN_DIR");
#endif
	if (cmd && !strcmp(cmd, "update"))
		return update_main(argc, argv);
	if (!cmd || (argc > 2 && !raw)) {
		usage(2);
		return 2;
	}
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(1);
		return 0;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		lb_dprintf(1, "layerboot %s\n", LB_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "status"))
		return cmd_status();
	if (!strcmp(cmd, "diff"))
		return cmd_diff(raw);
	if (!strcmp(cmd, "reset"))
		return cmd_reset();
	if (!strcmp(cmd, "verify"))
		return cmd_verify();
	if (!strcmp(cmd, "slots"))
		return cmd_slots();
	/* Confirmed: now, and only now, the images no slot uses can go (cli/gc.c). */
	if (!strcmp(cmd, "mark-good"))
		return cmd_mark_good() ? 1 : cmd_gc();
	if (!strcmp(cmd, "mark-bad"))
		return cmd_mark_bad();
	lb_dprintf(2, "layerboot: unknown command '%s'\n", cmd);
	usage(2);
	return 2;
}
