// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdint.h>

#include "harness.h"
#include "pure/memguard.h"

static const struct {
	const char *text;
	int rc;
	uint64_t kb;
} meminfo[] = {
	{ "MemTotal:  506000 kB\nMemFree:  400000 kB\nMemAvailable:  420123 kB\n", 0, 420123 },
	{ "MemAvailable: 7 kB\n", 0, 7 },
	{ "MemAvailable:\t0 kB\n", 0, 0 },
	{ "MemTotal: 1 kB\n", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ "XMemAvailable: 5 kB\n", -EINVAL, 0 },
	{ "MemAvailable: kB\n", -EINVAL, 0 },
	{ "MemAvailable: 99999999999999999999 kB\n", -EINVAL, 0 },
	{ "MemAvailable: 300000 kB\nCmaTotal: 65536 kB\nCmaFree: 60000 kB\n", 0, 240000 },
	{ "MemAvailable: 5000 kB\nCmaFree: 60000 kB\n", 0, 0 },
	{ "XMemAvailable: 5 kB\nMemAvailable: 9 kB\n", 0, 9 },
};

static const struct {
	uint64_t start, now;
	unsigned int mounted;
	int rc;
	uint64_t per;
} fits[] = {
	{ 400000, 400000, 0, 0, 0 },			/* nothing mounted yet */
	{ 400000, 398600, 1, 0, 1400 },			/* one layer cost 1.4 MiB */
	{ 400000, 35000, 260, 0, 1404 },		/* 32 MiB + one more layer left */
	{ 400000, 33000, 260, -ENOMEM, 1412 },		/* not enough for the next one */
	{ 20000, 20000, 0, 0, 0 },			/* small device: reserve 5000 KiB */
	{ 20000, 6000, 10, -ENOMEM, 1400 },		/* 5000 + 1400 do not fit in 6000 */
	{ 20000, 6400, 10, 0, 1360 },			/* 5000 + 1360 do */
	{ 400000, 410000, 5, 0, 0 },			/* memory came back: cost 0 */
};

void test_memguard(void)
{
	struct group g;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(meminfo); i++) {
		uint64_t kb = 12345;
		int rc = meminfo_available_kb(meminfo[i].text, &kb);

		group_begin(&g, "memguard: meminfo case %zu", i);
		EXPECT(&g, rc == meminfo[i].rc, "rc %d, want %d", rc, meminfo[i].rc);
		EXPECT(&g, rc || kb == meminfo[i].kb, "kb %llu, want %llu", (unsigned long long)kb,
		       (unsigned long long)meminfo[i].kb);
		EXPECT(&g, !rc || kb == 12345, "output changed on error");
		group_end(&g);
	}
	for (i = 0; i < ARRAY_SIZE(fits); i++) {
		uint64_t per = 1;
		int rc = layer_memory_fits(fits[i].start, fits[i].now, fits[i].mounted, &per);

		group_begin(&g, "memguard: %u layers, %llu of %llu KiB left", fits[i].mounted,
			    (unsigned long long)fits[i].now, (unsigned long long)fits[i].start);
		EXPECT(&g, rc == fits[i].rc, "rc %d, want %d", rc, fits[i].rc);
		EXPECT(&g, per == fits[i].per, "per layer %llu, want %llu", (unsigned long long)per,
		       (unsigned long long)fits[i].per);
		group_end(&g);
	}
}
