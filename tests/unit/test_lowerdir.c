// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "pure/fmt.h"
#include "pure/ovlopts.h"
#include "pure/manifest.h"

#define UP "/run/layerboot/upper/upper"
#define WK "/run/layerboot/upper/work"

#define LD "/run/layerboot/layers"

static void name_layers(struct manifest *m, unsigned int n, int long_names)
{
	unsigned int i;

	m->count = n;
	for (i = 0; i < n; i++) {
		if (long_names)
			lb_snprintf(m->layer[i].name, sizeof(m->layer[i].name), "%03u-%060u", i, i);
		else
			lb_snprintf(m->layer[i].name, sizeof(m->layer[i].name), "%02u-layer", i);
	}
}

/* The mount points themselves when they fit; -E2BIG sends the stage to the links. */
static void test_lowerdir_paths(char *buf)
{
	static struct manifest m;
	struct group g;
	int rc;

	group_begin(&g, "lowerdir paths: the layers' mount points, top first");
	name_layers(&m, 1, 0);
	rc = overlay_options_paths(buf, 8192, &m, LD, UP, WK);
	EXPECT(&g, rc == 0 && !strcmp(buf, "lowerdir=" LD "/00-layer,upperdir=" UP ",workdir=" WK),
	       "%d '%s'", rc, buf);
	name_layers(&m, 3, 0);
	rc = overlay_options_paths(buf, 8192, &m, LD, UP, WK);
	EXPECT(&g,
	       rc == 0 && !strcmp(buf, "lowerdir=" LD "/02-layer:" LD "/01-layer:" LD
				       "/00-layer,upperdir=" UP ",workdir=" WK),
	       "%d '%s'", rc, buf);
	group_end(&g);

	group_begin(&g, "lowerdir paths: past one page, E2BIG (the links take over)");
	name_layers(&m, 100, 0);
	rc = overlay_options_paths(buf, 8192, &m, LD, UP, WK);
	EXPECT(&g, rc == 0 && strlen(buf) < LB_MOUNT_OPTS_MAX, "100 short names: rc %d", rc);
	name_layers(&m, 60, 1);
	rc = overlay_options_paths(buf, 8192, &m, LD, UP, WK);
	EXPECT(&g, rc == -E2BIG, "60 names of 64 bytes: rc %d", rc);
	name_layers(&m, LB_MAX_LAYERS, 0);
	EXPECT(&g, overlay_options_paths(buf, 8192, &m, LD, UP, WK) == -E2BIG, "500 layers fit");
	EXPECT(&g, overlay_options(buf, 8192, LB_MAX_LAYERS, UP, WK) == 0, "500 links do not");
	group_end(&g);

	group_begin(&g, "lowerdir paths: 0 or too many layers refused");
	m.count = 0;
	EXPECT(&g, overlay_options_paths(buf, 8192, &m, LD, UP, WK) == -EINVAL, "0 accepted");
	m.count = LB_MAX_LAYERS + 1;
	EXPECT(&g, overlay_options_paths(buf, 8192, &m, LD, UP, WK) == -EINVAL, "501 accepted");
	group_end(&g);
}

void test_lowerdir(void)
{
	static char buf[8192];
	struct group g;
	int rc;

	group_begin(&g, "lowerdir: 1 layer");
	rc = overlay_options(buf, sizeof(buf), 1, UP, WK);
	EXPECT(&g, rc == 0 && !strcmp(buf, "lowerdir=0,upperdir=" UP ",workdir=" WK), "%d '%s'", rc,
	       buf);
	group_end(&g);

	group_begin(&g, "lowerdir: 3 layers, top first");
	rc = overlay_options(buf, sizeof(buf), 3, UP, WK);
	EXPECT(&g, rc == 0 && !strncmp(buf, "lowerdir=2:1:0,", 15), "%d '%s'", rc, buf);
	group_end(&g);

	group_begin(&g, "lowerdir: 499 layers fit in a page");
	rc = overlay_options(buf, sizeof(buf), 499, UP, WK);
	EXPECT(&g, rc == 0, "rc %d", rc);
	EXPECT(&g, strlen(buf) < LB_MOUNT_OPTS_MAX, "%zu bytes", strlen(buf));
	EXPECT(&g, !strncmp(buf, "lowerdir=498:497:", 17) && strstr(buf, ":1:0,upperdir="),
	       "order: %.40s", buf);
	group_end(&g);

	group_begin(&g, "lowerdir: 500 layers (OVL_MAX_STACK) fit in a page");
	rc = overlay_options(buf, sizeof(buf), LB_MAX_LAYERS, UP, WK);
	EXPECT(&g, rc == 0 && strlen(buf) < LB_MOUNT_OPTS_MAX, "rc %d, %zu bytes", rc, strlen(buf));
	group_end(&g);

	group_begin(&g, "lowerdir: 501 layers refused");
	EXPECT(&g, overlay_options(buf, sizeof(buf), 501, UP, WK) == -EINVAL, "accepted");
	EXPECT(&g, overlay_options(buf, sizeof(buf), 100000, UP, WK) == -EINVAL, "accepted");
	group_end(&g);

	group_begin(&g, "lowerdir: 0 layers refused");
	EXPECT(&g, overlay_options(buf, sizeof(buf), 0, UP, WK) == -EINVAL, "accepted");
	group_end(&g);

	group_begin(&g, "lowerdir: too long for the page is refused, not truncated");
	{
		static char longdir[4000];

		memset(longdir, 'x', sizeof(longdir) - 1);
		longdir[0] = '/';
		rc = overlay_options(buf, sizeof(buf), 499, longdir, WK);
		EXPECT(&g, rc == -E2BIG, "rc %d", rc);
	}
	rc = overlay_options(buf, 20, 3, UP, WK);
	EXPECT(&g, rc == -E2BIG, "small buffer: rc %d", rc);
	group_end(&g);
	test_lowerdir_paths(buf);
}
