// SPDX-License-Identifier: MIT
/*
 * bench/sigtime: where the boot's signature check spends its time, step by
 * step, with the syscalls the init makes (sys/keyverify.c): reading the
 * certificate, add_key of it (the kernel parses the X.509 and, for a
 * self-signed certificate, checks its self-signature: an RSA verify of its
 * own), and keyctl pkey_verify of a manifest's signature. Each step runs
 * ROUNDS times; the first and the median of the others are printed, since
 * the first of a kind may pay for a lookup the later ones find done.
 * Usage: sigtime CERT.der MANIFEST ROUNDS   (in the booted system)
 * Prints one line: "SIGTIME: read_us=.. add_key_first_us=.. add_key_us=..
 * sha256_us=.. verify_first_us=.. verify_us=.. ok=yes|no".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "pure/sha256.h"
#include "pure/sigline.h"

#define KEY_SPEC_PROCESS_KEYRING (-2)
#define KEYCTL_PKEY_VERIFY	 28
#define ROUNDS_MAX		 64

struct pkey_params {
	int32_t key_id;
	uint32_t in_len;
	uint32_t in2_len;
	uint32_t spare[7];
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median of t[1..n-1] (the rounds after the first); t[0] when n is 1. */
static uint64_t median_rest(uint64_t *t, int n)
{
	if (n < 2)
		return t[0];
	qsort(t + 1, (size_t)n - 1, sizeof(*t), cmp);
	return t[1 + (n - 1) / 2];
}

/* PATH into buf (size bytes at most, NUL-terminated); buf, or NULL. */
static char *slurp(const char *path, char *buf, size_t size, size_t *len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

int main(int argc, char **argv)
{
	uint64_t t_read[ROUNDS_MAX], t_add[ROUNDS_MAX], t_sha[ROUNDS_MAX], t_ver[ROUNDS_MAX], t0;
	uint8_t sig[SIG_MAX], digest[32];
	static char cert[64 << 10], text[1 << 20];
	size_t cert_len = 0, man_len, signed_len, sig_len;
	struct pkey_params p;
	const char *why;
	char desc[32], *man, *c;
	long key = -1;
	int rounds, i, ok = 1;

	if (argc != 4 || (rounds = atoi(argv[3])) < 1 || rounds > ROUNDS_MAX) {
		fputs("usage: sigtime CERT.der MANIFEST ROUNDS (1..64)\n", stderr);
		return 2;
	}
	/* Its own buffer: the certificate's reads must not overwrite it. */
	man = slurp(argv[2], text, sizeof(text), &man_len);
	if (!man || sig_split(man, man_len, &signed_len, sig, &sig_len, &why)) {
		fprintf(stderr, "sigtime: %s: no signed manifest\n", argv[2]);
		return 1;
	}
	for (i = 0; i < rounds; i++) {
		t0 = now_us();
		c = slurp(argv[1], cert, sizeof(cert), &cert_len);
		t_read[i] = now_us() - t0;
		if (!c) {
			fprintf(stderr, "sigtime: %s: %s\n", argv[1], strerror(errno));
			return 1;
		}
		/* A new description each round: a new key, not an update of one. */
		snprintf(desc, sizeof(desc), "sigtime-%d", i);
		t0 = now_us();
		key = syscall(SYS_add_key, "asymmetric", desc, cert, cert_len,
			      KEY_SPEC_PROCESS_KEYRING);
		t_add[i] = now_us() - t0;
		if (key < 0) {
			fprintf(stderr, "sigtime: add_key: %s\n", strerror(errno));
			return 1;
		}
	}
	for (i = 0; i < rounds; i++) {
		t0 = now_us();
		sha256(man, signed_len, digest);
		t_sha[i] = now_us() - t0;
		memset(&p, 0, sizeof(p));
		p.key_id = (int32_t)key;
		p.in_len = 32;
		p.in2_len = (uint32_t)sig_len;
		t0 = now_us();
		if (syscall(SYS_keyctl, KEYCTL_PKEY_VERIFY, &p, "enc=pkcs1 hash=sha256", digest,
			    sig)) {
			if (ok)
				fprintf(stderr, "sigtime: pkey_verify: %s\n", strerror(errno));
			ok = 0;
		}
		t_ver[i] = now_us() - t0;
	}
	printf("SIGTIME: read_us=%llu add_key_first_us=%llu add_key_us=%llu sha256_us=%llu "
	       "verify_first_us=%llu verify_us=%llu ok=%s\n",
	       (unsigned long long)median_rest(t_read, rounds), (unsigned long long)t_add[0],
	       (unsigned long long)median_rest(t_add, rounds),
	       (unsigned long long)median_rest(t_sha, rounds), (unsigned long long)t_ver[0],
	       (unsigned long long)median_rest(t_ver, rounds), ok ? "yes" : "no");
	return ok ? 0 : 1;
}
