// SPDX-License-Identifier: MIT
/*
 * Pure part of the guard against mounting more layers than the RAM holds:
 * every squashfs mount keeps caches and a decompressor workspace (about
 * 1.4 MiB with zstd and 128K blocks), and the kernel cannot OOM-kill PID 1.
 */
#include <errno.h>
#include <string.h>

#include "pure/memguard.h"
#include "pure/num.h"

/* The value of KEY (which ends in ':') on a line of its own; 0 or -EINVAL. */
static int meminfo_field(const char *text, const char *key, uint64_t *kb)
{
	const char *p = text;
	size_t klen = strlen(key);
	uint64_t v;

	/* The key must start a line, not end another key's name. A line at a
	 * time, not strstr: musl's two-way strstr is 1.2 KiB of the init. */
	while (strncmp(p, key, klen) != 0) {
		p = strchr(p, '\n');
		if (!p++)
			return -EINVAL;
	}
	for (p += klen; *p == ' ' || *p == '\t'; p++)
		;
	if (num_prefix(p, UINT64_MAX, &v, NULL))
		return -EINVAL;
	*kb = v;
	return 0;
}

int meminfo_available_kb(const char *text, uint64_t *kb)
{
	uint64_t avail, cma = 0;

	if (meminfo_field(text, "MemAvailable:", &avail))
		return -EINVAL;
	if (meminfo_field(text, "CmaFree:", &cma))
		cma = 0; /* a kernel without CMA */
	*kb = avail > cma ? avail - cma : 0;
	return 0;
}

int layer_memory_fits(uint64_t start_kb, uint64_t now_kb, unsigned int mounted,
		      uint64_t *per_layer_kb)
{
	uint64_t per = 0, reserve = start_kb / 4;

	if (reserve > MEM_RESERVE_KB)
		reserve = MEM_RESERVE_KB;
	if (mounted && start_kb > now_kb)
		per = (start_kb - now_kb + mounted - 1) / mounted;
	*per_layer_kb = per;
	return now_kb >= reserve + per ? 0 : -ENOMEM;
}
