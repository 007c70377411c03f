// SPDX-License-Identifier: MIT
/* Reading /run/layerboot/status, for every command that needs what the boot found. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "pure/fmt.h"
#include "sys/file.h"
#include "sys/print.h"

int status_load(const char *cmd, struct strlist *kv)
{
	char path[PATH_MAX], *text, *line, *save = NULL;
	int rc;

	lb_snprintf(path, sizeof(path), "%s/status", cli_run_dir);
	rc = read_file(path, &text, 16 << 20, NULL);
	if (!rc) {
		for (line = strtok_r(text, "\n", &save); line && !rc;
		     line = strtok_r(NULL, "\n", &save))
			rc = strlist_add(kv, strdup(line));
		free(text);
	}
	if (rc) {
		lb_dprintf(2, "layerboot: %s: %s: %s\n", cmd, path, strerror(-rc));
		strlist_free(kv);
	}
	return rc;
}
