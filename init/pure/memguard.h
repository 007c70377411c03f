/* SPDX-License-Identifier: MIT */
#ifndef LB_PURE_MEMGUARD_H
#define LB_PURE_MEMGUARD_H

#include <stdint.h>

/*
 * Kernel memory left for what follows the layer mounts (the overlay, the
 * upper, the exec of the next init): 32 MiB, or a quarter of what was
 * available before the first layer on a small device. Below it, PID 1 cannot
 * be OOM-killed and the kernel panics ("System is deadlocked on memory"): the
 * init stops first.
 */
#define MEM_RESERVE_KB (UINT64_C(32) * 1024)

/*
 * What the kernel can still allocate for itself, from the text of
 * /proc/meminfo, in KiB: MemAvailable less CmaFree (the CMA area counts as
 * free but only movable pages may use it, and squashfs's caches are not
 * movable). 0 or -EINVAL.
 */
int meminfo_available_kb(const char *text, uint64_t *kb);

/*
 * May one more layer be mounted? start_kb was available before the first
 * layer, now_kb is available now, after `mounted` layers. Each layer is taken
 * to cost what the ones before cost on average; the next one, and the reserve,
 * must fit. Returns 0 when it fits, -ENOMEM otherwise; *per_layer_kb says the
 * average cost so far.
 */
int layer_memory_fits(uint64_t start_kb, uint64_t now_kb, unsigned int mounted,
		      uint64_t *per_layer_kb);

#endif
