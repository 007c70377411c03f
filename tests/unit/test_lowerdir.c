// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "pure/ovlopts.h"
#include "pure/manifest.h"

#define UP "/run/layerboot/upper/upper"
#define WK "/run/layerboot/upper/work"

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
}
