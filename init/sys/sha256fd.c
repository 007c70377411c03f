// SPDX-License-Identifier: MIT
/*
 * SHA-256 of a file, and the choice of the block function: asking the CPU what
 * it has needs cpuid (x86) or the kernel's auxiliary vector (arm64), so it
 * lives here and the hash itself stays pure (pure/sha256.c).
 */
#include <errno.h>
#include <unistd.h>

#include "sys/sha256fd.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static int cpu_has_accel(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return !!(b & bit_SHA);
}
#elif defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_SHA2
#define HWCAP_SHA2 (1 << 6)
#endif

static int cpu_has_accel(void)
{
	return !!(getauxval(AT_HWCAP) & HWCAP_SHA2);
}
#else
static int cpu_has_accel(void)
{
	return 0;
}
#endif

/* -1: not probed yet */
static int accel_state = -1;

int sha256_accel_available(void)
{
	if (accel_state < 0)
		accel_state = cpu_has_accel();
	return accel_state;
}

int sha256_use(enum sha256_impl impl)
{
	if (impl == SHA256_ACCEL && !sha256_accel_available())
		return -ENOTSUP;
	sha256_select(impl);
	return 0;
}

void sha256_use_fastest(void)
{
	sha256_select(sha256_accel_available() ? SHA256_ACCEL : SHA256_PORTABLE);
}

/* One large buffer: few read() calls, and it costs no stack in PID 1. */
int sha256_fd(int fd, uint8_t out[32])
{
	static uint8_t buf[1 << 20];
	struct sha256 s;

	sha256_use_fastest();
	sha256_init(&s);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		sha256_update(&s, buf, (size_t)n);
	}
	sha256_final(&s, out);
	return 0;
}
