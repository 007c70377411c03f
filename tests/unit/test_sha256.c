// SPDX-License-Identifier: MIT
/* NIST FIPS 180-4 example vectors, through every implementation the CPU has. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pure/hex.h"
#include "pure/sha256.h"
#include "sys/sha256fd.h"

static const struct {
	const char *name;
	const char *msg; /* NULL: one million 'a' */
	const char *hex;
} vectors[] = {
	{ "empty", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "448-bit", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "896-bit",
	  "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
	  "lmn"
	  "opqrsmnopqrstnopqrstu",
	  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ "million a", NULL, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
};

static void digest(size_t i, uint8_t out[32], size_t chunk)
{
	struct sha256 s;

	sha256_init(&s);
	if (vectors[i].msg) {
		const char *p = vectors[i].msg;
		size_t left = strlen(p);

		/* Odd chunk sizes cross every buffering boundary. */
		while (left) {
			size_t n = left < chunk ? left : chunk;

			sha256_update(&s, p, n);
			p += n;
			left -= n;
		}
	} else {
		static char a[1000000];

		memset(a, 'a', sizeof(a));
		for (size_t off = 0; off < sizeof(a); off += chunk)
			sha256_update(&s, a + off,
				      sizeof(a) - off < chunk ? sizeof(a) - off : chunk);
	}
	sha256_final(&s, out);
}

static void run(enum sha256_impl impl, const char *iname)
{
	static const size_t chunks[] = { 1, 3, 63, 64, 65, 1000, 1 << 20 };
	struct group g;
	char hex[65];
	uint8_t out[32];
	size_t i, c;

	sha256_use(impl);
	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		group_begin(&g, "sha256 %s: %s", iname, vectors[i].name);
		for (c = 0; c < ARRAY_SIZE(chunks); c++) {
			if (!vectors[i].msg && chunks[c] < 63)
				continue;
			digest(i, out, chunks[c]);
			hex_encode(out, 32, hex);
			EXPECT(&g, !strcmp(hex, vectors[i].hex), "chunk %zu: got %s", chunks[c],
			       hex);
		}
		group_end(&g);
	}
}

/* Both paths must agree on every length around the block and padding edges. */
static void cross_check(void)
{
	static uint8_t data[1200];
	uint8_t a[32], b[32];
	struct group g;
	size_t n;

	for (n = 0; n < sizeof(data); n++)
		data[n] = (uint8_t)(n * 131 + 7);
	group_begin(&g, "sha256: accelerated equals portable for lengths 0..1199");
	for (n = 0; n < sizeof(data); n++) {
		sha256_use(SHA256_PORTABLE);
		sha256(data, n, a);
		sha256_use(SHA256_ACCEL);
		sha256(data, n, b);
		if (memcmp(a, b, 32)) {
			group_fail(&g, "differ at length %zu", n);
			break;
		}
	}
	group_end(&g);
}

void test_sha256(void)
{
	struct group g;

	sha256_use(SHA256_PORTABLE);
	run(SHA256_PORTABLE, "portable");
	if (sha256_use(SHA256_ACCEL) == 0) {
		run(SHA256_ACCEL, sha256_impl_name());
		cross_check();
	} else {
		/* Not a failure: this CPU has no SHA instructions. Say it, once. */
		printf("# sha256: no SHA instructions on this CPU, accelerated path not run\n");
	}
	group_begin(&g, "sha256: default picks the fastest path");
	sha256_use_fastest();
	EXPECT(&g, strcmp(sha256_impl_name(), "portable") || !sha256_accel_available(), "%s",
	       sha256_impl_name());
	group_end(&g);
}
