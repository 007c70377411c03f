// SPDX-License-Identifier: MIT
/* libFuzzer target: the kernel command line / layerboot.conf parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pure/config.h"

static void ignore_warning(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "src", "upper", "size", "init", "timeout", "verify" };
	struct config *c = malloc(sizeof(*c));
	char *text = malloc(size + 1);
	char shown[PATH_MAX + 64];

	if (!c || !text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	config_defaults(c);
	config_parse(c, text, CFG_CMDLINE, ignore_warning, NULL);
	config_parse(c, text, CFG_FILE, ignore_warning, NULL);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		config_show(c, keys[i], shown, sizeof(shown));
	free(text);
	free(c);
	return 0;
}
