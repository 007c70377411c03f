// SPDX-License-Identifier: MIT
/*
 * Pure: SHA-256 (FIPS 180-4). The portable C path always works; where the CPU
 * has SHA instructions they hash a 1 GiB image several times faster, which is
 * the difference between a noticeable and an invisible verify on boot.
 */
#include <string.h>

#include "pure/sha256.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HAVE_SHA_X86 1
#elif defined(__aarch64__)
#include <arm_neon.h>
#define HAVE_SHA_ARM 1
#endif

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void blocks_portable(uint32_t h[8], const uint8_t *p, size_t n)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
	size_t i;

	for (; n--; p += 64) {
		for (i = 0; i < 16; i++)
			w[i] = load_be32(p + 4 * i);
		for (; i < 64; i++)
			w[i] = w[i - 16] +
			       (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
			       w[i - 7] +
			       (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10));
		a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
		for (i = 0; i < 64; i++) {
			t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) +
			     K[i] + w[i];
			t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
			hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
		}
		h[0] += a, h[1] += b, h[2] += c, h[3] += d;
		h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
	}
}

#ifdef HAVE_SHA_X86
__attribute__((target("sha,sse4.1,ssse3"))) static void blocks_accel(uint32_t h[8],
								     const uint8_t *p, size_t n)
{
	const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i s0, s1, tmp, msg, w[4], abef, cdgh;
	size_t g;

	/* The instructions want the state as ABEF/CDGH. */
	tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1);
	s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B);
	s0 = _mm_alignr_epi8(tmp, s1, 8);
	s1 = _mm_blend_epi16(s1, tmp, 0xF0);
	for (; n--; p += 64) {
		abef = s0;
		cdgh = s1;
		for (g = 0; g < 16; g++) {
			if (g < 4)
				w[g] = _mm_shuffle_epi8(
					_mm_loadu_si128((const __m128i *)(p + 16 * g)), mask);
			else
				w[g & 3] = _mm_sha256msg2_epu32(
					_mm_add_epi32(
						_mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]),
						_mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4)),
					w[(g + 3) & 3]);
			msg = _mm_add_epi32(w[g & 3], _mm_loadu_si128((const __m128i *)&K[4 * g]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
			s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(msg, 0x0E));
		}
		s0 = _mm_add_epi32(s0, abef);
		s1 = _mm_add_epi32(s1, cdgh);
	}
	tmp = _mm_shuffle_epi32(s0, 0x1B);
	s1 = _mm_shuffle_epi32(s1, 0xB1);
	s0 = _mm_blend_epi16(tmp, s1, 0xF0);
	s1 = _mm_alignr_epi8(s1, tmp, 8);
	_mm_storeu_si128((__m128i *)&h[0], s0);
	_mm_storeu_si128((__m128i *)&h[4], s1);
}

#elif defined(HAVE_SHA_ARM)
__attribute__((target("+crypto"))) static void blocks_accel(uint32_t h[8], const uint8_t *p,
							    size_t n)
{
	uint32x4_t s0 = vld1q_u32(&h[0]), s1 = vld1q_u32(&h[4]), w[4], abef, efgh, t, s0old;
	size_t g;

	for (; n--; p += 64) {
		abef = s0;
		efgh = s1;
		for (g = 0; g < 16; g++) {
			if (g < 4)
				w[g] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p + 16 * g)));
			else
				w[g & 3] =
					vsha256su1q_u32(vsha256su0q_u32(w[g & 3], w[(g + 1) & 3]),
							w[(g + 2) & 3], w[(g + 3) & 3]);
			t = vaddq_u32(w[g & 3], vld1q_u32(&K[4 * g]));
			s0old = s0;
			s0 = vsha256hq_u32(s0, s1, t);
			s1 = vsha256h2q_u32(s1, s0old, t);
		}
		s0 = vaddq_u32(s0, abef);
		s1 = vaddq_u32(s1, efgh);
	}
	vst1q_u32(&h[0], s0);
	vst1q_u32(&h[4], s1);
}
#else
static void blocks_accel(uint32_t h[8], const uint8_t *p, size_t n)
{
	blocks_portable(h, p, n);
}
#endif

static void (*blocks)(uint32_t h[8], const uint8_t *p, size_t n) = blocks_portable;

void sha256_select(enum sha256_impl impl)
{
	blocks = impl == SHA256_ACCEL ? blocks_accel : blocks_portable;
}

const char *sha256_impl_name(void)
{
	if (blocks == blocks_portable)
		return "portable";
#if defined(HAVE_SHA_X86)
	return "sha-ni";
#else
	return "armv8-sha2";
#endif
}

void sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->nbuf = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t n;

	s->len += len;
	if (s->nbuf) {
		n = 64 - s->nbuf < len ? 64 - s->nbuf : len;
		memcpy(s->buf + s->nbuf, p, n);
		s->nbuf += (unsigned int)n;
		p += n;
		len -= n;
		if (s->nbuf < 64)
			return;
		blocks(s->h, s->buf, 1);
		s->nbuf = 0;
	}
	if (len >= 64) {
		blocks(s->h, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	memcpy(s->buf, p, len);
	s->nbuf = (unsigned int)len;
}

void sha256_final(struct sha256 *s, uint8_t out[32])
{
	uint64_t bits = s->len * 8;
	int i;

	s->buf[s->nbuf++] = 0x80;
	if (s->nbuf > 56) {
		memset(s->buf + s->nbuf, 0, 64 - s->nbuf);
		blocks(s->h, s->buf, 1);
		s->nbuf = 0;
	}
	memset(s->buf + s->nbuf, 0, 56 - s->nbuf);
	for (i = 0; i < 8; i++)
		s->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	blocks(s->h, s->buf, 1);
	for (i = 0; i < 32; i++)
		out[i] = (uint8_t)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void sha256(const void *data, size_t len, uint8_t out[32])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final(&s, out);
}
