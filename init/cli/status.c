// SPDX-License-Identifier: MIT
/* layerboot status: the status file for people, and the upper's use now. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>

#include "cli/cli.h"
#include "pure/fmt.h"
#include "pure/num.h"
#include "pure/strlist.h"
#include "sys/file.h"
#include "sys/print.h"

static const char *getf(const struct strlist *kv, const char *fmt, unsigned int i, const char *k)
{
	char key[64];

	lb_snprintf(key, sizeof(key), fmt, i, k);
	return strlist_value(kv, key);
}

#define OR(s) ((s) ? (s) : "?")

static void print_layers(const struct strlist *kv)
{
	unsigned int i, n = 0;

	/* strtoul would pull 2 KiB of musl's number scanner into PID 1 */
	if (num_parse_uint(OR(strlist_value(kv, "layers")), 100000, &n))
		n = 0;

	lb_dprintf(1, "layers:    %u, bottom first\n", n);
	for (i = 0; i < n; i++) {
		const char *v = OR(getf(kv, "layer.%u.%s", i, "verified")),
			   *root = getf(kv, "layer.%u.%s", i, "roothash"),
			   /* none in the status of an init before erofs: squashfs */
				   *fs = getf(kv, "layer.%u.%s", i, "fs");

		lb_dprintf(1, "  %-24s %12s  %.12s  %-8s  %s\n",
			   OR(getf(kv, "layer.%u.%s", i, "name")),
			   OR(getf(kv, "layer.%u.%s", i, "size")),
			   OR(getf(kv, "layer.%u.%s", i, "sha256")), fs ? fs : "squashfs",
			   !strcmp(v, "yes")	  ? "verified"
			   : !strcmp(v, "verity") ? "dm-verity"
						  : "not verified");
		/* Under verity: what each block is checked against, and where. */
		if (root)
			lb_dprintf(1, "  %-24s root hash %s on %s\n", "", root,
				   OR(getf(kv, "layer.%u.%s", i, "device")));
	}
}

static void print_times(const struct strlist *kv)
{
	const char *sep = "";
	size_t i;

	lb_dprintf(1, "times:     ");
	for (i = 0; i < kv->n; i++) {
		const char *k = kv->v[i], *eq = strchr(k, '=');

		if (strncmp(k, "time.", 5) != 0 || !eq || eq - k < 9 ||
		    strncmp(eq - 3, "_us", 3) != 0)
			continue;
		lb_dprintf(1, "%s%.*s %s us", sep, (int)(eq - k - 8), k + 5, eq + 1);
		sep = ", ";
	}
	lb_dprintf(1, "\n");
}

/* The upper's use now (the status file is from boot time): a full upper shows here. */
static void print_upper_use(void)
{
	unsigned long long total, used;
	char dir[PATH_MAX];
	struct statfs sf;

	lb_snprintf(dir, sizeof(dir), "%s/upper", cli_run_dir);
	if (statfs(dir, &sf)) {
		lb_dprintf(1, "upper use: ? (%s: %s)\n", dir, strerror(errno));
		return;
	}
	total = (unsigned long long)sf.f_blocks * (unsigned long long)sf.f_bsize / 1024;
	used = (unsigned long long)(sf.f_blocks - sf.f_bfree) * (unsigned long long)sf.f_bsize /
	       1024;
	lb_dprintf(1, "upper use: %llu KiB of %llu KiB (%llu%%)\n", used, total,
		   total ? used * 100 / total : 0);
}

int cmd_status(void)
{
	struct strlist kv = { 0 };

	if (status_load("status", &kv))
		return 1;
	lb_dprintf(1, "layerboot %s\n", OR(strlist_value(&kv, "version")));
	lb_dprintf(1, "source:    %s%s%s (verify: %s)\n", OR(strlist_value(&kv, "source")),
		   *OR(strlist_value(&kv, "source.device")) ? " on " : "",
		   OR(strlist_value(&kv, "source.device")), OR(strlist_value(&kv, "verify")));
	print_layers(&kv);
	if (!strcmp(OR(strlist_value(&kv, "upper")), "persistent"))
		lb_dprintf(1, "upper:     persistent, %s on %s\n",
			   OR(strlist_value(&kv, "upper.spec")),
			   OR(strlist_value(&kv, "upper.device")));
	else
		lb_dprintf(1, "upper:     %s (size %s)\n", OR(strlist_value(&kv, "upper")),
			   OR(strlist_value(&kv, "upper.size")));
	print_upper_use();
	lb_dprintf(1, "reset:     %s (trigger: %s)\nfallback:  %s\n",
		   OR(strlist_value(&kv, "reset")), OR(strlist_value(&kv, "reset.trigger")),
		   OR(strlist_value(&kv, "fallback")));
	lb_dprintf(1, "initramfs: %s entries left\n", OR(strlist_value(&kv, "initramfs.left")));
	lb_dprintf(1, "slot:      %s, version %s, signature %s, rollback %s%s%s\n",
		   OR(strlist_value(&kv, "slot")), OR(strlist_value(&kv, "slot.version")),
		   OR(strlist_value(&kv, "signature")), OR(strlist_value(&kv, "rollback")),
		   *OR(strlist_value(&kv, "rollback.reason")) ? ": " : "",
		   OR(strlist_value(&kv, "rollback.reason")));
	/* LB_UPDATE_UPPER (init/INTERFACE.md "The upper across an update"). */
	lb_dprintf(1, "update:    upper %s (this boot: %s; saved upper: %s), hidden=%s\n",
		   OR(strlist_value(&kv, "upper.policy")), OR(strlist_value(&kv, "upper.action")),
		   OR(strlist_value(&kv, "upper.saved")), OR(strlist_value(&kv, "hidden")));
	print_times(&kv);
	strlist_free(&kv);
	return 0;
}
