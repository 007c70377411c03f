// SPDX-License-Identifier: MIT
/*
 * layerboot: PID 1 of the initramfs. Calls the boot stages in order; any stage
 * failure goes to fail(), which never returns. Run as "layerboot" it is the CLI.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lb.h"

static struct boot boot;

uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Runs one stage, records its time, and hands a failure to the policy. */
static void stage(enum stage st, int (*fn)(struct boot *b))
{
	uint64_t t0 = now_us();
	int rc = fn(&boot);

	boot.t_us[st] = now_us() - t0;
	if (rc)
		fail(&boot.cfg, st, "%s", last_error());
	log_debug(stage_name(st), "done in %llu us", (unsigned long long)boot.t_us[st]);
}

static int early(struct boot *b)
{
	(void)b;
	return early_setup();
}

static int config(struct boot *b)
{
	int rc = config_load(&b->cfg);

	log_info("init", "layerboot %s", LB_VERSION);
	return rc;
}

static int modules(struct boot *b)
{
	(void)b;
	return modules_load(MODULES_FILE);
}

static int is_cli(int argc, char **argv)
{
	const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;

	base = base ? base + 1 : argc > 0 ? argv[0] : "";
	return !strcmp(base, "layerboot") || (getpid() != 1 && argc > 1);
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
	uint64_t t0;

	if (is_cli(argc, argv))
		return cli_main(argc, argv);
	if (getpid() != 1) {
		lb_dprintf(2, "layerboot: not PID 1; as a command, see 'layerboot --help'\n");
		return 2;
	}
	boot_init(&boot);
	boot.t_start = now_us();
	stage(ST_EARLY, early);
	stage(ST_CONFIG, config);
	stage(ST_MODULES, modules);
	stage(ST_SOURCE, source_open);
	stage(ST_MANIFEST, manifest_load);
	stage(ST_VERIFY, verify_images);
	stage(ST_LAYERS, layers_mount);
	stage(ST_UPPER, upper_setup);
	stage(ST_OVERLAY, overlay_mount);
	t0 = now_us();
	stage(ST_HANDOFF, handoff_prepare);
	if (boot.cfg.rescue)
		rescue_shell("layerboot.rescue");
	handoff_switch(&boot, t0);
	fail(&boot.cfg, ST_HANDOFF, "%s", last_error());
}
