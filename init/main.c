// SPDX-License-Identifier: MIT
/*
 * layerboot: PID 1 of the initramfs. Calls the boot stages in order; any stage
 * failure goes to fail(), which never returns. The "layerboot" command of the
 * booted system is another binary (layerboot-cli, cli/main.c): PID 1 carries
 * only the boot path.
 */
#include <unistd.h>

#include "boot.h"
#include "pure/paths.h"
#include "stage/stage.h"
#include "sys/clock.h"
#include "sys/failure.h"
#include "sys/print.h"

static struct boot boot;

static const struct {
	enum stage st;
	int (*fn)(struct boot *b);
} stages[] = {
	{ ST_EARLY, early_setup },	{ ST_CONFIG, config_load },
	{ ST_MODULES, modules_load },	{ ST_SOURCE, source_open },
	{ ST_SLOT, slot_choose },	{ ST_MANIFEST, manifest_load },
	{ ST_VERIFY, verify_images },	{ ST_LAYERS, layers_mount },
	{ ST_UPPER, upper_setup },	{ ST_OVERLAY, overlay_mount },
	{ ST_HANDOFF, handoff_switch },
};

/* Runs one stage, records its time, and hands a failure to the policy. */
static void stage(enum stage st, int (*fn)(struct boot *b))
{
	uint64_t t0 = now_us();
	int rc = fn(&boot);

	boot.t_us[st] = now_us() - t0;
	if (rc)
		fail(&boot.cfg, stage_name(st), "%s", last_error());
	log_debug(stage_name(st), "done in %llu us", (unsigned long long)boot.t_us[st]);
}

static void boot_init(struct boot *b)
{
	unsigned int i;

	config_defaults(&b->cfg);
	b->src_dirfd = -1;
	b->initramfs_left = -1;
	for (i = 0; i < LB_MAX_LAYERS; i++)
		b->image_fd[i] = -1;
}

int main(int argc, char **argv)
{
	size_t i;

	if (getpid() != 1) {
		lb_dprintf(2, "layerboot: not PID 1; the command is " BIN_DIR "/layerboot\n");
		return 2;
	}
	boot_init(&boot);
	boot.init_argc = argc - 1;
	boot.init_argv = argv + 1;
	boot.t_start = now_us();
	for (i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
		stage(stages[i].st, stages[i].fn);
	handoff_exec(&boot);
	fail(&boot.cfg, stage_name(ST_HANDOFF), "%s", last_error());
}
