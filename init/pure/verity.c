// SPDX-License-Identifier: MIT
/*
 * Pure: the manifest's verity field and the dm-verity table line
 * (Documentation/admin-guide/device-mapper/verity.rst, format version 1).
 */
#include <errno.h>
#include <string.h>

#include "pure/fmt.h"
#include "pure/hex.h"
#include "pure/num.h"
#include "pure/verity.h"

/* dm-verity takes powers of two from 512 bytes to the page size; 64 KiB is the largest page. */
static int block_ok(uint64_t b)
{
	return b >= 512 && b <= 65536 && !(b & (b - 1));
}

static int salt_parse(const char *s, size_t n, struct verity_params *v)
{
	v->salt_len = 0;
	if (n == 1 && s[0] == '-')
		return 0;
	if (!n || n % 2 || n / 2 > LB_SALT_MAX)
		return -EINVAL;
	if (hex_decode(s, n / 2, v->salt))
		return -EINVAL;
	v->salt_len = (unsigned int)(n / 2);
	return 0;
}

/* The next comma-separated part of *s into buf (NUL-terminated); its length, or -1. */
static int part(const char **s, char *buf, size_t len)
{
	size_t n = strcspn(*s, ",");

	if (n >= len)
		return -1;
	memcpy(buf, *s, n);
	buf[n] = '\0';
	*s += n + ((*s)[n] == ',');
	return (int)n;
}

static int numbers(const char **s, uint64_t num[4], const char **why)
{
	char buf[24];
	int i;

	for (i = 0; i < 4; i++)
		if (part(s, buf, sizeof(buf)) < 0 || num_parse(buf, UINT64_MAX, &num[i])) {
			*why = "bad verity number";
			return -EINVAL;
		}
	if (!block_ok(num[0]) || !block_ok(num[1])) {
		*why = "verity block size not a power of two from 512 to 65536";
		return -EINVAL;
	}
	return 0;
}

int verity_field_parse(const char *s, unsigned long long size, struct verity_params *v,
		       const char **why)
{
	uint64_t num[4];
	char buf[2 * LB_SALT_MAX + 2];
	int n;

	if (numbers(&s, num, why))
		return -EINVAL;
	v->data_block = (unsigned int)num[0];
	v->hash_block = (unsigned int)num[1];
	v->data_size = num[2];
	v->hash_offset = num[3];
	if (!v->data_size || v->data_size % v->data_block || v->hash_offset % v->hash_block ||
	    v->hash_offset < v->data_size || v->hash_offset > size) {
		*why = "verity sizes do not fit the image";
		return -EINVAL;
	}
	if (part(&s, buf, sizeof(buf)) < 0 || hex_decode32(buf, v->root)) {
		*why = "bad verity root hash (want 64 lowercase hex digits)";
		return -EINVAL;
	}
	n = part(&s, buf, sizeof(buf));
	if (n < 0 || *s || salt_parse(buf, (size_t)n, v)) {
		*why = "bad verity salt (want lowercase hex or -)";
		return -EINVAL;
	}
	return 0;
}

int verity_table(const struct verity_params *v, const char *dev, bool restart, char *out,
		 size_t len, unsigned long long *sectors)
{
	char root[65], salt[2 * LB_SALT_MAX + 1];
	int n;

	hex_encode(v->root, 32, root);
	if (v->salt_len)
		hex_encode(v->salt, v->salt_len, salt);
	else
		strcpy(salt, "-");
	/* Without restart_on_corruption a bad block fails its read with EIO (and is logged). */
	n = lb_snprintf(out, len, "1 %s %s %u %u %llu %llu sha256 %s %s%s", dev, dev, v->data_block,
			v->hash_block, v->data_size / v->data_block, v->hash_offset / v->hash_block,
			root, salt, restart ? " 1 restart_on_corruption" : "");
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	*sectors = v->data_size / 512;
	return 0;
}
