// SPDX-License-Identifier: MIT
/*
 * Pure: the ustar header of an update bundle. The bundle is read as a stream
 * (a pipe from wget), so each header is judged alone, before the data after
 * it is read: a wrong checksum or a field that is not octal is refused
 * rather than guessed at, since what follows would be misread.
 */
#include <errno.h>
#include <string.h>

#include "pure/tarhdr.h"

/* Octal digits, then spaces or NULs to the end of the field. -1: not that. */
static int octal(const uint8_t *f, unsigned int len, unsigned long long *out)
{
	unsigned long long v = 0;
	unsigned int i = 0;

	while (i < len && f[i] == ' ')
		i++;
	if (i == len || f[i] < '0' || f[i] > '7')
		return -1;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 60)
			return -1;
		v = v * 8 + (f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	*out = v;
	return 0;
}

static int zero_block(const uint8_t *blk)
{
	unsigned int i;

	for (i = 0; i < TAR_BLOCK; i++)
		if (blk[i])
			return 0;
	return 1;
}

/* The checksum counts its own field as eight spaces. */
static int checksum_ok(const uint8_t *blk)
{
	unsigned long long want, sum = 8ULL * ' ';
	unsigned int i;

	if (octal(blk + 148, 8, &want))
		return 0;
	for (i = 0; i < TAR_BLOCK; i++)
		if (i < 148 || i >= 156)
			sum += blk[i];
	return sum == want;
}

int tar_header_parse(const uint8_t blk[TAR_BLOCK], struct tar_member *m, const char **why)
{
	uint8_t type = blk[156];

	if (zero_block(blk))
		return 1;
	*why = "not a ustar header";
	if (memcmp(blk + 257, "ustar", 5) != 0)
		return -EINVAL;
	*why = "bad header checksum";
	if (!checksum_ok(blk))
		return -EINVAL;
	*why = "bad size field";
	if (octal(blk + 124, 12, &m->size))
		return -EINVAL;
	*why = "not a regular file";
	if (type != '0' && type != '\0')
		return -EINVAL;
	*why = "name longer than 100 bytes";
	if (blk[345] != '\0')
		return -EINVAL;
	memcpy(m->name, blk, 100);
	m->name[100] = '\0';
	*why = "empty name";
	return m->name[0] ? 0 : -EINVAL;
}

unsigned long long tar_padded(unsigned long long size)
{
	return (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
}
