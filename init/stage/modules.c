// SPDX-License-Identifier: MIT
/* Stage modules: the modules every boot needs (loop, squashfs, overlay), in order. */
#include "boot.h"
#include "pure/paths.h"
#include "sys/kmod.h"

int modules_load(struct boot *b)
{
	(void)b;
	return kmod_load_list(MODULES_FILE);
}
